/* Voronoi descriptors: perfect crystals give their known cells, volumes tile
 * the cell (orthogonal and triclinic; plain and radical), and the face-area
 * threshold drops small faces. */
#include "util/build.h"
#include "util/check.h"

#include <math.h>
#include <stdio.h>

static void crystal(const char *kind, double a, const char *species, const int want[8], int cn, double vol)
{
    am_system *s = build_lattice(kind, a, 3, 3, 3, species);
    am_voronoi *v;
    if (!check_true(am_voronoi_compute(s, 0.0, &v) == AM_OK, "%s: tessellated (%s)", kind, am_error_message())) return;
    int ok = 1;
    double dv = 0;
    for (size_t i = 0; i < s->n; i++) {
        for (int k = 0; k < 8; k++) ok &= v->index[8 * i + k] == want[k];
        ok &= v->cn[i] == cn;
        dv = fmax(dv, fabs(v->volume[i] - vol));
    }
    check_true(ok, "%s: every atom has index <%d,%d,%d,%d> and CN %d", kind, want[0], want[1], want[2], want[3], cn);
    check_abs(dv, 0, 1e-9 * vol, "%s: every cell volume is %.4f A^3", kind, vol);
    am_voronoi_free(v);
    am_system_free(s);
}

/* radii: NULL for the plain tessellation, else one per species (A) */
static void tiling(const char *label, am_system *s, const double *radii)
{
    am_voronoi *v;
    if (!check_true(am_voronoi_compute_radical(s, radii, 0.0, &v) == AM_OK, "%s: tessellated", label)) return;
    double sum = 0;
    long faces = 0, sym = 0;
    for (size_t i = 0; i < s->n; i++) sum += v->volume[i];
    /* every face is seen from both sides */
    for (size_t i = 0; i < s->n; i++)
        for (size_t k = v->first[i]; k < v->first[i + 1]; k++) {
            const int j = v->neighbor[k];
            faces++;
            for (size_t q = v->first[j]; q < v->first[j + 1]; q++)
                if (v->neighbor[q] == (int)i) { sym++; break; }
        }
    check_rel(sum, am_box_volume(&s->box), 1e-10, "%s: Voronoi volumes sum to the cell volume", label);
    check_true(faces == sym, "%s: neighbour relation is symmetric (%ld faces)", label, faces);
    am_voronoi *t;
    am_voronoi_compute_radical(s, radii, 0.05, &t);
    long fewer = 0;
    int same_volume = 1;
    for (size_t i = 0; i < s->n; i++) {
        fewer += v->cn[i] - t->cn[i];
        same_volume &= v->volume[i] == t->volume[i];
    }
    check_true(fewer > 0, "%s: a 5%% face-area threshold drops %ld small faces", label, fewer);
    check_true(same_volume, "%s: the threshold leaves every volume as it was", label);
    am_voronoi_free(t);
    am_voronoi_free(v);
}

int main(void)
{
    const int fcc[8] = {0, 12, 0, 0, 0, 0, 0, 0}, bcc[8] = {0, 6, 0, 8, 0, 0, 0, 0};
    crystal("fcc", 3.615, "Cu", fcc, 12, 3.615 * 3.615 * 3.615 / 4);
    crystal("bcc", 3.3, "Zr", bcc, 14, 3.3 * 3.3 * 3.3 / 2);
    crystal("b2", 3.26, "Cu,Zr", bcc, 14, 3.26 * 3.26 * 3.26 / 2);

    /* the centre of an icosahedron: 12 pentagonal faces */
    am_system *ico = build_icosahedron(2.5, 30.0);
    am_voronoi *iv;
    if (check_true(ico && am_voronoi_compute(ico, 0.0, &iv) == AM_OK, "icosahedron tessellated")) {
        const int *x = iv->index;
        check_true(x[0] == 0 && x[1] == 0 && x[2] == 12 && x[3] == 0 && iv->cn[0] == 12,
                   "icosahedron centre: <%d,%d,%d,%d>, CN %d (want <0,0,12,0>, 12)", x[0], x[1], x[2], x[3], iv->cn[0]);
        am_voronoi_free(iv);
    }
    am_system_free(ico);

    am_system *s = load_conf(source_path("tests/data/cuzr_glass_432.data"), "Cu,Zr");
    if (check_true(s != NULL, "read the CuZr glass")) {
        const double radii[2] = {1.28, 1.58};
        tiling("CuZr glass", s, NULL);
        tiling("CuZr glass, radical (Cu 1.28, Zr 1.58 A)", s, radii);
        shear_box(s, 4.0, -3.0, 2.5);
        tiling("sheared (triclinic) CuZr glass", s, NULL);
        tiling("sheared (triclinic) CuZr glass, radical", s, radii);
        am_system_free(s);
    }
    return check_exit();
}
