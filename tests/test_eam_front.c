/* The sweep of the EAM engine (src/potential/eam_front.c), on one thread
 * and in ranges on several, gives the plain two passes' numbers bit for
 * bit: energy, forces, per-atom energies and virials, over a sequence of calls that reuses a plan (small
 * moves) and re-plans after a rebuild (a large move). AMORPH_EAM_FRONT
 * forces it on (1) or off (0) for samples whose pair store the caches would
 * hold; the samples (eam_samples): an orthogonal glass, the same glass
 * sheared (triclinic) and stretched along y (another sweep axis), boxes
 * smaller than twice the list's reach (the 432-atom glass, 54 atoms of
 * B2); the sweep reading the lists as 16-bit entries (up to 65 536 atoms
 * and images) or 32-bit ones, under each kernel on the glass and on its
 * copy with entries beyond 32 768. And the ring's placement is sound: no
 * block's pairs are written over those of a block still waiting for its
 * pass 2 — on the case that broke it (a ring filled exactly round to the
 * oldest live block, which a 19 652-atom NVT run met at 300 K), on
 * random schedules at the smallest ring that holds them, and on the plans of
 * the samples. The samples' plans on 1 to 4 ranges are sound (a ring
 * block's pass 2 after its neighbours' pass 1, in its range or in those it
 * waits for), and the guard against two ranges waiting for each other
 * sends such blocks to the store. */
#include "potential/eam_front.h"
#include "util/build.h"
#include "util/check.h"

#include <omp.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static am_engine *engine(const am_potential *p, am_system *s, const char *front)
{
    setenv("AMORPH_EAM_FRONT", front, 1);
    am_engine *e = NULL;
    if (am_engine_create(p, s, 1.0, &e)) e = NULL;
    unsetenv("AMORPH_EAM_FRONT");
    return e;
}

/* Three calls through both engines: as given, every atom moved by up to
 * 0.05 Å per direction (the list stays), then by up to 0.45 Å (it is rebuilt).
 * front: "1" the sweep reads a 16-bit copy of the lists, "32" a 32-bit one. */
static void compare_with(const char *label, const am_potential *p, am_system *s, const char *front)
{
    am_engine *sweep = engine(p, s, front), *plain = engine(p, s, "0");
    if (!check_true(sweep && plain, "%s: engines", label)) return;
    const size_t len = 7 + 10 * s->n;
    const double amp[3] = {0.0, 0.05, 0.45};
    for (int c = 0; c < 3; c++) {
        if (amp[c] > 0) rattle(s, amp[c], 100 + (unsigned long long)c);
        const long builds = am_engine_nbuilds(sweep);
        double *a = engine_outputs(sweep, s, 1), *b = engine_outputs(plain, s, 1);
        if (check_true(a && b, "%s, call %d: evaluated", label, c + 1))
            check_true(memcmp(a, b, len * sizeof(double)) == 0,
                       "%s, call %d (%s): the sweep's energy, virial, forces, per-atom energies and virials "
                       "bit for bit the plain passes' (E = %.10f eV)",
                       label, c + 1, c == 0 ? "first" : am_engine_nbuilds(sweep) > builds ? "rebuilt" : "same list",
                       a ? a[0] : 0.0);
        free(a);
        free(b);
    }
    am_engine_free(sweep);
    am_engine_free(plain);
}

/* The sweep with either list width (v: 16, 32 bits), from the positions
 * given, on 1, 2 and 3 threads (as many ranges: 3 more than the cores a
 * test machine may have, so that ranges also run while others wait). The
 * rebuilt list of the third call is planned with ranges sized by the
 * threads' measured speeds, so in general unequal ones. */
static void compare_width(const char *label, am_system *s, int v, const void *ctx)
{
    for (int nt = 1; nt <= 3; nt++) {
        char l[200];
        snprintf(l, sizeof l, "%s, %s-bit lists, %d thread%s", label, v ? "32" : "16", nt, nt > 1 ? "s" : "");
        omp_set_num_threads(nt);
        compare_with(l, ctx, s, v ? "32" : "1");
    }
    omp_set_num_threads(1);
}

