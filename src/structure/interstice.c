/* Interstice distribution around each atom (Wang & Jain, Nat. Commun. 10
 * (2019) 5537; the definitions of their implementation, matminer's
 * IntersticeDistribution), over the tetrahedra of the tessellation's dual
 * (am_voronoi.tri) rather than over the convex hull of the neighbours: the
 * dual's tetrahedra tile space, the hull's facets need not (a neighbour with
 * a small face can sit inside the hull of the others). */
#include "amorph/structure.h"
#include "core/error.h"

#include <math.h>
#include <stdlib.h>
#include <string.h>

static void sub(const double a[3], const double b[3], double out[3])
{
    out[0] = a[0] - b[0];
    out[1] = a[1] - b[1];
    out[2] = a[2] - b[2];
}

static double dot(const double a[3], const double b[3]) { return a[0] * b[0] + a[1] * b[1] + a[2] * b[2]; }

static void cross(const double a[3], const double b[3], double out[3])
{
    out[0] = a[1] * b[2] - a[2] * b[1];
    out[1] = a[2] * b[0] - a[0] * b[2];
    out[2] = a[0] * b[1] - a[1] * b[0];
}

static double norm(const double a[3]) { return sqrt(dot(a, a)); }

/* Solid angle (sr) at the apex of the cone spanned by a, b, c (Van Oosterom
 * & Strackee, IEEE Trans. Biomed. Eng. 30 (1983) 125); atan2 keeps the
 * branch right for obtuse cones. */
static double solid_angle(const double a[3], const double b[3], const double c[3])
{
    double bc[3];
    cross(b, c, bc);
    const double la = norm(a), lb = norm(b), lc = norm(c);
    const double den = la * lb * lc + dot(a, b) * lc + dot(a, c) * lb + dot(b, c) * la;
    return 2.0 * atan2(fabs(dot(a, bc)), den);
}

/* Angle (rad) between a and b, accurate near 0 and π. */
static double angle(const double a[3], const double b[3])
{
    double c[3];
    cross(a, b, c);
    return atan2(norm(c), dot(a, b));
}

/* Fraction of triangle p[0..2] not covered by the circular sectors of radius
 * r[m] at its corners, at least 0. */
static double area_interstice(const double p[3][3], const double r[3])
{
    double e[3][3], packed = 0.0, n[3];
    for (int m = 0; m < 3; m++) sub(p[(m + 1) % 3], p[m], e[m]);
    for (int m = 0; m < 3; m++) {
        const double back[3] = {-e[(m + 2) % 3][0], -e[(m + 2) % 3][1], -e[(m + 2) % 3][2]};
        packed += 0.5 * angle(e[m], back) * r[m] * r[m];
    }
    cross(e[0], e[1], n);
    const double a = 0.5 * norm(n);
    return a > 0 ? fmax(0.0, 1.0 - packed / a) : 0.0;
}

/* Fraction of tetrahedron p[0..3] not covered by the spherical sectors of
 * radius r[m] at its corners, at least 0. */
static double volume_interstice(const double p[4][3], const double r[4])
{
    double packed = 0.0, e[3][3], n[3];
    for (int m = 0; m < 4; m++) {
        double v[3][3];
        for (int k = 0, q = 0; k < 4; k++)
            if (k != m) sub(p[k], p[m], v[q++]);
        packed += solid_angle(v[0], v[1], v[2]) * r[m] * r[m] * r[m] / 3.0;
    }
    for (int k = 0; k < 3; k++) sub(p[k + 1], p[0], e[k]);
    cross(e[1], e[2], n);
    const double vol = fabs(dot(e[0], n)) / 6.0;
    return vol > 0 ? fmax(0.0, 1.0 - packed / vol) : 0.0;
}

/* mean, population standard deviation, min, max of x[0..m-1] into out[0..3];
 * NaN when m is 0 */
