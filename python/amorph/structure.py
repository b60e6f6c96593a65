"""Per-atom structural descriptors (amorph/structure.h)."""
import numpy as np

from ._arrays import doubles, ints, ptr
from ._lib import check, ffi, lib
from ._system import as_system


def _radii(s, radii):
    """Per-species radii (Å) in type order for the radical tessellation:
    None (plain), "auto" (the tabulated metallic radii, am_atomic_radius), a
    dict {species: R} (with "auto" as a key: the table for the rest) or a
    sequence in type order."""
    if radii is None:
        return None
    names = s.species
    if isinstance(radii, str) or isinstance(radii, dict):
        given = {"auto": True} if isinstance(radii, str) else dict(radii)
        if isinstance(radii, str) and radii != "auto":
            raise ValueError("radii: expected 'auto', a dict or a sequence, got %r" % radii)
        auto = given.pop("auto", False)
        unknown = set(given) - set(names)
        if unknown:
            raise ValueError("radii: no species %s in the system" % ", ".join(sorted(unknown)))
        out = []
        for name in names:
            r = given.get(name, lib.am_atomic_radius(name.encode()) if auto else 0.0)
            if name not in given and not r > 0:
                raise ValueError("radii: no radius for species %r (none tabulated, or not given)" % name)
            out.append(float(r))
        radii = out
    r = np.ascontiguousarray(radii, dtype=np.float64).reshape(-1)
    if len(r) != len(names):
        raise ValueError("radii: expected %d values (one per species), got %d" % (len(names), len(r)))
    return r


def _voronoi(s, min_area_fraction=0.0, radii=None):
    """The tessellation of System s (radical with radii), freed with the
    returned object."""
    out = ffi.new("am_voronoi **")
    r = _radii(s, radii)
    check(lib.am_voronoi_compute_radical(s._ptr, ffi.NULL if r is None else ptr(r), min_area_fraction, out))
    return ffi.gc(out[0], lib.am_voronoi_free)


def voronoi(atoms, min_area_fraction=0.0, radii=None):
    """Voronoi cells (voro++), fully periodic systems: {'volume' (n,) Å³,
    'cn' (n,), 'index' (n, 8) n3..n10, 'l5fs', 'l6fs' (n,)}. Faces below
    min_area_fraction of their cell's face area are left out of index, cn,
    l5fs and l6fs (0: keep all, OVITO's default). radii: the radical
    tessellation, "auto" (tabulated metallic radii), {species: Å} or one
    value per species in type order; None: plain."""
    s = as_system(atoms)
    v = _voronoi(s, min_area_fraction, radii)
    n = s.n
    return {"volume": doubles(v.volume, n), "cn": ints(v.cn, n), "index": ints(v.index, 8 * n).reshape(n, 8),
            "l5fs": doubles(v.l5fs, n), "l6fs": doubles(v.l6fs, n)}


_MODES = {"voronoi": 0, "cutoff": 1, "nearest": 2, "voronoi-weighted": 3}


def steinhardt(atoms, ls=(4, 6), neighbors="voronoi", cutoff=0.0, nearest=12, averaged=False, w=False,
               min_area_fraction=0.0, radii=None):
    """Steinhardt q_l per atom, (n, len(ls)); with w=True also ŵ_l: (q, w).
    neighbors: "voronoi" (faces), "voronoi-weighted" (faces weighted by
    their share of the cell's face area, Mickel et al. 2013), "cutoff"
    (closer than cutoff Å) or "nearest" (the `nearest` closest, within
    cutoff); averaged: the Lechner–Dellago average; radii: the cells of the
    radical tessellation (as in voronoi())."""
    s = as_system(atoms)
    o = ffi.new("am_steinhardt_options *")
    o.mode = _MODES[neighbors]
    o.cutoff = cutoff
    o.nearest = nearest
    o.averaged = 1 if averaged else 0
    keep = None
    if neighbors in ("voronoi", "voronoi-weighted"):
        keep = _voronoi(s, min_area_fraction, radii)
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


def acsf(atoms, cutoff=6.0, g2=None, g4=None):
    """Behler–Parrinello symmetry functions per atom, (n, count) in the
    layout of am_acsf (structure.h): G2 set p over neighbour species b at
    column p*nspecies + b, then G4 set p over the species pair (b <= c).
    g2: (eta 1/Å², rs Å) pairs, g4: (eta, zeta, lambda) triples; None: the
    default grid's part (docs/structure.md); cutoff Rc in Å."""
    s = as_system(atoms)
    o = ffi.new("am_acsf_options *")
    lib.am_acsf_defaults(o)
    o.cutoff = cutoff
    keep = []
    if g2 is not None:
        arr = ffi.new("am_acsf_g2[]", [{"eta": e, "rs": r} for e, r in g2])
        keep.append(arr)
        o.g2, o.ng2 = arr, len(g2)
    if g4 is not None:
        arr = ffi.new("am_acsf_g4[]", [{"eta": e, "zeta": z, "lambda": int(lam)} for e, z, lam in g4])
        keep.append(arr)
        o.g4, o.ng4 = arr, len(g4)
    count = lib.am_acsf_count(o, s._ptr.nspecies)
    out = np.empty((s.n, count))
    check(lib.am_acsf(s._ptr, o, ptr(out)))
    del keep
    return out


def interstices(atoms, radii="auto", radical=False, min_area_fraction=0.0):
    """Interstice distribution per atom (Wang & Jain 2019), (n, 12): distance,
    area and volume interstices, each as mean, std, min, max (the layout of
    am_interstices), over the tetrahedra of the dual of the plain
    tessellation, or of the radical one with radical=True; spheres of the
    given radii ("auto", {species: Å} or one per species)."""
    s = as_system(atoms)
    r = _radii(s, radii)
    v = _voronoi(s, min_area_fraction, r if radical else None)
    out = np.empty((s.n, 12))
    check(lib.am_interstices(s._ptr, v, ptr(r), ptr(out)))
    return out
