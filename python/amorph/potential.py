"""Potentials and force evaluation (amorph/potential.h)."""
import numpy as np

from ._lib import check, ffi, lib
from ._system import as_system

_STYLES = {None: 0, "auto": 0, "eam": 1, "eam/alloy": 2, "eam/fs": 3, "lj/cut": 4, "lammps": 5}


class Potential:
    """A potential: a name ("mendelev2009", "mendelev2007", "kob-andersen")
    or a file (EAM: .eam, .eam.alloy, .eam.fs, funcfl a comma-separated list;
    Lennard-Jones: .lj; a file of LAMMPS pair commands with style "lammps"),
    with style None (from the file name), "eam", "eam/alloy", "eam/fs",
    "lj/cut" or "lammps". engine="lammps" has LAMMPS compute the same
    potential through its library; Potential.lammps() takes any pair style
    as LAMMPS commands (docs/engines.md)."""

    def __init__(self, name="mendelev2009", style=None, engine="amorph"):
        out = ffi.new("am_potential **")
        if engine == "lammps" and style not in (None, "auto"):
            raise ValueError("engine='lammps' takes a potential by name or file; give pair commands to "
                             "Potential.lammps()")
        if engine == "lammps":
            check(lib.am_potential_lammps_open(str(name).encode(), out))
        elif engine == "amorph":
            check(lib.am_potential_open(str(name).encode(), _STYLES[style], out))
        else:
            raise ValueError("engine must be 'amorph' or 'lammps', not %r" % (engine,))
        self._ptr = ffi.gc(out[0], lib.am_potential_free)
        resolved = lib.am_potential_resolve(str(name).encode())
        self.path = ffi.string(resolved).decode() if resolved != ffi.NULL else str(name)

    @classmethod
    def lammps(cls, commands, units="metal"):
        """Any LAMMPS pair style: commands is a list of pair_style, pair_coeff
        and pair_modify commands as in a LAMMPS input (LAMMPS type k is a
        system's k-th species), units "metal" or "lj"."""
        if isinstance(commands, str):
            commands = [commands]
        keep = [ffi.new("char[]", str(c).encode()) for c in commands]
        arr = ffi.new("const char *[]", keep)
        out = ffi.new("am_potential **")
        check(lib.am_potential_lammps(str(units).encode(), arr, len(keep), out))
        self = cls.__new__(cls)
        self._ptr = ffi.gc(out[0], lib.am_potential_free)
        self.path = "; ".join(map(str, commands))
        return self

    @property
    def elements(self):
        return [ffi.string(lib.am_potential_element(self._ptr, k)).decode()
                for k in range(lib.am_potential_nelements(self._ptr))]

    @property
    def masses(self):
        return [float(lib.am_potential_mass(self._ptr, k)) for k in range(lib.am_potential_nelements(self._ptr))]

    @property
    def cutoff(self):
        """Å (σ for a Lennard-Jones potential)"""
        return float(lib.am_potential_cutoff(self._ptr))

    @property
    def kind(self):
        """The LAMMPS pair style it reproduces: "eam", "eam/alloy", "eam/fs",
        "lj/cut"; "lammps" when LAMMPS computes it."""
        return ffi.string(lib.am_potential_kind(self._ptr)).decode()

    @property
    def units(self):
        """The LAMMPS unit style of its numbers: "metal" or "lj"."""
        return ffi.string(lib.am_potential_units(self._ptr)).decode()

    def __repr__(self):
        return "Potential(%r: %s, %s, cutoff %.3f)" % (self.path, "-".join(self.elements) or "any species",
                                                     self.kind, self.cutoff)


def as_potential(p):
    return p if isinstance(p, Potential) else Potential(p)


class Engine:
    """A potential bound to one system (neighbour list and scratch kept
    between calls, as amorph's verbs use it). The system's positions may be
    changed between calls (System.positions = ...); its atoms may not."""

    def __init__(self, potential, system, skin=1.0):
        self.potential = as_potential(potential)
        self.system = as_system(system)
        out = ffi.new("am_engine **")
        check(lib.am_engine_create(self.potential._ptr, self.system._ptr, skin, out))
        self._ptr = ffi.gc(out[0], lib.am_engine_free)

    def compute(self, per_atom=True, virial=True):
        """{'energy': eV, 'forces': (n, 3) eV/Å, 'virial': (6,) eV (xx yy zz
        xy xz yz, LAMMPS sign), 'energies': (n,) eV per atom}."""
        s = self.system
        n = s.n
        f = np.empty((3, n))
        e_atom = np.empty(n) if per_atom else None
        r = ffi.new("am_result *")
        r.skip_virial = 0 if virial else 1
        r.fx = ffi.cast("double *", ffi.from_buffer(f[0]))
        r.fy = ffi.cast("double *", ffi.from_buffer(f[1]))
        r.fz = ffi.cast("double *", ffi.from_buffer(f[2]))
        if per_atom:
            r.e_atom = ffi.cast("double *", ffi.from_buffer(e_atom))
        check(lib.am_engine_compute(self._ptr, s._ptr, r))
        out = {"energy": float(r.energy), "forces": s.vector_out(np.ascontiguousarray(f.T))}
        if virial:
            out["virial"] = np.array(list(r.virial))
        if per_atom:
            out["energies"] = e_atom
        return out
