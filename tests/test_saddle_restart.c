/* Restarts of a failed ARTn try (am_saddle_options.restarts, docs/saddle.md
 * "Restarts") on the 432-atom CuZr glass: a restarted search is, try by try,
 * the searches without restarts seeded as documented (recomputed here with
 * an independent splitmix64), its calls add up, its failed tries' outcomes
 * are kept and survive the event log; the paper's preset and a given push do
 * not restart; bad counts and malformed log fields are refused. */
#include "util/build.h"
#include "util/check.h"

#include <math.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* splitmix64, written out from its definition (Steele, Lea, Flood 2014) */
static uint64_t splitmix(uint64_t x)
{
    x += 0x9e3779b97f4a7c15ULL;
    x = (x ^ (x >> 30)) * 0xbf58476d1ce4e5b9ULL;
    x = (x ^ (x >> 27)) * 0x94d049bb133111ebULL;
    return x ^ (x >> 31);
}

/* the documented seed of restart k: splitmix(splitmix(seed) ^ k), folded to 32 bits */
static unsigned long seed_of(unsigned long seed, int k)
{
    const uint64_t h = splitmix(splitmix(seed) ^ (uint64_t)k);
    return (unsigned long)((h ^ (h >> 32)) & 0xffffffffULL);
}

static void log_fields(const am_saddle_result *r)
{
    am_event ev, back;
    char line[AM_EVENT_LINE];
    am_event_from_result(5, 0, r, 1.0, &ev);
    am_event_format(&ev, line);
    int same = am_event_parse(line, &back) == AM_OK && back.restarts == r->restarts;
    for (int k = 0; same && k < r->restarts; k++) same = back.restart_outcome[k] == r->restart_outcome[k];
    check_true(same && strstr(line, "\"restarted\":\"") != NULL, "the log line keeps the restarts: %s", line);

    /* malformed restart fields: each refused with a message naming it */
    static const char *const bad[] = {
        "\"restarts\":2,\"restarted\":\"3\"",   /* fewer codes than restarts */
        "\"restarts\":1,\"restarted\":\"0\"",   /* ok is not a failure */
        "\"restarts\":1,\"restarted\":\"3,\"",  /* trailing comma */
        "\"restarts\":1,\"restarted\":\"99\"",  /* no such outcome */
        "\"restarts\":9,\"restarted\":\"3,3,3,3,3,3,3,3,3\"", /* above the limit */
        "\"restarted\":\"3\"",                  /* codes without a count */
        "\"restarts\":1",                       /* a count without codes */
        "\"restarts\":1,\"restarted\":3",       /* not a string */
        "\"restarts\":1,\"restarted\":\"3;4\"", /* not comma-separated */
    };
    for (size_t k = 0; k < sizeof bad / sizeof bad[0]; k++) {
        char text[256];
        snprintf(text, sizeof text, "{\"atom\":5,\"attempt\":0,\"outcome\":6,%s}", bad[k]);
        const am_status st = am_event_parse(text, &back);
        check_true(st != AM_OK && strstr(am_error_message(), "restart") != NULL, "refused: %s (%s)", text,
                   am_error_message());
    }
    char ok[] = "{\"atom\":5,\"attempt\":0,\"outcome\":6,\"restarts\":2,\"restarted\":\"3,10\"}";
    check_true(am_event_parse(ok, &back) == AM_OK && back.restarts == 2 && back.restart_outcome[0] == 3 &&
               back.restart_outcome[1] == 10, "a well-formed restart field is read");
}

