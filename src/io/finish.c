#include "io/finish.h"
#include "io/cell.h"
#include "io/lineread.h"
#include "io/species.h"

#include <math.h>
#include <stdlib.h>
#include <string.h>

/* Far below INT_MAX, so that image flags read from a file cannot overflow
 * when wrapping adds the boxes an atom is away. */
#define MAX_IMAGE 1e9

static long line_of(const long *lines, size_t i) { return lines ? lines[i] : 0; }

static const char *axis_name(int d) { return d == 0 ? "a (x)" : d == 1 ? "b (y)" : "c (z)"; }

am_status am_io_finish(am_system *s, const am_io_finish_opts *o)
{
    am_status st = am_box_check(&s->box);
    if (st) return am_io_fail(st, o->path, 0, NULL, "expected a valid box: %s", am_error_message());
    if ((st = am_io_check_box_extents(&s->box, o->path, 0))) return st;
    if (s->n == 0) return am_io_fail(AM_ERR_VALUE, o->path, 0, NULL, "expected at least one atom");
    /* Numbers are parsed finite, but scaled coordinates and rotated cells
     * are computed from them and can overflow. */
    for (size_t i = 0; i < s->n; i++) {
        int pos = isfinite(s->x[i]) && isfinite(s->y[i]) && isfinite(s->z[i]);
        int vel = !s->vx || (isfinite(s->vx[i]) && isfinite(s->vy[i]) && isfinite(s->vz[i]));
        if (!pos || !vel)
            return am_io_fail(AM_ERR_VALUE, o->path, line_of(o->lines, i), NULL,
                              "expected a finite %s for atom %lld (a coordinate too large to convert?)",
                              pos ? "velocity" : "position", s->id[i]);
    }
    for (size_t i = 0; i < s->n; i++) {
        double r[3] = {s->x[i], s->y[i], s->z[i]}, f[3];
        am_box_to_frac(&s->box, r, f);
        for (int d = 0; d < 3; d++) {
            /* Slightly outside is normal (LAMMPS reneighbors lazily);
             * far outside means a wrong box or wrong columns. */
            int far = s->box.periodic[d] && !o->unwrapped && !(f[d] >= -0.5 && f[d] <= 1.5);
            /* Wrapping adds the boxes crossed to the image flag, an int;
             * NaN (an overflow in the fractions) is caught here too. */
            int absurd = !(fabs(f[d]) + fabs((double)s->image[3 * i + d]) <= MAX_IMAGE);
            if (!far && !absurd) continue;
            char got[64];
            if (far) snprintf(got, sizeof got, "%.6g", f[d]);
            else snprintf(got, sizeof got, "image flag %d, fractional coordinate %.6g", s->image[3 * i + d], f[d]);
            if (far)
                return am_io_fail(AM_ERR_VALUE, o->path, line_of(o->lines, i), got,
                                  "expected atom %lld within half a box length of the periodic "
                                  "box along %s, i.e. a fractional coordinate in [-0.5, 1.5]",
                                  s->id[i], axis_name(d));
            return am_io_fail(AM_ERR_VALUE, o->path, line_of(o->lines, i), got,
                              "expected atom %lld (with its image flag) within %g box lengths of the "
                              "box along %s", s->id[i], MAX_IMAGE, axis_name(d));
        }
    }
    am_system_wrap(s);
    if (o->min_distance > 0.0) return am_io_check_overlaps(s, o->min_distance, o->path, o->lines);
    return AM_OK;
}

am_status am_io_atoms_alloc(am_io_atoms *a, long long n, int with_vel, const char *path)
{
    am_status st = am_system_alloc((size_t)n, with_vel, &a->s);
    if (st) return st;
    a->lines = calloc(n ? (size_t)n : 1, sizeof *a->lines);
    if (!a->lines) return am_fail(AM_ERR_NOMEM, "%s: out of memory for %lld atoms", path, n);
    return AM_OK;
}

