#include "potential/eam_kernel.h"
#include "amorph/system.h"
#include "core/simd.h"
#include "core/transpose.h"

#include <math.h>
#include <stdlib.h>
#ifdef __SSE2__
#include <emmintrin.h>
#endif

/* This file is compiled with -ffp-contract=fast: the x86-64-v3 versions use
 * FMA. They therefore differ from the generic ones in the last bits (results
 * can differ between CPUs), while on one machine they remain independent of
 * the thread count: every sum runs over one atom's list in a fixed order. */
#ifdef AM_HAVE_V3
#include <immintrin.h>
#endif

/* List entry q, of the 32-bit or (W16) the 16-bit lists (eam_kernel.h):
 * W16 is a constant of each instance of the passes. */
#define NBR(a, w16, q) ((w16) ? (int)(a)->nbr16[q] : (a)->nbr[q])
#define NBR_PTR(a, w16, q) ((w16) ? (const void *)((a)->nbr16 + (q)) : (const void *)((a)->nbr + (q)))

/* Scratch of pass 1, three arrays of cap entries (eam_kernel.h), in pair
 * order: w0 holds r^2, then 1/r, then A = rho'_{j->i}/r; w1 the fraction p,
 * then B = rho'_{i->j}/r; w2 C = phi'/r. */

/* Table cubic of row c at fraction p (LAMMPS's value coefficients 3..6)
 * and its derivative per unit r. */
#define CUBIC(c, p) (((c)[0] * (p) + (c)[1]) * (p) + (c)[2]) * (p) + (c)[3]
#define DCUBIC(c, p, rdr) (((3.0 * (c)[0] * (p) + 2.0 * (c)[1]) * (p) + (c)[2]) * (rdr))

/* The coefficients of the cubic piece from grid point m to m+1 of a
 * function whose value and slope are f0, s0 at m and f1, s1 at m+1, as
 * LAMMPS's interpolate() computes them (spline columns 3..6): 3d as
 * 2d + d and 2 s0 as s0 + s0 are exact, so additions alone give the same
 * bits and leave nothing for FMA contraction to change. */
#define COEFS(T, ADD, SUB, f0, s0, f1, s1, k)                                                                  \
    do {                                                                                                       \
        const T d_ = SUB(f1, f0), d2_ = ADD(d_, d_);                                                           \
        (k)[0] = SUB(ADD(s0, s1), d2_);                                                                        \
        (k)[1] = SUB(SUB(ADD(d2_, d_), ADD(s0, s0)), s1);                                                      \
        (k)[2] = s0;                                                                                           \
        (k)[3] = f0;                                                                                           \
    } while (0)
#define SADD(a, b) ((a) + (b))
#define SSUB(a, b) ((a) - (b))

/* The cubic of the function at offset o of grid row c (the next row L
 * doubles on). */
static inline void coefs_scalar(const double *c, int L, int o, double k[4])
{
    COEFS(double, SADD, SSUB, c[o], c[o + 1], c[L + o], c[L + o + 1], k);
}

/* Pairs k..n-1 of one species group, one at a time. */
static inline __attribute__((always_inline)) void rows_scalar(const eam_pairtab *t, const int *toff, double *w0,
                                                               double *w1, double *w2, size_t k, size_t n,
                                                               double rdr, double *rho_acc, double *ephi_acc)
{
    const double *base = t->base;
    const int oj = t->oj, oi = t->oi, L = t->stride;
    double rho = 0.0, ephi = 0.0;
    for (; k < n; k++) {
        const double recip = w0[k], p = w1[k];
        const double *c = base + toff[k];
        double cj[4], cz[4];
        coefs_scalar(c, L, oj, cj);
        coefs_scalar(c, L, 2, cz);
        rho += CUBIC(cj, p);
        const double z2 = CUBIC(cz, p), z2p = DCUBIC(cz, p, rdr);
        const double phi = z2 * recip;
        ephi += phi;
        w0[k] = DCUBIC(cj, p, rdr) * recip;
        /* same species: rho_{j->i} = rho_{i->j}, one cubic fewer */
        if (oj == oi) {
            w1[k] = w0[k];
        } else {
            double ci[4];
            coefs_scalar(c, L, oi, ci);
            w1[k] = DCUBIC(ci, p, rdr) * recip;
        }
        w2[k] = (z2p * recip - phi * recip) * recip;
    }
    *rho_acc += rho;
    *ephi_acc += ephi;
}

#ifdef AM_HAVE_V3
AM_V3 static inline double hsum(__m256d v)
{
    const __m128d s = _mm_add_pd(_mm256_castpd256_pd128(v), _mm256_extractf128_pd(v, 1));
    return _mm_cvtsd_f64(_mm_add_sd(s, _mm_unpackhi_pd(s, s)));
}

/* The four doubles at offset o of the grid rows of four pairs, as four
 * columns: one 32-byte load per pair, and a transpose instead of gathers
 * (slow on the CPUs this targets) puts the pairs in lanes. */
AM_V3 static inline void columns4(const double *const c[4], int o, __m256d *a)
{
    transpose4(_mm256_loadu_pd(c[0] + o), _mm256_loadu_pd(c[1] + o), _mm256_loadu_pd(c[2] + o),
               _mm256_loadu_pd(c[3] + o), a, a + 1, a + 2, a + 3);
}

/* A vector operation on doubles at register width B (256 or 512 bits). */
#define VOP(B, op) _mm##B##_##op##_pd
/* The cubic of coefficient columns a at fractions p, and its derivative
 * per unit r, as CUBIC and DCUBIC with each pair in a lane. */
