/* Atomic radii for the radical Voronoi tessellation's `auto` choice. */
#include "amorph/structure.h"

#include <string.h>

/* Atomic radii of the metallic elements and the metalloids that form
 * metallic glasses (B, C, Si, P, Ge, As, Sb, Te), in Å: the table "Selecting
 * atomic radii of the elements" of the CRC Materials Science and Engineering
 * Handbook (Shackelford & Alexander, 3rd ed., 2001), after R. A. Flinn and
 * P. K. Trojan, Engineering Materials and Their Applications (Houghton
 * Mifflin, 1975) — half the closest approach in the element's own crystal,
 * i.e. metallic radii, given to 0.01 Å. One published table, not a blend, so
 * a reader can check every number. The gases, halogens and chalcogens of
 * that table (H, N, O, S, Se, ...) are left out: their values are covalent
 * or van der Waals radii, not sizes an atom has in a metallic glass. */
static const struct {
    const char *sym;
    double r;
} radii[] = {
    {"B", 0.97},  {"C", 0.77},  {"Mn", 1.12}, {"Be", 1.14}, {"Si", 1.17}, {"Ge", 1.22}, {"Fe", 1.24},
    {"Cr", 1.25}, {"Co", 1.25}, {"Ni", 1.25}, {"As", 1.25}, {"P", 1.09},  {"Cu", 1.28}, {"V", 1.32},
    {"Zn", 1.33}, {"Ru", 1.34}, {"Rh", 1.34}, {"Ga", 1.35}, {"Os", 1.35}, {"Ir", 1.35}, {"Mo", 1.36},
    {"Pd", 1.37}, {"W", 1.37},  {"Re", 1.38}, {"Pt", 1.38}, {"U", 1.38},  {"Po", 1.40}, {"Al", 1.43},
    {"Nb", 1.43}, {"Te", 1.43}, {"Ag", 1.44}, {"Au", 1.44}, {"Ti", 1.47}, {"Ta", 1.47}, {"Cd", 1.50},
    {"Hg", 1.50}, {"Li", 1.52}, {"In", 1.57}, {"Zr", 1.58}, {"Sn", 1.58}, {"Hf", 1.59}, {"Mg", 1.60},
    {"Sc", 1.60}, {"Sb", 1.61}, {"Tl", 1.71}, {"Lu", 1.73}, {"Tm", 1.74}, {"Er", 1.75}, {"Pb", 1.75},
    {"Ho", 1.76}, {"Tb", 1.77}, {"Dy", 1.77}, {"Gd", 1.80}, {"Th", 1.80}, {"Y", 1.81},  {"Sm", 1.81},
    {"Ce", 1.82}, {"Nd", 1.82}, {"Bi", 1.82}, {"Pr", 1.83}, {"Na", 1.86}, {"La", 1.87}, {"Yb", 1.93},
    {"Ca", 1.97}, {"Eu", 2.04}, {"Sr", 2.15}, {"Ba", 2.17}, {"K", 2.31},  {"Rb", 2.51}, {"Cs", 2.65},
};

double am_atomic_radius(const char *symbol)
{
    for (size_t k = 0; symbol && k < sizeof radii / sizeof radii[0]; k++)
        if (strcmp(radii[k].sym, symbol) == 0) return radii[k].r;
    return 0.0;
}
