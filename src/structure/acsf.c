/* Behler–Parrinello atom-centred symmetry functions (see structure.h).
 *
 * One full neighbour list with images (am_nlist) serves both kinds: each
 * atom gathers its neighbours within Rc once, with their separation vectors,
 * so the third side of a triangle is r_k − r_j of two vectors from the same
 * centre and needs no second minimum-image search, and boxes smaller than
 * 2 Rc are handled by the list's explicit images. Every atom sums only into
 * its own values, in the list's order, so threads change nothing. */
#include "amorph/neighbor.h"
#include "amorph/structure.h"
#include "core/error.h"

#include <math.h>
#include <stdlib.h>

static const double PI = 3.14159265358979323846;

/* The default grid of docs/structure.md. G2: Gaussians of width
 * 1/sqrt(2η) = 0.35 Å, about the thermal width of the first peak of g(r) in
 * a metallic glass, centred every 0.5 Å from the closest Cu–Cu contact
 * (2.5 Å) to the second shell (5.5 Å): per neighbour species, a smoothed
 * local partial g(r). G4: η = 0.05 Å⁻² makes triangles of the first shell
 * (sides ≈ 2.5–3.2 Å) dominate over those reaching into the second, where
 * angles carry little; ζ = 1 and 4 resolve broad and sharp angular
 * preferences, λ = ±1 bonds near 0° and 180°. */
static const am_acsf_g2 default_g2[] = {
    {4.0, 2.5}, {4.0, 3.0}, {4.0, 3.5}, {4.0, 4.0}, {4.0, 4.5}, {4.0, 5.0}, {4.0, 5.5},
};
static const am_acsf_g4 default_g4[] = {
    {0.05, 1.0, 1}, {0.05, 1.0, -1}, {0.05, 4.0, 1}, {0.05, 4.0, -1},
};

void am_acsf_defaults(am_acsf_options *o)
{
    o->cutoff = 6.0;
    o->g2 = default_g2;
    o->ng2 = (int)(sizeof default_g2 / sizeof default_g2[0]);
    o->g4 = default_g4;
    o->ng4 = (int)(sizeof default_g4 / sizeof default_g4[0]);
}

size_t am_acsf_count(const am_acsf_options *o, int nspecies)
{
    const size_t nsp = nspecies > 0 ? (size_t)nspecies : 0;
    return (size_t)(o->ng2 > 0 ? o->ng2 : 0) * nsp + (size_t)(o->ng4 > 0 ? o->ng4 : 0) * nsp * (nsp + 1) / 2;
}

/* Index of the unordered species pair (b, c) among (0,0), (0,1), ..., (1,1), ... */
static size_t pair_index(int b, int c, int nsp)
{
    if (b > c) { const int t = b; b = c; c = t; }
    return (size_t)(b * nsp - b * (b - 1) / 2 + (c - b));
}

static double cutoff_fn(double r, double rc) { return r < rc ? 0.5 * (cos(PI * r / rc) + 1.0) : 0.0; }

typedef struct nb {
    double d[3], r, r2, fc;
    int sp;
} nb;

static am_status check_options(const am_acsf_options *o)
{
    if (!(o->cutoff > 0 && o->cutoff < 1e3))
        return am_fail(AM_ERR_VALUE, "symmetry functions: cutoff %g A: expected a positive cutoff below 1000 A", o->cutoff);
    if (o->ng2 < 0 || o->ng4 < 0 || (o->ng2 > 0 && !o->g2) || (o->ng4 > 0 && !o->g4) || o->ng2 + o->ng4 == 0)
        return am_fail(AM_ERR_VALUE, "symmetry functions: expected at least one G2 or G4 parameter set");
    for (int p = 0; p < o->ng2; p++)
        if (!(o->g2[p].eta >= 0 && isfinite(o->g2[p].eta) && o->g2[p].rs >= 0 && isfinite(o->g2[p].rs)))
            return am_fail(AM_ERR_VALUE, "symmetry functions: G2 %d (eta %g, Rs %g): expected eta >= 0 (1/A^2) and Rs >= 0 (A)",
                           p + 1, o->g2[p].eta, o->g2[p].rs);
    for (int p = 0; p < o->ng4; p++)
        if (!(o->g4[p].eta >= 0 && isfinite(o->g4[p].eta) && o->g4[p].zeta >= 1 && isfinite(o->g4[p].zeta) &&
              (o->g4[p].lambda == 1 || o->g4[p].lambda == -1)))
            return am_fail(AM_ERR_VALUE,
                           "symmetry functions: G4 %d (eta %g, zeta %g, lambda %d): expected eta >= 0 (1/A^2), zeta >= 1 "
                           "and lambda +1 or -1",
                           p + 1, o->g4[p].eta, o->g4[p].zeta, o->g4[p].lambda);
    return AM_OK;
}

