"""Saddle points: ARTn searches and the lowest Hessian mode (amorph/saddle.h)."""
import numpy as np

from ._arrays import fields, ptr, set_fields
from ._lib import check, ffi, lib
from ._system import as_system
from .potential import Engine


def saddle_options(preset="default", **options):
    """The options of a search as a dict: preset "default" (the validated
    protocol of docs/saddle.md) or "paper" (SPEC §4 exactly), overridden by
    the fields of am_saddle_options (include/amorph/saddle.h), e.g.
    push_norm=0.1, local_radius=0, lanczos={'max_vectors': 16}."""
    o = ffi.new("am_saddle_options *")
    {"default": lib.am_saddle_defaults, "paper": lib.am_saddle_paper}[preset](o)
    set_fields(o, options, "saddle")
    return o


def saddle_search(atoms, center, potential="mendelev2009", preset="default", seed=None, skin=1.0, push=None,
                  **options):
    """One ARTn search started at atom index `center` (0-based) of a
    configuration at a minimum. Returns a dict: 'outcome' (e.g. "ok",
    "not connected"), 'ok', 'ea' (eV), the energies, eigenvalue, force
    calls and displacements of am_saddle_result, 'restart_outcomes' (how
    each failed try that was restarted ended), and 'saddle' and 'final'
    positions ((n, 3) Å; None when not reached). Deterministic for a seed
    (None: am_saddle_defaults's, as examples/saddle.c uses)."""
    s = as_system(atoms).copy()
    n = s.n
    if not 0 <= center < n:
        raise ValueError("center: expected an atom index in 0..%d, got %d" % (n - 1, center))
    e = Engine(potential, s, skin)
    o = saddle_options(preset, **options)
    if seed is not None:
        o.seed = seed
    sad, fin = np.full((n, 3), np.nan), np.full((n, 3), np.nan)
    r = ffi.new("am_saddle_result *")
    r.saddle_xyz, r.final_xyz = ptr(sad), ptr(fin)
    pp, keep = ffi.NULL, None
    if push is not None:
        keep = np.ascontiguousarray(push, dtype=np.float64).reshape(n, 3)
        if s.rotation is not None:
            keep = np.ascontiguousarray(keep @ s.rotation)
        pp = ptr(keep)
    check(lib.am_saddle_search(e._ptr, s._ptr, o, center, pp, r))
    out = fields(r)
    out["outcome"] = ffi.string(lib.am_saddle_outcome_name(r.outcome)).decode()
    out["ok"] = r.outcome == 0
    out["restart_outcomes"] = [ffi.string(lib.am_saddle_outcome_name(r.restart_outcome[k])).decode()
                               for k in range(r.restarts)]
    out["saddle"] = s.vector_out(sad) if np.isfinite(sad).all() else None
    out["final"] = s.vector_out(fin) if np.isfinite(fin).all() else None
    return out


def lowest_mode(atoms, potential="mendelev2009", seed=1, skin=1.0, **lanczos):
    """Lanczos estimate of the lowest Hessian eigenpair (unit masses):
    (eigenvalue eV/Å², (n, 3) unit vector, force calls)."""
    s = as_system(atoms).copy()
    e = Engine(potential, s, skin)
    o = ffi.new("am_lanczos_options *")
    lib.am_lanczos_defaults(o)
    o.seed = seed
    set_fields(o, lanczos, "lanczos")
    mode = np.empty((s.n, 3))
    lam, calls = ffi.new("double *"), ffi.new("long *")
    check(lib.am_lowest_mode(e._ptr, s._ptr, o, ffi.NULL, lam, ptr(mode), calls))
    return lam[0], s.vector_out(mode), calls[0]
