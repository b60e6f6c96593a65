#include "potential/eam_front.h"
#include "core/error.h"
#include "core/memory.h"

#include <math.h>
#include <omp.h>
#include <sched.h>
#include <stdalign.h>
#include <stdatomic.h>
#include <stdlib.h>
#include <string.h>

/* Atoms per block: the unit of the schedule (as the threaded passes'). */
#define FRONT_BLOCK 64
/* Slabs along the sweep axis at least this thick (Å): thin ones order the
 * atoms finely along the axis, which keeps each block's reach short. */
#define FRONT_SLAB 1.0
/* A ring larger than this stays in no cache of the machines measured (a
 * 9 MB one, the 19 652-atom cube's, gained nothing; 4 MB, 16 %): the
 * engine then keeps the plain passes. */
#define FRONT_MAX_RING ((size_t)12 << 20)

/* A range's progress: the blocks of it whose pass 1 is done, alone in its
 * cache line (written at every block, read by the other ranges only when
 * they wait). */
typedef struct progress {
    alignas(64) _Atomic size_t done;
} progress;

struct eam_front {
    long builds;         /* the list build planned for */
    size_t n, nb;        /* local atoms, blocks */
    int *order;          /* sweep order of the local atoms */
    size_t nt;           /* ranges: runs of blocks swept side by side, one per thread */
    size_t *rb;          /* nt + 1: the first block of each range */
    /* per range (nshare of them): the share of blocks the next plan gives
     * it, and its last sweep's time (s; 0: not swept since last counted) */
    double *share, *rtime;
    size_t nshare;
    size_t *hi;          /* per block: the last block of its range holding a neighbour's atom */
    size_t *hir;         /* per block: hi counted from its range's first block */
    size_t *bpos;        /* nb + 1: each block's first entry in the lists' copy (block_sizes) */
    size_t *slot;        /* per block: its first pair slot, in the ring or in the store */
    size_t *bslots;      /* per block: the slots its pass 1 may fill (block_sizes) */
    unsigned char *ring; /* per block: 1 if its pairs go to the ring */
    int *rng;            /* per block: its range */
    /* per block, two of them: another range whose pass 1 its pass 2 waits
     * for (-1: none; -2 as the first: neighbours in more than two other
     * ranges), and how many of that range's blocks it waits for (the walk
     * leaves there the last such block) */
    int *wr;
    size_t *wc;
    progress *prog;      /* nt: each range's progress in the current call */
    size_t *ifirst;      /* scratch: images of local atom i are entries ifirst[i] .. ifirst[i + 1] - 1 */
    size_t *ivisit;      /* the same two bounds per atom in sweep order (read in sequence) */
    size_t *rank;        /* scratch: sweep position of each local atom */
    int *eblock;         /* scratch: per list entry, the sweep block of its atom */
    size_t *fifo;        /* scratch: ring blocks waiting for their pass 2 */
    /* the neighbour lists in sweep order (nbr16, 16-bit entries, while every
     * entry index fits; else nbr), and their species groups */
    int *nbr;
    unsigned short *nbr16;
    size_t *gfirst;
    int *rpj;            /* the ring: neighbour entry and two factors per slot */
    double *rps;
    size_t rcap;         /* ring slots (each range has a ring of its own) */
    size_t rrings;       /* rings allocated, of rcap slots each */
    int useful;          /* the ring is small enough to pay (FRONT_MAX_RING) */
    int w16;             /* the copied lists are nbr16's */
};

void eam_front_free(eam_front *f)
{
    if (!f) return;
    free(f->nbr); free(f->nbr16); free(f->gfirst);
    free(f->order); free(f->hi); free(f->hir); free(f->bpos); free(f->rb); free(f->share); free(f->rtime);
    free(f->slot); free(f->bslots); free(f->ring); free(f->rng); free(f->wr); free(f->wc);
    free(f->prog); free(f->ifirst); free(f->rank);
    free(f->ivisit);
    free(f->fifo); free(f->eblock);
    am_free_large(f->rpj); am_free_large(f->rps);
    free(f);
}

/* One past block b's last sweep position. */
static size_t block_end(const eam_front *f, size_t b)
{
    return (b + 1) * FRONT_BLOCK < f->n ? (b + 1) * FRONT_BLOCK : f->n;
}

