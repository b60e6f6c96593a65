/* mkdtemp() is XSI, beyond the project-wide _POSIX_C_SOURCE */
#define _XOPEN_SOURCE 700
#include "potential/lammps_lib.h"
#include "amorph/io.h"
#include "core/error.h"
#include "core/hash.h"
#include "core/process.h"

#include <ctype.h>
#include <lammps/library.h>
#include <math.h>
#include <mpi.h>
#include <pthread.h>
#include <stdatomic.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

struct am_lmp {
    void *h;
    size_t n;
    int nspecies;
    am_box box;     /* the box LAMMPS has */
    double nktv2p;  /* pressure × volume → energy, as LAMMPS's force->nktv2p */
    double *buf;    /* 3n: positions out, forces in */
    int *ids;
    long setups;
};

/* One LAMMPS call at a time in this process (lammps_lib.h). */
static pthread_mutex_t lammps_lock = PTHREAD_MUTEX_INITIALIZER;

void am_lmp_default_potentials(void)
{
    static const char debian[] = "/usr/share/lammps/potentials";
    if (!getenv("LAMMPS_POTENTIALS") && access(debian, R_OK) == 0) setenv("LAMMPS_POTENTIALS", debian, 0);
}

am_status am_lmp_check_chars(const char *text, const char *what)
{
    const size_t len = strlen(text);
    for (size_t k = 0; k < len; k++) {
        const unsigned char c = (unsigned char)text[k];
        /* $ would expand variables (and $(...) formulas), & continue the
         * line, # and quotes change what the rest means; none is needed by
         * a pair command */
        if (!isalnum(c) && c != ' ' && !strchr("_./-+*:@,=", c))
            return am_fail(AM_ERR_VALUE, "%s: '%s' holds %s%c%s at character %zu; what is passed to LAMMPS may "
                           "hold letters, digits, spaces and _ . / - + * : @ , = only", what, text,
                           isprint(c) ? "'" : "byte 0x", isprint(c) ? c : '?', isprint(c) ? "'" : "", k + 1);
    }
    return AM_OK;
}

am_status am_lmp_check_command(const char *cmd, const char *what)
{
    static const char *const verbs[] = {"pair_style", "pair_coeff", "pair_modify"};
    const size_t len = strlen(cmd);
    if (len == 0 || len > AM_LMP_MAX_CMD)
        return am_fail(AM_ERR_VALUE, "%s: a LAMMPS pair command of %zu characters; expected 1 to %d", what, len,
                       AM_LMP_MAX_CMD);
    am_status st = am_lmp_check_chars(cmd, what);
    if (st) return st;
    const size_t w = strcspn(cmd, " ");
    int ok = 0;
    for (size_t k = 0; k < sizeof verbs / sizeof verbs[0]; k++) ok |= w == strlen(verbs[k]) && !strncmp(cmd, verbs[k], w);
    if (!ok)
        return am_fail(AM_ERR_VALUE, "%s: '%s' is not a pair command; expected pair_style, pair_coeff or pair_modify "
                       "(other LAMMPS commands, such as shell or include, are not passed on)", what, cmd);
    /* pair_style python runs Python code from a file */
    if (strstr(cmd, "python"))
        return am_fail(AM_ERR_VALUE, "%s: '%s' names python; Python pair styles are not passed to LAMMPS", what, cmd);
    return AM_OK;
}

/* The LAMMPS commands that make s's box (region + create_box). */
static void box_commands(const am_box *b, int nspecies, char *region, size_t cap, char *create, size_t ccap)
{
    const double *lo = b->lo, *l = b->len;
    if (am_box_is_triclinic(b))
        snprintf(region, cap, "region amorph_box prism %.17g %.17g %.17g %.17g %.17g %.17g %.17g %.17g %.17g units box",
                 lo[0], lo[0] + l[0], lo[1], lo[1] + l[1], lo[2], lo[2] + l[2], b->tilt[0], b->tilt[1], b->tilt[2]);
    else
        snprintf(region, cap, "region amorph_box block %.17g %.17g %.17g %.17g %.17g %.17g units box", lo[0],
                 lo[0] + l[0], lo[1], lo[1] + l[1], lo[2], lo[2] + l[2]);
    snprintf(create, ccap, "create_box %d amorph_box", nspecies);
}