#define VCUBIC(B, a, p) VOP(B, fmadd)(VOP(B, fmadd)(VOP(B, fmadd)((a)[0], p, (a)[1]), p, (a)[2]), p, (a)[3])
#define VDCUBIC(B, a, p, rdr)                                                                                  \
    VOP(B, mul)(VOP(B, fmadd)(VOP(B, fmadd)(VOP(B, mul)(VOP(B, set1)(3.0), (a)[0]), p,                          \
                                            VOP(B, mul)(VOP(B, set1)(2.0), (a)[1])),                           \
                              p, (a)[2]),                                                                      \
                rdr)

/* The table loop of rows_scalar with each pair in a lane, one body for
 * both vector widths: B bits (V the register type), W lanes, COLUMNS(c, o,
 * a) the columns of the four doubles at offset o of rows c[0..W-1], SUM the
 * sum of a register's lanes. L (the table's stride), OJ and OI are
 * constants, so that the columns of grid points m and m+1 (2L of them, v)
 * stay in registers. Pairs k.. while W are left. */
#define VREG256 __m256d
#define VREG512 __m512d
#define VADD256(a, b) _mm256_add_pd(a, b)
#define VSUB256(a, b) _mm256_sub_pd(a, b)
#define VADD512(a, b) _mm512_add_pd(a, b)
#define VSUB512(a, b) _mm512_sub_pd(a, b)
#define VCOEFS(B, v, L, o, k)                                                                                  \
    COEFS(VREG##B, VADD##B, VSUB##B, (v)[o], (v)[(o) + 1], (v)[(L) + (o)], (v)[(L) + (o) + 1], k)
/* Per width: the loop over pairs, and the loads, stores and sums in it.
 * AVX2 stops before the last W - 1 pairs (rows_v3 leaves them to the
 * scalar loop); AVX-512 runs the last partial group of lanes under a mask,
 * its idle lanes reading the rows of the toff past the group's end (the
 * next group's pairs', or row 0: atom_rows). */
#define ROWS_FOR256 for (; k + 4 <= n; k += 4)
/* A pair's row from its toff: AVX2 has its offset in the table, AVX-512
 * its grid interval (atom_rows). */
#define ROW256(t, L) (t)
#define ROW512(t, L) (size_t)(t) * (L)
#define ROWS_LANES256(k)
#define LD256(p) _mm256_loadu_pd(p)
#define ST256(p, x) _mm256_storeu_pd(p, x)
#define ACC256(acc, x) _mm256_add_pd(acc, x)
#define ROWS_FOR512 for (; k < n; k += 8)
#define ROWS_LANES512(k) const __mmask8 lanes = n - (k) >= 8 ? (__mmask8)0xff : (__mmask8)((1u << (n - (k))) - 1);
#define LD512(p) _mm512_maskz_loadu_pd(lanes, p)
#define ST512(p, x) _mm512_mask_storeu_pd(p, lanes, x)
#define ACC512(acc, x) _mm512_mask_add_pd(acc, lanes, acc, x)
#define ROWS_BODY(B, V, W, COLUMNS, L, OJ, OI)                                                                 \
    ROWS_FOR##B {                                                                                              \
        ROWS_LANES##B(k)                                                                                       \
        const double *c[W];                                                                                    \
        for (int l = 0; l < W; l++) c[l] = base + ROW##B(toff[k + l], L);                                      \
        const V recip = LD##B(w0 + k), p = LD##B(w1 + k);                                                      \
        V v[2 * (L)], cj[4], cz[4];                                                                            \
        for (int h = 0; h < (L) / 2; h++) COLUMNS(c, 4 * h, v + 4 * h);                                        \
        VCOEFS(B, v, L, OJ, cj);                                                                               \
        VCOEFS(B, v, L, 2, cz);                                                                                \
        vrho = ACC##B(vrho, VCUBIC(B, cj, p));                                                                 \
        const V z2 = VCUBIC(B, cz, p), z2p = VDCUBIC(B, cz, p, vrdr);                                          \
        const V phi = VOP(B, mul)(z2, recip);                                                                  \
        vphi = ACC##B(vphi, phi);                                                                              \
        const V a = VOP(B, mul)(VDCUBIC(B, cj, p, vrdr), recip);                                               \
        ST##B(w0 + k, a);                                                                                      \
        if ((OJ) == (OI)) {                                                                                    \
            ST##B(w1 + k, a);                                                                                  \
        } else {                                                                                               \
            V ci[4];                                                                                           \
            VCOEFS(B, v, L, OI, ci);                                                                           \
            ST##B(w1 + k, VOP(B, mul)(VDCUBIC(B, ci, p, vrdr), recip));                                        \
        }                                                                                                      \
        ST##B(w2 + k, VOP(B, mul)(VOP(B, fmsub)(z2p, recip, VOP(B, mul)(phi, recip)), recip));                 \
    }
/* One body per table layout: one species (stride 4), or two, seen from
 * either side (stride 6, the densities at offsets 0 and 4). */
#define ROWS_LOOP(B, V, W, COLUMNS, SUM)                                                                       \
    do {                                                                                                       \
        const double *base = t->base;                                                                          \
        const V vrdr = VOP(B, set1)(rdr);                                                                      \
        V vrho = VOP(B, setzero)(), vphi = vrho;                                                               \
        if (t->stride == 4) ROWS_BODY(B, V, W, COLUMNS, 4, 0, 0)                                               \
        else if (t->oj == 0) ROWS_BODY(B, V, W, COLUMNS, 6, 0, 4)                                              \
        else ROWS_BODY(B, V, W, COLUMNS, 6, 4, 0)                                                              \
        *rho_acc += SUM(vrho);                                                                                 \
        *ephi_acc += SUM(vphi);                                                                                \
    } while (0)

/* The table work of a group four pairs at a time; the remainder one by
 * one. */
AM_V3 static inline void rows_v3(const eam_pairtab *t, const int *toff, double *w0, double *w1, double *w2,
                                 size_t k, size_t n, double rdr, double *rho_acc, double *ephi_acc)
{
    ROWS_LOOP(256, __m256d, 4, columns4, hsum);
    rows_scalar(t, toff, w0, w1, w2, k, n, rdr, rho_acc, ephi_acc);
}
#endif

