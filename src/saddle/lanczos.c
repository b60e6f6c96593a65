/* Lowest Hessian eigenpair by Lanczos with full reorthogonalisation.
 *
 * Hessian-vector products are forward differences of the forces,
 * H q ≈ −(F(x + dx q) − F(x)) / dx, so each Krylov vector costs one force
 * call and the Hessian is never stored. Full reorthogonalisation (two passes
 * of Gram–Schmidt against every previous vector) is affordable at ≤ 16
 * vectors and removes the ghost eigenvalues that plain three-term Lanczos
 * produces once finite-difference noise breaks orthogonality. */
#include "saddle/saddle_internal.h"
#include "core/error.h"

#include <gsl/gsl_eigen.h>
#include <gsl/gsl_randist.h>
#include <math.h>
#include <stdlib.h>
#include <string.h>

am_status sd_ctx_init(sd_ctx *c, am_engine *e, am_system *s, am_region *g)
{
    c->e = e;
    c->s = s;
    c->g = g;
    c->n3 = g ? 3 * am_region_nactive(g) : 3 * s->n;
    c->calls = 0;
    c->lanczos_calls = 0;
    c->fsoa = g ? NULL : malloc(c->n3 * sizeof(double) + 1);
    if (!g && !c->fsoa) return am_fail(AM_ERR_NOMEM, "saddle: out of memory for %zu atoms", s->n);
    return AM_OK;
}

void sd_ctx_free(sd_ctx *c)
{
    free(c->fsoa);
    c->fsoa = NULL;
}

void sd_get_positions(const am_system *s, double *x)
{
    for (size_t i = 0; i < s->n; i++) { x[3 * i] = s->x[i]; x[3 * i + 1] = s->y[i]; x[3 * i + 2] = s->z[i]; }
}

void sd_set_positions(am_system *s, const double *x)
{
    for (size_t i = 0; i < s->n; i++) { s->x[i] = x[3 * i]; s->y[i] = x[3 * i + 1]; s->z[i] = x[3 * i + 2]; }
}

am_status sd_eval(sd_ctx *c, const double *x, double *energy, double *f)
{
    if (c->g) {
        c->calls++;
        return am_region_compute(c->g, x, energy, f);
    }
    const size_t n = c->s->n;
    sd_set_positions(c->s, x);
    am_result r = {0};
    r.skip_virial = 1;
    r.fx = c->fsoa; r.fy = c->fsoa + n; r.fz = c->fsoa + 2 * n;
    am_status st = am_engine_compute(c->e, c->s, &r);
    c->calls++;
    if (st) return st;
    *energy = r.energy;
    for (size_t i = 0; i < n; i++) { f[3 * i] = r.fx[i]; f[3 * i + 1] = r.fy[i]; f[3 * i + 2] = r.fz[i]; }
    return AM_OK;
}

double sd_dot(const double *a, const double *b, size_t n)
{
    double s = 0.0;
    for (size_t i = 0; i < n; i++) s += a[i] * b[i];
    return s;
}

void sd_remove_translation(double *v, size_t n3)
{
    double m[3] = {0, 0, 0};
    for (size_t i = 0; i < n3; i++) m[i % 3] += v[i];
    const double na = (double)(n3 / 3);
    for (int d = 0; d < 3; d++) m[d] /= na;
    for (size_t i = 0; i < n3; i++) v[i] -= m[i % 3];
}

void sd_project(const sd_ctx *c, double *v)
{
    /* frozen atoms pin a region, so only the whole system has translation zero modes */
    if (!c->g) sd_remove_translation(v, c->n3);
}

double sd_normalize(double *v, size_t n3)
{
    const double nv = sqrt(sd_dot(v, v, n3));
    if (nv > 0)
        for (size_t i = 0; i < n3; i++) v[i] /= nv;
    return nv;
}

double sd_maxnorm(const double *v, size_t n3)
{
    double m = 0.0;
    for (size_t i = 0; i + 2 < n3; i += 3) {
        const double q = v[i] * v[i] + v[i + 1] * v[i + 1] + v[i + 2] * v[i + 2];
        if (q > m) m = q;
    }
    return sqrt(m);
}

void am_lanczos_defaults(am_lanczos_options *o)
{
    memset(o, 0, sizeof *o);
    o->max_vectors = 16;
    o->tol = 0.01;
    o->dx = 1e-3;
}

/* Lowest eigenpair of the k×k tridiagonal matrix (a on the diagonal, b off it). */
static am_status tridiag_lowest(int k, const double *a, const double *b, double *theta, double *y)
{
    gsl_matrix *t = gsl_matrix_calloc((size_t)k, (size_t)k), *evec = gsl_matrix_alloc((size_t)k, (size_t)k);
    gsl_vector *eval = gsl_vector_alloc((size_t)k);
    gsl_eigen_symmv_workspace *w = gsl_eigen_symmv_alloc((size_t)k);
    am_status st = AM_OK;
    if (!t || !evec || !eval || !w) {
        st = am_fail(AM_ERR_NOMEM, "lanczos: out of memory");
    } else {
        for (int i = 0; i < k; i++) {
            gsl_matrix_set(t, (size_t)i, (size_t)i, a[i]);
            if (i + 1 < k) {
                gsl_matrix_set(t, (size_t)i, (size_t)i + 1, b[i]);
                gsl_matrix_set(t, (size_t)i + 1, (size_t)i, b[i]);
            }
        }
        gsl_eigen_symmv(t, eval, evec, w);
        size_t lo = 0;
        for (size_t i = 1; i < (size_t)k; i++)
            if (gsl_vector_get(eval, i) < gsl_vector_get(eval, lo)) lo = i;
        *theta = gsl_vector_get(eval, lo);
        for (int i = 0; i < k; i++) y[i] = gsl_matrix_get(evec, (size_t)i, lo);
    }
    gsl_eigen_symmv_free(w);
    gsl_vector_free(eval);
    gsl_matrix_free(evec);
    gsl_matrix_free(t);
    return st;
}

