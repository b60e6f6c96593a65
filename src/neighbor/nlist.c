#include "amorph/neighbor.h"
#include "core/error.h"
#include "core/simd.h"
#include "core/transpose.h"
#include "core/memory.h"

#include <math.h>
#include <omp.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

/* Bins are at least (cutoff + skin) / BIN_DIV thick, so neighbours of an atom
 * lie within BIN_DIV bins in each direction; 2 balances the number of
 * candidate pairs against bin overhead. */
#define BIN_DIV 2

struct am_nlist {
    double cut, skin;
    size_t nlocal, nall, cap_all;
    double *xw;        /* 4 per entry: x y z type */
    int *src;          /* entry -> system atom index */
    int *owner;        /* entry -> local entry it images (identity for locals) */
    int *img;          /* 3 per entry: lattice vectors from the system position (wrap and image) */
    int maximg;        /* largest |na|+|nb|+|nc| of any entry */
    int imgrange[3];   /* per lattice vector: largest minus smallest count of any entry */
    size_t *first;     /* nlocal + 1 */
    size_t *gfirst;    /* nlocal * nsp + 1: neighbours grouped by species */
    int nsp;
    int *nbr;
    size_t cap_nbr;
    double *xref;      /* 3 per atom, system order: positions at the last build */
    am_box box_ref;
    size_t n_ref;
    long builds;
    int valid;
    /* Rebuild scratch, kept between builds: fresh memory each time cost a
     * fifth of a build in page faults (24 000 atoms). */
    double *sf;        /* 3 per atom: wrapped fractional coordinates */
    int *wrapimg;      /* 3 per atom */
    size_t *abin;      /* per atom */
    size_t cap_atoms;
    size_t *cnt, *pos; /* bins + 1 */
    size_t cap_bins;
    double *rowext;    /* extent of the bins along x, y, z: lo[dim], hi[dim] each */
    int *order;        /* per entry, in bin order */
    size_t *ebin;
    double *bx;        /* 4 per entry, in bin order */
    size_t cap_ent;
    int **tbuf, **ttmp; /* per thread: its atoms' lists, its candidates by species */
    size_t *tcap, *ttcap;
    size_t *tlo, *tlen; /* per thread: its first atom, its lists' length */
    int nthr;
};

am_status am_nlist_create(double cutoff, double skin, am_nlist **out)
{
    *out = NULL;
    if (!(cutoff > 0.0) || !(skin >= 0.0) || !isfinite(cutoff + skin))
        return am_fail(AM_ERR_VALUE, "neighbour list: cutoff %g and skin %g must be positive", cutoff, skin);
    am_nlist *nl = calloc(1, sizeof *nl);
    if (!nl) return am_fail(AM_ERR_NOMEM, "out of memory for a neighbour list");
    nl->cut = cutoff;
    nl->skin = skin;
    *out = nl;
    return AM_OK;
}

void am_nlist_free(am_nlist *nl)
{
    if (!nl) return;
    free(nl->xw); free(nl->src); free(nl->owner); free(nl->img);
    free(nl->first); free(nl->gfirst); free(nl->nbr); free(nl->xref);
    free(nl->sf); free(nl->wrapimg); free(nl->abin); free(nl->cnt); free(nl->pos);
    free(nl->order); free(nl->ebin); free(nl->bx); free(nl->rowext);
    for (int t = 0; t < nl->nthr; t++) { free(nl->tbuf[t]); free(nl->ttmp[t]); }
    free(nl->tbuf); free(nl->ttmp); free(nl->tcap); free(nl->ttcap); free(nl->tlo); free(nl->tlen);
    free(nl);
}

size_t am_nlist_nlocal(const am_nlist *nl) { return nl->nlocal; }
size_t am_nlist_nall(const am_nlist *nl) { return nl->nall; }
const double *am_nlist_positions(const am_nlist *nl) { return nl->xw; }
const int *am_nlist_atom_index(const am_nlist *nl) { return nl->src; }
const int *am_nlist_owner(const am_nlist *nl) { return nl->owner; }
const size_t *am_nlist_first(const am_nlist *nl) { return nl->first; }
const size_t *am_nlist_group_first(const am_nlist *nl) { return nl->gfirst; }
int am_nlist_nspecies(const am_nlist *nl) { return nl->nsp; }
const int *am_nlist_neighbors(const am_nlist *nl) { return nl->nbr; }
long am_nlist_nbuilds(const am_nlist *nl) { return nl->builds; }
void am_nlist_invalidate(am_nlist *nl) { nl->valid = 0; }

static size_t grown(size_t need) { return need + need / 4 + 64; }

/* The build's scratch for n atoms, nall entries and `bins` bins. */
static int reserve_atoms(am_nlist *nl, size_t n)
{
    if (n <= nl->cap_atoms) return 1;
    const size_t c = grown(n);
    if (!am_resize((void **)&nl->sf, 3 * c, sizeof(double)) || !am_resize((void **)&nl->wrapimg, 3 * c, sizeof(int)) ||
        !am_resize((void **)&nl->abin, c, sizeof(size_t)))
        return 0;
    nl->cap_atoms = c;
    return 1;
}

static int reserve_entries(am_nlist *nl, size_t nall)
{
    if (nall <= nl->cap_ent) return 1;
    const size_t c = grown(nall);
    if (!am_resize((void **)&nl->order, c, sizeof(int)) || !am_resize((void **)&nl->ebin, c, sizeof(size_t)) ||
        !am_resize((void **)&nl->bx, 4 * c, sizeof(double)))
        return 0;
    nl->cap_ent = c;
    return 1;
}

