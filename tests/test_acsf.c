/* Behler–Parrinello symmetry functions: hand values on a dimer and two
 * trimers, and on the CuZr glass and a small fcc box (cell edge below 2 Rc,
 * so several images of a neighbour count) every value against a brute-force
 * sum over all atoms and periodic images written here independently of the
 * library: the angle from the law of cosines, G4 as Behler's sum over
 * ordered pairs (j, k ≠ j) halved. Thread counts change nothing; bad
 * parameters are refused. */
#include "util/build.h"
#include "util/check.h"

#include <math.h>
#include <omp.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static const double PI = 3.14159265358979323846;

/* n atoms of the given species (indices into "Cu,Zr") at xyz in a cubic box
 * of edge 40 Å, far from its faces */
static am_system *cluster(size_t n, const double (*xyz)[3], const int *type)
{
    am_system *s;
    if (am_system_alloc(n, 0, &s)) return NULL;
    set_species(s, "Cu,Zr");
    for (int d = 0; d < 3; d++) s->box.len[d] = 40.0;
    for (size_t i = 0; i < n; i++) {
        s->x[i] = 20.0 + xyz[i][0];
        s->y[i] = 20.0 + xyz[i][1];
        s->z[i] = 20.0 + xyz[i][2];
        s->type[i] = type[i];
    }
    return s;
}

static double *acsf_of(const am_system *s, const am_acsf_options *o)
{
    double *g = malloc(s->n * am_acsf_count(o, s->nspecies) * sizeof(double));
    if (am_acsf(s, o, g) != AM_OK) {
        printf("am_acsf: %s\n", am_error_message());
        free(g);
        return NULL;
    }
    return g;
}

/* Hand values (Python's math module, from the definitions in structure.h,
 * Rc = 6 Å): a Cu–Zr dimer at 2.7 Å: exp(−4·0.2²)·½[cos(0.45π)+1] =
 * 0.492724223365248 (Rs = 2.5) and exp(−4·0.3²)·… = 0.403408474455593
 * (Rs = 3); an equilateral triangle of side a = 2.6 Å (cos θ = ½):
 * 2^{1−ζ}(1 + λ/2)^ζ exp(−0.05·3a²) f_c(a)³ = 0.11987599398905 (ζ 1, λ 1),
 * 0.0399586646630168 (1, −1), 0.0505726849641306 (4, 1),
 * 0.000624354135359637 (4, −1); a right angle with legs 2.5 and 3 Å
 * (cos θ = 0): 0.0186152921641911 (ζ 1, λ 1), 0.00232691152052388 (4, −1). */
static void hand_values(void)
{
    am_acsf_options o;
    am_acsf_defaults(&o);
    check_true(o.cutoff == 6.0 && o.ng2 == 7 && o.ng4 == 4 && am_acsf_count(&o, 2) == 26 && am_acsf_count(&o, 1) == 11,
               "default grid: Rc 6 A, 7 G2 and 4 G4 sets: 26 functions for two species, 11 for one");
    const double dimer[2][3] = {{0, 0, 0}, {2.7, 0, 0}};
    const int cu_zr[2] = {0, 1};
    am_system *s = cluster(2, dimer, cu_zr);
    double *g = acsf_of(s, &o);
    if (g) {
        check_abs(g[1], 0.492724223365248, 1e-14, "dimer: Cu's G2 (eta 4, Rs 2.5) over Zr neighbours");
        check_abs(g[3], 0.403408474455593, 1e-14, "dimer: Cu's G2 (eta 4, Rs 3.0) over Zr neighbours");
        check_abs(g[26 + 0], 0.492724223365248, 1e-14, "dimer: Zr's G2 (eta 4, Rs 2.5) over Cu neighbours");
        double other = 0;
        for (int c = 0; c < 26; c++)
            if (c != 1 && c != 3 && c != 5 && c != 7 && c != 9 && c != 11 && c != 13) other = fmax(other, fabs(g[c]));
        check_abs(other, 0, 0, "dimer: Cu has no Cu neighbour and no angle (G2 over Cu and every G4 are 0)");
    }
    free(g);
    am_system_free(s);

    const double a = 2.6, tri[3][3] = {{0, 0, 0}, {a, 0, 0}, {a / 2, a * sqrt(3.0) / 2, 0}};
    const int cu_cu_zr[3] = {0, 0, 1};
    s = cluster(3, tri, cu_cu_zr);
    g = acsf_of(s, &o);
    if (g) {
        /* G4 (ζ, λ) set p, pair (Cu,Zr) = 1 for atom 0, (Cu,Cu) = 0 for atom 2 */
        const double want[4] = {0.11987599398905, 0.0399586646630168, 0.0505726849641306, 0.000624354135359637};
        double d = 0, wrong_pair = 0;
        for (int p = 0; p < 4; p++) {
            d = fmax(d, fabs(g[14 + 3 * p + 1] - want[p]) / want[p]);
            d = fmax(d, fabs(g[2 * 26 + 14 + 3 * p + 0] - want[p]) / want[p]);
            wrong_pair = fmax(wrong_pair, fabs(g[14 + 3 * p]) + fabs(g[14 + 3 * p + 2]));
        }
        check_abs(d, 0, 1e-13, "equilateral Cu-Cu-Zr: G4 for the four (zeta, lambda) sets, on the right species pair");
        check_abs(wrong_pair, 0, 0, "equilateral Cu-Cu-Zr: the other species pairs of atom 0 are 0");
    }
    free(g);
    am_system_free(s);

    const double right[3][3] = {{0, 0, 0}, {2.5, 0, 0}, {0, 3.0, 0}};
    const int cu3[3] = {0, 0, 0};
    s = cluster(3, right, cu3);
    g = acsf_of(s, &o);
    if (g) {
        check_abs(g[14 + 0], 0.0186152921641911, 1e-15, "right angle: G4 (zeta 1, lambda 1) of the corner atom");
        check_abs(g[14 + 9], 0.00232691152052388, 1e-15, "right angle: G4 (zeta 4, lambda -1) of the corner atom");
    }
    free(g);
    am_system_free(s);
}