am_status am_io_atoms_done(am_io_atoms *a, am_status st, const char *path, int unwrapped, double min_distance,
                           am_system **out)
{
    if (!st) st = am_io_species_assign(a->s, &a->ty, path);
    if (!st) {
        am_io_finish_opts fo = {path, a->lines, unwrapped, min_distance};
        st = am_io_finish(a->s, &fo);
    }
    free(a->lines);
    a->lines = NULL;
    am_io_idmap_free(&a->ids);
    if (st) am_system_free(a->s);
    else *out = a->s;
    a->s = NULL;
    return st;
}

am_status am_io_index_ids(am_io_idmap *m, const am_system *s, const char *path, const long *lines)
{
    int dup;
    size_t a, b;
    am_status st = am_io_idmap_build(m, s->id, s->n, &dup, &a, &b);
    if (st || !dup) return st;
    am_io_idmap_free(m);
    char got[32];
    snprintf(got, sizeof got, "%lld", s->id[b]);
    return am_io_fail(AM_ERR_VALUE, path, line_of(lines, b), got, "expected unique atom ids (also on line %ld)",
                      line_of(lines, a));
}

/* Cells are at least dmin wide so any close pair sits in neighbouring cells,
 * and about one atom big so the work stays O(N) for dense or dilute boxes. */
static void cell_counts(const am_box *b, size_t n, double dmin, int nc[3])
{
    double w[3];
    am_box_widths(b, w);
    double spacing = cbrt(am_box_volume(b) / (double)n);
    for (int d = 0; d < 3; d++) {
        double c = floor(w[d] / dmin);
        double c2 = floor(w[d] / spacing);
        if (c2 < c) c = c2;
        if (!(c >= 1.0)) c = 1.0;
        if (c > 1024.0) c = 1024.0;
        nc[d] = (int)c;
    }
    while ((double)nc[0] * nc[1] * nc[2] > 4.0 * (double)n + 64.0) {
        int big = nc[0] >= nc[1] && nc[0] >= nc[2] ? 0 : nc[1] >= nc[2] ? 1 : 2;
        nc[big] = (nc[big] + 1) / 2;
    }
}

/* Neighbour cell indices along one axis, without duplicates when the axis
 * has fewer than three cells. */
static int axis_neighbours(int c, int nc, int periodic, int out[3])
{
    int k = 0;
    if (nc < 3 && periodic) {
        for (int i = 0; i < nc; i++) out[k++] = i;
        return k;
    }
    for (int dc = -1; dc <= 1; dc++) {
        int j = c + dc;
        if (j < 0 || j >= nc) {
            if (!periodic) continue;
            j = (j + nc) % nc;
        }
        out[k++] = j;
    }
    return k;
}

typedef struct pair_ctx {
    const am_box *box;
    double w[3];
    double dmin;
    int periodic[3];
    int few_images; /* every periodic width >= 2 dmin: only the nearest image can be close */
} pair_ctx;

/* Squared distance of the closest image below dmin², or -1 if every image is
 * farther. A separation |ds| along one cell direction puts the atoms at
 * least |ds| times the width apart, which rejects most pairs after one
 * coordinate. */
