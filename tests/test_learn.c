/* amorph learn's library: ridge against its closed form solved here by
 * Gaussian elimination; the standardisation; gradient-boosted trees on
 * data they must separate, for any seed and thread count; spatial blocks,
 * folds and the gap against brute force; block cross-validation against
 * random-atom cross-validation on a field with no structure in it (the
 * leak it exists to stop); scores against hand counts; model files read
 * back bit for bit and refused when broken; the one-pass multi-radius
 * coarse-graining against one radius at a time. */
#include "amorph/amorph.h"
#include "util/build.h"
#include "util/check.h"

#include <math.h>
#include <omp.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static const double PI = 3.14159265358979323846;

static unsigned long long rng_state = 12345;
static double uniform(void)
{
    rng_state = rng_state * 6364136223846793005ULL + 1442695040888963407ULL;
    return (double)(rng_state >> 11) * 0x1.0p-53;
}
static double gauss(void)
{
    const double u = uniform(), v = uniform();
    return sqrt(-2.0 * log(u + 1e-300)) * cos(2 * PI * v);
}

/* x = A⁻¹ b by Gaussian elimination with partial pivoting (A: p × p, overwritten). */
static void solve(int p, double *a, double *b)
{
    for (int c = 0; c < p; c++) {
        int piv = c;
        for (int r = c + 1; r < p; r++)
            if (fabs(a[r * p + c]) > fabs(a[piv * p + c])) piv = r;
        for (int k = 0; k < p; k++) {
            const double t = a[c * p + k];
            a[c * p + k] = a[piv * p + k];
            a[piv * p + k] = t;
        }
        const double t = b[c];
        b[c] = b[piv];
        b[piv] = t;
        for (int r = c + 1; r < p; r++) {
            const double f = a[r * p + c] / a[c * p + c];
            for (int k = c; k < p; k++) a[r * p + k] -= f * a[c * p + k];
            b[r] -= f * b[c];
        }
    }
    for (int c = p - 1; c >= 0; c--) {
        for (int k = c + 1; k < p; k++) b[c] -= a[c * p + k] * b[k];
        b[c] /= a[c * p + c];
    }
}

/* The closed form on standardised features: coefficients in the features'
 * own units and the intercept. */
static void closed_form(int n, int p, const double *x, const double *y, double alpha, double *beta, double *c0)
{
    double mu[8], sd[8], a[64], b[8], ym = 0;
    for (int k = 0; k < p; k++) {
        double s = 0, ss = 0;
        for (int i = 0; i < n; i++) s += x[i * p + k];
        mu[k] = s / n;
        for (int i = 0; i < n; i++) ss += (x[i * p + k] - mu[k]) * (x[i * p + k] - mu[k]);
        sd[k] = sqrt(ss / n);
    }
    for (int i = 0; i < n; i++) ym += y[i];
    ym /= n;
    for (int r = 0; r < p; r++) {
        b[r] = 0;
        for (int k = 0; k < p; k++) {
            double s = 0;
            for (int i = 0; i < n; i++) s += (x[i * p + r] - mu[r]) / sd[r] * (x[i * p + k] - mu[k]) / sd[k];
            a[r * p + k] = s + (r == k ? alpha : 0);
        }
        for (int i = 0; i < n; i++) b[r] += (x[i * p + r] - mu[r]) / sd[r] * (y[i] - ym);
    }
    solve(p, a, b);
    *c0 = ym;
    for (int k = 0; k < p; k++) {
        beta[k] = b[k] / sd[k];
        *c0 -= beta[k] * mu[k];
    }
}

