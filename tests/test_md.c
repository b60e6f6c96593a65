/* Molecular dynamics: NVE, NVT and NPT trajectories against LAMMPS (fix nve,
 * fix nvt, fix npt) from identical starts, in metal units (Cu-Zr EAM) and in
 * lj units (Kob-Andersen), NVE energy conservation over 10 ps at 1500 K, and
 * canonical kinetic-energy fluctuations under NVT. */
#include "util/build.h"
#include "util/check.h"
#include "util/lammps.h"

#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static am_potential *pot;


/* The potential of a comparison and its LAMMPS pair lines. */
typedef struct engine_case {
    const am_potential *p;
    const char *pair_style, *pair_coeff;
    double skin;
} engine_case;

/* Runs amorph and LAMMPS for nsteps from the same state and compares, in
 * the potential's units. */
static void against_lammps_with(const engine_case *ec, const char *label, const am_system *start, am_md_options o,
                                const char *fix)
{
    am_system *s;
    am_system_copy(start, &s);
    char cmd[512];
    const am_units *u = am_units_of(am_potential_units(ec->p));
    snprintf(cmd, sizeof cmd, "timestep %g\n%s\nthermo %ld\nrun %ld", o.dt, fix, o.nsteps, o.nsteps);
    lmp_result ref;
    if (!check_true(lmp_run_units(scratch_dir("md"), u->style, s, ec->pair_style, ec->pair_coeff, cmd, &ref) == 0,
                    "%s: LAMMPS ran", label)) {
        am_system_free(s);
        return;
    }
    am_engine *e;
    am_md *md;
    am_engine_create(ec->p, s, ec->skin, &e);
    /* NVE/NVT: the virial of the last step only, for its pressure; the
     * trajectory must stay LAMMPS's */
    if (o.ensemble != AM_NPT) o.virial_every = o.nsteps;
    am_status st = am_md_create(e, s, &o, &md);
    for (long k = 0; k < o.nsteps && !st; k++) st = am_md_step(md);
    check_true(st == AM_OK, "%s: ran %ld steps", label, o.nsteps);
    am_thermo t;
    am_md_thermo(md, &t);
    check_rel(t.pe, ref.energy, 1e-9, "%s: potential energy after %ld steps equals LAMMPS's", label, o.nsteps);
    check_rel(t.ke, ref.ke, 1e-7, "%s: kinetic energy after %ld steps equals LAMMPS's", label, o.nsteps);
    check_abs(max_min_image_distance(s, ref.x, ref.y, ref.z), 0, 1e-7, "%s: every atom where LAMMPS put it (%s)", label,
              u->length);
    check_rel(t.volume, ref.volume, 1e-10, "%s: volume equals LAMMPS's", label);
    /* LAMMPS's press: virial part plus N_f k_B T / 3V = 2 KE / 3V */
    const double p_ref = (ref.press[0] + ref.press[1] + ref.press[2]) / 3.0 + 2.0 * ref.ke / (3.0 * ref.volume) * u->nktv2p;
    check_rel(t.pressure, p_ref, 1e-8, "%s: pressure (with the kinetic part) equals LAMMPS's press (%.4g %s)", label,
              p_ref, u->pressure);
    am_md_free(md);
    am_engine_free(e);
    am_system_free(s);
    lmp_result_free(&ref);
}

static char cuzr_style[64], cuzr_coeff[512];

/* The Cu-Zr comparisons: CuZr_mm.eam.fs, skin 1 Å. */
static void against_lammps(const char *label, const am_system *start, am_md_options o, const char *fix)
{
    const engine_case ec = {pot, cuzr_style, cuzr_coeff, 1.0};
    against_lammps_with(&ec, label, start, o, fix);
}

/* Kob-Andersen in lj units (256 atoms at ρ = 1.2, a rattled fcc start heated
 * to T = 1.5, where it melts): the same integrators with k_B = 1, mvv2e = 1,
 * nktv2p = 1, against LAMMPS units lj with the shipped potential's lines. */
