/* The large-system mode solver (am_modes_sparse): the supernodal LDLᵀ on a
 * quasi-definite matrix against the exact product (blocked panels, several
 * right-hand-side counts, the inertia), and the block shift-invert Lanczos
 * on the augmented pair-range system against dense LAPACK — the minimised
 * 432-atom glass (with masses and without; it has an atom with F'' < 0, so
 * the trailing unknowns are in play), the same glass rattled off its minimum
 * (negative eigenvalues, shift below them), crystals in boxes where a
 * neighbour has several images, and a shift above the spectrum refused. */
#include "util/build.h"
#include "util/check.h"
#include "vibration/hessian_internal.h"
#include "vibration/ldlt.h"

#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static double uniform(unsigned long long *st)
{
    *st = *st * 6364136223846793005ULL + 1442695040888963407ULL;
    return (double)(*st >> 11) / 9007199254740992.0 - 0.5;
}

/* [[A, B], [Bᵀ, −C]]: A the 7-point Laplacian of a g³ periodic grid plus
 * 0.1 I, each of ny extra unknowns coupled to 5 random grid points, C
 * diagonal in [0.5, 1.5]. Upper triangle, column-major, as a CHOLMOD
 * matrix; the values also go to a dense copy for the product. */
static cholmod_sparse *quasi_definite(int g, int ny, cholmod_common *cc, double **dense)
{
    const int nx = g * g * g, n = nx + ny;
    double *K = calloc((size_t)n * (size_t)n, sizeof(double));
    unsigned long long st = 77;
    for (int i = 0; i < g; i++)
        for (int j = 0; j < g; j++)
            for (int k = 0; k < g; k++) {
                const int a = (i * g + j) * g + k;
                K[(size_t)a * n + a] = 6.1;
                const int nb[3] = {(((i + 1) % g) * g + j) * g + k, (i * g + (j + 1) % g) * g + k, (i * g + j) * g + (k + 1) % g};
                for (int q = 0; q < 3; q++) K[(size_t)a * n + nb[q]] = K[(size_t)nb[q] * n + a] = -1.0;
            }
    for (int y = nx; y < n; y++) {
        K[(size_t)y * n + y] = -(1.0 + uniform(&st));
        for (int q = 0; q < 5; q++) {
            const int a = (int)((uniform(&st) + 0.5) * nx) % nx;
            K[(size_t)y * n + a] = K[(size_t)a * n + y] = uniform(&st);
        }
    }
    size_t nnz = 0;
    for (size_t c = 0; c < (size_t)n; c++)
        for (size_t r = 0; r <= c; r++) nnz += K[c * n + r] != 0;
    cholmod_sparse *A = cholmod_l_allocate_sparse(n, n, nnz, 1, 1, 1, CHOLMOD_REAL, cc);
    SuiteSparse_long *ap = A->p, *ai = A->i;
    double *ax = A->x;
    nnz = 0;
    for (size_t c = 0; c < (size_t)n; c++) {
        ap[c] = (SuiteSparse_long)nnz;
        for (size_t r = 0; r <= c; r++)
            if (K[c * n + r] != 0) { ai[nnz] = (SuiteSparse_long)r; ax[nnz++] = K[c * n + r]; }
    }
    ap[n] = (SuiteSparse_long)nnz;
    *dense = K;
    return A;
}

/* Solves K X = B for nr random right-hand sides with the factor f (in its
 * precision) and returns the largest residual relative to |b|. */
