/* The radical (power) Voronoi tessellation against LAMMPS `compute
 * voronoi/atom radius v_r` (voro++'s container_poly on ghost atoms, a code
 * path of its own) on the shipped 2000-atom CuZr glass: every atom's volume,
 * face count, neighbours and face areas, and the histogram of face edges;
 * then the properties that pin the construction down without a reference:
 * equal radii give the plain tessellation, adding the same constant to every
 * R² changes nothing, larger Zr makes Zr cells larger, the radius table,
 * thread independence and bad radii. (Indices atom by atom are compared with
 * the voro++ command-line tool's -r in test_voronoi_cli.) */
#include "util/build.h"
#include "util/check.h"
#include "util/lammps.h"

#include <math.h>
#include <omp.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* index of each id (ids are 1..maxid) */
static long *id_slots(const am_system *s, long long *maxid)
{
    *maxid = 0;
    for (size_t i = 0; i < s->n; i++)
        if (s->id[i] > *maxid) *maxid = s->id[i];
    long *slot = malloc((size_t)(*maxid + 1) * sizeof(long));
    for (long long k = 0; k <= *maxid; k++) slot[k] = -1;
    for (size_t i = 0; i < s->n; i++) slot[s->id[i]] = (long)i;
    return slot;
}

static void against_lammps(const am_system *s, const double radii[2])
{
    if (!check_true(lmp_available(), "LAMMPS (lmp) available")) return;
    const size_t n = s->n;
    const char *dir = scratch_dir("voronoi_radical");
    char cmd[1024];
    /* types follow the system's species order (Cu 1, Zr 2); c_vor: volume
     * and faces per atom, and with neighbors yes the local array (id i, id j,
     * area) of every face; c_eh: the global histogram of faces by edges */
    snprintf(cmd, sizeof cmd,
             "variable r atom (type==1)*%.17g+(type==2)*%.17g\n"
             "compute vor all voronoi/atom radius v_r neighbors yes\n"
             "compute eh all voronoi/atom radius v_r edge_histo 12\n"
             "dump v all custom 1 vor.dump id c_vor[1] c_vor[2]\n"
             "dump_modify v sort id format float %%.17g\n"
             "dump f all local 1 faces.dump c_vor[1] c_vor[2] c_vor[3]\n"
             "dump_modify f format float %%.17g\n"
             "fix eh all ave/time 1 1 1 c_eh mode vector file edges.txt",
             radii[0], radii[1]);
    lmp_result ref;
    const int ok = lmp_run(dir, s, "zero 8.0", "pair_coeff * *", cmd, &ref) == 0;
    if (ok) lmp_result_free(&ref);
    if (!check_true(ok, "LAMMPS compute voronoi/atom radius v_r ran")) return;

    am_voronoi *v;
    if (!check_true(am_voronoi_compute_radical(s, radii, 0.0, &v) == AM_OK, "radical tessellation (%s)",
                    am_error_message()))
        return;
    long long maxid;
    long *slot = id_slots(s, &maxid);
    double *lvol = calloc(n, sizeof(double));
    int *lcn = calloc(n, sizeof(int));
    char line[512];
    size_t got = 0;
    FILE *f = fopen(scratch_file(dir, "vor.dump"), "r");
    int in_atoms = 0;
    while (f && fgets(line, sizeof line, f)) {
        if (line[0] == 'I') { in_atoms = strncmp(line, "ITEM: ATOMS", 11) == 0; continue; }
        long long id;
        double vol, cn;
        if (!in_atoms || sscanf(line, "%lld %lg %lg", &id, &vol, &cn) != 3 || id < 1 || id > maxid || slot[id] < 0)
            continue;
        lvol[slot[id]] = vol;
        lcn[slot[id]] = (int)cn;
        got++;
    }
    if (f) fclose(f);
    check_true(got == n, "LAMMPS volumes and face counts for all %zu atoms (%zu)", n, got);
    double rel = 0, vmin = INFINITY, vmax = 0;
    int dcn = 0;
    for (size_t i = 0; i < n; i++) {
        rel = fmax(rel, fabs(v->volume[i] - lvol[i]) / lvol[i]);
        dcn += v->cn[i] != lcn[i];
        vmin = fmin(vmin, v->volume[i]);
        vmax = fmax(vmax, v->volume[i]);
    }
    check_abs(rel, 0, 1e-10, "volume equals LAMMPS voronoi/atom radius for every atom (largest relative difference; "
                             "cells %.2f..%.2f A^3)", vmin, vmax);
    check_true(dcn == 0, "face count equals LAMMPS for every atom (%d differ)", dcn);

    /* every LAMMPS face (i, j, area) is one of amorph's faces of i, with the
     * same area; counting them covers every amorph face */
    size_t faces = 0, missing = 0;
    double darea = 0;
    f = fopen(scratch_file(dir, "faces.dump"), "r");
    int in_entries = 0;
    while (f && fgets(line, sizeof line, f)) {
        if (line[0] == 'I') { in_entries = strncmp(line, "ITEM: ENTRIES", 13) == 0; continue; }
        long long a, b;
        double area;
        if (!in_entries || sscanf(line, "%lld %lld %lg", &a, &b, &area) != 3) continue;
        faces++;
        if (a < 1 || a > maxid || b < 1 || b > maxid || slot[a] < 0 || slot[b] < 0) { missing++; continue; }
        const size_t i = (size_t)slot[a];
        size_t k = v->first[i];
        while (k < v->first[i + 1] && v->neighbor[k] != (int)slot[b]) k++;
        if (k == v->first[i + 1]) { missing++; continue; }
        darea = fmax(darea, fabs(v->area[k] - area) / area);
    }
    if (f) fclose(f);
    check_true(faces == v->first[n] && missing == 0,
               "LAMMPS lists the same %zu faces, neighbour by neighbour (%zu faces, %zu not amorph's)", v->first[n],
               faces, missing);
    check_abs(darea, 0, 1e-9, "face areas equal LAMMPS's (largest relative difference)");

    /* edges.txt: after comment lines, "step rows", then "k count": faces of
     * k edges for k = 1..12, of more than 12 in row 13 */
    long hist[16] = {0}, mine[16] = {0};
    int rows = 0, header = 0;
    f = fopen(scratch_file(dir, "edges.txt"), "r");
    while (f && fgets(line, sizeof line, f)) {
        int k;
        double c;
        if (line[0] == '#' || sscanf(line, "%d %lg", &k, &c) != 2) continue;
        if (!header++) continue; /* the "step rows" line */
        if (k >= 1 && k <= 13) { hist[k] = (long)c; rows++; }
    }
    if (f) fclose(f);
    for (size_t k = 0; k < v->first[n]; k++) mine[v->order[k] <= 12 ? v->order[k] : 13]++;
    int same = rows == 13;
    for (int e = 1; e <= 13; e++) same &= hist[e] == mine[e];
    check_true(same, "faces by number of edges equal LAMMPS edge_histo: 3..8 edges %ld %ld %ld %ld %ld %ld (amorph "
                     "%ld %ld %ld %ld %ld %ld)",
               hist[3], hist[4], hist[5], hist[6], hist[7], hist[8], mine[3], mine[4], mine[5], mine[6], mine[7],
               mine[8]);
    free(lvol);
    free(lcn);
    free(slot);
    am_voronoi_free(v);
}