#ifdef AM_HAVE_V4
AM_V4 static inline void columns8(const double *const c[8], int o, __m512d *a)
{
    transpose8(halves(c[0] + o, c[4] + o), halves(c[1] + o, c[5] + o), halves(c[2] + o, c[6] + o),
               halves(c[3] + o, c[7] + o), a);
}

/* The table work eight pairs at a time, the last ones under a mask (each
 * pair's arithmetic that of rows_v3; the sums' order is not). */
AM_V4 static inline void rows_v4(const eam_pairtab *t, const int *toff, double *w0, double *w1, double *w2,
                                 size_t k, size_t n, double rdr, double *rho_acc, double *ephi_acc)
{
    ROWS_LOOP(512, __m512d, 8, columns8, _mm512_reduce_add_pd);
}
#endif

#ifdef AM_HAVE_V3
/* The skin list is read once per call, in sequence, 1 KB ahead of the
 * compaction by software: on the 20 000-atom glass (a 12 MB list) that took
 * 2-6 % off a one-thread force call (medians of four pinned series), 1-5 %
 * at 2 000 atoms, where the hardware's own prefetch alone left the loads
 * waiting (T0 instead of NTA, 512 B or 2 KB ahead: the same within 2 %;
 * prefetching the neighbours' positions or the pair store instead: no
 * gain). Results are unchanged. */
#define LIST_PREFETCH(p) _mm_prefetch((const char *)(p) + 1024, _MM_HINT_NTA)

/* Lane permutations that move the lanes set in a 4-bit mask to the front:
 * for doubles as pairs of 32-bit lanes, and for 32-bit ints. */
static const int keep_d[16][8] = {
    {0, 1, 0, 1, 0, 1, 0, 1}, {0, 1, 0, 1, 0, 1, 0, 1}, {2, 3, 0, 1, 0, 1, 0, 1}, {0, 1, 2, 3, 0, 1, 0, 1},
    {4, 5, 0, 1, 0, 1, 0, 1}, {0, 1, 4, 5, 0, 1, 0, 1}, {2, 3, 4, 5, 0, 1, 0, 1}, {0, 1, 2, 3, 4, 5, 0, 1},
    {6, 7, 0, 1, 0, 1, 0, 1}, {0, 1, 6, 7, 0, 1, 0, 1}, {2, 3, 6, 7, 0, 1, 0, 1}, {0, 1, 2, 3, 6, 7, 0, 1},
    {4, 5, 6, 7, 0, 1, 0, 1}, {0, 1, 4, 5, 6, 7, 0, 1}, {2, 3, 4, 5, 6, 7, 0, 1}, {0, 1, 2, 3, 4, 5, 6, 7}};
static const int keep_i[16][4] = {{0, 0, 0, 0}, {0, 0, 0, 0}, {1, 0, 0, 0}, {0, 1, 0, 0}, {2, 0, 0, 0}, {0, 2, 0, 0},
                                  {1, 2, 0, 0}, {0, 1, 2, 0}, {3, 0, 0, 0}, {0, 3, 0, 0}, {1, 3, 0, 0}, {0, 1, 3, 0},
                                  {2, 3, 0, 0}, {0, 2, 3, 0}, {1, 2, 3, 0}, {0, 1, 2, 3}};

/* The cutoff compaction four list entries at a time: distances in lanes,
 * and the kept lanes packed to the front by a table permutation (AVX2 has
 * no compress). Whole vectors are stored at slot n: the slots written past
 * the kept ones are overwritten later, and never reach beyond the entries
 * already read, so never beyond this atom's part of pj. Returns the entry
 * where the one-by-one remainder starts; *n advances. */
AM_V3 static inline size_t compact_v3(const eam_kargs *a, int w16, size_t q, size_t g1, double xi, double yi,
                                      double zi, int *pj, double *w0, size_t *n)
{
    const double *xw = a->xw;
    const __m256d vxi = _mm256_set1_pd(xi), vyi = _mm256_set1_pd(yi), vzi = _mm256_set1_pd(zi);
    const __m256d vcut = _mm256_set1_pd(a->cutsq);
    size_t m = *n;
    for (; q + 4 <= g1; q += 4) {
        LIST_PREFETCH(NBR_PTR(a, w16, q));
        const __m128i jv = w16 ? _mm_cvtepu16_epi32(_mm_loadl_epi64((const __m128i *)(a->nbr16 + q)))
                               : _mm_loadu_si128((const __m128i *)(a->nbr + q));
        size_t j[4];
        for (int l = 0; l < 4; l++) j[l] = 4 * (size_t)NBR(a, w16, q + (size_t)l);
        __m256d x, y, z, unused;
        transpose4(_mm256_loadu_pd(xw + j[0]), _mm256_loadu_pd(xw + j[1]), _mm256_loadu_pd(xw + j[2]),
                   _mm256_loadu_pd(xw + j[3]), &x, &y, &z, &unused);
        const __m256d dx = _mm256_sub_pd(vxi, x), dy = _mm256_sub_pd(vyi, y), dz = _mm256_sub_pd(vzi, z);
        const __m256d rsq = _mm256_fmadd_pd(dz, dz, _mm256_fmadd_pd(dy, dy, _mm256_mul_pd(dx, dx)));
        const int mask = _mm256_movemask_pd(_mm256_cmp_pd(rsq, vcut, _CMP_LT_OQ));
        const __m256i pd = _mm256_loadu_si256((const __m256i *)keep_d[mask]);
        const __m128i pi = _mm_loadu_si128((const __m128i *)keep_i[mask]);
        _mm256_storeu_pd(w0 + m, _mm256_castps_pd(_mm256_permutevar8x32_ps(_mm256_castpd_ps(rsq), pd)));
        _mm_storeu_si128((__m128i *)(pj + m), _mm_castps_si128(_mm_permutevar_ps(_mm_castsi128_ps(jv), pi)));
        m += (size_t)__builtin_popcount((unsigned)mask);
    }
    *n = m;
    return q;
}
#endif

