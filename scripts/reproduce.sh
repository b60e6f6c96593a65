#!/bin/sh
# Regenerates every number and figure of docs/reproduction.md: the paper's
# study (SPEC §1) on the shipped 2 000-atom glass, with amorph alone.
#
#   scripts/reproduce.sh [AMORPH] [WORKDIR] [SEARCHES]
#
# AMORPH defaults to build/amorph, WORKDIR to repro-2000, SEARCHES (ARTn
# searches per atom) to 10. Every stage resumes: rerun after an interruption,
# or with a larger SEARCHES to extend the ARTn campaign (the event log keeps
# what is done). A log shipped in docs/reproduction/events.jsonl.gz is used as
# the starting point, so only missing searches run.
# Compute (2 cores, 2026-12-02): minimise, describe, modes ~40 s; vMSD at
# 100-400 K (20 + 100 ps each) ~10 min; ARTn ~0.76 core-s per search
# (about 4.5 min per 1 000 searches on 2 cores).
set -eu
AMORPH=${1:-build/amorph}
W=${2:-repro-2000}
K=${3:-10}
GLASS=data/cuzr_glass_2000.data
DOC=docs/reproduction

mkdir -p "$W"
if [ ! -e "$W/events.jsonl" ] && [ -e "$DOC/events.jsonl.gz" ]; then
    gzip -dc "$DOC/events.jsonl.gz" > "$W/events.jsonl"
fi

# The study with the paper's parameters (preset paper: every atom, vMSD at
# 100-400 K over 100 ps), ARTn with local forces (10 Å, refined in the whole
# box: docs/saddle.md, "Local forces").
"$AMORPH" study "$GLASS" -o "$W" --preset paper --searches "$K" --local-radius 10

# Convergence with the number of searches per atom: the per-atom table as if
# k searches had run, analysed the same way (groups of 100, as the paper).
k=1
while [ "$k" -le "$K" ]; do
    "$AMORPH" artn-summary "$W/events.jsonl" "$W/inherent.data" --attempts "$k" -o "$W/artn_k$k.extxyz" \
        --json > "$W/artn_k$k.json"
    "$AMORPH" analyze "$W/describe.extxyz" "$W/modes.extxyz" "$W/vibrate.extxyz" "$W/artn_k$k.extxyz" \
        -o "$W/report_k$k" --group 100 --no-figures -q > /dev/null
    k=$((k + 1))
done

# Tg from the shipped glass's cooling curve: the quench's own fit ranges and a
# liquid range nearer Tg.
"$AMORPH" tg data/cuzr_glass_2000.curve.csv --json > "$W/tg_default.json"
"$AMORPH" tg data/cuzr_glass_2000.curve.csv --liquid 950:1250 --glass 300:555 --json > "$W/tg_near.json"

# What the page shows, copied next to it.
mkdir -p "$DOC"
cp "$W/report/README.md" "$DOC/report.md"
cp "$W/report/summary.json" "$DOC/summary.json"
cp "$W/report/"fig_*.png "$DOC/"
cp "$W/artn.extxyz" "$DOC/artn.extxyz"
gzip -9nc "$W/events.jsonl" > "$DOC/events.jsonl.gz"
for k in $(seq 1 "$K"); do cp "$W/report_k$k/summary.json" "$DOC/summary_k$k.json"; done
cp "$W/artn_k"*.json "$W"/tg_*.json "$DOC/"
python3 scripts/repro_convergence.py "$W" "$K" > "$DOC/convergence.md"
echo "reproduce: results in $W, copied to $DOC"
