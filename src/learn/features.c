/* Feature matrices from per-atom tables: the descriptors, species
 * indicators, and both coarse-grained over spheres of each radius in one
 * neighbour pass. A feature is described by (base, radius), so a saved
 * model rebuilds the same features for any other configuration. */
#include "learn/learn_internal.h"
#include "amorph/analysis.h"
#include "core/error.h"
#include "io/descriptors.h"

#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define SPECIES_PREFIX "species_"

/* 4 → "4p0", 3.5 → "3p5", as amorph describe names its cutoffs */
static void radius_tag(char *buf, size_t len, double r)
{
    if (r == floor(r)) snprintf(buf, len, "%.1f", r);
    else snprintf(buf, len, "%g", r);
    char *dot = strchr(buf, '.');
    if (dot) *dot = 'p';
}

/* Every item of the comma-separated `only` picks at least one descriptor. */
static am_status check_only(const am_table *t, const char *only, const char *skip, const am_io_desc *d, int nd)
{
    for (const char *p = only; *p;) {
        const size_t len = strcspn(p, ",");
        char item[AM_IO_DESC_LEN];
        if (len == 0 || len >= sizeof item)
            return am_fail(AM_ERR_VALUE, "learn: empty or overlong name in the feature list '%s'", only);
        memcpy(item, p, len);
        item[len] = '\0';
        int hit = 0;
        for (int k = 0; k < nd && !hit; k++)
            hit = am_io_name_matches(d[k].name, item) || am_io_name_matches(t->col[d[k].col].name, item);
        if (!hit) {
            if (skip && strcmp(item, skip) == 0)
                return am_fail(AM_ERR_VALUE, "learn: the target '%s' cannot be a feature", item);
            char cols[512] = "";
            for (int k = 0; k < t->ncols && strlen(cols) + 80 < sizeof cols; k++)
                snprintf(cols + strlen(cols), sizeof cols - strlen(cols), "%s%s", k ? ", " : "", t->col[k].name);
            return am_fail(AM_ERR_VALUE, "learn: no descriptor '%s' in the tables; their columns: %s", item, cols);
        }
        p += len + (p[len] == ',');
    }
    return AM_OK;
}

am_status am_learn_feature_list(const am_system *s, const am_table *t, const char *only, const char *exclude,
                                const char *skip, int species, const double *radii, int nradii,
                                am_learn_feature **out, int *nout)
{
    if (!s || !t || !out || !nout || !radii || nradii < 1)
        return am_fail(AM_ERR_VALUE, "learn: features: missing argument");
    *out = NULL;
    *nout = 0;
    for (int r = 0; r < nradii; r++)
        if (!(radii[r] >= 0 && radii[r] < 1e4) || (r > 0 && !(radii[r] > radii[r - 1])))
            return am_fail(AM_ERR_VALUE, "learn: coarse-graining radii: expected increasing values >= 0 Å, got %g "
                                         "after %g", radii[r], r ? radii[r - 1] : 0.0);
    if (only && !only[0]) return am_fail(AM_ERR_VALUE, "learn: the feature list is empty");
    am_io_desc *d = NULL;
    int nd = 0;
    am_status st = am_io_table_descriptors(t, only, exclude, skip, &d, &nd);
    if (!st && only) st = check_only(t, only, skip, d, nd);
    const int nsp = species && s->nspecies > 1 ? s->nspecies - 1 : 0;
    if (!st && nd + nsp == 0)
        st = am_fail(AM_ERR_VALUE, "learn: no descriptor columns besides '%s'; expected tables from describe, vibrate "
                                   "or modes (or check the feature and exclude lists)", skip ? skip : "the target");
    const int nbase = nd + nsp, nf = nbase * nradii;
    am_learn_feature *f = st ? NULL : calloc((size_t)nf, sizeof *f);
    if (!st && !f) st = am_fail(AM_ERR_NOMEM, "learn: out of memory for %d features", nf);
    for (int r = 0; r < nradii && !st; r++) {
        char tag[32];
        radius_tag(tag, sizeof tag, radii[r]);
        for (int b = 0; b < nbase && !st; b++) {
            am_learn_feature *g = &f[r * nbase + b];
            int len = b < nd ? snprintf(g->base, sizeof g->base, "%s", d[b].name)
                             : snprintf(g->base, sizeof g->base, SPECIES_PREFIX "%s", s->species[b - nd].name);
            if (len < (int)sizeof g->base)
                len = radii[r] > 0 ? snprintf(g->name, sizeof g->name, "%s_cg%s", g->base, tag)
                                   : snprintf(g->name, sizeof g->name, "%s", g->base);
            if (len >= (int)sizeof g->name) st = am_fail(AM_ERR_VALUE, "learn: feature name of '%s' too long", g->base);
            g->radius = radii[r];
        }
    }
    free(d);
    if (st) { free(f); return st; }
    *out = f;
    *nout = nf;
    return AM_OK;
}

