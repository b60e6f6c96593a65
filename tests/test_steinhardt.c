/* Steinhardt q_l on structures with known values: fcc q6 = 0.5745, bcc
 * 0.5107 (14 neighbours; 0.6285 with the 8 nearest), hcp 0.4848, the centre of a 13-atom icosahedron
 * 0.6633; Voronoi, cutoff and nearest-N neighbours agree where they must.
 * Voronoi-face-weighted q_l (Mickel et al. 2013): the crystals whose faces
 * are all alike keep their values, bcc's truncated octahedron gives the
 * value worked out by hand below, a rotated cluster gives the same, and on
 * the glass every atom equals the addition-theorem form of the definition. */
#include "util/build.h"
#include "util/check.h"
#include "util/lammps.h"

#include <gsl/gsl_sf_legendre.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>

/* ŵ_l of one atom */
static double w_of(am_system *s, am_steinhardt_options o, int l, size_t atom)
{
    double *q = malloc(2 * s->n * sizeof(double));
    o.w = q + s->n;
    am_status st = am_steinhardt(s, &o, &l, 1, q);
    double v = st ? NAN : o.w[atom];
    free(q);
    return v;
}

static double q_of(am_system *s, am_steinhardt_options o, int l, size_t atom)
{
    double *q = malloc(s->n * sizeof(double));
    am_status st = am_steinhardt(s, &o, &l, 1, q);
    double v = st ? NAN : q[atom];
    if (st) printf("steinhardt: %s\n", am_error_message());
    free(q);
    return v;
}

/* The CuZr glass against LAMMPS compute orientorder/atom (q4, q6 with every
 * neighbour within 3.8 A) and compute voronoi/atom (volume, faces). */
static void against_lammps(void)
{
    am_system *s = load_conf(source_path("tests/data/cuzr_glass_432.data"), "Cu,Zr");
    if (!s || !lmp_available()) { check_true(0, "glass and LAMMPS available"); return; }
    char ps[64], pc[512];
    lmp_pair_lines(potential_path("CuZr_mm.eam.fs"), AM_EAM_FS, s, ps, sizeof ps, pc, sizeof pc);
    const char *dir = scratch_dir("steinhardt");
    lmp_result ref;
    int ok = lmp_run(dir, s, ps, pc,
                     "compute q all orientorder/atom degrees 2 4 6 nnn NULL cutoff 3.8 wl yes wl/hat yes\n"
                     "compute vor all voronoi/atom\n"
                     "dump q all custom 1 q.dump id c_q[1] c_q[2] c_vor[1] c_vor[2] c_q[5] c_q[6]\n"
                     "dump_modify q sort id format float %.17g",
                     &ref) == 0;
    if (ok) lmp_result_free(&ref);
    check_true(ok, "LAMMPS orientorder/atom and voronoi/atom ran");
    const size_t n = s->n;
    double *lq4 = calloc(6 * n, sizeof(double)), *lq6 = lq4 + n, *lvol = lq4 + 2 * n, *lcn = lq4 + 3 * n,
           *lw4 = lq4 + 4 * n, *lw6 = lq4 + 5 * n;
    char path[600], line[512];
    snprintf(path, sizeof path, "%s/q.dump", dir);
    FILE *f = ok ? fopen(path, "r") : NULL;
    size_t got = 0;
    while (f && fgets(line, sizeof line, f)) {
        long long id;
        double a, b, c, d, e, g;
        if (sscanf(line, "%lld %lg %lg %lg %lg %lg %lg", &id, &a, &b, &c, &d, &e, &g) != 7) continue;
        for (size_t i = 0; i < n; i++)
            if (s->id[i] == id) { lq4[i] = a; lq6[i] = b; lvol[i] = c; lcn[i] = d; lw4[i] = e; lw6[i] = g; got++; break; }
    }
    if (f) fclose(f);
    check_true(got == n, "LAMMPS values for all %zu atoms", n);
    int ls[2] = {4, 6};
    double *q = malloc(2 * n * sizeof(double)), *w = malloc(2 * n * sizeof(double));
    am_steinhardt_options co = {.mode = AM_NB_CUTOFF, .cutoff = 3.8, .w = w};
    am_steinhardt(s, &co, ls, 2, q);
    double d4 = 0, d6 = 0, dv = 0, dw = 0;
    int dcn = 0;
    am_voronoi *v;
    am_voronoi_compute(s, 0.0, &v);
    for (size_t i = 0; i < n; i++) {
        d4 = fmax(d4, fabs(q[2 * i] - lq4[i]));
        d6 = fmax(d6, fabs(q[2 * i + 1] - lq6[i]));
        dw = fmax(dw, fmax(fabs(w[2 * i] - lw4[i]), fabs(w[2 * i + 1] - lw6[i])));
        dv = fmax(dv, fabs(v->volume[i] - lvol[i]));
        dcn += v->cn[i] != (int)lcn[i];
    }
    check_abs(d4, 0, 1e-8, "glass: q4 equals LAMMPS orientorder/atom for every atom");
    check_abs(d6, 0, 1e-8, "glass: q6 equals LAMMPS orientorder/atom for every atom");
    check_abs(dw, 0, 1e-8, "glass: w4hat and w6hat equal LAMMPS orientorder/atom wl/hat for every atom");
    check_abs(dv, 0, 1e-9, "glass: Voronoi volume equals LAMMPS voronoi/atom for every atom (A^3)");
    check_true(dcn == 0, "glass: face count equals LAMMPS voronoi/atom for every atom (%d differ)", dcn);
    am_voronoi_free(v);
    free(q);
    free(w);
    free(lq4);
    am_system_free(s);
}

