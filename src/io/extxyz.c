/* Extended XYZ, as written by ASE and OVITO. */
#include "io/formats.h"
#include "io/cell.h"
#include "io/columns.h"
#include "io/extxyz.h"
#include "io/finish.h"
#include "io/frames.h"
#include "io/idmap.h"
#include "io/lineread.h"
#include "io/species.h"

#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define MAX_PAIRS 256
/* amorph describe alone writes up to ~100 columns (S2 per cutoff and
 * species, symmetry functions per species pair) */
#define MAX_PROPS 256
/* Å; what amorph writes in pos_residual is about an ulp of box_lo */
#define MAX_RESIDUAL 1e-6

typedef struct kv {
    char *key, *val;
} kv;

typedef struct prop {
    const char *name; /* points into the comment line */
    char type;        /* S R I L */
    int count, col;
} prop;

static int is_blank(char c) { return c == ' ' || c == '\t'; }

/* Copies one key or value starting at *pp to *wp and NUL-terminates it.
 * Quoted strings lose their quotes and backslash escapes; bracketed lists
 * keep their content; bare words end at blanks (and at '=' for keys). */
static am_status take_word(am_io_lr *r, const char **pp, char **wp, int is_key)
{
    const char *p = *pp;
    char *w = *wp;
    if (*p == '"') {
        p++;
        while (*p && *p != '"') {
            if (*p == '\\' && p[1]) p++;
            *w++ = *p++;
        }
        if (*p != '"') return am_io_lr_fail(r, AM_ERR_PARSE, *pp, "expected a closing '\"'");
        p++;
    } else if (!is_key && (*p == '[' || *p == '{')) {
        char close = *p == '[' ? ']' : '}';
        p++;
        while (*p && *p != close) *w++ = *p++;
        if (*p != close) return am_io_lr_fail(r, AM_ERR_PARSE, *pp, "expected a closing '%c'", close);
        p++;
    } else {
        while (*p && !is_blank(*p) && !(is_key && *p == '=')) *w++ = *p++;
    }
    *w++ = '\0';
    *pp = p;
    *wp = w;
    return AM_OK;
}

/* Splits the comment line into pairs whose strings live in scratch, which
 * must hold 2 * strlen(line) + 2 bytes. */
static am_status parse_comment(am_io_lr *r, char *scratch, kv *pairs, int *npairs)
{
    const char *p = r->buf;
    char *w = scratch;
    *npairs = 0;
    for (;;) {
        while (is_blank(*p)) p++;
        if (!*p) break;
        if (*npairs == MAX_PAIRS)
            return am_io_lr_fail(r, AM_ERR_PARSE, NULL, "expected at most %d key=value pairs", MAX_PAIRS);
        char *key = w, *val;
        am_status st = take_word(r, &p, &w, 1);
        if (st) return st;
        while (is_blank(*p)) p++;
        if (*p == '=') {
            p++;
            while (is_blank(*p)) p++;
            val = w;
            st = take_word(r, &p, &w, 0);
            if (st) return st;
        } else {
            /* a bare key is a flag that is set */
            val = w;
            *w++ = 'T';
            *w++ = '\0';
        }
        if (!key[0]) return am_io_lr_fail(r, AM_ERR_PARSE, val, "expected key=value with a non-empty key");
        pairs[*npairs].key = key;
        pairs[*npairs].val = val;
        (*npairs)++;
    }
    return AM_OK;
}

static const char *find_key(const kv *pairs, int n, const char *key)
{
    for (int k = 0; k < n; k++)
        if (am_io_streq_nocase(pairs[k].key, key)) return pairs[k].val;
    return NULL;
}

/* Parses exactly n numbers separated by blanks or commas. */
static int parse_numbers(const char *s, double *out, int n)
{
    char buf[64];
    int k = 0;
    for (;;) {
        while (*s == ' ' || *s == '\t' || *s == ',') s++;
        if (!*s) break;
        size_t len = strcspn(s, " \t,");
        if (k == n || len >= sizeof buf) return 0;
        memcpy(buf, s, len);
        buf[len] = '\0';
        if (!am_io_parse_double(buf, &out[k++])) return 0;
        s += len;
    }
    return k == n;
}

