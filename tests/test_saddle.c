/* Lowest Hessian mode and ARTn saddle search.
 *
 * Lanczos is checked against a dense finite-difference Hessian diagonalised
 * by LAPACK, with the rigid translations projected out of both. The ARTn
 * search must find the vacancy hop in fcc Cu: a point where every force is
 * below the threshold when recomputed independently, with exactly one
 * negative Hessian eigenvalue (dense), connected to the starting minimum, and
 * whose new minimum is the vacancy moved by one nearest-neighbour distance. */
#include "util/build.h"
#include "util/check.h"
#include "util/lammps.h"

#include <lapacke.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

static const double A_CU = 3.615; /* Cu_u3.eam lattice parameter, Å */

static double now(void)
{
    struct timespec t;
    clock_gettime(CLOCK_MONOTONIC, &t);
    return t.tv_sec + 1e-9 * t.tv_nsec;
}

static void set_flat(am_system *s, const double *x)
{
    for (size_t i = 0; i < s->n; i++) { s->x[i] = x[3 * i]; s->y[i] = x[3 * i + 1]; s->z[i] = x[3 * i + 2]; }
}

static void get_flat(const am_system *s, double *x)
{
    for (size_t i = 0; i < s->n; i++) { x[3 * i] = s->x[i]; x[3 * i + 1] = s->y[i]; x[3 * i + 2] = s->z[i]; }
}

static double max_atom_force(const double *f, size_t n)
{
    double m = 0;
    for (size_t i = 0; i < n; i++) m = fmax(m, sqrt(f[3 * i] * f[3 * i] + f[3 * i + 1] * f[3 * i + 1] + f[3 * i + 2] * f[3 * i + 2]));
    return m;
}

/* Eigenvalues (ascending, eV/Å²) of the central-difference Hessian at s,
 * symmetrised, with P H P removing the translations (they become 0). */
static double *dense_spectrum(am_engine *e, am_system *s, double h)
{
    const size_t n3 = 3 * s->n;
    double *x = malloc(n3 * sizeof(double)), *fp = malloc(n3 * sizeof(double)), *fm = malloc(n3 * sizeof(double));
    double *H = malloc(n3 * n3 * sizeof(double)), *w = malloc(n3 * sizeof(double));
    get_flat(s, x);
    for (size_t k = 0; k < n3; k++) {
        const double xk = x[k];
        x[k] = xk + h; set_flat(s, x); flat_forces(e, s, fp);
        x[k] = xk - h; set_flat(s, x); flat_forces(e, s, fm);
        x[k] = xk;
        for (size_t i = 0; i < n3; i++) H[i * n3 + k] = -(fp[i] - fm[i]) / (2 * h);
    }
    set_flat(s, x);
    for (size_t i = 0; i < n3; i++)
        for (size_t k = i + 1; k < n3; k++) H[i * n3 + k] = H[k * n3 + i] = 0.5 * (H[i * n3 + k] + H[k * n3 + i]);
    /* P = I − Σ_d t_d t_dᵀ, t_d uniform along axis d: subtract row and column means per component */
    const double na = (double)s->n;
    for (int pass = 0; pass < 2; pass++) {
        for (size_t i = 0; i < n3; i++) {
            double m[3] = {0, 0, 0};
            for (size_t k = 0; k < n3; k++) m[k % 3] += H[i * n3 + k];
            for (size_t k = 0; k < n3; k++) H[i * n3 + k] -= m[k % 3] / na;
        }
        for (size_t i = 0; i < n3; i++) /* transpose in place: the same on columns */
            for (size_t k = i + 1; k < n3; k++) { double t = H[i * n3 + k]; H[i * n3 + k] = H[k * n3 + i]; H[k * n3 + i] = t; }
    }
    LAPACKE_dsyev(LAPACK_ROW_MAJOR, 'N', 'U', (lapack_int)n3, H, (lapack_int)n3, w);
    free(x); free(fp); free(fm); free(H);
    return w;
}

static am_system *minimised(am_system *s, am_engine **e, const am_potential *pot)
{
    am_engine_create(pot, s, 1.0, e);
    am_min_options mo = {0};
    mo.method = AM_MIN_CG;
    mo.ftol = 1e-6;
    am_min_result mr;
    am_minimize(*e, s, &mo, &mr);
    return s;
}

