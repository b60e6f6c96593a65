#!/bin/sh
# EAM force-evaluation benchmark: amorph side by side with LAMMPS (Debian's
# lmp: eam/fs and eam/fs/opt, 1 and 2 MPI ranks) on the shipped 2 000-atom
# Cu50Zr50 glass and on its 5x2x1 replica (20 000 atoms; SIZES="2000 16000
# 20000" adds the 2x2x2 replica of earlier measurements). Same potential,
# same 1 Å neighbour skin. LAMMPS time is its "Pair" time per atom-step over
# an NVE run at 300 K; amorph's is the whole force call (median of blocks).
# Shared machines are noisy: every engine is run ROUNDS times, interleaved,
# and its best round is kept. Prints µs/atom-step and speed relative to
# LAMMPS eam/fs/opt on one core, in wall time and, for one core, in CPU
# time too (LAMMPS: its Pair time times the loop's "% CPU use"; amorph:
# the process CPU time of the timed calls), which other jobs on a loaded
# machine disturb less than wall time. Each round's one-core runs of both
# programs are pinned to the same vCPU, the faster one at the round's start
# (bench/pin.sh; PIN=0 to let the kernel place them).
# Usage: bench/eam/run.sh [path/to/amorph]   (from the repository root)
#   SIZES="2000 20000" ROUNDS=3 bench/eam/run.sh
set -eu
. bench/omp_wait.sh
BUILD_DIR=$(dirname "${1:-build/amorph}")
BENCH="$BUILD_DIR/bench/bench_eam"
ROUNDS=${ROUNDS:-3}
SIZES=${SIZES:-"2000 20000"}
POT=/usr/share/lammps/potentials/CuZr_mm.eam.fs
. bench/pin.sh
OUT=bench/out/eam
mkdir -p "$OUT"
SRC=$(pwd)/data/cuzr_glass_2000.data

[ -f "$OUT/cuzr_glass_16000.data" ] || bench/replicate.sh "$SRC" 2 2 2 "$OUT/cuzr_glass_16000.data"
[ -f "$OUT/cuzr_glass_20000.data" ] || bench/replicate.sh "$SRC" 5 2 1 "$OUT/cuzr_glass_20000.data"

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
    pin_for "$3"
    (cd "$OUT" && $pin mpirun --allow-run-as-root --oversubscribe $bind -np "$3" lmp -in bench.lmp -log log.bench -screen none)
    awk -v steps="$4" '
        /^Loop time/ { for (i = 1; i <= NF; i++) if ($i == "with") n = $(i+1) }
        /CPU use with/ { cpu = $1 + 0 }
        /^Pair +\|/ { split($0, f, "|"); avg = f[3] + 0 }
        END { printf "%.4f %.4f\n", 1e6 * avg / (n * steps), 1e4 * avg * cpu / (n * steps) }' "$OUT/log.bench"
}

amorph_force() { # conf threads steps -> "wall cpu" µs/atom-step
    pin_for "$2"
    $pin "$BENCH" "$1" "$POT" Cu,Zr "$3" "$2" | sed 's/.*us_per_atom_step=\([0-9.]*\).* cpu=\([0-9.]*\).*/\1 \2/'
}

# min of the first (wall) and of the second (CPU) numbers of "wall cpu" pairs
min() {
    if [ -z "$1" ]; then echo "$2"; return; fi
    w=${1% *}; c=${1#* }; w2=${2% *}; c2=${2#* }
    [ "$(echo "$w2 < $w" | bc -l)" = 1 ] && w=$w2
    [ "$(echo "$c2 < $c" | bc -l)" = 1 ] && c=$c2
    echo "$w $c"
}

echo "EAM force evaluation, CuZr_mm.eam.fs, skin 1 Å; $(sh bench/machine.sh "${1:-build/amorph}")"
printf "%-8s %-28s %14s %12s %10s %12s\n" atoms engine "µs/atom-step" "speed vs opt" "CPU µs" "CPU vs opt"
for n in $SIZES; do
    case "$n" in 2000) conf=$SRC; steps=200 ;; 16000|20000) conf=$(pwd)/$OUT/cuzr_glass_$n.data; steps=40 ;;
                 *) echo "size $n: 2000, 16000 or 20000" >&2; exit 2 ;; esac
    plain=""; opt=""; opt2=""; a1=""; a2=""
    r=0
    while [ "$r" -lt "$ROUNDS" ]; do
        pin_round "$n atoms, round $((r + 1))"
        opt=$(min "$opt" "$(lammps_pair "$conf" eam/fs/opt 1 "$steps")")
        a1=$(min "$a1" "$(amorph_force "$conf" 1 "$steps")")
        plain=$(min "$plain" "$(lammps_pair "$conf" eam/fs 1 "$steps")")
        opt2=$(min "$opt2" "$(lammps_pair "$conf" eam/fs/opt 2 "$steps")")
        a2=$(min "$a2" "$(amorph_force "$conf" 2 "$steps")")
        r=$((r + 1))
    done
    for row in "LAMMPS eam/fs, 1 core:$plain" "LAMMPS eam/fs/opt, 1 core:$opt" "LAMMPS eam/fs/opt, 2 ranks:$opt2" \
               "amorph, 1 thread:$a1" "amorph, 2 threads:$a2"; do
        name=${row%:*}; v=${row##*:}; t=${v% *}; c=${v#* }
        case "$name" in
            *"1 core"*|*"1 thread"*) printf "%-8s %-28s %14s %11.2fx %10s %11.2fx\n" "$n" "$name" "$t" \
                "$(echo "${opt% *} / $t" | bc -l)" "$c" "$(echo "${opt#* } / $c" | bc -l)" ;;
            *) printf "%-8s %-28s %14s %11.2fx\n" "$n" "$name" "$t" "$(echo "${opt% *} / $t" | bc -l)" ;;
        esac
    done
    printf "%-8s %-28s %14s %11.2fx\n" "$n" "amorph 1 -> 2 threads" "" "$(echo "${a1% *} / ${a2% *}" | bc -l)"
done