static int parse_bools(const char *s, int out[3])
{
    char buf[16];
    int k = 0;
    for (;;) {
        while (*s == ' ' || *s == '\t' || *s == ',') s++;
        if (!*s) break;
        size_t len = strcspn(s, " \t,");
        if (k == 3 || len >= sizeof buf) return 0;
        memcpy(buf, s, len);
        buf[len] = '\0';
        s += len;
        if (am_io_streq_nocase(buf, "T") || am_io_streq_nocase(buf, "true") || strcmp(buf, "1") == 0)
            out[k++] = 1;
        else if (am_io_streq_nocase(buf, "F") || am_io_streq_nocase(buf, "false") || strcmp(buf, "0") == 0)
            out[k++] = 0;
        else
            return 0;
    }
    return k == 3;
}

/* "species:S:1:pos:R:3:..." split in place. */
static am_status parse_properties(am_io_lr *r, char *spec, prop *props, int *nprops, int *ncols)
{
    *nprops = 0;
    *ncols = 0;
    /* splitting puts NULs into spec; errors quote it whole */
    char orig[100];
    snprintf(orig, sizeof orig, "%s", spec);
    char *field[3];
    for (;;) {
        for (int f = 0; f < 3; f++) {
            field[f] = spec;
            size_t len = strcspn(spec, ":");
            if (f < 2 && spec[len] != ':')
                return am_io_lr_fail(r, AM_ERR_PARSE, orig, "expected Properties as name:type:count triples");
            spec += len;
            if (*spec == ':') *spec++ = '\0';
            else if (f < 2) return am_io_lr_fail(r, AM_ERR_PARSE, orig, "expected Properties as name:type:count triples");
        }
        if (*nprops == MAX_PROPS)
            return am_io_lr_fail(r, AM_ERR_PARSE, NULL, "expected at most %d properties", MAX_PROPS);
        prop *p = &props[*nprops];
        int count;
        if (!am_io_column_name_ok(field[0]))
            return am_io_lr_fail(r, AM_ERR_PARSE, field[0],
                                 "expected a property name of letters, digits, '_' and '.' that starts with a "
                                 "letter or '_'");
        if (strlen(field[1]) != 1 || !strchr("SRIL", field[1][0]))
            return am_io_lr_fail(r, AM_ERR_PARSE, field[1], "expected a property type S, R, I or L");
        if (!am_io_parse_int(field[2], &count) || count < 1 || count > AM_XYZ_MAX_COMPONENTS - *ncols)
            return am_io_lr_fail(r, AM_ERR_PARSE, field[2], "expected a positive property column count");
        p->name = field[0];
        p->type = field[1][0];
        p->count = count;
        p->col = *ncols;
        *ncols += count;
        (*nprops)++;
        if (!*spec) break;
    }
    for (int a = 0; a < *nprops; a++)
        for (int b = 0; b < a; b++)
            if (strcmp(props[a].name, props[b].name) == 0)
                return am_io_lr_fail(r, AM_ERR_PARSE, props[a].name, "expected each property name once");
    return AM_OK;
}

typedef struct frame_cols {
    int species, pos, id, vel, mass, mom, res; /* first column of each, or -1 */
} frame_cols;

/* The columns the configuration takes, under the names ASE, OVITO and amorph
 * give them; anything else is a table column. */
enum { C_SPECIES, C_POS, C_ID, C_VEL, C_MASS, C_MOM, C_RES };
static const struct {
    const char *name;
    int slot;
    char type;
    int count;
} config_columns[] = {
    {"species", C_SPECIES, 'S', 1}, {"pos", C_POS, 'R', 3},      {"id", C_ID, 'I', 1},
    {"velo", C_VEL, 'R', 3},        {"vel", C_VEL, 'R', 3},      {"velocities", C_VEL, 'R', 3},
    {"masses", C_MASS, 'R', 1},     {"mass", C_MASS, 'R', 1},    {"momenta", C_MOM, 'R', 3},
    {AM_XYZ_RESIDUAL, C_RES, 'R', 3},
};

int am_io_xyz_reserved(const char *name)
{
    for (size_t k = 0; k < sizeof config_columns / sizeof *config_columns; k++)
        if (strcmp(name, config_columns[k].name) == 0) return 1;
    return 0;
}

