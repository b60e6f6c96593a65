/* Two-body excess entropy per atom from Gaussian-smeared local partial
 * radial distribution functions (the paper's Eq. 1; single-component form
 * of Piaggi & Parrinello, J. Chem. Phys. 147 (2017) 114112).
 *
 * Multi-component mode: every pair is smeared onto one radial grid per
 * neighbour species; the integral up to every cutoff of the list comes
 * from one cumulative trapezoid sum over that grid, so a scan of cutoffs
 * costs one pass. LAMMPS mode reproduces `compute entropy/atom` for the
 * cross-check (see structure.h). */
#include "amorph/structure.h"
#include "amorph/neighbor.h"
#include "core/error.h"
#include "core/simd.h"

#include <math.h>
#include <stdlib.h>
#include <string.h>

static const double PI = 3.14159265358979323846;
/* The kernel is cut at ±6σ: the Gaussian mass beyond is 2e-9. */
static const double KERNEL_REACH = 6.0;
/* Atoms per block of the sample-level sums: blocks are summed in a fixed
 * order, so the result does not depend on how threads share them. */
enum { BLOCK = 64 };

typedef struct s2_grid {
    double h, sigma, inv2s2, reach;
    double *G; /* exp(-(j h)²/2σ²) for the points a kernel reaches, from a multiple of 4 */
    double rend; /* Å, the grid's last point kmax·h (at least the largest cutoff + h) */
    int kmax; /* grid points 0 .. kmax */
} s2_grid;

/* Adds exp(-(r_k - r)²/2σ²) for the grid points r_k = k h within reach of
 * r (k = 0 is skipped: r² g there is 0). With x = r_b − r for a point b at
 * or below the first, the j-th point from b is exp(−x²/2σ²) · w^j · G[j],
 * w = exp(−x h/σ²) and G[j] = exp(−(j h)²/2σ²) a table shared by all pairs:
 * two exp() per pair however fine the grid. b is the first point rounded
 * down to a multiple of 4, so that every vector of a (32-byte aligned, rows
 * of a multiple of 4 points, at least kmax + 4) is aligned and the next
 * pair's loads meet this pair's stores whole (a partly overlapping store
 * stalls the load behind it): the lanes outside the kernel's reach get
 * exactly 0. The exponents stay below 100 in size on the default grid
 * (h = σ/4) and below 200 on the coarsest (h = σ): far from overflow. */
typedef double v4d __attribute__((vector_size(32)));
typedef long long v4i __attribute__((vector_size(32)));

/* A pair's part, once its points k0 .. k1 and e = exp(−x²/2σ²), w are
 * known (b = k0 rounded down to a multiple of 4). */
static inline __attribute__((always_inline)) void smear(double *a, int k0, int k1, double e, double w,
                                                         const double *G)
{
    const int b = k0 & ~3, last = (k1 - b) & ~3;
    const double w2 = w * w, w4 = w2 * w2, w8 = w4 * w4;
    /* two vectors of powers, each multiplied by w^8 per step (vectors 0, 2,
     * 4, ... take p0, the others p1): two chains of products in flight
     * halve the wait on them */
    v4d p0 = {e, e * w, e * w2, e * w * w2}, p1 = p0 * w4;
    const v4i lane = {0, 1, 2, 3}, one = (v4i)(v4d){1.0, 1.0, 1.0, 1.0};
    double *ab = a + b;
    /* adds p times the table from point b + J on; masked, the lanes outside
     * k0 .. k1 add 0 */
#define SMEAR_STEP(J, P, MASKED)                                                                                   \
    do {                                                                                                           \
        v4d acc_, g_;                                                                                              \
        memcpy(&acc_, ab + (J), sizeof acc_);                                                                      \
        memcpy(&g_, G + (J), sizeof g_);                                                                           \
        if (MASKED) {                                                                                              \
            const v4i k_ = lane + (b + (J));                                                                       \
            g_ *= (v4d)(one & ((k_ >= k0) & (k_ <= k1)));                                                          \
        }                                                                                                          \
        acc_ += (P) * g_;                                                                                          \
        memcpy(ab + (J), &acc_, sizeof acc_);                                                                      \
        (P) *= w8;                                                                                                 \
    } while (0)
    SMEAR_STEP(0, p0, 1);
    int j = 4;
    for (; j + 4 < last; j += 8) {
        SMEAR_STEP(j, p1, 0);
        SMEAR_STEP(j + 4, p0, 0);
    }
    if (j <= last) SMEAR_STEP(j, p1, 1);
    if (j + 4 <= last) SMEAR_STEP(j + 4, p0, 1);
#undef SMEAR_STEP
}

