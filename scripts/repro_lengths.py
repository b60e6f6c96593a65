#!/usr/bin/env python3
"""vMSD correlation lengths side by side (docs/reproduction.md, "vMSD
correlation lengths at both sizes"):

    scripts/repro_lengths.py LABEL=SUMMARY [LABEL=SUMMARY ...]

Each SUMMARY is an `amorph analyze` summary.json; LABEL heads its column.
For every vMSD temperature: the total and the directional length ξ of
C0 exp(-r/xi) with its 95 % bootstrap interval (Å), and per report how far
the fits reach. Prints a Markdown table."""
import json
import re
import sys


def lengths(path):
    out = {}
    for c in json.load(open(path))["correlation_lengths"]:
        m = re.fullmatch(r"vmsd_(\d+)K(_directional)?", c["column"])
        if m and c["xi"] is not None:
            out[(int(m.group(1)), bool(m.group(2)))] = c
    return out


def cell(c):
    return f"{c['xi']:.2f} [{c['xi_lo']:.2f}, {c['xi_hi']:.2f}]" if c else "none"


def main():
    if len(sys.argv) < 2 or any("=" not in a for a in sys.argv[1:]):
        sys.exit(__doc__)
    cols = [(a.split("=", 1)[0], lengths(a.split("=", 1)[1])) for a in sys.argv[1:]]
    temps = sorted({t for _, l in cols for t, _ in l})
    print("| T | " + " | ".join(f"{lab}: total; directional" for lab, _ in cols) + " |")
    print("|---|" + "---|" * len(cols))
    for t in temps:
        print(f"| {t} K | " + " | ".join(f"{cell(l.get((t, False)))}; {cell(l.get((t, True)))}" for _, l in cols)
              + " |")
    reach = []
    for _, l in cols:
        r = [c["fit_max"] for c in l.values()]
        reach.append(f"{min(r):.1f}–{max(r):.1f} Å" if r else "no fit")
    print("| fits reach | " + " | ".join(reach) + " |")


if __name__ == "__main__":
    main()
