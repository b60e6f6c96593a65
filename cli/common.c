#include "common.h"
#include "report/json.h"

#include <ctype.h>
#include <math.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

int cli_report(const char *verb, am_status st)
{
    fprintf(stderr, "amorph %s: %s: %s\n", verb, am_status_name(st), am_error_message());
    return 1;
}

int cli_read_options(const cli_verb *v, am_read_options *ro)
{
    memset(ro, 0, sizeof *ro);
    const char *fmt = cli_get(v, "format");
    if (fmt) {
        am_status st = am_format_parse(fmt, &ro->format);
        if (st) {
            cli_report(v->name, st);
            return 2;
        }
    }
    ro->species = cli_get(v, "species");
    ro->force_species = cli_flag(v, "force-species");
    if (ro->force_species && !ro->species) {
        fprintf(stderr, "amorph %s: --force-species needs --species\n", v->name);
        return 2;
    }
    long frame = 0;
    if (cli_int(v, "frame", &frame)) return 2;
    ro->frame = frame;
    return 0;
}

int cli_load_conf(const cli_verb *v, const char *path, am_system **out)
{
    am_read_options ro;
    int rc = cli_read_options(v, &ro);
    if (rc) return rc;
    am_status st = am_read(path, &ro, out);
    return st ? cli_report(v->name, st) : 0;
}

int cli_load_tables(const cli_verb *v, const char *const *paths, int npaths, am_system **s, am_table **t)
{
    am_read_options ro = {0};
    *s = NULL;
    *t = NULL;
    for (int k = 0; k < npaths; k++) {
        am_system *sk = NULL;
        am_table *tk = NULL;
        am_status st = am_read_table(paths[k], &ro, &sk, &tk);
        if (!st && k > 0) st = am_table_join(*t, *s, tk, sk, paths[k]);
        if (k == 0 && !st) {
            *s = sk;
            *t = tk;
            continue;
        }
        am_system_free(sk);
        am_table_free(tk);
        if (st) return cli_report(v->name, st);
    }
    return 0;
}

/* --engine lammps with --pair or --pair-file; 0 with *out NULL when neither
 * was given, else 0 or the exit status after a message. */
static int lammps_commands(const cli_verb *v, am_potential **out)
{
    *out = NULL;
    int npair = 0;
    const char *const *pair = cli_values(v, "pair", &npair);
    const char *file = cli_get(v, "pair-file");
    if (!npair && !file) {
        if (cli_given(v, "units")) {
            fprintf(stderr, "amorph %s: --units goes with --pair (a potential file states its own units)\n", v->name);
            return 2;
        }
        return 0;
    }
    if ((npair && file) || cli_get(v, "potential")) {
        fprintf(stderr, "amorph %s: give the potential once: -p, --pair or --pair-file\n", v->name);
        return 2;
    }
    if (file && cli_given(v, "units")) {
        fprintf(stderr, "amorph %s: --units goes with --pair; a --pair-file states its units in a units line\n",
                v->name);
        return 2;
    }
    am_status st = file ? am_potential_read(file, AM_LAMMPS, out) : am_potential_lammps(cli_get(v, "units"), pair, npair, out);
    return st ? cli_report(v->name, st) : 0;
}

int cli_load_potential(const cli_verb *v, const am_system *s, am_potential **out)
{
    *out = NULL;
    const char *engine = cli_get(v, "engine") ? cli_get(v, "engine") : "amorph";
    const int lammps = strcmp(engine, "lammps") == 0;
    if (!lammps && strcmp(engine, "amorph") != 0) {
        fprintf(stderr, "amorph %s: --engine expects amorph or lammps, got '%s'\n", v->name, engine);
        return 2;
    }
    int npair = 0;
    cli_values(v, "pair", &npair);
    if (!lammps && (npair || cli_get(v, "pair-file") || cli_given(v, "units"))) {
        fprintf(stderr, "amorph %s: --pair, --pair-file and --units are LAMMPS commands: add --engine lammps\n",
                v->name);
        return 2;
    }
    if (lammps) {
        int rc = lammps_commands(v, out);
        if (rc || *out) return rc;
    }
    const char *path = cli_get(v, "potential");
    if (!path) {
        int cuzr = s->nspecies > 0;
        for (int k = 0; k < s->nspecies; k++)
            cuzr &= strcmp(s->species[k].name, "Cu") == 0 || strcmp(s->species[k].name, "Zr") == 0;
        if (!cuzr) {
            fprintf(stderr, "amorph %s: no potential given; pass -p POT (the default, %s, covers only Cu and Zr)\n",
                    v->name, AM_POTENTIAL_DEFAULT_NAME);
            return 2;
        }
        path = AM_POTENTIAL_DEFAULT_NAME;
    }
    am_status st = lammps ? am_potential_lammps_open(path, out) : am_potential_open(path, AM_EAM_AUTO, out);
    return st ? cli_report(v->name, st) : 0;
}