static void lanczos_perfect_crystal(const am_potential *pot)
{
    am_system *s = build_lattice("fcc", A_CU, 3, 3, 3, "Cu");
    rattle(s, 0.01, 3); /* so the start is not an exact stationary point of symmetry */
    am_engine *e;
    minimised(s, &e, pot);
    const size_t n3 = 3 * s->n;
    double *w = dense_spectrum(e, s, 1e-3);
    int nzero = 0, first = -1;
    for (size_t i = 0; i < n3; i++) {
        if (fabs(w[i]) < 1e-4) nzero++;
        else if (first < 0) first = (int)i;
    }
    check_true(nzero == 3, "fcc Cu 108 atoms: dense Hessian has 3 zero modes (translations), got %d", nzero);
    check_true(first >= 0 && w[first] > 0, "fcc Cu: lowest non-trivial dense eigenvalue %.6f eV/A^2 is positive",
               first >= 0 ? w[first] : NAN);
    double *mode = malloc(n3 * sizeof(double));
    double lam;
    long calls;
    am_lanczos_options lo;
    am_lanczos_defaults(&lo);
    lo.max_vectors = 120;
    lo.tol = 1e-9;
    lo.seed = 5;
    am_lowest_mode(e, s, &lo, NULL, &lam, mode, &calls);
    check_rel(lam, w[first], 2e-3, "fcc Cu: Lanczos (converged, %ld force calls) = dense lowest eigenvalue (eV/A^2)", calls);
    am_lanczos_defaults(&lo);
    lo.seed = 5;
    am_lowest_mode(e, s, &lo, NULL, &lam, mode, &calls);
    printf("fcc Cu: Lanczos with defaults: %.5f eV/A^2 in %ld force calls (dense %.5f)\n", lam, calls, w[first]);
    check_rel(lam, w[first], 0.5, "fcc Cu: Lanczos with defaults within 50%% of the lowest eigenvalue");
    /* a curvature scale well above λ turns the 1 % relative test into an
     * absolute one of tol × scale: fewer products, λ within that */
    const long calls_rel = calls;
    lo.scale = 20.0;
    double lam_s;
    am_lowest_mode(e, s, &lo, NULL, &lam_s, mode, &calls);
    check_true(calls < calls_rel, "fcc Cu: Lanczos with scale 20 eV/A^2 stops sooner (%ld against %ld force calls)",
               calls, calls_rel);
    check_true(lam_s >= w[first], "fcc Cu: ... its Ritz value %.4f is an upper bound on the lowest eigenvalue", lam_s);
    check_abs(lam_s, w[first], 2 * lo.tol * lo.scale, "fcc Cu: ... within 2 tol scale of it (eV/A^2)");
    lo.scale = 0.0;
    am_lowest_mode(e, s, &lo, NULL, &lam, mode, &calls);
    double mean[3] = {0, 0, 0};
    for (size_t i = 0; i < n3; i++) mean[i % 3] += mode[i];
    check_abs(fabs(mean[0]) + fabs(mean[1]) + fabs(mean[2]), 0, 1e-10, "fcc Cu: the Lanczos mode has no translation");
    free(mode); free(w);
    am_engine_free(e);
    am_system_free(s);
}

/* fcc Cu 3x3x3 minus atom 0 (at the origin), minimised. */
static am_system *vacancy_crystal(void)
{
    am_system *p = build_lattice("fcc", A_CU, 3, 3, 3, "Cu"), *s;
    am_system_alloc(p->n - 1, 0, &s);
    s->nspecies = p->nspecies;
    memcpy(s->species, p->species, sizeof p->species);
    s->box = p->box;
    for (size_t i = 1; i < p->n; i++) { s->x[i - 1] = p->x[i]; s->y[i - 1] = p->y[i]; s->z[i - 1] = p->z[i]; }
    am_system_free(p);
    return s;
}

/* Forward barrier of LAMMPS's climbing-image NEB between the configurations
 * x0 and xf of s (5 replicas, one MPI rank each); NaN if it could not run. */