/* Per block, from its atoms' list lengths: bslots, the slots its pass 1
 * may fill (each list rounded up to 4, eam_pass_density), and bpos, where
 * its lists go in the plan's copy (bpos[nb] the copy's length). */
static void block_sizes(eam_front *f, const size_t *first)
{
    f->bpos[0] = 0;
    for (size_t b = 0; b < f->nb; b++) {
        size_t z = 0, len = 0;
        for (size_t k = b * FRONT_BLOCK; k < block_end(f, b); k++) {
            const size_t i = (size_t)f->order[k], m = first[i + 1] - first[i];
            z += (m + 3) & ~(size_t)3;
            len += m;
        }
        f->bslots[b] = z;
        f->bpos[b + 1] = f->bpos[b] + len;
    }
}

/* Which blocks go to the ring: those whose neighbours in their own range
 * lie at most half the range ahead (not round a one-range sweep's periodic
 * wrap) and whose neighbours in other ranges, if any, lie in the first
 * half of those ranges' sweeps: the thread waits for those to be swept,
 * which with the ranges side by side they were long before (a range's
 * last blocks, whose neighbours are the next range's first). The others
 * wait for the end in the store: a range's first blocks, whose
 * neighbours the range before sweeps last. (On two ranges that halves
 * the store: 22-23 % of a 20 000-atom slab's blocks went there, 11 % now;
 * the two-thread force call 5 % faster, median of six rounds.) */
static void classify(eam_front *f)
{
    for (size_t t = 0; t < f->nt; t++) {
        const size_t b0 = f->rb[t], b1 = f->rb[t + 1], len = b1 - b0;
        for (size_t b = b0; b < b1; b++) {
            int *wr = f->wr + 2 * b, late = wr[0] == -2;
            size_t *wc = f->wc + 2 * b;
            for (int k = 0; k < 2 && !late; k++)
                late = wr[k] >= 0 && wc[k] - f->rb[wr[k]] >= (f->rb[wr[k] + 1] - f->rb[wr[k]]) / 2;
            f->ring[b] = !late && f->hi[b] - b <= len / 2;
            f->hir[b] = f->hi[b] - b0;
            if (f->ring[b]) {
                /* from the last block waited for to the count of them */
                for (int k = 0; k < 2; k++)
                    if (wr[k] >= 0) wc[k] = wc[k] - f->rb[wr[k]] + 1;
            } else {
                wr[0] = wr[1] = -1;
            }
        }
    }
}

size_t eam_wait_guard(size_t nb, size_t nt, const size_t *rb, const int *rng, const size_t *hi, unsigned char *ring,
                      int *wr, const size_t *wc, size_t *need)
{
    memset(need, 0, nt * sizeof(size_t));
    for (size_t b = 0; b < nb; b++)
        for (int k = 0; k < 2; k++) {
            const int r = wr[2 * b + (size_t)k];
            if (r >= 0 && wc[2 * b + (size_t)k] > need[r]) need[r] = wc[2 * b + (size_t)k];
        }
    size_t sent = 0;
    for (size_t b = 0; b < nb; b++) {
        if (!ring[b] || wr[2 * b] < 0) continue;
        const size_t t = (size_t)rng[b];
        if ((hi[b] > b ? hi[b] : b) - rb[t] + 1 >= need[t]) continue;
        ring[b] = 0;
        wr[2 * b] = wr[2 * b + 1] = -1;
        sent++;
    }
    return sent;
}

/* The live blocks hold the ring from the oldest one's slot (tail) round to
 * the newest one's end (head): [tail, head), or, once the placement has
 * wrapped, [tail, rcap) and [0, head). head == tail with blocks live is a
 * full ring, not an empty one: taking it for empty placed a block over the
 * oldest live one's pairs (wrong forces, found in a 19 652-atom NVT run at
 * 300 K; 2 of 100 plans of that cube's inherent structure displaced by up
 * to 0.3 Å, 0 of 200 in another draw). Blocks without pairs take no room,
 * but keep their place in the queue: the run frees blocks in queue order,
 * so one waiting at its head holds the slots of those behind it. */
