/* Reading and writing configurations: LAMMPS data files, LAMMPS dumps and
 * extended XYZ; round trips, species naming, frames, box conventions. */
#include "amorph/io.h"
#include "util/build.h"
#include "util/check.h"

#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static const char *scratch;

static void write_text(const char *path, const char *text)
{
    FILE *f = fopen(path, "w");
    if (!f) {
        check_true(0, "cannot create %s", path);
        return;
    }
    fputs(text, f);
    fclose(f);
}

static char *read_text(const char *path)
{
    FILE *f = fopen(path, "rb");
    if (!f) return NULL;
    fseek(f, 0, SEEK_END);
    long n = ftell(f);
    fseek(f, 0, SEEK_SET);
    char *s = malloc((size_t)n + 1);
    if (s && fread(s, 1, (size_t)n, f) != (size_t)n) n = 0;
    if (s) s[n] = '\0';
    fclose(f);
    return s;
}

static am_read_options opts(const char *species)
{
    am_read_options o = {AM_FMT_AUTO, species, 0, 0.0, 0};
    return o;
}

static am_system *read_ok(const char *path, const am_read_options *o)
{
    am_system *s = NULL;
    am_status st = am_read(path, o, &s);
    if (!check_true(st == AM_OK && s, "read %s", path)) {
        printf("  status %s: %s\n", am_status_name(st), am_error_message());
        am_system_free(s);
        return NULL;
    }
    return s;
}

static int bits_eq(double a, double b) { return memcmp(&a, &b, sizeof a) == 0; }

/* Every field equal to the bit; images only when the format stores them. */
static int identical(const am_system *a, const am_system *b, int images, const char *what)
{
    char why[256] = "";
    if (a->n != b->n) snprintf(why, sizeof why, "n %zu vs %zu", a->n, b->n);
    else if (a->nspecies != b->nspecies) snprintf(why, sizeof why, "nspecies %d vs %d", a->nspecies, b->nspecies);
    else if ((a->vx == NULL) != (b->vx == NULL)) snprintf(why, sizeof why, "velocities present differ");
    for (int k = 0; !why[0] && k < a->nspecies; k++)
        if (strcmp(a->species[k].name, b->species[k].name) || !bits_eq(a->species[k].mass, b->species[k].mass))
            snprintf(why, sizeof why, "species %d: %s %.17g vs %s %.17g", k, a->species[k].name,
                     a->species[k].mass, b->species[k].name, b->species[k].mass);
    for (int d = 0; !why[0] && d < 3; d++)
        if (!bits_eq(a->box.lo[d], b->box.lo[d]) || !bits_eq(a->box.len[d], b->box.len[d]) ||
            !bits_eq(a->box.tilt[d], b->box.tilt[d]) || a->box.periodic[d] != b->box.periodic[d])
            snprintf(why, sizeof why, "box dim %d: lo %.17g/%.17g len %.17g/%.17g tilt %.17g/%.17g pbc %d/%d", d,
                     a->box.lo[d], b->box.lo[d], a->box.len[d], b->box.len[d], a->box.tilt[d], b->box.tilt[d],
                     a->box.periodic[d], b->box.periodic[d]);
    for (size_t i = 0; !why[0] && i < a->n; i++) {
        if (a->id[i] != b->id[i] || a->type[i] != b->type[i])
            snprintf(why, sizeof why, "atom %zu: id %lld/%lld type %d/%d", i, a->id[i], b->id[i], a->type[i],
                     b->type[i]);
        else if (!bits_eq(a->x[i], b->x[i]) || !bits_eq(a->y[i], b->y[i]) || !bits_eq(a->z[i], b->z[i]))
            snprintf(why, sizeof why, "atom %zu position %.17g %.17g %.17g vs %.17g %.17g %.17g", i, a->x[i],
                     a->y[i], a->z[i], b->x[i], b->y[i], b->z[i]);
        else if (a->vx && (!bits_eq(a->vx[i], b->vx[i]) || !bits_eq(a->vy[i], b->vy[i]) ||
                           !bits_eq(a->vz[i], b->vz[i])))
            snprintf(why, sizeof why, "atom %zu velocity", i);
        else if (images)
            for (int d = 0; d < 3; d++)
                if (a->image[3 * i + d] != b->image[3 * i + d])
                    snprintf(why, sizeof why, "atom %zu image %d: %d vs %d", i, d, a->image[3 * i + d],
                             b->image[3 * i + d]);
    }
    if (why[0]) printf("  mismatch: %s\n", why);
    return check_true(!why[0], "%s: identical to the bit", what);
}

static unsigned long long rng_state = 88172645463325252ULL;
static double urand(void)
{
    rng_state ^= rng_state << 13;
    rng_state ^= rng_state >> 7;
    rng_state ^= rng_state << 17;
    return (double)(rng_state >> 11) / 9007199254740992.0;
}

/* Jittered lattice so no two atoms come closer than about 0.4 lattice
 * spacings; ids shuffled; random images and velocities. */
