/* Common grid and cubic pieces, reproducing LAMMPS pair_eam file2array() and
 * interpolate() operation for operation: agreement with LAMMPS to round-off
 * requires the same pieces, not merely an equally good interpolant. */
#include "potential/eam.h"
#include "core/error.h"

#include <stdlib.h>
#include <string.h>

#define MAXI(a, b) ((a) > (b) ? (a) : (b))
#define MINI(a, b) ((a) < (b) ? (a) : (b))

void eam_tables_free(eam_tables *t)
{
    free(t->frho_spline); free(t->rhor_spline); free(t->z2r_spline);
    t->frho_spline = t->rhor_spline = t->z2r_spline = NULL;
}

/* Cubic Hermite pieces with 4th-order finite-difference slopes (LAMMPS
 * PairEAM::interpolate). f has n values; spline gets n rows of 7. */
static void interpolate(int n, double delta, const double *f, double *spline)
{
#define S(m, c) spline[7 * (size_t)((m) - 1) + (c)]
    for (int m = 1; m <= n; m++) S(m, 6) = f[m - 1];
    S(1, 5) = S(2, 6) - S(1, 6);
    S(2, 5) = 0.5 * (S(3, 6) - S(1, 6));
    S(n - 1, 5) = 0.5 * (S(n, 6) - S(n - 2, 6));
    S(n, 5) = S(n, 6) - S(n - 1, 6);
    for (int m = 3; m <= n - 2; m++)
        S(m, 5) = ((S(m - 2, 6) - S(m + 2, 6)) + 8.0 * (S(m + 1, 6) - S(m - 1, 6))) / 12.0;
    for (int m = 1; m <= n - 1; m++) {
        S(m, 4) = 3.0 * (S(m + 1, 6) - S(m, 6)) - 2.0 * S(m, 5) - S(m + 1, 5);
        S(m, 3) = S(m, 5) + S(m + 1, 5) - 2.0 * (S(m + 1, 6) - S(m, 6));
    }
    S(n, 4) = 0.0;
    S(n, 3) = 0.0;
    for (int m = 1; m <= n; m++) {
        S(m, 2) = S(m, 5) / delta;
        S(m, 1) = 2.0 * S(m, 4) / delta;
        S(m, 0) = 3.0 * S(m, 3) / delta;
    }
#undef S
}

static am_status alloc_splines(eam_tables *t)
{
    t->frho_spline = calloc((size_t)t->nfrho * t->nrho * 7, sizeof(double));
    t->rhor_spline = calloc((size_t)t->nrhor * t->nr * 7, sizeof(double));
    t->z2r_spline = calloc((size_t)t->nz2r * t->nr * 7, sizeof(double));
    if (!t->frho_spline || !t->rhor_spline || !t->z2r_spline) {
        eam_tables_free(t);
        return am_fail(AM_ERR_NOMEM, "out of memory for EAM tables");
    }
    return AM_OK;
}

static void set_grid(eam_tables *t)
{
    t->rdr = 1.0 / t->dr;
    t->rdrho = 1.0 / t->drho;
}

/* Lower-triangular index of the (i, j) pair function, as LAMMPS type2z2r. */
static int tri_index(int i, int j)
{
    int row = MAXI(i, j), col = MINI(i, j);
    return row * (row + 1) / 2 + col;
}

am_status eam_tables_from_setfl(eam_tables *t, const eam_setfl *f, int fs)
{
    memset(t, 0, sizeof *t);
    const int nel = f->nel;
    t->nrho = f->nrho; t->drho = f->drho; t->nr = f->nr; t->dr = f->dr; t->cut = f->cut;
    t->rhomax = (t->nrho - 1) * t->drho;
    set_grid(t);
    t->nfrho = nel + 1;
    t->nrhor = fs ? nel * nel : nel;
    t->nz2r = nel * (nel + 1) / 2;
    am_status st = alloc_splines(t);
    if (st) return st;
    double *zero = calloc((size_t)t->nrho, sizeof(double));
    if (!zero) { eam_tables_free(t); return am_fail(AM_ERR_NOMEM, "out of memory for EAM tables"); }
    for (int i = 0; i < nel; i++) interpolate(t->nrho, t->drho, f->frho[i], t->frho_spline + (size_t)i * t->nrho * 7);
    interpolate(t->nrho, t->drho, zero, t->frho_spline + (size_t)nel * t->nrho * 7);
    free(zero);
    for (int k = 0; k < t->nrhor; k++) interpolate(t->nr, t->dr, f->rhor[k], t->rhor_spline + (size_t)k * t->nr * 7);
    for (int k = 0; k < t->nz2r; k++) interpolate(t->nr, t->dr, f->z2r[k], t->z2r_spline + (size_t)k * t->nr * 7);
    for (int i = 0; i < nel; i++) {
        t->elem2frho[i] = i;
        for (int j = 0; j < nel; j++) {
            t->elem2rhor[i][j] = fs ? i * nel + j : i;
            t->elem2z2r[i][j] = tri_index(i, j);
        }
    }
    return AM_OK;
}

