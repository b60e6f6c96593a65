/* Local forces against a reference, search by search: usage
 *   bench_artn_local CONF POT SPECIES NSEARCH SEED V1,V2,... [key=value ...]
 * A variant V is a local radius R (Å; 0: the whole box) or R:R2, local
 * radius R with refinement radius R2 (a radius beyond the cell: refinement
 * in the whole box). The first variant is the reference. Minimises CONF,
 * then for each of NSEARCH searches (atoms spread over the sample, seed
 * SEED + k, one thread) runs every variant from the same atom with the same
 * seed. Two converged searches found the same event when their new minima
 * agree: no atom within the smaller of the two local radii of the centre
 * farther apart than `match` Å (key match=, default 0.5; outside, a local
 * minimum keeps the atoms where they were, the full one relaxes them).
 * Keys: exit_force, refine_exit (the refinement's exit force), match,
 * match_saddle=1 (the same event: saddles, not new minima, within `match`),
 * compare=0 (no comparisons: cost only), refine_reflect (0 or 1), refine_precondition (0 or 1). R:R2:R3
 * refines in two stages, within R3 first, then within R2.
 * Prints a line per search and variant, and per variant: converged, events
 * shared with the reference, |ΔEa| statistics and the fraction within
 * 0.01 eV (with refinement also before it), force calls and core-seconds
 * (process CPU time, one thread) per converged saddle. */
#include "amorph/amorph.h"
#include "bench_model.h"

#include <math.h>
#include <omp.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#define MAXR 8

/* CPU seconds of this process: with one thread, the core-seconds a search
 * costs, whatever else the machine runs. */
static double now(void)
{
    struct timespec t;
    clock_gettime(CLOCK_PROCESS_CPUTIME_ID, &t);
    return (double)t.tv_sec + 1e-9 * (double)t.tv_nsec;
}

static int set_option(am_saddle_options *o, double *match, int *skip_ref, int *by_saddle, const char *kv)
{
    const char *eq = strchr(kv, '=');
    if (!eq) return 1;
    const double v = atof(eq + 1);
    const size_t len = (size_t)(eq - kv);
#define KEY(name) (len == strlen(name) && strncmp(kv, name, len) == 0)
    if (KEY("exit_force")) o->exit_force = v;
    else if (KEY("refine_exit")) o->refine_exit_force = v;
    else if (KEY("match")) *match = v;
    else if (KEY("refine_reflect")) o->refine_reflect = (int)v;
    else if (KEY("refine_precondition")) o->refine_precondition = (int)v;
    else if (KEY("compare")) *skip_ref = !(int)v;
    else if (KEY("match_saddle")) *by_saddle = (int)v;
    else return 1;
#undef KEY
    return 0;
}

/* Largest distance between a and c of the atoms within `radius` (0: all)
 * of atom `center` in s. */
static double max_distance(const am_system *s, size_t center, double radius, const double *a, const double *c)
{
    double m = 0;
    for (size_t i = 0; i < s->n; i++) {
        double r[3] = {s->x[i] - s->x[center], s->y[i] - s->y[center], s->z[i] - s->z[center]};
        am_box_min_image(&s->box, r);
        if (radius > 0 && r[0] * r[0] + r[1] * r[1] + r[2] * r[2] >= radius * radius) continue;
        double d[3] = {a[3 * i] - c[3 * i], a[3 * i + 1] - c[3 * i + 1], a[3 * i + 2] - c[3 * i + 2]};
        am_box_min_image(&s->box, d);
        m = fmax(m, sqrt(d[0] * d[0] + d[1] * d[1] + d[2] * d[2]));
    }
    return m;
}

static int by_double(const void *a, const void *b)
{
    const double x = *(const double *)a, y = *(const double *)b;
    return (x > y) - (x < y);
}

typedef struct tally {
    int ok, shared, within;
    long calls;
    double wall;
    double *dea; /* |ΔEa| of shared events */
    double bias; /* Σ ΔEa */
    double *dloc; /* the same before refinement */
    int within_loc;
    long refine_calls;
} tally;

