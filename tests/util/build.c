#include "util/build.h"
#include "util/check.h"

#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

int set_species(am_system *s, const char *list)
{
    char buf[256];
    snprintf(buf, sizeof buf, "%s", list);
    s->nspecies = 0;
    for (char *tok = strtok(buf, ","); tok && s->nspecies < AM_MAX_SPECIES; tok = strtok(NULL, ",")) {
        snprintf(s->species[s->nspecies].name, AM_NAME_LEN, "%s", tok);
        s->species[s->nspecies].mass = am_element_mass(tok);
        s->nspecies++;
    }
    return s->nspecies;
}

am_system *build_lattice(const char *kind, double a, int nx, int ny, int nz, const char *species)
{
    double basis[4][3];
    int nb;
    double cx = a, cy = a, cz = a;
    if (!strcmp(kind, "fcc")) {
        double b[4][3] = {{0, 0, 0}, {0.5, 0.5, 0}, {0.5, 0, 0.5}, {0, 0.5, 0.5}};
        memcpy(basis, b, sizeof b); nb = 4;
    } else if (!strcmp(kind, "bcc") || !strcmp(kind, "b2")) {
        double b[2][3] = {{0, 0, 0}, {0.5, 0.5, 0.5}};
        memcpy(basis, b, sizeof b); nb = 2;
    } else if (!strcmp(kind, "sc")) {
        basis[0][0] = basis[0][1] = basis[0][2] = 0; nb = 1;
    } else if (!strcmp(kind, "hcp")) {
        /* orthohexagonal cell a x sqrt(3)a x c, 4 atoms */
        cy = a * sqrt(3.0); cz = a * sqrt(8.0 / 3.0);
        double b[4][3] = {{0, 0, 0}, {0.5, 0.5, 0}, {0.5, 5.0 / 6.0, 0.5}, {0, 1.0 / 3.0, 0.5}};
        memcpy(basis, b, sizeof b); nb = 4;
    } else {
        return NULL;
    }
    am_system *s;
    size_t n = (size_t)nx * ny * nz * nb;
    if (am_system_alloc(n, 0, &s)) return NULL;
    set_species(s, species);
    s->box.len[0] = nx * cx; s->box.len[1] = ny * cy; s->box.len[2] = nz * cz;
    size_t k = 0;
    unsigned long long h = 12345;
    for (int i = 0; i < nx; i++)
        for (int j = 0; j < ny; j++)
            for (int l = 0; l < nz; l++)
                for (int b = 0; b < nb; b++, k++) {
                    s->x[k] = (i + basis[b][0]) * cx;
                    s->y[k] = (j + basis[b][1]) * cy;
                    s->z[k] = (l + basis[b][2]) * cz;
                    if (s->nspecies > 1) {
                        if (!strcmp(kind, "b2")) s->type[k] = b;
                        else { h = h * 6364136223846793005ULL + 1442695040888963407ULL; s->type[k] = (int)((h >> 33) % (unsigned)s->nspecies); }
                    }
                }
    return s;
}

am_system *build_kob_andersen(int cells, double rho, double amp, unsigned long long seed)
{
    const double a = cbrt(4.0 / rho);
    am_system *s = build_lattice("fcc", a, cells, cells, cells, "A,B");
    if (!s) return NULL;
    for (int k = 0; k < 2; k++) s->species[k].mass = 1.0;
    for (size_t i = 0; i < s->n; i++) s->type[i] = 0;
    /* B sites drawn without repeats */
    unsigned long long h = seed * 0x9e3779b97f4a7c15ULL + 1;
    for (size_t nb = (s->n + 2) / 5; nb > 0;) {
        h = h * 6364136223846793005ULL + 1442695040888963407ULL;
        const size_t i = (size_t)((h >> 33) % s->n);
        if (s->type[i] == 0) { s->type[i] = 1; nb--; }
    }
    rattle(s, amp, seed);
    return s;
}

void rattle(am_system *s, double amp, unsigned long long seed)
{
    unsigned long long h = seed * 2862933555777941757ULL + 3037000493ULL;
    double *c[3] = {s->x, s->y, s->z};
    for (size_t i = 0; i < s->n; i++)
        for (int d = 0; d < 3; d++) {
            h = h * 6364136223846793005ULL + 1442695040888963407ULL;
            double u = (double)(h >> 11) / 9007199254740992.0;
            c[d][i] += amp * (2.0 * u - 1.0);
        }
}

