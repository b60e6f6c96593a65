/* Writing LAMMPS text dumps: configurations, trajectories, and per-atom
 * tables whose columns LAMMPS (read_dump, rerun) and OVITO find by name. */
#include "core/error.h"
#include "io/atomic_file.h"
#include "io/cell.h"
#include "io/columns.h"
#include "io/finish.h"
#include "io/formats.h"
#include "io/lineread.h"
#include "io/numfmt.h"

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* The configuration's own columns, which table columns may not repeat
 * (velocities too when there are none: readers would take them for some). */
static const char *const own_labels[] = {"id", "type", "x", "y", "z", "ix", "iy", "iz", "vx", "vy", "vz", "element"};

#define LABEL_LEN 80

/* Column labels of a table: a column of k components becomes name_1 ..
 * name_k as in CSV, except forces, which become LAMMPS's own fx fy fz so
 * read_dump and rerun can take them. */
static void component_label(const am_column *c, int j, char *out)
{
    if (c->ncomp == 3 && strcmp(c->name, "forces") == 0) snprintf(out, LABEL_LEN, "f%c", 'x' + j);
    else if (c->ncomp == 1) snprintf(out, LABEL_LEN, "%s", c->name);
    else snprintf(out, LABEL_LEN, "%s_%d", c->name, j + 1);
}

/* LAMMPS reads labels as words and OVITO takes a '.' for a component
 * separator: letters, digits and '_' only. */
static int label_ok(const char *s)
{
    if (!((*s >= 'a' && *s <= 'z') || (*s >= 'A' && *s <= 'Z') || *s == '_')) return 0;
    for (; *s; s++)
        if (!((*s >= 'a' && *s <= 'z') || (*s >= 'A' && *s <= 'Z') || (*s >= '0' && *s <= '9') || *s == '_'))
            return 0;
    return 1;
}

/* Every label of the table, checked; *out (malloc'd) holds them in order. */
static am_status table_labels(const char *path, const am_column *cols, int ncols,
                              char (**out)[LABEL_LEN], size_t *nout)
{
    size_t n = 0;
    for (int k = 0; k < ncols; k++) n += (size_t)cols[k].ncomp;
    char(*lab)[LABEL_LEN] = malloc((n ? n : 1) * sizeof *lab);
    if (!lab) return am_fail(AM_ERR_NOMEM, "%s: out of memory for column labels", path);
    size_t m = 0;
    am_status st = AM_OK;
    for (int k = 0; k < ncols && !st; k++)
        for (int j = 0; j < cols[k].ncomp && !st; j++, m++) {
            component_label(&cols[k], j, lab[m]);
            if (!label_ok(lab[m]))
                st = am_io_fail(AM_ERR_VALUE, path, 0, cols[k].name,
                                "cannot write a LAMMPS dump column: expected a name of letters, digits and '_'");
            for (size_t o = 0; o < sizeof own_labels / sizeof *own_labels && !st; o++)
                if (strcmp(lab[m], own_labels[o]) == 0)
                    st = am_io_fail(AM_ERR_VALUE, path, 0, lab[m],
                                    "cannot write: the dump's own columns already use this name");
            for (size_t o = 0; o < m && !st; o++)
                if (strcmp(lab[m], lab[o]) == 0)
                    st = am_io_fail(AM_ERR_VALUE, path, 0, lab[m], "cannot write: two dump columns of this name");
        }
    if (st) {
        free(lab);
        return st;
    }
    *out = lab;
    *nout = n;
    return AM_OK;
}

static void write_frame(FILE *fp, const am_system *s, long step, const am_column *cols, int ncols,
                        char (*lab)[LABEL_LEN])
{
    const am_box *b = &s->box;
    char n0[AM_IO_BOUNDBUF], n1[AM_IO_BOUNDBUF], n2[AM_IO_BOUNDBUF];
    am_io_bound blo[3], bhi[3];
    am_io_dump_bounds_encode(b, blo, bhi);
    int tri = am_box_is_triclinic(b);
    fprintf(fp, "ITEM: TIMESTEP\n%ld\nITEM: NUMBER OF ATOMS\n%zu\nITEM: BOX BOUNDS%s", step, s->n,
            tri ? " xy xz yz" : "");
    for (int d = 0; d < 3; d++) fprintf(fp, " %s", b->periodic[d] ? "pp" : "ff");
    fprintf(fp, "\n");
    for (int d = 0; d < 3; d++) {
        fprintf(fp, "%s %s", am_io_bound_format(&blo[d], n0), am_io_bound_format(&bhi[d], n1));
        if (tri) fprintf(fp, " %s", am_io_fmt_double(n2, b->tilt[d]));
        fprintf(fp, "\n");
    }
    /* image flags and element names make the dump a complete configuration */
    fprintf(fp, "ITEM: ATOMS id type x y z ix iy iz%s element", s->vx ? " vx vy vz" : "");
    size_t m = 0;
    for (int k = 0; k < ncols; k++)
        for (int j = 0; j < cols[k].ncomp; j++) fprintf(fp, " %s", lab[m++]);
    fprintf(fp, "\n");
    for (size_t i = 0; i < s->n; i++) {
        fprintf(fp, "%lld %d %s %s %s %d %d %d", s->id[i], s->type[i] + 1, am_io_fmt_double(n0, s->x[i]),
                am_io_fmt_double(n1, s->y[i]), am_io_fmt_double(n2, s->z[i]), s->image[3 * i],
                s->image[3 * i + 1], s->image[3 * i + 2]);
        if (s->vx)
            fprintf(fp, " %s %s %s", am_io_fmt_double(n0, s->vx[i]), am_io_fmt_double(n1, s->vy[i]),
                    am_io_fmt_double(n2, s->vz[i]));
        fprintf(fp, " %s", s->species[s->type[i]].name);
        am_io_write_column_values(fp, cols, ncols, i, ' ');
        fprintf(fp, "\n");
    }
}

am_status am_io_write_lammps_dump(const char *path, const am_system *s)
{
    return am_write_dump_table(path, s, NULL, 0, 0);
}

am_status am_write_dump_table(const char *path, const am_system *s, const am_column *cols, int ncols, long step)
{
    if (!path) return am_fail(AM_ERR_VALUE, "am_write_dump_table: no file name given");
    am_status st = am_io_check_system(s, path, 0);
    if (!st) st = am_io_check_columns(path, s, cols, ncols, 1000);
    char(*lab)[LABEL_LEN] = NULL;
    size_t nlab = 0;
    if (!st) st = table_labels(path, cols, ncols, &lab, &nlab);
    if (st) return st;
    am_io_afile f;
    st = am_io_afile_open(&f, path);
    if (!st) {
        write_frame(f.fp, s, step, cols, ncols, lab);
        st = am_io_afile_commit(&f);
    }
    free(lab);
    return st;
}

am_status am_dump_append(const char *path, const am_system *s, long step)
{
    am_status st = am_io_check_system(s, path, 0);
    if (st) return st;
    FILE *fp = fopen(path, "a");
    if (!fp) return am_fail(AM_ERR_IO, "%s: cannot open for appending: %s", path, strerror(errno));
    write_frame(fp, s, step, NULL, 0, NULL);
    /* a frame is either whole on disk or reported as not written */
    if (fflush(fp) != 0 || ferror(fp)) {
        fclose(fp);
        return am_fail(AM_ERR_IO, "%s: write failed: %s", path, strerror(errno));
    }
    if (fclose(fp) != 0) return am_fail(AM_ERR_IO, "%s: close failed: %s", path, strerror(errno));
    return AM_OK;
}