static void test_ridge(void)
{
    enum { N = 60, P = 5 };
    double x[N * P], y[N];
    for (int i = 0; i < N; i++) {
        /* offsets and scales of real descriptors: a volume, a count, a small fraction */
        x[i * P + 0] = 20 + 3 * gauss();
        x[i * P + 1] = 12 + floor(4 * uniform());
        x[i * P + 2] = 0.01 * gauss();
        x[i * P + 3] = gauss() + 0.5 * x[i * P + 0];
        x[i * P + 4] = uniform();
        y[i] = 1.7 + 0.1 * x[i * P + 0] - 0.2 * x[i * P + 1] + 30 * x[i * P + 2] + 0.3 * gauss();
    }
    am_learn_params p;
    am_learn_defaults(&p);
    const double alphas[] = {0.0, 2.5, 400.0};
    for (int a = 0; a < 3; a++) {
        p.alpha = alphas[a];
        am_learn_model *m = NULL;
        check_true(am_learn_train(am_learn_ridge, &p, N, P, x, y, &m) == AM_OK, "ridge trains (alpha %g): %s", p.alpha,
                   am_error_message());
        double beta[P], c0, want[P], w0;
        am_learn_ridge_coefficients(m, beta, &c0);
        closed_form(N, P, x, y, p.alpha, want, &w0);
        double worst = fabs(c0 - w0) / fabs(w0);
        for (int k = 0; k < P; k++) worst = fmax(worst, fabs(beta[k] - want[k]) / fabs(want[k]));
        check_true(worst < 1e-10, "alpha %g: coefficients = (ZᵀZ + αI)⁻¹Zᵀy to %.1e (relative)", p.alpha, worst);
        /* predictions are the linear model in the features' own units */
        double pred[N], d = 0;
        am_learn_predict(m, N, x, pred);
        for (int i = 0; i < N; i++) {
            double v = c0;
            for (int k = 0; k < P; k++) v += beta[k] * x[i * P + k];
            d = fmax(d, fabs(v - pred[i]));
        }
        check_true(d < 1e-12, "alpha %g: predictions = intercept + Σ beta x (%.1e eV)", p.alpha, d);
        am_learn_free(m);
    }
    /* the automatic penalty: on the grid, and the closed form at it */
    p.alpha = AM_LEARN_ALPHA_AUTO;
    am_learn_model *m = NULL;
    check_true(am_learn_train(am_learn_ridge, &p, N, P, x, y, &m) == AM_OK, "ridge with alpha auto trains");
    const double al = am_learn_ridge_alpha(m), q = 4 * log10(al);
    check_true(fabs(q - round(q)) < 1e-9 && al >= 1e-3 && al <= 1e7, "alpha auto = %g, on the grid 1e-3..1e7", al);
    double beta[P], c0, want[P], w0;
    am_learn_ridge_coefficients(m, beta, &c0);
    closed_form(N, P, x, y, al, want, &w0);
    check_rel(beta[0], want[0], 1e-10, "alpha auto: the closed form at the chosen alpha");
    am_learn_free(m);
    /* leave-one-out by hand for three penalties: auto picks the best of the grid */
    /* α = 0 on collinear features: refused, not a division by zero */
    double xc[N * 3];
    for (int i = 0; i < N; i++) {
        xc[i * 3] = x[i * P];
        xc[i * 3 + 1] = x[i * P + 1];
        xc[i * 3 + 2] = x[i * P] + x[i * P + 1];
    }
    p.alpha = 0;
    m = NULL;
    am_status st = am_learn_train(am_learn_ridge, &p, N, 3, xc, y, &m);
    check_true(st == AM_ERR_VALUE && strstr(am_error_message(), "collinear") && !m,
               "alpha 0 on collinear features is refused: %s", am_error_message());
}