static void stats(const double *x, size_t m, double out[4])
{
    if (m == 0) {
        for (int k = 0; k < 4; k++) out[k] = NAN;
        return;
    }
    double sum = 0.0, lo = x[0], hi = x[0];
    for (size_t k = 0; k < m; k++) {
        sum += x[k];
        lo = fmin(lo, x[k]);
        hi = fmax(hi, x[k]);
    }
    const double mean = sum / (double)m;
    double ss = 0.0;
    for (size_t k = 0; k < m; k++) ss += (x[k] - mean) * (x[k] - mean);
    out[0] = mean;
    out[1] = sqrt(ss / (double)m);
    out[2] = lo;
    out[3] = hi;
}

static int by_int(const void *a, const void *b)
{
    const int x = *(const int *)a, y = *(const int *)b;
    return (x > y) - (x < y);
}

am_status am_interstices(const am_system *s, const am_voronoi *v, const double *radii, double *out)
{
    const size_t n = s->n;
    if (!v || v->n != n || !v->tri_first)
        return am_fail(AM_ERR_VALUE, "interstices: expected the system's tessellation");
    for (int t = 0; t < s->nspecies; t++)
        if (!(radii[t] > 0.0 && radii[t] < 1e3))
            return am_fail(AM_ERR_VALUE, "interstices: radius %g A of species %s: expected a radius in (0, 1000) A",
                           radii[t], s->species[t].name);
    size_t most = 1;
    for (size_t i = 0; i < n; i++)
        if (v->tri_first[i + 1] - v->tri_first[i] > most) most = v->tri_first[i + 1] - v->tri_first[i];
    int fail = 0;
#pragma omp parallel reduction(| : fail)
    {
        /* per tetrahedron: its volume and area interstices; per neighbour
         * (at most 3 per tetrahedron before duplicates go): the distance one */
        double *vol = malloc(most * sizeof(double)), *area = malloc(most * sizeof(double)),
               *dist = malloc(3 * most * sizeof(double));
        int *nb = malloc(3 * most * sizeof(int));
        if (!vol || !area || !dist || !nb) fail = 1;
#pragma omp for schedule(dynamic, 64)
        for (size_t i = 0; i < n; i++) {
            if (fail) continue;
            const size_t t0 = v->tri_first[i], nt = v->tri_first[i + 1] - t0;
            const double xi[3] = {s->x[i], s->y[i], s->z[i]};
            /* neighbours as minimum images from i, as for the Voronoi
             * neighbours everywhere in amorph */
            double p[4][3] = {{0, 0, 0}}, r[4];
            r[0] = radii[s->type[i]];
            for (size_t t = 0; t < nt; t++) {
                for (int c = 0; c < 3; c++) {
                    const int j = v->tri[3 * (t0 + t) + (size_t)c];
                    double d[3] = {s->x[j] - xi[0], s->y[j] - xi[1], s->z[j] - xi[2]};
                    am_box_min_image(&s->box, d);
                    memcpy(p[c + 1], d, sizeof d);
                    r[c + 1] = radii[s->type[j]];
                }
                vol[t] = volume_interstice((const double(*)[3])p, r);
                area[t] = area_interstice((const double(*)[3])(p + 1), r + 1);
            }
            /* the distinct neighbours: every Voronoi neighbour of the full
             * cell is a corner of some tetrahedron */
            memcpy(nb, v->tri + 3 * t0, 3 * nt * sizeof(int));
            qsort(nb, 3 * nt, sizeof(int), by_int);
            size_t m = 0;
            for (size_t k = 0; k < 3 * nt; k++) {
                if (k && nb[k] == nb[k - 1]) continue;
                const int j = nb[k];
                double d[3] = {s->x[j] - xi[0], s->y[j] - xi[1], s->z[j] - xi[2]};
                am_box_min_image(&s->box, d);
                dist[m++] = norm(d) / (r[0] + radii[s->type[j]]) - 1.0;
            }
            double *o = out + i * AM_INTERSTICE_NCOLS;
            stats(dist, m, o);
            stats(area, nt, o + 4);
            stats(vol, nt, o + 8);
        }
        free(vol); free(area); free(dist); free(nb);
    }
    if (fail) return am_fail(AM_ERR_NOMEM, "interstices: out of memory");
    return AM_OK;
}
