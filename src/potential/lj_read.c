/* Reading an .lj file: LAMMPS's own commands for lj/cut, and the names of
 * the types (docs/engines.md has the format):
 *
 *   units lj                       optional; no other unit style
 *   types A B                      names of types 1, 2, ... (species names)
 *   mass A 1.0                     optional, default 1
 *   pair_style lj/cut 2.5          global cutoff
 *   pair_modify shift yes mix geometric
 *   pair_coeff A B 1.5 0.8 [2.0]   ε σ [rc]; types by number, name or *
 *
 * Lines are checked as LAMMPS would check them, and more strictly where
 * LAMMPS would go on with something meaningless (σ ≤ 0, a command twice). */
#include "potential/lj.h"
#include "io/lineread.h"
#include "io/species.h"

#include <math.h>
#include <stdlib.h>
#include <string.h>

/* What the file has said so far. */
typedef struct lj_parse {
    am_io_lr r;
    am_potential *p;
    lj_model *m;
    int have_units, have_types, have_style;
    int set[AM_MAX_SPECIES][AM_MAX_SPECIES]; /* pair_coeff given for (i, j) */
} lj_parse;

static am_status fail(lj_parse *q, const char *got, const char *what)
{
    return am_io_lr_fail(&q->r, AM_ERR_PARSE, got, "%s", what);
}

static am_status want_args(lj_parse *q, int lo, int hi, const char *usage)
{
    if (q->r.ntok >= lo && q->r.ntok <= hi) return AM_OK;
    char what[160];
    snprintf(what, sizeof what, "expected '%s' (%s)", usage, q->r.ntok < lo ? "too few words" : "too many words");
    return fail(q, q->r.tok[0], what);
}

/* A number that must be finite and above `lo` (or at least lo when `eq`). */
static am_status number(lj_parse *q, int k, double lo, int eq, const char *what, double *out)
{
    double v;
    if (!am_io_parse_double(q->r.tok[k], &v) || !(eq ? v >= lo : v > lo)) {
        char msg[160];
        snprintf(msg, sizeof msg, "expected %s, a finite number %s %g", what, eq ? ">=" : ">", lo);
        return am_io_lr_fail(&q->r, AM_ERR_VALUE, q->r.tok[k], "%s", msg);
    }
    *out = v;
    return AM_OK;
}

/* Types [*lo, *hi] (0-based) from a number 1..ntypes, a name, or '*' for
 * every type. */
static am_status type_range(lj_parse *q, int k, int *lo, int *hi)
{
    const char *t = q->r.tok[k];
    const int nt = q->m->ntypes;
    if (strcmp(t, "*") == 0) {
        *lo = 0;
        *hi = nt - 1;
        return AM_OK;
    }
    int v;
    if (am_io_parse_int(t, &v)) {
        if (v < 1 || v > nt) return am_io_lr_fail(&q->r, AM_ERR_VALUE, t, "expected a type number from 1 to %d", nt);
        *lo = *hi = v - 1;
        return AM_OK;
    }
    for (int a = 0; a < nt; a++)
        if (strcmp(q->p->el[a], t) == 0) {
            *lo = *hi = a;
            return AM_OK;
        }
    return am_io_lr_fail(&q->r, AM_ERR_VALUE, t, "expected a type: a number from 1 to %d, a name from the types line "
                         "or *", nt);
}

static am_status cmd_units(lj_parse *q)
{
    am_status st = want_args(q, 2, 2, "units lj");
    if (st) return st;
    if (q->have_units) return fail(q, q->r.tok[0], "expected one units line");
    if (strcmp(q->r.tok[1], "lj") != 0)
        return am_io_lr_fail(&q->r, AM_ERR_VALUE, q->r.tok[1], "expected units lj (LJ potentials are in reduced units)");
    q->have_units = 1;
    return AM_OK;
}

