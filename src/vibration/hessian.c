/* The analytic Hessian of a model in pair-and-embedding form (EAM; pair
 * potentials are the case without embedding), in factored form (see
 * vibration.h); models without that form get the finite-difference one of
 * hessian_fd.c.
 *
 * For a radial function g(r_ij), with r̂ = (x_i − x_j)/r, the second
 * derivatives are G = g'' r̂r̂ᵀ + (g'/r)(I − r̂r̂ᵀ) in blocks (i,i) and (j,j)
 * and −G in (i,j), (j,i). The pair-range part collects, per pair,
 * g = φ + F'_i f_{i←j} + F'_j f_{j←i}; the rest is Σ_i F''_i v_i v_iᵀ with
 * v_i = ∂ρ_i/∂x: Σ_j f'_{i←j} r̂_ij at atom i and −f'_{i←j} r̂_ij at j.
 * Rows are built from the full neighbour list, each atom writing only its
 * own row, so construction and products are thread-count independent. */
#include "amorph/vibration.h"
#include "amorph/neighbor.h"
#include "core/error.h"
#include "core/simd.h"
#include "potential/engine_type.h"
#include "vibration/hessian_internal.h"

#include <math.h>
#include <stdlib.h>
#include <string.h>


size_t am_hessian_n(const am_hessian *h) { return h->n; }

void am_hessian_free(am_hessian *h)
{
    if (!h) return;
    free(h->atom); free(h->first); free(h->col); free(h->blk); free(h->u); free(h->w);
    free(h->diag); free(h->vself); free(h->fpp);
    free(h);
}

static void radial_block(double g1, double g2, const double rh[3], double r, double G[9])
{
    const double t = g1 / r;
    for (int a = 0; a < 3; a++)
        for (int b = 0; b < 3; b++) G[3 * a + b] = (g2 - t) * rh[a] * rh[b] + (a == b ? t : 0.0);
}

am_status am_hessian_create(const am_potential *p, am_system *s, am_hessian **out)
{
    *out = NULL;
    const am_pair_embed *pe = p->type->pair_embed;
    if (!pe) return am_hessian_create_fd(p, s, out);
    int sp2el[AM_MAX_SPECIES];
    am_status st = am_potential_species_map(p, s, sp2el);
    if (st) return st;
    const size_t n = s->n;
    const double cut = am_potential_cutoff(p), cut2 = cut * cut;
    am_nlist *nl;
    if ((st = am_nlist_create(cut, 0.0, &nl))) return st;
    if ((st = am_nlist_update(nl, s, NULL))) { am_nlist_free(nl); return st; }
    const size_t *first = am_nlist_first(nl);
    const int *nbr = am_nlist_neighbors(nl), *src = am_nlist_atom_index(nl);
    const double *xw = am_nlist_positions(nl);

    am_hessian *h = calloc(1, sizeof *h);
    double *fp = calloc(n + 1, sizeof(double)); /* F'(ρ), zero without embedding */
    if (!h || !fp) { free(h); free(fp); am_nlist_free(nl); return am_fail(AM_ERR_NOMEM, "Hessian: out of memory"); }
    h->n = n;
    /* entries: the pairs inside the cutoff (the list may hold a few beyond) */
    h->first = malloc((n + 1) * sizeof(size_t));
    h->atom = malloc((n + 1) * sizeof(int));
    h->diag = calloc(9 * n + 1, sizeof(double));
    h->vself = calloc(3 * n + 1, sizeof(double));
    h->fpp = calloc(n + 1, sizeof(double));
    if (!h->first || !h->atom || !h->diag || !h->vself || !h->fpp) goto nomem;
    size_t m = 0;
    for (size_t e = 0; e < n; e++) {
        h->first[e] = m;
        h->atom[e] = src[e];
        for (size_t q = first[e]; q < first[e + 1]; q++) {
            const int j = nbr[q];
            const double dx = xw[4 * e] - xw[4 * j], dy = xw[4 * e + 1] - xw[4 * j + 1], dz = xw[4 * e + 2] - xw[4 * j + 2];
            m += dx * dx + dy * dy + dz * dz < cut2;
        }
    }
    h->first[n] = m;
    h->col = malloc((m + 1) * sizeof(int));
    h->blk = malloc((9 * m + 1) * sizeof(double));
    h->u = malloc((3 * m + 1) * sizeof(double));
    h->w = malloc((3 * m + 1) * sizeof(double));
    if (!h->col || !h->blk || !h->u || !h->w) goto nomem;

    /* pass 1: densities, F' and F'' of every atom */
    if (pe->embed) {
#pragma omp parallel for schedule(dynamic, 64)
        for (size_t e = 0; e < n; e++) {
            const int i = src[e], ei = sp2el[s->type[i]];
            double rho = 0.0;
            for (size_t q = first[e]; q < first[e + 1]; q++) {
                const int j = nbr[q];
                const double dx = xw[4 * e] - xw[4 * j], dy = xw[4 * e + 1] - xw[4 * j + 1], dz = xw[4 * e + 2] - xw[4 * j + 2];
                const double r2 = dx * dx + dy * dy + dz * dz;
                if (r2 >= cut2) continue;
                am_radial rad;
                pe->radial(p, ei, sp2el[s->type[src[j]]], sqrt(r2), &rad);
                rho += rad.fij;
            }
            pe->embed(p, ei, rho, &fp[i], &h->fpp[i]);
        }
    }
    /* pass 2: the rows */
#pragma omp parallel for schedule(dynamic, 64)
    for (size_t e = 0; e < n; e++) {
        const int i = src[e], ei = sp2el[s->type[i]];
        size_t k = h->first[e];
        double *d = h->diag + 9 * (size_t)i, *vs = h->vself + 3 * (size_t)i;
        for (size_t q = first[e]; q < first[e + 1]; q++) {
            const int j = nbr[q], oj = src[j];
            const double del[3] = {xw[4 * e] - xw[4 * j], xw[4 * e + 1] - xw[4 * j + 1], xw[4 * e + 2] - xw[4 * j + 2]};
            const double r2 = del[0] * del[0] + del[1] * del[1] + del[2] * del[2];
            if (r2 >= cut2) continue;
            const double r = sqrt(r2), rh[3] = {del[0] / r, del[1] / r, del[2] / r};
            am_radial rad;
            pe->radial(p, ei, sp2el[s->type[oj]], r, &rad);
            const double g1 = rad.dphi + fp[i] * rad.dfij + fp[oj] * rad.dfji;
            const double g2 = rad.d2phi + fp[i] * rad.d2fij + fp[oj] * rad.d2fji;
            double G[9];
            radial_block(g1, g2, rh, r, G);
            for (int c = 0; c < 9; c++) {
                d[c] += G[c];
                h->blk[9 * k + c] = -G[c];
            }
            h->col[k] = oj;
            for (int c = 0; c < 3; c++) {
                h->u[3 * k + c] = rad.dfij * rh[c];
                h->w[3 * k + c] = rad.dfji * rh[c];
                vs[c] += rad.dfij * rh[c];
            }
            k++;
        }
    }
    free(fp);
    am_nlist_free(nl);
    *out = h;
    return AM_OK;
nomem:
    free(fp);
    am_nlist_free(nl);
    am_hessian_free(h);
    return am_fail(AM_ERR_NOMEM, "Hessian: out of memory for %zu atoms", n);
}

