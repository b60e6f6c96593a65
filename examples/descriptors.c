/* Per-atom structure of a glass: Voronoi volume and coordination, the
 * fraction of full icosahedra <0,0,12,0>, Steinhardt q6 over the Voronoi
 * neighbours, summarised per species, and the commonest polyhedra.
 *
 *   descriptors [CONF]   (default: data/cuzr_glass_2000.data)
 *
 * Build: see examples/README.md. */
#include <amorph/amorph.h>

#include <stdio.h>
#include <stdlib.h>

static int failed(const char *what, am_status st)
{
    if (st == AM_OK) return 0;
    fprintf(stderr, "descriptors: %s: %s: %s\n", what, am_status_name(st), am_error_message());
    return 1;
}

int main(int argc, char **argv)
{
    const char *conf = argc > 1 ? argv[1] : "data/cuzr_glass_2000.data";
    am_system *s = NULL;
    am_voronoi *v = NULL;
    am_vpop *pop = NULL;
    double *q6 = NULL;
    int rc = 1;

    if (failed("read", am_read(conf, NULL, &s))) goto done;
    /* 0: keep every face, however small (OVITO's default) */
    if (failed("voronoi", am_voronoi_compute(s, 0.0, &v))) goto done;
    if (!(q6 = malloc(s->n * sizeof *q6))) { fprintf(stderr, "descriptors: out of memory\n"); goto done; }
    const am_steinhardt_options so = {.mode = AM_NB_VORONOI, .voronoi = v};
    const int l = 6;
    if (failed("steinhardt", am_steinhardt(s, &so, &l, 1, q6))) goto done;

    printf("%-4s %6s %10s %6s %10s %6s\n", "", "atoms", "V (A^3)", "CN", "<0,0,12,0>", "q6");
    for (int t = 0; t < s->nspecies; t++) {
        double vol = 0, cn = 0, ico = 0, q = 0;
        size_t m = 0;
        for (size_t i = 0; i < s->n; i++) {
            if (s->type[i] != t) continue;
            const int *x = v->index + 8 * i; /* n3 .. n10 */
            m++;
            vol += v->volume[i];
            cn += v->cn[i];
            ico += v->cn[i] == 12 && x[2] == 12; /* twelve pentagons */
            q += q6[i];
        }
        if (m == 0) continue;
        printf("%-4s %6zu %10.3f %6.2f %10.3f %6.3f\n", s->species[t].name, m, vol / (double)m, cn / (double)m,
               ico / (double)m, q / (double)m);
    }

    /* -1: all atoms, whatever their species */
    if (failed("population", am_voronoi_population(s, v, -1, &pop))) goto done;
    printf("commonest polyhedra (of %zu distinct, entropy %.3f):\n", pop->n, pop->entropy);
    for (size_t k = 0; k < pop->n && k < 5; k++) {
        const int *x = pop->entry[k].index;
        printf("  <%d,%d,%d,%d>  %5.1f %%\n", x[0], x[1], x[2], x[3], 100 * pop->entry[k].fraction);
    }
    rc = 0;
done:
    am_vpop_free(pop);
    free(q6);
    am_voronoi_free(v);
    am_system_free(s);
    return rc;
}
