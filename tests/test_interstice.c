/* The dual tetrahedra of the tessellation and the interstice distribution.
 *
 * Tetrahedra, checked by their defining properties rather than by a second
 * triangulation: on the CuZr glass (plain and radical cells, orthogonal and
 * sheared box) no atom lies inside any tetrahedron's circumsphere (Delaunay)
 * or has a power distance below its orthosphere's (regular triangulation),
 * every tetrahedron appears once around each of its 4 corners, the
 * tetrahedra around each atom close a sphere (T = 2(N − 2) for N
 * neighbours) and all of them fill 4 box volumes.
 *
 * Interstices: fcc of touching spheres by hand (regular tetrahedral holes
 * and octahedral holes), and on the glass every statistic of every atom
 * against a computation in the test with other formulas (solid angles by
 * Girard's theorem from the dihedral angles, triangle angles by the law of
 * cosines). */
#include "util/build.h"
#include "util/check.h"

#include <math.h>
#include <omp.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static const double PI = 3.14159265358979323846;

static void minimg(const am_system *s, size_t i, int j, double d[3])
{
    d[0] = s->x[j] - s->x[i];
    d[1] = s->y[j] - s->y[i];
    d[2] = s->z[j] - s->z[i];
    am_box_min_image(&s->box, d);
}

static double det3(const double a[3], const double b[3], const double c[3])
{
    return a[0] * (b[1] * c[2] - b[2] * c[1]) - a[1] * (b[0] * c[2] - b[2] * c[0]) + a[2] * (b[0] * c[1] - b[1] * c[0]);
}

static int cmp_quad(const void *a, const void *b) { return memcmp(a, b, 4 * sizeof(int)); }

static int cmp_int(const void *a, const void *b)
{
    const int x = *(const int *)a, y = *(const int *)b;
    return (x > y) - (x < y);
}

/* The tetrahedra of v: empty (power-)spheres, 4 copies each, closed stars,
 * volumes 4 × the box. radii NULL: plain (Delaunay). */
static void triangulation(const am_system *s, const am_voronoi *v, const double *radii, const char *label)
{
    const size_t n = s->n, nt = v->tri_first[n];
    int (*quad)[4] = malloc((nt + 1) * sizeof *quad);
    double vsum = 0, worst = INFINITY;
    size_t stars = 0;
    for (size_t i = 0; i < n; i++) {
        int nb[512];
        size_t m = 0;
        for (size_t t = v->tri_first[i]; t < v->tri_first[i + 1]; t++) {
            double p[3][3];
            int q[4] = {(int)i, v->tri[3 * t], v->tri[3 * t + 1], v->tri[3 * t + 2]};
            for (int c = 0; c < 3; c++) {
                minimg(s, i, q[c + 1], p[c]);
                if (m < 512) nb[m++] = q[c + 1];
            }
            qsort(q, 4, sizeof(int), cmp_int);
            memcpy(quad[t], q, sizeof q);
            vsum += fabs(det3(p[0], p[1], p[2])) / 6;
            /* centre c of the sphere through the corners in power distance:
             * 2 p_a·c = |p_a|² − R_a² + R_i² (corner i at the origin) */
            const double ri = radii ? radii[s->type[i]] : 0;
            double rhs[3];
            for (int c = 0; c < 3; c++) {
                const double rc = radii ? radii[s->type[v->tri[3 * t + (size_t)c]]] : 0;
                rhs[c] = 0.5 * (p[c][0] * p[c][0] + p[c][1] * p[c][1] + p[c][2] * p[c][2] - rc * rc + ri * ri);
            }
            const double d = det3(p[0], p[1], p[2]);
            double cx[3];
            for (int k = 0; k < 3; k++) {
                double a[3][3];
                memcpy(a, p, sizeof a);
                for (int r = 0; r < 3; r++) a[r][k] = rhs[r];
                cx[k] = det3(a[0], a[1], a[2]) / d;
            }
            const double pw = cx[0] * cx[0] + cx[1] * cx[1] + cx[2] * cx[2] - ri * ri;
            /* every atom's power distance from c is at least the corners' */
            for (size_t j = 0; j < n; j++) {
                double e[3];
                minimg(s, i, (int)j, e);
                for (int k = 0; k < 3; k++) e[k] -= cx[k];
                const double rj = radii ? radii[s->type[j]] : 0;
                worst = fmin(worst, (e[0] * e[0] + e[1] * e[1] + e[2] * e[2] - rj * rj - pw) / fabs(pw));
            }
        }
        qsort(nb, m, sizeof(int), cmp_int);
        size_t distinct = 0;
        for (size_t k = 0; k < m; k++) distinct += !k || nb[k] != nb[k - 1];
        stars += v->tri_first[i + 1] - v->tri_first[i] == 2 * (distinct - 2);
    }
    qsort(quad, nt, sizeof *quad, cmp_quad);
    size_t fours = 0, runs = 0;
    for (size_t t = 0; t < nt;) {
        size_t u = t;
        while (u < nt && memcmp(quad[u], quad[t], sizeof quad[t]) == 0) u++;
        fours += u - t == 4;
        runs++;
        t = u;
    }
    check_true(worst > -1e-9, "%s: no atom inside any tetrahedron's %s (least relative margin %.3g)", label,
               radii ? "orthosphere (power distance)" : "circumsphere", worst);
    check_true(fours == runs && runs * 4 == nt, "%s: each of %zu tetrahedra appears around each of its 4 corners", label,
               runs);
    check_true(stars == n, "%s: the tetrahedra around every atom close a sphere, T = 2(N - 2) (%zu of %zu)", label,
               stars, n);
    check_rel(vsum, 4 * am_box_volume(&s->box), 1e-12, "%s: the tetrahedra fill 4 box volumes", label);
    free(quad);
}

