/* Voronoi descriptors from the voro++ tessellation (see voro_shim.h). */
#include "amorph/structure.h"
#include "core/error.h"
#include "structure/voro_shim.h"

#include <stdlib.h>
#include <string.h>

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
    double *area = NULL;
    int *nb = NULL, *ord = NULL;
    size_t *first = NULL;
    int rc = amv_tessellate(n, rx, ry, rz, b->len[0], b->tilt[0], b->len[1], b->tilt[1], b->tilt[2], b->len[2],
                            &v->volume, &first, &nb, &ord, &area);
    free(rx); free(ry); free(rz);
    if (rc) {
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