static void test_standardization(void)
{
    enum { N = 40, P = 3 };
    double x[N * P], y[N];
    for (int i = 0; i < N; i++) {
        x[i * P] = 1e4 + gauss();           /* a large offset */
        x[i * P + 1] = 7.0;                 /* constant: no scale */
        x[i * P + 2] = 1e-3 * uniform();
        y[i] = x[i * P] + 1e3 * x[i * P + 2];
    }
    am_learn_params p;
    am_learn_defaults(&p);
    p.alpha = 1;
    am_learn_model *m = NULL;
    am_learn_train(am_learn_ridge, &p, N, P, x, y, &m);
    double mean[P], scale[P], ym;
    am_learn_model_scaling(m, mean, scale, &ym);
    double z0 = 0, z2 = 0, s0 = 0, s2 = 0;
    for (int i = 0; i < N; i++) {
        const double a = (x[i * P] - mean[0]) / scale[0], c = (x[i * P + 2] - mean[2]) / scale[2];
        z0 += a, z2 += c, s0 += a * a, s2 += c * c;
    }
    check_true(fabs(z0 / N) < 1e-10 && fabs(z2 / N) < 1e-10 && fabs(s0 / N - 1) < 1e-10 && fabs(s2 / N - 1) < 1e-10,
               "standardised features have mean 0 and variance 1 (offset 1e4 and scale 1e-3 alike)");
    double beta[P];
    am_learn_ridge_coefficients(m, beta, NULL);
    check_true(scale[1] == 1.0 && beta[1] == 0.0, "a constant feature: scale 1, coefficient 0");
    /* and back: the file holds the same bits */
    const char *dir = scratch_dir("learn");
    char path[512];
    snprintf(path, sizeof path, "%s", scratch_file(dir, "scale.model"));
    am_learn_model *r = NULL;
    check_true(am_learn_save(m, path) == AM_OK && am_learn_load(path, &r) == AM_OK, "saved and loaded: %s",
               am_error_message());
    double mean2[P], scale2[P], ym2;
    am_learn_model_scaling(r, mean2, scale2, &ym2);
    check_true(memcmp(mean, mean2, sizeof mean) == 0 && memcmp(scale, scale2, sizeof scale) == 0 && ym == ym2,
               "standardisation round trip: means, scales and the target mean read back bit for bit");
    am_learn_free(m);
    am_learn_free(r);
}

/* AUC by counting pairs */
static double auc_pairs(int n, const double *score, const int *cls)
{
    double num = 0, den = 0;
    for (int i = 0; i < n; i++)
        for (int j = 0; j < n; j++)
            if (cls[i] == 1 && cls[j] == 0) {
                num += score[i] > score[j] ? 1 : score[i] == score[j] ? 0.5 : 0;
                den += 1;
            }
    return num / den;
}

/* Two classes apart along x0 (a gap between them), three noise features. */
static void separable(int n, double *x, double *y, int *cls)
{
    for (int i = 0; i < n; i++) {
        cls[i] = i % 2;
        x[i * 4] = cls[i] ? 0.6 + uniform() : -0.6 - uniform();
        for (int k = 1; k < 4; k++) x[i * 4 + k] = gauss();
        y[i] = cls[i];
    }
}

static void test_xgboost(void)
{
    enum { N = 400 };
    double x[N * 4], y[N], xt[N * 4], yt[N], pa[N], pb[N];
    int cls[N], clt[N];
    separable(N, x, y, cls);
    separable(N, xt, yt, clt);
    am_learn_params p;
    am_learn_defaults(&p);
    p.trees = 60;
    am_learn_model *a = NULL, *b = NULL, *c = NULL;
    check_true(am_learn_train(am_learn_xgboost, &p, N, 4, x, y, &a) == AM_OK, "xgboost trains: %s", am_error_message());
    am_learn_predict(a, N, xt, pa);
    int right = 0;
    for (int i = 0; i < N; i++) right += (pa[i] > 0.5) == clt[i];
    check_abs(auc_pairs(N, pa, clt), 1.0, 0.0, "separable classes on unseen atoms: AUC = 1");
    check_true(right == N, "accuracy on unseen atoms: %d of %d", right, N);
    am_learn_score sc;
    am_learn_score_options so;
    am_learn_score_defaults(&so);
    so.tail = 0.5;
    so.nboot = 0;
    am_learn_evaluate(N, yt, pa, NULL, &so, &sc);
    check_abs(sc.auc, 1.0, 0.0, "am_learn_evaluate gives the same AUC (top half vs bottom half)");
    /* the same seed, the same trees, whatever the thread count */
    const int nt = omp_get_max_threads();
    omp_set_num_threads(nt > 1 ? 1 : 2);
    am_learn_train(am_learn_xgboost, &p, N, 4, x, y, &b);
    omp_set_num_threads(nt);
    am_learn_predict(b, N, xt, pb);
    check_true(memcmp(pa, pb, sizeof pa) == 0, "same seed, other thread count: predictions equal bit for bit");
    p.seed = 2;
    am_learn_train(am_learn_xgboost, &p, N, 4, x, y, &c);
    am_learn_predict(c, N, xt, pb);
    check_true(memcmp(pa, pb, sizeof pa) != 0, "another seed samples other rows: other predictions");
    am_learn_free(a);
    am_learn_free(b);
    am_learn_free(c);
}

