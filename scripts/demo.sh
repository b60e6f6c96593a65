#!/bin/sh
# The main job on the shipped sample: at this stage of amorph, the energy,
# pressure and per-atom forces of the default Cu50Zr50 glass.
set -eu
AMORPH=${1:-build/amorph}
SAMPLE=data/cuzr_glass_2000.data
OUT=demo-output
mkdir -p "$OUT"
echo "== amorph energy on $SAMPLE (potential: Debian lammps-data CuZr_mm.eam.fs)"
"$AMORPH" energy "$SAMPLE" --species Cu,Zr -o "$OUT/atoms.extxyz"
"$AMORPH" energy "$SAMPLE" --species Cu,Zr --json > "$OUT/energy.json"
echo "== wrote $OUT/atoms.extxyz (per-atom energy, forces; opens in OVITO/ASE) and $OUT/energy.json"