static double solve_residual(const am_ldlt *f, const double *K, const SuiteSparse_long *pinv, int n, int nr,
                             unsigned long long *st)
{
    double *B = malloc((size_t)n * nr * sizeof(double)), *X = malloc((size_t)n * nr * sizeof(double));
    float *Xf = malloc((size_t)n * nr * sizeof(float));
    /* a float factor's right-hand sides are floats: B rounded first, so
     * the residual measures the solve alone */
    for (size_t q = 0; q < (size_t)n * nr; q++) B[q] = f->single ? (float)uniform(st) : uniform(st);
    /* B is in the original numbering, vector-major; X row-major in the factor's */
    for (int r = 0; r < n; r++)
        for (int c = 0; c < nr; c++) {
            X[(size_t)pinv[r] * nr + c] = B[(size_t)c * n + r];
            Xf[(size_t)pinv[r] * nr + c] = (float)B[(size_t)c * n + r];
        }
    if (f->single) {
        am_ldlt_solve_single(f, nr, Xf);
        for (size_t q = 0; q < (size_t)n * nr; q++) X[q] = Xf[q];
    } else
        am_ldlt_solve(f, nr, X);
    double worst = 0;
    for (int c = 0; c < nr; c++) {
        double res = 0, bn = 0;
        for (int r = 0; r < n; r++) {
            double sum = 0;
            for (int q = 0; q < n; q++) sum += K[(size_t)r * n + q] * X[(size_t)pinv[q] * nr + c];
            res += (sum - B[(size_t)c * n + r]) * (sum - B[(size_t)c * n + r]);
            bn += B[(size_t)c * n + r] * B[(size_t)c * n + r];
        }
        worst = fmax(worst, sqrt(res / bn));
    }
    free(B); free(X); free(Xf);
    return worst;
}

static void ldlt_quasi_definite(void)
{
    cholmod_common cc;
    cholmod_l_start(&cc);
    cc.print = 0;
    const int g = 12, ny = 400, nx = g * g * g, n = nx + ny;
    double *K;
    cholmod_sparse *A = quasi_definite(g, ny, &cc, &K);
    cc.supernodal = CHOLMOD_SUPERNODAL;
    cholmod_factor *L = cholmod_l_analyze(A, &cc);
    /* the lower triangle in the factor's order */
    const SuiteSparse_long *perm = L->Perm;
    SuiteSparse_long *pinv = malloc((size_t)n * sizeof *pinv);
    for (int q = 0; q < n; q++) pinv[perm[q]] = q;
    size_t *cp = calloc((size_t)n + 1, sizeof(size_t));
    const SuiteSparse_long *ap = A->p, *ai = A->i;
    const double *ax = A->x;
    for (int c = 0; c < n; c++)
        for (SuiteSparse_long q = ap[c]; q < ap[c + 1]; q++) {
            const SuiteSparse_long i = pinv[ai[q]], j = pinv[c];
            cp[(i < j ? i : j) + 1]++;
        }
    for (int c = 0; c < n; c++) cp[c + 1] += cp[c];
    size_t *fill = malloc((size_t)n * sizeof(size_t));
    memcpy(fill, cp, (size_t)n * sizeof(size_t));
    int *ri = malloc(cp[n] * sizeof(int));
    double *rx = malloc(cp[n] * sizeof(double));
    for (int c = 0; c < n; c++)
        for (SuiteSparse_long q = ap[c]; q < ap[c + 1]; q++) {
            const SuiteSparse_long i = pinv[ai[q]], j = pinv[c], lo = i < j ? i : j, hi = i < j ? j : i;
            ri[fill[lo]] = (int)hi;
            rx[fill[lo]++] = ax[q];
        }
    size_t maxcol = 0;
    for (size_t s = 0; s < L->nsuper; s++) {
        const size_t nc = (size_t)(((SuiteSparse_long *)L->super)[s + 1] - ((SuiteSparse_long *)L->super)[s]);
        if (nc > maxcol) maxcol = nc;
    }
    printf("  quasi-definite test matrix: %d unknowns, %zu supernodes, largest %zu columns\n", n, L->nsuper, maxcol);
    check_true(maxcol > AM_LDLT_PANEL, "a supernode wider than one panel (cut into panels; blocked factorisation exercised)");
    am_ldlt f;
    const am_status fs = am_ldlt_factor(L, cp, ri, rx, 0, &f);
    if (check_true(fs == AM_OK, "LDLt factorisation (%s)", fs ? am_error_message() : "ok")) {
        /* the panels store each supernode's lower trapezoid: less than
         * CHOLMOD's rectangles, and no less than the factor's entries */
        printf("  %zu supernodes in %zu panels; %zu values stored, CHOLMOD's layout %zu, %.0f entries\n", L->nsuper,
               f.npanel, f.size, L->xsize, cc.lnz);
        check_true(f.npanel > L->nsuper && f.size < L->xsize && (double)f.size >= cc.lnz,
                   "panels: %zu > %zu supernodes, %zu values < %zu, >= %.0f", f.npanel, L->nsuper, f.size, L->xsize, cc.lnz);
        check_true(f.npos == (size_t)nx && f.nneg == (size_t)ny, "inertia: %zu positive, %zu negative pivots", f.npos, f.nneg);
        const int counts[4] = {1, 7, 16, 40};
        unsigned long long st = 5;
        for (int t = 0; t < 4; t++)
            check_abs(solve_residual(&f, K, pinv, n, counts[t], &st), 0, 1e-12,
                      "LDLt solve with %d right-hand sides: relative residual", counts[t]);
        am_ldlt_free(&f);
        /* single precision: a float's accuracy (not a double's, not worse),
         * the same inertia */
        const am_status fs1 = am_ldlt_factor(L, cp, ri, rx, 1, &f);
        if (check_true(fs1 == AM_OK, "LDLt in single precision (%s)", fs1 ? am_error_message() : "ok")) {
            check_true(f.npos == (size_t)nx && f.nneg == (size_t)ny, "single: inertia %zu positive, %zu negative", f.npos,
                       f.nneg);
            for (int t = 0; t < 4; t += 2) {
                const double res = solve_residual(&f, K, pinv, n, counts[t], &st);
                printf("  single-precision LDLt, %d right-hand sides: relative residual %.2e\n", counts[t], res);
                check_true(res > 1e-10 && res < 1e-5, "single-precision solve: residual %.2e at a float's accuracy", res);
            }
            double x1 = 1.0;
            check_true(am_ldlt_solve(&f, 1, &x1) == AM_ERR_VALUE, "a double solve with a single factor refused (%s)",
                       am_error_message());
        }
        am_ldlt_free(&f);
    }
    /* a zero pivot is reported, not divided by */
    cholmod_sparse *Z = cholmod_l_allocate_sparse(2, 2, 1, 1, 1, 1, CHOLMOD_PATTERN, &cc);
    ((SuiteSparse_long *)Z->p)[0] = 0;
    ((SuiteSparse_long *)Z->p)[1] = 0;
    ((SuiteSparse_long *)Z->p)[2] = 1;
    ((SuiteSparse_long *)Z->i)[0] = 0;
    cc.nmethods = 1;
    cc.method[0].ordering = CHOLMOD_NATURAL;
    cc.postorder = 0;
    cholmod_factor *L2 = cholmod_l_analyze(Z, &cc);
    const size_t zp[3] = {0, 1, 1};
    const int zi[1] = {1};
    const double zx[1] = {1.0};
    check_true(L2 && am_ldlt_factor(L2, zp, zi, zx, 0, &f) == AM_ERR_VALUE, "[[0, 1], [1, 0]]: zero pivot reported (%s)",
               am_error_message());
    cholmod_l_free_factor(&L2, &cc);
    cholmod_l_free_sparse(&Z, &cc);
    free(pinv); free(cp); free(fill); free(ri); free(rx); free(K);
    cholmod_l_free_factor(&L, &cc);
    cholmod_l_free_sparse(&A, &cc);
    cholmod_l_finish(&cc);
}