int main(void)
{
    am_potential *p;
    am_system *s = load_glass_minimized(&p, 1e-8);
    if (!check_true(s != NULL, "glass minimised")) return check_exit();
    am_engine *e;
    am_engine_create(p, s, 1.0, &e);

    am_saddle_options o, paper;
    am_saddle_defaults(&o);
    am_saddle_paper(&paper);
    check_true(o.restarts == 3 && paper.restarts == 0, "defaults restart three times, the paper's protocol never");

    /* the first search whose first try fails and a later one converges */
    am_saddle_result r = {0};
    size_t c = 0;
    int found = 0;
    for (int tried = 0; tried < 40 && !found; tried++) {
        c = (size_t)(17 * tried + 3) % s->n;
        o.seed = 100 + (unsigned long)tried;
        check_true(am_saddle_search(e, s, &o, c, NULL, &r) == AM_OK, "search at atom %zu", c);
        found = r.outcome == AM_SADDLE_OK && r.restarts > 0;
    }
    if (check_true(found, "a search converged after %d restart(s) at atom %zu", r.restarts, c)) {
        /* try by try, the searches without restarts */
        am_saddle_options one = o;
        one.restarts = 0;
        long calls = 0, lanczos = 0;
        am_saddle_result t = {0};
        for (int k = 0; k <= r.restarts; k++) {
            one.seed = k ? seed_of(o.seed, k) : o.seed;
            check_true(am_saddle_search(e, s, &one, c, NULL, &t) == AM_OK && t.restarts == 0, "try %d alone", k);
            if (k < r.restarts) {
                check_true(t.outcome == r.restart_outcome[k] && t.outcome != AM_SADDLE_OK,
                           "try %d: %s, as the restarted search recorded (%s)", k, am_saddle_outcome_name(t.outcome),
                           am_saddle_outcome_name(r.restart_outcome[k]));
                calls += t.force_calls;
                lanczos += t.calls_lanczos;
            }
        }
        check_true(t.outcome == AM_SADDLE_OK && t.e_saddle == r.e_saddle && t.e_final == r.e_final &&
                   t.eigenvalue == r.eigenvalue,
                   "the last try alone gives the same saddle and minimum bit for bit (Ea %.6f eV)", r.ea);
        check_true(r.restart_calls == calls && r.force_calls == calls + t.force_calls &&
                   r.force_calls_saddle == calls + t.force_calls_saddle && r.calls_lanczos == lanczos + t.calls_lanczos,
                   "calls add up: %ld failed + %ld = %ld (to the saddle %ld)", calls, t.force_calls, r.force_calls,
                   r.force_calls_saddle);
        log_fields(&r);
    }

    /* a given push is never restarted: the same direction would fail again */
    {
        double *push = calloc(3 * s->n, sizeof(double));
        push[3 * c] = 1.0;
        am_saddle_options g = o;
        g.max_basin_steps = 1; /* fails for sure */
        am_saddle_result rg = {0};
        check_true(am_saddle_search(e, s, &g, c, push, &rg) == AM_OK && rg.outcome == AM_SADDLE_BASIN_LIMIT &&
                   rg.restarts == 0, "a given push fails once, without restarts");
        g.restarts = 3;
        double *xf = calloc(3 * s->n, sizeof(double));
        rg.final_xyz = xf;
        check_true(am_saddle_search(e, s, &g, c, NULL, &rg) == AM_OK && rg.outcome == AM_SADDLE_BASIN_LIMIT &&
                   rg.restarts == 3 && rg.restart_outcome[2] == AM_SADDLE_BASIN_LIMIT,
                   "a random push that always fails: 3 restarts, all recorded");
        int nan = 1;
        for (size_t i = 0; i < 3 * s->n; i++) nan &= isnan(xf[i]);
        check_true(nan, "no minimum reached after restarts: final positions NaN, nothing left from a try");
        rg.final_xyz = NULL;
        free(xf);
        g.restarts = AM_SADDLE_MAX_RESTARTS + 1;
        check_true(am_saddle_search(e, s, &g, c, NULL, &rg) == AM_ERR_VALUE &&
                   strstr(am_error_message(), "restarts") != NULL, "restarts above %d refused: %s",
                   AM_SADDLE_MAX_RESTARTS, am_error_message());
        free(push);
    }

    am_engine_free(e);
    am_potential_free(p);
    am_system_free(s);
    return check_exit();
}
