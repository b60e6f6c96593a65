/* A campaign's summary: success, cost and the distributions that tell a
 * local rearrangement from a search that dragged its atom through its cage
 * (docs/saddle.md, "Protocol"). */
#include "amorph/saddle.h"
#include "core/error.h"
#include "io/atomic_file.h"
#include "io/idmap.h"
#include "io/numfmt.h"

#include <math.h>
#include <stdlib.h>
#include <string.h>

static int cmp_double(const void *a, const void *b)
{
    const double x = *(const double *)a, y = *(const double *)b;
    return (x > y) - (x < y);
}

/* Order statistic at fraction q of the sorted x[0..n-1], interpolated. */
static double at(const double *x, long n, double q)
{
    const double h = q * (double)(n - 1);
    const long k = (long)floor(h);
    return k + 1 < n ? x[k] + (h - (double)k) * (x[k + 1] - x[k]) : x[n - 1];
}

/* The spread of the finite values among x[0..n-1] (reordered). */
static am_spread spread(double *x, long n)
{
    long m = 0;
    for (long k = 0; k < n; k++)
        if (isfinite(x[k])) x[m++] = x[k];
    qsort(x, (size_t)m, sizeof *x, cmp_double);
    am_spread r = {NAN, NAN, NAN, m};
    if (m) { r.p10 = at(x, m, 0.1); r.median = at(x, m, 0.5); r.p90 = at(x, m, 0.9); }
    return r;
}

/* The species index of atom `id` of s (m indexes s's ids), -1 if absent. */
static int type_of(const am_io_idmap *m, const am_system *s, long long id)
{
    size_t i;
    return am_io_idmap_find(m, id, &i) ? s->type[i] : -1;
}

static am_status index_ids(const am_system *s, am_io_idmap *m)
{
    int dup;
    size_t a, b;
    return am_io_idmap_build(m, s->id, s->n, &dup, &a, &b); /* a system's ids are unique */
}

am_status am_campaign_summarize(const am_event *ev, size_t nev, const am_system *s, const double *ea_mean,
                                const double *ea_min, const double *ea_eff, const long long *count,
                                const long long *searches, am_campaign_summary *out)
{
    if (!s || !out || (nev && !ev) || (s->n && (!ea_mean || !ea_min || !count || !searches)))
        return am_fail(AM_ERR_VALUE, "am_campaign_summarize: missing argument");
    memset(out, 0, sizeof *out);
    const size_t n = s->n;
    out->nspecies = s->nspecies;
    double sum = 0, sp[AM_MAX_SPECIES][3] = {{0}};
    for (size_t i = 0; i < n; i++) {
        out->distinct += count[i];
        out->atoms_searched += searches[i] > 0;
        if (!count[i]) continue;
        out->atoms_with_event++;
        sum += ea_mean[i];
        const int t = s->type[i];
        if (t < 0 || t >= s->nspecies) continue;
        out->species[t].atoms_with_event++;
        sp[t][0] += ea_mean[i];
        sp[t][1] += ea_min[i];
        sp[t][2] += ea_eff ? ea_eff[i] : NAN;
    }
    out->mean_ea = out->atoms_with_event ? sum / (double)out->atoms_with_event : NAN;
    for (int t = 0; t < s->nspecies; t++) {
        const double m = (double)out->species[t].atoms_with_event;
        out->species[t].mean_ea = m ? sp[t][0] / m : NAN;
        out->species[t].mean_ea_min = m ? sp[t][1] / m : NAN;
        out->species[t].mean_ea_eff = m ? sp[t][2] / m : NAN;
    }
    /* one slot per converged search in each column (the last one scratch
     * for the species' barriers) */
    enum { NCOL = 9 };
    const size_t cap = nev ? nev : 1;
    double *col = malloc(NCOL * cap * sizeof *col);
    int *typ = malloc(cap * sizeof *typ);
    am_io_idmap ids;
    if (!col || !typ) {
        free(col); free(typ);
        return am_fail(AM_ERR_NOMEM, "am_campaign_summarize: out of memory");
    }
    am_status st = index_ids(s, &ids);
    if (st) { free(col); free(typ); return st; }
    double *c[NCOL];
    for (int k = 0; k < NCOL; k++) c[k] = col + (size_t)k * cap;
    long nc = 0, nsad = 0;
    for (size_t k = 0; k < nev; k++) {
        if (k && ev[k].atom == ev[k - 1].atom && ev[k].attempt == ev[k - 1].attempt) continue;
        out->searches++;
        out->by_outcome[ev[k].outcome]++;
        out->restarts += ev[k].restarts;
        for (int j = 0; j < ev[k].restarts; j++) out->restarted[ev[k].restart_outcome[j]]++;
        if (ev[k].outcome != AM_SADDLE_OK) continue;
        typ[nc] = type_of(&ids, s, ev[k].atom);
        c[0][nc] = ev[k].ea;
        c[1][nc] = ev[k].e_final - ev[k].e0;
        c[2][nc] = ev[k].disp_center_saddle;
        c[3][nc] = ev[k].disp_center_final;
        c[4][nc] = ev[k].disp_max;
        c[5][nc] = ev[k].moved >= 0 ? (double)ev[k].moved : NAN;
        c[6][nc] = (double)ev[k].force_calls;
        if (ev[k].force_calls_saddle >= 0) c[7][nsad++] = (double)ev[k].force_calls_saddle;
        nc++;
    }
    out->converged = nc;
    /* the species' barriers first: spread() reorders its column */
    for (int t = 0; t < s->nspecies; t++) {
        long m = 0;
        for (long k = 0; k < nc; k++)
            if (typ[k] == t) c[8][m++] = c[0][k];
        out->species[t].ea = spread(c[8], m);
    }
    am_spread *dst[6] = {&out->ea, &out->de_final, &out->disp_center_saddle, &out->disp_center_final,
                         &out->disp_max, &out->moved};
    for (int k = 0; k < 6; k++) *dst[k] = spread(c[k], nc);
    out->median_calls = spread(c[6], nc).median;
    out->median_calls_saddle = spread(c[7], nsad).median;
    free(col); free(typ);
    am_io_idmap_free(&ids);
    return AM_OK;
}