void am_hessian_apply(const am_hessian *h, const double *x, double *y)
{
    double *sv = malloc((h->n + 1) * sizeof(double));
    if (!sv) {
        for (size_t c = 0; c < 3 * h->n; c++) y[c] = NAN;
        return;
    }
    am_hessian_apply_block(h, 1, x, y, sv);
    free(sv);
}

/* The block product's rows, compiled twice below: each output is summed in
 * the same order whatever the vector width (the vectors run across the nv
 * right-hand sides), and this file keeps C's default of no contraction into
 * FMA, so both copies give the same bits. */

/* s_i = F''_i (v_i · x) for the atom of row e, nv wide */
static inline __attribute__((always_inline)) void s_row(const am_hessian *h, size_t m, const double *X, double *sv,
                                                         size_t e)
{
    const size_t i = (size_t)h->atom[e];
    const double *vs = h->vself + 3 * i, *xi = X + 3 * i * m;
    double *t = sv + i * m;
    for (size_t v = 0; v < m; v++) t[v] = vs[0] * xi[v] + vs[1] * xi[m + v] + vs[2] * xi[2 * m + v];
    for (size_t k = h->first[e]; k < h->first[e + 1]; k++) {
        const double *u = h->u + 3 * k, *xj = X + 3 * (size_t)h->col[k] * m;
        for (size_t v = 0; v < m; v++) t[v] -= u[0] * xj[v] + u[1] * xj[m + v] + u[2] * xj[2 * m + v];
    }
    for (size_t v = 0; v < m; v++) t[v] *= h->fpp[i];
}

