#!/bin/sh
# Regenerates the reproduction with the paper's potential (Mendelev 2009, the Cu-Zr default) and
# amorph's validated ARTn protocol (docs/reproduction.md, "The paper's potential and the validated
# protocol"), for the shipped 2 000-atom glass or the paper-size one:
#
#   scripts/reproduce_2009.sh [AMORPH] [WORKDIR] [SIZE] [LINES]
#
# AMORPH defaults to build/amorph; SIZE is 2000 (default) or 19652; WORKDIR defaults to
# repro-2009-SIZE. The inputs are pinned: `amorph study --preset paper` with seed 1 on
#   2000:  the shipped glass data/cuzr_glass_2000.data and its cooling curve, 2 ARTn searches per
#          atom, the committed event log docs/reproduction/mendelev2009_2000/events.jsonl.xz, whose
#          header fixes the search options (so the ARTn stage only checks that every search is
#          there; delete the log to redo it: about 1.5 core-hours), and the finished vMSD runs'
#          checkpoints (vibrate.T*.ckpt.xz there; ~10 min on one core to redo).
#   19652: the paper-size glass runs/glass19652/glass_19652.data.xz and its curve, one search per
#          atom, the committed log runs/glass19652/events.jsonl.xz and the finished vMSD runs'
#          checkpoints (runs/glass19652/vibrate.T*.ckpt.xz, ~1 core-hour each to redo). Describe
#          and modes are recomputed: the whole script took 14 min on 2 cores, 3.7 GB, from
#          scratch (2026-12-07). C(r) to 25 Å (the box is 70 Å). LINES takes the log's first
#          LINES lines only, into a WORKDIR that has no log yet (the log is append-only, so any
#          prefix is a snapshot of the campaign; atoms without an event are left out): the
#          interim tables of a running campaign, analysed as the finished one.
#          WORKDIR/rcg.md (scripts/repro_rcg.py): what one search per atom and the atoms that hop
#          in the vMSD run take from the coarse-grained r(vMSD, Ea); WORKDIR/lengths.md
#          (scripts/repro_lengths.py): the vMSD correlation lengths beside the 2 000-atom study's.
# 2000 also: WORKDIR/tg_rate.md (scripts/tg_rate.py), Tg against the cooling rate, and hops.md
# (runs/tg_rate/hops.sh), the atoms that hop at 300 K against the rate.
# Both sizes: WORKDIR/findings_stay.md, the findings with the atoms that hop in the vMSD runs left out
# of them (amorph analyze --hopped drop); WORKDIR/ensemble.md (scripts/repro_ensemble.py), vMSD
# under NVT against the paper's NPT (2000: 100-400 K; 19652: 300 K), from the committed runs
# vibrate_nvt.T*.ckpt.xz;
# WORKDIR/paper_summary.txt and protocols.md (scripts/repro_protocols.py), the paper's
# ARTn protocol on 400 random atoms (the committed paper_events.jsonl.xz / paper.jsonl.xz) against
# the validated one on the same atoms; WORKDIR/campaign_cost.txt (scripts/repro_cost.py), what both
# campaigns cost.
# Both start from the committed inherent structure (inherent.data.xz beside the log), not from a
# new minimisation: the event logs and vMSD checkpoints are bound to the exact configuration they
# were made from (its hash), and a minimisation's last bits depend on the CPU's force kernel
# (AVX-512, AVX2 or generic: docs/reproduction.md), so `amorph study`'s minimise stage is skipped.
# Every stage resumes.
set -eu
AMORPH=${1:-build/amorph}
SIZE=${3:-2000}
W=${2:-repro-2009-$SIZE}
LINES=${4:-}
# Debian's interpreter is the one with python3-numpy (scripts/install-deps.sh), whatever else is on
# PATH (pyenv, conda); PYTHON overrides
PY=${PYTHON:-python3}
[ -n "${PYTHON:-}" ] || [ ! -x /usr/bin/python3 ] || PY=/usr/bin/python3

if [ "$SIZE" = 2000 ]; then
    DOC=docs/reproduction/mendelev2009_2000
    GLASS=data/cuzr_glass_2000.data
    CURVE=data/cuzr_glass_2000.curve.csv
    SEARCHES=2
    LOG=$DOC/events.jsonl.xz
    PAPERLOG=$DOC/paper_events.jsonl.xz
    INHERENT=$DOC/inherent.data.xz
    CKPT=$DOC
    RMAX=15
