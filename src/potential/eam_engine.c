/* EAM energy and forces on a full neighbour list, in one visit per atom.
 *
 * An atom sums its density over its own list, so its F'(rho) is known at the
 * end of its own visit; the forces its embedding exerts on its neighbours
 * are then scattered to them (eam_kernel.h, eam_pass_one) while the pair
 * terms are still in the caches, and no per-pair store is written and read
 * back. Each entry's received sum is added in the atoms' order whatever
 * the threads (chunks and logs, eam_scatter), and each atom's own sums run
 * over its list in list order: results are bit-identical for 1 or N
 * threads. */
#include "potential/eam.h"
#include "potential/eam_engine.h"
#include "amorph/neighbor.h"
#include "core/error.h"
#include "core/memory.h"

#include <math.h>
#include <omp.h>
#include <stdlib.h>
#include <string.h>

/* Table rows per species pair (a, b), grid point m:
 *   a == b: 8 doubles  [rho c3 c4 c5 c6 | r*phi c3 c4 c5 c6]       (one cache line)
 *   a <  b: 16 doubles [rho_{b->a} | r*phi_ab | rho_{a->b} | pad]  (two lines),
 *           shared by (a, b) and (b, a) with the density blocks swapped.
 * rho_{b->a} is the density at an atom of species a due to one of species b.
 * Value cubics hold LAMMPS's coefficients 3..6; derivatives are taken from
 * them, ((3 c3 p + 2 c4) p + c5) / dr, which is LAMMPS's derivative piece up
 * to rounding. */

struct eam_engine {
    const eam_tables *t;
    am_nlist *nl;
    int nsp;
    const int *sp2el; /* the generic engine's */
    double *tables[AM_MAX_SPECIES * AM_MAX_SPECIES]; /* [a*nsp+b], a <= b, 64-byte aligned */
    eam_pairtab pt[AM_MAX_SPECIES * AM_MAX_SPECIES];
    const double *frho[AM_MAX_SPECIES]; /* embedding spline of each species, nrho rows of 7 */
    /* per atom in list order: density, energy, own force (3), virial (6) */
    double *rho, *e, *f, *v;
    /* per list entry (atoms and images): received force (4) and, with
     * per-atom virials, received virial (8; eam_scatter) */
    double *R, *Rv;
    size_t cap_all;
    /* per-thread scratch of the pass */
    double *tscratch;
    int *tiscratch;
    size_t tcap; /* entries of each of a thread's scratch arrays (at least the longest list) */
    int tcount;
    int simd; /* eam_kernel_simd() at creation */
    double reach; /* the list's: cutoff + skin, Å */
    /* The visit order and the chunks (one per thread) for the list build
     * chunk_build: visit bounds, each entry's first chunk, the atoms at a
     * chunk's edge, the logs' room (chunk c's from logoff[c]) and fill, each
     * atom's images (entries img[k]..img[k+1]-1) and the marking scratch. */
    int nchunk;
    long chunk_build;
    size_t *cbound, *logoff, *nlog, *img;
    int *efirst, *visit;
    unsigned char *edge, *touch;
    eam_logent *logs;
    size_t cap_chunkall, cap_logs;
    /* list position of each atom (the inverse of am_nlist_atom_index), and
     * the list build it was made for */
    int *slot;
    long slot_build;
    /* per block of list order: its energy and virial sums (8 doubles, one
     * cache line: written by the thread that ran the block) */
    double *part;
    size_t cap_part;
};

static void engine_scratch_free(eam_engine *e)
{
    free(e->rho); free(e->e); free(e->f); free(e->v);
    am_free_large(e->R); am_free_large(e->Rv);
    e->rho = e->e = e->f = e->v = e->R = e->Rv = NULL;
    e->cap_all = 0;
}

static void thread_scratch_free(eam_engine *e)
{
    free(e->tscratch); free(e->tiscratch);
    e->tscratch = NULL;
    e->tiscratch = NULL;
    e->tcap = 0;
    e->tcount = 0;
}

static void chunks_free(eam_engine *e)
{
    free(e->cbound); free(e->logoff); free(e->nlog); free(e->img); free(e->efirst); free(e->visit);
    free(e->edge); free(e->touch); am_free_large(e->logs);
    e->cbound = e->logoff = e->nlog = e->img = NULL;
    e->efirst = e->visit = NULL;
    e->edge = e->touch = NULL;
    e->logs = NULL;
    e->cap_chunkall = e->cap_logs = 0;
    e->nchunk = 0;
    e->chunk_build = 0;
}

