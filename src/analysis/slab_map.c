/* Gaussian-smoothed map of a per-atom quantity on a slab through the cell
 * (the paper's viscosity contour maps). */
#include "analysis/analysis_internal.h"
#include "core/error.h"

#include <math.h>
#include <stdlib.h>

/* Weights below exp(−12.5) = 4e-6 of the peak are left out. */
static const double CUT_SIGMAS = 5.0;

typedef struct slab_atom { double u, v, a; } slab_atom;

static void cross(const double a[3], const double b[3], double c[3])
{
    c[0] = a[1] * b[2] - a[2] * b[1];
    c[1] = a[2] * b[0] - a[0] * b[2];
    c[2] = a[0] * b[1] - a[1] * b[0];
}

static double norm(const double a[3]) { return sqrt(a[0] * a[0] + a[1] * a[1] + a[2] * a[2]); }

am_status am_slab_map(const am_system *s, const double *a, const unsigned char *select, int axis, double center,
                      double thickness, double sigma, int nu, int nv, double *grid)
{
    if (!a || !grid) return am_fail(AM_ERR_VALUE, "slab map: no values");
    if (axis < 0 || axis > 2) return am_fail(AM_ERR_VALUE, "slab map: axis %d is not 0, 1 or 2", axis);
    if (!isfinite(center)) return am_fail(AM_ERR_VALUE, "slab map: centre %g is not finite", center);
    if (!(thickness > 0.0) || !isfinite(thickness))
        return am_fail(AM_ERR_VALUE, "slab map: thickness %g A must be positive", thickness);
    if (!(sigma > 0.0) || !isfinite(sigma)) return am_fail(AM_ERR_VALUE, "slab map: sigma %g A must be positive", sigma);
    if (nu < 1 || nv < 1) return am_fail(AM_ERR_VALUE, "slab map: grid %d x %d", nu, nv);
    const am_box *b = &s->box;
    const int iu = axis == 0 ? 1 : 0, iv = axis == 2 ? 1 : 2;
    double w[3];
    am_box_widths(b, w);
    const double cell[3][3] = {{b->len[0], 0, 0}, {b->tilt[0], b->len[1], 0}, {b->tilt[1], b->tilt[2], b->len[2]}};
    const double *U = cell[iu], *V = cell[iv];

    slab_atom *at = malloc((s->n ? s->n : 1) * sizeof *at);
    if (!at) return am_fail(AM_ERR_NOMEM, "slab map: out of memory for %zu atoms", s->n);
    size_t m = 0;
    for (size_t i = 0; i < s->n; i++) {
        if (select && !select[i]) continue;
        const double r[3] = {s->x[i], s->y[i], s->z[i]};
        double f[3];
        am_box_to_frac(b, r, f);
        double df = f[axis] - center;
        if (b->periodic[axis]) df -= round(df);
        if (!(fabs(df) * w[axis] <= 0.5 * thickness)) continue;
        if (!isfinite(a[i])) {
            free(at);
            return am_fail(AM_ERR_VALUE, "slab map: value %g of atom %lld is not finite", a[i], s->id[i]);
        }
        at[m++] = (slab_atom){f[iu], f[iv], a[i]};
    }
    if (m == 0) {
        free(at);
        return am_fail(AM_ERR_VALUE, "slab map: no selected atom within %g A of fraction %g along axis %d", 0.5 * thickness,
                       center, axis);
    }
    /* An in-plane displacement α U + β V shorter than the cut has |α| below
     * cut / h_u, h_u = |U × V| / |V| the spacing of the lines parallel to V:
     * that bounds the images to visit. */
    const double cut = CUT_SIGMAS * sigma, cut2 = cut * cut, inv2s2 = 1.0 / (2.0 * sigma * sigma);
    double uxv[3];
    cross(U, V, uxv);
    const double area = norm(uxv);
    const int pu = b->periodic[iu], pv = b->periodic[iv];
    const int mu = pu ? (int)ceil(cut * norm(V) / area + 0.5) : 0, mv = pv ? (int)ceil(cut * norm(U) / area + 0.5) : 0;
    const long ng = (long)nu * nv;
#pragma omp parallel for schedule(dynamic, 16)
    for (long g = 0; g < ng; g++) {
        const double gu = ((double)(g / nv) + 0.5) / nu, gv = ((double)(g % nv) + 0.5) / nv;
        double sw = 0.0, swa = 0.0;
        for (size_t k = 0; k < m; k++) {
            double du = at[k].u - gu, dv = at[k].v - gv;
            if (pu) du -= round(du);
            if (pv) dv -= round(dv);
            for (int ku = -mu; ku <= mu; ku++)
                for (int kv = -mv; kv <= mv; kv++) {
                    const double al = du + ku, be = dv + kv;
                    const double d[3] = {al * U[0] + be * V[0], al * U[1] + be * V[1], al * U[2] + be * V[2]};
                    const double d2 = d[0] * d[0] + d[1] * d[1] + d[2] * d[2];
                    if (!(d2 < cut2)) continue;
                    const double wt = exp(-d2 * inv2s2);
                    sw += wt;
                    swa += wt * at[k].a;
                }
        }
        grid[g] = sw > 0.0 ? swa / sw : NAN;
    }
    free(at);
    return AM_OK;
}
