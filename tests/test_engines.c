/* Force engines as kinds (docs/engines.md): what a potential says of its
 * kind and units, hashes that tell potentials apart, the whole-system
 * region of kinds without a local one (LJ; and EAM made to use it) against
 * full evaluations and against EAM's local region, and species that the
 * potential does not have. */
#include "potential/engine_type.h"
#include "util/build.h"
#include "util/check.h"

#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static void kinds_and_units(const am_potential *eam, const am_potential *lj)
{
    check_true(strcmp(am_potential_kind(eam), "eam/fs") == 0 && strcmp(am_potential_units(eam), "metal") == 0 &&
                   am_potential_style(eam) == AM_EAM_FS,
               "EAM/FS: kind eam/fs, metal units");
    check_true(strcmp(am_potential_kind(lj), "lj/cut") == 0 && strcmp(am_potential_units(lj), "lj") == 0 &&
                   am_potential_style(lj) == AM_LJ_CUT,
               "LJ: kind lj/cut, lj units");
    const am_units *m = am_units_of("metal"), *l = am_units_of("lj");
    check_true(m && l && !am_units_of("real") && m->nktv2p == AM_EV_A3_TO_BAR && l->nktv2p == 1.0 &&
                   strcmp(m->energy, "eV") == 0 && strcmp(l->energy, "epsilon") == 0,
               "unit tables: metal (eV, bar), lj (epsilon, nktv2p 1), no others");
}

static void hashes(const char *dir, const am_potential *eam, const am_potential *lj)
{
    const char *ka = am_potential_resolve("kob-andersen");
    am_potential *again = NULL, *other = NULL;
    const char *path = scratch_file(dir, "ka_eps_ab.lj");
    FILE *f = fopen(path, "w");
    if (f) {
        fputs("types A B\npair_style lj/cut 2.5\npair_modify shift yes\npair_coeff A A 1 1 2.5\n"
              "pair_coeff A B 1.5000001 0.8 2.0\npair_coeff B B 0.5 0.88 2.2\n", f);
        fclose(f);
    }
    if (check_true(am_potential_read(ka, AM_EAM_AUTO, &again) == AM_OK &&
                       am_potential_read(path, AM_EAM_AUTO, &other) == AM_OK,
                   "read Kob-Andersen twice (%s)", am_error_message()))
        check_true(am_potential_hash(again) == am_potential_hash(lj) && am_potential_hash(other) != am_potential_hash(lj) &&
                       am_potential_hash(lj) != am_potential_hash(eam),
                   "hashes: the same file twice equal; epsilon_AB changed by 1e-7, or another kind, differ");
    am_potential_free(again);
    am_potential_free(other);
}

static double uniform(unsigned long long *h)
{
    *h = *h * 6364136223846793005ULL + 1442695040888963407ULL;
    return (double)(*h >> 11) / 9007199254740992.0;
}

/* A region of the atoms within `radius` of atom 0, random moves of up to
 * amp per component (several list rebuilds): its energy and forces against
 * a full evaluation of the moved system, and against `other` (a second
 * region kind on the same atoms) when given. */
static void region_check(const char *label, const am_potential *p, am_system *s, double radius, double amp,
                         const am_region_ops *other)
{
    const size_t n = s->n;
    am_engine *e = NULL;
    size_t *act = malloc(n * sizeof(size_t)), na = 0;
    for (size_t i = 0; i < n; i++) {
        double d[3] = {s->x[i] - s->x[0], s->y[i] - s->y[0], s->z[i] - s->z[0]};
        am_box_min_image(&s->box, d);
        if (d[0] * d[0] + d[1] * d[1] + d[2] * d[2] < radius * radius) act[na++] = i;
    }
    am_region *g = NULL;
    void *g2 = NULL;
    if (!check_true(am_engine_create(p, s, 0.3, &e) == AM_OK && am_region_create(e, s, act, na, &g) == AM_OK &&
                        (!other || other->create(e, s, act, na, &g2) == AM_OK),
                    "%s: engine and region of %zu atoms (%s)", label, na, am_error_message()))
        goto done;
    am_system *m = NULL;
    am_system_copy(s, &m);
    double *xa = malloc(3 * na * sizeof(double)), *fa = malloc(3 * na * sizeof(double)),
           *fb = malloc(3 * na * sizeof(double)), *f = malloc(3 * n * sizeof(double));
    for (size_t r = 0; r < na; r++) {
        xa[3 * r] = s->x[act[r]]; xa[3 * r + 1] = s->y[act[r]]; xa[3 * r + 2] = s->z[act[r]];
    }
    unsigned long long h = 99;
    double de = 0.0, df = 0.0, d2 = 0.0;
    for (int step = 0; step < 12; step++) {
        for (size_t k = 0; k < 3 * na; k++) xa[k] += amp * (2.0 * uniform(&h) - 1.0);
        for (size_t r = 0; r < na; r++) {
            m->x[act[r]] = xa[3 * r]; m->y[act[r]] = xa[3 * r + 1]; m->z[act[r]] = xa[3 * r + 2];
        }
        double eg, e2 = 0.0;
        am_result res = {.skip_virial = 1, .fx = f, .fy = f + n, .fz = f + 2 * n};
        if (am_region_compute(g, xa, &eg, fa) || am_engine_compute(e, m, &res) || (other && other->compute(g2, xa, &e2, fb))) {
            check_true(0, "%s: step %d (%s)", label, step, am_error_message());
            break;
        }
        de = fmax(de, fabs(eg - res.energy) / fabs(res.energy));
        for (size_t r = 0; r < na; r++) {
            const double fr[3] = {res.fx[act[r]], res.fy[act[r]], res.fz[act[r]]};
            for (int d = 0; d < 3; d++) {
                df = fmax(df, fabs(fa[3 * r + d] - fr[d]));
                if (other) d2 = fmax(d2, fabs(fa[3 * r + d] - fb[3 * r + d]) + fabs(eg - e2) / fabs(eg));
            }
        }
    }
    check_abs(de, 0.0, 1e-12, "%s: region energy is the system's (relative)", label);
    check_abs(df, 0.0, 1e-10, "%s: region forces are the system's", label);
    if (other) check_abs(d2, 0.0, 1e-10, "%s: and equal the other region kind's", label);
    check_true(am_region_nbuilds(g) >= 1 && am_region_nactive(g) == na, "%s: %ld list builds, %zu active atoms", label,
               am_region_nbuilds(g), na);
    free(xa); free(fa); free(fb); free(f);
    am_system_free(m);
done:
    if (other && g2) other->free(g2);
    am_region_free(g);
    am_engine_free(e);
    free(act);
}