/* The two tessellations have the same faces (neighbour by neighbour, with
 * areas and edge counts) and volumes within tol relative. */
static void same_cells(const am_voronoi *a, const am_voronoi *b, double tol, const char *what)
{
    int faces_same = a->first[a->n] == b->first[b->n];
    double dv = 0, da = 0;
    for (size_t i = 0; i < a->n && faces_same; i++) {
        dv = fmax(dv, fabs(a->volume[i] - b->volume[i]) / a->volume[i]);
        faces_same &= a->first[i + 1] - a->first[i] == b->first[i + 1] - b->first[i];
        for (size_t k = a->first[i]; faces_same && k < a->first[i + 1]; k++) {
            size_t q = b->first[i];
            while (q < b->first[i + 1] && b->neighbor[q] != a->neighbor[k]) q++;
            faces_same &= q < b->first[i + 1] && b->order[q] == a->order[k];
            if (q < b->first[i + 1]) da = fmax(da, fabs(a->area[k] - b->area[q]) / a->area[k]);
        }
    }
    check_true(faces_same, "%s: the same faces with the same edge counts for every atom", what);
    check_abs(dv, 0, tol, "%s: volumes (largest relative difference)", what);
    check_abs(da, 0, tol, "%s: face areas (largest relative difference)", what);
}