static int *slot_of(frame_cols *c, int slot)
{
    int *const slots[] = {&c->species, &c->pos, &c->id, &c->vel, &c->mass, &c->mom, &c->res};
    return slots[slot];
}

static am_status pick_columns(am_io_lr *r, const prop *props, int nprops, frame_cols *c)
{
    c->species = c->pos = c->id = c->vel = c->mass = c->mom = c->res = -1;
    for (int k = 0; k < nprops; k++) {
        const prop *p = &props[k];
        size_t j = 0;
        while (j < sizeof config_columns / sizeof *config_columns && strcmp(p->name, config_columns[j].name) != 0) j++;
        if (j == sizeof config_columns / sizeof *config_columns) continue;
        const char type = config_columns[j].type;
        const int count = config_columns[j].count;
        int *slot = slot_of(c, config_columns[j].slot);
        if (p->type != type || p->count != count)
            return am_io_lr_fail(r, AM_ERR_PARSE, p->name, "expected property '%s' to be of type %c with %d column%s",
                                 p->name, type, count, count > 1 ? "s" : "");
        if (*slot >= 0)
            return am_io_lr_fail(r, AM_ERR_PARSE, p->name, "expected one velocity or mass property");
        *slot = p->col;
    }
    if (c->species < 0) return am_io_lr_fail(r, AM_ERR_PARSE, NULL, "expected a species:S:1 property");
    if (c->pos < 0) return am_io_lr_fail(r, AM_ERR_PARSE, NULL, "expected a pos:R:3 property");
    return AM_OK;
}

/* One frame's header, and where am_read_table wants the extra columns. */
typedef struct xyz_frame {
    long long n;     /* atoms; -1 before the first frame's count line */
    long n_line;     /* line of the count */
    am_table *table; /* NULL when only the configuration is read */
} xyz_frame;

static int is_count(const am_io_lr *r, long long *n)
{
    return r->ntok == 1 && am_io_parse_ll(r->tok[0], n) && *n >= 0;
}

/* The line after a frame's atoms is neither the end of the file nor the
 * count of the next frame: the frame holds more atom lines than it declares. */
static am_status extra_atoms(const am_io_lr *r, const xyz_frame *f)
{
    return am_io_lr_fail(r, AM_ERR_PARSE, r->tok[0],
                         "expected the atom count of the next frame or the end of the file after %lld atom line%s, "
                         "as the count on line %ld declares", f->n, f->n == 1 ? "" : "s", f->n_line);
}

/* The count line that starts a frame; *got = 0 at end of file. */
static am_status count_line(am_io_lr *r, void *frame, int *got, am_io_mark *start)
{
    xyz_frame *f = frame;
    am_status st = am_io_lr_next_tokens(r, 0, got);
    if (st || !*got) return st;
    *start = am_io_lr_mark(r);
    long long n;
    if (!is_count(r, &n)) {
        if (f->n >= 0) return extra_atoms(r, f);
        return am_io_lr_fail(r, AM_ERR_PARSE, r->tok[0], "expected the number of atoms of an XYZ frame");
    }
    f->n = n;
    f->n_line = r->line;
    return AM_OK;
}

static am_status raw_line(am_io_lr *r, const char *what)
{
    int got;
    am_status st = am_io_lr_next(r, &got);
    if (st) return st;
    if (!got) return am_io_lr_fail(r, AM_ERR_PARSE, am_io_got_eof, "expected %s (truncated frame)", what);
    return AM_OK;
}

static am_status skip_frame(am_io_lr *r, const void *frame)
{
    long long n = ((const xyz_frame *)frame)->n;
    am_status st = raw_line(r, "the comment line");
    for (long long k = 0; k < n && !st; k++) st = raw_line(r, "an atom line");
    return st;
}

/* After the frame that is read: the end of the file, or a count line and
 * the comment line of the next frame. */
static am_status frame_end(am_io_lr *r, const xyz_frame *f)
{
    int got;
    long long n;
    am_status st = am_io_lr_next_tokens(r, 0, &got);
    if (st || !got) return st;
    if (!is_count(r, &n)) return extra_atoms(r, f);
    return raw_line(r, "the comment line of the next frame");
}

