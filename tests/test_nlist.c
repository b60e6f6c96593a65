/* The neighbour list on its own. Its search has three builds, chosen at
 * each list build (generic; AVX2 under AMORPH_NO_AVX512=1; AVX-512 where the
 * CPU has it; AMORPH_NO_SIMD=1 the generic one): they must give the same
 * list entry for entry, because every force sum runs in list order. And a
 * list must hold exactly the periodic images within cutoff + skin of each
 * atom, which a brute-force count over lattice vectors checks. Cases: the
 * 432-atom glass as it is, sheared, with a free direction, with one and
 * three species, a cell smaller than twice the reach (several images of one
 * neighbour, and of the atom itself), two reaches; the shipped 2 000-atom
 * glass for the equality of the searches. */
#include "util/build.h"
#include "util/check.h"

#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* A list's arrays, copied out of it. */
typedef struct snap {
    size_t nlocal, nall, npairs, ngroups;
    int nsp;
    size_t *first, *gfirst;
    int *nbr, *src;
    double *xw;
} snap;

static void snap_free(snap *p)
{
    free(p->first); free(p->gfirst); free(p->nbr); free(p->src); free(p->xw);
    memset(p, 0, sizeof *p);
}

static void *dup(const void *a, size_t bytes)
{
    void *b = malloc(bytes ? bytes : 1);
    if (b && bytes) memcpy(b, a, bytes);
    return b;
}

/* The list of s at reach rc + skin, built with the search that `mode`
 * selects: 0 generic, 1 AVX2 (or less), 2 the widest the CPU has. */
static int build(const am_system *s, double rc, double skin, int mode, snap *out)
{
    unsetenv("AMORPH_NO_SIMD");
    unsetenv("AMORPH_NO_AVX512");
    if (mode == 0) setenv("AMORPH_NO_SIMD", "1", 1);
    if (mode == 1) setenv("AMORPH_NO_AVX512", "1", 1);
    am_nlist *nl = NULL;
    int ok = am_nlist_create(rc, skin, &nl) == AM_OK && am_nlist_update(nl, s, NULL) == AM_OK;
    unsetenv("AMORPH_NO_SIMD");
    unsetenv("AMORPH_NO_AVX512");
    if (!ok) {
        am_nlist_free(nl);
        return check_true(0, "list build (mode %d): %s", mode, am_error_message());
    }
    memset(out, 0, sizeof *out);
    out->nlocal = am_nlist_nlocal(nl);
    out->nall = am_nlist_nall(nl);
    out->nsp = am_nlist_nspecies(nl);
    out->npairs = am_nlist_first(nl)[out->nlocal];
    out->ngroups = out->nlocal * (size_t)out->nsp + 1;
    out->first = dup(am_nlist_first(nl), (out->nlocal + 1) * sizeof(size_t));
    out->gfirst = dup(am_nlist_group_first(nl), out->ngroups * sizeof(size_t));
    out->nbr = dup(am_nlist_neighbors(nl), out->npairs * sizeof(int));
    out->src = dup(am_nlist_atom_index(nl), out->nall * sizeof(int));
    out->xw = dup(am_nlist_positions(nl), 4 * out->nall * sizeof(double));
    am_nlist_free(nl);
    return check_true(out->first && out->gfirst && out->nbr && out->src && out->xw, "list copied");
}

static int same(const snap *a, const snap *b)
{
    return a->nlocal == b->nlocal && a->nall == b->nall && a->npairs == b->npairs && a->nsp == b->nsp &&
           !memcmp(a->first, b->first, (a->nlocal + 1) * sizeof(size_t)) &&
           !memcmp(a->gfirst, b->gfirst, a->ngroups * sizeof(size_t)) &&
           !memcmp(a->nbr, b->nbr, a->npairs * sizeof(int)) && !memcmp(a->src, b->src, a->nall * sizeof(int));
}

/* Images (atom j, lattice vector n) within reach of atom i, other than i
 * itself at n = 0, by brute force. */
static size_t count_images(const am_system *s, size_t i, double reach)
{
    const am_box *b = &s->box;
    double w[3];
    am_box_widths(b, w);
    int lim[3];
    for (int d = 0; d < 3; d++) lim[d] = b->periodic[d] ? (int)ceil(reach / w[d]) + 1 : 0;
    /* lattice vectors a, b, c as LAMMPS's (lx 0 0), (xy ly 0), (xz yz lz) */
    const double a[3] = {b->len[0], 0, 0}, bv[3] = {b->tilt[0], b->len[1], 0};
    const double c[3] = {b->tilt[1], b->tilt[2], b->len[2]};
    size_t count = 0;
    for (size_t j = 0; j < s->n; j++)
        for (int na = -lim[0]; na <= lim[0]; na++)
            for (int nb = -lim[1]; nb <= lim[1]; nb++)
                for (int nc = -lim[2]; nc <= lim[2]; nc++) {
                    if (j == i && !na && !nb && !nc) continue;
                    const double dx = s->x[j] + na * a[0] + nb * bv[0] + nc * c[0] - s->x[i];
                    const double dy = s->y[j] + nb * bv[1] + nc * c[1] - s->y[i];
                    const double dz = s->z[j] + nc * c[2] - s->z[i];
                    count += dx * dx + dy * dy + dz * dz < reach * reach;
                }
    return count;
}

