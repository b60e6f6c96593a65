/* The "lammps" kind: any pair style, computed by LAMMPS through its library
 * (potential.h, docs/engines.md). The model is the pair commands, or a native
 * potential whose commands are written for each system; the engine is a
 * LAMMPS instance (lammps_lib.c). */
/* realpath() is XSI, beyond the project-wide _POSIX_C_SOURCE */
#define _XOPEN_SOURCE 700
#include "potential/engine_type.h"
#include "potential/lammps_lib.h"
#include "potential/lj.h"
#include "core/error.h"
#include "io/lineread.h"

#include <math.h>
#include <stdarg.h>
#include <stdatomic.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

typedef struct lmp_model {
    char units[8];
    char **cmds; /* the user's commands (native == NULL) */
    int ncmd;
    am_potential *native; /* else: a native potential, its file(s) below */
    char *path;           /* absolute path(s) of its file(s), comma-separated for funcfl */
    uint64_t files;       /* hash of the files the commands name, taken once when they are set */
    /* LAMMPS's force cutoff, learnt from the first engine's check (bits of a
     * double; engines are made from several threads) */
    _Atomic uint64_t cutoff_bits;
} lmp_model;

static const lmp_model *model_of(const am_potential *p) { return (const lmp_model *)p->model; }

void am_strings_free(char **strings, int n)
{
    if (!strings) return;
    for (int k = 0; k < n; k++) free(strings[k]);
    free(strings);
}

static void model_free(void *model)
{
    lmp_model *m = model;
    if (!m) return;
    am_strings_free(m->cmds, m->ncmd);
    am_potential_free(m->native);
    free(m->path);
    free(m);
}

static double cutoff(const am_potential *p)
{
    const lmp_model *m = model_of(p);
    if (m->native) return am_potential_cutoff(m->native);
    uint64_t b = atomic_load(&((lmp_model *)p->model)->cutoff_bits);
    double c;
    memcpy(&c, &b, sizeof c);
    return c;
}

/* A file's bytes, fed in 8-byte words after its length. */
static void hash_file(am_hash *h, const char *path)
{
    FILE *f = fopen(path, "rb");
    if (!f) return;
    unsigned char buf[8192];
    size_t got, total = 0;
    am_hash h2;
    am_hash_init(&h2, "file");
    while ((got = fread(buf, 1, sizeof buf, f)) > 0) {
        for (size_t k = 0; k < got; k += 8) {
            uint64_t w = 0;
            for (size_t b = 0; b < 8 && k + b < got; b++) w |= (uint64_t)buf[k + b] << (8 * b);
            am_hash_u64(&h2, w);
        }
        total += got;
    }
    fclose(f);
    am_hash_u64(h, total);
    am_hash_u64(h, am_hash_final(&h2));
}

static int regular_file(const char *path)
{
    struct stat st;
    return stat(path, &st) == 0 && S_ISREG(st.st_mode);
}

/* The files a command names, where LAMMPS looks for them: the forces depend
 * on their contents, not only on their names. */
static void hash_named_files(am_hash *h, const char *cmd)
{
    char buf[AM_LMP_MAX_CMD + 1];
    snprintf(buf, sizeof buf, "%s", cmd);
    const char *dir = getenv("LAMMPS_POTENTIALS");
    for (char *save = NULL, *t = strtok_r(buf, " ", &save); t; t = strtok_r(NULL, " ", &save)) {
        char alt[4096];
        if (regular_file(t)) {
            hash_file(h, t);
        } else if (dir && snprintf(alt, sizeof alt, "%s/%s", dir, t) < (int)sizeof alt && regular_file(alt)) {
            hash_file(h, alt);
        }
    }
}

static void hash(const am_potential *p, am_hash *h)
{
    const lmp_model *m = model_of(p);
    am_hash_str(h, "lammps");
    am_hash_str(h, m->units);
    if (m->native) {
        am_hash_u64(h, am_potential_hash(m->native));
        return;
    }
    am_hash_i64(h, m->ncmd);
    for (int k = 0; k < m->ncmd; k++) am_hash_str(h, m->cmds[k]);
    am_hash_u64(h, m->files);
}

/* The contents of the files the commands name, read once: checkpoints
 * hash the potential at every write. */
static void hash_files(lmp_model *m)
{
    am_lmp_default_potentials();
    am_hash h;
    am_hash_init(&h, "lammps files");
    for (int k = 0; k < m->ncmd; k++) hash_named_files(&h, m->cmds[k]);
    m->files = am_hash_final(&h);
}