static int reserve_bins(am_nlist *nl, size_t bins)
{
    if (bins + 1 <= nl->cap_bins) return 1;
    if (!am_resize((void **)&nl->cnt, bins + 1, sizeof(size_t)) || !am_resize((void **)&nl->pos, bins + 1, sizeof(size_t)))
        return 0;
    nl->cap_bins = bins + 1;
    return 1;
}

static int reserve_threads(am_nlist *nl, int nthreads)
{
    if (nthreads <= nl->nthr) return 1;
    const size_t c = (size_t)nthreads;
    if (!am_resize((void **)&nl->tbuf, c, sizeof(int *)) || !am_resize((void **)&nl->ttmp, c, sizeof(int *)) ||
        !am_resize((void **)&nl->tcap, c, sizeof(size_t)) || !am_resize((void **)&nl->ttcap, c, sizeof(size_t)) ||
        !am_resize((void **)&nl->tlo, c, sizeof(size_t)) || !am_resize((void **)&nl->tlen, c, sizeof(size_t)))
        return 0;
    for (int t = nl->nthr; t < nthreads; t++) {
        nl->tbuf[t] = nl->ttmp[t] = NULL;
        nl->tcap[t] = nl->ttcap[t] = 0;
    }
    nl->nthr = nthreads;
    return 1;
}

static int grow_all(am_nlist *nl, size_t need)
{
    if (need <= nl->cap_all) return 1;
    size_t cap = need + need / 4 + 64;
    double *xw = realloc(nl->xw, 4 * cap * sizeof(double));
    if (xw) nl->xw = xw;
    int *src = realloc(nl->src, cap * sizeof(int));
    if (src) nl->src = src;
    int *owner = realloc(nl->owner, cap * sizeof(int));
    if (owner) nl->owner = owner;
    int *img = realloc(nl->img, 3 * cap * sizeof(int));
    if (img) nl->img = img;
    if (!xw || !src || !owner || !img) return 0;
    nl->cap_all = cap;
    return 1;
}

/* Positions of all entries from the system's positions and the current box:
 * an entry is its atom moved by whole lattice vectors. */
static void refresh_positions(am_nlist *nl, const am_system *s)
{
    const am_box *b = &s->box;
    const double ax = b->len[0], bx = b->tilt[0], by = b->len[1], cx = b->tilt[1], cy = b->tilt[2], cz = b->len[2];
    const size_t nall = nl->nall;
#pragma omp parallel for schedule(static)
    for (size_t k = 0; k < nall; k++) {
        const int i = nl->src[k];
        const double na = nl->img[3 * k], nb = nl->img[3 * k + 1], nc = nl->img[3 * k + 2];
        nl->xw[4 * k] = s->x[i] + na * ax + nb * bx + nc * cx;
        nl->xw[4 * k + 1] = s->y[i] + nb * by + nc * cy;
        nl->xw[4 * k + 2] = s->z[i] + nc * cz;
    }
}

/* A list stays valid while no pair distance can have crossed cutoff + skin
 * since the build. In an orthogonal box whose edges were scaled by m_k
 * (NPT), write each atom's position as the build's carried along with the
 * box, lo + m (x_ref - lo_ref), plus a residual d_i: a pair's vector (image
 * shifts scale with the edges too) is then r' = M r + d_j - d_i, M =
 * diag(m_k), so a pair beyond cutoff + skin at the build is still beyond the
 * cutoff while 2 max|d_i| <= min_k m_k (cutoff + skin) - cutoff. The
 * barostat's own dilation of the positions is then no displacement at all:
 * on the 20 000-atom 5x2x1 slab under NPT at 2 000 K, 19 builds in 300
 * steps against 26 when the dilation counted as displacement and the
 * images' shift (their lattice-vector counts times each edge's change) was
 * charged against the skin. That older bound stays for a triclinic box
 * whose edges change; a change of tilt or periodicity rebuilds. */
static int needs_rebuild(const am_nlist *nl, const am_system *s)
{
    if (!nl->valid || nl->n_ref != s->n) return 1;
    const am_box *b0 = &nl->box_ref, *b = &s->box;
    /* carry: compare with the build's positions carried along with the box */
    double m[3] = {1.0, 1.0, 1.0}, lo[3] = {0, 0, 0}, lo0[3] = {0, 0, 0}, budget = nl->skin;
    int carry = 0;
    if (memcmp(b0, b, sizeof *b) != 0) {
        for (int d = 0; d < 3; d++)
            if (b0->tilt[d] != b->tilt[d] || b0->periodic[d] != b->periodic[d]) return 1;
        if (am_box_is_triclinic(b)) {
            /* the two entries of a pair also move apart by sum_k (n_k -
             * n'_k) dL_k e_k, their lattice-vector counts' difference times
             * each edge's change: at most 2 maximg max_k |dL_k| (LAMMPS's
             * box-change check, extended to several images) and
             * sqrt(sum_k (range_k dL_k)^2), range_k the spread of the counts
             * along k */
            double dl = 0.0, r2 = 0.0;
            for (int d = 0; d < 3; d++) {
                const double dd = fabs(b->len[d] - b0->len[d]), w = nl->imgrange[d] * dd;
                dl = fmax(dl, dd);
                r2 += w * w;
            }
            budget -= fmin(2.0 * nl->maximg * dl, sqrt(r2));
        } else {
            carry = 1;
            double mmin = 1.0;
            for (int d = 0; d < 3; d++) {
                m[d] = b->len[d] / b0->len[d];
                lo[d] = b->lo[d];
                lo0[d] = b0->lo[d];
                mmin = fmin(mmin, m[d]);
            }
            /* less a hair for the rounding of the carried positions */
            const double reach = nl->cut + nl->skin;
            budget = mmin * reach - nl->cut - 1e-9 * reach;
        }
        if (!(budget > 0.0)) return 1;
    }
    const double lim = 0.25 * budget * budget;
    int moved = 0;
#pragma omp parallel for reduction(| : moved) schedule(static)
    for (size_t i = 0; i < s->n; i++) {
        const double *r = nl->xref + 3 * i;
        double dx, dy, dz;
        if (carry) {
            dx = s->x[i] - (lo[0] + m[0] * (r[0] - lo0[0]));
            dy = s->y[i] - (lo[1] + m[1] * (r[1] - lo0[1]));
            dz = s->z[i] - (lo[2] + m[2] * (r[2] - lo0[2]));
        } else {
            dx = s->x[i] - r[0]; dy = s->y[i] - r[1]; dz = s->z[i] - r[2];
        }
        moved |= (dx * dx + dy * dy + dz * dz > lim);
    }
    return moved;
}

