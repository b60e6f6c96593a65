/* One table of human names for the columns amorph writes, so every axis,
 * legend and table of the report names a quantity the same way, with its
 * unit. Names with a parameter (vmsd_300K, s2_rc4p0, n5) match by prefix
 * and the rest of the name fills the label, its p for a decimal point
 * shown as a point again (tables from before the p have the point). */
#include "report_internal.h"

#include <stdlib.h>
#include <string.h>

/* The unit of a column, named as the report's units name it. */
typedef enum { U_NONE, U_VOLUME, U_ENERGY, U_KB } unit_kind;

typedef struct label {
    const char *name;   /* the column name, or its prefix when prefix = 1 */
    int prefix;
    const char *label;  /* a printf format; %s receives the rest of the name, then the length unit */
    unit_kind unit;
} label;

static const label table[] = {
    {"voro_vol", 0, "Voronoi volume", U_VOLUME},
    {"cn", 0, "coordination number", U_NONE},
    {"q4", 0, "Steinhardt Q4", U_NONE},
    {"q6", 0, "Steinhardt Q6", U_NONE},
    {"l5fs", 0, "five-fold local symmetry L5FS", U_NONE},
    {"l6fs", 0, "six-fold local symmetry L6FS", U_NONE},
    {"participation", 0, "low-frequency participation", U_NONE},
    {"ea_mean", 0, "activation energy Ea (mean)", U_ENERGY},
    {"ea_min", 0, "activation energy Ea (lowest)", U_ENERGY},
    {"ea_eff", 0, "effective activation energy", U_ENERGY},
    {"ea_count", 0, "converged events", U_NONE},
    {"energy", 0, "potential energy", U_ENERGY},
    {"energies", 0, "potential energy", U_ENERGY},
    {"s2_rc", 1, "pair excess entropy S2, cutoff %s %s", U_KB},
    {"n", 1, "Voronoi faces with %s edges", U_NONE},
};

/* Names in UTF-8 for the README and the figures; the length scale carries
 * the report's built-in lengths (first-shell search, plot offsets) from Å to
 * σ as amorph's other Lennard-Jones defaults do (0.4 σ per Å). */
static const rp_units units[] = {
    {"metal", "Å", "Å²", "Å³", "eV", "K", "Pa·s", 1.0, 1.0, AM_LOG10_ETA_SOLID},
    {"lj", "σ", "σ²", "σ³", "ε", "ε/k_B", "ε·τ/σ³", 1.0, 0.4, AM_LOG10_ETA_SOLID_LJ},
};

const rp_units *rp_units_of(const char *style)
{
    for (size_t k = 0; k < sizeof units / sizeof *units; k++)
        if (strcmp(units[k].style, style ? style : "metal") == 0) return &units[k];
    return NULL;
}

static const char *unit_name(const rp_units *u, unit_kind k)
{
    return k == U_VOLUME ? u->volume : k == U_ENERGY ? u->energy : k == U_KB ? "k_B" : "";
}

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
 * vmsd_300K, vmsd_300K_x, vmsd_0p5K; in lj units without the K (vmsd_0p2). */
static int vmsd(const rp_units *u, const char *name, char *label, size_t llen)
{
    if (strncmp(name, "vmsd_", 5) != 0) return 0;
    const char *t = name + 5, *us = strchr(t, '_');
    const int tl = us ? (int)(us - t) : (int)strlen(t);
    /* "300K" reads "300 K" */
    const int kelvin = tl > 1 && t[tl - 1] == 'K';
    char temp[48];
    point(t, (size_t)(kelvin ? tl - 1 : tl), temp, sizeof temp);
    const char *tu = kelvin ? "K" : u->temperature;
    if (us) snprintf(label, llen, "vibrational MSD along %s at %s %s", us + 1, temp, tu);
    else snprintf(label, llen, "vibrational MSD at %s %s", temp, tu);
    return 1;
}

static int digits(const char *s)
{
    if (!*s) return 0;
    for (; *s; s++)
        if (*s < '0' || *s > '9') return 0;
    return 1;
}

void rp_label_parts(const rp_units *u, const char *name, char *label, size_t llen, char *unit, size_t ulen)
{
    if (vmsd(u, name, label, llen)) {
        snprintf(unit, ulen, "%s", u->area);
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
        if (e->prefix) snprintf(label, llen, e->label, shown, u->length);
        else snprintf(label, llen, "%s", e->label);
        snprintf(unit, ulen, "%s", unit_name(u, e->unit));
        return;
    }
    snprintf(label, llen, "%s", name);
    if (ulen) unit[0] = '\0';
}

void rp_label(const rp_units *u, const char *name, char *out, size_t len)
{
    char label[160], unit[16];
    rp_label_parts(u, name, label, sizeof label, unit, sizeof unit);
    if (unit[0]) snprintf(out, len, "%s (%s)", label, unit);
    else snprintf(out, len, "%s", label);
}

void rp_name(const rp_units *u, const char *name, char *out, size_t len)
{
    char unit[16];
    rp_label_parts(u, name, out, len, unit, sizeof unit);
}
