/* ARTn campaigns: event records, per-search seeds, the JSON-lines event log
 * and per-atom aggregation with duplicate removal (SPEC §4).
 *
 * Everything a campaign reports is a function of the set of (atom, attempt)
 * records, never of the order in which they were produced: seeds hash the
 * pair, and aggregation sorts before it compares. That is what makes a
 * campaign resumable and independent of threads or ranks. */
#include "amorph/saddle.h"
#include "core/error.h"
#include "io/numfmt.h"

#include <errno.h>
#include <math.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

void am_event_from_result(long long atom, int attempt, const am_saddle_result *r, double wall, am_event *ev)
{
    memset(ev, 0, sizeof *ev);
    ev->atom = atom;
    ev->attempt = attempt;
    ev->outcome = r->outcome;
    ev->e0 = r->e0;
    ev->e_saddle = r->e_saddle;
    ev->e_final = r->e_final;
    ev->ea = r->ea;
    ev->eigenvalue = r->eigenvalue;
    ev->fmax_saddle = r->fmax_saddle;
    ev->disp_max = r->disp_max;
    ev->disp_total = r->disp_total;
    ev->force_calls = r->force_calls;
    ev->force_calls_saddle = r->force_calls_saddle;
    ev->wall = wall;
}

/* splitmix64's finaliser: every input bit affects every output bit, so
 * neighbouring atoms and attempts get unrelated streams. */
static uint64_t mix64(uint64_t x)
{
    x += 0x9e3779b97f4a7c15ULL;
    x = (x ^ (x >> 30)) * 0xbf58476d1ce4e5b9ULL;
    x = (x ^ (x >> 27)) * 0x94d049bb133111ebULL;
    return x ^ (x >> 31);
}

unsigned long am_event_seed(unsigned long long campaign_seed, long long atom, int attempt)
{
    uint64_t h = mix64((uint64_t)campaign_seed);
    h = mix64(h ^ (uint64_t)atom);
    h = mix64(h ^ (uint64_t)(int64_t)attempt);
    /* fold rather than truncate, so the high half matters too */
    return (unsigned long)((h ^ (h >> 32)) & 0xffffffffULL);
}

void am_dedup_defaults(am_dedup_options *o)
{
    o->saddle_energy = 0.01;
    o->final_energy = 0.005;
    o->displacement = 0.1;
}

int am_event_same(const am_event *a, const am_event *b, const am_dedup_options *o)
{
    am_dedup_options d;
    if (!o) { am_dedup_defaults(&d); o = &d; }
    /* written as "<" so that a NaN (final minimum never reached) is never the same */
    return fabs(a->e_saddle - b->e_saddle) < o->saddle_energy && fabs(a->e_final - b->e_final) < o->final_energy &&
           fabs(a->disp_total - b->disp_total) < o->displacement;
}

static int cmp_event(const void *pa, const void *pb)
{
    const am_event *a = pa, *b = pb;
    if (a->atom != b->atom) return a->atom < b->atom ? -1 : 1;
    return (a->attempt > b->attempt) - (a->attempt < b->attempt);
}

void am_events_sort(am_event *ev, size_t nev)
{
    if (nev > 1) qsort(ev, nev, sizeof *ev, cmp_event);
}

static int cmp_ll(const void *pa, const void *pb)
{
    const long long a = *(const long long *)pa, b = *(const long long *)pb;
    return (a > b) - (a < b);
}

am_status am_events_aggregate(am_event *ev, size_t nev, const long long *ids, size_t n, const am_dedup_options *o,
                              double *ea_mean, double *ea_min, long long *count, long long *searches)
{
    if ((nev && !ev) || (n && (!ids || !ea_mean || !ea_min || !count)))
        return am_fail(AM_ERR_VALUE, "am_events_aggregate: missing array");
    am_dedup_options d;
    if (!o) { am_dedup_defaults(&d); o = &d; }
    for (size_t k = 0; k < n; k++) {
        ea_mean[k] = ea_min[k] = NAN;
        count[k] = 0;
        if (searches) searches[k] = 0;
    }
    am_events_sort(ev, nev);
    /* (id, index) pairs sorted by id: one merge pass over the sorted events */
    long long *key = malloc((n ? n : 1) * 2 * sizeof(long long));
    size_t *distinct = malloc((nev ? nev : 1) * sizeof(size_t));
    if (!key || !distinct) {
        free(key); free(distinct);
        return am_fail(AM_ERR_NOMEM, "am_events_aggregate: out of memory");
    }
    for (size_t k = 0; k < n; k++) { key[2 * k] = ids[k]; key[2 * k + 1] = (long long)k; }
    qsort(key, n, 2 * sizeof(long long), cmp_ll);
    am_status st = AM_OK;
    size_t j = 0;
    for (size_t a = 0; a < nev && !st;) {
        size_t b = a;
        while (b < nev && ev[b].atom == ev[a].atom) b++;
        while (j < n && key[2 * j] < ev[a].atom) j++;
        if (j == n || key[2 * j] != ev[a].atom) {
            st = am_fail(AM_ERR_VALUE, "event at atom id %lld (attempt %d): no such atom in the configuration",
                         ev[a].atom, ev[a].attempt);
            break;
        }
        const size_t k = (size_t)key[2 * j + 1];
        size_t nd = 0;
        double sum = 0, lo = INFINITY;
        long long ns = 0;
        for (size_t e = a; e < b; e++) {
            if (e > a && ev[e].attempt == ev[e - 1].attempt) continue; /* the same search logged twice */
            ns++;
            if (ev[e].outcome != AM_SADDLE_OK) continue;
            int dup = 0;
            for (size_t q = 0; q < nd && !dup; q++) dup = am_event_same(&ev[e], &ev[distinct[q]], o);
            if (dup) continue;
            distinct[nd++] = e;
            sum += ev[e].ea;
            lo = fmin(lo, ev[e].ea);
        }
        if (nd) { ea_mean[k] = sum / (double)nd; ea_min[k] = lo; }
        count[k] = (long long)nd;
        if (searches) searches[k] = ns;
        a = b;
    }
    free(key);
    free(distinct);
    return st;
}