/* Bin grid over the fractional range [-margin, 1 + margin) in each direction. */
typedef struct bins {
    int nb[3], lo[3], dim[3]; /* bins per unit cell, first bin index, bins in range */
    double inv[3];            /* bins per unit of fractional coordinate */
    size_t total;
} bins;

static void bins_setup(bins *b, const am_box *box, double rcs, const double margin[3])
{
    double w[3];
    am_box_widths(box, w);
    b->total = 1;
    for (int d = 0; d < 3; d++) {
        int nb = (int)floor(w[d] * BIN_DIV / rcs);
        if (nb < 1) nb = 1;
        if (nb > 1 << 10) nb = 1 << 10;
        b->nb[d] = nb;
        b->inv[d] = nb;
        int ext = (int)ceil(margin[d] * nb) + 1;
        b->lo[d] = -ext;
        b->dim[d] = nb + 2 * ext;
        b->total *= (size_t)b->dim[d];
    }
}

static size_t bin_of(const bins *b, const double s[3])
{
    size_t idx = 0;
    for (int d = 2; d >= 0; d--) {
        int k = (int)floor(s[d] * b->inv[d]) - b->lo[d];
        if (k < 0) k = 0;
        if (k >= b->dim[d]) k = b->dim[d] - 1;
        idx = idx * (size_t)b->dim[d] + (size_t)k;
    }
    return idx;
}

/* Of the entries at bin positions q0..q1-1 of each run (q0, q1) = (runs[2r],
 * runs[2r + 1]), r < nruns (rows bx[4q..4q+3], entry pos[q]), those closer
 * than sqrt(rcs2) to (xi, yi, zi) other than entry self: appends them to the
 * group of their species (group sp: g + sp*cap, holding gm[sp]) in run and
 * bin order; returns how many. Each group needs room for all the runs'
 * entries + 8 more. One call per atom: a run holds some 16 candidates, too
 * few to pay a vector loop's set-up each. */
typedef size_t (*scan_fn)(const double *bx, const int *pos, const size_t *runs, size_t nruns, int self, double xi,
                          double yi, double zi, double rcs2, int nsp, int *g, size_t cap, size_t *gm);

static size_t scan_generic(const double *bx, const int *pos, const size_t *runs, size_t nruns, int self, double xi,
                           double yi, double zi, double rcs2, int nsp, int *g, size_t cap, size_t *gm)
{
    size_t found = 0;
    (void)nsp;
    /* without branches: whether a candidate is inside is random */
    for (size_t r = 0; r < nruns; r++)
        for (size_t q = runs[2 * r]; q < runs[2 * r + 1]; q++) {
            const double dx = bx[4 * q] - xi, dy = bx[4 * q + 1] - yi, dz = bx[4 * q + 2] - zi;
            const int e = pos[q], sp = (int)bx[4 * q + 3];
            const size_t in = (dx * dx + dy * dy + dz * dz < rcs2) & (e != self);
            g[(size_t)sp * cap + gm[sp]] = e;
            gm[sp] += in;
            found += in;
        }
    return found;
}

#ifdef AM_HAVE_V3
/* Lane permutations of 32-bit ints that move the lanes set in a 4-bit mask
 * to the front (AVX2 has no compress). */
static const int nl_keep[16][4] = {{0, 0, 0, 0}, {0, 0, 0, 0}, {1, 0, 0, 0}, {0, 1, 0, 0}, {2, 0, 0, 0}, {0, 2, 0, 0},
                                   {1, 2, 0, 0}, {0, 1, 2, 0}, {3, 0, 0, 0}, {0, 3, 0, 0}, {1, 3, 0, 0}, {0, 1, 3, 0},
                                   {2, 3, 0, 0}, {0, 2, 3, 0}, {1, 2, 3, 0}, {0, 1, 2, 3}};

/* The lanes of e set in a 4-bit mask, moved to the front. */
AM_V3 static inline __m128i keep(__m128i e, int mask)
{
    return _mm_castps_si128(_mm_permutevar_ps(_mm_castsi128_ps(e), _mm_loadu_si128((const __m128i *)nl_keep[mask])));
}