/* solid angle at p0 of the tetrahedron p0..p3, by Girard's theorem: the
 * dihedral angles along the three edges from p0, less π */
static double girard(const double p[4][3], int apex)
{
    double u[3][3];
    for (int k = 0, q = 0; k < 4; k++)
        if (k != apex) {
            for (int c = 0; c < 3; c++) u[q][c] = p[k][c] - p[apex][c];
            q++;
        }
    double sum = 0;
    for (int k = 0; k < 3; k++) {
        const double *a = u[k], *b = u[(k + 1) % 3], *c = u[(k + 2) % 3];
        const double n1[3] = {a[1] * b[2] - a[2] * b[1], a[2] * b[0] - a[0] * b[2], a[0] * b[1] - a[1] * b[0]};
        const double n2[3] = {a[1] * c[2] - a[2] * c[1], a[2] * c[0] - a[0] * c[2], a[0] * c[1] - a[1] * c[0]};
        const double cosd = (n1[0] * n2[0] + n1[1] * n2[1] + n1[2] * n2[2]) /
                            sqrt((n1[0] * n1[0] + n1[1] * n1[1] + n1[2] * n1[2]) * (n2[0] * n2[0] + n2[1] * n2[1] + n2[2] * n2[2]));
        sum += acos(fmax(-1.0, fmin(1.0, cosd)));
    }
    return sum - PI;
}

static double len(const double a[3], const double b[3])
{
    return sqrt((a[0] - b[0]) * (a[0] - b[0]) + (a[1] - b[1]) * (a[1] - b[1]) + (a[2] - b[2]) * (a[2] - b[2]));
}

/* The 12 statistics of atom i from the tetrahedra, written out again. */
static void reference(const am_system *s, const am_voronoi *v, const double *radii, size_t i, double out[12])
{
    double dist[512], area[512], vol[512];
    int seen[512];
    size_t nd = 0, nt = 0;
    for (size_t t = v->tri_first[i]; t < v->tri_first[i + 1] && nt < 512; t++, nt++) {
        double p[4][3] = {{0, 0, 0}}, r[4] = {radii[s->type[i]]};
        for (int c = 0; c < 3; c++) {
            const int j = v->tri[3 * t + (size_t)c];
            minimg(s, i, j, p[c + 1]);
            r[c + 1] = radii[s->type[j]];
            int dup = 0;
            for (size_t k = 0; k < nd; k++) dup |= seen[k] == j;
            if (!dup && nd < 512) {
                seen[nd] = j;
                dist[nd++] = len(p[0], p[c + 1]) / (r[0] + r[c + 1]) - 1;
            }
        }
        double packed = 0;
        for (int a = 0; a < 4; a++) packed += girard(p, a) * r[a] * r[a] * r[a] / 3;
        const double e1[3] = {p[1][0], p[1][1], p[1][2]}, e2[3] = {p[2][0], p[2][1], p[2][2]}, e3[3] = {p[3][0], p[3][1], p[3][2]};
        vol[nt] = fmax(0, 1 - packed / (fabs(det3(e1, e2, e3)) / 6));
        /* the outer triangle: sides, angles from the law of cosines, Heron's area */
        const double a = len(p[2], p[3]), b = len(p[1], p[3]), c = len(p[1], p[2]), h = (a + b + c) / 2;
        const double ang[3] = {acos((b * b + c * c - a * a) / (2 * b * c)), acos((a * a + c * c - b * b) / (2 * a * c)),
                               acos((a * a + b * b - c * c) / (2 * a * b))};
        const double tri = sqrt(h * (h - a) * (h - b) * (h - c));
        area[nt] = fmax(0, 1 - (ang[0] * r[1] * r[1] + ang[1] * r[2] * r[2] + ang[2] * r[3] * r[3]) / 2 / tri);
    }
    const double *x[3] = {dist, area, vol};
    const size_t m[3] = {nd, nt, nt};
    for (int k = 0; k < 3; k++) {
        double sum = 0, lo = INFINITY, hi = -INFINITY, ss = 0;
        for (size_t q = 0; q < m[k]; q++) { sum += x[k][q]; lo = fmin(lo, x[k][q]); hi = fmax(hi, x[k][q]); }
        for (size_t q = 0; q < m[k]; q++) ss += (x[k][q] - sum / m[k]) * (x[k][q] - sum / m[k]);
        out[4 * k] = sum / m[k];
        out[4 * k + 1] = sqrt(ss / m[k]);
        out[4 * k + 2] = lo;
        out[4 * k + 3] = hi;
    }
}