typedef struct xyz_reader {
    am_io_lr *r;
    const am_read_options *opt;
    am_io_atoms at;
    int nnames; /* from opt->species */
    am_table *table;
    int *table_prop; /* table column of each property, or -1 */
    /* box_lo given: positions are relative to the cell corner, which is at
     * org in the file's coordinates, and decode onto lo; rotated cells
     * decode after the rotation */
    int rel, rotated;
    double lo[3], org[3];
    double *mom; /* momenta as read, 3 arrays of n, or NULL */
    double *res; /* residuals as read, 3 arrays of n, or NULL */
} xyz_reader;

static am_status check_column(am_io_lr *r, const prop *p, int k)
{
    const char *t = r->tok[p->col + k];
    double v;
    long long i;
    switch (p->type) {
    case 'R':
        if (!am_io_parse_double(t, &v))
            return am_io_lr_fail(r, AM_ERR_PARSE, t, "expected a finite real in column '%s'", p->name);
        break;
    case 'I':
        if (!am_io_parse_ll(t, &i))
            return am_io_lr_fail(r, AM_ERR_PARSE, t, "expected an integer in column '%s'", p->name);
        break;
    case 'L':
        if (!(am_io_streq_nocase(t, "T") || am_io_streq_nocase(t, "F") || am_io_streq_nocase(t, "true") ||
              am_io_streq_nocase(t, "false")))
            return am_io_lr_fail(r, AM_ERR_PARSE, t, "expected T or F in column '%s'", p->name);
        break;
    default:
        break;
    }
    return AM_OK;
}

static am_status species_of(xyz_reader *x, const char *name, int *t)
{
    for (int k = 0; k < x->at.ty.ntypes; k++)
        if (strcmp(x->at.ty.name[k], name) == 0) {
            *t = k;
            x->at.ty.used[k] = 1;
            return AM_OK;
        }
    if (x->nnames)
        return am_io_lr_fail(x->r, AM_ERR_VALUE, name, "expected one of the species given (%s)", x->opt->species);
    if (!am_io_species_name_ok(name))
        return am_io_lr_fail(x->r, AM_ERR_VALUE, name, "expected a species name of 1 to %d characters",
                             AM_NAME_LEN - 1);
    if (x->at.ty.ntypes == AM_MAX_SPECIES)
        return am_io_lr_fail(x->r, AM_ERR_UNSUPPORTED, name, "expected at most %d species", AM_MAX_SPECIES);
    *t = x->at.ty.ntypes++;
    strcpy(x->at.ty.name[*t], name);
    x->at.ty.used[*t] = 1;
    return AM_OK;
}

/* species_order="Cu Zr" (written by am_write_extxyz) fixes the species order
 * so a written system reads back with the same species indices. It is only
 * advice: names not in it are added as they appear, bad entries ignored. */
static void species_hint(xyz_reader *x, const char *order)
{
    const char *p = order;
    for (;;) {
        while (*p == ' ' || *p == '\t' || *p == ',') p++;
        if (!*p || x->at.ty.ntypes == AM_MAX_SPECIES) break;
        size_t len = strcspn(p, " \t,");
        char name[AM_NAME_LEN];
        if (len < AM_NAME_LEN) {
            memcpy(name, p, len);
            name[len] = '\0';
            int dup = 0;
            for (int k = 0; k < x->at.ty.ntypes; k++) dup |= strcmp(x->at.ty.name[k], name) == 0;
            if (!dup && am_io_species_name_ok(name)) strcpy(x->at.ty.name[x->at.ty.ntypes++], name);
        }
        p += len;
    }
}

