#include "opts.h"

#include <errno.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <omp.h>

/* Names older versions used for an option that now has another, still
 * accepted so that their scripts keep working; --help shows only the current
 * name. */
static const struct {
    const char *old, *name;
} aliases[] = {
    {"temperatures", "temperature"}, /* vibrate and study before -T had one name in every verb */
};

static cli_opt *find_name(cli_verb *v, const char *name, size_t len)
{
    for (cli_opt *o = v->opts; o->name; o++)
        if (strlen(o->name) == len && strncmp(o->name, name, len) == 0) return o;
    return NULL;
}

static cli_opt *find_long(cli_verb *v, const char *name, size_t len)
{
    cli_opt *o = find_name(v, name, len);
    for (size_t k = 0; !o && k < sizeof aliases / sizeof aliases[0]; k++)
        if (strlen(aliases[k].old) == len && strncmp(aliases[k].old, name, len) == 0)
            o = find_name(v, aliases[k].name, strlen(aliases[k].name));
    return o;
}

static cli_opt *find_short(cli_verb *v, char c)
{
    for (cli_opt *o = v->opts; o->name; o++)
        if (o->short_name == c) return o;
    return NULL;
}

/* Optimal string alignment distance (Damerau-Levenshtein with each
 * substring edited once): a transposition costs one edit, the commonest
 * typing slip. Words longer than the buffer count as far apart. */
static int edit_distance(const char *a, size_t la, const char *b)
{
    enum { MAXW = 64 };
    const size_t lb = strlen(b);
    if (la >= MAXW || lb >= MAXW) return MAXW;
    int d[MAXW][MAXW];
    for (size_t i = 0; i <= la; i++) d[i][0] = (int)i;
    for (size_t j = 0; j <= lb; j++) d[0][j] = (int)j;
    for (size_t i = 1; i <= la; i++)
        for (size_t j = 1; j <= lb; j++) {
            int best = d[i - 1][j - 1] + (a[i - 1] != b[j - 1]);
            if (d[i - 1][j] + 1 < best) best = d[i - 1][j] + 1;
            if (d[i][j - 1] + 1 < best) best = d[i][j - 1] + 1;
            if (i > 1 && j > 1 && a[i - 1] == b[j - 2] && a[i - 2] == b[j - 1] && d[i - 2][j - 2] + 1 < best)
                best = d[i - 2][j - 2] + 1;
            d[i][j] = best;
        }
    return d[la][lb];
}

void cli_suggest_init(cli_suggest *s, const char *word, size_t len)
{
    memset(s, 0, sizeof *s);
    s->word = word;
    s->len = len;
    s->best_d = 3; /* farther than 2 edits is no longer a slip */
}

void cli_suggest_add(cli_suggest *s, const char *candidate)
{
    if (s->len >= 3 && strncmp(candidate, s->word, s->len) == 0) {
        s->prefixes++;
        s->prefix = candidate;
    }
    const int d = edit_distance(s->word, s->len, candidate);
    /* as many edits as letters rewrite the word: a guess, not a slip */
    if (d >= (int)s->len) return;
    if (d < s->best_d) {
        s->best_d = d;
        s->best = candidate;
        s->ties = 0;
    } else if (d == s->best_d && s->best && strcmp(s->best, candidate) != 0) {
        s->ties++;
    }
}

const char *cli_suggest_result(const cli_suggest *s)
{
    if (s->best && !s->ties) return s->best;
    return s->prefixes == 1 ? s->prefix : NULL;
}

void cli_help(const cli_verb *v)
{
    printf("usage: amorph %s %s\n\n%s\n\noptions:\n", v->name, v->usage, v->summary);
    int unit_dependent = 0;
    for (const cli_opt *o = v->opts; o->name; o++) {
        if (!o->help) continue;
        char left[64];
        if (o->short_name)
            snprintf(left, sizeof left, "-%c, --%s%s%s", o->short_name, o->name, o->arg ? " " : "", o->arg ? o->arg : "");
        else
            snprintf(left, sizeof left, "    --%s%s%s", o->name, o->arg ? " " : "", o->arg ? o->arg : "");
        printf("  %-28s %s", left, o->help);
        const char *lj = cli_lj_default(v->name, o->name);
        if (o->def) printf(" [default: %s]", o->def);
        if (lj) printf(" [lj units: %s]", lj);
        printf("\n");
        unit_dependent |= lj != NULL || cli_range_unit_dependent(v, o->name);
    }
    printf("  %-28s %s\n", "-h, --help", "show this help");
    if (unit_dependent)
        printf("\nUnits follow the potential's (-p; --units where a verb takes none): LAMMPS metal as written\n"
               "above (Å, eV, ps, K, bar, amu), or LAMMPS lj for a Lennard-Jones potential (σ, ε, τ, ε/k_B, ε/σ³, m),\n"
               "whose own defaults are shown as \"lj units\" where they differ.\n");
}

