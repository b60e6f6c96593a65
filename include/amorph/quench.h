/* amorph — glass preparation by melt and quench.
 *
 * Random liquid-like start (or a given configuration) → melt at T_melt under
 * NPT → cool at a fixed rate to T_end under NPT → minimise atoms and box to
 * the inherent structure; or the same at constant volume (NVT, then the
 * atoms alone), as Lennard-Jones glasses are made at a fixed density. The
 * cooling curve (T, V, E per atom) gives Tg from two straight-line fits.
 * Resumable from checkpoints, bit for bit. Units are the potential's
 * (am_engine_units); the defaults below are metal's, with lj's in brackets
 * (docs/dynamics.md, "Units"). */
#ifndef AMORPH_QUENCH_H
#define AMORPH_QUENCH_H

#include "amorph/dynamics.h"
#include "amorph/minimize.h"

#ifdef __cplusplus
extern "C" {
#endif

/* Random configuration of natoms with composition like "Cu50Zr50" (element
 * symbols with relative amounts; masses from the element table), number
 * density rho (atoms per length unit cubed) in a cubic periodic box, no two
 * atoms closer than dmin (random sequential addition). Deterministic for a
 * seed. */
AM_API am_status am_system_random(const char *composition, size_t natoms, double rho, double dmin, unsigned long seed,
                           am_system **out);
/* The same with the species of potential p, names and masses (a
 * Lennard-Jones potential's types: "A80B20" for Kob-Andersen); the same
 * configuration as am_system_random where both take the composition. */
AM_API am_status am_system_random_potential(const am_potential *p, const char *composition, size_t natoms, double rho,
                                     double dmin, unsigned long seed, am_system **out);

typedef struct am_quench_options {
    double t_melt;        /* K (default 2000 [2.0]) */
    double melt_time;     /* ps (default 20 [20 τ]; the paper: 4000) */
    double t_end;         /* K (default 300 [0.1]) */
    double rate;          /* cooling rate, K/ps (default 1 = 1e12 K/s [1e-3 per τ]; the paper: 0.01) */
    double pressure;      /* bar (default 0); NPT runs and the final box relaxation only */
    /* 0: NPT (MTK, iso) and the box relaxed at the end; 1: NVT in the
     * starting box, which the final minimisation keeps (the density of the
     * start is the glass's) */
    int constant_volume;
    double dt, tdamp, pdamp; /* ps (defaults 0.002, 0.2, 2.0 [0.005, 0.5, 5.0]: 100 and 1000 steps) */
    long sample_every;    /* steps per cooling-curve point (default: 1/200 of the cooling, 10 to 500) */
    unsigned long seed;   /* melt velocities */
    double ftol;          /* final minimisation, eV/Å (default 1e-6 [ε/σ]) */
    const char *checkpoint; /* file, or NULL for none */
    long checkpoint_every;  /* steps (default 25000) */
    /* progress report, may be NULL: steps done of total */
    void (*progress)(void *ctx, long done, long total);
    void *progress_ctx;
} am_quench_options;

/* One cooling-curve point: means over sample_every steps. */
typedef struct am_cooling_point {
    double t;       /* K (ε/k_B) */
    double v;       /* Å³/atom (σ³) */
    double e;       /* potential energy, eV/atom (ε) */
} am_cooling_point;

typedef struct am_quench_result {
    am_cooling_point *curve; /* ncurve points, malloc'd: free with am_quench_result_free */
    size_t ncurve;
    double tg_v, tg_e;       /* K, from V(T) and E(T); NAN if a fit failed (and for V at constant volume) */
    double liquid[2], glass[2]; /* temperature ranges of the two fits, K */
    double e_final, v_final; /* inherent structure: eV/atom, Å³/atom */
    double p_final;          /* its pressure (virial only), bar: the target when the box was relaxed */
    am_min_result min;
    int resumed;             /* 1 if continued from a checkpoint */
} am_quench_result;

AM_API am_status am_quench(am_engine *e, am_system *s, const am_quench_options *o, am_quench_result *r);
AM_API void am_quench_result_free(am_quench_result *r);

/* Default fit ranges for a quench from t_melt to t_end, K: liquid
 * t_end + (0.5..0.8)(t_melt - t_end), glass t_end + (0..0.15)(t_melt - t_end). */
AM_API void am_tg_default_ranges(double t_melt, double t_end, double liquid[2], double glass[2]);
/* Default steps per cooling-curve point: 1/200 of the cooling, 10 to 500. */
AM_API long am_quench_sample_every(long cool_steps);

/* Tg as the crossing of straight lines fitted to (t, y) in the liquid and
 * glass temperature ranges (least squares). */
AM_API am_status am_tg_fit(const am_cooling_point *c, size_t n, int use_energy, const double liquid[2],
                    const double glass[2], double *tg);

/* Reads a cooling curve as `amorph quench` writes it (OUT.curve.csv): lines
 * starting with '#' (comments, anywhere) and blank lines are skipped; the
 * first other line may be the header T_K,V_A3_per_atom,E_eV_per_atom (or its
 * lj counterpart, am_cooling_curve_header); every
 * other line is one point "T,V,E" (K, Å³/atom, eV/atom): three finite numbers
 * separated by commas. Errors name the file and line and what was expected; a
 * file without points is an error. On success *c holds *n >= 1 points in file
 * order, malloc'd: the caller frees it with free(). On failure *c = NULL, *n = 0. */
AM_API am_status am_cooling_curve_read(const char *path, am_cooling_point **c, size_t *n);
/* The column line of a cooling curve in units u, as amorph quench writes it:
 * T_K,V_A3_per_atom,E_eV_per_atom in metal,
 * T_epsilon_per_kB,V_sigma3_per_atom,E_epsilon_per_atom in lj; the reader
 * above takes either. */
AM_API const char *am_cooling_curve_header(const am_units *u);

#ifdef __cplusplus
}
#endif
#endif