/* Per-thread room for one species group of one atom's neighbours. */
typedef struct pair_batch {
    double *x, *e, *w;
    int *k0, *k1;
} pair_batch;

/* The neighbours of list entry e smeared onto a (one grid of kn points per
 * species), in list order. Each group goes in stages (the points each pair
 * reaches, then the exp()s, then the sums) rather than pair by pair: one
 * pair's square root, division and exp()s wait on each other, different
 * pairs' do not. k0 and k1 are ceil() and floor() by truncation, which libm
 * would otherwise be called for without SSE4.1. */
static inline __attribute__((always_inline)) void smear_all(double *a, int kn, const s2_grid *gr, const am_nlist *nl,
                                                             size_t e, pair_batch *pb)
{
    const size_t *gfirst = am_nlist_group_first(nl);
    const int *nbr = am_nlist_neighbors(nl);
    const int lsp = am_nlist_nspecies(nl), kmax = gr->kmax;
    const double *xw = am_nlist_positions(nl), xi = xw[4 * e], yi = xw[4 * e + 1], zi = xw[4 * e + 2];
    const double reach = gr->reach, h = gr->h, inv2s2 = gr->inv2s2;
    const double reach2 = (gr->rend + reach) * (gr->rend + reach);
    for (int v = 0; v < lsp; v++) {
        size_t m = 0;
        for (size_t p = gfirst[e * lsp + v]; p < gfirst[e * lsp + v + 1]; p++) {
            const int j = nbr[p];
            const double dx = xw[4 * j] - xi, dy = xw[4 * j + 1] - yi, dz = xw[4 * j + 2] - zi;
            const double r2 = dx * dx + dy * dy + dz * dz;
            if (!(r2 < reach2)) continue;
            const double r = sqrt(r2), t0 = (r - reach) / h, t1 = (r + reach) / h;
            int k0 = (int)t0, k1 = (int)t1;
            k0 += k0 < t0;
            k1 -= k1 > t1;
            if (k0 < 1) k0 = 1;
            if (k1 > kmax) k1 = kmax;
            if (k0 > k1) continue;
            pb->k0[m] = k0;
            pb->k1[m] = k1;
            pb->x[m++] = (k0 & ~3) * h - r;
        }
        for (size_t q = 0; q < m; q++) {
            const double x = pb->x[q];
            pb->w[q] = exp(-2.0 * x * h * inv2s2);
            pb->e[q] = exp(-x * x * inv2s2);
        }
        double *av = a + (size_t)v * kn;
        for (size_t q = 0; q < m; q++) smear(av, pb->k0[q], pb->k1[q], pb->e[q], pb->w[q], gr->G);
    }
}

static void smear_generic(double *a, int kn, const s2_grid *gr, const am_nlist *nl, size_t e, pair_batch *pb)
{
    smear_all(a, kn, gr, nl, e, pb);
}

/* The same code with AVX2 (a whole v4d per instruction). This file keeps
 * C's default of no contraction into FMA, so both give the same bits. */
#ifdef AM_HAVE_V3
AM_V3 static void smear_v3(double *a, int kn, const s2_grid *gr, const am_nlist *nl, size_t e, pair_batch *pb)
{
    smear_all(a, kn, gr, nl, e, pb);
}
#endif

