"""What ASE itself reads from amorph's files, and the round trip
ASE → amorph → ASE through files (docs/io.md)."""
import ase.io
import numpy as np
import pytest
from ase import Atoms

import amorph
from amorph import AmorphCalculator
from conftest import SMALL, run_amorph


def test_ase_reads_amorph_energy_output_as_calculator_results(small, tmp_path):
    out = tmp_path / "e.extxyz"
    run_amorph("energy", SMALL, "-o", out, "-q")
    got = ase.io.read(out)
    ref = small.copy()
    ref.calc = AmorphCalculator()
    assert got.get_potential_energy() == ref.get_potential_energy()
    assert np.array_equal(got.get_potential_energies(), ref.get_potential_energies())
    assert np.array_equal(got.get_forces(), ref.get_forces())
    assert np.allclose(got.get_stress(), ref.get_stress(), rtol=0, atol=1e-15)
    frac = got.get_scaled_positions(wrap=False)
    assert frac.min() >= 0 and frac.max() < 1  # the box corner is at 0 for ASE
    # velocities in ASE's units
    assert np.allclose(got.get_velocities(), ref.get_velocities(), rtol=1e-13, atol=1e-18)


def test_ase_amorph_ase_through_files_keeps_everything(tmp_path):
    rng = np.random.default_rng(1)
    atoms = Atoms(symbols=["Cu", "Zr"] * 40, scaled_positions=rng.random((80, 3)),
                  cell=[[14.0, 0, 0], [2.0, 13.0, 0], [1.0, -1.5, 15.0]], pbc=True)
    atoms.set_velocities(rng.normal(scale=0.02, size=(80, 3)))
    ase.io.write(tmp_path / "in.extxyz", atoms)
    atoms = ase.io.read(tmp_path / "in.extxyz")  # ASE writes 8 decimals: what the file holds
    conf = amorph.read(tmp_path / "in.extxyz", min_distance=-1)
    amorph.write(tmp_path / "out.extxyz", conf)
    back = ase.io.read(tmp_path / "out.extxyz")
    assert back.get_chemical_symbols() == atoms.get_chemical_symbols()
    assert np.array_equal(back.cell.array, atoms.cell.array)
    assert np.array_equal(back.positions, atoms.positions)
    assert np.allclose(back.get_velocities(), atoms.get_velocities(), rtol=1e-13, atol=1e-18)
    assert np.array_equal(back.get_masses(), atoms.get_masses())


def test_descriptor_names_have_no_dots(small, tmp_path):
    out = tmp_path / "d.extxyz"
    run_amorph("describe", SMALL, "-o", out, "-q", "--s2-cutoffs", "4.5,6")
    _, cols = amorph.read_table(out)
    assert "s2_rc4p5" in cols and not any("." in name for name in cols)