static double close_image(const pair_ctx *c, const double *fi, const double *fj)
{
    const double lx = c->box->len[0], ly = c->box->len[1], lz = c->box->len[2];
    const double xy = c->box->tilt[0], xz = c->box->tilt[1], yz = c->box->tilt[2];
    const double d2max = c->dmin * c->dmin;
    if (c->few_images) {
        double ds[3];
        for (int d = 0; d < 3; d++) {
            double v = fj[d] - fi[d];
            if (c->periodic[d]) {
                /* fractions are in [0, 1), so one shift finds the nearest image */
                if (v > 0.5) v -= 1.0;
                else if (v < -0.5) v += 1.0;
            }
            if (fabs(v) * c->w[d] >= c->dmin) return -1.0;
            ds[d] = v;
        }
        double dx = lx * ds[0] + xy * ds[1] + xz * ds[2], dy = ly * ds[1] + yz * ds[2], dz = lz * ds[2];
        double r2 = dx * dx + dy * dy + dz * dz;
        return r2 < d2max ? r2 : -1.0;
    }
    /* Tiny periodic boxes: several images of one atom may be close. */
    double cand[3][3];
    int ncand[3];
    for (int d = 0; d < 3; d++) {
        double ds = fj[d] - fi[d];
        ncand[d] = 0;
        if (c->periodic[d]) {
            ds -= nearbyint(ds);
            for (int k = -1; k <= 1; k++) {
                double v = ds + k;
                if (fabs(v) * c->w[d] < c->dmin) cand[d][ncand[d]++] = v;
            }
        } else if (fabs(ds) * c->w[d] < c->dmin) {
            cand[d][ncand[d]++] = ds;
        }
        if (!ncand[d]) return -1.0;
    }
    double best = -1.0;
    for (int a = 0; a < ncand[0]; a++)
        for (int b = 0; b < ncand[1]; b++)
            for (int e = 0; e < ncand[2]; e++) {
                double s0 = cand[0][a], s1 = cand[1][b], s2 = cand[2][e];
                double dx = lx * s0 + xy * s1 + xz * s2, dy = ly * s1 + yz * s2, dz = lz * s2;
                double r2 = dx * dx + dy * dy + dz * dz;
                if (r2 < d2max && (best < 0.0 || r2 < best)) best = r2;
            }
    return best;
}

am_status am_io_check_overlaps(const am_system *s, double dmin, const char *path, const long *lines)
{
    size_t n = s->n;
    if (n < 2 || !(dmin > 0.0)) return AM_OK;
    int nc[3];
    cell_counts(&s->box, n, dmin, nc);
    size_t ncell = (size_t)nc[0] * (size_t)nc[1] * (size_t)nc[2];
    double *f = malloc(3 * n * sizeof *f);
    size_t *cell_of = malloc(n * sizeof *cell_of);
    size_t *start = calloc(ncell + 1, sizeof *start);
    size_t *order = malloc(n * sizeof *order);
    if (!f || !cell_of || !start || !order) {
        free(f); free(cell_of); free(start); free(order);
        return am_fail(AM_ERR_NOMEM, "out of memory for the overlap check of %zu atoms", n);
    }
    for (size_t i = 0; i < n; i++) {
        double r[3] = {s->x[i], s->y[i], s->z[i]};
        double *fi = f + 3 * i;
        am_box_to_frac(&s->box, r, fi);
        size_t cidx = 0;
        for (int d = 0; d < 3; d++) {
            if (s->box.periodic[d]) fi[d] -= floor(fi[d]);
            double c = floor(fi[d] * nc[d]);
            /* clamping keeps atoms outside non-periodic faces in edge cells */
            int ci = c < 0.0 ? 0 : c >= nc[d] ? nc[d] - 1 : (int)c;
            cidx = cidx * (size_t)nc[d] + (size_t)ci;
        }
        cell_of[i] = cidx;
        start[cidx + 1]++;
    }
    for (size_t c = 0; c < ncell; c++) start[c + 1] += start[c];
    {
        size_t *fill = malloc((ncell + 1) * sizeof *fill);
        if (!fill) {
            free(f); free(cell_of); free(start); free(order);
            return am_fail(AM_ERR_NOMEM, "out of memory for the overlap check of %zu atoms", n);
        }
        memcpy(fill, start, (ncell + 1) * sizeof *fill);
        for (size_t i = 0; i < n; i++) order[fill[cell_of[i]]++] = i;
        free(fill);
    }
    pair_ctx pc;
    pc.box = &s->box;
    pc.dmin = dmin;
    am_box_widths(&s->box, pc.w);
    pc.few_images = 1;
    for (int d = 0; d < 3; d++) {
        pc.periodic[d] = s->box.periodic[d];
        if (pc.periodic[d] && !(pc.w[d] >= 2.0 * dmin)) pc.few_images = 0;
    }
    am_status st = AM_OK;
    for (int c0 = 0; c0 < nc[0] && !st; c0++)
        for (int c1 = 0; c1 < nc[1] && !st; c1++)
            for (int c2 = 0; c2 < nc[2] && !st; c2++) {
                size_t home = ((size_t)c0 * nc[1] + (size_t)c1) * nc[2] + (size_t)c2;
                int n0[3], n1[3], n2[3];
                int k0 = axis_neighbours(c0, nc[0], s->box.periodic[0], n0);
                int k1 = axis_neighbours(c1, nc[1], s->box.periodic[1], n1);
                int k2 = axis_neighbours(c2, nc[2], s->box.periodic[2], n2);
                for (int a = 0; a < k0 && !st; a++)
                    for (int b = 0; b < k1 && !st; b++)
                        for (int e = 0; e < k2 && !st; e++) {
                            size_t other = ((size_t)n0[a] * nc[1] + (size_t)n1[b]) * nc[2] + (size_t)n2[e];
                            /* each unordered pair of cells once */
                            if (other < home) continue;
                            for (size_t p = start[home]; p < start[home + 1] && !st; p++) {
                                size_t i = order[p];
                                size_t q0 = other == home ? p + 1 : start[other];
                                for (size_t q = q0; q < start[other + 1]; q++) {
                                    size_t j = order[q];
                                    double r2 = close_image(&pc, f + 3 * i, f + 3 * j);
                                    if (r2 < 0.0) continue;
                                    size_t lo = i < j ? i : j, hi = i < j ? j : i;
                                    char got[96];
                                    snprintf(got, sizeof got, "atom %lld at %.4g A from atom %lld", s->id[hi],
                                             sqrt(r2), s->id[lo]);
                                    long lh = line_of(lines, hi), ll = line_of(lines, lo);
                                    st = am_io_fail(AM_ERR_VALUE, path, lh, got,
                                                    "expected atoms at least %g A apart (min_distance; "
                                                    "other atom on line %ld)", dmin, ll);
                                    break;
                                }
                            }
                        }
            }
    free(f); free(cell_of); free(start); free(order);
    return st;
}

