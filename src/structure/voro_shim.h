/* Internal: the only C++ in amorph — a minimal extern "C" shim around voro++
 * (Rycroft, Chaos 19 (2009) 041111), the field's Voronoi library. */
#ifndef AM_STRUCTURE_VORO_SHIM_H
#define AM_STRUCTURE_VORO_SHIM_H

#include <stddef.h>

#ifdef __cplusplus
extern "C" {
#endif

/* Voronoi cells of the points begin .. end-1 of n points in a fully
 * periodic cell with edge vectors a = (bx,0,0), b = (bxy,by,0),
 * c = (bxz,byz,bz) (the LAMMPS convention is voro++'s), positions relative
 * to the cell origin. Each call builds its own container, so calls for
 * disjoint ranges may run in parallel threads. Outputs, for m = end - begin
 * cells, malloc'd here and freed by the caller with free():
 *   volume[m];
 *   first[m+1]: faces of cell begin+c are k = first[c] .. first[c+1]-1, with
 *   neighbor[k] (index of the point across face k), order[k] (its number of
 *   edges) and area[k].
 * Returns 0 on success, 1 if out of memory, 2 if a cell could not be built. */
int amv_tessellate(size_t n, const double *x, const double *y, const double *z, double bx, double bxy, double by,
                   double bxz, double byz, double bz, size_t begin, size_t end, double **volume, size_t **first,
                   int **neighbor, int **order, double **area);

#ifdef __cplusplus
}
#endif
#endif
