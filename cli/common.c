#include "common.h"

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

int cli_load_potential(const cli_verb *v, const am_system *s, am_potential **out)
{
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
    am_status st = am_potential_open(path, AM_EAM_AUTO, out);
    return st ? cli_report(v->name, st) : 0;
}

int cli_model_attach(const cli_verb *v, cli_model *m)
{
    m->pot = NULL; m->eng = NULL;
    double skin = 1.0;
    int rc = cli_get(v, "skin") && cli_double(v, "skin", &skin) ? 2 : 0;
    if (!rc) rc = cli_load_potential(v, m->s, &m->pot);
    if (!rc) {
        am_status st = am_engine_create(m->pot, m->s, skin, &m->eng);
        if (st) rc = cli_report(v->name, st);
    }
    if (rc) cli_model_free(m);
    return rc;
}

int cli_model_load(const cli_verb *v, const char *conf, cli_model *m)
{
    m->s = NULL; m->pot = NULL; m->eng = NULL;
    int rc = cli_load_conf(v, conf, &m->s);
    return rc ? rc : cli_model_attach(v, m);
}

void cli_model_free(cli_model *m)
{
    am_engine_free(m->eng);
    am_potential_free(m->pot);
    am_system_free(m->s);
    m->s = NULL; m->pot = NULL; m->eng = NULL;
}


void cli_json_num(FILE *f, double v)
{
    if (isfinite(v)) fprintf(f, "%.10g", v);
    else fputs("null", f);
}

/* printf writes a non-finite double as nan, -nan, inf or -inf, which JSON
 * does not have. Every JSON text goes through here, so a NaN anywhere (a fit
 * that failed, an empty selection) becomes null instead of invalid JSON. */
void cli_json_printf(FILE *f, const char *fmt, ...)
{
    char small[1024], *buf = small;
    va_list ap, ap2;
    va_start(ap, fmt);
    va_copy(ap2, ap);
    int n = vsnprintf(small, sizeof small, fmt, ap);
    va_end(ap);
    if (n >= (int)sizeof small && (buf = malloc((size_t)n + 1))) vsnprintf(buf, (size_t)n + 1, fmt, ap2);
    va_end(ap2);
    if (n < 0 || !buf) return;
    int in_str = 0;
    for (const char *p = buf; *p;) {
        if (in_str) {
            if (*p == '\\' && p[1]) fputc(*p++, f);
            else if (*p == '"') in_str = 0;
            fputc(*p++, f);
            continue;
        }
        if (*p == '"') { in_str = 1; fputc(*p++, f); continue; }
        const char *w = p + (*p == '-');
        size_t len = 0;
        while (isalpha((unsigned char)w[len])) len++;
        if (len && (p == buf || !isalnum((unsigned char)p[-1])) &&
            ((len == 3 && (strncmp(w, "nan", 3) == 0 || strncmp(w, "inf", 3) == 0)) ||
             (len == 8 && strncmp(w, "infinity", 8) == 0))) {
            fputs("null", f);
            p = w + len;
            continue;
        }
        fputc(*p++, f);
    }
    if (buf != small) free(buf);
}