void eam_engine_free(void *state)
{
    eam_engine *e = state;
    if (!e) return;
    am_nlist_free(e->nl);
    free(e->slot);
    free(e->part);
    for (int k = 0; k < AM_MAX_SPECIES * AM_MAX_SPECIES; k++) am_free_large(e->tables[k]);
    engine_scratch_free(e);
    thread_scratch_free(e);
    chunks_free(e);
    free(e);
}

long eam_engine_nbuilds(const void *state) { return am_nlist_nbuilds(((const eam_engine *)state)->nl); }
void eam_engine_invalidate(void *state) { am_nlist_invalidate(((eam_engine *)state)->nl); }

void eam_engine_kargs(const eam_engine *e, eam_kargs *ka)
{
    const eam_tables *t = e->t;
    memset(ka, 0, sizeof *ka);
    ka->pt = e->pt;
    ka->ntab = e->nsp;
    ka->nsp = e->nsp;
    ka->nr = t->nr;
    ka->rdr = t->rdr;
    ka->cutsq = t->cut * t->cut;
    ka->frho = e->frho;
    ka->nrho = t->nrho;
    ka->rdrho = t->rdrho;
    ka->rhomax = t->rhomax;
    ka->simd = e->simd;
}

/* Value (spline column 6) and LAMMPS's slope estimate (column 5) at one
 * grid point: all a cubic piece needs at each of its two ends. */
static void copy_point(double *dst, const double *spline_row)
{
    dst[0] = spline_row[6];
    dst[1] = spline_row[5];
}

static am_status build_tables(eam_engine *e)
{
    const eam_tables *t = e->t;
    const int nsp = e->nsp, nr = t->nr;
    for (int a = 0; a < nsp; a++)
        for (int b = a; b < nsp; b++) {
            const int ea = e->sp2el[a], eb = e->sp2el[b];
            /* per grid point: density at a due to b, r*phi, and (two
             * species) density at b due to a (eam_kernel.h) */
            const int stride = a == b ? 4 : 6;
            size_t bytes = (size_t)nr * stride * sizeof(double);
            double *tab = am_alloc_large(bytes);
            if (!tab) return am_fail(AM_ERR_NOMEM, "out of memory for force tables");
            memset(tab, 0, bytes);
            e->tables[a * nsp + b] = tab;
            const double *rba = t->rhor_spline + (size_t)t->elem2rhor[eb][ea] * nr * 7;
            const double *rab = t->rhor_spline + (size_t)t->elem2rhor[ea][eb] * nr * 7;
            const double *z2 = t->z2r_spline + (size_t)t->elem2z2r[ea][eb] * nr * 7;
            for (int m = 0; m < nr; m++) {
                double *row = tab + (size_t)m * stride;
                copy_point(row, rba + 7 * (size_t)m);
                copy_point(row + 2, z2 + 7 * (size_t)m);
                if (a != b) copy_point(row + 4, rab + 7 * (size_t)m);
            }
            e->pt[a * nsp + b] = (eam_pairtab){tab, stride, 0, a == b ? 0 : 4};
            e->pt[b * nsp + a] = (eam_pairtab){tab, stride, a == b ? 0 : 4, 0};
        }
    for (int a = 0; a < nsp; a++)
        e->frho[a] = t->frho_spline + (size_t)t->elem2frho[e->sp2el[a]] * t->nrho * 7;
    return AM_OK;
}

am_status eam_engine_create(const am_engine *g, const am_system *s, void **state)
{
    (void)s; /* given positions at each compute */
    eam_engine *e = calloc(1, sizeof *e);
    if (!e) return am_fail(AM_ERR_NOMEM, "out of memory for a force engine");
    e->t = eam_model(g->pot);
    e->nsp = g->nsp;
    e->sp2el = g->sp2el;
    e->simd = eam_kernel_simd();
    e->reach = e->t->cut + g->skin;
    am_status st = build_tables(e);
    if (!st) st = am_nlist_create(e->t->cut, g->skin, &e->nl);
    if (st) { eam_engine_free(e); return st; }
    *state = e;
    return AM_OK;
}