/* scan_generic W candidates at a time: the entries' rows (x y z species)
 * transposed into lanes, the distance as the generic code computes it (no
 * FMA, same order: the same lists), and each species' hits packed to the
 * front and stored whole (the slots past the hits are overwritten later or
 * never read). The last vector of a run may reach past its end: bx and pos
 * have room (grown()), and those lanes are masked off. One body for both
 * widths: the sc<W>_ helpers below give each its instructions. */
#define SCAN_LOOP(W)                                                                                               \
    do {                                                                                                           \
        const sc##W##_d vx = sc##W##_set1(xi), vy = sc##W##_set1(yi), vz = sc##W##_set1(zi);                       \
        const sc##W##_d vr = sc##W##_set1(rcs2), one = sc##W##_set1(1.0);                                          \
        for (size_t r = 0; r < nruns; r++) {                                                                       \
            const size_t q1 = runs[2 * r + 1];                                                                     \
            for (size_t q = runs[2 * r]; q < q1; q += W) {                                                         \
                sc##W##_d c[4];                                                                                    \
                sc##W##_cols(bx + 4 * q, c);                                                                       \
                const sc##W##_d dx = sc##W##_sub(c[0], vx), dy = sc##W##_sub(c[1], vy), dz = sc##W##_sub(c[2], vz); \
                const sc##W##_d d2 =                                                                               \
                    sc##W##_add(sc##W##_add(sc##W##_mul(dx, dx), sc##W##_mul(dy, dy)), sc##W##_mul(dz, dz));      \
                const sc##W##_i e = sc##W##_loadi(pos + q);                                                        \
                unsigned mask = sc##W##_lt(d2, vr) & ~sc##W##_is(e, self);                                         \
                if (q1 - q < W) mask &= (1u << (q1 - q)) - 1;                                                      \
                if (nsp == 2) {                                                                                    \
                    /* the common binary alloy: both groups' counts in registers */                               \
                    const unsigned m1 = mask & sc##W##_eq(c[3], one), m0 = mask & ~m1;                             \
                    sc##W##_pack(g + n0, e, m0);                                                                   \
                    sc##W##_pack(g + cap + n1, e, m1);                                                             \
                    n0 += (size_t)__builtin_popcount(m0);                                                          \
                    n1 += (size_t)__builtin_popcount(m1);                                                          \
                    continue;                                                                                      \
                }                                                                                                  \
                if (!mask) continue;                                                                               \
                found += (size_t)__builtin_popcount(mask);                                                         \
                for (int s = 0; s < nsp; s++) {                                                                    \
                    const unsigned ms = nsp == 1 ? mask : mask & sc##W##_eq(c[3], sc##W##_set1((double)s));        \
                    sc##W##_pack(g + (size_t)s * cap + gm[s], e, ms);                                              \
                    gm[s] += (size_t)__builtin_popcount(ms);                                                       \
                }                                                                                                  \
            }                                                                                                      \
        }                                                                                                          \
    } while (0)

#define SCAN_FN(W, ATTR)                                                                                           \
    ATTR static size_t scan_##W(const double *bx, const int *pos, const size_t *runs, size_t nruns, int self,      \
                                double xi, double yi, double zi, double rcs2, int nsp, int *g, size_t cap,         \
                                size_t *gm)                                                                        \
    {                                                                                                              \
        size_t found = 0, n0 = gm[0], n1 = nsp == 2 ? gm[1] : 0;                                                   \
        SCAN_LOOP(W);                                                                                              \
        if (nsp == 2) {                                                                                            \
            found = n0 + n1 - gm[0] - gm[1];                                                                       \
            gm[0] = n0;                                                                                            \
            gm[1] = n1;                                                                                            \
        }                                                                                                          \
        return found;                                                                                              \
    }

/* AVX2 (x86-64-v3), four candidates: the kept lanes packed by a table
 * permutation (AVX2 has no compress). */
typedef __m256d sc4_d;
typedef __m128i sc4_i;
AM_V3 static inline sc4_d sc4_set1(double v) { return _mm256_set1_pd(v); }
AM_V3 static inline sc4_d sc4_sub(sc4_d a, sc4_d b) { return _mm256_sub_pd(a, b); }
AM_V3 static inline sc4_d sc4_add(sc4_d a, sc4_d b) { return _mm256_add_pd(a, b); }
AM_V3 static inline sc4_d sc4_mul(sc4_d a, sc4_d b) { return _mm256_mul_pd(a, b); }
AM_V3 static inline void sc4_cols(const double *row, sc4_d *c)
{
    transpose4(_mm256_loadu_pd(row), _mm256_loadu_pd(row + 4), _mm256_loadu_pd(row + 8), _mm256_loadu_pd(row + 12),
               c, c + 1, c + 2, c + 3);
}
AM_V3 static inline sc4_i sc4_loadi(const int *p) { return _mm_loadu_si128((const __m128i *)p); }
AM_V3 static inline unsigned sc4_lt(sc4_d a, sc4_d b)
{
    return (unsigned)_mm256_movemask_pd(_mm256_cmp_pd(a, b, _CMP_LT_OQ));
}
AM_V3 static inline unsigned sc4_eq(sc4_d a, sc4_d b)
{
    return (unsigned)_mm256_movemask_pd(_mm256_cmp_pd(a, b, _CMP_EQ_OQ));
}
AM_V3 static inline unsigned sc4_is(sc4_i e, int v)
{
    return (unsigned)_mm_movemask_ps(_mm_castsi128_ps(_mm_cmpeq_epi32(e, _mm_set1_epi32(v))));
}
AM_V3 static inline void sc4_pack(int *p, sc4_i e, unsigned mask)
{
    _mm_storeu_si128((__m128i *)p, keep(e, (int)mask));
}
SCAN_FN(4, AM_V3)
#endif