/* Smallest periodic distance between atoms i and j of an orthogonal box. */
static double pdist(const am_system *s, size_t i, size_t j)
{
    double d[3] = {s->x[j] - s->x[i], s->y[j] - s->y[i], s->z[j] - s->z[i]};
    am_box_min_image(&s->box, d);
    return sqrt(d[0] * d[0] + d[1] * d[1] + d[2] * d[2]);
}

static void test_blocks(void)
{
    am_system *s = build_lattice("fcc", 4.0, 6, 6, 6, "Cu");
    rattle(s, 0.3, 7);
    const size_t n = s->n;
    int *block = malloc(n * sizeof *block), fold_of[27], *fold = malloc(n * sizeof *fold);
    unsigned long long *near = malloc(n * sizeof *near);
    const int nb[3] = {3, 3, 3};
    am_learn_blocks(s, nb, block);
    int bad = 0;
    for (size_t i = 0; i < n; i++) {
        const double r[3] = {s->x[i], s->y[i], s->z[i]};
        double f[3];
        am_box_to_frac(&s->box, r, f);
        int want = 0;
        for (int d = 0; d < 3; d++) want = want * 3 + (int)floor(3 * (f[d] - floor(f[d])));
        bad += block[i] != want;
    }
    check_true(bad == 0, "every atom's block is its third of the cell along each vector");
    am_learn_folds(27, 5, 3, fold_of);
    int count[5] = {0};
    for (int b = 0; b < 27; b++) count[fold_of[b]]++;
    check_true(count[0] + count[1] + count[2] + count[3] + count[4] == 27 && count[0] >= 5 && count[4] >= 5,
               "27 blocks dealt into 5 folds of 5 or 6");
    for (size_t i = 0; i < n; i++) fold[i] = fold_of[block[i]];
    /* an atom's block is never on both sides: train and test blocks of every fold are disjoint */
    int shared = 0;
    for (int f = 0; f < 5; f++) {
        unsigned char test[27] = {0}, train[27] = {0};
        for (size_t i = 0; i < n; i++) (fold[i] == f ? test : train)[block[i]] = 1;
        for (int b = 0; b < 27; b++) shared += test[b] && train[b];
    }
    check_true(shared == 0, "no block holds both training and test atoms of a fold");
    /* the gap: flagged exactly when within 2.6 Å of another fold's atom (brute force) */
    const double gap = 2.6;
    am_learn_gap(s, fold, 5, gap, near);
    int wrong = 0, flagged = 0;
    for (size_t i = 0; i < n; i++) {
        unsigned long long want = 0;
        for (size_t j = 0; j < n; j++)
            if (j != i && fold[j] != fold[i] && pdist(s, i, j) < gap) want |= 1ULL << fold[j];
        wrong += want != near[i];
        flagged += near[i] != 0;
    }
    check_true(wrong == 0 && flagged > 0, "gap: %d atoms flagged, each exactly as the brute-force search", flagged);
    check_true(am_learn_folds(4, 5, 1, fold_of) == AM_ERR_VALUE, "more folds than blocks refused: %s",
               am_error_message());
    free(block);
    free(fold);
    free(near);
    am_system_free(s);
}

/* The leak block cross-validation exists to stop: features and target are
 * independent random fields, each averaged over 5 Å spheres so that
 * neighbours share their values, as coarse-grained descriptors and barriers
 * do. No model can predict the target from the features (the truth: r = 0),
 * yet with random atoms held out, training atoms next to each test atom
 * carry nearly its features and a correlated target. Whole blocks leave
 * that only at their faces, and a gap as wide as the averaging radius
 * removes it. */
