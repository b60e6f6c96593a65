/* Internal: EAM tables, following LAMMPS pair_eam{,/alloy,/fs} exactly.
 *
 * Reading (eam_read.c) gives the raw tabulated functions; eam_tables.c puts
 * them on one grid (LAMMPS file2array) and fits the cubic pieces (LAMMPS
 * interpolate); eam_kernel.c evaluates energies and forces. */
#ifndef AM_POTENTIAL_EAM_H
#define AM_POTENTIAL_EAM_H

#include "potential/engine_type.h"

/* One funcfl file: a single element on its own grid. Arrays 0-based. */
typedef struct eam_funcfl {
    double mass;
    int nrho, nr;
    double drho, dr, cut;
    double *frho; /* nrho */
    double *zr;   /* nr: effective charge Z(r), sqrt(Hartree·Bohr) */
    double *rhor; /* nr */
} eam_funcfl;

/* Functions on the common grid and their cubic pieces, as LAMMPS stores them
 * after file2array(): spline[k][m][0..6] for grid point m (0-based here,
 * 1-based in LAMMPS); [3..6] value coefficients, [0..2] derivative ones. */
typedef struct eam_tables {
    int nrho, nr;
    double drho, dr, rdrho, rdr, rhomax, cut;
    int nfrho, nrhor, nz2r;
    double *frho_spline; /* nfrho * nrho * 7 */
    double *rhor_spline; /* nrhor * nr * 7 */
    double *z2r_spline;  /* nz2r * nr * 7 */
    /* Maps from potential element indices (0-based) to function indices. */
    int elem2frho[AM_MAX_SPECIES];
    int elem2rhor[AM_MAX_SPECIES][AM_MAX_SPECIES]; /* [i][j]: LAMMPS type2rhor */
    int elem2z2r[AM_MAX_SPECIES][AM_MAX_SPECIES];
} eam_tables;

/* The model of the EAM kinds (am_potential.model). */
static inline const eam_tables *eam_model(const am_potential *p) { return (const eam_tables *)p->model; }

/* Readers fill the element names and masses and raw arrays. */
am_status eam_read_funcfl(const char *path, eam_funcfl *f, char name[AM_NAME_LEN]);
void eam_funcfl_free(eam_funcfl *f);

/* setfl / fs raw data on the file's grid (0-based arrays). */
typedef struct eam_setfl {
    int nel, nrho, nr;
    double drho, dr, cut;
    double *frho[AM_MAX_SPECIES];                    /* nrho each */
    double *rhor[AM_MAX_SPECIES * AM_MAX_SPECIES];   /* setfl: [i]; fs: [i*nel+j] */
    double *z2r[AM_MAX_SPECIES * (AM_MAX_SPECIES + 1) / 2]; /* lower triangle i>=j, row-major */
} eam_setfl;

am_status eam_read_setfl(const char *path, int fs, eam_setfl *f, char el[][AM_NAME_LEN], double *mass);
void eam_setfl_free(eam_setfl *f);

/* Build the common-grid tables and splines. */
am_status eam_tables_from_funcfl(eam_tables *t, const eam_funcfl *files, int nfiles);
am_status eam_tables_from_setfl(eam_tables *t, const eam_setfl *f, int fs);
void eam_tables_free(eam_tables *t);

/* The kinds' operations on the model (eam_model.c), engine (eam_engine.c)
 * and local regions (eam_local.c), gathered in eam_type.c. */
am_status eam_read_funcfl_kind(const char *path, am_potential *p);
am_status eam_read_setfl_kind(const char *path, am_potential *p);
am_status eam_read_fs_kind(const char *path, am_potential *p);
void eam_model_free(void *model);
double eam_cutoff(const am_potential *p);
void eam_hash(const am_potential *p, am_hash *h);
am_status eam_engine_create(const am_engine *e, const am_system *s, void **state);
am_status eam_engine_compute(void *state, const am_system *s, am_result *r);
long eam_engine_nbuilds(const void *state);
void eam_engine_invalidate(void *state);
void eam_engine_free(void *state);
extern const am_region_ops eam_region_ops;

#endif
