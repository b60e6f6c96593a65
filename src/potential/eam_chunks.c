/* The EAM one pass over chunks fixed by the box's geometry (eam_chunks.h). */
#include "potential/eam_chunks.h"
#include "core/error.h"
#include "core/steal.h"

#include <omp.h>
#include <stdlib.h>
#include <string.h>

/* More chunks than two threads need: each adds rows to fold (the faces'
 * atoms receive from two chunks) and a thread that is done early has
 * smaller pieces to take. */
#define CHUNKS_MAX 16

struct eam_chunks {
    long builds;   /* the list build planned for (0: none) */
    size_t nlocal; /* atoms of that build */
    int n;         /* chunks */
    size_t *bound; /* n + 1: the first atom (list order) of each chunk */
    int *of;       /* nlocal: each atom's chunk */
    size_t *img;   /* nlocal + 1: atom k's images are entries img[k] .. img[k+1]-1 */
    size_t cap_atoms;
    /* per chunk c: rows R + 4 rows c (and Rv + 8 rows c) of every list
     * entry, what the chunk's atoms scattered; all zero between calls (the
     * fold clears what it adds) */
    double *R, *Rv;
    size_t rows;
    int nR, nRv; /* chunks R and Rv have room for */
    am_steal *sched;
};

void eam_chunks_free(eam_chunks *ch)
{
    if (!ch) return;
    free(ch->bound); free(ch->of); free(ch->img);
    free(ch->R); free(ch->Rv);
    am_steal_free(ch->sched);
    free(ch);
}

/* The chunks of the current list: layers in runs of at least the reach,
 * as even in layers as whole layers allow. */
static am_status cut(eam_chunks *ch, const am_nlist *nl)
{
    const size_t nlocal = am_nlist_nlocal(nl), nall = am_nlist_nall(nl);
    const int *owner = am_nlist_owner(nl);
    const size_t *lf;
    int reach;
    const int layers = am_nlist_layers(nl, &lf, &reach);
    int n = reach > 0 ? layers / reach : 1;
    n = n < 1 ? 1 : n > CHUNKS_MAX ? CHUNKS_MAX : n;
    if (nlocal + 1 > ch->cap_atoms) {
        free(ch->of); free(ch->img);
        ch->cap_atoms = 0;
        const size_t cap = nlocal + nlocal / 8 + 16;
        ch->of = malloc(cap * sizeof(int));
        ch->img = malloc(cap * sizeof(size_t));
        if (!ch->of || !ch->img) return am_fail(AM_ERR_NOMEM, "out of memory for the chunks of %zu atoms", nlocal);
        ch->cap_atoms = cap;
    }
    free(ch->bound);
    if (!(ch->bound = malloc(((size_t)n + 1) * sizeof(size_t))))
        return am_fail(AM_ERR_NOMEM, "out of memory for the chunks of %zu atoms", nlocal);
    for (int c = 0; c < n; c++) ch->bound[c] = layers ? lf[(size_t)c * (size_t)layers / (size_t)n] : 0;
    ch->bound[0] = 0;
    ch->bound[n] = nlocal;
    for (int c = 0; c < n; c++)
        for (size_t k = ch->bound[c]; k < ch->bound[c + 1]; k++) ch->of[k] = c;
    size_t q = nlocal;
    for (size_t k = 0; k < nlocal; k++) {
        ch->img[k] = q;
        while (q < nall && (size_t)owner[q] == k) q++;
    }
    ch->img[nlocal] = q;
    if (q != nall) return am_fail(AM_ERR_UNSUPPORTED, "neighbour list: images not in their atoms' order");
    ch->n = n;
    ch->nlocal = nlocal;
    return AM_OK;
}

/* Zeroed rows: calloc leaves the pages of a large block untouched until a
 * chunk writes them, and a chunk only writes the rows near its slab. */
static am_status rows_room(eam_chunks *ch, size_t nall, int vmode)
{
    if (nall > ch->rows || ch->n > ch->nR) {
        free(ch->R); free(ch->Rv);
        ch->R = ch->Rv = NULL;
        ch->nR = ch->nRv = 0;
        ch->rows = nall + nall / 8 + 16;
        if (!(ch->R = calloc((size_t)ch->n * ch->rows, 4 * sizeof(double))))
            return am_fail(AM_ERR_NOMEM, "out of memory for the chunks' rows of %zu entries", nall);
        ch->nR = ch->n;
    }
    if (vmode == 2 && ch->n > ch->nRv) {
        free(ch->Rv);
        ch->nRv = 0;
        if (!(ch->Rv = calloc((size_t)ch->n * ch->rows, 8 * sizeof(double))))
            return am_fail(AM_ERR_NOMEM, "out of memory for the chunks' virial rows of %zu entries", nall);
        ch->nRv = ch->n;
    }
    return AM_OK;
}