static am_status ensure_scratch(eam_engine *e, size_t nlocal, size_t nall, const size_t *first, int vmode)
{
    size_t maxnb = 1;
    for (size_t i = 0; i < nlocal; i++)
        if (first[i + 1] - first[i] > maxnb) maxnb = first[i + 1] - first[i];
    const int nt = omp_get_max_threads();
    if (nall > e->cap_all) {
        engine_scratch_free(e);
        size_t cap = nall + nall / 8 + 16, cl = nlocal + 1;
        e->rho = malloc(cl * sizeof(double));
        e->e = malloc(cl * sizeof(double));
        e->f = malloc(3 * cl * sizeof(double));
        e->v = malloc(6 * cl * sizeof(double));
        e->R = am_alloc_large(4 * cap * sizeof(double));
        if (!e->rho || !e->e || !e->f || !e->v || !e->R) {
            engine_scratch_free(e);
            return am_fail(AM_ERR_NOMEM, "out of memory for force scratch arrays");
        }
        e->cap_all = cap;
    }
    if (vmode == 2 && !e->Rv && !(e->Rv = am_alloc_large(8 * e->cap_all * sizeof(double))))
        return am_fail(AM_ERR_NOMEM, "out of memory for the per-atom virials of %zu entries", nall);
    if (e->tcap < maxnb || nt > e->tcount) {
        thread_scratch_free(e);
        /* thread scratch padded by a cache line so threads do not share lines */
        const size_t tcap = maxnb + maxnb / 8 + 16;
        e->tscratch = malloc((size_t)nt * (3 * tcap + 8) * sizeof(double));
        e->tiscratch = malloc((size_t)nt * 2 * (tcap + 16) * sizeof(int));
        if (!e->tscratch || !e->tiscratch) {
            thread_scratch_free(e);
            return am_fail(AM_ERR_NOMEM, "out of memory for the threads' scratch (%zu pairs)", maxnb);
        }
        e->tcap = tcap;
        e->tcount = nt;
    }
    return AM_OK;
}

/* The visit order: slabs about half the list's reach thick across the box's
 * longest edge, each slab's atoms in list order. It is the same for any
 * thread count (each entry receives its sums in this order), and cut into
 * consecutive chunks the threads' chunks meet across one slab face each,
 * the smallest cut of the box. */
static void visit_order(eam_engine *e, const am_box *box, size_t nlocal)
{
    const double *xw = am_nlist_positions(e->nl);
    int d = 0;
    for (int c = 1; c < 3; c++)
        if (box->len[c] > box->len[d]) d = c;
    const double reach = e->reach;
    size_t ns = (size_t)(box->len[d] / (0.5 * reach));
    if (ns < 1) ns = 1;
    if (ns > nlocal) ns = nlocal ? nlocal : 1;
    size_t *cnt = e->img; /* scratch: set after the visit order */
    memset(cnt, 0, (ns + 1) * sizeof(size_t));
    for (size_t k = 0; k < nlocal; k++) {
        double f[3];
        am_box_to_frac(box, xw + 4 * k, f);
        const double u = f[d] - floor(f[d]);
        size_t b = (size_t)(u * (double)ns);
        b = b < ns ? b : ns - 1;
        e->edge[k] = 0;
        e->efirst[k] = (int)b; /* scratch too */
        cnt[b + 1]++;
    }
    for (size_t b = 0; b < ns; b++) cnt[b + 1] += cnt[b];
    for (size_t k = 0; k < nlocal; k++) e->visit[cnt[e->efirst[k]]++] = (int)k;
}

/* How many chunks (threads) the pass runs on: one per thread while each
 * is at least 3 reaches thick along the longest edge. Thinner chunks log a
 * large part of their pairs (at 2 000 atoms, a 33 Å box, half of the
 * second chunk's: two threads took longer than one); the numbers do not
 * depend on it. */
static int chunk_count(const eam_engine *e, const am_box *box, int threads)
{
    const double len = fmax(box->len[0], fmax(box->len[1], box->len[2]));
    const double k = floor(len / (3.0 * e->reach));
    return k < 1.0 ? 1 : k < (double)threads ? (int)k : threads;
}