static double lammps_neb_barrier(am_system *s, const double *x0, const double *xf)
{
    const char *dir = scratch_dir("saddle_neb");
    double *keep = malloc(3 * s->n * sizeof(double));
    get_flat(s, keep);
    set_flat(s, x0);
    am_status st = am_write(scratch_file(dir, "initial.data"), AM_FMT_LAMMPS_DATA, s);
    set_flat(s, keep);
    free(keep);
    FILE *f = fopen(scratch_file(dir, "final.coords"), "w");
    if (st || !f) { if (f) fclose(f); return NAN; }
    fprintf(f, "%zu\n", s->n);
    for (size_t i = 0; i < s->n; i++)
        fprintf(f, "%lld %.17g %.17g %.17g\n", s->id[i], xf[3 * i], xf[3 * i + 1], xf[3 * i + 2]);
    fclose(f);
    f = fopen(scratch_file(dir, "in.neb"), "w");
    if (!f) return NAN;
    /* tight force tolerance: the climbing image must sit on the saddle to well under 1 meV */
    fprintf(f, "units metal\natom_style atomic\natom_modify map array\nboundary p p p\nread_data initial.data\n"
               "pair_style eam\npair_coeff 1 1 %s\nneighbor 1.0 bin\n"
               "fix 1 all neb 1.0 parallel ideal\nmin_style quickmin\ntimestep 0.01\n"
               "neb 0.0 1e-4 3000 3000 50 final final.coords\n",
            potential_path("Cu_u3.eam"));
    fclose(f);
    if (run_cmd_in(dir, "OMPI_ALLOW_RUN_AS_ROOT=1 OMPI_ALLOW_RUN_AS_ROOT_CONFIRM=1 mpirun --oversubscribe -np 5 "
                   "lmp -partition 5x1 -in in.neb -log log.lammps -screen none > out.txt 2>&1") != 0)
        return NAN;
    /* the universe log's last line: Step MaxReplicaForce MaxAtomForce GradV0 GradV1 GradVc EBF ... */
    f = fopen(scratch_file(dir, "log.lammps"), "r");
    if (!f) return NAN;
    char line[4096];
    double ebf = NAN, v[7];
    while (fgets(line, sizeof line, f))
        if (sscanf(line, "%lf %lf %lf %lf %lf %lf %lf", &v[0], &v[1], &v[2], &v[3], &v[4], &v[5], &v[6]) == 7)
            ebf = v[6];
    fclose(f);
    return ebf;
}

