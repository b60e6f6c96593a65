#include "commands.h"
#include "common.h"
#include "stale.h"

#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static cli_opt opts[] = {
    CLI_OPTS_CONF,
    {"output", 'o', "FILE", NULL, "per-atom table with the column participation: extended XYZ, or a LAMMPS dump for .dump/.lammpstrj", NULL},
    {"csv", 0, "FILE", NULL, "the same per-atom table as CSV", NULL},
    {"fraction", 0, "F", "0.0025", "participation over the lowest F of the 3n modes (translations excluded)", NULL},
    {"no-mass", 0, NULL, NULL, "modes of the Hessian itself (unit masses) instead of the dynamical matrix", NULL},
    CLI_OPTS_MINIMIZE,
    {"spectrum", 0, "FILE", NULL, "write the computed modes: index, eigenvalue, frequency (THz), as CSV", NULL},
    {"vdos", 0, "FILE", NULL, "write the vibrational density of states (all 3n modes; slower), as CSV", NULL},
    {"bin", 0, "NU", "0.1", "VDOS bin width, THz", NULL},
    {"solver", 0, "NAME", "auto", "dense (LAPACK), sparse (block shift-invert Lanczos, sparse LDLt) or auto (dense up to 2500 atoms)",
     NULL},
    {"shift", 0, "SIGMA", "-1e-4", "sparse solver shift, below the lowest eigenvalue, eV/(Å² amu)", NULL},
    {"factor", 0, "PREC", "single",
     "sparse solver factorisation: single (half the memory and time; each solve refined against the exact matrix, "
     "participations within ~1e-9 of double; double instead where a trial solve shows the matrix too "
     "ill-conditioned for it) or double",
     NULL},
    CLI_OPT_SKIN,
    CLI_OPTS_COMMON,
    {NULL, 0, NULL, NULL, NULL, NULL},
};

static cli_verb verb = {
    "modes", "[-p POT] CONF -o atoms.extxyz [--fraction 0.0025] [--minimize]",
    "Normal modes of an inherent structure from the analytic Hessian: per-atom participation\n"
    "p_i = Σ_ω |e_ω^i|² over the lowest fraction of modes of the dynamical matrix\n"
    "D = M^-1/2 H M^-1/2 (eigenvectors normalised over all atoms; the three translations\n"
    "excluded), frequencies in THz (per τ in lj units), and optionally the vibrational density of states.\n"
    "Dense LAPACK for small systems; for large ones block shift-invert Lanczos on a sparse LDLt\n"
    "factorisation of an augmented system with pair-range couplings only.",
    opts, 1, 1,
};

/* Column names with their units: metal's as they always were, lj's spelt out. */
static const char *freq_col(const am_units *u) { return strcmp(u->style, "metal") == 0 ? "THz" : "per_tau"; }

static int write_spectrum(const char *path, const am_modes *m, int mass_weighted, const am_units *u)
{
    FILE *f = fopen(path, "w");
    if (!f) { fprintf(stderr, "amorph modes: cannot write %s\n", path); return 1; }
    const int metal = strcmp(u->style, "metal") == 0;
    fprintf(f, "mode,eigenvalue_%s,frequency_%s\n",
            metal ? (mass_weighted ? "eV_per_A2_amu" : "eV_per_A2")
                  : (mass_weighted ? "epsilon_per_sigma2_m" : "epsilon_per_sigma2"), freq_col(u));
    for (int k = 0; k < m->nmodes; k++) {
        const double l = m->lambda[k];
        /* an imaginary frequency (negative eigenvalue) is printed negative */
        const double nu = mass_weighted ? am_units_frequency(u, l) : NAN;
        fprintf(f, "%d,%.12g,%.8g\n", k + 1, l, nu);
    }
    return fclose(f) ? (fprintf(stderr, "amorph modes: cannot write %s\n", path), 1) : 0;
}

