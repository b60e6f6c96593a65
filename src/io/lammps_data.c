/* LAMMPS data files, atom_style atomic. */
#include "io/formats.h"
#include "io/atomic_file.h"
#include "io/cell.h"
#include "io/finish.h"
#include "io/idmap.h"
#include "io/lineread.h"
#include "io/numfmt.h"
#include "io/species.h"

#include <math.h>
#include <stdlib.h>
#include <string.h>

/* The shortest atom line, "1 1 0 0 0\n", bounds how many atoms a file of a
 * given size can hold; larger counts are rejected before allocating. */
#define MIN_ATOM_LINE 10

typedef struct data_reader {
    am_io_lr lr;
    const am_read_options *opt;
    long long natoms;
    int ntypes;
    int have_natoms, have_ntypes, have_bounds[3], have_tilt;
    double lo[3], tilt[3];
    long double hi[3];
    double mass[AM_MAX_SPECIES];
    char label[AM_MAX_SPECIES][AM_NAME_LEN];
    char comment[AM_MAX_SPECIES][AM_NAME_LEN];
    int have_masses, have_labels, have_atoms, have_velocities;
    am_io_atoms at;
} data_reader;

/* Undoes the tokenizer's NULs so an error can quote the whole line. */
static const char *whole_line(am_io_lr *r)
{
    if (r->ntok == 0) return r->buf ? r->buf : "";
    char *first = r->tok[0], *last = r->tok[r->ntok - 1];
    for (char *p = first; p < last; p++)
        if (*p == '\0') *p = ' ';
    return first;
}

static const char *const count_keywords[] = {"bonds", "angles", "dihedrals", "impropers",
                                             "ellipsoids", "lines", "triangles", "bodies"};
static const char *const type_keywords[] = {"bond", "angle", "dihedral", "improper"};

