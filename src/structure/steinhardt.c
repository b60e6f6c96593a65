/* Steinhardt bond-orientational order parameters (Steinhardt, Nelson,
 * Ronchetti, PRB 28 (1983) 784), optionally weighted by Voronoi face areas
 * (Mickel, Kapfer, Schröder-Turk, Mecke, JCP 138 (2013) 044501) and averaged
 * over neighbours as Lechner and Dellago (JCP 129 (2008) 114707). Spherical
 * harmonics from GSL; only m >= 0 is summed, as q_l,-m = (-1)^m conj(q_lm). */
#include "amorph/structure.h"
#include "amorph/neighbor.h"
#include "core/error.h"

#include <gsl/gsl_sf_coupling.h>
#include <gsl/gsl_sf_legendre.h>
#include <math.h>
#include <stdlib.h>
#include <string.h>

#define LMAX 16
static const double PI = 3.14159265358979323846;

/* w: the bond's weight before normalisation (1, or the face's area) */
typedef struct nbr { double dx, dy, dz, r2, w; int j; } nbr;

static int voronoi_mode(am_nb_mode m) { return m == AM_NB_VORONOI || m == AM_NB_VORONOI_WEIGHTED; }

static int by_distance(const void *a, const void *b)
{
    const nbr *x = a, *y = b;
    if (x->r2 != y->r2) return x->r2 < y->r2 ? -1 : 1;
    return x->j - y->j;
}

/* Minimum-image separation j - i (Voronoi neighbours carry no image). */
static void min_image(const am_system *s, size_t i, int j, double d[3])
{
    d[0] = s->x[j] - s->x[i];
    d[1] = s->y[j] - s->y[i];
    d[2] = s->z[j] - s->z[i];
    am_box_min_image(&s->box, d);
}

/* The neighbours of list entry k (atom *atom on return) by the chosen rule,
 * with separations, in list[0 .. *m-1]. Returns 0, 1 (out of memory) or 2
 * (fewer than N neighbours within the cutoff). */
static int gather(const am_system *s, const am_steinhardt_options *o, const am_nlist *nl_, size_t k, nbr **listp,
                  size_t *capp, size_t *mp, size_t *atom)
{
    nbr *list = *listp;
    size_t cap = *capp, m = 0, i = k;
    int fail = 0;
    if (voronoi_mode(o->mode)) {
        const am_voronoi *v = o->voronoi;
        const int weighted = o->mode == AM_NB_VORONOI_WEIGHTED;
        for (size_t f = v->first[i]; f < v->first[i + 1]; f++) {
            if (m == cap) { nbr *nlist = realloc(list, 2 * cap * sizeof *list); if (!nlist) { fail = 1; break; } list = nlist; cap *= 2; }
            double d[3];
            min_image(s, i, v->neighbor[f], d);
            /* the face normal is along r_ij in the plain and the radical
             * tessellation alike, so the bond stands for the face */
            list[m++] = (nbr){d[0], d[1], d[2], d[0] * d[0] + d[1] * d[1] + d[2] * d[2], weighted ? v->area[f] : 1.0,
                              v->neighbor[f]};
        }
    } else {
        /* list entries are in the list's own order: entry k is atom src[k] */
        const size_t *first = am_nlist_first(nl_);
        const int *nbrs = am_nlist_neighbors(nl_), *src = am_nlist_atom_index(nl_);
        const double *xw = am_nlist_positions(nl_);
        i = (size_t)src[k];
        const double c2 = o->cutoff * o->cutoff;
        for (size_t q2 = first[k]; q2 < first[k + 1]; q2++) {
            const int j = nbrs[q2];
            double d[3] = {xw[4 * j] - xw[4 * k], xw[4 * j + 1] - xw[4 * k + 1], xw[4 * j + 2] - xw[4 * k + 2]};
            double r2 = d[0] * d[0] + d[1] * d[1] + d[2] * d[2];
            if (r2 >= c2) continue;
            if (m == cap) { nbr *nlist = realloc(list, 2 * cap * sizeof *list); if (!nlist) { fail = 1; break; } list = nlist; cap *= 2; }
            list[m++] = (nbr){d[0], d[1], d[2], r2, 1.0, src[j]};
        }
        if (!fail && o->mode == AM_NB_NEAREST) {
            qsort(list, m, sizeof *list, by_distance);
            if (m < (size_t)o->nearest) fail = 2;
            else m = (size_t)o->nearest;
        }
    }
    *listp = list;
    *capp = cap;
    *mp = m;
    *atom = i;
    return fail;
}