#ifdef AM_HAVE_V4
/* AVX-512 (x86-64-v4), eight candidates: the kept lanes packed by compress
 * (to a register, then stored whole: compress straight to memory is slow
 * on AMD's cores). */
typedef __m512d sc8_d;
typedef __m256i sc8_i;
AM_V4 static inline sc8_d sc8_set1(double v) { return _mm512_set1_pd(v); }
AM_V4 static inline sc8_d sc8_sub(sc8_d a, sc8_d b) { return _mm512_sub_pd(a, b); }
AM_V4 static inline sc8_d sc8_add(sc8_d a, sc8_d b) { return _mm512_add_pd(a, b); }
AM_V4 static inline sc8_d sc8_mul(sc8_d a, sc8_d b) { return _mm512_mul_pd(a, b); }
AM_V4 static inline void sc8_cols(const double *row, sc8_d *c)
{
    transpose8(halves(row, row + 16), halves(row + 4, row + 20), halves(row + 8, row + 24), halves(row + 12, row + 28),
               c);
}
AM_V4 static inline sc8_i sc8_loadi(const int *p) { return _mm256_loadu_si256((const __m256i *)p); }
AM_V4 static inline unsigned sc8_lt(sc8_d a, sc8_d b) { return _mm512_cmp_pd_mask(a, b, _CMP_LT_OQ); }
AM_V4 static inline unsigned sc8_eq(sc8_d a, sc8_d b) { return _mm512_cmp_pd_mask(a, b, _CMP_EQ_OQ); }
AM_V4 static inline unsigned sc8_is(sc8_i e, int v) { return _mm256_cmpeq_epi32_mask(e, _mm256_set1_epi32(v)); }
AM_V4 static inline void sc8_pack(int *p, sc8_i e, unsigned mask)
{
    _mm256_storeu_si256((__m256i *)p, _mm256_maskz_compress_epi32((__mmask8)mask, e));
}
SCAN_FN(8, AM_V4)
#endif

/* The widest scan the CPU has, unless AMORPH_NO_SIMD=1 or AMORPH_NO_AVX512=1
 * (as the force kernel: the tests cover each; all give the same lists). */
static scan_fn scan_choice(void)
{
    if (!am_simd_allowed()) return scan_generic;
#ifdef AM_HAVE_V4
    if (am_avx512_allowed() && __builtin_cpu_supports("x86-64-v4")) return scan_8;
#endif
#ifdef AM_HAVE_V3
    if (__builtin_cpu_supports("avx2")) return scan_4;
#endif
    return scan_generic;
}

/* Room for need entries in each of the nsp groups of *g (group sp holds
 * gm[sp] entries from sp * *cap on). */
static int grow_groups(int **g, size_t *cap, size_t need, int nsp, const size_t *gm)
{
    const size_t c = 2 * need;
    int *ng = malloc((size_t)nsp * c * sizeof(int));
    if (!ng) return 0;
    for (int sp = 0; sp < nsp; sp++)
        if (gm[sp]) memcpy(ng + (size_t)sp * c, *g + (size_t)sp * *cap, gm[sp] * sizeof(int));
    free(*g);
    *g = ng;
    *cap = c;
    return 1;
}

/* Distance from v to the interval [lo, hi]. */
static inline double gap(double v, double lo, double hi) { return v < lo ? lo - v : v > hi ? v - hi : 0.0; }

/* Whether the copy of an atom at fractional coordinate f, shifted by a
 * along d, lies within the margin of the unit cell. Along a free direction an
 * atom may sit outside the cell and its images across the periodic faces are
 * still needed: only periodic directions are tested. */
static inline int image_in(const am_box *box, int d, double f, int a, double margin)
{
    const double si = f + a;
    return !box->periodic[d] || (si >= -margin && si < 1.0 + margin);
}

/* Folds lattice-vector counts v into the smallest (lo) and largest (hi)
 * seen per direction. */
static inline void img_range(const int *v, int lo[3], int hi[3])
{
    for (int d = 0; d < 3; d++) {
        lo[d] = v[d] < lo[d] ? v[d] : lo[d];
        hi[d] = v[d] > hi[d] ? v[d] : hi[d];
    }
}

/* The images of the atom at wrapped fractional position sf: every shift
 * (a, b, c), not all zero, that passes image_in along each direction (tested
 * one direction at a time, then combined), in the order a, b, c ascending.
 * Returns how many; with img, writes each image's lattice vectors (wrap plus
 * the shift) there, 3 per image. */
static size_t images_of(const am_box *box, const double sf[3], const int nimg[3], const double margin[3],
                        const int wrap[3], int *img)
{
    size_t c = 0;
    for (int a = -nimg[0]; a <= nimg[0]; a++) {
        if (!image_in(box, 0, sf[0], a, margin[0])) continue;
        for (int bb = -nimg[1]; bb <= nimg[1]; bb++) {
            if (!image_in(box, 1, sf[1], bb, margin[1])) continue;
            for (int cc = -nimg[2]; cc <= nimg[2]; cc++) {
                if (!image_in(box, 2, sf[2], cc, margin[2]) || (!a && !bb && !cc)) continue;
                if (img) {
                    img[3 * c] = wrap[0] + a;
                    img[3 * c + 1] = wrap[1] + bb;
                    img[3 * c + 2] = wrap[2] + cc;
                }
                c++;
            }
        }
    }
    return c;
}

