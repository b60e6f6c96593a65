/* Voronoi descriptors from the voro++ tessellation (see voro_shim.h). */
#include "amorph/structure.h"
#include "core/error.h"
#include "structure/voro_shim.h"

#include <omp.h>
#include <stdlib.h>
#include <string.h>

static void cells_free(amv_cells *c)
{
    free(c->id); free(c->volume); free(c->area); free(c->first); free(c->tfirst);
    free(c->neighbor); free(c->order); free(c->tri);
    memset(c, 0, sizeof *c);
}

/* Where each point's cell is among the pieces: piece[i], cell[i]. Returns 0,
 * or 2 if a point has no cell or two. */
static int locate(const amv_cells *pc, int np, size_t n, int *piece, size_t *cell)
{
    for (size_t i = 0; i < n; i++) piece[i] = -1;
    for (int p = 0; p < np; p++)
        for (size_t c = 0; c < pc[p].m; c++) {
            const int i = pc[p].id[c];
            if (i < 0 || (size_t)i >= n || piece[i] >= 0) return 2;
            piece[i] = p;
            cell[i] = c;
        }
    for (size_t i = 0; i < n; i++)
        if (piece[i] < 0) return 2;
    return 0;
}

/* Fills v's arrays in point order from the pieces' cells: volumes and dual
 * tetrahedra of the full cells, the faces thinned by the threshold. Returns
 * 0 or 1 (out of memory). */
static int assemble(const amv_cells *pc, int np, const int *piece, const size_t *cell, size_t n,
                    double min_area_fraction, am_voronoi *v)
{
    size_t faces = 0, tris = 0;
    for (int p = 0; p < np; p++) {
        faces += pc[p].first[pc[p].m];
        tris += pc[p].tfirst[pc[p].m];
    }
    v->n = n;
    v->volume = malloc((n + 1) * sizeof(double));
    v->cn = calloc(n + 1, sizeof(int));
    v->index = calloc(8 * n + 1, sizeof(int));
    v->l5fs = calloc(n + 1, sizeof(double));
    v->l6fs = calloc(n + 1, sizeof(double));
    v->first = malloc((n + 1) * sizeof(size_t));
    v->neighbor = malloc((faces + 1) * sizeof(int));
    v->order = malloc((faces + 1) * sizeof(int));
    v->area = malloc((faces + 1) * sizeof(double));
    v->tri_first = malloc((n + 1) * sizeof(size_t));
    v->tri = malloc((3 * tris + 1) * sizeof(int));
    if (!v->volume || !v->cn || !v->index || !v->l5fs || !v->l6fs || !v->first || !v->neighbor || !v->order ||
        !v->area || !v->tri_first || !v->tri)
        return 1;
    size_t kept = 0, t = 0;
    for (size_t i = 0; i < n; i++) {
        const amv_cells *c = &pc[piece[i]];
        const size_t q = cell[i], f0 = c->first[q], f1 = c->first[q + 1];
        const size_t t0 = c->tfirst[q], nt = c->tfirst[q + 1] - t0;
        v->volume[i] = c->volume[q];
        v->tri_first[i] = t;
        memcpy(v->tri + 3 * t, c->tri + 3 * t0, 3 * nt * sizeof(int));
        t += nt;
        double total = 0.0;
        for (size_t k = f0; k < f1; k++) total += c->area[k];
        v->first[i] = kept;
        int *index = v->index + 8 * i;
        for (size_t k = f0; k < f1; k++) {
            if (c->area[k] < min_area_fraction * total) continue;
            const int o = c->order[k] > AM_VORO_MAXORDER ? AM_VORO_MAXORDER : c->order[k];
            if (o >= 3) index[o - 3]++;
            v->neighbor[kept] = c->neighbor[k];
            v->order[kept] = c->order[k];
            v->area[kept] = c->area[k];
            kept++;
        }
        v->cn[i] = (int)(kept - v->first[i]);
        v->l5fs[i] = v->cn[i] ? (double)index[2] / v->cn[i] : 0.0;
        v->l6fs[i] = v->cn[i] ? (double)index[3] / v->cn[i] : 0.0;
    }
    v->first[n] = kept;
    v->tri_first[n] = t;
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
    /* one voro++ container per piece: pieces run in parallel, and a cell
     * does not depend on the piece that computes it, so the result does not
     * depend on the thread count */
    const int np = omp_get_max_threads();
    double *rx = malloc((n + 1) * sizeof(double)), *ry = malloc((n + 1) * sizeof(double)),
           *rz = malloc((n + 1) * sizeof(double)), *rr = radii ? malloc((n + 1) * sizeof(double)) : NULL;
    amv_cells *pc = calloc((size_t)np, sizeof *pc);
    int *piece = malloc((n + 1) * sizeof(int));
    size_t *cell = malloc((n + 1) * sizeof(size_t));
    am_voronoi *v = calloc(1, sizeof *v);
    int rc = !rx || !ry || !rz || (radii && !rr) || !pc || !piece || !cell || !v;
    if (!rc) {
        for (size_t i = 0; i < n; i++) { rx[i] = s->x[i] - b->lo[0]; ry[i] = s->y[i] - b->lo[1]; rz[i] = s->z[i] - b->lo[2]; }
        for (size_t i = 0; rr && i < n; i++) rr[i] = radii[s->type[i]];
#pragma omp parallel for schedule(static, 1) reduction(max : rc)
        for (int p = 0; p < np; p++) {
            /* a thread may run several pieces (a smaller team): keep the worst */
            const int r = amv_tessellate(n, rx, ry, rz, rr, b->len[0], b->tilt[0], b->len[1], b->tilt[1], b->tilt[2],
                                         b->len[2], p, np, &pc[p]);
            if (r > rc) rc = r;
        }
        if (!rc) rc = locate(pc, np, n, piece, cell);
        if (!rc) rc = assemble(pc, np, piece, cell, n, min_area_fraction, v);
    }
    free(rx); free(ry); free(rz); free(rr); free(piece); free(cell);
    for (int p = 0; pc && p < np; p++) cells_free(&pc[p]);
    free(pc);
    if (rc) {
        am_voronoi_free(v);
        if (rc == 1) return am_fail(AM_ERR_NOMEM, "Voronoi: out of memory for %zu atoms", n);
        return am_fail(AM_ERR_VALUE, "Voronoi: voro++ could not tessellate the cell");
    }
    *out = v;
    return AM_OK;
}