/* The smallest ring eam_ring_place accepts (it grows by doubling, then
 * bisects, as the plan does), placed; 0 if none up to 2^24 slots. */
static size_t smallest_ring(size_t nb, const unsigned char *ring, const size_t *z, const size_t *hi, size_t *slot,
                            size_t *fifo)
{
    size_t lo = 0, rc = 4;
    while (!eam_ring_place(nb, ring, z, hi, rc, slot, fifo))
        if ((rc *= 2) > ((size_t)1 << 24)) return 0;
    lo = rc / 2;
    while (rc - lo > 1) {
        const size_t mid = (lo + rc) / 2;
        if (eam_ring_place(nb, ring, z, hi, mid, slot, fifo)) rc = mid;
        else lo = mid;
    }
    eam_ring_place(nb, ring, z, hi, rc, slot, fifo);
    return rc;
}

static void ring_placement(void)
{
    /* 100 slots: block 0 [0, 40) freed after block 1, block 1 [40, 100), block 2 wraps to [0, 40): the ring is
     * full, head = tail = 40; block 3 has no room until block 1 is done. */
    enum { NB = 6 };
    const unsigned char ring[NB] = {1, 1, 1, 1, 1, 1};
    const size_t z[NB] = {40, 60, 40, 12, 0, 0}, hi[NB] = {1, 5, 5, 5, 5, 5};
    size_t slot[NB], fifo[NB];
    check_true(!eam_ring_place(NB, ring, z, hi, 100, slot, fifo), "a full ring (head = tail) takes no more blocks");
    check_true(eam_ring_place(NB, ring, z, hi, 152, slot, fifo) && eam_ring_check(NB, ring, z, hi, 152, slot, fifo) == 0,
               "152 slots hold the four blocks");
    /* below 140 block 2 wraps to [0, 40) and block 3 has no room; from 140 on block 2 follows block 1 and block 3
     * wraps to [0, 12) */
    check_true(smallest_ring(NB, ring, z, hi, slot, fifo) == 140 && eam_ring_check(NB, ring, z, hi, 140, slot, fifo) == 0,
               "the smallest ring the placement finds: 140 slots, sound");
    /* random schedules: each block's pass 2 waits up to 12 blocks, a few wait for the end (not in the ring),
     * some have no pairs */
    enum { MB = 200 };
    unsigned char rr[MB];
    size_t zz[MB], hh[MB], ss[MB], ff[MB];
    unsigned long long st = 7;
    int bad = 0, tried = 0;
    for (int t = 0; t < 2000; t++) {
        for (size_t b = 0; b < MB; b++) {
            st = st * 6364136223846793005ULL + 1442695040888963407ULL;
            const unsigned u = (unsigned)(st >> 33);
            rr[b] = u % 23 != 0;
            zz[b] = u % 17 == 0 ? 0 : 4 * (1 + (u >> 5) % 64);
            hh[b] = b + (u >> 12) % 13 < MB ? b + (u >> 12) % 13 : MB - 1;
        }
        const size_t rc = smallest_ring(MB, rr, zz, hh, ss, ff);
        tried++;
        bad += rc == 0 || eam_ring_check(MB, rr, zz, hh, rc, ss, ff) != 0;
    }
    check_true(bad == 0, "%d of %d random schedules placed over a waiting block at their smallest ring", bad, tried);
}

/* The sweep's plans for the sample on 1 to 4 ranges are sound
 * (eam_front_check): each ring block's pass 2 after its neighbours' pass
 * 1, in its own range or in the ones it waits for, no two ranges waiting
 * for each other, and no ring block placed over a waiting one. Where ranges are thick enough, a range's last
 * blocks wait in its ring for the next range's first: about as many
 * blocks as its first ones, which wait in the store. */