elif [ "$SIZE" = 19652 ]; then
    R=runs/glass19652
    mkdir -p "$W"
    GLASS=$W/glass_19652.data
    CURVE=$W/glass_19652.data.curve.csv
    [ -e "$GLASS" ] || xz -dc $R/glass_19652.data.xz > "$GLASS"
    [ -e "$CURVE" ] || xz -dc $R/glass_19652.data.curve.csv.xz > "$CURVE"
    SEARCHES=1
    LOG=$R/events.jsonl.xz
    PAPERLOG=$R/paper.jsonl.xz
    INHERENT=$R/inherent.data.xz
    CKPT=$R
    RMAX=25
else
    echo "reproduce_2009: SIZE is 2000 or 19652, not '$SIZE'" >&2
    exit 2
fi

S=$W/study
mkdir -p "$S"
# newer than the glass, so the study counts its minimise stage as done; one left by an earlier
# run that differs (made by a minimisation) is replaced, and the stages after it redone
xz -dc "$INHERENT" > "$S/inherent.data.tmp"
if cmp -s "$S/inherent.data.tmp" "$S/inherent.data"; then
    rm "$S/inherent.data.tmp"
else
    mv "$S/inherent.data.tmp" "$S/inherent.data"
fi
if [ ! -e "$S/events.jsonl" ] && [ -e "$LOG" ]; then
    if [ -n "$LINES" ]; then
        xz -dc "$LOG" | head -n "$LINES" > "$S/events.jsonl"
    else
        xz -dc "$LOG" > "$S/events.jsonl"
    fi
fi
# the finished vMSD runs (their checkpoints hold the results): a trajectory's last bits, and so,
# as it diverges, the trajectory itself, depend on the CPU's force kernel
for c in $CKPT/vibrate.T*.ckpt.xz; do
    t=$S/$(basename "$c" .xz)
    [ -e "$t" ] || xz -dc "$c" > "$t"
done

