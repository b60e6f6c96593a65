#include "util/lammps.h"
#include "util/check.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

int lmp_available(void) { return program_available("lmp"); }

void lmp_pair_lines(const char *pot_path, am_eam_style style, const am_system *s, char *style_out,
                    size_t style_cap, char *coeff_out, size_t coeff_cap)
{
    if (style == AM_EAM_FUNCFL) {
        /* funcfl: one file per type, "pair_coeff i i file" */
        snprintf(style_out, style_cap, "eam");
        coeff_out[0] = '\0';
        const char *p = pot_path;
        for (int t = 0; t < s->nspecies; t++) {
            const char *comma = strchr(p, ',');
            size_t len = comma ? (size_t)(comma - p) : strlen(p);
            size_t used = strlen(coeff_out);
            snprintf(coeff_out + used, coeff_cap - used, "%spair_coeff %d %d %.*s", t ? "\n" : "", t + 1, t + 1,
                     (int)len, p);
            if (comma) p = comma + 1;
        }
        return;
    }
    snprintf(style_out, style_cap, "%s", style == AM_EAM_FS ? "eam/fs" : "eam/alloy");
    int n = snprintf(coeff_out, coeff_cap, "pair_coeff * * %s", pot_path);
    for (int t = 0; t < s->nspecies && n < (int)coeff_cap; t++)
        n += snprintf(coeff_out + n, coeff_cap - (size_t)n, " %s", s->species[t].name);
}

void lmp_result_free(lmp_result *r)
{
    free(r->fx);
    memset(r, 0, sizeof *r);
}

int lmp_single_point(const char *dir, const am_system *s, const char *pair_style, const char *pair_coeff,
                     lmp_result *r)
{
    return lmp_run(dir, s, pair_style, pair_coeff, "", r);
}

int lmp_run(const char *dir, const am_system *s, const char *pair_style, const char *pair_coeff,
            const char *commands, lmp_result *r)
{
    return lmp_run_units(dir, "metal", s, pair_style, pair_coeff, commands, r);
}

int lmp_run_units(const char *dir, const char *units, const am_system *s, const char *pair_style,
                  const char *pair_coeff, const char *commands, lmp_result *r)
{
    memset(r, 0, sizeof *r);
    char path[4096];
    snprintf(path, sizeof path, "%s/in.data", dir);
    if (am_write(path, AM_FMT_LAMMPS_DATA, s)) {
        printf("cannot write %s: %s\n", path, am_error_message());
        return 1;
    }
    snprintf(path, sizeof path, "%s/in.lmp", dir);
    FILE *f = fopen(path, "w");
    if (!f) return 1;
    fprintf(f,
            "units %s\natom_style atomic\nboundary %s %s %s\nbox tilt large\nread_data in.data\n"
            "pair_style %s\n%s\nneighbor 1.0 bin\n"
            "compute pe all pe/atom\n"
            "compute sa all stress/atom NULL virial\n"
            "compute pv all pressure NULL virial\n"
            "thermo_style custom step pe ke vol c_pv[1] c_pv[2] c_pv[3] c_pv[4] c_pv[5] c_pv[6]\n"
            /* totals, not per atom (the lj default) */
            "thermo_modify format float %%.17g norm no\n"
            "%s\n"
            /* a final zero-step run with the dump defined, so per-atom energies are current */
            "dump d all custom 1 out.dump id fx fy fz c_pe xu yu zu c_sa[1] c_sa[2] c_sa[3] c_sa[4] c_sa[5] "
            "c_sa[6]\n"
            "dump_modify d format float %%.17g sort id\n"
            "run 0\n"
            "print \"RESULT $(pe:%%.17g) $(ke:%%.17g) $(vol:%%.17g) $(c_pv[1]:%%.17g) $(c_pv[2]:%%.17g) $(c_pv[3]:%%.17g) $(c_pv[4]:%%.17g) "
            "$(c_pv[5]:%%.17g) $(c_pv[6]:%%.17g)\" file result.txt\n",
            units, s->box.periodic[0] ? "p" : "f", s->box.periodic[1] ? "p" : "f", s->box.periodic[2] ? "p" : "f",
            pair_style, pair_coeff, commands);
    fclose(f);
    if (run_cmd_in(dir, "lmp -in in.lmp -log log.lammps -screen none") != 0) {
        printf("LAMMPS failed; see %s/log.lammps\n", dir);
        return 1;
    }
    snprintf(path, sizeof path, "%s/result.txt", dir);
    f = fopen(path, "r");
    if (!f) return 1;
    int got = fscanf(f, "RESULT %lg %lg %lg %lg %lg %lg %lg %lg %lg", &r->energy, &r->ke, &r->volume, &r->press[0],
                     &r->press[1], &r->press[2], &r->press[3], &r->press[4], &r->press[5]);
    fclose(f);
    if (got != 9) return 1;

    size_t n = s->n;
    const am_units *u = am_units_of(units);
    if (!u) return 1;
    r->fx = calloc(13 * n + 1, sizeof(double));
    r->fy = r->fx + n; r->fz = r->fx + 2 * n; r->e_atom = r->fx + 3 * n;
    r->x = r->fx + 4 * n; r->y = r->fx + 5 * n; r->z = r->fx + 6 * n;
    r->v_atom = r->fx + 7 * n;
    /* ids -> system index (ids in tests are small and dense) */
    long long maxid = 0;
    for (size_t i = 0; i < n; i++) if (s->id[i] > maxid) maxid = s->id[i];
    long *where = malloc(((size_t)maxid + 1) * sizeof(long));
    for (long long k = 0; k <= maxid; k++) where[k] = -1;
    for (size_t i = 0; i < n; i++) where[s->id[i]] = (long)i;
    snprintf(path, sizeof path, "%s/out.dump", dir);
    f = fopen(path, "r");
    int ok = f != NULL;
    char line[1024];
    size_t seen = 0;
    while (ok && fgets(line, sizeof line, f)) {
        if (strncmp(line, "ITEM: ATOMS", 11) != 0) continue;
        for (size_t k = 0; k < n && ok; k++) {
            long long id;
            double fx, fy, fz, pe, x, y, z, sa[6];
            if (!fgets(line, sizeof line, f) ||
                sscanf(line, "%lld %lg %lg %lg %lg %lg %lg %lg %lg %lg %lg %lg %lg %lg", &id, &fx, &fy, &fz, &pe, &x,
                       &y, &z, &sa[0], &sa[1], &sa[2], &sa[3], &sa[4], &sa[5]) != 14 ||
                id < 1 || id > maxid || where[id] < 0) { ok = 0; break; }
            long i = where[id];
            r->fx[i] = fx; r->fy[i] = fy; r->fz[i] = fz; r->e_atom[i] = pe;
            r->x[i] = x; r->y[i] = y; r->z[i] = z;
            /* stress/atom is −(per-atom virial)·nktv2p: back to the virial */
            for (int c = 0; c < 6; c++) r->v_atom[6 * i + c] = -sa[c] / u->nktv2p;
            seen++;
        }
    }
    if (f) fclose(f);
    free(where);
    if (!ok || seen != n) { lmp_result_free(r); return 1; }
    return 0;
}