static am_status cmd_types(lj_parse *q)
{
    am_potential *p = q->p;
    if (q->have_types) return fail(q, q->r.tok[0], "expected one types line");
    if (q->r.ntok < 2 || q->r.ntok > AM_MAX_SPECIES + 1)
        return am_io_lr_fail(&q->r, AM_ERR_PARSE, q->r.tok[0], "expected 'types NAME...' with 1 to %d names",
                             AM_MAX_SPECIES);
    for (int a = 0; a + 1 < q->r.ntok; a++) {
        const char *name = q->r.tok[a + 1];
        if (!am_io_species_name_ok(name))
            return am_io_lr_fail(&q->r, AM_ERR_VALUE, name,
                                 "expected a type name: a letter or _, then letters, digits or _ . + -, at most %d "
                                 "characters", AM_NAME_LEN - 1);
        for (int b = 0; b < a; b++)
            if (strcmp(p->el[b], name) == 0) return am_io_lr_fail(&q->r, AM_ERR_VALUE, name, "expected distinct type names");
        strcpy(p->el[a], name);
        p->mass[a] = 1.0;
    }
    p->nel = q->m->ntypes = q->r.ntok - 1;
    q->have_types = 1;
    return AM_OK;
}

static am_status need_types(lj_parse *q)
{
    return q->have_types ? AM_OK : fail(q, q->r.tok[0], "expected the types line before this one");
}

static am_status cmd_mass(lj_parse *q)
{
    am_status st;
    int lo, hi;
    double v = 0.0;
    if ((st = need_types(q)) || (st = want_args(q, 3, 3, "mass TYPE VALUE")) || (st = type_range(q, 1, &lo, &hi)) ||
        (st = number(q, 2, 0.0, 0, "a mass", &v)))
        return st;
    for (int a = lo; a <= hi; a++) q->p->mass[a] = v;
    return AM_OK;
}

static am_status cmd_style(lj_parse *q)
{
    am_status st = want_args(q, 3, 3, "pair_style lj/cut CUTOFF");
    if (st) return st;
    if (q->have_style) return fail(q, q->r.tok[0], "expected one pair_style line");
    if (strcmp(q->r.tok[1], "lj/cut") != 0)
        return am_io_lr_fail(&q->r, AM_ERR_VALUE, q->r.tok[1], "expected pair_style lj/cut (the one LJ style amorph has)");
    if ((st = number(q, 2, 0.0, 0, "the global cutoff", &q->m->rc))) return st;
    q->have_style = 1;
    return AM_OK;
}

static am_status need_style(lj_parse *q)
{
    return q->have_style ? AM_OK : fail(q, q->r.tok[0], "expected pair_style lj/cut before this line, as LAMMPS does");
}

/* shift yes|no, mix geometric|arithmetic, in any order. */
static am_status cmd_modify(lj_parse *q)
{
    am_status st = need_style(q);
    if (st) return st;
    if (q->r.ntok < 3 || q->r.ntok % 2 == 0)
        return fail(q, q->r.tok[0], "expected 'pair_modify KEYWORD VALUE ...', keywords and values in pairs");
    for (int k = 1; k < q->r.ntok; k += 2) {
        const char *key = q->r.tok[k], *val = q->r.tok[k + 1];
        if (strcmp(key, "shift") == 0 && (strcmp(val, "yes") == 0 || strcmp(val, "no") == 0)) {
            q->m->shift = strcmp(val, "yes") == 0;
        } else if (strcmp(key, "mix") == 0 && (strcmp(val, "geometric") == 0 || strcmp(val, "arithmetic") == 0)) {
            q->m->arithmetic = strcmp(val, "arithmetic") == 0;
        } else {
            const int known = strcmp(key, "shift") == 0 || strcmp(key, "mix") == 0;
            return am_io_lr_fail(&q->r, AM_ERR_VALUE, known ? val : key, "%s",
                                 known ? (key[0] == 's' ? "expected shift yes or shift no"
                                                        : "expected mix geometric or mix arithmetic")
                                       : "expected pair_modify keywords shift (yes|no) and mix (geometric|arithmetic)");
        }
    }
    return AM_OK;
}

/* As LAMMPS: two plain numbers are put in order, then (i, j) is set for
 * i in I and j in J with j >= i. */