static am_status parse_atom(xyz_reader *x, size_t i, const prop *props, int nprops, int ncols,
                            const frame_cols *c)
{
    am_io_lr *r = x->r;
    am_system *s = x->at.s;
    am_status st = raw_line(r, "an atom line");
    if (!st) st = am_io_lr_split(r, 0);
    if (st) return st;
    long long count;
    if (r->ntok != ncols)
        return am_io_lr_fail(r, AM_ERR_PARSE, r->ntok ? r->tok[0] : "",
                             "expected %d columns as Properties declares, found %d%s", ncols, r->ntok,
                             is_count(r, &count) ? " (fewer atom lines than the frame's count declares?)" : "");
    for (int k = 0; k < nprops; k++)
        for (int j = 0; j < props[k].count; j++) {
            st = check_column(r, &props[k], j);
            if (st) return st;
        }
    char **tok = r->tok;
    int t = 0;
    st = species_of(x, tok[c->species], &t);
    if (st) return st;
    s->type[i] = t;
    /* values were validated above */
    double *const pos[3] = {s->x, s->y, s->z};
    for (int d = 0; d < 3; d++) {
        const char *tk = tok[c->pos + d];
        if (!x->rel) {
            pos[d][i] = strtod(tk, NULL);
            continue;
        }
        /* amorph writes the few coordinates no double carries exactly
         * relative to the corner in an extended form */
        long double v = 0.0L;
        am_io_parse_bound(tk, &v);
        v -= x->org[d];
        pos[d][i] = x->rotated ? (double)v : am_io_rel_decode(v, x->lo[d]);
    }
    if (c->vel >= 0) {
        s->vx[i] = strtod(tok[c->vel], NULL);
        s->vy[i] = strtod(tok[c->vel + 1], NULL);
        s->vz[i] = strtod(tok[c->vel + 2], NULL);
    }
    for (int d = 0; d < 3; d++) {
        if (x->mom) x->mom[(size_t)d * s->n + i] = strtod(tok[c->mom + d], NULL);
        if (!x->res) continue;
        const double rd = strtod(tok[c->res + d], NULL);
        /* amorph writes an ulp of box_lo or so; anything larger moves atoms */
        if (!(fabs(rd) <= MAX_RESIDUAL))
            return am_io_lr_fail(r, AM_ERR_VALUE, tok[c->res + d],
                                 "expected a " AM_XYZ_RESIDUAL " of at most %g A in magnitude", MAX_RESIDUAL);
        x->res[(size_t)d * s->n + i] = rd;
    }
    if (c->id >= 0) {
        long long id = 0;
        am_io_parse_ll(tok[c->id], &id);
        if (id < 1) return am_io_lr_fail(r, AM_ERR_VALUE, tok[c->id], "expected a positive atom id");
        s->id[i] = id;
    }
    if (c->mass >= 0) {
        double m = strtod(tok[c->mass], NULL);
        if (!(m > 0.0)) return am_io_lr_fail(r, AM_ERR_VALUE, tok[c->mass], "expected a positive mass");
        if (x->at.ty.mass[t] == 0.0) x->at.ty.mass[t] = m;
        else if (x->at.ty.mass[t] != m)
            return am_io_lr_fail(r, AM_ERR_VALUE, tok[c->mass], "expected the same mass for every '%s' atom",
                                 x->at.ty.name[t]);
    }
    if (x->table)
        for (int k = 0; k < nprops; k++) {
            int t = x->table_prop[k];
            if (t < 0) continue;
            am_table_column *tc = &x->table->col[t];
            for (int j = 0; j < tc->ncomp; j++) {
                const char *v = tok[props[k].col + j];
                tc->v[i * (size_t)tc->ncomp + j] =
                    props[k].type == 'L' ? (double)(v[0] == 'T' || v[0] == 't') : strtod(v, NULL);
            }
        }
    x->at.lines[i] = r->line;
    return AM_OK;
}

/* Without a Lattice the configuration is a cluster: a non-periodic box
 * around it, with room to spare so no atom sits on a face. */
static am_status bounding_box(am_system *s, const char *path, long line)
{
    const double pad = 1.0;
    double lo[3] = {0.0, 0.0, 0.0}, hi[3] = {0.0, 0.0, 0.0};
    for (size_t i = 0; i < s->n; i++) {
        double p[3] = {s->x[i], s->y[i], s->z[i]};
        for (int d = 0; d < 3; d++) {
            if (i == 0 || p[d] < lo[d]) lo[d] = p[d];
            if (i == 0 || p[d] > hi[d]) hi[d] = p[d];
        }
    }
    for (int d = 0; d < 3; d++) {
        s->box.lo[d] = lo[d] - pad;
        s->box.len[d] = (hi[d] - lo[d]) + 2.0 * pad;
        s->box.tilt[d] = 0.0;
        s->box.periodic[d] = 0;
        if (!(s->box.len[d] <= AM_IO_MAX_EDGE))
            return am_io_fail(AM_ERR_VALUE, path, line, NULL,
                              "expected the atoms of a frame without Lattice within %g A of each other along %c, "
                              "got a spread of %g A", AM_IO_MAX_EDGE, 'x' + d, s->box.len[d]);
    }
    return AM_OK;
}

