#!/usr/bin/env python3
"""Protocol scan of amorph artn (docs/saddle.md, "Protocol").

Runs one campaign per variant on the same central atoms (random:N with the
same --seed picks the same atoms), each in its own event log under OUTDIR, and
prints one table row per variant: success, median force calls to the saddle,
the spreads of Ea, E_final - E0 and the central atom's displacement over the
converged searches, and the per-atom mean barriers by species. Logs resume, so
an interrupted scan is rerun with the same command.

  bench/artn/scan.py CONF OUTDIR [--atoms N] [--searches K] [--seed S]
                     [--threads T] [--amorph PATH] [--only NAME,...] [-- extra artn options]

The variants are the VARIANTS table below; extra options after -- go to every
campaign (e.g. -p POT). A variant's log name is its key.
"""
import json
import os
import sys

from campaign_args import parse, parser, run

# key: (description, options). Every variant but "paper" uses the local
# forces and the whole-box re-convergence of the defaults it names.
ACCURATE = ["--local-radius", "10", "--refine-radius", "-1", "--refine-inner-radius", "20",
            "--refine-exit-force", "0.01"]
VARIANTS = {
    "paper": ("paper's protocol: atom alone (2 A), whole box, 0.05 eV/A", ["--preset", "paper"]),
    "atom": ("atom alone, local 10 A, refined to 0.01", ACCURATE + ["--push-radius", "2"]),
    "shell": ("first shell (3.5 A)", ACCURATE + ["--push-radius", "3.5"]),
    "cluster6": ("centre + 5 nearest", ACCURATE + ["--push-cluster", "6"]),
    "cluster4": ("centre + 3 nearest", ACCURATE + ["--push-cluster", "4"]),
    "cluster8": ("centre + 7 nearest", ACCURATE + ["--push-cluster", "8"]),
    "cluster6_thr02": ("centre + 5 nearest, out of the basin at -0.2 eV/A^2", ACCURATE + ["--push-cluster", "6",
                                                                                       "--eigen-threshold", "-0.2"]),
    "cluster6_step01": ("centre + 5 nearest, eigenvector steps <= 0.1 A", ACCURATE + ["--push-cluster", "6",
                                                                                    "--eigen-step", "0.1"]),
    "cluster6_perp3": ("centre + 5 nearest, 3 CG per basin step", ACCURATE + ["--push-cluster", "6",
                                                                            "--basin-perp-steps", "3"]),
    "shell_perp3": ("first shell, 3 CG per basin step", ACCURATE + ["--push-radius", "3.5", "--basin-perp-steps", "3"]),
    "shell_thr01": ("first shell, out of the basin at -0.1 eV/A^2", ACCURATE + ["--push-radius", "3.5",
                                                                               "--eigen-threshold", "-0.1"]),
    "shell_align2": ("first shell, turn to the mode over 2 steps", ACCURATE + ["--push-radius", "3.5",
                                                                             "--basin-align", "2"]),
    "atom_align2": ("atom alone, turn to the mode over 2 steps", ACCURATE + ["--push-radius", "2",
                                                                           "--basin-align", "2"]),
    "atom_guard": ("atom alone, centre <= 1.5 A before the saddle", ACCURATE + ["--push-radius", "2",
                                                                              "--max-center-disp", "1.5"]),
    "shell_guard": ("first shell, centre <= 1.5 A", ACCURATE + ["--push-radius", "3.5", "--max-center-disp", "1.5"]),
    "shell_rise": ("first shell, new minimum <= E0 + 1 eV", ACCURATE + ["--push-radius", "3.5",
                                                                       "--max-final-rise", "1.0"]),
}


def fmt(x, f="%.2f"):
    return "—" if x is None else f % x


def main():
    ap = parser(__doc__, 40, 5)
    ap.add_argument("--only", default="")
    a = parse(ap)
    keys = [k for k in VARIANTS if not a.only or k in a.only.split(",")]
    rows = []
    for k in keys:
        desc, opts = VARIANTS[k]
        log = os.path.join(a.outdir, k + ".jsonl")
        cmd = [a.amorph, "artn", a.conf, "-e", log, "--atoms", "random:%d" % a.atoms, "--searches",
               str(a.searches), "--seed", str(a.seed), "--threads", str(a.threads), "-q", "--json"] + opts + a.extra
        out, wall = run(cmd)
        j = json.loads(out)
        rows.append((k, desc, j, wall))
        print("%s: %s" % (k, " ".join(cmd)), file=sys.stderr)
    sp = sorted({s for _, _, j, _ in rows for s in j["species"]})
    head = ("| variant | success | calls to saddle | Ea median (10–90 %) | E_fin−E0 median | centre at saddle "
            "| centre in new min | " + " | ".join("%s per-atom mean (atoms)" % s for s in sp) + " |")
    print(head)
    print("|" + "---|" * (7 + len(sp)))
    for k, desc, j, wall in rows:
        ev = j["events"]
        cells = [k + ": " + desc,
                 "%d/%d (%.0f %%)" % (j["converged"], j["searches"], 100.0 * j["converged"] / max(1, j["searches"])),
                 fmt(j["median_force_calls_saddle"], "%.0f"),
                 "%s (%s–%s)" % (fmt(ev["ea"]["median"]), fmt(ev["ea"]["p10"]), fmt(ev["ea"]["p90"])),
                 fmt(ev["de_final"]["median"]), fmt(ev["disp_center_saddle"]["median"]),
                 fmt(ev["disp_center_final"]["median"])]
        for s in sp:
            q = j["species"].get(s, {})
            cells.append("%s (%d)" % (fmt(q.get("mean_ea")), q.get("atoms_with_event", 0)))
        print("| " + " | ".join(cells) + " |")


if __name__ == "__main__":
    main()
