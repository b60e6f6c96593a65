#!/bin/sh
# Atoms that hop during the paper's vMSD run, against the glass's cooling rate (issue 22,
# docs/reproduction.md, "vMSD vs Ea at 19 652 atoms"): each glass of run.sh minimised with its box
# (amorph minimize --box iso), then amorph vibrate at 300 K under NPT, 20 ps + 100 ps, seed 1, one
# thread (the paper preset's vMSD run); an atom has hopped when one of the four quenched snapshots
# leaves it more than 0.3 Å from its inherent position. Prints a Markdown table.
# A trajectory's last bits, and so, as it diverges, the trajectory itself, depend on the CPU's force
# kernel, as does a minimisation's: the inherent structures and the finished runs' checkpoints
# (which hold their results) are committed as hops_<rate>.data.xz and hops_<rate>.T300.ckpt.xz;
# delete them to redo (~3 min per rate on one core).
set -eu
cd "$(dirname "$0")"
BIN=${AMORPH:-../../build/amorph}
# Debian's interpreter, with python3-numpy (as scripts/reproduce_2009.sh); PYTHON overrides
PY=${PYTHON:-python3}
[ -n "${PYTHON:-}" ] || [ ! -x /usr/bin/python3 ] || PY=/usr/bin/python3
echo "| cooling rate (K/s) | atoms hopped at 300 K | Cu | Zr | mean vMSD (Å²) |"
echo "|---|---:|---:|---:|---:|"
for rate in 1e13 3e12 1e12 3e11 1e11; do
  is=hops_$rate.data
  [ -f "$is" ] || [ ! -f "$is.xz" ] || xz -dc "$is.xz" > "$is"
  if [ ! -f "$is" ]; then
    xz -dc "glass_$rate.data.xz" > "hops_glass_$rate.data"
    "$BIN" minimize "hops_glass_$rate.data" --box iso -o "$is" -q
    rm "hops_glass_$rate.data"
  fi
  [ -f "hops_$rate.T300.ckpt" ] || [ ! -f "hops_$rate.T300.ckpt.xz" ] || xz -dc "hops_$rate.T300.ckpt.xz" > "hops_$rate.T300.ckpt"
  OMP_NUM_THREADS=1 "$BIN" vibrate "$is" -T 300 --ensemble npt --time 100 --equilibrate 20 --seed 1 --threads 1 \
    -o "hops_$rate.extxyz" --checkpoint-prefix "hops_$rate" -q --json > "hops_$rate.json"
  "$PY" - "hops_$rate.extxyz" "hops_$rate.json" "$rate" <<'PY'
import json, sys
sys.path.insert(0, "../../scripts")
from repro_rcg import extxyz  # the reproduction's extended-XYZ column reader
t = extxyz(sys.argv[1], {"species", "hopped_300K"})
frac = lambda name: (t["hopped_300K"][t["species"] == name] > 0).mean()
run = json.load(open(sys.argv[2]))["runs"][0]
n = len(t["species"])
print(f"| {sys.argv[3]} | {run['hopped']} of {n} ({run['hopped'] / n:.1%}) | {frac('Cu'):.1%} "
      f"| {frac('Zr'):.1%} | {run['mean_vmsd']:.4f} |")
PY
done
