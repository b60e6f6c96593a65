#!/usr/bin/env python3
"""Barrier accuracy of amorph artn (docs/saddle.md, "Accuracy").

Runs the same campaign (same atoms, seeds, options) once per refinement exit
force and once with the reference exit force, each into its own log under
OUTDIR, and compares the barriers of the searches that converged in both: a
search is deterministic up to its refinement, so both refine the same local
saddle, and the difference is what the looser exit force leaves unconverged
(or a refinement that slid to another saddle, which counts against it too).
Also prints the median force calls and wall time per converged search.

  bench/artn/accuracy.py CONF OUTDIR [--atoms N] [--searches K] [--seed S] [--threads T]
                         [--forces 0.01,0.005] [--reference 0.002] [--reference-options "OPTS"]
                         [--amorph PATH] [-- extra artn options]

--reference-options: amorph artn options for the reference run alone (e.g.
"--refine-reflect 0", so that a different algorithm converges the reference).
"""
import json
import os
import sys

from campaign_args import parse, parser, run


def events(path):
    ev = {}
    with open(path) as f:
        for line in f:
            j = json.loads(line)
            if "atom" in j and "outcome" in j:
                ev[(j["atom"], j["attempt"])] = j
    return ev


def median(x):
    x = sorted(x)
    n = len(x)
    return float("nan") if not n else (x[n // 2] if n % 2 else 0.5 * (x[n // 2 - 1] + x[n // 2]))


def main():
    ap = parser(__doc__, 50, 2)
    ap.add_argument("--forces", default="0.01,0.005")
    ap.add_argument("--reference", type=float, default=0.002)
    ap.add_argument("--reference-options", default="")
    a = parse(ap)
    extra = a.extra
    forces = [float(x) for x in a.forces.split(",")]
    logs = {}
    for f in forces + [a.reference]:
        log = os.path.join(a.outdir, "refine_%g.jsonl" % f)
        cmd = [a.amorph, "artn", a.conf, "-e", log, "--atoms", "random:%d" % a.atoms, "--searches", str(a.searches),
               "--seed", str(a.seed), "--threads", str(a.threads), "-q", "--json", "--refine-exit-force", str(f)]
        own = a.reference_options.split() if f == a.reference else []
        _, wall = run(cmd + extra + own)
        print("%s  (%.0f s)" % (" ".join(cmd + extra + own), wall), file=sys.stderr)
        logs[f] = events(log)
    ref = logs[a.reference]
    print("| refinement exit force (eV/Å) | converged | shared with the reference | within 0.01 eV "
          "| \\|ΔEa\\| median, 95 %, max (eV) | median calls to the saddle | median wall per converged search (s) |")
    print("|---:|---:|---:|---:|---|---:|---:|")
    for f in forces + [a.reference]:
        ev = logs[f]
        ok = {k: e for k, e in ev.items() if e["outcome"] == 0}
        shared = [k for k in ok if k in ref and ref[k]["outcome"] == 0]
        d = sorted(abs(ok[k]["ea"] - ref[k]["ea"]) for k in shared)
        within = sum(x < 0.01 for x in d)
        q95 = d[min(len(d) - 1, int(0.95 * len(d)))] if d else float("nan")
        calls = median([e.get("force_calls_saddle", e["force_calls"]) for e in ok.values()])
        wall = median([e["wall"] for e in ok.values()])
        print("| %g | %d/%d | %d | %d (%.0f %%) | %.4f, %.4f, %.4f | %.0f | %.2f |" % (
            f, len(ok), len(ev), len(shared), within, 100.0 * within / max(1, len(d)), median(d) if d else float("nan"),
            q95, d[-1] if d else float("nan"), calls, wall))


if __name__ == "__main__":
    main()
