/* Two-body excess entropy S2: the gridded one-pass evaluation against an
 * independent adaptive integration of the defining integral (untruncated
 * Gaussians, every periodic image), LAMMPS mode against a direct
 * transcription of compute entropy/atom's loop over all images, the
 * published single-component form, the ideal gas (sample S2 → 0 as the
 * sample grows), symmetry, thread and cutoff-list independence, errors. */
#include "util/build.h"
#include "util/check.h"

#include <gsl/gsl_cdf.h>
#include <gsl/gsl_integration.h>
#include <math.h>
#include <omp.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static const double PI = 3.14159265358979323846;

/* Every separation r_ij (j of species sp, or any if sp < 0) below rmax,
 * over all periodic images, by brute force. */
static size_t distances(const am_system *s, size_t i, int sp, double rmax, double *out, size_t cap)
{
    const am_box *b = &s->box;
    const double a[3] = {b->len[0], 0, 0}, bb[3] = {b->tilt[0], b->len[1], 0}, c[3] = {b->tilt[1], b->tilt[2], b->len[2]};
    const int m = (int)ceil(rmax / fmin(b->len[0], fmin(b->len[1], b->len[2]))) + 1;
    size_t k = 0;
    for (size_t j = 0; j < s->n; j++) {
        if (sp >= 0 && s->type[j] != sp) continue;
        for (int n1 = -m; n1 <= m; n1++)
            for (int n2 = -m; n2 <= m; n2++)
                for (int n3 = -m; n3 <= m; n3++) {
                    if (j == i && !n1 && !n2 && !n3) continue;
                    const double d[3] = {s->x[j] - s->x[i] + n1 * a[0] + n2 * bb[0] + n3 * c[0],
                                         s->y[j] - s->y[i] + n2 * bb[1] + n3 * c[1], s->z[j] - s->z[i] + n3 * c[2]};
                    const double r = sqrt(d[0] * d[0] + d[1] * d[1] + d[2] * d[2]);
                    if (r < rmax && k < cap) out[k++] = r;
                }
    }
    return k;
}

typedef struct gparams { const double *r; size_t n; double sigma, rho; } gparams;

/* ρ r² [g ln g − g + 1] with the exact (untruncated) smeared g */
static double integrand(double r, void *p)
{
    const gparams *g = p;
    double sum = 0;
    for (size_t k = 0; k < g->n; k++) sum += exp(-(r - g->r[k]) * (r - g->r[k]) / (2 * g->sigma * g->sigma));
    const double gr = sum / (sqrt(2 * PI) * g->sigma * 4 * PI * g->rho * r * r);
    return g->rho * r * r * (gr > 0 ? gr * log(gr) - gr + 1 : 1.0);
}

/* S2 of atom i up to rc from the definition, by adaptive quadrature. */
static double s2_reference(const am_system *s, size_t i, double sigma, double rc, int one_species)
{
    const double vol = am_box_volume(&s->box);
    const int nsp = one_species ? 1 : s->nspecies;
    const size_t cap = 20000;
    double *r = malloc(cap * sizeof(double)), total = 0;
    gsl_integration_workspace *w = gsl_integration_workspace_alloc(4000);
    for (int v = 0; v < nsp; v++) {
        double nv = 0;
        for (size_t j = 0; j < s->n; j++) nv += one_species || s->type[j] == v;
        gparams g = {r, distances(s, i, one_species ? -1 : v, rc + 12 * sigma, r, cap), sigma, nv / vol};
        gsl_function f = {integrand, &g};
        double part = 0;
        /* pieces of 0.5 A keep every Gaussian bump resolved */
        for (double lo = 1e-3; lo < rc; lo += 0.5) {
            double val, err;
            gsl_integration_qag(&f, lo, fmin(lo + 0.5, rc), 1e-13, 1e-11, 4000, GSL_INTEG_GAUSS41, w, &val, &err);
            part += val;
        }
        total += -2 * PI * part;
    }
    gsl_integration_workspace_free(w);
    free(r);
    return total;
}

/* compute entropy/atom for atom i, written out from its documented loop
 * with every image found by brute force. */