static void deflate_out(double *w, const double *v, size_t n3)
{
    if (!v) return;
    const double h = sd_dot(v, w, n3);
    for (size_t i = 0; i < n3; i++) w[i] -= h * v[i];
}

am_status sd_lanczos(sd_ctx *c, const am_lanczos_options *o, const double *x, const double *f0,
                     const double *start, const double *deflate, gsl_rng *rng, double *lambda, double *mode)
{
    const size_t n3 = c->n3;
    const int m = o->max_vectors < 2 ? 2 : o->max_vectors;
    double *q = malloc((size_t)m * n3 * sizeof(double)), *w = malloc(n3 * sizeof(double));
    double *xt = malloc(n3 * sizeof(double)), *ft = malloc(n3 * sizeof(double));
    double *a = malloc((size_t)m * sizeof(double)), *b = malloc((size_t)m * sizeof(double));
    double *y = malloc((size_t)m * sizeof(double));
    am_status st = AM_OK;
    if (!q || !w || !xt || !ft || !a || !b || !y) {
        st = am_fail(AM_ERR_NOMEM, "lanczos: out of memory for %d vectors of %zu", m, n3);
        goto done;
    }
    if (start) memcpy(q, start, n3 * sizeof(double));
    else
        for (size_t i = 0; i < n3; i++) q[i] = gsl_ran_gaussian(rng, 1.0);
    sd_project(c, q);
    deflate_out(q, deflate, n3);
    if (!(sd_normalize(q, n3) > 0)) {
        /* a pure translation as the seed carries no information: start at random */
        for (size_t i = 0; i < n3; i++) q[i] = gsl_ran_gaussian(rng, 1.0);
        sd_project(c, q);
        deflate_out(q, deflate, n3);
        sd_normalize(q, n3);
    }
    double theta = NAN, prev = NAN;
    int k = 0;
    for (; k < m; k++) {
        double *qk = q + (size_t)k * n3, et;
        for (size_t i = 0; i < n3; i++) xt[i] = x[i] + o->dx * qk[i];
        if ((st = sd_eval(c, xt, &et, ft))) goto done;
        c->lanczos_calls++;
        for (size_t i = 0; i < n3; i++) w[i] = -(ft[i] - f0[i]) / o->dx;
        sd_project(c, w);
        deflate_out(w, deflate, n3);
        a[k] = sd_dot(qk, w, n3);
        for (int pass = 0; pass < 2; pass++)
            for (int j = 0; j <= k; j++) {
                const double *qj = q + (size_t)j * n3;
                const double h = sd_dot(qj, w, n3);
                for (size_t i = 0; i < n3; i++) w[i] -= h * qj[i];
            }
        b[k] = sqrt(sd_dot(w, w, n3));
        if ((st = tridiag_lowest(k + 1, a, b, &theta, y))) goto done;
        if (k > 0 && fabs(theta - prev) < o->tol * fmax(fabs(theta), o->scale)) { k++; break; }
        prev = theta;
        /* the Krylov space is invariant: theta is exact within it */
        if (!(b[k] > 1e-10 * (fabs(a[k]) + 1e-300))) { k++; break; }
        if (k + 1 < m)
            for (size_t i = 0; i < n3; i++) q[(size_t)(k + 1) * n3 + i] = w[i] / b[k];
    }
    if (k > m) k = m;
    memset(mode, 0, n3 * sizeof(double));
    for (int j = 0; j < k; j++) {
        const double *qj = q + (size_t)j * n3;
        for (size_t i = 0; i < n3; i++) mode[i] += y[j] * qj[i];
    }
    sd_project(c, mode);
    deflate_out(mode, deflate, n3);
    sd_normalize(mode, n3);
    *lambda = theta;
done:
    free(q); free(w); free(xt); free(ft); free(a); free(b); free(y);
    return st;
}

am_status am_lowest_mode(am_engine *e, am_system *s, const am_lanczos_options *o, const double *start,
                         double *eigenvalue, double *mode, long *force_calls)
{
    am_lanczos_options d;
    am_lanczos_defaults(&d);
    if (o) {
        d = *o;
        if (d.max_vectors <= 0) d.max_vectors = 16;
        if (!(d.tol > 0)) d.tol = 0.01;
        if (!(d.dx > 0)) d.dx = 1e-3;
    }
    if (!s || s->n < 2) return am_fail(AM_ERR_VALUE, "lanczos: need at least two atoms");
    sd_ctx c;
    am_status st = sd_ctx_init(&c, e, s, NULL);
    if (st) return st;
    const size_t n3 = c.n3;
    double *x = malloc(n3 * sizeof(double)), *f = malloc(n3 * sizeof(double));
    gsl_rng *rng = gsl_rng_alloc(gsl_rng_mt19937);
    if (!x || !f || !rng) {
        st = am_fail(AM_ERR_NOMEM, "lanczos: out of memory for %zu atoms", s->n);
    } else {
        gsl_rng_set(rng, d.seed);
        am_engine_invalidate(e); /* reproducible whatever the engine did before (see artn.c) */
        sd_get_positions(s, x);
        double e0;
        st = sd_eval(&c, x, &e0, f);
        if (!st) st = sd_lanczos(&c, &d, x, f, start, NULL, rng, eigenvalue, mode);
        sd_set_positions(s, x);
    }
    if (force_calls) *force_calls = c.calls;
    if (rng) gsl_rng_free(rng);
    free(x); free(f);
    sd_ctx_free(&c);
    return st;
}