static am_system *make_system(size_t n, int triclinic, int vel)
{
    am_system *s;
    if (am_system_alloc(n, vel, &s) != AM_OK) return NULL;
    am_box *b = &s->box;
    double L = cbrt((double)n / 0.06);
    b->lo[0] = -0.37 * L;
    b->lo[1] = 0.1;
    b->lo[2] = -0.5 * L;
    b->len[0] = L * 1.03;
    b->len[1] = L * 0.97 + 0.123456789;
    b->len[2] = L * 1.01;
    if (triclinic) {
        b->tilt[0] = 0.21 * L;
        b->tilt[1] = -0.13 * L;
        b->tilt[2] = 0.07 * L + 0.01;
    }
    set_species(s, "Cu,Zr");
    int m = (int)ceil(cbrt((double)n));
    for (size_t i = 0; i < n; i++) {
        int c[3] = {(int)(i % (size_t)m), (int)(i / (size_t)m % (size_t)m), (int)(i / ((size_t)m * m))};
        double f[3], r[3];
        for (int d = 0; d < 3; d++) f[d] = (c[d] + 0.5 + 0.6 * (urand() - 0.5)) / m;
        am_box_from_frac(b, f, r);
        s->x[i] = r[0];
        s->y[i] = r[1];
        s->z[i] = r[2];
        s->type[i] = urand() < 0.36;
        s->id[i] = (long long)(3 * i + 7);
        for (int d = 0; d < 3; d++) s->image[3 * i + d] = (int)floor(urand() * 5) - 2;
        if (vel) {
            s->vx[i] = 10 * (urand() - 0.5);
            s->vy[i] = 10 * (urand() - 0.5);
            s->vz[i] = -1e-7 * urand();
        }
    }
    /* shuffle ids so file order and id order differ */
    for (size_t i = n; i > 1; i--) {
        size_t j = (size_t)(urand() * (double)i);
        long long t = s->id[i - 1];
        s->id[i - 1] = s->id[j];
        s->id[j] = t;
    }
    return s;
}

static void test_round_trips(void)
{
    static const struct {
        const char *ext;
        am_format fmt;
        int images;
    } fmts[] = {{"data", AM_FMT_LAMMPS_DATA, 1}, {"dump", AM_FMT_LAMMPS_DUMP, 1}, {"xyz", AM_FMT_EXTXYZ, 0}};
    for (int f = 0; f < 3; f++)
        for (int tri = 0; tri < 2; tri++)
            for (int vel = 0; vel < 2; vel++) {
                am_system *s = make_system(500, tri, vel);
                if (!fmts[f].images) memset(s->image, 0, 3 * s->n * sizeof *s->image);
                char name[64], name2[64];
                snprintf(name, sizeof name, "rt_%d%d.%s", tri, vel, fmts[f].ext);
                snprintf(name2, sizeof name2, "rt2_%d%d.%s", tri, vel, fmts[f].ext);
                const char *p = scratch_file(scratch, name), *p2 = scratch_file(scratch, name2);
                am_status st = am_write(p, AM_FMT_AUTO, s);
                check_true(st == AM_OK, "write %s (%s)", name, am_error_message());
                am_read_options o = opts(NULL);
                am_system *back = read_ok(p, &o);
                if (back) {
                    char what[96];
                    snprintf(what, sizeof what, "%s round trip (triclinic %d, velocities %d)", fmts[f].ext, tri, vel);
                    identical(s, back, fmts[f].images, what);
                    /* writing what was read gives the same file again */
                    check_true(am_write(p2, fmts[f].fmt, back) == AM_OK, "rewrite %s", name2);
                    char *t1 = read_text(p), *t2 = read_text(p2);
                    check_true(t1 && t2 && strcmp(t1, t2) == 0, "%s: rewritten file is byte-identical", name);
                    free(t1);
                    free(t2);
                }
                am_system_free(back);
                am_system_free(s);
            }

    /* non-periodic directions survive dumps and extxyz */
    am_system *s = make_system(200, 1, 1);
    s->box.periodic[2] = 0;
    s->box.periodic[0] = 0;
    memset(s->image, 0, 3 * s->n * sizeof *s->image);
    const char *exts[2] = {"pbc.dump", "pbc.xyz"};
    for (int k = 0; k < 2; k++) {
        check_true(am_write(scratch_file(scratch, exts[k]), AM_FMT_AUTO, s) == AM_OK, "write %s", exts[k]);
        am_read_options o = opts(NULL);
        am_system *back = read_ok(scratch_file(scratch, exts[k]), &o);
        if (back) identical(s, back, 1, exts[k]);
        am_system_free(back);
    }
    am_system_free(s);
}

static void test_atomic_replace(void)
{
    am_system *s = make_system(50, 0, 0);
    const char *p = scratch_file(scratch, "replace.data");
    write_text(p, "old contents\n");
    check_true(am_write(p, AM_FMT_LAMMPS_DATA, s) == AM_OK, "write over an existing file");
    char *t = read_text(p);
    check_true(t && strncmp(t, "LAMMPS data file", 16) == 0, "old file replaced");
    free(t);
    check_true(!dir_has(scratch, "tmp"), "no temporary files left behind");
    check_true(am_write(scratch_file(scratch, "no/such/dir/x.data"), AM_FMT_AUTO, s) == AM_ERR_IO,
               "unwritable path: AM_ERR_IO");
    check_true(am_write(scratch_file(scratch, "noext"), AM_FMT_AUTO, s) == AM_ERR_VALUE, "no extension: AM_ERR_VALUE");
    am_system_free(s);
}

