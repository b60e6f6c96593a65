/* A search's restarts: a try that ends without a connected event is
 * replaced by a fresh one from the minimum, as pARTn and classic ARTn do.
 *
 * Why restart rather than keep pushing: a failed try rarely fails for a
 * reason the same direction can repair (a lost eigenvalue pushed on along
 * the initial direction succeeds in 1 case of 8 after 25 basin steps,
 * docs/saddle.md), whereas the landscape around the same atom usually has a
 * connected saddle in another direction. The events found are the same kind
 * as those of independent searches (a restart only replaces a direction
 * that led nowhere), so per-atom statistics are not biased by it; what
 * changes is how many searches a campaign needs per atom. */
#include "saddle/saddle_internal.h"
#include "core/error.h"
#include "core/hash.h"

#include <math.h>
#include <string.h>

/* Seed of restart k (k >= 1) of a search seeded with `seed`: a hash, so
 * restarts of neighbouring seeds (a campaign's neighbouring atoms) do not
 * share streams. */
static unsigned long restart_seed(unsigned long seed, int k)
{
    return am_fold32(am_mix64(am_mix64((uint64_t)seed) ^ (uint64_t)k));
}

am_status am_saddle_search(am_engine *e, am_system *s, const am_saddle_options *opt, size_t center,
                           const double *push, am_saddle_result *r)
{
    am_saddle_options o;
    if (opt) o = *opt;
    else am_saddle_defaults(&o);
    if (o.restarts < 0 || o.restarts > AM_SADDLE_MAX_RESTARTS)
        return am_fail(AM_ERR_VALUE, "saddle: restarts must be 0..%d, got %d", AM_SADDLE_MAX_RESTARTS, o.restarts);
    /* a given push would repeat the failed try exactly */
    const int most = push ? 0 : o.restarts;
    am_saddle_outcome failed[AM_SADDLE_MAX_RESTARTS];
    long calls = 0, lanczos = 0;
    const unsigned long seed = o.seed;
    for (int k = 0;; k++) {
        if (k) o.seed = restart_seed(seed, k);
        const am_status st = sd_try(e, s, &o, center, push, r);
        r->force_calls += calls;
        r->calls_lanczos += lanczos;
        r->restart_calls = calls;
        r->restarts = k;
        memcpy(r->restart_outcome, failed, (size_t)k * sizeof failed[0]);
        if (st) return st;
        if (r->outcome == AM_SADDLE_OK) {
            r->force_calls_saddle += calls;
            return AM_OK;
        }
        if (k == most) return AM_OK;
        /* a failed try may have reached a minimum (not connected, returned):
         * the next try need not, and must not leave that one behind */
        if (r->final_xyz)
            for (size_t i = 0; i < 3 * s->n; i++) r->final_xyz[i] = NAN;
        failed[k] = r->outcome;
        calls = r->force_calls;
        lanczos = r->calls_lanczos;
    }
}
