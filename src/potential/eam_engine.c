/* EAM energy and forces on a full neighbour list.
 *
 * Each atom sums its own density and its own force, so threads never write
 * to the same place and every sum runs in the same order whatever the thread
 * count: results are bit-identical for 1 or N threads. The pair work is done
 * twice (once from each side), which costs less than it seems: there is no
 * scatter, and each pair needs only one table row. */
#include "potential/eam.h"
#include "amorph/neighbor.h"
#include "core/error.h"

#include <math.h>
#include <stdlib.h>
#include <string.h>

/* Row layout of the per-species-pair table, for grid point m of pair (ti, tj):
 *   [0..3]   value cubic of rho_{tj->ti}: density at i due to j  (c3 c4 c5 c6)
 *   [4..7]   value cubic of r*phi_{ti,tj}
 *   [8..11]  value cubic of rho_{ti->tj}: density at j due to i
 *   [12..15] padding, so a row is two cache lines
 * Derivatives come from the value cubic ((3 c3 p + 2 c4) p + c5) / dr, which
 * is LAMMPS's derivative piece up to rounding. */
#define ROW 16

struct am_engine {
    const am_potential *pot;
    am_nlist *nl;
    size_t n;
    int nsp;
    int sp2el[AM_MAX_SPECIES];
    double *tab;         /* nsp*nsp * nr * ROW, 64-byte aligned */
    const double *frho[AM_MAX_SPECIES]; /* embedding spline of each species, nrho rows of 7 */
    double *rho, *fp, *e, *f, *v; /* scratch in list order: nlocal, nall, nlocal, 3 nlocal, 6 nlocal */
    size_t cap_all;
};

static void engine_scratch_free(am_engine *e)
{
    free(e->rho); free(e->fp); free(e->e); free(e->f); free(e->v);
    e->rho = e->fp = e->e = e->f = e->v = NULL;
    e->cap_all = 0;
}

void am_engine_free(am_engine *e)
{
    if (!e) return;
    am_nlist_free(e->nl);
    free(e->tab);
    engine_scratch_free(e);
    free(e);
}

long am_engine_nbuilds(const am_engine *e) { return am_nlist_nbuilds(e->nl); }

static void copy_cubic(double *dst, const double *spline_row)
{
    dst[0] = spline_row[3]; dst[1] = spline_row[4]; dst[2] = spline_row[5]; dst[3] = spline_row[6];
}

static am_status build_tables(am_engine *e)
{
    const eam_tables *t = &e->pot->t;
    const int nsp = e->nsp, nr = t->nr;
    size_t bytes = (size_t)nsp * nsp * nr * ROW * sizeof(double);
    e->tab = aligned_alloc(64, (bytes + 63) / 64 * 64);
    if (!e->tab) return am_fail(AM_ERR_NOMEM, "out of memory for force tables");
    memset(e->tab, 0, bytes);
    for (int a = 0; a < nsp; a++)
        for (int b = 0; b < nsp; b++) {
            int ea = e->sp2el[a], eb = e->sp2el[b];
            const double *rji = t->rhor_spline + (size_t)t->elem2rhor[eb][ea] * nr * 7;
            const double *rij = t->rhor_spline + (size_t)t->elem2rhor[ea][eb] * nr * 7;
            const double *z2 = t->z2r_spline + (size_t)t->elem2z2r[ea][eb] * nr * 7;
            double *tab = e->tab + (size_t)(a * nsp + b) * nr * ROW;
            for (int m = 0; m < nr; m++) {
                copy_cubic(tab + (size_t)m * ROW, rji + 7 * (size_t)m);
                copy_cubic(tab + (size_t)m * ROW + 4, z2 + 7 * (size_t)m);
                copy_cubic(tab + (size_t)m * ROW + 8, rij + 7 * (size_t)m);
            }
        }
    for (int a = 0; a < nsp; a++)
        e->frho[a] = t->frho_spline + (size_t)t->elem2frho[e->sp2el[a]] * t->nrho * 7;
    return AM_OK;
}

