/* One table of human names for the columns amorph writes, so every axis,
 * legend and table of the report names a quantity the same way, with its
 * unit. Names with a parameter (vmsd_300K, s2_rc4.0, n5) match by prefix
 * and the rest of the name fills the label. */
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

/* The vMSD columns carry the temperature and an optional direction:
 * vmsd_300K, vmsd_300K_x. */
static int vmsd(const char *name, char *label, size_t llen)
{
    if (strncmp(name, "vmsd_", 5) != 0) return 0;
    const char *t = name + 5, *us = strchr(t, '_');
    const int tl = us ? (int)(us - t) : (int)strlen(t);
    /* "300K" reads "300 K" */
    const int kelvin = tl > 1 && t[tl - 1] == 'K';
    const int nl = kelvin ? tl - 1 : tl;
    if (us) snprintf(label, llen, "vibrational MSD along %s at %.*s%s", us + 1, nl, t, kelvin ? " K" : "");
    else snprintf(label, llen, "vibrational MSD at %.*s%s", nl, t, kelvin ? " K" : "");
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
        if (e->prefix) snprintf(label, llen, e->label, rest);
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
