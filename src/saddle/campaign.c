/* ARTn campaigns: event records, per-search seeds, the JSON-lines event log
 * and per-atom aggregation with duplicate removal (SPEC §4).
 *
 * Everything a campaign reports is a function of the set of (atom, attempt)
 * records, never of the order in which they were produced: seeds hash the
 * pair, and aggregation sorts before it compares. That is what makes a
 * campaign resumable and independent of threads or ranks. */
#include "amorph/saddle.h"
#include "amorph/dynamics.h"
#include "core/error.h"
#include "core/hash.h"
#include "core/memory.h"
#include "io/numfmt.h"

#include <errno.h>
#include <fcntl.h>
#include <math.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

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
    ev->disp_center_saddle = r->disp_center_saddle;
    ev->disp_center_final = r->disp_center_final;
    ev->moved = r->moved;
    ev->restarts = r->restarts;
    memcpy(ev->restart_outcome, r->restart_outcome, (size_t)r->restarts * sizeof r->restart_outcome[0]);
}

unsigned long am_event_seed(unsigned long long campaign_seed, long long atom, int attempt)
{
    /* every input bit affects every output bit, so neighbouring atoms and
     * attempts get unrelated streams */
    uint64_t h = am_mix64((uint64_t)campaign_seed);
    h = am_mix64(h ^ (uint64_t)atom);
    h = am_mix64(h ^ (uint64_t)(int64_t)attempt);
    return am_fold32(h);
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
                              const am_units *u, double temperature, double *ea_mean, double *ea_min, double *ea_eff, long long *count,
                              long long *searches)
{
    if ((nev && !ev) || (n && (!ids || !ea_mean || !ea_min || !count)))
        return am_fail(AM_ERR_VALUE, "am_events_aggregate: missing array");
    if (ea_eff && !u) return am_fail(AM_ERR_VALUE, "am_events_aggregate: no units for the effective barrier's kT");
    if (ea_eff && !(temperature > 0 && isfinite(temperature)))
        return am_fail(AM_ERR_VALUE, "am_events_aggregate: the temperature of the effective barrier must be > 0 %s, "
                       "got %g", u->temperature, temperature);
    const double kt = ea_eff ? u->boltz * temperature : 0.0;
    am_dedup_options d;
    if (!o) { am_dedup_defaults(&d); o = &d; }
    for (size_t k = 0; k < n; k++) {
        ea_mean[k] = ea_min[k] = NAN;
        if (ea_eff) ea_eff[k] = NAN;
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
        if (nd && ea_eff) {
            /* shifted by the lowest barrier, so no term underflows to 0 */
            double z = 0.0;
            for (size_t q = 0; q < nd; q++) z += exp(-(ev[distinct[q]].ea - lo) / kt);
            ea_eff[k] = lo - kt * log(z / (double)nd);
        }
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
    p = put_num(p, "disp_center_saddle", ev->disp_center_saddle);
    p = put_num(p, "disp_center_final", ev->disp_center_final);
    if (ev->moved >= 0) p += sprintf(p, ",\"moved\":%ld", ev->moved);
    /* written only when there were any, as in logs before restarts */
    if (ev->restarts > 0) {
        p += sprintf(p, ",\"restarts\":%d,\"restarted\":\"", ev->restarts);
        for (int k = 0; k < ev->restarts; k++) p += sprintf(p, "%s%d", k ? "," : "", (int)ev->restart_outcome[k]);
        *p++ = '"';
    }
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

/* One "key": value of a log line. Lines are flat objects whose values are
 * numbers, strings or null. */
typedef struct field {
    char key[32];
    enum { F_NULL, F_NUM, F_STR } kind;
    double num;
    const char *str; /* F_STR: the text between the quotes, escapes as written */
    size_t slen;
} field;

typedef am_status (*field_fn)(void *ctx, const field *f);

/* Calls fn for every field of the JSON object on line, in order. JSON has no
 * infinities or NaN, so a number that reads as one is an error: a missing
 * value is written null. */
static am_status walk_object(const char *line, field_fn fn, void *ctx)
{
    const char *p = skip_ws(line);
    if (*p++ != '{') return am_fail(AM_ERR_PARSE, "expected a JSON object");
    p = skip_ws(p);
    if (*p == '}') return am_fail(AM_ERR_PARSE, "empty object");
    for (;;) {
        field f;
        size_t kl = 0;
        if (*p++ != '"') return am_fail(AM_ERR_PARSE, "expected a quoted key");
        while (*p && *p != '"' && *p != '\\') {
            if (kl + 1 < sizeof f.key) f.key[kl++] = *p;
            p++;
        }
        if (*p++ != '"') return am_fail(AM_ERR_PARSE, "unterminated or escaped key");
        f.key[kl] = '\0';
        p = skip_ws(p);
        if (*p++ != ':') return am_fail(AM_ERR_PARSE, "expected ':' after \"%s\"", f.key);
        p = skip_ws(p);
        f.num = NAN;
        f.str = NULL;
        f.slen = 0;
        if (*p == '"') {
            f.kind = F_STR;
            f.str = ++p;
            while (*p && *p != '"') p += *p == '\\' && p[1] ? 2 : 1;
            f.slen = (size_t)(p - f.str);
            if (*p++ != '"') return am_fail(AM_ERR_PARSE, "unterminated string for \"%s\"", f.key);
        } else if (strncmp(p, "null", 4) == 0) {
            f.kind = F_NULL;
            p += 4;
        } else {
            char *end;
            errno = 0;
            f.kind = F_NUM;
            f.num = strtod(p, &end);
            if (end == p || errno == ERANGE) return am_fail(AM_ERR_PARSE, "bad value for \"%s\"", f.key);
            if (!isfinite(f.num))
                return am_fail(AM_ERR_PARSE, "\"%s\": expected a finite number or null, got %.*s", f.key, (int)(end - p), p);
            p = end;
        }
        am_status st = fn(ctx, &f);
        if (st) return st;
        p = skip_ws(p);
        if (*p == ',') { p = skip_ws(p + 1); continue; }
        if (*p++ != '}') return am_fail(AM_ERR_PARSE, "expected ',' or '}' after \"%s\"", f.key);
        break;
    }
    if (*skip_ws(p)) return am_fail(AM_ERR_PARSE, "text after the object");
    return AM_OK;
}

/* The search a record or a claim is about: "atom" and "attempt". 1 when f
 * was one of them. */
static int search_key(const field *f, long long *atom, int *attempt, int *have, am_status *st)
{
    long iv;
    *st = AM_OK;
    if (strcmp(f->key, "atom") == 0) {
        if (f->kind != F_NUM || f->num != floor(f->num) || !(f->num >= 1 && f->num < 9.2e18))
            *st = am_fail(AM_ERR_PARSE, "bad atom id (expected an integer >= 1)");
        else { *atom = (long long)f->num; *have |= 1; }
        return 1;
    }
    if (strcmp(f->key, "attempt") == 0) {
        if (f->kind != F_NUM || !as_long(f->num, 0, 1000000000L, &iv))
            *st = am_fail(AM_ERR_PARSE, "bad attempt (expected an integer >= 0)");
        else { *attempt = (int)iv; *have |= 2; }
        return 1;
    }
    return 0;
}

typedef struct event_ctx {
    am_event r;
    int have;      /* bits: atom, attempt, outcome */
    int restarted; /* entries read from "restarted" (-1: no such field) */
} event_ctx;

/* "restarted": the failed tries' outcome codes, comma-separated. */
static am_status restarted_field(event_ctx *c, const field *f)
{
    if (f->kind != F_STR) return am_fail(AM_ERR_PARSE, "\"restarted\": expected a string of outcome codes");
    int n = 0;
    for (size_t i = 0; i < f->slen;) {
        long v = 0;
        size_t d = 0;
        while (i < f->slen && f->str[i] >= '0' && f->str[i] <= '9' && d < 3) v = 10 * v + (f->str[i++] - '0'), d++;
        /* a failed try has a failure's outcome, never 0 (ok) */
        if (!d || v < 1 || v >= AM_SADDLE_NOUTCOMES || n == AM_SADDLE_MAX_RESTARTS)
            return am_fail(AM_ERR_PARSE, "\"restarted\": expected at most %d comma-separated outcome codes 1..%d",
                           AM_SADDLE_MAX_RESTARTS, AM_SADDLE_NOUTCOMES - 1);
        c->r.restart_outcome[n++] = (am_saddle_outcome)v;
        if (i < f->slen && f->str[i++] != ',' ) return am_fail(AM_ERR_PARSE, "\"restarted\": expected ',' between codes");
        if (i == f->slen && f->str[i - 1] == ',') return am_fail(AM_ERR_PARSE, "\"restarted\": trailing ','");
    }
    c->restarted = n;
    return AM_OK;
}

static am_status event_field(void *vctx, const field *f)
{
    event_ctx *c = vctx;
    am_event *r = &c->r;
    am_status st;
    long iv;
    if (search_key(f, &r->atom, &r->attempt, &c->have, &st)) return st;
    if (strcmp(f->key, "outcome") == 0) {
        if (f->kind != F_NUM || !as_long(f->num, AM_SADDLE_OK, AM_SADDLE_NOUTCOMES - 1, &iv))
            return am_fail(AM_ERR_PARSE, "bad outcome (expected an integer 0..%d)", AM_SADDLE_NOUTCOMES - 1);
        r->outcome = (am_saddle_outcome)iv;
        c->have |= 4;
        return AM_OK;
    }
    if (strcmp(f->key, "restarts") == 0) {
        if (f->kind != F_NUM || !as_long(f->num, 1, AM_SADDLE_MAX_RESTARTS, &iv))
            return am_fail(AM_ERR_PARSE, "bad restarts (expected an integer 1..%d)", AM_SADDLE_MAX_RESTARTS);
        r->restarts = (int)iv;
        return AM_OK;
    }
    if (strcmp(f->key, "restarted") == 0) return restarted_field(c, f);
    long *counts[] = {&r->force_calls, &r->force_calls_saddle, &r->moved};
    static const char *const cnames[] = {"force_calls", "force_calls_saddle", "moved"};
    for (size_t k = 0; k < 3; k++)
        if (strcmp(f->key, cnames[k]) == 0) {
            if (f->kind != F_NUM || !as_long(f->num, 0, 2000000000L, &iv))
                return am_fail(AM_ERR_PARSE, "bad %s (expected a count: an integer >= 0)", cnames[k]);
            *counts[k] = iv;
            return AM_OK;
        }
    static const char *const names[] = {"e0", "e_saddle", "e_final", "ea", "eigenvalue", "fmax_saddle", "disp_max",
                                        "disp_total", "wall", "disp_center_saddle", "disp_center_final"};
    double *slots[] = {&r->e0, &r->e_saddle, &r->e_final, &r->ea, &r->eigenvalue, &r->fmax_saddle, &r->disp_max,
                       &r->disp_total, &r->wall, &r->disp_center_saddle, &r->disp_center_final};
    for (size_t k = 0; k < sizeof names / sizeof names[0]; k++)
        if (strcmp(f->key, names[k]) == 0) {
            if (f->kind == F_STR) return am_fail(AM_ERR_PARSE, "\"%s\": expected a number or null", names[k]);
            *slots[k] = f->num;
        }
    return AM_OK; /* other keys (the status text) are for readers */
}

/* Values no search can produce. A NaN is a value not reached (written
 * null), which only a converged search must have. */
static am_status event_check(const am_event *r)
{
    const double nonneg[] = {r->fmax_saddle, r->disp_max, r->disp_total, r->wall, r->disp_center_saddle,
                             r->disp_center_final};
    static const char *const nnames[] = {"fmax_saddle (eV/Å)", "disp_max (Å)", "disp_total (Å)", "wall (s)",
                                         "disp_center_saddle (Å)", "disp_center_final (Å)"};
    for (size_t k = 0; k < sizeof nonneg / sizeof nonneg[0]; k++)
        if (nonneg[k] < 0) return am_fail(AM_ERR_VALUE, "%s = %g; expected >= 0", nnames[k], nonneg[k]);
    if (r->outcome != AM_SADDLE_OK) return AM_OK;
    const double need[] = {r->e0, r->e_saddle, r->e_final, r->ea, r->disp_total};
    static const char *const needn[] = {"e0", "e_saddle", "e_final", "ea", "disp_total"};
    for (size_t k = 0; k < sizeof need / sizeof need[0]; k++)
        if (isnan(need[k]))
            return am_fail(AM_ERR_VALUE, "a converged search (outcome 0) without %s; expected a number", needn[k]);
    if (r->ea < 0)
        return am_fail(AM_ERR_VALUE, "negative barrier ea = %g eV of a converged search; expected ea >= 0 (its saddle "
                       "lies above the minimum it started from)", r->ea);
    return AM_OK;
}

am_status am_event_parse(const char *line, am_event *ev)
{
    event_ctx c;
    memset(&c, 0, sizeof c);
    c.r.force_calls_saddle = c.r.moved = -1; /* logs before the fields */
    c.restarted = -1;
    c.r.disp_center_saddle = c.r.disp_center_final = NAN;
    c.r.e0 = c.r.e_saddle = c.r.e_final = c.r.ea = c.r.eigenvalue = c.r.fmax_saddle = c.r.disp_max = c.r.disp_total =
        c.r.wall = NAN;
    am_status st = walk_object(line, event_field, &c);
    if (st) return st;
    if (c.have != 7) return am_fail(AM_ERR_PARSE, "atom, attempt and outcome are required");
    if (c.restarted != (c.r.restarts ? c.r.restarts : -1))
        return am_fail(AM_ERR_PARSE, "\"restarts\": %d but %d outcome codes in \"restarted\"; expected both or neither, "
                       "and as many codes as restarts", c.r.restarts, c.restarted < 0 ? 0 : c.restarted);
    if ((st = event_check(&c.r))) return st;
    *ev = c.r;
    return AM_OK;
}

/* ---- claims ---- */

static int host_char(char ch)
{
    return (ch >= 'a' && ch <= 'z') || (ch >= 'A' && ch <= 'Z') || (ch >= '0' && ch <= '9') || ch == '.' || ch == '-' ||
           ch == '_';
}

void am_claim_host(char *host)
{
    if (gethostname(host, AM_CLAIM_HOST) != 0 || !host[0]) snprintf(host, AM_CLAIM_HOST, "localhost");
    host[AM_CLAIM_HOST - 1] = '\0';
    for (char *p = host; *p; p++)
        if (!host_char(*p)) *p = '_';
}

void am_claim_format(const am_claim *c, char *buf)
{
    char host[AM_CLAIM_HOST];
    size_t k = 0;
    for (; k + 1 < sizeof host && c->host[k]; k++) host[k] = host_char(c->host[k]) ? c->host[k] : '_';
    host[k] = '\0';
    sprintf(buf, "{\"claim\":\"%s\",\"pid\":%ld,\"atom\":%lld,\"attempt\":%d,\"time\":%.0f}\n", host, c->pid, c->atom,
            c->attempt, c->time);
}

typedef struct claim_ctx {
    am_claim c;
    int have; /* bits: atom, attempt, host, pid, time */
} claim_ctx;

static am_status claim_field(void *vctx, const field *f)
{
    claim_ctx *x = vctx;
    am_status st;
    long iv;
    if (search_key(f, &x->c.atom, &x->c.attempt, &x->have, &st)) return st;
    if (strcmp(f->key, "claim") == 0) {
        if (f->kind != F_STR || f->slen == 0 || f->slen >= AM_CLAIM_HOST)
            return am_fail(AM_ERR_PARSE, "bad claim (expected a host name of 1 to %d characters)", AM_CLAIM_HOST - 1);
        for (size_t k = 0; k < f->slen; k++)
            if (!host_char(f->str[k])) return am_fail(AM_ERR_PARSE, "bad character in the claim's host name");
        memcpy(x->c.host, f->str, f->slen);
        x->c.host[f->slen] = '\0';
        x->have |= 4;
    } else if (strcmp(f->key, "pid") == 0) {
        if (f->kind != F_NUM || !as_long(f->num, 1, 2147483647L, &iv))
            return am_fail(AM_ERR_PARSE, "bad pid (expected an integer >= 1)");
        x->c.pid = iv;
        x->have |= 8;
    } else if (strcmp(f->key, "time") == 0) {
        if (f->kind != F_NUM || !(f->num >= 0)) return am_fail(AM_ERR_PARSE, "bad time (expected seconds >= 0)");
        x->c.time = f->num;
        x->have |= 16;
    }
    return AM_OK;
}

static am_status claim_parse(const char *line, am_claim *c)
{
    claim_ctx x;
    memset(&x, 0, sizeof x);
    am_status st = walk_object(line, claim_field, &x);
    if (st) return st;
    if (x.have != 31) return am_fail(AM_ERR_PARSE, "a claim needs claim (host), pid, atom, attempt and time");
    *c = x.c;
    return AM_OK;
}

/* ---- the log ---- */

/* The first key of a line's object is what kind of line it is. */
static int first_key_is(const char *line, const char *key)
{
    const char *p = skip_ws(line);
    if (*p != '{') return 0;
    p = skip_ws(p + 1);
    const size_t n = strlen(key);
    return *p == '"' && strncmp(p + 1, key, n) == 0 && p[n + 1] == '"';
}

void am_event_log_init(am_event_log *l, const char *path)
{
    memset(l, 0, sizeof *l);
    l->path = path;
}

void am_event_log_free(am_event_log *l)
{
    free(l->header);
    free(l->ev);
    free(l->claims);
    memset(l, 0, sizeof *l);
}

/* One whole line (its newline replaced by a NUL; len counts the newline). */
static am_status take_line(am_event_log *l, char *line, size_t len)
{
    const long n = l->lines + 1;
    if (strlen(line) != len - 1) return am_fail(AM_ERR_PARSE, "%s:%ld: NUL byte in the event log", l->path, n);
    if (len > 1 && line[len - 2] == '\r') line[len - 2] = '\0';
    const int header = first_key_is(line, "campaign");
    am_status st = AM_OK;
    if (n == 1) {
        if (!header)
            return am_fail(AM_ERR_PARSE, "%s:1: expected the campaign header ({\"campaign\":\"amorph artn\",...}) as "
                           "the first line; not a log of amorph artn", l->path);
        if (!(l->header = strdup(line))) return am_fail(AM_ERR_NOMEM, "out of memory");
    } else if (header) {
        return am_fail(AM_ERR_PARSE, "%s:%ld: a second campaign header; expected one, on line 1", l->path, n);
    } else if (*skip_ws(line) == '\0') { /* an empty line cannot come from amorph */
        return am_fail(AM_ERR_PARSE, "%s:%ld: empty line in the event log", l->path, n);
    } else if (first_key_is(line, "claim")) {
        if (l->nclaims == l->cap_claims && !am_resize((void **)&l->claims, l->cap_claims = 2 * l->cap_claims + 64,
                                                      sizeof *l->claims))
            return am_fail(AM_ERR_NOMEM, "out of memory");
        st = claim_parse(line, &l->claims[l->nclaims]);
        if (!st) l->nclaims++;
    } else {
        if (l->nev == l->cap_ev && !am_resize((void **)&l->ev, l->cap_ev = 2 * l->cap_ev + 256, sizeof *l->ev))
            return am_fail(AM_ERR_NOMEM, "out of memory");
        st = am_event_parse(line, &l->ev[l->nev]);
        if (!st) l->nev++;
    }
    if (st) {
        char msg[512];
        snprintf(msg, sizeof msg, "%s", am_error_message());
        return am_fail(st, "%s:%ld: bad record: %s", l->path, n, msg);
    }
    l->lines = n;
    l->complete += (long long)len;
    return AM_OK;
}

am_status am_event_log_update(am_event_log *l, int fd)
{
    size_t cap = (size_t)1 << 16, have = 0;
    char *buf = malloc(cap + 1);
    if (!buf) return am_fail(AM_ERR_NOMEM, "out of memory");
    long long pos = l->complete; /* file offset of buf[0] */
    am_status st = AM_OK;
    for (;;) {
        if (have == cap) { /* a line longer than the buffer */
            char *t = realloc(buf, 2 * cap + 1);
            if (!t) { st = am_fail(AM_ERR_NOMEM, "out of memory"); break; }
            buf = t;
            cap *= 2;
        }
        const ssize_t got = pread(fd, buf + have, cap - have, (off_t)(pos + (long long)have));
        if (got < 0 && errno == EINTR) continue;
        if (got < 0) { st = am_fail(AM_ERR_IO, "%s: %s", l->path, strerror(errno)); break; }
        if (got == 0) break;
        have += (size_t)got;
        size_t start = 0;
        char *nl;
        while (!st && (nl = memchr(buf + start, '\n', have - start))) {
            const size_t len = (size_t)(nl - (buf + start)) + 1;
            *nl = '\0';
            st = take_line(l, buf + start, len);
            start += len;
        }
        if (st) break;
        memmove(buf, buf + start, have - start);
        have -= start;
        pos += (long long)start;
    }
    free(buf);
    return st;
}

am_status am_events_read(const char *path, char **header, am_event **ev, size_t *nev, long long *complete_bytes)
{
    if (header) *header = NULL;
    *ev = NULL;
    *nev = 0;
    if (complete_bytes) *complete_bytes = 0;
    const int fd = open(path, O_RDONLY);
    if (fd < 0) {
        if (errno == ENOENT) return AM_OK;
        return am_fail(AM_ERR_IO, "%s: %s", path, strerror(errno));
    }
    am_event_log l;
    am_event_log_init(&l, path);
    am_status st = am_event_log_update(&l, fd);
    close(fd);
    if (st) {
        am_event_log_free(&l);
        return st;
    }
    *ev = l.ev;
    *nev = l.nev;
    if (complete_bytes) *complete_bytes = l.complete;
    if (header) *header = l.header;
    else free(l.header);
    free(l.claims);
    return AM_OK;
}
