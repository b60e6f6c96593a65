/* Pearson and Spearman coefficients and the paper's coarse-grained r. */
#include "analysis/analysis_internal.h"
#include "core/error.h"

#include <math.h>
#include <stdlib.h>

typedef struct keyed { double v; size_t i; } keyed;

static int by_value_then_index(const void *a, const void *b)
{
    const keyed *x = a, *y = b;
    if (x->v != y->v) return x->v < y->v ? -1 : 1;
    return (x->i > y->i) - (x->i < y->i);
}

am_status an_order(size_t n, const double *v, size_t *order)
{
    keyed *k = malloc((n ? n : 1) * sizeof *k);
    if (!k) return am_fail(AM_ERR_NOMEM, "out of memory sorting %zu values", n);
    for (size_t i = 0; i < n; i++) k[i] = (keyed){v[i], i};
    qsort(k, n, sizeof *k, by_value_then_index);
    for (size_t i = 0; i < n; i++) order[i] = k[i].i;
    free(k);
    return AM_OK;
}

void an_ranks(size_t n, const double *v, const size_t *order, double *rank)
{
    for (size_t p = 0; p < n;) {
        size_t q = p + 1;
        while (q < n && v[order[q]] == v[order[p]]) q++;
        /* positions p..q-1 hold rank p+1..q: their mean */
        const double r = 0.5 * (double)(p + 1 + q);
        for (size_t k = p; k < q; k++) rank[order[k]] = r;
        p = q;
    }
}

double an_pearson(size_t n, const double *x, const double *y)
{
    double mx = 0.0, my = 0.0;
    for (size_t i = 0; i < n; i++) { mx += x[i]; my += y[i]; }
    mx /= (double)n;
    my /= (double)n;
    double sxx = 0.0, syy = 0.0, sxy = 0.0;
    for (size_t i = 0; i < n; i++) {
        const double dx = x[i] - mx, dy = y[i] - my;
        sxx += dx * dx;
        syy += dy * dy;
        sxy += dx * dy;
    }
    if (!(sxx > 0.0) || !(syy > 0.0)) return NAN;
    const double r = sxy / sqrt(sxx * syy);
    return r > 1.0 ? 1.0 : r < -1.0 ? -1.0 : r;
}

static am_status check_pairs(const char *what, size_t n, const double *x, const double *y, size_t nmin)
{
    if (n < nmin) return am_fail(AM_ERR_VALUE, "%s: %zu pairs, at least %zu needed", what, n, nmin);
    if (!x || !y) return am_fail(AM_ERR_VALUE, "%s: no data", what);
    for (size_t i = 0; i < n; i++)
        if (!isfinite(x[i]) || !isfinite(y[i]))
            return am_fail(AM_ERR_VALUE, "%s: pair %zu (%g, %g) is not finite", what, i, x[i], y[i]);
    return AM_OK;
}

am_status am_pearson(size_t n, const double *x, const double *y, double *r)
{
    *r = NAN;
    am_status st = check_pairs("Pearson r", n, x, y, 3);
    if (st) return st;
    const double v = an_pearson(n, x, y);
    if (isnan(v)) return am_fail(AM_ERR_VALUE, "Pearson r: a variable is constant over the %zu pairs", n);
    *r = v;
    return AM_OK;
}

am_status am_spearman(size_t n, const double *x, const double *y, double *rho)
{
    *rho = NAN;
    am_status st = check_pairs("Spearman rho", n, x, y, 3);
    if (st) return st;
    size_t *order = malloc(n * sizeof *order);
    double *rx = malloc(n * sizeof *rx), *ry = malloc(n * sizeof *ry);
    if (!order || !rx || !ry) st = am_fail(AM_ERR_NOMEM, "Spearman rho: out of memory for %zu ranks", n);
    if (!st) st = an_order(n, x, order);
    if (!st) {
        an_ranks(n, x, order, rx);
        st = an_order(n, y, order);
    }
    if (!st) {
        an_ranks(n, y, order, ry);
        const double v = an_pearson(n, rx, ry);
        if (isnan(v)) st = am_fail(AM_ERR_VALUE, "Spearman rho: a variable is constant over the %zu pairs", n);
        else *rho = v;
    }
    free(order); free(rx); free(ry);
    return st;
}

am_status am_coarse_grain(size_t n, const double *x, const double *y, size_t group, size_t *ngroups, double *xm,
                          double *ym)
{
    *ngroups = 0;
    if (group < 1) return am_fail(AM_ERR_VALUE, "coarse-graining: group size must be at least 1");
    if (n < group)
        return am_fail(AM_ERR_VALUE, "coarse-graining: %zu atoms are fewer than one group of %zu", n, group);
    am_status st = check_pairs("coarse-graining", n, x, y, 1);
    if (st) return st;
    size_t *order = malloc(n * sizeof *order);
    if (!order) return am_fail(AM_ERR_NOMEM, "coarse-graining: out of memory for %zu atoms", n);
    if ((st = an_order(n, x, order))) { free(order); return st; }
    const size_t m = n / group;
    an_group_means(n, x, y, order, NULL, m, xm, ym);
    free(order);
    *ngroups = m;
    return AM_OK;
}

void an_group_means(size_t n, const double *x, const double *y, const size_t *order, const unsigned *c, size_t m,
                    double *xm, double *ym)
{
    /* group k ends at position floor((k+1) n/m): sizes floor(n/m) or one
     * more, spread evenly, so no atom is dropped */
    size_t k = 0, start = 0, end = n / m, pos = 0;
    double sx = 0.0, sy = 0.0;
    for (size_t p = 0; p < n && k < m; p++) {
        const size_t i = order[p];
        size_t left = c ? c[i] : 1;
        while (left > 0) {
            /* a pair's copies may straddle a boundary: the part up to it
             * belongs to this group, the rest to the next */
            const size_t t = left < end - pos ? left : end - pos;
            sx += (double)t * x[i];
            sy += (double)t * y[i];
            pos += t;
            left -= t;
            if (pos == end) {
                xm[k] = sx / (double)(end - start);
                ym[k] = sy / (double)(end - start);
                sx = sy = 0.0;
                start = end;
                if (++k == m) break;
                end = (k + 1) * n / m;
            }
        }
    }
}