static am_status rebuild(am_nlist *nl, const am_system *s)
{
    const am_box *box = &s->box;
    const size_t n = s->n;
    const double rcs = nl->cut + nl->skin, rcs2 = rcs * rcs;
    double w[3], margin[3];
    int nimg[3];
    am_box_widths(box, w);
    for (int d = 0; d < 3; d++) {
        margin[d] = box->periodic[d] ? rcs / w[d] : 0.0;
        nimg[d] = box->periodic[d] ? (int)ceil(margin[d]) : 0;
    }

    /* Fractional coordinates wrapped into [0,1) along periodic directions. */
    if (!reserve_atoms(nl, n) || !am_resize((void **)&nl->xref, 3 * n, sizeof(double)) || !grow_all(nl, n))
        return am_fail(AM_ERR_NOMEM, "out of memory for the neighbour list of %zu atoms", n);
    double *sf = nl->sf;
    int *wrapimg = nl->wrapimg;
    size_t far = SIZE_MAX; /* the first atom too far from the box, if any */
#pragma omp parallel for schedule(static) reduction(min : far)
    for (size_t i = 0; i < n; i++) {
        double r[3] = {s->x[i], s->y[i], s->z[i]};
        am_box_to_frac(box, r, sf + 3 * i);
        for (int d = 0; d < 3; d++) {
            wrapimg[3 * i + d] = 0;
            if (!box->periodic[d]) continue;
            double k = floor(sf[3 * i + d]), f = sf[3 * i + d] - k;
            if (f >= 1.0) { f = 0.0; k += 1.0; }
            if (fabs(k) > 1e6) { if (i < far) far = i; continue; }
            sf[3 * i + d] = f;
            wrapimg[3 * i + d] = -(int)k;
        }
        nl->xref[3 * i] = r[0]; nl->xref[3 * i + 1] = r[1]; nl->xref[3 * i + 2] = r[2];
    }
    if (far != SIZE_MAX) return am_fail(AM_ERR_VALUE, "atom %lld is more than 1e6 cells away from the box", s->id[far]);

    /* Locals sorted by bin so that neighbours are close in memory. */
    bins b;
    bins_setup(&b, box, rcs, margin);
    if (!reserve_bins(nl, b.total)) return am_fail(AM_ERR_NOMEM, "out of memory for bins");
    size_t *cnt = nl->cnt, *abin = nl->abin;
    memset(cnt, 0, (b.total + 1) * sizeof(size_t));
    for (size_t i = 0; i < n; i++) { abin[i] = bin_of(&b, sf + 3 * i); cnt[abin[i] + 1]++; }
    for (size_t k = 0; k < b.total; k++) cnt[k + 1] += cnt[k];
    for (size_t i = 0; i < n; i++) nl->src[cnt[abin[i]]++] = (int)i;

    int maximg = 0, lo[3] = {0, 0, 0}, hi[3] = {0, 0, 0};
#pragma omp parallel for schedule(static) reduction(max : maximg, hi[:3]) reduction(min : lo[:3])
    for (size_t k = 0; k < n; k++) {
        int i = nl->src[k];
        nl->owner[k] = (int)k;
        const int *w = wrapimg + 3 * i;
        for (int d = 0; d < 3; d++) nl->img[3 * k + d] = w[d];
        const int sum = abs(w[0]) + abs(w[1]) + abs(w[2]);
        if (sum > maximg) maximg = sum;
        img_range(w, lo, hi);
    }
    /* Images: every periodic copy whose fractional position lies within the
     * margin of the unit cell is within cutoff + skin of some local atom.
     * Counted per atom first, then written in parallel at their offsets:
     * the same entries in the same order as one serial pass. */
    size_t *nimg_at = nl->abin; /* the bins of the atoms are sorted by now */
#pragma omp parallel for schedule(static)
    for (size_t k = 0; k < n; k++) {
        const size_t i = (size_t)nl->src[k];
        nimg_at[k] = images_of(box, sf + 3 * i, nimg, margin, wrapimg + 3 * i, NULL);
    }
    size_t nall = n;
    for (size_t k = 0; k < n; k++) { const size_t c = nimg_at[k]; nimg_at[k] = nall; nall += c; }
    if (!grow_all(nl, nall)) return am_fail(AM_ERR_NOMEM, "out of memory for periodic images");
#pragma omp parallel for schedule(static) reduction(max : maximg, hi[:3]) reduction(min : lo[:3])
    for (size_t k = 0; k < n; k++) {
        const int i = nl->src[k];
        int *im = nl->img + 3 * nimg_at[k];
        const size_t c = images_of(box, sf + 3 * (size_t)i, nimg, margin, wrapimg + 3 * (size_t)i, im);
        for (size_t q = 0; q < c; q++) {
            nl->src[nimg_at[k] + q] = i;
            nl->owner[nimg_at[k] + q] = (int)k;
            const int sum = abs(im[3 * q]) + abs(im[3 * q + 1]) + abs(im[3 * q + 2]);
            if (sum > maximg) maximg = sum;
            img_range(im + 3 * q, lo, hi);
        }
    }
    nl->maximg = maximg;
    for (int d = 0; d < 3; d++) nl->imgrange[d] = hi[d] - lo[d];
    nl->nlocal = n;
    nl->nall = nall;
    refresh_positions(nl, s);
#pragma omp parallel for schedule(static)
    for (size_t k = 0; k < nall; k++) nl->xw[4 * k + 3] = (double)s->type[nl->src[k]];

    /* Bin every entry (atoms and images) by its fractional position, and
     * copy positions in bin order so the search reads memory in sequence. */
    memset(cnt, 0, (b.total + 1) * sizeof(size_t));
    int nsp = 1;
    for (size_t i = 0; i < n; i++)
        if (s->type[i] + 1 > nsp) nsp = s->type[i] + 1;
    if (nsp > AM_MAX_SPECIES) return am_fail(AM_ERR_VALUE, "neighbour list: species %d beyond %d", nsp - 1, AM_MAX_SPECIES - 1);
    const int nthreads = omp_get_max_threads();
    if (!reserve_entries(nl, nall) || !am_resize((void **)&nl->first, n + 1, sizeof(size_t)) ||
        !am_resize((void **)&nl->gfirst, n * (size_t)nsp + 1, sizeof(size_t)) || !reserve_threads(nl, nthreads))
        return am_fail(AM_ERR_NOMEM, "out of memory for the neighbour list");
    int *order = nl->order;
    size_t *ebin = nl->ebin, *gf = nl->gfirst;
    double *bx = nl->bx;
    nl->nsp = nsp;
#pragma omp parallel for schedule(static)
    for (size_t k = 0; k < nall; k++) {
        double sk[3];
        am_box_to_frac(box, nl->xw + 4 * k, sk);
        ebin[k] = bin_of(&b, sk);
    }
    for (size_t k = 0; k < nall; k++) cnt[ebin[k] + 1]++;
    for (size_t k = 0; k < b.total; k++) cnt[k + 1] += cnt[k];
    {
        size_t *pos = nl->pos;
        memcpy(pos, cnt, (b.total + 1) * sizeof(size_t));
        for (size_t k = 0; k < nall; k++) order[pos[ebin[k]]++] = (int)k;
    }
    const double *xw = nl->xw;
    const int ortho = !am_box_is_triclinic(box);
#pragma omp parallel for schedule(static)
    for (size_t q = 0; q < nall; q++) memcpy(bx + 4 * q, xw + 4 * (size_t)order[q], 4 * sizeof(double));
    /* defined values where the vector scan reads past the last entry (up
     * to 7 entries: grown() leaves room) */
    memset(bx + 4 * nall, 0, 32 * sizeof(double));
    memset(order + nall, 0, 8 * sizeof(int));
    /* Cartesian extent of the bins along x, y and z (orthogonal boxes),
     * widened by far more than the rounding of the binning (so an entry is
     * always inside its bin's extent): the first and last bins also hold
     * whatever the clamping put there. */
    const double eps = 1e-9 * rcs;
    if (!am_resize((void **)&nl->rowext, 2 * (size_t)(b.dim[0] + b.dim[1] + b.dim[2]), sizeof(double)))
        return am_fail(AM_ERR_NOMEM, "out of memory for bins");
    const double *xlo = nl->rowext, *xhi = xlo + b.dim[0], *ylo = xhi + b.dim[0], *yhi = ylo + b.dim[1];
    const double *zlo = yhi + b.dim[1], *zhi = zlo + b.dim[2];
    if (ortho)
        for (int d = 0; d < 3; d++) {
            double *lo = nl->rowext + 2 * (size_t)(d == 0 ? 0 : d == 1 ? b.dim[0] : b.dim[0] + b.dim[1]), *hi = lo + b.dim[d];
            for (int k = 0; k < b.dim[d]; k++) {
                lo[k] = k == 0 ? -INFINITY : box->lo[d] + box->len[d] * (double)(k + b.lo[d]) / b.inv[d] - eps;
                hi[k] = k == b.dim[d] - 1 ? INFINITY
                                          : box->lo[d] + box->len[d] * (double)(k + 1 + b.lo[d]) / b.inv[d] + eps;
            }
        }

    /* One pass: each thread takes a contiguous range of atoms (static
     * schedule) and appends their lists, grouped by species and in bin order,
     * to its own buffer; the buffers are then laid end to end. The result
     * does not depend on the number of threads. */
    const int span = BIN_DIV;
    int fail = 0;
    size_t *tlo = nl->tlo, *tlen = nl->tlen;
    /* inside another parallel region the team may be smaller than asked */
    memset(tlen, 0, (size_t)nthreads * sizeof(size_t));
    const scan_fn scan = scan_choice();
#pragma omp parallel num_threads(nthreads) reduction(| : fail)
    {
        const int tid = omp_get_thread_num();
        size_t len = 0, lo = (size_t)-1;
        int *buf = nl->tbuf[tid], *tmp = nl->ttmp[tid];
        /* ttcap counts the whole buffer; nsp may differ between builds */
        size_t cap = nl->tcap[tid], tcap = nl->ttcap[tid] / (size_t)nsp;
#pragma omp for schedule(static)
        for (size_t i = 0; i < n; i++) {
            if (fail) continue;
            if (lo == (size_t)-1) lo = i;
            size_t rest = ebin[i];
            int c[3];
            for (int d = 0; d < 3; d++) { c[d] = (int)(rest % (size_t)b.dim[d]); rest /= (size_t)b.dim[d]; }
            const double xi = xw[4 * i], yi = xw[4 * i + 1], zi = xw[4 * i + 2];
            /* candidates go straight to one group per species (tmp holds nsp
             * groups of tcap), each in bin order */
            size_t gm[AM_MAX_SPECIES] = {0}, runs[2 * (2 * BIN_DIV + 1) * (2 * BIN_DIV + 1)], nruns = 0, ncand = 0;
            const int x0 = c[0] - span < 0 ? 0 : c[0] - span;
            const int x1 = c[0] + span >= b.dim[0] ? b.dim[0] - 1 : c[0] + span;
            for (int cz = c[2] - span; cz <= c[2] + span; cz++) {
                if (cz < 0 || cz >= b.dim[2]) continue;
                const double dz = ortho ? gap(zi, zlo[cz], zhi[cz]) : 0.0;
                for (int cy = c[1] - span; cy <= c[1] + span; cy++) {
                    if (cy < 0 || cy >= b.dim[1]) continue;
                    /* bins along x are consecutive: one run of entries */
                    const size_t row = ((size_t)cz * (size_t)b.dim[1] + (size_t)cy) * (size_t)b.dim[0];
                    int bx0 = x0, bx1 = x1;
                    if (ortho) {
                        /* only the bins of the run within reach of the atom,
                         * given how far the row is in y and z; the margins
                         * keep the choice conservative (the distance test
                         * decides). Fewer bins, same order of entries. */
                        const double dy = gap(yi, ylo[cy], yhi[cy]), h2 = rcs2 - dy * dy - dz * dz;
                        if (h2 <= 0.0) continue;
                        const double h = sqrt(h2) + eps;
                        while (bx0 < bx1 && xhi[bx0] < xi - h) bx0++;
                        while (bx1 > bx0 && xlo[bx1] > xi + h) bx1--;
                    }
                    const size_t q0 = cnt[row + (size_t)bx0], q1 = cnt[row + (size_t)bx1 + 1];
                    if (q1 > q0) {
                        runs[2 * nruns] = q0;
                        runs[2 * nruns + 1] = q1;
                        nruns++;
                        ncand += q1 - q0;
                    }
                }
            }
            if (ncand + 8 > tcap && !grow_groups(&tmp, &tcap, ncand + 8, nsp, gm)) { fail = 1; continue; }
            const size_t m = scan(bx, order, runs, nruns, (int)i, xi, yi, zi, rcs2, nsp, tmp, tcap, gm);
            if (len + m > cap) {
                if (!am_resize((void **)&buf, 2 * (len + m), sizeof(int))) { fail = 1; continue; }
                cap = 2 * (len + m);
            }
            for (int sp = 0; sp < nsp; sp++) {
                gf[i * (size_t)nsp + sp] = gm[sp]; /* counts for now */
                memcpy(buf + len, tmp + (size_t)sp * tcap, gm[sp] * sizeof(int));
                len += gm[sp];
            }
        }
        nl->tbuf[tid] = buf;
        nl->ttmp[tid] = tmp;
        nl->tcap[tid] = cap;
        nl->ttcap[tid] = tcap * (size_t)nsp;
        tlen[tid] = len;
        tlo[tid] = lo;
    }
    if (!fail) {
        size_t total = 0;
        for (size_t g = 0; g < n * (size_t)nsp; g++) { size_t c = gf[g]; gf[g] = total; total += c; }
        gf[n * (size_t)nsp] = total;
        for (size_t i = 0; i <= n; i++) nl->first[i] = gf[i * (size_t)nsp];
        /* one thread's buffer is the whole list (as on one thread): it
         * becomes the list, and the list's memory that thread's next buffer,
         * instead of a copy of several MB */
        for (int t = 0; t < nthreads && total > 0; t++)
            if (tlen[t] == total && nl->tcap[t] > total) {
                int *old = nl->nbr;
                const size_t oldcap = nl->cap_nbr;
                nl->nbr = nl->tbuf[t];
                nl->cap_nbr = nl->tcap[t];
                nl->tbuf[t] = old;
                nl->tcap[t] = oldcap;
                tlen[t] = 0;
                break;
            }
        if (total + 1 > nl->cap_nbr) {
            if (am_resize((void **)&nl->nbr, total + 1, sizeof(int))) nl->cap_nbr = total + 1;
            else fail = 1;
        }
        if (!fail) {
            /* each thread lays its own buffer (several MB) into place */
#pragma omp parallel for schedule(static) num_threads(nthreads)
            for (int t = 0; t < nthreads; t++)
                if (tlen[t]) memcpy(nl->nbr + nl->first[tlo[t]], nl->tbuf[t], tlen[t] * sizeof(int));
        }
    }
    if (fail) return am_fail(AM_ERR_NOMEM, "out of memory for the neighbour list");
    nl->box_ref = s->box;
    nl->n_ref = n;
    nl->valid = 1;
    nl->builds++;
    return AM_OK;
}

am_status am_nlist_update(am_nlist *nl, const am_system *s, int *rebuilt)
{
    if (rebuilt) *rebuilt = 0;
    if (s->n > (size_t)INT32_MAX / 64)
        return am_fail(AM_ERR_VALUE, "neighbour list: %zu atoms is more than supported", s->n);
    if (needs_rebuild(nl, s)) {
        if (rebuilt) *rebuilt = 1;
        nl->valid = 0;
        return rebuild(nl, s);
    }
    refresh_positions(nl, s);
    return AM_OK;
}