int eam_ring_place(size_t nb, const unsigned char *ring, const size_t *bslots, const size_t *hi, size_t rcap,
                   size_t *slot, size_t *fifo)
{
    size_t head = 0, qh = 0, qt = 0;
    for (size_t b = 0; b < nb; b++) {
        if (ring[b]) {
            const size_t z = bslots[b];
            size_t t = qh;
            while (t < qt && bslots[fifo[t]] == 0) t++;
            size_t at = t == qt ? 0 : head;
            if (z > 0 && t < qt) {
                const size_t tail = slot[fifo[t]];
                if (head > tail) {
                    if (at + z > rcap) at = 0;
                    if (at == 0 && z > tail) return 0;
                } else if (at + z > tail) {
                    return 0;
                }
            }
            if (at + z > rcap) return 0;
            slot[b] = at;
            if (z > 0) head = at + z;
            fifo[qt++] = b;
        }
        while (qh < qt && hi[fifo[qh]] <= b) qh++;
    }
    return 1;
}

int eam_ring_check(size_t nb, const unsigned char *ring, const size_t *bslots, const size_t *hi, size_t rcap,
                   const size_t *slot, size_t *fifo)
{
    size_t qh = 0, qt = 0;
    for (size_t b = 0; b < nb; b++) {
        if (ring[b] && bslots[b] > 0) {
            const size_t a0 = slot[b], a1 = a0 + bslots[b];
            if (a1 > rcap) return (int)b + 1;
            for (size_t q = qh; q < qt; q++) {
                const size_t o = fifo[q], o0 = slot[o], o1 = o0 + bslots[o];
                if (bslots[o] > 0 && a0 < o1 && o0 < a1) return (int)b + 1;
            }
        }
        if (ring[b]) fifo[qt++] = b;
        while (qh < qt && hi[fifo[qh]] <= b) qh++;
    }
    return 0;
}

/* Places each range's ring blocks in its ring of rcap slots, in sweep
 * order, each block freed once the sweep has passed its hi: 0 if rcap is
 * too small. */
static int place(eam_front *f, size_t rcap)
{
    for (size_t t = 0; t < f->nt; t++) {
        const size_t b0 = f->rb[t];
        if (!eam_ring_place(f->rb[t + 1] - b0, f->ring + b0, f->bslots + b0, f->hir + b0, rcap, f->slot + b0,
                            f->fifo + b0))
            return 0;
    }
    return 1;
}

static am_status reserve(eam_front *f, size_t n, size_t nb, size_t nt)
{
    if (!am_resize((void **)&f->rb, nt + 1, sizeof(size_t)))
        return am_fail(AM_ERR_NOMEM, "out of memory for the force sweep of %zu atoms", n);
    if (!am_resize((void **)&f->order, n, sizeof(int)) || !am_resize((void **)&f->rank, n, sizeof(size_t)) ||
        !am_resize((void **)&f->ifirst, n + 1, sizeof(size_t)) || !am_resize((void **)&f->ivisit, 2 * n, sizeof(size_t)) ||
        !am_resize((void **)&f->hi, nb, sizeof(size_t)) ||
        !am_resize((void **)&f->hir, nb, sizeof(size_t)) || !am_resize((void **)&f->bpos, nb + 1, sizeof(size_t)) ||
        !am_resize((void **)&f->slot, nb, sizeof(size_t)) || !am_resize((void **)&f->bslots, nb, sizeof(size_t)) ||
        !am_resize((void **)&f->ring, nb, 1) || !am_resize((void **)&f->fifo, nb, sizeof(size_t)) ||
        !am_resize((void **)&f->rng, nb, sizeof(int)) ||
        !am_resize((void **)&f->wr, 2 * nb, sizeof(int)) || !am_resize((void **)&f->wc, 2 * nb, sizeof(size_t)))
        return am_fail(AM_ERR_NOMEM, "out of memory for the force sweep of %zu atoms", n);
    if (nt != f->nt || !f->prog) {
        free(f->prog);
        if (!(f->prog = aligned_alloc(64, nt * sizeof(progress))))
            return am_fail(AM_ERR_NOMEM, "out of memory for the force sweep's ranges");
        for (size_t t = 0; t < nt; t++) atomic_init(&f->prog[t].done, 0);
    }
    return AM_OK;
}

/* The local atoms in slabs along the longest axis, each slab in list order
 * (a stable counting sort). */
