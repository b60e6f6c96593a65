/* Voronoi descriptors from the voro++ tessellation (see voro_shim.h). */
#include "amorph/structure.h"
#include "core/error.h"
#include "structure/voro_shim.h"

#include <omp.h>
#include <stdlib.h>
#include <string.h>

static void cells_free(amv_cells *c)
{
    free(c->volume); free(c->area); free(c->first); free(c->tfirst);
    free(c->neighbor); free(c->order); free(c->tri);
    memset(c, 0, sizeof *c);
}

/* Concatenates the pieces' cells (piece p holds atoms begin[p] ..
 * begin[p+1]-1) into one amv_cells over all n atoms. Returns 0 or 1 (out of
 * memory). */
static int join(const amv_cells *pc, const size_t *begin, int np, size_t n, amv_cells *all)
{
    size_t total = 0, ttotal = 0;
    for (int p = 0; p < np; p++) {
        total += pc[p].first[begin[p + 1] - begin[p]];
        ttotal += pc[p].tfirst[begin[p + 1] - begin[p]];
    }
    all->volume = malloc((n + 1) * sizeof(double));
    all->first = malloc((n + 1) * sizeof(size_t));
    all->tfirst = malloc((n + 1) * sizeof(size_t));
    all->neighbor = malloc((total + 1) * sizeof(int));
    all->order = malloc((total + 1) * sizeof(int));
    all->area = malloc((total + 1) * sizeof(double));
    all->tri = malloc((3 * ttotal + 1) * sizeof(int));
    if (!all->volume || !all->first || !all->tfirst || !all->neighbor || !all->order || !all->area || !all->tri) {
        cells_free(all);
        return 1;
    }
    size_t k = 0, t = 0;
    for (int p = 0; p < np; p++) {
        const size_t m = begin[p + 1] - begin[p], f = pc[p].first[m], tf = pc[p].tfirst[m];
        memcpy(all->volume + begin[p], pc[p].volume, m * sizeof(double));
        for (size_t c = 0; c < m; c++) {
            all->first[begin[p] + c] = k + pc[p].first[c];
            all->tfirst[begin[p] + c] = t + pc[p].tfirst[c];
        }
        memcpy(all->neighbor + k, pc[p].neighbor, f * sizeof(int));
        memcpy(all->order + k, pc[p].order, f * sizeof(int));
        memcpy(all->area + k, pc[p].area, f * sizeof(double));
        memcpy(all->tri + 3 * t, pc[p].tri, 3 * tf * sizeof(int));
        k += f;
        t += tf;
    }
    all->first[n] = k;
    all->tfirst[n] = t;
    return 0;
}

void am_voronoi_free(am_voronoi *v)
{
    if (!v) return;
    free(v->volume); free(v->cn); free(v->index); free(v->l5fs); free(v->l6fs);
    free(v->first); free(v->neighbor); free(v->order); free(v->area);
    free(v->tri_first); free(v->tri);
    free(v);
}

am_status am_voronoi_compute(const am_system *s, double min_area_fraction, am_voronoi **out)
{
    return am_voronoi_compute_radical(s, NULL, min_area_fraction, out);
}

