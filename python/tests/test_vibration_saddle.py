"""Modes, vMSD, minimisation and saddle searches, each checked by an
independent computation."""
import numpy as np
import pytest

import amorph
from amorph import AmorphCalculator
from conftest import run_amorph


def test_modes_are_the_eigenpairs_of_the_mass_weighted_hessian(relaxed):
    h = amorph.hessian(relaxed)
    m = np.repeat(relaxed.get_masses(), 3)
    d = h / np.sqrt(np.outer(m, m))
    want = np.linalg.eigvalsh(d)[:8]
    got = amorph.modes(relaxed, nmodes=8)
    assert np.allclose(got["eigenvalues"], want, rtol=1e-8, atol=1e-10)
    assert np.abs(got["eigenvalues"][:3]).max() < 1e-6  # translations
    v = got["vectors"][5].reshape(-1)
    assert np.linalg.norm(d @ v - got["eigenvalues"][5] * v) < 1e-8


def test_sparse_modes_in_either_precision_equal_dense(relaxed):
    dense = amorph.modes(relaxed, nmodes=12, sparse=False)
    p_dense = amorph.participation(dense, first=3)
    for factor in ("single", "double"):
        got = amorph.modes(relaxed, nmodes=12, sparse=True, factor=factor)
        assert got["factor"] == factor
        assert np.allclose(got["eigenvalues"][3:], dense["eigenvalues"][3:], rtol=1e-10, atol=0)
        assert np.abs(amorph.participation(got, first=3) - p_dense).max() < 1e-10
    with pytest.raises(ValueError):
        amorph.modes(relaxed, nmodes=12, sparse=True, factor="half")


def test_the_hessian_is_the_derivative_of_the_forces(relaxed):
    h = amorph.hessian(relaxed)
    atoms = relaxed.copy()
    step = 1e-5
    col = []
    for sign in (1, -1):
        a = atoms.copy()
        a.positions[10, 1] += sign * step
        a.calc = AmorphCalculator()
        col.append(-a.get_forces().reshape(-1))
    fd = (col[0] - col[1]) / (2 * step)
    # cubic-spline tables: central differences of forces agree to ~3e-5 eV/Å²
    assert np.abs(h[:, 31] - fd).max() < 1e-4


def test_vmsd_equals_amorph_vibrate(relaxed, tmp_path):
    """The same run through the library and the program (the physics,
    against the harmonic prediction, is tests/test_vmsd.c's)."""
    conf, out = tmp_path / "relaxed.data", tmp_path / "v.extxyz"
    amorph.write(conf, relaxed)
    run_amorph("vibrate", conf, "-T", 50, "--time", 2, "--equilibrate", 1, "--seed", 3, "-o", out, "-q")
    _, cols = amorph.read_table(out)
    # the file's atoms: wrapped into the box, as the program sees them
    got = amorph.vmsd(amorph.read(conf), temperature=50, time=2.0, equilibrate=1.0, seed=3)
    assert np.array_equal(got["d2"], cols["vmsd_50K"])
    assert np.array_equal(got["hopped"], cols["hopped_50K"] != 0)
    assert got["d2"][:, 0] == pytest.approx(got["d2"][:, 1:].sum(axis=1), rel=1e-12)
    assert got["t_mean"] == pytest.approx(50, rel=0.15)


def test_harmonic_vmsd_is_equipartition_over_the_modes(relaxed):
    m = amorph.modes(relaxed, nmodes=3 * len(relaxed))
    d2 = amorph.vmsd_harmonic(m, temperature=50)
    mass = relaxed.get_masses()
    e = m["vectors"][3:]
    want = 8.617343e-5 * 50 * ((e ** 2).sum(axis=2) / m["eigenvalues"][3:, None]).sum(axis=0) / mass
    assert np.allclose(d2, want, rtol=1e-6)


def test_minimize_reaches_the_force_tolerance(relaxed):
    atoms = relaxed.copy()
    atoms.positions[3] += [0.2, -0.1, 0.1]
    relaxed, r = amorph.minimize(atoms, ftol=1e-6)
    assert r["converged"] and r["fmax"] < 1e-6
    relaxed.calc = AmorphCalculator()
    assert np.linalg.norm(relaxed.get_forces(), axis=1).max() < 1e-6
    assert relaxed.get_potential_energy() == pytest.approx(r["energy"], rel=1e-12)


def test_a_saddle_search_ends_at_a_first_order_saddle(relaxed):
    r = amorph.saddle_search(relaxed, center=3, seed=2, local_radius=0, refine_radius=0)
    assert r["outcome"] == "ok" and r["ok"]
    sad = relaxed.copy()
    sad.positions = r["saddle"]
    sad.calc = AmorphCalculator()
    e0 = relaxed.copy()
    e0.calc = AmorphCalculator()
    # the barrier is the energy difference the calculator sees
    assert r["ea"] == pytest.approx(sad.get_potential_energy() - e0.get_potential_energy(), abs=1e-8)
    assert 0 < r["ea"] < 5
    assert np.linalg.norm(sad.get_forces(), axis=1).max() < 0.05 + 1e-9
    lam, mode, _ = amorph.lowest_mode(sad, seed=1)
    assert lam < 0
    again = amorph.saddle_search(relaxed, center=3, seed=2, local_radius=0, refine_radius=0)
    assert again["ea"] == r["ea"]


def test_failed_tries_are_restarted_and_reported(relaxed):
    # one basin step cannot leave the basin: every try fails, and each is kept
    r = amorph.saddle_search(relaxed, center=3, seed=2, max_basin_steps=1, restarts=3)
    assert r["outcome"] == "basin step limit" and r["restarts"] == 3
    assert r["restart_outcomes"] == ["basin step limit"] * 3
    assert r["restart_calls"] < r["force_calls"]
    paper = amorph.saddle_search(relaxed, center=3, seed=2, preset="paper", max_basin_steps=1)
    assert paper["restarts"] == 0 and paper["restart_outcomes"] == []


def test_unknown_saddle_options_are_named():
    with pytest.raises(TypeError, match="push_nrom"):
        amorph.saddle_options(push_nrom=0.1)