/* q_lm of atom i over its neighbours within rc, by brute force (minimum
 * image; the box exceeds 2 rc), straight from GSL's Y_lm. */
static int qlm_brute(const am_system *s, size_t i, double rc, int l, double *re, double *im, int *nb)
{
    int m = 0;
    for (int mm = 0; mm <= l; mm++) re[mm] = im[mm] = 0;
    for (size_t j = 0; j < s->n; j++) {
        if (j == i) continue;
        double d[3] = {s->x[j] - s->x[i], s->y[j] - s->y[i], s->z[j] - s->z[i]};
        for (int k = 0; k < 3; k++) d[k] -= s->box.len[k] * round(d[k] / s->box.len[k]);
        const double r = sqrt(d[0] * d[0] + d[1] * d[1] + d[2] * d[2]);
        if (r >= rc) continue;
        nb[m++] = (int)j;
        const double phi = atan2(d[1], d[0]);
        for (int mm = 0; mm <= l; mm++) {
            const double p = gsl_sf_legendre_sphPlm(l, mm, d[2] / r);
            re[mm] += p * cos(mm * phi);
            im[mm] += p * sin(mm * phi);
        }
    }
    for (int mm = 0; mm <= l; mm++) { re[mm] /= m; im[mm] /= m; }
    return m;
}

/* The Lechner-Dellago average with cutoff neighbours on the glass, against
 * the average formed by hand from brute-force q_lm. */
static void averaged_cutoff(void)
{
    am_system *s = load_conf(source_path("tests/data/cuzr_glass_432.data"), "Cu,Zr");
    if (!s) { check_true(0, "glass loaded"); return; }
    const int l = 6;
    const double rc = 3.8;
    double *q = malloc(s->n * sizeof(double)), dmax = 0;
    am_steinhardt_options o = {.mode = AM_NB_CUTOFF, .cutoff = rc, .averaged = 1};
    check_true(am_steinhardt(s, &o, &l, 1, q) == AM_OK, "averaged q6 with cutoff neighbours");
    for (size_t i = 0; i < s->n; i += 37) {
        double re[7], im[7], sre[7], sim[7], rej[7], imj[7];
        int nb[64], dummy[64];
        const int m = qlm_brute(s, i, rc, l, re, im, nb);
        for (int mm = 0; mm <= l; mm++) { sre[mm] = re[mm]; sim[mm] = im[mm]; }
        for (int a = 0; a < m; a++) {
            qlm_brute(s, (size_t)nb[a], rc, l, rej, imj, dummy);
            for (int mm = 0; mm <= l; mm++) { sre[mm] += rej[mm]; sim[mm] += imj[mm]; }
        }
        double sum = 0;
        for (int mm = 0; mm <= l; mm++) sum += (mm ? 2 : 1) * (sre[mm] * sre[mm] + sim[mm] * sim[mm]) / ((m + 1.0) * (m + 1.0));
        dmax = fmax(dmax, fabs(q[i] - sqrt(4 * 3.14159265358979323846 / 13 * sum)));
    }
    check_abs(dmax, 0, 1e-12, "glass: averaged q6 (cutoff 3.8 A) equals the average formed by hand");
    free(q);
    am_system_free(s);
}

