/* EAM energy and forces on a full neighbour list.
 *
 * Each atom sums its own density and its own force, so threads never write
 * to the same place and every sum runs in the same order whatever the thread
 * count: results are bit-identical for 1 or N threads. Each pair is seen
 * from both sides, but the table work is done once per side in pass 1 and
 * pass 2 only streams the stored factors (see eam_kernel.h). */
#include "potential/eam.h"
#include "potential/eam_engine.h"
#include "potential/eam_front.h"
#include "amorph/neighbor.h"
#include "core/error.h"
#include "core/memory.h"
#include "core/steal.h"

#include <math.h>
#include <omp.h>
#include <stdlib.h>
#include <string.h>

/* Table rows per species pair (a, b), grid point m: the value and LAMMPS's
 * slope estimate (spline columns 6 and 5) of each function there,
 *   a == b: 4 doubles  [rho_{b->a} | r*phi_ab]
 *   a <  b: 6 doubles  [rho_{b->a} | r*phi_ab | rho_{a->b}],
 * shared by (a, b) and (b, a) with the density blocks swapped (eam_pairtab's
 * oj, oi). rho_{b->a} is the density at an atom of species a due to one of
 * species b. The kernel forms each cubic piece from rows m and m + 1 with
 * LAMMPS's additions (eam_kernel.c, COEFS): the value cubics' coefficients
 * are LAMMPS's 3..6 bit for bit, in half the memory of storing them, and
 * derivatives are taken from them, ((3 c3 p + 2 c4) p + c5) / dr, LAMMPS's
 * derivative piece up to rounding. */

struct eam_engine {
    const eam_tables *t;
    am_nlist *nl;
    int nsp;
    const int *sp2el; /* the generic engine's */
    double *tables[AM_MAX_SPECIES * AM_MAX_SPECIES]; /* [a*nsp+b], a <= b, 64-byte aligned */
    eam_pairtab pt[AM_MAX_SPECIES * AM_MAX_SPECIES];
    const double *frho[AM_MAX_SPECIES]; /* embedding spline of each species, nrho rows of 7 */
    /* scratch in list order: density, the rows pass 2 reads (x y z F'(rho),
     * atoms and images: eam_kernel.h), per-atom energy, forces (3 per
     * atom), virial (6 per atom) */
    double *rho, *xf, *e, *f, *v;
    size_t cap_all;
    /* per-pair store of pass 1, sized like the neighbour list */
    int *pj, *pn;
    size_t *po;
    double *ps;
    size_t cap_pairs;
    /* per-thread scratch of pass 1 */
    double *tscratch;
    int *tiscratch;
    size_t tcap; /* entries of each of a thread's scratch arrays (at least the longest list) */
    int tcount;
    int simd; /* eam_kernel_simd() at creation */
    /* the one-thread sweep (eam_front.h): its plan once used, and when it
     * runs: -1 where it pays (a pair store beyond the caches, a ring within
     * them), 0 never, 1 always (AMORPH_EAM_FRONT at creation: the tests
     * compare it with the plain passes on small samples; 32: always, with
     * the lists' 32-bit entries even where 16 bits would hold them) */
    eam_front *front;
    int front_mode, front_w32;
    /* the threads' blocks: pass 2 of a block runs on the thread that ran
     * its pass 1 and so holds its pairs (core/steal.h) */
    am_steal *sched;
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
    free(e->rho); free(e->xf); free(e->e); free(e->f); free(e->v);
    e->rho = e->xf = e->e = e->f = e->v = NULL;
    free(e->pn); free(e->po);
    e->pn = NULL;
    e->po = NULL;
    e->cap_all = 0;
}

static void pairs_free(eam_engine *e)
{
    am_free_large(e->pj); am_free_large(e->ps); free(e->tscratch); free(e->tiscratch);
    e->pj = NULL; e->ps = e->tscratch = NULL;
    e->tiscratch = NULL;
    e->cap_pairs = 0;
    e->tcap = 0;
    e->tcount = 0;
}

void eam_engine_free(void *state)
{
    eam_engine *e = state;
    if (!e) return;
    am_nlist_free(e->nl);
    eam_front_free(e->front);
    am_steal_free(e->sched);
    free(e->slot);
    free(e->part);
    for (int k = 0; k < AM_MAX_SPECIES * AM_MAX_SPECIES; k++) am_free_large(e->tables[k]);
    engine_scratch_free(e);
    pairs_free(e);
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
    const char *fm = getenv("AMORPH_EAM_FRONT");
    e->front_w32 = fm && strcmp(fm, "32") == 0;
    e->front_mode = fm && *fm ? (*fm == '1' || e->front_w32) : -1;
    am_status st = build_tables(e);
    if (!st) st = am_nlist_create(e->t->cut, g->skin, &e->nl);
    if (st) { eam_engine_free(e); return st; }
    *state = e;
    return AM_OK;
}