am_status am_engine_create(const am_potential *p, am_system *s, double skin, am_engine **out)
{
    *out = NULL;
    if (s->nspecies < 1)
        return am_fail(AM_ERR_VALUE, "configuration has no species names; pass them (e.g. --species Cu,Zr)");
    am_engine *e = calloc(1, sizeof *e);
    if (!e) return am_fail(AM_ERR_NOMEM, "out of memory for a force engine");
    e->pot = p;
    e->n = s->n;
    e->nsp = s->nspecies;
    for (int a = 0; a < s->nspecies; a++) {
        int k = -1;
        for (int q = 0; q < p->nel; q++)
            if (strcmp(p->el[q], s->species[a].name) == 0) k = q;
        if (k < 0) {
            char have[256] = "";
            for (int q = 0; q < p->nel; q++) {
                strncat(have, p->el[q], sizeof have - strlen(have) - 2);
                if (q + 1 < p->nel) strncat(have, ",", sizeof have - strlen(have) - 1);
            }
            am_engine_free(e);
            return am_fail(AM_ERR_VALUE, "species %s is not in the potential (which has %s)", s->species[a].name, have);
        }
        e->sp2el[a] = k;
        if (!(s->species[a].mass > 0.0)) s->species[a].mass = p->mass[k];
    }
    for (size_t i = 0; i < s->n; i++)
        if (s->type[i] < 0 || s->type[i] >= s->nspecies) {
            am_engine_free(e);
            return am_fail(AM_ERR_VALUE, "atom %lld has species index %d; expected 0..%d", s->id[i], s->type[i], s->nspecies - 1);
        }
    am_status st = build_tables(e);
    if (!st) st = am_nlist_create(p->t.cut, skin, &e->nl);
    if (st) { am_engine_free(e); return st; }
    *out = e;
    return AM_OK;
}

static am_status ensure_scratch(am_engine *e, size_t nlocal, size_t nall)
{
    if (nall <= e->cap_all) return AM_OK;
    engine_scratch_free(e);
    size_t cap = nall + nall / 8 + 16, cl = nlocal + 1;
    e->rho = malloc(cl * sizeof(double));
    e->fp = malloc(cap * sizeof(double));
    e->e = malloc(cl * sizeof(double));
    e->f = malloc(3 * cl * sizeof(double));
    e->v = malloc(6 * cl * sizeof(double));
    if (!e->rho || !e->fp || !e->e || !e->f || !e->v) {
        engine_scratch_free(e);
        return am_fail(AM_ERR_NOMEM, "out of memory for force scratch arrays");
    }
    e->cap_all = cap;
    return AM_OK;
}

/* Grid index and fraction exactly as LAMMPS computes them. */
static inline int r_index(double r, double rdr, int nr, double *p)
{
    double q = r * rdr + 1.0;
    int m = (int)q;
    if (m > nr - 1) m = nr - 1;
    q -= m;
    *p = q < 1.0 ? q : 1.0;
    return m - 1; /* 0-based row */
}

static void density_and_embedding(am_engine *e, const am_nlist *nl)
{
    const eam_tables *t = &e->pot->t;
    const double *xw = am_nlist_positions(nl);
    const size_t *first = am_nlist_first(nl);
    const int *nbr = am_nlist_neighbors(nl);
    const size_t nlocal = am_nlist_nlocal(nl);
    const int nsp = e->nsp, nr = t->nr, nrho = t->nrho;
    const double cutsq = t->cut * t->cut, rdr = t->rdr, rdrho = t->rdrho, rhomax = t->rhomax;
    const double *tab = e->tab;
#pragma omp for schedule(static)
    for (size_t i = 0; i < nlocal; i++) {
        const double xi = xw[4 * i], yi = xw[4 * i + 1], zi = xw[4 * i + 2];
        const int ti = (int)xw[4 * i + 3];
        const double *tabi = tab + (size_t)ti * nsp * nr * ROW;
        double rho = 0.0;
        for (size_t q = first[i]; q < first[i + 1]; q++) {
            const int j = nbr[q];
            const double dx = xi - xw[4 * j], dy = yi - xw[4 * j + 1], dz = zi - xw[4 * j + 2];
            const double rsq = dx * dx + dy * dy + dz * dz;
            if (rsq < cutsq) {
                const int tj = (int)xw[4 * j + 3];
                double p;
                const int m = r_index(sqrt(rsq), rdr, nr, &p);
                const double *c = tabi + ((size_t)tj * nr + m) * ROW;
                rho += ((c[0] * p + c[1]) * p + c[2]) * p + c[3];
            }
        }
        e->rho[i] = rho;
        double p = rho * rdrho + 1.0;
        int m = (int)p;
        if (m > nrho - 1) m = nrho - 1;
        if (m < 1) m = 1;
        p -= m;
        if (p > 1.0) p = 1.0;
        const double *c = e->frho[ti] + 7 * (size_t)(m - 1);
        const double fp = (c[0] * p + c[1]) * p + c[2];
        double phi = ((c[3] * p + c[4]) * p + c[5]) * p + c[6];
        /* Beyond the table LAMMPS continues F linearly. */
        if (rho > rhomax) phi += fp * (rho - rhomax);
        e->fp[i] = fp;
        e->e[i] = phi;
    }
}