/* Sparse against dense for nmodes modes: largest relative eigenvalue
 * difference (translations, if zero, relative to the first vibration) and
 * the largest difference of participation in modes [first, nmodes), with
 * the factor in double precision (tol_part) and in single precision, the
 * default, refined (tol_part_single). */
static void compare(const char *label, const am_hessian *h, const double *mass, int nmodes, double sigma, int first,
                    double tol_lambda, double tol_part, double tol_part_single)
{
    am_modes *d = NULL;
    const am_status sd = am_modes_dense(h, mass, nmodes, 1, &d);
    if (!check_true(sd == AM_OK, "%s: dense (%s)", label, sd ? am_error_message() : "ok")) return;
    for (int prec = 0; prec < 2; prec++) {
        am_modes *s = NULL;
        const char *pname = prec ? "double" : "single";
        const am_status st = prec ? am_modes_sparse_ex(h, mass, nmodes, sigma, AM_FACTOR_DOUBLE, &s)
                                  : am_modes_sparse(h, mass, nmodes, sigma, &s);
        if (!check_true(st == AM_OK, "%s: sparse, %s factor (%s)", label, pname, st ? am_error_message() : "ok")) continue;
        check_true(s->factor == (prec ? AM_FACTOR_DOUBLE : AM_FACTOR_SINGLE), "%s: factored in %s precision", label, pname);
        const double ref = fabs(d->lambda[first]);
        double dl = 0, dp = 0;
        for (int k = 0; k < nmodes; k++)
            dl = fmax(dl, fabs(s->lambda[k] - d->lambda[k]) / fmax(fabs(d->lambda[k]), k < first ? ref : 0.0));
        const size_t n = am_hessian_n(h);
        double *pd = malloc(n * sizeof(double)), *ps = malloc(n * sizeof(double));
        am_modes_participation(d, first, nmodes - first, pd);
        am_modes_participation(s, first, nmodes - first, ps);
        for (size_t i = 0; i < n; i++) dp = fmax(dp, fabs(pd[i] - ps[i]));
        printf("  %s, %s factor: %d modes, lowest %.4g, eigenvalues %.2e (relative), participations %.2e\n", label,
               pname, nmodes, d->lambda[0], dl, dp);
        check_abs(dl, 0, tol_lambda, "%s, %s factor: sparse eigenvalues equal dense", label, pname);
        const double tp = prec ? tol_part : tol_part_single;
        if (tp > 0) check_abs(dp, 0, tp, "%s, %s factor: sparse participations equal dense", label, pname);
        if (first == 3) {
            double tr = 0;
            for (int k = 0; k < 3; k++) tr = fmax(tr, fabs(s->lambda[k]) / ref);
            check_abs(tr, 0, 1e-12, "%s, %s factor: three zero translations (relative to the first vibration)", label,
                      pname);
        }
        free(pd);
        free(ps);
        am_modes_free(s);
    }
    am_modes_free(d);
}

