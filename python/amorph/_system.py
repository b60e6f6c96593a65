"""Configurations: amorph's am_system, and the conversion to and from ASE.

amorph's cells follow LAMMPS: a = (lx, 0, 0), b = (xy, ly, 0), c = (xz, yz, lz)
from an origin `lo`. An ASE cell in that form (every cell amorph writes or
ASE reads from LAMMPS) passes unchanged, bit for bit. Any other cell is
turned into it by an orthogonal map Q (positions and cell times Q, from a QR
factorisation; a reflection when the cell is left-handed), and vector results
(forces, modes, displacements) are mapped back by Qᵀ: the energy of an EAM
potential, and every descriptor, is invariant under it.
"""
import numpy as np

from ._lib import CONST, AmorphError, check, ffi, lib


def _ase_time_per_ps():
    """ASE time units per ps: v(Å/ps) = v(ASE) × this (io.h's
    AM_ASE_TIME_UNIT_PS, the same conversion the extended XYZ files use)."""
    return 1.0 / CONST["AM_ASE_TIME_UNIT_PS"]


class System:
    """An amorph configuration (am_system), owned by this object.

    Build one with `System.from_atoms(atoms)`, `System.from_arrays(...)` or
    `amorph.read_system(path)`; `to_atoms()` gives an ase.Atoms.
    """

    def __init__(self, ptr):
        self._ptr = ffi.gc(ptr, lib.am_system_free)
        self.rotation = None  # Q of the module docstring, or None

    @classmethod
    def allocate(cls, n, velocities=False):
        out = ffi.new("am_system **")
        check(lib.am_system_alloc(n, 1 if velocities else 0, out))
        return cls(out[0])

    @property
    def n(self):
        return int(self._ptr.n)

    def _vec(self, a, b, c):
        n = self.n
        return np.stack([np.frombuffer(ffi.buffer(p, 8 * n), dtype=np.float64) for p in (a, b, c)], axis=1)

    @property
    def positions(self):
        """(n, 3) Å, a copy."""
        s = self._ptr
        return self._vec(s.x, s.y, s.z)

    @positions.setter
    def positions(self, xyz):
        xyz = np.ascontiguousarray(xyz, dtype=np.float64).reshape(self.n, 3)
        s = self._ptr
        for k, p in enumerate((s.x, s.y, s.z)):
            ffi.buffer(p, 8 * self.n)[:] = np.ascontiguousarray(xyz[:, k]).tobytes()

    @property
    def velocities(self):
        """(n, 3) Å/ps, a copy; None when the system has none."""
        s = self._ptr
        return None if s.vx == ffi.NULL else self._vec(s.vx, s.vy, s.vz)

    @property
    def types(self):
        """(n,) species index of each atom."""
        return np.frombuffer(ffi.buffer(self._ptr.type, 4 * self.n), dtype=np.int32).copy()

    @property
    def ids(self):
        return np.frombuffer(ffi.buffer(self._ptr.id, 8 * self.n), dtype=np.int64).copy()

    @property
    def species(self):
        """Species names in type order, e.g. ['Cu', 'Zr']."""
        s = self._ptr
        return [ffi.string(s.species[k].name).decode() for k in range(s.nspecies)]

    @property
    def masses(self):
        """Mass of each species in type order, amu (0 when unknown)."""
        s = self._ptr
        return [float(s.species[k].mass) for k in range(s.nspecies)]

    @property
    def symbols(self):
        names = self.species
        return [names[t] for t in self.types]

    @property
    def cell(self):
        """Rows a, b, c (Å), LAMMPS form."""
        b = self._ptr.box
        return np.array([[b.len[0], 0.0, 0.0], [b.tilt[0], b.len[1], 0.0], [b.tilt[1], b.tilt[2], b.len[2]]])

    @property
    def origin(self):
        return np.array(list(self._ptr.box.lo))

    @property
    def pbc(self):
        return np.array([bool(p) for p in self._ptr.box.periodic])

    @property
    def volume(self):
        return float(lib.am_box_volume(ffi.addressof(self._ptr.box)))

    def copy(self):
        out = ffi.new("am_system **")
        check(lib.am_system_copy(self._ptr, out))
        c = System(out[0])
        c.rotation = self.rotation
        return c

    def hash(self):
        """am_system_hash: what checkpoints and event logs bind to."""
        return int(lib.am_system_hash(self._ptr))

    @classmethod
    def from_arrays(cls, positions, cell, symbols, pbc=True, masses=None, ids=None, velocities=None, origin=None,
                    species=None):
        """A system from numpy arrays: positions (n, 3) Å, cell rows (3, 3) Å,
        symbols (n element names), masses (n values, amu; default: standard
        atomic masses), ids (n positive unique integers; default 1..n),
        velocities (n, 3) Å/ps, origin (3,) Å, species (type order; default:
        by atomic number)."""
        positions = np.asarray(positions, dtype=np.float64).reshape(-1, 3)
        n = len(positions)
        symbols = list(symbols)
        if len(symbols) != n:
            raise AmorphError("value error", "%d symbols for %d positions" % (len(symbols), n))
        cell = np.asarray(cell, dtype=np.float64).reshape(3, 3)
        lower = cell[0, 1] == 0 and cell[0, 2] == 0 and cell[1, 2] == 0 and (np.diag(cell) > 0).all()
        rotation = None
        if not lower:
            rotation, cell = _lammps_form(cell)
            positions = positions @ rotation
            if velocities is not None:
                velocities = np.asarray(velocities, dtype=np.float64).reshape(n, 3) @ rotation
        if ids is not None:
            ids = np.asarray(ids, dtype=np.int64).reshape(n)
            if (ids <= 0).any() or len(np.unique(ids)) != n:
                raise AmorphError("value error", "atom ids must be positive and unique")
        names = _species_order(symbols, species)
        s = cls.allocate(n, velocities is not None)
        s.rotation = rotation
        p = s._ptr
        p.nspecies = len(names)
        index = {name: k for k, name in enumerate(names)}
        per_species_mass = _species_masses(symbols, names, masses)
        for k, name in enumerate(names):
            p.species[k].name = name.encode()
            p.species[k].mass = per_species_mass[k]
        types = np.array([index[x] for x in symbols], dtype=np.int32)
        ffi.buffer(p.type, 4 * n)[:] = types.tobytes()
        if ids is not None:
            ffi.buffer(p.id, 8 * n)[:] = ids.tobytes()
        s.positions = positions
        if velocities is not None:
            v = np.asarray(velocities, dtype=np.float64).reshape(n, 3)
            for k, q in enumerate((p.vx, p.vy, p.vz)):
                ffi.buffer(q, 8 * n)[:] = np.ascontiguousarray(v[:, k]).tobytes()
        box = p.box
        lo = np.zeros(3) if origin is None else np.asarray(origin, dtype=np.float64).reshape(3)
        for k in range(3):
            box.lo[k] = lo[k]
            box.len[k] = cell[k, k]
        box.tilt[0], box.tilt[1], box.tilt[2] = cell[1, 0], cell[2, 0], cell[2, 1]
        pbc = np.broadcast_to(np.asarray(pbc, dtype=bool), (3,))
        for k in range(3):
            box.periodic[k] = 1 if pbc[k] else 0
        check(lib.am_box_check(ffi.addressof(box)))
        return s

    @classmethod
    def from_atoms(cls, atoms):
        """An ase.Atoms as an amorph system. Atom ids come from
        atoms.arrays['id'] when present; the origin and species order from
        atoms.info['amorph_origin'] and ['amorph_species'] (set by
        amorph.read), so that amorph → ASE → amorph is exact."""
        vel = None
        if atoms.has("momenta"):
            vel = atoms.get_velocities() * _ase_time_per_ps()
        return cls.from_arrays(atoms.get_positions(), atoms.cell.array, atoms.get_chemical_symbols(),
                               pbc=atoms.pbc, masses=atoms.get_masses(), ids=atoms.arrays.get("id"),
                               velocities=vel, origin=atoms.info.get("amorph_origin"),
                               species=atoms.info.get("amorph_species"))

    def to_atoms(self):
        """An ase.Atoms with the same atoms in the same order (positions,
        cell, pbc, masses, velocities; ids in arrays['id']). An orthogonal map
        applied on the way in is undone."""
        from ase import Atoms
        pos, cell = self.positions, self.cell
        vel = self.velocities
        if self.rotation is not None:
            pos, cell = pos @ self.rotation.T, cell @ self.rotation.T
            vel = None if vel is None else vel @ self.rotation.T
        masses = self.masses
        atoms = Atoms(symbols=self.symbols, positions=pos, cell=cell, pbc=self.pbc)
        if all(m > 0 for m in masses):
            atoms.set_masses([masses[t] for t in self.types])
        if vel is not None:
            atoms.set_velocities(vel / _ase_time_per_ps())
        atoms.arrays["id"] = self.ids
        atoms.info["amorph_origin"] = self.origin
        atoms.info["amorph_species"] = self.species
        return atoms

    def tensor_out(self, t6):
        """A symmetric tensor given as xx yy zz xy xz yz (amorph's order) as a
        3x3 matrix in the caller's frame."""
        xx, yy, zz, xy, xz, yz = t6
        t = np.array([[xx, xy, xz], [xy, yy, yz], [xz, yz, zz]])
        return t if self.rotation is None else self.rotation @ t @ self.rotation.T

    def vector_out(self, v):
        """A (n, 3) vector result in the caller's frame (undoes the rotation)."""
        return v if self.rotation is None else v @ self.rotation.T


