#!/usr/bin/env python3
"""How much of the coarse-grained r(vMSD, Ea) a campaign of one search per
atom loses to the searches' scatter, and how much the atoms that hop during
the vMSD run take (docs/reproduction.md, "vMSD vs Ea at 19 652 atoms"):

    scripts/repro_rcg.py STUDY REFLOG REFDATA [T]

STUDY holds vibrate.extxyz and artn.extxyz (amorph study or artn-summary);
REFLOG is an event log (xz or plain) with two or more searches per atom on a
glass made the same way, REFDATA its structure (LAMMPS data, xz or plain, types
1 and 2 the Cu and Zr of STUDY's species column),
T the vMSD temperature (300). Prints a Markdown table.

A single search's barrier is the atom's mean barrier plus a search-to-search
scatter: var(Ea1 - Ea2)/2 of the atoms with two converged searches in REFLOG
is its variance s2. Atoms sorted by vMSD and averaged in groups (the
paper's coarse-graining, as `amorph analyze`: n // 100 groups, sizes spread
evenly) keep s2/size of it in each group mean of Ea; with K searches per
atom it would be s2/(K size). The covariance of the group means does not
depend on K, so r_cg(K) = r_cg(1) sqrt(V1 / VK), V the variance of the
group means of Ea. Assumes the scatter independent of vMSD and of the
atom's group, and REFLOG's scatter that of STUDY's glass."""
import json
import lzma
import sys

import numpy as np

GROUP = 100


def text(path):
    return lzma.open(path, "rt") if path.endswith(".xz") else open(path)


def extxyz(path, wanted):
    """Columns of an extended XYZ file: name -> array (first column of each)."""
    with open(path) as f:
        n = int(f.readline())
        props = f.readline().split("Properties=")[1].split()[0].split(":")
        rows = [f.readline().split() for _ in range(n)]
    out, c = {}, 0
    for name, kind, width in zip(props[0::3], props[1::3], map(int, props[2::3])):
        if name in wanted:
            col = [r[c] for r in rows]
            out[name] = np.array(col) if kind == "S" else np.array(col, dtype=float)
        c += width
    missing = set(wanted) - set(out)
    if missing:
        sys.exit(f"repro_rcg: {path} has no column {', '.join(sorted(missing))}")
    return out


def species_of(path):
    """Atom id -> type from a LAMMPS data file's Atoms section."""
    lines = text(path).read().split("\n")
    # the types must be Cu and Zr in that order, as their masses say
    m = next(i for i, l in enumerate(lines) if l.startswith("Masses")) + 2
    masses = {int(l.split()[0]): float(l.split()[1]) for l in lines[m:m + 2]}
    if abs(masses.get(1, 0) - 63.546) > 0.1 or abs(masses.get(2, 0) - 91.224) > 0.1:
        sys.exit(f"repro_rcg: {path}: types 1 and 2 should be Cu and Zr, masses are {masses}")
    k = next(i for i, l in enumerate(lines) if l.startswith("Atoms")) + 2
    typ = {}
    while k < len(lines) and lines[k].strip():
        p = lines[k].split()
        typ[int(p[0])] = int(p[1])
        k += 1
    return typ


def scatter(log, data):
    """Per type: (pairs, test-retest r, s2) from the first two converged searches of each atom."""
    ea = {}
    with text(log) as f:
        for line in f:
            e = json.loads(line)
            if e.get("status") == "ok" and e.get("attempt") in (0, 1):
                ea.setdefault(e["atom"], {})[e["attempt"]] = e["ea"]
    typ = species_of(data)
    out = {}
    for t in sorted(set(typ.values())):
        p = np.array([(v[0], v[1]) for a, v in ea.items() if len(v) == 2 and typ[a] == t])
        if len(p) < 30:
            sys.exit(f"repro_rcg: {log} has {len(p)} atoms of type {t} with two converged searches (30 needed)")
        out[t] = (len(p), np.corrcoef(p[:, 0], p[:, 1])[0, 1], np.var(p[:, 0] - p[:, 1]) / 2)
    return out


def group_means(x, y, z):
    """Group means of x and y, group sizes, and the mean of z over the last group."""
    o = np.argsort(x, kind="stable")
    x, y, z = x[o], y[o], z[o]
    g = len(x) // GROUP
    b = [k * len(x) // g for k in range(g + 1)]
    xm = np.array([x[b[k]:b[k + 1]].mean() for k in range(g)])
    ym = np.array([y[b[k]:b[k + 1]].mean() for k in range(g)])
    return xm, ym, np.diff(b), z[b[-2]:].mean()


def main():
    if len(sys.argv) not in (4, 5):
        sys.exit(__doc__)
    study, log, data = sys.argv[1:4]
    temp = sys.argv[4] if len(sys.argv) == 5 else "300"
    v = extxyz(f"{study}/vibrate.extxyz", {"species", "id", f"vmsd_{temp}K", f"hopped_{temp}K"})
    a = extxyz(f"{study}/artn.extxyz", {"id", "ea_mean", "ea_count"})
    if not np.array_equal(v["id"], a["id"]):
        sys.exit("repro_rcg: vibrate.extxyz and artn.extxyz list other atoms")
    vm, hop, ea = v[f"vmsd_{temp}K"], v[f"hopped_{temp}K"], a["ea_mean"]
    ref = scatter(log, data)
    print(f"| species | atoms with a barrier (hopped at {temp} K) | one search: test-retest r, scatter sd "
          "| r_cg as analysed | its search scatter's share of V1 | r_cg with 2, 10, ∞ searches per atom "
          "| without the hopped atoms: r_cg, with ∞ searches | mean vMSD (Å²): the highest group (hopped), "
          "the atoms that stay |")
    print("|---|---|---|---|---|---|---|---|")
    for t, name in enumerate(("Cu", "Zr"), start=1):
        pairs, retest, s2 = ref[t]
        sel = (v["species"] == name) & (a["ea_count"] > 0) & np.isfinite(ea)
        cells = []
        for keep in (sel, sel & (hop == 0)):
            xm, ym, size, top = group_means(vm[keep], ea[keep], hop[keep] > 0)
            r1, v1 = np.corrcoef(xm, ym)[0, 1], ym.var()
            noise = s2 * np.mean(1.0 / size)
            cells.append([r1 * np.sqrt(v1 / (v1 - noise + noise / k)) for k in (1, 2, 10, np.inf)]
                         + [noise / v1, len(ym), xm[-1], top])
        (r1, r2, r10, rinf, share, g, vtop, htop), (h1, _, _, hinf, _, hg, _, _) = cells
        stay = vm[sel & (hop == 0)].mean()
        print(f"| {name} | {sel.sum()} ({(sel & (hop > 0)).sum()}) | {retest:.2f} ({pairs} atoms), {np.sqrt(s2):.2f} eV "
              f"| {r1:+.2f} ({g} groups) | {share:.0%} | {r2:+.2f}, {r10:+.2f}, {rinf:+.2f} "
              f"| {h1:+.2f} ({hg} groups), {hinf:+.2f} | {vtop:.3f} ({htop:.0%}), {stay:.3f} |")


if __name__ == "__main__":
    main()