static am_status read_commands(const char *path, am_potential *p);

static am_status lmp_create(const am_engine *e, const am_system *s, void **state)
{
    lmp_model *m = e->pot->model;
    char **cmds = NULL;
    int ncmd = 0;
    am_status st = am_potential_lammps_commands(e->pot, s, &cmds, &ncmd);
    am_lmp *l = NULL;
    double cut = NAN;
    if (!st) st = am_lmp_create(s, m->units, (const char *const *)cmds, ncmd, e->skin, &l, &cut);
    am_strings_free(cmds, ncmd);
    if (st) return st;
    uint64_t b;
    memcpy(&b, &cut, sizeof b);
    atomic_store(&m->cutoff_bits, b);
    *state = l;
    return AM_OK;
}

static am_status lmp_compute(void *state, const am_system *s, am_result *r) { return am_lmp_compute(state, s, r); }
static long lmp_nbuilds(const void *state) { return am_lmp_setups(state); }
/* LAMMPS checks the displacements since its last list build itself */
static void lmp_invalidate(void *state) { (void)state; }
static void lmp_free(void *state) { am_lmp_free(state); }

const am_engine_type am_lammps_type = {
    .name = "lammps", .units = "metal", .style = AM_LAMMPS, .read = read_commands, .model_free = model_free,
    .cutoff = cutoff, .hash = hash, .create = lmp_create, .compute = lmp_compute, .nbuilds = lmp_nbuilds,
    .invalidate = lmp_invalidate, .free = lmp_free, .region = NULL, .pair_embed = NULL,
};

static am_status new_model(am_potential *p, const char *units)
{
    if (!am_units_of(units))
        return am_fail(AM_ERR_VALUE, "LAMMPS engine: units '%s'; expected metal or lj", units ? units : "(none)");
    lmp_model *m = calloc(1, sizeof *m);
    if (!m) return am_fail(AM_ERR_NOMEM, "out of memory for a potential");
    snprintf(m->units, sizeof m->units, "%s", units);
    const double nan = NAN;
    uint64_t b;
    memcpy(&b, &nan, sizeof b);
    atomic_init(&m->cutoff_bits, b);
    p->model = m;
    p->type = &am_lammps_type;
    p->units = am_units_of(units)->style;
    return AM_OK;
}

static am_status add_command(lmp_model *m, const char *cmd, const char *what)
{
    am_status st = am_lmp_check_command(cmd, what);
    if (st) return st;
    char **grown = realloc(m->cmds, (size_t)(m->ncmd + 1) * sizeof *grown);
    if (!grown) return am_fail(AM_ERR_NOMEM, "out of memory for pair commands");
    m->cmds = grown;
    if (!(m->cmds[m->ncmd] = strdup(cmd))) return am_fail(AM_ERR_NOMEM, "out of memory for pair commands");
    m->ncmd++;
    return AM_OK;
}

static am_status need_pair_style(const lmp_model *m, const char *where)
{
    for (int k = 0; k < m->ncmd; k++)
        if (strncmp(m->cmds[k], "pair_style ", 11) == 0) return AM_OK;
    return am_fail(AM_ERR_VALUE, "%s: no pair_style command; expected pair_style and pair_coeff commands", where);
}

am_status am_potential_lammps(const char *units, const char *const *cmds, int ncmd, am_potential **out)
{
    *out = NULL;
    if (ncmd < 1 || !cmds) return am_fail(AM_ERR_VALUE, "LAMMPS engine: no pair commands; expected pair_style and pair_coeff");
    am_potential *p = calloc(1, sizeof *p);
    if (!p) return am_fail(AM_ERR_NOMEM, "out of memory for a potential");
    am_status st = new_model(p, units);
    for (int k = 0; k < ncmd && !st; k++) {
        char what[32];
        snprintf(what, sizeof what, "pair command %d", k + 1);
        st = add_command(p->model, cmds[k], what);
    }
    if (!st) st = need_pair_style(p->model, "LAMMPS engine");
    if (st) {
        am_potential_free(p);
        return st;
    }
    hash_files(p->model);
    *out = p;
    return AM_OK;
}

