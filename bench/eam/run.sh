#!/bin/sh
# EAM force-evaluation benchmark, amorph side by side with LAMMPS (Debian's
# lmp: eam/fs and eam/fs/opt, 1 and 2 MPI ranks) on the shipped ~2 000-atom
# Cu50Zr50 glass and on its 2x2x2 replica (16 000 atoms). Same potential,
# same 1 Å neighbour skin; LAMMPS time is its "Pair" time, amorph's is the
# whole force call. Prints µs/atom-step and ratios.
# Usage: bench/eam/run.sh [path/to/amorph]   (run from the repository root)
set -eu
BUILD_DIR=$(dirname "${1:-build/amorph}")
BENCH="$BUILD_DIR/bench/bench_eam"
POT=/usr/share/lammps/potentials/CuZr_mm.eam.fs
OUT=bench/out/eam
mkdir -p "$OUT"
SRC=$(pwd)/data/cuzr_glass_2000.data

# 16 000-atom replica written by LAMMPS itself
cat > "$OUT/replicate.lmp" <<LMP
units metal
atom_style atomic
read_data $SRC
replicate 2 2 2
write_data cuzr_glass_16000.data
LMP
(cd "$OUT" && lmp -in replicate.lmp -log none -screen none)

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

printf "%-10s %-28s %12s %10s\n" atoms engine "us/atom-step" "vs opt(1)"
for conf in "$SRC" "$(pwd)/$OUT/cuzr_glass_16000.data"; do
    case "$conf" in *16000*) steps=20; n=16000 ;; *) steps=100; n=2000 ;; esac
    base=$(lammps_pair "$conf" eam/fs/opt 1 "$steps")
    plain=$(lammps_pair "$conf" eam/fs 1 "$steps")
    opt2=$(lammps_pair "$conf" eam/fs/opt 2 "$steps")
    a1=$("$BENCH" "$conf" "$POT" Cu,Zr "$((steps * 2))" 1 | sed 's/.*us_per_atom_step=\([0-9.]*\).*/\1/')
    a2=$("$BENCH" "$conf" "$POT" Cu,Zr "$((steps * 2))" 2 | sed 's/.*us_per_atom_step=\([0-9.]*\).*/\1/')
    for row in "LAMMPS eam/fs, 1 rank:$plain" "LAMMPS eam/fs/opt, 1 rank:$base" "LAMMPS eam/fs/opt, 2 ranks:$opt2" \
               "amorph, 1 thread:$a1" "amorph, 2 threads:$a2"; do
        name=${row%:*}; t=${row##*:}
        printf "%-10s %-28s %12s %9.2fx\n" "$n" "$name" "$t" "$(echo "$base / $t" | bc -l)"
    done
    printf "%-10s %-28s %12s %9.2fx\n" "$n" "amorph 1->2 thread speedup" "" "$(echo "$a1 / $a2" | bc -l)"
done
