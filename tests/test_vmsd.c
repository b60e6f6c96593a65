/* vMSD: at 10 K, MD agrees atom by atom with the harmonic prediction from
 * the normal modes; a run is deterministic, independent of threads, and a
 * resumed run (from a checkpoint) ends identical to an uninterrupted one;
 * nothing hops at 10 K; the flexibility volume follows its definition. */
#include "util/build.h"
#include "util/check.h"

#include <math.h>
#include <omp.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

static double pearson(const double *a, const double *b, size_t n, size_t sa, size_t sb)
{
    double ma = 0, mb = 0, caa = 0, cbb = 0, cab = 0;
    for (size_t i = 0; i < n; i++) { ma += a[i * sa]; mb += b[i * sb]; }
    ma /= (double)n;
    mb /= (double)n;
    for (size_t i = 0; i < n; i++) {
        const double x = a[i * sa] - ma, y = b[i * sb] - mb;
        caa += x * x; cbb += y * y; cab += x * y;
    }
    return cab / sqrt(caa * cbb);
}


int main(void)
{
    am_potential *p;
    am_system *s = load_glass_minimized(&p, 1e-10);
    if (!check_true(s != NULL, "inherent structure of the glass")) return check_exit();
    const size_t n = s->n;

    /* harmonic prediction from all modes */
    am_hessian *h;
    am_modes *m;
    double *mass = malloc(n * sizeof(double)), *harm = malloc(n * sizeof(double));
    am_system_masses(s, mass);
    am_hessian_create(p, s, &h);
    if (!check_true(am_modes_dense(h, mass, (int)(3 * n), 1, &m) == AM_OK, "all modes")) return check_exit();
    const double T = 10.0;
    check_true(am_vmsd_harmonic(m, mass, am_units_of("metal"), T, 3, harm) == AM_OK, "harmonic vMSD");

    am_vmsd_options o;
    am_vmsd_defaults(&o);
    o.temperature = T;
    o.equilibrate = 5;
    /* the lowest modes (0.37 THz) need many periods; 10 K allows 10 fs steps */
    o.time = 150;
    o.dt = 0.01;
    o.every = 5;
    o.nquench = 1;
    o.tdamp = 0.1; /* the numbers below were measured with the former default */
    double *d2 = malloc(4 * n * sizeof(double)), *d2m = malloc(4 * n * sizeof(double));
    int *hop = malloc(n * sizeof(int));
    am_vmsd_result r = {d2, d2m, hop, 0, 0, 0};
    if (!check_true(am_vmsd(p, s, &o, &r) == AM_OK, "vMSD at 10 K (%s)", am_error_message())) return check_exit();
    double mean_md = 0, mean_h = 0;
    int hops = 0;
    for (size_t i = 0; i < n; i++) { mean_md += d2[4 * i]; mean_h += harm[i]; hops += hop[i]; }
    const double rr = pearson(d2, harm, n, 4, 1);
    printf("  10 K: mean vMSD MD %.5f A^2, harmonic %.5f A^2; r = %.4f; T = %.2f K over %ld samples\n", mean_md / n,
           mean_h / n, rr, r.t_mean, r.samples);
    check_true(rr >= 0.95, "MD vMSD correlates with the harmonic prediction atom by atom (r = %.3f)", rr);
    check_rel(mean_md, mean_h, 0.10, "mean MD vMSD within 10%% of the harmonic one");
    check_true(hops == 0, "no atom leaves its basin at 10 K");
    double dsum = 0;
    for (size_t i = 0; i < n; i++) dsum = fmax(dsum, fabs(d2[4 * i] - d2[4 * i + 1] - d2[4 * i + 2] - d2[4 * i + 3]));
    check_abs(dsum, 0, 1e-12, "dr^2 = dx^2 + dy^2 + dz^2");
    int below = 1;
    for (size_t i = 0; i < n; i++) below &= d2m[4 * i] <= d2[4 * i] * (1 + 1e-12);
    check_true(below, "about the mean position the MSD is never larger than about the inherent structure");

    /* NPT: the same at zero pressure; under 20 kbar the box shrinks, and the
     * displacements, taken from the reference carried into the current box,
     * stay vibrations (unscaled, the compression alone would add ~0.01 Å²
     * per atom, several times the harmonic value) */
    {
        const double v0 = am_box_volume(&s->box);
        am_vmsd_options q = o;
        q.ensemble = AM_NPT;
        /* MTK's barostat mass is (N+1) k T pdamp²: at 10 K the volume of a
         * solid oscillates ~30 times faster than pdamp (docs/vibration.md),
         * so a long pdamp and a shorter step keep it resolved */
        q.pdamp = 10;
        q.dt = 0.005;
        q.time = 75;
        double *e2 = malloc(4 * n * sizeof(double)), *e2m = malloc(4 * n * sizeof(double));
        am_vmsd_result rn = {e2, e2m, NULL, 0, 0, 0};
        check_true(am_vmsd(p, s, &q, &rn) == AM_OK, "NPT vMSD at 10 K, 0 bar (%s)", am_error_message());
        double mean_n = 0;
        for (size_t i = 0; i < n; i++) mean_n += e2[4 * i];
        printf("  NPT 0 bar: mean vMSD %.5f A^2, volume %.4f of the inherent structure's\n", mean_n / n, rn.v_mean / v0);
        check_rel(mean_n, mean_h, 0.15, "NPT at 0 bar: mean MD vMSD within 15%% of the harmonic one");
        /* atom by atom, about the mean positions: the test glass sits at
         * -3.2 kbar, so at 0 bar its atoms also shift non-affinely (~0.01 Å),
         * a static part the harmonic prediction does not have */
        const double rn0 = pearson(e2m, harm, n, 4, 1);
        check_true(rn0 >= 0.85, "NPT at 0 bar: atom by atom r = %.3f >= 0.85 about the mean positions (75 ps, half the "
                   "NVT run's sampling of the 2.7 ps lowest modes; measured 0.884)", rn0);
        /* the glass sits at -3.2 kbar: at 0 bar it shrinks by P/B ~ 0.3 % */
        check_true(rn.v_mean < v0 && rn.v_mean > 0.99 * v0, "NPT at 0 bar, 10 K: the volume shrinks by less than 1%% "
                   "(%.5f)", rn.v_mean / v0);
        q.pressure = 20000;
        q.time = 20;
        check_true(am_vmsd(p, s, &q, &rn) == AM_OK, "NPT vMSD at 10 K, 20 kbar (%s)", am_error_message());
        printf("  NPT 20 kbar: volume %.4f of the inherent structure's\n", rn.v_mean / v0);
        check_true(rn.v_mean < 0.99 * v0 && rn.v_mean > 0.97 * v0, "20 kbar compresses the glass by 1-3%% (B ~ 1 Mbar): "
                   "%.4f", rn.v_mean / v0);
        free(e2);
        free(e2m);
    }

    /* flexibility volume from its definition for one atom */
    am_voronoi *v;
    am_voronoi_compute(s, 0.0, &v);
    double *vf = malloc(n * sizeof(double));
    check_true(am_flexibility_volume(s, v, d2, 4, vf) == AM_OK, "flexibility volume");
    double a = 0;
    for (size_t k = v->first[7]; k < v->first[8]; k++) {
        const int j = v->neighbor[k];
        double dd[3] = {s->x[j] - s->x[7], s->y[j] - s->y[7], s->z[j] - s->z[7]};
        am_box_min_image(&s->box, dd);
        a += sqrt(dd[0] * dd[0] + dd[1] * dd[1] + dd[2] * dd[2]) / (double)(v->first[8] - v->first[7]);
    }
    check_rel(vf[7], v->volume[7] * d2[4 * 7] / (a * a), 1e-12, "flexibility volume = Omega dr^2 / a^2");
    am_voronoi_free(v);
    free(vf);

    /* short runs: threads do not change a bit; a finished run's checkpoint
     * returns its results; a checkpoint of other options is refused */
    o.temperature = 300;
    o.equilibrate = 0.2;
    o.time = 1.0;
    o.dt = 0.002;
    o.nquench = 2;
    o.checkpoint_every = 0.3;
    const char *dir = scratch_dir("vmsd");
    double *a1 = malloc(4 * n * sizeof(double)), *a2 = malloc(4 * n * sizeof(double)), *a3 = malloc(4 * n * sizeof(double));
    am_vmsd_result r1 = {a1, NULL, NULL, 0, 0, 0}, r2 = {a2, NULL, NULL, 0, 0, 0}, r3 = {a3, NULL, NULL, 0, 0, 0};
    omp_set_num_threads(1);
    o.checkpoint = scratch_file(dir, "t1.ckpt");
    check_true(am_vmsd(p, s, &o, &r1) == AM_OK, "checkpointed run, 1 thread");
    omp_set_num_threads(2);
    o.checkpoint = scratch_file(dir, "t2.ckpt");
    check_true(am_vmsd(p, s, &o, &r2) == AM_OK, "checkpointed run, 2 threads");
    check_true(memcmp(a1, a2, 4 * n * sizeof(double)) == 0, "1 and 2 threads give identical vMSD");
    check_true(am_vmsd(p, s, &o, &r3) == AM_OK && memcmp(a1, a3, 4 * n * sizeof(double)) == 0,
               "a finished run's checkpoint gives its results again");
    o.seed = 99;
    check_true(am_vmsd(p, s, &o, &r3) == AM_ERR_VALUE, "a checkpoint of other options is refused: %s", am_error_message());

    /* amorph vibrate killed after its first checkpoint and rerun ends with the
     * same table as an uninterrupted run */
    const char *glass = source_path("tests/data/cuzr_glass_432.data");
    const char *full = scratch_file(dir, "full.csv"), *part = scratch_file(dir, "part.csv");
    /* the test glass is a minimum of the 2007 potential: --minimize is then short */
    const char *common = "-p mendelev2007 --minimize -T 300 --time 3 --equilibrate 0.5 --checkpoint-every 0.5 "
                         "--quenches 2 -q";
    char args[4096], ckpt[600], out[4096];
    snprintf(args, sizeof args, "vibrate '%s' %s --csv '%s' --checkpoint-prefix '%s'", glass, common, full, full);
    check_true(run_amorph(args, out, sizeof out) == 0, "uninterrupted run");
    /* at most ~60 s of waiting (a loaded machine), so a run that never checkpoints fails rather than hangs */
    snprintf(args, sizeof args, "vibrate '%s' %s --csv '%s' --checkpoint-prefix '%s'", glass, common, part, part);
    snprintf(ckpt, sizeof ckpt, "%s.T300.ckpt", part);
    struct stat sb;
    check_true(run_amorph_kill_when(args, ckpt, 60) == 0 && stat(ckpt, &sb) == 0 && stat(part, &sb) != 0,
               "run killed after its first checkpoint, before writing its table");
    check_true(run_amorph(args, out, sizeof out) == 0 && files_equal(full, part),
               "rerun resumes and writes the same table as the uninterrupted run");

    free(a1); free(a2); free(a3); free(d2); free(d2m); free(hop); free(mass); free(harm);
    am_modes_free(m);
    am_hessian_free(h);
    am_system_free(s);
    am_potential_free(p);
    return check_exit();
}