static am_status read_commands(const char *path, am_potential *p)
{
    am_io_lr r;
    am_status st = am_io_lr_open(&r, path);
    if (st) return st;
    int got, units_done = 0;
    lmp_model *m = NULL;
    while (!st && !(st = am_io_lr_next(&r, &got)) && got) {
        const char *line = r.buf + strspn(r.buf, " \t");
        size_t len = strlen(line);
        while (len > 0 && (line[len - 1] == ' ' || line[len - 1] == '\t')) len--;
        if (len == 0 || line[0] == '#') continue;
        char cmd[AM_LMP_MAX_CMD + 2];
        if (len > AM_LMP_MAX_CMD) {
            st = am_io_lr_fail(&r, AM_ERR_PARSE, NULL, "a command of %zu characters; expected at most %d", len,
                               AM_LMP_MAX_CMD);
            break;
        }
        memcpy(cmd, line, len);
        cmd[len] = '\0';
        if (strncmp(cmd, "units", 5) == 0 && (cmd[5] == ' ' || cmd[5] == '\t' || !cmd[5])) {
            const char *u = cmd + 5 + strspn(cmd + 5, " \t");
            if (units_done || m)
                st = am_io_lr_fail(&r, AM_ERR_PARSE, NULL, "units must come once, before the pair commands");
            else if (strcmp(u, "metal") != 0 && strcmp(u, "lj") != 0)
                st = am_io_lr_fail(&r, AM_ERR_PARSE, u, "expected units metal or units lj");
            else if (!(st = new_model(p, u)))
                m = p->model;
            units_done = 1;
            continue;
        }
        if (!m) {
            if ((st = new_model(p, "metal"))) break;
            m = p->model;
        }
        char what[4200];
        snprintf(what, sizeof what, "%s:%ld", path, r.line);
        st = add_command(m, cmd, what);
    }
    am_io_lr_close(&r);
    if (!st && (!m || m->ncmd == 0))
        st = am_fail(AM_ERR_PARSE, "%s: no pair commands; expected pair_style and pair_coeff lines", path);
    if (!st) st = need_pair_style(m, path);
    if (!st) hash_files(m);
    return st;
}

/* An absolute path LAMMPS can be given: what a pair command may hold. */
static am_status lammps_path(const char *path, size_t len, char **out)
{
    char rel[4096];
    if (len == 0 || len >= sizeof rel) return am_fail(AM_ERR_VALUE, "potential path of %zu characters", len);
    memcpy(rel, path, len);
    rel[len] = '\0';
    char *abs = realpath(rel, NULL);
    if (!abs) return am_fail(AM_ERR_IO, "%s: cannot find the potential file", rel);
    am_status st = strchr(abs, ' ') ? AM_ERR_VALUE : am_lmp_check_chars(abs, "potential path");
    if (st) {
        st = am_fail(AM_ERR_VALUE, "%s: the path holds characters a LAMMPS command cannot carry safely; expected "
                     "letters, digits and / . _ - + * : @ , = only (copy or link the file)", abs);
        free(abs);
        return st;
    }
    *out = abs;
    return AM_OK;
}

am_status am_potential_lammps_open(const char *name_or_path, am_potential **out)
{
    *out = NULL;
    am_potential *native = NULL;
    am_status st = am_potential_open(name_or_path, AM_EAM_AUTO, &native);
    if (st) return st;
    const char *path = am_potential_resolve(name_or_path);
    am_potential *p = calloc(1, sizeof *p);
    if (!p) {
        am_potential_free(native);
        return am_fail(AM_ERR_NOMEM, "out of memory for a potential");
    }
    st = new_model(p, am_potential_units(native));
    lmp_model *m = p->model;
    /* funcfl: one file per element; the others one file */
    char *joined = NULL;
    size_t used = 0;
    for (const char *q = path; !st && *q;) {
        const size_t len = am_potential_style(native) == AM_EAM_FUNCFL ? strcspn(q, ",") : strlen(q);
        char *abs = NULL;
        st = lammps_path(q, len, &abs);
        if (st) break;
        char *grown = realloc(joined, used + strlen(abs) + 2);
        if (!grown) st = am_fail(AM_ERR_NOMEM, "out of memory for a potential");
        else {
            joined = grown;
            used += (size_t)sprintf(joined + used, "%s%s", used ? "," : "", abs);
        }
        free(abs);
        q += len + (q[len] == ',');
    }
    if (m) {
        m->native = native;
        m->path = joined;
    } else {
        am_potential_free(native);
        free(joined);
    }
    if (!st) {
        p->nel = native->nel;
        memcpy(p->el, native->el, sizeof p->el);
        memcpy(p->mass, native->mass, sizeof p->mass);
    }
    if (st) {
        am_potential_free(p);
        return st;
    }
    *out = p;
    return AM_OK;
}