/* From a LAMMPS output: the first ERROR line (or a generic message), and
 * the neighbour lists' cutoff, which with no skin is the pair style's. */
static void lammps_output(const char *path, char *msg, size_t cap, double *cutoff)
{
    snprintf(msg, cap, "no ERROR line in its output");
    FILE *f = fopen(path, "r");
    if (!f) return;
    char line[1024];
    int error = 0;
    while (fgets(line, sizeof line, f)) {
        double c;
        if (!error && strncmp(line, "ERROR", 5) == 0) {
            line[strcspn(line, "\n")] = '\0';
            snprintf(msg, cap, "%.400s", line);
            error = 1;
        } else if (sscanf(line, " master list distance cutoff = %lf", &c) == 1) {
            *cutoff = c;
        }
    }
    fclose(f);
}

/* The same setup run by the `lmp` program in a child process: a LAMMPS
 * error there ends that process, not this one. */
static am_status dry_run(const am_system *s, const char *units, const char *const *cmds, int ncmd, double *cutoff)
{
    char dir[] = "/tmp/amorph-lammps-XXXXXX";
    if (!mkdtemp(dir)) return am_fail(AM_ERR_IO, "LAMMPS engine: cannot make a scratch directory in /tmp");
    char data[64], in[64], out[64], logf[64];
    snprintf(data, sizeof data, "%s/system.data", dir);
    snprintf(in, sizeof in, "%s/check.in", dir);
    snprintf(out, sizeof out, "%s/output", dir);
    snprintf(logf, sizeof logf, "%s/log.lammps", dir);
    am_status st = am_write(data, AM_FMT_LAMMPS_DATA, s);
    FILE *f = st ? NULL : fopen(in, "w");
    if (!st && !f) st = am_fail(AM_ERR_IO, "%s: cannot write", in);
    if (f) {
        fprintf(f, "units %s\natom_style atomic\nboundary %c %c %c\nread_data %s\n", units, s->box.periodic[0] ? 'p' : 'f',
                s->box.periodic[1] ? 'p' : 'f', s->box.periodic[2] ? 'p' : 'f', data);
        for (int k = 0; k < ncmd; k++) fprintf(f, "%s\n", cmds[k]);
        fprintf(f, "neighbor 0.0 bin\nrun 0\n");
        if (fclose(f) != 0) st = am_fail(AM_ERR_IO, "%s: cannot write", in);
    }
    if (!st) {
        char *argv[] = {"lmp", "-in", in, "-log", logf, "-nocite", NULL};
        int code;
        st = am_run_program_standalone(NULL, argv, out, &code);
        if (!st && code == 127)
            st = am_fail(AM_ERR_UNSUPPORTED, "LAMMPS engine: cannot run lmp to check the pair commands (Debian package "
                         "lammps, the program of the library's LAMMPS)");
        else if (!st) {
            char msg[512];
            lammps_output(out, msg, sizeof msg, cutoff);
            if (code != 0)
                st = am_fail(AM_ERR_VALUE, "LAMMPS refused the pair commands (checked by lmp in a separate process): %s",
                             msg);
            else if (!(*cutoff > 0))
                st = am_fail(AM_ERR_VALUE, "LAMMPS engine: lmp reported no neighbour cutoff for the pair commands");
        }
    }
    unlink(data); unlink(in); unlink(out); unlink(logf);
    rmdir(dir);
    return st;
}

static void command(am_lmp *l, const char *c) { lammps_command(l->h, (char *)c); }

