/* A particle-mesh preconditioner for relaxing a large periodic solid:
 * H0 = (1/k_ref) I + (1/(mu_ref V_cell)) W^T D^-1 L^-1 D^-1 W, where W
 * spreads atom vectors onto a grid of ~PM_SPACING cells (cloud-in-cell, in
 * fractional coordinates, so triclinic boxes too), D^-1 turns the cells'
 * sums into means (times the mean count), L is the grid's Laplacian and
 * W^T interpolates back.
 *
 * Why: relaxing the far field around a local rearrangement in a box of
 * 20 000 atoms is an elastic problem whose Hessian spans ~(box/atom)^2 in
 * scale: long waves are soft (Omega mu k^2 per atom), an atom in its cage is
 * stiff (a few eV/Å^2). L-BFGS with H0 = gamma I spends its iterations on
 * that spread; an elastic Green's function inverts the long waves, an atom
 * term the short ones. The Laplacian is the isotropic, one-modulus
 * caricature of elasticity (each Cartesian component alone): cheap by FFT,
 * positive definite, and enough for a preconditioner, whose overall scale
 * L-BFGS fits anyway (gamma). Measured on 20 000 atoms (docs/saddle.md,
 * "Reflected refinement"): a plain far-field relaxation 56 -> 34 force
 * calls, the reflected refinement's whole-box stage 16-23 % fewer; the ratio
 * of the two terms (AM_PM_K_REF, AM_PM_MU_REF in min.h) was the best of
 * 0.25-4x around it there. The sparse alternative, Packwood et al.'s Exp
 * preconditioner factored by CHOLMOD, costs two force calls per solve at
 * this size.
 *
 * The kernel is the discrete Laplacian's symbol written for a general cell,
 * |k|^2 = kappa^T (H^-1 H^-T) kappa with kappa_a = 2 N_a sin(pi m_a / N_a):
 * in an orthogonal box exactly the 7-point stencil's (2 - 2 cos)/h^2 per
 * axis. It is real and even in m, so the convolution of a complex field is
 * that of its real and imaginary parts: two real fields share one FFT. */
#include "minimize/min.h"

#include "core/error.h"

#include <gsl/gsl_fft_complex.h>
#include <limits.h>
#include <math.h>
#include <stdlib.h>
#include <string.h>

static const double PI = 3.14159265358979323846;

/* Grid spacing, Å: ~3 atoms per cell in a metallic glass (Omega ~ 17-23 Å^3);
 * 2.6-4.5 relaxed alike, the coarser grid's transforms cost less. */
#define PM_SPACING 4.0
/* Fewer cells along an axis than this and the mesh adds nothing. */
#define PM_MIN_CELLS 4
/* More cells than this per atom (a solid has ~1/3) and the box is no solid. */
#define PM_MAX_CELLS_PER_ATOM 8.0

struct am_pm_precon {
    size_t n;              /* atoms */
    int ng[3];             /* cells per axis */
    size_t cells;
    int *idx;              /* 8 cells per atom */
    double *w;             /* their weights */
    double *grid;          /* 2 cells: complex */
    double *kern;          /* cells: 1/(mu_ref V_cell |k|^2 cells), 0 at k = 0 */
    double *occ;           /* cells: 1 / (the cell's weight over the mean), 0 if empty */
    double alpha;          /* 1/k_ref, Å^2/eV */
    gsl_fft_complex_wavetable *wt[3];
    gsl_fft_complex_workspace *ws[3];
};

/* Largest n' <= n with no prime factor above 5 (GSL's fast radices). */
static int smooth_below(int n)
{
    for (; n > 1; n--) {
        int m = n;
        while (m % 2 == 0) m /= 2;
        while (m % 3 == 0) m /= 3;
        while (m % 5 == 0) m /= 5;
        if (m == 1) return n;
    }
    return 1;
}

void am_pm_precon_grid(const am_pm_precon *p, int ng[3])
{
    memcpy(ng, p->ng, 3 * sizeof(int));
}

void am_pm_precon_free(am_pm_precon *p)
{
    if (!p) return;
    for (int d = 0; d < 3; d++) {
        if (p->wt[d]) gsl_fft_complex_wavetable_free(p->wt[d]);
        if (p->ws[d]) gsl_fft_complex_workspace_free(p->ws[d]);
    }
    free(p->idx); free(p->w); free(p->grid); free(p->kern); free(p->occ);
    free(p);
}

/* inverse box matrix rows (the reciprocal vectors without 2 pi) */
static void reciprocal(const am_box *b, double r[3][3])
{
    const double lx = b->len[0], ly = b->len[1], lz = b->len[2];
    const double xy = b->tilt[0], xz = b->tilt[1], yz = b->tilt[2];
    memset(r, 0, 9 * sizeof(double));
    r[0][0] = 1.0 / lx;
    r[0][1] = -xy / (lx * ly);
    r[0][2] = (xy * yz - ly * xz) / (lx * ly * lz);
    r[1][1] = 1.0 / ly;
    r[1][2] = -yz / (ly * lz);
    r[2][2] = 1.0 / lz;
}

