/* Writing extended XYZ as ASE and OVITO read it: positions inside a cell
 * that starts at 0, velocities also as ASE's momenta with the masses they
 * need, and amorph's box corner kept for amorph's reader. */
#include "core/error.h"
#include "io/atomic_file.h"
#include "io/cell.h"
#include "io/columns.h"
#include "io/extxyz.h"
#include "io/finish.h"
#include "io/lineread.h"
#include "io/numfmt.h"

#include <stdio.h>
#include <string.h>

/* Momenta need every species' mass; a system without them keeps velo only. */
static int masses_known(const am_system *s)
{
    for (int k = 0; k < s->nspecies; k++)
        if (!(s->species[k].mass > 0.0)) return 0;
    return 1;
}

static double coord(const am_system *s, size_t i, int d) { return d == 0 ? s->x[i] : d == 1 ? s->y[i] : s->z[i]; }

/* Whether some coordinate needs the residual column; encoding twice costs
 * less than holding every encoding of a large system. */
static int needs_residual(const am_system *s)
{
    for (size_t i = 0; i < s->n; i++)
        for (int d = 0; d < 3; d++) {
            double r;
            am_io_rel_encode(coord(s, i, d), s->box.lo[d], &r);
            if (r != 0.0) return 1;
        }
    return 0;
}

static void write_header(FILE *fp, const am_system *s, const am_column *cols, int ncols, const char *info,
                         int mom, int res)
{
    const am_box *b = &s->box;
    char n0[AM_IO_NUMBUF], n1[AM_IO_NUMBUF], n2[AM_IO_NUMBUF];
    fprintf(fp, "%zu\n", s->n);
    fprintf(fp, "Lattice=\"%s 0 0 ", am_io_fmt_double(n0, b->len[0]));
    fprintf(fp, "%s %s 0 ", am_io_fmt_double(n0, b->tilt[0]), am_io_fmt_double(n1, b->len[1]));
    fprintf(fp, "%s %s %s\" ", am_io_fmt_double(n0, b->tilt[1]), am_io_fmt_double(n1, b->tilt[2]),
            am_io_fmt_double(n2, b->len[2]));
    fprintf(fp, AM_XYZ_BOX_LO "=\"%s %s %s\" ", am_io_fmt_double(n0, b->lo[0]), am_io_fmt_double(n1, b->lo[1]),
            am_io_fmt_double(n2, b->lo[2]));
    fprintf(fp, "pbc=\"%c %c %c\" ", b->periodic[0] ? 'T' : 'F', b->periodic[1] ? 'T' : 'F',
            b->periodic[2] ? 'T' : 'F');
    fprintf(fp, "species_order=\"");
    for (int k = 0; k < s->nspecies; k++) fprintf(fp, "%s%s", k ? " " : "", s->species[k].name);
    fprintf(fp, "\" Properties=species:S:1:pos:R:3:id:I:1%s%s%s", s->vx ? ":velo:R:3" : "",
            mom ? ":momenta:R:3:masses:R:1" : "", res ? ":" AM_XYZ_RESIDUAL ":R:3" : "");
    for (int k = 0; k < ncols; k++)
        fprintf(fp, ":%s:%c:%d", cols[k].name, cols[k].real ? 'R' : 'I', cols[k].ncomp);
    if (info && *info) fprintf(fp, " %s", info);
    fprintf(fp, "\n");
}

static void write_atom(FILE *fp, const am_system *s, size_t i, const am_column *cols, int ncols, int mom, int res)
{
    char n0[AM_IO_NUMBUF], n1[AM_IO_NUMBUF], n2[AM_IO_NUMBUF], pb[AM_IO_BOUNDBUF];
    double r[3];
    fprintf(fp, "%s", s->species[s->type[i]].name);
    for (int d = 0; d < 3; d++) {
        am_io_bound e = am_io_rel_encode(coord(s, i, d), s->box.lo[d], &r[d]);
        fprintf(fp, " %s", am_io_bound_format(&e, pb));
    }
    fprintf(fp, " %lld", s->id[i]);
    if (s->vx)
        fprintf(fp, " %s %s %s", am_io_fmt_double(n0, s->vx[i]), am_io_fmt_double(n1, s->vy[i]),
                am_io_fmt_double(n2, s->vz[i]));
    if (mom) {
        const double m = s->species[s->type[i]].mass;
        fprintf(fp, " %s %s %s", am_io_fmt_double(n0, am_xyz_momentum(s->vx[i], m)),
                am_io_fmt_double(n1, am_xyz_momentum(s->vy[i], m)), am_io_fmt_double(n2, am_xyz_momentum(s->vz[i], m)));
        fprintf(fp, " %s", am_io_fmt_double(n0, m));
    }
    if (res)
        fprintf(fp, " %s %s %s", am_io_fmt_double(n0, r[0]), am_io_fmt_double(n1, r[1]), am_io_fmt_double(n2, r[2]));
    am_io_write_column_values(fp, cols, ncols, i, ' ');
    fprintf(fp, "\n");
}

am_status am_write_extxyz(const char *path, const am_system *s, const am_column *cols, int ncols,
                          const char *info)
{
    if (!path) return am_fail(AM_ERR_VALUE, "am_write_extxyz: no file name given");
    am_status st = am_io_check_system(s, path, 0);
    if (!st) st = am_io_check_columns(path, s, cols, ncols, AM_XYZ_MAX_COMPONENTS);
    if (st) return st;
    if (info && strpbrk(info, "\n\r"))
        return am_io_fail(AM_ERR_VALUE, path, 0, NULL, "cannot write: info must be a single line");
    const int mom = s->vx && masses_known(s), res = needs_residual(s);
    am_io_afile f;
    st = am_io_afile_open(&f, path);
    if (st) return st;
    write_header(f.fp, s, cols, ncols, info, mom, res);
    for (size_t i = 0; i < s->n; i++) write_atom(f.fp, s, i, cols, ncols, mom, res);
    return am_io_afile_commit(&f);
}
