/* Voronoi cross-check against an independent program: the voro++ command-line
 * tool (Debian package voro++, /usr/bin/voro++). The LAMMPS-made CuZr glass is
 * written in the tool's input format (id x y z, wrapped into the box; id x y z r
 * for the radical tessellation, the tool's -r), the tool runs with periodic
 * boundaries in x, y and z and a custom output line per particle, and every
 * atom's Voronoi index <n3..n10>, CN, neighbour ids and volume must match
 * am_voronoi_compute_radical(s, radii, 0.0, ...), plain (radii NULL) and with
 * per-species radii.
 *
 * The tool only knows rectangular containers (-p makes them periodic), so the
 * comparison needs an orthogonal box; the glass is orthogonal, checked below.
 * amorph tessellates through voro++'s container_periodic, the tool through the
 * rectangular container, so the two share the library but not the code path. */
#include "util/build.h"
#include "util/check.h"

#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define NORD 8 /* n3 .. n10 */

/* One output line of the tool, parsed. */
typedef struct row {
    long long id;
    double vol;
    int nfaces;
    int index[NORD];
    int freq_total;  /* sum of the face-order frequency table */
    int nnb;
    long long nb[64];
} row;

static int cmp_ll(const void *a, const void *b)
{
    const long long x = *(const long long *)a, y = *(const long long *)b;
    return (x > y) - (x < y);
}

/* Line format, from -c "%i %v %s %A | %n":
 *   id volume nfaces f0 f1 ... fmax | nb1 nb2 ...
 * where fk is the number of faces with k edges (the table starts at k = 0).
 * Returns 1 on success. */
static int parse_row(char *line, row *r)
{
    memset(r, 0, sizeof *r);
    char *p = line, *e;
    r->id = strtoll(p, &e, 10);
    if (e == p) return 0;
    p = e;
    r->vol = strtod(p, &e);
    if (e == p) return 0;
    p = e;
    r->nfaces = (int)strtol(p, &e, 10);
    if (e == p) return 0;
    p = e;
    for (int k = 0;; k++) {
        while (*p == ' ') p++;
        if (*p == '|') { p++; break; }
        long f = strtol(p, &e, 10);
        if (e == p || f < 0) return 0;
        p = e;
        r->freq_total += (int)f;
        if (k >= 3) r->index[(k > AM_VORO_MAXORDER ? AM_VORO_MAXORDER : k) - 3] += (int)f;
    }
    for (;;) {
        long long j = strtoll(p, &e, 10);
        if (e == p) break;
        if (r->nnb == (int)(sizeof r->nb / sizeof r->nb[0])) return 0;
        r->nb[r->nnb++] = j;
        p = e;
    }
    while (*p == ' ' || *p == '\n' || *p == '\r') p++;
    return *p == '\0';
}

/* Half a unit in the last place of a positive value printed by "%g" (six
 * significant digits): the rounding error of the tool's printed volume. */
static double half_ulp_g6(double v) { return 0.5 * pow(10.0, floor(log10(v)) - 5.0); }

/* The tool against amorph on s, plain (radii NULL) or radical (one radius
 * per species, A); label names the case in every check. */