int main(void)
{
    const char *dir = scratch_dir("engines");
    am_potential *eam = NULL, *lj = NULL;
    if (!check_true(am_potential_read(potential_path("CuZr_mm.eam.fs"), AM_EAM_AUTO, &eam) == AM_OK &&
                        am_potential_open("kob-andersen", AM_EAM_AUTO, &lj) == AM_OK,
                    "potentials (%s)", am_error_message()))
        return check_exit();
    kinds_and_units(eam, lj);
    hashes(dir, eam, lj);

    am_system *s = build_kob_andersen(4, 1.2, 0.12, 5);
    region_check("Kob-Andersen 256, whole-system region", lj, s, 2.0, 0.05, NULL);
    am_system_free(s);
    am_engine *e = NULL;

    /* EAM: its own region against the whole-system one */
    s = load_conf(source_path("tests/data/cuzr_glass_432.data"), "Cu,Zr");
    if (check_true(s != NULL, "read the CuZr glass")) {
        region_check("CuZr glass 432, EAM region vs whole-system region", eam, s, 6.0, 0.1, &am_region_full_ops);
        /* a Cu-Zr system with the LJ potential: its species are not the potential's */
        check_true(am_engine_create(lj, s, 0.3, &e) == AM_ERR_VALUE && !e &&
                       strstr(am_error_message(), "species Cu is not in the potential (which has A,B)"),
                   "Cu-Zr atoms with Kob-Andersen refused (%s)", am_error_message());
        am_system_free(s);
    }
    s = build_kob_andersen(2, 1.2, 0.1, 6);
    if (check_true(am_engine_create(lj, s, 0.3, &e) == AM_OK && am_engine_potential(e) == lj,
                   "engine knows its potential")) {
        /* active atoms are checked for every kind */
        const size_t twice[] = {3, 5, 3}, beyond[] = {1, 32};
        am_region *g = NULL;
        check_true(am_region_create(e, s, twice, 3, &g) == AM_ERR_VALUE && !g &&
                       strstr(am_error_message(), "active atom 3 is listed twice"),
                   "a region with an atom listed twice is refused (%s)", am_error_message());
        check_true(am_region_create(e, s, beyond, 2, &g) == AM_ERR_VALUE && !g &&
                       strstr(am_error_message(), "active atom 32 is out of range"),
                   "a region with an atom beyond the system is refused (%s)", am_error_message());
        /* an atom far beyond the periodic box (a blown-up run) is named,
         * whichever thread of the list build meets it */
        const double x5 = s->x[5];
        s->x[5] += 3e6 * s->box.len[0];
        double *f = malloc(3 * s->n * sizeof(double));
        am_result res = {.skip_virial = 1, .fx = f, .fy = f + s->n, .fz = f + 2 * s->n};
        char want[64];
        snprintf(want, sizeof want, "atom %lld is more than 1e6 cells away", s->id[5]);
        check_true(am_engine_compute(e, s, &res) == AM_ERR_VALUE && strstr(am_error_message(), want),
                   "an atom 3e6 boxes away is refused by name (%s)", am_error_message());
        s->x[5] = x5;
        check_true(am_engine_compute(e, s, &res) == AM_OK, "and the engine computes again once it is back (%s)",
                   am_error_message());
        free(f);
        am_engine_free(e);
    }
    am_system_free(s);
    am_potential_free(eam);
    am_potential_free(lj);
    return check_exit();
}