/* Momenta and residuals are held aside until the frame is read: momenta
 * need the species' masses, residuals the final positions. Residuals
 * complete positions relative to box_lo and mean nothing without it. */
static am_status side_arrays(xyz_reader *x, const frame_cols *c, size_t n, const char *path)
{
    if (c->mom >= 0 && !(x->mom = malloc(3 * n * sizeof *x->mom)))
        return am_fail(AM_ERR_NOMEM, "%s: out of memory for momenta", path);
    if (c->res >= 0 && x->rel && !(x->res = malloc(3 * n * sizeof *x->res)))
        return am_fail(AM_ERR_NOMEM, "%s: out of memory for " AM_XYZ_RESIDUAL, path);
    return AM_OK;
}

/* A cell in another orientation: everything read in the file's frame
 * turns into the box frame; relative positions then move onto box_lo. */
static void place_rotated(xyz_reader *x, const double rot[3][3])
{
    am_system *s = x->at.s;
    const size_t n = s->n;
    am_io_rotate(rot, s->x, s->y, s->z, n);
    if (s->vx) am_io_rotate(rot, s->vx, s->vy, s->vz, n);
    if (x->mom) am_io_rotate(rot, x->mom, x->mom + n, x->mom + 2 * n, n);
    double *const pos[3] = {s->x, s->y, s->z};
    for (int d = 0; d < 3 && x->rel; d++)
        for (size_t i = 0; i < n; i++) pos[d][i] += x->lo[d];
}

/* The residuals are in the box frame by definition: added last. */
static void add_residuals(am_system *s, const double *res)
{
    double *const pos[3] = {s->x, s->y, s->z};
    for (int d = 0; d < 3; d++)
        for (size_t i = 0; i < s->n; i++) pos[d][i] += res[(size_t)d * s->n + i];
}

/* Momenta disagreeing with velo by more than this (amu A per ASE time unit,
 * about 1e-7 A/ps for a Cu atom) were changed after velo was written. ASE
 * prints 8 decimals, so a file ASE rewrote unchanged stays within it. */
#define MOMENTUM_TOL 1e-7

/* Velocities from momenta, now that the masses are known. A file with both
 * keeps velo, which is exact, unless the two disagree: ASE updates momenta
 * and only carries velo along, so then momenta are the current ones. */
static am_status velocities_from_momenta(am_system *s, const double *mom, int have_velo, const char *path)
{
    const size_t n = s->n;
    double *const v[3] = {s->vx, s->vy, s->vz};
    int agree = have_velo;
    for (size_t i = 0; i < n && agree; i++)
        for (int d = 0; d < 3; d++)
            agree &= fabs(mom[(size_t)d * n + i] - am_xyz_momentum(v[d][i], s->species[s->type[i]].mass)) <=
                     MOMENTUM_TOL;
    if (agree) return AM_OK;
    for (size_t i = 0; i < n; i++) {
        const am_species *sp = &s->species[s->type[i]];
        if (!(sp->mass > 0.0))
            return am_io_fail(AM_ERR_VALUE, path, 0, sp->name,
                              "expected a mass for species '%s' to turn momenta into velocities (a masses "
                              "column, or an element name)", sp->name);
        for (int d = 0; d < 3; d++) {
            v[d][i] = mom[(size_t)d * n + i] / (sp->mass * AM_ASE_TIME_UNIT_PS);
            if (!isfinite(v[d][i]))
                return am_io_fail(AM_ERR_VALUE, path, 0, NULL, "expected momenta that give finite velocities "
                                                               "(atom %lld)", s->id[i]);
        }
    }
    return AM_OK;
}

static am_status parse_frame(am_io_lr *r, const xyz_frame *fr, const am_read_options *opt, const kv *pairs,
                             int npairs, long comment_line, am_system **out);

