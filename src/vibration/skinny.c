#include "vibration/skinny.h"
#include "core/simd.h"

#include <omp.h>
#include <stdatomic.h>
#include <stddef.h>

#ifdef AM_HAVE_V3
#include <immintrin.h>
#endif

/* Rows of L per band: a band of the panel (BAND x k floats, ≤ 64 KB for the
 * solve's panels of ≤ 256 columns) is read from memory once and then from the
 * cache by every pair of rows or columns working on it. */
enum { BAND = 64 };

/* Products smaller than this (entries of L) stay on one thread: below it a
 * product is under ~40 µs of work (32 768 entries x 32 right-hand sides at
 * ~50 GFlop/s), against a parallel region's few microseconds. A triangular
 * solve threads from n² nrhs ≥ 8 PAR_MIN (n ≥ 91 with 32 right-hand sides):
 * chosen, not tuned. */
#define PAR_MIN 32768L

/* Row r of C (nt) or Y (nn): row rows[r] of the block if rows, else row r. */
#define ROW(B, rows, r, nrhs) ((B) + (size_t)((rows) ? (rows)[r] : (long)(r)) * (size_t)(nrhs))

/* nt, generic: rows r0..r1 of C. */
static void nt_generic(int nrhs, int r0, int r1, int k, const float *X, const float *L, int ld, float *C,
                       const long *rows, int set)
{
    for (int r = r0; r < r1; r++) {
        float *c = ROW(C, rows, r, nrhs);
        for (int q = 0; q < nrhs; q++) {
            float s = 0;
            for (int j = 0; j < k; j++) s += X[(size_t)j * (size_t)nrhs + (size_t)q] * L[(size_t)r + (size_t)j * (size_t)ld];
            c[q] = set ? s : c[q] - s;
        }
    }
}

/* nn, generic: columns c0..c1 of X, rows r0..r1 of Y and L. */
static void nn_generic(int nrhs, int r0, int r1, int c0, int c1, const float *Y, const long *rows, const float *L,
                       int ld, float *X)
{
    for (int c = c0; c < c1; c++) {
        float *x = X + (size_t)c * (size_t)nrhs;
        const float *l = L + (size_t)c * (size_t)ld;
        for (int q = 0; q < nrhs; q++) {
            float s = 0;
            for (int r = r0; r < r1; r++) s += ROW(Y, rows, r, nrhs)[q] * l[r];
            x[q] -= s;
        }
    }
}

/* Unit lower triangular solves on the right-hand sides q0..q1 of the n
 * unknowns of a panel's diagonal block L (n x n, ld):
 *   forward  X[:, j] −= Σ_{i<j} L[j, i] X[:, i], j ascending (X ← X L⁻ᵀ);
 *   backward X[:, i] −= Σ_{j>i} L[j, i] X[:, j], i descending (X ← X L⁻¹).
 * Each right-hand side is independent, so threads split them: the same
 * arithmetic per entry on any number of threads. Generic versions. */
static void tri_generic(int nrhs, int q0, int q1, int n, const float *L, int ld, float *X, int forward)
{
    for (int t = 1; t < n; t++) {
        const int j = forward ? t : n - 1 - t;
        float *xj = X + (size_t)j * (size_t)nrhs;
        for (int q = q0; q < q1; q++) {
            float s = 0;
            if (forward)
                for (int i = 0; i < j; i++) s += L[(size_t)j + (size_t)i * (size_t)ld] * X[(size_t)i * (size_t)nrhs + (size_t)q];
            else
                for (int i = j + 1; i < n; i++) s += L[(size_t)i + (size_t)j * (size_t)ld] * X[(size_t)i * (size_t)nrhs + (size_t)q];
            xj[q] -= s;
        }
    }
}

#ifdef AM_HAVE_V3
/* Two outputs (rows of C, or columns of X) at a time, H vectors of 8 of
 * their nrhs = 8H entries each: 2H accumulators, H loads of the shared
 * operand, two broadcasts of L per step. H is a constant in every instance,
 * and the accumulators are named variables, not an array, so that they stay
 * in registers (an array of them went to the stack: 4x slower). */