static double s2_lammps_reference(const am_system *s, size_t i, double sigma, double rc)
{
    const int nbin = (int)(rc / sigma) + 1;
    double *g = calloc((size_t)nbin, sizeof(double)), *r = malloc(20000 * sizeof(double));
    const double density = s->n / am_box_volume(&s->box);
    const double inv = 1.0 / (4 * PI * density * sqrt(2 * PI) * sigma);
    const size_t m = distances(s, i, -1, rc, r, 20000);
    for (size_t k = 0; k < m; k++) {
        const int bin = (int)floor(r[k] / sigma);
        for (int b = bin - 3 < 0 ? 0 : bin - 3; b <= bin + 3 && b < nbin; b++) {
            const double rb = b * sigma;
            g[b] += inv / (rb * rb) * exp(-(r[k] - rb) * (r[k] - rb) / (2 * sigma * sigma));
        }
    }
    double value = 0;
    for (int b = 0; b < nbin; b++) {
        const double rb2 = (b * sigma) * (b * sigma);
        const double f = g[b] < 1e-10 ? rb2 : (g[b] * log(g[b]) - g[b] + 1) * rb2;
        value += (b == 0 || b == nbin - 1) ? 0.5 * f : f;
    }
    free(g);
    free(r);
    return -2 * PI * density * value * sigma;
}

static double *run(const am_system *s, am_s2_mode mode, double sigma, double dr, const double *rc, int ncut,
                   double *partial, double *sys)
{
    am_s2_options o = {mode, sigma, dr, rc, ncut};
    double *v = malloc(s->n * (size_t)ncut * sizeof(double));
    if (am_s2(s, &o, v, partial, sys) != AM_OK) {
        printf("am_s2: %s\n", am_error_message());
        free(v);
        return NULL;
    }
    return v;
}

static void glass_against_definition(const am_system *s)
{
    const double rc[3] = {4.0, 6.25, 11.2};
    const size_t atoms[3] = {0, 151, 377};
    double *coarse = run(s, AM_S2_MULTI, 0.2, 0, rc, 3, NULL, NULL);
    double *fine = run(s, AM_S2_MULTI, 0.2, 0.01, rc, 3, NULL, NULL);
    if (!check_true(coarse && fine, "S2 on the glass")) return;
    double dc = 0, df = 0;
    for (int a = 0; a < 3; a++)
        for (int c = 0; c < 3; c++) {
            const double ref = s2_reference(s, atoms[a], 0.2, rc[c], 0);
            dc = fmax(dc, fabs(coarse[atoms[a] * 3 + c] - ref));
            df = fmax(df, fabs(fine[atoms[a] * 3 + c] - ref));
            if (a == 0) printf("  atom 0, rc %.2f: S2 = %.10f (definition %.10f)\n", rc[c], coarse[c], ref);
        }
    printf("  max |S2 - definition|: grid 0.05 A %.2e, grid 0.01 A %.2e\n", dc, df);
    check_abs(dc, 0, 2e-4, "glass: S2 on the default grid (0.05 A) matches the integral of the definition");
    check_abs(df, 0, 1e-6, "glass: S2 on a 0.01 A grid matches the integral of the definition");
    free(coarse);
    free(fine);
}

/* One species: the multi-component form is the published single-component
 * S2 (Piaggi & Parrinello 2017); LAMMPS mode is compute entropy/atom. */
static void one_species(am_system *s)
{
    const double rc[2] = {5.0, 7.7};
    double *lmp = run(s, AM_S2_LAMMPS, 0.2, 0, rc, 2, NULL, NULL);
    if (!check_true(lmp != NULL, "LAMMPS mode on the glass")) return;
    double d = 0;
    for (size_t i = 0; i < s->n; i += 17)
        for (int c = 0; c < 2; c++) {
            const double ref = s2_lammps_reference(s, i, 0.2, rc[c]);
            d = fmax(d, fabs(lmp[i * 2 + c] - ref) / fabs(ref));
        }
    check_abs(d, 0, 1e-13, "LAMMPS mode equals compute entropy/atom's loop over every image (rc 5 and 7.7 A)");

    const int nsp = s->nspecies;
    int *type = malloc(s->n * sizeof(int));
    memcpy(type, s->type, s->n * sizeof(int));
    s->nspecies = 1;
    for (size_t i = 0; i < s->n; i++) s->type[i] = 0;
    double *one = run(s, AM_S2_MULTI, 0.2, 0, rc, 2, NULL, NULL);
    double *lmp1 = run(s, AM_S2_LAMMPS, 0.2, 0, rc, 2, NULL, NULL);
    if (check_true(one && lmp1, "S2 with one species")) {
        double dd = 0, dl = 0;
        for (size_t i = 0; i < s->n; i += 61) {
            const double ref = s2_reference(s, i, 0.2, rc[0], 1);
            dd = fmax(dd, fabs(one[i * 2] - ref));
            dl = fmax(dl, fabs(lmp1[i * 2] - ref) / fabs(ref));
        }
        double same = 0; /* only the order of neighbours differs */
        for (size_t i = 0; i < s->n * 2; i++) same = fmax(same, fabs(lmp1[i] - lmp[i]) / fabs(lmp[i]));
        printf("  one species, rc 5 A: |S2 - definition| %.2e; LAMMPS grid (spacing sigma) off by %.2f %%\n", dd, 100 * dl);
        check_abs(dd, 0, 2e-4, "one species: S2 is the published single-component integral");
        check_true(dl > 1e-3 && dl < 0.15, "one species: LAMMPS's coarse grid is within 15%% of the integral (%.2f %%)", 100 * dl);
        check_abs(same, 0, 1e-13, "LAMMPS mode ignores species (global density)");
    }
    free(one); free(lmp1); free(lmp);
    memcpy(s->type, type, s->n * sizeof(int));
    s->nspecies = nsp;
    free(type);
}

