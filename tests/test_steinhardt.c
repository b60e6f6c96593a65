/* Steinhardt q_l on structures with known values: fcc q6 = 0.5745, bcc
 * 0.5107 (14 neighbours; 0.6285 with the 8 nearest), hcp 0.4848, the centre of a 13-atom icosahedron
 * 0.6633; Voronoi, cutoff and nearest-N neighbours agree where they must. */
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

int main(void)
{
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
