#!/bin/sh
# Per-step cost of the paper's quench (19 652 Cu50Zr50 atoms, NPT at 2 000 K, the 2009 potential)
# for the cluster plan of docs/cluster.md: LAMMPS through `amorph quench --engine lammps --run`
# (the cluster path: mpirun -np N lmp) on 1 and 2 ranks, against amorph's own MD (`amorph md`) on
# 1 and 2 threads, interleaved, best of ROUNDS. The LAMMPS input is the paper preset's with a 4 ps
# melt (--melt-time 4), timed up to the end of the melt: its per-step cost is what the 4 ns melt and
# the 100 M cooling steps cost per step. (docs/cluster.md runs the whole shortened protocol with
# --run on 2 ranks.)
# Usage: bench/cluster/run.sh [path/to/amorph] [ROUNDS]   (from the repository root)
set -eu
AMORPH=$(realpath "${1:-build/amorph}")
ROUNDS=${2:-2}
OUT=$(pwd)/bench/out/cluster
mkdir -p "$OUT"
N=19652
STEPS=2000   # the melt: 4 ps of 2 fs

# amorph's own MD starts from the same random start relaxed the same way (FIRE in LAMMPS's input;
# here amorph minimize), at 2 000 K
"$AMORPH" quench --engine lammps --preset paper --melt-time 4 --t-end 1900 --rate 1e14 \
    -o "$OUT/lmp.data" -q
"$AMORPH" minimize "$OUT/lmp.data.lammps/start.data" --ftol 0.05 -o "$OUT/start_min.data" -q

# the melt alone, as the generated input has it (LAMMPS stops at its first unfix)
sed '/^unfix md/,$d' "$OUT/lmp.data.lammps/in.quench" > "$OUT/lmp.data.lammps/in.melt"
lammps() { # ranks -> wall µs/atom-step of the melt run (LAMMPS's own Loop time)
    (cd "$OUT/lmp.data.lammps" && mpirun --allow-run-as-root -np "$1" lmp -in in.melt -log log.melt$1 > /dev/null)
    awk -v n=$N -v s=$STEPS '/^Loop time of/ { k++; if (k == 2) printf "%.3f", $4 / n / s * 1e6 }' \
        "$OUT/lmp.data.lammps/log.melt$1"
}
own() { # threads -> µs/atom-step (wall clock of amorph md, set-up included) and core-µs
    /usr/bin/time -f "%e %U %S" -o "$OUT/time.txt" "$AMORPH" md "$OUT/start_min.data" --ensemble npt \
        -T 2000 --velocities 2000 --time 4 --pdamp 2 --threads "$1" -q -o "$OUT/md.data"
    awk -v n=$N -v s=$STEPS '{ printf "%.3f %.3f", $1 / n / s * 1e6, ($2 + $3) / n / s * 1e6 }' "$OUT/time.txt"
}

echo "NPT at 2000 K, $N atoms, $STEPS steps; $(date -u +%Y-%m-%d), $(nproc) cores, $(grep -m1 'model name' /proc/cpuinfo | cut -d: -f2 | sed 's/^ //')"
best() { awk -v a="$1" -v b="$2" 'BEGIN { if (a == "" || b + 0 < a + 0) print b; else print a }'; }
l1= l2= a1= a2= c1= c2=
r=0
while [ $r -lt "$ROUNDS" ]; do
    l1=$(best "$l1" "$(lammps 1)")
    set -- $(own 1); a1=$(best "$a1" "$1"); c1=$(best "$c1" "$2")
    l2=$(best "$l2" "$(lammps 2)")
    set -- $(own 2); a2=$(best "$a2" "$1"); c2=$(best "$c2" "$2")
    r=$((r + 1))
done
echo "wall-clock µs per atom-step (amorph md: set-up and output included):"
printf "%-28s %8s\n" "LAMMPS eam/fs, 1 rank" "$l1" "LAMMPS eam/fs, 2 ranks" "$l2" \
    "amorph md, 1 thread" "$a1" "amorph md, 2 threads" "$a2"
awk -v l1="$l1" -v l2="$l2" -v a1="$a1" -v a2="$a2" -v c2="$c2" 'BEGIN {
    printf "LAMMPS 1 -> 2 ranks: %.2fx speed-up; amorph 1 -> 2 threads: %.2fx (%.3f core-us/atom-step on 2)\n",
        l1 / l2, a1 / a2, c2
    printf "amorph vs LAMMPS: %.2fx on one core, %.2fx on two\n", l1 / a1, l2 / a2 }'
