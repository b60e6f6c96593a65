/* One ARTn saddle search from one atom of a relaxed glass, with the default
 * protocol (docs/saddle.md): its outcome and activation energy.
 *
 *   saddle [CONF [ATOM]]   (defaults: data/cuzr_glass_2000.data, atom index 14)
 *
 * Build: see examples/README.md. */
#include <amorph/amorph.h>

#include <stdio.h>
#include <stdlib.h>

static int failed(const char *what, am_status st)
{
    if (st == AM_OK) return 0;
    fprintf(stderr, "saddle: %s: %s: %s\n", what, am_status_name(st), am_error_message());
    return 1;
}

int main(int argc, char **argv)
{
    const char *conf = argc > 1 ? argv[1] : "data/cuzr_glass_2000.data";
    char *end = "";
    /* atom 14 of the shipped glass: a search that finds a connected event */
    const long atom = argc > 2 ? strtol(argv[2], &end, 10) : 14;
    am_system *s = NULL;
    am_potential *pot = NULL;
    am_engine *eng = NULL;
    int rc = 1;

    if (failed("read", am_read(conf, NULL, &s))) goto done;
    if (*end || atom < 0 || (size_t)atom >= s->n) {
        fprintf(stderr, "saddle: atom index %s: expected 0 .. %zu\n", argc > 2 ? argv[2] : "14", s->n - 1);
        goto done;
    }
    if (failed("potential", am_potential_open(AM_POTENTIAL_DEFAULT_NAME, AM_EAM_AUTO, &pot))) goto done;
    if (failed("engine", am_engine_create(pot, s, 1.0, &eng))) goto done;

    /* The search starts from a minimum: a configuration that is not relaxed
     * would be relaxed first (am_minimize), the shipped glass already is. */
    am_saddle_options o;
    am_saddle_defaults(&o);
    /* o.seed draws the push direction: the same seed, the same search */
    am_saddle_result r = {0}; /* its saddle_xyz, final_xyz are inputs too: NULL, not wanted */
    /* AM_OK means the search ran; whether it found a saddle is r.outcome */
    if (failed("search", am_saddle_search(eng, s, &o, (size_t)atom, NULL, &r))) goto done;

    printf("atom       %ld (id %lld, %s)\n", atom, s->id[atom], s->species[s->type[atom]].name);
    printf("outcome    %s\n", am_saddle_outcome_name(r.outcome));
    printf("Ea         %.6f eV\n", r.ea);
    printf("E_final    %+.6f eV (relative to the start)\n", r.e_final - r.e0);
    printf("eigenvalue %.4f eV/A^2 at the saddle\n", r.eigenvalue);
    printf("calls      %ld force evaluations\n", r.force_calls);
    rc = 0; /* about half the searches fail (docs/saddle.md): a result, not an error */
done:
    am_engine_free(eng);
    am_potential_free(pot);
    am_system_free(s);
    return rc;
}
