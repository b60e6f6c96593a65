/* Random starting configurations for melting. */
#include "amorph/quench.h"
#include "amorph/io.h"
#include "core/error.h"

#include <ctype.h>
#include <gsl/gsl_rng.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* Species and their fractions from "Cu50Zr50"; masses from the element
 * table, or from p (whose species the names must then be: the types of a
 * Lennard-Jones potential, A and B, are no elements, and B would be boron). */
static am_status parse_composition(const char *c, const am_potential *p, am_system *s, double frac[AM_MAX_SPECIES])
{
    const char *q = c;
    double total = 0.0;
    s->nspecies = 0;
    while (*q) {
        char name[AM_NAME_LEN] = {0};
        int k = 0;
        if (!isupper((unsigned char)*q)) break;
        name[k++] = *q++;
        while (islower((unsigned char)*q) && k < AM_NAME_LEN - 1) name[k++] = *q++;
        char *end;
        double amount = strtod(q, &end);
        if (end == q) amount = 1.0;
        q = end;
        int in_p = -1;
        for (int j = 0; p && j < am_potential_nelements(p); j++)
            if (strcmp(am_potential_element(p, j), name) == 0) in_p = j;
        const double mass = p ? (in_p >= 0 ? am_potential_mass(p, in_p) : 0.0) : am_element_mass(name);
        if (!(amount > 0) || s->nspecies == AM_MAX_SPECIES || mass <= 0.0)
            return p ? am_fail(AM_ERR_VALUE, "composition '%s': expected species of the potential (%s%s%s) with positive "
                               "amounts, e.g. %s50%s50", c, am_potential_element(p, 0),
                               am_potential_nelements(p) > 1 ? ", " : "",
                               am_potential_nelements(p) > 1 ? am_potential_element(p, 1) : "", am_potential_element(p, 0),
                               am_potential_element(p, am_potential_nelements(p) > 1))
                     : am_fail(AM_ERR_VALUE, "composition '%s': expected element symbols with positive amounts, e.g. "
                               "Cu50Zr50", c);
        snprintf(s->species[s->nspecies].name, AM_NAME_LEN, "%s", name);
        s->species[s->nspecies].mass = mass;
        frac[s->nspecies++] = amount;
        total += amount;
    }
    if (*q || s->nspecies == 0)
        return am_fail(AM_ERR_VALUE, "composition '%s': expected species names with amounts, e.g. Cu50Zr50 or A80B20", c);
    for (int k = 0; k < s->nspecies; k++) frac[k] /= total;
    return AM_OK;
}

static am_status random_system(const am_potential *p, const char *composition, size_t natoms, double rho, double dmin,
                               unsigned long seed, am_system **out);

am_status am_system_random(const char *composition, size_t natoms, double rho, double dmin, unsigned long seed,
                           am_system **out)
{
    return random_system(NULL, composition, natoms, rho, dmin, seed, out);
}

am_status am_system_random_potential(const am_potential *p, const char *composition, size_t natoms, double rho,
                                     double dmin, unsigned long seed, am_system **out)
{
    *out = NULL;
    if (!p) return am_fail(AM_ERR_VALUE, "random structure: no potential");
    return random_system(p, composition, natoms, rho, dmin, seed, out);
}

static am_status random_system(const am_potential *p, const char *composition, size_t natoms, double rho, double dmin,
                               unsigned long seed, am_system **out)
{
    *out = NULL;
    if (natoms < 2 || !(rho > 0) || !(dmin >= 0))
        return am_fail(AM_ERR_VALUE, "random structure: need >= 2 atoms, density > 0 and dmin >= 0");
    am_system *s;
    am_status st = am_system_alloc(natoms, 0, &s);
    if (st) return st;
    double frac[AM_MAX_SPECIES];
    if ((st = parse_composition(composition, p, s, frac))) { am_system_free(s); return st; }
    const double l = cbrt((double)natoms / rho);
    for (int d = 0; d < 3; d++) s->box.len[d] = l;
    /* species by largest remainder, so counts match the composition */
    size_t assigned = 0;
    for (int k = 0; k < s->nspecies; k++) {
        size_t c = (size_t)floor(frac[k] * (double)natoms + 0.5);
        if (k == s->nspecies - 1 || assigned + c > natoms) c = natoms - assigned;
        for (size_t i = assigned; i < assigned + c; i++) s->type[i] = k;
        assigned += c;
    }
    /* random sequential addition on a cell grid (cells >= dmin) */
    int nc = dmin > 0 ? (int)(l / dmin) : 1;
    if (nc < 1) nc = 1;
    if (nc > 200) nc = 200;
    const size_t ncell = (size_t)nc * nc * nc;
    int *head = malloc(ncell * sizeof(int)), *next = malloc(natoms * sizeof(int));
    gsl_rng *g = gsl_rng_alloc(gsl_rng_mt19937);
    if (!head || !next || !g) {
        free(head); free(next); if (g) gsl_rng_free(g); am_system_free(s);
        return am_fail(AM_ERR_NOMEM, "random structure: out of memory");
    }
    gsl_rng_set(g, seed);
    for (size_t c = 0; c < ncell; c++) head[c] = -1;
    const double d2 = dmin * dmin;
    for (size_t i = 0; i < natoms; i++) {
        long tries = 0;
        for (;;) {
            if (++tries > 100000) {
                free(head); free(next); gsl_rng_free(g); am_system_free(s);
                return am_fail(AM_ERR_VALUE, "random structure: cannot place %zu atoms %g apart at %g atoms per unit "
                               "volume (lengths in the potential's unit)", natoms, dmin, rho);
            }
            double x = l * gsl_rng_uniform(g), y = l * gsl_rng_uniform(g), z = l * gsl_rng_uniform(g);
            int cx = (int)(x / l * nc) % nc, cy = (int)(y / l * nc) % nc, cz = (int)(z / l * nc) % nc;
            int clash = 0; /* dmin = 0 (an ideal gas) needs no search */
            for (int a = -1; a <= 1 && !clash && d2 > 0; a++)
                for (int b = -1; b <= 1 && !clash; b++)
                    for (int c = -1; c <= 1 && !clash; c++) {
                        size_t cell = ((size_t)((cx + a + nc) % nc) * nc + (size_t)((cy + b + nc) % nc)) * nc +
                                      (size_t)((cz + c + nc) % nc);
                        for (int j = head[cell]; j >= 0 && !clash; j = next[j]) {
                            double dx = x - s->x[j], dy = y - s->y[j], dz = z - s->z[j];
                            dx -= l * round(dx / l); dy -= l * round(dy / l); dz -= l * round(dz / l);
                            clash = dx * dx + dy * dy + dz * dz < d2;
                        }
                    }
            if (clash) continue;
            s->x[i] = x; s->y[i] = y; s->z[i] = z;
            size_t cell = ((size_t)cx * nc + (size_t)cy) * nc + (size_t)cz;
            next[i] = head[cell];
            head[cell] = (int)i;
            break;
        }
    }
    free(head); free(next); gsl_rng_free(g);
    *out = s;
    return AM_OK;
}