static am_status ensure_scratch(eam_engine *e, size_t nlocal, size_t nall, const size_t *first)
{
    const size_t npairs = first[nlocal];
    size_t maxnb = 1;
    for (size_t i = 0; i < nlocal; i++)
        if (first[i + 1] - first[i] > maxnb) maxnb = first[i + 1] - first[i];
    const int nt = omp_get_max_threads();
    if (nall > e->cap_all) {
        engine_scratch_free(e);
        size_t cap = nall + nall / 8 + 16, cl = nlocal + 1;
        e->rho = malloc(cl * sizeof(double));
        e->xf = malloc(4 * cap * sizeof(double));
        e->e = malloc(cl * sizeof(double));
        e->f = malloc(3 * cl * sizeof(double));
        e->v = malloc(6 * cl * sizeof(double));
        e->pn = malloc(cl * sizeof(int));
        e->po = malloc(cl * sizeof(size_t));
        if (!e->rho || !e->xf || !e->e || !e->f || !e->v || !e->pn || !e->po) {
            engine_scratch_free(e);
            return am_fail(AM_ERR_NOMEM, "out of memory for force scratch arrays");
        }
        e->cap_all = cap;
    }
    /* each atom's pairs start at a multiple of 4 (EAM_PAIR_START) */
    const size_t need = npairs + 3 * nlocal + 3;
    if (need > e->cap_pairs || e->tcap < maxnb || nt > e->tcount) {
        pairs_free(e);
        size_t cap = need + need / 8 + 64;
        /* thread scratch padded by a cache line so threads do not share lines */
        const size_t tcap = maxnb + maxnb / 8 + 16;
        e->pj = am_alloc_large(cap * sizeof(int));
        e->ps = am_alloc_large(2 * cap * sizeof(double));
        e->tscratch = malloc((size_t)nt * (3 * tcap + 8) * sizeof(double));
        e->tiscratch = malloc((size_t)nt * (tcap + 16) * sizeof(int));
        if (!e->pj || !e->ps || !e->tscratch || !e->tiscratch) {
            pairs_free(e);
            return am_fail(AM_ERR_NOMEM, "out of memory for %zu pair factors", npairs);
        }
        e->cap_pairs = cap;
        e->tcap = tcap;
        e->tcount = nt;
    }
    return AM_OK;
}

/* Pair stores beyond this size are written around the caches: measured 10%
 * faster with 16 000 atoms (34 MB), 15% slower with 2 000 (4 MB, which the
 * caches hold until pass 2 reads it). */
#define STREAM_BYTES ((size_t)16 << 20)

/* Atoms are handed to threads in fixed blocks; each atom's sums do not
 * depend on which thread does them, nor does where a block's pairs are
 * stored. Each thread starts on its own run of blocks (neighbouring atoms,
 * in list order) and a thread that is done takes blocks from the others'
 * (a thread that shares its core with another job then holds the others up
 * less); pass 2 of a block runs where its pass 1 ran, so its pairs are read
 * from that core's caches (core/steal.h). */
#define BLOCK 64

/* Energy and virial sums of the atoms of block j (list order), in the
 * order of its atoms: the totals are then summed over the blocks in order,
 * the same bits whichever thread ran a block and for the sweep too, and no
 * thread reads the per-atom arrays another thread wrote. */
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

