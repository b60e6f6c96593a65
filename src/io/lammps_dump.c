/* Reading LAMMPS text dumps (dump atom / dump custom); dump_write.c writes them. */
#include "io/formats.h"
#include "io/cell.h"
#include "io/finish.h"
#include "io/frames.h"
#include "io/idmap.h"
#include "io/lineread.h"
#include "io/species.h"

#include <math.h>
#include <stdlib.h>
#include <string.h>

enum pos_kind { POS_NONE = -1, POS_WRAPPED, POS_SCALED, POS_UNWRAPPED, POS_SCALED_UNWRAPPED };

typedef struct dump_cols {
    int ncols;
    int id, type, element, mass;
    int pos[3], img[3], vel[3];
    enum pos_kind kind;
} dump_cols;

typedef struct dump_frame {
    long long n;  /* atoms; -1 before the first frame's header */
    long n_line;  /* line of the atom count */
    am_box box;
    dump_cols cols;
} dump_frame;

static int item_is(const am_io_lr *r, const char *a, const char *b, const char *c)
{
    if (r->ntok < 2 || strcmp(r->tok[0], "ITEM:") != 0 || strcmp(r->tok[1], a) != 0) return 0;
    if (b && (r->ntok < 3 || strcmp(r->tok[2], b) != 0)) return 0;
    if (c && (r->ntok < 4 || strcmp(r->tok[3], c) != 0)) return 0;
    return 1;
}

/* The value line after an ITEM line. */
static am_status value_line(am_io_lr *r, const char *what, int ntok)
{
    int got;
    am_status st = am_io_lr_next_tokens(r, 0, &got);
    if (st) return st;
    if (!got) return am_io_lr_fail(r, AM_ERR_PARSE, am_io_got_eof, "expected %s", what);
    if (r->ntok != ntok) return am_io_lr_fail(r, AM_ERR_PARSE, r->tok[0], "expected %s", what);
    return AM_OK;
}

static am_status parse_bounds(am_io_lr *r, am_box *box)
{
    /* ITEM: BOX BOUNDS [xy xz yz] xx yy zz */
    int k = 3, triclinic = 0;
    if (r->ntok >= 6 && strcmp(r->tok[3], "xy") == 0 && strcmp(r->tok[4], "xz") == 0 &&
        strcmp(r->tok[5], "yz") == 0) {
        triclinic = 1;
        k = 6;
    } else if (r->ntok >= 4 && (strcmp(r->tok[3], "abc") == 0 || strcmp(r->tok[3], "xy") == 0)) {
        return am_io_lr_fail(r, AM_ERR_UNSUPPORTED, r->tok[3],
                             "expected 'ITEM: BOX BOUNDS [xy xz yz] pp pp pp' (general triclinic "
                             "dumps are not supported)");
    }
    int nflags = r->ntok - k;
    if (nflags != 0 && nflags != 3)
        return am_io_lr_fail(r, AM_ERR_PARSE, r->tok[r->ntok - 1],
                             "expected three boundary flags such as 'pp pp pp'");
    for (int d = 0; d < 3; d++) {
        box->periodic[d] = 1; /* old dumps without flags were periodic */
        if (!nflags) continue;
        const char *f = r->tok[k + d];
        int ok = strlen(f) == 2 && strchr("pfsm", f[0]) && strchr("pfsm", f[1]) &&
                 ((f[0] == 'p') == (f[1] == 'p'));
        if (!ok)
            return am_io_lr_fail(r, AM_ERR_PARSE, f,
                                 "expected a boundary flag of two letters from p, f, s, m (p only as pp)");
        box->periodic[d] = f[0] == 'p';
    }
    long double blo[3], bhi[3];
    double tilt[3] = {0.0, 0.0, 0.0};
    long line[3];
    static const char *const what[2][3] = {{"'xlo xhi'", "'ylo yhi'", "'zlo zhi'"},
                                           {"'xlo_bound xhi_bound xy'", "'ylo_bound yhi_bound xz'",
                                            "'zlo_bound zhi_bound yz'"}};
    for (int d = 0; d < 3; d++) {
        am_status st = value_line(r, what[triclinic][d], triclinic ? 3 : 2);
        if (st) return st;
        int ok = am_io_parse_bound(r->tok[0], &blo[d]) && am_io_parse_bound(r->tok[1], &bhi[d]) &&
                 (!triclinic || am_io_parse_double(r->tok[2], &tilt[d]));
        if (!ok) {
            double v;
            int j = 0;
            while (j < r->ntok - 1 && am_io_parse_double(r->tok[j], &v)) j++;
            return am_io_lr_fail(r, AM_ERR_PARSE, r->tok[j], "expected a finite number in %s",
                                 what[triclinic][d]);
        }
        if (!(bhi[d] > blo[d]))
            return am_io_lr_fail(r, AM_ERR_VALUE, r->tok[1], "expected an upper bound above the lower bound");
        line[d] = r->line;
    }
    am_io_dump_bounds_decode(blo, bhi, tilt, box->lo, box->len);
    static const char *const edge[3] = {"x edge", "y edge", "z edge"};
    static const char *const tname[3] = {"tilt factor xy", "tilt factor xz", "tilt factor yz"};
    for (int d = 0; d < 3; d++) {
        box->tilt[d] = tilt[d];
        am_status st = am_io_check_extent(box->len[d], 0, edge[d], r->path, line[d]);
        if (!st) st = am_io_check_extent(tilt[d], 1, tname[d], r->path, line[d]);
        if (st) return st;
    }
    if (am_box_check(box) != AM_OK)
        return am_io_lr_fail(r, AM_ERR_VALUE, NULL, "expected box bounds that leave positive edge lengths");
    return AM_OK;
}

