/* The Hessian by central differences of forces, for kinds without an
 * analytic one (hessian_internal.h).
 *
 * Column (j, d) is −[F(x + h e_jd) − F(x − h e_jd)] / 2h: 6n evaluations of
 * the whole system, O(n²) time — meant for small systems and for checking.
 * Error per entry: the truncation −(h²/6) ∂³F_i/∂x_jd³ plus rounding of
 * about δF/h, δF the rounding error of a force (1e-14 to 1e-12 in the
 * potential's units, larger where pair forces are large). Tabulated EAM
 * adds a third: its cubic pieces join with continuous slopes only, so the
 * second derivative jumps at every knot and an entry whose pair crosses one
 * within ±h takes the mean of the two sides; fewer pairs do as h shrinks.
 * h = 3e-8 cutoffs (2.3e-7 Å for Cu–Zr EAM, 7.5e-8 σ for Kob–Andersen)
 * keeps truncation negligible and rounding ~1e-9 of the largest entry;
 * measured against the analytic Hessians (tests/test_hessian_fd.c): LJ
 * 6e-10 (Frobenius, relative) and 1.3e-9 (largest entry error over largest
 * entry), EAM 3e-6 and 3e-5 from the knots. Steps
 * far below the neighbour-list skin never trigger a rebuild, so a force that
 * does not depend on the displaced atom is recomputed bit for bit and its
 * difference is exactly zero: those blocks are not stored, and a pair
 * potential's Hessian keeps the pair sparsity. Blocks of atoms more than two
 * cutoffs apart are dropped in any case (atom energies that depend on
 * neighbours within the cutoff couple atoms no farther apart than that).
 * The matrix is symmetrised, ½(H + Hᵀ), as the eigensolvers assume. */
#include "vibration/hessian_internal.h"
#include "core/error.h"
#include "potential/engine_type.h"

#include <stdlib.h>
#include <string.h>

/* One 3x3 block (row atom, column atom), row-major. */
typedef struct fd_block {
    int row, col;
    double b[9];
} fd_block;

typedef struct fd_blocks {
    fd_block *v;
    size_t n, cap;
} fd_blocks;

static int push(fd_blocks *l, int row, int col, const double b[9], int transpose)
{
    if (l->n == l->cap) {
        const size_t cap = l->cap ? 2 * l->cap : 1024;
        fd_block *v = realloc(l->v, cap * sizeof *v);
        if (!v) return 0;
        l->v = v;
        l->cap = cap;
    }
    fd_block *k = l->v + l->n++;
    k->row = row;
    k->col = col;
    for (int a = 0; a < 3; a++)
        for (int c = 0; c < 3; c++) k->b[3 * a + c] = 0.5 * (transpose ? b[3 * c + a] : b[3 * a + c]);
    return 1;
}

static int by_place(const void *pa, const void *pb)
{
    const fd_block *a = pa, *b = pb;
    if (a->row != b->row) return (a->row > b->row) - (a->row < b->row);
    return (a->col > b->col) - (a->col < b->col);
}

/* The blocks, each pushed as ½B at (i, j) and ½Bᵀ at (j, i), summed by place
 * into h's rows: the diagonal into h->diag, the rest as entries. */
static am_status assemble(fd_blocks *l, size_t n, am_hessian *h)
{
    qsort(l->v, l->n, sizeof *l->v, by_place);
    size_t m = 0;
    for (size_t k = 0; k < l->n; k++)
        if (l->v[k].row != l->v[k].col && (k == 0 || by_place(&l->v[k], &l->v[k - 1]) != 0)) m++;
    h->col = malloc((m + 1) * sizeof(int));
    h->blk = malloc((9 * m + 1) * sizeof(double));
    h->u = calloc(3 * m + 1, sizeof(double));
    h->w = calloc(3 * m + 1, sizeof(double));
    if (!h->col || !h->blk || !h->u || !h->w) return am_fail(AM_ERR_NOMEM, "Hessian: out of memory for %zu blocks", m);
    size_t q = 0, k = 0;
    for (size_t i = 0; i < n; i++) {
        h->atom[i] = (int)i;
        h->first[i] = q;
        for (; k < l->n && (size_t)l->v[k].row == i; k++) {
            const fd_block *b = l->v + k;
            double *dst;
            if ((size_t)b->col == i) {
                dst = h->diag + 9 * i;
            } else {
                if (k == 0 || by_place(b, b - 1) != 0) {
                    h->col[q] = b->col;
                    memset(h->blk + 9 * q, 0, 9 * sizeof(double));
                    q++;
                }
                dst = h->blk + 9 * (q - 1);
            }
            for (int c = 0; c < 9; c++) dst[c] += b->b[c];
        }
    }
    h->first[n] = q;
    return AM_OK;
}