#ifdef AM_HAVE_V4
/* Where each species group starts among the kept pairs: start[b] counts
 * the kept entries before list entry g[b]. A vector of W entries from q
 * on with kept lanes mask sets the starts of the groups that begin inside
 * it; b is the next group to place, and the next after them is returned
 * (a value, not a pointer the entries' stores could alias). */
static inline int group_starts(const size_t *g, int nsp, size_t q, int w, unsigned mask, size_t m, int b,
                               size_t *start)
{
    for (; b <= nsp && g[b] < q + (size_t)w; b++)
        start[b] = m + (size_t)__builtin_popcount(mask & ((1u << (g[b] - q)) - 1u));
    return b;
}

/* Eight entries jv (row offsets 4 jv in j) whose lanes live may be kept:
 * their squared distances compressed to w0 + m and their entries to pj +
 * m, both stored whole; returns the kept lanes. */
AM_V4 static inline unsigned compact8(const double *xw, __m256i jv, const size_t *j, __mmask8 live, __m512d vxi,
                                      __m512d vyi, __m512d vzi, __m512d vcut, int *pj, double *w0, size_t m)
{
    __m512d c[4];
    transpose8(halves(xw + j[0], xw + j[4]), halves(xw + j[1], xw + j[5]), halves(xw + j[2], xw + j[6]),
               halves(xw + j[3], xw + j[7]), c);
    const __m512d dx = _mm512_sub_pd(vxi, c[0]), dy = _mm512_sub_pd(vyi, c[1]), dz = _mm512_sub_pd(vzi, c[2]);
    const __m512d rsq = _mm512_fmadd_pd(dz, dz, _mm512_fmadd_pd(dy, dy, _mm512_mul_pd(dx, dx)));
    const __mmask8 mask = _mm512_mask_cmp_pd_mask(live, rsq, vcut, _CMP_LT_OQ);
    _mm512_storeu_pd(w0 + m, _mm512_maskz_compress_pd(mask, rsq));
    _mm256_storeu_si256((__m256i *)(pj + m), _mm256_maskz_compress_epi32(mask, jv));
    return mask;
}

/* compact_v3 eight entries at a time, with AVX-512's compress (to a
 * register, then stored whole: compress straight to memory is slow on AMD's
 * cores) instead of the permutation table; and over all of an atom's
 * groups at once, the last entries under a mask (their idle lanes read row
 * 0): one partial vector per atom, no remainder one by one (20 000-atom
 * force call 2 % faster than a pass per group). */
AM_V4 static inline size_t compact_v4(const eam_kargs *a, int w16, const size_t *g, int nsp, double xi, double yi,
                                      double zi, int *pj, double *w0, size_t *start)
{
    const double *xw = a->xw;
    const __m512d vxi = _mm512_set1_pd(xi), vyi = _mm512_set1_pd(yi), vzi = _mm512_set1_pd(zi);
    const __m512d vcut = _mm512_set1_pd(a->cutsq);
    const size_t end = g[nsp];
    size_t m = 0, j[8], q = g[0];
    int bb = 0;
    for (; q + 8 <= end; q += 8) {
        LIST_PREFETCH(NBR_PTR(a, w16, q));
        const __m256i jv = w16 ? _mm256_cvtepu16_epi32(_mm_loadu_si128((const __m128i *)(a->nbr16 + q)))
                               : _mm256_loadu_si256((const __m256i *)(a->nbr + q));
        for (int l = 0; l < 8; l++) j[l] = 4 * (size_t)NBR(a, w16, q + (size_t)l);
        const unsigned mask = compact8(xw, jv, j, 0xff, vxi, vyi, vzi, vcut, pj, w0, m);
        bb = group_starts(g, nsp, q, 8, mask, m, bb, start);
        m += (size_t)__builtin_popcount(mask);
    }
    if (q < end) {
        const size_t live = end - q;
        int ji[8];
        for (size_t l = 0; l < 8; l++) {
            ji[l] = l < live ? NBR(a, w16, q + l) : 0;
            j[l] = 4 * (size_t)ji[l];
        }
        const unsigned mask = compact8(xw, _mm256_loadu_si256((const __m256i *)ji), j, (__mmask8)((1u << live) - 1),
                                       vxi, vyi, vzi, vcut, pj, w0, m);
        bb = group_starts(g, nsp, q, 8, mask, m, bb, start);
        m += (size_t)__builtin_popcount(mask);
    }
    for (; bb <= nsp; bb++) start[bb] = m;
    return m;
}
#endif

#ifdef AM_HAVE_V4
/* The loop of atom_rows for all n pairs of an atom at once, eight at a
 * time and the last ones under a mask (the same operations, so the same
 * bits), toff the grid interval m - 1 itself (rows_v4 scales it by its
 * table's stride): one partial vector per atom instead of one per group
 * and a remainder one by one (20 000-atom force call 4 % faster than the
 * compiler's loop per group, and than this loop per group). */
AM_V4 static inline void grid_v4(double *w0, double *w1, int *toff, size_t n, double rdr, int mmax)
{
    const __m512d vrdr = _mm512_set1_pd(rdr), one = _mm512_set1_pd(1.0);
    const __m256i vmax = _mm256_set1_epi32(mmax), ione = _mm256_set1_epi32(1);
    for (size_t k = 0; k < n; k += 8) {
        const __mmask8 lanes = n - k >= 8 ? (__mmask8)0xff : (__mmask8)((1u << (n - k)) - 1);
        const __m512d r = _mm512_sqrt_pd(_mm512_maskz_loadu_pd(lanes, w0 + k));
        const __m512d p = _mm512_fmadd_pd(r, vrdr, one);
        const __m256i m = _mm256_min_epi32(_mm512_cvttpd_epi32(p), vmax);
        _mm256_mask_storeu_epi32(toff + k, lanes, _mm256_sub_epi32(m, ione));
        _mm512_mask_storeu_pd(w0 + k, lanes, _mm512_div_pd(one, r));
        _mm512_mask_storeu_pd(w1 + k, lanes, _mm512_min_pd(_mm512_sub_pd(p, _mm512_cvtepi32_pd(m)), one));
    }
}
#endif