static int write_vdos(const char *path, const am_modes *m, double bin, const am_units *u)
{
    double numax = 0;
    for (int k = 3; k < m->nmodes; k++) numax = fmax(numax, am_units_frequency(u, fmax(m->lambda[k], 0)));
    const int nb = (int)(numax / bin) + 1;
    double *h = calloc((size_t)nb, sizeof(double));
    if (!h) return 1;
    for (int k = 3; k < m->nmodes; k++) {
        const double nu = am_units_frequency(u, fmax(m->lambda[k], 0));
        int b = (int)(nu / bin);
        h[b < nb ? b : nb - 1] += 1;
    }
    FILE *f = fopen(path, "w");
    if (!f) { free(h); fprintf(stderr, "amorph modes: cannot write %s\n", path); return 1; }
    /* g(ν) normalised to 1 over the 3n − 3 vibrations, per frequency unit */
    fprintf(f, "frequency_%s,g_%s\n", freq_col(u), strcmp(u->style, "metal") == 0 ? "per_THz" : "tau");
    for (int b = 0; b < nb; b++) fprintf(f, "%.6g,%.8g\n", (b + 0.5) * bin, h[b] / ((m->nmodes - 3) * bin));
    free(h);
    return fclose(f) ? (fprintf(stderr, "amorph modes: cannot write %s\n", path), 1) : 0;
}