/* Every atom's list: the brute-force count of images in reach, every entry
 * in reach, of the species its group says, and no entry twice. */
static void check_complete(const am_system *s, const snap *p, double reach, const char *what)
{
    size_t bad_count = 0, bad_far = 0, bad_species = 0, bad_twice = 0;
    int *seen = calloc(p->nall, sizeof(int));
    for (size_t i = 0; i < p->nlocal && seen; i++) {
        const size_t q0 = p->first[i], q1 = p->first[i + 1];
        if (q1 - q0 != count_images(s, (size_t)p->src[i], reach)) bad_count++;
        for (int g = 0; g < p->nsp; g++) {
            const size_t *gg = p->gfirst + i * (size_t)p->nsp + (size_t)g;
            for (size_t q = gg[0]; q < gg[1]; q++) {
                const int k = p->nbr[q];
                const double dx = p->xw[4 * (size_t)k] - p->xw[4 * i], dy = p->xw[4 * (size_t)k + 1] - p->xw[4 * i + 1],
                             dz = p->xw[4 * (size_t)k + 2] - p->xw[4 * i + 2];
                if (!(dx * dx + dy * dy + dz * dz < reach * reach)) bad_far++;
                if (s->type[p->src[k]] != g) bad_species++;
                if (seen[k] == (int)i + 1) bad_twice++;
                seen[k] = (int)i + 1;
            }
        }
    }
    check_true(seen != NULL, "%s: scratch", what);
    free(seen);
    check_true(bad_count == 0, "%s: every list has the brute-force count of images within %.2f Å (%zu do not)", what,
               reach, bad_count);
    check_true(bad_far == 0 && bad_species == 0 && bad_twice == 0,
               "%s: entries within reach (%zu not), in their species' group (%zu not), none twice (%zu)", what, bad_far,
               bad_species, bad_twice);
}

/* The three searches agree, and (if brute) the list is complete. */
static void check_case(const am_system *s, double rc, double skin, const char *what, int brute)
{
    snap p[3];
    memset(p, 0, sizeof p); /* a build that fails leaves its snap empty, for snap_free */
    int built = 1;
    for (int mode = 0; mode < 3; mode++) built &= build(s, rc, skin, mode, p + mode);
    if (built) {
        check_true(p[0].npairs > 0, "%s: %zu atoms, %zu entries, %zu pairs", what, p[0].nlocal, p[0].nall, p[0].npairs);
        check_true(same(p + 0, p + 1), "%s: the AVX2 search's list equals the generic one's, entry for entry", what);
        check_true(same(p + 0, p + 2), "%s: the widest search's list equals the generic one's, entry for entry", what);
        if (brute) check_complete(s, p + 2, rc + skin, what);
    }
    for (int mode = 0; mode < 3; mode++) snap_free(p + mode);
}

int main(void)
{
    am_system *g = load_conf(source_path("tests/data/cuzr_glass_432.data"), "Cu,Zr");
    if (!check_true(g != NULL, "432-atom glass read")) return check_exit();
    check_case(g, 7.6, 1.0, "glass 432", 1);
    check_case(g, 5.0, 0.3, "glass 432, reach 5.3 Å", 1);

    am_system *t = NULL;
    if (am_system_copy(g, &t) == AM_OK) {
        shear_box(t, 2.5, -1.5, 1.2);
        check_case(t, 7.6, 1.0, "glass 432 sheared", 1);
        am_system_free(t);
    }
    if (am_system_copy(g, &t) == AM_OK) {
        /* free along z, one atom well outside the cell along it */
        t->box.periodic[2] = 0;
        t->z[7] = t->box.lo[2] + t->box.len[2] + 3.0;
        check_case(t, 7.6, 1.0, "glass 432, z free", 1);
        am_system_free(t);
    }
    if (am_system_copy(g, &t) == AM_OK) {
        for (size_t i = 0; i < t->n; i++) t->type[i] = (int)(i % 3);
        check_case(t, 7.6, 1.0, "glass 432, three species", 1);
        for (size_t i = 0; i < t->n; i++) t->type[i] = 0;
        check_case(t, 7.6, 1.0, "glass 432, one species", 1);
        am_system_free(t);
    }
    am_system_free(g);

    /* 10.8 Å of fcc Cu, under twice the reach: several images of a neighbour */
    am_system *c = build_lattice("fcc", 3.615, 3, 3, 3, "Cu");
    if (check_true(c != NULL, "fcc Cu 3x3x3 built")) {
        rattle(c, 0.1, 17);
        check_case(c, 7.6, 1.0, "fcc Cu, 10.8 Å cell", 1);
        am_system_free(c);
    }

    am_system *big = load_conf(source_path("data/cuzr_glass_2000.data"), "Cu,Zr");
    if (check_true(big != NULL, "shipped 2 000-atom glass read")) {
        check_case(big, 7.6, 1.0, "glass 2 000", 0);
        am_system_free(big);
    }
    return check_exit();
}
