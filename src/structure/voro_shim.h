/* Internal: the only C++ in amorph — a minimal extern "C" shim around voro++
 * (Rycroft, Chaos 19 (2009) 041111), the field's Voronoi library. */
#ifndef AM_STRUCTURE_VORO_SHIM_H
#define AM_STRUCTURE_VORO_SHIM_H

#include <stddef.h>

#ifdef __cplusplus
extern "C" {
#endif

/* The cells of one piece of a tessellation, as flat arrays malloc'd by the
 * shim and freed by the caller with free(); cell c = 0 .. m-1, in the order
 * computed:
 *   id[m]: the point it belongs to; volume[m];
 *   first[m+1]: faces of cell c are k = first[c] .. first[c+1]-1, with
 *   neighbor[k] (index of the point across face k), order[k] (its number of
 *   edges) and area[k] (Å²), in voro++'s order;
 *   tfirst[m+1], tri[3·T]: the Delaunay (or, radical, regular) tetrahedra
 *   around cell c's point are (point, tri[3t], tri[3t+1], tri[3t+2]) for
 *   t = tfirst[c] .. tfirst[c+1]-1: one per cell vertex where three faces
 *   meet (the three neighbours across them), and a fan of order−2 around a
 *   vertex where more meet (cospherical points, as in perfect crystals). */
typedef struct amv_cells {
    size_t m;
    int *id;
    double *volume, *area;
    size_t *first, *tfirst;
    int *neighbor, *order, *tri;
} amv_cells;

/* Voronoi cells of piece `part` (0 .. parts-1) of n points in a fully
 * periodic cell with edge vectors a = (bx,0,0), b = (bxy,by,0),
 * c = (bxz,byz,bz) (the LAMMPS convention is voro++'s), positions relative
 * to the cell origin. The pieces split the points into spatially compact
 * sets of about n/parts; together they hold every point once. r: NULL for
 * the plain tessellation, or n radii (Å) for the radical (power) one, whose
 * face between two points lies where the tangent lengths to their spheres
 * are equal; a radical cell may be empty (volume 0, no faces). Each call
 * builds its own container, so the pieces may run in parallel threads, and
 * a cell is the same whichever piece computes it. Fills *out (all NULL on
 * failure). Returns 0 on success, 1 if out of memory, 2 if a cell could not
 * be built. */
int amv_tessellate(size_t n, const double *x, const double *y, const double *z, const double *r, double bx,
                   double bxy, double by, double bxz, double byz, double bz, int part, int parts, amv_cells *out);

#ifdef __cplusplus
}
#endif
#endif