static double fc(double r, double rc) { return r < rc ? 0.5 * (cos(PI * r / rc) + 1.0) : 0.0; }

/* The definitions summed over every atom j and periodic image n with
 * |n_a| <= reach (orthogonal box), straight from structure.h, into
 * ref[i*count + c]. */
static void brute_force(const am_system *s, const am_acsf_options *o, int reach, double *ref)
{
    const int nsp = s->nspecies, npair = nsp * (nsp + 1) / 2;
    const size_t count = am_acsf_count(o, nsp);
    const double rc = o->cutoff;
    double (*d)[3] = malloc(4096 * sizeof *d);
    int *sp = malloc(4096 * sizeof(int));
    for (size_t i = 0; i < s->n; i++) {
        double *out = ref + i * count;
        memset(out, 0, count * sizeof(double));
        int m = 0;
        for (size_t j = 0; j < s->n; j++)
            for (int a = -reach; a <= reach; a++)
                for (int b = -reach; b <= reach; b++)
                    for (int c = -reach; c <= reach; c++) {
                        if (j == i && a == 0 && b == 0 && c == 0) continue;
                        const double v[3] = {s->x[j] + a * s->box.len[0] - s->x[i], s->y[j] + b * s->box.len[1] - s->y[i],
                                             s->z[j] + c * s->box.len[2] - s->z[i]};
                        if (sqrt(v[0] * v[0] + v[1] * v[1] + v[2] * v[2]) >= rc || m == 4096) continue;
                        memcpy(d[m], v, sizeof v);
                        sp[m++] = s->type[j];
                    }
        for (int j = 0; j < m; j++) {
            const double r = sqrt(d[j][0] * d[j][0] + d[j][1] * d[j][1] + d[j][2] * d[j][2]);
            for (int p = 0; p < o->ng2; p++)
                out[p * nsp + sp[j]] += exp(-o->g2[p].eta * (r - o->g2[p].rs) * (r - o->g2[p].rs)) * fc(r, rc);
        }
        /* Behler's ordered sum over j and k != j, halved: each pair once */
        for (int j = 0; j < m; j++)
            for (int k = 0; k < m; k++) {
                if (k == j) continue;
                const double rij = sqrt(d[j][0] * d[j][0] + d[j][1] * d[j][1] + d[j][2] * d[j][2]);
                const double rik = sqrt(d[k][0] * d[k][0] + d[k][1] * d[k][1] + d[k][2] * d[k][2]);
                const double e[3] = {d[k][0] - d[j][0], d[k][1] - d[j][1], d[k][2] - d[j][2]};
                const double rjk = sqrt(e[0] * e[0] + e[1] * e[1] + e[2] * e[2]);
                const double cosine = (rij * rij + rik * rik - rjk * rjk) / (2 * rij * rik);
                const int lo = sp[j] < sp[k] ? sp[j] : sp[k], hi = sp[j] < sp[k] ? sp[k] : sp[j];
                int pair = 0;
                for (int b = 0; b < lo; b++) pair += nsp - b;
                pair += hi - lo;
                for (int p = 0; p < o->ng4; p++) {
                    const am_acsf_g4 *f = &o->g4[p];
                    const double base = fmax(0.0, 1 + f->lambda * cosine);
                    out[o->ng2 * nsp + p * npair + pair] += 0.5 * pow(2, 1 - f->zeta) * pow(base, f->zeta) *
                                                            exp(-f->eta * (rij * rij + rik * rik + rjk * rjk)) *
                                                            fc(rij, rc) * fc(rik, rc) * fc(rjk, rc);
                }
            }
    }
    free(d);
    free(sp);
}