/* Rotates the points of s by the rotation with Euler angles (z-x-z) a, b, c
 * about (l/2, l/2, l/2), l the (cubic) box edge. */
static void rotate(am_system *s, double a, double b, double c)
{
    const double ca = cos(a), sa = sin(a), cb = cos(b), sb = sin(b), cc = cos(c), sc = sin(c);
    const double m[3][3] = {{ca * cc - sa * cb * sc, -ca * sc - sa * cb * cc, sa * sb},
                            {sa * cc + ca * cb * sc, -sa * sc + ca * cb * cc, -ca * sb},
                            {sb * sc, sb * cc, cb}};
    const double h = s->box.len[0] / 2;
    for (size_t i = 0; i < s->n; i++) {
        const double d[3] = {s->x[i] - h, s->y[i] - h, s->z[i] - h};
        s->x[i] = h + m[0][0] * d[0] + m[0][1] * d[1] + m[0][2] * d[2];
        s->y[i] = h + m[1][0] * d[0] + m[1][1] * d[1] + m[1][2] * d[2];
        s->z[i] = h + m[2][0] * d[0] + m[2][1] * d[1] + m[2][2] * d[2];
    }
}

/* Face-weighted q4 and q6 of atom `atom` from the (plain) tessellation. */
static void weighted_q46(am_system *s, size_t atom, double q46[2])
{
    am_voronoi *v;
    am_voronoi_compute(s, 0.0, &v);
    am_steinhardt_options o = {.mode = AM_NB_VORONOI_WEIGHTED, .voronoi = v};
    q46[0] = q_of(s, o, 4, atom);
    q46[1] = q_of(s, o, 6, atom);
    am_voronoi_free(v);
}

/* A bcc atom and its 14 Voronoi neighbours (8 at a√3/2, 6 at a) in the middle
 * of a cubic box of edge l: the centre's cell is the truncated octahedron. */
static am_system *bcc_cluster(double a, double l)
{
    am_system *s;
    if (am_system_alloc(15, 0, &s)) return NULL;
    set_species(s, "Fe");
    for (int d = 0; d < 3; d++) s->box.len[d] = l;
    size_t k = 0;
    s->x[k] = s->y[k] = s->z[k] = l / 2;
    for (int c = 0; c < 8; c++, k++) {
        s->x[k + 1] = l / 2 + (c & 1 ? a : -a) / 2;
        s->y[k + 1] = l / 2 + (c & 2 ? a : -a) / 2;
        s->z[k + 1] = l / 2 + (c & 4 ? a : -a) / 2;
    }
    for (int d = 0; d < 3; d++)
        for (int sgn = -1; sgn <= 1; sgn += 2, k++) {
            double *x[3] = {s->x, s->y, s->z};
            for (int e = 0; e < 3; e++) x[e][k + 1] = l / 2 + (e == d ? sgn * a : 0.0);
        }
    return s;
}

/* Voronoi-face-weighted q_l. Hand values: fcc's rhombic dodecahedron and the
 * icosahedron's dodecahedron have equal faces, so the weights are 1/12 and
 * the values are the unweighted ones. bcc's truncated octahedron (edge
 * e = a√2/4) has 8 hexagons of area (3√3/2)e² along <111> and 6 squares of
 * area e² along <100>; by the addition theorem
 *   q_l² = Σ_jk w_j w_k P_l(û_j·û_k),  w = A_f / Σ A_f,
 * which numpy evaluates (and scipy's sph_harm, summing |Σ w Y_lm|², confirms)
 * as q4 = 0.2240252749, q6 = 0.5669399634 — against 0.0363696 and 0.5106882
 * unweighted with the same 14 neighbours: the small squares count less. */