/* The chunks of nt threads for the current list: the visit order cut where
 * the list entries split evenly; which chunk lists each entry first; which
 * atoms list entries of an earlier chunk, and how many such pairs each
 * chunk can have (its log's room); each atom's images (the list keeps them
 * in their atoms' order). */
static am_status plan_chunks(eam_engine *e, const am_box *box, size_t nlocal, size_t nall, int nt)
{
    const am_nlist *nl = e->nl;
    const size_t *first = am_nlist_first(nl);
    const int *nbr = am_nlist_neighbors(nl), *owner = am_nlist_owner(nl);
    if (nall + 1 > e->cap_chunkall || nt != e->nchunk) {
        chunks_free(e);
        const size_t cap = nall + nall / 8 + 16;
        e->cbound = malloc(((size_t)nt + 1) * sizeof(size_t));
        e->logoff = malloc(((size_t)nt + 1) * sizeof(size_t));
        e->nlog = calloc((size_t)nt, sizeof(size_t));
        e->img = malloc(cap * sizeof(size_t));
        e->efirst = malloc(cap * sizeof(int));
        e->visit = malloc(cap * sizeof(int));
        e->edge = malloc(cap);
        e->touch = nt > 1 ? malloc((size_t)nt * cap) : NULL;
        if (!e->cbound || !e->logoff || !e->nlog || !e->img || !e->efirst || !e->visit || !e->edge ||
            (nt > 1 && !e->touch)) {
            chunks_free(e);
            return am_fail(AM_ERR_NOMEM, "out of memory for the threads' chunks of %zu entries", nall);
        }
        e->cap_chunkall = cap;
        e->nchunk = nt;
    }
    visit_order(e, box, nlocal);
    const int *visit = e->visit;
    const size_t total = first[nlocal];
    e->cbound[0] = 0;
    size_t k = 0, sum = 0;
    for (int c = 1; c < nt; c++) {
        const size_t want = total / (size_t)nt * (size_t)c + total % (size_t)nt * (size_t)c / (size_t)nt;
        for (; k < nlocal && sum < want; k++) sum += first[visit[k] + 1] - first[visit[k]];
        e->cbound[c] = k;
    }
    e->cbound[nt] = nlocal;
    /* images of atom k: entries img[k]..img[k+1]-1 */
    size_t q = nlocal;
    for (size_t k = 0; k < nlocal; k++) {
        e->img[k] = q;
        while (q < nall && (size_t)owner[q] == k) q++;
    }
    e->img[nlocal] = q;
    if (q != nall) return am_fail(AM_ERR_UNSUPPORTED, "neighbour list: images not in their atoms' order");
    memset(e->logoff, 0, ((size_t)nt + 1) * sizeof(size_t));
    if (nt == 1) {
        e->chunk_build = am_nlist_nbuilds(nl);
        return AM_OK;
    }
    unsigned char *touch = e->touch, *edge = e->edge;
    int *efirst = e->efirst;
    size_t *room = e->logoff + 1;
    const size_t cap = e->cap_chunkall;
#pragma omp parallel num_threads(nt)
    {
#pragma omp for schedule(static)
        for (int c = 0; c < nt; c++) {
            unsigned char *t = touch + (size_t)c * cap;
            memset(t, 0, nall);
            for (size_t k = e->cbound[c]; k < e->cbound[c + 1]; k++)
                for (size_t q = first[visit[k]]; q < first[visit[k] + 1]; q++) t[nbr[q]] = 1;
        }
#pragma omp for schedule(static)
        for (size_t x = 0; x < nall; x++) {
            int c = 0;
            while (c < nt && !touch[(size_t)c * cap + x]) c++;
            efirst[x] = c;
        }
#pragma omp for schedule(static)
        for (int c = 0; c < nt; c++) {
            size_t n = 0;
            for (size_t k = e->cbound[c]; k < e->cbound[c + 1]; k++) {
                const size_t i = (size_t)visit[k];
                size_t m = 0;
                for (size_t q = first[i]; q < first[i + 1]; q++) m += efirst[nbr[q]] < c;
                edge[i] = m > 0;
                n += m;
            }
            room[c] = n;
        }
    }
    for (int c = 0; c < nt; c++) e->logoff[c + 1] += e->logoff[c];
    if (e->logoff[nt] > e->cap_logs) {
        am_free_large(e->logs);
        e->cap_logs = 0;
        const size_t cl = e->logoff[nt] + e->logoff[nt] / 8 + 16;
        if (!(e->logs = am_alloc_large(cl * sizeof(eam_logent))))
            return am_fail(AM_ERR_NOMEM, "out of memory for the threads' logs (%zu pairs)", e->logoff[nt]);
        e->cap_logs = cl;
    }
    e->chunk_build = am_nlist_nbuilds(nl);
    return AM_OK;
}