static void glass_case(am_system *s, const double *radii, const char *label)
{
    const double table[2] = {1.28, 1.58};
    am_voronoi *v;
    if (!check_true(am_voronoi_compute_radical(s, radii, 0.0, &v) == AM_OK, "%s: tessellated", label)) return;
    triangulation(s, v, radii, label);
    double *out = malloc(s->n * 12 * sizeof(double)), worst = 0;
    check_true(am_interstices(s, v, table, out) == AM_OK, "%s: interstices computed", label);
    for (size_t i = 0; i < s->n; i++) {
        double ref[12];
        reference(s, v, table, i, ref);
        for (int k = 0; k < 12; k++) worst = fmax(worst, fabs(out[12 * i + k] - ref[k]));
    }
    check_abs(worst, 0, 1e-12, "%s: the 12 interstice statistics of every atom equal the test's own computation", label);
    omp_set_num_threads(2);
    double *two = malloc(s->n * 12 * sizeof(double));
    am_interstices(s, v, table, two);
    omp_set_num_threads(1);
    check_true(memcmp(out, two, s->n * 12 * sizeof(double)) == 0, "%s: 1 and 2 threads, identical bits", label);
    free(two);
    free(out);
    am_voronoi_free(v);
}

/* fcc of touching spheres (R = a/(2√2)): around each atom 8 regular
 * tetrahedra (tetrahedral holes) and 6 octahedral holes, each a cell vertex
 * where 4 faces meet, fanned into 2 tetrahedra (i and three corners of the
 * hole's square). By hand (numpy, solid angles by Girard's theorem):
 * volume interstice 1 − 4(3 arccos(1/3) − π)R³/3 / (8R³/(6√2)) =
 * 0.220364429956 (regular), 0.279097050483 (half octahedron, as the whole
 * octahedron's 1 − 0.7209); area interstice 1 − π/(2√3) = 0.093100317883
 * (equilateral) and 1 − π/4 = 0.214601836603 (right isosceles). Over the 20
 * tetrahedra: volume mean 0.255604002272, std 0.028772990309; area mean
 * 0.166001229115, std 0.059523344767; distance interstices all 0. */
static void fcc(void)
{
    const double a = 3.615, r = a / (2 * sqrt(2.0));
    am_system *s = build_lattice("fcc", a, 3, 3, 3, "Cu");
    am_voronoi *v;
    am_voronoi_compute(s, 0.0, &v);
    double *out = malloc(s->n * 12 * sizeof(double));
    check_true(am_interstices(s, v, &r, out) == AM_OK, "fcc: interstices");
    const double want[12] = {0, 0, 0, 0, 0.166001229115, 0.059523344767, 0.093100317883, 0.214601836603,
                             0.255604002272, 0.028772990309, 0.220364429956, 0.279097050483};
    double worst = 0;
    size_t ntet = 1;
    for (size_t i = 0; i < s->n; i++) {
        for (int k = 0; k < 12; k++) worst = fmax(worst, fabs(out[12 * i + k] - want[k]));
        ntet &= v->tri_first[i + 1] - v->tri_first[i] == 20;
    }
    check_true(ntet, "fcc: 20 tetrahedra around every atom (8 tetrahedral holes, 6 octahedral ones halved)");
    check_abs(worst, 0, 1e-11, "fcc of touching spheres: all 12 statistics of every atom as by hand");
    const double bad = 0.0;
    check_true(am_interstices(s, v, &bad, out) == AM_ERR_VALUE, "a zero radius is refused: %s", am_error_message());
    free(out);
    am_voronoi_free(v);
    am_system_free(s);
}

int main(void)
{
    fcc();
    am_system *s = load_conf(source_path("tests/data/cuzr_glass_432.data"), "Cu,Zr");
    if (!check_true(s != NULL, "glass loaded")) return check_exit();
    const double radii[2] = {1.28, 1.58};
    glass_case(s, NULL, "glass, plain (Delaunay)");
    glass_case(s, radii, "glass, radical (regular triangulation)");
    shear_box(s, 4.0, -3.0, 2.5);
    glass_case(s, NULL, "sheared glass, plain");
    glass_case(s, radii, "sheared glass, radical");
    am_system_free(s);
    return check_exit();
}