/* Atom i's list entries g[0] .. g[nsp]-1 inside the cutoff, in list order:
 * their entries to pj and squared distances to w0; start[b] (nsp + 1 of
 * them) where species group b starts among them. Returns the pairs kept. */
static inline __attribute__((always_inline)) size_t compact_atom(const eam_kargs *a, const size_t *g, double xi,
                                                                 double yi, double zi, int *pj, double *w0,
                                                                 size_t *start, int lvl, int w16)
{
    const double *xw = a->xw;
    const double cutsq = a->cutsq;
    const int nsp = a->nsp;
#ifdef AM_HAVE_V4
    if (lvl >= 2) return compact_v4(a, w16, g, nsp, xi, yi, zi, pj, w0, start);
#endif
    size_t n = 0;
    /* group by group (AVX2: one pass over the whole list, as AVX-512's,
     * was 5 % slower on the Zen 5) */
    for (int b = 0; b < nsp; b++) {
        size_t q = g[b];
        start[b] = n;
#ifdef AM_HAVE_V3
        if (lvl >= 1) q = compact_v3(a, w16, q, g[b + 1], xi, yi, zi, pj, w0, &n);
#endif
        /* Keep the neighbours inside the cutoff without branching: whether
         * a skin-list entry is inside is random, and a mispredicted branch
         * costs more than the test. */
        for (; q < g[b + 1]; q++) {
            const int j = NBR(a, w16, q);
            const double dx = xi - xw[4 * j], dy = yi - xw[4 * j + 1], dz = zi - xw[4 * j + 2];
            const double rsq = dx * dx + dy * dy + dz * dz;
            pj[n] = j;
            w0[n] = rsq;
            n += rsq < cutsq;
        }
    }
    start[nsp] = n;
    (void)lvl;
    return n;
}

/* Atom i's density and half its pair energy from its neighbours inside the
 * cutoff (pj, w0 and the three scratch rows, from compact_atom): each
 * pair's grid interval and fraction exactly as LAMMPS computes them, then
 * the table work group by group. A software prefetch of the table rows
 * was measured 6-9% slower: the out-of-order core already overlaps the row
 * loads of consecutive pairs. */
static inline __attribute__((always_inline)) void atom_rows(const eam_kargs *a, const eam_pairtab *pti,
                                                            const size_t *start, double *w0, double *w1, double *w2,
                                                            int *toff, double *rho_acc, double *ephi_acc, int lvl)
{
    const double rdr = a->rdr, mmax = a->nr - 1;
#ifdef AM_HAVE_V4
    if (lvl >= 2) {
        const size_t n = start[a->nsp];
        grid_v4(w0, w1, toff, n, rdr, a->nr - 1);
        /* rows for the idle lanes of a group's last partial vector (the
         * next group's pairs' otherwise) */
        for (size_t k = n; k < n + 7; k++) toff[k] = 0;
        for (int b = 0; b < a->nsp; b++)
            rows_v4(pti + b, toff, w0, w1, w2, start[b], start[b + 1], rdr, rho_acc, ephi_acc);
        return;
    }
#endif
    /* group by group, toff the offset of the pair's row in its table
     * (this loop vectorises) */
    for (int b = 0; b < a->nsp; b++) {
        const size_t s0 = start[b], n = start[b + 1];
        const int stride = pti[b].stride;
        for (size_t k = s0; k < n; k++) {
            const double r = sqrt(w0[k]);
            double p = r * rdr + 1.0;
            int m = (int)p;
            m = m < mmax ? m : (int)mmax;
            p -= m;
            toff[k] = (m - 1) * stride;
            w0[k] = 1.0 / r;
            w1[k] = p < 1.0 ? p : 1.0;
        }
#ifdef AM_HAVE_V3
        if (lvl >= 1) {
            rows_v3(pti + b, toff, w0, w1, w2, s0, n, rdr, rho_acc, ephi_acc);
            continue;
        }
#endif
        rows_scalar(pti + b, toff, w0, w1, w2, s0, n, rdr, rho_acc, ephi_acc);
    }
    (void)lvl;
}

/* F(rho) and F'(rho) as LAMMPS computes them: clamped grid row, and F
 * continued linearly beyond the last tabulated density. */
static inline double embed(const eam_kargs *a, int ti, double rho, double *fp)
{
    double p = rho * a->rdrho + 1.0;
    int m = (int)p;
    m = m > a->nrho - 1 ? a->nrho - 1 : m;
    m = m < 1 ? 1 : m;
    p -= m;
    p = p > 1.0 ? 1.0 : p;
    const double *c = a->frho[ti] + 7 * (size_t)(m - 1);
    const double d = (c[0] * p + c[1]) * p + c[2];
    double f = ((c[3] * p + c[4]) * p + c[5]) * p + c[6];
    if (rho > a->rhomax) f += d * (rho - a->rhomax);
    *fp = d;
    return f;
}

