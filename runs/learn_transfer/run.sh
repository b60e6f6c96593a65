#!/bin/sh
# Issue 23's transfer test: a model of per-atom Ea trained on one glass scores the barriers of a
# second, independently quenched one. Glass 1 is the shipped glass (make demo's demo-output/, its
# ARTn log extended to every atom: runs/artn_demo2000/), glass 2 the seed-2 glass of
# runs/glass2000_seed2/ (same protocol, study and ARTn options). Both get the full descriptor set
# of docs/learn.md; ridge and boosted trees are trained on each glass (features to R = 6 Å, the
# best R of the cross-validation) and scored on the other; each glass's own cross-validated score
# is printed beside it. Needs: make demo's demo-output/ and runs/glass2000_seed2/study/.
set -eu
cd "$(dirname "$0")"
BIN=${AMORPH:-../bin/amorph-fc1be08}
G1=../../demo-output
G2=../glass2000_seed2/study
[ -f ../artn_demo2000/events.jsonl ] || xz -dkc ../artn_demo2000/events.jsonl.xz > ../artn_demo2000/events.jsonl
D="--voronoi --steinhardt --s2 --q-averaged --acsf --interstices --voronoi-radii auto"
for g in 1 2; do
  if [ $g = 1 ]; then dir=$G1; log=../artn_demo2000/events.jsonl; else dir=$G2; log=$G2/events.jsonl; fi
  [ -f describe_$g.extxyz ] || "$BIN" describe "$dir/inherent.data" $D -o describe_$g.extxyz -q
  [ -f artn_$g.extxyz ] || "$BIN" artn-summary "$log" "$dir/inherent.data" -o artn_$g.extxyz -q
  ln -sf "$dir/vibrate.extxyz" vibrate_$g.extxyz
  ln -sf "$dir/modes.extxyz" modes_$g.extxyz
done
tables() { echo describe_$1.extxyz vibrate_$1.extxyz modes_$1.extxyz artn_$1.extxyz; }
R="--cg-radii 0,4,6"
for m in ridge xgboost; do
  for g in 1 2; do
    o=$((3 - g))
    [ -f cv_${m}_$g.json ] || "$BIN" learn $(tables $g) $R --method $m --save-model model_${m}_$g.txt \
        --json --threads 2 > cv_${m}_$g.json
    "$BIN" learn $(tables $o) --model model_${m}_$g.txt --json > transfer_${m}_${g}to$o.json
  done
done
python3 summarize.py > transfer.md
cat transfer.md