static am_status read_frame(am_io_lr *r, const void *frame, const am_read_options *opt, am_system **out)
{
    am_status st = raw_line(r, "the comment line");
    if (st) return st;
    long comment_line = r->line;
    kv pairs[MAX_PAIRS];
    int npairs;
    char *scratch = malloc(2 * r->len + 8);
    if (!scratch) return am_fail(AM_ERR_NOMEM, "%s: out of memory", r->path);
    st = parse_comment(r, scratch, pairs, &npairs);
    if (!st) st = parse_frame(r, frame, opt, pairs, npairs, comment_line, out);
    free(scratch);
    return st;
}

/* The numeric properties the configuration itself does not use become
 * table columns (logical ones as 0/1); strings other than species are left
 * out, as nothing downstream can compute with them. */
static am_status table_columns(am_io_lr *r, const prop *props, int nprops, const frame_cols *c, size_t n,
                               am_table *t, int *table_prop)
{
    for (int k = 0; k < nprops; k++) {
        const prop *p = &props[k];
        int used = p->col == c->species || p->col == c->pos || p->col == c->id || p->col == c->vel ||
                   p->col == c->mass || p->col == c->mom || p->col == c->res;
        table_prop[k] = -1;
        if (used || p->type == 'S') continue;
        if (strlen(p->name) >= sizeof t->col[0].name)
            return am_io_lr_fail(r, AM_ERR_PARSE, p->name, "expected a property name of at most %d characters",
                                 (int)sizeof t->col[0].name - 1);
        am_table_column *tc = &t->col[t->ncols];
        snprintf(tc->name, sizeof tc->name, "%s", p->name);
        tc->ncomp = p->count;
        tc->v = malloc((n ? n : 1) * (size_t)p->count * sizeof(double));
        if (!tc->v) return am_fail(AM_ERR_NOMEM, "%s: out of memory for column '%s'", r->path, p->name);
        table_prop[k] = t->ncols++;
    }
    return AM_OK;
}