/* ---- the log ---- */

static char *put_num(char *p, const char *name, double v)
{
    char num[AM_IO_NUMBUF];
    return p + sprintf(p, ",\"%s\":%s", name, isfinite(v) ? am_io_fmt_double(num, v) : "null");
}

void am_event_format(const am_event *ev, char *buf)
{
    char *p = buf;
    p += sprintf(p, "{\"atom\":%lld,\"attempt\":%d,\"status\":\"%s\",\"outcome\":%d", ev->atom, ev->attempt,
                 am_saddle_outcome_name(ev->outcome), (int)ev->outcome);
    p = put_num(p, "e0", ev->e0);
    p = put_num(p, "e_saddle", ev->e_saddle);
    p = put_num(p, "e_final", ev->e_final);
    p = put_num(p, "ea", ev->ea);
    p = put_num(p, "eigenvalue", ev->eigenvalue);
    p = put_num(p, "fmax_saddle", ev->fmax_saddle);
    p = put_num(p, "disp_max", ev->disp_max);
    p = put_num(p, "disp_total", ev->disp_total);
    p += sprintf(p, ",\"force_calls\":%ld", ev->force_calls);
    if (ev->force_calls_saddle >= 0) p += sprintf(p, ",\"force_calls_saddle\":%ld", ev->force_calls_saddle);
    p = put_num(p, "wall", ev->wall);
    strcpy(p, "}\n");
}

static const char *skip_ws(const char *p)
{
    while (*p == ' ' || *p == '\t' || *p == '\r' || *p == '\n') p++;
    return p;
}

/* An integer field must be written as one: "attempt": 1.5 is a corrupt line. */
static int as_long(double v, long lo, long hi, long *out)
{
    if (!(v >= (double)lo && v <= (double)hi) || v != floor(v)) return 0;
    *out = (long)v;
    return 1;
}

