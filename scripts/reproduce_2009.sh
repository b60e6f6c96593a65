#!/bin/sh
# Regenerates the 2 000-atom reproduction with the paper's potential (Mendelev 2009, the
# Cu-Zr default) and amorph's validated ARTn protocol (docs/reproduction.md, "The paper's
# potential and the validated protocol"):
#
#   scripts/reproduce_2009.sh [AMORPH] [WORKDIR]
#
# AMORPH defaults to build/amorph, WORKDIR to repro-2009-2000. The inputs are pinned: the
# shipped glass data/cuzr_glass_2000.data and its cooling curve, `amorph study --preset
# paper` with 2 ARTn searches per atom and seed 1, and the committed event log
# docs/reproduction/mendelev2009_2000/events.jsonl.xz, whose header fixes the search options
# (so the ARTn stage only checks that every search is there; delete the log to redo it:
# about 1.5 core-hours). Every stage resumes; vMSD (100-400 K, NPT, 100 ps) takes ~10 min on
# one core. The paper-size glass (19 652 atoms) joins this script when its quench is done
# (runs/glass19652/).
set -eu
AMORPH=${1:-build/amorph}
W=${2:-repro-2009-2000}
DOC=docs/reproduction/mendelev2009_2000
GLASS=data/cuzr_glass_2000.data
CURVE=data/cuzr_glass_2000.curve.csv

mkdir -p "$W/study"
if [ ! -e "$W/study/events.jsonl" ] && [ -e "$DOC/events.jsonl.xz" ]; then
    xz -dc "$DOC/events.jsonl.xz" > "$W/study/events.jsonl"
fi
"$AMORPH" study "$GLASS" --preset paper --searches 2 --seed 1 -o "$W/study" -q
# the paper's coarse-graining (groups of 100), as the 2007 reproduction
S=$W/study
"$AMORPH" analyze "$S/describe.extxyz" "$S/modes.extxyz" "$S/vibrate.extxyz" "$S/artn.extxyz" --group 100 --seed 1 \
    -o "$W/report" -q
"$AMORPH" tg "$CURVE" --json > "$W/tg_default.json"
"$AMORPH" tg "$CURVE" --liquid 950:1250 --glass 300:555 --json > "$W/tg_near.json"
"$AMORPH" artn-summary "$S/events.jsonl" "$S/inherent.data" > "$W/artn_summary.txt"
python3 scripts/repro_findings.py "$W" > "$W/findings.md"
echo "reproduce_2009: findings in $W/findings.md, report in $W/report/"