static void kob_andersen(void)
{
    am_potential *ka = NULL;
    if (!check_true(am_potential_open("kob-andersen", AM_EAM_AUTO, &ka) == AM_OK, "read kob-andersen (%s)",
                    am_error_message()))
        return;
    const am_units *u = am_units_of(am_potential_units(ka));
    am_system *s = build_kob_andersen(4, 1.2, 0.05, 5);
    am_velocity_create(s, u, 1.5, 17);
    check_rel(am_temperature(s, u), 1.5, 1e-12, "KA: velocities scaled to exactly T = 1.5 (lj units)");
    const engine_case ec = {ka, "lj/cut 2.5", LMP_KA_COEFF, 0.3};
    am_md_options nve = {.ensemble = AM_NVE, .dt = 0.005, .nsteps = 200};
    against_lammps_with(&ec, "KA NVE 200 steps of 0.005 tau", s, nve, "fix 1 all nve");
    am_md_options nvt = {.ensemble = AM_NVT, .dt = 0.005, .t_start = 1.0, .t_stop = 1.0, .tdamp = 0.5, .nsteps = 200};
    against_lammps_with(&ec, "KA NVT 200 steps, T 1.5 -> 1.0", s, nvt, "fix 1 all nvt temp 1.0 1.0 0.5");
    am_md_options npt = {.ensemble = AM_NPT, .dt = 0.005, .t_start = 1.5, .t_stop = 1.0, .tdamp = 0.5,
                         .barostat = AM_BARO_ISO, .p_start = 10, .p_stop = 5, .pdamp = 2.5, .nsteps = 200};
    against_lammps_with(&ec, "KA NPT iso 200 steps, T 1.5 -> 1.0, P 10 -> 5", s, npt,
                        "fix 1 all npt temp 1.5 1.0 0.5 iso 10 5 2.5");
    am_system_free(s);
    am_potential_free(ka);
}

static void nve_conservation(const am_system *start)
{
    am_system *s;
    am_system_copy(start, &s);
    am_velocity_create(s, am_units_of("metal"), 3500.0, 3); /* from a minimum: equipartition leaves ~1500 K */
    am_engine *e;
    am_md *md;
    am_engine_create(pot, s, 1.0, &e);
    /* 1 ps to settle (the first steps from a minimum carry Verlet's fixed
     * offset of the shadow energy), then 10 ps measured */
    const long settle = 500, steps = 5000;
    am_md_options o = {.ensemble = AM_NVE, .dt = 0.002, .nsteps = settle + steps};
    am_md_create(e, s, &o, &md);
    am_thermo t;
    double sx = 0, sy = 0, sxx = 0, sxy = 0, emin = INFINITY, emax = -INFINITY, tsum = 0;
    for (long k = 0; k < settle + steps; k++) {
        am_md_step(md);
        if (k < settle) continue;
        am_md_thermo(md, &t);
        const double x = t.time, y = t.conserved;
        sx += x; sy += y; sxx += x * x; sxy += x * y;
        emin = fmin(emin, y);
        emax = fmax(emax, y);
        tsum += t.temperature;
    }
    const double n = (double)s->n, m = (double)steps;
    const double slope = (m * sxy - sx * sy) / (m * sxx - sx * sx); /* eV/ps, least squares */
    check_abs(slope * 10.0 / n, 0, 2e-5, "NVE 10 ps at 2 fs, %.0f K: energy drift per atom, linear fit (eV)",
              tsum / m);
    check_abs((emax - emin) / n, 0, 1e-3, "NVE: energy fluctuation per atom (eV)");
    am_md_free(md);
    am_engine_free(e);
    am_system_free(s);
}

static void nvt_canonical(const am_system *start)
{
    am_system *s;
    am_system_copy(start, &s);
    am_velocity_create(s, am_units_of("metal"), 600.0, 5);
    am_engine *e;
    am_md *md;
    am_engine_create(pot, s, 1.0, &e);
    const double T = 600.0;
    am_md_options o = {.ensemble = AM_NVT, .dt = 0.002, .t_start = T, .t_stop = T, .tdamp = 0.1, .nsteps = 12000};
    am_md_create(e, s, &o, &md);
    double sum = 0, sum2 = 0;
    long m = 0;
    am_thermo t;
    for (long k = 0; k < o.nsteps; k++) {
        am_md_step(md);
        if (k < 2000) continue; /* equilibration */
        am_md_thermo(md, &t);
        sum += t.temperature;
        sum2 += t.temperature * t.temperature;
        m++;
    }
    const double mean = sum / m, sd = sqrt(sum2 / m - mean * mean);
    const double dof = 3.0 * s->n - 3.0, sd_canonical = T * sqrt(2.0 / dof);
    check_rel(mean, T, 0.02, "NVT %g K: mean temperature over 20 ps (K)", T);
    check_rel(sd, sd_canonical, 0.25, "NVT: temperature fluctuation is canonical, T sqrt(2/N_f) (K)");
    am_md_free(md);
    am_engine_free(e);
    am_system_free(s);
}