static am_status parse_header_line(data_reader *d)
{
    am_io_lr *r = &d->lr;
    char **t = r->tok;
    int n = r->ntok;
    if (n == 2 && strcmp(t[1], "atoms") == 0) {
        if (d->have_natoms) return am_io_lr_fail(r, AM_ERR_PARSE, t[1], "expected one 'N atoms' line");
        if (!am_io_parse_ll(t[0], &d->natoms) || d->natoms < 0)
            return am_io_lr_fail(r, AM_ERR_PARSE, t[0], "expected a positive atom count");
        /* nothing amorph computes has a meaning for an empty configuration */
        if (d->natoms == 0)
            return am_io_lr_fail(r, AM_ERR_VALUE, t[0], "expected a positive atom count (a configuration needs atoms)");
        d->have_natoms = 1;
        return AM_OK;
    }
    if (n == 3 && strcmp(t[1], "atom") == 0 && strcmp(t[2], "types") == 0) {
        if (d->have_ntypes) return am_io_lr_fail(r, AM_ERR_PARSE, t[1], "expected one 'M atom types' line");
        if (!am_io_parse_int(t[0], &d->ntypes) || d->ntypes < 1)
            return am_io_lr_fail(r, AM_ERR_PARSE, t[0], "expected a positive number of atom types");
        if (d->ntypes > AM_MAX_SPECIES)
            return am_io_lr_fail(r, AM_ERR_UNSUPPORTED, t[0], "expected at most %d atom types",
                                 AM_MAX_SPECIES);
        d->have_ntypes = 1;
        return AM_OK;
    }
    static const char *const lohi[3][2] = {{"xlo", "xhi"}, {"ylo", "yhi"}, {"zlo", "zhi"}};
    for (int k = 0; k < 3; k++) {
        if (n == 4 && strcmp(t[2], lohi[k][0]) == 0 && strcmp(t[3], lohi[k][1]) == 0) {
            long double v[2];
            for (int j = 0; j < 2; j++)
                if (!am_io_parse_bound(t[j], &v[j]))
                    return am_io_lr_fail(r, AM_ERR_PARSE, t[j], "expected a finite number for %s",
                                         lohi[k][j]);
            d->lo[k] = (double)v[0];
            d->hi[k] = v[1];
            if (!(d->hi[k] > d->lo[k]))
                return am_io_lr_fail(r, AM_ERR_VALUE, t[1], "expected %s > %s", lohi[k][1], lohi[k][0]);
            static const char *const edge[3] = {"x edge (xhi - xlo)", "y edge (yhi - ylo)", "z edge (zhi - zlo)"};
            am_status st = am_io_check_extent(am_io_decode_len(d->lo[k], d->hi[k]), 0, edge[k], r->path, r->line);
            if (st) return st;
            d->have_bounds[k] = 1;
            return AM_OK;
        }
    }
    if (n == 6 && strcmp(t[3], "xy") == 0 && strcmp(t[4], "xz") == 0 && strcmp(t[5], "yz") == 0) {
        for (int j = 0; j < 3; j++) {
            if (!am_io_parse_double(t[j], &d->tilt[j]))
                return am_io_lr_fail(r, AM_ERR_PARSE, t[j], "expected a finite tilt factor");
            static const char *const name[3] = {"tilt factor xy", "tilt factor xz", "tilt factor yz"};
            am_status st = am_io_check_extent(d->tilt[j], 1, name[j], r->path, r->line);
            if (st) return st;
        }
        d->have_tilt = 1;
        return AM_OK;
    }
    if (n >= 4 && (strcmp(t[3], "avec") == 0 || strcmp(t[3], "bvec") == 0 ||
                   strcmp(t[3], "cvec") == 0 || strcmp(t[3], "abc") == 0))
        return am_io_lr_fail(r, AM_ERR_UNSUPPORTED, t[3],
                             "expected a restricted triclinic box (xy xz yz); general triclinic "
                             "boxes are not supported");
    long long count;
    for (size_t k = 0; k < sizeof count_keywords / sizeof *count_keywords; k++)
        if (n == 2 && strcmp(t[1], count_keywords[k]) == 0) {
            if (!am_io_parse_ll(t[0], &count) || count != 0)
                return am_io_lr_fail(r, AM_ERR_UNSUPPORTED, t[0],
                                     "expected 0 %s for atom_style atomic", count_keywords[k]);
            return AM_OK;
        }
    for (size_t k = 0; k < sizeof type_keywords / sizeof *type_keywords; k++)
        if (n == 3 && strcmp(t[1], type_keywords[k]) == 0 && strcmp(t[2], "types") == 0) {
            if (!am_io_parse_ll(t[0], &count) || count < 0)
                return am_io_lr_fail(r, AM_ERR_PARSE, t[0], "expected a count of %s types",
                                     type_keywords[k]);
            return AM_OK;
        }
    /* "N extra bond per atom" and similar only reserve memory in LAMMPS */
    if (n == 5 && strcmp(t[1], "extra") == 0 && strcmp(t[3], "per") == 0 && strcmp(t[4], "atom") == 0)
        return AM_OK;
    return am_io_lr_fail(r, AM_ERR_PARSE, whole_line(r),
                         "expected a header line ('N atoms', 'M atom types', 'lo hi xlo xhi', "
                         "'xy xz yz xy xz yz') or a section name");
}

/* A type given as a number, or as a type label once labels are known. */
static int parse_type(const data_reader *d, const char *tok, int *type)
{
    int t;
    if (am_io_parse_int(tok, &t)) {
        if (t < 1 || t > d->ntypes) return 0;
        *type = t;
        return 1;
    }
    if (!d->have_labels) return 0;
    for (int k = 0; k < d->ntypes; k++)
        if (strcmp(d->label[k], tok) == 0) {
            *type = k + 1;
            return 1;
        }
    return 0;
}

static am_status type_error(data_reader *d, const char *tok)
{
    return am_io_lr_fail(&d->lr, AM_ERR_VALUE, tok, "expected an atom type from 1 to %d%s", d->ntypes,
                         d->have_labels ? " or a type label" : "");
}

/* Reads the next entry line of a section with `count` entries. */
static am_status section_line(data_reader *d, const char *section, long long k, long long count,
                              const char *layout)
{
    int got;
    am_status st = am_io_lr_next_tokens(&d->lr, '#', &got);
    if (st) return st;
    if (!got)
        return am_io_lr_fail(&d->lr, AM_ERR_PARSE, am_io_got_eof,
                             "expected %lld more line%s (%s) in the %s section", count - k,
                             count - k == 1 ? "" : "s", layout, section);
    double v;
    if (!am_io_parse_double(d->lr.tok[0], &v) && !(d->have_labels && strcmp(section, "Masses") == 0))
        return am_io_lr_fail(&d->lr, AM_ERR_PARSE, whole_line(&d->lr),
                             "expected line %lld of %lld (%s) in the %s section", k + 1, count, layout,
                             section);
    return AM_OK;
}

