/* Physics checks of the EAM engine that need no reference program:
 * forces are -dE/dx (central differences), the virial is the strain
 * derivative of the energy, results do not depend on the thread count or on
 * the neighbour-list skin, and a rigid translation changes nothing. */
#include "util/build.h"
#include "util/check.h"

#include <math.h>
#include <omp.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

typedef struct eval {
    double energy, virial[6];
    double *f; /* 3n */
} eval;

static double energy_of(const am_potential *pot, am_system *s, double skin, eval *out)
{
    am_engine *e = NULL;
    if (am_engine_create(pot, s, skin, &e)) { printf("engine: %s\n", am_error_message()); return NAN; }
    size_t n = s->n;
    double *f = malloc(3 * n * sizeof(double));
    am_result r = {0};
    r.fx = f; r.fy = f + n; r.fz = f + 2 * n;
    am_status st = am_engine_compute(e, s, &r);
    am_engine_free(e);
    if (st) { free(f); return NAN; }
    if (out) { out->energy = r.energy; memcpy(out->virial, r.virial, sizeof r.virial); out->f = f; }
    else free(f);
    return r.energy;
}

static void fd_forces(const char *label, const am_potential *pot, am_system *s)
{
    eval ev;
    energy_of(pot, s, 1.0, &ev);
    const double h = 1e-5;
    double worst = 0, fscale = 0;
    double *c[3] = {s->x, s->y, s->z};
    for (size_t i = 0; i < s->n; i += s->n / 7 + 1)
        for (int d = 0; d < 3; d++) {
            double x0 = c[d][i];
            c[d][i] = x0 + h;
            double ep = energy_of(pot, s, 1.0, NULL);
            c[d][i] = x0 - h;
            double em = energy_of(pot, s, 1.0, NULL);
            c[d][i] = x0;
            double fd = -(ep - em) / (2 * h);
            worst = fmax(worst, fabs(fd - ev.f[d * s->n + i]));
            fscale = fmax(fscale, fabs(fd));
        }
    /* Central differences with h = 1e-5 Å on ~1e3 eV totals: truncation
     * ~h^2 f''' and round-off ~1e-16 E / h both stay below 1e-6 eV/Å. */
    check_abs(worst, 0.0, 1e-6 * fmax(1.0, fscale), "%s: forces = -dE/dx by central differences (max |F| %.3g eV/A)",
              label, fscale);
    free(ev.f);
}

/* Energy after the homogeneous deformation x -> (I + eps) x of box and atoms,
 * with eps upper triangular so the box stays in LAMMPS form. */
static double strained_energy(const am_potential *pot, const am_system *s0, int comp, double eps)
{
    am_system *s;
    am_system_copy(s0, &s);
    double F[3][3] = {{1, 0, 0}, {0, 1, 0}, {0, 0, 1}};
    static const int ab[6][2] = {{0, 0}, {1, 1}, {2, 2}, {0, 1}, {0, 2}, {1, 2}};
    F[ab[comp][0]][ab[comp][1]] += eps;
    for (size_t i = 0; i < s->n; i++) {
        double r[3] = {s->x[i] - s->box.lo[0], s->y[i] - s->box.lo[1], s->z[i] - s->box.lo[2]};
        s->x[i] = s->box.lo[0] + F[0][0] * r[0] + F[0][1] * r[1] + F[0][2] * r[2];
        s->y[i] = s->box.lo[1] + F[1][1] * r[1] + F[1][2] * r[2];
        s->z[i] = s->box.lo[2] + F[2][2] * r[2];
    }
    /* cell vectors a=(lx,0,0), b=(xy,ly,0), c=(xz,yz,lz) transform as columns */
    am_box *b = &s->box;
    double a[3] = {b->len[0], 0, 0}, bb[3] = {b->tilt[0], b->len[1], 0}, c[3] = {b->tilt[1], b->tilt[2], b->len[2]};
    double na[3], nb[3], nc[3];
    for (int k = 0; k < 3; k++) {
        na[k] = F[k][0] * a[0] + F[k][1] * a[1] + F[k][2] * a[2];
        nb[k] = F[k][0] * bb[0] + F[k][1] * bb[1] + F[k][2] * bb[2];
        nc[k] = F[k][0] * c[0] + F[k][1] * c[1] + F[k][2] * c[2];
    }
    b->len[0] = na[0]; b->len[1] = nb[1]; b->len[2] = nc[2];
    b->tilt[0] = nb[0]; b->tilt[1] = nc[0]; b->tilt[2] = nc[1];
    double e = energy_of(pot, s, 1.0, NULL);
    am_system_free(s);
    return e;
}