static void test_leak(void)
{
    am_system *s = build_lattice("fcc", 4.0, 6, 6, 6, "Cu");
    rattle(s, 0.2, 5);
    enum { NF = 12 };
    const size_t n = s->n;
    double *noise = malloc(n * (NF + 1) * sizeof *noise), *cg = malloc(n * (NF + 1) * sizeof *cg);
    double *x = malloc(n * NF * sizeof *x), *y = malloc(n * sizeof *y), *yh = malloc(n * sizeof *yh);
    int *block = malloc(n * sizeof *block), *fold = malloc(n * sizeof *fold), fold_of[27];
    for (size_t i = 0; i < n * (NF + 1); i++) noise[i] = gauss();
    const double radius = 5.0;
    am_neighbor_average_multi(s, NF + 1, noise, NULL, 1, &radius, cg);
    for (size_t i = 0; i < n; i++) {
        for (int k = 0; k < NF; k++) x[i * NF + k] = cg[i * (NF + 1) + k];
        y[i] = cg[i * (NF + 1) + NF];
    }
    am_learn_params p;
    am_learn_defaults(&p);
    p.trees = 100;
    p.depth = 6;
    p.eta = 0.3;
    p.min_child_weight = 1;
    am_learn_cv_options o;
    am_learn_cv_defaults(&o);
    o.fold = fold;
    o.importance_repeats = 0;
    am_learn_score sc;
    am_learn_score_options so;
    am_learn_score_defaults(&so);
    so.nboot = 0;
    for (size_t i = 0; i < n; i++) fold[i] = (int)(uniform() * 5);
    am_learn_cv(am_learn_xgboost, &p, n, NF, x, y, &o, yh, NULL, NULL);
    am_learn_evaluate(n, y, yh, NULL, &so, &sc);
    const double r_random = sc.r;
    const int nb[3] = {3, 3, 3};
    am_learn_blocks(s, nb, block);
    am_learn_folds(27, 5, 1, fold_of);
    for (size_t i = 0; i < n; i++) fold[i] = fold_of[block[i]];
    check_true(am_learn_cv(am_learn_xgboost, &p, n, NF, x, y, &o, yh, NULL, NULL) == AM_OK, "block cv runs");
    am_learn_evaluate(n, y, yh, NULL, &so, &sc);
    const double r_block = sc.r;
    unsigned long long *near = malloc(n * sizeof *near);
    am_learn_gap(s, fold, 5, radius, near);
    o.near = near;
    check_true(am_learn_cv(am_learn_xgboost, &p, n, NF, x, y, &o, yh, NULL, NULL) == AM_OK, "block cv with a gap runs");
    am_learn_evaluate(n, y, yh, NULL, &so, &sc);
    check_true(r_random > 0.4 && r_block < r_random - 0.1 && fabs(sc.r) < 0.25,
               "independent fields: out-of-sample r = %.3f with random atoms held out, %.3f with blocks, %.3f with "
               "blocks and a 5 Å gap (the truth: 0)", r_random, r_block, sc.r);
    /* folds side by side or one by one: the same predictions */
    double *y2 = malloc(n * sizeof *y2);
    const int nt = omp_get_max_threads();
    omp_set_num_threads(nt > 1 ? 1 : 2);
    am_learn_cv(am_learn_xgboost, &p, n, NF, x, y, &o, y2, NULL, NULL);
    omp_set_num_threads(nt);
    check_true(memcmp(yh, y2, n * sizeof *yh) == 0, "cross-validated predictions independent of the thread count");
    free(noise); free(cg); free(x); free(y); free(yh); free(y2); free(block); free(fold); free(near);
    am_system_free(s);
}

