"""Statistics against numpy computations of the same definitions."""
import numpy as np
import pytest

import amorph


def test_pearson_and_spearman_equal_numpy():
    rng = np.random.default_rng(11)
    x = rng.normal(size=500)
    y = 0.6 * x + rng.normal(size=500)
    assert amorph.pearson(x, y) == pytest.approx(np.corrcoef(x, y)[0, 1], abs=1e-14)
    rx, ry = np.argsort(np.argsort(x)), np.argsort(np.argsort(y))
    assert amorph.spearman(x, y) == pytest.approx(np.corrcoef(rx, ry)[0, 1], abs=1e-14)


def test_correlate_intervals_hold_the_estimates():
    rng = np.random.default_rng(5)
    x = rng.normal(size=2000)
    y = x + 2 * rng.normal(size=2000)
    c = amorph.correlate(x, y, group=100, nboot=300)
    assert c["ngroups"] == 20
    assert c["pearson_lo"] < c["pearson"] < c["pearson_hi"]
    assert c["r_cg_lo"] < c["r_cg"] < c["r_cg_hi"]
    xm, ym = amorph.coarse_grain(x, y, group=100)
    assert c["r_cg"] == pytest.approx(np.corrcoef(xm, ym)[0, 1], abs=1e-12)
    order = np.argsort(x, kind="stable")
    assert xm[0] == pytest.approx(x[order[:100]].mean(), abs=1e-12)


def _brute_pairs(atoms, radius):
    """Every (i, j, image) with |r_ij| < radius, j ≠ i or a non-zero image."""
    d = atoms.positions[None, :, :] - atoms.positions[:, None, :]
    cell = atoms.cell.array
    out = []
    for a in (-1, 0, 1):
        for b in (-1, 0, 1):
            for c in (-1, 0, 1):
                shift = a * cell[0] + b * cell[1] + c * cell[2]
                r = np.linalg.norm(d + shift, axis=2)
                out.append(r)
    return np.stack(out)  # (27, n, n)


def test_neighbor_average_equals_a_brute_force_sum(small):
    rng = np.random.default_rng(2)
    a = rng.normal(size=len(small))
    got = amorph.neighbor_average(small, a, 4.0)
    r = _brute_pairs(small, 4.0)
    inside = (r < 4.0).sum(axis=0)  # counts per (i, j) over images, i itself at r = 0
    want = (inside * a[None, :]).sum(axis=1) / inside.sum(axis=1)
    assert np.abs(got - want).max() < 1e-12


def test_autocorrelation_equals_a_brute_force_sum(small):
    rng = np.random.default_rng(4)
    a = rng.normal(size=len(small))
    res = amorph.autocorrelation(small, a, rmax=6.0, dr=0.5, nshuffle=2, blocks=0)
    da = a - a.mean()
    var = (da ** 2).mean()
    r = _brute_pairs(small, 6.0)
    prod = da[:, None] * da[None, :]
    for b in (5, 8, 11):
        lo, hi = b * 0.5, (b + 1) * 0.5
        m = (r >= lo) & (r < hi)
        want = (prod[None] * m).sum() / m.sum() / var
        assert res["c"][b] == pytest.approx(want, abs=1e-12)
        assert res["pairs"][b] == m.sum() // 2


def test_autocorrelations_share_pairs_and_equal_single_calls(small):
    rng = np.random.default_rng(5)
    n = len(small)
    qs = [rng.normal(size=n), rng.normal(size=n) ** 2, rng.normal(size=(n, 3))]
    sel = np.arange(n) % 4 != 0
    for select in (None, sel):
        many = amorph.autocorrelations(small, qs, rmax=7.0, dr=0.25, select=select, nshuffle=4, blocks=2)
        assert len(many) == 3
        for q, got in zip(qs, many):
            one = amorph.autocorrelation(small, q, rmax=7.0, dr=0.25, select=select, nshuffle=4, blocks=2)
            np.testing.assert_array_equal(got["c"], one["c"])
            np.testing.assert_array_equal(got["noise"], one["noise"])
            np.testing.assert_array_equal(got["pairs"], one["pairs"])
        assert not np.array_equal(many[0]["c"], many[1]["c"], equal_nan=True)
    with pytest.raises(ValueError):
        amorph.autocorrelations(small, [qs[0], qs[0][:-1]], rmax=7.0)


def test_correlation_length_of_an_uncorrelated_field_is_none(small):
    rng = np.random.default_rng(9)
    res = amorph.autocorrelation(small, rng.normal(size=len(small)), rmax=8.0, dr=0.2)
    xi = amorph.correlation_length(res, rmin=amorph.first_shell(small), nboot=50)
    assert not xi["supported"] and np.isnan(xi["xi"])


def test_viscosity_map_is_the_papers_formula():
    ea = np.array([0.2, 1.0, 2.5])
    want = np.log10(1e-4) + ea / (8.617343e-5 * 300 * np.log(10))
    assert np.allclose(amorph.log10_viscosity(ea), want, rtol=1e-14)


def test_wrong_lengths_are_value_errors(small):
    with pytest.raises(ValueError):
        amorph.neighbor_average(small, np.zeros(3), 4.0)
    with pytest.raises(amorph.AmorphError):
        amorph.pearson(np.ones(10), np.arange(10.0))
