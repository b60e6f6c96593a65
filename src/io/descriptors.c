/* Which columns of a per-atom table are descriptors, and what they are called. */
#include "io/descriptors.h"
#include "core/error.h"

#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

int am_io_name_matches(const char *name, const char *list)
{
    for (const char *p = list; p && *p;) {
        size_t len = strcspn(p, ",");
        if (len > 0 && p[len - 1] == '*' ? strncmp(name, p, len - 1) == 0
                                          : strlen(name) == len && strncmp(name, p, len) == 0)
            return 1;
        p += len + (p[len] == ',');
    }
    return 0;
}

void am_io_comp_name(const am_table_column *col, int k, char *out, size_t len)
{
    if (col->ncomp == 1) snprintf(out, len, "%s", col->name);
    else if (strcmp(col->name, "voro_index") == 0) snprintf(out, len, "n%d", k + 3);
    else if (strncmp(col->name, "vmsd_", 5) == 0 && col->ncomp == 4)
        snprintf(out, len, k ? "%s_%c" : "%s", col->name, "rxyz"[k]);
    else snprintf(out, len, "%s_%d", col->name, k + 1);
}

am_status am_io_table_descriptors(const am_table *t, const char *only, const char *exclude, const char *skip,
                                  am_io_desc **out, int *nout)
{
    int total = 0;
    for (int k = 0; k < t->ncols; k++) total += t->col[k].ncomp;
    am_io_desc *d = malloc(((size_t)total + 1) * sizeof *d);
    if (!d) return am_fail(AM_ERR_NOMEM, "out of memory for %d descriptor columns", total);
    int nd = 0;
    for (int k = 0; k < t->ncols; k++) {
        const am_table_column *col = &t->col[k];
        if (skip && strcmp(col->name, skip) == 0) continue;
        for (int m = 0; m < col->ncomp; m++) {
            am_io_comp_name(col, m, d[nd].name, sizeof d[nd].name);
            if (only ? !(am_io_name_matches(col->name, only) || am_io_name_matches(d[nd].name, only))
                     : am_io_name_matches(col->name, exclude) || am_io_name_matches(d[nd].name, exclude))
                continue;
            d[nd].col = k;
            d[nd].comp = m;
            nd++;
        }
    }
    *out = d;
    *nout = nd;
    return AM_OK;
}

int am_io_table_component(const am_table *t, const char *name, am_io_desc *out)
{
    for (int k = 0; k < t->ncols; k++)
        for (int m = 0; m < t->col[k].ncomp; m++) {
            char cn[AM_IO_DESC_LEN];
            am_io_comp_name(&t->col[k], m, cn, sizeof cn);
            if (strcmp(cn, name) != 0) continue;
            snprintf(out->name, sizeof out->name, "%s", cn);
            out->col = k;
            out->comp = m;
            return 1;
        }
    return 0;
}

void am_io_desc_values(const am_table *t, const am_io_desc *d, double *v)
{
    const am_table_column *col = &t->col[d->col];
    for (size_t i = 0; i < t->n; i++) v[i] = col->v[i * (size_t)col->ncomp + (size_t)d->comp];
}

am_status am_io_table_property(const am_table *t, const char *name, const char *valid, double *p, unsigned char *ok)
{
    int pc = am_table_find(t, name);
    if (pc < 0) return am_fail(AM_ERR_VALUE, "no column '%s' in the tables; expected the property column", name);
    int vc = -1;
    if (valid) {
        vc = am_table_find(t, valid);
        if (vc < 0) return am_fail(AM_ERR_VALUE, "no column '%s' to mark the atoms with a property value", valid);
    } else if (strncmp(name, "ea_", 3) == 0) {
        vc = am_table_find(t, "ea_count");
    }
    const am_table_column *pcol = &t->col[pc];
    for (size_t i = 0; i < t->n; i++) {
        const double v = pcol->v[i * (size_t)pcol->ncomp];
        const int known = isfinite(v) && (vc < 0 || t->col[vc].v[i * (size_t)t->col[vc].ncomp] != 0);
        ok[i] = (unsigned char)known;
        p[i] = known ? v : NAN;
    }
    return AM_OK;
}
