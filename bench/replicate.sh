#!/bin/sh
# Replicates a LAMMPS data file NX x NY x NZ times with LAMMPS itself (the
# benchmarks' larger glasses): bench/replicate.sh SRC NX NY NZ OUT
set -eu
src=$(realpath "$1"); out=$(realpath -m "$5")
dir=$(mktemp -d)
cat > "$dir/replicate.lmp" <<LMP
units metal
atom_style atomic
read_data $src
replicate $2 $3 $4
write_data $out
LMP
(cd "$dir" && lmp -in replicate.lmp -log none -screen none)
rm -rf "$dir"