static void sweep_order(eam_front *f, const double *xw, const am_box *box)
{
    double w[3];
    am_box_widths(box, w);
    const int d = w[0] >= w[1] && w[0] >= w[2] ? 0 : w[1] >= w[2] ? 1 : 2;
    size_t ns = (size_t)(w[d] / FRONT_SLAB);
    if (ns < 1) ns = 1;
    const size_t n = f->n;
    size_t *cnt = calloc(ns + 1, sizeof(size_t)), *key = f->rank;
    for (size_t i = 0; i < n; i++) {
        double s[3];
        am_box_to_frac(box, xw + 4 * i, s);
        double u = s[d] - floor(s[d]);
        size_t k = (size_t)(u * (double)ns);
        key[i] = k < ns ? k : ns - 1;
        if (cnt) cnt[key[i] + 1]++;
    }
    if (!cnt) { /* no room for the counts: list order is a valid, if slower, sweep */
        for (size_t i = 0; i < n; i++) f->order[i] = (int)i;
        return;
    }
    for (size_t k = 0; k < ns; k++) cnt[k + 1] += cnt[k];
    for (size_t i = 0; i < n; i++) f->order[cnt[key[i]]++] = (int)i;
    free(cnt);
}

/* The largest of *h and the blocks of entries nbr[q0 .. q1-1], and the
 * smallest of *l and them, as four maxima and minima side by side: one
 * chain of compares held the loads up (with the lists fetched ahead, the
 * plan's walk 1.6 % of a 20 000-atom NPT step at 2 000 K against 1.35 %;
 * 2.0 % with neither). */
static void reach(const int *eblock, const int *nbr, size_t q0, size_t q1, size_t *l, size_t *h)
{
    int hi[4] = {(int)*h, (int)*h, (int)*h, (int)*h}, lo[4] = {(int)*l, (int)*l, (int)*l, (int)*l};
    size_t q = q0;
    for (; q + 4 <= q1; q += 4)
        for (int k = 0; k < 4; k++) {
            const int o = eblock[nbr[q + (size_t)k]];
            hi[k] = o > hi[k] ? o : hi[k];
            lo[k] = o < lo[k] ? o : lo[k];
        }
    for (; q < q1; q++) {
        const int o = eblock[nbr[q]];
        hi[0] = o > hi[0] ? o : hi[0];
        lo[0] = o < lo[0] ? o : lo[0];
    }
    for (int k = 1; k < 4; k++) {
        hi[0] = hi[k] > hi[0] ? hi[k] : hi[0];
        lo[0] = lo[k] < lo[0] ? lo[k] : lo[0];
    }
    *h = (size_t)hi[0];
    *l = (size_t)lo[0];
}

/* Block b's neighbours when some lie outside its range t (a minority:
 * the blocks within a reach of a range's ends): its hi among its own
 * range's blocks, and the other ranges it needs with the last block of
 * each (wr -2: more than two). */
static size_t foreign(eam_front *f, const size_t *first, const int *nbr, size_t b)
{
    const int t = f->rng[b];
    int *wr = f->wr + 2 * b;
    size_t *wc = f->wc + 2 * b, h = b;
    for (size_t k = b * FRONT_BLOCK; k < block_end(f, b); k++) {
        const size_t i = (size_t)f->order[k];
        for (size_t q = first[i]; q < first[i + 1]; q++) {
            const size_t o = (size_t)f->eblock[nbr[q]];
            const int r = f->rng[o];
            if (r == t) {
                h = o > h ? o : h;
                continue;
            }
            int s = 0;
            while (s < 2 && wr[s] >= 0 && wr[s] != r) s++;
            if (s == 2 || wr[0] == -2) {
                wr[0] = -2;
                continue;
            }
            if (wr[s] < 0) wr[s] = r, wc[s] = o;
            else if (o > wc[s]) wc[s] = o;
        }
    }
    return h;
}

/* One pass over the lists in sweep order: each block's hi and lo (the last
 * and first blocks holding a neighbour's atom), and, if copy, the lists copied in that order
 * so that pass 1 reads them in sequence (measured: without the copy the
 * sweep was no faster than the plain passes; not made for a ring too large
 * to gain anything), as 16-bit entries unless w32 or an index needs more
 * (the 20 000-atom glass: 2 % off a force call, 3-9 % off an NPT step;
 * a 16-bit copy for the plain passes gained nothing measurable). */