def _lammps_form(cell):
    """Q orthogonal with cell @ Q lower triangular, positive diagonal."""
    if abs(np.linalg.det(cell)) < 1e-12:
        raise AmorphError("value error", "the cell has no volume: amorph needs three cell vectors")
    q, r = np.linalg.qr(cell.T)  # cell.T = q r  =>  cell @ q = r.T
    signs = np.sign(np.diag(r))
    q = q * signs  # flips columns of q: r.T's diagonal becomes positive
    out = cell @ q
    out[0, 1] = out[0, 2] = out[1, 2] = 0.0
    return q, out


def _species_order(symbols, species):
    present = sorted(set(symbols))
    if species is not None and set(present) <= set(species) and len(species) <= 16:
        return list(species)
    from ase.data import atomic_numbers
    return sorted(present, key=lambda x: (atomic_numbers.get(x, 1000), x))


def _species_masses(symbols, names, masses):
    if masses is None:
        return [float(lib.am_element_mass(x.encode())) for x in names]
    masses = np.asarray(masses, dtype=np.float64)
    out = []
    for name in names:
        m = masses[[x == name for x in symbols]]
        if len(m) and np.ptp(m) > 0:
            raise AmorphError("value error", "atoms of %s have different masses: amorph gives a species one mass" % name)
        out.append(float(m[0]) if len(m) else float(lib.am_element_mass(name.encode())))
    return out


def as_system(obj):
    """System for a System or an ase.Atoms."""
    if isinstance(obj, System):
        return obj
    if hasattr(obj, "get_positions") and hasattr(obj, "cell"):
        return System.from_atoms(obj)
    raise TypeError("expected an ase.Atoms or an amorph.System, got %r" % type(obj).__name__)