static void fill_kernel(am_pm_precon *p, const am_box *b)
{
    double r[3][3], g[3][3];
    reciprocal(b, r);
    for (int a = 0; a < 3; a++)
        for (int c = 0; c < 3; c++) g[a][c] = r[a][0] * r[c][0] + r[a][1] * r[c][1] + r[a][2] * r[c][2];
    const double vcell = am_box_volume(b) / (double)p->cells;
    /* the backward FFT is unnormalised: 1/cells here */
    const double scale = 1.0 / (AM_PM_MU_REF * vcell * (double)p->cells);
    size_t k = 0;
    for (int i0 = 0; i0 < p->ng[0]; i0++)
        for (int i1 = 0; i1 < p->ng[1]; i1++)
            for (int i2 = 0; i2 < p->ng[2]; i2++, k++) {
                const int m[3] = {i0, i1, i2};
                double kap[3], cross[3];
                for (int a = 0; a < 3; a++) {
                    const int n = p->ng[a], ma = 2 * m[a] > n ? m[a] - n : m[a];
                    kap[a] = 2.0 * n * sin(PI * ma / n);
                    /* at Nyquist +m and -m are one mode: no cross term keeps the kernel even */
                    cross[a] = 2 * m[a] == n ? 0.0 : kap[a];
                }
                double k2 = 0;
                for (int a = 0; a < 3; a++) {
                    k2 += kap[a] * kap[a] * g[a][a];
                    for (int c = a + 1; c < 3; c++) k2 += 2.0 * cross[a] * cross[c] * g[a][c];
                }
                p->kern[k] = k > 0 && k2 > 0 ? scale / k2 : 0.0;
            }
}

static void spread_weights(am_pm_precon *p, const am_box *b, const double *x)
{
    for (size_t i = 0; i < p->n; i++) {
        double s[3];
        am_box_to_frac(b, x + 3 * i, s);
        int i0[3];
        double f[3];
        for (int a = 0; a < 3; a++) {
            const double u = s[a] * p->ng[a], fl = floor(u);
            f[a] = u - fl;
            const long c = (long)fmod(fl, (double)p->ng[a]);
            i0[a] = (int)(c < 0 ? c + p->ng[a] : c);
        }
        int *idx = p->idx + 8 * i;
        double *w = p->w + 8 * i;
        for (int m = 0; m < 8; m++) {
            const int a = m >> 2, c = (m >> 1) & 1, e = m & 1;
            idx[m] = (int)((((size_t)((i0[0] + a) % p->ng[0]) * p->ng[1] + (size_t)((i0[1] + c) % p->ng[1])) * p->ng[2]) +
                           (size_t)((i0[2] + e) % p->ng[2]));
            w[m] = (a ? f[0] : 1 - f[0]) * (c ? f[1] : 1 - f[1]) * (e ? f[2] : 1 - f[2]);
            p->occ[idx[m]] += w[m];
        }
    }
    /* a cell's value is its atoms' weighted mean, not their sum: a sum
     * would carry the density's scatter (a rigid translation would come back
     * rippled); P = W^T D^-1 G D^-1 W stays symmetric */
    const double mean = (double)p->n / (double)p->cells;
    for (size_t k = 0; k < p->cells; k++) p->occ[k] = p->occ[k] > 0 ? mean / p->occ[k] : 0.0;
}

am_status am_pm_precon_alloc(const am_box *b, const double *x, size_t n, am_pm_precon **out)
{
    *out = NULL;
    double wid[3];
    am_box_widths(b, wid);
    int ng[3];
    for (int a = 0; a < 3; a++) {
        ng[a] = smooth_below((int)fmin(wid[a] / PM_SPACING, 1e6));
        if (!b->periodic[a] || ng[a] < PM_MIN_CELLS) return AM_OK; /* none: the caller uses the identity */
    }
    /* a grid much finer than the atoms (a sparse box) smooths nothing and
     * could outgrow int cell indices */
    const double cells = (double)ng[0] * ng[1] * ng[2];
    if (cells > INT_MAX || cells > PM_MAX_CELLS_PER_ATOM * (double)n) return AM_OK;
    am_pm_precon *p = calloc(1, sizeof *p);
    if (!p) return am_fail(AM_ERR_NOMEM, "preconditioner: out of memory");
    p->n = n;
    memcpy(p->ng, ng, sizeof ng);
    p->cells = (size_t)ng[0] * ng[1] * ng[2];
    p->alpha = 1.0 / AM_PM_K_REF;
    p->idx = malloc(8 * n * sizeof(int));
    p->w = malloc(8 * n * sizeof(double));
    p->grid = malloc(2 * p->cells * sizeof(double));
    p->kern = malloc(p->cells * sizeof(double));
    p->occ = calloc(p->cells, sizeof(double));
    int ok = p->idx && p->w && p->grid && p->kern && p->occ;
    for (int a = 0; a < 3 && ok; a++) {
        p->wt[a] = gsl_fft_complex_wavetable_alloc(ng[a]);
        p->ws[a] = gsl_fft_complex_workspace_alloc(ng[a]);
        ok = p->wt[a] && p->ws[a];
    }
    if (!ok) {
        am_pm_precon_free(p);
        return am_fail(AM_ERR_NOMEM, "preconditioner: out of memory for a %d x %d x %d grid", ng[0], ng[1], ng[2]);
    }
    fill_kernel(p, b);
    spread_weights(p, b, x);
    *out = p;
    return AM_OK;
}

