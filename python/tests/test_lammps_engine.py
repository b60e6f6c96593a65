"""LAMMPS as the force engine from Python (docs/engines.md): the same
numbers as amorph's own engine for the same potential, any pair style as
commands, and the calculator on top of it."""
import numpy as np
import pytest

import amorph
from amorph import AmorphCalculator


def test_lammps_engine_equals_the_native_one(small):
    native = amorph.Engine("mendelev2009", amorph.System.from_atoms(small)).compute()
    lmp = amorph.Potential("mendelev2009", engine="lammps")
    assert lmp.kind == "lammps" and lmp.units == "metal" and lmp.elements == ["Cu", "Zr"]
    got = amorph.Engine(lmp, amorph.System.from_atoms(small)).compute()
    assert got["energy"] == pytest.approx(native["energy"], rel=1e-12)
    assert np.abs(got["forces"] - native["forces"]).max() < 1e-10
    assert np.abs(got["energies"] - native["energies"]).max() < 1e-10
    assert np.allclose(got["virial"], native["virial"], rtol=1e-10, atol=1e-9)


def test_any_pair_style_as_commands(small):
    path = amorph.Potential("mendelev2009").path
    pot = amorph.Potential.lammps(["pair_style eam/fs", "pair_coeff * * %s Cu Zr" % path])
    assert pot.elements == [] and pot.kind == "lammps"
    atoms = small.copy()
    atoms.calc = AmorphCalculator(potential=pot)
    ref = small.copy()
    ref.calc = AmorphCalculator()
    assert atoms.get_potential_energy() == pytest.approx(ref.get_potential_energy(), rel=1e-12)
    assert np.abs(atoms.get_forces() - ref.get_forces()).max() < 1e-10


def test_commands_are_checked_before_lammps_sees_them():
    with pytest.raises(amorph.AmorphError, match="not a pair command"):
        amorph.Potential.lammps(["pair_style sw", "shell touch X"])
    with pytest.raises(amorph.AmorphError, match="units"):
        amorph.Potential.lammps(["pair_style sw"], units="real")
    with pytest.raises(ValueError):
        amorph.Potential("mendelev2009", engine="gromacs")
