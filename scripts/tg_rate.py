#!/usr/bin/python3
"""Tg against cooling rate (issue 22): refits every cooling curve of
runs/tg_rate/ with the same windows, and with shifted windows for the
sensitivity, through amorph's own fit (am_tg_fit, via the Python package).

usage: PYTHONPATH=build/python scripts/tg_rate.py [runs/tg_rate]
Prints a Markdown table: rate, Tg(V) and Tg(E) with the default windows
(liquid 1150-1660 K, glass 300-555 K), and the range over the variants.
"""
import glob
import os
import re
import sys

import amorph
from amorph import ffi, lib
from amorph._lib import check

WINDOWS = {  # name: (liquid, glass), K
    "default": ((1150, 1660), (300, 555)),
    "liquid higher": ((1300, 1800), (300, 555)),
    "liquid lower": ((1000, 1500), (300, 555)),
    "glass narrower": ((1150, 1660), (300, 450)),
    "glass wider": ((1150, 1660), (300, 600)),
}


def tg(curve, n, use_energy, liquid, glass):
    lo, gl, out = ffi.new("double[2]", liquid), ffi.new("double[2]", glass), ffi.new("double *")
    check(lib.am_tg_fit(curve, n, use_energy, lo, gl, out))
    return out[0]


def main():
    d = sys.argv[1] if len(sys.argv) > 1 else "runs/tg_rate"
    rows = []
    for path in glob.glob(os.path.join(d, "glass_*.data.curve.csv")):
        rate = float(re.search(r"glass_([0-9.e+]+)\.data", path).group(1))
        c, n = ffi.new("am_cooling_point **"), ffi.new("size_t *")
        check(lib.am_cooling_curve_read(path.encode(), c, n))  # malloc'd; freed at exit
        fits = {name: (tg(c[0], n[0], 0, *w), tg(c[0], n[0], 1, *w)) for name, w in WINDOWS.items()}
        rows.append((rate, fits))
    print("| rate (K/s) | Tg(V), K | range over windows | Tg(E), K | range over windows |")
    print("|---|---|---|---|---|")
    for rate, fits in sorted(rows, reverse=True):
        v = [f[0] for f in fits.values()]
        e = [f[1] for f in fits.values()]
        print("| %.0e | %.0f | %.0f–%.0f | %.0f | %.0f–%.0f |" % (rate, fits["default"][0], min(v), max(v),
                                                              fits["default"][1], min(e), max(e)))
    print("\nwindows:", "; ".join("%s liquid %d-%d K, glass %d-%d K" % (k, *w[0], *w[1]) for k, w in WINDOWS.items()))
    print("amorph", amorph.__version__)


if __name__ == "__main__":
    main()