int cmd_modes(int argc, char **argv)
{
    const char *pos[1];
    int npos, rc = cli_parse(&verb, argc, argv, pos, &npos);
    if (rc) return rc == 1 ? 0 : rc;
    if ((rc = cli_apply_common(&verb))) return rc;
    cli_remove_stale_outputs(&verb, cli_flag(&verb, "quiet"));
    /* the shift close below the spectrum: the Lanczos converges with the
     * wanted modes' gaps relative to their distance from it (−1e-4 needed
     * 17 % fewer solves than −1e-3 on the shipped 2 000-atom glass) */
    double fraction = 0.0025, bin = 0.1, shift = -1e-4;
    if (cli_double(&verb, "fraction", &fraction)) return 2;
    const char *solver = cli_get(&verb, "solver");
    if (strcmp(solver, "auto") != 0 && strcmp(solver, "dense") != 0 && strcmp(solver, "sparse") != 0) {
        fprintf(stderr, "amorph modes: --solver expects auto, dense or sparse, got '%s'\n", solver);
        return 2;
    }
    const char *factor = cli_get(&verb, "factor");
    if (strcmp(factor, "single") != 0 && strcmp(factor, "double") != 0) {
        fprintf(stderr, "amorph modes: --factor expects single or double, got '%s'\n", factor);
        return 2;
    }
    const am_factor_precision precision = strcmp(factor, "double") == 0 ? AM_FACTOR_DOUBLE : AM_FACTOR_SINGLE;
    if (!(fraction > 0 && fraction <= 1)) {
        fprintf(stderr, "amorph modes: --fraction must be in (0, 1]\n");
        return 2;
    }
    cli_model m;
    if ((rc = cli_model_load(&verb, pos[0], &m))) return rc;
    /* the options with units, in the potential's */
    const am_units *u = am_engine_units(m.eng);
    if (cli_double(&verb, "bin", &bin) || cli_double(&verb, "shift", &shift) || !(bin > 0)) {
        if (!(bin > 0)) fprintf(stderr, "amorph modes: --bin must be positive\n");
        cli_model_free(&m);
        return 2;
    }
    am_system *s = m.s;
    const size_t n = s->n;
    am_hessian *h = NULL;
    am_modes *md = NULL;
    double *mass = NULL, *p = NULL;
    am_status st;
    if ((rc = cli_minimize_if_asked(&verb, &m, 1))) goto done;
    const int mass_weighted = !cli_flag(&verb, "no-mass");
    const long count = lround(fraction * 3.0 * (double)n) > 0 ? lround(fraction * 3.0 * (double)n) : 1;
    if ((size_t)count + 3 > 3 * n) { fprintf(stderr, "amorph modes: --fraction leaves no room above the translations\n"); rc = 2; goto done; }
    const int nmodes = cli_get(&verb, "vdos") ? (int)(3 * n) : (int)count + 3;
    mass = malloc((n + 1) * sizeof(double));
    p = malloc((n + 1) * sizeof(double));
    if (!mass || !p) { fprintf(stderr, "amorph modes: out of memory\n"); rc = 1; goto done; }
    am_system_masses(s, mass);
    const int dense = strcmp(solver, "dense") == 0 || (strcmp(solver, "auto") == 0 && (n <= 2500 || cli_get(&verb, "vdos")));
    if (!dense && cli_get(&verb, "vdos")) {
        fprintf(stderr, "amorph modes: --vdos needs every mode: use the dense solver\n");
        rc = 2;
        goto done;
    }
    if ((st = am_hessian_create(m.pot, s, &h)) ||
        (st = dense ? am_modes_dense(h, mass_weighted ? mass : NULL, nmodes, 1, &md)
                    : am_modes_sparse_ex(h, mass_weighted ? mass : NULL, nmodes, shift, precision, &md)) ||
        (st = am_modes_participation(md, 3, (int)count, p))) {
        rc = cli_report(verb.name, st);
        goto done;
    }
    int negative = 0;
    for (int k = 3; k < md->nmodes; k++) negative += md->lambda[k] < -1e-8;
    const double nu_lo = am_units_frequency(u, fmax(md->lambda[3], 0)),
                 nu_hi = am_units_frequency(u, fmax(md->lambda[2 + count], 0));
    const int metal = strcmp(u->style, "metal") == 0;
    if (cli_flag(&verb, "json")) {
        cli_json_printf(stdout, "{\"atoms\": %zu, \"modes_used\": %ld, \"translations\": [%.6g, %.6g, %.6g], \"lowest\": %.10g, "
               "\"highest_used\": %.10g, \"frequency\": [%.8g, %.8g], \"negative\": %d, \"solver\": \"%s\", ",
               n, count, md->lambda[0], md->lambda[1], md->lambda[2], md->lambda[3], md->lambda[2 + count], nu_lo, nu_hi,
               negative, dense ? "dense" : md->factor == AM_FACTOR_SINGLE ? "sparse, single-precision factor" : "sparse, double-precision factor");
        /* the name with metal's unit in it, which scripts read */
        if (metal) cli_json_printf(stdout, "\"frequency_THz\": [%.8g, %.8g], ", nu_lo, nu_hi);
        cli_units_json(stdout, u);
        fputs("}\n", stdout);
    } else if (!cli_flag(&verb, "quiet")) {
        printf("atoms %zu, participation over modes 4..%ld (%.3g %% of %zu)\n", n, count + 3, 100 * fraction, 3 * n);
        printf("translations (should be ~0)  %.3g %.3g %.3g\n", md->lambda[0], md->lambda[1], md->lambda[2]);
        if (!dense && md->factor != precision)
            printf("the single-precision factor was too coarse for this matrix: factored in double precision\n");
        if (mass_weighted) printf("frequencies of the modes used  %.4f .. %.4f %s\n", nu_lo, nu_hi, u->frequency);
        else printf("eigenvalues of the modes used  %.6g .. %.6g %s/%s^2\n", md->lambda[3], md->lambda[2 + count],
                    u->energy, u->length);
    }
    if (negative)
        fprintf(stderr, "amorph modes: warning: %d negative eigenvalues: not a minimum (use --minimize)\n", negative);
    am_column col = {"participation", 1, p, NULL};
    const char *out = cli_get(&verb, "output"), *csv = cli_get(&verb, "csv");
    if (out && (st = cli_write_table(out, s, &col, 1, u))) { rc = cli_report(verb.name, st); goto done; }
    if (csv && (st = am_write_csv(csv, s, &col, 1))) { rc = cli_report(verb.name, st); goto done; }
    if (cli_get(&verb, "spectrum") && (rc = write_spectrum(cli_get(&verb, "spectrum"), md, mass_weighted, u))) goto done;
    if (cli_get(&verb, "vdos") && (rc = write_vdos(cli_get(&verb, "vdos"), md, bin, u))) goto done;
done:
    am_modes_free(md);
    am_hessian_free(h);
    free(mass);
    free(p);
    cli_model_free(&m);
    return rc;
}