/* Energy and virial sums in blocks of atoms in list order, summed over
 * the blocks in order: the same bits whichever thread ran a block. */
#define BLOCK 64

/* Energy and virial sums of the atoms of block j (list order), in the
 * order of its atoms. */
static void block_totals(const eam_engine *e, size_t j, size_t nlocal, int virial)
{
    const size_t k0 = j * BLOCK, k1 = k0 + BLOCK < nlocal ? k0 + BLOCK : nlocal;
    double *p = e->part + 8 * j;
    double en = 0.0, v[6] = {0, 0, 0, 0, 0, 0};
    for (size_t k = k0; k < k1; k++) en += e->e[k];
    if (virial)
        for (size_t k = k0; k < k1; k++)
            for (int c = 0; c < 6; c++) v[c] += e->v[6 * k + c];
    p[0] = en;
    memcpy(p + 1, v, sizeof v);
}

/* Atom k's force (and per-atom virial): its own sum, then what it
 * received, then what its images received, in that order. */
static void fold(const eam_engine *e, size_t k, int vmode)
{
    for (int c = 0; c < 3; c++) e->f[3 * k + (size_t)c] += e->R[4 * k + (size_t)c];
    for (size_t q = e->img[k]; q < e->img[k + 1]; q++)
        for (int c = 0; c < 3; c++) e->f[3 * k + (size_t)c] += e->R[4 * q + (size_t)c];
    if (vmode != 2) return;
    for (int c = 0; c < 6; c++) e->v[6 * k + (size_t)c] += e->Rv[8 * k + (size_t)c];
    for (size_t q = e->img[k]; q < e->img[k + 1]; q++)
        for (int c = 0; c < 6; c++) e->v[6 * k + (size_t)c] += e->Rv[8 * q + (size_t)c];
}

/* The logged contributions to entries x0..x1-1, chunk by chunk in order. */
static void apply_logs(const eam_engine *e, size_t x0, size_t x1, int vmode)
{
    for (int c = 1; c < e->nchunk; c++)
        for (size_t m = 0; m < e->nlog[c]; m++) {
            const eam_logent *l = e->logs + e->logoff[c] + m;
            if (l->x < x0 || l->x >= x1) continue;
            for (int d = 0; d < 3; d++) e->R[4 * l->x + (size_t)d] += l->f[d];
            if (vmode == 2)
                for (int d = 0; d < 6; d++) e->Rv[8 * l->x + (size_t)d] += l->v[d];
        }
}