/* Largest |library − brute force| / (|brute force| + 1e-3) over every value. */
static double compare(const am_system *s, const am_acsf_options *o, int reach)
{
    const size_t count = am_acsf_count(o, s->nspecies);
    double *g = acsf_of(s, o), *ref = malloc(s->n * count * sizeof(double)), worst = g ? 0 : INFINITY;
    brute_force(s, o, reach, ref);
    for (size_t k = 0; g && k < s->n * count; k++) worst = fmax(worst, fabs(g[k] - ref[k]) / (fabs(ref[k]) + 1e-3));
    free(g);
    free(ref);
    return worst;
}

int main(void)
{
    hand_values();

    am_system *s = load_conf(source_path("tests/data/cuzr_glass_432.data"), "Cu,Zr");
    if (!check_true(s != NULL, "glass loaded")) return check_exit();
    am_acsf_options o;
    am_acsf_defaults(&o);
    check_abs(compare(s, &o, 1), 0, 1e-12, "glass, default grid: all 26 functions of every atom equal the brute force");
    /* other parameters: Rs = 0 and η = 0 (a plain cutoff-weighted count),
     * a non-integer ζ, a longer cutoff */
    const am_acsf_g2 g2[2] = {{0.5, 0.0}, {0.0, 0.0}};
    const am_acsf_g4 g4[3] = {{0.0, 1.0, 1}, {0.01, 2.5, -1}, {0.1, 16.0, 1}};
    const am_acsf_options custom = {7.5, g2, 2, g4, 3};
    check_abs(compare(s, &custom, 1), 0, 1e-12, "glass, custom sets, Rc 7.5 A: every value equals the brute force");

    /* 1 and 2 threads */
    double *g1 = acsf_of(s, &o);
    omp_set_num_threads(2);
    double *g2v = acsf_of(s, &o);
    omp_set_num_threads(1);
    check_true(g1 && g2v && memcmp(g1, g2v, s->n * 26 * sizeof(double)) == 0, "1 and 2 threads: identical bits");
    free(g1);
    free(g2v);

    /* bad parameters */
    const am_acsf_g2 neg[1] = {{-1.0, 2.0}};
    const am_acsf_g4 z0[1] = {{0.05, 0.5, 1}}, l0[1] = {{0.05, 1.0, 0}};
    const am_acsf_options bad[5] = {
        {0.0, g2, 2, NULL, 0}, {6.0, neg, 1, NULL, 0}, {6.0, NULL, 0, z0, 1}, {6.0, NULL, 0, l0, 1}, {6.0, NULL, 0, NULL, 0},
    };
    const char *what[5] = {"a zero cutoff", "a negative eta", "zeta below 1", "lambda 0", "no functions at all"};
    double dummy[8];
    for (int k = 0; k < 5; k++)
        check_true(am_acsf(s, &bad[k], dummy) == AM_ERR_VALUE, "%s is refused: %s", what[k], am_error_message());
    am_system_free(s);

    /* a box of edge 7.2 A < 2 Rc: an atom sees several images of the same
     * neighbour and of itself */
    s = build_lattice("fcc", 3.615, 2, 2, 2, "Cu,Zr");
    rattle(s, 0.15, 7);
    check_abs(compare(s, &o, 2), 0, 1e-12, "fcc 2x2x2 (7.2 A box), rattled: every value equals the brute force over images");
    am_system_free(s);
    return check_exit();
}