am_status eam_chunks_plan(eam_chunks **chp, const am_nlist *nl, int vmode, int force, int *use)
{
    *use = 0;
    if (!*chp && !(*chp = calloc(1, sizeof **chp))) return am_fail(AM_ERR_NOMEM, "out of memory for chunks");
    eam_chunks *ch = *chp;
    am_status st;
    if (ch->builds != am_nlist_nbuilds(nl) || ch->nlocal != am_nlist_nlocal(nl)) {
        ch->builds = 0;
        if ((st = cut(ch, nl))) return st;
        ch->builds = am_nlist_nbuilds(nl);
    }
    if (!force && ch->n < EAM_CHUNKS_MIN) return AM_OK;
    if ((st = rows_room(ch, am_nlist_nall(nl), vmode))) return st;
    if ((st = am_steal_reserve(&ch->sched, omp_get_max_threads(), (size_t)ch->n))) return st;
    *use = 1;
    return AM_OK;
}

/* Adds the rows of atom k and its images from chunk c's rows to f (and
 * v), then clears them. */
static void take(const eam_chunks *ch, int c, size_t k, double *f, double *v, int vmode)
{
    double *R = ch->R + 4 * ch->rows * (size_t)c;
    for (int x = 0; x < 3; x++) f[3 * k + (size_t)x] += R[4 * k + (size_t)x];
    memset(R + 4 * k, 0, 4 * sizeof(double));
    for (size_t q = ch->img[k]; q < ch->img[k + 1]; q++) {
        for (int x = 0; x < 3; x++) f[3 * k + (size_t)x] += R[4 * q + (size_t)x];
        memset(R + 4 * q, 0, 4 * sizeof(double));
    }
    if (vmode != 2) return;
    double *Rv = ch->Rv + 8 * ch->rows * (size_t)c;
    for (int x = 0; x < 6; x++) v[6 * k + (size_t)x] += Rv[8 * k + (size_t)x];
    memset(Rv + 8 * k, 0, 8 * sizeof(double));
    for (size_t q = ch->img[k]; q < ch->img[k + 1]; q++) {
        for (int x = 0; x < 6; x++) v[6 * k + (size_t)x] += Rv[8 * q + (size_t)x];
        memset(Rv + 8 * q, 0, 8 * sizeof(double));
    }
}

/* Atom k receives from its own chunk and the chunks on either side (the
 * only ones whose atoms list it or its images), in chunk order. */
static void fold(const eam_chunks *ch, size_t k, double *f, double *v, int vmode)
{
    const int n = ch->n, d = ch->of[k];
    int src[3], m = 0;
    const int lo = (d + n - 1) % n, hi = (d + 1) % n;
    /* ascending, each once (one or two chunks have fewer distinct sides) */
    int cand[3] = {lo, d, hi};
    for (int a = 0; a < 3; a++) {
        int dup = 0;
        for (int b = 0; b < m; b++) dup |= src[b] == cand[a];
        if (!dup) src[m++] = cand[a];
    }
    for (int a = 1; a < m; a++)
        for (int b = a; b > 0 && src[b - 1] > src[b]; b--) {
            const int t = src[b];
            src[b] = src[b - 1];
            src[b - 1] = t;
        }
    for (int a = 0; a < m; a++) take(ch, src[a], k, f, v, vmode);
}

void eam_chunks_run(eam_chunks *ch, const eam_kargs *ka, double *tscratch, int *tiscratch, size_t tcap,
                    double *rho, double *e, double *f, double *v, int vmode)
{
    const size_t nlocal = ch->nlocal, rows = ch->rows;
#pragma omp parallel
    {
        const int tid = omp_get_thread_num();
        double *scratch = tscratch + (size_t)tid * (3 * tcap + 8);
        int *iscratch = tiscratch + (size_t)tid * 2 * (tcap + 16);
#pragma omp single
        am_steal_reset(ch->sched, omp_get_num_threads(), (size_t)ch->n);
        size_t c;
        while (am_steal_next(ch->sched, tid, &c)) {
            eam_scatter sc = {.R = ch->R + 4 * rows * c, .Rv = vmode == 2 ? ch->Rv + 8 * rows * c : NULL};
            eam_pass_one(ka, ch->bound[c], ch->bound[c + 1], scratch, iscratch, tcap, &sc, rho, e, f, v, vmode);
        }
#pragma omp barrier
#pragma omp for schedule(static)
        for (size_t k = 0; k < nlocal; k++) fold(ch, k, f, v, vmode);
    }
}