am_status am_event_parse(const char *line, am_event *ev)
{
    am_event r;
    memset(&r, 0, sizeof r);
    r.force_calls_saddle = -1; /* logs before the field */
    r.e0 = r.e_saddle = r.e_final = r.ea = r.eigenvalue = r.fmax_saddle = r.disp_max = r.disp_total = r.wall = NAN;
    int have_atom = 0, have_attempt = 0, have_outcome = 0;
    const char *p = skip_ws(line);
    if (*p++ != '{') return am_fail(AM_ERR_PARSE, "expected a JSON object");
    p = skip_ws(p);
    if (*p == '}') return am_fail(AM_ERR_PARSE, "empty object");
    for (;;) {
        char key[32];
        size_t kl = 0;
        if (*p++ != '"') return am_fail(AM_ERR_PARSE, "expected a quoted key");
        while (*p && *p != '"' && *p != '\\') {
            if (kl + 1 < sizeof key) key[kl++] = *p;
            p++;
        }
        if (*p++ != '"') return am_fail(AM_ERR_PARSE, "unterminated or escaped key");
        key[kl] = '\0';
        p = skip_ws(p);
        if (*p++ != ':') return am_fail(AM_ERR_PARSE, "expected ':' after \"%s\"", key);
        p = skip_ws(p);
        double v = NAN;
        int is_num = 0;
        if (*p == '"') { /* strings (the status text) are only for readers */
            p++;
            while (*p && *p != '"') p += *p == '\\' && p[1] ? 2 : 1;
            if (*p++ != '"') return am_fail(AM_ERR_PARSE, "unterminated string for \"%s\"", key);
        } else if (strncmp(p, "null", 4) == 0) {
            p += 4;
        } else {
            char *end;
            errno = 0;
            v = strtod(p, &end);
            if (end == p || errno == ERANGE) return am_fail(AM_ERR_PARSE, "bad value for \"%s\"", key);
            p = end;
            is_num = 1;
        }
        long iv;
        if (strcmp(key, "atom") == 0) {
            if (!is_num || v != floor(v) || !(v >= 1 && v < 9.2e18)) return am_fail(AM_ERR_PARSE, "bad atom id");
            r.atom = (long long)v;
            have_atom = 1;
        } else if (strcmp(key, "attempt") == 0) {
            if (!is_num || !as_long(v, 0, 1000000000L, &iv)) return am_fail(AM_ERR_PARSE, "bad attempt");
            r.attempt = (int)iv;
            have_attempt = 1;
        } else if (strcmp(key, "outcome") == 0) {
            if (!is_num || !as_long(v, AM_SADDLE_OK, AM_SADDLE_NOUTCOMES - 1, &iv)) return am_fail(AM_ERR_PARSE, "bad outcome");
            r.outcome = (am_saddle_outcome)iv;
            have_outcome = 1;
        } else if (strcmp(key, "force_calls") == 0) {
            if (!is_num || !as_long(v, 0, 2000000000L, &iv)) return am_fail(AM_ERR_PARSE, "bad force_calls");
            r.force_calls = iv;
        } else if (strcmp(key, "force_calls_saddle") == 0) {
            if (!is_num || !as_long(v, 0, 2000000000L, &iv)) return am_fail(AM_ERR_PARSE, "bad force_calls_saddle");
            r.force_calls_saddle = iv;
        } else {
            static const char *names[] = {"e0", "e_saddle", "e_final", "ea", "eigenvalue",
                                          "fmax_saddle", "disp_max", "disp_total", "wall"};
            double *slots[] = {&r.e0, &r.e_saddle, &r.e_final, &r.ea, &r.eigenvalue,
                               &r.fmax_saddle, &r.disp_max, &r.disp_total, &r.wall};
            for (size_t k = 0; k < sizeof names / sizeof names[0]; k++)
                if (strcmp(key, names[k]) == 0) *slots[k] = v;
        }
        p = skip_ws(p);
        if (*p == ',') { p = skip_ws(p + 1); continue; }
        if (*p++ != '}') return am_fail(AM_ERR_PARSE, "expected ',' or '}' after \"%s\"", key);
        break;
    }
    if (*skip_ws(p)) return am_fail(AM_ERR_PARSE, "text after the object");
    if (!have_atom || !have_attempt || !have_outcome)
        return am_fail(AM_ERR_PARSE, "atom, attempt and outcome are required");
    *ev = r;
    return AM_OK;
}

static int is_header(const char *line)
{
    const char *p = skip_ws(line);
    return *p == '{' && strncmp(skip_ws(p + 1), "\"campaign\"", 10) == 0;
}

am_status am_events_read(const char *path, char **header, am_event **ev, size_t *nev, long long *complete_bytes)
{
    if (header) *header = NULL;
    *ev = NULL;
    *nev = 0;
    if (complete_bytes) *complete_bytes = 0;
    FILE *f = fopen(path, "rb");
    if (!f) {
        if (errno == ENOENT) return AM_OK;
        return am_fail(AM_ERR_IO, "%s: %s", path, strerror(errno));
    }
    char *line = NULL, *hdr = NULL;
    size_t cap = 0, n = 0, ncap = 0;
    am_event *v = NULL;
    long long done = 0;
    long lineno = 0;
    am_status st = AM_OK;
    ssize_t len;
    while ((len = getline(&line, &cap, f)) > 0) {
        lineno++;
        if (line[len - 1] != '\n') break; /* cut short by a kill: not a record */
        if (strlen(line) != (size_t)len) {
            st = am_fail(AM_ERR_PARSE, "%s:%ld: NUL byte in the event log", path, lineno);
            break;
        }
        done += len;
        if (lineno == 1 && is_header(line)) {
            line[len - 1] = '\0';
            if (len > 1 && line[len - 2] == '\r') line[len - 2] = '\0';
            if (header && !(hdr = strdup(line))) { st = am_fail(AM_ERR_NOMEM, "out of memory"); break; }
            continue;
        }
        if (*skip_ws(line) == '\0') { /* an empty line cannot come from amorph */
            st = am_fail(AM_ERR_PARSE, "%s:%ld: empty line in the event log", path, lineno);
            break;
        }
        if (n == ncap) {
            size_t nc = ncap ? 2 * ncap : 256;
            am_event *t = realloc(v, nc * sizeof *v);
            if (!t) { st = am_fail(AM_ERR_NOMEM, "out of memory"); break; }
            v = t;
            ncap = nc;
        }
        if ((st = am_event_parse(line, &v[n]))) {
            char msg[256];
            snprintf(msg, sizeof msg, "%s", am_error_message());
            st = am_fail(AM_ERR_PARSE, "%s:%ld: not an event record: %s", path, lineno, msg);
            break;
        }
        n++;
    }
    if (!st && ferror(f)) st = am_fail(AM_ERR_IO, "%s: read error", path);
    free(line);
    fclose(f);
    if (st) {
        free(v);
        free(hdr);
        return st;
    }
    *ev = v;
    *nev = n;
    if (header) *header = hdr;
    if (complete_bytes) *complete_bytes = done;
    return AM_OK;
}
