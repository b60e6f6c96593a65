"""The ASE calculator against `amorph energy` (bit for bit) and against
finite differences of its own energy (stress, forces)."""
import numpy as np
import pytest

import amorph
from amorph import AmorphCalculator
from conftest import GLASS, SMALL, amorph_json, run_amorph


def test_energy_and_forces_equal_the_program_bit_for_bit(glass, tmp_path):
    atoms = glass.copy()
    atoms.calc = AmorphCalculator()
    out = tmp_path / "e.extxyz"
    ref = amorph_json("energy", GLASS, "-o", out)
    assert atoms.get_potential_energy() == ref["energy"]
    _, cols = amorph.read_table(out)
    assert np.array_equal(atoms.get_forces(), cols["forces"])
    assert np.array_equal(atoms.get_potential_energies(), cols["energies"])
    assert atoms.get_potential_energy() == pytest.approx(-9821.005904913476, rel=1e-13)


def test_per_atom_energies_sum_to_the_energy(small):
    atoms = small.copy()
    atoms.calc = AmorphCalculator()
    assert atoms.get_potential_energies().sum() == pytest.approx(atoms.get_potential_energy(), rel=1e-12)


def test_stress_is_the_strain_derivative_of_the_energy(small):
    """σ_ab = (1/V) ∂E/∂ε_ab, central differences of homogeneous strains."""
    atoms = small.copy()
    atoms.calc = AmorphCalculator()
    stress = atoms.get_stress(voigt=False)
    v0 = atoms.get_volume()
    h = 1e-5
    for a, b in [(0, 0), (1, 1), (2, 2), (0, 1), (0, 2), (1, 2)]:
        e = []
        for sign in (1, -1):
            eps = np.zeros((3, 3))
            eps[a, b] = eps[b, a] = sign * h / (1 if a == b else 2)
            strained = atoms.copy()
            strained.set_cell(atoms.cell.array @ (np.eye(3) + eps), scale_atoms=True)
            strained.calc = AmorphCalculator()
            e.append(strained.get_potential_energy())
        deriv = (e[0] - e[1]) / (2 * h) / v0
        assert stress[a, b] == pytest.approx(deriv, abs=2e-8), (a, b)


def test_forces_are_the_gradient_of_the_energy(small):
    atoms = small.copy()
    atoms.calc = AmorphCalculator()
    f = atoms.get_forces()
    h = 1e-5
    for i, k in [(0, 0), (17, 1), (300, 2)]:
        e = []
        for sign in (1, -1):
            moved = atoms.copy()
            moved.positions[i, k] += sign * h
            moved.calc = AmorphCalculator()
            e.append(moved.get_potential_energy())
        assert f[i, k] == pytest.approx(-(e[0] - e[1]) / (2 * h), abs=1e-6)


def test_a_rotated_cell_gives_the_same_energy_and_rotated_forces(small):
    """An ASE cell not in LAMMPS form is mapped there and the forces back."""
    atoms = small.copy()
    atoms.calc = AmorphCalculator()
    e0, f0, s0 = atoms.get_potential_energy(), atoms.get_forces(), atoms.get_stress(voigt=False)
    q, _ = np.linalg.qr(np.array([[0.3, -1.2, 0.5], [0.8, 0.1, -0.4], [0.2, 0.7, 1.1]]))
    turned = atoms.copy()
    turned.set_cell(atoms.cell.array @ q)
    turned.positions = atoms.positions @ q
    turned.info.pop("amorph_origin", None)
    turned.calc = AmorphCalculator()
    assert turned.get_potential_energy() == pytest.approx(e0, rel=1e-12)
    assert np.abs(turned.get_forces() - f0 @ q).max() < 1e-9
    assert np.abs(turned.get_stress(voigt=False) - q.T @ s0 @ q).max() < 1e-11


def test_moving_atoms_reuses_the_engine_and_matches_a_fresh_one(small):
    atoms = small.copy()
    calc = AmorphCalculator()
    atoms.calc = calc
    atoms.get_potential_energy()
    engine = calc._engine
    rng = np.random.default_rng(3)
    atoms.positions += rng.normal(scale=0.05, size=atoms.positions.shape)
    e1, f1 = atoms.get_potential_energy(), atoms.get_forces()
    assert calc._engine is engine
    fresh = atoms.copy()
    fresh.calc = AmorphCalculator()
    # the kept neighbour list orders the sums differently: round-off only
    assert fresh.get_potential_energy() == pytest.approx(e1, rel=1e-13)
    assert np.abs(fresh.get_forces() - f1).max() < 1e-12


def test_an_ase_optimizer_relaxes_with_it(small):
    from ase.optimize import LBFGS
    atoms = small.copy()
    atoms.positions[5] += [0.3, 0.0, 0.0]
    atoms.calc = AmorphCalculator()
    e_pert = atoms.get_potential_energy()
    assert LBFGS(atoms, logfile=None).run(fmax=1e-3, steps=500)
    assert atoms.get_potential_energy() < e_pert - 0.05
    assert np.linalg.norm(atoms.get_forces(), axis=1).max() < 1e-3


def test_an_unknown_species_is_an_amorph_error(small):
    atoms = small.copy()
    atoms.symbols[0] = "Al"
    atoms.calc = AmorphCalculator()
    with pytest.raises(amorph.AmorphError) as e:
        atoms.get_potential_energy()
    assert "Al" in str(e.value)


def test_program_and_library_agree_on_the_small_glass(small):
    ref = amorph_json("energy", SMALL)
    atoms = small.copy()
    atoms.calc = AmorphCalculator()
    assert atoms.get_potential_energy() == ref["energy"]
    assert run_amorph("--version").strip().endswith(amorph.__version__)


def test_a_potential_in_other_units_is_refused():
    """The calculator speaks ASE's eV and Å: a Lennard-Jones potential is in reduced units."""
    p = amorph.Potential("kob-andersen")
    assert (p.kind, p.units, p.elements, p.cutoff) == ("lj/cut", "lj", ["A", "B"], 2.5)
    assert amorph.Potential("mendelev2009").units == "metal"
    with pytest.raises(ValueError, match="lj units"):
        AmorphCalculator("kob-andersen")
