"""Energy minimisation (amorph/minimize.h)."""
from ._arrays import set_fields
from ._lib import check, ffi, lib
from ._system import as_system
from .potential import Engine

_METHODS = {"cg": 0, "fire": 1, "lbfgs": 2}
_BOX = {None: 0, False: 0, "fixed": 0, "iso": 1, "aniso": 2}


def minimize(atoms, potential="mendelev2009", ftol=1e-8, method="cg", box=None, pressure=0.0, skin=1.0, **options):
    """Relaxes atoms (and the box: box="iso" or "aniso", orthogonal boxes, to
    `pressure` bar) to a minimum where every atom's force is below ftol eV/Å.
    Returns (relaxed ase.Atoms, {'energy', 'fmax', 'iterations',
    'evaluations', 'converged', 'reason'}). Other options: the fields of
    am_min_options (etol, max_iter, max_eval, dmax, dt, wolfe, memory)."""
    s = as_system(atoms).copy()
    e = Engine(potential, s, skin)
    o = ffi.new("am_min_options *")
    o.method = _METHODS[method]
    o.ftol = ftol
    o.box = _BOX[box]
    o.pressure = pressure
    set_fields(o, options, "minimize")
    r = ffi.new("am_min_result *")
    check(lib.am_minimize(e._ptr, s._ptr, o, r))
    return s.to_atoms(), {"energy": r.energy, "fmax": r.fmax, "iterations": r.iterations,
                          "evaluations": r.evaluations, "converged": bool(r.converged),
                          "reason": ffi.string(r.reason).decode()}