static am_status parse_columns(am_io_lr *r, dump_cols *c)
{
    static const char *const pos_names[4][3] = {
        {"x", "y", "z"}, {"xs", "ys", "zs"}, {"xu", "yu", "zu"}, {"xsu", "ysu", "zsu"}};
    int pos[4][3];
    memset(pos, -1, sizeof pos);
    c->ncols = r->ntok - 2;
    c->id = c->type = c->element = c->mass = -1;
    for (int d = 0; d < 3; d++) c->pos[d] = c->img[d] = c->vel[d] = -1;
    for (int j = 0; j < c->ncols; j++) {
        const char *name = r->tok[2 + j];
        for (int k = 0; k < j; k++)
            if (strcmp(r->tok[2 + k], name) == 0)
                return am_io_lr_fail(r, AM_ERR_PARSE, name, "expected each column name once");
        int *slot = NULL;
        if (strcmp(name, "id") == 0) slot = &c->id;
        else if (strcmp(name, "type") == 0) slot = &c->type;
        else if (strcmp(name, "element") == 0) slot = &c->element;
        else if (strcmp(name, "mass") == 0) slot = &c->mass;
        for (int d = 0; d < 3 && !slot; d++) {
            static const char *const img[3] = {"ix", "iy", "iz"}, *const vel[3] = {"vx", "vy", "vz"};
            if (strcmp(name, img[d]) == 0) slot = &c->img[d];
            else if (strcmp(name, vel[d]) == 0) slot = &c->vel[d];
            for (int k = 0; k < 4 && !slot; k++)
                if (strcmp(name, pos_names[k][d]) == 0) slot = &pos[k][d];
        }
        if (slot) *slot = j;
    }
    c->kind = POS_NONE;
    /* wrapped positions with image flags are exact; prefer them */
    static const enum pos_kind pref[4] = {POS_WRAPPED, POS_SCALED, POS_UNWRAPPED, POS_SCALED_UNWRAPPED};
    for (int k = 0; k < 4 && c->kind == POS_NONE; k++)
        if (pos[pref[k]][0] >= 0 && pos[pref[k]][1] >= 0 && pos[pref[k]][2] >= 0) {
            c->kind = pref[k];
            for (int d = 0; d < 3; d++) c->pos[d] = pos[pref[k]][d];
        }
    if (c->kind == POS_NONE)
        return am_io_lr_fail(r, AM_ERR_PARSE, c->ncols ? r->tok[2] : "ATOMS",
                             "expected position columns 'x y z', 'xs ys zs', 'xu yu zu' or 'xsu ysu zsu'");
    if (c->type < 0 && c->element < 0)
        return am_io_lr_fail(r, AM_ERR_PARSE, r->tok[2], "expected a 'type' or 'element' column");
    return AM_OK;
}

/* LAMMPS starts a frame with ITEM: TIMESTEP, or with ITEM: UNITS / ITEM: TIME
 * under dump_modify units / time. */
