#!/bin/sh
# A second, independently quenched Cu50Zr50 glass for issue 23's transfer test: the shipped
# glass's protocol (2 000 atoms, the 2009 potential, quick preset's melt and end, 1e12 K/s)
# with seed 2, then (artn.sh) every atom's barrier, one search each, with the options of
# runs/artn_demo2000's campaign on the shipped glass. One thread. Resumable: run it again.
set -e
cd "$(dirname "$0")"
BIN=${AMORPH:-../bin/amorph-74ac65a}
resume=
[ -f glass.data.checkpoint ] && resume=--resume
[ -f glass.data ] || OMP_NUM_THREADS=1 "$BIN" quench -p ../../data/potentials/Cu-Zr_2.eam.fs --preset quick \
  --seed 2 -o glass.data --threads 1 --checkpoint-every 20 -q $resume > quench.log 2> quench.err
# the ARTn campaign (artn.sh) takes the shipped glass's campaign options from its log header