static void test_formats(void)
{
    am_format f;
    check_true(am_format_parse("data", &f) == AM_OK && f == AM_FMT_LAMMPS_DATA, "format 'data'");
    check_true(am_format_parse("lmp", &f) == AM_OK && f == AM_FMT_LAMMPS_DATA, "format 'lmp'");
    check_true(am_format_parse("dump", &f) == AM_OK && f == AM_FMT_LAMMPS_DUMP, "format 'dump'");
    check_true(am_format_parse("xyz", &f) == AM_OK && f == AM_FMT_EXTXYZ, "format 'xyz'");
    check_true(am_format_parse("extxyz", &f) == AM_OK && f == AM_FMT_EXTXYZ, "format 'extxyz'");
    check_true(am_format_parse("x.lammpstrj", &f) == AM_OK && f == AM_FMT_LAMMPS_DUMP, "format from extension");
    check_true(am_format_parse("pdb", &f) == AM_ERR_VALUE && strstr(am_error_message(), "pdb"),
               "unknown format rejected");
    check_true(am_format_from_path("a/b/c.lmp") == AM_FMT_LAMMPS_DATA, "path .lmp");
    check_true(am_format_from_path("run.lammpstrj") == AM_FMT_LAMMPS_DUMP, "path .lammpstrj");
    check_true(am_format_from_path("x.extxyz") == AM_FMT_EXTXYZ, "path .extxyz");
    check_true(am_format_from_path("dir.d/data.cuzr") == AM_FMT_LAMMPS_DATA, "path data.*");
    check_true(am_format_from_path("dump.melt") == AM_FMT_LAMMPS_DUMP, "path dump.*");
    check_true(am_format_from_path("conf") == AM_FMT_AUTO, "path without extension");

    /* content sniffing when the name says nothing */
    am_system *s = make_system(30, 1, 0);
    const char *names[3] = {"sniff_data", "sniff_dump", "sniff_xyz"};
    am_format fm[3] = {AM_FMT_LAMMPS_DATA, AM_FMT_LAMMPS_DUMP, AM_FMT_EXTXYZ};
    for (int k = 0; k < 3; k++) {
        check_true(am_write(scratch_file(scratch, names[k]), fm[k], s) == AM_OK, "write %s", names[k]);
        am_read_options o = opts(NULL);
        am_system *b = read_ok(scratch_file(scratch, names[k]), &o);
        check_true(b && b->n == 30, "%s: format sniffed from contents", names[k]);
        am_system_free(b);
    }
    am_system_free(s);

    check_rel(am_element_mass("Cu"), 63.546, 1e-12, "mass of Cu");
    check_rel(am_element_mass("Zr"), 91.224, 1e-12, "mass of Zr");
    check_rel(am_element_mass("H"), 1.008, 1e-12, "mass of H");
    check_rel(am_element_mass("Bi"), 208.9804, 1e-6, "mass of Bi");
    check_true(am_element_mass("Xx") == 0.0 && am_element_mass("cu") == 0.0, "unknown symbols have no mass");
    check_true(am_element_from_mass(63.55, 0.05) && !strcmp(am_element_from_mass(63.55, 0.05), "Cu"), "63.55 is Cu");
    check_true(am_element_from_mass(58.71, 0.05) && !strcmp(am_element_from_mass(58.71, 0.05), "Ni"), "58.71 is Ni");
    check_true(am_element_from_mass(58.93, 0.05) && !strcmp(am_element_from_mass(58.93, 0.05), "Co"), "58.93 is Co");
    check_true(am_element_from_mass(26.98, 0.05) && !strcmp(am_element_from_mass(26.98, 0.05), "Al"), "26.98 is Al");
    check_true(am_element_from_mass(100.0, 0.05) == NULL, "100 amu is no element");
}

/* The unwrapped position of atom i. */
static void unwrapped(const am_system *s, size_t i, double u[3])
{
    const am_box *b = &s->box;
    const int *im = s->image + 3 * i;
    u[0] = s->x[i] + im[0] * b->len[0] + im[1] * b->tilt[0] + im[2] * b->tilt[1];
    u[1] = s->y[i] + im[1] * b->len[1] + im[2] * b->tilt[2];
    u[2] = s->z[i] + im[2] * b->len[2];
}

static size_t index_of(const am_system *s, long long id)
{
    for (size_t i = 0; i < s->n; i++)
        if (s->id[i] == id) return i;
    return (size_t)-1;
}