static am_status cmd_coeff(lj_parse *q)
{
    am_status st;
    int ilo, ihi, jlo, jhi;
    double eps = 0.0, sig = 0.0, rc;
    if ((st = need_types(q)) || (st = need_style(q)) ||
        (st = want_args(q, 5, 6, "pair_coeff I J EPSILON SIGMA [CUTOFF]")) || (st = type_range(q, 1, &ilo, &ihi)) ||
        (st = type_range(q, 2, &jlo, &jhi)) || (st = number(q, 3, 0.0, 1, "epsilon", &eps)) ||
        (st = number(q, 4, 0.0, 0, "sigma", &sig)))
        return st;
    rc = q->m->rc;
    if (q->r.ntok == 6 && (st = number(q, 5, 0.0, 0, "the pair's cutoff", &rc))) return st;
    if (ilo == ihi && jlo == jhi && jlo < ilo) {
        const int t = ilo;
        ilo = ihi = jlo;
        jlo = jhi = t;
    }
    /* never empty: a '*' starts at the first type, two single types are in order */
    for (int i = ilo; i <= ihi; i++)
        for (int j = jlo > i ? jlo : i; j <= jhi; j++) {
            q->m->eps[i][j] = q->m->eps[j][i] = eps;
            q->m->sigma[i][j] = q->m->sigma[j][i] = sig;
            q->m->cut[i][j] = q->m->cut[j][i] = rc;
            q->set[i][j] = q->set[j][i] = 1;
        }
    return AM_OK;
}

static double mix_distance(int arithmetic, double a, double b) { return arithmetic ? 0.5 * (a + b) : sqrt(a * b); }

/* LAMMPS's Pair::init: every like pair set, the others mixed. */
static am_status finish(lj_parse *q)
{
    lj_model *m = q->m;
    if (!q->have_types) return am_io_fail(AM_ERR_PARSE, q->r.path, 0, NULL, "expected a types line naming the types");
    if (!q->have_style) return am_io_fail(AM_ERR_PARSE, q->r.path, 0, NULL, "expected a pair_style lj/cut line");
    for (int i = 0; i < m->ntypes; i++)
        if (!q->set[i][i])
            return am_io_fail(AM_ERR_VALUE, q->r.path, 0, NULL,
                              "expected a pair_coeff line for every like pair; none for %s %s (type %d)", q->p->el[i],
                              q->p->el[i], i + 1);
    for (int i = 0; i < m->ntypes; i++)
        for (int j = i + 1; j < m->ntypes; j++) {
            if (q->set[i][j]) continue;
            m->eps[i][j] = m->eps[j][i] = sqrt(m->eps[i][i] * m->eps[j][j]);
            m->sigma[i][j] = m->sigma[j][i] = mix_distance(m->arithmetic, m->sigma[i][i], m->sigma[j][j]);
            m->cut[i][j] = m->cut[j][i] = mix_distance(m->arithmetic, m->cut[i][i], m->cut[j][j]);
        }
    lj_derive(m);
    return AM_OK;
}

static const struct {
    const char *name;
    am_status (*run)(lj_parse *q);
} commands[] = {{"units", cmd_units}, {"types", cmd_types}, {"mass", cmd_mass},
                {"pair_style", cmd_style}, {"pair_modify", cmd_modify}, {"pair_coeff", cmd_coeff}};

am_status lj_read(const char *path, am_potential *p)
{
    lj_parse q;
    memset(&q, 0, sizeof q);
    q.p = p;
    q.m = calloc(1, sizeof *q.m);
    if (!q.m) return am_fail(AM_ERR_NOMEM, "%s: out of memory for a potential", path);
    am_status st = am_io_lr_open(&q.r, path);
    int got = 1;
    while (!st) {
        if ((st = am_io_lr_next_tokens(&q.r, '#', &got)) || !got) break;
        size_t k = 0;
        while (k < sizeof commands / sizeof *commands && strcmp(commands[k].name, q.r.tok[0]) != 0) k++;
        if (k == sizeof commands / sizeof *commands)
            st = fail(&q, q.r.tok[0], "expected a command: units, types, mass, pair_style, pair_modify or pair_coeff");
        else
            st = commands[k].run(&q);
    }
    if (!st) st = finish(&q);
    am_io_lr_close(&q.r);
    if (st) {
        free(q.m);
        return st;
    }
    p->model = q.m;
    return AM_OK;
}