static void plans(int which, const char *label, am_system *s, const am_potential *p)
{
    am_nlist *nl = NULL;
    int rebuilt = 0;
    if (!check_true(!am_nlist_create(am_potential_cutoff(p), 1.0, &nl) && !am_nlist_update(nl, s, &rebuilt),
                    "%s: a list", label)) {
        am_nlist_free(nl);
        return;
    }
    for (int nt = 1; nt <= 4; nt++) {
        eam_front *f = NULL;
        if (!check_true(!eam_front_plan(&f, nl, &s->box, 1, 0, nt), "%s, %d ranges: planned", label, nt)) continue;
        size_t store, waiting;
        eam_front_counts(f, &store, &waiting);
        const int bad = eam_front_check(f, nl);
        check_true(bad == 0, "%s, %d ranges: the plan is sound (%zu blocks in the store, %zu waiting for another range; "
                   "first unsound block %d)", label, nt, store, waiting, bad - 1);
        /* ranges thicker than two reaches: the 2 000-atom glass in two,
         * its 132 A long copy in up to four */
        if ((which == EAM_SAMPLE_GLASS && nt <= 2) || which == EAM_SAMPLE_BIG)
            check_true(nt == 1 ? waiting == 0 : waiting > 0 && 2 * waiting >= store,
                       "%s, %d ranges: %zu blocks wait in a ring for another range, %zu in the store", label, nt,
                       waiting, store);
        eam_front_free(f);
    }
    am_nlist_free(nl);
}

/* Two ranges of four blocks, each block's pass 2 due as the sweep passes
 * it (hi = b). Blocks 1 and 5 wait for 3 blocks of the other range, but
 * each is due after its range has swept 2: each would wait for the other
 * for good, so both go to the store. Blocks 3 and 7 wait for 2 of the
 * other's and are due after 4: they stay, and so do 2 and 6 beside them
 * (their needs of 1 block met when due). */
static void wait_guard(void)
{
    const size_t rb[3] = {0, 4, 8}, hi[8] = {0, 1, 2, 3, 4, 5, 6, 7};
    const int rng[8] = {0, 0, 0, 0, 1, 1, 1, 1};
    const size_t cases[2][8] = {{0, 3, 1, 2, 0, 3, 1, 2}, {0, 0, 1, 2, 0, 0, 1, 2}};
    for (int c = 0; c < 2; c++) {
        unsigned char ring[8];
        int wr[16];
        size_t wc[16], need[2];
        for (int b = 0; b < 8; b++) {
            ring[b] = 1;
            wr[2 * b] = cases[c][b] ? 1 - rng[b] : -1;
            wr[2 * b + 1] = -1;
            wc[2 * b] = cases[c][b];
            wc[2 * b + 1] = 0;
        }
        const size_t sent = eam_wait_guard(8, 2, rb, rng, hi, ring, wr, wc, need);
        if (c == 0)
            check_true(sent == 2 && !ring[1] && !ring[5] && wr[2] == -1 && wr[10] == -1 && ring[2] && ring[3] &&
                           ring[6] && ring[7] && wr[6] == 1 && wr[14] == 0,
                       "two ranges that would wait for each other: blocks 1 and 5 to the store (%zu sent)", sent);
        else
            check_true(sent == 0 && ring[2] && ring[3] && ring[6] && ring[7],
                       "needs met when due: no block to the store (%zu sent)", sent);
    }
}

static void sample(int which, const char *label, am_system *s, const am_potential *p)
{
    plans(which, label, s, p);
    /* every kernel on the glass and on its copy with entries past 32 768,
     * where every bit of the 16-bit entries counts */
    under_kernels(label, s, which == EAM_SAMPLE_GLASS || which == EAM_SAMPLE_BIG, 2, compare_width, p);
}

int main(void)
{
    omp_set_num_threads(1);
    ring_placement();
    wait_guard();
    eam_samples("CuZr_mm.eam.fs", sample);
    return check_exit();
}
