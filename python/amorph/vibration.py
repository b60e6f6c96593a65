"""Harmonic vibrations and the vibrational MSD (amorph/vibration.h)."""
import numpy as np

from ._arrays import doubles, ptr, set_fields
from ._lib import check, ffi, lib
from ._system import as_system
from .potential import as_potential
from .structure import _voronoi


def _hessian(s, potential):
    p = as_potential(potential)
    out = ffi.new("am_hessian **")
    check(lib.am_hessian_create(p._ptr, s._ptr, out))
    return ffi.gc(out[0], lib.am_hessian_free)


def hessian(atoms, potential="mendelev2009"):
    """The analytic EAM Hessian as a dense (3n, 3n) matrix, eV/Å², atom-major
    (x0 y0 z0 x1 ...): for small systems."""
    s = as_system(atoms)
    h = _hessian(s, potential)
    n = s.n
    out = np.empty((3 * n, 3 * n))
    check(lib.am_hessian_dense(h, ptr(out)))
    if s.rotation is not None:
        q = np.kron(np.eye(n), s.rotation)
        out = q @ out @ q.T
    return out


def modes(atoms, potential="mendelev2009", nmodes=10, masses=True, sparse=None, sigma=-1e-4, vectors=True,
          factor="single"):
    """The lowest nmodes normal modes: {'eigenvalues' (eV/(Å² amu), or eV/Å²
    with masses=False), 'frequencies' (THz, negative for imaginary ones; per τ
    for a potential in lj units),
    'vectors' (nmodes, n, 3), each normalised over all atoms}. Dense LAPACK
    up to 3000 atoms, shift-invert Lanczos (shift sigma) above, unless
    sparse says which. factor: the sparse solver's factorisation, "single"
    (half the memory, solves refined against the exact matrix; double where
    a trial solve shows it too coarse) or "double"; the result's 'factor'
    says which was used ("double" for the dense solver)."""
    if factor not in ("single", "double"):
        raise ValueError(f"factor must be 'single' or 'double', not {factor!r}")
    s = as_system(atoms)
    p = as_potential(potential)
    h = _hessian(s, p)
    units = lib.am_units_of(lib.am_potential_units(p._ptr))
    n = s.n
    mass = None
    if masses:
        mass = np.empty(n)
        lib.am_system_masses(s._ptr, ptr(mass))
    mp = ptr(mass) if mass is not None else ffi.NULL
    out = ffi.new("am_modes **")
    if sparse is None:
        sparse = n > 3000
    if sparse:
        prec = lib.AM_FACTOR_DOUBLE if factor == "double" else lib.AM_FACTOR_SINGLE
        check(lib.am_modes_sparse_ex(h, mp, nmodes, sigma, prec, out))
    else:
        check(lib.am_modes_dense(h, mp, nmodes, 1 if vectors else 0, out))
    m = ffi.gc(out[0], lib.am_modes_free)
    lam = doubles(getattr(m, "lambda"), m.nmodes)  # a Python keyword
    # per time unit of the potential's units: THz (per ps) in metal, per τ in lj
    nu = np.array([lib.am_units_frequency(units, x) for x in lam])
    result = {"eigenvalues": lam, "frequencies": nu, "_modes": m, "_mass": mass, "_units": units,
              # the sparse solver's factorisation as used (single may fall back to double)
              "factor": "double" if m.factor == lib.AM_FACTOR_DOUBLE else "single"}
    if m.vec != ffi.NULL:
        vec = doubles(m.vec, m.nmodes * 3 * n).reshape(m.nmodes, n, 3)
        result["vectors"] = vec if s.rotation is None else vec @ s.rotation.T
    return result


def participation(mode_result, first=0, count=None):
    """p_i = Σ over modes [first, first+count) of |e_ω^i|² (n values)."""
    m = mode_result["_modes"]
    count = m.nmodes - first if count is None else count
    p = np.empty(m.n)
    check(lib.am_modes_participation(m, first, count, ptr(p)))
    return p


