"""amorph from Python: a thin layer over libamorph (cffi, ABI mode).

Configurations are ase.Atoms (or amorph.System); per-atom results are numpy
arrays in the atoms' order; units are LAMMPS metal (Å, eV, ps, amu, K, bar)
except in the ASE calculator, which speaks ASE's. Errors raise AmorphError
with amorph's message. See docs/python.md.
"""
from ._lib import AmorphError, ffi, lib
from ._system import System
from .analysis import (autocorrelation, autocorrelations, coarse_grain, correlate, correlation_length, first_shell,
                       log10_viscosity, neighbor_average, pearson, spearman)
from .io import read, read_system, read_table, write, write_table
from .minimize import minimize
from .potential import Engine, Potential
from .saddle import lowest_mode, saddle_options, saddle_search
from .structure import acsf, interstices, s2, steinhardt, voronoi
from .vibration import flexibility_volume, hessian, modes, participation, vmsd, vmsd_harmonic

__version__ = ffi.string(lib.am_version()).decode()


def __getattr__(name):
    # The calculator imports ASE's calculator machinery: only when asked for.
    if name == "AmorphCalculator":
        from .calculator import AmorphCalculator
        return AmorphCalculator
    raise AttributeError("module 'amorph' has no attribute %r" % name)


__all__ = ["AmorphError", "AmorphCalculator", "Engine", "Potential", "System", "acsf", "autocorrelation",
           "autocorrelations", "coarse_grain", "correlate", "correlation_length", "first_shell", "flexibility_volume", "hessian",
           "interstices", "log10_viscosity", "lowest_mode", "minimize", "modes", "neighbor_average", "participation",
           "pearson", "read", "read_system", "read_table", "s2", "saddle_options", "saddle_search", "spearman",
           "steinhardt", "voronoi", "vmsd", "vmsd_harmonic", "write", "write_table"]
