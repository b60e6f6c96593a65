/* The particle-mesh preconditioner (src/minimize/precon.c) on the shipped
 * 2 000-atom glass, orthogonal and sheared:
 *
 * 1. It is an inverse-Hessian model L-BFGS can use: symmetric (a·Pb = b·Pa
 *    to round-off), positive definite (a·Pa ≥ a·a / k_ref), a rigid
 *    translation only scaled by 1/k_ref (the mesh part has no k = 0 term).
 * 2. Its physics: on a long wave u of wavevector q the mesh part is the
 *    continuum's 1/(Ω μ_ref q²) per atom (Ω = V/N), times the cloud-in-cell
 *    window of spreading and interpolating, Π sinc⁴(q·a_k / 2N_k) over the
 *    cell's N_k cells along a_k, within 8 %: the rest is the grid's own
 *    O((q h)²), the 7-point Laplacian's symbol (+5 % at the longest wave of
 *    this 34 Å box in 4 Å cells) and the atoms' scatter.
 * 3. Without a mesh where it cannot help: a box under 4 cells across, not
 *    periodic, or far sparser than a solid. */
#include "util/build.h"
#include "util/check.h"

#include "minimize/min.h"

#include <math.h>
#include <stdlib.h>

static const double PI = 3.14159265358979323846;

static double dot(const double *a, const double *b, size_t n)
{
    double s = 0;
    for (size_t i = 0; i < n; i++) s += a[i] * b[i];
    return s;
}

static void fill_random(double *a, size_t n, unsigned long long seed)
{
    for (size_t i = 0; i < n; i++) {
        seed = seed * 6364136223846793005ULL + 1442695040888963407ULL;
        a[i] = (double)(seed >> 11) / 9007199254740992.0 - 0.5;
    }
}

static double sinc(double x) { return x == 0 ? 1.0 : sin(x) / x; }

static void algebra(const char *what, am_pm_precon *p, size_t n3)
{
    double *a = malloc(n3 * sizeof(double)), *b = malloc(n3 * sizeof(double));
    double *pa = malloc(n3 * sizeof(double)), *pb = malloc(n3 * sizeof(double));
    double *qa = malloc(n3 * sizeof(double));
    fill_random(a, n3, 1);
    fill_random(b, n3, 2);
    am_pm_precon_apply(p, a, pa, b, pb);
    const double ab = dot(a, pb, n3), ba = dot(b, pa, n3);
    check_abs(ab, ba, 1e-12 * sqrt(dot(a, a, n3) * dot(pb, pb, n3)), "%s: symmetric, a.Pb %.12g = b.Pa %.12g", what,
              ab, ba);
    const double aa = dot(a, pa, n3) * AM_PM_K_REF / dot(a, a, n3);
    check_true(aa > 1.0, "%s: a.Pa / (a.a / k_ref) = %.4f > 1 (positive definite)", what, aa);
    /* one vector alone (two fields per transform) as with a second one (three) */
    am_pm_precon_apply(p, a, qa, NULL, NULL);
    double dif = 0;
    for (size_t i = 0; i < n3; i++) dif = fmax(dif, fabs(qa[i] - pa[i]));
    check_true(dif < 1e-12 * sqrt(dot(pa, pa, n3)), "%s: P a alone = with a second vector (%.2g)", what, dif);
    for (size_t i = 0; i < n3; i++) a[i] = i % 3 == 1 ? 0.3 : 0.0;
    am_pm_precon_apply(p, a, pa, NULL, NULL);
    dif = 0;
    for (size_t i = 0; i < n3; i++) dif = fmax(dif, fabs(pa[i] - a[i] / AM_PM_K_REF));
    check_true(dif < 1e-12, "%s: a translation scaled by 1/k_ref alone (%.2g)", what, dif);
    free(a); free(b); free(pa); free(pb); free(qa);
}