/* Every verb works in the potential's units: once it is read, the options
 * left off take their defaults for those units and every value is checked
 * against their range (cli/units.c), before the skin is read. */
static int model_attach(cli_verb *v, cli_model *m)
{
    m->pot = NULL; m->eng = NULL;
    double skin = 1.0;
    int rc = cli_load_potential(v, m->s, &m->pot);
    if (!rc) rc = cli_apply_units(v, am_units_of(am_potential_units(m->pot)));
    if (!rc && cli_get(v, "skin") && cli_double(v, "skin", &skin)) rc = 2;
    if (!rc) {
        am_status st = am_engine_create(m->pot, m->s, skin, &m->eng);
        if (st) rc = cli_report(v->name, st);
    }
    if (rc) cli_model_free(m);
    return rc;
}

int cli_model_attach(cli_verb *v, cli_model *m) { return model_attach(v, m); }

int cli_model_load(cli_verb *v, const char *conf, cli_model *m)
{
    m->s = NULL; m->pot = NULL; m->eng = NULL;
    int rc = cli_load_conf(v, conf, &m->s);
    return rc ? rc : model_attach(v, m);
}

cli_units cli_units_of(const am_potential *p)
{
    cli_units c = {am_units_of(am_potential_units(p)), 0, NULL, NULL};
    c.metal = strcmp(c.u->style, "metal") == 0;
    c.volume = c.metal ? "Å^3" : c.u->volume;
    c.force = c.metal ? "eV/Å" : c.u->force;
    return c;
}

void cli_units_json(FILE *f, const am_units *u)
{
    fprintf(f, "\"units\": {\"system\": \"%s\", \"energy\": \"%s\", \"length\": \"%s\", \"time\": \"%s\", "
               "\"temperature\": \"%s\", \"pressure\": \"%s\", \"volume\": \"%s\", \"force\": \"%s\", "
               "\"mass\": \"%s\", \"frequency\": \"%s\"}",
            u->style, u->energy, u->length, u->time, u->temperature, u->pressure, u->volume, u->force, u->mass,
            u->frequency);
}

am_status cli_write_conf(const char *path, const am_system *s, const am_units *u)
{
    char info[32];
    snprintf(info, sizeof info, "units=%s", u->style);
    if (am_format_from_path(path) == AM_FMT_EXTXYZ) return am_write_extxyz(path, s, NULL, 0, info);
    return am_write(path, AM_FMT_AUTO, s);
}

void cli_model_free(cli_model *m)
{
    am_engine_free(m->eng);
    am_potential_free(m->pot);
    am_system_free(m->s);
    m->s = NULL; m->pot = NULL; m->eng = NULL;
}

int cli_minimize_if_asked(const cli_verb *v, cli_model *m, int warn)
{
    if (!cli_flag(v, "minimize")) return 0;
    am_min_options mo = {.method = AM_MIN_CG};
    if (cli_double(v, "ftol", &mo.ftol)) return 2;
    am_min_result mr;
    am_status st = am_minimize(m->eng, m->s, &mo, &mr);
    if (st) return cli_report(v->name, st);
    if (!mr.converged && warn)
        fprintf(stderr, "amorph %s: warning: --minimize stopped on %s with a largest force of %.3g %s, above --ftol "
                        "%g\n", v->name, mr.reason, mr.fmax, cli_units_of(m->pot).force, mo.ftol);
    return 0;
}

am_status cli_write_atoms(const char *path, const am_system *s, const am_column *cols, int ncols, const char *info)
{
    if (am_format_from_path(path) == AM_FMT_LAMMPS_DUMP) return am_write_dump_table(path, s, cols, ncols, 0);
    return am_write_extxyz(path, s, cols, ncols, info);
}

am_status cli_write_table(const char *path, const am_system *s, const am_column *cols, int ncols, const am_units *u)
{
    char info[32];
    snprintf(info, sizeof info, "units=%s", u->style);
    return cli_write_atoms(path, s, cols, ncols, info);
}

void cli_json_str(FILE *f, const char *s)
{
    if (s) am_json_str(f, s);
    else fputs("null", f);
}

void cli_json_num(FILE *f, double v) { am_json_num(f, v); }

void cli_json_printf(FILE *f, const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    am_json_vprintf(f, fmt, ap);
    va_end(ap);
}
