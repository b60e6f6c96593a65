"""Configurations between amorph, ASE and files."""
import numpy as np
import pytest
from ase import Atoms

import amorph
from conftest import GLASS, SMALL


def test_read_gives_the_files_atoms(glass):
    s = amorph.read_system(GLASS)
    assert len(glass) == s.n == 2000
    assert np.array_equal(glass.positions, s.positions)
    assert np.array_equal(glass.arrays["id"], s.ids)
    assert glass.get_chemical_symbols().count("Cu") == 1000
    assert np.allclose(glass.cell.lengths(), [32.68009853485522, 32.77568541175424, 32.55500784402323], rtol=0,
                       atol=1e-12)


@pytest.mark.parametrize("ext", ["data", "xyz", "dump"])
def test_amorph_ase_amorph_round_trip_is_exact(small, tmp_path, ext):
    path = tmp_path / ("rt." + ext)
    amorph.write(path, small)
    back = amorph.read(path, species="Cu,Zr" if ext == "dump" else None)
    assert np.array_equal(back.positions, small.positions)
    assert np.array_equal(back.cell.array, small.cell.array)
    assert np.array_equal(back.arrays["id"], small.arrays["id"])
    assert back.get_chemical_symbols() == small.get_chemical_symbols()
    assert np.array_equal(back.info["amorph_origin"], small.info["amorph_origin"])


def test_ase_atoms_pass_through_amorph_unchanged():
    """An ASE-built triclinic cell with velocities and custom ids."""
    rng = np.random.default_rng(7)
    cell = [[12.0, 0.0, 0.0], [1.5, 11.0, 0.0], [-0.7, 0.9, 13.0]]
    frac = rng.random((60, 3))
    atoms = Atoms(symbols=["Zr", "Cu"] * 30, scaled_positions=frac, cell=cell, pbc=True)
    atoms.set_velocities(rng.normal(size=(60, 3)) * 0.01)
    atoms.arrays["id"] = np.arange(60) * 3 + 5
    s = amorph.System.from_atoms(atoms)
    assert s.species == ["Cu", "Zr"]  # by atomic number
    back = s.to_atoms()
    assert np.array_equal(back.positions, atoms.positions)
    assert np.array_equal(back.cell.array, atoms.cell.array)
    assert np.allclose(back.get_velocities(), atoms.get_velocities(), rtol=1e-14, atol=0)
    assert np.array_equal(back.get_masses(), atoms.get_masses())
    assert np.array_equal(back.arrays["id"], atoms.arrays["id"])


def test_velocities_are_converted_to_angstrom_per_ps():
    from ase import units
    atoms = Atoms("Cu2", positions=[[0, 0, 0], [1.3, 1.3, 1.3]], cell=[5, 5, 5], pbc=True)
    atoms.set_velocities([[1.0, 0, 0], [0, 0, 0]])  # Å per ASE time unit
    s = amorph.System.from_atoms(atoms)
    assert s.velocities[0, 0] == pytest.approx(1000 * units.fs)


def test_a_bad_file_raises_amorph_error_with_file_and_line(tmp_path):
    bad = tmp_path / "bad.data"
    text = open(SMALL).read().replace("432 atoms", "431 atoms", 1)
    bad.write_text(text)
    with pytest.raises(amorph.AmorphError) as e:
        amorph.read(bad)
    assert e.value.status in ("parse error", "value error")
    assert "bad.data:" in str(e.value)


def test_tables_keep_their_columns(small, tmp_path):
    path = tmp_path / "t.extxyz"
    v = np.arange(len(small), dtype=float) * 0.5
    vec = np.column_stack([v, -v, 2 * v])
    amorph.write_table(path, small, {"value": v, "vec": vec})
    atoms, cols = amorph.read_table(path)
    assert np.array_equal(cols["value"], v)
    assert np.array_equal(cols["vec"], vec)
    assert np.array_equal(atoms.positions, small.positions)
