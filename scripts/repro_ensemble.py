#!/usr/bin/env python3
"""vMSD under NPT (the paper's ensemble, `amorph study --preset paper`)
against NVT (the inherent structure's box, `amorph vibrate`'s default) on one
glass (docs/reproduction.md, "NPT or NVT"):

    scripts/repro_ensemble.py NPT_VIBRATE NVT_VIBRATE NPT_SUMMARY NVT_SUMMARY

The VIBRATE files are `amorph vibrate` tables (extended XYZ), the SUMMARY
files `amorph analyze` summaries made from them with the same barriers. For
each temperature in the NVT table: per species the mean vMSD and the share of
atoms that hopped, the coarse-grained and per-atom r with Ea (95 %
intervals), and the correlation length of vMSD. Prints a Markdown table."""
import json
import re
import sys

from repro_rcg import extxyz

SPECIES = ("Cu", "Zr")


def temperatures(path):
    with open(path) as f:
        f.readline()
        props = f.readline().split("Properties=")[1].split()[0].split(":")[0::3]
    return sorted(int(m.group(1)) for m in map(re.compile(r"vmsd_(\d+)K").fullmatch, props) if m)


def corr(s, name, sp):
    return next(c for c in s["correlations"] if c["descriptor"] == name and c["selection"] == sp)


def xi(s, name):
    c = next(c for c in s["correlation_lengths"] if c["column"] == name)
    return "none" if c["xi"] is None else f"{c['xi']:.2f} [{c['xi_lo']:.2f}, {c['xi_hi']:.2f}]"


def main():
    if len(sys.argv) != 5:
        sys.exit(__doc__)
    temps = temperatures(sys.argv[2])
    wanted = {"species"} | {f"{k}_{t}K" for t in temps for k in ("vmsd", "hopped")}
    tables = {"NPT": extxyz(sys.argv[1], wanted), "NVT": extxyz(sys.argv[2], wanted)}
    summaries = {k: json.load(open(p)) for k, p in zip(("NPT", "NVT"), sys.argv[3:5])}
    print("| T | ensemble | mean vMSD Cu, Zr (Å²) | hopped Cu, Zr | r_cg with Ea: Cu; Zr | per atom: Cu; Zr "
          "| ξ of vMSD: total; directional (Å) |")
    print("|---|---|---|---|---|---|---|")
    for t in temps:
        name = f"vmsd_{t}K"
        for ens, v in tables.items():
            s = summaries[ens]
            mean = ", ".join(f"{v[name][v['species'] == sp].mean():.4f}" for sp in SPECIES)
            hop = ", ".join(f"{(v[f'hopped_{t}K'][v['species'] == sp] > 0).mean():.1%}" for sp in SPECIES)
            cg = "; ".join(f"{c['r_cg']:+.2f} [{c['r_cg_ci'][0]:+.2f}, {c['r_cg_ci'][1]:+.2f}] ({c['groups']})"
                           for c in (corr(s, name, sp) for sp in SPECIES))
            pa = "; ".join(f"{c['pearson']:+.3f} [{c['pearson_ci'][0]:+.3f}, {c['pearson_ci'][1]:+.3f}]"
                           for c in (corr(s, name, sp) for sp in SPECIES))
            print(f"| {t} K | {ens} | {mean} | {hop} | {cg} | {pa} | {xi(s, name)}; {xi(s, name + '_directional')} |")


if __name__ == "__main__":
    main()
