"""Reading and writing configurations and per-atom tables (amorph/io.h)."""
import numpy as np

from ._lib import check, cstr, ffi, lib
from ._system import System, as_system

_FORMATS = {None: 0, "auto": 0, "data": 1, "lmp": 1, "dump": 2, "lammpstrj": 2, "xyz": 3, "extxyz": 3}


def _format(name):
    try:
        return _FORMATS[name]
    except KeyError:
        raise ValueError("format: expected one of data, dump, xyz (or None: from the extension), got %r" % name)


def _read_options(fmt, species, frame, force_species, min_distance):
    o = ffi.new("am_read_options *")
    o.format = _format(fmt)
    keep = []
    if species is not None:
        keep.append(cstr(species if isinstance(species, str) else ",".join(species)))
        o.species = keep[-1]
    o.frame = frame
    o.force_species = 1 if force_species else 0
    o.min_distance = min_distance
    return o, keep


def read_system(path, format=None, species=None, frame=0, force_species=False, min_distance=0.0):
    """One configuration of a LAMMPS data file, LAMMPS dump or extended XYZ
    file as an amorph.System (see `read`)."""
    o, keep = _read_options(format, species, frame, force_species, min_distance)
    out = ffi.new("am_system **")
    check(lib.am_read(str(path).encode(), o, out))
    del keep
    return System(out[0])


def read(path, format=None, species=None, frame=0, force_species=False, min_distance=0.0):
    """One configuration as an ase.Atoms, checked as amorph's verbs check it.

    format: "data", "dump" or "xyz" (None: from the extension); species:
    names of LAMMPS types 1, 2, ... ("Cu,Zr" or a list; None: from type
    labels or masses); frame: 0 first, -1 last. Atom ids go to
    atoms.arrays['id'], the box origin to atoms.info['amorph_origin'].
    Raises AmorphError with the file, line and what was expected."""
    return read_system(path, format, species, frame, force_species, min_distance).to_atoms()


def read_table(path, species=None, frame=0):
    """An extended XYZ file's configuration and its per-atom columns:
    (ase.Atoms, {name: array of n or (n, k) values})."""
    o, keep = _read_options("xyz", species, frame, False, 0.0)
    sys_out, tab_out = ffi.new("am_system **"), ffi.new("am_table **")
    check(lib.am_read_table(str(path).encode(), o, sys_out, tab_out))
    s = System(sys_out[0])
    t = ffi.gc(tab_out[0], lib.am_table_free)
    cols = {}
    for k in range(t.ncols):
        c = t.col[k]
        v = np.frombuffer(ffi.buffer(c.v, 8 * s.n * c.ncomp), dtype=np.float64).copy()
        cols[ffi.string(c.name).decode()] = v if c.ncomp == 1 else v.reshape(s.n, c.ncomp)
    return s.to_atoms(), cols


def write(path, atoms, format=None):
    """Writes a configuration (ase.Atoms or amorph.System) as amorph writes
    it: LAMMPS data, dump or extended XYZ by the extension or `format`."""
    s = as_system(atoms)
    check(lib.am_write(str(path).encode(), _format(format), s._ptr))


def _columns(s, columns):
    cols = ffi.new("am_column[]", max(1, len(columns)))
    keep = []
    for k, (name, values) in enumerate(columns.items()):
        v = np.ascontiguousarray(values, dtype=np.float64)
        if v.shape[0] != s.n:
            raise ValueError("column %s: %d values for %d atoms" % (name, v.shape[0], s.n))
        ncomp = 1 if v.ndim == 1 else v.shape[1]
        if s.rotation is not None and ncomp == 3:
            v = np.ascontiguousarray(v @ s.rotation)
        keep += [cstr(name), v]
        cols[k].name = keep[-2]
        cols[k].ncomp = ncomp
        cols[k].real = ffi.cast("double *", ffi.from_buffer(v))
    return cols, keep


def write_table(path, atoms, columns, info=None):
    """Writes per-atom columns ({name: n or (n, k) values}) with the
    configuration: extended XYZ (.xyz, .extxyz) or CSV (.csv). When the
    cell had to be rotated into LAMMPS form (see amorph.System), columns of
    3 components are taken as vectors and rotated with the positions."""
    s = as_system(atoms)
    cols, keep = _columns(s, columns)
    p = str(path)
    if p.endswith(".csv"):
        check(lib.am_write_csv(p.encode(), s._ptr, cols, len(columns)))
    else:
        check(lib.am_write_extxyz(p.encode(), s._ptr, cols, len(columns),
                                  ffi.NULL if info is None else cstr(info)))
    del keep