/* Species terms add up; a list of cutoffs equals separate runs; threads
 * and the AVX2 pair loop (against the generic one, AMORPH_NO_SIMD=1) do not
 * change a bit. */
static void consistency(const am_system *s)
{
    const double rc[3] = {4.0, 6.25, 11.2};
    const size_t n = s->n;
    double *part = malloc(n * 3 * 2 * sizeof(double)), sys1[3], sys2[3];
    omp_set_num_threads(1);
    double *a = run(s, AM_S2_MULTI, 0.2, 0, rc, 3, part, sys1);
    omp_set_num_threads(2);
    double *b = run(s, AM_S2_MULTI, 0.2, 0, rc, 3, NULL, sys2);
    double *single = run(s, AM_S2_MULTI, 0.2, 0, rc + 1, 1, NULL, NULL);
    setenv("AMORPH_NO_SIMD", "1", 1);
    double *generic = run(s, AM_S2_MULTI, 0.2, 0, rc, 3, NULL, NULL);
    unsetenv("AMORPH_NO_SIMD");
    if (!check_true(a && b && single && generic, "S2 runs")) return;
    int same = memcmp(a, b, n * 3 * sizeof(double)) == 0 && memcmp(sys1, sys2, sizeof sys1) == 0;
    check_true(same, "1 and 2 threads give bit-identical per-atom and sample S2");
    check_true(memcmp(a, generic, n * 3 * sizeof(double)) == 0,
               "the generic pair loop gives the same bits as the AVX2 one (where the CPU has it)");
    double dp = 0, ds = 0, mean = 0;
    for (size_t i = 0; i < n; i++) {
        for (int c = 0; c < 3; c++) dp = fmax(dp, fabs(part[(i * 3 + c) * 2] + part[(i * 3 + c) * 2 + 1] - a[i * 3 + c]));
        ds = fmax(ds, fabs(single[i] - a[i * 3 + 1]));
        mean += a[i * 3 + 2] / n;
    }
    check_abs(dp, 0, 1e-13, "Cu and Zr terms add up to S2");
    check_abs(ds, 0, 1e-12, "a cutoff inside a list equals the cutoff alone");
    printf("  glass: sample S2 at 4 / 6.25 / 11.2 A: %.4f %.4f %.4f; mean per-atom S2 at 11.2 A %.4f\n", sys1[0], sys1[1],
           sys1[2], mean);
    check_true(sys1[0] > sys1[1] && sys1[1] > sys1[2] && sys1[2] > mean, "sample S2 of the glass is negative, above the per-atom mean");
    free(a); free(b); free(part); free(single); free(generic);
}

/* An ideal gas smeared by Gaussians of width σ has, for N → ∞,
 * g(r) = [(r² + σ²) Φ(r/σ) + r σ φ(r/σ)] / r² (the Jacobian r'² under the
 * kernel), so S2 tends to a small O(ρσ³) constant rather than exactly 0. */
static double ideal_g(double r, void *p)
{
    const double sg = *(const double *)p, a = r / sg;
    const double g = ((r * r + sg * sg) * gsl_cdf_ugaussian_P(a) + r * sg * exp(-a * a / 2) / sqrt(2 * PI)) / (r * r);
    return r * r * (g * log(g) - g + 1);
}

/* The ideal gas: the sample's S2 (from the atom-averaged g) converges to
 * the smeared-gas limit as the sample grows, the finite-sample part
 * falling like 1/N; per atom, shot noise in the local g keeps S2 finite.
 * The grid takes the integrand at r = 0 as 0, right when no pair is
 * closer than ~1 A; a gas has such pairs, so the limit it tends to is the
 * same grid rule applied to the exact g(r), which the test compares too. */