/* the long wave e_pol cos(q.r) with q = 2 pi H^-T m */
static void long_wave(const char *what, am_pm_precon *p, const am_system *s, const int m[3], int pol, double tol)
{
    const size_t n = s->n, n3 = 3 * n;
    double *u = calloc(n3, sizeof(double)), *pu = malloc(n3 * sizeof(double));
    double q[3] = {0, 0, 0}, sf[3];
    for (size_t i = 0; i < n; i++) {
        const double r[3] = {s->x[i], s->y[i], s->z[i]};
        am_box_to_frac(&s->box, r, sf);
        u[3 * i + pol] = cos(2 * PI * (m[0] * sf[0] + m[1] * sf[1] + m[2] * sf[2]));
    }
    /* q from its components along the reciprocal vectors: q.a_k = 2 pi m_k */
    const double lx = s->box.len[0], ly = s->box.len[1], lz = s->box.len[2];
    const double xy = s->box.tilt[0], xz = s->box.tilt[1], yz = s->box.tilt[2];
    q[0] = 2 * PI * m[0] / lx;
    q[1] = (2 * PI * m[1] - xy * q[0]) / ly;
    q[2] = (2 * PI * m[2] - xz * q[0] - yz * q[1]) / lz;
    const double q2 = dot(q, q, 3);
    /* the window of the cloud-in-cell passes, two along each cell direction */
    int ng[3];
    am_pm_precon_grid(p, ng);
    double win = 1.0;
    for (int a = 0; a < 3; a++) win *= pow(sinc(PI * m[a] / ng[a]), 4);
    am_pm_precon_apply(p, u, pu, NULL, NULL);
    const double omega = am_box_volume(&s->box) / (double)n;
    const double mesh = dot(u, pu, n3) / dot(u, u, n3) - 1.0 / AM_PM_K_REF;
    const double want = win / (omega * AM_PM_MU_REF * q2);
    check_rel(mesh, want, tol, "%s: m = (%d %d %d) along %c: mesh part %.4f A^2/eV, the continuum's 1/(Omega mu q^2) "
              "x window %.4f", what, m[0], m[1], m[2], "xyz"[pol], mesh, want);
    free(u); free(pu);
}

int main(void)
{
    am_system *s = load_conf(source_path("data/cuzr_glass_2000.data"), "Cu,Zr");
    if (!check_true(s != NULL, "shipped glass")) return check_exit();
    const size_t n = s->n, n3 = 3 * n;
    double *x = malloc(n3 * sizeof(double));
    for (int sheared = 0; sheared < 2; sheared++) {
        const char *what = sheared ? "sheared box" : "cubic box";
        if (sheared) shear_box(s, 4.0, -3.0, 2.5);
        for (size_t i = 0; i < n; i++) { x[3 * i] = s->x[i]; x[3 * i + 1] = s->y[i]; x[3 * i + 2] = s->z[i]; }
        am_pm_precon *p = NULL;
        if (!check_true(am_pm_precon_alloc(&s->box, x, n, &p) == AM_OK && p, "%s: a mesh", what)) break;
        algebra(what, p, n3);
        /* the longest waves, where a glass is a continuum; the window's
         * estimate ignores the atoms' scatter about the cells (~1/sqrt(N)) */
        const int waves[][3] = {{1, 0, 0}, {0, 1, 0}, {0, 0, 1}, {1, 1, 0}, {1, -1, 1}};
        for (size_t k = 0; k < sizeof waves / sizeof *waves; k++) long_wave(what, p, s, waves[k], (int)(k % 3), 0.08);
        am_pm_precon_free(p);
    }
    /* too small: a 2 x 2 x 2 fcc cell of 7.2 Å (under 4 cells of 4 Å) */
    am_system *c = build_lattice("fcc", 3.615, 2, 2, 2, "Cu");
    double xc[3 * 32];
    for (size_t i = 0; c && i < c->n; i++) { xc[3 * i] = c->x[i]; xc[3 * i + 1] = c->y[i]; xc[3 * i + 2] = c->z[i]; }
    am_pm_precon *p = (am_pm_precon *)1;
    check_true(c && am_pm_precon_alloc(&c->box, xc, c->n, &p) == AM_OK && p == NULL, "a 7 A box: no mesh");
    /* a gas: the glass's first 20 atoms in its box */
    p = (am_pm_precon *)1;
    check_true(am_pm_precon_alloc(&s->box, x, 20, &p) == AM_OK && p == NULL, "20 atoms in a 34 A box: no mesh");
    s->box.periodic[2] = 0;
    p = (am_pm_precon *)1;
    check_true(am_pm_precon_alloc(&s->box, x, n, &p) == AM_OK && p == NULL, "a slab, not periodic along z: no mesh");
    am_system_free(c);
    am_system_free(s);
    free(x);
    return check_exit();
}