/* Forces at s's positions, atom-major, into f (3n). */
static am_status forces(am_engine *e, const am_system *s, double *f, double *buf)
{
    const size_t n = s->n;
    am_result r = {.skip_virial = 1, .fx = buf, .fy = buf + n, .fz = buf + 2 * n};
    am_status st = am_engine_compute(e, s, &r);
    if (st) return st;
    for (size_t i = 0; i < n; i++) {
        f[3 * i] = r.fx[i];
        f[3 * i + 1] = r.fy[i];
        f[3 * i + 2] = r.fz[i];
    }
    return AM_OK;
}

/* The blocks of column atom j, B_ij[a][d] = −∂F_ia/∂x_jd, from the forces
 * with x_jd moved by ±h. */
static am_status column(am_engine *e, am_system *c, size_t j, double h, double range2, double *fp, double *fm,
                        double *buf, double *col, fd_blocks *l)
{
    const size_t n = c->n;
    double *x[3] = {c->x, c->y, c->z};
    am_status st;
    for (int d = 0; d < 3; d++) {
        const double x0 = x[d][j];
        x[d][j] = x0 + h;
        st = forces(e, c, fp, buf);
        x[d][j] = x0 - h;
        if (!st) st = forces(e, c, fm, buf);
        x[d][j] = x0;
        if (st) return st;
        for (size_t k = 0; k < 3 * n; k++) col[3 * k + (size_t)d] = -(fp[k] - fm[k]) / (2.0 * h);
    }
    for (size_t i = 0; i < n; i++) {
        const double *b = col + 9 * i;
        int nonzero = 0;
        for (int k = 0; k < 9; k++) nonzero |= b[k] != 0.0;
        if (!nonzero) continue;
        double del[3] = {c->x[i] - c->x[j], c->y[i] - c->y[j], c->z[i] - c->z[j]};
        am_box_min_image(&c->box, del);
        if (del[0] * del[0] + del[1] * del[1] + del[2] * del[2] >= range2) continue;
        if (!push(l, (int)i, (int)j, b, 0) || !push(l, (int)j, (int)i, b, 1))
            return am_fail(AM_ERR_NOMEM, "Hessian: out of memory for the difference blocks");
    }
    return AM_OK;
}

am_status am_hessian_create_fd(const am_potential *p, am_system *s, am_hessian **out)
{
    *out = NULL;
    int sp2el[AM_MAX_SPECIES];
    am_status st = am_potential_species_map(p, s, sp2el);
    if (st) return st;
    const size_t n = s->n;
    const double cut = am_potential_cutoff(p), h = AM_HESSIAN_FD_STEP * cut, range2 = 4.0 * cut * cut;
    am_system *c = NULL;
    am_engine *e = NULL;
    am_hessian *H = calloc(1, sizeof *H);
    fd_blocks l = {0};
    double *fp = malloc((3 * n + 1) * sizeof(double)), *fm = malloc((3 * n + 1) * sizeof(double));
    double *buf = malloc((3 * n + 1) * sizeof(double)), *col = malloc((9 * n + 1) * sizeof(double));
    if (!H || !fp || !fm || !buf || !col) {
        st = am_fail(AM_ERR_NOMEM, "Hessian: out of memory for %zu atoms", n);
        goto done;
    }
    H->n = n;
    H->first = malloc((n + 1) * sizeof(size_t));
    H->atom = malloc((n + 1) * sizeof(int));
    H->diag = calloc(9 * n + 1, sizeof(double));
    H->vself = calloc(3 * n + 1, sizeof(double));
    H->fpp = calloc(n + 1, sizeof(double));
    if (!H->first || !H->atom || !H->diag || !H->vself || !H->fpp) {
        st = am_fail(AM_ERR_NOMEM, "Hessian: out of memory for %zu atoms", n);
        goto done;
    }
    /* a skin of 100 steps: no displacement ever rebuilds the list */
    if ((st = am_system_copy(s, &c)) || (st = am_engine_create(p, c, 100.0 * h, &e)) ||
        (st = forces(e, c, fp, buf)))
        goto done;
    for (size_t j = 0; j < n && !st; j++) st = column(e, c, j, h, range2, fp, fm, buf, col, &l);
    if (!st) st = assemble(&l, n, H);
done:
    free(l.v);
    free(fp); free(fm); free(buf); free(col);
    am_engine_free(e);
    am_system_free(c);
    if (st) {
        am_hessian_free(H);
        return st;
    }
    *out = H;
    return AM_OK;
}
