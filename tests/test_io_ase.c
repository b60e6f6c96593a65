/* Extended XYZ as ASE and OVITO read it (docs/io.md, "Extended XYZ"):
 * positions relative to the box corner, so fractional coordinates lie in
 * [0, 1) for a box whose lo is not 0; box_lo, which amorph's reader adds
 * back to the bit, also where the relative numbers cannot carry a
 * coordinate (pos_residual); velocities as ASE's momenta and masses, both
 * ways; OVITO's Origin with absolute positions. */
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
    if (!check_true(f != NULL, "create %s", path)) return;
    fputs(text, f);
    fclose(f);
}

static int bits_eq(double a, double b) { return memcmp(&a, &b, sizeof a) == 0; }

/* Positions, velocities, box and ids equal to the bit. */
static int same_system(const am_system *a, const am_system *b)
{
    if (!a || !b || a->n != b->n || (a->vx == NULL) != (b->vx == NULL)) return 0;
    for (int d = 0; d < 3; d++)
        if (!bits_eq(a->box.lo[d], b->box.lo[d]) || !bits_eq(a->box.len[d], b->box.len[d]) ||
            !bits_eq(a->box.tilt[d], b->box.tilt[d]))
            return 0;
    for (size_t i = 0; i < a->n; i++) {
        if (a->id[i] != b->id[i] || a->type[i] != b->type[i] || !bits_eq(a->x[i], b->x[i]) ||
            !bits_eq(a->y[i], b->y[i]) || !bits_eq(a->z[i], b->z[i]))
            return 0;
        if (a->vx && (!bits_eq(a->vx[i], b->vx[i]) || !bits_eq(a->vy[i], b->vy[i]) || !bits_eq(a->vz[i], b->vz[i])))
            return 0;
    }
    return 1;
}

/* The file as ASE sees it: Properties, and per atom the numbers of the
 * columns named, parsed as ASE does (nearest double). */
typedef struct xyz_view {
    char comment[8192];
    size_t n;
    double *val; /* n rows of `width` numbers: the named columns, in the order asked */
    int width;
} xyz_view;

/* First column of property `name` and its count, from the comment line. */
static int prop_col(const char *comment, const char *name, int *count)
{
    const char *p = strstr(comment, "Properties=");
    if (!p) return -1;
    p += strlen("Properties=");
    int col = 0;
    char nm[64], type;
    int cnt, used;
    while (sscanf(p, "%63[^:]:%c:%d%n", nm, &type, &cnt, &used) == 3) {
        if (strcmp(nm, name) == 0) {
            *count = cnt;
            return col;
        }
        col += cnt;
        p += used;
        if (*p != ':') break;
        p++;
    }
    return -1;
}

/* Reads columns names[0..k-1] (each of 3 or 1 components) of every atom. */
static int view(const char *path, const char *const *names, int k, xyz_view *v)
{
    memset(v, 0, sizeof *v);
    FILE *f = fopen(path, "r");
    if (!f) return 0;
    char line[8192];
    int ok = fgets(line, sizeof line, f) && sscanf(line, "%zu", &v->n) == 1 && fgets(v->comment, sizeof v->comment, f);
    int col[8], cnt[8];
    for (int j = 0; j < k && ok; j++) {
        col[j] = prop_col(v->comment, names[j], &cnt[j]);
        ok = col[j] >= 0;
        v->width += ok ? cnt[j] : 0;
    }
    v->val = ok ? malloc(v->n * (size_t)v->width * sizeof(double) + 1) : NULL;
    for (size_t i = 0; ok && i < v->n; i++) {
        char *tok[64];
        int nt = 0;
        ok = fgets(line, sizeof line, f) != NULL;
        for (char *t = strtok(line, " \t\n"); ok && t && nt < 64; t = strtok(NULL, " \t\n")) tok[nt++] = t;
        int w = 0;
        for (int j = 0; j < k && ok; j++)
            for (int c = 0; c < cnt[j]; c++) {
                ok = col[j] + c < nt;
                if (ok) v->val[i * (size_t)v->width + (size_t)w++] = strtod(tok[col[j] + c], NULL);
            }
    }
    fclose(f);
    if (!ok) free(v->val), v->val = NULL;
    return ok;
}

