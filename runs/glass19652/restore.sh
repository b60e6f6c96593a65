#!/bin/sh
# On a fresh machine (a new checkout: no runs/bin, no study/), puts back what the long runs of
# this directory need, from the repository alone: the binaries they were started with, built
# from their commits (runs/bin is not committed), and study/inherent.data, the minimised glass
# the event logs and vMSD checkpoints are bound to (their conf_hash), from inherent.data.xz (made
# by study.sh's first stage; committed because a new minimisation's last bits depend on the
# CPU's force kernel, docs/reproduction.md). Then start the runs as before:
#   (setsid nohup nice -n 5 ./artn.sh > artn.out 2>&1 < /dev/null &)   # and ./artn.sh 2, ./paper.sh
# Idempotent: what exists is left alone. Needs the build dependencies (scripts/install-deps.sh).
set -e
cd "$(dirname "$0")"
top=$(git rev-parse --show-toplevel)
mkdir -p ../bin study
# These binaries find the shipped potential in their source tree, so the trees stay, beside
# them in runs/bin (ignored by git).
bin=$(cd ../bin && pwd)
for c in d0ce211 26d14dc; do
  [ -x "$bin/amorph-$c" ] && [ -d "$bin/src-$c" ] && continue
  [ -d "$bin/src-$c" ] || git -C "$top" worktree add -f "$bin/src-$c" "$c" > /dev/null
  cmake -S "$bin/src-$c" -B "$bin/build-$c" -DCMAKE_BUILD_TYPE=Release > /dev/null
  make -C "$bin/build-$c" -j2 amorph_cli > /dev/null
  cp "$bin/build-$c/amorph" "$bin/amorph-$c"
done
[ -f glass_19652.data ] || xz -dk glass_19652.data.xz
[ -f study/inherent.data ] || xz -dc inherent.data.xz > study/inherent.data
echo "restore: binaries in runs/bin, study/inherent.data ready; start artn.sh, artn.sh 2 and paper.sh"
