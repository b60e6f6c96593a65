#!/bin/sh
# Runs every fuzz target built with -DAMORPH_FUZZ=ON for SECONDS (default 20)
# each: from a copy of its seed corpus (tests/fuzz/corpus/<reader>) and the
# inputs that once were findings (regress/<reader>), with its dictionary,
# a 5 s timeout per input and a 2 GB memory limit, ASan+UBSan aborting on
# the first report. Exits non-zero on any finding (crash, sanitizer report,
# leak, timeout, out-of-memory, failed check); the input is kept in
# BUILD/fuzz-artifacts. Builds nothing. With FUZZ_RUNS=N in the environment
# each fuzzer runs N inputs instead, however long that takes.
#
#   tests/fuzz/run.sh [SECONDS] [BUILD]       (BUILD default: build-fuzz)
#   FUZZ_RUNS=1000000 tests/fuzz/run.sh
set -eu
secs=${1:-20}
limit="-max_total_time=$secs"
[ -n "${FUZZ_RUNS:-}" ] && limit="-runs=$FUZZ_RUNS"
here=$(cd "$(dirname "$0")" && pwd)
build=${2:-$here/../../build-fuzz}
build=$(cd "$build" 2>/dev/null && pwd) || { echo "fuzz: no build directory ${2:-build-fuzz}" >&2; exit 1; }
bins=$(ls "$build"/tests/fuzz/fuzz_* 2>/dev/null || true)
if [ -z "$bins" ]; then
    echo "fuzz: no fuzz targets in $build/tests/fuzz (configure with -DAMORPH_FUZZ=ON, build amorph_fuzzers)" >&2
    exit 1
fi
art="$build/fuzz-artifacts"
mkdir -p "$art"
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT INT TERM
failed=""
for bin in $bins; do
    r=${bin##*/fuzz_}
    mkdir "$work/$r"
    # new inputs go to the first directory, a scratch one, never the source tree
    dirs="$work/$r $here/corpus/$r"
    [ -d "$here/regress/$r" ] && dirs="$dirs $here/regress/$r"
    dict=""
    for d in "$r" "${r%%_*}" "${r#*_}"; do
        if [ -f "$here/dict/$d.dict" ]; then dict="-dict=$here/dict/$d.dict"; break; fi
    done
    log="$work/$r.log"
    t0=$(date +%s)
    # shellcheck disable=SC2086
    if (cd "$work" && "$bin" $limit -timeout=5 -rss_limit_mb=2048 -print_final_stats=1 \
            -artifact_prefix="$art/$r-" $dict $dirs >"$log" 2>&1); then
        runs=$(sed -n 's/^stat::number_of_executed_units: *//p' "$log")
        echo "fuzz $r: ${runs:-?} inputs in $(($(date +%s) - t0)) s, no findings"
    else
        echo "fuzz $r: FINDING (input kept in $art)" >&2
        grep -m 20 -E "ERROR|SUMMARY|runtime error|fuzz check failed|Test unit written" "$log" >&2 || tail -30 "$log" >&2
        failed="$failed $r"
    fi
done
if [ -n "$failed" ]; then
    echo "fuzz: findings in:$failed" >&2
    exit 1
fi