/* grid <- its 3D transform (sign -1 forward, +1 backward) */
static void fft3(am_pm_precon *p, int sign)
{
    const size_t n0 = (size_t)p->ng[0], n1 = (size_t)p->ng[1], n2 = (size_t)p->ng[2];
    double *g = p->grid;
    /* GSL's only failure is a bad length or stride, fixed at allocation */
    for (size_t i = 0; i < n0 * n1; i++) {
        if (sign < 0) gsl_fft_complex_forward(g + 2 * i * n2, 1, n2, p->wt[2], p->ws[2]);
        else gsl_fft_complex_backward(g + 2 * i * n2, 1, n2, p->wt[2], p->ws[2]);
    }
    for (size_t i = 0; i < n0; i++)
        for (size_t c = 0; c < n2; c++) {
            double *q = g + 2 * (i * n1 * n2 + c);
            if (sign < 0) gsl_fft_complex_forward(q, n2, n1, p->wt[1], p->ws[1]);
            else gsl_fft_complex_backward(q, n2, n1, p->wt[1], p->ws[1]);
        }
    for (size_t j = 0; j < n1 * n2; j++) {
        if (sign < 0) gsl_fft_complex_forward(g + 2 * j, n1 * n2, n0, p->wt[0], p->ws[0]);
        else gsl_fft_complex_backward(g + 2 * j, n1 * n2, n0, p->wt[0], p->ws[0]);
    }
}

/* out[re] += mesh part of in[re], out[im] += of in[im]: components re and im
 * (NULL im: none) of flat 3-vectors, one complex field for both */
static void mesh_pair(am_pm_precon *p, const double *in_re, double *out_re, int c_re, const double *in_im,
                      double *out_im, int c_im)
{
    memset(p->grid, 0, 2 * p->cells * sizeof(double));
    for (size_t i = 0; i < p->n; i++) {
        const int *idx = p->idx + 8 * i;
        const double *w = p->w + 8 * i;
        const double a = in_re[3 * i + c_re], b = in_im ? in_im[3 * i + c_im] : 0.0;
        for (int m = 0; m < 8; m++) {
            p->grid[2 * (size_t)idx[m]] += w[m] * a;
            p->grid[2 * (size_t)idx[m] + 1] += w[m] * b;
        }
    }
    for (size_t k = 0; k < p->cells; k++) {
        p->grid[2 * k] *= p->occ[k];
        p->grid[2 * k + 1] *= p->occ[k];
    }
    fft3(p, -1);
    for (size_t k = 0; k < p->cells; k++) {
        p->grid[2 * k] *= p->kern[k];
        p->grid[2 * k + 1] *= p->kern[k];
    }
    fft3(p, +1);
    for (size_t k = 0; k < p->cells; k++) {
        p->grid[2 * k] *= p->occ[k];
        p->grid[2 * k + 1] *= p->occ[k];
    }
    for (size_t i = 0; i < p->n; i++) {
        const int *idx = p->idx + 8 * i;
        const double *w = p->w + 8 * i;
        double a = 0, b = 0;
        for (int m = 0; m < 8; m++) {
            a += w[m] * p->grid[2 * (size_t)idx[m]];
            b += w[m] * p->grid[2 * (size_t)idx[m] + 1];
        }
        out_re[3 * i + c_re] += a;
        if (in_im) out_im[3 * i + c_im] += b;
    }
}

void am_pm_precon_apply(am_pm_precon *p, const double *a, double *pa, const double *b, double *pb)
{
    const size_t n3 = 3 * p->n;
    for (size_t i = 0; i < n3; i++) pa[i] = p->alpha * a[i];
    if (b)
        for (size_t i = 0; i < n3; i++) pb[i] = p->alpha * b[i];
    /* six real fields (three without b) in three complex transforms (two) */
    mesh_pair(p, a, pa, 0, a, pa, 1);
    if (b) {
        mesh_pair(p, a, pa, 2, b, pb, 0);
        mesh_pair(p, b, pb, 1, b, pb, 2);
    } else {
        mesh_pair(p, a, pa, 2, NULL, NULL, 0);
    }
}