am_status eam_engine_compute(void *state, const am_system *s, am_result *r)
{
    eam_engine *e = state;
    const int want_virial = !r->skip_virial;
    am_status st = am_nlist_update(e->nl, s, NULL);
    if (st) return st;
    const am_nlist *nl = e->nl;
    const size_t nlocal = am_nlist_nlocal(nl), nall = am_nlist_nall(nl);
    const size_t *first = am_nlist_first(nl);
    if ((st = ensure_scratch(e, nlocal, nall, first))) return st;
    const int *src = am_nlist_atom_index(nl), *owner = am_nlist_owner(nl);
    const eam_tables *t = e->t;
    if (am_nlist_nspecies(nl) > e->nsp)
        return am_fail(AM_ERR_VALUE, "atom species index beyond the %d species of the force engine", e->nsp);
    const eam_kargs ka = {.xw = am_nlist_positions(nl), .first = first, .nbr = am_nlist_neighbors(nl),
                          .gfirst = am_nlist_group_first(nl), .pt = e->pt, .ntab = e->nsp,
                          .nsp = am_nlist_nspecies(nl), .nr = t->nr, .rdr = t->rdr, .cutsq = t->cut * t->cut,
                          .frho = e->frho, .nrho = t->nrho, .rdrho = t->rdrho, .rhomax = t->rhomax,
                          .po = e->po, .pj = e->pj, .ps = e->ps, .pn = e->pn,
                          .stream = first[nlocal] * 2 * sizeof(double) > STREAM_BYTES, .simd = e->simd};
    if (e->slot_build != am_nlist_nbuilds(nl) || !e->slot) {
        free(e->slot);
        e->slot_build = 0;
        if (!(e->slot = malloc((nlocal + 1) * sizeof(int))))
            return am_fail(AM_ERR_NOMEM, "out of memory for the list positions of %zu atoms", nlocal);
        for (size_t k = 0; k < nlocal; k++) e->slot[src[k]] = (int)k;
        e->slot_build = am_nlist_nbuilds(nl);
    }
    /* A store beyond the caches: the sweep that keeps the store's live part
     * in them (eam_front.h), a range per thread; the same numbers. Inside a
     * parallel region (an ARTn campaign's searches) a region of ours gets
     * one thread: plan for the team we will have. */
    const int nth = omp_get_active_level() >= omp_get_max_active_levels() ? 1 : omp_get_max_threads();
    int front = e->front_mode < 0 ? ka.stream : e->front_mode;
    if (front) {
        if ((st = eam_front_plan(&e->front, e->nl, &s->box, e->front_mode == 1, e->front_w32, nth))) return st;
        front = e->front_mode == 1 || eam_front_useful(e->front);
    }
    /* the sweep's rows start as the list's positions and species */
    if (front) memcpy(e->xf, ka.xw, 4 * nall * sizeof(double));
    const size_t nblocks = (nlocal + BLOCK - 1) / BLOCK;
    if ((st = am_steal_reserve(&e->sched, nth, nblocks))) return st;
    if (nblocks > e->cap_part) {
        free(e->part);
        e->cap_part = 0;
        if (!(e->part = aligned_alloc(64, (nblocks + 1) * 8 * sizeof(double))))
            return am_fail(AM_ERR_NOMEM, "out of memory for the block sums of %zu atoms", nlocal);
        e->cap_part = nblocks + 1;
    }
#pragma omp parallel num_threads(nth)
    {
        const int tid = omp_get_thread_num();
        double *scratch = e->tscratch + (size_t)tid * (3 * e->tcap + 8);
        int *iscratch = e->tiscratch + (size_t)tid * (e->tcap + 16);
        /* each thread its range, then the blocks that waited for all of
         * them; ranges wait for each other's progress, so a team smaller
         * than planned (a call from inside a parallel region) takes the
         * plain passes */
        if (front && omp_get_num_threads() == eam_front_ranges(e->front)) {
            eam_front_run(e->front, &ka, tid, scratch, iscratch, e->tcap, e->rho, e->xf, e->e, e->f,
                          want_virial ? e->v : NULL);
#pragma omp barrier
            eam_front_finish(e->front, &ka, tid, e->xf, e->f, want_virial ? e->v : NULL);
#pragma omp barrier
#pragma omp for schedule(static)
            for (size_t j = 0; j < nblocks; j++) block_totals(e, j, nlocal, want_virial);
        } else {
#pragma omp single
            am_steal_reset(e->sched, omp_get_num_threads(), nblocks);
            size_t blk;
            while (am_steal_next(e->sched, tid, &blk)) {
                const size_t b = blk * BLOCK, b1 = b + BLOCK < nlocal ? b + BLOCK : nlocal;
                eam_pass_density(&ka, b, b1, EAM_PAIR_START(first[b], b), scratch, iscratch, e->tcap, e->rho, e->xf,
                                 e->e);
            }
#pragma omp barrier
            /* Images carry their atom's F'(rho). */
#pragma omp for schedule(static)
            for (size_t k = nlocal; k < nall; k++) eam_image_row(e->xf, ka.xw, k, (size_t)owner[k]);
            const size_t *mine = am_steal_items(e->sched, tid), nmine = am_steal_count(e->sched, tid);
            for (size_t j = 0; j < nmine; j++) {
                const size_t b = mine[j] * BLOCK, b1 = b + BLOCK < nlocal ? b + BLOCK : nlocal;
                eam_pass_force(&ka, b, b1, e->xf, e->f, want_virial ? e->v : NULL);
                block_totals(e, mine[j], nlocal, want_virial);
            }
#pragma omp barrier
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
