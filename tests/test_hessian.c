/* The analytic EAM Hessian: H·x equals central finite differences of the
 * forces (orthogonal, triclinic and a box smaller than twice the cutoff),
 * the dense matrix is symmetric and equals the product, translations are
 * null vectors, and at a minimum the mass-weighted Hessian has exactly three
 * zero modes; participations add up. */
#include "util/build.h"
#include "util/check.h"

#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static void displace(am_system *s, const double *x, double h)
{
    for (size_t i = 0; i < s->n; i++) { s->x[i] += h * x[3 * i]; s->y[i] += h * x[3 * i + 1]; s->z[i] += h * x[3 * i + 2]; }
}

static double norm(const double *v, size_t m)
{
    double s = 0;
    for (size_t k = 0; k < m; k++) s += v[k] * v[k];
    return sqrt(s);
}

/* ‖H x − (F(R − h x) − F(R + h x))/2h‖ / ‖H x‖ for a random unit x, plus the
 * dense checks when the system is small. */
static void against_forces(const char *label, am_potential *p, am_system *s)
{
    const size_t n = s->n, N = 3 * n;
    am_engine *e;
    am_hessian *h;
    if (!check_true(am_engine_create(p, s, 1.0, &e) == AM_OK && am_hessian_create(p, s, &h) == AM_OK,
                    "%s: engine and Hessian (%s)", label, am_error_message()))
        return;
    double *x = malloc(N * sizeof(double)), *hx = malloc(N * sizeof(double)), *fp = malloc(N * sizeof(double)),
           *fm = malloc(N * sizeof(double));
    unsigned long long st = 12345;
    for (size_t k = 0; k < N; k++) {
        st = st * 6364136223846793005ULL + 1442695040888963407ULL;
        x[k] = (double)(st >> 11) / 9007199254740992.0 - 0.5;
    }
    const double xn = norm(x, N);
    for (size_t k = 0; k < N; k++) x[k] /= xn;
    am_hessian_apply(h, x, hx);
    /* The tables are C1 cubic pieces: the second derivative jumps at every
     * knot (every 7.6e-4 A for CuZr_mm), so a difference step that carries a
     * pair across a knot is off at O(step) (measured: 3e-5 relative at
     * 1e-4 A, 3e-7 at 1e-6). 3e-7 A balances that against round-off. */
    const double step = 3e-7;
    displace(s, x, step);
    flat_forces(e, s, fp);
    displace(s, x, -2 * step);
    flat_forces(e, s, fm);
    displace(s, x, step);
    double err = 0;
    for (size_t k = 0; k < N; k++) {
        const double fd = (fm[k] - fp[k]) / (2 * step);
        err += (hx[k] - fd) * (hx[k] - fd);
    }
    check_abs(sqrt(err) / norm(hx, N), 0, 1e-6, "%s: H x equals finite differences of the forces (relative)", label);

    /* translations are null vectors */
    double worst = 0;
    for (int d = 0; d < 3; d++) {
        for (size_t k = 0; k < N; k++) x[k] = k % 3 == (size_t)d ? 1.0 / sqrt((double)n) : 0.0;
        am_hessian_apply(h, x, fp);
        worst = fmax(worst, norm(fp, N) / norm(hx, N));
    }
    check_abs(worst, 0, 1e-10, "%s: H annihilates rigid translations", label);

    if (n <= 500) {
        double *H = malloc(N * N * sizeof(double)), asym = 0, big = 0, dprod = 0;
        am_hessian_dense(h, H);
        for (size_t a = 0; a < N; a++)
            for (size_t b = 0; b < N; b++) {
                asym = fmax(asym, fabs(H[a * N + b] - H[b * N + a]));
                big = fmax(big, fabs(H[a * N + b]));
            }
        for (size_t k = 0; k < N; k++) x[k] = sin(0.37 * (double)k);
        am_hessian_apply(h, x, hx);
        for (size_t a = 0; a < N; a++) {
            double sum = 0;
            for (size_t b = 0; b < N; b++) sum += H[a * N + b] * x[b];
            dprod = fmax(dprod, fabs(sum - hx[a]));
        }
        check_abs(asym / big, 0, 1e-12, "%s: dense Hessian is symmetric", label);
        check_abs(dprod / big, 0, 1e-12, "%s: dense Hessian times x equals the factored product", label);
        free(H);
    }
    free(x); free(hx); free(fp); free(fm);
    am_hessian_free(h);
    am_engine_free(e);
}