def vmsd_harmonic(mode_result, temperature=300.0, first=3):
    """The harmonic vibrational MSD from modes computed with masses, Å²
    (n values), over modes [first, nmodes)."""
    m, mass = mode_result["_modes"], mode_result["_mass"]
    if mass is None:
        raise ValueError("vmsd_harmonic needs modes computed with masses=True")
    d2 = np.empty(m.n)
    check(lib.am_vmsd_harmonic(m, ptr(mass), mode_result["_units"], temperature, first, ptr(d2)))
    return d2


_ENSEMBLES = {"nvt": "AM_NVT", "npt": "AM_NPT"}
_BAROSTATS = {"iso": "AM_BARO_ISO", "aniso": "AM_BARO_ANISO"}


def vmsd(atoms, potential="mendelev2009", temperature=300.0, seed=1, checkpoint=None, ensemble="nvt",
         barostat="iso", **options):
    """Vibrational mean-square displacement about an inherent structure by
    NVT or NPT MD (ensemble "nvt" or "npt", barostat "iso" or "aniso"):
    {'d2' (n, 4): Δr², Δx², Δy², Δz² in Å², 'd2_mean' (n, 4) about the
    time-averaged positions, 'hopped' (n,) bool, 't_mean' K, 'v_mean' Å³,
    'samples'}. Options: the fields of am_vmsd_options (equilibrate, time
    ps, dt, tdamp, every, nquench, hop, checkpoint_every, pressure bar,
    pdamp ps), defaults as `amorph vibrate`."""
    if ensemble not in _ENSEMBLES or barostat not in _BAROSTATS:
        raise ValueError("ensemble must be nvt or npt and barostat iso or aniso, got %r and %r" % (ensemble, barostat))
    s = as_system(atoms)
    p = as_potential(potential)
    o = ffi.new("am_vmsd_options *")
    lib.am_vmsd_defaults_units(o, lib.am_units_of(lib.am_potential_units(p._ptr)))
    o.temperature = temperature
    o.seed = seed
    o.ensemble = getattr(lib, _ENSEMBLES[ensemble])
    o.barostat = getattr(lib, _BAROSTATS[barostat])
    keep = None
    if checkpoint is not None:
        keep = ffi.new("char[]", str(checkpoint).encode())
        o.checkpoint = keep
    set_fields(o, options, "vmsd")
    n = s.n
    d2, d2m, hop = np.empty(4 * n), np.empty(4 * n), np.zeros(n, dtype=np.int32)
    r = ffi.new("am_vmsd_result *")
    r.d2, r.d2mean, r.hopped = ptr(d2), ptr(d2m), ptr(hop, "int *")
    check(lib.am_vmsd(p._ptr, s._ptr, o, r))
    del keep
    d2, d2m = d2.reshape(n, 4), d2m.reshape(n, 4)
    if s.rotation is not None:
        d2, d2m = _rotate_components(d2, s), _rotate_components(d2m, s)
    return {"d2": d2, "d2_mean": d2m, "hopped": hop.astype(bool), "t_mean": r.t_mean, "v_mean": r.v_mean,
            "samples": r.samples}


def _rotate_components(d2, s):
    # Per-axis MSDs are diagonal entries of a tensor the run did not keep:
    # in a rotated frame they are not defined from these alone.
    out = d2.copy()
    out[:, 1:] = np.nan
    return out


def flexibility_volume(atoms, d2):
    """v_i = Ω_i Δr_i² / a_i² (Å³), from Δr² (n values, Å²) and the Voronoi
    cells (SPEC §3)."""
    s = as_system(atoms)
    vor = _voronoi(s)
    d = np.ascontiguousarray(d2, dtype=np.float64)
    out = np.empty(s.n)
    check(lib.am_flexibility_volume(s._ptr, vor, ptr(d), 1, ptr(out)))
    return out
