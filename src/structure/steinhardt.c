/* Steinhardt bond-orientational order parameters (Steinhardt, Nelson,
 * Ronchetti, PRB 28 (1983) 784), optionally averaged over neighbours as
 * Lechner and Dellago (JCP 129 (2008) 114707). Spherical harmonics from GSL;
 * only m >= 0 is summed, as q_l,-m = (-1)^m conj(q_lm). */
#include "amorph/structure.h"
#include "amorph/neighbor.h"
#include "core/error.h"

#include <gsl/gsl_sf_legendre.h>
#include <math.h>
#include <stdlib.h>
#include <string.h>

#define LMAX 16
static const double PI = 3.14159265358979323846;

typedef struct nbr { double dx, dy, dz, r2; int j; } nbr;

static int by_distance(const void *a, const void *b)
{
    const nbr *x = a, *y = b;
    if (x->r2 != y->r2) return x->r2 < y->r2 ? -1 : 1;
    return x->j - y->j;
}

/* Minimum-image separation j - i (Voronoi neighbours carry no image). */
static void min_image(const am_system *s, size_t i, int j, double d[3])
{
    double r[3] = {s->x[j] - s->x[i], s->y[j] - s->y[i], s->z[j] - s->z[i]}, f[3];
    am_box b = s->box;
    b.lo[0] = b.lo[1] = b.lo[2] = 0.0;
    am_box_to_frac(&b, r, f);
    for (int k = 0; k < 3; k++) if (s->box.periodic[k]) f[k] -= round(f[k]);
    am_box_from_frac(&b, f, d);
}