void shear_box(am_system *s, double xy, double xz, double yz)
{
    /* fractional coordinates are kept, so the shear is affine */
    for (size_t i = 0; i < s->n; i++) {
        double r[3] = {s->x[i], s->y[i], s->z[i]}, f[3];
        am_box_to_frac(&s->box, r, f);
        am_box nb = s->box;
        nb.tilt[0] += xy; nb.tilt[1] += xz; nb.tilt[2] += yz;
        am_box_from_frac(&nb, f, r);
        s->x[i] = r[0]; s->y[i] = r[1]; s->z[i] = r[2];
    }
    s->box.tilt[0] += xy; s->box.tilt[1] += xz; s->box.tilt[2] += yz;
}

am_system *replicate(const am_system *s, int nx, int ny, int nz)
{
    const size_t n = s->n, copies = (size_t)nx * (size_t)ny * (size_t)nz;
    am_system *r = NULL;
    if (am_box_is_triclinic(&s->box) || am_system_alloc(n * copies, 0, &r)) return NULL;
    r->nspecies = s->nspecies;
    memcpy(r->species, s->species, sizeof s->species);
    r->box = s->box;
    r->box.len[0] *= nx; r->box.len[1] *= ny; r->box.len[2] *= nz;
    size_t k = 0;
    for (int a = 0; a < nx; a++)
        for (int b = 0; b < ny; b++)
            for (int c = 0; c < nz; c++)
                for (size_t i = 0; i < n; i++, k++) {
                    r->x[k] = s->x[i] + a * s->box.len[0];
                    r->y[k] = s->y[i] + b * s->box.len[1];
                    r->z[k] = s->z[i] + c * s->box.len[2];
                    r->type[k] = s->type[i];
                }
    return r;
}

am_system *load_conf(const char *path, const char *species)
{
    am_read_options o = {0};
    o.species = species;
    am_system *s = NULL;
    if (am_read(path, &o, &s)) {
        printf("cannot read %s: %s\n", path, am_error_message());
        return NULL;
    }
    return s;
}

double max_min_image_distance(const am_system *s, const double *x, const double *y, const double *z)
{
    am_box b = s->box;
    b.lo[0] = b.lo[1] = b.lo[2] = 0.0;
    double m = 0.0;
    for (size_t i = 0; i < s->n; i++) {
        double d[3] = {s->x[i] - x[i], s->y[i] - y[i], s->z[i] - z[i]}, f[3], c[3];
        am_box_to_frac(&b, d, f);
        for (int k = 0; k < 3; k++) f[k] -= round(f[k]);
        am_box_from_frac(&b, f, c);
        m = fmax(m, sqrt(c[0] * c[0] + c[1] * c[1] + c[2] * c[2]));
    }
    return m;
}

am_system *build_icosahedron(double r, double l)
{
    am_system *s;
    if (am_system_alloc(13, 0, &s)) return NULL;
    set_species(s, "Cu");
    for (int d = 0; d < 3; d++) s->box.len[d] = l;
    /* vertices: cyclic permutations of (0, ±1, ±g), g the golden ratio */
    const double g = (1.0 + sqrt(5.0)) / 2.0, k = r / sqrt(1.0 + g * g);
    const double vtx[12][3] = {{0, 1, g}, {0, -1, g}, {0, 1, -g}, {0, -1, -g}, {1, g, 0}, {-1, g, 0},
                               {1, -g, 0}, {-1, -g, 0}, {g, 0, 1}, {-g, 0, 1}, {g, 0, -1}, {-g, 0, -1}};
    s->x[0] = s->y[0] = s->z[0] = l / 2;
    for (int a = 0; a < 12; a++) {
        s->x[a + 1] = l / 2 + k * vtx[a][0];
        s->y[a + 1] = l / 2 + k * vtx[a][1];
        s->z[a + 1] = l / 2 + k * vtx[a][2];
    }
    return s;
}

double max_flat_distance(const am_system *s, const double *a, const double *b)
{
    double m = 0;
    for (size_t i = 0; i < s->n; i++) {
        double d[3] = {a[3 * i] - b[3 * i], a[3 * i + 1] - b[3 * i + 1], a[3 * i + 2] - b[3 * i + 2]};
        am_box_min_image(&s->box, d);
        m = fmax(m, sqrt(d[0] * d[0] + d[1] * d[1] + d[2] * d[2]));
    }
    return m;
}

