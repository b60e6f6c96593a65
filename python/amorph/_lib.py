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
    # libgomp reads its environment when it is loaded, i.e. with the library:
    # the amorph program's short spin (AM_GOMP_SPINCOUNT, docs/performance.md)
    # unless the user chose, taken out of the environment again afterwards.
    # Without effect if this process has loaded libgomp already.
    ours = "OMP_WAIT_POLICY" not in os.environ and "GOMP_SPINCOUNT" not in os.environ
    if ours:
        os.environ["GOMP_SPINCOUNT"] = str(CONST["AM_GOMP_SPINCOUNT"])
    try:
        return ffi.dlopen(path)
    finally:
        if ours:
            del os.environ["GOMP_SPINCOUNT"]


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