static void test_scores(void)
{
    enum { N = 200 };
    double y[N], h[N], g[N];
    int cls[N], block[N];
    for (int i = 0; i < N; i++) {
        y[i] = gauss();
        h[i] = y[i] + gauss();
        g[i] = -y[i];
        block[i] = i % 10;
    }
    am_learn_score_options o;
    am_learn_score_defaults(&o);
    o.nboot = 0;
    am_learn_score sc;
    am_learn_evaluate(N, y, y, NULL, &o, &sc);
    check_true(sc.r == 1 && sc.r2 == 1 && sc.rho == 1 && sc.auc == 1 && sc.ntail == 10,
               "perfect predictions: r = R² = ρ = AUC = 1, tails of 10");
    am_learn_evaluate(N, y, g, NULL, &o, &sc);
    check_true(sc.auc == 0 && sc.r2 < -3, "reversed predictions: AUC 0, R² = %.2f < 0", sc.r2);
    /* AUC and R² by hand on noisy predictions */
    am_learn_evaluate(N, y, h, NULL, &o, &sc);
    double order[N];
    memcpy(order, y, sizeof order);
    for (int a = 1; a < N; a++)
        for (int b = a; b > 0 && order[b] < order[b - 1]; b--) {
            const double t = order[b];
            order[b] = order[b - 1];
            order[b - 1] = t;
        }
    double ym = 0, res = 0, tot = 0;
    for (int i = 0; i < N; i++) ym += y[i] / N;
    for (int i = 0; i < N; i++) {
        cls[i] = y[i] >= order[N - 10] ? 1 : y[i] <= order[9] ? 0 : -1;
        res += (y[i] - h[i]) * (y[i] - h[i]);
        tot += (y[i] - ym) * (y[i] - ym);
    }
    check_abs(sc.auc, auc_pairs(N, h, cls), 1e-15, "AUC of the top vs bottom 5 %% = pair count (%.4f)", sc.auc);
    check_abs(sc.r2, 1 - res / tot, 1e-12, "R² = 1 - SS_res/SS_tot");
    /* intervals: hold the estimate, wider for blocks of correlated atoms, thread-independent */
    o.nboot = 400;
    am_learn_score a, b;
    am_learn_evaluate(N, y, h, block, &o, &a);
    const int nt = omp_get_max_threads();
    omp_set_num_threads(nt > 1 ? 1 : 2);
    am_learn_evaluate(N, y, h, block, &o, &b);
    omp_set_num_threads(nt);
    check_true(a.r_lo < a.r && a.r < a.r_hi && a.auc_lo <= a.auc && a.auc <= a.auc_hi && a.nblocks == 10,
               "r %.3f in [%.3f, %.3f], AUC %.3f in [%.3f, %.3f] over 10 blocks", a.r, a.r_lo, a.r_hi, a.auc, a.auc_lo,
               a.auc_hi);
    check_true(memcmp(&a, &b, sizeof a) == 0, "block-bootstrap intervals do not depend on the thread count");
    double yb[N], hb[N];
    for (int i = 0; i < N; i++) {
        /* blocks whose atoms share their error: resampling atoms would count them 20 times */
        yb[i] = y[i];
        hb[i] = y[i] + 2 * sin(7.0 * block[i]) + 0.1 * gauss();
    }
    am_learn_evaluate(N, yb, hb, block, &o, &a);
    am_learn_evaluate(N, yb, hb, NULL, &o, &b);
    check_true(a.r_hi - a.r_lo > 1.5 * (b.r_hi - b.r_lo),
               "errors shared within blocks: block interval %.3f wide, atom interval %.3f", a.r_hi - a.r_lo,
               b.r_hi - b.r_lo);
}

static int write_text(const char *path, const char *text)
{
    FILE *f = fopen(path, "w");
    if (!f) return 1;
    fputs(text, f);
    return fclose(f);
}

