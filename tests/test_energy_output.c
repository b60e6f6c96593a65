/* What `amorph energy -o` writes, under the names ASE and LAMMPS give the
 * numbers (docs/io.md): in extended XYZ the per-atom columns energies and
 * forces equal the library's, the comment line's energy= and stress= (ASE's
 * sign and unit: -virial / V, eV/Å³) too, and the positions lie in [0, L)
 * although the test glass's box starts at -0.11 Å; with -o FILE.dump the
 * same numbers as a LAMMPS dump (energies, fx fy fz) that reads back. */
#include "amorph/amorph.h"
#include "util/build.h"
#include "util/check.h"

#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static char out[1 << 14];

/* The numbers of key="..." (or key=v) on the comment line; how many. */
static int info_numbers(const char *comment, const char *key, double *v, int max)
{
    char pat[64];
    snprintf(pat, sizeof pat, " %s=", key);
    const char *p = strstr(comment, pat);
    if (!p) return 0;
    p += strlen(pat);
    const int quoted = *p == '"';
    p += quoted;
    int k = 0;
    while (k < max) {
        char *end;
        const double x = strtod(p, &end);
        if (end == p) break;
        v[k++] = x;
        p = end;
        if (!quoted) break;
    }
    return k;
}

/* Columns first .. first+count-1 (0-based) of n atom lines from `p`, the
 * first of them. */
static int atom_columns(const char *p, int first, int count, size_t n, double *v)
{
    for (size_t i = 0; i < n && p; i++) {
        for (int c = 0; c < first; c++) {
            p += strspn(p, " ");
            p += strcspn(p, " \n");
        }
        for (int c = 0; c < count; c++) {
            char *end;
            v[i * (size_t)count + (size_t)c] = strtod(p, &end);
            if (end == p) return 0;
            p = end;
        }
        p = strchr(p, '\n');
        if (p) p++;
    }
    return p != NULL;
}

/* The line after the k-th newline of text, or NULL. */
static const char *after_lines(const char *text, int k)
{
    for (; text && k > 0; k--) {
        text = strchr(text, '\n');
        if (text) text++;
    }
    return text;
}

/* Index of label in the ITEM: ATOMS line, or -1. */
static int dump_column(const char *text, const char *label)
{
    const char *p = strstr(text, "ITEM: ATOMS ");
    if (!p) return -1;
    p += strlen("ITEM: ATOMS ");
    const size_t len = strlen(label);
    for (int k = 0; *p && *p != '\n'; k++) {
        const size_t w = strcspn(p, " \n");
        if (w == len && strncmp(p, label, len) == 0) return k;
        p += w;
        p += *p == ' ';
    }
    return -1;
}