#define FMA_STEP(b0, b1, v, h)                                                                                         \
    do {                                                                                                               \
        const __m256 v_ = _mm256_loadu_ps((v) + 8 * (h));                                                              \
        a0##h = _mm256_fmadd_ps(b0, v_, a0##h);                                                                        \
        a1##h = _mm256_fmadd_ps(b1, v_, a1##h);                                                                        \
    } while (0)
#define FMA_ROW(b0, b1, v)                                                                                             \
    do {                                                                                                               \
        FMA_STEP(b0, b1, v, 0);                                                                                        \
        if (H > 1) FMA_STEP(b0, b1, v, 1);                                                                             \
        if (H > 2) FMA_STEP(b0, b1, v, 2);                                                                             \
        if (H > 3) FMA_STEP(b0, b1, v, 3);                                                                             \
    } while (0)
#define ZERO_ACC                                                                                                       \
    __m256 a00 = _mm256_setzero_ps(), a01 = a00, a02 = a00, a03 = a00, a10 = a00, a11 = a00, a12 = a00, a13 = a00

/* out = a (set) or out −= a, for the H vectors of one output */
AM_V3 static inline __attribute__((always_inline)) void put(float *out, __m256 a, int set)
{
    _mm256_storeu_ps(out, set ? a : _mm256_sub_ps(_mm256_loadu_ps(out), a));
}
#define PUT_ALL(out0, out1, set, two)                                                                                  \
    do {                                                                                                               \
        put((out0), a00, set);                                                                                         \
        if (H > 1) put((out0) + 8, a01, set);                                                                          \
        if (H > 2) put((out0) + 16, a02, set);                                                                         \
        if (H > 3) put((out0) + 24, a03, set);                                                                         \
        if (two) {                                                                                                     \
            put((out1), a10, set);                                                                                     \
            if (H > 1) put((out1) + 8, a11, set);                                                                      \
            if (H > 2) put((out1) + 16, a12, set);                                                                     \
            if (H > 3) put((out1) + 24, a13, set);                                                                     \
        }                                                                                                              \
    } while (0)

AM_V3 static inline __attribute__((always_inline)) void nt_v3_h(int nrhs, int r0, int r1, int k, const float *X,
                                                                const float *L, int ld, float *C, const long *rows,
                                                                int set, int H)
{
    for (int r = r0; r < r1; r += 2) {
        const int two = r + 1 < r1;
        ZERO_ACC;
        const float *l = L + r, *x = X;
        const ptrdiff_t o1 = two ? 1 : 0;
        for (int j = 0; j < k; j++, l += ld, x += nrhs) {
            const __m256 b0 = _mm256_broadcast_ss(l), b1 = _mm256_broadcast_ss(l + o1);
            FMA_ROW(b0, b1, x);
        }
        float *c = ROW(C, rows, r, nrhs), *c1 = two ? ROW(C, rows, r + 1, nrhs) : c;
        PUT_ALL(c, c1, set, two);
    }
}

AM_V3 static void nt_v3(int nrhs, int r0, int r1, int k, const float *X, const float *L, int ld, float *C,
                         const long *rows, int set)
{
    switch (nrhs / 8) {
    case 1: nt_v3_h(nrhs, r0, r1, k, X, L, ld, C, rows, set, 1); break;
    case 2: nt_v3_h(nrhs, r0, r1, k, X, L, ld, C, rows, set, 2); break;
    case 3: nt_v3_h(nrhs, r0, r1, k, X, L, ld, C, rows, set, 3); break;
    default: nt_v3_h(nrhs, r0, r1, k, X, L, ld, C, rows, set, 4); break;
    }
}

AM_V3 static inline __attribute__((always_inline)) void nn_v3_h(int nrhs, int r0, int r1, int c0, int c1,
                                                                const float *Y, const long *rows, const float *L,
                                                                int ld, float *X, int H)
{
    for (int c = c0; c < c1; c += 2) {
        const int two = c + 1 < c1;
        ZERO_ACC;
        const float *l0 = L + (size_t)c * (size_t)ld, *l1 = two ? l0 + ld : l0;
        for (int r = r0; r < r1; r++) {
            const float *y = ROW(Y, rows, r, nrhs);
            const __m256 b0 = _mm256_broadcast_ss(l0 + r), b1 = _mm256_broadcast_ss(l1 + r);
            FMA_ROW(b0, b1, y);
        }
        float *x = X + (size_t)c * (size_t)nrhs;
        PUT_ALL(x, x + nrhs, 0, two);
    }
}

