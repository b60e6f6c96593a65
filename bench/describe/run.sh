#!/bin/sh
# Descriptor benchmark: `amorph describe` side by side with LAMMPS (compute
# voronoi/atom and orientorder/atom, 1 and 2 MPI ranks) and the voro++
# command-line tool, on a 20 000-atom Cu50Zr50 glass (the shipped 2 000-atom
# glass replicated 5x2x1). S2 has no LAMMPS peer in Debian's build (no
# entropy/atom), so it is timed alone. amorph's stage times are those it
# reports (--json "seconds", reading excluded), the last rows its whole
# command; LAMMPS times are its wall time minus that of the same input
# without the computes (so reading and setup are not charged to it).
# Best of ROUNDS interleaved rounds. Prints seconds and ratios (peer time
# over amorph's: above 1, amorph is faster); amorph's one-thread Voronoi is
# also set against the voro++ tool, which reads and writes text but computes
# no face areas, neighbour ids or dual tetrahedra.
# Usage: bench/describe/run.sh [path/to/amorph]   (from the repository root)
set -eu
AMORPH=${1:-build/amorph}
ROUNDS=${ROUNDS:-3}
OUT=bench/out/describe
mkdir -p "$OUT"
SRC=$(pwd)/data/cuzr_glass_2000.data
CONF=$(pwd)/$OUT/cuzr_glass_20000.data

bench/replicate.sh "$SRC" 5 2 1 "$CONF"

now() { date +%s.%N; }
min() { if [ -z "$1" ] || [ "$(echo "$2 < $1" | bc -l)" = 1 ]; then echo "$2"; else echo "$1"; fi; }

wall() { # command... -> seconds
    t0=$(now); "$@" >/dev/null 2>&1; t1=$(now); echo "$t1 - $t0" | bc -l
}

lammps_input() { # file computes
    cat > "$1" <<LMP
units metal
atom_style atomic
read_data $CONF
pair_style zero 4.0
pair_coeff * *
neighbor 1.0 bin
$2
run 0
LMP
}
lammps_input "$OUT/base.lmp" ""
lammps_input "$OUT/voro.lmp" "compute v all voronoi/atom
dump d all custom 1 voro.dump id c_v[1] c_v[2]"
lammps_input "$OUT/q.lmp" "compute q all orientorder/atom degrees 2 4 6 nnn NULL cutoff 3.8
dump d all custom 1 q.dump id c_q[1] c_q[2]"
lammps_input "$OUT/base_dump.lmp" "dump d all custom 1 base.dump id x y"
lmp_wall() { # input ranks
    (cd "$OUT" && wall mpirun --allow-run-as-root --oversubscribe -np "$2" lmp -in "$1" -log none -screen none)
}

# voro++ CLI input: id x y z wrapped into the box
awk '/xlo xhi/ {xl=$1; xh=$2} /ylo yhi/ {yl=$1; yh=$2} /zlo zhi/ {zl=$1; zh=$2}
     /^Atoms/ {on=1; next} /^Velocities/ {on=0}
     on && NF >= 5 { x=$3; y=$4; z=$5; lx=xh-xl; ly=yh-yl; lz=zh-zl
        x-=lx*int((x-xl)/lx); if (x<xl) x+=lx; y-=ly*int((y-yl)/ly); if (y<yl) y+=ly; z-=lz*int((z-zl)/lz); if (z<zl) z+=lz
        printf "%d %.17g %.17g %.17g\n", $1, x, y, z }
     END { printf "%.17g %.17g %.17g %.17g %.17g %.17g\n", xl, xh, yl, yh, zl, zh > "/dev/stderr" }' \
    "$CONF" > "$OUT/voro_in" 2> "$OUT/voro_box"

ad() { # threads stage options... -> seconds of that stage
    t=$1; st=$2; shift 2
    # the JSON goes to a file first: a parser started on a pipe would compete
    # for the cores while amorph runs
    "$AMORPH" describe "$CONF" -q --json --threads "$t" "$@" > "$OUT/describe.json"
    python3 -c "import json,sys; print(json.load(open('$OUT/describe.json'))['seconds']['$st'])"
}
adall() { wall "$AMORPH" describe "$CONF" -q --threads "$1"; }
av1=""; av2=""; aq1=""; aq2=""; as1=""; as2=""; all1=""; all2=""; lv1=""; lv2=""; lq1=""; lq2=""; vcli=""
r=0
while [ "$r" -lt "$ROUNDS" ]; do
    av1=$(min "$av1" "$(ad 1 voronoi --voronoi)"); av2=$(min "$av2" "$(ad 2 voronoi --voronoi)")
    aq1=$(min "$aq1" "$(ad 1 steinhardt --steinhardt --q-neighbors cutoff:3.8)")
    aq2=$(min "$aq2" "$(ad 2 steinhardt --steinhardt --q-neighbors cutoff:3.8)")
    as1=$(min "$as1" "$(ad 1 s2 --s2)"); as2=$(min "$as2" "$(ad 2 s2 --s2)")
    all1=$(min "$all1" "$(adall 1)"); all2=$(min "$all2" "$(adall 2)")
    for np in 1 2; do
        b=$(lmp_wall base_dump.lmp $np)
        v=$(echo "$(lmp_wall voro.lmp $np) - $b" | bc -l)
        q=$(echo "$(lmp_wall q.lmp $np) - $b" | bc -l)
        if [ $np = 1 ]; then lv1=$(min "$lv1" "$v"); lq1=$(min "$lq1" "$q"); else lv2=$(min "$lv2" "$v"); lq2=$(min "$lq2" "$q"); fi
    done
    vcli=$(min "$vcli" "$(cd "$OUT" && wall voro++ -p -o -c '%i %v %s %A' $(cat voro_box) voro_in)")
    r=$((r + 1))
done

echo "Descriptors of a 20 000-atom CuZr glass; $(sh bench/machine.sh "$AMORPH")"
printf "%-46s %10s %10s\n" task "seconds" "vs peer"
row() { printf "%-46s %10.3f %9s\n" "$1" "$2" "$3"; }
ratio() { printf "%.2fx" "$(echo "$1 / $2" | bc -l)"; }
row "Voronoi: voro++ CLI (1 core, writes text)" "$vcli" ""
row "Voronoi: LAMMPS voronoi/atom, 1 rank" "$lv1" ""
row "Voronoi: LAMMPS voronoi/atom, 2 ranks" "$lv2" ""
row "Voronoi: amorph, 1 thread" "$av1" "$(ratio "$lv1" "$av1")"
row "Voronoi: amorph, 2 threads" "$av2" "$(ratio "$lv2" "$av2")"
row "Voronoi: amorph, 1 thread, vs voro++ CLI" "$av1" "$(ratio "$vcli" "$av1")"
row "q4,q6 (3.8 A): LAMMPS orientorder/atom, 1 rank" "$lq1" ""
row "q4,q6 (3.8 A): LAMMPS orientorder/atom, 2 ranks" "$lq2" ""
row "q4,q6 (3.8 A): amorph, 1 thread" "$aq1" "$(ratio "$lq1" "$aq1")"
row "q4,q6 (3.8 A): amorph, 2 threads" "$aq2" "$(ratio "$lq2" "$aq2")"
row "S2, rc 4..15 A (12 cutoffs): amorph, 1 thread" "$as1" ""
row "S2, rc 4..15 A (12 cutoffs): amorph, 2 threads" "$as2" ""
row "whole command, all descriptors: amorph, 1 thread" "$all1" ""
row "whole command, all descriptors: amorph, 2 threads" "$all2" "(goal 10 s)"