static am_status read_masses(data_reader *d)
{
    am_io_lr *r = &d->lr;
    int seen[AM_MAX_SPECIES] = {0};
    for (int k = 0; k < d->ntypes; k++) {
        am_status st = section_line(d, "Masses", k, d->ntypes, "type mass");
        if (st) return st;
        int t;
        double m;
        if (r->ntok != 2)
            return am_io_lr_fail(r, AM_ERR_PARSE, whole_line(r), "expected 'type mass' in the Masses section");
        if (!parse_type(d, r->tok[0], &t)) return type_error(d, r->tok[0]);
        if (seen[t - 1]) return am_io_lr_fail(r, AM_ERR_VALUE, r->tok[0], "expected each atom type once in Masses");
        if (!am_io_parse_double(r->tok[1], &m) || !(m > 0.0))
            return am_io_lr_fail(r, AM_ERR_VALUE, r->tok[1], "expected a positive mass");
        seen[t - 1] = 1;
        d->mass[t - 1] = m;
        /* write_data and many tools put the element after the mass: "1 63.546 # Cu" */
        if (r->comment && r->comment[0]) {
            char word[AM_NAME_LEN + 1];
            size_t len = strcspn(r->comment, " \t");
            if (len < AM_NAME_LEN) {
                memcpy(word, r->comment, len);
                word[len] = '\0';
                if (am_io_species_name_ok(word)) memcpy(d->comment[t - 1], word, len + 1);
            }
        }
    }
    d->have_masses = 1;
    return AM_OK;
}

static am_status read_labels(data_reader *d)
{
    am_io_lr *r = &d->lr;
    for (int k = 0; k < d->ntypes; k++) {
        am_status st = section_line(d, "Atom Type Labels", k, d->ntypes, "type label");
        if (st) return st;
        int t;
        if (r->ntok != 2)
            return am_io_lr_fail(r, AM_ERR_PARSE, whole_line(r), "expected 'type label' in Atom Type Labels");
        if (!am_io_parse_int(r->tok[0], &t) || t < 1 || t > d->ntypes) return type_error(d, r->tok[0]);
        if (d->label[t - 1][0])
            return am_io_lr_fail(r, AM_ERR_VALUE, r->tok[0], "expected each atom type once in Atom Type Labels");
        if (!am_io_species_name_ok(r->tok[1]))
            return am_io_lr_fail(r, AM_ERR_VALUE, r->tok[1],
                                 "expected a type label of 1 to %d printable characters", AM_NAME_LEN - 1);
        for (int j = 0; j < d->ntypes; j++)
            if (strcmp(d->label[j], r->tok[1]) == 0)
                return am_io_lr_fail(r, AM_ERR_VALUE, r->tok[1], "expected distinct type labels");
        strcpy(d->label[t - 1], r->tok[1]);
    }
    d->have_labels = 1;
    return AM_OK;
}

static am_status read_atoms(data_reader *d, const char *style)
{
    am_io_lr *r = &d->lr;
    am_system *s = d->at.s;
    if (style && strcmp(style, "atomic") != 0)
        return am_io_lr_fail(r, AM_ERR_UNSUPPORTED, style, "expected atom style 'atomic' in the Atoms section");
    for (long long k = 0; k < d->natoms; k++) {
        am_status st = section_line(d, "Atoms", k, d->natoms, "id type x y z [ix iy iz]");
        if (st) return st;
        char **t = r->tok;
        if (r->ntok != 5 && r->ntok != 8)
            return am_io_lr_fail(r, AM_ERR_PARSE, whole_line(r),
                                 "expected 5 or 8 fields (atom_style atomic: id type x y z [ix iy iz])");
        size_t i = (size_t)k;
        long long id;
        int type;
        if (!am_io_parse_ll(t[0], &id) || id < 1)
            return am_io_lr_fail(r, AM_ERR_PARSE, t[0], "expected a positive integer atom id");
        if (!parse_type(d, t[1], &type)) return type_error(d, t[1]);
        double x[3];
        for (int c = 0; c < 3; c++)
            if (!am_io_parse_double(t[2 + c], &x[c]))
                return am_io_lr_fail(r, AM_ERR_PARSE, t[2 + c], "expected a finite %c coordinate", 'x' + c);
        if (r->ntok == 8)
            for (int c = 0; c < 3; c++)
                if (!am_io_parse_int(t[5 + c], &s->image[3 * i + c]))
                    return am_io_lr_fail(r, AM_ERR_PARSE, t[5 + c], "expected an integer image flag");
        s->id[i] = id;
        s->type[i] = type - 1;
        s->x[i] = x[0];
        s->y[i] = x[1];
        s->z[i] = x[2];
        d->at.lines[i] = r->line;
    }
    d->have_atoms = 1;
    return am_io_index_ids(&d->at.ids, s, r->path, d->at.lines);
}

