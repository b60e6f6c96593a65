/* LAMMPS reads the per-atom tables amorph writes as dumps
 * (am_write_dump_table), for an orthogonal box and a shifted triclinic one:
 * read_dump ... box yes add keep takes the atoms, the positions to within
 * 1e-9 Å of amorph's and, by their labels, the forces column (fx fy fz); recomputing there gives amorph's
 * per-atom energies column and total energy to 1e-9 relative, and rerun of
 * the dump the same total. amorph reads the dump back with the same
 * positions and box to the bit. Skipped when `lmp` is not on PATH. */
#include "amorph/amorph.h"
#include "util/build.h"
#include "util/check.h"

#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static const char *scratch;

static int bits_eq(double a, double b) { return memcmp(&a, &b, sizeof a) == 0; }

/* Columns `labels` of a LAMMPS dump (first frame), by atom id, into
 * v[index of the id in s][k]. Returns the number of atoms read. */
static size_t dump_columns(const char *path, const am_system *s, const char *const *labels, int k, double *v)
{
    FILE *f = fopen(path, "r");
    if (!f) return 0;
    char line[4096];
    int col[8], idcol = -1, ncol = 0;
    size_t got = 0, natoms = 0;
    while (fgets(line, sizeof line, f)) {
        if (strncmp(line, "ITEM: NUMBER OF ATOMS", 21) == 0 && fgets(line, sizeof line, f)) natoms = strtoul(line, NULL, 10);
        if (strncmp(line, "ITEM: ATOMS", 11) != 0) continue;
        for (int j = 0; j < k; j++) col[j] = -1;
        char *save = NULL;
        for (char *t = strtok_r(line + 11, " \n", &save); t; t = strtok_r(NULL, " \n", &save), ncol++) {
            if (strcmp(t, "id") == 0) idcol = ncol;
            for (int j = 0; j < k; j++)
                if (strcmp(t, labels[j]) == 0) col[j] = ncol;
        }
        for (size_t a = 0; a < natoms && fgets(line, sizeof line, f); a++) {
            double val[64];
            int nv = 0;
            for (char *t = strtok_r(line, " \n", &save); t && nv < 64; t = strtok_r(NULL, " \n", &save))
                val[nv++] = strtod(t, NULL);
            if (idcol < 0 || nv != ncol) break;
            size_t i = 0;
            while (i < s->n && s->id[i] != (long long)val[idcol]) i++;
            if (i == s->n) break;
            for (int j = 0; j < k; j++) v[i * (size_t)k + (size_t)j] = col[j] >= 0 ? val[col[j]] : NAN;
            got++;
        }
        break;
    }
    fclose(f);
    return got;
}

/* LAMMPS's line after `key` in a file it printed, as a number. */
static double printed(const char *path, const char *key)
{
    char *text = read_text_file(path, NULL);
    const char *p = text ? strstr(text, key) : NULL;
    const double v = p ? strtod(p + strlen(key), NULL) : NAN;
    free(text);
    return v;
}

/* The box LAMMPS reads the dump into (read_dump and rerun replace it), the
 * masses and the potential, as both inputs below start. */
static void lammps_box(FILE *f, int tri, const am_system *s, const char *pot)
{
    fprintf(f,
            "units metal\natom_style atomic\nboundary p p p\nbox tilt large\n"
            "region r %s\ncreate_box %d r\nmass 1 %.17g\nmass 2 %.17g\n"
            "pair_style eam/fs\npair_coeff * * %s Cu Zr\n",
            tri ? "prism 0 1 0 1 0 1 0 0 0" : "block 0 1 0 1 0 1", s->nspecies, s->species[0].mass,
            s->species[1].mass, pot);
}