static void fd_virial(const char *label, const am_potential *pot, am_system *s)
{
    eval ev;
    energy_of(pot, s, 1.0, &ev);
    free(ev.f);
    static const char *nm[6] = {"xx", "yy", "zz", "xy", "xz", "yz"};
    const double h = 1e-6;
    double scale = 1.0;
    for (int c = 0; c < 6; c++) scale = fmax(scale, fabs(ev.virial[c]));
    for (int c = 0; c < 6; c++) {
        double dE = (strained_energy(pot, s, c, h) - strained_energy(pot, s, c, -h)) / (2 * h);
        /* dE/d(eps_ab) = -W_ab for the LAMMPS-sign virial W = sum r f */
        check_abs(-dE, ev.virial[c], 1e-7 * scale, "%s: virial %s = -dE/d(strain) (eV)", label, nm[c]);
    }
}

static void thread_and_skin_independence(const char *label, const am_potential *pot, am_system *s)
{
    int nt = omp_get_max_threads();
    omp_set_num_threads(1);
    eval a, b, c;
    energy_of(pot, s, 1.0, &a);
    omp_set_num_threads(nt > 1 ? nt : 2);
    energy_of(pot, s, 1.0, &b);
    energy_of(pot, s, 2.5, &c);
    /* more threads than cores: threads run out of their own blocks at
     * different times and take others' (core/steal.h) */
    eval d;
    omp_set_num_threads(3);
    energy_of(pot, s, 1.0, &d);
    omp_set_num_threads(nt);
    int same = a.energy == b.energy && memcmp(a.f, b.f, 3 * s->n * sizeof(double)) == 0 &&
               memcmp(a.virial, b.virial, sizeof a.virial) == 0;
    check_true(same, "%s: bit-identical energy, forces, virial with 1 and %d threads", label, nt > 1 ? nt : 2);
    same = a.energy == d.energy && memcmp(a.f, d.f, 3 * s->n * sizeof(double)) == 0 &&
           memcmp(a.virial, d.virial, sizeof a.virial) == 0;
    check_true(same, "%s: bit-identical energy, forces, virial with 1 and 3 threads", label);
    {
        /* skipping the virial changes nothing else */
        am_engine *e = NULL;
        size_t n = s->n;
        double *f = malloc(3 * n * sizeof(double));
        am_result r = {0};
        r.fx = f; r.fy = f + n; r.fz = f + 2 * n;
        r.skip_virial = 1;
        int ok = am_engine_create(pot, s, 1.0, &e) == AM_OK && am_engine_compute(e, s, &r) == AM_OK;
        check_true(ok && r.energy == b.energy && memcmp(f, b.f, 3 * n * sizeof(double)) == 0 && r.virial[0] == 0.0,
                   "%s: skip_virial gives the same energy and forces, and a zero virial", label);
        am_engine_free(e);
        free(f);
    }
    double df = 0;
    for (size_t i = 0; i < 3 * s->n; i++) df = fmax(df, fabs(a.f[i] - c.f[i]));
    check_rel(c.energy, a.energy, 1e-13, "%s: energy independent of the skin (1.0 vs 2.5 A)", label);
    check_abs(df, 0, 1e-11, "%s: forces independent of the skin", label);

    /* rigid translation by a non-lattice vector */
    free(c.f);
    for (size_t i = 0; i < s->n; i++) { s->x[i] += 0.37; s->y[i] -= 1.91; s->z[i] += 13.3; }
    energy_of(pot, s, 1.0, &c);
    for (size_t i = 0; i < s->n; i++) { s->x[i] -= 0.37; s->y[i] += 1.91; s->z[i] -= 13.3; }
    df = 0;
    for (size_t i = 0; i < 3 * s->n; i++) df = fmax(df, fabs(a.f[i] - c.f[i]));
    check_rel(c.energy, a.energy, 1e-12, "%s: energy invariant under translation", label);
    check_abs(df, 0, 1e-10, "%s: forces invariant under translation", label);
    free(a.f); free(b.f); free(c.f); free(d.f);
}

/* A list built for one box must stay right when the box and atoms are
 * rescaled (NPT): compare a reused engine with a fresh one. */
