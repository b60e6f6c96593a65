#include "amorph/system.h"
#include "core/error.h"

#include <math.h>

double am_box_volume(const am_box *b) { return b->len[0] * b->len[1] * b->len[2]; }

int am_box_is_triclinic(const am_box *b)
{
    return b->tilt[0] != 0.0 || b->tilt[1] != 0.0 || b->tilt[2] != 0.0;
}

void am_box_to_frac(const am_box *b, const double r[3], double s[3])
{
    double dz = r[2] - b->lo[2], dy = r[1] - b->lo[1], dx = r[0] - b->lo[0];
    s[2] = dz / b->len[2];
    s[1] = (dy - b->tilt[2] * s[2]) / b->len[1];
    s[0] = (dx - b->tilt[0] * s[1] - b->tilt[1] * s[2]) / b->len[0];
}

void am_box_from_frac(const am_box *b, const double s[3], double r[3])
{
    r[0] = b->lo[0] + b->len[0] * s[0] + b->tilt[0] * s[1] + b->tilt[1] * s[2];
    r[1] = b->lo[1] + b->len[1] * s[1] + b->tilt[2] * s[2];
    r[2] = b->lo[2] + b->len[2] * s[2];
}

void am_box_min_image(const am_box *b, double d[3])
{
    /* fractional components of a separation: the origin does not enter */
    double f[3];
    f[2] = d[2] / b->len[2];
    f[1] = (d[1] - b->tilt[2] * f[2]) / b->len[1];
    f[0] = (d[0] - b->tilt[0] * f[1] - b->tilt[1] * f[2]) / b->len[0];
    for (int k = 0; k < 3; k++)
        if (b->periodic[k]) f[k] -= round(f[k]);
    d[0] = b->len[0] * f[0] + b->tilt[0] * f[1] + b->tilt[1] * f[2];
    d[1] = b->len[1] * f[1] + b->tilt[2] * f[2];
    d[2] = b->len[2] * f[2];
}

/* The width along a cell direction is V / |area of the opposite face|. */
void am_box_widths(const am_box *b, double w[3])
{
    const double lx = b->len[0], ly = b->len[1], lz = b->len[2];
    const double xy = b->tilt[0], xz = b->tilt[1], yz = b->tilt[2];
    const double v = lx * ly * lz;
    /* b x c = (ly lz, -xy lz, xy yz - ly xz) */
    double bc = sqrt(ly * lz * ly * lz + xy * lz * xy * lz + (xy * yz - ly * xz) * (xy * yz - ly * xz));
    /* c x a = (0, xz lx... ) = (0, lx lz, -lx yz) */
    double ca = lx * sqrt(lz * lz + yz * yz);
    /* a x b = (0, 0, lx ly) */
    double ab = lx * ly;
    w[0] = v / bc;
    w[1] = v / ca;
    w[2] = v / ab;
}

am_status am_box_check(const am_box *b)
{
    for (int d = 0; d < 3; d++) {
        if (!(b->len[d] > 0.0) || !isfinite(b->len[d]) || !isfinite(b->lo[d]))
            return am_fail(AM_ERR_VALUE, "box: edge %d has length %g; expected a positive finite length",
                           d, b->len[d]);
        if (!isfinite(b->tilt[d]))
            return am_fail(AM_ERR_VALUE, "box: tilt factor %d is not finite", d);
    }
    return AM_OK;
}