/* Appends a formatted command to a list being built. */
static am_status push(char ***cmds, int *n, const char *fmt, ...) AM_PRINTF(3, 4);
static am_status push(char ***cmds, int *n, const char *fmt, ...)
{
    char buf[AM_LMP_MAX_CMD + 1];
    va_list ap;
    va_start(ap, fmt);
    const int k = vsnprintf(buf, sizeof buf, fmt, ap);
    va_end(ap);
    if (k < 0 || k > AM_LMP_MAX_CMD) return am_fail(AM_ERR_VALUE, "LAMMPS engine: a pair command longer than %d characters", AM_LMP_MAX_CMD);
    char **grown = realloc(*cmds, (size_t)(*n + 1) * sizeof *grown);
    if (!grown) return am_fail(AM_ERR_NOMEM, "out of memory for pair commands");
    *cmds = grown;
    if (!(grown[*n] = strdup(buf))) return am_fail(AM_ERR_NOMEM, "out of memory for pair commands");
    (*n)++;
    return AM_OK;
}

/* A native potential's commands for s's species (LAMMPS types in order). */
static am_status native_commands(const lmp_model *m, const am_system *s, char ***cmds, int *n)
{
    const am_potential *nat = m->native;
    int sp2el[AM_MAX_SPECIES];
    am_system probe = *s; /* the map only reads names; masses stay the caller's */
    am_status st = am_potential_species_map(nat, &probe, sp2el);
    if (st) return st;
    const am_eam_style style = am_potential_style(nat);
    if (style == AM_EAM_FUNCFL) {
        st = push(cmds, n, "pair_style eam");
        for (int a = 0; a < s->nspecies && !st; a++) {
            /* the element's file: its place in the comma-separated list */
            const char *q = m->path;
            for (int k = 0; k < sp2el[a]; k++) q += strcspn(q, ",") + 1;
            st = push(cmds, n, "pair_coeff %d %d %.*s", a + 1, a + 1, (int)strcspn(q, ","), q);
        }
        return st;
    }
    if (style == AM_EAM_SETFL || style == AM_EAM_FS) {
        char names[AM_MAX_SPECIES * (AM_NAME_LEN + 1) + 1] = "";
        for (int a = 0; a < s->nspecies; a++) {
            strcat(names, " ");
            strcat(names, s->species[a].name);
        }
        st = push(cmds, n, "pair_style %s", style == AM_EAM_FS ? "eam/fs" : "eam/alloy");
        if (!st) st = push(cmds, n, "pair_coeff * * %s%s", m->path, names);
        return st;
    }
    if (style == AM_LJ_CUT) {
        const lj_model *lj = lj_of(nat);
        st = push(cmds, n, "pair_style lj/cut %.17g", lj->rc);
        if (!st) st = push(cmds, n, "pair_modify shift %s mix %s", lj->shift ? "yes" : "no",
                           lj->arithmetic ? "arithmetic" : "geometric");
        for (int a = 0; a < s->nspecies && !st; a++)
            for (int b = a; b < s->nspecies && !st; b++) {
                const int i = sp2el[a], j = sp2el[b];
                st = push(cmds, n, "pair_coeff %d %d %.17g %.17g %.17g", a + 1, b + 1, lj->eps[i][j], lj->sigma[i][j],
                          lj->cut[i][j]);
            }
        return st;
    }
    return am_fail(AM_ERR_UNSUPPORTED, "LAMMPS engine: no LAMMPS commands for a %s potential", am_potential_kind(nat));
}

am_status am_potential_lammps_commands(const am_potential *p, const am_system *s, char ***cmds, int *ncmd)
{
    *cmds = NULL;
    *ncmd = 0;
    if (p->type != &am_lammps_type)
        return am_fail(AM_ERR_VALUE, "a %s potential has no LAMMPS commands; make it with am_potential_lammps_open",
                       am_potential_kind(p));
    const lmp_model *m = model_of(p);
    am_status st = AM_OK;
    if (m->native)
        st = native_commands(m, s, cmds, ncmd);
    else
        for (int k = 0; k < m->ncmd && !st; k++) st = push(cmds, ncmd, "%s", m->cmds[k]);
    if (st) {
        am_strings_free(*cmds, *ncmd);
        *cmds = NULL;
        *ncmd = 0;
    }
    return st;
}