static void vacancy_hop(const am_potential *pot)
{
    am_system *s = vacancy_crystal();
    am_engine *e;
    minimised(s, &e, pot);
    const size_t n = s->n, n3 = 3 * n;
    /* atom 0 of s was at (a/2, a/2, 0): a nearest neighbour of the vacancy */
    const size_t j = 0;
    double *push = calloc(n3, sizeof(double)), *xs = malloc(n3 * sizeof(double)), *xf = malloc(n3 * sizeof(double));
    double *x0 = malloc(n3 * sizeof(double)), *f = malloc(n3 * sizeof(double));
    get_flat(s, x0);
    push[3 * j] = -s->x[j]; push[3 * j + 1] = -s->y[j]; push[3 * j + 2] = -s->z[j];
    am_saddle_options o;
    am_saddle_defaults(&o);
    am_saddle_result r = {0};
    r.saddle_xyz = xs;
    r.final_xyz = xf;
    double t = now();
    am_status st = am_saddle_search(e, s, &o, j, push, &r);
    t = now() - t;
    check_true(st == AM_OK && r.outcome == AM_SADDLE_OK, "vacancy hop: search succeeded (%s)",
               am_saddle_outcome_name(r.outcome));
    printf("vacancy hop: Ea = %.6f eV, E0 = %.6f, E_saddle = %.6f, E_final = %.6f eV, lambda = %.4f eV/A^2,\n"
           "  fmax = %.4f eV/A, %d basin + %d activation steps, %ld force calls to the saddle, %ld in all, %.3f s\n",
           r.ea, r.e0, r.e_saddle, r.e_final, r.eigenvalue, r.fmax_saddle, r.basin_steps, r.act_steps,
           r.force_calls_saddle, r.force_calls, t);
    check_true(r.ea > 0.6 && r.ea < 0.8, "vacancy hop: Ea %.4f eV in the Cu vacancy-migration range 0.6-0.8", r.ea);
    check_abs(r.e_final, r.e0, 1e-4, "vacancy hop: final minimum has the initial energy (symmetric hop, eV)");
    check_true(r.disp_back < 0.1, "vacancy hop: relaxing back from the saddle returns to the start (%.2g A)", r.disp_back);
    /* The new minimum is the old one with the vacancy on j's site: j sits on
     * the old vacant site (the origin), pulled towards the new vacancy by as
     * much as it was pulled towards the old one, so the hop is a/sqrt(2)
     * shortened by twice that relaxation. ARTn keeps the centre of geometry
     * fixed, so its final state is that one shifted by -hop/N: undone here. */
    const double rel0 = sqrt((x0[3 * j] - A_CU / 2) * (x0[3 * j] - A_CU / 2) +
                             (x0[3 * j + 1] - A_CU / 2) * (x0[3 * j + 1] - A_CU / 2) + x0[3 * j + 2] * x0[3 * j + 2]);
    double dj[3], pj[3];
    for (int k = 0; k < 3; k++) {
        dj[k] = (xf[3 * j + k] - x0[3 * j + k]) * (1.0 + 1.0 / (double)n);
        pj[k] = x0[3 * j + k] + dj[k];
    }
    check_abs(sqrt(pj[0] * pj[0] + pj[1] * pj[1] + pj[2] * pj[2]), rel0, 2e-3,
              "vacancy hop: the pushed atom sits on the old vacant site, relaxed as it was next to the vacancy (A)");
    check_abs(sqrt(dj[0] * dj[0] + dj[1] * dj[1] + dj[2] * dj[2]), A_CU / sqrt(2.0) - 2 * rel0, 2e-3,
              "vacancy hop: the pushed atom hopped a/sqrt(2) - 2 x %.4f A relaxation (A)", rel0);
    check_abs(r.disp_max, A_CU / sqrt(2.0) - 2 * rel0, 0.03,
              "vacancy hop: the largest displacement is the hop (A)");
    double second = 0;
    for (size_t i = 0; i < n; i++)
        if (i != j) {
            double d[3] = {xf[3 * i] - x0[3 * i], xf[3 * i + 1] - x0[3 * i + 1], xf[3 * i + 2] - x0[3 * i + 2]};
            second = fmax(second, sqrt(d[0] * d[0] + d[1] * d[1] + d[2] * d[2]));
        }
    check_true(second < 0.2, "vacancy hop: every other atom stays near its site (max %.3f A)", second);
    /* independent checks at the saddle */
    set_flat(s, xs);
    const double es = flat_forces(e, s, f);
    check_abs(es, r.e_saddle, 1e-9, "saddle: recomputed energy equals the reported one (eV)");
    check_true(max_atom_force(f, n) < o.exit_force, "saddle: recomputed max force %.4f < %.2f eV/A",
               max_atom_force(f, n), o.exit_force);
    double *w = dense_spectrum(e, s, 1e-3);
    int nneg = 0;
    for (size_t i = 0; i < n3; i++) nneg += w[i] < -1e-3;
    check_true(nneg == 1, "saddle: exactly one negative dense Hessian eigenvalue (%d; lowest %.4f, next %.4f %.4f)",
               nneg, w[0], w[1], w[2]);
    check_rel(r.eigenvalue, w[0], 0.05, "saddle: ARTn's Lanczos eigenvalue equals the dense one (eV/A^2)");
    free(w);
    set_flat(s, x0);
    if (lmp_available() && program_available("mpirun")) {
        t = now();
        const double eneb = lammps_neb_barrier(s, x0, xf);
        printf("LAMMPS climbing-image NEB: barrier %.6f eV (%.1f s); ARTn with the defaults (saddle to %.3f eV/A): "
               "%+.3f meV\n", eneb, now() - t, o.refine_exit_force > 0 ? o.refine_exit_force : o.exit_force,
               1e3 * (r.ea - eneb));
        /* The residual force at the default exit force costs ~F^2/2k along the
         * softest perpendicular modes (a couple of meV here): tighten it so
         * the comparison measures the saddle, not the tolerance. */
        am_saddle_options tight = o;
        tight.exit_force = 0.005;
        am_saddle_result rt = {0};
        am_saddle_search(e, s, &tight, j, push, &rt);
        check_true(rt.outcome == AM_SADDLE_OK, "vacancy hop, exit force %.3f: %s in %ld force calls", tight.exit_force,
                   am_saddle_outcome_name(rt.outcome), rt.force_calls_saddle);
        check_abs(rt.ea, eneb, 1e-3, "vacancy hop: ARTn barrier (exit force %.3f) equals LAMMPS NEB's (eV)",
                  tight.exit_force);
    } else {
        printf("LAMMPS or mpirun not found: NEB comparison skipped\n");
    }
    free(push); free(xs); free(xf); free(x0); free(f);
    am_engine_free(e);
    am_system_free(s);
}

