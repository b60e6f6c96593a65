/* LAMMPS itself reads the data files amorph writes: read_data, then
 * write_data and a full-precision write_dump, read back by amorph, must give
 * the same configuration. Skipped when `lmp` is not on PATH. */
#include "amorph/io.h"
#include "util/build.h"
#include "util/check.h"

#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static const char *scratch;

static unsigned long long rng = 0x2545F4914F6CDD1DULL;
static double urand(void)
{
    rng ^= rng << 13;
    rng ^= rng >> 7;
    rng ^= rng << 17;
    return (double)(rng >> 11) / 9007199254740992.0;
}

static am_system *make_system(size_t n, int triclinic)
{
    am_system *s;
    if (am_system_alloc(n, 1, &s) != AM_OK) return NULL;
    double L = cbrt((double)n / 0.06);
    for (int d = 0; d < 3; d++) {
        s->box.lo[d] = -0.31 * L + d;
        s->box.len[d] = L * (1.0 + 0.03 * d) + 0.0123;
    }
    if (triclinic) {
        s->box.tilt[0] = 0.17 * L;
        s->box.tilt[1] = -0.11 * L;
        s->box.tilt[2] = 0.05 * L;
    }
    set_species(s, "Cu,Zr");
    int m = (int)ceil(cbrt((double)n));
    for (size_t i = 0; i < n; i++) {
        int c[3] = {(int)(i % (size_t)m), (int)(i / (size_t)m % (size_t)m), (int)(i / ((size_t)m * m))};
        double f[3], r[3];
        for (int d = 0; d < 3; d++) f[d] = (c[d] + 0.5 + 0.5 * (urand() - 0.5)) / m;
        am_box_from_frac(&s->box, f, r);
        s->x[i] = r[0];
        s->y[i] = r[1];
        s->z[i] = r[2];
        s->type[i] = urand() < 0.4;
        s->id[i] = (long long)(n - i);
        for (int d = 0; d < 3; d++) s->image[3 * i + d] = (int)floor(urand() * 3) - 1;
        s->vx[i] = 5 * (urand() - 0.5);
        s->vy[i] = 5 * (urand() - 0.5);
        s->vz[i] = 5 * (urand() - 0.5);
    }
    return s;
}

static size_t index_of(const am_system *s, long long id)
{
    for (size_t i = 0; i < s->n; i++)
        if (s->id[i] == id) return i;
    return (size_t)-1;
}

/* Largest difference in positions, velocities; images and species must match. */
static void compare(const am_system *a, const am_system *b, double tol, const char *what)
{
    double dp = 0.0, dv = 0.0;
    int same = a->n == b->n;
    for (size_t i = 0; same && i < a->n; i++) {
        size_t j = index_of(b, a->id[i]);
        if (j == (size_t)-1) {
            same = 0;
            break;
        }
        dp = fmax(dp, fabs(a->x[i] - b->x[j]) + fabs(a->y[i] - b->y[j]) + fabs(a->z[i] - b->z[j]));
        if (a->vx && b->vx)
            dv = fmax(dv, fabs(a->vx[i] - b->vx[j]) + fabs(a->vy[i] - b->vy[j]) + fabs(a->vz[i] - b->vz[j]));
        for (int d = 0; d < 3; d++) same &= a->image[3 * i + d] == b->image[3 * j + d];
        same &= strcmp(a->species[a->type[i]].name, b->species[b->type[j]].name) == 0;
    }
    check_true(same, "%s: same atoms, images and species", what);
    check_abs(dp, 0.0, tol, "%s: positions", what);
    check_abs(dv, 0.0, tol, "%s: velocities", what);
    for (int d = 0; d < 3; d++) {
        check_abs(b->box.lo[d], a->box.lo[d], 1e-12, "%s: lo[%d]", what, d);
        check_rel(b->box.len[d], a->box.len[d], 1e-14, "%s: len[%d]", what, d);
        check_abs(b->box.tilt[d], a->box.tilt[d], 1e-12, "%s: tilt[%d]", what, d);
    }
}

int main(void)
{
    if (!program_available("lmp")) {
        printf("SKIP: lmp not found on PATH\n");
        return check_exit();
    }
    scratch = scratch_dir("io_lammps");
    for (int tri = 0; tri < 2; tri++) {
        am_system *s = make_system(400, tri);
        char in[64], out_data[64], out_dump[64], script[64];
        snprintf(in, sizeof in, "in%d.data", tri);
        snprintf(out_data, sizeof out_data, "out%d.data", tri);
        snprintf(out_dump, sizeof out_dump, "out%d.dump", tri);
        snprintf(script, sizeof script, "in%d.lmp", tri);
        check_true(am_write(scratch_file(scratch, in), AM_FMT_AUTO, s) == AM_OK, "write %s", in);
        FILE *f = fopen(scratch_file(scratch, script), "w");
        if (!f) return 1;
        fprintf(f, "units metal\natom_style atomic\nboundary p p p\nread_data %s\n", in);
        fprintf(f, "write_data %s nocoeff\n", out_data);
        fprintf(f, "write_dump all custom %s id type x y z ix iy iz vx vy vz modify sort id format float %%.17g\n",
                out_dump);
        fclose(f);
        int rc = run_cmd_in(scratch, "lmp -in %s -log none -screen none > /dev/null 2>&1", script);
        check_true(rc == 0, "LAMMPS reads %s (%s box)", in, tri ? "triclinic" : "orthogonal");
        if (rc == 0) {
            am_read_options o = {AM_FMT_AUTO, NULL, 0, 0.0, 0};
            am_system *d = NULL;
            am_status st = am_read(scratch_file(scratch, out_data), &o, &d);
            check_true(st == AM_OK, "read LAMMPS write_data output (%s)", st ? am_error_message() : "ok");
            if (d) compare(s, d, 1e-12, tri ? "write_data, triclinic" : "write_data, orthogonal");
            am_system_free(d);
            am_read_options od = {AM_FMT_AUTO, "Cu,Zr", 0, 0.0, 0};
            d = NULL;
            st = am_read(scratch_file(scratch, out_dump), &od, &d);
            check_true(st == AM_OK, "read LAMMPS write_dump output (%s)", st ? am_error_message() : "ok");
            /* LAMMPS maps triclinic positions to fractional and back while
             * reading, which moves them by an ulp or so; orthogonal ones stay */
            if (d) compare(s, d, tri ? 1e-12 : 0.0, tri ? "write_dump %.17g, triclinic" : "write_dump %.17g, orthogonal");
            am_system_free(d);
        }
        am_system_free(s);
    }
    return check_exit();
}