static am_status parse_frame(am_io_lr *r, const xyz_frame *fr, const am_read_options *opt, const kv *pairs,
                             int npairs, long comment_line, am_system **out)
{
    am_status st;
    long long n = fr->n;
    /* ASE's default when Properties is absent */
    char default_props[] = "species:S:1:pos:R:3";
    const char *pv = find_key(pairs, npairs, "Properties");
    char *spec = pv ? (char *)pv : default_props;
    prop props[MAX_PROPS];
    int nprops, ncols;
    frame_cols c;
    st = parse_properties(r, spec, props, &nprops, &ncols);
    if (!st) st = pick_columns(r, props, nprops, &c);
    if (st) return st;

    const char *lat = find_key(pairs, npairs, "Lattice");
    const char *pbc = find_key(pairs, npairs, "pbc");
    const char *org = find_key(pairs, npairs, "Origin");
    const char *blo = find_key(pairs, npairs, AM_XYZ_BOX_LO);
    double cell[3][3], origin[3] = {0.0, 0.0, 0.0}, lo[3] = {0.0, 0.0, 0.0};
    int periodic[3] = {lat != NULL, lat != NULL, lat != NULL};
    if (lat && !parse_numbers(lat, &cell[0][0], 9))
        return am_io_lr_fail(r, AM_ERR_PARSE, lat, "expected Lattice=\"ax ay az bx by bz cx cy cz\" (9 numbers)");
    if (pbc && !parse_bools(pbc, periodic))
        return am_io_lr_fail(r, AM_ERR_PARSE, pbc, "expected pbc=\"T T T\" (three of T or F)");
    if (org && !parse_numbers(org, origin, 3))
        return am_io_lr_fail(r, AM_ERR_PARSE, org, "expected Origin=\"x y z\"");
    if (blo && !parse_numbers(blo, lo, 3))
        return am_io_lr_fail(r, AM_ERR_PARSE, blo, "expected " AM_XYZ_BOX_LO "=\"x y z\"");
    if (!lat && (periodic[0] || periodic[1] || periodic[2]))
        return am_io_lr_fail(r, AM_ERR_PARSE, pbc, "expected a Lattice for a periodic frame");
    if (n == 0) return am_io_fail(AM_ERR_VALUE, r->path, fr->n_line, "0", "expected a frame with at least one atom");
    if (n > r->size / (2 * (long long)ncols))
        return am_io_lr_fail(r, AM_ERR_PARSE, NULL, "expected a file large enough for %lld atoms (truncated file?)", n);

    xyz_reader x;
    memset(&x, 0, sizeof x);
    x.r = r;
    x.opt = opt;
    int table_prop[MAX_PROPS];
    if (fr->table) {
        x.table = fr->table;
        x.table_prop = table_prop;
        x.table->n = (size_t)n;
        /* the unit system amorph's verbs state in their tables; a longer
         * value is no style amorph knows and is read as absent */
        const char *units = find_key(pairs, npairs, "units");
        if (units && strlen(units) < sizeof x.table->units) strcpy(x.table->units, units);
        x.table->col = calloc((size_t)nprops, sizeof *x.table->col);
        if (!x.table->col) return am_fail(AM_ERR_NOMEM, "%s: out of memory", r->path);
        st = table_columns(r, props, nprops, &c, (size_t)n, x.table, table_prop);
        if (st) return st;
    }
    if (opt->species) {
        st = am_io_types_from_list(&x.at.ty, opt, &x.nnames, r->path);
        if (st) return st;
    }
    const char *order = find_key(pairs, npairs, "species_order");
    if (!opt->species && order) species_hint(&x, order);
    am_box box;
    double rot[3][3];
    memset(&box, 0, sizeof box);
    if (lat) {
        st = am_io_cell_to_box(cell, origin, &box, rot, &x.rotated, r->path, comment_line);
        if (!st) st = am_io_check_box_extents(&box, r->path, comment_line);
        if (st) return st;
        for (int d = 0; d < 3; d++) box.periodic[d] = periodic[d];
        /* without box_lo the positions are absolute and the corner is the
         * Origin (OVITO's convention); with it the corner is box_lo */
        x.rel = blo != NULL;
        for (int d = 0; d < 3 && x.rel; d++) {
            x.lo[d] = box.lo[d] = lo[d];
            x.org[d] = origin[d];
        }
    }
    st = am_io_atoms_alloc(&x.at, n, c.vel >= 0 || c.mom >= 0, r->path);
    if (!st && (c.mom >= 0 || c.res >= 0)) st = side_arrays(&x, &c, (size_t)n, r->path);
    for (long long k = 0; k < n && !st; k++) st = parse_atom(&x, (size_t)k, props, nprops, ncols, &c);
    if (!st) st = frame_end(r, fr);
    if (!st && c.id >= 0) st = am_io_index_ids(&x.at.ids, x.at.s, r->path, x.at.lines);
    if (!st) {
        am_system *s = x.at.s;
        if (lat) {
            s->box = box;
            if (x.rotated) place_rotated(&x, (const double(*)[3])rot);
        } else {
            st = bounding_box(s, r->path, fr->n_line);
        }
        if (x.res) add_residuals(s, x.res);
        /* hinted species without atoms stay when their mass is known */
        for (int k = 0; k < x.at.ty.ntypes; k++)
            if (!x.at.ty.used[k] && am_element_mass(x.at.ty.name[k]) > 0.0) x.at.ty.used[k] = 1;
    }
    st = am_io_atoms_done(&x.at, st, r->path, 0, opt->min_distance, out);
    if (!st && x.mom) {
        st = velocities_from_momenta(*out, x.mom, c.vel >= 0, r->path);
        if (st) {
            am_system_free(*out);
            *out = NULL;
        }
    }
    free(x.mom);
    free(x.res);
    return st;
}

static const am_io_frames xyz_frames = {count_line, skip_frame, read_frame, "file",
                                        "the number of atoms of an XYZ frame"};

am_status am_io_read_extxyz(const char *path, const am_read_options *opt, am_system **out)
{
    xyz_frame fr = {-1, 0, NULL};
    return am_io_read_frame(path, opt, &xyz_frames, &fr, out);
}

am_status am_io_read_extxyz_table(const char *path, const am_read_options *opt, am_system **out, am_table *t)
{
    xyz_frame fr = {-1, 0, t};
    return am_io_read_frame(path, opt, &xyz_frames, &fr, out);
}