/* row e of y = pair part · x + Σ_i s_i v_i (v_j's entry at i is w_ij) */
static inline __attribute__((always_inline)) void y_row(const am_hessian *h, size_t m, const double *X, double *Y,
                                                         const double *sv, size_t e)
{
    const size_t i = (size_t)h->atom[e];
    const double *d = h->diag + 9 * i, *xi = X + 3 * i * m, *vs = h->vself + 3 * i, *si = sv + i * m;
    double *yi = Y + 3 * i * m;
    for (int a = 0; a < 3; a++)
        for (size_t v = 0; v < m; v++)
            yi[a * m + v] = d[3 * a] * xi[v] + d[3 * a + 1] * xi[m + v] + d[3 * a + 2] * xi[2 * m + v] + si[v] * vs[a];
    for (size_t k = h->first[e]; k < h->first[e + 1]; k++) {
        const double *b = h->blk + 9 * k, *xj = X + 3 * (size_t)h->col[k] * m, *w = h->w + 3 * k;
        const double *sj = sv + (size_t)h->col[k] * m;
        for (int a = 0; a < 3; a++)
            for (size_t v = 0; v < m; v++)
                yi[a * m + v] += b[3 * a] * xj[v] + b[3 * a + 1] * xj[m + v] + b[3 * a + 2] * xj[2 * m + v] + sj[v] * w[a];
    }
}

typedef void (*rows_fn)(const am_hessian *h, size_t m, const double *X, double *Y, double *sv, size_t e0, size_t e1,
                        int pass);

/* rows e0..e1 of pass 0 (s) or 1 (y) */
static inline __attribute__((always_inline)) void rows_all(const am_hessian *h, size_t m, const double *X, double *Y,
                                                            double *sv, size_t e0, size_t e1, int pass)
{
    for (size_t e = e0; e < e1; e++)
        if (pass == 0) s_row(h, m, X, sv, e);
        else y_row(h, m, X, Y, sv, e);
}

static void rows_generic(const am_hessian *h, size_t m, const double *X, double *Y, double *sv, size_t e0, size_t e1,
                         int pass)
{
    rows_all(h, m, X, Y, sv, e0, e1, pass);
}

/* AVX2 where the CPU has it, unless AMORPH_NO_SIMD=1: four right-hand sides
 * per instruction instead of SSE2's two. The residuals of the mode solver's
 * refined solves take 8 % of a run on the paper's cube (docs/performance.md). */
#ifdef AM_HAVE_V3
AM_V3 static void rows_v3(const am_hessian *h, size_t m, const double *X, double *Y, double *sv, size_t e0, size_t e1,
                          int pass)
{
    rows_all(h, m, X, Y, sv, e0, e1, pass);
}
#endif

void am_hessian_apply_block(const am_hessian *h, int nv, const double *X, double *Y, double *sv)
{
    const size_t n = h->n, m = (size_t)nv;
    rows_fn rows = rows_generic;
#ifdef AM_HAVE_V3
    if (am_simd_allowed() && __builtin_cpu_supports("avx2")) rows = rows_v3;
#endif
    /* blocks of rows: the s of every atom before any row of y reads it */
    const size_t nb = (n + 63) / 64;
    for (int pass = 0; pass < 2; pass++) {
#pragma omp parallel for schedule(static)
        for (size_t b = 0; b < nb; b++) rows(h, m, X, Y, sv, 64 * b, 64 * b + 64 < n ? 64 * b + 64 : n, pass);
    }
}

am_status am_hessian_dense(const am_hessian *h, double *H)
{
    const size_t n = h->n, N = 3 * n;
    memset(H, 0, N * N * sizeof(double));
    for (size_t e = 0; e < n; e++) {
        const size_t i = (size_t)h->atom[e];
        for (int a = 0; a < 3; a++)
            for (int b = 0; b < 3; b++) H[(3 * i + a) * N + 3 * i + b] += h->diag[9 * i + 3 * a + b];
        for (size_t k = h->first[e]; k < h->first[e + 1]; k++) {
            const size_t j = (size_t)h->col[k];
            for (int a = 0; a < 3; a++)
                for (int b = 0; b < 3; b++) H[(3 * i + a) * N + 3 * j + b] += h->blk[9 * k + 3 * a + b];
        }
        /* F''_i v_i v_iᵀ over v_i's entries: (i, vself_i) and (j, −u_ij) */
        const size_t k0 = h->first[e], k1 = h->first[e + 1];
        for (size_t ka = k0; ka <= k1; ka++) {
            const size_t ia = ka == k1 ? i : (size_t)h->col[ka];
            const double *va = ka == k1 ? h->vself + 3 * i : h->u + 3 * ka;
            const double sa = ka == k1 ? h->fpp[i] : -h->fpp[i];
            for (size_t kb = k0; kb <= k1; kb++) {
                const size_t ib = kb == k1 ? i : (size_t)h->col[kb];
                const double *vb = kb == k1 ? h->vself + 3 * i : h->u + 3 * kb;
                const double sb = kb == k1 ? sa : -sa;
                for (int a = 0; a < 3; a++)
                    for (int b = 0; b < 3; b++) H[(3 * ia + a) * N + 3 * ib + b] += sb * va[a] * vb[b];
            }
        }
    }
    return AM_OK;
}