static unsigned long long rng = 0x9E3779B97F4A7C15ULL;
static double urand(void)
{
    rng ^= rng << 13;
    rng ^= rng >> 7;
    rng ^= rng << 17;
    return (double)(rng >> 11) * 0x1.0p-53;
}

/* n atoms on a jittered grid of the box with corner lo; velocities. */
static am_system *make_system(size_t n, const double lo[3], double L, int triclinic)
{
    am_system *s;
    if (am_system_alloc(n, 1, &s) != AM_OK) return NULL;
    for (int d = 0; d < 3; d++) {
        s->box.lo[d] = lo[d];
        s->box.len[d] = L * (1.0 + 0.01 * d) + 0.0371;
        s->box.periodic[d] = 1;
    }
    if (triclinic) {
        s->box.tilt[0] = 0.19 * L;
        s->box.tilt[1] = -0.12 * L;
        s->box.tilt[2] = 0.07 * L;
    }
    set_species(s, "Cu,Zr");
    const int m = (int)ceil(cbrt((double)n));
    for (size_t i = 0; i < n; i++) {
        const int c[3] = {(int)(i % (size_t)m), (int)(i / (size_t)m % (size_t)m), (int)(i / ((size_t)m * m))};
        double f[3], r[3];
        for (int d = 0; d < 3; d++) f[d] = (c[d] + 0.5 + 0.6 * (urand() - 0.5)) / m;
        am_box_from_frac(&s->box, f, r);
        s->x[i] = r[0], s->y[i] = r[1], s->z[i] = r[2];
        s->type[i] = urand() < 0.4;
        s->id[i] = (long long)i + 1;
        s->vx[i] = 8 * (urand() - 0.5), s->vy[i] = 8 * (urand() - 0.5), s->vz[i] = 8 * (urand() - 0.5);
    }
    return s;
}

static am_system *read_back(const char *path)
{
    am_system *s = NULL;
    am_status st = am_read(path, NULL, &s);
    if (!check_true(st == AM_OK, "read %s back (%s)", path, st ? am_error_message() : "ok")) return NULL;
    return s;
}

/* ASE has no cell origin: what it reads must lie in the cell from 0. */
static void positions_inside(void)
{
    static const double los[3][3] = {{-7.25, 0.1, -10.123456789}, {0.28615354408149685, 3.7, 12.5}, {0, 0, 0}};
    for (int k = 0; k < 3; k++)
        for (int tri = 0; tri < 2; tri++) {
            am_system *s = make_system(512, los[k], 21.3, tri);
            char name[64];
            snprintf(name, sizeof name, "inside_%d%d.extxyz", k, tri);
            const char *p = scratch_file(scratch, name);
            check_true(am_write_extxyz(p, s, NULL, 0, NULL) == AM_OK, "write %s", name);
            const char *pos[] = {"pos"};
            xyz_view v;
            if (!check_true(view(p, pos, 1, &v), "%s: pos column found", name)) continue;
            am_box cell = s->box;
            cell.lo[0] = cell.lo[1] = cell.lo[2] = 0.0;
            double lowest = 1.0, highest = 0.0, off = 0.0;
            for (size_t i = 0; i < v.n; i++) {
                double f[3], r[3] = {v.val[3 * i], v.val[3 * i + 1], v.val[3 * i + 2]};
                am_box_to_frac(&cell, r, f);
                for (int d = 0; d < 3; d++) lowest = fmin(lowest, f[d]), highest = fmax(highest, f[d]);
                /* what ASE holds, plus box_lo, is amorph's position */
                off = fmax(off, fabs(r[0] + s->box.lo[0] - s->x[i]) + fabs(r[1] + s->box.lo[1] - s->y[i]) +
                                    fabs(r[2] + s->box.lo[2] - s->z[i]));
            }
            check_true(lowest >= 0.0 && highest < 1.0,
                       "%s: fractional coordinates as ASE computes them in [0, 1): %.17g .. %.17g", name, lowest, highest);
            check_abs(off, 0.0, 1e-13, "%s: file position + box_lo = position (A)", name);
            check_true(strstr(v.comment, "box_lo=\"") && !strstr(v.comment, "Origin") && !strstr(v.comment, "origin"),
                       "%s: box_lo on the comment line, no Origin (OVITO would move the cell)", name);
            am_system *b = read_back(p);
            check_true(same_system(s, b), "%s: amorph reads back the absolute positions to the bit", name);
            am_system_free(b);
            free(v.val);
            am_system_free(s);
        }
}