am_system *load_glass_minimized(am_potential **p, double ftol)
{
    am_system *s = load_conf(source_path("tests/data/cuzr_glass_432.data"), "Cu,Zr");
    am_engine *e = NULL;
    am_min_options mo = {.method = AM_MIN_CG, .ftol = ftol};
    am_min_result mr;
    if (!s || am_potential_read(potential_path("CuZr_mm.eam.fs"), AM_EAM_FS, p) || am_engine_create(*p, s, 1.0, &e) ||
        am_minimize(e, s, &mo, &mr)) {
        fprintf(stderr, "glass: %s\n", am_error_message());
        am_engine_free(e);
        am_system_free(s);
        return NULL;
    }
    am_engine_free(e);
    return s;
}

double flat_forces(am_engine *e, am_system *s, double *f)
{
    const size_t n = s->n;
    double *b = malloc(3 * n * sizeof(double) + 1);
    am_result r = {0};
    r.fx = b; r.fy = b + n; r.fz = b + 2 * n;
    am_engine_compute(e, s, &r);
    for (size_t i = 0; i < n; i++) { f[3 * i] = b[i]; f[3 * i + 1] = b[n + i]; f[3 * i + 2] = b[2 * n + i]; }
    free(b);
    return r.energy;
}

double fresh_max_force(const am_potential *p, const am_system *s, const double *xyz, double *energy)
{
    am_system *t = NULL;
    am_engine *e = NULL;
    double *f = malloc(3 * s->n * sizeof(double)), fm = NAN;
    if (f && am_system_copy(s, &t) == AM_OK) {
        for (size_t i = 0; i < s->n; i++) { t->x[i] = xyz[3 * i]; t->y[i] = xyz[3 * i + 1]; t->z[i] = xyz[3 * i + 2]; }
        if (am_engine_create(p, t, 1.0, &e) == AM_OK) {
            const double en = flat_forces(e, t, f);
            if (energy) *energy = en;
            fm = 0;
            for (size_t i = 0; i < s->n; i++)
                fm = fmax(fm, sqrt(f[3 * i] * f[3 * i] + f[3 * i + 1] * f[3 * i + 1] + f[3 * i + 2] * f[3 * i + 2]));
        }
    }
    am_engine_free(e);
    am_system_free(t);
    free(f);
    return fm;
}

void write_bytes(const char *path, const char *text, size_t len)
{
    FILE *f = fopen(path, "wb");
    if (!check_true(f != NULL, "create %s", path)) return;
    fwrite(text, 1, len, f);
    fclose(f);
}

void check_bad_potential(const char *dir, const bad_case *c, size_t len)
{
    const char *p = scratch_file(dir, c->name);
    write_bytes(p, c->text, len);
    am_potential *pot = NULL;
    const am_status st = am_potential_read(p, AM_EAM_AUTO, &pot);
    const char *msg = am_error_message();
    char where[128];
    snprintf(where, sizeof where, "%s:%d:", c->name, c->line);
    check_true(st == c->want && !pot && strstr(msg, c->name) && (c->line == 0 || strstr(msg, where)) && strstr(msg, c->also),
               "%s: %s (%s)", c->name, am_status_name(c->want), msg);
    am_potential_free(pot);
}

int engine_eval(const am_potential *p, am_system *s, double skin, int v_atom, test_eval *out)
{
    const size_t n = s->n;
    am_engine *e = NULL;
    out->f = calloc(10 * n + 1, sizeof(double));
    out->e = out->f + 3 * n;
    out->v = v_atom ? out->f + 4 * n : NULL;
    am_result r = {0};
    r.fx = out->f; r.fy = out->f + n; r.fz = out->f + 2 * n; r.e_atom = out->e; r.v_atom = out->v;
    const int ok = am_engine_create(p, s, skin, &e) == AM_OK && am_engine_compute(e, s, &r) == AM_OK;
    if (!ok) check_true(0, "engine and evaluation (%s)", am_error_message());
    out->energy = r.energy;
    memcpy(out->virial, r.virial, sizeof r.virial);
    am_engine_free(e);
    return ok;
}

double max_abs_diff(const double *a, const double *b, size_t n)
{
    double d = 0.0;
    for (size_t k = 0; k < n; k++) d = fmax(d, fabs(a[k] - b[k]));
    return d;
}

