#!/bin/sh
# Normal-mode benchmark: the lowest 0.25 % of the modes of a CuZr glass with
# amorph's dense (LAPACK) and sparse (block shift-invert Lanczos on a sparse
# LDLt of the augmented pair-range system) solvers:
# the shipped 2 000-atom glass with both (they must agree), a 20 000-atom
# slab (the 2 000-atom glass replicated 5x2x1 by LAMMPS) and a cubic
# 19 652-atom glass (the paper's geometry) with the sparse one.
# The cubic glass is quenched once by amorph (a fast quench: its structure
# matters little for the solver; ~15 core-minutes) and kept in bench/out:
#   amorph quench -p data/potentials/Cu-Zr_2.eam.fs --preset quick --composition Cu50Zr50
#     --atoms 19652 --rate 1e14 --seed 3 -o bench/out/modes/cuzr_glass_19652.data
# A cube needs larger nested-dissection separators than a slab of as many
# atoms, so its factor is the larger (docs/performance.md, "Normal modes").
# Prints wall seconds, peak memory and the largest participation difference.
# LAMMPS has no normal-mode solver in Debian's build, so there is no peer run.
# Usage: bench/modes/run.sh [path/to/amorph]   (from the repository root)
set -eu
AMORPH=${1:-build/amorph}
OUT=bench/out/modes
mkdir -p "$OUT"
SRC=$(pwd)/data/cuzr_glass_2000.data
BIG=$(pwd)/$OUT/cuzr_glass_20000.data
CUBE=$(pwd)/$OUT/cuzr_glass_19652.data
bench/replicate.sh "$SRC" 5 2 1 "$BIG"
[ -s "$CUBE" ] || "$AMORPH" quench -p data/potentials/Cu-Zr_2.eam.fs --preset quick --composition Cu50Zr50 \
    --atoms 19652 --rate 1e14 --seed 3 -o "$CUBE" -q

run() { # label conf solver -> "seconds peak_MB"
    /usr/bin/time -f "%e %M" -o "$OUT/time.txt" "$AMORPH" modes "$2" --solver "$3" -q --csv "$OUT/$1.csv" > "$OUT/$1.out"
    awk '{printf "%s %.0f\n", $1, $2 / 1024}' "$OUT/time.txt"
}
maxdiff() { paste -d, "$1" "$2" | awk -F, 'NR > 1 { d = $6 - $12; if (d < 0) d = -d; if (d > m) m = d } END { printf "%.2g", m }'; }

echo "Lowest 0.25 % of the normal modes; $(sh bench/machine.sh "$AMORPH")"
printf "%-14s %-8s %10s %10s\n" atoms solver seconds "peak MB"
set -- $(run d2000 "$SRC" dense); printf "%-14s %-8s %10s %10s\n" 2000 dense "$1" "$2"
set -- $(run s2000 "$SRC" sparse); printf "%-14s %-8s %10s %10s\n" 2000 sparse "$1" "$2"
echo "2000 atoms: largest |participation difference| dense vs sparse: $(maxdiff "$OUT/d2000.csv" "$OUT/s2000.csv")"
set -- $(run s20000 "$BIG" sparse); printf "%-14s %-8s %10s %10s\n" "20000 (slab)" sparse "$1" "$2"
set -- $(run s19652 "$CUBE" sparse); printf "%-14s %-8s %10s %10s\n" "19652 (cube)" sparse "$1" "$2"
