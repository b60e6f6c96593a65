/* Voronoi descriptors from the voro++ tessellation (see voro_shim.h). */
#include "amorph/structure.h"
#include "core/error.h"
#include "structure/voro_shim.h"

#include <omp.h>
#include <stdlib.h>
#include <string.h>

typedef struct piece {
    size_t begin, end;
    double *volume, *area;
    size_t *first;
    int *nb, *ord;
} piece;

/* Concatenates the pieces' cells into arrays over all n atoms. */
static int join(const piece *pc, int np, size_t n, double **volume, size_t **first, int **nb, int **ord, double **area)
{
    size_t total = 0;
    for (int p = 0; p < np; p++) total += pc[p].first[pc[p].end - pc[p].begin];
    *volume = malloc((n + 1) * sizeof(double));
    *first = malloc((n + 1) * sizeof(size_t));
    *nb = malloc((total + 1) * sizeof(int));
    *ord = malloc((total + 1) * sizeof(int));
    *area = malloc((total + 1) * sizeof(double));
    if (!*volume || !*first || !*nb || !*ord || !*area) {
        free(*first); free(*nb); free(*ord); free(*area);
        *first = NULL; *nb = NULL; *ord = NULL; *area = NULL;
        return 1;
    }
    size_t k = 0;
    for (int p = 0; p < np; p++) {
        const size_t m = pc[p].end - pc[p].begin, f = pc[p].first[m];
        memcpy(*volume + pc[p].begin, pc[p].volume, m * sizeof(double));
        for (size_t c = 0; c < m; c++) (*first)[pc[p].begin + c] = k + pc[p].first[c];
        memcpy(*nb + k, pc[p].nb, f * sizeof(int));
        memcpy(*ord + k, pc[p].ord, f * sizeof(int));
        memcpy(*area + k, pc[p].area, f * sizeof(double));
        k += f;
    }
    (*first)[n] = k;
    return 0;
}

void am_voronoi_free(am_voronoi *v)
{
    if (!v) return;
    free(v->volume); free(v->cn); free(v->index); free(v->l5fs); free(v->l6fs);
    free(v->first); free(v->neighbor); free(v->order); free(v->area);
    free(v);
}

am_status am_voronoi_compute(const am_system *s, double min_area_fraction, am_voronoi **out)
{
    *out = NULL;
    const am_box *b = &s->box;
    if (!b->periodic[0] || !b->periodic[1] || !b->periodic[2])
        return am_fail(AM_ERR_UNSUPPORTED, "Voronoi: only fully periodic cells are supported");
    if (!(min_area_fraction >= 0.0 && min_area_fraction < 1.0))
        return am_fail(AM_ERR_VALUE, "Voronoi: face-area threshold %g must be in [0, 1)", min_area_fraction);
    const size_t n = s->n;
    double *rx = malloc((n + 1) * sizeof(double)), *ry = malloc((n + 1) * sizeof(double)),
           *rz = malloc((n + 1) * sizeof(double));
    am_voronoi *v = calloc(1, sizeof *v);
    if (!rx || !ry || !rz || !v) {
        free(rx); free(ry); free(rz); free(v);
        return am_fail(AM_ERR_NOMEM, "Voronoi: out of memory for %zu atoms", n);
    }
    for (size_t i = 0; i < n; i++) { rx[i] = s->x[i] - b->lo[0]; ry[i] = s->y[i] - b->lo[1]; rz[i] = s->z[i] - b->lo[2]; }
    /* one voro++ container per piece: pieces run in parallel and are joined
     * in order, so the result does not depend on the thread count */
    const int np = omp_get_max_threads();
    piece *pc = calloc((size_t)np, sizeof *pc);
    int rc = pc ? 0 : 1;
#pragma omp parallel for schedule(static, 1) reduction(max : rc)
    for (int p = 0; p < np; p++) {
        pc[p].begin = n * (size_t)p / (size_t)np;
        pc[p].end = n * (size_t)(p + 1) / (size_t)np;
        rc = amv_tessellate(n, rx, ry, rz, b->len[0], b->tilt[0], b->len[1], b->tilt[1], b->tilt[2], b->len[2],
                            pc[p].begin, pc[p].end, &pc[p].volume, &pc[p].first, &pc[p].nb, &pc[p].ord, &pc[p].area);
    }
    free(rx); free(ry); free(rz);
    double *area = NULL;
    int *nb = NULL, *ord = NULL;
    size_t *first = NULL;
    if (!rc) rc = join(pc, np, n, &v->volume, &first, &nb, &ord, &area);
    for (int p = 0; pc && p < np; p++) {
        free(pc[p].volume); free(pc[p].first); free(pc[p].nb); free(pc[p].ord); free(pc[p].area);
    }
    free(pc);
    if (rc) {
        free(v->volume);
        free(v);
        return am_fail(rc == 1 ? AM_ERR_NOMEM : AM_ERR_VALUE, "Voronoi: voro++ could not tessellate the cell%s",
                       rc == 1 ? " (out of memory)" : "");
    }
    v->n = n;
    v->cn = calloc(n + 1, sizeof(int));
    v->index = calloc(8 * n + 1, sizeof(int));
    v->l5fs = calloc(n + 1, sizeof(double));
    v->l6fs = calloc(n + 1, sizeof(double));
    v->first = malloc((n + 1) * sizeof(size_t));
    v->neighbor = malloc((first[n] + 1) * sizeof(int));
    v->order = malloc((first[n] + 1) * sizeof(int));
    v->area = malloc((first[n] + 1) * sizeof(double));
    if (!v->cn || !v->index || !v->l5fs || !v->l6fs || !v->first || !v->neighbor || !v->order || !v->area) {
        free(first); free(nb); free(ord); free(area);
        am_voronoi_free(v);
        return am_fail(AM_ERR_NOMEM, "Voronoi: out of memory for %zu atoms", n);
    }
    size_t kept = 0;
    for (size_t i = 0; i < n; i++) {
        double total = 0.0;
        for (size_t k = first[i]; k < first[i + 1]; k++) total += area[k];
        v->first[i] = kept;
        for (size_t k = first[i]; k < first[i + 1]; k++) {
            if (area[k] < min_area_fraction * total) continue;
            int o = ord[k] > AM_VORO_MAXORDER ? AM_VORO_MAXORDER : ord[k];
            if (o >= 3) v->index[8 * i + (o - 3)]++;
            v->neighbor[kept] = nb[k];
            v->order[kept] = ord[k];
            v->area[kept] = area[k];
            kept++;
        }
        v->cn[i] = (int)(kept - v->first[i]);
        v->l5fs[i] = v->cn[i] ? (double)v->index[8 * i + 2] / v->cn[i] : 0.0;
        v->l6fs[i] = v->cn[i] ? (double)v->index[8 * i + 3] / v->cn[i] : 0.0;
    }
    v->first[n] = kept;
    free(first); free(nb); free(ord); free(area);
    *out = v;
    return AM_OK;
}