static am_status walk_lists(eam_front *f, const am_nlist *nl, int hi, int copy, int w32)
{
    const size_t n = f->n;
    const size_t *first = am_nlist_first(nl), *gf = am_nlist_group_first(nl);
    const int *nbr = am_nlist_neighbors(nl);
    const int nsp = am_nlist_nspecies(nl), w16 = !w32 && am_nlist_nall(nl) <= EAM_NBR16_MAX;
    if (copy && (!(w16 ? am_resize((void **)&f->nbr16, first[n] + 1, sizeof(unsigned short))
                       : am_resize((void **)&f->nbr, first[n] + 1, sizeof(int))) ||
                 !am_resize((void **)&f->gfirst, n * (size_t)nsp + 1, sizeof(size_t))))
        return am_fail(AM_ERR_NOMEM, "out of memory for the force sweep's lists");
    /* on all threads, each block's copy at its bpos (serial, this walk
     * was 1.3 % of a two-thread NPT step at 20 000 atoms and 2 000 K, the
     * other thread waiting) */
    const size_t *bpos = f->bpos;
#pragma omp parallel for schedule(static)
    for (size_t b = 0; b < f->nb; b++) {
        const size_t k1 = block_end(f, b);
        size_t h = b, l = b, pos = bpos[b];
        for (size_t k = b * FRONT_BLOCK; k < k1; k++) {
            const size_t i = (size_t)f->order[k], q0 = first[i], q1 = first[i + 1];
            /* the lists are visited out of their order: the hardware sees
             * no stream to fetch ahead, so the list of the atom after next
             * is asked for now */
            if (k + 2 < n) {
                const size_t a = (size_t)f->order[k + 2];
                for (size_t q = first[a]; q < first[a + 1]; q += 16) __builtin_prefetch(nbr + q);
            }
            if (hi) reach(f->eblock, nbr, q0, q1, &l, &h);
            if (copy) {
                for (int s = 0; s < nsp; s++)
                    f->gfirst[k * (size_t)nsp + (size_t)s] = pos + gf[i * (size_t)nsp + (size_t)s] - q0;
                if (w16)
                    for (size_t q = q0; q < q1; q++) f->nbr16[pos + q - q0] = (unsigned short)nbr[q];
                else memcpy(f->nbr + pos, nbr + q0, (q1 - q0) * sizeof(int));
                pos += q1 - q0;
            }
        }
        if (hi) {
            /* a second look at the lists of the few blocks with
             * neighbours in other ranges */
            const size_t t = (size_t)f->rng[b];
            f->wr[2 * b] = f->wr[2 * b + 1] = -1;
            f->hi[b] = l < f->rb[t] || h >= f->rb[t + 1] ? foreign(f, first, nbr, b) : h;
        }
    }
    if (copy) {
        f->gfirst[n * (size_t)nsp] = bpos[f->nb];
        f->w16 = w16;
    }
    return AM_OK;
}

/* The ranges' shares of the blocks for the next plan: each range's speed
 * in the last sweep (its blocks over its time), normalised, averaged half
 * and half with the shares so far (a single slow call moves the split only
 * part way), and none below a fifth of an equal share (a thread descheduled
 * for a while must not leave its range empty, and so unmeasured, for good).
 * Equal shares for a new count of ranges. */
static am_status update_shares(eam_front *f, size_t nt)
{
    if (f->nshare != nt) {
        free(f->share);
        free(f->rtime);
        f->share = malloc(nt * sizeof(double));
        f->rtime = calloc(nt, sizeof(double));
        f->nshare = f->share && f->rtime ? nt : 0;
        if (!f->nshare) return am_fail(AM_ERR_NOMEM, "out of memory for the force sweep's ranges");
        for (size_t t = 0; t < nt; t++) f->share[t] = 1.0 / (double)nt;
        return AM_OK;
    }
    if (f->nt != nt || nt < 2) return AM_OK;
    double sum = 0.0;
    for (size_t t = 0; t < nt; t++) {
        const size_t nb = f->rb[t + 1] - f->rb[t];
        if (!(f->rtime[t] > 0.0) || nb == 0) return AM_OK;
        sum += (double)nb / f->rtime[t];
    }
    double total = 0.0;
    for (size_t t = 0; t < nt; t++) {
        const double v = 0.5 * f->share[t] + 0.5 * (double)(f->rb[t + 1] - f->rb[t]) / f->rtime[t] / sum;
        f->share[t] = v > 0.2 / (double)nt ? v : 0.2 / (double)nt;
        f->rtime[t] = 0.0;
        total += f->share[t];
    }
    for (size_t t = 0; t < nt; t++) f->share[t] /= total;
    return AM_OK;
}