static void test_data_files(void)
{
    am_read_options o = opts(NULL);
    /* written by LAMMPS write_data: masses only, so species come from masses */
    am_system *s = read_ok(io_data_path("lammps_tri.data"), &o);
    if (s) {
        check_true(s->n == 32, "LAMMPS data: 32 atoms");
        check_true(s->nspecies == 2 && !strcmp(s->species[0].name, "Cu") && !strcmp(s->species[1].name, "Zr"),
                   "species guessed from masses: Cu, Zr");
        check_true(s->species[1].mass == 91.224, "file mass kept");
        check_true(s->box.len[0] == 7.23 && s->box.tilt[0] == 1.8075 && s->box.tilt[1] == -1.0845 &&
                       s->box.tilt[2] == 0.90375,
                   "triclinic box read");
        check_true(s->vx && s->vx[0] == -5.089106250357466 && s->vz[16] == -39.859922548795744,
                   "velocities attached by id");
        check_true(s->id[2] == 3 && s->image[6] == 0 && s->image[8] == -1, "image flags read");
        check_true(s->x[2] == -0.28270978296945926, "position inside the tilted box is untouched");
        /* LAMMPS dump of the same state, 6 significant digits */
        am_read_options od = opts("Cu,Zr");
        am_system *d = read_ok(io_data_path("lammps_tri.dump"), &od);
        if (d) {
            double worst = 0.0;
            int same_images = 1, same_types = 1;
            for (size_t i = 0; i < s->n; i++) {
                size_t j = index_of(d, s->id[i]);
                if (j == (size_t)-1) { same_types = 0; continue; }
                double us[3], ud[3];
                unwrapped(s, i, us);
                unwrapped(d, j, ud);
                for (int k = 0; k < 3; k++) worst = fmax(worst, fabs(us[k] - ud[k]));
                for (int k = 0; k < 3; k++) same_images &= s->image[3 * i + k] == d->image[3 * j + k];
                same_types &= s->type[i] == d->type[j];
            }
            check_abs(worst, 0.0, 1e-4, "LAMMPS dump agrees with LAMMPS data file (unwrapped)");
            check_true(same_images && same_types, "same images and types in dump and data");
            for (int k = 0; k < 3; k++) {
                check_abs(d->box.lo[k], s->box.lo[k], 1e-12, "dump lo[%d] from bounding box", k);
                check_abs(d->box.len[k], s->box.len[k], 1e-12, "dump len[%d] from bounding box", k);
                check_true(d->box.tilt[k] == s->box.tilt[k], "dump tilt[%d]", k);
            }
        }
        am_system_free(d);
    }
    am_system_free(s);

    s = read_ok(io_data_path("comments.data"), &o);
    if (s) {
        check_true(s->nspecies == 2 && !strcmp(s->species[0].name, "Ni") && !strcmp(s->species[1].name, "Al"),
                   "species from Masses comments");
        check_true(s->species[0].mass == 10.0 && s->species[1].mass == 20.0, "masses from the file, not the table");
        long long want[5] = {3, 1, 5, 2, 4};
        int order = 1;
        for (int i = 0; i < 5; i++) order &= s->id[i] == want[i];
        check_true(order, "atoms kept in file order");
        check_true(s->image[3] == 1 && s->image[4] == -1 && s->image[5] == 2, "image flags of atom 1");
        check_true(s->vx[1] == 0.1 && s->vx[3] == -1.5 && s->vz[4] == 3e-3 && s->vz[2] == 9, "velocities by id");
        check_true(s->x[4] == 1.0 && s->y[4] == -2.0 && s->z[4] == 11.0, "positions exact");
    }
    am_system_free(s);

    s = read_ok(io_data_path("labels.data"), &o);
    if (s) {
        check_true(s->nspecies == 2 && !strcmp(s->species[0].name, "Cu") && !strcmp(s->species[1].name, "Zr"),
                   "type labels win over Masses comments");
        check_true(s->type[0] == 1 && s->type[1] == 0 && s->type[2] == 1 && s->type[3] == 0,
                   "types given as labels in Atoms");
    }
    am_system_free(s);

    am_read_options os = opts("Ni, Al");
    s = NULL;
    check_true(am_read(io_data_path("labels.data"), &os, &s) == AM_ERR_VALUE && !s &&
                   strstr(am_error_message(), "names it Cu"),
               "a species list that contradicts the type labels is refused: %s", am_error_message());
    os.force_species = 1;
    s = read_ok(io_data_path("labels.data"), &os);
    if (s) {
        check_true(!strcmp(s->species[0].name, "Ni") && !strcmp(s->species[1].name, "Al"),
                   "forced, the species option wins over labels");
        check_true(s->species[0].mass == 63.546, "file masses kept with the species option");
    }
    am_system_free(s);

    s = read_ok(io_data_path("wrap.data"), &o);
    if (s) {
        check_abs(s->x[0], 0.25, 1e-12, "atom beyond xhi wrapped");
        check_true(s->image[0] == 1, "image flag incremented");
        check_abs(s->x[1], 9.5, 1e-12, "atom below xlo wrapped");
        check_true(s->image[3] == 1, "image flag 2 -> 1");
        check_abs(s->z[2], 4.0, 1e-12, "z wrapped");
        check_true(s->image[8] == 0, "image flag -1 -> 0");
        check_true(!strcmp(s->species[0].name, "Cu"), "single type guessed as Cu");
    }
    am_system_free(s);

    /* two types with the same element become one species */
    const char *p = scratch_file(scratch, "twocu.data");
    write_text(p, "two types of copper\n\n2 atoms\n2 atom types\n0 5 xlo xhi\n0 5 ylo yhi\n0 5 zlo zhi\n\n"
                  "Masses\n\n1 63.546\n2 63.546\n\nAtoms\n\n1 1 1 1 1\n2 2 3 3 3\n");
    s = read_ok(p, &o);
    if (s) check_true(s->nspecies == 1 && s->type[0] == 0 && s->type[1] == 0, "types 1 and 2 both Cu: one species");
    am_system_free(s);

    /* write_data style file with Pair Coeffs and no Masses, species given */
    p = scratch_file(scratch, "coeffs.data");
    write_text(p, "LAMMPS data file via write_data\n\n2 atoms\n1 atom types\n\n0 5 xlo xhi\n0 5 ylo yhi\n"
                  "0 5 zlo zhi\n\nPair Coeffs # lj/cut\n\n1 0.4 2.3\n\nAtoms # atomic\n\n1 1 1 1 1 0 0 0\n"
                  "2 1 3 3 3 0 0 0\n");
    am_read_options oal = opts("Al");
    s = read_ok(p, &oal);
    if (s) check_rel(s->species[0].mass, 26.9815385, 1e-12, "mass of Al from the element table");
    am_system_free(s);
}

