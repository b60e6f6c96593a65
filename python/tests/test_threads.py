"""Waiting threads from Python: importing amorph gives libgomp the amorph
program's short spin (AM_GOMP_SPINCOUNT), and OpenBLAS its thread timeout
(AM_OPENBLAS_THREAD_TIMEOUT), unless the user chose, and leaves the
environment as it was. In a fresh interpreter: libgomp reads its
environment once, when it is loaded (OMP_DISPLAY_ENV makes it print what it
read)."""
import os
import subprocess
import sys

import amorph

CODE = ("import os, amorph; print('after import:', os.environ.get('GOMP_SPINCOUNT'), "
        "os.environ.get('OPENBLAS_THREAD_TIMEOUT'))")
WAITING = ("OMP_WAIT_POLICY", "GOMP_SPINCOUNT", "OPENBLAS_THREAD_TIMEOUT", "GOTO_THREAD_TIMEOUT")


def run(extra):
    env = {k: v for k, v in os.environ.items() if k not in WAITING}
    env.update(extra, OMP_DISPLAY_ENV="verbose")
    p = subprocess.run([sys.executable, "-c", CODE], capture_output=True, text=True, env=env)
    assert p.returncode == 0, p.stderr
    return p.stdout + p.stderr


def test_import_gives_libgomp_the_short_spin_and_restores_the_environment():
    out = run({})
    assert amorph._lib.CONST["AM_GOMP_SPINCOUNT"] == 1000
    assert amorph._lib.CONST["AM_OPENBLAS_THREAD_TIMEOUT"] == 4
    assert "GOMP_SPINCOUNT = '1000'" in out
    assert "after import: None None" in out


def test_the_users_choice_wins():
    out = run({"GOMP_SPINCOUNT": "7", "OPENBLAS_THREAD_TIMEOUT": "20"})
    assert "GOMP_SPINCOUNT = '7'" in out
    assert "after import: 7 20" in out