static void weighted(void)
{
    am_system *s = build_lattice("fcc", 3.615, 3, 3, 3, "Cu");
    double q[2];
    weighted_q46(s, 5, q);
    check_abs(q[0], 0.19094, 5e-5, "fcc face-weighted q4 = the 12-neighbour value");
    check_abs(q[1], 0.57452, 5e-5, "fcc face-weighted q6 = the 12-neighbour value");
    am_system_free(s);

    s = build_lattice("bcc", 3.3, 3, 3, 3, "Zr");
    weighted_q46(s, 3, q);
    check_abs(q[0], 0.2240252749, 1e-9, "bcc face-weighted q4 (truncated octahedron, by hand)");
    check_abs(q[1], 0.5669399634, 1e-9, "bcc face-weighted q6 (truncated octahedron, by hand)");
    am_system_free(s);

    s = build_icosahedron(2.5, 30.0);
    weighted_q46(s, 0, q);
    check_abs(q[1], 0.66332, 5e-5, "icosahedron centre face-weighted q6 = the unweighted value");
    rotate(s, 0.3, 1.1, -2.0);
    double r[2];
    weighted_q46(s, 0, r);
    check_abs(r[1] - q[1], 0, 1e-12, "icosahedron rotated by Euler angles (0.3, 1.1, -2.0): q6 unchanged");
    am_system_free(s);

    s = bcc_cluster(3.3, 30.0);
    weighted_q46(s, 0, q);
    check_abs(q[0], 0.2240252749, 1e-9, "bcc cluster centre: face-weighted q4 as in the crystal");
    for (int k = 0; k < 3; k++) {
        const double ang[3][3] = {{0.4, 0.7, 1.9}, {2.5, -1.2, 0.1}, {-0.9, 2.8, -2.2}};
        rotate(s, ang[k][0], ang[k][1], ang[k][2]);
        weighted_q46(s, 0, r);
        check_abs(fmax(fabs(r[0] - q[0]), fabs(r[1] - q[1])), 0, 1e-12,
                  "bcc cluster after rotation %d (Euler %.1f %.1f %.1f): face-weighted q4, q6 unchanged", k + 1,
                  ang[k][0], ang[k][1], ang[k][2]);
    }
    am_system_free(s);
}

/* On the glass (plain and radical cells): face-weighted q4, q6 of every atom
 * equal the addition-theorem form q_l² = Σ_jk w_j w_k P_l(û_j·û_k) built from
 * the tessellation's faces, a route through neither Y_lm nor q_lm. */
static void weighted_glass(void)
{
    am_system *s = load_conf(source_path("tests/data/cuzr_glass_432.data"), "Cu,Zr");
    if (!s) { check_true(0, "glass loaded"); return; }
    const double radii[2] = {1.28, 1.58};
    for (int radical = 0; radical <= 1; radical++) {
        am_voronoi *v;
        am_voronoi_compute_radical(s, radical ? radii : NULL, 0.0, &v);
        am_steinhardt_options o = {.mode = AM_NB_VORONOI_WEIGHTED, .voronoi = v};
        const int ls[2] = {4, 6};
        double *q = malloc(2 * s->n * sizeof(double)), dmax = 0, dunw = 0;
        am_status st = am_steinhardt(s, &o, ls, 2, q);
        check_true(st == AM_OK, "glass: face-weighted q4, q6 (%s)", am_error_message());
        o.mode = AM_NB_VORONOI;
        double *qu = malloc(2 * s->n * sizeof(double));
        am_steinhardt(s, &o, ls, 2, qu);
        for (size_t i = 0; i < s->n; i++) {
            const size_t f0 = v->first[i], nf = v->first[i + 1] - f0;
            double u[64][3], w[64], total = 0;
            if (nf > 64) { dmax = INFINITY; continue; }
            for (size_t k = 0; k < nf; k++) {
                const int j = v->neighbor[f0 + k];
                double d[3] = {s->x[j] - s->x[i], s->y[j] - s->y[i], s->z[j] - s->z[i]};
                for (int c = 0; c < 3; c++) d[c] -= s->box.len[c] * round(d[c] / s->box.len[c]);
                const double r = sqrt(d[0] * d[0] + d[1] * d[1] + d[2] * d[2]);
                for (int c = 0; c < 3; c++) u[k][c] = d[c] / r;
                w[k] = v->area[f0 + k];
                total += w[k];
            }
            for (int c = 0; c < 2; c++) {
                double sum = 0;
                for (size_t j = 0; j < nf; j++)
                    for (size_t k = 0; k < nf; k++) {
                        /* û·û can round past 1 */
                        const double x = u[j][0] * u[k][0] + u[j][1] * u[k][1] + u[j][2] * u[k][2];
                        sum += w[j] * w[k] * gsl_sf_legendre_Pl(ls[c], fmax(-1.0, fmin(1.0, x)));
                    }
                dmax = fmax(dmax, fabs(q[2 * i + (size_t)c] - sqrt(sum) / total));
                dunw = fmax(dunw, fabs(q[2 * i + (size_t)c] - qu[2 * i + (size_t)c]));
            }
        }
        check_abs(dmax, 0, 1e-12, "glass, %s cells: face-weighted q4, q6 of every atom equal the addition-theorem form",
                  radical ? "radical (Cu 1.28, Zr 1.58 A)" : "plain");
        check_true(dunw > 0.05, "glass, %s cells: the weights matter (largest change from unweighted %.3f)",
                   radical ? "radical" : "plain", dunw);
        free(q);
        free(qu);
        am_voronoi_free(v);
    }
    am_system_free(s);
}

