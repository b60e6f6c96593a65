/* ARTn's barrier against an independent method and engine: the vacancy hop
 * in fcc aluminium (Debian's Al_mm.eam.fs, Mendelev et al., Phil. Mag. 88
 * (2008) 1723; 3×3×3
 * cubic cells, 107 atoms) found by `amorph artn --engine lammps` from an atom
 * next to the vacancy, against LAMMPS's own climbing-image NEB (5 replicas,
 * `neb` with `fix neb`, quickmin, run by mpirun lmp) between the same two
 * minima. Every hop ARTn finds must match the NEB barrier within 1 meV;
 * amorph's native engine must find the same. The minima themselves are made
 * with --engine lammps too (the box by `minimize --box iso`: LAMMPS's box
 * changes). */
#include "util/build.h"
#include "util/check.h"

#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define AL_POT "/usr/share/lammps/potentials/Al_mm.eam.fs"

/* s without atom `skip`, ids renumbered 1.. */
static am_system *without(const am_system *s, size_t skip)
{
    am_system *v = NULL;
    if (am_system_alloc(s->n - 1, 0, &v) != AM_OK) return NULL;
    v->nspecies = s->nspecies;
    memcpy(v->species, s->species, sizeof s->species);
    v->box = s->box;
    for (size_t i = 0, k = 0; i < s->n; i++) {
        if (i == skip) continue;
        v->x[k] = s->x[i]; v->y[k] = s->y[i]; v->z[k] = s->z[i];
        v->type[k] = s->type[i];
        v->id[k] = (long long)k + 1;
        k++;
    }
    return v;
}

static size_t nearest(const am_system *s, double x, double y, double z)
{
    size_t best = 0;
    double dbest = INFINITY;
    for (size_t i = 0; i < s->n; i++) {
        double d[3] = {s->x[i] - x, s->y[i] - y, s->z[i] - z};
        am_box_min_image(&s->box, d);
        const double r = sqrt(d[0] * d[0] + d[1] * d[1] + d[2] * d[2]);
        if (r < dbest) { dbest = r; best = i; }
    }
    return best;
}

/* The forward barrier of the last line of LAMMPS's NEB log (column EBF). */
static double neb_barrier(const char *log)
{
    FILE *f = fopen(log, "r");
    if (!f) return NAN;
    char line[4096];
    double ebf = NAN;
    int climbing = 0;
    while (fgets(line, sizeof line, f)) {
        if (strstr(line, "Climbing replica")) climbing = 1;
        double v[7];
        if (climbing && sscanf(line, "%lf %lf %lf %lf %lf %lf %lf", &v[0], &v[1], &v[2], &v[3], &v[4], &v[5], &v[6]) == 7)
            ebf = v[6];
    }
    fclose(f);
    return ebf;
}

/* Barriers of the converged events that return the vacancy to an
 * equivalent site (final energy equal to the start's, one atom moved by
 * about a nearest-neighbour distance), from --events-csv. */
static int hops(const char *csv, double *ea, int cap)
{
    FILE *f = fopen(csv, "r");
    if (!f) return 0;
    char line[1024];
    int n = 0;
    if (!fgets(line, sizeof line, f)) { fclose(f); return 0; }
    while (fgets(line, sizeof line, f) && n < cap) {
        char *field[16];
        const int nf = csv_split(line, field, 16);
        if (nf < 10 || strcmp(field[3], "ok") != 0) continue;
        const double de = atof(field[5]), dmax = atof(field[6]);
        if (fabs(de) < 1e-4 && dmax > 2.5 && dmax < 3.0 && atoi(field[9]) == 1) ea[n++] = atof(field[4]);
    }
    fclose(f);
    return n;
}

static void artn_hops(const char *label, const char *engine, long long atom, double ref)
{
    char out[8192], atoms[32], events[64], csv[64], table[64];
    snprintf(atoms, sizeof atoms, "%lld", atom);
    snprintf(events, sizeof events, "vac_%s.jsonl", engine);
    snprintf(csv, sizeof csv, "vac_%s.csv", engine);
    snprintf(table, sizeof table, "vac_%s.extxyz", engine);
    remove(events);
    const int rc = run_amorph_v(out, sizeof out, "artn", "vac_init.data", "-p", AL_POT, "--engine", engine, "--atoms",
                                atoms, "--searches", "8", "-e", events, "--events-csv", csv, "-o", table, "-q",
                                "--threads", "1", NULL);
    check_true(rc == 0, "%s: amorph artn ran (%s)", label, out);
    double ea[16];
    const int n = hops(csv, ea, 16);
    check_true(n >= 2, "%s: at least 2 of 8 searches found the vacancy hop (%d)", label, n);
    for (int k = 0; k < n; k++) check_abs(ea[k], ref, 1e-3, "%s: hop %d barrier against LAMMPS's NEB (eV)", label, k);
}

