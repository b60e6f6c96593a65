#include "artn_header.h"

#include <limits.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* One search option in the header: its key, its command-line option (NULL:
 * none), its type (d double, i int, l long) and where it lives. */
typedef struct hdr_field {
    const char *key, *cli;
    char type;
    size_t off;
} hdr_field;

#define FD(k, c, f) {k, c, 'd', offsetof(am_saddle_options, f)}
#define FI(k, c, f) {k, c, 'i', offsetof(am_saddle_options, f)}
#define FL(k, c, f) {k, c, 'l', offsetof(am_saddle_options, f)}

/* Format 1, always written, in this order. */
static const hdr_field base[] = {
    FD("push_radius", "push-radius", push_radius), FD("push_norm", "push-norm", push_norm),
    FD("increment", "increment", increment), FI("basin_perp_steps", "basin-perp-steps", basin_perp_steps),
    FI("max_basin_steps", "max-basin-steps", max_basin_steps),
    FD("eigen_threshold", "eigen-threshold", eigen_threshold), FD("eigen_step", "eigen-step", eigen_step),
    FI("act_perp_steps", "act-perp-steps", act_perp_steps), FD("perp_force", "perp-force", perp_force),
    FI("max_act_steps", "max-act-steps", max_act_steps), FD("exit_force", "exit-force", exit_force),
    FI("max_lost", "max-lost", max_lost), FD("second_threshold", NULL, second_threshold),
    FI("max_descents", NULL, max_descents), FD("descent_step", NULL, descent_step),
    FI("lanczos_max_vectors", NULL, lanczos.max_vectors), FD("lanczos_tol", NULL, lanczos.tol),
    FD("lanczos_dx", NULL, lanczos.dx), FD("push_over", NULL, push_over), FD("min_ftol", NULL, min_ftol),
    FL("min_max_iter", NULL, min_max_iter), FD("same_disp", NULL, same_disp), FD("same_energy", NULL, same_energy),
    FD("return_disp", NULL, return_disp), FD("max_energy", NULL, max_energy), FD("dmax", NULL, dmax),
    FD("local_radius", "local-radius", local_radius), FD("refine_radius", "refine-radius", refine_radius),
    FI("refine_perp_steps", NULL, refine_perp_steps),
};

/* Added later: written only when not 0, which is what older logs implied. */
static const hdr_field later[] = {
    FD("refine_inner_radius", "refine-inner-radius", refine_inner_radius),
    FD("refine_exit_force", "refine-exit-force", refine_exit_force),
    FI("basin_quiet", "basin-quiet", basin_quiet),
    FI("basin_lanczos_vectors", "basin-lanczos-vectors", basin_lanczos_vectors),
    FI("act_perp_near", "act-perp-near", act_perp_near),
    FI("act_mode_reuse", "act-mode-reuse", act_mode_reuse),
    FI("act_lanczos_vectors", "act-lanczos-vectors", act_lanczos_vectors),
    FI("push_over_retries", NULL, push_over_retries), FD("lanczos_scale", NULL, lanczos.scale),
    FI("push_cluster", "push-cluster", push_cluster), FI("basin_align", "basin-align", basin_align),
    FD("max_center_disp", "max-center-disp", max_center_disp),
    FD("max_final_rise", "max-final-rise", max_final_rise),
    FI("restarts", "restarts", restarts),
    FI("refine_reflect", "refine-reflect", refine_reflect),
    FI("refine_precondition", "refine-precondition", refine_precondition),
};

#define COUNT(a) (sizeof(a) / sizeof((a)[0]))

static double get(const am_saddle_options *o, const hdr_field *f)
{
    const char *p = (const char *)o + f->off;
    if (f->type == 'd') return *(const double *)(const void *)p;
    if (f->type == 'i') return *(const int *)(const void *)p;
    return (double)*(const long *)(const void *)p;
}

static void set(am_saddle_options *o, const hdr_field *f, double v)
{
    char *p = (char *)o + f->off;
    if (f->type == 'd') *(double *)(void *)p = v;
    else if (f->type == 'i') *(int *)(void *)p = (int)v;
    else *(long *)(void *)p = (long)v;
}

static int representable(const hdr_field *f, double v)
{
    if (f->type == 'd') return isfinite(v);
    if (f->type == 'i') return v >= INT_MIN && v <= INT_MAX;
    /* LONG_MAX rounds up to 2^63 as a double, which is out of range */
    return v >= (double)LONG_MIN && v < (double)LONG_MAX;
}

/* Appends ,"key":value; returns the new length (cap-limited by snprintf). */
static size_t put(char *buf, size_t cap, size_t len, const am_saddle_options *o, const hdr_field *f)
{
    if (len >= cap) return len;
    const double v = get(o, f);
    const int k = f->type == 'd' ? snprintf(buf + len, cap - len, ",\"%s\":%.17g", f->key, v)
                                 : snprintf(buf + len, cap - len, ",\"%s\":%ld", f->key, (long)v);
    return k < 0 ? cap : len + (size_t)k;
}

/* Hashes are strings: a JSON number (a double) cannot hold 64 bits. */
static const char *const hash_keys[2] = {"conf_hash", "potential_hash"};