/* Positions wrapped into the box, system order (LAMMPS ids 1..n): LAMMPS
 * wraps an atom by at most one period at a neighbour-list build, and one
 * farther out would be lost, which stops the process. */
static am_status wrapped(const am_lmp *l, const am_system *s)
{
    for (size_t i = 0; i < s->n; i++) {
        double r[3] = {s->x[i], s->y[i], s->z[i]}, f[3];
        if (!isfinite(r[0]) || !isfinite(r[1]) || !isfinite(r[2]))
            return am_fail(AM_ERR_VALUE, "LAMMPS engine: atom %lld has a non-finite position", s->id[i]);
        am_box_to_frac(&s->box, r, f);
        for (int c = 0; c < 3; c++)
            if (s->box.periodic[c]) {
                f[c] -= floor(f[c]);
                if (f[c] >= 1.0) f[c] = 0.0; /* -1e-17 - floor() rounds to 1 */
            }
        am_box_from_frac(&s->box, f, l->buf + 3 * i);
    }
    return AM_OK;
}

/* What the dry run depends on: the commands, the number of types, the
 * boundaries and units; positions and box size only decide whether LAMMPS
 * runs, which the library's own setup checks as well. */
static uint64_t setup_key(const am_system *s, const char *units, const char *const *cmds, int ncmd)
{
    am_hash h;
    am_hash_init(&h, "lammps setup");
    am_hash_str(&h, units);
    am_hash_i64(&h, s->nspecies);
    for (int c = 0; c < 3; c++) am_hash_i64(&h, s->box.periodic[c]);
    am_hash_i64(&h, am_box_is_triclinic(&s->box));
    for (int k = 0; k < ncmd; k++) am_hash_str(&h, cmds[k]);
    return am_hash_final(&h);
}

/* The setups checked by a dry run in this process, and their cutoffs. */
#define CHECKED_MAX 16
static struct {
    uint64_t key;
    double cutoff;
} checked[CHECKED_MAX];
static int nchecked;

static am_status checked_dry_run(const am_system *s, const char *units, const char *const *cmds, int ncmd,
                                 double *cutoff)
{
    const uint64_t key = setup_key(s, units, cmds, ncmd);
    pthread_mutex_lock(&lammps_lock);
    for (int k = 0; k < nchecked; k++)
        if (checked[k].key == key) *cutoff = checked[k].cutoff;
    pthread_mutex_unlock(&lammps_lock);
    if (*cutoff > 0) return AM_OK;
    am_status st = dry_run(s, units, cmds, ncmd, cutoff);
    if (st) return st;
    pthread_mutex_lock(&lammps_lock);
    checked[nchecked % CHECKED_MAX].key = key;
    checked[nchecked % CHECKED_MAX].cutoff = *cutoff;
    nchecked++;
    pthread_mutex_unlock(&lammps_lock);
    return AM_OK;
}

/* A LAMMPS instance of its own: on MPI_COMM_SELF when amorph runs under
 * mpirun (each rank runs its own searches), else MPI as LAMMPS starts it. */
static void *open_instance(void)
{
    char *args[] = {"amorph", "-log", "none", "-screen", "none", "-nocite", NULL};
    int mpi = 0;
    MPI_Initialized(&mpi);
    if (mpi) return lammps_open_fortran(6, args, (int)MPI_Comm_c2f(MPI_COMM_SELF));
    return lammps_open_no_mpi(6, args, NULL);
}