static inline __attribute__((always_inline)) void pass_density(const eam_kargs *a, size_t k0, size_t k1, size_t q0,
                                                               double *scratch, int *iscratch, size_t cap,
                                                               double *rho_out, double *xf_out, double *e_out,
                                                               int lvl, int w16)
{
    const double *xw = a->xw;
    const int nsp = a->nsp;
    double *w0 = scratch, *w1 = scratch + cap, *w2 = scratch + 2 * cap;
    /* pairs packed from slot q0 on: pass 2 then reads one unbroken stream
     * per block */
    for (size_t k = k0; k < k1; k++) {
        const size_t i = a->order ? (size_t)a->order[k] : k;
        const double xi = xw[4 * i], yi = xw[4 * i + 1], zi = xw[4 * i + 2];
        const int ti = (int)xw[4 * i + 3];
        const eam_pairtab *pti = a->pt + (size_t)ti * (size_t)a->ntab;
        int *pj = a->pj + q0;
        const size_t *g = a->gfirst + (a->lists_by_visit ? k : i) * (size_t)nsp;
        double rho = a->rho0 ? a->rho0[i] : 0.0, ephi = 0.0;
        size_t start[AM_MAX_SPECIES + 1]; /* list species are system species */
        const size_t n = compact_atom(a, g, xi, yi, zi, pj, w0, start, lvl, w16);
        atom_rows(a, pti, start, w0, w1, w2, iscratch, &rho, &ephi, lvl);
        double fp;
        const double f = embed(a, ti, rho, &fp);
        double *ps = a->ps + 2 * q0;
        /* whole blocks of four: the lanes past n (scratch, up to 3 slots
         * past the pairs) are stored and never read */
#ifdef __SSE2__
        if (a->stream) {
            /* store around the caches: a pair store larger than the caches
             * would otherwise evict the force tables on its way through */
            for (size_t k = 0; k < n; k += 4) {
                _mm_stream_pd(ps + 2 * k, _mm_set_pd(fp * w0[k + 1] + w2[k + 1], fp * w0[k] + w2[k]));
                _mm_stream_pd(ps + 2 * k + 2, _mm_set_pd(fp * w0[k + 3] + w2[k + 3], fp * w0[k + 2] + w2[k + 2]));
                _mm_stream_pd(ps + 2 * k + 4, _mm_set_pd(w1[k + 1], w1[k]));
                _mm_stream_pd(ps + 2 * k + 6, _mm_set_pd(w1[k + 3], w1[k + 2]));
            }
        } else
#endif
            for (size_t k = 0; k < n; k += 4)
                for (int l = 0; l < 4; l++) {
                    ps[2 * k + (size_t)l] = fp * w0[k + (size_t)l] + w2[k + (size_t)l];
                    ps[2 * k + 4 + (size_t)l] = w1[k + (size_t)l];
                }
        a->po[i] = q0;
        a->pn[i] = (int)n;
        q0 += (n + 3) & ~(size_t)3;
        rho_out[i] = rho;
        /* the row pass 2 reads for this atom: its position (there already
         * when the rows are the positions' own, as in the sweep, where
         * other threads may be reading it) and F' */
        if (xf_out != xw) {
            xf_out[4 * i] = xi;
            xf_out[4 * i + 1] = yi;
            xf_out[4 * i + 2] = zi;
        }
        xf_out[4 * i + 3] = fp;
        e_out[i] = f + 0.5 * ephi;
    }
}

/* Forces, and the virial unless v is NULL, of pairs k0..n-1 of atom i, one
 * at a time, from the rows xf (x y z F' of every entry). */
static inline __attribute__((always_inline)) void force_scalar(const double *xf, const int *pj, const double *ps,
                                                                int k0, int n, double xi,
                                                                double yi, double zi, double *fs, double *vs,
                                                                int virial)
{
    double fx = 0, fy = 0, fz = 0, vxx = 0, vyy = 0, vzz = 0, vxy = 0, vxz = 0, vyz = 0;
    /* LAMMPS: fpair = -(F'_i rho'_ji + F'_j rho'_ij + phi') / r */
    for (int k = k0; k < n; k++) {
        const int j = pj[k];
        const double fpair = -(ps[EAM_PS_A(k)] + xf[4 * j + 3] * ps[EAM_PS_A(k) + 4]);
        const double dx = xi - xf[4 * j], dy = yi - xf[4 * j + 1], dz = zi - xf[4 * j + 2];
        fx += dx * fpair; fy += dy * fpair; fz += dz * fpair;
        if (virial) {
            vxx += dx * dx * fpair; vyy += dy * dy * fpair; vzz += dz * dz * fpair;
            vxy += dx * dy * fpair; vxz += dx * dz * fpair; vyz += dy * dz * fpair;
        }
    }
    fs[0] += fx; fs[1] += fy; fs[2] += fz;
    if (virial) {
        vs[0] += vxx; vs[1] += vyy; vs[2] += vzz;
        vs[3] += vxy; vs[4] += vxz; vs[5] += vyz;
    }
}

/* The force loop of force_scalar with each pair in a lane, one body for
 * both vector widths: B bits (V the register type), W lanes; XYZ(jk, c)
 * the neighbours' rows as columns x, y, z, F' (c[0..3]) of pairs
 * jk[0..W-1], AB(k, pa, pb) the store's a and b of pairs k.., SUMS the
 * lane sums added to fs and vs (SUMS_EACH). Pairs k.. while W are left. */
