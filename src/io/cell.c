#include "io/cell.h"
#include "io/lineread.h"
#include "io/numfmt.h"

#include <stdio.h>
#include <stdlib.h>

#include <math.h>

static double dot(const double a[3], const double b[3]) { return a[0] * b[0] + a[1] * b[1] + a[2] * b[2]; }

static void cross(const double a[3], const double b[3], double c[3])
{
    c[0] = a[1] * b[2] - a[2] * b[1];
    c[1] = a[2] * b[0] - a[0] * b[2];
    c[2] = a[0] * b[1] - a[1] * b[0];
}

am_status am_io_cell_to_box(const double cell[3][3], const double origin[3], am_box *box,
                            double rot[3][3], int *rotated, const char *path, long line)
{
    const double *a = cell[0], *b = cell[1], *c = cell[2];
    double axb[3];
    cross(a, b, axb);
    double det = dot(axb, c);
    if (!(fabs(det) > 0.0) || !isfinite(det))
        return am_io_fail(AM_ERR_VALUE, path, line, NULL,
                          "expected three linearly independent cell vectors, got a cell of volume %g", det);
    if (det < 0.0)
        return am_io_fail(AM_ERR_VALUE, path, line, NULL,
                          "expected a right-handed cell (a x b) . c > 0 as LAMMPS requires, got a "
                          "left-handed one; reorder or negate the cell vectors");
    for (int i = 0; i < 3; i++)
        for (int j = 0; j < 3; j++) rot[i][j] = i == j ? 1.0 : 0.0;
    if (a[1] == 0.0 && a[2] == 0.0 && b[2] == 0.0 && a[0] > 0.0 && b[1] > 0.0 && c[2] > 0.0) {
        /* Already oriented: copy, so round trips are exact. */
        *rotated = 0;
        box->len[0] = a[0];
        box->len[1] = b[1];
        box->len[2] = c[2];
        box->tilt[0] = b[0];
        box->tilt[1] = c[0];
        box->tilt[2] = c[1];
        for (int d = 0; d < 3; d++) box->lo[d] = origin[d];
        return AM_OK;
    }
    *rotated = 1;
    double lx = sqrt(dot(a, a));
    double ahat[3] = {a[0] / lx, a[1] / lx, a[2] / lx};
    double xy = dot(b, ahat);
    double ahxb[3];
    cross(ahat, b, ahxb);
    double ly = sqrt(dot(ahxb, ahxb));
    double xz = dot(c, ahat);
    double yz = (dot(b, c) - xy * xz) / ly;
    double lz2 = dot(c, c) - xz * xz - yz * yz;
    if (!(lx > 0.0) || !(ly > 0.0) || !(lz2 > 0.0) || !isfinite(lx * ly * lz2))
        return am_io_fail(AM_ERR_VALUE, path, line, NULL,
                          "expected a non-degenerate cell, got edge lengths %g %g %g", lx, ly,
                          lz2 > 0.0 ? sqrt(lz2) : 0.0);
    /* Rows: a-hat, the unit part of b normal to a, and their cross product;
     * this rotation maps a, b, c onto (lx,0,0), (xy,ly,0), (xz,yz,lz). */
    double e2[3] = {(b[0] - xy * ahat[0]) / ly, (b[1] - xy * ahat[1]) / ly, (b[2] - xy * ahat[2]) / ly};
    double e3[3];
    cross(ahat, e2, e3);
    for (int j = 0; j < 3; j++) {
        rot[0][j] = ahat[j];
        rot[1][j] = e2[j];
        rot[2][j] = e3[j];
    }
    box->len[0] = lx;
    box->len[1] = ly;
    box->len[2] = sqrt(lz2);
    box->tilt[0] = xy;
    box->tilt[1] = xz;
    box->tilt[2] = yz;
    for (int i = 0; i < 3; i++) box->lo[i] = dot(rot[i], origin);
    return AM_OK;
}

am_status am_io_check_extent(double v, int tilt, const char *what, const char *path, long line)
{
    if (isfinite(v) && fabs(v) <= AM_IO_MAX_EDGE && (tilt || v > 0.0)) return AM_OK;
    char got[32];
    snprintf(got, sizeof got, "%g", v);
    return am_io_fail(AM_ERR_VALUE, path, line, got, "expected %s %s at most %g A", tilt ? "a" : "a positive", what,
                      AM_IO_MAX_EDGE);
}

am_status am_io_check_box_extents(const am_box *b, const char *path, long line)
{
    static const char *const edge[3] = {"box edge a (lx)", "box edge b (ly)", "box edge c (lz)"};
    static const char *const tilt[3] = {"tilt factor xy", "tilt factor xz", "tilt factor yz"};
    for (int d = 0; d < 3; d++) {
        am_status st = am_io_check_extent(b->len[d], 0, edge[d], path, line);
        if (!st) st = am_io_check_extent(b->tilt[d], 1, tilt[d], path, line);
        if (st) return st;
    }
    return AM_OK;
}

void am_io_rotate(const double rot[3][3], double *x, double *y, double *z, size_t n)
{
    for (size_t i = 0; i < n; i++) {
        double v[3] = {x[i], y[i], z[i]};
        x[i] = dot(rot[0], v);
        y[i] = dot(rot[1], v);
        z[i] = dot(rot[2], v);
    }
}