am_status am_io_check_system(const am_system *s, const char *path, int need_mass)
{
    if (!s) return am_fail(AM_ERR_VALUE, "%s: no system to write", path);
    am_status st = am_box_check(&s->box);
    if (st) return am_io_fail(st, path, 0, NULL, "cannot write: %s", am_error_message());
    if (s->n > 0 && (s->nspecies < 1 || s->nspecies > AM_MAX_SPECIES))
        return am_io_fail(AM_ERR_VALUE, path, 0, NULL, "cannot write: the system has %d species",
                          s->nspecies);
    for (int k = 0; k < s->nspecies; k++) {
        if (!am_io_species_name_ok(s->species[k].name))
            return am_io_fail(AM_ERR_VALUE, path, 0, NULL,
                              "cannot write: species %d has no valid name", k + 1);
        if (need_mass && !(s->species[k].mass > 0.0 && isfinite(s->species[k].mass)))
            return am_io_fail(AM_ERR_VALUE, path, 0, NULL,
                              "cannot write: species '%s' has no mass", s->species[k].name);
    }
    for (size_t i = 0; i < s->n; i++) {
        if (s->type[i] < 0 || s->type[i] >= s->nspecies)
            return am_io_fail(AM_ERR_VALUE, path, 0, NULL,
                              "cannot write: atom %zu has species index %d of %d", i, s->type[i],
                              s->nspecies);
        if (s->id[i] <= 0)
            return am_io_fail(AM_ERR_VALUE, path, 0, NULL, "cannot write: atom %zu has id %lld", i,
                              s->id[i]);
        if (!isfinite(s->x[i]) || !isfinite(s->y[i]) || !isfinite(s->z[i]) ||
            (s->vx && (!isfinite(s->vx[i]) || !isfinite(s->vy[i]) || !isfinite(s->vz[i]))))
            return am_io_fail(AM_ERR_VALUE, path, 0, NULL,
                              "cannot write: atom %lld has a non-finite position or velocity", s->id[i]);
    }
    return AM_OK;
}