/* Every reported number bit for bit (NaN payloads included). */
static int same_result(const am_saddle_result *a, const am_saddle_result *b)
{
    const double da[] = {a->e0, a->fmax0, a->e_saddle, a->e_final, a->ea, a->eigenvalue, a->fmax_saddle,
                         a->disp_max, a->disp_total, a->disp_back};
    const double db[] = {b->e0, b->fmax0, b->e_saddle, b->e_final, b->ea, b->eigenvalue, b->fmax_saddle,
                         b->disp_max, b->disp_total, b->disp_back};
    return a->outcome == b->outcome && memcmp(da, db, sizeof da) == 0 && a->force_calls == b->force_calls &&
           a->force_calls_saddle == b->force_calls_saddle && a->basin_steps == b->basin_steps &&
           a->act_steps == b->act_steps;
}

static void determinism_and_failures(const am_potential *pot)
{
    am_system *s = vacancy_crystal();
    am_engine *e;
    minimised(s, &e, pot);
    const size_t n3 = 3 * s->n;
    double *x0 = malloc(n3 * sizeof(double)), *x1 = malloc(n3 * sizeof(double)), *xa = malloc(n3 * sizeof(double));
    double *xb = malloc(n3 * sizeof(double));
    get_flat(s, x0);
    am_saddle_options o;
    am_saddle_defaults(&o);
    o.seed = 11;
    am_saddle_result r1 = {0}, r2 = {0};
    r1.saddle_xyz = xa;
    r2.saddle_xyz = xb;
    am_saddle_search(e, s, &o, 0, NULL, &r1);
    get_flat(s, x1);
    check_true(memcmp(x0, x1, n3 * sizeof(double)) == 0, "random push: the system's positions are restored");
    am_saddle_search(e, s, &o, 0, NULL, &r2);
    printf("random push, seed 11: %s, Ea %.5f eV, %ld force calls\n", am_saddle_outcome_name(r1.outcome), r1.ea,
           r1.force_calls);
    check_true(same_result(&r1, &r2) && memcmp(xa, xb, n3 * sizeof(double)) == 0,
               "same seed twice: bit-identical result and saddle");
    o.seed = 12;
    am_saddle_search(e, s, &o, 0, NULL, &r2);
    check_true(memcmp(xa, xb, n3 * sizeof(double)) != 0, "another seed: another path");

    /* failures come back as outcomes, not errors */
    am_saddle_defaults(&o);
    o.max_basin_steps = 2;
    am_status st = am_saddle_search(e, s, &o, 0, NULL, &r1);
    check_true(st == AM_OK && r1.outcome == AM_SADDLE_BASIN_LIMIT, "2 basin steps: '%s' after %d steps",
               am_saddle_outcome_name(r1.outcome), r1.basin_steps);
    am_saddle_defaults(&o);
    o.max_act_steps = 2;
    double *push = calloc(n3, sizeof(double));
    push[0] = -s->x[0]; push[1] = -s->y[0]; push[2] = -s->z[0];
    st = am_saddle_search(e, s, &o, 0, push, &r1);
    check_true(st == AM_OK && r1.outcome == AM_SADDLE_STEP_LIMIT && r1.act_steps == 2,
               "2 activation steps: '%s', fmax %.3f eV/A at the last point", am_saddle_outcome_name(r1.outcome),
               r1.fmax_saddle);
    st = am_saddle_search(e, s, &o, s->n, push, &r1);
    check_true(st == AM_ERR_VALUE, "centre atom out of range: an error (%s)", am_error_message());
    free(push); free(x0); free(x1); free(xa); free(xb);
    am_engine_free(e);
    am_system_free(s);
}

int main(void)
{
    am_potential *pot;
    if (!check_true(am_potential_read(potential_path("Cu_u3.eam"), AM_EAM_AUTO, &pot) == AM_OK, "read Cu_u3.eam"))
        return check_exit();
    lanczos_perfect_crystal(pot);
    vacancy_hop(pot);
    determinism_and_failures(pot);
    am_potential_free(pot);
    return check_exit();
}
