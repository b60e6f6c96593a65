# Sourced by the benchmark scripts (after BUILD_DIR and POT are set): the
# vCPU for a round's one-core runs. On this project's 2-core VM the two
# vCPUs have run at different speeds for tens of minutes at a time
# (2026-12-07: one 1.5x slower than the other at the same force call;
# docs/performance.md, "Machine"), so a one-core run measured the vCPU the
# kernel happened to put it on as much as the code. pin_round, called at the
# start of each round, times a short force call on each allowed vCPU and
# sets ONE to a command prefix that pins that round's one-core runs of every
# engine to the faster one; both engines of a round run on the same vCPU.
# PIN=0 (or no taskset) leaves ONE empty: no pinning.
pin_cpus() { # the vCPUs this process may use, one per line
    taskset -pc $$ 2>/dev/null | sed 's/.*: *//' | tr ',' '\n' |
        awk -F- 'NF == 2 { for (c = $1; c <= $2; c++) print c; next } NF == 1 && $1 != "" { print $1 }'
}
pin_pick() { # the faster allowed vCPU now, or nothing
    [ "${PIN:-1}" = 0 ] && return 0
    command -v taskset >/dev/null 2>&1 || return 0
    cal="$BUILD_DIR/bench/bench_eam"
    [ -x "$cal" ] || return 0
    best=""; bt=""
    for c in $(pin_cpus); do
        t=$(taskset -c "$c" "$cal" data/cuzr_glass_2000.data "$POT" Cu,Zr 40 1 |
            sed 's/.*us_per_atom_step=\([0-9.]*\).*/\1/')
        if [ -z "$bt" ] || [ "$(echo "$t < $bt" | bc -l)" = 1 ]; then best=$c; bt=$t; fi
    done
    echo "$best"
}
pin_round() { # ROUND_NAME: sets ONE, and says on stderr where the round's one-core runs go
    cpu=$(pin_pick)
    if [ -n "$cpu" ]; then ONE="taskset -c $cpu"; else ONE=""; fi
    echo "  $1: one-core runs on ${cpu:+vCPU }${cpu:-any vCPU}" >&2
}
# pin_for N: for a run on N cores (MPI ranks or threads), pin (a command
# prefix) and bind (mpirun's binding, none where taskset has pinned it).
pin_for() {
    if [ "$1" = 1 ] && [ -n "$ONE" ]; then pin="$ONE"; bind="--bind-to none"; else pin=""; bind=""; fi
}
