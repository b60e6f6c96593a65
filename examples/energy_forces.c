/* Energy, forces and pressure of a configuration with the default Cu–Zr
 * potential, as `amorph energy` reports them.
 *
 *   energy_forces [CONF]   (default: data/cuzr_glass_2000.data)
 *
 * Build: see examples/README.md. */
#include <amorph/amorph.h>

#include <math.h>
#include <stdio.h>
#include <stdlib.h>

/* Every amorph call that can fail returns an am_status and leaves a message. */
static int failed(const char *what, am_status st)
{
    if (st == AM_OK) return 0;
    fprintf(stderr, "energy_forces: %s: %s: %s\n", what, am_status_name(st), am_error_message());
    return 1;
}

int main(int argc, char **argv)
{
    const char *conf = argc > 1 ? argv[1] : "data/cuzr_glass_2000.data";
    am_system *s = NULL;
    am_potential *pot = NULL;
    am_engine *eng = NULL;
    double *f = NULL;
    int rc = 1;

    /* species from the file's type labels or masses; default options */
    if (failed("read", am_read(conf, NULL, &s))) goto done;
    /* a name, found in the installed data (or $AMORPH_DATA_DIR) */
    if (failed("potential", am_potential_open(AM_POTENTIAL_DEFAULT_NAME, AM_EAM_AUTO, &pot))) goto done;
    if (failed("engine", am_engine_create(pot, s, 1.0, &eng))) goto done;

    const size_t n = s->n;
    if (!(f = malloc(3 * n * sizeof *f))) { fprintf(stderr, "energy_forces: out of memory\n"); goto done; }
    am_result r = {0};
    r.fx = f; r.fy = f + n; r.fz = f + 2 * n;
    if (failed("compute", am_engine_compute(eng, s, &r))) goto done;

    double p[6], fmax = 0.0;
    am_pressure_from_virial(r.virial, am_box_volume(&s->box), p);
    for (size_t i = 0; i < n; i++) {
        const double fi = sqrt(r.fx[i] * r.fx[i] + r.fy[i] * r.fy[i] + r.fz[i] * r.fz[i]);
        if (fi > fmax) fmax = fi;
    }

    printf("potential  %s\n", am_potential_resolve(AM_POTENTIAL_DEFAULT_NAME));
    printf("atoms      %zu\n", n);
    printf("energy     %.15g eV\n", r.energy);
    printf("per atom   %.10f eV\n", r.energy / (double)n);
    printf("pressure   %.6f bar (no kinetic part)\n", (p[0] + p[1] + p[2]) / 3.0);
    printf("max force  %.3e eV/A\n", fmax);
    printf("force[0]   %.10f %.10f %.10f eV/A\n", r.fx[0], r.fy[0], r.fz[0]);
    rc = 0;
done:
    free(f);
    am_engine_free(eng);
    am_potential_free(pot);
    am_system_free(s);
    return rc;
}
