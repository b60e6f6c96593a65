#!/usr/bin/env python3
"""Convergence of per-atom activation energies with the number of ARTn
searches per atom, for docs/reproduction.md.

    scripts/repro_convergence.py WORKDIR KMAX

Reads WORKDIR/artn_k{1..KMAX}.extxyz (amorph artn-summary --attempts k) and
WORKDIR/report_k{k}/summary.json (amorph analyze of each), and prints a
Markdown table: atoms with an event, distribution of the per-atom mean Ea,
its correlation with the KMAX value, and the reliability of a k-search mean
(between-atom variance over total variance) from a one-way random-effects
split of the events themselves."""
import json
import math
import sys


def read_table(path):
    """Per-atom columns of an extended XYZ table: {name: [values]}."""
    with open(path) as f:
        n = int(f.readline())
        head = f.readline()
        props = head.split("Properties=")[1].split()[0].split(":")
        cols, k = [], 0
        for i in range(0, len(props), 3):
            name, width = props[i], int(props[i + 2])
            cols.append((name, k, width))
            k += width
        out = {name: [] for name, _, _ in cols}
        for _ in range(n):
            f_ = f.readline().split()
            for name, start, width in cols:
                if width == 1:
                    out[name].append(f_[start])
    return out


def stats(x):
    x = sorted(x)
    n = len(x)
    m = sum(x) / n
    sd = math.sqrt(sum((v - m) ** 2 for v in x) / (n - 1))
    q = lambda p: x[min(n - 1, int(round(p * (n - 1))))]
    return m, sd, q(0.1), q(0.5), q(0.9)


def pearson(a, b):
    n = len(a)
    ma, mb = sum(a) / n, sum(b) / n
    sab = sum((x - ma) * (y - mb) for x, y in zip(a, b))
    saa = sum((x - ma) ** 2 for x in a)
    sbb = sum((y - mb) ** 2 for y in b)
    return sab / math.sqrt(saa * sbb)


def corr(summary, sel, desc):
    for r in summary["correlations"]:
        if r["selection"] == sel and r["descriptor"] == desc:
            return r
    return None


def main():
    w, kmax = sys.argv[1], int(sys.argv[2])
    tabs = [read_table(f"{w}/artn_k{k}.extxyz") for k in range(1, kmax + 1)]
    species = tabs[0]["species"]
    final = tabs[-1]
    have_final = [int(c) > 0 for c in final["ea_count"]]
    print("| searches per atom | atoms with an event | mean of per-atom Ea (eV) | spread (sd) | "
          "10 / 50 / 90 % (eV) | per-atom Ea < 0.95 eV | r with the "
          f"{kmax}-search value | Pearson r vMSD(300 K), Cu / Zr | coarse-grained r (100), Cu / Zr |")
    print("|---|---|---|---|---|---|---|---|---|")
    for k, t in enumerate(tabs, start=1):
        ok = [int(c) > 0 for c in t["ea_count"]]
        ea = [float(v) for v, o in zip(t["ea_mean"], ok) if o]
        m, sd, q10, q50, q90 = stats(ea)
        both = [i for i in range(len(ok)) if ok[i] and have_final[i]]
        rk = pearson([float(t["ea_mean"][i]) for i in both], [float(final["ea_mean"][i]) for i in both])
        s = json.load(open(f"{w}/report_k{k}/summary.json"))
        cu, zr = corr(s, "Cu", "vmsd_300K"), corr(s, "Zr", "vmsd_300K")
        low = sum(v < 0.95 for v in ea) / len(ea)
        print(f"| {k} | {len(ea)} | {m:.3f} | {sd:.3f} | {q10:.2f} / {q50:.2f} / {q90:.2f} | {100 * low:.1f} % | "
              f"{rk:.3f} | {cu['pearson']:+.3f} / {zr['pearson']:+.3f} | "
              f"{cu['r_cg']:+.3f} / {zr['r_cg']:+.3f} |")
    # one-way random effects over the distinct events of each atom (the
    # KMAX table's atoms with >= 2 events): within-atom variance of single
    # barriers and between-atom variance of the true means
    events = {}
    with open(f"{w}/events.jsonl") as f:
        f.readline()
        for line in f:
            e = json.loads(line)
            if e["status"] == "ok" and e["attempt"] < kmax:
                events.setdefault(e["atom"], []).append(e["ea"])
    groups = [v for v in events.values() if len(v) >= 2]
    within = sum(sum((x - sum(v) / len(v)) ** 2 for x in v) for v in groups) / sum(len(v) - 1 for v in groups)
    means = [sum(v) / len(v) for v in events.values()]
    nbar = sum(len(v) for v in events.values()) / len(events)
    total = stats(means)[1] ** 2
    between = max(total - within / nbar, 0.0)
    print()
    print(f"Random-effects split over {len(events)} atoms ({nbar:.2f} converged events per atom on average): "
          f"single-event sd within an atom {math.sqrt(within):.3f} eV, sd of the atoms' true means "
          f"{math.sqrt(between):.3f} eV.")
    print()
    print("| converged events per atom | reliability of the mean, σ²_b / (σ²_b + σ²_w / n) | "
          "attenuation of any r, √reliability |")
    print("|---|---|---|")
    for n in (1, 2, 3, 5, 10, 20):
        rel = between / (between + within / n)
        print(f"| {n} | {rel:.3f} | {math.sqrt(rel):.3f} |")


if __name__ == "__main__":
    main()