int main(void)
{
    weighted();
    weighted_glass();
    averaged_cutoff();
    against_lammps();
    am_system *s = build_lattice("fcc", 3.615, 3, 3, 3, "Cu");
    am_voronoi *v;
    am_voronoi_compute(s, 0.0, &v);
    am_steinhardt_options vo = {.mode = AM_NB_VORONOI, .voronoi = v};
    am_steinhardt_options co = {.mode = AM_NB_CUTOFF, .cutoff = 3.0};
    check_abs(q_of(s, vo, 6, 5), 0.5745, 5e-5, "fcc q6, Voronoi neighbours");
    check_abs(q_of(s, co, 6, 5), 0.5745, 5e-5, "fcc q6, cutoff 3 A");
    check_abs(q_of(s, co, 4, 5), 0.19094, 5e-5, "fcc q4, cutoff 3 A");
    check_abs(w_of(s, co, 4, 5), -0.159317, 5e-6, "fcc w4hat");
    check_abs(w_of(s, co, 6, 5), -0.013161, 5e-6, "fcc w6hat");
    vo.averaged = 1;
    check_abs(q_of(s, vo, 6, 5), 0.5745, 5e-5, "fcc averaged q6 (all atoms alike)");
    am_voronoi_free(v);
    am_system_free(s);

    s = build_lattice("bcc", 3.3, 3, 3, 3, "Zr");
    /* 0.5107 is bcc with both shells (14 neighbours, as Voronoi faces give);
     * the first shell alone (8) gives 0.6285 */
    am_steinhardt_options no = {.mode = AM_NB_NEAREST, .cutoff = 3.5, .nearest = 14};
    check_abs(q_of(s, no, 6, 3), 0.5107, 5e-5, "bcc q6, 14 nearest");
    am_voronoi_compute(s, 0.0, &v);
    am_steinhardt_options bv = {.mode = AM_NB_VORONOI, .voronoi = v};
    check_abs(q_of(s, bv, 6, 3), 0.5107, 5e-5, "bcc q6, Voronoi neighbours (14)");
    am_voronoi_free(v);
    no.nearest = 8;
    check_abs(q_of(s, no, 6, 3), 0.6285, 5e-5, "bcc q6, 8 nearest");
    am_system_free(s);

    s = build_lattice("hcp", 3.2, 3, 2, 2, "Zr");
    am_steinhardt_options ho = {.mode = AM_NB_NEAREST, .cutoff = 3.5, .nearest = 12};
    check_abs(q_of(s, ho, 6, 7), 0.4848, 5e-5, "hcp q6, 12 nearest");
    am_system_free(s);

    s = build_icosahedron(2.5, 30.0);
    am_steinhardt_options io = {.mode = AM_NB_CUTOFF, .cutoff = 2.6};
    check_abs(q_of(s, io, 6, 0), 0.6633, 5e-5, "icosahedron centre q6");
    check_abs(w_of(s, io, 6, 0), -0.169754, 5e-6, "icosahedron centre w6hat");
    am_system_free(s);
    return check_exit();
}
