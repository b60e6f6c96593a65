/* Normal modes of the mass-weighted Hessian by dense LAPACK, and per-atom
 * participation in a set of modes (the paper's Eq. 3). */
#include "amorph/vibration.h"
#include "core/error.h"

#include <lapacke.h>
#include <math.h>
#include <stdlib.h>

void am_modes_free(am_modes *m)
{
    if (!m) return;
    free(m->lambda);
    free(m->vec);
    free(m);
}

void am_system_masses(const am_system *s, double *mass)
{
    for (size_t i = 0; i < s->n; i++) mass[i] = s->species[s->type[i]].mass;
}

am_status am_modes_dense(const am_hessian *h, const double *mass, int nmodes, int want_vectors, am_modes **out)
{
    *out = NULL;
    const size_t n = am_hessian_n(h), N = 3 * n;
    if (nmodes < 1 || (size_t)nmodes > N) return am_fail(AM_ERR_VALUE, "modes: %d modes asked of %zu", nmodes, N);
    if (N > 60000) return am_fail(AM_ERR_VALUE, "modes: %zu atoms is too many for the dense solver", n);
    double *D = malloc(N * N * sizeof(double)), *isq = malloc(N * sizeof(double));
    am_modes *m = calloc(1, sizeof *m);
    int *support = malloc(2 * (size_t)nmodes * sizeof(int));
    if (m) {
        m->lambda = malloc(N * sizeof(double));
        if (want_vectors) m->vec = malloc(N * (size_t)nmodes * sizeof(double));
    }
    if (!D || !isq || !m || !support || !m->lambda || (want_vectors && !m->vec)) {
        free(D); free(isq); free(support); am_modes_free(m);
        return am_fail(AM_ERR_NOMEM, "modes: out of memory for a %zu x %zu matrix", N, N);
    }
    for (size_t i = 0; i < n; i++) {
        const double mi = mass ? mass[i] : 1.0;
        if (!(mi > 0)) {
            free(D); free(isq); free(support); am_modes_free(m);
            return am_fail(AM_ERR_VALUE, "modes: atom %zu has mass %g", i, mi);
        }
        isq[3 * i] = isq[3 * i + 1] = isq[3 * i + 2] = 1.0 / sqrt(mi);
    }
    am_hessian_dense(h, D);
    for (size_t a = 0; a < N; a++)
        for (size_t b = 0; b < N; b++) D[a * N + b] *= isq[a] * isq[b];
    lapack_int found = 0;
    double *z = want_vectors ? malloc(N * (size_t)nmodes * sizeof(double)) : NULL;
    if (want_vectors && !z) {
        free(D); free(isq); free(support); am_modes_free(m);
        return am_fail(AM_ERR_NOMEM, "modes: out of memory");
    }
    /* the lowest nmodes only (MRRR): the reduction to tridiagonal form is
     * the O(N³) part either way */
    const lapack_int info = LAPACKE_dsyevr(LAPACK_ROW_MAJOR, want_vectors ? 'V' : 'N', 'I', 'U', (lapack_int)N, D,
                                           (lapack_int)N, 0.0, 0.0, 1, nmodes, 0.0, &found, m->lambda, z,
                                           (lapack_int)nmodes, support);
    free(D); free(isq); free(support);
    if (info != 0 || found != nmodes) {
        free(z); am_modes_free(m);
        return am_fail(AM_ERR_VALUE, "modes: LAPACK dsyevr failed (info %d, %d of %d modes)", (int)info, (int)found, nmodes);
    }
    /* z is N x nmodes row-major: mode c is column c; store mode-major */
    if (want_vectors)
        for (size_t r = 0; r < N; r++)
            for (int c = 0; c < nmodes; c++) m->vec[(size_t)c * N + r] = z[r * (size_t)nmodes + (size_t)c];
    free(z);
    m->n = n;
    m->nmodes = nmodes;
    m->factor = AM_FACTOR_DOUBLE;
    *out = m;
    return AM_OK;
}

am_status am_modes_participation(const am_modes *m, int first, int count, double *p)
{
    if (!m->vec) return am_fail(AM_ERR_VALUE, "participation: the modes were computed without vectors");
    if (first < 0 || count < 0 || first + count > m->nmodes)
        return am_fail(AM_ERR_VALUE, "participation: modes %d..%d outside the %d computed", first, first + count - 1,
                       m->nmodes);
    const size_t n = m->n, N = 3 * n;
    for (size_t i = 0; i < n; i++) {
        double sum = 0.0;
        for (int c = first; c < first + count; c++) {
            const double *e = m->vec + (size_t)c * N + 3 * i;
            sum += e[0] * e[0] + e[1] * e[1] + e[2] * e[2];
        }
        p[i] = sum;
    }
    return AM_OK;
}
