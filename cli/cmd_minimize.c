#include "commands.h"
#include "common.h"
#include "stale.h"

#include <stdio.h>
#include <string.h>

static cli_opt opts[] = {
    CLI_OPTS_CONF,
    {"output", 'o', "FILE", NULL, "relaxed configuration (format from the extension; required)", NULL},
    {"method", 0, "NAME", "cg", "cg (Polak-Ribiere conjugate gradient), lbfgs (limited-memory BFGS, 8 pairs) or fire (FIRE 2.0)", NULL},
    CLI_OPT_FTOL,
    {"etol", 0, "E", "0", "stop when the relative energy change per iteration is below E (0 = off)", NULL},
    {"max-iter", 0, "N", "100000", "iteration limit", NULL},
    {"dmax", 0, "DIST", "0.1", "largest move of an atom per step, Å", NULL},
    {"box", 0, "MODE", "fixed", "fixed, iso or aniso: relax the box too (orthogonal boxes; as LAMMPS fix box/relax)",
     NULL},
    {"pressure", 'P', "P", "0", "target pressure for box relaxation, bar (epsilon/sigma^3 for an LJ potential)", NULL},
    CLI_OPT_SKIN,
    CLI_OPTS_COMMON,
    {NULL, 0, NULL, NULL, NULL, NULL},
};

static cli_verb verb = {
    "minimize", "[-p POT] CONF -o OUT [--method cg|lbfgs|fire] [--ftol F]",
    "Relaxes the atoms to the nearest local minimum of the potential energy; with --box, the\n"
    "box too, to the enthalpy minimum at the target pressure. Prints the final energy (eV),\n"
    "largest force (eV/Å), iterations and force evaluations; with a Lennard-Jones potential\n"
    "(-p kob-andersen, *.lj) energies, forces, lengths and --ftol are in its reduced units.",
    opts, 1, 1,
};

int cmd_minimize(int argc, char **argv)
{
    const char *pos[1];
    int npos, rc = cli_parse(&verb, argc, argv, pos, &npos);
    if (rc) return rc == 1 ? 0 : rc;
    if ((rc = cli_apply_common(&verb))) return rc;
    cli_remove_stale_outputs(&verb, cli_flag(&verb, "quiet"));
    const char *out = cli_get(&verb, "output");
    if (!out) { fprintf(stderr, "amorph minimize: -o OUT is required\n"); return 2; }
    am_min_options o = {0};
    const char *method = cli_get(&verb, "method");
    if (strcmp(method, "cg") == 0) o.method = AM_MIN_CG;
    else if (strcmp(method, "fire") == 0) o.method = AM_MIN_FIRE;
    else if (strcmp(method, "lbfgs") == 0) o.method = AM_MIN_LBFGS;
    else { fprintf(stderr, "amorph minimize: --method must be cg, lbfgs or fire, got '%s'\n", method); return 2; }
    const char *box = cli_get(&verb, "box");
    if (strcmp(box, "fixed") == 0) o.box = AM_BOX_FIXED;
    else if (strcmp(box, "iso") == 0) o.box = AM_BOX_ISO;
    else if (strcmp(box, "aniso") == 0) o.box = AM_BOX_ANISO;
    else { fprintf(stderr, "amorph minimize: --box must be fixed, iso or aniso, got '%s'\n", box); return 2; }
    if (cli_double(&verb, "pressure", &o.pressure) || cli_double(&verb, "ftol", &o.ftol) ||
        cli_double(&verb, "etol", &o.etol) ||
        cli_int(&verb, "max-iter", &o.max_iter) || cli_double(&verb, "dmax", &o.dmax))
        return 2;
    if (!(o.ftol > 0) || o.etol < 0 || o.max_iter <= 0 || !(o.dmax > 0)) {
        fprintf(stderr, "amorph minimize: --ftol, --max-iter and --dmax must be positive, --etol >= 0\n");
        return 2;
    }
    cli_model m;
    if ((rc = cli_model_load(&verb, pos[0], &m))) return rc;
    am_min_result r;
    am_status st = am_minimize(m.eng, m.s, &o, &r);
    if (!st) st = am_write(out, AM_FMT_AUTO, m.s);
    if (st) {
        rc = cli_report(verb.name, st);
    } else if (cli_flag(&verb, "json")) {
        cli_json_printf(stdout, "{\"natoms\": %zu, \"energy\": %.17g, \"energy_per_atom\": %.17g, \"max_force\": %.6g, "
               "\"iterations\": %ld, \"evaluations\": %ld, \"converged\": %s, \"reason\": \"%s\"}\n",
               m.s->n, r.energy, r.energy / (double)m.s->n, r.fmax, r.iterations, r.evaluations,
               r.converged ? "true" : "false", r.reason);
    } else if (!cli_flag(&verb, "quiet")) {
        const cli_units cu = cli_units_of(m.pot);
        printf("%s %.10f %s (%.10f %s/atom)\n", o.box ? "enthalpy         " : "energy           ", r.energy,
               cu.u->energy, r.energy / (double)m.s->n, cu.u->energy);
        if (o.box) printf("volume            %.6f %s\n", am_box_volume(&m.s->box), cu.volume);
        printf("max force         %.3e %s\n", r.fmax, cu.force);
        printf("iterations        %ld (%ld force evaluations)\n", r.iterations, r.evaluations);
        printf("stopped on        %s%s\n", r.reason, r.converged ? "" : " (not converged)");
        printf("wrote             %s\n", out);
    }
    if (!rc && !r.converged) {
        rc = 3;
        if (cli_flag(&verb, "quiet") && !cli_flag(&verb, "json"))
            fprintf(stderr, "amorph minimize: not converged: stopped on %s, largest force %.3e %s\n", r.reason, r.fmax,
                    cli_units_of(m.pot).force);
    }
    cli_model_free(&m);
    return rc;
}