AM_V3 static void nn_v3(int nrhs, int r0, int r1, int c0, int c1, const float *Y, const long *rows, const float *L,
                         int ld, float *X)
{
    switch (nrhs / 8) {
    case 1: nn_v3_h(nrhs, r0, r1, c0, c1, Y, rows, L, ld, X, 1); break;
    case 2: nn_v3_h(nrhs, r0, r1, c0, c1, Y, rows, L, ld, X, 2); break;
    case 3: nn_v3_h(nrhs, r0, r1, c0, c1, Y, rows, L, ld, X, 3); break;
    default: nn_v3_h(nrhs, r0, r1, c0, c1, Y, rows, L, ld, X, 4); break;
    }
}

/* The triangular solves, H vectors of right-hand sides from X's column 0
 * (the caller offsets X): the sum over the other unknowns in two halves,
 * even and odd terms, for two chains of FMAs per vector. */
#define TRI_STEP(h)                                                                                                    \
    do {                                                                                                               \
        a0##h = _mm256_fmadd_ps(b0, _mm256_loadu_ps(x0 + 8 * (h)), a0##h);                                           \
        a1##h = _mm256_fmadd_ps(b1, _mm256_loadu_ps(x1 + 8 * (h)), a1##h);                                           \
    } while (0)
#define TRI_PUT(h)                                                                                                     \
    _mm256_storeu_ps(xj + 8 * (h), _mm256_sub_ps(_mm256_loadu_ps(xj + 8 * (h)), _mm256_add_ps(a0##h, a1##h)))

AM_V3 static inline __attribute__((always_inline)) void tri_v3_h(int nrhs, int n, const float *L, int ld, float *X,
                                                                 int forward, int H)
{
    for (int t = 1; t < n; t++) {
        const int j = forward ? t : n - 1 - t;
        /* the terms: unknowns i0, i0 + 1, ... (count of them), with L's
         * entries at stride sl from lp */
        const int i0 = forward ? 0 : j + 1, count = forward ? j : n - 1 - j;
        const float *lp = forward ? L + j : L + (size_t)j * (size_t)ld + i0;
        const ptrdiff_t sl = forward ? ld : 1;
        ZERO_ACC;
        /* terms c and c + 1, or c alone (its partner's weight zero) */
        for (int c = 0; c < count; c += 2) {
            const int pair = c + 1 < count;
            const __m256 b0 = _mm256_broadcast_ss(lp + c * sl),
                         b1 = pair ? _mm256_broadcast_ss(lp + (c + 1) * sl) : _mm256_setzero_ps();
            const float *x0 = X + (size_t)(i0 + c) * (size_t)nrhs, *x1 = pair ? x0 + nrhs : x0;
            TRI_STEP(0);
            if (H > 1) TRI_STEP(1);
            if (H > 2) TRI_STEP(2);
            if (H > 3) TRI_STEP(3);
        }
        float *xj = X + (size_t)j * (size_t)nrhs;
        TRI_PUT(0);
        if (H > 1) TRI_PUT(1);
        if (H > 2) TRI_PUT(2);
        if (H > 3) TRI_PUT(3);
    }
}

AM_V3 static void tri_v3(int nrhs, int q0, int q1, int n, const float *L, int ld, float *X, int forward)
{
    switch ((q1 - q0) / 8) {
    case 1: tri_v3_h(nrhs, n, L, ld, X + q0, forward, 1); break;
    case 2: tri_v3_h(nrhs, n, L, ld, X + q0, forward, 2); break;
    case 3: tri_v3_h(nrhs, n, L, ld, X + q0, forward, 3); break;
    default: tri_v3_h(nrhs, n, L, ld, X + q0, forward, 4); break;
    }
}
#endif

#ifdef AM_HAVE_V4
/* The products with AVX-512, for 16 or 32 right-hand sides (H = 1 or 2
 * registers per output): eight rows of C or four columns of X at a time, H
 * loads of the shared operand and a broadcast of L per output and step. Each entry is the
 * same chain of FMAs over the same terms in the same order as in the AVX2
 * kernels, so the bits are theirs; the wider registers double the
 * arithmetic per instruction, which the solve's panels, read from memory at
 * 32 right-hand sides, were short of (docs/vibration.md). */
#define V4_STEP(b0, b1, b2, b3, v)                                                                                     \
    do {                                                                                                               \
        const __m512 u0_ = _mm512_loadu_ps(v), u1_ = H > 1 ? _mm512_loadu_ps((v) + 16) : u0_;                         \
        p00 = _mm512_fmadd_ps(b0, u0_, p00);                                                                           \
        p10 = _mm512_fmadd_ps(b1, u0_, p10);                                                                           \
        p20 = _mm512_fmadd_ps(b2, u0_, p20);                                                                           \
        p30 = _mm512_fmadd_ps(b3, u0_, p30);                                                                           \
        if (H > 1) {                                                                                                   \
            p01 = _mm512_fmadd_ps(b0, u1_, p01);                                                                       \
            p11 = _mm512_fmadd_ps(b1, u1_, p11);                                                                       \
            p21 = _mm512_fmadd_ps(b2, u1_, p21);                                                                       \
            p31 = _mm512_fmadd_ps(b3, u1_, p31);                                                                       \
        }                                                                                                              \
    } while (0)
#define V4_ZERO                                                                                                        \
    __m512 p00 = _mm512_setzero_ps(), p01 = p00, p10 = p00, p11 = p00, p20 = p00, p21 = p00, p30 = p00, p31 = p00

AM_V4 static inline __attribute__((always_inline)) void put4(float *out, __m512 a0, __m512 a1, int set, int H)
{
    _mm512_storeu_ps(out, set ? a0 : _mm512_sub_ps(_mm512_loadu_ps(out), a0));
    if (H > 1) _mm512_storeu_ps(out + 16, set ? a1 : _mm512_sub_ps(_mm512_loadu_ps(out + 16), a1));
}

/* C −= X Lᵀ eight rows at a time (16 accumulators at 32 right-hand sides):
 * a load of X per eight FMAs; four rows at a time ran at 88–99 GFlop/s on one
 * thread from memory against 148–151 (`bench_skinny 2048 128 2000 1000`). */
#define V8_STEP(v)                                                                                                     \
    do {                                                                                                               \
        const __m512 u0_ = _mm512_loadu_ps(v), u1_ = H > 1 ? _mm512_loadu_ps((v) + 16) : u0_;                         \
        V8_ROW(0, 0); V8_ROW(1, o1); V8_ROW(2, o2); V8_ROW(3, o3);                                                     \
        V8_ROW(4, o4); V8_ROW(5, o5); V8_ROW(6, o6); V8_ROW(7, o7);                                                    \
    } while (0)
#define V8_ROW(i, o)                                                                                                   \
    do {                                                                                                               \
        const __m512 b_ = _mm512_set1_ps(l[o]);                                                                        \
        q##i##0 = _mm512_fmadd_ps(b_, u0_, q##i##0);                                                                   \
        if (H > 1) q##i##1 = _mm512_fmadd_ps(b_, u1_, q##i##1);                                                        \
    } while (0)

AM_V4 static inline __attribute__((always_inline)) void nt_v4_8(int nrhs, int r0, int r1, int k, const float *X,
                                                                const float *L, int ld, float *C, const long *rows,
                                                                int set, int H)
{
    for (int r = r0; r < r1; r += 8) {
        const int cnt = r1 - r < 8 ? r1 - r : 8;
        const ptrdiff_t o1 = cnt > 1, o2 = cnt > 2 ? 2 : 0, o3 = cnt > 3 ? 3 : 0, o4 = cnt > 4 ? 4 : 0,
                        o5 = cnt > 5 ? 5 : 0, o6 = cnt > 6 ? 6 : 0, o7 = cnt > 7 ? 7 : 0;
        __m512 q00 = _mm512_setzero_ps(), q01 = q00, q10 = q00, q11 = q00, q20 = q00, q21 = q00, q30 = q00,
               q31 = q00, q40 = q00, q41 = q00, q50 = q00, q51 = q00, q60 = q00, q61 = q00, q70 = q00, q71 = q00;
        const float *l = L + r, *x = X;
        for (int j = 0; j < k; j++, l += ld, x += nrhs) V8_STEP(x);
        put4(ROW(C, rows, r, nrhs), q00, q01, set, H);
        if (cnt > 1) put4(ROW(C, rows, r + 1, nrhs), q10, q11, set, H);
        if (cnt > 2) put4(ROW(C, rows, r + 2, nrhs), q20, q21, set, H);
        if (cnt > 3) put4(ROW(C, rows, r + 3, nrhs), q30, q31, set, H);
        if (cnt > 4) put4(ROW(C, rows, r + 4, nrhs), q40, q41, set, H);
        if (cnt > 5) put4(ROW(C, rows, r + 5, nrhs), q50, q51, set, H);
        if (cnt > 6) put4(ROW(C, rows, r + 6, nrhs), q60, q61, set, H);
        if (cnt > 7) put4(ROW(C, rows, r + 7, nrhs), q70, q71, set, H);
    }
}

AM_V4 static void nt_v4(int nrhs, int r0, int r1, int k, const float *X, const float *L, int ld, float *C,
                         const long *rows, int set)
{
    if (nrhs == 16) nt_v4_8(nrhs, r0, r1, k, X, L, ld, C, rows, set, 1);
    else nt_v4_8(nrhs, r0, r1, k, X, L, ld, C, rows, set, 2);
}

AM_V4 static inline __attribute__((always_inline)) void nn_v4_h(int nrhs, int r0, int r1, int c0, int c1,
                                                                const float *Y, const long *rows, const float *L,
                                                                int ld, float *X, int H)
{
    for (int c = c0; c < c1; c += 4) {
        const int cnt = c1 - c < 4 ? c1 - c : 4;
        const float *l0 = L + (size_t)c * (size_t)ld;
        const float *l1 = cnt > 1 ? l0 + ld : l0, *l2 = cnt > 2 ? l0 + 2 * (size_t)ld : l0;
        const float *l3 = cnt > 3 ? l0 + 3 * (size_t)ld : l0;
        V4_ZERO;
        for (int r = r0; r < r1; r++)
            V4_STEP(_mm512_set1_ps(l0[r]), _mm512_set1_ps(l1[r]), _mm512_set1_ps(l2[r]), _mm512_set1_ps(l3[r]),
                    ROW(Y, rows, r, nrhs));
        float *x = X + (size_t)c * (size_t)nrhs;
        put4(x, p00, p01, 0, H);
        if (cnt > 1) put4(x + nrhs, p10, p11, 0, H);
        if (cnt > 2) put4(x + 2 * (size_t)nrhs, p20, p21, 0, H);
        if (cnt > 3) put4(x + 3 * (size_t)nrhs, p30, p31, 0, H);
    }
}

AM_V4 static void nn_v4(int nrhs, int r0, int r1, int c0, int c1, const float *Y, const long *rows, const float *L,
                         int ld, float *X)
{
    if (nrhs == 16) nn_v4_h(nrhs, r0, r1, c0, c1, Y, rows, L, ld, X, 1);
    else nn_v4_h(nrhs, r0, r1, c0, c1, Y, rows, L, ld, X, 2);
}
#endif

/* The vector path takes blocks of 8, 16, 24 or 32 right-hand sides, the
 * Lanczos's; others (the trial solve's one vector) go the generic way. */
static int use_v3(int nrhs)
{
#ifdef AM_HAVE_V3
    /* decided once (getenv per panel would cost ~a second per modes run);
     * atomic because solves may run on several threads of a caller */
    static atomic_int cpu = -1;
    int ok = atomic_load_explicit(&cpu, memory_order_relaxed);
    if (ok < 0) {
        ok = am_simd_allowed() && __builtin_cpu_supports("avx2") && __builtin_cpu_supports("fma");
        atomic_store_explicit(&cpu, ok, memory_order_relaxed);
    }
    return ok && nrhs % 8 == 0 && nrhs <= 32;
#else
    (void)nrhs;
    return 0;
#endif
}

/* The AVX-512 products take blocks of 16 or 32 (AMORPH_NO_AVX512=1 keeps
 * the AVX2 ones, for the tests). */
static int use_v4(int nrhs)
{
#ifdef AM_HAVE_V4
    static atomic_int cpu = -1;
    int ok = atomic_load_explicit(&cpu, memory_order_relaxed);
    if (ok < 0) {
        ok = am_avx512_allowed() && __builtin_cpu_supports("x86-64-v4");
        atomic_store_explicit(&cpu, ok, memory_order_relaxed);
    }
    return ok && (nrhs == 16 || nrhs == 32);
#else
    (void)nrhs;
    return 0;
#endif
}

/* The kernel of the path chosen, as a function of the generic signature. */
#ifdef AM_HAVE_V3
#define PICK(v3, name) ((v3) ? name##_v3 : name##_generic)
#else
#define PICK(v3, name) ((void)(v3), name##_generic)
#endif
#ifdef AM_HAVE_V4
#define PICK4(nrhs, name) (use_v4(nrhs) ? name##_v4 : PICK(use_v3(nrhs), name))
#else
#define PICK4(nrhs, name) PICK(use_v3(nrhs), name)
#endif

void am_skinny_nt(int nrhs, int m, int k, const float *X, const float *L, int ld, float *C, int set)
{
    am_skinny_nt_rows(nrhs, m, k, X, L, ld, C, NULL, set);
}

void am_skinny_nt_rows(int nrhs, int m, int k, const float *X, const float *L, int ld, float *C, const long *rows,
                       int set)
{
    if (nrhs <= 0 || m <= 0) return;
    void (*const nt)(int, int, int, int, const float *, const float *, int, float *, const long *, int) =
        PICK4(nrhs, nt);
    const int nband = (m + BAND - 1) / BAND;
    /* each band's rows of C are one thread's */
#pragma omp parallel for schedule(static) if ((long)m * k >= PAR_MIN)
    for (int b = 0; b < nband; b++) {
        const int r0 = b * BAND, r1 = r0 + BAND < m ? r0 + BAND : m;
        nt(nrhs, r0, r1, k, X, L, ld, C, rows, set);
    }
}

void am_skinny_nn(int nrhs, int m, int k, const float *Y, const float *L, int ld, float *X)
{
    am_skinny_nn_rows(nrhs, m, k, Y, NULL, L, ld, X);
}

void am_skinny_nn_rows(int nrhs, int m, int k, const float *Y, const long *rows, const float *L, int ld, float *X)
{
    if (nrhs <= 0 || k <= 0 || m <= 0) return;
    void (*const nn)(int, int, int, int, int, const float *, const long *, const float *, int, float *) =
        PICK4(nrhs, nn);
    /* columns in groups of the kernel's width (4 with AVX-512, else 2) */
    const int w = use_v4(nrhs) ? 4 : 2, npair = (k + w - 1) / w;
    /* each group of X's columns is one thread's for every band of rows, the
     * same groups in every band (static schedule): a column's partial sums
     * are subtracted band after band, in the same order on any number of
     * threads and with either grouping */
#pragma omp parallel if ((long)m * k >= PAR_MIN)
    for (int r0 = 0; r0 < m; r0 += 4 * BAND) {
        const int r1 = r0 + 4 * BAND < m ? r0 + 4 * BAND : m;
#pragma omp for schedule(static) nowait
        for (int p = 0; p < npair; p++) {
            const int c0 = w * p, c1 = c0 + w < k ? c0 + w : k;
            nn(nrhs, r0, r1, c0, c1, Y, rows, L, ld, X);
        }
    }
}

void am_skinny_trsm(int nrhs, int n, const float *L, int ld, float *X, int forward)
{
    if (nrhs <= 0 || n <= 1) return;
    const int v3 = use_v3(nrhs), width = v3 ? 8 : 1, groups = nrhs / width;
    void (*const tri)(int, int, int, int, const float *, int, float *, int) = PICK(v3, tri);
    /* right-hand sides split between the threads, in whole vectors of 8 on
     * the vector path */
#pragma omp parallel if ((long)n * n * nrhs >= 8 * PAR_MIN)
    {
        const int nt = omp_get_num_threads(), id = omp_get_thread_num();
        const int g0 = (int)((long)groups * id / nt), g1 = (int)((long)groups * (id + 1) / nt);
        if (g1 > g0) tri(nrhs, width * g0, width * g1, n, L, ld, X, forward);
    }
}
