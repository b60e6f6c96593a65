/* Internal: force engines as pluggable kinds (docs/engines.md).
 *
 * A potential (am_potential) is a kind and its parameters; the kind is a
 * const table of operations, am_engine_type, in the manner of GSL's
 * algorithm types: the public calls (am_engine_create, am_engine_compute,
 * am_region_*, am_hessian_create, am_potential_hash ...) check what every
 * kind shares once and then dispatch through the table to the kind's opaque
 * state. Optional operations left NULL get generic fallbacks: a region that
 * evaluates the whole system (region_full.c), a Hessian by central
 * differences of forces (vibration/hessian_fd.c). */
#ifndef AM_POTENTIAL_ENGINE_TYPE_H
#define AM_POTENTIAL_ENGINE_TYPE_H

#include "amorph/potential.h"
#include "core/hash.h"

typedef struct am_engine_type am_engine_type;

/* A model: what every kind has (its species, named and with masses, in the
 * kind's own order: the potential's "elements") and its own parameters. */
struct am_potential {
    const am_engine_type *type;
    const char *units; /* LAMMPS unit style: the kind's, or the model's own (LAMMPS) */
    void *model; /* owned; released by type->model_free */
    int nel;
    char el[AM_MAX_SPECIES][AM_NAME_LEN];
    double mass[AM_MAX_SPECIES]; /* in the kind's mass unit */
};

/* A potential bound to a system: the species map every kind needs, and the
 * kind's state. */
struct am_engine {
    const am_engine_type *type;
    const am_potential *pot;
    size_t n;
    int nsp;
    int sp2el[AM_MAX_SPECIES]; /* potential element of each system species */
    double skin;
    void *state;
};

/* Local evaluation (am_region_*, potential.h). create gets the engine the
 * region is made from and must leave it usable by its caller; the region
 * may keep pointers to the engine's read-only data, as the engine outlives
 * it. Regions of one engine are used from several threads at once, so
 * compute must not write to anything the engine owns. */
typedef struct am_region_ops {
    am_status (*create)(am_engine *e, const am_system *s, const size_t *active, size_t nactive, void **out);
    am_status (*compute)(void *g, const double *xa, double *energy, double *fa);
    size_t (*nrows)(const void *g);
    long (*nbuilds)(const void *g);
    void (*free)(void *g);
} am_region_ops;

struct am_region {
    const am_region_ops *ops;
    size_t na;
    void *state;
};

/* A pair (i of element ei, j of element ej) at distance r: the pair
 * function phi and the densities f_ij (at i due to j) and f_ji, each with
 * its first and second r-derivatives (energy/length^k); all zero beyond the
 * pair's cutoff. */
typedef struct am_radial {
    double phi, dphi, d2phi;
    double fij, dfij, d2fij;
    double fji, dfji, d2fji;
} am_radial;

/* The model in pair-and-embedding form,
 *   E = Σ_i F_{e_i}(ρ_i) + ½ Σ_{i≠j} φ_{e_i e_j}(r_ij),  ρ_i = Σ_j f_{e_i←e_j}(r_ij),
 * from which src/vibration/hessian.c builds the analytic Hessian. Pair
 * potentials have no embedding (embed NULL, densities zero). */
typedef struct am_pair_embed {
    void (*radial)(const am_potential *p, int ei, int ej, double r, am_radial *out);
    /* F(ρ) of element e, F'(ρ) in *fp, F''(ρ) in *fpp */
    double (*embed)(const am_potential *p, int e, double rho, double *fp, double *fpp);
} am_pair_embed;

struct am_engine_type {
    const char *name;  /* the LAMMPS pair style it reproduces: "eam/fs", "lj/cut" */
    const char *units; /* LAMMPS unit style of its numbers: "metal", "lj" */
    am_eam_style style; /* what am_potential_style reports */

    /* Reads a file of the kind: fills p->nel, p->el, p->mass and p->model
     * (left NULL on failure), with errors naming the file and line. */
    am_status (*read)(const char *path, am_potential *p);
    void (*model_free)(void *model);
    /* Largest distance at which two atoms interact. */
    double (*cutoff)(const am_potential *p);
    /* Feeds everything the forces depend on, names and masses included. */
    void (*hash)(const am_potential *p, am_hash *h);

    /* The kind's state of an engine whose generic part (e->pot, n, nsp,
     * sp2el, skin) is filled and checked: the system's species all map to
     * the potential's. s is the system it is made for (kinds that keep
     * their own copy of the atoms, such as LAMMPS, need it; the others are
     * given positions at each compute). */
    am_status (*create)(const am_engine *e, const am_system *s, void **state);
    /* r is checked (forces present, no per-atom virial with skip_virial),
     * s has the engine's atom and species counts. */
    am_status (*compute)(void *state, const am_system *s, am_result *r);
    long (*nbuilds)(const void *state);
    void (*invalidate)(void *state);
    void (*free)(void *state);

    const am_region_ops *region;      /* NULL: the whole-system region */
    const am_pair_embed *pair_embed;  /* NULL: Hessian by finite differences */
};

/* Potential element of each system species (by name); fills masses the
 * system lacks from the potential. Fails naming the missing species. A
 * potential without elements (LAMMPS pair commands) takes every species as
 * it is (sp2el the identity), if it has a mass. */
am_status am_potential_species_map(const am_potential *p, am_system *s, int sp2el[AM_MAX_SPECIES]);

/* r->energy and r->virial from per-atom energies e and virials v (6 each;
 * NULL: the virial is left zero), n atoms, summed in their order: threads
 * fill the per-atom arrays, and a fixed order of the totals keeps them
 * independent of the thread count. */
void am_engine_totals(const double *e, const double *v, size_t n, am_result *r);

/* The region that evaluates the whole system (any kind). */
extern const am_region_ops am_region_full_ops;

/* The kinds (eam_type.c, lj_engine.c). */
extern const am_engine_type am_eam_funcfl_type, am_eam_setfl_type, am_eam_fs_type;
extern const am_engine_type am_lj_cut_type;
extern const am_engine_type am_lammps_type;

#endif