/* Coordinates tiny beside |lo| cannot be given to the bit relative to the
 * corner; the residual column carries the rest. */
static void residuals(void)
{
    const double lo[3] = {-16.0, -16.0, -16.0};
    am_system *s = make_system(8, lo, 32.0, 0);
    const double tiny[8][3] = {{1.2345678901234567e-3, 5.0, 7.0},   {-3.3000000000000007e-6, 1.7e-9, 10.0},
                               {8.0, -7.7700000000000001e-4, 2.2e-12}, {-8.0, 8.0, -1e-300},
                               {0.0, -12.0, 3.0},                      {12.0, 12.0, 12.0},
                               {-12.0, 4.0e-8, -6.0},                  {5.0e-2, -5.0, -13.0}};
    for (size_t i = 0; i < 8; i++) s->x[i] = tiny[i][0], s->y[i] = tiny[i][1], s->z[i] = tiny[i][2];
    const char *p = scratch_file(scratch, "residual.extxyz"), *p2 = scratch_file(scratch, "residual2.extxyz");
    check_true(am_write_extxyz(p, s, NULL, 0, NULL) == AM_OK, "write atoms within 1e-3 A of a zero plane, lo = -16");
    const char *cols[] = {"pos", "pos_residual"};
    xyz_view v;
    if (check_true(view(p, cols, 2, &v), "the file has a pos_residual column")) {
        double off = 0.0, res = 0.0;
        for (size_t i = 0; i < v.n; i++)
            for (int d = 0; d < 3; d++) {
                const double want = d == 0 ? s->x[i] : d == 1 ? s->y[i] : s->z[i];
                off = fmax(off, fabs(v.val[6 * i + d] + lo[d] - want));
                res = fmax(res, fabs(v.val[6 * i + 3 + d]));
            }
        check_abs(off, 0.0, 1e-14, "without the residual, positions are off by at most an ulp of lo (A)");
        check_true(res > 0.0 && res < 1e-14, "residuals are that small and not all 0 (largest %g A)", res);
        free(v.val);
    }
    am_system *b = read_back(p);
    check_true(same_system(s, b), "positions read back to the bit with the residuals");
    check_true(b && am_write_extxyz(p2, b, NULL, 0, NULL) == AM_OK && files_equal(p, p2),
               "rewriting what was read gives the same file");
    am_system_free(b);
    am_system_free(s);

    /* a residual is an ulp or so; a larger one would move atoms */
    p = scratch_file(scratch, "bad_residual.extxyz");
    write_text(p, "1\nLattice=\"5 0 0 0 5 0 0 0 5\" box_lo=\"1 1 1\" Properties=species:S:1:pos:R:3:pos_residual:R:3\n"
                  "Cu 1 1 1 0 0.5 0\n");
    b = NULL;
    check_true(am_read(p, NULL, &b) == AM_ERR_VALUE && !b && strstr(am_error_message(), "bad_residual.extxyz:3"),
               "a pos_residual of 0.5 A refused, file and line named (%s)", am_error_message());
}

