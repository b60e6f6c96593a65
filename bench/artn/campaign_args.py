"""What bench/artn/scan.py and accuracy.py share: the arguments that name a
campaign (configuration, output directory, atoms, searches, seed, threads,
the amorph binary; options after -- go to every amorph artn), and running
amorph without a shell."""
import argparse
import os
import subprocess
import sys
import time


def parser(doc, atoms, searches):
    ap = argparse.ArgumentParser(description=doc, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("conf")
    ap.add_argument("outdir")
    ap.add_argument("--atoms", type=int, default=atoms)
    ap.add_argument("--searches", type=int, default=searches)
    ap.add_argument("--seed", type=int, default=1)
    ap.add_argument("--threads", type=int, default=2)
    ap.add_argument("--amorph", default=os.environ.get("AMORPH_BINARY", "amorph"))
    return ap


def parse(ap):
    """Parses sys.argv; a.extra holds what follows --."""
    argv = sys.argv[1:]
    cut = argv.index("--") if "--" in argv else len(argv)
    a = ap.parse_args(argv[:cut])
    a.extra = argv[cut + 1:]
    os.makedirs(a.outdir, exist_ok=True)
    return a


def run(cmd):
    """Runs cmd (a list: no shell); exits with its stderr on failure. Returns (stdout, seconds)."""
    t = time.time()
    p = subprocess.run(cmd, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
    if p.returncode != 0:
        sys.exit("%s failed (%d):\n%s" % (" ".join(cmd), p.returncode, p.stderr))
    return p.stdout, time.time() - t