# the campaign is complete when every atom has its searches in the log
complete=1
if [ "$SIZE" = 19652 ]; then
    "$AMORPH" study "$GLASS" --preset paper --searches $SEARCHES --seed 1 --skip artn -o "$S" -q
    "$AMORPH" artn-summary "$S/events.jsonl" "$S/inherent.data" -o "$S/artn.extxyz" --json > "$W/artn_summary.json"
    complete=$("$PY" -c "import json,sys; s=json.load(open(sys.argv[1])); h=json.loads(open(sys.argv[2]).readline())
print(int(s['atoms_searched'] >= h['atoms']))" "$W/artn_summary.json" "$S/events.jsonl")
fi
if [ "$complete" = 1 ]; then
    "$AMORPH" study "$GLASS" --preset paper --searches $SEARCHES --seed 1 -o "$S" -q
fi
# the paper's coarse-graining (groups of 100), as the 2007 reproduction; while the campaign runs,
# the automatic groups (100 needs 300 atoms with a barrier per species)
GROUP=100
[ "$complete" = 1 ] || GROUP=auto
"$AMORPH" analyze "$S/describe.extxyz" "$S/modes.extxyz" "$S/vibrate.extxyz" "$S/artn.extxyz" --group $GROUP --seed 1 \
    --rmax $RMAX -o "$W/report" -q
"$AMORPH" tg "$CURVE" --json > "$W/tg_default.json"
"$AMORPH" tg "$CURVE" --liquid 950:1250 --glass 300:555 --json > "$W/tg_near.json"
"$AMORPH" artn-summary "$S/events.jsonl" "$S/inherent.data" > "$W/artn_summary.txt"
"$PY" scripts/repro_findings.py "$W" > "$W/findings.md"
# what one search per atom and the atoms that hop during the vMSD run take from r_cg(vMSD, Ea):
# the searches' scatter measured on the 2 000-atom glass, two searches per atom (same potential,
# rate and protocol)
if [ "$SIZE" = 19652 ]; then
    # the vMSD correlation lengths with C(r) to 15 Å as well (the 2 000-atom box's reach), beside
    # the 2 000-atom study's
    "$AMORPH" analyze "$S/describe.extxyz" "$S/modes.extxyz" "$S/vibrate.extxyz" "$S/artn.extxyz" --group $GROUP \
        --seed 1 --rmax 15 --no-figures -o "$W/report_r15" -q
    "$PY" scripts/repro_lengths.py "2 000 atoms, C(r) to 15 Å=docs/reproduction/mendelev2009_2000/summary.json" \
        "19 652 atoms, C(r) to 15 Å=$W/report_r15/summary.json" "19 652 atoms, C(r) to 25 Å=$W/report/summary.json" \
        > "$W/lengths.md"
    "$PY" scripts/repro_rcg.py "$S" docs/reproduction/mendelev2009_2000/events.jsonl.xz \
        docs/reproduction/mendelev2009_2000/inherent.data.xz > "$W/rcg.md"
fi
# the same analysis with the atoms that hop during the vMSD runs left out of them (their vMSD measures a
# jump, not a vibration: docs/analysis.md, "Atoms that hop")
"$AMORPH" analyze "$S/describe.extxyz" "$S/modes.extxyz" "$S/vibrate.extxyz" "$S/artn.extxyz" --group $GROUP --seed 1 \
    --rmax $RMAX --hopped drop --no-figures -o "$W/report_stay" -q
"$PY" scripts/repro_findings.py "$W" "$W/report_stay" > "$W/findings_stay.md"
# vMSD under NVT (the inherent structure's box) beside the paper's NPT, from the committed finished
# runs (vibrate_nvt.T*.ckpt.xz; without them, ~3 min per temperature at 2 000 atoms, ~40 at 19 652)
NVT_T=100,200,300,400
[ "$SIZE" = 2000 ] || NVT_T=300
for c in $CKPT/vibrate_nvt.T*.ckpt.xz; do
    t=$S/$(basename "$c" .xz)
    [ ! -e "$c" ] || [ -e "$t" ] || xz -dc "$c" > "$t"
done
"$AMORPH" vibrate "$S/inherent.data" -T $NVT_T --time 100 --equilibrate 20 --ensemble nvt --seed 1 \
    --checkpoint-prefix "$S/vibrate_nvt" -o "$S/vibrate_nvt.extxyz" -q
"$AMORPH" analyze "$S/describe.extxyz" "$S/modes.extxyz" "$S/vibrate_nvt.extxyz" "$S/artn.extxyz" --group $GROUP \
    --seed 1 --rmax $RMAX --no-figures -o "$W/report_nvt" -q
"$PY" scripts/repro_ensemble.py "$S/vibrate.extxyz" "$S/vibrate_nvt.extxyz" "$W/report/summary.json" \
    "$W/report_nvt/summary.json" > "$W/ensemble.md"
# the paper's ARTn protocol (`--preset paper`, a random subset of the atoms) against the validated one,
# atom by atom
xz -dc "$PAPERLOG" > "$W/paper_events.jsonl"
"$AMORPH" artn-summary "$W/paper_events.jsonl" "$S/inherent.data" -o "$W/paper_artn.extxyz" > "$W/paper_summary.txt"
"$PY" scripts/repro_protocols.py "$S/artn.extxyz" "$W/paper_artn.extxyz" > "$W/protocols.md"
# what both campaigns cost (the searches' own clocks)
"$PY" scripts/repro_cost.py "$S/events.jsonl" "$W/paper_events.jsonl" > "$W/campaign_cost.txt"
# the cooling-rate study of the 2 000-atom glasses (runs/tg_rate/): Tg against the rate, from the
# committed cooling curves, and the atoms that hop at 300 K, from the committed vMSD runs
if [ "$SIZE" = 2000 ]; then
    mkdir -p "$W/tg_rate"
    for c in runs/tg_rate/glass_*.data.curve.csv.xz; do
        xz -dc "$c" > "$W/tg_rate/$(basename "$c" .xz)"
    done
    # the Python package beside the program (build/python for build/amorph)
    PYTHONPATH="$(dirname "$AMORPH")/python" "$PY" scripts/tg_rate.py "$W/tg_rate" > "$W/tg_rate.md"
    AMORPH="$(cd "$(dirname "$AMORPH")" && pwd)/$(basename "$AMORPH")" PYTHON="$PY" sh runs/tg_rate/hops.sh > "$W/hops.md"
fi
[ "$complete" = 1 ] || echo "reproduce_2009: the 19 652-atom campaign is not finished: interim barriers" >&2
echo "reproduce_2009: findings in $W/findings.md, report in $W/report/"
