"""Per-atom structural descriptors (amorph/structure.h)."""
import numpy as np

from ._arrays import doubles, ints, ptr
from ._lib import check, ffi, lib
from ._system import as_system


def _voronoi(s, min_area_fraction=0.0):
    """The tessellation of System s, freed with the returned object."""
    out = ffi.new("am_voronoi **")
    check(lib.am_voronoi_compute(s._ptr, min_area_fraction, out))
    return ffi.gc(out[0], lib.am_voronoi_free)


def voronoi(atoms, min_area_fraction=0.0):
    """Voronoi cells (voro++), fully periodic systems: {'volume' (n,) Å³,
    'cn' (n,), 'index' (n, 8) n3..n10, 'l5fs', 'l6fs' (n,)}. Faces below
    min_area_fraction of their cell's face area are left out of index, cn,
    l5fs and l6fs (0: keep all, OVITO's default)."""
    s = as_system(atoms)
    v = _voronoi(s, min_area_fraction)
    n = s.n
    return {"volume": doubles(v.volume, n), "cn": ints(v.cn, n), "index": ints(v.index, 8 * n).reshape(n, 8),
            "l5fs": doubles(v.l5fs, n), "l6fs": doubles(v.l6fs, n)}


_MODES = {"voronoi": 0, "cutoff": 1, "nearest": 2}


def steinhardt(atoms, ls=(4, 6), neighbors="voronoi", cutoff=0.0, nearest=12, averaged=False, w=False,
               min_area_fraction=0.0):
    """Steinhardt q_l per atom, (n, len(ls)); with w=True also ŵ_l: (q, w).
    neighbors: "voronoi" (faces), "cutoff" (closer than cutoff Å) or
    "nearest" (the `nearest` closest, within cutoff); averaged: the
    Lechner–Dellago average."""
    s = as_system(atoms)
    o = ffi.new("am_steinhardt_options *")
    o.mode = _MODES[neighbors]
    o.cutoff = cutoff
    o.nearest = nearest
    o.averaged = 1 if averaged else 0
    keep = None
    if neighbors == "voronoi":
        keep = _voronoi(s, min_area_fraction)
        o.voronoi = keep
    ls_c = np.ascontiguousarray(ls, dtype=np.int32)
    q = np.empty((s.n, len(ls_c)))
    wv = np.empty((s.n, len(ls_c))) if w else None
    if w:
        o.w = ptr(wv)
    check(lib.am_steinhardt(s._ptr, o, ptr(ls_c, "int *"), len(ls_c), ptr(q)))
    del keep
    return (q, wv) if w else q


def s2(atoms, cutoffs=(4.0,), sigma=0.2, dr=0.0, lammps=False, partial=False):
    """Two-body excess entropy per atom, k_B: (n, len(cutoffs)) (the paper's
    Eq. 1, multi-component; lammps=True: LAMMPS entropy/atom exactly). With
    partial=True also each neighbour species' term, (n, ncut, nspecies), and
    the sample's S2 per cutoff: (s2, partial, system)."""
    s = as_system(atoms)
    cut = np.ascontiguousarray(cutoffs, dtype=np.float64).reshape(-1)
    o = ffi.new("am_s2_options *")
    o.mode = 1 if lammps else 0
    o.sigma = sigma
    o.dr = dr
    o.cutoffs = ptr(cut)
    o.ncut = len(cut)
    out = np.empty((s.n, len(cut)))
    if not partial:
        check(lib.am_s2(s._ptr, o, ptr(out), ffi.NULL, ffi.NULL))
        return out
    ns = s._ptr.nspecies
    part = np.empty((s.n, len(cut), ns))
    total = np.empty(len(cut))
    check(lib.am_s2(s._ptr, o, ptr(out), ptr(part), ptr(total)))
    return out, part, total
