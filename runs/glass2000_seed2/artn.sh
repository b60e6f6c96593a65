#!/bin/sh
# Issue 23's second glass, after run.sh's quench: the study of `make demo` (quick preset: inherent
# structure, describe, modes, vMSD at 300 K NVT) with ARTn on every atom, one search each, with
# amorph artn's defaults (the same options as runs/artn_demo2000/'s campaign on the shipped glass:
# the log headers agree but for the units field, which came later). One thread.
# Resumable: run it again and the study skips finished stages and resumes the ARTn log.
set -e
cd "$(dirname "$0")"
BIN=${AMORPH:-../bin/amorph-fc1be08}
[ -f glass.data ] || { echo "artn.sh: glass.data missing: run run.sh first" >&2; exit 1; }
OMP_NUM_THREADS=1 "$BIN" study glass.data -o study --preset quick --artn-atoms all --threads 1 \
  > study.log 2> study.err