#ifdef AM_HAVE_V3
/* AVX2 where the CPU has it, unless AMORPH_NO_SIMD=1 (as for the EAM
 * kernel), so that the tests can compare the two. */
static int use_v3(void)
{
    return am_simd_allowed() && __builtin_cpu_supports("avx2");
}
#endif

/* ∫_0^{rc} of f sampled at k h: the trapezoid sums cum (cum[k] = T(0, kh))
 * with the Euler–Maclaurin end correction −h²/12 f'(rc) (f'(0) = 0), and
 * for a cutoff between grid points the integral of the parabola through
 * the three nearest samples; O(h⁴) overall. f is even in r, so f[-1] = f[1]. */
static double integral_to(const double *f, const double *cum, double h, double rc)
{
    const double t = rc / h;
    const int m = (int)floor(t + 1e-9);
    const double u = t - m > 1e-9 ? t - m : 0.0;
    const double fm = m > 0 ? f[m - 1] : f[1], f0 = f[m], fp = f[m + 1];
    const double ends = cum[m] - h / 24.0 * (fp - fm);
    return ends + h * (f0 * u + u * u * (fp - fm) / 4.0 + u * u * u * (fp - 2.0 * f0 + fm) / 6.0);
}

/* f[k] = ρ r_k² [g ln g − g + 1] with g = a[k] · norm / r_k²; f[0] = 0
 * (the integrand's limit, since no neighbour sits at the centre). */
static void integrand(const double *a, double norm, double rho, double h, int kmax, double *f, double *cum)
{
    f[0] = 0.0;
    cum[0] = 0.0;
    for (int k = 1; k <= kmax; k++) {
        const double r2 = (k * h) * (k * h), g = a[k] * norm / r2;
        f[k] = g > 0.0 ? rho * r2 * (g * log(g) - g + 1.0) : rho * r2;
        cum[k] = cum[k - 1] + 0.5 * h * (f[k - 1] + f[k]);
    }
}