int main(void)
{
    am_system *s = load_conf(source_path("data/cuzr_glass_2000.data"), "Cu,Zr");
    if (!check_true(s != NULL && s->nspecies == 2, "read the 2000-atom CuZr glass")) return check_exit();
    const double radii[2] = {am_atomic_radius("Cu"), am_atomic_radius("Zr")};
    check_true(radii[0] == 1.28 && radii[1] == 1.58 && am_atomic_radius("Al") == 1.43 &&
                   am_atomic_radius("Xx") == 0.0 && am_atomic_radius("O") == 0.0,
               "radius table: Cu 1.28, Zr 1.58, Al 1.43 A; unknown symbols and oxygen (no metallic radius) 0");
    against_lammps(s, radii);

    am_voronoi *plain, *eq, *shifted, *rad;
    const double equal[2] = {1.4, 1.4};
    am_voronoi_compute(s, 0.0, &plain);
    am_voronoi_compute_radical(s, equal, 0.0, &eq);
    same_cells(plain, eq, 1e-10, "equal radii (1.4 A) and the plain tessellation");
    /* R² + c for every atom moves no face: only R_i² − R_j² enters */
    const double shift[2] = {sqrt(radii[0] * radii[0] + 0.7), sqrt(radii[1] * radii[1] + 0.7)};
    am_voronoi_compute_radical(s, radii, 0.0, &rad);
    am_voronoi_compute_radical(s, shift, 0.0, &shifted);
    same_cells(rad, shifted, 1e-10, "radii with R^2 + 0.7 A^2 and the table's");
    double mean[2][2] = {{0}}; /* [plain|radical][Cu|Zr] */
    size_t count[2] = {0};
    for (size_t i = 0; i < s->n; i++) {
        mean[0][s->type[i]] += plain->volume[i];
        mean[1][s->type[i]] += rad->volume[i];
        count[s->type[i]]++;
    }
    for (int t = 0; t < 2; t++) { mean[0][t] /= (double)count[t]; mean[1][t] /= (double)count[t]; }
    check_true(mean[1][1] > mean[0][1] && mean[1][0] < mean[0][0],
               "larger Zr spheres move volume from Cu to Zr cells: Cu %.3f -> %.3f, Zr %.3f -> %.3f A^3", mean[0][0],
               mean[1][0], mean[0][1], mean[1][1]);

    /* two threads: the pieces join into the same arrays */
    omp_set_num_threads(2);
    am_voronoi *two;
    am_voronoi_compute_radical(s, radii, 0.0, &two);
    omp_set_num_threads(1);
    int bits = two->first[s->n] == rad->first[s->n];
    for (size_t i = 0; bits && i < s->n; i++) bits &= two->volume[i] == rad->volume[i] && two->cn[i] == rad->cn[i];
    for (size_t k = 0; bits && k < rad->first[s->n]; k++)
        bits &= two->area[k] == rad->area[k] && two->neighbor[k] == rad->neighbor[k];
    check_true(bits, "1 and 2 threads give identical cells, bit for bit");
    am_voronoi_free(two);

    const double bad[2] = {1.28, -1.0}, inf[2] = {1.28, INFINITY};
    am_voronoi *none = (am_voronoi *)1;
    check_true(am_voronoi_compute_radical(s, bad, 0.0, &none) == AM_ERR_VALUE && none == NULL &&
                   strstr(am_error_message(), "species Zr"),
               "a negative radius is refused, naming the species: %s", am_error_message());
    check_true(am_voronoi_compute_radical(s, inf, 0.0, &none) == AM_ERR_VALUE, "an infinite radius is refused");

    am_voronoi_free(plain);
    am_voronoi_free(eq);
    am_voronoi_free(rad);
    am_voronoi_free(shifted);
    am_system_free(s);
    return check_exit();
}