static void test_dumps(void)
{
    am_read_options o = opts(NULL);
    am_system *ref = read_ok(io_data_path("lammps_tri.data"), &o);
    const char *files[3] = {"lammps_tri_xs.dump", "lammps_tri_xu.dump", "lammps_tri_el.dump"};
    for (int k = 0; k < 3 && ref; k++) {
        am_read_options od = opts(k < 2 ? "Cu,Zr" : NULL);
        am_system *d = read_ok(io_data_path(files[k]), &od);
        if (!d) continue;
        double worst = 0.0;
        int types = 1;
        for (size_t i = 0; i < ref->n; i++) {
            size_t j = index_of(d, ref->id[i]);
            if (j == (size_t)-1) { types = 0; continue; }
            double a[3], b[3];
            /* xs without images holds wrapped positions; compare in the box */
            if (k == 1) {
                unwrapped(ref, i, a);
                unwrapped(d, j, b);
            } else {
                a[0] = ref->x[i]; a[1] = ref->y[i]; a[2] = ref->z[i];
                b[0] = d->x[j]; b[1] = d->y[j]; b[2] = d->z[j];
            }
            for (int c = 0; c < 3; c++) worst = fmax(worst, fabs(a[c] - b[c]));
            types &= !strcmp(ref->species[ref->type[i]].name, d->species[d->type[j]].name);
        }
        check_abs(worst, 0.0, 2e-4, "%s matches the LAMMPS data file", files[k]);
        check_true(types, "%s: species match", files[k]);
        check_true(k != 1 || d->vx, "%s: velocities read", files[k]);
        am_system_free(d);
    }
    am_system_free(ref);

    /* without species names the user is told how to give them */
    am_system *s = NULL;
    am_status st = am_read(io_data_path("lammps_tri_xs.dump"), &o, &s);
    check_true(st == AM_ERR_VALUE && strstr(am_error_message(), "--species") &&
                   strstr(am_error_message(), "lammps_tri_xs.dump"),
               "dump without element column asks for --species (%s)", am_error_message());

    /* frames */
    const char *multi = io_data_path("lammps_orth_multi.dump");
    am_system *fr[3] = {NULL, NULL, NULL};
    for (long k = 0; k < 3; k++) {
        am_read_options of = opts(NULL);
        of.frame = k;
        fr[k] = read_ok(multi, &of);
    }
    if (fr[0] && fr[1] && fr[2]) {
        check_true(fr[0]->n == 32 && fr[0]->x[1] == 1.8075 && fr[0]->y[1] == 1.8075 && fr[0]->z[1] == 0,
                   "frame 0 is the initial lattice");
        check_true(fr[1]->x[1] != fr[0]->x[1] && fr[2]->x[1] != fr[1]->x[1], "frames differ");
        check_true(!strcmp(fr[2]->species[1].name, "Zr"), "element column names species");
        for (long k = -3; k < 0; k++) {
            am_read_options of = opts(NULL);
            of.frame = k;
            am_system *b = read_ok(multi, &of);
            if (b) identical(fr[3 + k], b, 1, k == -1 ? "frame -1 is the last" : "negative frame from the end");
            am_system_free(b);
        }
        /* unwrapped dump of the same run, last frame */
        am_read_options ou = opts("Cu,Zr");
        ou.frame = -1;
        am_system *u = read_ok(io_data_path("lammps_orth_xu.dump"), &ou);
        if (u) {
            double worst = 0.0;
            int moved = 0;
            for (size_t i = 0; i < u->n; i++) {
                double a[3], b[3];
                unwrapped(u, i, a);
                unwrapped(fr[2], i, b);
                for (int c = 0; c < 3; c++) worst = fmax(worst, fabs(a[c] - b[c]));
                for (int c = 0; c < 3; c++) moved |= u->image[3 * i + c] != 0;
            }
            check_abs(worst, 0.0, 2e-4, "xu frame agrees with x + image flags");
            check_true(moved, "some atoms crossed the boundary (images found from xu)");
        }
        am_system_free(u);
    }
    for (int k = 0; k < 3; k++) am_system_free(fr[k]);
    long bad[2] = {3, -4};
    for (int k = 0; k < 2; k++) {
        am_read_options of = opts(NULL);
        of.frame = bad[k];
        s = NULL;
        st = am_read(multi, &of, &s);
        check_true(st == AM_ERR_VALUE && !s && strstr(am_error_message(), "3 frames"),
                   "frame %ld of 3 rejected (%s)", bad[k], am_error_message());
    }

    /* triclinic bounding box converted back; x, xs and xu agree */
    static const char *cols[3] = {"x y z", "xs ys zs", "xu yu zu"};
    /* box: lo (1,2,3), len (10,11,12), tilt xy=2 xz=-3 yz=1.5 */
    const char *head =
        "ITEM: TIMESTEP\n100\nITEM: NUMBER OF ATOMS\n2\nITEM: BOX BOUNDS xy xz yz pp pp ff\n"
        "-2 13 2\n2 14.5 -3\n3 15 1.5\n";
    static const char *atoms[3] = {"1 1 2.5 3.5 4.5\n2 2 15.5 3.5 4.5\n",
                                   "1 1 0.1 0.1 0.125\n2 2 0.3 0.5 0.75\n",
                                   "1 1 -6.5 3.5 4.5\n2 2 5.25 -9.25 12.0\n"};
    for (int k = 0; k < 3; k++) {
        char text[1024], name[32];
        snprintf(text, sizeof text, "%sITEM: ATOMS id type %s\n%s", head, cols[k], atoms[k]);
        snprintf(name, sizeof name, "tri%d.dump", k);
        write_text(scratch_file(scratch, name), text);
        am_read_options of = opts("Cu,Zr");
        s = read_ok(scratch_file(scratch, name), &of);
        if (!s) continue;
        check_true(s->box.lo[0] == 1 && s->box.lo[1] == 2 && s->box.lo[2] == 3 && s->box.len[0] == 10 &&
                       s->box.len[1] == 11 && s->box.len[2] == 12 && s->box.tilt[0] == 2 && s->box.tilt[1] == -3 &&
                       s->box.tilt[2] == 1.5,
                   "%s: box from triclinic bounds", cols[k]);
        check_true(s->box.periodic[0] && s->box.periodic[1] && !s->box.periodic[2], "%s: boundary flags", cols[k]);
        if (k == 1) {
            /* s = (0.3, 0.5, 0.75) -> r = lo + 3 + 1 - 2.25, 2 + 5.5 + 1.125, 3 + 9 */
            check_abs(s->x[1], 1 + 3.0 + 1.0 - 2.25, 1e-12, "xs converted with tilts (x)");
            check_abs(s->y[1], 2 + 5.5 + 1.125, 1e-12, "xs converted with tilts (y)");
            check_abs(s->z[1], 12.0, 1e-12, "xs converted (z)");
        }
        if (k == 2) {
            double u[3];
            unwrapped(s, 0, u);
            check_true(fabs(u[0] + 6.5) < 1e-12 && s->image[0] == -1, "xu: unwrapped position kept, image -1");
            unwrapped(s, 1, u);
            check_true(fabs(u[1] + 9.25) < 1e-12 && s->image[4] == -2, "xu: image along y");
        }
        am_system_free(s);
    }
}