static am_status s2_multi(const am_system *s, const am_s2_options *o, const am_nlist *nl, const s2_grid *gr,
                          double *s2, double *partial, double *system)
{
    const size_t n = s->n;
    /* kn: points of one species' row of a, a multiple of 4 beyond kmax + 3
     * (smear's vectors) */
    const int nsp = s->nspecies, ncut = o->ncut, kmax = gr->kmax, kn = (kmax + 7) & ~3;
    const double vol = am_box_volume(&s->box);
    double rho[AM_MAX_SPECIES] = {0}, count[AM_MAX_SPECIES] = {0};
    for (size_t i = 0; i < n; i++) count[s->type[i]] += 1.0;
    for (int v = 0; v < nsp; v++) rho[v] = count[v] / vol;
    /* g = a · c / (4π ρ_v r²), c the Gaussian's normalisation */
    const double c = 1.0 / (sqrt(2.0 * PI) * gr->sigma);

    const size_t nblock = (n + BLOCK - 1) / BLOCK;
    double *blocks = NULL;
    if (system) {
        blocks = calloc(nblock * (size_t)(nsp * nsp) * (size_t)kn, sizeof(double));
        if (!blocks) return am_fail(AM_ERR_NOMEM, "S2: out of memory for the sample sums");
    }
    const int *src = am_nlist_atom_index(nl);
    void (*smear_atom)(double *, int, const s2_grid *, const am_nlist *, size_t, pair_batch *) = smear_generic;
#ifdef AM_HAVE_V3
    if (use_v3()) smear_atom = smear_v3;
#endif
    /* the largest species group of a list: the batches' size */
    const size_t *gfirst = am_nlist_group_first(nl);
    size_t most = 1;
    for (size_t g = 0; g < n * (size_t)am_nlist_nspecies(nl); g++)
        if (gfirst[g + 1] - gfirst[g] > most) most = gfirst[g + 1] - gfirst[g];
    int fail = 0;
#pragma omp parallel reduction(| : fail)
    {
        pair_batch pb = {malloc(most * sizeof(double)), malloc(most * sizeof(double)), malloc(most * sizeof(double)),
                         malloc(most * sizeof(int)), malloc(most * sizeof(int))};
        if (!pb.x || !pb.e || !pb.w || !pb.k0 || !pb.k1) fail = 1;
        double *a = aligned_alloc(32, (size_t)(nsp * kn) * sizeof(double)), *f = malloc((size_t)kn * sizeof(double)),
               *cum = malloc((size_t)kn * sizeof(double));
        if (!a || !f || !cum) fail = 1;
#pragma omp for schedule(dynamic, 1)
        for (size_t b = 0; b < nblock; b++) {
            if (fail) continue;
            const size_t e1 = (b + 1) * BLOCK < n ? (b + 1) * BLOCK : n;
            for (size_t e = b * BLOCK; e < e1; e++) {
                const int i = src[e];
                memset(a, 0, (size_t)(nsp * kn) * sizeof(double));
                smear_atom(a, kn, gr, nl, e, &pb);
                for (int cc = 0; cc < ncut; cc++) s2[(size_t)i * ncut + cc] = 0.0;
                for (int v = 0; v < nsp; v++) {
                    if (rho[v] == 0.0) continue;
                    integrand(a + (size_t)v * kn, c / (4.0 * PI * rho[v]), rho[v], gr->h, kmax, f, cum);
                    for (int cc = 0; cc < ncut; cc++) {
                        const double t = -2.0 * PI * integral_to(f, cum, gr->h, o->cutoffs[cc]);
                        s2[(size_t)i * ncut + cc] += t;
                        if (partial) partial[((size_t)i * ncut + cc) * nsp + v] = t;
                    }
                }
                if (partial)
                    for (int v = 0; v < nsp; v++)
                        if (rho[v] == 0.0)
                            for (int cc = 0; cc < ncut; cc++) partial[((size_t)i * ncut + cc) * nsp + v] = 0.0;
                if (blocks) {
                    double *blk = blocks + (b * (size_t)(nsp * nsp) + (size_t)s->type[i] * nsp) * kn;
                    for (size_t k = 0; k < (size_t)(nsp * kn); k++) blk[k] += a[k];
                }
            }
        }
        free(a); free(f); free(cum);
        free(pb.x); free(pb.e); free(pb.w); free(pb.k0); free(pb.k1);
    }
    if (fail) { free(blocks); return am_fail(AM_ERR_NOMEM, "S2: out of memory"); }
    if (system) {
        /* g_ab = Σ_{i∈a} a_i^b · c / (N_a 4π ρ_b r²); S2 = −2π Σ_ab x_a ρ_b ∫ [...] r² dr */
        double *sum = calloc((size_t)kn, sizeof(double)), *f = malloc((size_t)kn * sizeof(double)),
               *cum = malloc((size_t)kn * sizeof(double));
        if (!sum || !f || !cum) { free(sum); free(f); free(cum); free(blocks); return am_fail(AM_ERR_NOMEM, "S2: out of memory"); }
        for (int cc = 0; cc < ncut; cc++) system[cc] = 0.0;
        for (int sa = 0; sa < nsp; sa++)
            for (int v = 0; v < nsp; v++) {
                if (count[sa] == 0.0 || rho[v] == 0.0) continue;
                memset(sum, 0, (size_t)kn * sizeof(double));
                for (size_t b = 0; b < nblock; b++) {
                    const double *blk = blocks + (b * (size_t)(nsp * nsp) + (size_t)(sa * nsp + v)) * kn;
                    for (int k = 0; k < kn; k++) sum[k] += blk[k];
                }
                integrand(sum, c / (count[sa] * 4.0 * PI * rho[v]), rho[v], gr->h, kmax, f, cum);
                for (int cc = 0; cc < ncut; cc++)
                    system[cc] += -2.0 * PI * count[sa] / (double)n * integral_to(f, cum, gr->h, o->cutoffs[cc]);
            }
        free(sum); free(f); free(cum);
    }
    free(blocks);
    return AM_OK;
}

