#include "potential/eam.h"
#include "core/error.h"
#include "core/tokens.h"
#include "amorph/io.h"
#include "io/species.h"

#include <errno.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* The spline fit needs at least 5 points (LAMMPS reads any count but
 * indexes m-2..m+2). Resampling a funcfl table drops its last point, as
 * LAMMPS does, so those need one more. */
#define SETFL_MIN_POINTS 5
#define FUNCFL_MIN_POINTS 6

static am_status read_array(am_tokens *t, int n, double **out, const char *what)
{
    /* Every value takes a digit and a separator: a count the rest of the
     * file cannot hold is refused before it is allocated. */
    if ((size_t)n > (t->len - t->pos) / 2 + 1)
        return am_fail(AM_ERR_PARSE, "%s:%d: expected %d values of %s, but the file has only %zu bytes left "
                       "(truncated file or wrong Nrho / Nr?)", t->path, t->line, n, what, t->len - t->pos);
    double *a = malloc((size_t)n * sizeof(double));
    if (!a) return am_fail(AM_ERR_NOMEM, "%s: out of memory for %d table values", t->path, n);
    for (int k = 0; k < n; k++) {
        am_status st = am_tokens_double(t, &a[k], what);
        if (st) {
            /* say which value, without formatting a label for every value read */
            char msg[1024];
            snprintf(msg, sizeof msg, "%s", am_error_message());
            free(a);
            return am_fail(st, "%s (value %d of %d)", msg, k + 1, n);
        }
    }
    *out = a;
    return AM_OK;
}

/* At least `min` points in each table. */
static am_status read_grid(am_tokens *t, int min, int *nrho, double *drho, int *nr, double *dr, double *cut)
{
    am_status st;
    if ((st = am_tokens_int(t, nrho, "Nrho")) || (st = am_tokens_double(t, drho, "drho")) ||
        (st = am_tokens_int(t, nr, "Nr")) || (st = am_tokens_double(t, dr, "dr")) ||
        (st = am_tokens_double(t, cut, "cutoff")))
        return st;
    if (*nrho < min || *nr < min || !(*drho > 0.0) || !(*dr > 0.0) || !(*cut > 0.0))
        return am_fail(AM_ERR_VALUE, "%s:%d: expected Nrho >= %d, drho > 0, Nr >= %d, dr > 0, cutoff > 0; got %d %g %d %g %g",
                       t->path, t->line, min, min, *nrho, *drho, *nr, *dr, *cut);
    /* the tables are looked up as rho / drho and r / dr, up to the last point */
    if (!isfinite(1.0 / *drho) || !isfinite(1.0 / *dr) || !isfinite((*nrho - 1) * *drho) ||
        !isfinite((*nr - 1) * *dr))
        return am_fail(AM_ERR_VALUE, "%s:%d: expected grid spacings whose inverses and table extents are finite; "
                       "got Nrho %d, drho %g, Nr %d, dr %g", t->path, t->line, *nrho, *drho, *nr, *dr);
    /* r / dr becomes an int table row for every r up to the cutoff */
    if (!(*cut / *dr <= 1e9))
        return am_fail(AM_ERR_VALUE, "%s:%d: expected a cutoff within 1e9 grid spacings dr, got cutoff %g, dr %g",
                       t->path, t->line, *cut, *dr);
    return AM_OK;
}

void eam_funcfl_free(eam_funcfl *f)
{
    free(f->frho); free(f->zr); free(f->rhor);
    memset(f, 0, sizeof *f);
}

am_status eam_read_funcfl(const char *path, eam_funcfl *f, char name[AM_NAME_LEN])
{
    memset(f, 0, sizeof *f);
    am_tokens t;
    am_status st = am_tokens_open(&t, path);
    if (st) return st;
    char line[1024];
    int z;
    if ((st = am_tokens_line(&t, line, sizeof line, "a comment line")) ||
        (st = am_tokens_int(&t, &z, "atomic number")) ||
        (st = am_tokens_double(&t, &f->mass, "mass")) ||
        (st = am_tokens_line(&t, line, sizeof line, "lattice constant and type")) ||
        (st = read_grid(&t, FUNCFL_MIN_POINTS, &f->nrho, &f->drho, &f->nr, &f->dr, &f->cut)) ||
        (st = read_array(&t, f->nrho, &f->frho, "F(rho)")) ||
        (st = read_array(&t, f->nr, &f->zr, "Z(r)")) ||
        (st = read_array(&t, f->nr, &f->rhor, "rho(r)"))) {
        eam_funcfl_free(f);
        am_tokens_close(&t);
        return st;
    }
    am_tokens_close(&t);
    if (!(f->mass > 0.0)) {
        eam_funcfl_free(f);
        return am_fail(AM_ERR_VALUE, "%s:2: expected a positive mass, got %g", path, f->mass);
    }
    /* funcfl files give only the atomic number and mass; the element symbol
     * is what the mass identifies. */
    const char *sym = am_element_from_mass(f->mass, 0.05);
    if (sym) snprintf(name, AM_NAME_LEN, "%s", sym);
    else snprintf(name, AM_NAME_LEN, "Z%d", z);
    return AM_OK;
}