static void test_files(void)
{
    enum { N = 120, P = 3 };
    double x[N * P], y[N], a[N], b[N];
    for (int i = 0; i < N; i++) {
        for (int k = 0; k < P; k++) x[i * P + k] = gauss() * (k + 1) + 10 * k;
        y[i] = x[i * P] - 0.5 * x[i * P + 2] + 0.1 * gauss();
    }
    const char *dir = scratch_dir("learn_files");
    am_learn_feature f[P] = {{"cn", "cn", 0}, {"q6_cg4p0", "q6", 4}, {"species_Cu_cg6p5", "species_Cu", 6.5}};
    const am_learn_type *types[2] = {am_learn_ridge, am_learn_xgboost};
    for (int t = 0; t < 2; t++) {
        am_learn_params p;
        am_learn_defaults(&p);
        p.trees = 40;
        am_learn_model *m = NULL, *r = NULL;
        am_learn_train(types[t], &p, N, P, x, y, &m);
        am_learn_model_label(m, "ea_mean", f);
        char path[512];
        snprintf(path, sizeof path, "%s", scratch_file(dir, am_learn_type_name(types[t])));
        check_true(am_learn_save(m, path) == AM_OK && am_learn_load(path, &r) == AM_OK, "%s: saved and loaded: %s",
                   am_learn_type_name(types[t]), am_error_message());
        am_learn_predict(m, N, x, a);
        am_learn_predict(r, N, x, b);
        check_true(memcmp(a, b, sizeof a) == 0, "%s: save, load, predict = the model in memory, bit for bit",
                   am_learn_type_name(types[t]));
        const am_learn_feature *g = am_learn_model_features(r);
        check_true(am_learn_model_type(r) == types[t] && strcmp(am_learn_model_target(r), "ea_mean") == 0 &&
                       strcmp(g[1].name, "q6_cg4p0") == 0 && strcmp(g[2].base, "species_Cu") == 0 && g[2].radius == 6.5 &&
                       am_learn_model_ntrain(r) == N,
                   "%s: type, target, features and training size read back", am_learn_type_name(types[t]));
        if (types[t] == am_learn_xgboost) {
            /* the root its own left child: XGBoost itself would predict forever */
            char *text = read_text_file(path, NULL);
            char *root = text ? strstr(text, "\"left_children\":[1,") : NULL;
            if (root) root[strlen("\"left_children\":[")] = '0';
            am_learn_model *c = NULL;
            check_true(root && write_text(path, text) == 0 && am_learn_load(path, &c) == AM_ERR_PARSE && !c &&
                           strstr(am_error_message(), path) &&
                           strstr(am_error_message(), "node 0's children to be nodes reached once"),
                       "xgboost: a tree with a cycle refused: %s", am_error_message());
            free(text);
        }
        am_learn_free(m);
        am_learn_free(r);
    }
    /* broken files: refused with the file and line */
    static const struct {
        const char *text, *expect;
    } bad[] = {
        {"amorph-learn 2\n", "version 1"},
        {"not a model\n", "not an amorph model file"},
        {"amorph-learn 1\ntype forest\n", "ridge or xgboost"},
        {"amorph-learn 1\ntype ridge\ntarget ea_mean\nselect all\nntrain 10\nymean 1.5\nfeatures 1\nfeature cn cn 0 1 0\n",
         "scale > 0"},
        {"amorph-learn 1\ntype ridge\ntarget ea_mean\nselect all\nntrain 10\nymean 1.5\nfeatures 2\nfeature cn cn 0 1 1\n",
         "end of file"},
        {"amorph-learn 1\ntype ridge\ntarget `rm`\n", "column name"},
        {"amorph-learn 1\ntype ridge\ntarget y\nselect C$u\n", "a species as the selection"},
        {"amorph-learn 1\ntype ridge\ntarget y\nselect all\nntrain 10\nymean 1\nfeatures 1\nfeature a a 0 0 1\nridge alpha 1\n"
         "beta nan\nend\n", "beta B"},
        {"amorph-learn 1\ntype xgboost\ntarget y\nselect all\nntrain 10\nymean 1\nfeatures 1\nfeature a a 0 0 1\n"
         "xgboost json 999999\n{}\nend\n", "BYTES within the file"},
        {"amorph-learn 1\ntype xgboost\ntarget y\nselect all\nntrain 10\nymean 1\nfeatures 1\nfeature a a 0 0 1\n"
         "xgboost json 6\n{\"a\":}\nend\n", "as amorph writes it: a JSON value"},
    };
    for (size_t k = 0; k < sizeof bad / sizeof bad[0]; k++) {
        char path[512];
        snprintf(path, sizeof path, "%s", scratch_file(dir, "bad.model"));
        write_text(path, bad[k].text);
        am_learn_model *m = NULL;
        const am_status st = am_learn_load(path, &m);
        check_true(st == AM_ERR_PARSE && !m && strstr(am_error_message(), bad[k].expect) &&
                       strstr(am_error_message(), "bad.model:"),
                   "broken model file %zu refused: %s", k + 1, am_error_message());
    }
}