am_status am_lmp_create(const am_system *s, const char *units, const char *const *cmds, int ncmd, double skin,
                        am_lmp **out, double *cutoff)
{
    *out = NULL;
    *cutoff = NAN;
    /* the styles amorph names (units.c) are the ones LAMMPS is set up for */
    const am_units *u = am_units_of(units);
    if (!u) return am_fail(AM_ERR_VALUE, "LAMMPS engine: units '%s'; expected metal or lj", units);
    am_status st = AM_OK;
    if (s->n == 0 || s->n > 2000000000u) return am_fail(AM_ERR_VALUE, "LAMMPS engine: %zu atoms; expected 1 to 2e9", s->n);
    if (!(skin >= 0) || !isfinite(skin)) return am_fail(AM_ERR_VALUE, "LAMMPS engine: skin %g; expected >= 0", skin);
    if (ncmd < 1) return am_fail(AM_ERR_VALUE, "LAMMPS engine: no pair commands (expected pair_style and pair_coeff)");
    for (int k = 0; k < ncmd; k++) {
        char what[32];
        snprintf(what, sizeof what, "pair command %d", k + 1);
        if ((st = am_lmp_check_command(cmds[k], what))) return st;
    }
    for (int t = 0; t < s->nspecies; t++)
        if (!(s->species[t].mass > 0))
            return am_fail(AM_ERR_VALUE, "LAMMPS engine: species %s has no mass", s->species[t].name);
    am_lmp_default_potentials();
    if ((st = checked_dry_run(s, units, cmds, ncmd, cutoff))) return st;
    am_lmp *l = calloc(1, sizeof *l);
    if (!l) return am_fail(AM_ERR_NOMEM, "LAMMPS engine: out of memory");
    l->n = s->n;
    l->nspecies = s->nspecies;
    l->nktv2p = u->nktv2p;
    l->box = s->box;
    l->buf = malloc(3 * s->n * sizeof(double));
    l->ids = malloc(s->n * sizeof(int));
    int *types = malloc(s->n * sizeof(int));
    pthread_mutex_lock(&lammps_lock);
    if (l->buf && l->ids && types) l->h = open_instance();
    if (!l->h) {
        pthread_mutex_unlock(&lammps_lock);
        free(types);
        am_lmp_free(l);
        return am_fail(AM_ERR_NOMEM, "LAMMPS engine: cannot start LAMMPS");
    }
    char c[2 * AM_LMP_MAX_CMD], c2[64];
    snprintf(c, sizeof c, "units %s", units);
    command(l, c);
    command(l, "atom_style atomic");
    /* ids are the system's order; no sorting, so nothing moves between calls */
    command(l, "atom_modify map array sort 0 0.0");
    snprintf(c, sizeof c, "boundary %c %c %c", s->box.periodic[0] ? 'p' : 'f', s->box.periodic[1] ? 'p' : 'f',
             s->box.periodic[2] ? 'p' : 'f');
    command(l, c);
    box_commands(&s->box, s->nspecies, c, sizeof c, c2, sizeof c2);
    command(l, c);
    command(l, c2);
    for (int t = 0; t < s->nspecies; t++) {
        snprintf(c, sizeof c, "mass %d %.17g", t + 1, s->species[t].mass);
        command(l, c);
    }
    for (size_t i = 0; i < s->n; i++) { l->ids[i] = (int)i + 1; types[i] = s->type[i] + 1; }
    st = wrapped(l, s);
    if (!st && lammps_create_atoms(l->h, (int)s->n, l->ids, types, l->buf, NULL, NULL, 0) != (int)s->n)
        st = am_fail(AM_ERR_VALUE, "LAMMPS engine: LAMMPS took fewer than the %zu atoms", s->n);
    free(types);
    if (st) {
        pthread_mutex_unlock(&lammps_lock);
        am_lmp_free(l);
        return st;
    }
    for (int k = 0; k < ncmd; k++) command(l, cmds[k]);
    snprintf(c, sizeof c, "neighbor %.17g bin", skin);
    command(l, c);
    command(l, "neigh_modify delay 0 every 1 check yes");
    command(l, "compute amorph_pe all pe/atom");
    command(l, "compute amorph_p all pressure NULL virial");
    /* a thermo line every step makes LAMMPS tally the energy and virial on
     * every step; norm no: the total, whatever the units' default */
    command(l, "thermo_style custom step pe c_amorph_p[1]");
    command(l, "thermo_modify norm no");
    command(l, "thermo 1");
    command(l, "run 0 pre yes post no");
    pthread_mutex_unlock(&lammps_lock);
    l->setups = 1;
    *out = l;
    return AM_OK;
}

