/* `amorph quench --engine lammps`: the same protocol as a LAMMPS input, for
 * samples too large for one machine. With --run it is run here (mpirun lmp)
 * and its cooling curve and glass are read back. */
#include "quench_lammps.h"
#include "core/error.h"
#include "io/lineread.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

am_status quench_lammps_write(const char *dir, const am_system *s, const char *units, const char *const *cmds, int ncmd,
                              int relax_start, const am_quench_options *q, const char *glass_name)
{
    char path[4096];
    snprintf(path, sizeof path, "%s/start.data", dir);
    am_status st = am_write(path, AM_FMT_LAMMPS_DATA, s);
    if (st) return st;
    snprintf(path, sizeof path, "%s/in.quench", dir);
    FILE *f = fopen(path, "w");
    if (!f) return am_fail(AM_ERR_IO, "%s: cannot write", path);
    const long melt = (long)(q->melt_time / q->dt + 0.5);
    const long cool = (long)((q->t_melt - q->t_end) / q->rate / q->dt + 0.5);
    const long every = am_quench_sample_every(cool);
    /* the commands passed the LAMMPS engine's checks: no variables, no
     * comments, no other commands */
    fprintf(f, "# Written by amorph quench --engine lammps: the protocol of amorph quench.\n"
               "units %s\natom_style atomic\nboundary p p p\nread_data start.data\n", units);
    for (int k = 0; k < ncmd; k++) fprintf(f, "%s\n", cmds[k]);
    if (relax_start) fprintf(f, "min_style fire\nminimize 0 0.05 500 100000\nreset_timestep 0\n");
    /* lists checked every step, as amorph's: LAMMPS's default delay let a
     * 3000 K liquid make dangerous builds */
    fprintf(f,
            "neighbor 1.0 bin\nneigh_modify delay 0 every 1 check yes\ntimestep %.10g\n"
            "velocity all create %.10g %lu mom yes rot yes dist gaussian\n"
            "fix md all npt temp %.10g %.10g %.10g iso %.10g %.10g %.10g\n"
            "thermo 1000\nrun %ld\nunfix md\n"
            "fix md all npt temp %.10g %.10g %.10g iso %.10g %.10g %.10g\n"
            "variable t equal temp\nvariable v equal vol/atoms\nvariable e equal pe/atoms\n"
            "fix curve all ave/time 1 %ld %ld v_t v_v v_e file curve.txt\n"
            "run %ld\nunfix curve\nunfix md\n"
            "fix relax all box/relax aniso %.10g\nmin_style cg\nminimize 0 %.10g 100000 1000000\n"
            "write_data %s\n",
            q->dt, q->t_melt, q->seed ? q->seed : 1UL, q->t_melt, q->t_melt, q->tdamp, q->pressure, q->pressure,
            q->pdamp, melt, q->t_melt, q->t_end, q->tdamp, q->pressure, q->pressure, q->pdamp, every, every, cool,
            q->pressure, q->ftol, glass_name);
    fclose(f);
    return AM_OK;
}

am_status quench_lammps_curve(const char *path, am_cooling_point **out, size_t *n)
{
    *out = NULL;
    *n = 0;
    am_io_lr r;
    am_status st = am_io_lr_open(&r, path);
    if (st) return st;
    am_cooling_point *c = NULL;
    size_t np = 0, cap = 0;
    int got;
    while (!(st = am_io_lr_next_tokens(&r, '#', &got)) && got) {
        long long step;
        double x[3];
        if (r.ntok != 4)
            st = am_io_lr_fail(&r, AM_ERR_PARSE, r.tok[0], "expected 'step T V E' (4 fields), found %d fields", r.ntok);
        else if (!am_io_parse_ll(r.tok[0], &step) || step < 0)
            st = am_io_lr_fail(&r, AM_ERR_PARSE, r.tok[0], "expected a timestep (an integer >= 0)");
        static const char *const what[3] = {"temperature", "volume per atom", "energy per atom"};
        for (int k = 0; k < 3 && !st; k++)
            if (!am_io_parse_double(r.tok[1 + k], &x[k]))
                st = am_io_lr_fail(&r, AM_ERR_PARSE, r.tok[1 + k], "expected a finite %s", what[k]);
        if (st) break;
        if (np == cap) {
            size_t nc = cap ? 2 * cap : 256;
            am_cooling_point *q = realloc(c, nc * sizeof *q);
            if (!q) { st = am_fail(AM_ERR_NOMEM, "%s:%ld: out of memory", path, r.line); break; }
            c = q;
            cap = nc;
        }
        c[np++] = (am_cooling_point){.t = x[0], .v = x[1], .e = x[2]};
    }
    if (!st && np == 0)
        st = am_io_lr_fail(&r, AM_ERR_PARSE, am_io_got_eof, "expected LAMMPS cooling-curve lines 'step T V E'");
    am_io_lr_close(&r);
    if (st) {
        free(c);
        return st;
    }
    *out = c;
    *n = np;
    return AM_OK;
}
