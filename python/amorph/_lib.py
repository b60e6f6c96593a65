"""The shared library and its declarations.

cffi's ABI mode reads `_amorph_cdef.h`, which the build makes by running the C
preprocessor over include/amorph/amorph.h (python/CMakeLists.txt): the Python
layer sees exactly the installed headers' types and functions, and needs no
compiler at import time. Numeric constants (`#define AM_... number`) come from
`_amorph_macros.h`, the same headers' macro list.
"""
import os
import re

import cffi

from . import _config

_here = os.path.dirname(os.path.abspath(__file__))

ffi = cffi.FFI()
with open(os.path.join(_here, "_amorph_cdef.h"), encoding="utf-8") as f:
    ffi.cdef(f.read())


def _library_path():
    env = os.environ.get("AMORPH_LIBRARY")
    if env:
        return env
    path = _config.LIBRARY
    return path if os.path.isabs(path) else os.path.normpath(os.path.join(_here, path))


def _macros():
    number = re.compile(r"^#define (AM_[A-Z0-9_]+) ([-+0-9.eE]+)$")
    out = {}
    with open(os.path.join(_here, "_amorph_macros.h"), encoding="utf-8") as f:
        for line in f:
            m = number.match(line.strip())
            if m:
                text = m.group(2)
                out[m.group(1)] = float(text) if any(c in text for c in ".eE") else int(text)
    return out


CONST = _macros()


def _dlopen(path):
    # libgomp and OpenBLAS read their environment when they are loaded, i.e.
    # with the library: the amorph program's short spin and OpenBLAS thread
    # timeout (AM_GOMP_SPINCOUNT, AM_OPENBLAS_THREAD_TIMEOUT;
    # docs/performance.md) unless the user chose, taken out of the
    # environment again afterwards. Without effect on a library this process
    # has loaded already (numpy loads OpenBLAS: import amorph first).
    ours = {}
    if "OMP_WAIT_POLICY" not in os.environ and "GOMP_SPINCOUNT" not in os.environ:
        ours["GOMP_SPINCOUNT"] = str(CONST["AM_GOMP_SPINCOUNT"])
    if "OPENBLAS_THREAD_TIMEOUT" not in os.environ and "GOTO_THREAD_TIMEOUT" not in os.environ:
        ours["OPENBLAS_THREAD_TIMEOUT"] = str(CONST["AM_OPENBLAS_THREAD_TIMEOUT"])
    os.environ.update(ours)
    try:
        return ffi.dlopen(path)
    finally:
        for name in ours:
            del os.environ[name]


lib = _dlopen(_library_path())


class AmorphError(Exception):
    """A failure reported by the library: `status` is the am_status name
    ("parse error", "value error", ...), the message amorph's own (file,
    line, what was expected)."""

    def __init__(self, status, message):
        super().__init__(message)
        self.status = status
        self.message = message


def check(status):
    """Raises AmorphError with the library's thread-local message when status
    is not AM_OK."""
    if status != 0:
        raise AmorphError(ffi.string(lib.am_status_name(status)).decode(),
                          ffi.string(lib.am_error_message()).decode())


def cstr(s):
    """A Python string as a C string that lives as long as the result."""
    return ffi.new("char[]", s.encode())
