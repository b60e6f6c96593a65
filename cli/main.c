#include "amorph/amorph.h"
#include "commands.h"
#include "omp_wait.h"
#include "opts.h"

#include <stdio.h>
#include <string.h>

typedef struct verb {
    const char *name;
    int (*run)(int, char **);
    const char *summary;
} verb;

static const verb verbs[] = {
    {"energy", cmd_energy, "energy, stress and forces of a configuration"},
    {"minimize", cmd_minimize, "relax atoms (and box) to the nearest energy minimum: CG, L-BFGS or FIRE"},
    {"md", cmd_md, "molecular dynamics: NVE, NVT, NPT"},
    {"quench", cmd_quench, "make a glass by melt and quench; cooling curve and Tg"},
    {"tg", cmd_tg, "Tg re-fitted from a quench's cooling curve, for chosen fit ranges"},
    {"describe", cmd_describe, "per-atom structure: Voronoi, Steinhardt q_l, two-body excess entropy S2"},
    {"vibrate", cmd_vibrate, "vibrational MSD by NVT MD about an inherent structure; flexibility volume"},
    {"modes", cmd_modes, "normal modes from the analytic Hessian: low-frequency participation, VDOS"},
    {"artn", cmd_artn, "ARTn saddle-search campaign: resumable event log, per-atom activation energies"},
    {"artn-summary", cmd_artn_summary, "per-atom activation energies from an existing ARTn event log"},
    {"study", cmd_study, "the whole study in one directory: every stage, resumable, with a report"},
    {"analyze", cmd_analyze, "structure-property report: correlations, spectra, correlation lengths, viscosity"},
    {"learn", cmd_learn, "how much of a property the descriptors predict together: models, leak-free scores"},
};

static void usage(void)
{
    printf("amorph %s — which structure, if any, determines a property of an amorphous solid\n\n"
           "usage: amorph VERB [options]     (amorph VERB --help for a verb's options)\n\nverbs:\n",
           am_version());
    for (size_t k = 0; k < sizeof verbs / sizeof verbs[0]; k++)
        printf("  %-13s %s\n", verbs[k].name, verbs[k].summary);
    printf("\nUnits are LAMMPS metal: Å, eV, ps, amu, K, bar.\n");
}

int main(int argc, char **argv)
{
    if (argc < 2 || strcmp(argv[1], "help") == 0 || strcmp(argv[1], "--help") == 0 || strcmp(argv[1], "-h") == 0) {
        if (argc >= 3 && strcmp(argv[1], "help") == 0) {
            for (size_t k = 0; k < sizeof verbs / sizeof verbs[0]; k++)
                if (strcmp(argv[2], verbs[k].name) == 0) {
                    char help[] = "--help";
                    char *args[] = {help};
                    return verbs[k].run(1, args);
                }
        }
        usage();
        return argc < 2 ? 2 : 0;
    }
    if (strcmp(argv[1], "--version") == 0 || strcmp(argv[1], "version") == 0) {
        printf("amorph %s\n", am_version());
        return 0;
    }
    for (size_t k = 0; k < sizeof verbs / sizeof verbs[0]; k++)
        if (strcmp(argv[1], verbs[k].name) == 0) {
            cli_omp_wait_setup(argv);
            return verbs[k].run(argc - 2, argv + 2);
        }
    cli_suggest sg;
    cli_suggest_init(&sg, argv[1], strlen(argv[1]));
    for (size_t k = 0; k < sizeof verbs / sizeof verbs[0]; k++) cli_suggest_add(&sg, verbs[k].name);
    cli_suggest_add(&sg, "help");
    cli_suggest_add(&sg, "version");
    const char *hint = cli_suggest_result(&sg);
    if (hint) fprintf(stderr, "amorph: unknown verb '%s'; did you mean '%s'? (see amorph help)\n", argv[1], hint);
    else fprintf(stderr, "amorph: unknown verb '%s' (see amorph help)\n", argv[1]);
    return 2;
}