int main(void)
{
    ldlt_quasi_definite();

    am_potential *cuzr = NULL, *cu = NULL;
    am_system *s = load_glass_minimized(&cuzr, 1e-9);
    if (!check_true(s != NULL, "432-atom glass minimised")) return check_exit();
    am_hessian *h;
    if (!check_true(am_hessian_create(cuzr, s, &h) == AM_OK, "Hessian")) return check_exit();
    int negative = 0;
    for (size_t i = 0; i < s->n; i++) negative += h->fpp[i] < 0;
    check_true(negative > 0, "the glass has atoms with F'' < 0 (%d): their unknowns are eliminated last", negative);
    double *mass = malloc(s->n * sizeof(double));
    am_system_masses(s, mass);
    {
        /* the block product (the refinement's residuals) is the single-vector
         * product for every vector, bit for bit */
        const size_t N = 3 * s->n;
        const int nv = 5;
        double *X = malloc(N * nv * sizeof(double)), *Y = malloc(N * nv * sizeof(double));
        double *x = malloc(N * sizeof(double)), *y = malloc(N * sizeof(double)), *work = malloc(s->n * nv * sizeof(double));
        unsigned long long st = 9;
        for (size_t q = 0; q < N * nv; q++) X[q] = uniform(&st);
        am_hessian_apply_block(h, nv, X, Y, work);
        int same = 1;
        for (int v = 0; v < nv; v++) {
            for (size_t a = 0; a < N; a++) x[a] = X[a * nv + (size_t)v];
            am_hessian_apply(h, x, y);
            for (size_t a = 0; a < N; a++) same &= y[a] == Y[a * nv + (size_t)v];
        }
        check_true(same, "Hessian product of a block of %d vectors equals %d single products bit for bit", nv, nv);
        /* and the generic copy (AMORPH_NO_SIMD=1) the AVX2 one, where the CPU
         * has it: vectors of 4 and a tail of 1 here */
        char *keep = getenv("AMORPH_NO_SIMD") ? strdup(getenv("AMORPH_NO_SIMD")) : NULL;
        setenv("AMORPH_NO_SIMD", "1", 1);
        double *Z = malloc(N * nv * sizeof(double));
        am_hessian_apply_block(h, nv, X, Z, work);
        if (keep) setenv("AMORPH_NO_SIMD", keep, 1);
        else unsetenv("AMORPH_NO_SIMD");
        free(keep);
        same = 1;
        for (size_t q = 0; q < N * nv; q++) same &= Z[q] == Y[q];
        check_true(same, "Hessian block product: the generic and the vector code give the same bits");
        free(X); free(Y); free(Z); free(x); free(y); free(work);
    }
    /* 40 modes: blocks of 5, restarts */
    compare("glass, masses", h, mass, 40, -1e-3, 3, 1e-10, 1e-11, 1e-11);
    compare("glass, unit masses", h, NULL, 12, -0.05, 3, 1e-10, 1e-11, 1e-11);
    am_modes *m = NULL;
    check_true(am_modes_sparse(h, mass, 12, 0.01, &m) == AM_ERR_VALUE && m == NULL,
               "shift above the lowest eigenvalue refused: %s", am_error_message());
    /* a shift 1e-8 below the translations: D − σI too ill-conditioned for a
     * float factor (its trial solve is off by ~1), so the solver factors in
     * double instead, and says so; the modes are the double factor's */
    am_modes *m2 = NULL;
    const am_status si = am_modes_sparse(h, mass, 12, -1e-8, &m);
    const am_status sdbl = am_modes_sparse_ex(h, mass, 12, -1e-8, AM_FACTOR_DOUBLE, &m2);
    if (check_true(si == AM_OK && sdbl == AM_OK, "shift -1e-8: sparse modes (%s)", si || sdbl ? am_error_message() : "ok")) {
        check_true(m->factor == AM_FACTOR_DOUBLE && m2->factor == AM_FACTOR_DOUBLE,
                   "an ill-conditioned shift: the single-precision factor is replaced by the double one");
        double dl = 0;
        for (int k = 3; k < 12; k++) dl = fmax(dl, fabs(m->lambda[k] - m2->lambda[k]) / m2->lambda[k]);
        check_abs(dl, 0, 1e-13, "shift -1e-8: the same eigenvalues as asking for double");
    }
    am_modes_free(m);
    am_modes_free(m2);
    m = NULL;
    am_hessian_free(h);

    /* off the minimum: negative eigenvalues, the shift below them */
    rattle(s, 0.15, 11);
    am_hessian_create(cuzr, s, &h);
    am_modes *d = NULL;
    if (check_true(am_modes_dense(h, mass, 1, 0, &d) == AM_OK, "rattled glass: dense lowest")) {
        printf("  rattled glass: lowest eigenvalue %.4g\n", d->lambda[0]);
        check_true(d->lambda[0] < 0, "rattled glass has a negative eigenvalue");
        compare("rattled glass", h, mass, 20, d->lambda[0] - 0.01, 0, 1e-10, 1e-10, 1e-11);
    }
    am_modes_free(d);
    am_hessian_free(h);
    am_system_free(s);

    /* crystals: a neighbour's several images in the cutoff; degenerate
     * spectra, so eigenvalues only */
    if (check_true(am_potential_read(potential_path("Cu_u3.eam"), AM_EAM_FUNCFL, &cu) == AM_OK, "Cu_u3 read")) {
        am_system *fcc = build_lattice("fcc", 3.615, 3, 3, 3, "Cu");
        am_hessian_create(cu, fcc, &h);
        double *mf = malloc(fcc->n * sizeof(double));
        am_system_masses(fcc, mf);
        compare("fcc Cu 3x3x3", h, mf, 30, -1e-3, 3, 1e-10, 0, 0);
        free(mf);
        am_hessian_free(h);
        am_system_free(fcc);
    }
    am_system *b2 = build_lattice("b2", 3.26, 3, 3, 3, "Cu,Zr");
    rattle(b2, 0.02, 3);
    am_hessian_create(cuzr, b2, &h);
    d = NULL;
    if (am_modes_dense(h, NULL, 1, 0, &d) == AM_OK) compare("B2 in a 9.8 A box", h, NULL, 30, d->lambda[0] - 0.1, 0, 1e-10, 0, 0);
    am_modes_free(d);
    am_hessian_free(h);
    am_system_free(b2);

    free(mass);
    am_potential_free(cuzr);
    am_potential_free(cu);
    return check_exit();
}