static void against_tool(const am_system *s, const double *radii, const char *label)
{
    const size_t n = s->n;
    const am_box *b = &s->box;

    /* input file: id x y z [r], positions wrapped into [lo, lo + len) */
    const char *dir = scratch_dir(radii ? "voronoi_cli_radical" : "voronoi_cli");
    const char *in = scratch_file(dir, "glass");
    FILE *f = fopen(in, "w");
    if (!check_true(f != NULL, "write %s", in)) return;
    long long maxid = 0;
    for (size_t i = 0; i < n; i++) {
        const double r[3] = {s->x[i], s->y[i], s->z[i]};
        double w[3];
        for (int d = 0; d < 3; d++) {
            double u = (r[d] - b->lo[d]) / b->len[d];
            u -= floor(u);
            if (u >= 1.0) u = 0.0;
            w[d] = b->lo[d] + u * b->len[d];
        }
        fprintf(f, "%lld %.17g %.17g %.17g", s->id[i], w[0], w[1], w[2]);
        if (radii) fprintf(f, " %.17g", radii[s->type[i]]);
        fprintf(f, "\n");
        if (s->id[i] > maxid) maxid = s->id[i];
    }
    fclose(f);

    /* -p: periodic in x, y, z; -o: output in input order; -r: radii in the
     * fifth column; the tool writes <input>.vol. */
    const char *fmt = "%i %v %s %A | %n";
    int rc = run_cmd("voro++ -p -o %s-c '%s' %.17g %.17g %.17g %.17g %.17g %.17g '%s'", radii ? "-r " : "", fmt,
                     b->lo[0], b->lo[0] + b->len[0], b->lo[1], b->lo[1] + b->len[1], b->lo[2], b->lo[2] + b->len[2], in);
    check_true(rc == 0, "%s: voro++ -p -o %s-c '%s' ... ran (status %d)", label, radii ? "-r " : "", fmt, rc);

    am_voronoi *v = NULL;
    if (!check_true(am_voronoi_compute_radical(s, radii, 0.0, &v) == AM_OK, "%s: amorph tessellated the glass (%s)",
                    label, am_error_message()))
        return;

    /* system index of each id */
    long *slot = malloc((size_t)(maxid + 1) * sizeof(long));
    int *seen = calloc(n, sizeof(int));
    for (long long k = 0; k <= maxid; k++) slot[k] = -1;
    for (size_t i = 0; i < n; i++) slot[s->id[i]] = (long)i;

    char out[4200];
    snprintf(out, sizeof out, "%s.vol", in);
    FILE *g = fopen(out, "r");
    check_true(g != NULL, "%s: voro++ wrote %s", label, out);
    long rows = 0, bad_lines = 0, dup = 0, idx_bad = 0, cn_bad = 0, nb_bad = 0, table_bad = 0, vol_bad = 0;
    double dv_max = 0, ratio_max = 0, vsum = 0, vsum_tol = 0;
    long text_bad = 0;
    char line[8192];
    row r;
    while (g && fgets(line, sizeof line, g)) {
        if (!parse_row(line, &r) || !(r.vol > 0) || r.id < 1 || r.id > maxid || slot[r.id] < 0) {
            if (bad_lines++ < 3) printf("unparsed line: %s", line);
            continue;
        }
        const size_t i = (size_t)slot[r.id];
        if (seen[i]++) { dup++; continue; }
        rows++;
        vsum += r.vol;
        vsum_tol += half_ulp_g6(r.vol);

        /* the frequency table counts every face once */
        if (r.freq_total != r.nfaces || r.nnb != r.nfaces) table_bad++;

        int same = 1;
        for (int k = 0; k < NORD; k++) same &= r.index[k] == v->index[NORD * i + k];
        if (!same && idx_bad++ < 5) {
            const int *a = v->index + NORD * i;
            printf("id %lld: voro++ <%d,%d,%d,%d,%d,%d,%d,%d>, amorph <%d,%d,%d,%d,%d,%d,%d,%d>\n", r.id, r.index[0],
                   r.index[1], r.index[2], r.index[3], r.index[4], r.index[5], r.index[6], r.index[7], a[0], a[1], a[2],
                   a[3], a[4], a[5], a[6], a[7]);
        }
        if (r.nfaces != v->cn[i] && cn_bad++ < 5) printf("id %lld: voro++ CN %d, amorph %d\n", r.id, r.nfaces, v->cn[i]);

        /* neighbour ids, as sorted lists */
        long long mine[64];
        int m = 0, nb_same = (int)(v->first[i + 1] - v->first[i]) == r.nnb;
        for (size_t k = v->first[i]; nb_same && k < v->first[i + 1]; k++) mine[m++] = s->id[v->neighbor[k]];
        if (nb_same) {
            qsort(mine, (size_t)m, sizeof mine[0], cmp_ll);
            qsort(r.nb, (size_t)r.nnb, sizeof r.nb[0], cmp_ll);
            for (int k = 0; k < m; k++) nb_same &= mine[k] == r.nb[k];
        }
        if (!nb_same) nb_bad++;

        /* The tool prints the volume with "%g", six significant digits (the
         * cells here are 13.7-24.4 A^3, so 1e-4 A^3 resolution): the printed
         * value is within half a unit in its last place of the exact one.
         * amorph's volume differs from the tool's unrounded one only by the
         * round-off of the two container types (measured below 1e-13 A^3 with
         * voro++'s rectangular periodic container), so allow 1e-9 relative on
         * top of the printing error. */
        const double dv = fabs(r.vol - v->volume[i]);
        const double tol = half_ulp_g6(r.vol) * (1 + 1e-9) + 1e-9 * r.vol;
        dv_max = fmax(dv_max, dv);
        ratio_max = fmax(ratio_max, dv / tol);
        if (dv > tol && vol_bad++ < 5)
            printf("id %lld: voro++ volume %g, amorph %.10g (diff %.3g > %.3g)\n", r.id, r.vol, v->volume[i], dv, tol);
        /* and amorph's volume printed the tool's way is the tool's text */
        char mine_txt[64], its_txt[64];
        snprintf(mine_txt, sizeof mine_txt, "%g", v->volume[i]);
        snprintf(its_txt, sizeof its_txt, "%g", r.vol);
        text_bad += strcmp(mine_txt, its_txt) != 0;
    }
    if (g) fclose(g);

    check_true(bad_lines == 0 && dup == 0, "%s: every line of the voro++ output parsed (%ld unparsed, %ld repeated)",
               label, bad_lines, dup);
    check_true(rows == (long)n && n == 432, "%s: voro++ reported a cell for each of the %zu atoms (%ld rows)", label, n, rows);
    check_true(table_bad == 0, "%s: voro++ face-order table and neighbour list both count its faces (%ld atoms differ)",
               label, table_bad);
    check_true(rows > 0 && idx_bad == 0, "%s: Voronoi index <n3..n10> identical for all %ld atoms (%ld differ)", label,
               rows, idx_bad);
    check_true(rows > 0 && cn_bad == 0, "%s: CN identical for all %ld atoms (%ld differ)", label, rows, cn_bad);
    check_true(rows > 0 && nb_bad == 0, "%s: neighbour ids identical for all %ld atoms (%ld differ)", label, rows, nb_bad);
    check_true(rows > 0 && text_bad == 0, "%s: volume printed with %%g identical to voro++'s for all %ld atoms (%ld differ)",
               label, rows, text_bad);
    check_true(rows > 0 && vol_bad == 0,
               "%s: volume equals voro++'s six printed digits for all %ld atoms (max |diff| %.3g A^3, "
               "max diff / tolerance %.3f)",
               label, rows, dv_max, ratio_max);
    /* each printed volume is off by at most half its last place, so the sum
     * is off by at most the sum of those */
    check_abs(vsum, am_box_volume(b), vsum_tol + 1e-9 * am_box_volume(b),
              "%s: voro++ volumes (as printed) sum to the box volume (A^3)", label);

    free(slot);
    free(seen);
    am_voronoi_free(v);
}

int main(void)
{
    am_system *s = load_conf(source_path("tests/data/cuzr_glass_432.data"), "Cu,Zr");
    if (!check_true(s != NULL, "read the CuZr glass")) return check_exit();
    const am_box *b = &s->box;
    check_true(s->n == 432, "glass has 432 atoms (%zu)", s->n);
    const int ortho = !am_box_is_triclinic(b);
    if (check_true(ortho && b->periodic[0] && b->periodic[1] && b->periodic[2],
                   "glass box is orthogonal and fully periodic (the voro++ CLI handles only rectangular boxes)") &&
        check_true(program_available("voro++"),
                   "voro++ command-line tool on PATH (declared dependency: Debian package voro++, "
                   "installed by scripts/install-deps.sh)")) {
        against_tool(s, NULL, "plain");
        /* the tabulated metallic radii of Cu and Zr (am_atomic_radius) */
        const double radii[2] = {1.28, 1.58};
        against_tool(s, radii, "radical (Cu 1.28, Zr 1.58 A)");
    }
    am_system_free(s);
    return check_exit();
}