/* NPT at zero pressure: the mean pressure is the target within its error
 * (from block averages, as samples are correlated). */
/* NPT at zero pressure: the mean pressure is the target within its error, and
 * the mean volume agrees with a LAMMPS fix npt run from the same start within
 * the combined error (block averages, as samples are correlated). */
static void block_stats(const double *block, int nb, double *mean, double *se)
{
    double m = 0, var = 0;
    for (int b = 0; b < nb; b++) m += block[b] / nb;
    for (int b = 0; b < nb; b++) var += (block[b] - m) * (block[b] - m) / (nb - 1);
    *mean = m;
    *se = sqrt(var / nb);
}

static void npt_means(const am_system *start)
{
    enum { NB = 10, EQUIL = 2000, STEPS = 12000 };
    am_system *s;
    am_system_copy(start, &s);
    am_velocity_create(s, am_units_of("metal"), 1000.0, 9);
    /* LAMMPS, same start: block means of the volume every 1000 steps */
    char ps[64], pc[512];
    lmp_pair_lines(potential_path("CuZr_mm.eam.fs"), AM_EAM_FS, s, ps, sizeof ps, pc, sizeof pc);
    const char *dir = scratch_dir("npt_means");
    lmp_result ref;
    double lv[NB] = {0};
    int lok = lmp_run(dir, s, ps, pc,
                      "timestep 0.002\nfix 1 all npt temp 1000 1000 0.1 iso 0 0 0.5\nthermo 1000\nrun 2000\n"
                      "variable v equal vol\nfix av all ave/time 1 1000 1000 v_v file vol.txt\nrun 10000",
                      &ref) == 0;
    if (lok) {
        lmp_result_free(&ref);
        char path[600], line[256];
        snprintf(path, sizeof path, "%s/vol.txt", dir);
        FILE *f = fopen(path, "r");
        int b = 0;
        while (f && fgets(line, sizeof line, f) && b < NB) {
            long step;
            if (line[0] != '#' && sscanf(line, "%ld %lg", &step, &lv[b]) == 2) b++;
        }
        if (f) fclose(f);
        lok = b == NB;
    }
    check_true(lok, "LAMMPS fix npt: 10 block averages of the volume");

    am_engine *e;
    am_md *md;
    am_engine_create(pot, s, 1.0, &e);
    am_md_options o = {.ensemble = AM_NPT, .dt = 0.002, .t_start = 1000, .t_stop = 1000, .tdamp = 0.1,
                       .barostat = AM_BARO_ISO, .pdamp = 0.5, .nsteps = STEPS};
    am_md_create(e, s, &o, &md);
    double bp[NB] = {0}, bv[NB] = {0};
    const long per = (STEPS - EQUIL) / NB;
    am_thermo t;
    for (long k = 0; k < STEPS; k++) {
        am_md_step(md);
        if (k < EQUIL) continue;
        am_md_thermo(md, &t);
        const long b = (k - EQUIL) / per;
        bp[b] += t.pressure / per;
        bv[b] += t.volume / per;
    }
    double pm, pse, vm, vse, lm, lse;
    block_stats(bp, NB, &pm, &pse);
    block_stats(bv, NB, &vm, &vse);
    block_stats(lv, NB, &lm, &lse);
    check_abs(pm, 0.0, 3.0 * pse + 1.0, "NPT 1000 K, 0 bar, 20 ps: mean pressure within 3 standard errors (%.0f bar) "
              "of the target", pse);
    if (lok)
        check_abs(vm, lm, 3.0 * sqrt(vse * vse + lse * lse) + 1e-9,
                  "NPT: mean volume %.1f +- %.1f A^3 agrees with LAMMPS's %.1f +- %.1f A^3", vm, vse, lm, lse);
    am_md_free(md);
    am_engine_free(e);
    am_system_free(s);
}

/* A run checkpointed at step 100 and resumed in a fresh process state gives
 * the same trajectory, bit for bit, as the uninterrupted run. */
