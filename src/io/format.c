/* Choosing a format and dispatching am_read / am_write to it. */
#include "io/formats.h"
#include "io/lineread.h"

#include <math.h>
#include <stdlib.h>
#include <string.h>

static const struct {
    const char *name;
    am_format format;
} format_names[] = {
    {"data", AM_FMT_LAMMPS_DATA}, {"lmp", AM_FMT_LAMMPS_DATA},       {"lammps-data", AM_FMT_LAMMPS_DATA},
    {"dump", AM_FMT_LAMMPS_DUMP}, {"lammpstrj", AM_FMT_LAMMPS_DUMP}, {"lammps-dump", AM_FMT_LAMMPS_DUMP},
    {"xyz", AM_FMT_EXTXYZ},       {"extxyz", AM_FMT_EXTXYZ},         {"auto", AM_FMT_AUTO},
};

/* The format named, or -1. */
static int lookup(const char *name)
{
    for (size_t k = 0; k < sizeof format_names / sizeof *format_names; k++)
        if (am_io_streq_nocase(name, format_names[k].name)) return (int)format_names[k].format;
    return -1;
}

am_status am_format_parse(const char *name, am_format *out)
{
    if (!name || !out) return am_fail(AM_ERR_VALUE, "am_format_parse: no format name given");
    int f = lookup(name);
    if (f < 0) {
        /* "conf.lammpstrj" or ".xyz" name the format by extension */
        const char *dot = strrchr(name, '.');
        if (dot) f = lookup(dot + 1);
    }
    if (f < 0)
        return am_fail(AM_ERR_VALUE,
                       "unknown format '%s'; expected data, lmp, dump, lammpstrj, xyz, extxyz or auto", name);
    *out = (am_format)f;
    return AM_OK;
}

am_format am_format_from_path(const char *path)
{
    if (!path) return AM_FMT_AUTO;
    const char *base = strrchr(path, '/');
    base = base ? base + 1 : path;
    const char *dot = strrchr(base, '.');
    if (dot && dot != base) {
        int f = lookup(dot + 1);
        if (f > 0) return (am_format)f;
    }
    /* LAMMPS examples name files data.cu or dump.melt */
    if (strncmp(base, "data.", 5) == 0) return AM_FMT_LAMMPS_DATA;
    if (strncmp(base, "dump.", 5) == 0) return AM_FMT_LAMMPS_DUMP;
    return AM_FMT_AUTO;
}

/* For names that say nothing: dumps start with "ITEM:", XYZ files with a
 * lone atom count; anything else is taken for a data file, whose first line
 * is free text. */
static am_status sniff(const char *path, am_format *out)
{
    am_io_lr r;
    am_status st = am_io_lr_open(&r, path);
    if (st) return st;
    int got;
    *out = AM_FMT_LAMMPS_DATA;
    st = am_io_lr_next_tokens(&r, 0, &got);
    if (!st && got) {
        long long n;
        if (strcmp(r.tok[0], "ITEM:") == 0) *out = AM_FMT_LAMMPS_DUMP;
        else if (r.ntok == 1 && am_io_parse_ll(r.tok[0], &n)) *out = AM_FMT_EXTXYZ;
    }
    am_io_lr_close(&r);
    /* a binary or empty file gets its error from the data reader */
    return AM_OK;
}

/* Options with defaults filled in and the format settled. */
static am_status resolve(const char *path, const am_read_options *opt, am_read_options *o, am_format *f)
{
    if (!path || !*path) return am_fail(AM_ERR_VALUE, "am_read: no file name given");
    *o = (am_read_options){AM_FMT_AUTO, NULL, 0, 0.0, 0};
    if (opt) *o = *opt;
    if (isnan(o->min_distance))
        return am_fail(AM_ERR_VALUE, "%s: min_distance is NaN; expected a distance in A, 0 for the default "
                                     "or negative to disable", path);
    if (o->min_distance == 0.0) o->min_distance = 0.5;
    if (o->species && !*o->species) o->species = NULL;
    *f = o->format;
    if (*f == AM_FMT_AUTO) *f = am_format_from_path(path);
    if (*f == AM_FMT_AUTO) return sniff(path, f);
    return AM_OK;
}

am_status am_read(const char *path, const am_read_options *opt, am_system **out)
{
    if (!out) return am_fail(AM_ERR_VALUE, "am_read: no output pointer given");
    *out = NULL;
    am_read_options o;
    am_format f = AM_FMT_AUTO;
    am_status st = resolve(path, opt, &o, &f);
    if (st) return st;
    switch (f) {
    case AM_FMT_LAMMPS_DATA: return am_io_read_lammps_data(path, &o, out);
    case AM_FMT_LAMMPS_DUMP: return am_io_read_lammps_dump(path, &o, out);
    case AM_FMT_EXTXYZ: return am_io_read_extxyz(path, &o, out);
    default: break;
    }
    return am_fail(AM_ERR_VALUE, "%s: unknown format code %d", path, (int)f);
}

am_status am_read_table(const char *path, const am_read_options *opt, am_system **sys, am_table **table)
{
    if (!sys || !table) return am_fail(AM_ERR_VALUE, "am_read_table: no output pointer given");
    *sys = NULL;
    *table = NULL;
    am_read_options o;
    am_format f = AM_FMT_AUTO;
    am_status st = resolve(path, opt, &o, &f);
    if (st) return st;
    am_table *t = calloc(1, sizeof *t);
    if (!t) return am_fail(AM_ERR_NOMEM, "%s: out of memory", path);
    /* other formats carry no columns beyond the configuration */
    st = f == AM_FMT_EXTXYZ ? am_io_read_extxyz_table(path, &o, sys, t) : am_read(path, &o, sys);
    if (!st && f != AM_FMT_EXTXYZ) t->n = (*sys)->n;
    if (st) {
        am_table_free(t);
        return st;
    }
    *table = t;
    return AM_OK;
}

am_status am_write(const char *path, am_format format, const am_system *s)
{
    if (!path || !*path) return am_fail(AM_ERR_VALUE, "am_write: no file name given");
    if (!s) return am_fail(AM_ERR_VALUE, "%s: no system to write", path);
    am_format f = format == AM_FMT_AUTO ? am_format_from_path(path) : format;
    switch (f) {
    case AM_FMT_LAMMPS_DATA: return am_io_write_lammps_data(path, s);
    case AM_FMT_LAMMPS_DUMP: return am_io_write_lammps_dump(path, s);
    case AM_FMT_EXTXYZ: return am_write_extxyz(path, s, NULL, 0, NULL);
    case AM_FMT_AUTO:
        return am_fail(AM_ERR_VALUE,
                       "%s: cannot tell the format from the name; expected an extension .data, .lmp, "
                       ".dump, .lammpstrj, .xyz or .extxyz, or an explicit format", path);
    }
    return am_fail(AM_ERR_VALUE, "%s: unknown format code %d", path, (int)f);
}