static int unknown_option(const cli_verb *v, const char *arg, const char *name, size_t len)
{
    const char *hint = NULL;
    if (name) {
        cli_suggest sg;
        cli_suggest_init(&sg, name, len);
        for (const cli_opt *o = v->opts; o->name; o++)
            if (o->help) cli_suggest_add(&sg, o->name);
        cli_suggest_add(&sg, "help");
        hint = cli_suggest_result(&sg);
    }
    if (hint)
        fprintf(stderr, "amorph %s: unknown option '%s'; did you mean '--%s'? (see amorph %s --help)\n", v->name, arg,
                hint, v->name);
    else
        fprintf(stderr, "amorph %s: unknown option '%s' (see amorph %s --help)\n", v->name, arg, v->name);
    return 2;
}

/* Options that may be given several times, every value kept in order (the
 * others keep their last value). One program parses one verb's command line,
 * so a store for the process is enough. */
static const char *const repeatable[] = {"pair"};
static struct {
    const cli_opt *opt;
    const char *value;
} repeated[CLI_MAX_REPEAT];
static int nrepeated;
static const char *repeated_values[CLI_MAX_REPEAT];

int cli_parse(cli_verb *v, int argc, char **argv, const char **pos, int *npos)
{
    *npos = 0;
    nrepeated = 0;
    /* A default in parentheses only describes what happens without the option. */
    for (cli_opt *o = v->opts; o->name; o++) o->value = o->def && o->def[0] != '(' ? o->def : NULL;
    for (int k = 0; k < argc; k++) {
        const char *a = argv[k];
        if (strcmp(a, "-h") == 0 || strcmp(a, "--help") == 0) { cli_help(v); return 1; }
        cli_opt *o = NULL;
        const char *val = NULL;
        if (a[0] == '-' && a[1] == '-' && a[2]) {
            const char *eq = strchr(a + 2, '=');
            size_t len = eq ? (size_t)(eq - a - 2) : strlen(a + 2);
            o = find_long(v, a + 2, len);
            if (!o) return unknown_option(v, a, a + 2, len);
            if (eq) val = eq + 1;
        } else if (a[0] == '-' && a[1] && !a[2] && !(a[1] >= '0' && a[1] <= '9')) {
            o = find_short(v, a[1]);
            if (!o) return unknown_option(v, a, NULL, 0);
        } else {
            if (*npos >= v->max_pos) { fprintf(stderr, "amorph %s: unexpected argument '%s'\n", v->name, a); return 2; }
            pos[(*npos)++] = a;
            continue;
        }
        if (!o->arg) {
            if (val) { fprintf(stderr, "amorph %s: option --%s takes no value\n", v->name, o->name); return 2; }
            o->value = "1";
            continue;
        }
        if (!val) {
            if (k + 1 >= argc) { fprintf(stderr, "amorph %s: option --%s needs a value (%s)\n", v->name, o->name, o->arg); return 2; }
            val = argv[++k];
        }
        int repeat = 0;
        for (size_t r = 0; r < sizeof repeatable / sizeof *repeatable; r++) repeat |= !strcmp(o->name, repeatable[r]);
        if (repeat) {
            if (nrepeated == CLI_MAX_REPEAT) {
                fprintf(stderr, "amorph %s: more than %d values of repeatable options\n", v->name, CLI_MAX_REPEAT);
                return 2;
            }
            repeated[nrepeated].opt = o;
            repeated[nrepeated++].value = val;
        }
        o->value = val;
    }
    if (*npos < v->min_pos) {
        fprintf(stderr, "amorph %s: missing argument; usage: amorph %s %s\n", v->name, v->name, v->usage);
        return 2;
    }
    return cli_check_ranges(v);
}

static const cli_opt *get(const cli_verb *v, const char *name)
{
    for (const cli_opt *o = v->opts; o->name; o++)
        if (strcmp(o->name, name) == 0) return o;
    return NULL;
}

const char *cli_get(const cli_verb *v, const char *name)
{
    const cli_opt *o = get(v, name);
    return o ? o->value : NULL;
}

