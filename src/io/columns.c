/* Per-atom tables: the extra columns every writer checks the same way, and
 * the CSV writer (one row per atom, for spreadsheets and pandas). */
#include "amorph/io.h"
#include "core/error.h"
#include "io/atomic_file.h"
#include "io/columns.h"
#include "io/extxyz.h"
#include "io/finish.h"
#include "io/lineread.h"
#include "io/numfmt.h"

#include <math.h>
#include <string.h>

int am_io_column_name_ok(const char *name)
{
    if (!((*name >= 'a' && *name <= 'z') || (*name >= 'A' && *name <= 'Z') || *name == '_')) return 0;
    for (const char *p = name; *p; p++) {
        char ch = *p;
        int ok = (ch >= 'a' && ch <= 'z') || (ch >= 'A' && ch <= 'Z') || (ch >= '0' && ch <= '9') || ch == '_' ||
                 ch == '.';
        if (!ok) return 0;
    }
    return 1;
}

am_status am_io_check_columns(const char *path, const am_system *s, const am_column *cols, int ncols, int maxcomp)
{
    if (ncols < 0 || (ncols > 0 && !cols))
        return am_io_fail(AM_ERR_VALUE, path, 0, NULL, "cannot write: %d extra columns but no column array", ncols);
    for (int k = 0; k < ncols; k++) {
        const am_column *c = &cols[k];
        /* what the extxyz reader accepts back, in an am_table_column name */
        if (!c->name || strlen(c->name) >= sizeof ((am_table_column *)0)->name || !am_io_column_name_ok(c->name))
            return am_io_fail(AM_ERR_VALUE, path, 0, c->name ? c->name : "(null)",
                              "cannot write: expected a column name of up to 63 letters, digits, '_' and '.' "
                              "that starts with a letter or '_'");
        /* the reader would take it for the configuration, not the table */
        if (am_io_xyz_reserved(c->name))
            return am_io_fail(AM_ERR_VALUE, path, 0, c->name,
                              "cannot write: column name is one extended XYZ uses for the configuration");
        for (int j = 0; j < k; j++)
            if (strcmp(c->name, cols[j].name) == 0)
                return am_io_fail(AM_ERR_VALUE, path, 0, c->name, "cannot write: column name given twice");
        if (c->ncomp < 1 || c->ncomp > maxcomp)
            return am_io_fail(AM_ERR_VALUE, path, 0, c->name, "cannot write: expected 1 to %d components",
                              maxcomp);
        if (!c->real && !c->ints && s->n > 0)
            return am_io_fail(AM_ERR_VALUE, path, 0, c->name, "cannot write: column has no values");
        if (c->real)
            for (size_t i = 0; i < s->n * (size_t)c->ncomp; i++)
                if (!isfinite(c->real[i]))
                    return am_io_fail(AM_ERR_VALUE, path, 0, c->name, "cannot write: column has a non-finite value");
    }
    return AM_OK;
}

void am_io_write_column_values(FILE *fp, const am_column *cols, int ncols, size_t i, char sep)
{
    char num[AM_IO_NUMBUF];
    for (int k = 0; k < ncols; k++)
        for (int j = 0; j < cols[k].ncomp; j++) {
            const size_t at = i * (size_t)cols[k].ncomp + (size_t)j;
            if (cols[k].real) fprintf(fp, "%c%s", sep, am_io_fmt_double(num, cols[k].real[at]));
            else fprintf(fp, "%c%lld", sep, cols[k].ints[at]);
        }
}

am_status am_write_csv(const char *path, const am_system *s, const am_column *cols, int ncols)
{
    if (!path) return am_fail(AM_ERR_VALUE, "am_write_csv: no file name given");
    am_status st = am_io_check_system(s, path, 0);
    if (!st) st = am_io_check_columns(path, s, cols, ncols, 1000);
    if (st) return st;
    am_io_afile f;
    if ((st = am_io_afile_open(&f, path))) return st;
    FILE *fp = f.fp;
    fprintf(fp, "id,species,x,y,z");
    for (int k = 0; k < ncols; k++) {
        if (cols[k].ncomp == 1) fprintf(fp, ",%s", cols[k].name);
        else
            for (int j = 0; j < cols[k].ncomp; j++) fprintf(fp, ",%s_%d", cols[k].name, j + 1);
    }
    fprintf(fp, "\n");
    char n0[AM_IO_NUMBUF], n1[AM_IO_NUMBUF], n2[AM_IO_NUMBUF];
    for (size_t i = 0; i < s->n; i++) {
        fprintf(fp, "%lld,%s,%s,%s,%s", s->id[i], s->species[s->type[i]].name, am_io_fmt_double(n0, s->x[i]),
                am_io_fmt_double(n1, s->y[i]), am_io_fmt_double(n2, s->z[i]));
        am_io_write_column_values(fp, cols, ncols, i, ',');
        fprintf(fp, "\n");
    }
    return am_io_afile_commit(&f);
}