static am_status read_velocities(data_reader *d)
{
    am_io_lr *r = &d->lr;
    am_system *s = d->at.s;
    if (!d->have_atoms)
        return am_io_lr_fail(r, AM_ERR_PARSE, "Velocities", "expected the Atoms section before Velocities");
    am_status st = am_system_add_velocities(s);
    if (st) return st;
    char *seen = calloc(s->n ? s->n : 1, 1);
    if (!seen) return am_fail(AM_ERR_NOMEM, "%s: out of memory", r->path);
    for (long long k = 0; k < d->natoms && !st; k++) {
        st = section_line(d, "Velocities", k, d->natoms, "id vx vy vz");
        if (st) break;
        char **t = r->tok;
        long long id;
        size_t i;
        double v[3];
        if (r->ntok != 4) {
            st = am_io_lr_fail(r, AM_ERR_PARSE, whole_line(r), "expected 4 fields (id vx vy vz)");
            break;
        }
        if (!am_io_parse_ll(t[0], &id) || !am_io_idmap_find(&d->at.ids, id, &i)) {
            st = am_io_lr_fail(r, AM_ERR_VALUE, t[0], "expected the id of an atom in the Atoms section");
            break;
        }
        if (seen[i]) {
            st = am_io_lr_fail(r, AM_ERR_VALUE, t[0], "expected one velocity line per atom");
            break;
        }
        seen[i] = 1;
        for (int c = 0; c < 3 && !st; c++)
            if (!am_io_parse_double(t[1 + c], &v[c]))
                st = am_io_lr_fail(r, AM_ERR_PARSE, t[1 + c], "expected a finite velocity component");
        if (st) break;
        s->vx[i] = v[0];
        s->vy[i] = v[1];
        s->vz[i] = v[2];
    }
    free(seen);
    if (!st) d->have_velocities = 1;
    return st;
}

/* Force-field coefficients mean nothing to amorph; their lines are skipped up
 * to the next section name. */
static am_status skip_section(data_reader *d, int *got)
{
    for (;;) {
        am_status st = am_io_lr_next_tokens(&d->lr, '#', got);
        if (st || !*got) return st;
        double v;
        if (!am_io_parse_double(d->lr.tok[0], &v)) return AM_OK;
    }
}

static int is_section(const am_io_lr *r, const char *a, const char *b, const char *c)
{
    int n = c ? 3 : b ? 2 : 1;
    if (r->ntok != n || strcmp(r->tok[0], a) != 0) return 0;
    if (b && strcmp(r->tok[1], b) != 0) return 0;
    if (c && strcmp(r->tok[2], c) != 0) return 0;
    return 1;
}