/* compute entropy/atom, one compute per cutoff sharing the neighbour loop:
 * each kernel value is formed as LAMMPS forms it and added to every
 * cutoff's g(r) whose neighbour test it passes. */
static am_status s2_lammps(const am_system *s, const am_s2_options *o, const am_nlist *nl, double *s2)
{
    const size_t n = s->n;
    const int ncut = o->ncut;
    const double sigma = o->sigma, deltar = sigma, sigmasq2 = 2 * sigma * sigma;
    const int deltabin = 3;
    int nbinmax = 0;
    int *nbin = malloc((size_t)ncut * sizeof(int));
    double *cutsq = malloc((size_t)ncut * sizeof(double));
    if (!nbin || !cutsq) { free(nbin); free(cutsq); return am_fail(AM_ERR_NOMEM, "S2: out of memory"); }
    for (int c = 0; c < ncut; c++) {
        nbin[c] = (int)(o->cutoffs[c] / sigma) + 1;
        cutsq[c] = o->cutoffs[c] * o->cutoffs[c];
        if (nbin[c] > nbinmax) nbinmax = nbin[c];
    }
    const am_box *bx = &s->box;
    const double density = (double)n / (bx->len[0] * bx->len[1] * bx->len[2]);
    double norm = 4 * PI * density;
    norm *= sqrt(2. * PI) * sigma;
    const double invnorm = 1. / norm;

    const size_t *first = am_nlist_first(nl);
    const int *nbr = am_nlist_neighbors(nl), *src = am_nlist_atom_index(nl);
    const double *xw = am_nlist_positions(nl);
    int fail = 0;
#pragma omp parallel reduction(| : fail)
    {
        double *rbin = malloc((size_t)nbinmax * sizeof(double)), *rbinsq = malloc((size_t)nbinmax * sizeof(double)),
               *gofr = malloc((size_t)nbinmax * (size_t)ncut * sizeof(double)),
               *integ = malloc((size_t)nbinmax * sizeof(double));
        if (!rbin || !rbinsq || !gofr || !integ) fail = 1;
        else
            for (int k = 0; k < nbinmax; k++) {
                rbin[k] = k * deltar;
                rbinsq[k] = rbin[k] * rbin[k];
            }
#pragma omp for schedule(dynamic, 64)
        for (size_t e = 0; e < n; e++) {
            if (fail) continue;
            memset(gofr, 0, (size_t)nbinmax * (size_t)ncut * sizeof(double));
            for (size_t p = first[e]; p < first[e + 1]; p++) {
                const int j = nbr[p];
                const double delx = xw[4 * e] - xw[4 * j], dely = xw[4 * e + 1] - xw[4 * j + 1],
                             delz = xw[4 * e + 2] - xw[4 * j + 2];
                const double rsq = delx * delx + dely * dely + delz * delz;
                const double r = sqrt(rsq);
                const int bin = (int)floor(r / deltar);
                for (int c = 0; c < ncut; c++) {
                    if (!(rsq < cutsq[c])) continue;
                    int minbin = bin - deltabin, maxbin = bin + deltabin;
                    if (minbin < 0) minbin = 0;
                    if (minbin > nbin[c] - 1) minbin = nbin[c] - 1;
                    if (maxbin > nbin[c] - 1) maxbin = nbin[c] - 1;
                    double *g = gofr + (size_t)c * nbinmax;
                    for (int k = minbin; k < maxbin + 1; k++) {
                        const double invkernel = invnorm / rbinsq[k], distance = r - rbin[k];
                        g[k] += invkernel * exp(-distance * distance / sigmasq2);
                    }
                }
            }
            for (int c = 0; c < ncut; c++) {
                const double *g = gofr + (size_t)c * nbinmax;
                const int nb = nbin[c];
                for (int k = 0; k < nb; k++)
                    integ[k] = g[k] < 1.e-10 ? rbinsq[k] : (g[k] * log(g[k]) - g[k] + 1) * rbinsq[k];
                double value = 0.;
                for (int k = 1; k < nb - 1; k++) value += integ[k];
                value += 0.5 * integ[0];
                value += 0.5 * integ[nb - 1];
                value *= deltar;
                s2[(size_t)src[e] * ncut + c] = -2 * PI * density * value;
            }
        }
        free(rbin); free(rbinsq); free(gofr); free(integ);
    }
    free(nbin); free(cutsq);
    return fail ? am_fail(AM_ERR_NOMEM, "S2: out of memory") : AM_OK;
}