static void pair_forces(am_engine *e, const am_nlist *nl, int want_virial)
{
    const eam_tables *t = &e->pot->t;
    const double *xw = am_nlist_positions(nl);
    const size_t *first = am_nlist_first(nl);
    const int *nbr = am_nlist_neighbors(nl);
    const size_t nlocal = am_nlist_nlocal(nl);
    const int nsp = e->nsp, nr = t->nr;
    const double cutsq = t->cut * t->cut, rdr = t->rdr;
    const double *tab = e->tab, *fpa = e->fp;
#pragma omp for schedule(static)
    for (size_t i = 0; i < nlocal; i++) {
        const double xi = xw[4 * i], yi = xw[4 * i + 1], zi = xw[4 * i + 2];
        const int ti = (int)xw[4 * i + 3];
        const double fpi = fpa[i];
        const double *tabi = tab + (size_t)ti * nsp * nr * ROW;
        double fx = 0, fy = 0, fz = 0, ephi = 0;
        double vxx = 0, vyy = 0, vzz = 0, vxy = 0, vxz = 0, vyz = 0;
        for (size_t q = first[i]; q < first[i + 1]; q++) {
            const int j = nbr[q];
            const double dx = xi - xw[4 * j], dy = yi - xw[4 * j + 1], dz = zi - xw[4 * j + 2];
            const double rsq = dx * dx + dy * dy + dz * dz;
            if (rsq < cutsq) {
                const int tj = (int)xw[4 * j + 3];
                const double r = sqrt(rsq);
                double p;
                const int m = r_index(r, rdr, nr, &p);
                const double *c = tabi + ((size_t)tj * nr + m) * ROW;
                const double rhojp = ((3.0 * c[0] * p + 2.0 * c[1]) * p + c[2]) * rdr;
                const double z2p = ((3.0 * c[4] * p + 2.0 * c[5]) * p + c[6]) * rdr;
                const double z2 = ((c[4] * p + c[5]) * p + c[6]) * p + c[7];
                const double rhoip = ((3.0 * c[8] * p + 2.0 * c[9]) * p + c[10]) * rdr;
                const double recip = 1.0 / r;
                const double phi = z2 * recip;
                const double phip = z2p * recip - phi * recip;
                const double psip = fpi * rhojp + fpa[j] * rhoip + phip;
                const double fpair = -psip * recip;
                fx += dx * fpair; fy += dy * fpair; fz += dz * fpair;
                ephi += phi;
                if (want_virial) {
                    vxx += dx * dx * fpair; vyy += dy * dy * fpair; vzz += dz * dz * fpair;
                    vxy += dx * dy * fpair; vxz += dx * dz * fpair; vyz += dy * dz * fpair;
                }
            }
        }
        e->f[3 * i] = fx; e->f[3 * i + 1] = fy; e->f[3 * i + 2] = fz;
        e->e[i] += 0.5 * ephi;
        double *v = e->v + 6 * i;
        v[0] = 0.5 * vxx; v[1] = 0.5 * vyy; v[2] = 0.5 * vzz;
        v[3] = 0.5 * vxy; v[4] = 0.5 * vxz; v[5] = 0.5 * vyz;
    }
}

am_status am_engine_compute(am_engine *e, const am_system *s, am_result *r)
{
    if (s->n != e->n || s->nspecies != e->nsp)
        return am_fail(AM_ERR_VALUE, "force engine was set up for %zu atoms and %d species, got %zu and %d",
                       e->n, e->nsp, s->n, s->nspecies);
    if (!r->fx || !r->fy || !r->fz) return am_fail(AM_ERR_VALUE, "force arrays are required");
    am_status st = am_nlist_update(e->nl, s, NULL);
    if (st) return st;
    const am_nlist *nl = e->nl;
    const size_t nlocal = am_nlist_nlocal(nl), nall = am_nlist_nall(nl);
    if ((st = ensure_scratch(e, nlocal, nall))) return st;
    const int *src = am_nlist_atom_index(nl), *owner = am_nlist_owner(nl);
    const int want_virial = 1;
#pragma omp parallel
    {
        density_and_embedding(e, nl);
        /* Images carry their atom's F'(rho). */
#pragma omp for schedule(static)
        for (size_t k = nlocal; k < nall; k++) e->fp[k] = e->fp[owner[k]];
        pair_forces(e, nl, want_virial);
#pragma omp for schedule(static)
        for (size_t k = 0; k < nlocal; k++) {
            const int i = src[k];
            r->fx[i] = e->f[3 * k];
            r->fy[i] = e->f[3 * k + 1];
            r->fz[i] = e->f[3 * k + 2];
            if (r->e_atom) r->e_atom[i] = e->e[k];
            if (r->rho) r->rho[i] = e->rho[k];
            if (r->v_atom) memcpy(r->v_atom + 6 * (size_t)i, e->v + 6 * k, 6 * sizeof(double));
        }
    }
    /* Totals in a fixed order, so they do not depend on the thread count. */
    double en = 0.0, vir[6] = {0, 0, 0, 0, 0, 0};
    for (size_t k = 0; k < nlocal; k++) {
        en += e->e[k];
        for (int c = 0; c < 6; c++) vir[c] += e->v[6 * k + c];
    }
    r->energy = en;
    memcpy(r->virial, vir, sizeof vir);
    return AM_OK;
}