am_status eam_engine_compute(void *state, const am_system *s, am_result *r)
{
    eam_engine *e = state;
    const int want_virial = !r->skip_virial;
    /* 1: each atom's share of the total only; 2: LAMMPS's per-atom virial */
    const int vmode = want_virial ? (r->v_atom ? 2 : 1) : 0;
    am_status st = am_nlist_update(e->nl, s, NULL);
    if (st) return st;
    const am_nlist *nl = e->nl;
    const size_t nlocal = am_nlist_nlocal(nl), nall = am_nlist_nall(nl);
    const size_t *first = am_nlist_first(nl);
    if ((st = ensure_scratch(e, nlocal, nall, first, vmode))) return st;
    const int *src = am_nlist_atom_index(nl);
    const eam_tables *t = e->t;
    if (am_nlist_nspecies(nl) > e->nsp)
        return am_fail(AM_ERR_VALUE, "atom species index beyond the %d species of the force engine", e->nsp);
    const int nt = chunk_count(e, &s->box, omp_get_max_threads());
    if (e->chunk_build != am_nlist_nbuilds(nl) || e->nchunk != nt)
        if ((st = plan_chunks(e, &s->box, nlocal, nall, nt))) return st;
    const eam_kargs ka = {.xw = am_nlist_positions(nl), .first = first, .nbr = am_nlist_neighbors(nl),
                          .gfirst = am_nlist_group_first(nl), .order = e->visit, .pt = e->pt, .ntab = e->nsp,
                          .nsp = am_nlist_nspecies(nl), .nr = t->nr, .rdr = t->rdr, .cutsq = t->cut * t->cut,
                          .frho = e->frho, .nrho = t->nrho, .rdrho = t->rdrho, .rhomax = t->rhomax,
                          .simd = e->simd};
    if (e->slot_build != am_nlist_nbuilds(nl) || !e->slot) {
        free(e->slot);
        e->slot_build = 0;
        if (!(e->slot = malloc((nlocal + 1) * sizeof(int))))
            return am_fail(AM_ERR_NOMEM, "out of memory for the list positions of %zu atoms", nlocal);
        for (size_t k = 0; k < nlocal; k++) e->slot[src[k]] = (int)k;
        e->slot_build = am_nlist_nbuilds(nl);
    }
    const size_t nblocks = (nlocal + BLOCK - 1) / BLOCK;
    if (nblocks > e->cap_part) {
        free(e->part);
        e->cap_part = 0;
        if (!(e->part = aligned_alloc(64, (nblocks + 1) * 8 * sizeof(double))))
            return am_fail(AM_ERR_NOMEM, "out of memory for the block sums of %zu atoms", nlocal);
        e->cap_part = nblocks + 1;
    }
    const int nchunk = e->nchunk;
#pragma omp parallel num_threads(nchunk)
    {
        const int tid = omp_get_thread_num(), nth = omp_get_num_threads();
        double *scratch = e->tscratch + (size_t)tid * (3 * e->tcap + 8);
        int *iscratch = e->tiscratch + (size_t)tid * 2 * (e->tcap + 16);
        const size_t x0 = nall * (size_t)tid / (size_t)nth, x1 = nall * (size_t)(tid + 1) / (size_t)nth;
        memset(e->R + 4 * x0, 0, 4 * (x1 - x0) * sizeof(double));
        if (vmode == 2) memset(e->Rv + 8 * x0, 0, 8 * (x1 - x0) * sizeof(double));
#pragma omp barrier
        for (int c = tid; c < nchunk; c += nth) {
            eam_scatter sc = {.R = e->R, .Rv = e->Rv, .edge = nchunk > 1 ? e->edge : NULL, .first = e->efirst,
                              .chunk = c, .log = e->logs + e->logoff[c], .nlog = 0};
            eam_pass_one(&ka, e->cbound[c], e->cbound[c + 1], scratch, iscratch, e->tcap, &sc, e->rho, e->e, e->f,
                         e->v, vmode);
            e->nlog[c] = sc.nlog;
        }
#pragma omp barrier
        if (nchunk > 1) {
            apply_logs(e, x0, x1, vmode);
#pragma omp barrier
        }
#pragma omp for schedule(static)
        for (size_t j = 0; j < nblocks; j++) {
            const size_t k1 = (j + 1) * BLOCK < nlocal ? (j + 1) * BLOCK : nlocal;
            for (size_t k = j * BLOCK; k < k1; k++) fold(e, k, vmode);
            block_totals(e, j, nlocal, want_virial);
        }
        /* by atom, so that each thread writes its own cache lines of the
         * caller's arrays (a scatter in list order had both threads write
         * every line) */
#pragma omp for schedule(static)
        for (size_t i = 0; i < nlocal; i++) {
            const size_t k = (size_t)e->slot[i];
            r->fx[i] = e->f[3 * k];
            r->fy[i] = e->f[3 * k + 1];
            r->fz[i] = e->f[3 * k + 2];
            if (r->e_atom) r->e_atom[i] = e->e[k];
            if (r->rho) r->rho[i] = e->rho[k];
            if (r->v_atom) memcpy(r->v_atom + 6 * i, e->v + 6 * k, 6 * sizeof(double));
        }
    }
    double en = 0.0, vir[6] = {0, 0, 0, 0, 0, 0};
    for (size_t j = 0; j < nblocks; j++) {
        en += e->part[8 * j];
        for (int c = 0; c < 6; c++) vir[c] += e->part[8 * j + 1 + c];
    }
    r->energy = en;
    memcpy(r->virial, vir, sizeof vir);
    return AM_OK;
}
