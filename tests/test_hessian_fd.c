/* The Hessian by finite differences of forces (the fallback of kinds
 * without an analytic one) against the analytic Hessians: EAM (a rattled
 * B2 CuZr cell smaller than twice the cutoff, and a 432-atom CuZr glass)
 * and Lennard-Jones (Kob–Andersen). Tolerances (Frobenius norm of the
 * difference over the analytic one; largest entry difference over the
 * largest entry): LJ 1e-8 both; EAM 1e-5 and 1e-4, for its tables' second
 * derivatives jump at every knot (hessian_fd.c; measured 3e-6 and 3e-5). A kind without the pair-and-embedding
 * hook gets the difference Hessian from am_hessian_create, and the sparse
 * eigensolver takes it. */
#include "potential/engine_type.h"
#include "util/build.h"
#include "util/check.h"
#include "vibration/hessian_internal.h"

#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static double *dense(const am_hessian *h)
{
    const size_t N = 3 * am_hessian_n(h);
    double *H = malloc(N * N * sizeof(double));
    if (H) am_hessian_dense(h, H);
    return H;
}

/* ‖H_fd − H‖ / ‖H‖ (Frobenius) within tol_norm, and every entry within
 * tol_max of the largest |H|. */
static void against_analytic(const char *label, const am_potential *p, am_system *s, double tol_norm, double tol_max)
{
    am_hessian *ha = NULL, *hf = NULL;
    if (!check_true(am_hessian_create(p, s, &ha) == AM_OK && am_hessian_create_fd(p, s, &hf) == AM_OK,
                    "%s: analytic and difference Hessians (%s)", label, am_error_message())) {
        am_hessian_free(ha);
        return;
    }
    const size_t N = 3 * s->n;
    double *A = dense(ha), *F = dense(hf), diff = 0.0, big = 0.0, asym = 0.0, d2 = 0.0, a2 = 0.0;
    for (size_t k = 0; k < N * N; k++) {
        diff = fmax(diff, fabs(F[k] - A[k]));
        big = fmax(big, fabs(A[k]));
        d2 += (F[k] - A[k]) * (F[k] - A[k]);
        a2 += A[k] * A[k];
    }
    for (size_t a = 0; a < N; a++)
        for (size_t b = 0; b < a; b++) asym = fmax(asym, fabs(F[a * N + b] - F[b * N + a]));
    check_abs(sqrt(d2 / a2), 0.0, tol_norm, "%s: difference Hessian equals the analytic one (Frobenius, relative)",
              label);
    check_abs(diff / big, 0.0, tol_max, "%s: and entry by entry (relative to the largest |entry|, %.4g)", label, big);
    check_true(asym == 0.0, "%s: difference Hessian is symmetric", label);
    free(A);
    free(F);
    am_hessian_free(ha);
    am_hessian_free(hf);
}

/* A kind like LJ but without the analytic hook: am_hessian_create falls
 * back to differences; the sparse solver's lowest modes are the dense ones. */
static void fallback(am_potential *p, am_system *s)
{
    am_engine_type bare = *p->type;
    bare.pair_embed = NULL;
    const am_engine_type *own = p->type;
    p->type = &bare;
    am_hessian *h = NULL, *hf = NULL;
    if (check_true(am_hessian_create(p, s, &h) == AM_OK && am_hessian_create_fd(p, s, &hf) == AM_OK,
                   "kind without analytic Hessian: am_hessian_create works (%s)", am_error_message())) {
        double *A = dense(h), *F = dense(hf);
        const size_t N = 3 * s->n;
        check_true(memcmp(A, F, N * N * sizeof(double)) == 0, "it is the difference Hessian");
        double *mass = malloc(s->n * sizeof(double));
        am_system_masses(s, mass);
        am_modes *md = NULL, *ms = NULL;
        if (check_true(am_modes_dense(h, mass, 8, 0, &md) == AM_OK && am_modes_sparse(h, mass, 8, -1e-3, &ms) == AM_OK,
                       "dense and sparse modes of the difference Hessian (%s)", am_error_message())) {
            double worst = 0.0;
            for (int k = 3; k < 8; k++) worst = fmax(worst, fabs(ms->lambda[k] - md->lambda[k]) / md->lambda[k]);
            check_abs(worst, 0.0, 1e-8, "sparse modes 4..8 equal the dense ones (relative)");
        }
        am_modes_free(md);
        am_modes_free(ms);
        free(mass);
        free(A);
        free(F);
    }
    am_hessian_free(h);
    am_hessian_free(hf);
    p->type = own;
}

int main(void)
{
    am_potential *eam = NULL, *lj = NULL;
    if (!check_true(am_potential_read(potential_path("CuZr_mm.eam.fs"), AM_EAM_AUTO, &eam) == AM_OK &&
                        am_potential_open("kob-andersen", AM_EAM_AUTO, &lj) == AM_OK,
                    "potentials (%s)", am_error_message()))
        return check_exit();

    am_system *s = build_lattice("b2", 3.26, 3, 3, 3, "Cu,Zr");
    rattle(s, 0.1, 6);
    against_analytic("B2 CuZr 54, 9.8 A box, eam/fs", eam, s, 1e-5, 1e-4);
    am_system_free(s);
    s = load_conf(source_path("tests/data/cuzr_glass_432.data"), "Cu,Zr");
    if (check_true(s != NULL, "read the CuZr glass")) against_analytic("CuZr glass 432, eam/fs", eam, s, 1e-5, 1e-4);
    am_system_free(s);

    s = build_kob_andersen(4, 1.2, 0.12, 4);
    against_analytic("Kob-Andersen 256, lj/cut", lj, s, 1e-8, 1e-8);
    /* at a minimum, for the eigensolvers */
    am_engine *e = NULL;
    am_min_options mo = {.method = AM_MIN_CG, .ftol = 1e-10};
    am_min_result mr;
    if (check_true(am_engine_create(lj, s, 0.3, &e) == AM_OK && am_minimize(e, s, &mo, &mr) == AM_OK,
                   "Kob-Andersen 256 minimised (%s)", am_error_message()))
        fallback(lj, s);
    am_engine_free(e);
    am_system_free(s);
    am_potential_free(eam);
    am_potential_free(lj);
    return check_exit();
}