am_status am_steinhardt(const am_system *s, const am_steinhardt_options *o, const int *ls, int nl, double *q)
{
    const size_t n = s->n;
    int lmax = 0;
    for (int k = 0; k < nl; k++) {
        if (ls[k] < 0 || ls[k] > LMAX) return am_fail(AM_ERR_VALUE, "Steinhardt: degree %d outside 0..%d", ls[k], LMAX);
        if (ls[k] > lmax) lmax = ls[k];
    }
    if (o->mode == AM_NB_VORONOI && (!o->voronoi || o->voronoi->n != n))
        return am_fail(AM_ERR_VALUE, "Steinhardt: Voronoi neighbours need the system's tessellation");
    if (o->mode != AM_NB_VORONOI && !(o->cutoff > 0))
        return am_fail(AM_ERR_VALUE, "Steinhardt: a positive cutoff is needed");
    if (o->mode == AM_NB_NEAREST && o->nearest < 1) return am_fail(AM_ERR_VALUE, "Steinhardt: N nearest must be >= 1");
    am_nlist *nl_ = NULL;
    am_status st = AM_OK;
    if (o->mode != AM_NB_VORONOI) {
        if ((st = am_nlist_create(o->cutoff, 0.0, &nl_))) return st;
        if ((st = am_nlist_update(nl_, s, NULL))) { am_nlist_free(nl_); return st; }
    }
    /* q_lm for m >= 0 per atom: (lmax+1)^2 complex values, re and im */
    const size_t nlm = (size_t)(lmax + 1) * (lmax + 1);
    double *qre = calloc(n * nlm + 1, sizeof(double)), *qim = calloc(n * nlm + 1, sizeof(double));
    int *nb_count = calloc(n + 1, sizeof(int));
    if (!qre || !qim || !nb_count) { st = am_fail(AM_ERR_NOMEM, "Steinhardt: out of memory"); goto done; }
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
            if (o->mode == AM_NB_VORONOI) {
                const am_voronoi *v = o->voronoi;
                for (size_t f = v->first[i]; f < v->first[i + 1]; f++) {
                    if (m == cap) { nbr *nlist = realloc(list, 2 * cap * sizeof *list); if (!nlist) { fail = 1; break; } list = nlist; cap *= 2; }
                    double d[3];
                    min_image(s, i, v->neighbor[f], d);
                    list[m++] = (nbr){d[0], d[1], d[2], d[0] * d[0] + d[1] * d[1] + d[2] * d[2], v->neighbor[f]};
                }
            } else {
                /* list entries are in the list's own order: find atom i's entry */
                const size_t *first = am_nlist_first(nl_);
                const int *nbrs = am_nlist_neighbors(nl_), *src = am_nlist_atom_index(nl_);
                const double *xw = am_nlist_positions(nl_);
                (void)src;
                const size_t e = k; /* entry k of the list; its atom is src[k] */
                i = (size_t)src[e];
                const double c2 = o->cutoff * o->cutoff;
                for (size_t q2 = first[e]; q2 < first[e + 1]; q2++) {
                    const int j = nbrs[q2];
                    double d[3] = {xw[4 * j] - xw[4 * e], xw[4 * j + 1] - xw[4 * e + 1], xw[4 * j + 2] - xw[4 * e + 2]};
                    double r2 = d[0] * d[0] + d[1] * d[1] + d[2] * d[2];
                    if (r2 >= c2) continue;
                    if (m == cap) { nbr *nlist = realloc(list, 2 * cap * sizeof *list); if (!nlist) { fail = 1; break; } list = nlist; cap *= 2; }
                    list[m++] = (nbr){d[0], d[1], d[2], r2, src[j]};
                }
                if (o->mode == AM_NB_NEAREST) {
                    qsort(list, m, sizeof *list, by_distance);
                    if (m < (size_t)o->nearest) { fail = 2; continue; }
                    m = (size_t)o->nearest;
                }
            }
            nb_count[i] = (int)m;
            double *re = qre + i * nlm, *im = qim + i * nlm;
            for (size_t a = 0; a < m; a++) {
                const double r = sqrt(list[a].r2);
                const double ct = list[a].dz / r, phi = atan2(list[a].dy, list[a].dx);
                gsl_sf_legendre_array_e(GSL_SF_LEGENDRE_SPHARM, (size_t)lmax, ct, -1.0, plm);
                for (int l = 0; l <= lmax; l++)
                    for (int mm = 0; mm <= l; mm++) {
                        const double p = plm[gsl_sf_legendre_array_index((size_t)l, (size_t)mm)];
                        re[l * (lmax + 1) + mm] += p * cos(mm * phi);
                        im[l * (lmax + 1) + mm] += p * sin(mm * phi);
                    }
            }
            if (m > 0)
                for (size_t c = 0; c < nlm; c++) { re[c] /= (double)m; im[c] /= (double)m; }
        }
        free(list);
    }
    if (fail) {
        st = fail == 2 ? am_fail(AM_ERR_VALUE, "Steinhardt: fewer than %d neighbours within %g A for some atom",
                                 o->nearest, o->cutoff)
                       : am_fail(AM_ERR_NOMEM, "Steinhardt: out of memory");
        goto done;
    }
    if (o->averaged && o->mode != AM_NB_VORONOI) {
        st = am_fail(AM_ERR_UNSUPPORTED, "Steinhardt: the averaged variant needs Voronoi neighbours for now");
        goto done;
    }
    for (size_t i = 0; i < n; i++)
        for (int k = 0; k < nl; k++) {
            const int l = ls[k];
            double sum = 0.0;
            for (int mm = 0; mm <= l; mm++) {
                double re = qre[i * nlm + (size_t)(l * (lmax + 1) + mm)], im = qim[i * nlm + (size_t)(l * (lmax + 1) + mm)];
                if (o->averaged) {
                    /* Lechner–Dellago: mean of q_lm over i and its neighbours */
                    const am_voronoi *v = o->voronoi;
                    for (size_t f = v->first[i]; f < v->first[i + 1]; f++) {
                        re += qre[(size_t)v->neighbor[f] * nlm + (size_t)(l * (lmax + 1) + mm)];
                        im += qim[(size_t)v->neighbor[f] * nlm + (size_t)(l * (lmax + 1) + mm)];
                    }
                    re /= (double)(v->first[i + 1] - v->first[i] + 1);
                    im /= (double)(v->first[i + 1] - v->first[i] + 1);
                }
                sum += (mm ? 2.0 : 1.0) * (re * re + im * im);
            }
            q[i * (size_t)nl + (size_t)k] = sqrt(4.0 * PI / (2.0 * l + 1.0) * sum);
        }
done:
    free(qre); free(qim); free(nb_count);
    am_nlist_free(nl_);
    return st;
}