static int starts_frame(const am_io_lr *r)
{
    return item_is(r, "TIMESTEP", NULL, NULL) || item_is(r, "TIME", NULL, NULL) || item_is(r, "UNITS", NULL, NULL);
}

/* The line after a frame's atoms is neither the end of the file nor the next
 * frame: the frame holds more atom lines than it declares. */
static am_status extra_atoms(const am_io_lr *r, const dump_frame *f)
{
    const char *got = strcmp(r->tok[0], "ITEM:") == 0 && r->ntok > 1 ? r->tok[1] : r->tok[0];
    return am_io_lr_fail(r, AM_ERR_PARSE, got,
                         "expected 'ITEM: TIMESTEP' (the next frame) or the end of the file after %lld atom line%s, "
                         "as 'ITEM: NUMBER OF ATOMS' on line %ld declares", f->n, f->n == 1 ? "" : "s", f->n_line);
}

/* Reads the ITEM lines of one frame up to and including ITEM: ATOMS.
 * *got = 0 if the file ends before the frame starts. */
static am_status read_frame_header(am_io_lr *r, void *frame, int *got, am_io_mark *start)
{
    dump_frame *f = frame;
    am_status st = am_io_lr_next_tokens(r, 0, got);
    if (st || !*got) return st;
    if (f->n >= 0 && !starts_frame(r)) return extra_atoms(r, f);
    *start = am_io_lr_mark(r);
    int have_n = 0, have_box = 0, first = 1;
    for (;;) {
        if (!first) {
            int more;
            st = am_io_lr_next_tokens(r, 0, &more);
            if (st) return st;
            if (!more)
                return am_io_lr_fail(r, AM_ERR_PARSE, am_io_got_eof,
                                     "expected 'ITEM: ATOMS ...' (truncated frame)");
        }
        first = 0;
        if (item_is(r, "TIMESTEP", NULL, NULL)) {
            long long step;
            st = value_line(r, "a timestep number", 1);
            if (st) return st;
            if (!am_io_parse_ll(r->tok[0], &step))
                return am_io_lr_fail(r, AM_ERR_PARSE, r->tok[0], "expected an integer timestep");
        } else if (item_is(r, "UNITS", NULL, NULL)) {
            st = value_line(r, "a units style", 1);
            if (st) return st;
        } else if (item_is(r, "TIME", NULL, NULL)) {
            double t;
            st = value_line(r, "a time", 1);
            if (st) return st;
            if (!am_io_parse_double(r->tok[0], &t))
                return am_io_lr_fail(r, AM_ERR_PARSE, r->tok[0], "expected a finite time");
        } else if (item_is(r, "NUMBER", "OF", "ATOMS")) {
            st = value_line(r, "the number of atoms", 1);
            if (st) return st;
            if (!am_io_parse_ll(r->tok[0], &f->n) || f->n < 0)
                return am_io_lr_fail(r, AM_ERR_PARSE, r->tok[0], "expected a non-negative number of atoms");
            f->n_line = r->line;
            have_n = 1;
        } else if (item_is(r, "BOX", "BOUNDS", NULL)) {
            memset(&f->box, 0, sizeof f->box);
            st = parse_bounds(r, &f->box);
            if (st) return st;
            have_box = 1;
        } else if (item_is(r, "ATOMS", NULL, NULL)) {
            if (!have_n)
                return am_io_lr_fail(r, AM_ERR_PARSE, "ITEM: ATOMS", "expected 'ITEM: NUMBER OF ATOMS' first");
            if (!have_box)
                return am_io_lr_fail(r, AM_ERR_PARSE, "ITEM: ATOMS", "expected 'ITEM: BOX BOUNDS' first");
            st = parse_columns(r, &f->cols);
            if (st) return st;
            /* every atom line holds at least one character and a separator per column */
            if (f->n > r->size / (2 * (long long)f->cols.ncols))
                return am_io_lr_fail(r, AM_ERR_PARSE, NULL,
                                     "expected a file large enough for %lld atoms (truncated file?)", f->n);
            return AM_OK;
        } else {
            return am_io_lr_fail(r, AM_ERR_PARSE, r->ntok > 1 ? r->tok[1] : r->tok[0],
                                 "expected 'ITEM: TIMESTEP', 'ITEM: NUMBER OF ATOMS', "
                                 "'ITEM: BOX BOUNDS' or 'ITEM: ATOMS'");
        }
    }
}