/* LAMMPS resamples every funcfl table onto the coarsest grid with a 4-point
 * Lagrange formula (including the case of one file, where it reproduces the
 * file's values but drops the last point). f is 0-based with n values. */
static double lagrange4(const double *f, int n, double fdelta, double r)
{
    const double sixth = 1.0 / 6.0;
    double p = r / fdelta + 1.0;
    /* LAMMPS converts p unclamped; a file on a much finer grid than the
     * coarsest one can put p beyond int. Clamping first changes nothing
     * else: k is clamped to n - 2 below anyway. */
    if (p > n) p = n;
    int k = (int)p;
    k = MINI(k, n - 2);
    k = MAXI(k, 2);
    p -= k;
    if (p > 2.0) p = 2.0;
    double cof1 = -sixth * p * (p - 1.0) * (p - 2.0);
    double cof2 = 0.5 * (p * p - 1.0) * (p - 2.0);
    double cof3 = -0.5 * p * (p + 1.0) * (p - 2.0);
    double cof4 = sixth * p * (p * p - 1.0);
    /* LAMMPS arrays are 1-based: file[k-1..k+2] is f[k-2..k+1] here. */
    return cof1 * f[k - 2] + cof2 * f[k - 1] + cof3 * f[k] + cof4 * f[k + 1];
}

am_status eam_tables_from_funcfl(eam_tables *t, const eam_funcfl *files, int nf)
{
    memset(t, 0, sizeof *t);
    double rmax = 0.0;
    for (int i = 0; i < nf; i++) {
        const eam_funcfl *f = &files[i];
        if (f->dr > t->dr) t->dr = f->dr;
        if (f->drho > t->drho) t->drho = f->drho;
        if ((f->nr - 1) * f->dr > rmax) rmax = (f->nr - 1) * f->dr;
        if ((f->nrho - 1) * f->drho > t->rhomax) t->rhomax = (f->nrho - 1) * f->drho;
        if (f->cut > t->cut) t->cut = f->cut;
    }
    t->nr = (int)(rmax / t->dr + 0.5);
    t->nrho = (int)(t->rhomax / t->drho + 0.5);
    if (t->nr < 5 || t->nrho < 5) return am_fail(AM_ERR_VALUE, "funcfl tables too short after resampling");
    set_grid(t);
    t->nfrho = nf + 1;
    t->nrhor = nf;
    t->nz2r = nf * (nf + 1) / 2;
    am_status st = alloc_splines(t);
    if (st) return st;
    double *buf = calloc((size_t)MAXI(t->nr, t->nrho), sizeof(double));
    if (!buf) { eam_tables_free(t); return am_fail(AM_ERR_NOMEM, "out of memory for EAM tables"); }
    for (int i = 0; i <= nf; i++) {
        for (int m = 0; m < t->nrho; m++)
            buf[m] = i < nf ? lagrange4(files[i].frho, files[i].nrho, files[i].drho, m * t->drho) : 0.0;
        interpolate(t->nrho, t->drho, buf, t->frho_spline + (size_t)i * t->nrho * 7);
    }
    for (int i = 0; i < nf; i++) {
        for (int m = 0; m < t->nr; m++) buf[m] = lagrange4(files[i].rhor, files[i].nr, files[i].dr, m * t->dr);
        interpolate(t->nr, t->dr, buf, t->rhor_spline + (size_t)i * t->nr * 7);
    }
    /* Pair term from effective charges: r*phi = 27.2 * 0.529 * Zi * Zj
     * (Hartree in eV times Bohr in Å, the constants LAMMPS uses). */
    for (int i = 0; i < nf; i++)
        for (int j = 0; j <= i; j++) {
            for (int m = 0; m < t->nr; m++) {
                double r = m * t->dr;
                double zi = lagrange4(files[i].zr, files[i].nr, files[i].dr, r);
                double zj = lagrange4(files[j].zr, files[j].nr, files[j].dr, r);
                buf[m] = 27.2 * 0.529 * zi * zj;
            }
            interpolate(t->nr, t->dr, buf, t->z2r_spline + (size_t)tri_index(i, j) * t->nr * 7);
        }
    free(buf);
    for (int i = 0; i < nf; i++) {
        t->elem2frho[i] = i;
        for (int j = 0; j < nf; j++) {
            t->elem2rhor[i][j] = i;
            t->elem2z2r[i][j] = tri_index(i, j);
        }
    }
    return AM_OK;
}