static void ideal_gas(void)
{
    const double rc = 5.0, rho = 0.06, sigma = 0.2, h = sigma / 4;
    double sg = sigma, exact, err;
    gsl_integration_workspace *w = gsl_integration_workspace_alloc(1000);
    gsl_function f = {ideal_g, &sg};
    gsl_integration_qags(&f, 0, rc, 1e-12, 1e-10, 1000, w, &exact, &err);
    gsl_integration_workspace_free(w);
    exact *= -2 * PI * rho;
    const int m = (int)lround(rc / h);
    double limit = 0;
    for (int k = 1; k <= m; k++) limit += (k == m ? 0.5 : 1.0) * h * ideal_g(k * h, &sg);
    limit -= h / 24 * (ideal_g((m + 1) * h, &sg) - ideal_g((m - 1) * h, &sg));
    limit *= -2 * PI * rho;
    printf("  smeared ideal gas, N -> infinity: S2 = %.4e (on the grid %.4e)\n", exact, limit);
    check_abs(limit - exact, 0, 2e-3, "ideal gas: the r -> 0 grid rule moves the limit by less than 0.002");
    double prev = 0;
    const size_t sizes[3] = {500, 4000, 32000};
    for (int k = 0; k < 3; k++) {
        am_system *g;
        if (am_system_random("Cu50Zr50", sizes[k], rho, 0.0, 7, &g)) { check_true(0, "ideal gas made"); return; }
        double sys;
        double *v = run(g, AM_S2_MULTI, sigma, 0, &rc, 1, NULL, &sys);
        free(v);
        printf("  ideal gas N = %zu: sample S2 = %.4e (excess %.3e)\n", sizes[k], sys, sys - limit);
        if (k) check_true(fabs(sys - limit) < fabs(prev - limit) / 4, "ideal gas: S2 - limit falls from %.2e to %.2e as N grows 8x",
                          prev - limit, sys - limit);
        prev = sys;
        am_system_free(g);
    }
    check_abs(prev, 0, 5e-3, "ideal gas of 32000 atoms: S2 = %.1e, O(rho sigma^3) from 0", prev);
}

/* Every atom of a perfect crystal has the same S2. */
static void crystal(void)
{
    am_system *s = build_lattice("fcc", 3.615, 4, 4, 4, "Cu");
    const double rc = 7.0;
    double *v = run(s, AM_S2_MULTI, 0.2, 0, &rc, 1, NULL, NULL), *l = run(s, AM_S2_LAMMPS, 0.2, 0, &rc, 1, NULL, NULL);
    if (check_true(v && l, "S2 of fcc")) {
        double dv = 0, dl = 0;
        for (size_t i = 1; i < s->n; i++) { dv = fmax(dv, fabs(v[i] - v[0])); dl = fmax(dl, fabs(l[i] - l[0])); }
        check_abs(dv, 0, 1e-10, "fcc: every atom has the same S2 (%.4f)", v[0]);
        check_abs(dl, 0, 1e-10, "fcc: every atom has the same LAMMPS-mode S2 (%.4f)", l[0]);
        check_rel(v[0], s2_reference(s, 5, 0.2, rc, 0), 1e-4, "fcc: S2 matches the integral of the definition");
    }
    free(v); free(l);
    am_system_free(s);
}

static void errors(am_system *s)
{
    const double rc = 5, bad = -1;
    double *v = malloc(s->n * sizeof(double)), sys;
    am_s2_options o = {AM_S2_MULTI, 0.0, 0, &rc, 1};
    check_true(am_s2(s, &o, v, NULL, NULL) == AM_ERR_VALUE, "sigma 0 rejected: %s", am_error_message());
    o = (am_s2_options){AM_S2_MULTI, 0.2, 0.3, &rc, 1};
    check_true(am_s2(s, &o, v, NULL, NULL) == AM_ERR_VALUE, "grid coarser than sigma rejected: %s", am_error_message());
    o = (am_s2_options){AM_S2_MULTI, 0.2, 0, &bad, 1};
    check_true(am_s2(s, &o, v, NULL, NULL) == AM_ERR_VALUE, "negative cutoff rejected: %s", am_error_message());
    o = (am_s2_options){AM_S2_LAMMPS, 0.2, 0, &rc, 1};
    check_true(am_s2(s, &o, v, NULL, &sys) == AM_ERR_UNSUPPORTED, "LAMMPS mode has no sample value: %s", am_error_message());
    s->box.periodic[2] = 0;
    o = (am_s2_options){AM_S2_MULTI, 0.2, 0, &rc, 1};
    check_true(am_s2(s, &o, v, NULL, NULL) == AM_ERR_UNSUPPORTED, "open boundaries rejected: %s", am_error_message());
    s->box.periodic[2] = 1;
    free(v);
}

int main(void)
{
    am_system *s = load_conf(source_path("tests/data/cuzr_glass_432.data"), "Cu,Zr");
    if (!check_true(s != NULL, "glass loaded")) return check_exit();
    glass_against_definition(s);
    one_species(s);
    consistency(s);
    ideal_gas();
    crystal();
    errors(s);
    am_system_free(s);
    return check_exit();
}
