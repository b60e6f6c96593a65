/* EAM functions with derivatives up to second order (see eam_deriv.h). */
#include "potential/eam_deriv.h"
#include "potential/eam.h"

/* Value and r-derivatives of the cubic piece of one tabulated radial
 * function (7 coefficients per row, value ones at [3..6]) at row m, fraction u. */
static void cubic(const double *spline, int m, double u, double rdr, double *v, double *d1, double *d2)
{
    const double *c = spline + 7 * (size_t)(m - 1) + 3;
    *v = ((c[0] * u + c[1]) * u + c[2]) * u + c[3];
    *d1 = ((3.0 * c[0] * u + 2.0 * c[1]) * u + c[2]) * rdr;
    *d2 = (6.0 * c[0] * u + 2.0 * c[1]) * rdr * rdr;
}

void eam_radial(const am_potential *p, int ei, int ej, double r, am_radial *o)
{
    const eam_tables *t = eam_model(p);
    /* grid row and fraction as the force kernel: p = r/dr + 1, row clamped */
    double u = r * t->rdr + 1.0;
    int m = (int)u;
    if (m > t->nr - 1) m = t->nr - 1;
    u -= m;
    if (u > 1.0) u = 1.0;
    const size_t nr7 = (size_t)t->nr * 7;
    double z, z1, z2;
    cubic(t->z2r_spline + (size_t)t->elem2z2r[ei][ej] * nr7, m, u, t->rdr, &z, &z1, &z2);
    /* phi = z2r / r */
    const double ir = 1.0 / r;
    o->phi = z * ir;
    o->dphi = (z1 - o->phi) * ir;
    o->d2phi = (z2 - 2.0 * o->dphi) * ir;
    cubic(t->rhor_spline + (size_t)t->elem2rhor[ej][ei] * nr7, m, u, t->rdr, &o->fij, &o->dfij, &o->d2fij);
    cubic(t->rhor_spline + (size_t)t->elem2rhor[ei][ej] * nr7, m, u, t->rdr, &o->fji, &o->dfji, &o->d2fji);
}

double eam_embed(const am_potential *p, int e, double rho, double *fp, double *fpp)
{
    const eam_tables *t = eam_model(p);
    double u = rho * t->rdrho + 1.0;
    int m = (int)u;
    if (m > t->nrho - 1) m = t->nrho - 1;
    if (m < 1) m = 1;
    u -= m;
    if (u > 1.0) u = 1.0;
    /* derivative coefficients at [0..2], value ones at [3..6] */
    const double *c = t->frho_spline + ((size_t)t->elem2frho[e] * t->nrho + (size_t)(m - 1)) * 7;
    *fp = (c[0] * u + c[1]) * u + c[2];
    *fpp = rho > t->rhomax ? 0.0 : (2.0 * c[0] * u + c[1]) * t->rdrho;
    double f = ((c[3] * u + c[4]) * u + c[5]) * u + c[6];
    if (rho > t->rhomax) f += *fp * (rho - t->rhomax);
    return f;
}