am_status am_s2(const am_system *s, const am_s2_options *o, double *s2, double *partial, double *system)
{
    const am_box *b = &s->box;
    if (!b->periodic[0] || !b->periodic[1] || !b->periodic[2])
        return am_fail(AM_ERR_UNSUPPORTED, "S2: the density needs a fully periodic cell");
    if (s->n == 0) return am_fail(AM_ERR_VALUE, "S2: no atoms");
    if (!(o->sigma > 0.0) || !isfinite(o->sigma)) return am_fail(AM_ERR_VALUE, "S2: sigma %g A must be positive", o->sigma);
    if (o->ncut < 1 || !o->cutoffs) return am_fail(AM_ERR_VALUE, "S2: no cutoff given");
    double rcmax = 0.0;
    for (int c = 0; c < o->ncut; c++) {
        if (!(o->cutoffs[c] > 0.0) || !isfinite(o->cutoffs[c]))
            return am_fail(AM_ERR_VALUE, "S2: cutoff %g A must be positive", o->cutoffs[c]);
        if (o->cutoffs[c] > rcmax) rcmax = o->cutoffs[c];
    }
    if (o->mode == AM_S2_LAMMPS && (partial || system))
        return am_fail(AM_ERR_UNSUPPORTED, "S2: the LAMMPS mode has no species terms or sample value");
    if (o->mode != AM_S2_LAMMPS && o->mode != AM_S2_MULTI) return am_fail(AM_ERR_VALUE, "S2: unknown mode %d", (int)o->mode);

    s2_grid gr = {0};
    gr.sigma = o->sigma;
    gr.h = o->dr > 0.0 ? o->dr : o->sigma / 4.0;
    if (!(gr.h <= o->sigma)) return am_fail(AM_ERR_VALUE, "S2: grid spacing %g A exceeds sigma %g A", gr.h, o->sigma);
    if (rcmax / gr.h > 1e6) return am_fail(AM_ERR_VALUE, "S2: grid of %g points too fine", rcmax / gr.h);
    gr.kmax = (int)ceil(rcmax / gr.h) + 1;
    gr.inv2s2 = 1.0 / (2.0 * o->sigma * o->sigma);
    gr.reach = KERNEL_REACH * o->sigma;
    gr.rend = gr.kmax * gr.h;
    const int span = (int)ceil(2.0 * gr.reach / gr.h) + 8; /* a kernel's points, from a multiple of 4 */
    if (o->mode == AM_S2_MULTI) {
        if (!(gr.G = malloc((size_t)span * sizeof(double)))) return am_fail(AM_ERR_NOMEM, "S2: out of memory");
        for (int j = 0; j < span; j++) gr.G[j] = exp(-(j * gr.h) * (j * gr.h) * gr.inv2s2);
    }

    /* neighbours: those whose kernel reaches the grid, or LAMMPS's cutoff */
    const double reach = o->mode == AM_S2_LAMMPS ? rcmax : gr.rend + gr.reach;
    am_nlist *nl;
    am_status st = am_nlist_create(reach, 0.0, &nl);
    if (st) { free(gr.G); return st; }
    if (!(st = am_nlist_update(nl, s, NULL)))
        st = o->mode == AM_S2_LAMMPS ? s2_lammps(s, o, nl, s2) : s2_multi(s, o, nl, &gr, s2, partial, system);
    am_nlist_free(nl);
    free(gr.G);
    return st;
}