int main(void)
{
    const char *dir = scratch_dir("energy_output");
    const char *glass = source_path("tests/data/cuzr_glass_432.data"), *pot = source_path("data/potentials/Cu-Zr_2.eam.fs");
    am_system *s = load_conf(glass, "Cu,Zr");
    am_potential *p = NULL;
    am_engine *e = NULL;
    if (!check_true(s && am_potential_read(pot, AM_EAM_FS, &p) == AM_OK && am_engine_create(p, s, 1.0, &e) == AM_OK,
                    "glass, potential and engine (%s)", am_error_message()))
        return check_exit();
    const size_t n = s->n;
    double *buf = calloc(4 * n, sizeof(double));
    am_result r = {0};
    r.fx = buf, r.fy = buf + n, r.fz = buf + 2 * n, r.e_atom = buf + 3 * n;
    check_true(am_engine_compute(e, s, &r) == AM_OK, "library energy and forces");
    check_true(s->box.lo[0] < 0.0, "the glass's box starts below 0 (lo = %g A)", s->box.lo[0]);

    /* extended XYZ */
    const char *xyz = scratch_file(dir, "e.extxyz");
    char args[2048];
    snprintf(args, sizeof args, "energy %s -p %s -o %s -q", glass, pot, xyz);
    int rc = run_amorph(args, out, sizeof out);
    check_true(rc == 0, "amorph energy -o e.extxyz (status %d) %s", rc, out);
    am_system *b = NULL;
    am_table *t = NULL;
    check_true(am_read_table(xyz, NULL, &b, &t) == AM_OK, "read it back as a table (%s)", am_error_message());
    const int ke = am_table_find(t, "energies"), kf = am_table_find(t, "forces");
    check_true(ke >= 0 && kf >= 0 && t->col[kf].ncomp == 3 && am_table_find(t, "energy") < 0,
               "columns energies and forces (ASE's names), no column energy");
    double de = 0.0, df = 0.0;
    for (size_t i = 0; ke >= 0 && kf >= 0 && i < n; i++) {
        de = fmax(de, fabs(t->col[ke].v[i] - r.e_atom[i]));
        df = fmax(df, fabs(t->col[kf].v[3 * i] - r.fx[i]) + fabs(t->col[kf].v[3 * i + 1] - r.fy[i]) +
                          fabs(t->col[kf].v[3 * i + 2] - r.fz[i]));
    }
    check_abs(de, 0.0, 0.0, "energies equal the library's per-atom energies (eV)");
    check_abs(df, 0.0, 0.0, "forces equal the library's forces (eV/A)");
    check_true(b && max_min_image_distance(s, b->x, b->y, b->z) == 0.0 && b->box.lo[0] == s->box.lo[0],
               "amorph reads back the positions and box to the bit");
    am_table_free(t);
    am_system_free(b);

    char *text = read_text_file(xyz, NULL);
    char comment[8192] = "";
    if (text) {
        const char *c = strchr(text, '\n');
        if (c) snprintf(comment, sizeof comment, " %.*s", (int)strcspn(c + 1, "\n"), c + 1);
    }
    double energy = NAN, stress[9], lo[3];
    info_numbers(comment, "energy", &energy, 1);
    check_true(energy == r.energy, "energy= on the comment line is the total energy (%.17g eV)", energy);
    const int ns = info_numbers(comment, "stress", stress, 9), nl = info_numbers(comment, "box_lo", lo, 3);
    static const int voigt[9] = {0, 3, 4, 3, 1, 5, 4, 5, 2};
    double ds = 0.0;
    for (int k = 0; k < 9 && ns == 9; k++) ds = fmax(ds, fabs(stress[k] + r.virial[voigt[k]] / am_box_volume(&s->box)));
    check_true(ns == 9 && ds == 0.0, "stress= is ASE's 3x3 stress, -virial / V in eV/A^3 (%d numbers, off by %g)", ns, ds);
    check_true(nl == 3 && lo[0] == s->box.lo[0] && lo[1] == s->box.lo[1] && lo[2] == s->box.lo[2],
               "box_lo= is the box corner");
    double *pos = malloc(3 * n * sizeof(double));
    double below = INFINITY, above = -INFINITY, off = 0.0;
    if (check_true(text && atom_columns(after_lines(text, 2), 1, 3, n, pos), "positions parsed from the atom lines"))
        for (size_t i = 0; i < n; i++) {
            const double a[3] = {s->x[i], s->y[i], s->z[i]};
            for (int d = 0; d < 3; d++) {
                below = fmin(below, pos[3 * i + d]);
                above = fmax(above, pos[3 * i + d] - s->box.len[d]);
                off = fmax(off, fabs(pos[3 * i + d] + s->box.lo[d] - a[d]));
            }
        }
    check_true(below >= 0.0 && above < 0.0, "positions in the file lie in [0, L) (lowest %g, highest - L %g)", below,
               above);
    check_abs(off, 0.0, 1e-13, "file position + box_lo = position (A)");
    free(text);

    /* LAMMPS dump */
    const char *dump = scratch_file(dir, "e.dump");
    snprintf(args, sizeof args, "energy %s -p %s -o %s -q", glass, pot, dump);
    rc = run_amorph(args, out, sizeof out);
    text = read_text_file(dump, NULL);
    const int ce = text ? dump_column(text, "energies") : -1, cx = text ? dump_column(text, "fx") : -1;
    check_true(rc == 0 && ce >= 0 && cx == ce + 1 && dump_column(text, "fy") == ce + 2 && dump_column(text, "fz") == ce + 3,
               "amorph energy -o e.dump: a LAMMPS dump with energies fx fy fz");
    double *row = malloc(4 * n * sizeof(double));
    const char *atoms = text ? strstr(text, "ITEM: ATOMS") : NULL;
    de = df = NAN;
    if (atoms && atom_columns(after_lines(atoms, 1), ce, 4, n, row)) {
        de = df = 0.0;
        for (size_t i = 0; i < n; i++) {
            de = fmax(de, fabs(row[4 * i] - r.e_atom[i]));
            df = fmax(df, fabs(row[4 * i + 1] - r.fx[i]) + fabs(row[4 * i + 2] - r.fy[i]) + fabs(row[4 * i + 3] - r.fz[i]));
        }
    }
    check_abs(de, 0.0, 0.0, "dump energies equal the library's (eV)");
    check_abs(df, 0.0, 0.0, "dump fx fy fz equal the library's forces (eV/A)");
    b = NULL;
    check_true(am_read(dump, NULL, &b) == AM_OK && b && max_min_image_distance(s, b->x, b->y, b->z) == 0.0,
               "amorph reads the dump back with the same positions (%s)", b ? "ok" : am_error_message());
    am_system_free(b);
    free(row);
    free(text);
    free(pos);
    free(buf);
    am_engine_free(e);
    am_potential_free(p);
    am_system_free(s);
    return check_exit();
}