static void check_variant(const char *tag, am_system *s, const char *pot)
{
    am_potential *p = NULL;
    am_engine *e = NULL;
    if (!check_true(am_potential_read(pot, AM_EAM_FS, &p) == AM_OK && am_engine_create(p, s, 1.0, &e) == AM_OK,
                    "%s: potential and engine", tag))
        return;
    const size_t n = s->n;
    double *buf = calloc(10 * n, sizeof(double));
    double *f3 = buf + 4 * n, *vec = buf + 7 * n;
    long long *cn = calloc(n, sizeof *cn);
    am_result r = {0};
    r.fx = buf, r.fy = buf + n, r.fz = buf + 2 * n, r.e_atom = buf + 3 * n;
    check_true(am_engine_compute(e, s, &r) == AM_OK, "%s: amorph energy", tag);
    for (size_t i = 0; i < n; i++) {
        f3[3 * i] = r.fx[i], f3[3 * i + 1] = r.fy[i], f3[3 * i + 2] = r.fz[i];
        vec[2 * i] = 0.5 * (double)i, vec[2 * i + 1] = -1.0 / (double)(i + 1);
        cn[i] = (long long)(i % 17);
    }
    am_column cols[4] = {{"energies", 1, r.e_atom, NULL}, {"forces", 3, f3, NULL}, {"vec", 2, vec, NULL},
                         {"cn", 1, NULL, cn}};
    const char *dump = scratch_file(scratch, "t.dump");
    check_true(am_write_dump_table(dump, s, cols, 4, 7) == AM_OK, "%s: am_write_dump_table (%s)", tag, am_error_message());
    char *text = read_text_file(dump, NULL);
    const int tri = am_box_is_triclinic(&s->box);
    check_true(text && strstr(text, "ITEM: TIMESTEP\n7\n") &&
                   strstr(text, tri ? "ITEM: BOX BOUNDS xy xz yz pp pp pp\n" : "ITEM: BOX BOUNDS pp pp pp\n") &&
                   strstr(text, "element energies fx fy fz vec_1 vec_2 cn\n"),
               "%s: header: timestep, bounds, labels (forces as fx fy fz, vectors as name_k)", tag);
    free(text);

    /* amorph's own reader */
    am_system *b = NULL;
    check_true(am_read(dump, NULL, &b) == AM_OK && b, "%s: amorph reads the dump (%s)", tag, am_error_message());
    int same = b && b->n == n;
    for (int d = 0; same && d < 3; d++)
        same = bits_eq(b->box.lo[d], s->box.lo[d]) && bits_eq(b->box.len[d], s->box.len[d]) &&
               bits_eq(b->box.tilt[d], s->box.tilt[d]);
    for (size_t i = 0; same && i < n; i++)
        same = b->id[i] == s->id[i] && bits_eq(b->x[i], s->x[i]) && bits_eq(b->y[i], s->y[i]) && bits_eq(b->z[i], s->z[i]);
    check_true(same, "%s: same box and positions to the bit", tag);
    am_system_free(b);

    if (!program_available("lmp")) {
        printf("SKIP: lmp not found on PATH\n");
    } else {
        /* read_dump with fx fy fz: the column is taken by its label */
        FILE *f = fopen(scratch_file(scratch, "read.lmp"), "w");
        if (!f) return;
        lammps_box(f, tri, s, pot);
        fprintf(f,
                /* atoms read_dump adds get positions only; reading again
                 * replaces the fields of the atoms there, forces too */
                "read_dump t.dump 7 x y z box yes add keep\n"
                "read_dump t.dump 7 x y z fx fy fz box yes\n"
                "write_dump all custom read.dump id x y z fx fy fz modify sort id format float %%.17g\n"
                "compute pe all pe/atom\nthermo_style custom step pe\n"
                /* a dump defined for the run, so the per-atom energies are current */
                "dump d all custom 1 pe.dump id c_pe\ndump_modify d sort id format float %%.17g\n"
                "run 0\n"
                "print \"PE $(pe:%%.17g)\" file pe.txt\n");
        fclose(f);
        int rc = run_cmd_in(scratch, "lmp -in read.lmp -log read.log -screen none");
        check_true(rc == 0, "%s: LAMMPS read_dump ... box yes add keep accepts the dump", tag);
        static const char *const cols6[] = {"x", "y", "z", "fx", "fy", "fz"};
        double *got = malloc(6 * n * sizeof(double)), *x = malloc(3 * n * sizeof(double));
        const size_t m = rc == 0 ? dump_columns(scratch_file(scratch, "read.dump"), s, cols6, 6, got) : 0;
        check_true(m == n, "%s: LAMMPS wrote back %zu of %zu atoms", tag, m, n);
        double dfo = 0.0, fscale = 0.0;
        for (size_t i = 0; i < n; i++) {
            x[i] = got[6 * i], x[n + i] = got[6 * i + 1], x[2 * n + i] = got[6 * i + 2];
            dfo = fmax(dfo, fabs(got[6 * i + 3] - r.fx[i]) + fabs(got[6 * i + 4] - r.fy[i]) + fabs(got[6 * i + 5] - r.fz[i]));
            fscale = fmax(fscale, fabs(r.fx[i]));
        }
        if (m == n) {
            check_abs(max_min_image_distance(s, x, x + n, x + 2 * n), 0.0, 1e-9, "%s: positions LAMMPS read (A)", tag);
            check_abs(dfo, 0.0, 1e-9 * fscale, "%s: the forces column LAMMPS read by its labels fx fy fz (eV/A)", tag);
        }
        static const char *const cpe[] = {"c_pe"};
        const size_t mp = rc == 0 ? dump_columns(scratch_file(scratch, "pe.dump"), s, cpe, 1, got) : 0;
        double dpe = mp == n ? 0.0 : NAN;
        for (size_t i = 0; i < mp; i++) dpe = fmax(dpe, fabs(got[i] - r.e_atom[i]) / fabs(r.e_atom[i]));
        check_abs(dpe, 0.0, 1e-9, "%s: LAMMPS pe/atom there equals the energies column (relative)", tag);
        check_rel(printed(scratch_file(scratch, "pe.txt"), "PE "), r.energy, 1e-9, "%s: LAMMPS total energy (eV)", tag);

        /* rerun: the dump as a trajectory */
        f = fopen(scratch_file(scratch, "rerun.lmp"), "w");
        if (!f) return;
        lammps_box(f, tri, s, pot);
        fprintf(f,
                "thermo_style custom step pe\nthermo_modify format float %%.17g\n"
                "rerun t.dump dump x y z box yes add keep\n"
                "print \"PE $(pe:%%.17g) STEP $(step)\" file rerun.txt\n");
        fclose(f);
        rc = run_cmd_in(scratch, "lmp -in rerun.lmp -log rerun.log -screen none");
        check_true(rc == 0, "%s: LAMMPS rerun of the dump", tag);
        check_rel(printed(scratch_file(scratch, "rerun.txt"), "PE "), r.energy, 1e-9,
                  "%s: rerun energy equals amorph's (eV)", tag);
        check_true(printed(scratch_file(scratch, "rerun.txt"), "STEP ") == 7.0, "%s: at the dump's timestep 7", tag);
        free(got);
        free(x);
    }
    free(buf);
    free(cn);
    am_engine_free(e);
    am_potential_free(p);
}