static void test_multi_average(void)
{
    am_system *s = build_lattice("fcc", 3.6, 5, 5, 5, "Cu,Zr");
    rattle(s, 0.2, 11);
    const size_t n = s->n;
    double *a = malloc(n * 2 * sizeof *a), *col = malloc(n * sizeof *col), *one = malloc(n * sizeof *one);
    const double radii[3] = {6.0, 2.8, 4.1};
    double *multi = malloc(n * 3 * 2 * sizeof *multi);
    unsigned char *sel = malloc(n);
    for (size_t i = 0; i < n; i++) {
        a[i * 2] = gauss();
        a[i * 2 + 1] = 100 + uniform();
        sel[i] = s->type[i] == 1;
    }
    check_true(am_neighbor_average_multi(s, 2, a, sel, 3, radii, multi) == AM_OK, "multi-radius average runs");
    double worst = 0;
    for (int c = 0; c < 2; c++)
        for (int r = 0; r < 3; r++) {
            for (size_t i = 0; i < n; i++) col[i] = a[i * 2 + c];
            am_neighbor_average(s, col, sel, radii[r], one);
            for (size_t i = 0; i < n; i++) worst = fmax(worst, fabs(one[i] - multi[(i * 3 + r) * 2 + c]) / fabs(one[i]));
        }
    check_true(worst < 1e-14, "2 columns x 3 radii in one pass = one at a time (to %.1e, relative)", worst);
    free(a); free(col); free(one); free(multi); free(sel);
    am_system_free(s);
}

/* Non-finite input is refused with the atom and the descriptor named. */
static void test_bad_input(void)
{
    am_system *s = build_lattice("sc", 3.0, 3, 3, 3, "Cu");
    double v[27], x[27 * 2], y[27];
    for (int i = 0; i < 27; i++) v[i] = x[2 * i] = x[2 * i + 1] = y[i] = i;
    v[4] = NAN;
    am_table_column col = {"cn", 1, v};
    am_table t = {27, 1, &col, ""};
    am_learn_feature f = {"cn_cg4p0", "cn", 4.0};
    am_status st = am_learn_features(s, &t, 1, &f, x);
    check_true(st == AM_ERR_VALUE && strstr(am_error_message(), "'cn'") && strstr(am_error_message(), "atom 5"),
               "a NaN descriptor is refused by name and atom id: %s", am_error_message());
    am_learn_feature g = {"vol", "vol", 0};
    st = am_learn_features(s, &t, 1, &g, x);
    check_true(st == AM_ERR_VALUE && strstr(am_error_message(), "no descriptor 'vol'"), "a missing descriptor: %s",
               am_error_message());
    x[7] = INFINITY;
    am_learn_model *m = NULL;
    st = am_learn_train(am_learn_ridge, NULL, 27, 2, x, y, &m);
    check_true(st == AM_ERR_VALUE && !m && strstr(am_error_message(), "row 4"), "an infinite training value: %s",
               am_error_message());
    x[7] = 0;
    y[3] = NAN;
    st = am_learn_train(am_learn_xgboost, NULL, 27, 2, x, y, &m);
    check_true(st == AM_ERR_VALUE && !m && strstr(am_error_message(), "target of row 4"), "a NaN target: %s",
               am_error_message());
    st = am_learn_train(am_learn_ridge, NULL, 27, 0, x, y, &m);
    check_true(st == AM_ERR_VALUE && strstr(am_error_message(), "0 features"), "no features: %s", am_error_message());
    am_system_free(s);
}

int main(void)
{
    test_ridge();
    test_standardization();
    test_xgboost();
    test_blocks();
    test_leak();
    test_scores();
    test_files();
    test_multi_average();
    test_bad_input();
    return check_exit();
}