int main(void)
{
    char out[8192];
    if (!check_true(program_available("mpirun") && program_available("lmp"), "mpirun and lmp are installed"))
        return check_exit();
    /* the lattice constant of the potential: the perfect crystal's box relaxed by LAMMPS */
    am_system *perfect = build_lattice("fcc", 4.05, 3, 3, 3, "Al");
    check_true(perfect && am_write("vac_perfect.data", AM_FMT_LAMMPS_DATA, perfect) == AM_OK, "perfect crystal");
    am_system_free(perfect);
    int rc = run_amorph_v(out, sizeof out, "minimize", "vac_perfect.data", "-p", AL_POT, "--engine", "lammps",
                          "--box", "iso", "-o", "vac_perfect_min.data", "-q", NULL);
    perfect = rc == 0 ? load_conf("vac_perfect_min.data", NULL) : NULL;
    if (!check_true(perfect != NULL, "box relaxed by LAMMPS (%s)", out)) return check_exit();
    const double a0 = perfect->box.len[0] / 3.0;
    /* a sanity bound: aluminium's measured 4.05 Å within 0.5 % */
    check_abs(a0, 4.05, 0.02, "lattice constant of Al_mm.eam.fs (Å)");

    /* the vacancy at the origin; its neighbour at (a/2, a/2, 0) hops into it */
    const size_t v0 = nearest(perfect, 0, 0, 0);
    am_system *init = without(perfect, v0), *fin = NULL;
    if (!check_true(init && am_system_copy(init, &fin) == AM_OK, "vacancy configurations")) return check_exit();
    const size_t hop = nearest(init, a0 / 2, a0 / 2, 0);
    fin->x[hop] = 0.0; fin->y[hop] = 0.0; fin->z[hop] = 0.0;
    check_true(am_write("vac_init0.data", AM_FMT_LAMMPS_DATA, init) == AM_OK &&
                   am_write("vac_final0.data", AM_FMT_LAMMPS_DATA, fin) == AM_OK, "written");
    rc = run_amorph_v(out, sizeof out, "minimize", "vac_init0.data", "-p", AL_POT, "--engine", "lammps", "-o",
                      "vac_init.data", "-q", NULL) ||
         run_amorph_v(out, sizeof out, "minimize", "vac_final0.data", "-p", AL_POT, "--engine", "lammps", "-o",
                      "vac_final.data", "-q", NULL);
    am_system *fmin = rc == 0 ? load_conf("vac_final.data", NULL) : NULL;
    if (!check_true(fmin != NULL, "minima relaxed by LAMMPS (%s)", out)) return check_exit();

    /* LAMMPS's NEB between them */
    FILE *f = fopen("vac_final.coords", "w");
    if (f) {
        fprintf(f, "%zu\n", fmin->n);
        for (size_t i = 0; i < fmin->n; i++)
            fprintf(f, "%lld %.17g %.17g %.17g\n", fmin->id[i], fmin->x[i], fmin->y[i], fmin->z[i]);
        fclose(f);
    }
    f = fopen("vac_neb.in", "w");
    if (f) {
        fprintf(f, "units metal\natom_style atomic\natom_modify map array sort 0 0.0\nboundary p p p\n"
                   "read_data vac_init.data\npair_style eam/fs\npair_coeff * * %s Al\nneighbor 1.0 bin\n"
                   "timestep 0.005\nfix 1 all neb 5.0 parallel ideal\nmin_style quickmin\nthermo 100\n"
                   "neb 0.0 1.0e-5 4000 4000 100 final vac_final.coords\n", AL_POT);
        fclose(f);
    }
    remove("log.lammps");
    const char *neb[] = {"mpirun", "--allow-run-as-root", "--oversubscribe", "--mca", "mpi_yield_when_idle", "1",
                         "-np", "5", "lmp", "-partition", "5x1", "-in", "vac_neb.in", "-screen", "none", NULL};
    rc = run_argv(neb, out, sizeof out);
    const double ref = neb_barrier("log.lammps");
    check_true(rc == 0 && isfinite(ref), "LAMMPS's climbing-image NEB ran (%s)", out);
    /* a sanity bound (a vacancy hop in a close-packed metal), not the reference */
    check_abs(ref, 0.65, 0.25, "NEB vacancy-migration barrier (eV)");

    const long long atom = init->id[hop];
    artn_hops("--engine lammps", "lammps", atom, ref);
    artn_hops("native engine", "amorph", atom, ref);

    /* the same campaign on two MPI ranks, each with its own LAMMPS (on
     * MPI_COMM_SELF, its dry-run lmp outside the launch): the same table */
    char atoms[32];
    snprintf(atoms, sizeof atoms, "%lld", atom);
    remove("vac_mpi.jsonl");
    const char *mpi[] = {"mpirun", "--allow-run-as-root", "--oversubscribe", "--mca", "mpi_yield_when_idle", "1",
                         "-np", "2", getenv("AMORPH_BINARY"), "artn", "vac_init.data", "-p", AL_POT, "--engine",
                         "lammps", "--atoms", atoms, "--searches", "8", "-e", "vac_mpi.jsonl", "-o", "vac_mpi.extxyz",
                         "-q", "--threads", "1", NULL};
    rc = run_argv(mpi, out, sizeof out);
    check_true(rc == 0 && files_equal("vac_mpi.extxyz", "vac_lammps.extxyz"),
               "mpirun -np 2 amorph artn --engine lammps: the single process's table (%s)", out);

    am_system_free(perfect);
    am_system_free(init);
    am_system_free(fin);
    am_system_free(fmin);
    return check_exit();
}