/* The ranges' first blocks, in proportion to their shares (each thread's
 * measured speed: one vCPU of a shared machine may run 1.5 times slower
 * than the other, and the ranges wait for the slowest). Results do not
 * depend on the split. */
static void split(eam_front *f)
{
    double c = 0.0;
    f->rb[0] = 0;
    for (size_t t = 1; t < f->nt; t++) {
        c += f->share[t - 1];
        size_t b = (size_t)(c * (double)f->nb + 0.5);
        b = b < f->rb[t - 1] ? f->rb[t - 1] : b > f->nb ? f->nb : b;
        f->rb[t] = b;
    }
    f->rb[f->nt] = f->nb;
}

am_status eam_front_plan(eam_front **fp, const am_nlist *nl, const am_box *box, int force, int w32, int nt)
{
    if (!*fp && !(*fp = calloc(1, sizeof **fp))) return am_fail(AM_ERR_NOMEM, "out of memory for the force sweep");
    eam_front *f = *fp;
    if (nt < 1) nt = 1;
    am_status st = update_shares(f, (size_t)nt);
    if (st) return st;
    /* a new call: no range has swept yet (the team's start orders this
     * before the runs) */
    for (size_t t = 0; f->prog && t < f->nt; t++) atomic_store_explicit(&f->prog[t].done, 0, memory_order_relaxed);
    if (f->builds == am_nlist_nbuilds(nl) && f->n == am_nlist_nlocal(nl) && f->nt == (size_t)nt &&
        (f->useful || !force))
        return AM_OK;
    const size_t n = am_nlist_nlocal(nl), nall = am_nlist_nall(nl), nb = (n + FRONT_BLOCK - 1) / FRONT_BLOCK;
    const size_t *first = am_nlist_first(nl);
    const int *owner = am_nlist_owner(nl);
    f->builds = -1; /* until this plan is complete */
    st = reserve(f, n, nb, (size_t)nt);
    if (!st && !am_resize((void **)&f->eblock, nall, sizeof(int)))
        st = am_fail(AM_ERR_NOMEM, "out of memory for the force sweep of %zu atoms", n);
    if (st) return st;
    f->n = n;
    f->nb = nb;
    f->nt = (size_t)nt;
    split(f);
    for (size_t t = 0; t < f->nt; t++)
        for (size_t b = f->rb[t]; b < f->rb[t + 1]; b++) f->rng[b] = (int)t;
    sweep_order(f, am_nlist_positions(nl), box);
    for (size_t k = 0; k < n; k++) f->rank[f->order[k]] = k;
    /* the block of each entry's atom, and the images after the atoms,
     * grouped by owner in owner order */
    for (size_t q = 0; q < nall; q++) f->eblock[q] = (int)(f->rank[owner[q]] / FRONT_BLOCK);
    memset(f->ifirst, 0, (n + 1) * sizeof(size_t));
    for (size_t q = n; q < nall; q++) f->ifirst[owner[q] + 1]++;
    f->ifirst[0] = n;
    for (size_t i = 0; i < n; i++) f->ifirst[i + 1] += f->ifirst[i];
    for (size_t k = 0; k < n; k++) {
        f->ivisit[2 * k] = f->ifirst[f->order[k]];
        f->ivisit[2 * k + 1] = f->ifirst[f->order[k] + 1];
    }
    /* the lists are copied in the same pass when the last plan was worth
     * it (the box has changed little since): one pass over them, not two */
    const int copied = force || f->useful;
    block_sizes(f, first);
    if ((st = walk_lists(f, nl, 1, copied, w32))) return st;
    classify(f);
    size_t *need = malloc(f->nt * sizeof(size_t));
    if (!need) return am_fail(AM_ERR_NOMEM, "out of memory for the force sweep's ranges");
    eam_wait_guard(nb, f->nt, f->rb, f->rng, f->hi, f->ring, f->wr, f->wc, need);
    free(need);
    /* the store's blocks at slots counted from 0 */
    for (size_t b = 0, store = 0; b < nb; b++)
        if (!f->ring[b]) {
            f->slot[b] = store;
            store += f->bslots[b];
        }
    /* the smallest ring that holds the blocks waiting at any time (it is
     * swept through whole: every slot of it counts against the caches) */
    size_t lo = 4, rcap = 4 * FRONT_BLOCK;
    while (!place(f, rcap)) lo = rcap, rcap *= 2;
    while (rcap - lo > 4) {
        const size_t mid = (lo + rcap) / 2 & ~(size_t)3;
        if (place(f, mid)) rcap = mid;
        else lo = mid;
    }
    place(f, rcap);
    /* and most blocks in the rings: ranges thinner than a few reaches (many
     * threads on a small box) would send nearly every block through the
     * store, the plain passes' traffic with the sweep's hand-offs added
     * (not measured beyond 2 threads: a guard, not a tuned threshold) */
    size_t inring = 0;
    for (size_t b = 0; b < nb; b++) inring += f->ring[b];
    f->useful = rcap * (sizeof(int) + 2 * sizeof(double)) <= FRONT_MAX_RING && 2 * inring >= nb;
    if ((f->useful || force) && (rcap > f->rcap || f->nt > f->rrings)) {
        am_free_large(f->rpj);
        am_free_large(f->rps);
        f->rpj = am_alloc_large(f->nt * rcap * sizeof(int));
        f->rps = am_alloc_large(2 * f->nt * rcap * sizeof(double));
        f->rcap = f->rpj && f->rps ? rcap : 0;
        f->rrings = f->rcap ? f->nt : 0;
        if (!f->rcap) return am_fail(AM_ERR_NOMEM, "out of memory for the force sweep's ring of %zu pairs", rcap);
    }
    if ((f->useful || force) && !copied && (st = walk_lists(f, nl, 0, 1, w32))) return st;
    f->builds = am_nlist_nbuilds(nl);
    return AM_OK;
}