int main(void)
{
    scratch = scratch_dir("dump_lammps");
    const char *pot = source_path("data/potentials/Cu-Zr_2.eam.fs");
    am_system *s = load_conf(source_path("tests/data/cuzr_glass_432.data"), "Cu,Zr");
    if (!check_true(s != NULL, "glass loaded")) return check_exit();
    check_variant("orthogonal", s, pot);

    /* a triclinic box away from the origin: bounds are the bounding box's */
    const double shift[3] = {2.5, -1.25, 0.75};
    for (int d = 0; d < 3; d++) s->box.lo[d] += shift[d];
    for (size_t i = 0; i < s->n; i++) s->x[i] += shift[0], s->y[i] += shift[1], s->z[i] += shift[2];
    shear_box(s, 1.3, -0.9, 0.6);
    am_system_wrap(s);
    check_variant("triclinic", s, pot);

    /* names LAMMPS cannot take, or that the dump already uses */
    double *v = calloc(3 * s->n, sizeof(double)); /* room for the 3-component column below */
    static const char *const refused[] = {"s2_rc4.0", "x", "type", "element", "vx"};
    for (size_t k = 0; k < sizeof refused / sizeof *refused; k++) {
        am_column c = {refused[k], 1, v, NULL};
        check_true(am_write_dump_table(scratch_file(scratch, "bad.dump"), s, &c, 1, 0) == AM_ERR_VALUE,
                   "a dump column named %s is refused (%s)", refused[k], am_error_message());
    }
    am_column twice[2] = {{"forces", 3, v, NULL}, {"fx", 1, v, NULL}};
    check_true(am_write_dump_table(scratch_file(scratch, "bad.dump"), s, twice, 2, 0) == AM_ERR_VALUE,
               "forces and a column fx cannot both be written (%s)", am_error_message());
    free(v);
    am_system_free(s);
    return check_exit();
}
