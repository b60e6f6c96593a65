/* Per-atom tables: written columns read back exactly, joined by atom id
 * across files whatever the atom order, and bad tables refused clearly. */
#include "amorph/amorph.h"
#include "util/build.h"
#include "util/check.h"

#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static int has(const char *msg, const char *part) { return strstr(msg, part) != NULL; }

int main(void)
{
    const char *dir = scratch_dir("test_table");
    am_system *s = build_lattice("fcc", 3.6, 3, 3, 3, "Cu");
    rattle(s, 0.05, 7);
    const size_t n = s->n;
    double *a = malloc(n * sizeof(double)), *v = malloc(3 * n * sizeof(double));
    long long *idx = malloc(4 * n * sizeof(long long));
    for (size_t i = 0; i < n; i++) {
        a[i] = sin(0.37 * (double)i) * 1e-3 + 1.0 / 3.0;
        for (int d = 0; d < 3; d++) v[3 * i + d] = (double)i * 0.1 + d;
        for (int d = 0; d < 4; d++) idx[4 * i + d] = (long long)((i + d) % 5);
    }
    am_column cols[] = {{"alpha", 1, a, NULL}, {"vec", 3, v, NULL}, {"voro_index", 4, NULL, idx}};
    const char *p1 = scratch_file(dir, "one.extxyz");
    check_true(am_write_extxyz(p1, s, cols, 3, NULL) == AM_OK, "write a table with three columns");

    am_system *r = NULL;
    am_table *t = NULL;
    check_true(am_read_table(p1, NULL, &r, &t) == AM_OK, "read it back: %s", am_error_message());
    check_true(t->ncols == 3 && t->n == n, "3 columns of %zu atoms (got %d of %zu)", n, t->ncols, t->n);
    int ka = am_table_find(t, "alpha"), kv = am_table_find(t, "vec"), ki = am_table_find(t, "voro_index");
    check_true(ka >= 0 && kv >= 0 && ki >= 0 && am_table_find(t, "id") < 0 && am_table_find(t, "pos") < 0,
               "columns found by name; configuration columns are not table columns");
    double err = 0;
    for (size_t i = 0; i < n; i++) {
        err = fmax(err, fabs(t->col[ka].v[i] - a[i]));
        for (int d = 0; d < 3; d++) err = fmax(err, fabs(t->col[kv].v[3 * i + d] - v[3 * i + d]));
        for (int d = 0; d < 4; d++) err = fmax(err, fabs(t->col[ki].v[4 * i + d] - (double)idx[4 * i + d]));
    }
    check_abs(err, 0, 0, "every value reads back exactly (max diff %g)", err);

    /* tables from before amorph's names lost their dots (describe wrote
     * s2_rc4.0, now s2_rc4p0) still read, so a dotted name still writes and
     * reads back; the writer refuses what the reader would refuse */
    am_column dotted = {"s2_rc4.0", 1, a, NULL};
    const char *pd = scratch_file(dir, "dotted.extxyz");
    am_system *rd = NULL;
    am_table *td = NULL;
    check_true(am_write_extxyz(pd, s, &dotted, 1, NULL) == AM_OK && am_read_table(pd, NULL, &rd, &td) == AM_OK &&
                   am_table_find(td, "s2_rc4.0") == 0,
               "a column named s2_rc4.0 reads back (%s)", am_error_message());
    am_table_free(td);
    am_system_free(rd);
    static const char *const refused[] = {"a-b", "9lives", "a$b", "a`b", ""};
    for (size_t k = 0; k < sizeof refused / sizeof *refused; k++) {
        am_column bad = {refused[k], 1, a, NULL};
        check_true(am_write_extxyz(pd, s, &bad, 1, NULL) == AM_ERR_VALUE && has(am_error_message(), "column name"),
                   "column name '%s' refused by the writer (%s)", refused[k], am_error_message());
    }

    /* a second table of the same atoms in reverse order, joined by id */
    am_system *rev = NULL;
    am_system_copy(s, &rev);
    double *b = malloc(n * sizeof(double));
    for (size_t i = 0; i < n; i++) {
        size_t j = n - 1 - i;
        rev->x[i] = s->x[j], rev->y[i] = s->y[j], rev->z[i] = s->z[j], rev->id[i] = s->id[j], rev->type[i] = s->type[j];
        b[i] = 2.0 * (double)s->id[j];
    }
    am_column cb = {"beta", 1, b, NULL};
    const char *p2 = scratch_file(dir, "two.extxyz");
    check_true(am_write_extxyz(p2, rev, &cb, 1, NULL) == AM_OK, "write a second table, atoms reversed");
    am_system *r2 = NULL;
    am_table *t2 = NULL;
    check_true(am_read_table(p2, NULL, &r2, &t2) == AM_OK, "read it");
    check_true(am_table_join(t, r, t2, r2, p2) == AM_OK, "join by id: %s", am_error_message());
    int kb = am_table_find(t, "beta");
    int match = kb >= 0;
    for (size_t i = 0; i < n && match; i++) match = t->col[kb].v[i] == 2.0 * (double)r->id[i];
    check_true(match, "joined column follows the ids, not the row order");
    check_true(am_table_join(t, r, t2, r2, p2) == AM_ERR_VALUE && has(am_error_message(), "two.extxyz") &&
                   has(am_error_message(), "beta"),
               "joining the same column twice is refused naming file and column: %s", am_error_message());

    /* a table missing one of the atoms */
    am_system *part = NULL;
    am_system_alloc(n - 1, 0, &part);
    part->box = s->box;
    part->nspecies = s->nspecies;
    memcpy(part->species, s->species, sizeof s->species);
    for (size_t i = 0; i + 1 < n; i++) part->x[i] = s->x[i], part->y[i] = s->y[i], part->z[i] = s->z[i], part->id[i] = s->id[i];
    am_column cc = {"gamma", 1, a, NULL};
    const char *p3 = scratch_file(dir, "three.extxyz");
    am_write_extxyz(p3, part, &cc, 1, NULL);
    am_system *r3 = NULL;
    am_table *t3 = NULL;
    check_true(am_read_table(p3, NULL, &r3, &t3) == AM_OK, "read a table with one atom fewer");
    char want[64];
    snprintf(want, sizeof want, "id %lld", s->id[n - 1]);
    check_true(am_table_join(t, r, t3, r3, p3) == AM_ERR_VALUE && has(am_error_message(), want),
               "a missing atom is named: %s", am_error_message());
    check_true(am_table_find(t, "gamma") < 0, "a failed join adds no column");

    /* hand-written: a logical column becomes 0/1, a string column is left out,
     * a bad number is reported with file and line */
    const char *p4 = scratch_file(dir, "flags.extxyz");
    FILE *f = fopen(p4, "w");
    fprintf(f, "2\nLattice=\"10 0 0 0 10 0 0 0 10\" Properties=species:S:1:pos:R:3:soft:L:1:label:S:1:w:R:1\n"
               "Cu 1 1 1 T a 0.5\nCu 4 4 4 F b 1.5\n");
    fclose(f);
    am_system *r4 = NULL;
    am_table *t4 = NULL;
    check_true(am_read_table(p4, NULL, &r4, &t4) == AM_OK, "read logical and string columns");
    int ks = am_table_find(t4, "soft");
    check_true(t4->ncols == 2 && ks >= 0 && t4->col[ks].v[0] == 1 && t4->col[ks].v[1] == 0 &&
                   am_table_find(t4, "label") < 0,
               "logical T/F read as 1/0, string column skipped");
    const char *p5 = scratch_file(dir, "bad.extxyz");
    f = fopen(p5, "w");
    fprintf(f, "2\nLattice=\"10 0 0 0 10 0 0 0 10\" Properties=species:S:1:pos:R:3:w:R:1\nCu 1 1 1 0.5\nCu 4 4 4 oops\n");
    fclose(f);
    am_system *r5 = NULL;
    am_table *t5 = NULL;
    check_true(am_read_table(p5, NULL, &r5, &t5) == AM_ERR_PARSE && has(am_error_message(), "bad.extxyz:4") &&
                   has(am_error_message(), "'w'") && !r5 && !t5,
               "a bad value names file, line and column: %s", am_error_message());
    /* a LAMMPS data file gives the configuration and no columns */
    am_system *r6 = NULL;
    am_table *t6 = NULL;
    check_true(am_read_table(source_path("data/cuzr_glass_2000.data"), NULL, &r6, &t6) == AM_OK && t6->ncols == 0 &&
                   t6->n == 2000,
               "a data file reads as a table without columns");

    am_table_free(t);
    am_table_free(t2);
    am_table_free(t3);
    am_table_free(t4);
    am_table_free(t6);
    am_system_free(r);
    am_system_free(r2);
    am_system_free(r3);
    am_system_free(r4);
    am_system_free(r6);
    am_system_free(rev);
    am_system_free(part);
    am_system_free(s);
    free(a);
    free(b);
    free(v);
    free(idx);
    return check_exit();
}
