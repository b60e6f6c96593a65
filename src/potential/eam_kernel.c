#include "potential/eam_kernel.h"

#include <math.h>
#ifdef __SSE2__
#include <emmintrin.h>
#endif

/* This file is compiled with -ffp-contract=fast: the x86-64-v3 clones use
 * FMA, which saves a tenth of the instructions. Clones therefore differ in
 * the last bits (so results can differ between CPUs), while on one machine
 * they remain independent of the thread count. */
#if defined(__GNUC__) && !defined(__clang__) && defined(__x86_64__) && !defined(AM_NO_CLONES)
/* Wider vectors and FMA for the streaming pass where the CPU has them. */
#define AM_CLONES __attribute__((target_clones("default", "arch=x86-64-v3")))
#else
#define AM_CLONES
#endif

/* One species group of atom i's neighbours (one table): appends those
 * inside the cutoff to pj and to the scratch t (3 per pair: A = rho'_{j->i}/r,
 * B = rho'_{i->j}/r, C = phi'/r once done) from slot n on; returns the new
 * slot count. */
static inline size_t group_density(const eam_kargs *a, const eam_pairtab *t, size_t g0, size_t g1, double xi,
                                   double yi, double zi, int *pj, double *tp, int *toff, size_t n, double *rho_acc,
                                   double *ephi_acc)
{
    const double *xw = a->xw;
    const double rdr = a->rdr, cutsq = a->cutsq, mmax = a->nr - 1;
    const size_t s0 = n;
    /* Keep the neighbours inside the cutoff without branching: whether a
     * skin-list entry is inside is random, and a mispredicted branch costs
     * more than the test. */
    for (size_t q = g0; q < g1; q++) {
        const int j = a->nbr[q];
        const double dx = xi - xw[4 * j], dy = yi - xw[4 * j + 1], dz = zi - xw[4 * j + 2];
        const double rsq = dx * dx + dy * dy + dz * dz;
        pj[n] = j;
        tp[3 * n] = rsq;
        n += rsq < cutsq;
    }
    /* Grid row and fraction of every pair first, exactly as LAMMPS computes
     * them (this loop vectorises); 1/r and p wait in the scratch until the
     * evaluation loop replaces them. A software prefetch of the table rows
     * here was measured 6-9% slower: the out-of-order core already overlaps
     * the row loads of consecutive pairs. */
    const int stride = t->stride;
    for (size_t k = s0; k < n; k++) {
        const double r = sqrt(tp[3 * k]);
        double p = r * rdr + 1.0;
        int m = (int)p;
        m = m < mmax ? m : (int)mmax;
        p -= m;
        const int off = (m - 1) * stride;
        tp[3 * k] = 1.0 / r;
        tp[3 * k + 1] = p < 1.0 ? p : 1.0;
        toff[k] = off;
    }
    double rho = 0.0, ephi = 0.0;
    const double *base = t->base;
    const int oj = t->oj, oi = t->oi;
    if (oj == oi) {
        /* same species: rho_{j->i} = rho_{i->j} */
        for (size_t k = s0; k < n; k++) {
            double *u = tp + 3 * k;
            const double recip = u[0], p = u[1];
            const double *c = base + toff[k];
            rho += ((c[0] * p + c[1]) * p + c[2]) * p + c[3];
            const double rhop = ((3.0 * c[0] * p + 2.0 * c[1]) * p + c[2]) * rdr;
            const double z2 = ((c[4] * p + c[5]) * p + c[6]) * p + c[7];
            const double z2p = ((3.0 * c[4] * p + 2.0 * c[5]) * p + c[6]) * rdr;
            const double phi = z2 * recip;
            ephi += phi;
            u[0] = rhop * recip;
            u[1] = u[0];
            u[2] = (z2p * recip - phi * recip) * recip;
        }
    } else {
        for (size_t k = s0; k < n; k++) {
            double *u = tp + 3 * k;
            const double recip = u[0], p = u[1];
            const double *c = base + toff[k];
            const double *cj = c + oj, *ci = c + oi;
            rho += ((cj[0] * p + cj[1]) * p + cj[2]) * p + cj[3];
            const double rhojp = ((3.0 * cj[0] * p + 2.0 * cj[1]) * p + cj[2]) * rdr;
            const double rhoip = ((3.0 * ci[0] * p + 2.0 * ci[1]) * p + ci[2]) * rdr;
            const double z2 = ((c[4] * p + c[5]) * p + c[6]) * p + c[7];
            const double z2p = ((3.0 * c[4] * p + 2.0 * c[5]) * p + c[6]) * rdr;
            const double phi = z2 * recip;
            ephi += phi;
            u[0] = rhojp * recip;
            u[1] = rhoip * recip;
            u[2] = (z2p * recip - phi * recip) * recip;
        }
    }
    *rho_acc += rho;
    *ephi_acc += ephi;
    return n;
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

AM_CLONES void eam_pass_density(const eam_kargs *a, size_t i0, size_t i1, double *scratch, int *iscratch,
                                double *rho_out, double *fp_out, double *e_out)
{
    const double *xw = a->xw;
    const int nsp = a->nsp;
    for (size_t i = i0; i < i1; i++) {
        const double xi = xw[4 * i], yi = xw[4 * i + 1], zi = xw[4 * i + 2];
        const int ti = (int)xw[4 * i + 3];
        const eam_pairtab *pti = a->pt + (size_t)ti * (size_t)a->ntab;
        const size_t q0 = a->first[i];
        int *pj = a->pj + q0;
        const size_t *g = a->gfirst + i * (size_t)nsp;
        double rho = a->rho0 ? a->rho0[i] : 0.0, ephi = 0.0;
        size_t n = 0;
        for (int b = 0; b < nsp; b++)
            n = group_density(a, pti + b, g[b], g[b + 1], xi, yi, zi, pj, scratch, iscratch, n, &rho, &ephi);
        double fp;
        const double f = embed(a, ti, rho, &fp);
        double *ps = a->ps + 2 * q0;
#ifdef __SSE2__
        if (a->stream) {
            /* store around the caches: a pair store larger than the caches
             * would otherwise evict the force tables on its way through */
            for (size_t k = 0; k < n; k++)
                _mm_stream_pd(ps + 2 * k, _mm_set_pd(scratch[3 * k + 1], fp * scratch[3 * k] + scratch[3 * k + 2]));
        } else
#endif
            for (size_t k = 0; k < n; k++) {
                ps[2 * k] = fp * scratch[3 * k] + scratch[3 * k + 2];
                ps[2 * k + 1] = scratch[3 * k + 1];
            }
        a->pn[i] = (int)n;
        rho_out[i] = rho;
        fp_out[i] = fp;
        e_out[i] = f + 0.5 * ephi;
    }
}

/* Forces, and the virial unless v is NULL. Scalar on purpose: the same
 * sums in the same order on every CPU, and with gathers of fp[j] and
 * positions the vector form is no faster. */
static inline __attribute__((always_inline)) void pass_force(const eam_kargs *a, size_t i0, size_t i1,
                                                             const double *fp, double *f, double *v)
{
    const double *xw = a->xw;
    for (size_t i = i0; i < i1; i++) {
        const double xi = xw[4 * i], yi = xw[4 * i + 1], zi = xw[4 * i + 2];
        const size_t q0 = a->first[i];
        const int n = a->pn[i];
        const int *pj = a->pj + q0;
        const double *ps = a->ps + 2 * q0;
        double fx = 0, fy = 0, fz = 0, vxx = 0, vyy = 0, vzz = 0, vxy = 0, vxz = 0, vyz = 0;
        /* LAMMPS: fpair = -(F'_i rho'_ji + F'_j rho'_ij + phi') / r */
        for (int k = 0; k < n; k++) {
            const int j = pj[k];
            const double fpair = -(ps[2 * k] + fp[j] * ps[2 * k + 1]);
            const double dx = xi - xw[4 * j], dy = yi - xw[4 * j + 1], dz = zi - xw[4 * j + 2];
            fx += dx * fpair; fy += dy * fpair; fz += dz * fpair;
            if (v) {
                vxx += dx * dx * fpair; vyy += dy * dy * fpair; vzz += dz * dz * fpair;
                vxy += dx * dy * fpair; vxz += dx * dz * fpair; vyz += dy * dz * fpair;
            }
        }
        f[3 * i] = fx; f[3 * i + 1] = fy; f[3 * i + 2] = fz;
        if (v) {
            double *vi = v + 6 * i;
            vi[0] = 0.5 * vxx; vi[1] = 0.5 * vyy; vi[2] = 0.5 * vzz;
            vi[3] = 0.5 * vxy; vi[4] = 0.5 * vxz; vi[5] = 0.5 * vyz;
        }
    }
}

AM_CLONES void eam_pass_force(const eam_kargs *a, size_t i0, size_t i1, const double *fp, double *f, double *v)
{
    /* two instances, so the virial test is not in the inner loop */
    if (v) pass_force(a, i0, i1, fp, f, v);
    else pass_force(a, i0, i1, fp, f, NULL);
}
