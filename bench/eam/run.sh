#!/bin/sh
# EAM force-evaluation benchmark: amorph side by side with LAMMPS (Debian's
# lmp: eam/fs and eam/fs/opt, 1 and 2 MPI ranks) on the shipped 2 000-atom
# Cu50Zr50 glass and on its 2x2x2 replica (16 000 atoms). Same potential,
# same 1 Å neighbour skin. LAMMPS time is its "Pair" time per atom-step over
# an NVE run at 300 K; amorph's is the whole force call (median of blocks).
# Shared machines are noisy: every engine is run ROUNDS times, interleaved,
# and its best round is kept. Prints µs/atom-step and speed relative to
# LAMMPS eam/fs/opt on one core.
# Usage: bench/eam/run.sh [path/to/amorph]   (from the repository root)
set -eu
BUILD_DIR=$(dirname "${1:-build/amorph}")
BENCH="$BUILD_DIR/bench/bench_eam"
ROUNDS=${ROUNDS:-3}
POT=/usr/share/lammps/potentials/CuZr_mm.eam.fs
OUT=bench/out/eam
mkdir -p "$OUT"
SRC=$(pwd)/data/cuzr_glass_2000.data

bench/replicate.sh "$SRC" 2 2 2 "$OUT/cuzr_glass_16000.data"

lammps_pair() { # conf style nranks steps -> µs/atom-step of the Pair section
    cat > "$OUT/bench.lmp" <<LMP
units metal
atom_style atomic
read_data $1
pair_style $2
pair_coeff * * $POT Cu Zr
neighbor 1.0 bin
neigh_modify every 1 delay 0 check yes
velocity all create 300 12345 mom yes rot yes
timestep 0.002
fix 1 all nve
thermo 1000
run $4
LMP
    (cd "$OUT" && mpirun --allow-run-as-root --oversubscribe -np "$3" lmp -in bench.lmp -log log.bench -screen none)
    awk -v steps="$4" '
        /^Loop time/ { for (i = 1; i <= NF; i++) if ($i == "with") n = $(i+1) }
        /^Pair +\|/ { split($0, f, "|"); avg = f[3] + 0 }
        END { printf "%.4f\n", 1e6 * avg / (n * steps) }' "$OUT/log.bench"
}

amorph_force() { # conf threads steps
    "$BENCH" "$1" "$POT" Cu,Zr "$3" "$2" | sed 's/.*us_per_atom_step=\([0-9.]*\).*/\1/'
}

min() { if [ -z "$1" ] || [ "$(echo "$2 < $1" | bc -l)" = 1 ]; then echo "$2"; else echo "$1"; fi; }

echo "EAM force evaluation, CuZr_mm.eam.fs, skin 1 Å; $(date -u +%Y-%m-%d), $(nproc) cores, $(grep -m1 'model name' /proc/cpuinfo | cut -d: -f2 | sed 's/^ //')"
printf "%-8s %-28s %14s %12s\n" atoms engine "µs/atom-step" "speed vs opt"
for conf in "$SRC" "$(pwd)/$OUT/cuzr_glass_16000.data"; do
    case "$conf" in *16000*) steps=40; n=16000 ;; *) steps=200; n=2000 ;; esac
    plain=""; opt=""; opt2=""; a1=""; a2=""
    r=0
    while [ "$r" -lt "$ROUNDS" ]; do
        opt=$(min "$opt" "$(lammps_pair "$conf" eam/fs/opt 1 "$steps")")
        a1=$(min "$a1" "$(amorph_force "$conf" 1 "$steps")")
        plain=$(min "$plain" "$(lammps_pair "$conf" eam/fs 1 "$steps")")
        opt2=$(min "$opt2" "$(lammps_pair "$conf" eam/fs/opt 2 "$steps")")
        a2=$(min "$a2" "$(amorph_force "$conf" 2 "$steps")")
        r=$((r + 1))
    done
    for row in "LAMMPS eam/fs, 1 core:$plain" "LAMMPS eam/fs/opt, 1 core:$opt" "LAMMPS eam/fs/opt, 2 ranks:$opt2" \
               "amorph, 1 thread:$a1" "amorph, 2 threads:$a2"; do
        name=${row%:*}; t=${row##*:}
        printf "%-8s %-28s %14s %11.2fx\n" "$n" "$name" "$t" "$(echo "$opt / $t" | bc -l)"
    done
    printf "%-8s %-28s %14s %11.2fx\n" "$n" "amorph 1 -> 2 threads" "" "$(echo "$a1 / $a2" | bc -l)"
done