static void momenta(void)
{
    const double tau = 1e-10 * sqrt(1.660539040e-27 / 1.6021766208e-19) * 1e12;
    check_rel(AM_ASE_TIME_UNIT_PS, tau, 1e-15, "ASE time unit sqrt(amu A^2/eV) in ps, CODATA 2014 as ASE");

    /* written: velo (A/ps), momenta = m v tau, masses */
    const double lo[3] = {1.5, -2.0, 0.25};
    am_system *s = make_system(64, lo, 12.0, 1);
    const char *p = scratch_file(scratch, "vel.extxyz");
    check_true(am_write_extxyz(p, s, NULL, 0, NULL) == AM_OK, "write a system with velocities");
    const char *cols[] = {"velo", "momenta", "masses"};
    xyz_view v;
    if (check_true(view(p, cols, 3, &v), "velo, momenta and masses written")) {
        double dv = 0.0, dp = 0.0, dm = 0.0;
        for (size_t i = 0; i < v.n; i++) {
            const double m = s->species[s->type[i]].mass, vel[3] = {s->vx[i], s->vy[i], s->vz[i]};
            const double *row = &v.val[7 * i];
            dm = fmax(dm, fabs(row[6] - m));
            for (int d = 0; d < 3; d++) {
                dv = fmax(dv, fabs(row[d] - vel[d]));
                /* what ASE's get_velocities() returns: momenta / masses */
                dp = fmax(dp, fabs(row[3 + d] / row[6] - vel[d] * AM_ASE_TIME_UNIT_PS) / fabs(vel[d] * AM_ASE_TIME_UNIT_PS));
            }
        }
        check_abs(dv, 0.0, 0.0, "velo holds the velocities (A/ps) exactly");
        check_abs(dm, 0.0, 0.0, "masses holds the species' masses (amu)");
        check_abs(dp, 0.0, 4e-16, "momenta / masses = v * AM_ASE_TIME_UNIT_PS (ASE velocity), relative");
        free(v.val);
    }
    am_system *b = read_back(p);
    check_true(same_system(s, b), "velocities read back to the bit (from velo)");
    am_system_free(b);
    am_system_free(s);

    /* as ASE writes them: momenta and masses, no velo; or no masses either */
    const double pm[3][3] = {{0.31, -1.2, 0.05}, {2.5, 0.0, -0.75}, {-0.125, 0.5, 1.0}};
    const char *names[3] = {"Cu", "Zr", "Cu"};
    for (int with_masses = 0; with_masses < 2; with_masses++) {
        char text[2048];
        int len = snprintf(text, sizeof text,
                           "3\nLattice=\"10.0 0.0 0.0 0.0 10.0 0.0 0.0 0.0 10.0\" Properties=species:S:1:pos:R:3:"
                           "momenta:R:3%s pbc=\"T T T\"\n", with_masses ? ":masses:R:1" : "");
        for (int i = 0; i < 3; i++)
            len += snprintf(text + len, sizeof text - (size_t)len, "%s %d.5 2.0 3.0 %.17g %.17g %.17g%s\n", names[i],
                            3 * i, pm[i][0], pm[i][1], pm[i][2], with_masses ? (i == 1 ? " 91.5" : " 63.5") : "");
        p = scratch_file(scratch, with_masses ? "ase_mom_m.extxyz" : "ase_mom.extxyz");
        write_text(p, text);
        b = read_back(p);
        if (b && check_true(b->vx != NULL, "ASE momenta%s give velocities", with_masses ? " with masses" : "")) {
            double worst = 0.0;
            for (int i = 0; i < 3; i++) {
                const double m = with_masses ? (i == 1 ? 91.5 : 63.5) : am_element_mass(names[i]);
                const double got[3] = {b->vx[i], b->vy[i], b->vz[i]};
                for (int d = 0; d < 3; d++) worst = fmax(worst, fabs(got[d] - pm[i][d] / (m * AM_ASE_TIME_UNIT_PS)));
            }
            check_abs(worst, 0.0, 1e-13, "velocity = momentum / (mass * ASE time unit), A/ps (masses from %s)",
                      with_masses ? "the file" : "the element table");
        }
        am_system_free(b);
    }

    /* velo and momenta both: velo while they agree (as ASE prints them, 8
     * decimals), momenta once they do not (ASE changed them) */
    for (int stale = 0; stale < 2; stale++) {
        const double vel[3] = {1.23456789, -4.5, 0.0078125};
        const double m = 63.546;
        char text[2048];
        int len = snprintf(text, sizeof text, "2\nLattice=\"10 0 0 0 10 0 0 0 10\" Properties=species:S:1:pos:R:3:"
                                              "velo:R:3:momenta:R:3:masses:R:1\n");
        for (int i = 0; i < 2; i++) {
            len += snprintf(text + len, sizeof text - (size_t)len, "Cu %d.0 1.0 1.0 %.8f %.8f %.8f", 1 + 4 * i, vel[0],
                            vel[1], vel[2]);
            for (int d = 0; d < 3; d++)
                len += snprintf(text + len, sizeof text - (size_t)len, " %.8f",
                                vel[d] * m * AM_ASE_TIME_UNIT_PS * (stale && i == 1 ? 1.5 : 1.0));
            len += snprintf(text + len, sizeof text - (size_t)len, " %.8f\n", m);
        }
        p = scratch_file(scratch, stale ? "stale.extxyz" : "agree.extxyz");
        write_text(p, text);
        b = read_back(p);
        if (b && b->vx) {
            if (!stale)
                check_true(bits_eq(b->vx[0], vel[0]) && bits_eq(b->vy[1], vel[1]) && bits_eq(b->vz[1], vel[2]),
                           "velo and momenta agree: velocities from velo, exactly");
            else
                check_rel(b->vx[1], 1.5 * vel[0], 1e-8, "momenta changed after velo: velocities from momenta");
        }
        am_system_free(b);
    }

    /* momenta of an unknown species without masses cannot become velocities */
    p = scratch_file(scratch, "nomass.extxyz");
    write_text(p, "1\nLattice=\"5 0 0 0 5 0 0 0 5\" Properties=species:S:1:pos:R:3:momenta:R:3\nXq 1 1 1 0.5 0 0\n");
    b = NULL;
    check_true(am_read(p, NULL, &b) == AM_ERR_VALUE && !b && strstr(am_error_message(), "Xq"),
               "momenta without a mass refused (%s)", am_error_message());
}

