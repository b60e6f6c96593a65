/* Glass preparation: random starts, the Tg fit on a curve with a known
 * answer, and a fast quench that is resumed from a checkpoint taken midway
 * and must end in exactly the same glass. */
#include "util/build.h"
#include "util/check.h"

#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static void random_structure(void)
{
    am_system *a, *b;
    check_true(am_system_random("Cu50Zr50", 500, 0.054, 2.0, 7, &a) == AM_OK, "random Cu50Zr50, 500 atoms");
    am_system_random("Cu50Zr50", 500, 0.054, 2.0, 7, &b);
    int ncu = 0;
    for (size_t i = 0; i < a->n; i++) ncu += a->type[i] == 0;
    check_true(ncu == 250 && a->nspecies == 2 && strcmp(a->species[1].name, "Zr") == 0, "250 Cu and 250 Zr");
    check_rel(a->n / am_box_volume(&a->box), 0.054, 1e-12, "number density (1/A^3)");
    double dmin = 1e9, l = a->box.len[0];
    for (size_t i = 0; i < a->n; i++)
        for (size_t j = i + 1; j < a->n; j++) {
            double d[3] = {a->x[i] - a->x[j], a->y[i] - a->y[j], a->z[i] - a->z[j]};
            for (int k = 0; k < 3; k++) d[k] -= l * round(d[k] / l);
            dmin = fmin(dmin, sqrt(d[0] * d[0] + d[1] * d[1] + d[2] * d[2]));
        }
    check_true(dmin >= 2.0, "no two atoms closer than 2 A (closest %.3f A)", dmin);
    check_true(memcmp(a->x, b->x, a->n * sizeof(double)) == 0, "same seed, same structure");
    am_system *c;
    check_true(am_system_random("Cu50Qq50", 10, 0.05, 1, 1, &c) != AM_OK, "unknown element rejected: %s",
               am_error_message());
    am_system_free(a);
    am_system_free(b);
}

static void tg_synthetic(void)
{
    /* V(T): two lines crossing at 700 K */
    am_cooling_point c[200];
    for (int i = 0; i < 200; i++) {
        double t = 2000.0 - 8.5 * i;
        c[i].t = t;
        c[i].v = t > 700 ? 17.0 + 0.002 * (t - 700) : 17.0 + 0.0008 * (t - 700);
        c[i].e = t > 700 ? -5.0 + 4e-4 * (t - 700) : -5.0 + 2.5e-4 * (t - 700);
    }
    double tg, liquid[2] = {1000, 1800}, glass[2] = {300, 550};
    am_tg_fit(c, 200, 0, liquid, glass, &tg);
    check_abs(tg, 700.0, 1e-9, "Tg from V(T) with a known crossing (K)");
    am_tg_fit(c, 200, 1, liquid, glass, &tg);
    check_abs(tg, 700.0, 1e-9, "Tg from E(T) with a known crossing (K)");
    double narrow[2] = {1000, 1001};
    check_true(am_tg_fit(c, 200, 0, narrow, glass, &tg) != AM_OK, "too few points in a fit range is an error");
}

typedef struct keep_ctx {
    const char *from, *to;
    long at;
} keep_ctx;

/* Keeps a copy of the checkpoint as it was at step `at`: the state a killed
 * run would have left. */
static void keep_checkpoint(void *vctx, long done, long total)
{
    keep_ctx *k = vctx;
    (void)total;
    if (done != k->at) return;
    if (copy_file(k->from, k->to) != 0) printf("cannot copy the checkpoint\n");
}

static void fast_quench_and_resume(void)
{
    am_potential *pot;
    am_potential_read(potential_path("CuZr_mm.eam.fs"), AM_EAM_AUTO, &pot);
    am_system *a, *b;
    am_system_random("Cu50Zr50", 256, 0.054, 2.0, 11, &a);
    am_system_copy(a, &b);
    am_engine *ea, *eb;
    am_engine_create(pot, a, 1.0, &ea);
    am_engine_create(pot, b, 1.0, &eb);
    /* soften the random start before MD */
    am_min_options mo = {.method = AM_MIN_FIRE, .ftol = 0.05, .max_iter = 300};
    am_min_result mr;
    am_minimize(ea, a, &mo, &mr);
    am_minimize(eb, b, &mo, &mr);
    const char *ck = "scratch_quench.ck", *kept = "scratch_quench_kept.ck";
    remove(ck);
    remove(kept);
    keep_ctx k = {ck, kept, 4000};
    am_quench_options q = {.t_melt = 2000, .melt_time = 2, .t_end = 300, .rate = 100, .seed = 5, .sample_every = 100,
                           .checkpoint = ck, .checkpoint_every = 1000, .progress = keep_checkpoint, .progress_ctx = &k};
    am_quench_result ra, rb;
    am_status st = am_quench(ea, a, &q, &ra);
    check_true(st == AM_OK && ra.min.converged, "fast quench (100 K/ps) ends in a converged inherent structure (%s)",
               st ? am_error_message() : ra.min.reason);
    check_true(ra.ncurve == 85, "cooling curve: one point per 0.2 ps over 17 ps of cooling (%zu)", ra.ncurve);
    check_abs(ra.curve[ra.ncurve - 1].t, 300.0, 40.0, "last cooling-curve point near T_end (K)");
    check_true(ra.e_final < -4.75 && ra.e_final > -4.95, "inherent-structure energy %.4f eV/atom is a CuZr solid's",
               ra.e_final);
    /* resume the copy of the checkpoint left at step 4000 */
    q.checkpoint = kept;
    q.progress = NULL;
    st = am_quench(eb, b, &q, &rb);
    check_true(st == AM_OK && rb.resumed, "quench resumed from the step-4000 checkpoint");
    int same = st == AM_OK && memcmp(a->x, b->x, a->n * sizeof(double)) == 0 &&
               memcmp(&a->box, &b->box, sizeof a->box) == 0 && ra.ncurve == rb.ncurve &&
               memcmp(ra.curve, rb.curve, ra.ncurve * sizeof *ra.curve) == 0 && ra.e_final == rb.e_final;
    check_true(same, "resumed quench gives the same glass and cooling curve, bit for bit");
    am_quench_result_free(&ra);
    am_quench_result_free(&rb);
    am_engine_free(ea);
    am_engine_free(eb);
    am_system_free(a);
    am_system_free(b);
    am_potential_free(pot);
}

int main(void)
{
    random_structure();
    tg_synthetic();
    fast_quench_and_resume();
    return check_exit();
}