/* The kernel's arguments for range t's ring and for the store. */
static void front_args(const eam_front *f, const eam_kargs *ka, size_t t, double *xf, eam_kargs *ring,
                       eam_kargs *store)
{
    *ring = *store = *ka;
    /* Positions are read from the rows F' is written into: one array of
     * rows in the caches, not two (20 000-atom slab: 2-4 % off a one-thread
     * force call, the copy into the rows included). Pass 1 reads an atom's
     * species from its row before it writes F' there, and of its
     * neighbours' rows only the positions: it loads whole rows, and the
     * fourth double of a row another range is writing F' into at the time
     * is read and discarded (a benign race on x86: the positions beside it
     * are not written during a call). */
    ring->xw = store->xw = xf;
    ring->order = store->order = f->order;
    ring->pj = f->rpj + t * f->rcap;
    ring->ps = f->rps + 2 * t * f->rcap;
    ring->stream = 0;
    ring->nbr = store->nbr = f->nbr;
    ring->nbr16 = store->nbr16 = f->w16 ? f->nbr16 : NULL;
    ring->gfirst = store->gfirst = f->gfirst;
    ring->lists_by_visit = store->lists_by_visit = 1;
}

/* Pass 2 of ring block h, once the other ranges it waits for have swept
 * that far: with the ranges side by side they did so long before, but a
 * thread may have been descheduled, so the wait yields after a while. */
static void ring_force(const eam_front *f, const eam_kargs *ring, size_t h, double *xf, double *force, double *v)
{
    for (int k = 0; k < 2; k++) {
        const int r = f->wr[2 * h + (size_t)k];
        if (r < 0) break;
        for (unsigned spin = 0; atomic_load_explicit(&f->prog[r].done, memory_order_acquire) < f->wc[2 * h + (size_t)k];)
            if (++spin > 1000) sched_yield();
    }
    eam_pass_force(ring, h * FRONT_BLOCK, block_end(f, h), xf, force, v);
}

