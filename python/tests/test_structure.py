"""Descriptors from Python equal the program's, and check themselves."""
import numpy as np
import pytest

import amorph
from conftest import SMALL, run_amorph


def test_voronoi_cells_tile_the_box(small):
    v = amorph.voronoi(small)
    assert v["volume"].sum() == pytest.approx(small.get_volume(), rel=1e-10)
    assert (v["cn"] == v["index"].sum(axis=1)).all()
    assert np.allclose(v["l5fs"], v["index"][:, 2] / v["cn"])


def test_descriptors_equal_amorph_describe(small, tmp_path):
    out = tmp_path / "d.extxyz"
    run_amorph("describe", SMALL, "-o", out, "-q", "--s2-cutoffs", "5")
    _, cols = amorph.read_table(out)
    v = amorph.voronoi(small)
    assert np.array_equal(v["volume"], cols["voro_vol"])
    assert np.array_equal(v["cn"], cols["cn"])
    q = amorph.steinhardt(small, ls=(4, 6))
    assert np.array_equal(q[:, 1], cols["q6"])
    s2 = amorph.s2(small, cutoffs=[5.0])
    name = [k for k in cols if k.startswith("s2_rc5")]
    assert len(name) == 1 and np.array_equal(s2[:, 0], cols[name[0]])


def test_steinhardt_of_a_perfect_fcc_crystal():
    """q4 = 0.19094, q6 = 0.57452 for fcc with its 12 nearest neighbours."""
    from ase.build import bulk
    atoms = bulk("Cu", "fcc", a=3.6, cubic=True).repeat(3)
    q = amorph.steinhardt(atoms, ls=(4, 6), neighbors="nearest", nearest=12, cutoff=3.0)
    assert np.allclose(q[:, 0], 0.190941, atol=1e-6)
    assert np.allclose(q[:, 1], 0.574524, atol=1e-6)


def test_radical_voronoi_weighted_q_and_acsf_equal_amorph_describe(small, tmp_path):
    """The radical cells (auto radii: Cu 1.28, Zr 1.58 Å), face-weighted q6
    and the symmetry functions are the program's columns."""
    out = tmp_path / "r.extxyz"
    run_amorph("describe", SMALL, "-o", out, "-q", "--voronoi", "--steinhardt", "--acsf", "--voronoi-radii", "auto",
               "--q-neighbors", "voronoi-weighted")
    _, cols = amorph.read_table(out)
    v = amorph.voronoi(small, radii="auto")
    assert np.array_equal(v["volume"], cols["voro_vol"])
    assert np.array_equal(amorph.voronoi(small, radii={"Cu": 1.28, "Zr": 1.58})["volume"], v["volume"])
    assert v["volume"].sum() == pytest.approx(small.get_volume(), rel=1e-10)
    q = amorph.steinhardt(small, ls=(6,), neighbors="voronoi-weighted", radii="auto")
    assert np.array_equal(q[:, 0], cols["q6"])
    g = amorph.acsf(small)
    assert g.shape == (len(small), 26)
    assert np.array_equal(g[:, 3], cols["g2_Zr_eta4p0_rs3p0"])
    assert np.array_equal(g[:, 14 + 2 * 3 + 1], cols["g4_Cu_Zr_eta0p05_zeta4p0_lambda1"])
    one = amorph.acsf(small, cutoff=5.0, g2=[(1.0, 2.5)], g4=[])
    assert one.shape == (len(small), 2)
    ints = amorph.interstices(small, radii="auto", radical=True)
    run_amorph("describe", SMALL, "-o", out, "-q", "--interstices", "--voronoi-radii", "auto")
    _, cols = amorph.read_table(out)
    assert ints.shape == (len(small), 12)
    assert np.array_equal(ints[:, 8], cols["interstice_vol_mean"])
    assert np.array_equal(ints[:, 2], cols["interstice_dist_min"])