static void glass_sample(int which, const char *label, eam_sample_fn fn, const am_potential *ctx)
{
    am_system *s = load_conf(source_path("data/cuzr_glass_2000.data"), "Cu,Zr");
    if (!check_true(s != NULL, "the shipped 2 000-atom glass for %s", label)) return;
    if (which == EAM_SAMPLE_BIG) {
        am_system *big = replicate(s, 4, 2, 2);
        am_system_free(s);
        if (!check_true(big != NULL, "the glass replicated 4 x 2 x 2")) return;
        s = big;
    } else if (which == EAM_SAMPLE_SHEARED) {
        shear_box(s, 2.5, -1.5, 1.0);
    } else if (which == EAM_SAMPLE_STRETCHED) {
        const double k = 1.3;
        for (size_t i = 0; i < s->n; i++) s->y[i] = s->box.lo[1] + k * (s->y[i] - s->box.lo[1]);
        s->box.len[1] *= k;
    }
    fn(which, label, s, ctx);
    am_system_free(s);
}

void eam_samples(const char *pot, eam_sample_fn fn)
{
    am_potential *ctx = NULL;
    if (!check_true(am_potential_read(potential_path(pot), AM_EAM_AUTO, &ctx) == AM_OK, "%s", pot)) return;
    glass_sample(EAM_SAMPLE_GLASS, "2 000-atom glass", fn, ctx);
    glass_sample(EAM_SAMPLE_BIG, "32 000-atom glass", fn, ctx);
    glass_sample(EAM_SAMPLE_SHEARED, "the glass sheared", fn, ctx);
    glass_sample(EAM_SAMPLE_STRETCHED, "the glass stretched along y", fn, ctx);
    am_system *s = load_conf(source_path("tests/data/cuzr_glass_432.data"), "Cu,Zr");
    if (check_true(s != NULL, "the 432-atom glass")) fn(EAM_SAMPLE_SMALL, "432-atom glass", s, ctx);
    am_system_free(s);
    s = build_lattice("b2", 3.26, 3, 3, 3, "Cu,Zr");
    if (check_true(s != NULL, "B2 CuZr 54")) {
        rattle(s, 0.1, 6);
        fn(EAM_SAMPLE_B2, "B2 CuZr 54 in a 9.8 A box", s, ctx);
    }
    am_system_free(s);
    am_potential_free(ctx);
}

double *save_positions(const am_system *s)
{
    const size_t n = s->n;
    double *x0 = malloc(3 * n * sizeof(double) + 1);
    if (!x0) return NULL;
    memcpy(x0, s->x, n * sizeof(double));
    memcpy(x0 + n, s->y, n * sizeof(double));
    memcpy(x0 + 2 * n, s->z, n * sizeof(double));
    return x0;
}

void restore_positions(am_system *s, const double *x0)
{
    const size_t n = s->n;
    memcpy(s->x, x0, n * sizeof(double));
    memcpy(s->y, x0 + n, n * sizeof(double));
    memcpy(s->z, x0 + 2 * n, n * sizeof(double));
}

void under_kernels(const char *label, am_system *s, int all, int nvar, kernel_fn fn, const void *ctx)
{
    double *x0 = save_positions(s);
    if (!check_true(x0 != NULL, "%s: memory", label)) return;
    static const char *const env[3] = {NULL, "AMORPH_NO_AVX512", "AMORPH_NO_SIMD"};
    static const char *const kname[3] = {"", ", AVX2 kernel", ", generic kernel"};
    for (int k = 0; k < (all ? 3 : 1); k++) {
        if (env[k]) setenv(env[k], "1", 1);
        char l[160];
        snprintf(l, sizeof l, "%s%s", label, kname[k]);
        for (int v = 0; v < nvar; v++) {
            fn(l, s, v, ctx);
            restore_positions(s, x0);
        }
        unsetenv("AMORPH_NO_AVX512");
        unsetenv("AMORPH_NO_SIMD");
    }
    free(x0);
}

double *engine_outputs(am_engine *e, am_system *s, int vatom)
{
    const size_t n = s->n, len = 7 + 10 * n;
    double *o = calloc(len, sizeof(double));
    if (!o) return NULL;
    am_result r = {0};
    r.fx = o + 7; r.fy = r.fx + n; r.fz = r.fy + n;
    r.e_atom = r.fz + n;
    r.v_atom = vatom ? r.e_atom + n : NULL;
    if (am_engine_compute(e, s, &r)) { free(o); return NULL; }
    o[0] = r.energy;
    memcpy(o + 1, r.virial, sizeof r.virial);
    return o;
}
