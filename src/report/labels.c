/* One table of human names for the columns amorph writes, so every axis,
 * legend and table of the report names a quantity the same way, with its
 * unit. Names with a parameter (vmsd_300K, s2_rc4p0, n5) match by prefix
 * and the rest of the name fills the label, its p for a decimal point
 * shown as a point again (tables from before the p have the point). */
#include "report_internal.h"

#include <stdlib.h>
#include <string.h>

typedef struct label {
    const char *name;   /* the column name, or its prefix when prefix = 1 */
    int prefix;
    const char *label;  /* a printf format; %s receives the rest of the name */
    const char *unit;
} label;

static const label table[] = {
    {"voro_vol", 0, "Voronoi volume", "Å³"},
    {"cn", 0, "coordination number", ""},
    {"q4", 0, "Steinhardt Q4", ""},
    {"q6", 0, "Steinhardt Q6", ""},
    {"l5fs", 0, "five-fold local symmetry L5FS", ""},
    {"l6fs", 0, "six-fold local symmetry L6FS", ""},
    {"participation", 0, "low-frequency participation", ""},
    {"ea_mean", 0, "activation energy Ea (mean)", "eV"},
    {"ea_min", 0, "activation energy Ea (lowest)", "eV"},
    {"ea_eff", 0, "effective activation energy", "eV"},
    {"ea_count", 0, "converged events", ""},
    {"energy", 0, "potential energy", "eV"},
    {"energies", 0, "potential energy", "eV"},
    {"s2_rc", 1, "pair excess entropy S2, cutoff %s Å", "k_B"},
    {"n", 1, "Voronoi faces with %s edges", ""},
};

/* A 'p' between digits is a decimal point: "4p25" reads "4.25". */
static int digit(char c) { return c >= '0' && c <= '9'; }

static void point(const char *in, size_t n, char *out, size_t olen)
{
    size_t k = 0;
    for (size_t j = 0; j < n && in[j] && k + 1 < olen; j++)
        out[k++] = in[j] == 'p' && j > 0 && digit(in[j - 1]) && digit(in[j + 1]) ? '.' : in[j];
    if (olen) out[k] = '\0';
}

double rp_name_number(const char *s)
{
    char buf[48];
    point(s, strlen(s), buf, sizeof buf);
    return atof(buf);
}

/* The vMSD columns carry the temperature and an optional direction:
 * vmsd_300K, vmsd_300K_x, vmsd_0p5K. */
static int vmsd(const char *name, char *label, size_t llen)
{
    if (strncmp(name, "vmsd_", 5) != 0) return 0;
    const char *t = name + 5, *us = strchr(t, '_');
    const int tl = us ? (int)(us - t) : (int)strlen(t);
    /* "300K" reads "300 K" */
    const int kelvin = tl > 1 && t[tl - 1] == 'K';
    char temp[48];
    point(t, (size_t)(kelvin ? tl - 1 : tl), temp, sizeof temp);
    if (us) snprintf(label, llen, "vibrational MSD along %s at %s%s", us + 1, temp, kelvin ? " K" : "");
    else snprintf(label, llen, "vibrational MSD at %s%s", temp, kelvin ? " K" : "");
    return 1;
}

static int digits(const char *s)
{
    if (!*s) return 0;
    for (; *s; s++)
        if (*s < '0' || *s > '9') return 0;
    return 1;
}

void rp_label_parts(const char *name, char *label, size_t llen, char *unit, size_t ulen)
{
    if (vmsd(name, label, llen)) {
        snprintf(unit, ulen, "Å²");
        return;
    }
    for (size_t k = 0; k < sizeof table / sizeof table[0]; k++) {
        const struct label *e = &table[k];
        const size_t len = strlen(e->name);
        const char *rest = name + len;
        if (e->prefix ? strncmp(name, e->name, len) != 0 || !*rest || (e->name[0] == 'n' && !digits(rest))
                      : strcmp(name, e->name) != 0)
            continue;
        char shown[64];
        point(rest, strlen(rest), shown, sizeof shown);
        if (e->prefix) snprintf(label, llen, e->label, shown);
        else snprintf(label, llen, "%s", e->label);
        snprintf(unit, ulen, "%s", e->unit);
        return;
    }
    snprintf(label, llen, "%s", name);
    if (ulen) unit[0] = '\0';
}

void rp_label(const char *name, char *out, size_t len)
{
    char label[160], unit[16];
    rp_label_parts(name, label, sizeof label, unit, sizeof unit);
    if (unit[0]) snprintf(out, len, "%s (%s)", label, unit);
    else snprintf(out, len, "%s", label);
}

void rp_name(const char *name, char *out, size_t len)
{
    char unit[16];
    rp_label_parts(name, out, len, unit, sizeof unit);
}