static void checkpoint_resume(const am_system *start)
{
    const char *ck = "scratch_md_checkpoint.bin";
    am_md_options o = {.ensemble = AM_NPT, .dt = 0.002, .t_start = 1200, .t_stop = 900, .tdamp = 0.1,
                       .barostat = AM_BARO_ANISO, .p_start = 0, .p_stop = 1000, .pdamp = 0.5, .nsteps = 300};
    am_system *a, *b;
    am_system_copy(start, &a);
    am_velocity_create(a, am_units_of("metal"), 1200.0, 21);
    am_system_copy(a, &b);
    am_engine *ea, *eb;
    am_md *ma, *mb;
    am_engine_create(pot, a, 1.0, &ea);
    am_md_create(ea, a, &o, &ma);
    am_status st = AM_OK;
    for (long k = 1; k <= o.nsteps && !st; k++) {
        st = am_md_step(ma);
        if (k == 100) st = am_md_checkpoint(ma, ck);
    }
    /* "restart": a fresh engine and the checkpoint, onto a system that has
     * only the atoms in common with the run */
    rattle(b, 0.3, 1);
    am_engine_create(pot, b, 1.0, &eb);
    st = st ? st : am_md_resume(eb, b, &o, ck, &mb);
    check_true(st == AM_OK, "resume from the checkpoint (%s)", st ? am_error_message() : "ok");
    for (long k = 101; k <= o.nsteps && !st; k++) st = am_md_step(mb);
    am_thermo ta, tb;
    am_md_thermo(ma, &ta);
    if (!st) am_md_thermo(mb, &tb);
    int same = !st && memcmp(a->x, b->x, a->n * sizeof(double)) == 0 && memcmp(a->vz, b->vz, a->n * sizeof(double)) == 0 &&
               ta.conserved == tb.conserved && ta.volume == tb.volume;
    check_true(same, "NPT run resumed at step 100 of 300 is bit-identical to the uninterrupted run");
    if (!st) am_md_free(mb);
    am_md_free(ma);
    am_engine_free(ea);
    am_engine_free(eb);
    am_system_free(a);
    am_system_free(b);
}

int main(void)
{
    if (!lmp_available()) { printf("LAMMPS (lmp) not found\n"); return 1; }
    if (am_potential_read(potential_path("CuZr_mm.eam.fs"), AM_EAM_AUTO, &pot)) return 1;
    am_system *s = load_conf(source_path("tests/data/cuzr_glass_432.data"), "Cu,Zr");
    if (!check_true(s != NULL, "read the CuZr glass")) return check_exit();
    lmp_pair_lines(potential_path("CuZr_mm.eam.fs"), AM_EAM_FS, s, cuzr_style, sizeof cuzr_style, cuzr_coeff,
                   sizeof cuzr_coeff);
    kob_andersen();

    am_system *hot;
    am_system_copy(s, &hot);
    am_velocity_create(hot, am_units_of("metal"), 1500.0, 42);
    check_rel(am_temperature(hot, am_units_of("metal")), 1500.0, 1e-12, "velocities scaled to exactly 1500 K");
    am_md_options nve = {.ensemble = AM_NVE, .dt = 0.002, .nsteps = 200};
    against_lammps("NVE 200 steps, 1500 K", hot, nve, "fix 1 all nve");
    am_md_options nvt = {.ensemble = AM_NVT, .dt = 0.002, .t_start = 1000, .t_stop = 1000, .tdamp = 0.1, .nsteps = 200};
    against_lammps("NVT 200 steps, 1500 K -> 1000 K", hot, nvt, "fix 1 all nvt temp 1000 1000 0.1");
    am_md_options ramp = {.ensemble = AM_NVT, .dt = 0.002, .t_start = 1500, .t_stop = 500, .tdamp = 0.2, .nsteps = 200};
    against_lammps("NVT ramp 1500 -> 500 K", hot, ramp, "fix 1 all nvt temp 1500 500 0.2");
    am_md_options npt = {.ensemble = AM_NPT, .dt = 0.002, .t_start = 1200, .t_stop = 1200, .tdamp = 0.1,
                         .barostat = AM_BARO_ISO, .p_start = 0, .p_stop = 0, .pdamp = 1.0, .nsteps = 200};
    against_lammps("NPT iso 200 steps, 1200 K, 0 bar", hot, npt, "fix 1 all npt temp 1200 1200 0.1 iso 0 0 1.0");
    am_md_options npa = {.ensemble = AM_NPT, .dt = 0.002, .t_start = 1500, .t_stop = 800, .tdamp = 0.1,
                         .barostat = AM_BARO_ANISO, .p_start = 5000, .p_stop = 0, .pdamp = 0.5, .nsteps = 200};
    against_lammps("NPT aniso 200 steps, 1500 -> 800 K, 5000 -> 0 bar", hot, npa,
                   "fix 1 all npt temp 1500 800 0.1 aniso 5000 0 0.5");
    am_system_free(hot);

    checkpoint_resume(s);
    nve_conservation(s);
    nvt_canonical(s);
    npt_means(s);
    am_system_free(s);
    am_potential_free(pot);
    return check_exit();
}
