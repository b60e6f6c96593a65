#!/bin/sh
# Issue 20: a Kob-Andersen 80:20 glass (1 000 atoms, rho = 1.2, lj units) made, described and
# searched by amorph study on the native LJ engine: amorph quench -p kob-andersen (quick preset's
# lj settings: 100 tau at T = 2, cooled at 1e-3 per tau to T = 0.1, NVT, then minimised), then
# amorph study's quick preset. One thread. Rerun to resume (quench checkpoint, study stages).
set -e
cd "$(dirname "$0")"
BIN=${AMORPH:-../bin/amorph-e9ccca1}
resume=
[ -f ka_1000.data.checkpoint ] && resume=--resume
[ -f ka_1000.data ] || OMP_NUM_THREADS=1 "$BIN" quench -p kob-andersen --atoms 1000 --seed 1 -o ka_1000.data \
  --threads 1 -q $resume > quench.log 2> quench.err
OMP_NUM_THREADS=1 "$BIN" study ka_1000.data -p kob-andersen -o study --threads 1 > study.log 2> study.err
