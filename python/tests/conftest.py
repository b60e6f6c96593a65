"""Shared fixtures: the source tree's samples and the amorph program of the
same build (ctest sets AMORPH_SOURCE_DIR and AMORPH_BINARY)."""
import json
import os
import subprocess

import pytest

SOURCE = os.environ.get("AMORPH_SOURCE_DIR", os.path.abspath(os.path.join(os.path.dirname(__file__), "..", "..")))
BINARY = os.environ.get("AMORPH_BINARY", "amorph")
GLASS = os.path.join(SOURCE, "data", "cuzr_glass_2000.data")
SMALL = os.path.join(SOURCE, "tests", "data", "cuzr_glass_432.data")


def run_amorph(*args):
    """Runs the program (no shell) and returns its standard output."""
    p = subprocess.run([BINARY, *map(str, args)], capture_output=True, text=True)
    assert p.returncode == 0, "amorph %s: %s" % (" ".join(map(str, args)), p.stderr)
    return p.stdout


def amorph_json(*args):
    return json.loads(run_amorph(*args, "--json"))


@pytest.fixture(scope="session")
def glass():
    import amorph
    return amorph.read(GLASS)


@pytest.fixture(scope="session")
def small():
    import amorph
    return amorph.read(SMALL)


@pytest.fixture(scope="session")
def relaxed(small):
    """The 432-atom glass (made with LAMMPS and the 2007 potential) at a
    minimum of the default one, where the Hessian is positive."""
    import amorph
    atoms, r = amorph.minimize(small, ftol=1e-8)
    assert r["converged"]
    return atoms
