/* Per-atom tables read back for analysis, and joining tables of the same
 * atoms written by different stages (describe, vibrate, modes, artn). */
#include "amorph/io.h"
#include "core/error.h"
#include "io/idmap.h"

#include <stdlib.h>
#include <string.h>

void am_table_free(am_table *t)
{
    if (!t) return;
    for (int k = 0; k < t->ncols; k++) free(t->col[k].v);
    free(t->col);
    free(t);
}

int am_table_find(const am_table *t, const char *name)
{
    for (int k = 0; t && name && k < t->ncols; k++)
        if (strcmp(t->col[k].name, name) == 0) return k;
    return -1;
}

am_status am_table_join(am_table *t, const am_system *s, const am_table *u, const am_system *su, const char *upath)
{
    if (!t || !s || !u || !su) return am_fail(AM_ERR_VALUE, "am_table_join: missing table or system");
    if (!upath) upath = "(table)";
    /* a table without units (describe's: positions alone) takes any */
    if (t->units[0] && u->units[0] && strcmp(t->units, u->units) != 0)
        return am_fail(AM_ERR_VALUE, "%s: units=%s, an earlier table units=%s; expected tables of one unit system",
                       upath, u->units, t->units);
    for (int k = 0; k < u->ncols; k++)
        if (am_table_find(t, u->col[k].name) >= 0)
            return am_fail(AM_ERR_VALUE, "%s: column '%s' is already in an earlier table; expected each column "
                                         "in one table only", upath, u->col[k].name);
    am_io_idmap m;
    int dup = 0;
    size_t a = 0, b = 0;
    am_status st = am_io_idmap_build(&m, su->id, su->n, &dup, &a, &b);
    if (st) return st;
    if (dup) {
        am_io_idmap_free(&m);
        return am_fail(AM_ERR_VALUE, "%s: atoms %zu and %zu share id %lld", upath, a + 1, b + 1, su->id[a]);
    }
    size_t *from = malloc((s->n ? s->n : 1) * sizeof *from);
    am_table_column *col = realloc(t->col, (size_t)(t->ncols + u->ncols + 1) * sizeof *col);
    if (col) t->col = col;
    if (!from || !col) {
        free(from);
        am_io_idmap_free(&m);
        return am_fail(AM_ERR_NOMEM, "%s: out of memory joining tables", upath);
    }
    for (size_t i = 0; i < s->n && !st; i++)
        if (!am_io_idmap_find(&m, s->id[i], &from[i]))
            st = am_fail(AM_ERR_VALUE, "%s: no atom with id %lld; expected the same atoms in every table", upath,
                         s->id[i]);
    am_io_idmap_free(&m);
    for (int k = 0; k < u->ncols && !st; k++) {
        const am_table_column *uc = &u->col[k];
        am_table_column *tc = &t->col[t->ncols];
        size_t nc = (size_t)uc->ncomp;
        *tc = *uc;
        tc->v = malloc((s->n ? s->n : 1) * nc * sizeof(double));
        if (!tc->v) {
            st = am_fail(AM_ERR_NOMEM, "%s: out of memory joining tables", upath);
            break;
        }
        for (size_t i = 0; i < s->n; i++) memcpy(&tc->v[i * nc], &uc->v[from[i] * nc], nc * sizeof(double));
        t->ncols++;
    }
    free(from);
    if (!st && !t->units[0]) memcpy(t->units, u->units, sizeof t->units);
    return st;
}