char *am_io_bound_format(const am_io_bound *b, char *buf)
{
    if (b->extended) {
        snprintf(buf, AM_IO_BOUNDBUF, "%.21Lg", b->x);
        return buf;
    }
    return am_io_fmt_double(buf, b->d);
}

int am_io_parse_bound(const char *tok, long double *out)
{
    double d;
    if (!am_io_parse_double(tok, &d)) return 0;
    int digits = 0, leading = 1;
    for (const char *p = tok; *p && *p != 'e' && *p != 'E'; p++) {
        if (*p < '0' || *p > '9') continue;
        if (*p == '0' && leading) continue;
        leading = 0;
        digits++;
    }
    *out = d;
    if (digits > 17) {
        long double x = strtold(tok, NULL);
        if (isfinite(x)) *out = x;
    }
    return 1;
}

/* Decoders, in the arithmetic the readers use. */
static double dec_sub(long double v, const double *ctx) { return (double)(v - ctx[0]); }
static double dec_len(long double v, const double *ctx) { return (double)((v - ctx[0]) - ctx[1]); }

typedef double (*decode_fn)(long double v, const double *ctx);

/* Tries the doubles nearest guess (16 steps either way) for one that decodes
 * to want; else the extended value, which decodes exactly when long double
 * is wider than double. */
#define SEARCH_STEPS 16

static am_io_bound search_exact(long double exact, double want, decode_fn decode, const double *ctx)
{
    am_io_bound b = {(double)exact, exact, 0};
    double up = b.d, down = b.d;
    if (!isfinite(b.d) || decode(b.d, ctx) == want) return b;
    for (int k = 0; k < SEARCH_STEPS; k++) {
        up = nextafter(up, INFINITY);
        if (decode(up, ctx) == want) {
            b.d = up;
            return b;
        }
        down = nextafter(down, -INFINITY);
        if (decode(down, ctx) == want) {
            b.d = down;
            return b;
        }
    }
    if (decode(exact, ctx) == want) b.extended = 1;
    return b;
}

am_io_bound am_io_encode_hi(double lo, double len)
{
    double ctx[2] = {0.0, lo};
    return search_exact((long double)lo + len, len, dec_len, ctx);
}

double am_io_decode_len(double lo, long double hi)
{
    double ctx[2] = {0.0, lo};
    return dec_len(hi, ctx);
}

static double min4(double a, double b, double c, double d)
{
    double m = a < b ? a : b;
    m = m < c ? m : c;
    return m < d ? m : d;
}

static double max4(double a, double b, double c, double d)
{
    double m = a > b ? a : b;
    m = m > c ? m : c;
    return m > d ? m : d;
}

static void shifts(const double tilt[3], double lo_shift[3], double hi_shift[3])
{
    double xy = tilt[0], xz = tilt[1], yz = tilt[2];
    lo_shift[0] = min4(0.0, xy, xz, xy + xz);
    hi_shift[0] = max4(0.0, xy, xz, xy + xz);
    lo_shift[1] = yz < 0.0 ? yz : 0.0;
    hi_shift[1] = yz > 0.0 ? yz : 0.0;
    lo_shift[2] = hi_shift[2] = 0.0;
}

void am_io_dump_bounds_decode(const long double blo[3], const long double bhi[3], const double tilt[3],
                              double lo[3], double len[3])
{
    double ls[3], hs[3];
    shifts(tilt, ls, hs);
    for (int d = 0; d < 3; d++) {
        double c1[1] = {ls[d]};
        lo[d] = dec_sub(blo[d], c1);
        double c2[2] = {hs[d], lo[d]};
        len[d] = dec_len(bhi[d], c2);
    }
}

void am_io_dump_bounds_encode(const am_box *b, am_io_bound blo[3], am_io_bound bhi[3])
{
    double ls[3], hs[3];
    shifts(b->tilt, ls, hs);
    for (int d = 0; d < 3; d++) {
        double c1[1] = {ls[d]};
        blo[d] = search_exact((long double)b->lo[d] + ls[d], b->lo[d], dec_sub, c1);
        /* the reader subtracts the lo it decoded, which differs from b->lo
         * only if no exact encoding exists */
        double lo = dec_sub(blo[d].extended ? blo[d].x : blo[d].d, c1);
        double c2[2] = {hs[d], lo};
        bhi[d] = search_exact(((long double)lo + b->len[d]) + hs[d], b->len[d], dec_len, c2);
    }
}

double am_io_rel_decode(long double v, double lo)
{
    double ctx[1] = {-lo};
    return dec_sub(v, ctx);
}

am_io_bound am_io_rel_encode(double c, double lo, double *residual)
{
    double ctx[1] = {-lo};
    am_io_bound b = search_exact((long double)c - lo, c, dec_sub, ctx);
    /* the extended form must survive its own printing: it is read back
     * as long double only when it has more than 17 digits */
    if (b.extended) {
        char buf[AM_IO_BOUNDBUF];
        long double back = 0.0L;
        if (!am_io_parse_bound(am_io_bound_format(&b, buf), &back) || dec_sub(back, ctx) != c) {
            b.extended = 0;
            b.d = (double)b.x;
        }
    }
    *residual = b.extended ? 0.0 : c - dec_sub(b.d, ctx);
    return b;
}