static am_status read_sections(data_reader *d, int got)
{
    am_io_lr *r = &d->lr;
    while (got) {
        am_status st = AM_OK;
        int repeated = 0;
        if (is_section(r, "Masses", NULL, NULL)) {
            if (d->have_masses) repeated = 1;
            else st = read_masses(d);
        } else if (is_section(r, "Atoms", NULL, NULL)) {
            char style[32] = "";
            if (r->comment && r->comment[0]) {
                size_t len = strcspn(r->comment, " \t");
                if (len >= sizeof style) len = sizeof style - 1;
                memcpy(style, r->comment, len);
                style[len] = '\0';
            }
            if (d->have_atoms) repeated = 1;
            else st = read_atoms(d, style[0] ? style : NULL);
        } else if (is_section(r, "Velocities", NULL, NULL)) {
            if (d->have_velocities) repeated = 1;
            else st = read_velocities(d);
        } else if (is_section(r, "Atom", "Type", "Labels")) {
            if (d->have_labels) repeated = 1;
            else st = read_labels(d);
        } else if (is_section(r, "Pair", "Coeffs", NULL) || is_section(r, "PairIJ", "Coeffs", NULL)) {
            st = skip_section(d, &got);
            if (st) return st;
            continue;
        } else {
            double v;
            if (am_io_parse_double(r->tok[0], &v))
                return am_io_lr_fail(r, AM_ERR_PARSE, whole_line(r),
                                     "expected a section name (more entries than the header declares?)");
            return am_io_lr_fail(r, AM_ERR_UNSUPPORTED, whole_line(r),
                                 "expected a section of an atom_style atomic data file (Masses, "
                                 "Atoms, Velocities, Atom Type Labels, Pair Coeffs)");
        }
        if (repeated) return am_io_lr_fail(r, AM_ERR_PARSE, whole_line(r), "expected each section once");
        if (st) return st;
        st = am_io_lr_next_tokens(r, '#', &got);
        if (st) return st;
    }
    return AM_OK;
}

static am_status check_header(data_reader *d, int got)
{
    am_io_lr *r = &d->lr;
    const char *where = got ? r->tok[0] : am_io_got_eof;
    static const char *const lohi[3] = {"xlo xhi", "ylo yhi", "zlo zhi"};
    if (!d->have_natoms)
        return am_io_lr_fail(r, AM_ERR_PARSE, where, "expected 'N atoms' in the header");
    if (!d->have_ntypes)
        return am_io_lr_fail(r, AM_ERR_PARSE, where, "expected 'M atom types' in the header");
    for (int k = 0; k < 3; k++)
        if (!d->have_bounds[k])
            return am_io_lr_fail(r, AM_ERR_PARSE, where, "expected 'lo hi %s' in the header", lohi[k]);
    if (d->natoms > d->lr.size / MIN_ATOM_LINE)
        return am_io_lr_fail(r, AM_ERR_PARSE, where,
                             "expected a file large enough for %lld atoms (truncated file?)", d->natoms);
    return AM_OK;
}

/* Names per type: --species, else type labels, else Masses comments, else
 * the element whose standard mass matches. */
static am_status name_types(data_reader *d, am_io_types *ty)
{
    memset(ty, 0, sizeof *ty);
    ty->ntypes = d->ntypes;
    char names[AM_MAX_SPECIES][AM_NAME_LEN];
    int count = 0;
    if (d->opt->species) {
        am_status st = am_io_species_list(d->opt->species, names, &count, d->lr.path);
        if (st) return st;
        if (count != d->ntypes)
            return am_io_fail(AM_ERR_VALUE, d->lr.path, 0, NULL,
                              "the file has %d atom types but the species list '%s' names %d; "
                              "expected a name for each type, e.g. --species Cu,Zr",
                              d->ntypes, d->opt->species, count);
        ty->listed = 1;
        ty->force = d->opt->force_species;
    }
    for (int k = 0; k < d->ntypes; k++) {
        ty->used[k] = 1;
        ty->mass[k] = d->mass[k];
        if (d->label[k][0]) strcpy(ty->file_name[k], d->label[k]);
        else if (d->comment[k][0]) strcpy(ty->file_name[k], d->comment[k]);
        const char *name = NULL;
        if (count) name = names[k];
        else if (d->label[k][0]) name = d->label[k];
        else if (d->comment[k][0]) name = d->comment[k];
        else if (d->mass[k] > 0.0) name = am_element_from_mass(d->mass[k], 0.05);
        if (name) strcpy(ty->name[k], name);
    }
    return AM_OK;
}