/* OVITO writes Origin with absolute positions: the corner, nothing moved. */
static void ovito_origin(void)
{
    const char *p = scratch_file(scratch, "ovito.extxyz"), *p2 = scratch_file(scratch, "ovito_out.extxyz");
    write_text(p, "2\nLattice=\"6 0 0 0 7 0 0 0 8\" Origin=\"-1 2 3.5\" Properties=species:S:1:pos:R:3 pbc=\"T T T\"\n"
                  "Cu -0.5 2.5 4.0\nZr 2.0 5.0 10.0\n");
    am_system *s = read_back(p);
    if (!s) return;
    check_true(s->box.lo[0] == -1 && s->box.lo[1] == 2 && s->box.lo[2] == 3.5, "Origin is the box corner");
    check_true(s->x[0] == -0.5 && s->y[0] == 2.5 && s->z[1] == 10.0, "positions kept as they are (absolute)");
    check_true(am_write_extxyz(p2, s, NULL, 0, NULL) == AM_OK, "write it");
    const char *pos[] = {"pos"};
    xyz_view v;
    if (view(p2, pos, 1, &v)) {
        check_true(v.val[0] == 0.5 && v.val[1] == 0.5 && v.val[2] == 0.5 && strstr(v.comment, "box_lo=\"-1 2 3.5\""),
                   "written relative to the corner, with box_lo: %.40s", v.comment);
        free(v.val);
    }
    am_system *b = read_back(p2);
    check_true(same_system(s, b), "and read back the same");
    am_system_free(b);

    /* the configuration's own names cannot be table columns */
    static const char *const reserved[] = {"momenta", "masses", "mass", "pos_residual", "velocities", "vel"};
    double *col = calloc(3 * s->n, sizeof(double));
    for (size_t k = 0; k < sizeof reserved / sizeof *reserved; k++) {
        am_column c = {reserved[k], 3, col, NULL};
        check_true(am_write_extxyz(p2, s, &c, 1, NULL) == AM_ERR_VALUE, "a column named %s is refused", reserved[k]);
    }
    free(col);
    am_system_free(s);
}

int main(void)
{
    scratch = scratch_dir("io_ase");
    positions_inside();
    residuals();
    momenta();
    ovito_origin();
    return check_exit();
}