am_status am_voronoi_compute_radical(const am_system *s, const double *radii, double min_area_fraction,
                                     am_voronoi **out)
{
    *out = NULL;
    const am_box *b = &s->box;
    if (!b->periodic[0] || !b->periodic[1] || !b->periodic[2])
        return am_fail(AM_ERR_UNSUPPORTED, "Voronoi: only fully periodic cells are supported");
    if (!(min_area_fraction >= 0.0 && min_area_fraction < 1.0))
        return am_fail(AM_ERR_VALUE, "Voronoi: face-area threshold %g must be in [0, 1)", min_area_fraction);
    for (int t = 0; radii && t < s->nspecies; t++)
        if (!(radii[t] >= 0.0 && radii[t] < 1e3))
            return am_fail(AM_ERR_VALUE, "Voronoi: radius %g A of species %s: expected a radius in [0, 1000) A",
                           radii[t], s->species[t].name);
    const size_t n = s->n;
    /* one voro++ container per piece: pieces run in parallel and are joined
     * in order, so the result does not depend on the thread count */
    const int np = omp_get_max_threads();
    double *rx = malloc((n + 1) * sizeof(double)), *ry = malloc((n + 1) * sizeof(double)),
           *rz = malloc((n + 1) * sizeof(double)), *rr = radii ? malloc((n + 1) * sizeof(double)) : NULL;
    amv_cells *pc = calloc((size_t)np, sizeof *pc);
    size_t *begin = malloc(((size_t)np + 1) * sizeof(size_t));
    am_voronoi *v = calloc(1, sizeof *v);
    if (!rx || !ry || !rz || (radii && !rr) || !pc || !begin || !v) {
        free(rx); free(ry); free(rz); free(rr); free(pc); free(begin); free(v);
        return am_fail(AM_ERR_NOMEM, "Voronoi: out of memory for %zu atoms", n);
    }
    for (size_t i = 0; i < n; i++) { rx[i] = s->x[i] - b->lo[0]; ry[i] = s->y[i] - b->lo[1]; rz[i] = s->z[i] - b->lo[2]; }
    for (size_t i = 0; rr && i < n; i++) rr[i] = radii[s->type[i]];
    for (int p = 0; p <= np; p++) begin[p] = n * (size_t)p / (size_t)np;
    int rc = 0;
#pragma omp parallel for schedule(static, 1) reduction(max : rc)
    for (int p = 0; p < np; p++)
        rc = amv_tessellate(n, rx, ry, rz, rr, b->len[0], b->tilt[0], b->len[1], b->tilt[1], b->tilt[2], b->len[2],
                            begin[p], begin[p + 1], &pc[p]);
    free(rx); free(ry); free(rz); free(rr);
    amv_cells all = {0};
    if (!rc) rc = join(pc, begin, np, n, &all);
    for (int p = 0; p < np; p++) cells_free(&pc[p]);
    free(pc);
    free(begin);
    if (rc) {
        free(v);
        return am_fail(rc == 1 ? AM_ERR_NOMEM : AM_ERR_VALUE, "Voronoi: voro++ could not tessellate the cell%s",
                       rc == 1 ? " (out of memory)" : "");
    }
    /* the volumes and the dual's tetrahedra are the full cells'; only the
     * face lists below are thinned by the threshold */
    v->n = n;
    v->volume = all.volume;
    v->tri_first = all.tfirst;
    v->tri = all.tri;
    all.volume = NULL;
    all.tfirst = NULL;
    all.tri = NULL;
    const size_t *first = all.first;
    v->cn = calloc(n + 1, sizeof(int));
    v->index = calloc(8 * n + 1, sizeof(int));
    v->l5fs = calloc(n + 1, sizeof(double));
    v->l6fs = calloc(n + 1, sizeof(double));
    v->first = malloc((n + 1) * sizeof(size_t));
    v->neighbor = malloc((first[n] + 1) * sizeof(int));
    v->order = malloc((first[n] + 1) * sizeof(int));
    v->area = malloc((first[n] + 1) * sizeof(double));
    if (!v->cn || !v->index || !v->l5fs || !v->l6fs || !v->first || !v->neighbor || !v->order || !v->area) {
        cells_free(&all);
        am_voronoi_free(v);
        return am_fail(AM_ERR_NOMEM, "Voronoi: out of memory for %zu atoms", n);
    }
    size_t kept = 0;
    for (size_t i = 0; i < n; i++) {
        double total = 0.0;
        for (size_t k = first[i]; k < first[i + 1]; k++) total += all.area[k];
        v->first[i] = kept;
        for (size_t k = first[i]; k < first[i + 1]; k++) {
            if (all.area[k] < min_area_fraction * total) continue;
            int o = all.order[k] > AM_VORO_MAXORDER ? AM_VORO_MAXORDER : all.order[k];
            if (o >= 3) v->index[8 * i + (o - 3)]++;
            v->neighbor[kept] = all.neighbor[k];
            v->order[kept] = all.order[k];
            v->area[kept] = all.area[k];
            kept++;
        }
        v->cn[i] = (int)(kept - v->first[i]);
        v->l5fs[i] = v->cn[i] ? (double)v->index[8 * i + 2] / v->cn[i] : 0.0;
        v->l6fs[i] = v->cn[i] ? (double)v->index[8 * i + 3] / v->cn[i] : 0.0;
    }
    v->first[n] = kept;
    cells_free(&all);
    *out = v;
    return AM_OK;
}