#define FORCE_LOOP(B, V, W, XYZ, AB, SUMS)                                                                  \
    do {                                                                                                       \
        const V vxi = VOP(B, set1)(xi), vyi = VOP(B, set1)(yi), vzi = VOP(B, set1)(zi);                       \
        V fx = VOP(B, setzero)(), fy = fx, fz = fx, vxx = fx, vyy = fx, vzz = fx, vxy = fx, vxz = fx, vyz = fx; \
        for (; k + W <= n; k += W) {                                                                           \
            const int *jk = pj + k;                                                                            \
            V c[4], pa, pb;                                                                                    \
            XYZ(jk, c);                                                                                        \
            AB(k, pa, pb);                                                                                     \
            const V dx = VOP(B, sub)(vxi, c[0]), dy = VOP(B, sub)(vyi, c[1]), dz = VOP(B, sub)(vzi, c[2]);     \
            /* g = -fpair */                                                                                   \
            const V g = VOP(B, fmadd)(c[3], pb, pa);                                                           \
            fx = VOP(B, fnmadd)(dx, g, fx);                                                                    \
            fy = VOP(B, fnmadd)(dy, g, fy);                                                                    \
            fz = VOP(B, fnmadd)(dz, g, fz);                                                                    \
            if (virial) {                                                                                      \
                const V gx = VOP(B, mul)(dx, g), gy = VOP(B, mul)(dy, g);                                      \
                vxx = VOP(B, fnmadd)(dx, gx, vxx);                                                             \
                vyy = VOP(B, fnmadd)(dy, gy, vyy);                                                             \
                vzz = VOP(B, fnmadd)(dz, VOP(B, mul)(dz, g), vzz);                                             \
                vxy = VOP(B, fnmadd)(dy, gx, vxy);                                                             \
                vxz = VOP(B, fnmadd)(dz, gx, vxz);                                                             \
                vyz = VOP(B, fnmadd)(dz, gy, vyz);                                                             \
            }                                                                                                  \
        }                                                                                                      \
        SUMS(fx, fy, fz, vxx, vyy, vzz, vxy, vxz, vyz);                                                        \
    } while (0)
/* A register's lane sum added to each of the three forces and, with the
 * virial, its six parts (one SUM each). */
#define SUMS_EACH(SUM, fx, fy, fz, vxx, vyy, vzz, vxy, vxz, vyz)                                               \
    do {                                                                                                       \
        fs[0] += SUM(fx); fs[1] += SUM(fy); fs[2] += SUM(fz);                                                  \
        if (virial) {                                                                                          \
            vs[0] += SUM(vxx); vs[1] += SUM(vyy); vs[2] += SUM(vzz);                                           \
            vs[3] += SUM(vxy); vs[4] += SUM(vxz); vs[5] += SUM(vyz);                                           \
        }                                                                                                      \
    } while (0)

#ifdef AM_HAVE_V3
/* Rows (x y z F', one 32-byte load each) transposed into lanes; the
 * store's a and b of four pairs, one load each. */
#define XYZ4(jk, c)                                                                                            \
    transpose4(_mm256_loadu_pd(xf + 4 * (size_t)(jk)[0]), _mm256_loadu_pd(xf + 4 * (size_t)(jk)[1]),          \
               _mm256_loadu_pd(xf + 4 * (size_t)(jk)[2]), _mm256_loadu_pd(xf + 4 * (size_t)(jk)[3]), c, c + 1, \
               c + 2, c + 3)
#define AB4(k, pa, pb) (pa = _mm256_loadu_pd(ps + 2 * (k)), pb = _mm256_loadu_pd(ps + 2 * (k) + 4))

/* Pairs k..n-1 four at a time, the rest one by one; adds to fs and vs. */
#define SUMS4(...) SUMS_EACH(hsum, __VA_ARGS__)
AM_V3 static inline void force_v3(const double *xf, const int *pj, const double *ps, int k, int n, double xi,
                                  double yi, double zi, double *fs, double *vs, int virial)
{
    FORCE_LOOP(256, __m256d, 4, XYZ4, AB4, SUMS4);
    force_scalar(xf, pj, ps, k, n, xi, yi, zi, fs, vs, virial);
}
#endif

#ifdef AM_HAVE_V4
/* The same for eight pairs: rows k and k+4 in one register (halves, not a
 * gather: gathers are slower on AMD's cores), the store's blocks of four
 * read as two halves. */
#define XYZ8(jk, c)                                                                                            \
    transpose8(halves(xf + 4 * (size_t)(jk)[0], xf + 4 * (size_t)(jk)[4]),                                     \
               halves(xf + 4 * (size_t)(jk)[1], xf + 4 * (size_t)(jk)[5]),                                     \
               halves(xf + 4 * (size_t)(jk)[2], xf + 4 * (size_t)(jk)[6]),                                     \
               halves(xf + 4 * (size_t)(jk)[3], xf + 4 * (size_t)(jk)[7]), c)
#define AB8(k, pa, pb) (pa = halves(ps + 2 * (k), ps + 2 * (k) + 8), pb = halves(ps + 2 * (k) + 4, ps + 2 * (k) + 12))
/* The lane sums of eight registers in one, [v0 v4 v1 v5 v2 v6 v3 v7], each
 * formed as _mm512_reduce_add_pd forms it (lanes i and i+4, then i and
 * i+2, then 0 and 1: the same bits) by shuffles shared between them. */
AM_V4 static inline __m512d sums8(__m512d v0, __m512d v1, __m512d v2, __m512d v3, __m512d v4, __m512d v5,
                                  __m512d v6, __m512d v7)
{
#define HALVES_ADD(a, b) _mm512_add_pd(_mm512_shuffle_f64x2(a, b, 0x44), _mm512_shuffle_f64x2(a, b, 0xEE))
#define QUARTERS_ADD(a, b) _mm512_add_pd(_mm512_shuffle_f64x2(a, b, 0x88), _mm512_shuffle_f64x2(a, b, 0xDD))
    const __m512d u0 = QUARTERS_ADD(HALVES_ADD(v0, v1), HALVES_ADD(v2, v3));
    const __m512d u1 = QUARTERS_ADD(HALVES_ADD(v4, v5), HALVES_ADD(v6, v7));
#undef HALVES_ADD
#undef QUARTERS_ADD
    return _mm512_add_pd(_mm512_unpacklo_pd(u0, u1), _mm512_unpackhi_pd(u0, u1));
}

/* With the virial, eight of the nine sums through sums8 (a third of the
 * shuffles of one reduction each). */