void eam_front_run(const eam_front *f, const eam_kargs *ka, int range, double *scratch, int *iscratch, size_t cap,
                   double *rho, double *xf, double *e, double *force, double *v)
{
    const size_t t = (size_t)range;
    if (t >= f->nt) return;
    const double t0 = omp_get_wtime();
    eam_kargs ring, store;
    front_args(f, ka, t, xf, &ring, &store);
    const size_t b0 = f->rb[t], b1 = f->rb[t + 1];
    size_t qh = 0, qt = 0;
    size_t *fifo = f->fifo + b0;
    for (size_t b = b0; b < b1; b++) {
        const size_t k0 = b * FRONT_BLOCK, k1 = block_end(f, b);
        eam_pass_density(f->ring[b] ? &ring : &store, k0, k1, f->slot[b], scratch, iscratch, cap, rho, xf, e);
        /* images carry their atom's F'(rho) (their positions are there) */
        for (size_t k = k0; k < k1; k++) {
            const size_t i = (size_t)f->order[k];
            for (size_t q = f->ivisit[2 * k]; q < f->ivisit[2 * k + 1]; q++) xf[4 * q + 3] = xf[4 * i + 3];
        }
        atomic_store_explicit(&f->prog[t].done, b - b0 + 1, memory_order_release);
        if (f->ring[b]) fifo[qt++] = b;
        while (qh < qt && f->hi[fifo[qh]] <= b) ring_force(f, &ring, fifo[qh++], xf, force, v);
    }
    f->rtime[t] = omp_get_wtime() - t0;
}

void eam_front_finish(const eam_front *f, const eam_kargs *ka, int range, double *xf, double *force, double *v)
{
    const size_t t = (size_t)range;
    if (t >= f->nt) return;
    eam_kargs ring, store;
    front_args(f, ka, t, xf, &ring, &store);
    for (size_t b = f->rb[t]; b < f->rb[t + 1]; b++)
        if (!f->ring[b]) eam_pass_force(&store, b * FRONT_BLOCK, block_end(f, b), xf, force, v);
}

int eam_front_check(const eam_front *f, const am_nlist *nl)
{
    const size_t *first = am_nlist_first(nl);
    const int *nbr = am_nlist_neighbors(nl);
    size_t *need = calloc(f->nt, sizeof(size_t));
    if (!need) return -1;
    int bad = 0;
    for (size_t b = 0; b < f->nb && !bad; b++) {
        if (!f->ring[b]) continue;
        const int t = f->rng[b];
        const int *wr = f->wr + 2 * b;
        const size_t *wc = f->wc + 2 * b;
        for (int k = 0; k < 2; k++)
            if (wr[k] >= 0 && wc[k] > need[wr[k]]) need[wr[k]] = wc[k];
        for (size_t k = b * FRONT_BLOCK; k < block_end(f, b) && !bad; k++) {
            const size_t i = (size_t)f->order[k];
            for (size_t q = first[i]; q < first[i + 1] && !bad; q++) {
                const size_t o = (size_t)f->eblock[nbr[q]];
                const int r = f->rng[o];
                if (r == t) bad = o > f->hi[b];
                else bad = !((wr[0] == r && o - f->rb[r] < wc[0]) || (wr[1] == r && o - f->rb[r] < wc[1]));
            }
        }
        if (bad) bad = (int)b + 1;
    }
    for (size_t b = 0; b < f->nb && !bad; b++) {
        const size_t t = (size_t)f->rng[b];
        if (f->ring[b] && f->wr[2 * b] >= 0 && (f->hi[b] > b ? f->hi[b] : b) - f->rb[t] + 1 < need[t]) bad = (int)b + 1;
    }
    /* and each range's ring places no block over one still waiting */
    for (size_t t = 0; t < f->nt && !bad; t++) {
        const size_t b0 = f->rb[t];
        const int r = eam_ring_check(f->rb[t + 1] - b0, f->ring + b0, f->bslots + b0, f->hir + b0, f->rcap,
                                     f->slot + b0, f->fifo + b0);
        if (r) bad = (int)b0 + r;
    }
    free(need);
    return bad;
}

void eam_front_counts(const eam_front *f, size_t *store, size_t *waiting)
{
    *store = *waiting = 0;
    for (size_t b = 0; b < f->nb; b++) {
        *store += !f->ring[b];
        *waiting += f->ring[b] && f->wr[2 * b] >= 0;
    }
}

int eam_front_ranges(const eam_front *f) { return (int)f->nt; }

int eam_front_useful(const eam_front *f) { return f->useful; }