static am_status atom_line(am_io_lr *r, const dump_frame *f, long long k)
{
    int got;
    am_status st = am_io_lr_next_tokens(r, 0, &got);
    if (st) return st;
    if (!got)
        return am_io_lr_fail(r, AM_ERR_PARSE, am_io_got_eof, "expected %lld more atom line%s (truncated frame)",
                             f->n - k, f->n - k == 1 ? "" : "s");
    if (strcmp(r->tok[0], "ITEM:") == 0)
        return am_io_lr_fail(r, AM_ERR_PARSE, r->ntok > 1 ? r->tok[1] : r->tok[0],
                             "expected %lld atom lines as 'ITEM: NUMBER OF ATOMS' on line %ld declares, found %lld",
                             f->n, f->n_line, k);
    if (r->ntok != f->cols.ncols)
        return am_io_lr_fail(r, AM_ERR_PARSE, r->tok[0], "expected %d columns on atom line %lld of %lld, found %d",
                             f->cols.ncols, k + 1, f->n, r->ntok);
    return AM_OK;
}

/* After the frame that is read: the next frame or the end of the file. */
static am_status frame_end(am_io_lr *r, const dump_frame *f)
{
    int got;
    am_status st = am_io_lr_next_tokens(r, 0, &got);
    if (st || !got || starts_frame(r)) return st;
    return extra_atoms(r, f);
}

static am_status skip_atoms(am_io_lr *r, const void *frame)
{
    const dump_frame *f = frame;
    for (long long k = 0; k < f->n; k++) {
        am_status st = atom_line(r, f, k);
        if (st) return st;
    }
    return AM_OK;
}

typedef struct atom_reader {
    am_io_lr *r;
    const dump_frame *f;
    am_io_atoms at;
    int nnames; /* from opt->species */
} atom_reader;

static am_status set_type_name(atom_reader *a, int t, const char *el)
{
    char *have = a->at.ty.name[t - 1];
    if (!have[0]) {
        if (!am_io_species_name_ok(el))
            return am_io_lr_fail(a->r, AM_ERR_VALUE, el, "expected an element name of 1 to %d characters",
                                 AM_NAME_LEN - 1);
        strcpy(have, el);
        return AM_OK;
    }
    if (strcmp(have, el) != 0)
        return am_io_lr_fail(a->r, AM_ERR_VALUE, el, "expected element '%s' for atom type %d as on earlier lines",
                             have, t);
    return AM_OK;
}

/* Type of an atom known only by its element: position in --species, else
 * order of first appearance. */
static am_status type_from_element(atom_reader *a, const char *el, int *t)
{
    for (int k = 0; k < a->at.ty.ntypes; k++) {
        if (strcmp(a->at.ty.name[k], el) == 0) {
            *t = k + 1;
            return AM_OK;
        }
    }
    if (a->nnames) return am_io_lr_fail(a->r, AM_ERR_VALUE, el, "expected one of the species given (%d names)", a->nnames);
    if (a->at.ty.ntypes == AM_MAX_SPECIES)
        return am_io_lr_fail(a->r, AM_ERR_UNSUPPORTED, el, "expected at most %d species", AM_MAX_SPECIES);
    *t = ++a->at.ty.ntypes;
    return set_type_name(a, *t, el);
}