/* Rotation about an arbitrary axis, for building non-LAMMPS cells. */
static void rotation(double ax, double ay, double az, double angle, double q[3][3])
{
    double n = sqrt(ax * ax + ay * ay + az * az);
    ax /= n; ay /= n; az /= n;
    double c = cos(angle), s = sin(angle), t = 1 - c;
    double m[3][3] = {{t * ax * ax + c, t * ax * ay - s * az, t * ax * az + s * ay},
                      {t * ax * ay + s * az, t * ay * ay + c, t * ay * az - s * ax},
                      {t * ax * az - s * ay, t * ay * az + s * ax, t * az * az + c}};
    memcpy(q, m, sizeof m);
}

static void apply(const double q[3][3], const double v[3], double out[3])
{
    for (int i = 0; i < 3; i++) out[i] = q[i][0] * v[0] + q[i][1] * v[1] + q[i][2] * v[2];
}

static void test_extxyz(void)
{
    /* a LAMMPS box, rotated and shifted as ASE might hold it */
    const double lx = 10, ly = 9, lz = 8, xy = 2, xz = -1.5, yz = 1;
    double cellv[3][3] = {{lx, 0, 0}, {xy, ly, 0}, {xz, yz, lz}};
    double q[3][3];
    rotation(0.3, -0.8, 0.5, 1.1, q);
    double pos[4][3] = {{1, 1, 1}, {3.5, 2, 1.5}, {7, 6, 5}, {2, 8, 7.5}};
    double vel[4][3] = {{1, 0, 0}, {0, 1, 0}, {0, 0, 1}, {0.5, -0.5, 2}};
    char text[4096];
    int len = 0;
    double rc[3][3];
    for (int k = 0; k < 3; k++) apply(q, cellv[k], rc[k]);
    len += snprintf(text + len, sizeof text - len,
                    "4\nLattice=\"%.17g %.17g %.17g %.17g %.17g %.17g %.17g %.17g %.17g\" "
                    "Properties=species:S:1:pos:R:3:vel:R:3:id:I:1 pbc=\"T T T\"\n",
                    rc[0][0], rc[0][1], rc[0][2], rc[1][0], rc[1][1], rc[1][2], rc[2][0], rc[2][1], rc[2][2]);
    for (int i = 0; i < 4; i++) {
        double r[3], v[3];
        apply(q, pos[i], r);
        apply(q, vel[i], v);
        len += snprintf(text + len, sizeof text - len, "%s %.17g %.17g %.17g %.17g %.17g %.17g %d\n",
                        i % 2 ? "Zr" : "Cu", r[0], r[1], r[2], v[0], v[1], v[2], 10 + i);
    }
    write_text(scratch_file(scratch, "rotated.xyz"), text);
    am_read_options o = opts(NULL);
    am_system *s = read_ok(scratch_file(scratch, "rotated.xyz"), &o);
    if (s) {
        check_rel(s->box.len[0], lx, 1e-13, "rotated cell: lx");
        check_rel(s->box.len[1], ly, 1e-13, "rotated cell: ly");
        check_rel(s->box.len[2], lz, 1e-13, "rotated cell: lz");
        check_abs(s->box.tilt[0], xy, 1e-12, "rotated cell: xy");
        check_abs(s->box.tilt[1], xz, 1e-12, "rotated cell: xz");
        check_abs(s->box.tilt[2], yz, 1e-12, "rotated cell: yz");
        double worst = 0.0, worst_v = 0.0;
        for (int i = 0; i < 4; i++) {
            worst = fmax(worst, fabs(s->x[i] - pos[i][0]) + fabs(s->y[i] - pos[i][1]) + fabs(s->z[i] - pos[i][2]));
            worst_v = fmax(worst_v, fabs(s->vx[i] - vel[i][0]) + fabs(s->vy[i] - vel[i][1]) + fabs(s->vz[i] - vel[i][2]));
            for (int j = 0; j < i; j++) {
                double d0 = 0, d1 = 0, a[3] = {s->x[i] - s->x[j], s->y[i] - s->y[j], s->z[i] - s->z[j]};
                for (int c = 0; c < 3; c++) {
                    d0 += (pos[i][c] - pos[j][c]) * (pos[i][c] - pos[j][c]);
                    d1 += a[c] * a[c];
                }
                check_rel(sqrt(d1), sqrt(d0), 1e-12, "distance %d-%d preserved by the rotation", i, j);
            }
        }
        check_abs(worst, 0.0, 1e-12, "rotation undone: positions in the LAMMPS frame");
        check_abs(worst_v, 0.0, 1e-12, "velocities rotated with the cell");
        check_true(s->id[0] == 10 && s->id[3] == 13, "ids from the id column");
        check_true(s->nspecies == 2 && !strcmp(s->species[1].name, "Zr") && s->species[1].mass == 91.224,
                   "species and element masses");
    }
    am_system_free(s);

    /* a left-handed cell cannot be rotated into LAMMPS form */
    write_text(scratch_file(scratch, "lefthanded.xyz"), "1\nLattice=\"5 0 0 0 5 0 0 0 -5\"\nCu 1 1 -1\n");
    s = NULL;
    check_true(am_read(scratch_file(scratch, "lefthanded.xyz"), &o, &s) == AM_ERR_VALUE &&
                   strstr(am_error_message(), ":2:") && strstr(am_error_message(), "right-handed"),
               "left-handed cell rejected (%s)", am_error_message());

    /* ASE-style frames */
    const char *af = io_data_path("ase_frames.xyz");
    s = read_ok(af, &o);
    if (s) {
        check_true(s->n == 2 && s->id[0] == 1 && s->id[1] == 2, "no id column: ids 1..n");
        check_true(!s->vx, "no velocities");
        check_true(s->box.len[0] == 6 && s->box.periodic[2], "first frame box");
    }
    am_system_free(s);
    am_read_options o1 = opts(NULL);
    o1.frame = 1;
    s = read_ok(af, &o1);
    if (s) {
        check_true(s->n == 3 && s->nspecies == 2 && !s->box.periodic[2] && s->box.periodic[0],
                   "second frame: 3 atoms, pbc T T F");
    }
    am_system_free(s);
    am_read_options o2 = opts(NULL);
    o2.frame = -1;
    s = read_ok(af, &o2);
    if (s) check_true(s->n == 1 && !strcmp(s->species[0].name, "Xq") && s->species[0].mass == 12.5,
                      "last frame: unknown species named with a masses column");
    am_system_free(s);
    am_read_options o3 = opts("Zr,Cu,Ni");
    o3.frame = 1;
    s = read_ok(af, &o3);
    if (s) check_true(s->nspecies == 3 && s->type[0] == 1 && s->type[1] == 0 && !strcmp(s->species[2].name, "Ni"),
                      "species option fixes the species order");
    am_system_free(s);
    o2.frame = 3;
    s = NULL;
    check_true(am_read(af, &o2, &s) == AM_ERR_VALUE && strstr(am_error_message(), "3 frames"),
               "frame 3 of 3 rejected (%s)", am_error_message());

    /* no lattice: a cluster in a non-periodic box */
    write_text(scratch_file(scratch, "cluster.xyz"), "3\nsome molecule\nO 0 0 0\nH 0.96 0 0\nH -0.24 0.93 0\n");
    s = read_ok(scratch_file(scratch, "cluster.xyz"), &o);
    if (s) {
        check_true(!s->box.periodic[0] && !s->box.periodic[1] && !s->box.periodic[2], "cluster: not periodic");
        check_true(s->x[1] == 0.96 && s->species[0].mass == 15.999, "cluster: positions and masses");
    }
    am_system_free(s);

    /* writer with extra columns and info */
    s = make_system(20, 1, 1);
    memset(s->image, 0, 3 * s->n * sizeof *s->image);
    double *energy = malloc(s->n * sizeof *energy), *forces = malloc(3 * s->n * sizeof *forces);
    long long *nn = malloc(s->n * sizeof *nn);
    for (size_t i = 0; i < s->n; i++) {
        energy[i] = -3.0 - 0.1 * (double)i;
        nn[i] = (long long)(i % 13);
        for (int c = 0; c < 3; c++) forces[3 * i + c] = 0.01 * (double)(i + c);
    }
    am_column cols[3] = {{"energies", 1, energy, NULL}, {"forces", 3, forces, NULL}, {"coordination", 1, NULL, nn}};
    const char *p = scratch_file(scratch, "extra.xyz");
    check_true(am_write_extxyz(p, s, cols, 3, "energy=-61.5 step=1000") == AM_OK, "write extxyz with columns (%s)",
               am_error_message());
    char *t = read_text(p);
    check_true(t && strstr(t, "Properties=species:S:1:pos:R:3:id:I:1:velo:R:3:momenta:R:3:masses:R:1:energies:R:1:"
                              "forces:R:3:coordination:I:1 energy=-61.5 step=1000\n"),
               "comment line lists the columns and the info");
    free(t);
    am_system *b = read_ok(p, &o);
    if (b) identical(s, b, 1, "extxyz with extra columns read back");
    am_system_free(b);
    am_column badcol = {"pos", 3, forces, NULL};
    check_true(am_write_extxyz(scratch_file(scratch, "bad.xyz"), s, &badcol, 1, NULL) == AM_ERR_VALUE,
               "column named pos rejected");
    am_column badname = {"has space", 1, energy, NULL};
    check_true(am_write_extxyz(scratch_file(scratch, "bad.xyz"), s, &badname, 1, NULL) == AM_ERR_VALUE,
               "column name with a space");
    check_true(am_write_extxyz(scratch_file(scratch, "bad.xyz"), s, NULL, 0, "a\nb") == AM_ERR_VALUE,
               "info with a newline");
    free(energy);
    free(forces);
    free(nn);
    am_system_free(s);
}