am_status am_io_read_lammps_data(const char *path, const am_read_options *opt, am_system **out)
{
    data_reader d;
    memset(&d, 0, sizeof d);
    d.opt = opt;
    *out = NULL;
    if (opt->frame != 0 && opt->frame != -1)
        return am_fail(AM_ERR_VALUE, "%s: a data file holds one configuration; frame %ld requested",
                       path, opt->frame);
    am_status st = am_io_lr_open(&d.lr, path);
    if (st) return st;
    am_io_lr *r = &d.lr;
    int got;
    /* the first line is a free-form title */
    st = am_io_lr_next(r, &got);
    if (!st && !got)
        st = am_io_lr_fail(r, AM_ERR_PARSE, am_io_got_eof, "expected a LAMMPS data file (title line)");
    while (!st) {
        st = am_io_lr_next_tokens(r, '#', &got);
        if (st || !got) break;
        double v;
        if (!am_io_parse_double(r->tok[0], &v)) break; /* first section name */
        st = parse_header_line(&d);
    }
    if (!st) st = check_header(&d, got);
    if (!st) st = am_io_atoms_alloc(&d.at, d.natoms, 0, path);
    if (!st) {
        am_box *b = &d.at.s->box;
        for (int k = 0; k < 3; k++) {
            b->lo[k] = d.lo[k];
            b->len[k] = am_io_decode_len(d.lo[k], d.hi[k]);
            b->tilt[k] = d.tilt[k];
            b->periodic[k] = 1;
        }
        st = read_sections(&d, got);
    }
    if (!st && d.natoms > 0 && !d.have_atoms)
        st = am_io_lr_fail(r, AM_ERR_PARSE, am_io_got_eof, "expected an Atoms section");
    if (!st) st = name_types(&d, &d.at.ty);
    st = am_io_atoms_done(&d.at, st, path, 0, opt->min_distance, out);
    am_io_lr_close(r);
    return st;
}

/* ---- writer ---- */

am_status am_io_write_lammps_data(const char *path, const am_system *s)
{
    am_status st = am_io_check_system(s, path, 1);
    if (st) return st;
    am_io_afile f;
    st = am_io_afile_open(&f, path);
    if (st) return st;
    FILE *fp = f.fp;
    const am_box *b = &s->box;
    char n0[AM_IO_BOUNDBUF], n1[AM_IO_BOUNDBUF], n2[AM_IO_BOUNDBUF];
    static const char *const lohi[3] = {"xlo xhi", "ylo yhi", "zlo zhi"};
    fprintf(fp, "LAMMPS data file (atom_style atomic) written by amorph\n\n");
    fprintf(fp, "%zu atoms\n%d atom types\n\n", s->n, s->nspecies > 0 ? s->nspecies : 1);
    for (int k = 0; k < 3; k++) {
        am_io_bound hi = am_io_encode_hi(b->lo[k], b->len[k]);
        fprintf(fp, "%s %s %s\n", am_io_fmt_double(n0, b->lo[k]), am_io_bound_format(&hi, n1), lohi[k]);
    }
    if (am_box_is_triclinic(b))
        fprintf(fp, "%s %s %s xy xz yz\n", am_io_fmt_double(n0, b->tilt[0]),
                am_io_fmt_double(n1, b->tilt[1]), am_io_fmt_double(n2, b->tilt[2]));
    if (s->nspecies > 0) {
        fprintf(fp, "\nMasses\n\n");
        for (int k = 0; k < s->nspecies; k++)
            fprintf(fp, "%d %s # %s\n", k + 1, am_io_fmt_double(n0, s->species[k].mass), s->species[k].name);
    }
    fprintf(fp, "\nAtoms # atomic\n\n");
    for (size_t i = 0; i < s->n; i++)
        fprintf(fp, "%lld %d %s %s %s %d %d %d\n", s->id[i], s->type[i] + 1, am_io_fmt_double(n0, s->x[i]),
                am_io_fmt_double(n1, s->y[i]), am_io_fmt_double(n2, s->z[i]), s->image[3 * i],
                s->image[3 * i + 1], s->image[3 * i + 2]);
    if (s->vx) {
        fprintf(fp, "\nVelocities\n\n");
        for (size_t i = 0; i < s->n; i++)
            fprintf(fp, "%lld %s %s %s\n", s->id[i], am_io_fmt_double(n0, s->vx[i]),
                    am_io_fmt_double(n1, s->vy[i]), am_io_fmt_double(n2, s->vz[i]));
    }
    return am_io_afile_commit(&f);
}