static am_status parse_atom(atom_reader *a, size_t i)
{
    am_io_lr *r = a->r;
    const dump_cols *c = &a->f->cols;
    am_system *s = a->at.s;
    char **tok = r->tok;
    if (c->id >= 0) {
        long long id;
        if (!am_io_parse_ll(tok[c->id], &id) || id < 1)
            return am_io_lr_fail(r, AM_ERR_PARSE, tok[c->id], "expected a positive integer atom id");
        s->id[i] = id;
    }
    int t = 0;
    if (c->type >= 0) {
        int limit = a->nnames ? a->nnames : AM_MAX_SPECIES;
        if (!am_io_parse_int(tok[c->type], &t) || t < 1 || t > limit)
            return am_io_lr_fail(r, AM_ERR_VALUE, tok[c->type], "expected an atom type from 1 to %d%s", limit,
                                 a->nnames ? " (one per species name given)" : "");
        if (!a->nnames) {
            if (t > a->at.ty.ntypes) a->at.ty.ntypes = t;
            if (c->element >= 0) {
                am_status st = set_type_name(a, t, tok[c->element]);
                if (st) return st;
            }
        }
    } else {
        am_status st = type_from_element(a, tok[c->element], &t);
        if (st) return st;
    }
    a->at.ty.used[t - 1] = 1;
    s->type[i] = t - 1;
    if (c->mass >= 0) {
        double m;
        if (!am_io_parse_double(tok[c->mass], &m) || !(m > 0.0))
            return am_io_lr_fail(r, AM_ERR_VALUE, tok[c->mass], "expected a positive mass");
        if (a->at.ty.mass[t - 1] == 0.0) a->at.ty.mass[t - 1] = m;
        else if (a->at.ty.mass[t - 1] != m)
            return am_io_lr_fail(r, AM_ERR_VALUE, tok[c->mass], "expected the same mass for every atom of type %d", t);
    }
    double p[3];
    for (int d = 0; d < 3; d++)
        if (!am_io_parse_double(tok[c->pos[d]], &p[d]))
            return am_io_lr_fail(r, AM_ERR_PARSE, tok[c->pos[d]], "expected a finite coordinate");
    if (c->kind == POS_SCALED || c->kind == POS_SCALED_UNWRAPPED) {
        double cart[3];
        am_box_from_frac(&s->box, p, cart);
        memcpy(p, cart, sizeof p);
    }
    s->x[i] = p[0];
    s->y[i] = p[1];
    s->z[i] = p[2];
    /* unwrapped positions already carry the images; wrapping finds them */
    if (c->kind == POS_WRAPPED || c->kind == POS_SCALED)
        for (int d = 0; d < 3; d++)
            if (c->img[d] >= 0 && !am_io_parse_int(tok[c->img[d]], &s->image[3 * i + d]))
                return am_io_lr_fail(r, AM_ERR_PARSE, tok[c->img[d]], "expected an integer image flag");
    if (s->vx) {
        double v[3];
        for (int d = 0; d < 3; d++)
            if (!am_io_parse_double(tok[c->vel[d]], &v[d]))
                return am_io_lr_fail(r, AM_ERR_PARSE, tok[c->vel[d]], "expected a finite velocity component");
        s->vx[i] = v[0];
        s->vy[i] = v[1];
        s->vz[i] = v[2];
    }
    a->at.lines[i] = r->line;
    return AM_OK;
}

static am_status read_atoms(am_io_lr *r, const void *frame, const am_read_options *opt, am_system **out)
{
    const dump_frame *f = frame;
    atom_reader a;
    memset(&a, 0, sizeof a);
    a.r = r;
    a.f = f;
    const dump_cols *c = &f->cols;
    am_status st = AM_OK;
    if (opt->species) {
        st = am_io_types_from_list(&a.at.ty, opt, &a.nnames, r->path);
        if (st) return st;
    }
    if (f->n == 0)
        return am_io_fail(AM_ERR_VALUE, r->path, f->n_line, "0", "expected a frame with at least one atom");
    if (!opt->species && c->element < 0)
        return am_io_fail(AM_ERR_VALUE, r->path, r->line, NULL,
                          "expected an 'element' column or species names for the atom types; pass "
                          "them, e.g. --species Cu,Zr");
    int with_vel = c->vel[0] >= 0 && c->vel[1] >= 0 && c->vel[2] >= 0;
    st = am_io_atoms_alloc(&a.at, f->n, with_vel, r->path);
    if (!st) a.at.s->box = f->box;
    for (long long k = 0; k < f->n && !st; k++) {
        st = atom_line(r, f, k);
        if (!st) st = parse_atom(&a, (size_t)k);
    }
    if (!st) st = frame_end(r, f);
    if (!st && c->id >= 0) st = am_io_index_ids(&a.at.ids, a.at.s, r->path, a.at.lines);
    int unwrapped = c->kind == POS_UNWRAPPED || c->kind == POS_SCALED_UNWRAPPED;
    return am_io_atoms_done(&a.at, st, r->path, unwrapped, opt->min_distance, out);
}

am_status am_io_read_lammps_dump(const char *path, const am_read_options *opt, am_system **out)
{
    static const am_io_frames dump = {read_frame_header, skip_atoms, read_atoms, "dump", NULL};
    dump_frame f;
    memset(&f, 0, sizeof f);
    f.n = -1;
    return am_io_read_frame(path, opt, &dump, &f, out);
}
