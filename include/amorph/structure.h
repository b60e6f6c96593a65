/* amorph — per-atom structural descriptors.
 *
 * Voronoi tessellation (through voro++): per atom the cell volume, the
 * Voronoi index <n3, n4, n5, ..., n10> (faces by number of edges),
 * coordination number CN (number of faces), the five- and six-fold local
 * symmetries L5FS = n5/Σn and L6FS = n6/Σn, and the faces themselves. */
#ifndef AMORPH_STRUCTURE_H
#define AMORPH_STRUCTURE_H

#include "amorph/system.h"

#ifdef __cplusplus
extern "C" {
#endif

#define AM_VORO_MAXORDER 10 /* faces with more edges are counted as 10-edged */

typedef struct am_voronoi {
    size_t n;
    double *volume;   /* Å³ per atom; the volumes sum to the cell's */
    int *cn;          /* faces kept per atom */
    int *index;       /* 8 per atom: n3, n4, ..., n10 */
    double *l5fs, *l6fs;
    /* kept faces of atom i: k = first[i] .. first[i+1]-1; neighbor[k] is a
     * system atom index, area[k] in Å², order[k] edges */
    size_t *first;
    int *neighbor, *order;
    double *area;
} am_voronoi;

/* Tessellates a fully periodic system (orthogonal or triclinic). Faces whose
 * area is below min_area_fraction of their cell's total face area are
 * dropped from index, CN and face lists (0 keeps all, as OVITO's default);
 * volumes always come from the full cells. */
am_status am_voronoi_compute(const am_system *s, double min_area_fraction, am_voronoi **out);
void am_voronoi_free(am_voronoi *v);

#ifdef __cplusplus
}
#endif
#endif