/* "Z mass [a lattice]": an integer and a finite number, strictly. */
static int element_line(const char *line, int *z, double *mass)
{
    char *end;
    errno = 0;
    long v = strtol(line, &end, 10);
    if (end == line || errno || v < -2147483647L || v > 2147483647L || (*end != ' ' && *end != '\t')) return 0;
    const char *m = end;
    double x = strtod(m, &end);
    if (end == m || !isfinite(x) || (*end && *end != ' ' && *end != '\t' && *end != '\r')) return 0;
    *z = (int)v;
    *mass = x;
    return 1;
}

void eam_setfl_free(eam_setfl *f)
{
    for (int i = 0; i < AM_MAX_SPECIES; i++) free(f->frho[i]);
    for (int i = 0; i < AM_MAX_SPECIES * AM_MAX_SPECIES; i++) free(f->rhor[i]);
    for (int i = 0; i < AM_MAX_SPECIES * (AM_MAX_SPECIES + 1) / 2; i++) free(f->z2r[i]);
    memset(f, 0, sizeof *f);
}

am_status eam_read_setfl(const char *path, int fs, eam_setfl *f, char el[][AM_NAME_LEN], double *mass)
{
    memset(f, 0, sizeof *f);
    am_tokens t;
    am_status st = am_tokens_open(&t, path);
    if (st) return st;
    char line[4096];
    for (int k = 0; k < 3 && !st; k++) st = am_tokens_line(&t, line, sizeof line, "a comment line");
    if (!st) st = am_tokens_int(&t, &f->nel, "number of elements");
    if (!st && (f->nel < 1 || f->nel > AM_MAX_SPECIES))
        st = am_fail(AM_ERR_VALUE, "%s:%d: expected 1..%d elements, got %d", path, t.line, AM_MAX_SPECIES, f->nel);
    for (int i = 0; i < f->nel && !st; i++) {
        st = am_tokens_word(&t, el[i], AM_NAME_LEN, "element name");
        /* the names become species names, matched against configurations */
        if (!st && !am_io_species_name_ok(el[i]))
            st = am_fail(AM_ERR_VALUE, "%s:%d: expected an element name, got '%s'", path, t.line, el[i]);
        for (int j = 0; j < i && !st; j++)
            if (strcmp(el[i], el[j]) == 0)
                st = am_fail(AM_ERR_VALUE, "%s:%d: expected each element once, got '%s' twice", path, t.line, el[i]);
    }
    if (!st) st = read_grid(&t, SETFL_MIN_POINTS, &f->nrho, &f->drho, &f->nr, &f->dr, &f->cut);
    for (int i = 0; i < f->nel && !st; i++) {
        /* The element line is read whole: the lattice constant and type are
         * optional in practice, and must not be mistaken for table values. */
        int z;
        if ((st = am_tokens_line(&t, line, sizeof line, "end of the previous line")))
            break;
        if (strspn(line, " \t\r") != strlen(line)) {
            st = am_fail(AM_ERR_PARSE, "%s:%d: expected the end of a table line, got extra values '%.40s'",
                         path, t.line - 1, line);
            break;
        }
        if ((st = am_tokens_line(&t, line, sizeof line, "an element line (Z, mass, a, lattice)")))
            break;
        if (!element_line(line, &z, &mass[i])) {
            st = am_fail(AM_ERR_PARSE, "%s:%d: expected an element line 'Z mass [a lattice]' for %s, got '%.60s'",
                         path, t.line - 1, el[i], line);
            break;
        }
        if (!(mass[i] > 0.0)) {
            st = am_fail(AM_ERR_VALUE, "%s:%d: expected a positive mass for %s, got %g", path, t.line - 1, el[i], mass[i]);
            break;
        }
        if ((st = read_array(&t, f->nrho, &f->frho[i], "F(rho)"))) break;
        int nd = fs ? f->nel : 1;
        for (int j = 0; j < nd && !st; j++) st = read_array(&t, f->nr, &f->rhor[i * nd + j], "rho(r)");
    }
    for (int i = 0; i < f->nel && !st; i++)
        for (int j = 0; j <= i && !st; j++)
            st = read_array(&t, f->nr, &f->z2r[i * (i + 1) / 2 + j], "r*phi(r)");
    am_tokens_close(&t);
    if (st) eam_setfl_free(f);
    return st;
}