int main(int argc, char **argv)
{
    if (argc < 7) {
        fprintf(stderr, "usage: bench_artn_local CONF POT SPECIES NSEARCH SEED V1,V2,... [key=value ...] (V: R, R:R2 or R:R2:R3)\n");
        return 2;
    }
    const int ns = atoi(argv[4]);
    const unsigned long seed = strtoul(argv[5], NULL, 10);
    double radii[MAXR], refine[MAXR], inner[MAXR];
    int nv = 0;
    for (char *p = argv[6]; *p && nv < MAXR;) {
        char *end;
        radii[nv] = strtod(p, &end);
        refine[nv] = inner[nv] = 0;
        if (end == p) { fprintf(stderr, "bench_artn_local: bad variant list %s\n", argv[6]); return 2; }
        if (*end == ':') {
            p = end + 1;
            refine[nv] = strtod(p, &end);
            if (end == p) { fprintf(stderr, "bench_artn_local: bad variant list %s\n", argv[6]); return 2; }
        }
        if (*end == ':') {
            p = end + 1;
            inner[nv] = strtod(p, &end);
            if (end == p) { fprintf(stderr, "bench_artn_local: bad variant list %s\n", argv[6]); return 2; }
        }
        nv++;
        p = *end == ',' ? end + 1 : end;
    }
    am_saddle_options base;
    am_saddle_defaults(&base);
    double match = 0.5;
    int skip_ref = 0, by_saddle = 0;
    for (int a = 7; a < argc; a++)
        if (set_option(&base, &match, &skip_ref, &by_saddle, argv[a])) { fprintf(stderr, "bench_artn_local: bad option %s\n", argv[a]); return 2; }
    omp_set_num_threads(1);
    am_system *s;
    am_potential *p;
    am_engine *e;
    if (bench_model("bench_artn_local", argv[1], argv[2], argv[3], &s, &p, &e)) return 1;
    am_min_options mo = {.method = AM_MIN_CG, .ftol = 1e-8};
    am_min_result mr;
    if (am_minimize(e, s, &mo, &mr)) { fprintf(stderr, "bench_artn_local: %s\n", am_error_message()); return 1; }
    const size_t n = s->n;
    double *xf = malloc(3 * n * sizeof(double)), *xl = malloc(3 * n * sizeof(double));
    double *sf = malloc(3 * n * sizeof(double)), *sl = malloc(3 * n * sizeof(double));
    tally t[MAXR];
    memset(t, 0, sizeof t);
    for (int q = 0; q < nv; q++) {
        t[q].dea = malloc((size_t)(ns + 1) * sizeof(double));
        t[q].dloc = malloc((size_t)(ns + 1) * sizeof(double));
    }
    for (int k = 0; k < ns; k++) {
        const size_t center = (size_t)k * n / (size_t)ns;
        am_saddle_result rf = {0};
        rf.final_xyz = xf;
        rf.saddle_xyz = sf;
        rf.outcome = AM_SADDLE_NOUTCOMES;
        for (int q = 0; q < nv; q++) {
            am_saddle_options o = base;
            o.seed = seed + (unsigned long)k;
            o.local_radius = radii[q];
            o.refine_radius = refine[q];
            o.refine_inner_radius = inner[q];
            am_saddle_result r = {0};
            r.final_xyz = q ? xl : xf;
            r.saddle_xyz = q ? sl : sf;
            const double t0 = now();
            if (am_saddle_search(e, s, &o, center, NULL, &r)) {
                fprintf(stderr, "bench_artn_local: %s\n", am_error_message());
                return 1;
            }
            const double dt = now() - t0;
            if (!q) rf = r;
            double dist = NAN;
            if (r.outcome == AM_SADDLE_OK) {
                t[q].ok++;
                t[q].calls += r.force_calls;
                t[q].refine_calls += r.refine_calls;
            }
            t[q].wall += dt;
            const double inner = radii[0] == 0 ? radii[q] : radii[q] == 0 ? radii[0] : fmin(radii[0], radii[q]);
            if (q && !skip_ref && r.outcome == AM_SADDLE_OK && rf.outcome == AM_SADDLE_OK) {
                dist = max_distance(s, center, inner, by_saddle ? sf : xf, by_saddle ? sl : xl);
                if (dist < match) {
                    const double d = r.ea - rf.ea;
                    if (isfinite(r.ea_local)) {
                        t[q].dloc[t[q].shared] = fabs(r.ea_local - rf.ea);
                        t[q].within_loc += fabs(r.ea_local - rf.ea) < 0.01;
                    }
                    t[q].dea[t[q].shared++] = fabs(d);
                    t[q].within += fabs(d) < 0.01;
                    t[q].bias += d;
                }
            }
            printf("search %3d atom %5zu R %5.1f:%-5.0f (%5ld moving) %-24s Ea %8.4f  dE_final %8.4f  calls %5ld  %6.2f s",
                   k, center, o.local_radius, o.refine_radius, r.nactive, am_saddle_outcome_name(r.outcome), r.ea,
                   r.e_final - r.e0, r.force_calls, dt);
            if (isfinite(r.ea_local)) printf("  (local %.4f, refinement %ld calls)", r.ea_local, r.refine_calls);
            if (q && !skip_ref && rf.outcome == AM_SADDLE_OK && r.outcome == AM_SADDLE_OK)
                printf("  %s %.3f A from the reference's%s, dEa %+.4f", by_saddle ? "saddle" : "final", dist, dist < match ? "" : " (other event)",
                       r.ea - rf.ea);
            printf("\n");
            fflush(stdout);
        }
    }
    printf("\natoms %zu, %d searches, exit force %g eV/A, same event: %s within %.2f A\n", n, ns, base.exit_force,
           by_saddle ? "saddles" : "new minima", match);
    printf("%10s %9s %7s %12s %12s %12s %10s %12s %12s %14s\n", "R:R2 (A)", "converged", "shared", "within 0.01", "median|dEa|",
           "max|dEa|", "mean dEa", "calls/conv", "core-s/conv", "refine/conv");
    for (int q = 0; q < nv; q++) {
        tally *u = t + q;
        qsort(u->dea, (size_t)u->shared, sizeof(double), by_double);
        char rs[64];
        if (radii[q] == 0) snprintf(rs, sizeof rs, "full");
        else if (refine[q] > 0 && inner[q] > 0) snprintf(rs, sizeof rs, "%g:%g:%g", radii[q], refine[q], inner[q]);
        else if (refine[q] > 0) snprintf(rs, sizeof rs, "%g:%g", radii[q], refine[q]);
        else snprintf(rs, sizeof rs, "%g", radii[q]);
        printf("%10s %5d/%-3d %7d %6d (%3.0f%%) %12.4f %12.4f %10.4f %12.0f %12.3f %14.0f\n", rs, u->ok, ns, u->shared,
               u->within, u->shared ? 100.0 * u->within / u->shared : 0.0, u->shared ? u->dea[u->shared / 2] : NAN,
               u->shared ? u->dea[u->shared - 1] : NAN, u->shared ? u->bias / u->shared : NAN,
               u->ok ? (double)u->calls / u->ok : NAN, u->ok ? u->wall / u->ok : NAN,
               u->ok ? (double)u->refine_calls / u->ok : NAN);
        if (q && refine[q] > 0 && u->shared) {
            qsort(u->dloc, (size_t)u->shared, sizeof(double), by_double);
            printf("%10s %17s before refinement: %6d (%3.0f%%) %12.4f %12.4f\n", "", "", u->within_loc,
                   100.0 * u->within_loc / u->shared, u->dloc[u->shared / 2], u->dloc[u->shared - 1]);
        }
    }
    for (int q = 0; q < nv; q++) { free(t[q].dea); free(t[q].dloc); }
    free(xf);
    free(xl);
    free(sf);
    free(sl);
    am_engine_free(e);
    am_potential_free(p);
    am_system_free(s);
    return 0;
}