void am_lmp_free(am_lmp *l)
{
    if (!l) return;
    pthread_mutex_lock(&lammps_lock);
    if (l->h) lammps_close(l->h);
    pthread_mutex_unlock(&lammps_lock);
    free(l->buf);
    free(l->ids);
    free(l);
}

long am_lmp_setups(const am_lmp *l) { return l->setups; }

static am_status compute_locked(am_lmp *l, const am_system *s, am_result *r)
{
    if (s->n != l->n || s->nspecies != l->nspecies)
        return am_fail(AM_ERR_VALUE, "LAMMPS engine: made for %zu atoms of %d species, given %zu of %d", l->n,
                       l->nspecies, s->n, s->nspecies);
    if (r->v_atom || r->rho)
        return am_fail(AM_ERR_UNSUPPORTED, "LAMMPS engine: per-atom virials and densities are not available");
    am_status st = am_box_check(&s->box);
    if (st || (st = wrapped(l, s))) return st;
    if (memcmp(&s->box, &l->box, sizeof s->box) != 0) {
        const am_box *b = &s->box;
        if (am_box_is_triclinic(b) != am_box_is_triclinic(&l->box))
            return am_fail(AM_ERR_UNSUPPORTED, "LAMMPS engine: the box changed between orthogonal and triclinic");
        char c[512];
        int k = snprintf(c, sizeof c, "change_box all x final %.17g %.17g y final %.17g %.17g z final %.17g %.17g",
                         b->lo[0], b->lo[0] + b->len[0], b->lo[1], b->lo[1] + b->len[1], b->lo[2], b->lo[2] + b->len[2]);
        if (am_box_is_triclinic(b))
            k += snprintf(c + k, sizeof c - (size_t)k, " xy final %.17g xz final %.17g yz final %.17g", b->tilt[0],
                          b->tilt[1], b->tilt[2]);
        snprintf(c + k, sizeof c - (size_t)k, " units box");
        command(l, c);
        l->box = *b;
        lammps_scatter_atoms(l->h, "x", 1, 3, l->buf);
        /* a new box needs LAMMPS's full setup (domain, bins, lists) */
        command(l, "run 0 pre yes post no");
        l->setups++;
    } else {
        lammps_scatter_atoms(l->h, "x", 1, 3, l->buf);
        command(l, "run 1 pre no post no");
    }
    lammps_gather_atoms(l->h, "f", 1, 3, l->buf);
    for (size_t i = 0; i < s->n; i++) {
        r->fx[i] = l->buf[3 * i];
        r->fy[i] = l->buf[3 * i + 1];
        r->fz[i] = l->buf[3 * i + 2];
    }
    r->energy = lammps_get_thermo(l->h, "pe");
    memset(r->virial, 0, sizeof r->virial);
    if (!r->skip_virial) {
        const double *p = lammps_extract_compute(l->h, "amorph_p", LMP_STYLE_GLOBAL, LMP_TYPE_VECTOR);
        if (!p) return am_fail(AM_ERR_VALUE, "LAMMPS engine: no virial from LAMMPS");
        const double v = am_box_volume(&s->box);
        for (int k = 0; k < 6; k++) r->virial[k] = p[k] * v / l->nktv2p;
    }
    if (r->e_atom) lammps_gather(l->h, "c_amorph_pe", 1, 1, r->e_atom);
    return AM_OK;
}

am_status am_lmp_compute(am_lmp *l, const am_system *s, am_result *r)
{
    pthread_mutex_lock(&lammps_lock);
    am_status st = compute_locked(l, s, r);
    pthread_mutex_unlock(&lammps_lock);
    return st;
}
