"""numpy arrays as C pointers, and C arrays as numpy arrays."""
import numpy as np

from ._lib import ffi


def ptr(a, ctype="double *"):
    """C pointer to a contiguous numpy array (keep the array alive)."""
    return ffi.cast(ctype, ffi.from_buffer(a))


def doubles(p, count):
    """A copy of count doubles at p."""
    return np.frombuffer(ffi.buffer(p, 8 * count), dtype=np.float64).copy()


def ints(p, count, dtype=np.int32):
    size = np.dtype(dtype).itemsize
    return np.frombuffer(ffi.buffer(p, size * count), dtype=dtype).copy()


def real_vector(values, n, name):
    """values as n contiguous float64, or ValueError naming them."""
    v = np.ascontiguousarray(values, dtype=np.float64)
    if v.shape != (n,):
        raise ValueError("%s: expected %d values, got shape %s" % (name, n, v.shape))
    return v


def selection(select, n):
    """A per-atom boolean mask as unsigned char flags (None: all atoms)."""
    if select is None:
        return None, ffi.NULL
    m = np.ascontiguousarray(np.asarray(select, dtype=bool).astype(np.uint8))
    if m.shape != (n,):
        raise ValueError("select: expected %d flags, got shape %s" % (n, m.shape))
    return m, ptr(m, "unsigned char *")


def _struct(cdata):
    """The struct a cdata is or points to."""
    return cdata[0] if ffi.typeof(cdata).kind == "pointer" else cdata


def set_fields(struct, options, what):
    """Sets struct fields from a dict by their C names; an unknown name is a
    TypeError listing the known ones (the header documents each); a dict
    value sets a nested struct's fields."""
    target = _struct(struct)
    known = {name for name, _ in ffi.typeof(target).fields}
    for name, value in options.items():
        if name not in known:
            raise TypeError("%s: no option %r (known: %s)" % (what, name, ", ".join(sorted(known))))
        if isinstance(value, dict):
            set_fields(ffi.addressof(target, name), value, what + "." + name)
        else:
            setattr(target, name, value)


def fields(struct):
    """A struct's numeric fields as a dict."""
    target = _struct(struct)
    return {name: getattr(target, name) for name, f in ffi.typeof(target).fields
            if f.type.kind in ("primitive", "enum")}