/* Σ_{m1+m2+m3=0} 3j · q_lm1 q_lm2 q_lm3 (real), from q_lm for m >= 0 and
 * q_l,-m = (-1)^m conj(q_lm). */
static double w_hat(int l, const double *w3, const double *qr, const double *qi)
{
    const int d = 2 * l + 1;
    double sum = 0.0;
    for (int m1 = -l; m1 <= l; m1++)
        for (int m2 = -l; m2 <= l; m2++) {
            const int m3 = -m1 - m2;
            if (m3 < -l || m3 > l) continue;
            const int ms[3] = {m1, m2, m3};
            double re = 1.0, im = 0.0;
            for (int t = 0; t < 3; t++) {
                const int a = abs(ms[t]);
                double xr = qr[a], xi = qi[a];
                if (ms[t] < 0) { xi = -xi; if (a & 1) { xr = -xr; xi = -xi; } }
                const double nr = re * xr - im * xi;
                im = re * xi + im * xr;
                re = nr;
            }
            sum += w3[(m1 + l) * d + m2 + l] * re;
        }
    return sum;
}

am_status am_steinhardt(const am_system *s, const am_steinhardt_options *o, const int *ls, int nl, double *q)
{
    const size_t n = s->n;
    int lmax = 0;
    for (int k = 0; k < nl; k++) {
        if (ls[k] < 0 || ls[k] > LMAX) return am_fail(AM_ERR_VALUE, "Steinhardt: degree %d outside 0..%d", ls[k], LMAX);
        if (ls[k] > lmax) lmax = ls[k];
    }
    if (!(o->mode >= AM_NB_VORONOI && o->mode <= AM_NB_VORONOI_WEIGHTED))
        return am_fail(AM_ERR_VALUE, "Steinhardt: unknown neighbour mode %d", (int)o->mode);
    if (voronoi_mode(o->mode) && (!o->voronoi || o->voronoi->n != n))
        return am_fail(AM_ERR_VALUE, "Steinhardt: Voronoi neighbours need the system's tessellation");
    if (!voronoi_mode(o->mode) && !(o->cutoff > 0))
        return am_fail(AM_ERR_VALUE, "Steinhardt: a positive cutoff is needed");
    if (o->mode == AM_NB_NEAREST && o->nearest < 1) return am_fail(AM_ERR_VALUE, "Steinhardt: N nearest must be >= 1");
    am_nlist *nl_ = NULL;
    am_status st = AM_OK;
    if (!voronoi_mode(o->mode)) {
        if ((st = am_nlist_create(o->cutoff, 0.0, &nl_))) return st;
        if ((st = am_nlist_update(nl_, s, NULL))) { am_nlist_free(nl_); return st; }
    }
    /* q_lm for m >= 0 of the requested degrees per atom: degree ls[c] starts
     * at off[c]; nlm complex values (re, im) per atom */
    size_t off[LMAX + 2], nlm = 0;
    if (nl > LMAX + 1) return am_fail(AM_ERR_VALUE, "Steinhardt: at most %d degrees", LMAX + 1);
    for (int c = 0; c < nl; c++) { off[c] = nlm; nlm += (size_t)ls[c] + 1; }
    double *qre = calloc(n * nlm + 1, sizeof(double)), *qim = calloc(n * nlm + 1, sizeof(double));
    if (!qre || !qim) { st = am_fail(AM_ERR_NOMEM, "Steinhardt: out of memory"); goto done; }
    int fail = 0;
#pragma omp parallel reduction(| : fail)
    {
        double plm[(LMAX + 1) * (LMAX + 2) / 2];
        size_t cap = 256;
        nbr *list = malloc(cap * sizeof *list);
        if (!list) fail = 1;
#pragma omp for schedule(dynamic, 64)
        for (size_t k = 0; k < n; k++) {
            if (!list) continue;
            size_t m = 0, i = k;
            const int g = gather(s, o, nl_, k, &list, &cap, &m, &i);
            if (g) { fail = g; continue; }
            double *re = qre + i * nlm, *im = qim + i * nlm, wsum = 0.0;
            for (size_t a = 0; a < m; a++) {
                const double w = list[a].w;
                wsum += w;
                const double r = sqrt(list[a].r2), rxy = hypot(list[a].dx, list[a].dy);
                const double ct = list[a].dz / r;
                /* e^{imφ} as powers of e^{iφ} = (dx + i dy)/rxy: no trigonometry per (l, m) */
                double cm[LMAX + 1], sm[LMAX + 1];
                cm[0] = 1.0;
                sm[0] = 0.0;
                const double c1 = rxy > 0 ? list[a].dx / rxy : 1.0, s1 = rxy > 0 ? list[a].dy / rxy : 0.0;
                for (int mm = 1; mm <= lmax; mm++) {
                    cm[mm] = cm[mm - 1] * c1 - sm[mm - 1] * s1;
                    sm[mm] = sm[mm - 1] * c1 + cm[mm - 1] * s1;
                }
                gsl_sf_legendre_array_e(GSL_SF_LEGENDRE_SPHARM, (size_t)lmax, ct, -1.0, plm);
                for (int c = 0; c < nl; c++)
                    for (int mm = 0; mm <= ls[c]; mm++) {
                        const double p = plm[gsl_sf_legendre_array_index((size_t)ls[c], (size_t)mm)];
                        re[off[c] + (size_t)mm] += w * p * cm[mm];
                        im[off[c] + (size_t)mm] += w * p * sm[mm];
                    }
            }
            /* unit weights sum to m exactly: the unweighted modes divide by N_b */
            if (wsum > 0)
                for (size_t c = 0; c < nlm; c++) { re[c] /= wsum; im[c] /= wsum; }
        }
        free(list);
    }
    if (fail) {
        st = fail == 2 ? am_fail(AM_ERR_VALUE, "Steinhardt: fewer than %d neighbours within %g A for some atom",
                                 o->nearest, o->cutoff)
                       : am_fail(AM_ERR_NOMEM, "Steinhardt: out of memory");
        goto done;
    }
    /* Wigner 3j symbols (l l l; m1 m2 -m1-m2) for ŵ_l, per requested degree:
     * (2l+1)^2 entries at w3[c][(m1+l)(2l+1) + m2+l] */
    double *w3[LMAX + 1] = {NULL};
    for (int c = 0; o->w && c < nl; c++) {
        const int l = ls[c], d = 2 * l + 1;
        if (!(w3[c] = malloc((size_t)(d * d) * sizeof(double)))) { st = am_fail(AM_ERR_NOMEM, "Steinhardt: out of memory"); goto done; }
        for (int m1 = -l; m1 <= l; m1++)
            for (int m2 = -l; m2 <= l; m2++) {
                const int m3 = -m1 - m2;
                w3[c][(m1 + l) * d + m2 + l] = abs(m3) <= l ? gsl_sf_coupling_3j(2 * l, 2 * l, 2 * l, 2 * m1, 2 * m2, 2 * m3) : 0.0;
            }
    }
    /* q_l from q_lm; the Lechner–Dellago variant first averages q_lm over
     * the atom and its neighbours (gathered again by the same rule) */
#pragma omp parallel reduction(| : fail)
    {
        size_t cap = 256;
        nbr *list = malloc(cap * sizeof *list);
        if (!list) fail = 1;
        const int *src = nl_ ? am_nlist_atom_index(nl_) : NULL;
#pragma omp for schedule(dynamic, 64)
        for (size_t k = 0; k < n; k++) {
            if (!list) continue;
            size_t m = 0, i = src ? (size_t)src[k] : k;
            if (o->averaged && gather(s, o, nl_, k, &list, &cap, &m, &i)) { fail = 1; continue; }
            for (int c = 0; c < nl; c++) {
                const int l = ls[c];
                double sum = 0.0, qr[LMAX + 1], qi[LMAX + 1];
                for (int mm = 0; mm <= l; mm++) {
                    const size_t at = off[c] + (size_t)mm;
                    double re = qre[i * nlm + at], im = qim[i * nlm + at];
                    if (o->averaged) {
                        for (size_t a = 0; a < m; a++) {
                            re += qre[(size_t)list[a].j * nlm + at];
                            im += qim[(size_t)list[a].j * nlm + at];
                        }
                        re /= (double)(m + 1);
                        im /= (double)(m + 1);
                    }
                    sum += (mm ? 2.0 : 1.0) * (re * re + im * im);
                    qr[mm] = re;
                    qi[mm] = im;
                }
                q[i * (size_t)nl + (size_t)c] = sqrt(4.0 * PI / (2.0 * l + 1.0) * sum);
                if (o->w) o->w[i * (size_t)nl + (size_t)c] = sum > 0 ? w_hat(l, w3[c], qr, qi) / pow(sum, 1.5) : 0.0;
            }
        }
        free(list);
    }
    if (fail) st = am_fail(AM_ERR_NOMEM, "Steinhardt: out of memory");
    for (int c = 0; c < nl; c++) free(w3[c]);
done:
    free(qre); free(qim);
    am_nlist_free(nl_);
    return st;
}
