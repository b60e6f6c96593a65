"""Structure–property statistics (amorph/analysis.h). Inputs are arrays of
n values in the atoms' order; `select` is an optional per-atom boolean mask
(e.g. atoms.symbols == 'Cu')."""
import numpy as np

from ._arrays import doubles, fields, ptr, real_vector, selection
from ._lib import check, ffi, lib
from ._system import as_system


def _pair(x, y):
    x = np.ascontiguousarray(x, dtype=np.float64).reshape(-1)
    return x, real_vector(y, len(x), "y")


def pearson(x, y):
    x, y = _pair(x, y)
    r = ffi.new("double *")
    check(lib.am_pearson(len(x), ptr(x), ptr(y), r))
    return r[0]


def spearman(x, y):
    x, y = _pair(x, y)
    r = ffi.new("double *")
    check(lib.am_spearman(len(x), ptr(x), ptr(y), r))
    return r[0]


def correlate(x, y, group=100, nboot=1000, level=0.95, seed=1):
    """Pearson r, Spearman ρ and the paper's coarse-grained r (groups of
    `group` atoms sorted by x), each with its percentile bootstrap interval:
    a dict of am_corr's fields (pearson, pearson_lo, ..., r_cg, r_cg_lo,
    r_cg_hi, ngroups)."""
    x, y = _pair(x, y)
    o = ffi.new("am_corr_options *")
    lib.am_corr_defaults(o)
    o.group, o.nboot, o.level, o.seed = group, nboot, level, seed
    out = ffi.new("am_corr *")
    check(lib.am_correlate(len(x), ptr(x), ptr(y), o, out))
    return fields(out)


def coarse_grain(x, y, group=100):
    """The paper's group means: (x means, y means) of the atoms sorted by x."""
    x, y = _pair(x, y)
    m = max(1, len(x) // group)
    xm, ym = np.empty(m), np.empty(m)
    ng = ffi.new("size_t *")
    check(lib.am_coarse_grain(len(x), ptr(x), ptr(y), group, ng, ptr(xm), ptr(ym)))
    return xm[:ng[0]], ym[:ng[0]]


def _autocorr_options(nshuffle, blocks, seed):
    o = ffi.new("am_autocorr_options *")
    lib.am_autocorr_defaults(o)
    o.nshuffle, o.blocks, o.seed = nshuffle, blocks, seed
    return o


def _quantity(values, n):
    a = np.ascontiguousarray(values, dtype=np.float64)
    if a.ndim not in (1, 2) or a.shape[0] != n:
        raise ValueError("values: expected %d rows (one per atom), got shape %s" % (n, a.shape))
    return a, 1 if a.ndim == 1 else a.shape[1]


def _autocorr_result(out):
    c = ffi.gc(out[0], lib.am_autocorr_free)
    nb = c.nbins
    res = {"r": doubles(c.r, nb), "c": doubles(c.c, nb),
           "pairs": np.frombuffer(ffi.buffer(c.pairs, ffi.sizeof("size_t") * nb), dtype=np.uintp).copy(),
           "corr": c}
    if c.noise != ffi.NULL:
        res["noise"] = doubles(c.noise, nb)
    return res


def autocorrelation(atoms, values, rmax=20.0, dr=0.1, select=None, nshuffle=20, blocks=3, seed=1):
    """Spatial autocorrelation C(r) of a per-atom quantity (the paper's Eq.
    4; values (n,) or (n, k), components averaged): {'r', 'c', 'pairs',
    'noise' (the shuffled fields' standard deviation), 'corr'} where 'corr'
    is the am_autocorr object for correlation_length."""
    s = as_system(atoms)
    a, ncomp = _quantity(values, s.n)
    keep, sel = selection(select, s.n)
    out = ffi.new("am_autocorr **")
    check(lib.am_autocorr_compute_ex(s._ptr, ptr(a), ncomp, sel, rmax, dr, _autocorr_options(nshuffle, blocks, seed),
                                     out))
    return _autocorr_result(out)


def autocorrelations(atoms, quantities, rmax=20.0, dr=0.1, select=None, nshuffle=20, blocks=3, seed=1):
    """autocorrelation() of several quantities on the same atoms, a list of
    results in their order, each the same as its own autocorrelation() call:
    the neighbour list to rmax and the pairs' bins are built once for all of
    them (am_autocorr_pairs_create), which is most of the cost of each."""
    s = as_system(atoms)
    arrays = [_quantity(v, s.n) for v in quantities]
    keep, sel = selection(select, s.n)
    pp = ffi.new("am_autocorr_pairs **")
    check(lib.am_autocorr_pairs_create(s._ptr, sel, rmax, dr, _autocorr_options(nshuffle, blocks, seed), pp))
    pairs = ffi.gc(pp[0], lib.am_autocorr_pairs_free)
    results = []
    for a, ncomp in arrays:
        out = ffi.new("am_autocorr **")
        check(lib.am_autocorr_compute_pairs(pairs, ptr(a), ncomp, out))
        results.append(_autocorr_result(out))
    return results


def correlation_length(autocorr, rmin, rmax=0.0, nboot=200, seed=1):
    """A correlation length the data support, or the statement that they
    support none (am_corrlength_estimate): a dict with 'supported', 'xi',
    'xi_lo', 'xi_hi' (Å), 'c0', 'offset', the fitted range and bins."""
    out = ffi.new("am_corrlength *")
    check(lib.am_corrlength_estimate(autocorr["corr"], rmin, rmax, nboot, seed, out))
    d = fields(out)
    d["supported"] = bool(d["supported"])
    return d


def first_shell(atoms, select=None, rmax=8.0, dr=0.02):
    """End of the first coordination shell (first minimum of g(r)), Å."""
    s = as_system(atoms)
    keep, sel = selection(select, s.n)
    r = ffi.new("double *")
    check(lib.am_first_shell(s._ptr, sel, rmax, dr, r))
    return r[0]


def neighbor_average(atoms, values, radius, select=None):
    """Mean of values over the selected atoms within radius Å of each atom
    (n values; NaN where none)."""
    s = as_system(atoms)
    a = real_vector(values, s.n, "values")
    keep, sel = selection(select, s.n)
    out = np.empty(s.n)
    check(lib.am_neighbor_average(s._ptr, ptr(a), sel, radius, ptr(out)))
    return out


def log10_viscosity(ea, eta0=1e-4, temperature=300.0, units="metal"):
    """log10(η_i / Pa·s) = log10 η0 + Ea,i / (kB T ln 10) (the paper's map);
    Ea and T in the LAMMPS unit style `units` ("metal": eV, K; "lj": ε, ε/k_B,
    η then in ε·τ/σ³)."""
    u = lib.am_units_of(units.encode())
    if u == ffi.NULL:
        raise ValueError("units must be metal or lj, got %r" % (units,))
    ea = np.ascontiguousarray(ea, dtype=np.float64).reshape(-1)
    out = np.empty(len(ea))
    lib.am_log10_viscosity(len(ea), ptr(ea), eta0, u, temperature, ptr(out))
    return out
