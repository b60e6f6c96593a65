/* amorph — interatomic potentials and force evaluation.
 *
 * A potential is a kind of force engine and its parameters. Kinds:
 * embedded-atom method potentials in the three DYNAMO tabulated formats that
 * LAMMPS reads — funcfl (`pair_style eam`, *.eam), setfl (`eam/alloy`,
 * *.eam.alloy / *.setfl) and Finnis–Sinclair (`eam/fs`, *.eam.fs), tables
 * interpolated exactly as LAMMPS does, so energies and forces agree with it
 * to round-off — in LAMMPS `metal` units; and the Lennard-Jones pair
 * potential of LAMMPS `pair_style lj/cut` (*.lj files) in LAMMPS `lj`
 * reduced units. Every number a potential takes or gives is in its unit
 * system (am_potential_units); below, "energy" and "length" are its energy
 * and length units (eV and Å in metal). docs/engines.md. */
#ifndef AMORPH_POTENTIAL_H
#define AMORPH_POTENTIAL_H

#include "amorph/system.h"

#ifdef __cplusplus
extern "C" {
#endif

/* Named potentials. "mendelev2009": the Cu–Zr Finnis–Sinclair potential of
 * Mendelev et al., Phil. Mag. 89 (2009) 967, shipped with amorph
 * (data/potentials/Cu-Zr_2.eam.fs, its README gives the checksum) and the
 * default for Cu–Zr: the one the source paper uses. "mendelev2007": the
 * earlier Mendelev–Sordelet–Kramer potential, J. Appl. Phys. 102 (2007)
 * 043501, Debian lammps-data's CuZr_mm.eam.fs. See docs/potential.md.
 * "kob-andersen": the Kob–Andersen binary Lennard-Jones mixture (W. Kob and
 * H. C. Andersen, Phys. Rev. E 51 (1995) 4626), types A and B, cutoffs
 * 2.5 σ_αβ, energies shifted to zero there, unit masses, LJ units, shipped
 * as data/potentials/kob_andersen.lj. See docs/engines.md. */
#define AM_POTENTIAL_DEFAULT_NAME "mendelev2009"
#define AM_POTENTIAL_MENDELEV2007 "/usr/share/lammps/potentials/CuZr_mm.eam.fs"

/* The file of a named potential, or `name` itself when it is not a name (a
 * name has no '/' and no '.': a file the reader could open needs its
 * extension for the format anyway, so the two cannot be confused). Shipped
 * files are looked up in $AMORPH_DATA_DIR/potentials when that is set, else
 * in the installed data (<prefix>/share/amorph/potentials, found from where
 * the shared library, or the program a static one is linked into, was
 * loaded: any install prefix works), else in the source tree the library was
 * built from. Returns a pointer to a thread-local
 * string or to `name`; NULL for a name that is not known. */
AM_API const char *am_potential_resolve(const char *name);

/* The kind and file format of a potential (the name predates kinds other
 * than EAM). */
typedef enum am_eam_style {
    AM_EAM_AUTO = 0,  /* from the file name: .eam.fs, .eam.alloy/.setfl, .eam, .lj */
    AM_EAM_FUNCFL,    /* pair_style eam */
    AM_EAM_SETFL,     /* pair_style eam/alloy */
    AM_EAM_FS,        /* pair_style eam/fs */
    AM_LJ_CUT,        /* pair_style lj/cut: an amorph .lj file (docs/engines.md) */
    AM_LAMMPS         /* any pair style, computed by LAMMPS through its library: a file of pair commands */
} am_eam_style;

typedef struct am_potential am_potential;

/* Reads a potential of the given kind (AM_EAM_AUTO: from the extension).
 * For funcfl, `path` may list one file per element, separated by commas
 * ("Cu_u3.eam,Ni_u3.eam"), as several `pair_coeff i i` lines would in
 * LAMMPS. */
AM_API am_status am_potential_read(const char *path, am_eam_style style, am_potential **out);
/* The same for a potential's name or path (am_potential_resolve). */
AM_API am_status am_potential_open(const char *name_or_path, am_eam_style style, am_potential **out);
AM_API void am_potential_free(am_potential *p);

/* The potential's species ("elements"; the types of an LJ potential):
 * systems are matched to them by name. */
AM_API int am_potential_nelements(const am_potential *p);
AM_API const char *am_potential_element(const am_potential *p, int k); /* e.g. "Cu" */
AM_API double am_potential_mass(const am_potential *p, int k);         /* mass unit (amu in metal) */
AM_API double am_potential_cutoff(const am_potential *p);              /* largest, length unit */
AM_API am_eam_style am_potential_style(const am_potential *p);
/* The LAMMPS pair style the potential's engine reproduces: "eam",
 * "eam/alloy", "eam/fs", "lj/cut". */
AM_API const char *am_potential_kind(const am_potential *p);
/* The LAMMPS unit style of its numbers: "metal" (EAM) or "lj" (LJ). */
AM_API const char *am_potential_units(const am_potential *p);
/* 64-bit hash of everything the forces depend on (kind, elements, masses,
 * the parameters or tabulated functions): checkpoints and event logs record
 * it, so that a run resumed with another potential is refused. */
AM_API uint64_t am_potential_hash(const am_potential *p);

/* Forces from LAMMPS itself, through its C library (kind "lammps",
 * docs/engines.md): any pair style LAMMPS has, given as the pair commands of
 * a LAMMPS input (pair_style, pair_coeff, pair_modify; at most AM_LMP_MAX_CMD
 * characters each, of letters, digits, spaces and _ . / - + * : @ , = only:
 * no variables, quotes, comments or Python) in LAMMPS unit style `units`
 * ("metal" or "lj"). LAMMPS atom types are a system's species in order (type
 * 1 = its first species), as in a LAMMPS data file, so the potential has no
 * elements of its own (am_potential_nelements 0) and takes any species with
 * a mass. File names in the commands are looked for as LAMMPS does (the
 * working directory, then $LAMMPS_POTENTIALS, which is set to Debian's
 * /usr/share/lammps/potentials when unset); their contents enter the hash.
 * The commands are checked again by LAMMPS when an engine is made: by the
 * `lmp` program in a child process first (LAMMPS stops the process on an
 * error), whose ERROR line becomes the message. The cutoff is LAMMPS's
 * (force cutoff of the pair style), known once an engine has been made (NaN
 * before). */
#define AM_LMP_MAX_CMD 1024
AM_API am_status am_potential_lammps(const char *units, const char *const *cmds, int ncmd, am_potential **out);
/* The same for a native potential's file or name (am_potential_open): its
 * pair style, file and elements as LAMMPS commands (eam, eam/alloy, eam/fs:
 * pair_coeff with the file's absolute path and the system's species; lj/cut:
 * one pair_coeff per pair of species, pair_modify shift and mix), so the same
 * model runs in LAMMPS; elements, masses and units are the file's. */
AM_API am_status am_potential_lammps_open(const char *name_or_path, am_potential **out);
/* A file of pair commands is read by am_potential_read with AM_LAMMPS: one
 * command per line; blank lines and lines starting with # are skipped; an
 * optional `units metal` or `units lj` before the first (default metal). */

/* The pair commands of a "lammps" potential for system s (its species are
 * LAMMPS's types, in order): *ncmd malloc'ed strings in a malloc'ed array,
 * freed with am_strings_free. */
AM_API am_status am_potential_lammps_commands(const am_potential *p, const am_system *s, char ***cmds, int *ncmd);
AM_API void am_strings_free(char **strings, int n);

/* Output of one evaluation. Arrays are caller-owned, length n, in the
 * system's atom order; optional ones may be NULL. Units are the potential's
 * (eV, Å in metal; ε, σ in lj). */
typedef struct am_result {
    /* Input: 1 skips the virial (left zero), which saves a quarter of the
     * time when no pressure is needed (minimisation at fixed box, NVE/NVT). */
    int skip_virial;
    double energy;        /* total potential energy, energy */
    double virial[6];     /* Σ_pairs r_ij,a f_ij,b (LAMMPS sign), energy; xx yy zz xy xz yz */
    double *fx, *fy, *fz; /* forces, energy/length (required) */
    double *e_atom;       /* per-atom energy: EAM F(ρ_i) + ½ Σ_j φ_ij, pair potentials ½ Σ_j φ_ij (optional) */
    double *v_atom;       /* per-atom virial, 6 per atom as above, half of each pair's (optional; not with skip_virial) */
    double *rho;          /* EAM host electron density ρ_i; 0 for kinds without one (optional) */
} am_result;

/* A potential bound to a system's species, with its neighbour list and
 * scratch space. Not thread-safe: one engine per concurrent evaluation. */
typedef struct am_engine am_engine;

/* skin: neighbour-list skin, length unit (LAMMPS metal default 2.0 Å; 1.0 Å
 * is a good choice for glasses). Species are matched by name, masses missing
 * in the system are taken from the potential. p must outlive the engine. */
AM_API am_status am_engine_create(const am_potential *p, am_system *s, double skin, am_engine **out);
AM_API void am_engine_free(am_engine *e);
/* The potential the engine was created with. */
AM_API const am_potential *am_engine_potential(const am_engine *e);
/* Energy, forces and virial for the current positions and box of s (same n
 * and species as at creation). Threads: OpenMP; results are bit-identical
 * whatever the thread count. */
AM_API am_status am_engine_compute(am_engine *e, const am_system *s, am_result *r);
/* Number of neighbour-list builds so far. */
AM_API long am_engine_nbuilds(const am_engine *e);
/* Rebuilds the neighbour list at the next evaluation (see am_nlist_invalidate). */
AM_API void am_engine_invalidate(am_engine *e);

/* Local evaluation (ARTn's local forces): a region of "active" atoms moves
 * while every other atom stays frozen where it was at the region's creation.
 * The energy is that of the whole system, but (EAM) only the terms that can
 * change are recomputed: the densities and energies of the active atoms and
 * of the atoms within cutoff + skin of them, forces on the active atoms only.
 * The neighbour list covers those atoms alone and is rebuilt when an active
 * atom has moved more than skin/2 since the last build, so an evaluation
 * costs in proportion to the region, not to the system. See docs/saddle.md.
 * Kinds without a local evaluation of their own (LJ, so far) evaluate the
 * whole system: the same numbers, at the cost of the system. */
typedef struct am_region am_region;

/* Active atoms: indices active[0..nactive-1] of s (distinct). Evaluates s
 * once in full with e (the reference energy and per-atom energies) and
 * copies the positions it needs; s is not referenced afterwards, e is (its
 * tables) and must outlive the region. The engine's skin is the region's. */
AM_API am_status am_region_create(am_engine *e, const am_system *s, const size_t *active, size_t nactive, am_region **out);
AM_API void am_region_free(am_region *g);
/* Total energy (eV) and forces on the active atoms (eV/Å, 3 per atom,
 * atom-major, in the order of `active`) with the active atoms at xa (Å, the
 * same layout; unwrapped, i.e. continuing their positions in s) and every
 * other atom at its position in s. Equal to am_engine_compute on that
 * configuration to round-off. Serial (regions are meant for many independent
 * searches run in parallel). */
AM_API am_status am_region_compute(am_region *g, const double *xa, double *energy, double *fa);
AM_API size_t am_region_nactive(const am_region *g);
/* Atoms whose energy is recomputed: the active ones and every atom that has
 * been within cutoff + skin of one at a list build (all atoms for a
 * whole-system region). */
AM_API size_t am_region_nrows(const am_region *g);
/* Neighbour-list builds so far (the first at creation). */
AM_API long am_region_nbuilds(const am_region *g);

/* eV/Å³ → bar (LAMMPS metal nktv2p). */
#define AM_EV_A3_TO_BAR 1.6021765e6
/* Pressure tensor (bar, xx yy zz xy xz yz) from a virial (eV) and volume
 * (Å³), no kinetic part: metal units. */
AM_API void am_pressure_from_virial(const double virial[6], double volume, double p[6]);

/* A LAMMPS unit style: the names amorph prints (ASCII) and the constants of
 * LAMMPS's update.cpp for that style, so that temperatures, kinetic energies,
 * pressures and Boltzmann factors agree with LAMMPS run in the same units.
 * Every verb and library routine that needs them takes them from the
 * potential (am_engine_units), never from compile-time constants. */
typedef struct am_units {
    const char *style;    /* "metal", "lj" */
    const char *energy, *length, *force, *pressure, *volume, *mass;
    const char *time;        /* "ps", "tau" */
    const char *temperature; /* "K", "epsilon/k_B" */
    const char *frequency;   /* cycles per time unit: "THz", "1/tau" */
    double nktv2p;        /* energy/volume to the pressure unit (LAMMPS nktv2p) */
    double boltz;         /* k_B, energy per temperature unit: 8.617343e-5 eV/K, 1 in lj */
    double mvv2e;         /* mass·velocity² to energy: 1.0364269e-4 (amu Å²/ps² in eV), 1 in lj */
} am_units;
/* The units of a style; NULL for a style amorph does not know. */
AM_API const am_units *am_units_of(const char *style);
/* The units of an engine's potential (never NULL). */
AM_API const am_units *am_engine_units(const am_engine *e);
/* Frequency ν = ω/2π (u->frequency) of an eigenvalue λ of the mass-weighted
 * Hessian (energy/(length² mass)): sqrt(λ/mvv2e)/2π, negative for λ < 0
 * (an imaginary frequency). */
AM_API double am_units_frequency(const am_units *u, double lambda);
/* Pressure tensor (u->pressure, xx yy zz xy xz yz) from a virial (energy)
 * and volume (length³) in units u, no kinetic part. */
AM_API void am_units_pressure(const am_units *u, const double virial[6], double volume, double p[6]);

#ifdef __cplusplus
}
#endif
#endif