static void box_rescaling(const char *label, const am_potential *pot, am_system *s)
{
    am_engine *e = NULL;
    size_t n = s->n;
    double *f = malloc(3 * n * sizeof(double));
    am_result r = {0};
    r.fx = f; r.fy = f + n; r.fz = f + 2 * n;
    am_engine_create(pot, s, 1.0, &e);
    am_engine_compute(e, s, &r);
    static const double scales[] = {1.002, 0.997, 1.03, 0.96};
    for (int k = 0; k < 4; k++) {
        const double c = scales[k];
        for (size_t i = 0; i < n; i++) {
            s->x[i] = s->box.lo[0] + c * (s->x[i] - s->box.lo[0]);
            s->y[i] = s->box.lo[1] + c * (s->y[i] - s->box.lo[1]);
            s->z[i] = s->box.lo[2] + c * (s->z[i] - s->box.lo[2]);
        }
        for (int d = 0; d < 3; d++) s->box.len[d] *= c;
        long b0 = am_engine_nbuilds(e);
        am_engine_compute(e, s, &r);
        eval fresh;
        energy_of(pot, s, 1.0, &fresh);
        double df = 0;
        for (size_t i = 0; i < n; i++) {
            df = fmax(df, fabs(r.fx[i] - fresh.f[i]));
            df = fmax(df, fabs(r.fy[i] - fresh.f[n + i]));
            df = fmax(df, fabs(r.fz[i] - fresh.f[2 * n + i]));
        }
        check_rel(r.energy, fresh.energy, 1e-12, "%s: box scaled by %g, list %s: energy as a fresh list's", label, c,
                  am_engine_nbuilds(e) > b0 ? "rebuilt" : "kept");
        check_abs(df, 0, 1e-10, "%s: box scaled by %g: forces as a fresh list's", label, c);
        free(fresh.f);
    }
    am_engine_free(e);
    free(f);
}

static void perfect_crystal(void)
{
    /* Perfect fcc: zero forces by symmetry; cohesive energy of Cu_u3 at its
     * lattice constant 3.615 A is 3.54 eV (Foiles et al. 1986). */
    am_potential *pot;
    am_potential_read(potential_path("Cu_u3.eam"), AM_EAM_AUTO, &pot);
    am_system *s = build_lattice("fcc", 3.615, 3, 3, 3, "Cu");
    eval ev;
    energy_of(pot, s, 1.0, &ev);
    double fmaxv = 0;
    for (size_t i = 0; i < 3 * s->n; i++) fmaxv = fmax(fmaxv, fabs(ev.f[i]));
    check_abs(fmaxv, 0, 1e-10, "perfect fcc Cu: zero forces");
    check_abs(ev.energy / s->n, -3.54, 0.005, "perfect fcc Cu: cohesive energy per atom (eV)");
    check_abs(ev.virial[3], 0, 1e-9, "perfect fcc Cu: no shear virial");
    free(ev.f);
    am_system_free(s);
    am_potential_free(pot);
}

int main(void)
{
    am_potential *fs = NULL, *fl = NULL;
    if (am_potential_read(potential_path("CuZr_mm.eam.fs"), AM_EAM_AUTO, &fs) ||
        am_potential_read(potential_path("Cu_u3.eam"), AM_EAM_AUTO, &fl)) {
        printf("cannot read potentials: %s\n", am_error_message());
        return 1;
    }
    am_system *s = build_lattice("b2", 3.26, 3, 3, 3, "Cu,Zr");
    rattle(s, 0.25, 11);
    shear_box(s, 1.2, -0.7, 0.9);
    fd_forces("rattled triclinic B2 CuZr (fs)", fs, s);
    fd_virial("rattled triclinic B2 CuZr (fs)", fs, s);
    thread_and_skin_independence("rattled triclinic B2 CuZr (fs)", fs, s);
    am_system_free(s);

    s = build_lattice("fcc", 3.615, 3, 3, 3, "Cu");
    rattle(s, 0.2, 12);
    fd_forces("rattled fcc Cu (funcfl)", fl, s);
    fd_virial("rattled fcc Cu (funcfl)", fl, s);
    am_system_free(s);

    s = load_conf(source_path("tests/data/cuzr_glass_432.data"), "Cu,Zr");
    if (check_true(s != NULL, "read the CuZr glass")) {
        box_rescaling("CuZr glass", fs, s);
        am_system_free(s);
    }
    s = build_lattice("b2", 3.26, 3, 3, 3, "Cu,Zr");
    rattle(s, 0.1, 13);
    box_rescaling("B2 CuZr in a box < 2 cutoffs", fs, s);
    am_system_free(s);

    perfect_crystal();
    am_potential_free(fs);
    am_potential_free(fl);
    return check_exit();
}