const char *const *cli_values(const cli_verb *v, const char *name, int *n)
{
    const cli_opt *o = get(v, name);
    *n = 0;
    for (int k = 0; o && k < nrepeated; k++)
        if (repeated[k].opt == o) repeated_values[(*n)++] = repeated[k].value;
    return repeated_values;
}

int cli_given(const cli_verb *v, const char *name)
{
    const cli_opt *o = get(v, name);
    /* until parsed, value points at the default text (or is NULL), and the
     * potential's units may have put its lj default there (cli_apply_units) */
    return o && o->value && o->value != o->def && o->value != cli_lj_default(v->name, o->name);
}

int cli_flag(const cli_verb *v, const char *name)
{
    const char *s = cli_get(v, name);
    return s && strcmp(s, "1") == 0;
}

int cli_double(const cli_verb *v, const char *name, double *out)
{
    const char *s = cli_get(v, name);
    if (!s) return 0;
    char *end;
    errno = 0;
    double x = strtod(s, &end);
    if (end == s || *end || errno || !isfinite(x)) {
        fprintf(stderr, "amorph %s: --%s expects a number, got '%s'\n", v->name, name, s);
        return 2;
    }
    *out = x;
    return 0;
}

int cli_int(const cli_verb *v, const char *name, long *out)
{
    const char *s = cli_get(v, name);
    if (!s) return 0;
    char *end;
    errno = 0;
    long x = strtol(s, &end, 10);
    if (end == s || *end || errno) {
        fprintf(stderr, "amorph %s: --%s expects an integer, got '%s'\n", v->name, name, s);
        return 2;
    }
    *out = x;
    return 0;
}

/* Ranks of an mpirun launch, from the launcher's environment (Open MPI,
 * then PMI-based launchers such as MPICH's); 1 when not launched so. */
static long launch_ranks(void)
{
    static const char *const vars[] = {"OMPI_COMM_WORLD_SIZE", "PMI_SIZE", "PMIX_SIZE"};
    for (size_t k = 0; k < sizeof vars / sizeof *vars; k++) {
        const char *s = getenv(vars[k]);
        if (s && atol(s) > 0) return atol(s);
    }
    return 1;
}

int cli_apply_common(const cli_verb *v)
{
    long threads = 0;
    if (cli_get(v, "threads") && cli_int(v, "threads", &threads)) return 2;
    /* ranks already fill the cores: a rank's threads on top of them would
     * only spin against each other */
    if (threads == 0 && !getenv("OMP_NUM_THREADS") && launch_ranks() > 1) threads = 1;
    if (threads > 0) omp_set_num_threads((int)threads);
    return 0;
}

/* "a,b,c" and "from:to:step" ranges (inclusive, to within a step/1e6),
 * mixed: "3,4:15:1". */
int cli_doubles(const cli_verb *v, const char *name, double **out, int *n)
{
    *out = NULL;
    *n = 0;
    const char *s = cli_get(v, name);
    if (!s) return 0;
    double *vals = NULL;
    int cnt = 0, cap = 0;
    const char *p = s;
    while (*p) {
        double x[3];
        int k = 0;
        char *end;
        for (;;) {
            errno = 0;
            x[k] = strtod(p, &end);
            if (end == p || errno || !isfinite(x[k])) goto bad;
            k++;
            p = end;
            if (*p != ':' || k == 3) break;
            p++;
        }
        if (k == 2 || (k == 3 && !(x[2] > 0 && x[1] >= x[0] && (x[1] - x[0]) / x[2] < 1e5))) goto bad;
        const int m = k == 1 ? 1 : (int)floor((x[1] - x[0]) / x[2] + 1e-6) + 1;
        if (cnt + m > cap) {
            cap = 2 * (cnt + m);
            double *nv = realloc(vals, (size_t)cap * sizeof(double));
            if (!nv) { free(vals); fprintf(stderr, "amorph %s: out of memory\n", v->name); return 2; }
            vals = nv;
        }
        for (int j = 0; j < m; j++) vals[cnt++] = k == 1 ? x[0] : x[0] + j * x[2];
        if (*p == ',') p++;
        else if (*p) goto bad;
    }
    if (cnt == 0) goto bad;
    *out = vals;
    *n = cnt;
    return 0;
bad:
    free(vals);
    fprintf(stderr, "amorph %s: --%s expects numbers a,b,... or ranges from:to:step, got '%s'\n", v->name, name, s);
    return 2;
}
