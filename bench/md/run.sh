#!/bin/sh
# Whole NPT MD steps: amorph side by side with LAMMPS (Debian's lmp, fix npt
# with eam/fs/opt, 1 and 2 MPI ranks) at 2 000 K and 0 bar on the shipped
# 2 000-atom Cu50Zr50 glass and on its 5x2x1 replica (20 000 atoms). Same
# potential (CuZr_mm.eam.fs), time step 2 fs, damping 0.2 and 2 ps (quench's),
# 1 Å skin, list check every step. Both start from the glass with velocities
# at 2 000 K and run WARMUP untimed steps (the glass melts), then STEPS timed
# ones: LAMMPS's "Loop time" of the second run, amorph's wall time of its
# timed steps (bench_md), per atom and step. Rebuilds, the virial, the
# thermostat and barostat are inside both. Every engine is run ROUNDS times,
# interleaved, and its best round kept (shared machines are noisy). For one
# core the CPU time is printed too (LAMMPS: loop time times its "% CPU use";
# amorph: process CPU time), which other jobs disturb less than wall time.
# Each round's one-core runs of both programs are pinned to the same vCPU,
# the faster one at the round's start (bench/pin.sh; PIN=0: unpinned).
# Usage: bench/md/run.sh [path/to/amorph]   (from the repository root)
#   SIZES="2000 20000" ROUNDS=3 bench/md/run.sh
set -eu
. bench/omp_wait.sh
BUILD_DIR=$(dirname "${1:-build/amorph}")
BENCH="$BUILD_DIR/bench/bench_md"
ROUNDS=${ROUNDS:-3}
SIZES=${SIZES:-"2000 20000"}
TEMP=2000
POT=/usr/share/lammps/potentials/CuZr_mm.eam.fs
. bench/pin.sh
OUT=bench/out/md
mkdir -p "$OUT"
SRC=$(pwd)/data/cuzr_glass_2000.data
[ -f "$OUT/cuzr_glass_20000.data" ] || bench/replicate.sh "$SRC" 5 2 1 "$OUT/cuzr_glass_20000.data"

lammps_npt() { # conf nranks warmup steps -> "µs/atom-step builds cpu-µs/atom-step"
    cat > "$OUT/bench.lmp" <<LMP
units metal
atom_style atomic
read_data $1
pair_style eam/fs/opt
pair_coeff * * $POT Cu Zr
neighbor 1.0 bin
neigh_modify every 1 delay 0 check yes
velocity all create $TEMP 4928 mom yes rot no dist gaussian
timestep 0.002
fix 1 all npt temp $TEMP $TEMP 0.2 iso 0 0 2.0
thermo 1000
run $3
run $4
LMP
    pin_for "$2"
    (cd "$OUT" && $pin mpirun --allow-run-as-root --oversubscribe $bind -np "$2" lmp -in bench.lmp -log log.bench -screen none)
    awk '
        /^Loop time/ { t = $4; for (i = 1; i <= NF; i++) { if ($i == "for") s = $(i+1); if ($i == "with") n = $(i+1) } }
        /CPU use with/ { cpu = $1 + 0 }
        /^Neighbor list builds/ { b = $NF }
        END { printf "%.4f %d %.4f\n", 1e6 * t / (n * s), b, 1e4 * t * cpu / (n * s) }' "$OUT/log.bench"
}

amorph_npt() { # conf threads warmup steps -> "µs/atom-step builds cpu-µs/atom-step"
    pin_for "$2"
    $pin "$BENCH" "$1" "$POT" Cu,Zr "$TEMP" "$4" "$2" "$3" |
        sed 's/.* us_per_atom_step=\([0-9.]*\) cpu_us_per_atom_step=\([0-9.]*\) builds=\([0-9]*\).*/\1 \3 \2/'
}

# of "time builds cpu" triples: the smaller time with its builds, and the smaller CPU time
min() {
    if [ -z "$1" ]; then echo "$2"; return; fi
    set -- $1 $2
    if [ "$(echo "$4 < $1" | bc -l)" = 1 ]; then w=$4; b=$5; else w=$1; b=$2; fi
    if [ "$(echo "$6 < $3" | bc -l)" = 1 ]; then c=$6; else c=$3; fi
    echo "$w $b $c"
}
wall() { echo "${1%% *}"; }
cpu() { echo "${1##* }"; }

echo "NPT MD at $TEMP K, CuZr_mm.eam.fs, skin 1 Å; $(sh bench/machine.sh "${1:-build/amorph}")"
printf "%-8s %-28s %14s %8s %12s %10s %12s\n" atoms engine "µs/atom-step" builds "vs LAMMPS 1" "CPU µs" "CPU vs LAMMPS"
for n in $SIZES; do
    case "$n" in 2000) conf=$SRC; warm=500; steps=1000 ;; 20000) conf=$(pwd)/$OUT/cuzr_glass_20000.data; warm=200; steps=300 ;;
                 *) echo "size $n: 2000 or 20000" >&2; exit 2 ;; esac
    l1=""; l2=""; a1=""; a2=""
    r=0
    while [ "$r" -lt "$ROUNDS" ]; do
        pin_round "$n atoms, round $((r + 1))"
        l1=$(min "$l1" "$(lammps_npt "$conf" 1 "$warm" "$steps")")
        a1=$(min "$a1" "$(amorph_npt "$conf" 1 "$warm" "$steps")")
        l2=$(min "$l2" "$(lammps_npt "$conf" 2 "$warm" "$steps")")
        a2=$(min "$a2" "$(amorph_npt "$conf" 2 "$warm" "$steps")")
        r=$((r + 1))
    done
    for row in "LAMMPS fix npt, 1 core:$l1" "LAMMPS fix npt, 2 ranks:$l2" "amorph, 1 thread:$a1" "amorph, 2 threads:$a2"; do
        name=${row%:*}; v=${row##*:}; set -- $v
        case "$name" in
            *"1 core"*|*"1 thread"*) printf "%-8s %-28s %14s %8s %11.2fx %10s %11.2fx\n" "$n" "$name" "$1" "$2" \
                "$(echo "$(wall "$l1") / $1" | bc -l)" "$3" "$(echo "$(cpu "$l1") / $3" | bc -l)" ;;
            *) printf "%-8s %-28s %14s %8s %11.2fx\n" "$n" "$name" "$1" "$2" "$(echo "$(wall "$l1") / $1" | bc -l)" ;;
        esac
    done
    printf "%-8s %-28s %14s %8s %11.2fx\n" "$n" "amorph 1 -> 2 threads" "" "" "$(echo "$(wall "$a1") / $(wall "$a2")" | bc -l)"
    printf "%-8s %-28s %14s %8s %11.2fx\n" "$n" "LAMMPS 1 -> 2 ranks" "" "" "$(echo "$(wall "$l1") / $(wall "$l2")" | bc -l)"
done
