/* The Lennard-Jones kind (lj.h): energies and forces as LAMMPS pair
 * lj/cut computes them, on a full neighbour list.
 *
 * As in the EAM engine, every atom sums its own force, energy and virial
 * over its own list in list order, so threads never write the same place
 * and results are bit-identical for any thread count; each pair is computed
 * from both sides. Per-atom energies and virials are half of each pair's,
 * as LAMMPS tallies them. */
#include "potential/lj.h"
#include "amorph/neighbor.h"
#include "core/error.h"

#include <math.h>
#include <stdlib.h>
#include <string.h>

typedef struct lj_engine {
    am_nlist *nl;
    int nsp;
    lj_pair par[AM_MAX_SPECIES * AM_MAX_SPECIES]; /* [a*nsp+b] for system species a, b */
    double *e, *v; /* per atom in list order: energy, virial (6) */
} lj_engine;

void lj_derive(lj_model *m)
{
    for (int i = 0; i < m->ntypes; i++)
        for (int j = 0; j < m->ntypes; j++) {
            const double eps = m->eps[i][j], sig = m->sigma[i][j], rc = m->cut[i][j];
            lj_pair *q = &m->pair[i][j];
            /* LAMMPS PairLJCut::init_one, so the constants round as its own */
            q->lj1 = 48.0 * eps * pow(sig, 12.0);
            q->lj2 = 24.0 * eps * pow(sig, 6.0);
            q->lj3 = 4.0 * eps * pow(sig, 12.0);
            q->lj4 = 4.0 * eps * pow(sig, 6.0);
            q->cutsq = rc * rc;
            const double ratio = sig / rc;
            q->offset = m->shift ? 4.0 * eps * (pow(ratio, 12.0) - pow(ratio, 6.0)) : 0.0;
        }
}

static void lj_model_free(void *model) { free(model); }

static double lj_cutoff(const am_potential *p)
{
    const lj_model *m = lj_of(p);
    double rc = 0.0;
    for (int i = 0; i < m->ntypes; i++)
        for (int j = 0; j < m->ntypes; j++) rc = fmax(rc, m->cut[i][j]);
    return rc;
}

static void lj_hash(const am_potential *p, am_hash *h)
{
    const lj_model *m = lj_of(p);
    am_hash_str(h, "lj/cut");
    am_hash_i64(h, m->ntypes);
    am_hash_i64(h, m->shift);
    am_hash_i64(h, m->arithmetic);
    for (int i = 0; i < m->ntypes; i++) {
        am_hash_str(h, p->el[i]);
        am_hash_f64(h, p->mass[i]);
        am_hash_f64s(h, m->eps[i], (size_t)m->ntypes);
        am_hash_f64s(h, m->sigma[i], (size_t)m->ntypes);
        am_hash_f64s(h, m->cut[i], (size_t)m->ntypes);
    }
}

static void lj_free(void *state)
{
    lj_engine *e = state;
    if (!e) return;
    am_nlist_free(e->nl);
    free(e->e);
    free(e->v);
    free(e);
}

static am_status lj_create(const am_engine *g, const am_system *s, void **state)
{
    (void)s; /* given positions at each compute */
    const lj_model *m = lj_of(g->pot);
    lj_engine *e = calloc(1, sizeof *e);
    if (!e) return am_fail(AM_ERR_NOMEM, "out of memory for a force engine");
    e->nsp = g->nsp;
    double cutsq = 0.0;
    for (int a = 0; a < g->nsp; a++)
        for (int b = 0; b < g->nsp; b++) {
            e->par[a * g->nsp + b] = m->pair[g->sp2el[a]][g->sp2el[b]];
            cutsq = fmax(cutsq, e->par[a * g->nsp + b].cutsq);
        }
    e->e = malloc((g->n + 1) * sizeof(double));
    e->v = malloc((6 * g->n + 1) * sizeof(double));
    am_status st = !e->e || !e->v ? am_fail(AM_ERR_NOMEM, "out of memory for %zu atoms' energies", g->n)
                                  : am_nlist_create(sqrt(cutsq), g->skin, &e->nl);
    if (st) {
        lj_free(e);
        return st;
    }
    *state = e;
    return AM_OK;
}

static long lj_nbuilds(const void *state) { return am_nlist_nbuilds(((const lj_engine *)state)->nl); }
static void lj_invalidate(void *state) { am_nlist_invalidate(((lj_engine *)state)->nl); }

/* Atom k of the list (< nlocal): its force f, energy *en and virial v (6,
 * NULL to skip) from its neighbours, species group by species group. */