static void cell(FILE *f, double v)
{
    char num[AM_IO_NUMBUF];
    fprintf(f, ",%s", isfinite(v) ? am_io_fmt_double(num, v) : "");
}

am_status am_events_write_csv(const char *path, const am_event *ev, size_t nev, const am_system *s)
{
    if (!path || !s || (nev && !ev)) return am_fail(AM_ERR_VALUE, "am_events_write_csv: missing argument");
    am_io_idmap ids;
    am_status st = index_ids(s, &ids);
    if (st) return st;
    am_io_afile af;
    if ((st = am_io_afile_open(&af, path))) { am_io_idmap_free(&ids); return st; }
    FILE *f = af.fp;
    fprintf(f, "atom,species,attempt,outcome,ea_eV,de_final_eV,disp_max_A,disp_center_saddle_A,disp_center_final_A,"
               "moved,force_calls,force_calls_saddle,wall_s,restarts\n");
    for (size_t k = 0; k < nev; k++) {
        if (k && ev[k].atom == ev[k - 1].atom && ev[k].attempt == ev[k - 1].attempt) continue;
        const int t = type_of(&ids, s, ev[k].atom);
        fprintf(f, "%lld,%s,%d,%s", ev[k].atom, t >= 0 && t < s->nspecies ? s->species[t].name : "?", ev[k].attempt,
                am_saddle_outcome_name(ev[k].outcome));
        cell(f, ev[k].ea);
        cell(f, ev[k].e_final - ev[k].e0);
        cell(f, ev[k].disp_max);
        cell(f, ev[k].disp_center_saddle);
        cell(f, ev[k].disp_center_final);
        cell(f, ev[k].moved >= 0 ? (double)ev[k].moved : NAN);
        fprintf(f, ",%ld", ev[k].force_calls);
        cell(f, ev[k].force_calls_saddle >= 0 ? (double)ev[k].force_calls_saddle : NAN);
        cell(f, ev[k].wall);
        fprintf(f, ",%d\n", ev[k].restarts);
    }
    am_io_idmap_free(&ids);
    return am_io_afile_commit(&af);
}
