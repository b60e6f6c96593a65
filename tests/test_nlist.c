/* The neighbour list on its own. Its search has three builds, chosen at
 * each list build (generic; AVX2 under AMORPH_NO_AVX512=1; AVX-512 where the
 * CPU has it; AMORPH_NO_SIMD=1 the generic one): they must give the same
 * list entry for entry, because every force sum runs in list order. And a
 * list must hold exactly the periodic images within cutoff + skin of each
 * atom, which a brute-force count over lattice vectors checks. Cases: the
 * 432-atom glass as it is, sheared, with a free direction, with one and
 * three species, a cell smaller than twice the reach (several images of one
 * neighbour, and of the atom itself), two reaches; the shipped 2 000-atom
 * glass for the equality of the searches. And a list kept between builds
 * while the box dilates must still hold every pair within the cutoff. */
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

/* Entries of local entry k's list within rc of it. */
static size_t within(const am_nlist *nl, size_t k, double rc)
{
    const size_t *first = am_nlist_first(nl);
    const int *nbr = am_nlist_neighbors(nl);
    const double *xw = am_nlist_positions(nl), *a = xw + 4 * k;
    size_t in = 0;
    for (size_t q = first[k]; q < first[k + 1]; q++) {
        const double *b = xw + 4 * (size_t)nbr[q];
        const double dx = b[0] - a[0], dy = b[1] - a[1], dz = b[2] - a[2];
        in += dx * dx + dy * dy + dz * dz < rc * rc;
    }
    return in;
}

/* A list kept through box dilations must hold every pair within the
 * cutoff at each step the update keeps it: as many as a list built afresh
 * (complete by the brute-force checks above), atom by atom. The edges
 * oscillate, one five times as much as the others; with affine, positions
 * scale with them and are kicked at random (as under NPT), else the atoms
 * stay where they are and only the images move (a box change no atom's
 * displacement shows). The swings (6 % along x with affine) are large
 * enough that an update which does not charge the skin for the reach's
 * shrinkage keeps lists that miss pairs (156 in the first case, measured
 * with that charge removed). */
static void check_kept(const am_system *g, double rc, double skin, int affine, const char *what)
{
    am_system *t = NULL;
    am_nlist *nl = NULL, *fresh = NULL;
    if (!check_true(am_system_copy(g, &t) == AM_OK && am_nlist_create(rc, skin, &nl) == AM_OK &&
                        am_nlist_create(rc, skin, &fresh) == AM_OK,
                    "%s: set up", what)) {
        am_nlist_free(fresh);
        am_nlist_free(nl);
        am_system_free(t);
        return;
    }
    const double l0[3] = {t->box.len[0], t->box.len[1], t->box.len[2]}, a = affine ? 0.06 : 0.1;
    const double amp[3] = {a, 0.2 * a, 0.2 * a};
    unsigned long long rng = 12345;
    size_t kept = 0, missing = 0, builds = 0;
    int failed = 0;
    for (int step = 0; step <= 600 && !failed; step++) {
        double f[3];
        for (int d = 0; d < 3; d++) {
            const double len = l0[d] * (1.0 + amp[d] * sin(2.0 * 3.14159265358979323846 * step / 150.0));
            f[d] = len / t->box.len[d];
            t->box.len[d] = len;
        }
        for (size_t i = 0; i < t->n && affine; i++) {
            double *x[3] = {t->x + i, t->y + i, t->z + i};
            for (int d = 0; d < 3; d++) {
                rng = rng * 6364136223846793005ULL + 1442695040888963407ULL;
                const double kick = 0.06 * ((double)(rng >> 11) / 9007199254740992.0 - 0.5);
                *x[d] = t->box.lo[d] + (*x[d] - t->box.lo[d]) * f[d] + kick;
            }
        }
        int rebuilt = 0;
        am_nlist_invalidate(fresh);
        if (am_nlist_update(nl, t, &rebuilt) != AM_OK || am_nlist_update(fresh, t, NULL) != AM_OK) {
            failed = !check_true(0, "%s: update at step %d: %s", what, step, am_error_message());
            break;
        }
        if (rebuilt) { builds++; continue; }
        kept++;
        /* both lists hold their atoms in their own order: compare per atom */
        const int *src = am_nlist_atom_index(nl), *fsrc = am_nlist_atom_index(fresh);
        size_t *per = calloc(t->n, sizeof(size_t));
        if (!per) { failed = !check_true(0, "%s: scratch", what); break; }
        for (size_t k = 0; k < t->n; k++) per[fsrc[k]] = within(fresh, k, rc);
        for (size_t k = 0; k < t->n; k++) {
            const size_t in = within(nl, k, rc);
            missing += in < per[src[k]] ? per[src[k]] - in : 0;
        }
        free(per);
    }
    check_true(builds >= 5 && kept >= 200, "%s: %zu builds, %zu steps kept", what, builds, kept);
    check_true(missing == 0, "%s: every pair within the cutoff in the kept list (%zu missing)", what, missing);
    am_nlist_free(fresh);
    am_nlist_free(nl);
    am_system_free(t);
}

int main(void)
{
    am_system *g = load_conf(source_path("tests/data/cuzr_glass_432.data"), "Cu,Zr");
    if (!check_true(g != NULL, "432-atom glass read")) return check_exit();
    check_case(g, 7.6, 1.0, "glass 432", 1);
    check_case(g, 5.0, 0.3, "glass 432, reach 5.3 Å", 1);
    check_kept(g, 7.6, 1.0, 1, "glass 432 under NPT-like dilations");
    check_kept(g, 5.0, 0.3, 1, "glass 432 under NPT-like dilations, reach 5.3 Å");
    check_kept(g, 7.6, 1.0, 0, "glass 432, the box alone dilated");

    am_system *t = NULL;
    if (am_system_copy(g, &t) == AM_OK) {
        shear_box(t, 2.5, -1.5, 1.2);
        check_case(t, 7.6, 1.0, "glass 432 sheared", 1);
        /* a triclinic box keeps the older, image-count bound */
        check_kept(t, 7.6, 1.0, 1, "glass 432 sheared, under dilations");
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