static void lj_atom(const lj_engine *e, const am_nlist *nl, size_t k, double f[3], double *en, double *v)
{
    const double *xw = am_nlist_positions(nl);
    const int *nbr = am_nlist_neighbors(nl);
    const size_t *g = am_nlist_group_first(nl);
    const int ngr = am_nlist_nspecies(nl);
    const double xi = xw[4 * k], yi = xw[4 * k + 1], zi = xw[4 * k + 2];
    const lj_pair *row = e->par + (size_t)xw[4 * k + 3] * (size_t)e->nsp;
    double fx = 0.0, fy = 0.0, fz = 0.0, ev = 0.0, w[6] = {0, 0, 0, 0, 0, 0};
    for (int b = 0; b < ngr; b++) {
        const lj_pair q = row[b];
        for (size_t t = g[k * (size_t)ngr + (size_t)b]; t < g[k * (size_t)ngr + (size_t)b + 1]; t++) {
            const int j = nbr[t];
            const double dx = xi - xw[4 * j], dy = yi - xw[4 * j + 1], dz = zi - xw[4 * j + 2];
            const double rsq = dx * dx + dy * dy + dz * dz;
            if (!(rsq < q.cutsq)) continue;
            const double r2inv = 1.0 / rsq, r6inv = r2inv * r2inv * r2inv;
            const double fpair = r6inv * (q.lj1 * r6inv - q.lj2) * r2inv;
            fx += dx * fpair;
            fy += dy * fpair;
            fz += dz * fpair;
            ev += r6inv * (q.lj3 * r6inv - q.lj4) - q.offset;
            if (v) {
                w[0] += dx * dx * fpair; w[1] += dy * dy * fpair; w[2] += dz * dz * fpair;
                w[3] += dx * dy * fpair; w[4] += dx * dz * fpair; w[5] += dy * dz * fpair;
            }
        }
    }
    f[0] = fx; f[1] = fy; f[2] = fz;
    *en = 0.5 * ev;
    if (v)
        for (int c = 0; c < 6; c++) v[c] = 0.5 * w[c];
}

static am_status lj_compute(void *state, const am_system *s, am_result *r)
{
    lj_engine *e = state;
    am_status st = am_nlist_update(e->nl, s, NULL);
    if (st) return st;
    const am_nlist *nl = e->nl;
    if (am_nlist_nspecies(nl) > e->nsp)
        return am_fail(AM_ERR_VALUE, "atom species index beyond the %d species of the force engine", e->nsp);
    const size_t nlocal = am_nlist_nlocal(nl);
    const int *src = am_nlist_atom_index(nl);
    const int want_virial = !r->skip_virial;
#pragma omp parallel for schedule(static, 64)
    for (size_t k = 0; k < nlocal; k++) {
        const int i = src[k];
        double f[3];
        lj_atom(e, nl, k, f, &e->e[k], want_virial ? e->v + 6 * k : NULL);
        r->fx[i] = f[0];
        r->fy[i] = f[1];
        r->fz[i] = f[2];
        if (r->e_atom) r->e_atom[i] = e->e[k];
        if (r->rho) r->rho[i] = 0.0;
        if (r->v_atom) memcpy(r->v_atom + 6 * (size_t)i, e->v + 6 * k, 6 * sizeof(double));
    }
    am_engine_totals(e->e, want_virial ? e->v : NULL, nlocal, r);
    return AM_OK;
}

/* The pair function for the analytic Hessian: no embedding. */
static void lj_radial(const am_potential *p, int ei, int ej, double r, am_radial *o)
{
    const lj_pair *q = &lj_of(p)->pair[ei][ej];
    memset(o, 0, sizeof *o);
    const double rsq = r * r;
    if (!(rsq < q->cutsq)) return;
    const double r2inv = 1.0 / rsq, r6inv = r2inv * r2inv * r2inv;
    o->phi = r6inv * (q->lj3 * r6inv - q->lj4) - q->offset;
    o->dphi = -r6inv * (q->lj1 * r6inv - q->lj2) / r;
    o->d2phi = r6inv * r2inv * (13.0 * q->lj1 * r6inv - 7.0 * q->lj2);
}

static const am_pair_embed lj_pair_embed = {lj_radial, NULL};

const am_engine_type am_lj_cut_type = {
    .name = "lj/cut", .units = "lj", .style = AM_LJ_CUT, .read = lj_read, .model_free = lj_model_free,
    .cutoff = lj_cutoff, .hash = lj_hash, .create = lj_create, .compute = lj_compute, .nbuilds = lj_nbuilds,
    .invalidate = lj_invalidate, .free = lj_free, .region = NULL, .pair_embed = &lj_pair_embed,
};