/* Values of one base for every atom: a table descriptor, else a species
 * indicator (0 everywhere for a species s does not have). */
static am_status base_values(const am_system *s, const am_table *t, const char *base, double *v)
{
    am_io_desc d;
    if (am_io_table_component(t, base, &d)) {
        am_io_desc_values(t, &d, v);
        for (size_t i = 0; i < s->n; i++)
            if (!isfinite(v[i]))
                return am_fail(AM_ERR_VALUE, "learn: descriptor '%s' of atom %lld is %g; expected finite values "
                                             "(leave the descriptor out)", base, s->id[i], v[i]);
        return AM_OK;
    }
    const size_t pl = strlen(SPECIES_PREFIX);
    if (strncmp(base, SPECIES_PREFIX, pl) == 0) {
        const int sp = am_system_species_index(s, base + pl);
        for (size_t i = 0; i < s->n; i++) v[i] = sp >= 0 && s->type[i] == sp;
        return AM_OK;
    }
    return am_fail(AM_ERR_VALUE, "learn: no descriptor '%s' in the tables", base);
}

am_status am_learn_features(const am_system *s, const am_table *t, int nfeat, const am_learn_feature *f, double *x)
{
    if (!s || !t || !f || !x || nfeat < 1) return am_fail(AM_ERR_VALUE, "learn: features: missing argument");
    if (t->n != s->n) return am_fail(AM_ERR_VALUE, "learn: a table of %zu atoms for a system of %zu", t->n, s->n);
    const size_t n = s->n, nf = (size_t)nfeat;
    /* the distinct bases and radii, in order of appearance */
    int *bidx = malloc(nf * sizeof *bidx), *ridx = malloc(nf * sizeof *ridx);
    double *radii = malloc(nf * sizeof *radii);
    const char **bases = malloc(nf * sizeof *bases);
    if (!bidx || !ridx || !radii || !bases) {
        free(bidx); free(ridx); free(radii); free(bases);
        return am_fail(AM_ERR_NOMEM, "learn: out of memory for %d features", nfeat);
    }
    int nb = 0, nr = 0;
    for (size_t k = 0; k < nf; k++) {
        int b = 0, r = 0;
        while (b < nb && strcmp(bases[b], f[k].base) != 0) b++;
        if (b == nb) bases[nb++] = f[k].base;
        bidx[k] = b;
        ridx[k] = -1;
        if (f[k].radius > 0) {
            while (r < nr && radii[r] != f[k].radius) r++;
            if (r == nr) radii[nr++] = f[k].radius;
            ridx[k] = r;
        }
    }
    const size_t nbs = (size_t)nb, nrs = (size_t)nr;
    double *v = malloc(n * nbs * sizeof *v), *col = malloc(n * sizeof *col);
    double *cg = nr ? malloc(n * nrs * nbs * sizeof *cg) : NULL;
    am_status st = v && col && (!nr || cg) ? AM_OK : am_fail(AM_ERR_NOMEM, "learn: out of memory for %zu atoms' features", n);
    for (size_t b = 0; b < nbs && !st; b++) {
        st = base_values(s, t, bases[b], col);
        for (size_t i = 0; i < n && !st; i++) v[i * nbs + b] = col[i];
    }
    if (!st && nr) st = am_neighbor_average_multi(s, nb, v, NULL, nr, radii, cg);
    for (size_t i = 0; i < n && !st; i++)
        for (size_t k = 0; k < nf; k++)
            x[i * nf + k] = ridx[k] < 0 ? v[i * nbs + (size_t)bidx[k]]
                                        : cg[(i * nrs + (size_t)ridx[k]) * nbs + (size_t)bidx[k]];
    free(bidx); free(ridx); free(radii); free(bases); free(v); free(col); free(cg);
    return st;
}
