/* Internal: EAM tables, following LAMMPS pair_eam{,/alloy,/fs} exactly.
 *
 * Reading (eam_read.c) gives the raw tabulated functions; eam_tables.c puts
 * them on one grid (LAMMPS file2array) and fits the cubic pieces (LAMMPS
 * interpolate); eam_kernel.c evaluates energies and forces. */
#ifndef AM_POTENTIAL_EAM_H
#define AM_POTENTIAL_EAM_H

#include "amorph/potential.h"

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

struct am_potential {
    am_eam_style style;
    int nel;
    char el[AM_MAX_SPECIES][AM_NAME_LEN];
    double mass[AM_MAX_SPECIES];
    eam_tables t;
};

/* Readers fill p->el, p->mass, p->nel, p->style and raw arrays. */
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

#endif
