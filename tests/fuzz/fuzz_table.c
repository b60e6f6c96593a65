/* Fuzz target: per-atom tables (am_read_table on extended XYZ), joined onto
 * an empty table of the same atoms as `amorph analyze` joins them. Column
 * names are the security boundary: they reach gnuplot scripts. */
#include "fuzz_util.h"
#include "io/columns.h"

#include <math.h>
#include <stdlib.h>
#include <string.h>

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    const char *path = fuzz_file(0, data, size);
    am_read_options o = {AM_FMT_EXTXYZ, NULL, -1, 0.0, 0};
    am_system *s = NULL;
    am_table *t = NULL;
    am_status st = am_read_table(path, &o, &s, &t);
    if (st) {
        fuzz_require(!s && !t, "nothing returned after a failure");
        fuzz_check_failure(st, path);
        return 0;
    }
    fuzz_check_system(s);
    fuzz_require(t->n == s->n && t->ncols >= 0, "a table of the configuration's atoms");
    for (int k = 0; k < t->ncols; k++) {
        const am_table_column *c = &t->col[k];
        fuzz_require(memchr(c->name, '\0', sizeof c->name) && am_io_column_name_ok(c->name),
                     "column names of letters, digits, '_' and '.'");
        fuzz_require(c->ncomp >= 1 && c->v, "columns with values");
        for (size_t i = 0; i < t->n * (size_t)c->ncomp; i++) fuzz_require(isfinite(c->v[i]), "finite values");
    }
    am_table *u = calloc(1, sizeof *u);
    fuzz_require(u != NULL, "memory");
    u->n = s->n;
    st = am_table_join(u, s, t, s, path);
    fuzz_require(st == AM_OK && u->ncols == t->ncols, "a table joins onto its own atoms");
    am_table_free(u);
    am_table_free(t);
    am_system_free(s);
    return 0;
}
