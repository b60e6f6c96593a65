#include "commands.h"
#include "common.h"
#include "io/numfmt.h"
#include "stale.h"

#include <math.h>
#include <stdio.h>
#include <stdlib.h>

static cli_opt opts[] = {
    CLI_OPTS_CONF,
    {"output", 'o', "FILE", NULL, "write per-atom energies (eV) and forces (eV/Å) as extended XYZ with ASE's names (energies, forces, energy, stress), or a LAMMPS dump for .dump/.lammpstrj (an LJ potential: its reduced units)", NULL},
    CLI_OPT_SKIN,
    CLI_OPTS_COMMON,
    {NULL, 0, NULL, NULL, NULL, NULL},
};

static cli_verb verb = {
    "energy", "[-p POT] CONF [-o atoms.extxyz] [--json]",
    "Potential energy (eV), pressure tensor (bar, no kinetic part) and forces of a configuration; with a\n"
    "Lennard-Jones potential (-p kob-andersen, *.lj) in its reduced units (epsilon, epsilon/sigma^3, epsilon/sigma).\n"
    "CONF is a LAMMPS data file (.data, .lmp), a LAMMPS dump (.dump, .lammpstrj) or extended XYZ (.xyz, .extxyz).",
    opts, 1, 1,
};

/* The comment-line keys ASE reads as a calculator's results: energy (eV),
 * and stress, ASE's sign (-pressure) in eV/Å³ as a 3x3 matrix, taken from
 * the virial rather than the pressure in bar so no unit factor enters. The
 * shortest digits that read back to the same double. */
static void ase_results(char *info, size_t len, double energy, const double virial[6], double volume)
{
    /* virial order xx yy zz xy xz yz, written row by row */
    static const int at[9] = {0, 3, 4, 3, 1, 5, 4, 5, 2};
    char num[32];
    size_t used = (size_t)snprintf(info, len, "energy=%s stress=\"", am_io_fmt_double(num, energy));
    for (int k = 0; k < 9 && used < len; k++)
        used += (size_t)snprintf(info + used, len - used, "%s%s", k ? " " : "",
                                 am_io_fmt_double(num, -virial[at[k]] / volume));
    if (used < len) snprintf(info + used, len - used, "\"");
}

int cmd_energy(int argc, char **argv)
{
    const char *pos[1];
    int npos, rc = cli_parse(&verb, argc, argv, pos, &npos);
    if (rc) return rc == 1 ? 0 : rc;
    if ((rc = cli_apply_common(&verb))) return rc;
    cli_remove_stale_outputs(&verb, cli_flag(&verb, "quiet"));
    cli_model m;
    if ((rc = cli_model_load(&verb, pos[0], &m))) return rc;
    am_system *s = m.s;
    double *buf = NULL;
    am_status st;
    const size_t n = s->n;
    buf = malloc((5 * n + 1) * sizeof(double));
    if (!buf) { fprintf(stderr, "amorph energy: out of memory\n"); rc = 1; goto done; }
    am_result res = {0};
    res.fx = buf; res.fy = buf + n; res.fz = buf + 2 * n; res.e_atom = buf + 3 * n;
    if ((st = am_engine_compute(m.eng, s, &res))) { rc = cli_report(verb.name, st); goto done; }

    const cli_units cu = cli_units_of(m.pot);
    const am_units *u = cu.u;
    double press[6], fmax = 0.0;
    am_units_pressure(u, res.virial, am_box_volume(&s->box), press);
    for (size_t i = 0; i < n; i++) {
        double f2 = res.fx[i] * res.fx[i] + res.fy[i] * res.fy[i] + res.fz[i] * res.fz[i];
        if (f2 > fmax) fmax = f2;
    }
    fmax = sqrt(fmax);
    double pscalar = (press[0] + press[1] + press[2]) / 3.0;
    if (cli_flag(&verb, "json")) {
        cli_json_printf(stdout, "{\"natoms\": %zu, \"energy\": %.17g, \"energy_per_atom\": %.17g, \"pressure\": %.17g, "
               "\"pressure_tensor\": [%.17g, %.17g, %.17g, %.17g, %.17g, %.17g], \"volume\": %.17g, "
               "\"max_force\": %.17g, \"units\": {\"system\": \"%s\", \"energy\": \"%s\", \"pressure\": \"%s\", "
               "\"volume\": \"%s\", \"force\": \"%s\"}}\n",
               n, res.energy, res.energy / (double)n, pscalar, press[0], press[1], press[2], press[3], press[4],
               press[5], am_box_volume(&s->box), fmax, u->style, u->energy, u->pressure, u->volume, u->force);
    } else if (!cli_flag(&verb, "quiet")) {
        if (!cu.metal) printf("units             %s (LAMMPS %s units of the potential)\n", u->style, u->style);
        printf("atoms             %zu\n", n);
        printf("energy            %.10f %s\n", res.energy, u->energy);
        printf("energy per atom   %.10f %s\n", res.energy / (double)n, u->energy);
        printf("volume            %.6f %s\n", am_box_volume(&s->box), cu.volume);
        printf("pressure          %.6f %s\n", pscalar, u->pressure);
        printf("pressure tensor   xx %.6f yy %.6f zz %.6f xy %.6f xz %.6f yz %.6f %s\n", press[0], press[1],
               press[2], press[3], press[4], press[5], u->pressure);
        printf("max force         %.10f %s\n", fmax, cu.force);
    }
    const char *out = cli_get(&verb, "output");
    if (out) {
        double *f3 = malloc(3 * n * sizeof(double) + 1);
        if (!f3) { fprintf(stderr, "amorph energy: out of memory\n"); rc = 1; goto done; }
        for (size_t i = 0; i < n; i++) { f3[3 * i] = res.fx[i]; f3[3 * i + 1] = res.fy[i]; f3[3 * i + 2] = res.fz[i]; }
        am_column cols[2] = {{"energies", 1, res.e_atom, NULL}, {"forces", 3, f3, NULL}};
        char info[512];
        ase_results(info, sizeof info, res.energy, res.virial, am_box_volume(&s->box));
        st = cli_write_atoms(out, s, cols, 2, info);
        free(f3);
        if (st) { rc = cli_report(verb.name, st); goto done; }
    }
done:
    free(buf);
    cli_model_free(&m);
    return rc;
}