static void test_overlaps(void)
{
    am_system *s = make_system(3000, 1, 0);
    am_read_options o = opts(NULL);
    const char *p = scratch_file(scratch, "ok3000.data");
    check_true(am_write(p, AM_FMT_AUTO, s) == AM_OK, "write 3000 atoms");
    am_system *b = read_ok(p, &o);
    am_system_free(b);
    /* move atom 100 within 0.3 A of atom 0 through the periodic boundary */
    double f[3], r0[3] = {s->x[0], s->y[0], s->z[0]}, r[3];
    am_box_to_frac(&s->box, r0, f);
    f[0] += 1.0;
    am_box_from_frac(&s->box, f, r);
    s->x[100] = r[0] - 0.3;
    s->y[100] = r[1];
    s->z[100] = r[2];
    p = scratch_file(scratch, "overlap.data");
    check_true(am_write(p, AM_FMT_AUTO, s) == AM_OK, "write with an overlap");
    b = NULL;
    am_status st = am_read(p, &o, &b);
    char want[64];
    snprintf(want, sizeof want, "overlap.data:%d:", 18 + 100);
    check_true(st == AM_ERR_VALUE && !b && strstr(am_error_message(), want),
               "overlap across the periodic boundary found (%s)", am_error_message());
    o.min_distance = -1.0;
    b = read_ok(p, &o);
    check_true(b != NULL, "min_distance < 0 disables the check");
    am_system_free(b);
    o.min_distance = 0.25;
    b = read_ok(p, &o);
    check_true(b != NULL, "min_distance 0.25 accepts 0.3 A");
    am_system_free(b);
    am_system_free(s);
}

int main(void)
{
    scratch = scratch_dir("io");
    test_formats();
    test_round_trips();
    test_atomic_replace();
    test_data_files();
    test_dumps();
    test_extxyz();
    test_overlaps();
    return check_exit();
}
