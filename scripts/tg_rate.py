#!/usr/bin/python3
"""Tg against cooling rate (issue 22): refits every cooling curve of
runs/tg_rate/ with the same windows, and with shifted windows for the
sensitivity, through amorph's own fit (am_tg_fit, via the Python package).

usage: PYTHONPATH=build/python scripts/tg_rate.py [runs/tg_rate]
Prints a Markdown table: rate, Tg(V) and Tg(E) with the default windows
(liquid 1150-1660 K, glass 300-555 K), and the range over the variants;
then Tg(V) extrapolated to the paper's 1e10 K/s for every window set with
two models: log-linear, Tg = a + b log10(q) (least squares, with the
standard error of the extrapolation and its 95 % interval from Student's
t; with four rates or more also without the fastest rate, on which the
slope rests most), and, with four rates or more,
Vogel-Fulcher, q = q0 exp(-B / (Tg - T0)) with q0 fixed at 1e14 K/s (the
scale of a liquid's fastest relaxation; three free parameters would
over-fit four or five points).
"""
import glob
import os
import re
import sys

import numpy as np

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


TARGET = 1e10  # K/s, the paper's rate
Q0 = 1e14  # K/s, Vogel-Fulcher prefactor


# Student's t at 97.5 % for 1..5 degrees of freedom: the 95 % interval of an
# extrapolation from 3..7 rates
T975 = {1: 12.706, 2: 4.303, 3: 3.182, 4: 2.776, 5: 2.571}


def loglinear(rates, tgs):
    """Tg at TARGET, its standard error and the half-width of its 95 %
    interval from Tg = a + b log10(q); and the slope b (K per decade)."""
    x, y = np.log10(rates), np.asarray(tgs)
    a = np.vstack([np.ones_like(x), x]).T
    coef, res, _, _ = np.linalg.lstsq(a, y, rcond=None)
    x0 = np.array([1.0, np.log10(TARGET)])
    dof = len(x) - 2
    if dof <= 0:
        return x0 @ coef, float("nan"), float("nan"), coef[1]
    s2 = float(np.sum((y - a @ coef) ** 2)) / dof
    se = float(np.sqrt(s2 * x0 @ np.linalg.inv(a.T @ a) @ x0))
    return x0 @ coef, se, T975.get(dof, 1.96) * se, coef[1]


def vogel_fulcher(rates, tgs):
    """Tg at TARGET from ln(q0/q) = B / (Tg - T0), i.e. Tg = T0 + B / ln(q0/q):
    linear in (T0, B), so least squares is exact."""
    u = 1.0 / np.log(Q0 / np.asarray(rates))
    a = np.vstack([np.ones_like(u), u]).T
    coef, _, _, _ = np.linalg.lstsq(a, np.asarray(tgs), rcond=None)
    return coef[0] + coef[1] / np.log(Q0 / TARGET), coef[0]


def main():
    d = sys.argv[1] if len(sys.argv) > 1 else "runs/tg_rate"
    rows = []
    for path in glob.glob(os.path.join(d, "glass_*.data.curve.csv")):
        rate = float(re.search(r"glass_([0-9.e+]+)\.data", path).group(1))
        c, n = ffi.new("am_cooling_point **"), ffi.new("size_t *")
        check(lib.am_cooling_curve_read(path.encode(), c, n))  # malloc'd; freed at exit
        fits = {name: (tg(c[0], n[0], 0, *w), tg(c[0], n[0], 1, *w)) for name, w in WINDOWS.items()}
        rows.append((rate, fits))
    rows.sort(reverse=True, key=lambda r: r[0])
    print("| rate (K/s) | Tg(V), K | range over windows | Tg(E), K | range over windows |")
    print("|---|---|---|---|---|")
    for rate, fits in rows:
        v = [f[0] for f in fits.values()]
        e = [f[1] for f in fits.values()]
        print("| %.0e | %.0f | %.0f–%.0f | %.0f | %.0f–%.0f |" % (rate, fits["default"][0], min(v), max(v),
                                                              fits["default"][1], min(e), max(e)))
    rates = np.array([r for r, _ in rows])
    if len(rows) >= 3:
        # the fastest rate alone carries most of the slope: the same fit
        # without it shows how much the extrapolation rests on it
        print("\n| windows | Tg(V) at 1e10 K/s, log-linear (± s.e.; 95 %%) | slope, K per decade | "
              "without %.0e: Tg(V) at 1e10 K/s (± s.e.; 95 %%), slope | Vogel-Fulcher (T0) |" % rates[0])
        print("|---|---|---|---|---|")
        for name in WINDOWS:
            t = [f[name][0] for _, f in rows]
            ll, se, h, b = loglinear(rates, t)
            if len(rows) >= 4:
                l2, se2, h2, b2 = loglinear(rates[1:], t[1:])
                slow = "%.0f ± %.0f K (%.0f–%.0f K), %.1f" % (l2, se2, l2 - h2, l2 + h2, b2)
            else:
                slow = "needs 4 rates"
            vf = "%.0f K (%.0f K)" % vogel_fulcher(rates, t) if len(rows) >= 4 else "needs 4 rates"
            print("| %s | %.0f ± %.0f K (%.0f–%.0f K) | %.1f | %s | %s |" % (name, ll, se, ll - h, ll + h, b, slow, vf))
    print("\nwindows:", "; ".join("%s liquid %d-%d K, glass %d-%d K" % (k, *w[0], *w[1]) for k, w in WINDOWS.items()))
    print("amorph", amorph.__version__)


if __name__ == "__main__":
    main()
