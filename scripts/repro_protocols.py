#!/usr/bin/env python3
"""The paper's ARTn protocol against the validated one on the same atoms
(docs/reproduction.md: "on the same atoms its barriers lie above the validated
protocol's per-atom means by ..."):

    scripts/repro_protocols.py VALIDATED PAPER

VALIDATED and PAPER are per-atom barrier tables of one glass (`amorph
artn-summary LOG STRUCTURE -o TABLE.extxyz`), the first from the default
protocol's campaign, the second from `--preset paper`'s searches on a random
subset. For each species, over the atoms with an event in both: the mean of
PAPER's per-atom mean minus VALIDATED's, with its standard error, and both
means. Prints a Markdown table."""
import sys

import numpy as np

from repro_rcg import extxyz

COLUMNS = {"species", "id", "ea_mean", "ea_count"}


def main():
    if len(sys.argv) != 3:
        sys.exit(__doc__)
    val = extxyz(sys.argv[1], COLUMNS)
    pap = extxyz(sys.argv[2], COLUMNS)
    row_of = {int(i): k for k, i in enumerate(val["id"])}
    print("| species | atoms with an event in both | paper's protocol: per-atom mean | validated: per-atom mean "
          "| paper minus validated: mean ± standard error |")
    print("|---|---:|---:|---:|---:|")
    for sp in sorted(set(pap["species"])):
        p, v = [], []
        for k, i in enumerate(pap["id"]):
            j = row_of.get(int(i))
            if j is None:
                sys.exit(f"repro_protocols: atom {int(i)} of {sys.argv[2]} is not in {sys.argv[1]}")
            if pap["species"][k] != sp or pap["ea_count"][k] < 1 or val["ea_count"][j] < 1:
                continue
            if val["species"][j] != sp:
                sys.exit(f"repro_protocols: atom {int(i)} is {sp} in {sys.argv[2]}, {val['species'][j]} in {sys.argv[1]}")
            p.append(pap["ea_mean"][k])
            v.append(val["ea_mean"][j])
        d = np.array(p) - np.array(v)
        se = d.std(ddof=1) / np.sqrt(len(d)) if len(d) > 1 else float("nan")
        print(f"| {sp} | {len(d)} | {np.mean(p):.3f} eV | {np.mean(v):.3f} eV | {d.mean():+.3f} ± {se:.3f} eV |")


if __name__ == "__main__":
    main()