static void modes_at_minimum(am_potential *p, am_system *s)
{
    am_engine *e;
    am_engine_create(p, s, 1.0, &e);
    am_min_options mo = {.method = AM_MIN_CG, .ftol = 1e-9};
    am_min_result mr;
    check_true(am_minimize(e, s, &mo, &mr) == AM_OK, "glass minimised");
    am_hessian *h;
    am_modes *m;
    am_hessian_create(p, s, &h);
    double *mass = malloc(s->n * sizeof(double));
    am_system_masses(s, mass);
    const am_status ms = am_modes_dense(h, mass, 12, 1, &m);
    if (!check_true(ms == AM_OK, "dense modes (%s)", am_error_message())) return;
    printf("  lowest eigenvalues (eV/A^2/amu): %.3e %.3e %.3e | %.5f %.5f; nu_4 = %.4f THz\n", m->lambda[0], m->lambda[1],
           m->lambda[2], m->lambda[3], m->lambda[4], sqrt(m->lambda[3]) * AM_THZ_PER_SQRT_EV_A2_AMU);
    check_true(fabs(m->lambda[0]) < 1e-7 && fabs(m->lambda[1]) < 1e-7 && fabs(m->lambda[2]) < 1e-7,
               "three zero modes (translations) at the minimum");
    check_true(m->lambda[3] > 1e-4, "the fourth mode is a vibration (lambda %.3g > 0)", m->lambda[3]);
    double *pp = malloc(s->n * sizeof(double)), sum = 0;
    check_true(am_modes_participation(m, 3, 9, pp) == AM_OK, "participation in modes 4-12");
    for (size_t i = 0; i < s->n; i++) sum += pp[i];
    check_abs(sum, 9, 1e-10, "participations add up to the number of modes");
    /* translation modes: each atom's share is its mass fraction */
    double dev = 0, mtot = 0;
    for (size_t i = 0; i < s->n; i++) mtot += s->species[s->type[i]].mass;
    am_modes_participation(m, 0, 3, pp);
    for (size_t i = 0; i < s->n; i++) dev = fmax(dev, fabs(pp[i] - 3 * s->species[s->type[i]].mass / mtot));
    check_abs(dev, 0, 1e-6, "translation modes weight each atom by its mass fraction");

    /* the sparse shift-invert solver finds the same modes */
    am_modes *sp;
    if (check_true(am_modes_sparse(h, mass, 12, -1e-3, &sp) == AM_OK, "sparse modes (%s)", am_error_message())) {
        double dl = 0, dpart = 0;
        for (int k = 3; k < 12; k++) dl = fmax(dl, fabs(sp->lambda[k] - m->lambda[k]) / m->lambda[k]);
        for (int k = 0; k < 3; k++) dl = fmax(dl, fabs(sp->lambda[k]) / m->lambda[3]);
        double *ps = malloc(s->n * sizeof(double));
        am_modes_participation(m, 3, 9, pp);
        am_modes_participation(sp, 3, 9, ps);
        for (size_t i = 0; i < s->n; i++) dpart = fmax(dpart, fabs(ps[i] - pp[i]));
        printf("  sparse vs dense: eigenvalues %.2e (relative), participations %.2e\n", dl, dpart);
        check_abs(dl, 0, 1e-9, "sparse and dense eigenvalues agree (12 lowest)");
        check_abs(dpart, 0, 1e-8, "sparse and dense participations agree");
        free(ps);
        am_modes_free(sp);
    }
    /* a shift above the lowest eigenvalue is caught, not silently wrong */
    check_true(am_modes_sparse(h, mass, 12, 0.01, &sp) == AM_ERR_VALUE, "shift above the spectrum's bottom refused: %s",
               am_error_message());
    free(pp);
    free(mass);
    am_modes_free(m);
    am_hessian_free(h);
    am_engine_free(e);
}

/* amorph modes: the participation column sums to the number of modes used
 * and the JSON reports three zero translations. */
static void cli(void)
{
    static char out[1 << 16];
    const char *dir = scratch_dir("hessian");
    const char *csv = scratch_file(dir, "p.csv");
    char args[1024];
    snprintf(args, sizeof args, "modes %s --minimize --fraction 0.01 --csv %s --json -q",
             source_path("tests/data/cuzr_glass_432.data"), csv);
    const int rc = run_amorph(args, out, sizeof out);
    check_true(rc == 0 && strstr(out, "\"modes_used\": 13") && strstr(out, "\"negative\": 0"),
               "amorph modes: 13 modes (1 %% of 1296), no negative eigenvalue: %.200s", out);
    FILE *f = fopen(csv, "r");
    char line[512];
    double sum = 0;
    long rows = 0;
    if (f) {
        if (!fgets(line, sizeof line, f)) line[0] = 0;
        while (fgets(line, sizeof line, f)) {
            const char *c = strrchr(line, ',');
            if (c) { sum += strtod(c + 1, NULL); rows++; }
        }
        fclose(f);
    }
    check_true(rows == 432, "participation for every atom");
    check_abs(sum, 13, 1e-6, "participations in the CSV add up to the 13 modes");
    snprintf(args, sizeof args, "modes %s --fraction 2 -q", source_path("tests/data/cuzr_glass_432.data"));
    check_true(run_amorph(args, out, sizeof out) == 2 && strstr(out, "--fraction"), "bad --fraction: status 2");
}

int main(void)
{
    cli();
    am_potential *cuzr, *cu;
    if (!check_true(am_potential_read(potential_path("CuZr_mm.eam.fs"), AM_EAM_FS, &cuzr) == AM_OK &&
                        am_potential_read(potential_path("Cu_u3.eam"), AM_EAM_FUNCFL, &cu) == AM_OK,
                    "potentials read"))
        return check_exit();
    am_system *s = load_conf(source_path("tests/data/cuzr_glass_432.data"), "Cu,Zr");
    if (!check_true(s != NULL, "glass loaded")) return check_exit();
    against_forces("glass", cuzr, s);
    am_system *t = load_conf(source_path("tests/data/cuzr_glass_432.data"), "Cu,Zr");
    rattle(t, 0.05, 3);
    shear_box(t, 1.5, -0.8, 0.6);
    against_forces("rattled triclinic glass", cuzr, t);
    am_system_free(t);
    am_system *b2 = build_lattice("b2", 3.26, 3, 3, 3, "Cu,Zr");
    rattle(b2, 0.08, 5);
    against_forces("B2 in a 9.8 A box (images)", cuzr, b2);
    am_system_free(b2);
    am_system *fcc = build_lattice("fcc", 3.615, 3, 3, 3, "Cu");
    rattle(fcc, 0.05, 9);
    against_forces("fcc Cu, funcfl", cu, fcc);
    am_system_free(fcc);
    modes_at_minimum(cuzr, s);
    am_system_free(s);
    am_potential_free(cuzr);
    am_potential_free(cu);
    return check_exit();
}