void artn_header_make(char *buf, size_t cap, const am_system *s, unsigned long long seed, int minimize, double ftol,
                      double skin, const am_saddle_options *o, const artn_hashes *h, const char *units)
{
    int k = snprintf(buf, cap, "{\"campaign\":\"amorph artn\",\"format\":1,\"atoms\":%zu,\"seed\":%llu,\"minimize\":%d,"
                     "\"ftol\":%.17g,\"skin\":%.17g", s->n, seed, minimize, minimize ? ftol : 0.0, skin);
    size_t len = k < 0 ? cap : (size_t)k;
    for (size_t i = 0; i < COUNT(base); i++) len = put(buf, cap, len, o, &base[i]);
    for (size_t i = 0; i < COUNT(later); i++)
        if (get(o, &later[i]) != 0) len = put(buf, cap, len, o, &later[i]);
    if (len < cap) {
        const int w = snprintf(buf + len, cap - len, ",\"units\":\"%s\"", units);
        len = w < 0 ? cap : len + (size_t)w;
    }
    const uint64_t hv[2] = {h->conf, h->potential};
    for (int k = 0; k < 2 && len < cap; k++) {
        const int w = snprintf(buf + len, cap - len, ",\"%s\":\"%016llx\"", hash_keys[k], (unsigned long long)hv[k]);
        len = w < 0 ? cap : len + (size_t)w;
    }
    if (len + 1 < cap) {
        buf[len] = '}';
        buf[len + 1] = '\0';
    }
}

/* The number after "key": in a header line, or 0 in *found when absent. */
static double lookup(const char *header, const char *key, int *found)
{
    char pat[64];
    snprintf(pat, sizeof pat, "\"%s\":", key);
    const char *p = strstr(header, pat);
    *found = p != NULL;
    return p ? strtod(p + strlen(pat), NULL) : 0.0;
}

void artn_header_adopt(const char *header, const cli_verb *v, am_saddle_options *o)
{
    for (int pass = 0; pass < 2; pass++) {
        const hdr_field *f = pass ? later : base;
        const size_t n = pass ? COUNT(later) : COUNT(base);
        for (size_t i = 0; i < n; i++) {
            if (f[i].cli && cli_given(v, f[i].cli)) continue;
            int found;
            const double x = lookup(header, f[i].key, &found);
            /* A value that does not fit its field keeps the default; the
             * header then differs from the options and the caller refuses
             * the log. */
            if (found && representable(&f[i], x)) set(o, &f[i], x);
            else if (!found && pass) set(o, &f[i], 0.0);
        }
    }
}

int artn_options_read(const cli_verb *v, am_saddle_options *o)
{
    for (int pass = 0; pass < 2; pass++) {
        const hdr_field *f = pass ? later : base;
        const size_t n = pass ? COUNT(later) : COUNT(base);
        for (size_t i = 0; i < n; i++) {
            /* options left off keep o's value (the defaults, or a preset's) */
            if (!f[i].cli || !cli_given(v, f[i].cli)) continue;
            if (f[i].type == 'd') {
                double x = get(o, &f[i]);
                if (cli_double(v, f[i].cli, &x)) return 2;
                set(o, &f[i], x);
                continue;
            }
            long x = (long)get(o, &f[i]);
            if (cli_int(v, f[i].cli, &x)) return 2;
            if (x < 0 || x > 1000000) {
                fprintf(stderr, "amorph %s: --%s must be in 0..1000000, got %ld\n", v->name, f[i].cli, x);
                return 2;
            }
            set(o, &f[i], (double)x);
        }
    }
    return 0;
}

/* Copies header into out without the hash fields; the hash values (or ""
 * when absent) into hv. Headers are written by artn_header_make, so a field
 * is exactly ,"key":"<16 hex digits>". */
static void split_hashes(const char *header, char *out, size_t cap, char hv[2][17])
{
    snprintf(out, cap, "%s", header);
    for (int k = 0; k < 2; k++) {
        char pat[48];
        snprintf(pat, sizeof pat, ",\"%s\":\"", hash_keys[k]);
        hv[k][0] = '\0';
        char *p = strstr(out, pat);
        if (!p) continue;
        char *v = p + strlen(pat), *q = strchr(v, '"');
        if (!q) continue;
        snprintf(hv[k], 17, "%.*s", (int)(q - v), v);
        memmove(p, q + 1, strlen(q + 1) + 1);
    }
}

/* Takes ,"units":"STYLE" out of a header (copied into out) and gives the
 * style, metal when absent: logs from before lj units have none. */
static void split_units(char *h, char style[16])
{
    static const char pat[] = ",\"units\":\"";
    snprintf(style, 16, "metal");
    char *p = strstr(h, pat);
    if (!p) return;
    char *v = p + strlen(pat), *q = strchr(v, '"');
    if (!q) return;
    snprintf(style, 16, "%.*s", (int)(q - v < 15 ? q - v : 15), v);
    memmove(p, q + 1, strlen(q + 1) + 1);
}

artn_header_diff artn_header_compare(const char *log_header, const char *want)
{
    char a[4096], b[4096], ha[2][17], hb[2][17], ua[16], ub[16];
    split_hashes(log_header, a, sizeof a, ha);
    split_hashes(want, b, sizeof b, hb);
    split_units(a, ua);
    split_units(b, ub);
    if (strcmp(ua, ub) != 0) return HDR_UNITS;
    if (strcmp(a, b) != 0) return HDR_OPTIONS;
    if (!ha[0][0] || !ha[1][0]) return HDR_UNCHECKED;
    if (strcmp(ha[0], hb[0]) != 0) return HDR_CONF;
    if (strcmp(ha[1], hb[1]) != 0) return HDR_POTENTIAL;
    return HDR_SAME;
}