am_status am_acsf(const am_system *s, const am_acsf_options *o, double *g)
{
    am_status st = check_options(o);
    if (st) return st;
    const int nsp = s->nspecies;
    const size_t count = am_acsf_count(o, nsp), npair = (size_t)nsp * (size_t)(nsp + 1) / 2,
                 g4_first = (size_t)o->ng2 * (size_t)nsp;
    const double rc = o->cutoff, rc2 = rc * rc;
    am_nlist *nl = NULL;
    if ((st = am_nlist_create(rc, 0.0, &nl))) return st;
    if ((st = am_nlist_update(nl, s, NULL))) { am_nlist_free(nl); return st; }
    const size_t nlocal = am_nlist_nlocal(nl), *first = am_nlist_first(nl);
    const int *nbrs = am_nlist_neighbors(nl), *src = am_nlist_atom_index(nl);
    const double *xw = am_nlist_positions(nl);
    /* 2^{1−ζ}, once per parameter set */
    double *norm4 = malloc(((size_t)o->ng4 + 1) * sizeof(double));
    if (!norm4) { am_nlist_free(nl); return am_fail(AM_ERR_NOMEM, "symmetry functions: out of memory"); }
    for (int p = 0; p < o->ng4; p++) norm4[p] = pow(2.0, 1.0 - o->g4[p].zeta);
    int fail = 0;
#pragma omp parallel reduction(| : fail)
    {
        size_t cap = 128;
        nb *list = malloc(cap * sizeof *list);
        if (!list) fail = 1;
#pragma omp for schedule(dynamic, 32)
        for (size_t k = 0; k < nlocal; k++) {
            if (!list) continue;
            double *out = g + (size_t)src[k] * count;
            for (size_t c = 0; c < count; c++) out[c] = 0.0;
            size_t m = 0;
            for (size_t q = first[k]; q < first[k + 1]; q++) {
                const int j = nbrs[q];
                const double d[3] = {xw[4 * j] - xw[4 * k], xw[4 * j + 1] - xw[4 * k + 1], xw[4 * j + 2] - xw[4 * k + 2]};
                const double r2 = d[0] * d[0] + d[1] * d[1] + d[2] * d[2];
                if (r2 >= rc2) continue;
                if (m == cap) {
                    nb *grown = realloc(list, 2 * cap * sizeof *list);
                    if (!grown) { fail = 1; break; }
                    list = grown;
                    cap *= 2;
                }
                const double r = sqrt(r2);
                list[m++] = (nb){{d[0], d[1], d[2]}, r, r2, cutoff_fn(r, rc), (int)xw[4 * j + 3]};
            }
            if (fail) continue;
            for (size_t a = 0; a < m; a++)
                for (int p = 0; p < o->ng2; p++) {
                    const double x = list[a].r - o->g2[p].rs;
                    out[(size_t)p * (size_t)nsp + (size_t)list[a].sp] += exp(-o->g2[p].eta * x * x) * list[a].fc;
                }
            if (o->ng4 == 0) continue;
            for (size_t a = 0; a < m; a++)
                for (size_t b = a + 1; b < m; b++) {
                    const nb *u = &list[a], *v = &list[b];
                    const double e[3] = {v->d[0] - u->d[0], v->d[1] - u->d[1], v->d[2] - u->d[2]};
                    const double r2jk = e[0] * e[0] + e[1] * e[1] + e[2] * e[2];
                    if (r2jk >= rc2) continue;
                    const double fc3 = u->fc * v->fc * cutoff_fn(sqrt(r2jk), rc);
                    const double cosine = (u->d[0] * v->d[0] + u->d[1] * v->d[1] + u->d[2] * v->d[2]) / (u->r * v->r);
                    const double sum2 = u->r2 + v->r2 + r2jk;
                    double *o4 = out + g4_first + pair_index(u->sp, v->sp, nsp);
                    /* grids repeat η across sets and use ζ = 1: reuse the
                     * radial factor, skip pow() there (2-3x faster) */
                    double eta = NAN, radial = 0.0;
                    for (int p = 0; p < o->ng4; p++) {
                        const am_acsf_g4 *f = &o->g4[p];
                        if (f->eta != eta) { eta = f->eta; radial = exp(-eta * sum2) * fc3; }
                        const double base = 1.0 + f->lambda * cosine;
                        /* rounding can put 1 ± cos a hair below 0 for collinear bonds */
                        const double ang = base <= 0 ? 0.0 : f->zeta == 1.0 ? base : pow(base, f->zeta);
                        o4[(size_t)p * npair] += norm4[p] * ang * radial;
                    }
                }
        }
        free(list);
    }
    free(norm4);
    am_nlist_free(nl);
    if (fail) return am_fail(AM_ERR_NOMEM, "symmetry functions: out of memory");
    return AM_OK;
}