#define SUMS8(fx, fy, fz, vxx, vyy, vzz, vxy, vxz, vyz)                                                        \
    do {                                                                                                       \
        if (!virial) {                                                                                         \
            SUMS_EACH(_mm512_reduce_add_pd, fx, fy, fz, vxx, vyy, vzz, vxy, vxz, vyz);                         \
            break;                                                                                             \
        }                                                                                                      \
        double t_[8];                                                                                          \
        _mm512_storeu_pd(t_, sums8(fx, fy, fz, vxx, vyy, vzz, vxy, vxz));                                      \
        fs[0] += t_[0]; fs[1] += t_[2]; fs[2] += t_[4];                                                        \
        vs[0] += t_[6]; vs[1] += t_[1]; vs[2] += t_[3];                                                        \
        vs[3] += t_[5]; vs[4] += t_[7]; vs[5] += _mm512_reduce_add_pd(vyz);                                    \
    } while (0)

/* Eight pairs at a time, then four, then one by one. Eight lanes sum in
 * another order than four: the forces differ from force_v3's in the last
 * bits. */
AM_V4 static inline void force_v4(const double *xf, const int *pj, const double *ps, int n, double xi, double yi,
                                  double zi, double *fs, double *vs, int virial)
{
    int k = 0;
    FORCE_LOOP(512, __m512d, 8, XYZ8, AB8, SUMS8);
    force_v3(xf, pj, ps, k, n, xi, yi, zi, fs, vs, virial);
}
#endif

static inline __attribute__((always_inline)) void pass_force(const eam_kargs *a, size_t k0, size_t k1,
                                                             const double *xf, double *f, double *v, int lvl)
{
    for (size_t k = k0; k < k1; k++) {
        const size_t i = a->order ? (size_t)a->order[k] : k;
        const double xi = xf[4 * i], yi = xf[4 * i + 1], zi = xf[4 * i + 2];
        const size_t q0 = a->po[i];
        const int n = a->pn[i];
        const int *pj = a->pj + q0;
        const double *ps = a->ps + 2 * q0;
        double fs[3] = {0, 0, 0}, vs[6] = {0, 0, 0, 0, 0, 0};
#ifdef AM_HAVE_V4
        if (lvl >= 2)
            force_v4(xf, pj, ps, n, xi, yi, zi, fs, vs, v != NULL);
        else
#endif
#ifdef AM_HAVE_V3
        if (lvl >= 1)
            force_v3(xf, pj, ps, 0, n, xi, yi, zi, fs, vs, v != NULL);
        else
#endif
            force_scalar(xf, pj, ps, 0, n, xi, yi, zi, fs, vs, v != NULL);
        f[3 * i] = fs[0]; f[3 * i + 1] = fs[1]; f[3 * i + 2] = fs[2];
        if (v)
            for (int c = 0; c < 6; c++) v[6 * i + c] = 0.5 * vs[c];
    }
    (void)lvl;
}

/* One instance per instruction set (ATTR, level LVL), list width and
 * virial choice, so no such test sits in an inner loop. */
#define PASS_INSTANCES(NAME, ATTR, LVL)                                                                         \
    ATTR static void density_##NAME(const eam_kargs *a, size_t k0, size_t k1, size_t q0, double *s, int *is,   \
                                    size_t cap, double *rho, double *xf, double *e)                             \
    {                                                                                                          \
        if (a->nbr16) pass_density(a, k0, k1, q0, s, is, cap, rho, xf, e, LVL, 1);                             \
        else pass_density(a, k0, k1, q0, s, is, cap, rho, xf, e, LVL, 0);                                      \
    }                                                                                                          \
    ATTR static void force_##NAME(const eam_kargs *a, size_t k0, size_t k1, const double *xf, double *f,       \
                                  double *v)                                                                   \
    {                                                                                                          \
        if (v) pass_force(a, k0, k1, xf, f, v, LVL);                                                           \
        else pass_force(a, k0, k1, xf, f, NULL, LVL);                                                          \
    }

PASS_INSTANCES(generic, , 0)
#ifdef AM_HAVE_V3
PASS_INSTANCES(v3_all, AM_V3, 1)
#endif
#ifdef AM_HAVE_V4
PASS_INSTANCES(v4_all, AM_V4, 2)
#endif

void eam_pass_density(const eam_kargs *a, size_t k0, size_t k1, size_t q0, double *scratch, int *iscratch, size_t cap,
                      double *rho, double *xf, double *e)
{
#ifdef AM_HAVE_V4
    if (a->simd >= 2) {
        density_v4_all(a, k0, k1, q0, scratch, iscratch, cap, rho, xf, e);
        return;
    }
#endif
#ifdef AM_HAVE_V3
    if (a->simd) {
        density_v3_all(a, k0, k1, q0, scratch, iscratch, cap, rho, xf, e);
        return;
    }
#endif
    density_generic(a, k0, k1, q0, scratch, iscratch, cap, rho, xf, e);
}

void eam_pass_force(const eam_kargs *a, size_t k0, size_t k1, const double *xf, double *f, double *v)
{
#ifdef AM_HAVE_V4
    if (a->simd >= 2) {
        force_v4_all(a, k0, k1, xf, f, v);
        return;
    }
#endif
#ifdef AM_HAVE_V3
    if (a->simd) {
        force_v3_all(a, k0, k1, xf, f, v);
        return;
    }
#endif
    force_generic(a, k0, k1, xf, f, v);
}

int eam_kernel_simd(void)
{
    /* AMORPH_NO_SIMD=1 forces the generic kernel, so the tests cover both
     * on a machine that has AVX2 */
    if (!am_simd_allowed()) return 0;
#ifdef AM_HAVE_V3
    if (!(__builtin_cpu_supports("avx2") && __builtin_cpu_supports("fma") && __builtin_cpu_supports("bmi2"))) return 0;
#ifdef AM_HAVE_V4
    if (am_avx512_allowed() && __builtin_cpu_supports("x86-64-v4")) return 2;
#endif
    return 1;
#else
    return 0;
#endif
}
