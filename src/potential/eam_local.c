/* Local EAM evaluation: a region of active atoms moves, the rest is frozen
 * (am_region, potential.h; the EAM kinds' region operations, engine_type.h).
 *
 * With only the active set A moving, an atom's density changes through its
 * pairs with A alone, and only the atoms within the cutoff of A (the set
 * B ⊇ A) have a per-atom energy that can differ from the reference. The list
 * therefore has one row per atom of B: an active row lists every neighbour, a
 * frozen row only its active neighbours, and the density its frozen
 * neighbours give it — constant for the life of the region — enters through
 * the kernel's rho0. The kernel is the engine's own (same tables, same
 * interpolation); the total energy is E_ref + Σ_B (e_i − e_i,ref).
 *
 * Rows are never dropped: an atom that was near A at the reference (or at
 * any build since) may still differ from its reference energy after A has
 * moved away, and keeping it costs only a short row. */
#include "potential/eam.h"
#include "potential/eam_deriv.h"
#include "potential/eam_engine.h"
#include "core/error.h"
#include "core/memory.h"

#include <math.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

/* One periodic image of an atom: position x_atom + L n. */
typedef struct hit {
    int atom;
    int n[3];
} hit;

/* One listed pair: entry `ent` in the list of row `row`; an entry below 0
 * is image −1−ent until the row count is final. */
typedef struct lpair {
    int row, ent;
} lpair;

typedef struct eam_region {
    const eam_engine *eng;
    const am_potential *pot;
    const int *sp2el;
    size_t n, na;
    int nsp;
    am_box box;
    double w[3];       /* face distances of the cell */
    double rc, rq, skin; /* cutoff, list radius rc + skin */
    double *x;         /* 3n: frozen atoms where they stay, active ones as at the last build */
    int *type;
    size_t *active;
    int *row;          /* n: row of each atom, −1 for none */
    /* bins over the cell (frozen atoms fixed, active ones as at the last build) */
    int nb[3];
    size_t nbins;
    double *xb;        /* 3n: position moved into the cell along periodic directions */
    int *wrap;         /* 3n: lattice vector from x to xb */
    int *bin, *head, *next;
    /* reference */
    double e_ref_total;
    double *e_ref;     /* n: per-atom energies of the reference */
    double *rho_fix, *ephi_fix; /* n: density and pair-energy sum from frozen neighbours (NaN: not needed yet) */
    /* rows: active atoms first (row r = active[r]), then frozen ones in order of first contact */
    int *rsrc;
    size_t nrows, cap_rows;
    double *rho0, *rho, *e;
    int *pn;
    size_t *po;
    /* entries: the rows, then periodic images of row atoms */
    double *xw;        /* 4 per entry, as the kernel reads them */
    double *shift;     /* 3 per entry: Cartesian lattice shift from its atom */
    int *esrc, *eowner;
    double *xf;        /* 4 per entry: position and F' (eam_kernel.h) */
    size_t nent, cap_ent;
    int *moving;       /* images of active atoms */
    size_t nmoving;
    /* list */
    size_t *first, *gfirst, *cursor;
    size_t cap_g;
    int *nbr, *pj;
    double *ps;
    size_t cap_nbr;
    double *scratch;
    int *iscratch;
    size_t cap_scr;
    double *f;         /* 3 na */
    double *xbuild;    /* 3 na: active positions at the last build */
    /* build scratch */
    hit *hits;
    size_t nhits, cap_hits;
    lpair *pairs;
    size_t npairs, cap_pairs;
    hit *imgs;         /* images found during a build: atom, lattice vector; owner row below */
    int *img_owner;
    size_t nimg, cap_img;
    long builds;
} eam_region;

static size_t region_nrows(const void *g) { return ((const eam_region *)g)->nrows; }
static long region_nbuilds(const void *g) { return ((const eam_region *)g)->builds; }

static void region_free(void *state)
{
    eam_region *g = state;
    if (!g) return;
    free(g->x); free(g->type); free(g->active); free(g->row);
    free(g->xb); free(g->wrap); free(g->bin); free(g->head); free(g->next);
    free(g->e_ref); free(g->rho_fix); free(g->ephi_fix);
    free(g->rsrc); free(g->rho0); free(g->rho); free(g->e); free(g->pn); free(g->po);
    free(g->xw); free(g->shift); free(g->esrc); free(g->eowner); free(g->xf); free(g->moving);
    free(g->first); free(g->gfirst); free(g->cursor); free(g->nbr); free(g->pj); free(g->ps);
    free(g->scratch); free(g->iscratch); free(g->f); free(g->xbuild);
    free(g->hits); free(g->pairs); free(g->imgs); free(g->img_owner);
    free(g);
}

static size_t grown(size_t need) { return need + need / 2 + 16; }

static int grow_rows(eam_region *g, size_t need)
{
    if (need <= g->cap_rows) return 1;
    const size_t c = grown(need);
    if (!am_resize((void **)&g->rsrc, c, sizeof(int)) || !am_resize((void **)&g->rho0, c, sizeof(double)) ||
        !am_resize((void **)&g->rho, c, sizeof(double)) || !am_resize((void **)&g->e, c, sizeof(double)) ||
        !am_resize((void **)&g->pn, c, sizeof(int)) || !am_resize((void **)&g->po, c, sizeof(size_t)))
        return 0;
    g->cap_rows = c;
    return 1;
}

static int grow_ent(eam_region *g, size_t need)
{
    if (need <= g->cap_ent) return 1;
    const size_t c = grown(need);
    if (!am_resize((void **)&g->xw, 4 * c, sizeof(double)) || !am_resize((void **)&g->shift, 3 * c, sizeof(double)) ||
        !am_resize((void **)&g->esrc, c, sizeof(int)) || !am_resize((void **)&g->eowner, c, sizeof(int)) ||
        !am_resize((void **)&g->xf, 4 * c, sizeof(double)) || !am_resize((void **)&g->moving, c, sizeof(int)))
        return 0;
    g->cap_ent = c;
    return 1;
}

static int push_hit(eam_region *g, int atom, const int n[3])
{
    if (g->nhits == g->cap_hits) {
        const size_t c = grown(g->cap_hits);
        if (!am_resize((void **)&g->hits, c, sizeof(hit))) return 0;
        g->cap_hits = c;
    }
    g->hits[g->nhits++] = (hit){atom, {n[0], n[1], n[2]}};
    return 1;
}

static int push_pair(eam_region *g, int row, int ent)
{
    if (g->npairs == g->cap_pairs) {
        const size_t c = grown(g->cap_pairs);
        if (!am_resize((void **)&g->pairs, c, sizeof(lpair))) return 0;
        g->cap_pairs = c;
    }
    g->pairs[g->npairs++] = (lpair){row, ent};
    return 1;
}

/* A new image of atom `atom` by lattice vector n, owned by row `owner`;
 * returns its provisional (negative) entry, or 0 on failure. */
static int push_image(eam_region *g, int atom, const int n[3], int owner)
{
    if (g->nimg == g->cap_img) {
        const size_t c = grown(g->cap_img);
        if (!am_resize((void **)&g->imgs, c, sizeof(hit)) || !am_resize((void **)&g->img_owner, c, sizeof(int))) return 0;
        g->cap_img = c;
    }
    g->imgs[g->nimg] = (hit){atom, {n[0], n[1], n[2]}};
    g->img_owner[g->nimg] = owner;
    g->nimg++;
    return -(int)g->nimg;
}

static void lattice_shift(const am_box *b, const int n[3], double s[3])
{
    s[0] = n[0] * b->len[0] + n[1] * b->tilt[0] + n[2] * b->tilt[1];
    s[1] = n[1] * b->len[1] + n[2] * b->tilt[2];
    s[2] = n[2] * b->len[2];
}

/* Fractional coordinates far outside the cell mean a broken configuration
 * (and would overflow the bin arithmetic). */
#define FAR_CELLS 1e6

/* Bins atom i by its current x; 0 when its position is not usable. */
static int bin_atom(eam_region *g, size_t i)
{
    double s[3];
    am_box_to_frac(&g->box, g->x + 3 * i, s);
    int c[3], wr[3];
    for (int d = 0; d < 3; d++) {
        if (!(fabs(s[d]) < FAR_CELLS)) return 0;
        wr[d] = 0;
        if (g->box.periodic[d]) {
            double k = floor(s[d]), f = s[d] - k;
            if (f >= 1.0) { f = 0.0; k += 1.0; }
            s[d] = f;
            wr[d] = -(int)k;
        }
        int cd = (int)floor(s[d] * g->nb[d]);
        c[d] = cd < 0 ? 0 : cd >= g->nb[d] ? g->nb[d] - 1 : cd;
    }
    double sh[3];
    lattice_shift(&g->box, wr, sh);
    for (int d = 0; d < 3; d++) {
        g->wrap[3 * i + d] = wr[d];
        g->xb[3 * i + d] = g->x[3 * i + d] + sh[d];
    }
    g->bin[i] = (c[2] * g->nb[1] + c[1]) * g->nb[0] + c[0];
    return 1;
}

/* Distance (Å) along direction d from fractional coordinate sp to the slab
 * of (unwrapped) bin c: 0 along a free direction, whose edge bins also hold
 * the atoms outside the cell. */
static double bin_gap(const eam_region *g, int d, double sp, int c)
{
    if (!g->box.periodic[d]) return 0.0;
    const double lo = (double)c / g->nb[d], hi = (double)(c + 1) / g->nb[d];
    const double f = sp < lo ? lo - sp : sp > hi ? sp - hi : 0.0;
    return f * g->w[d];
}

/* Every image (atom, lattice vector) closer than rad to p, into g->hits. */
static am_status query(eam_region *g, const double p[3], double rad)
{
    g->nhits = 0;
    double sp[3];
    am_box_to_frac(&g->box, p, sp);
    int lo[3], hi[3];
    for (int d = 0; d < 3; d++) {
        if (!(fabs(sp[d]) < FAR_CELLS)) return am_fail(AM_ERR_VALUE, "region: a position is far outside the cell");
        /* the sphere's extent along fractional direction d is rad / width */
        const double ext = rad / g->w[d] * (1.0 + 1e-9);
        lo[d] = (int)floor((sp[d] - ext) * g->nb[d]);
        hi[d] = (int)floor((sp[d] + ext) * g->nb[d]);
        if (!g->box.periodic[d]) {
            lo[d] = lo[d] < 0 ? 0 : lo[d] >= g->nb[d] ? g->nb[d] - 1 : lo[d];
            hi[d] = hi[d] < 0 ? 0 : hi[d] >= g->nb[d] ? g->nb[d] - 1 : hi[d];
        }
    }
    const double r2 = rad * rad;
    /* bins wholly beyond rad skipped (about half of the cube of bins the
     * sphere spans): along a periodic direction of an orthogonal cell a
     * bin's atoms lie within its slab, so its distance from p is a lower
     * bound on theirs (with a margin for the rounding of the binning) */
    const int cull = !am_box_is_triclinic(&g->box);
    const double rm2 = r2 * (1.0 + 1e-9);
    for (int cz = lo[2]; cz <= hi[2]; cz++) {
        const int bz = ((cz % g->nb[2]) + g->nb[2]) % g->nb[2], mz = (cz - bz) / g->nb[2];
        const double gz = cull ? bin_gap(g, 2, sp[2], cz) : 0.0;
        for (int cy = lo[1]; cy <= hi[1]; cy++) {
            const int by = ((cy % g->nb[1]) + g->nb[1]) % g->nb[1], my = (cy - by) / g->nb[1];
            const double gy = cull ? bin_gap(g, 1, sp[1], cy) : 0.0, gyz2 = gz * gz + gy * gy;
            if (gyz2 >= rm2) continue;
            for (int cx = lo[0]; cx <= hi[0]; cx++) {
                const int bx = ((cx % g->nb[0]) + g->nb[0]) % g->nb[0], mx = (cx - bx) / g->nb[0];
                const double gx = cull ? bin_gap(g, 0, sp[0], cx) : 0.0;
                if (gyz2 + gx * gx >= rm2) continue;
                const int m[3] = {mx, my, mz};
                double off[3];
                lattice_shift(&g->box, m, off);
                for (int i = g->head[(bz * g->nb[1] + by) * g->nb[0] + bx]; i >= 0; i = g->next[i]) {
                    const double dx = g->xb[3 * i] + off[0] - p[0], dy = g->xb[3 * i + 1] + off[1] - p[1],
                                 dz = g->xb[3 * i + 2] + off[2] - p[2];
                    if (dx * dx + dy * dy + dz * dz >= r2) continue;
                    const int n[3] = {g->wrap[3 * i] + mx, g->wrap[3 * i + 1] + my, g->wrap[3 * i + 2] + mz};
                    if (!push_hit(g, i, n)) return am_fail(AM_ERR_NOMEM, "region: out of memory for neighbours");
                }
            }
        }
    }
    return AM_OK;
}

static int is_active(const eam_region *g, int i) { return g->row[i] >= 0 && (size_t)g->row[i] < g->na; }

/* Density and pair-energy sum at frozen atom k from its frozen neighbours,
 * which never change: computed once, with the tables' radial functions. */
static am_status frozen_sums(eam_region *g, int k)
{
    /* pairs within the cutoff only (and a margin for the two distances'
     * rounding): after the distance test below the same ones, in the same
     * order, as a search to the list's radius */
    am_status st = query(g, g->x + 3 * (size_t)k, g->rc * (1.0 + 1e-9));
    if (st) return st;
    const int ek = g->sp2el[g->type[k]];
    const double cutsq = g->rc * g->rc;
    double rho = 0.0, ephi = 0.0;
    for (size_t h = 0; h < g->nhits; h++) {
        const hit *q = g->hits + h;
        if ((q->atom == k && !q->n[0] && !q->n[1] && !q->n[2]) || is_active(g, q->atom)) continue;
        double sh[3];
        lattice_shift(&g->box, q->n, sh);
        const double *xj = g->x + 3 * (size_t)q->atom, *xk = g->x + 3 * (size_t)k;
        const double dx = xk[0] - (xj[0] + sh[0]), dy = xk[1] - (xj[1] + sh[1]), dz = xk[2] - (xj[2] + sh[2]);
        const double rsq = dx * dx + dy * dy + dz * dz;
        if (!(rsq < cutsq)) continue;
        am_radial rad;
        eam_radial(g->pot, ek, g->sp2el[g->type[q->atom]], sqrt(rsq), &rad);
        rho += rad.fij;
        ephi += rad.phi;
    }
    g->rho_fix[k] = rho;
    g->ephi_fix[k] = ephi;
    return AM_OK;
}

static am_status nomem(void) { return am_fail(AM_ERR_NOMEM, "region: out of memory for the local neighbour list"); }

/* Rebuilds the list with the active atoms at xa. */
static am_status build(eam_region *g, const double *xa)
{
    const size_t na = g->na;
    for (size_t r = 0; r < na; r++) {
        const size_t i = g->active[r];
        for (int d = 0; d < 3; d++) {
            if (!isfinite(xa[3 * r + d]))
                return am_fail(AM_ERR_VALUE, "region: active atom %zu has a non-finite position", i);
            g->x[3 * i + d] = xa[3 * r + d];
        }
        if (!bin_atom(g, i)) return am_fail(AM_ERR_VALUE, "region: active atom %zu is far outside the cell", i);
    }
    memcpy(g->xbuild, xa, 3 * na * sizeof(double));
    for (size_t b = 0; b < g->nbins; b++) g->head[b] = -1;
    /* pushed in reverse so each bin lists its atoms in index order */
    for (size_t i = g->n; i-- > 0;) {
        g->next[i] = g->head[g->bin[i]];
        g->head[g->bin[i]] = (int)i;
    }

    /* pairs with an active atom, seen from both sides */
    g->npairs = 0;
    g->nimg = 0;
    const size_t rows_before = g->nrows;
    am_status st;
    for (size_t r = 0; r < na; r++) {
        const int a = (int)g->active[r];
        if ((st = query(g, g->x + 3 * (size_t)a, g->rq))) return st;
        for (size_t h = 0; h < g->nhits; h++) {
            const hit q = g->hits[h];
            const int self = !q.n[0] && !q.n[1] && !q.n[2];
            if (q.atom == a && self) continue;
            int rk = g->row[q.atom];
            if (rk < 0) {
                if (!grow_rows(g, g->nrows + 1)) return nomem();
                rk = (int)g->nrows++;
                g->rsrc[rk] = q.atom;
                g->row[q.atom] = rk;
            }
            const int ek = self ? rk : push_image(g, q.atom, q.n, rk);
            if (!ek && !self) return nomem();
            if (!push_pair(g, (int)r, ek)) return nomem();
            if ((size_t)rk >= na) {
                /* the frozen atom's row lists the active one */
                const int back[3] = {-q.n[0], -q.n[1], -q.n[2]};
                const int ea = self ? (int)r : push_image(g, a, back, (int)r);
                if (!ea && !self) return nomem();
                if (!push_pair(g, rk, ea)) return nomem();
            }
        }
    }
    /* frozen neighbours of the new frozen rows (query reuses g->hits) */
    for (size_t r = rows_before; r < g->nrows; r++) {
        const int k = g->rsrc[r];
        if (isnan(g->rho_fix[k]) && (st = frozen_sums(g, k))) return st;
    }
    for (size_t r = 0; r < g->nrows; r++) g->rho0[r] = r < na ? 0.0 : g->rho_fix[g->rsrc[r]];

    /* entries: rows, then images */
    const size_t nrows = g->nrows, nent = nrows + g->nimg;
    if (!grow_ent(g, nent)) return nomem();
    g->nent = nent;
    g->nmoving = 0;
    for (size_t k = 0; k < nent; k++) {
        int src, owner, n[3] = {0, 0, 0};
        if (k < nrows) {
            src = g->rsrc[k];
            owner = (int)k;
        } else {
            const hit *im = g->imgs + (k - nrows);
            src = im->atom;
            owner = g->img_owner[k - nrows];
            memcpy(n, im->n, sizeof n);
            if ((size_t)owner < na) g->moving[g->nmoving++] = (int)k;
        }
        g->esrc[k] = src;
        g->eowner[k] = owner;
        lattice_shift(&g->box, n, g->shift + 3 * k);
        for (int d = 0; d < 3; d++) g->xw[4 * k + d] = g->x[3 * (size_t)src + d] + g->shift[3 * k + d];
        g->xw[4 * k + 3] = (double)g->type[src];
    }

    /* each row's entries grouped by species, in the order found (stable) */
    const int nsp = g->nsp;
    const size_t ng = nrows * (size_t)nsp;
    if (ng + 1 > g->cap_g) {
        const size_t c = grown(ng + 1);
        if (!am_resize((void **)&g->gfirst, c, sizeof(size_t)) || !am_resize((void **)&g->cursor, c, sizeof(size_t)) ||
            !am_resize((void **)&g->first, c, sizeof(size_t)))
            return nomem();
        g->cap_g = c;
    }
    const size_t npairs = g->npairs;
    /* pass 1 pads each row's pairs to a multiple of 4 (EAM_PAIR_START) */
    if (npairs + 3 * nrows + 4 > g->cap_nbr) {
        const size_t c = grown(npairs + 3 * nrows + 4);
        if (!am_resize((void **)&g->nbr, c, sizeof(int)) || !am_resize((void **)&g->pj, c, sizeof(int)) ||
            !am_resize((void **)&g->ps, 2 * c, sizeof(double)))
            return nomem();
        g->cap_nbr = c;
    }
    memset(g->gfirst, 0, (ng + 1) * sizeof(size_t));
    for (size_t q = 0; q < npairs; q++) {
        lpair *pp = g->pairs + q;
        if (pp->ent < 0) pp->ent = (int)nrows + (-pp->ent - 1);
        g->gfirst[(size_t)pp->row * (size_t)nsp + (size_t)g->type[g->esrc[pp->ent]]]++;
    }
    size_t total = 0;
    for (size_t k = 0; k < ng; k++) {
        const size_t c = g->gfirst[k];
        g->gfirst[k] = g->cursor[k] = total;
        total += c;
    }
    g->gfirst[ng] = total;
    for (size_t q = 0; q < npairs; q++) {
        const lpair *pp = g->pairs + q;
        g->nbr[g->cursor[(size_t)pp->row * (size_t)nsp + (size_t)g->type[g->esrc[pp->ent]]]++] = pp->ent;
    }
    size_t maxnb = 1;
    for (size_t r = 0; r <= nrows; r++) {
        g->first[r] = g->gfirst[r * (size_t)nsp];
        if (r && g->first[r] - g->first[r - 1] > maxnb) maxnb = g->first[r] - g->first[r - 1];
    }
    if (maxnb + 8 > g->cap_scr) {
        const size_t c = grown(maxnb + 8);
        if (!am_resize((void **)&g->scratch, 3 * c, sizeof(double)) || !am_resize((void **)&g->iscratch, c, sizeof(int)))
            return nomem();
        g->cap_scr = c;
    }
    g->builds++;
    return AM_OK;
}

static am_status region_create(am_engine *e, const am_system *s, const size_t *active, size_t nactive, void **out)
{
    if (s->n > (size_t)(INT32_MAX / 64)) return am_fail(AM_ERR_VALUE, "region: %zu atoms is more than supported", s->n);
    const size_t n = s->n;
    eam_region *g = calloc(1, sizeof *g);
    if (!g) return nomem();
    g->eng = e->state;
    g->pot = e->pot;
    g->sp2el = e->sp2el;
    g->n = n;
    g->na = nactive;
    g->nsp = s->nspecies;
    g->box = s->box;
    am_box_widths(&s->box, g->w);
    g->rc = eam_cutoff(g->pot);
    g->skin = e->skin;
    g->rq = g->rc + g->skin;
    const size_t n1 = n ? n : 1, na1 = nactive ? nactive : 1;
    g->x = malloc(3 * n1 * sizeof(double));
    g->type = malloc(n1 * sizeof(int));
    g->active = malloc(na1 * sizeof(size_t));
    g->row = malloc(n1 * sizeof(int));
    g->xb = malloc(3 * n1 * sizeof(double));
    g->wrap = malloc(3 * n1 * sizeof(int));
    g->bin = malloc(n1 * sizeof(int));
    g->next = malloc(n1 * sizeof(int));
    g->e_ref = malloc(n1 * sizeof(double));
    g->rho_fix = malloc(n1 * sizeof(double));
    g->ephi_fix = malloc(n1 * sizeof(double));
    g->f = malloc(3 * na1 * sizeof(double));
    g->xbuild = malloc(3 * na1 * sizeof(double));
    double *fbuf = malloc(3 * n1 * sizeof(double)), *xa = malloc(3 * na1 * sizeof(double));
    am_status st = AM_OK;
    if (!g->x || !g->type || !g->active || !g->row || !g->xb || !g->wrap || !g->bin || !g->next || !g->e_ref ||
        !g->rho_fix || !g->ephi_fix || !g->f || !g->xbuild || !fbuf || !xa || !grow_rows(g, nactive)) {
        st = nomem();
        goto fail;
    }
    for (size_t i = 0; i < n; i++) {
        g->x[3 * i] = s->x[i]; g->x[3 * i + 1] = s->y[i]; g->x[3 * i + 2] = s->z[i];
        g->type[i] = s->type[i];
        g->row[i] = -1;
        g->rho_fix[i] = g->ephi_fix[i] = NAN;
    }
    /* the active atoms are distinct and in range (am_region_create) */
    for (size_t r = 0; r < nactive; r++) {
        const size_t i = active[r];
        g->active[r] = i;
        g->row[i] = (int)r;
        g->rsrc[r] = (int)i;
        for (int d = 0; d < 3; d++) xa[3 * r + d] = g->x[3 * i + d];
    }
    g->nrows = nactive;
    /* the reference: whole-system energy and per-atom energies */
    {
        am_result ref = {0};
        ref.skip_virial = 1;
        ref.fx = fbuf; ref.fy = fbuf + n; ref.fz = fbuf + 2 * n;
        ref.e_atom = g->e_ref;
        if ((st = am_engine_compute(e, s, &ref))) goto fail;
        g->e_ref_total = ref.energy;
    }
    /* about two bins per list radius, as the engine's list; at most a few
     * per atom, so a sparse cell does not cost memory */
    g->nbins = 1;
    for (int d = 0; d < 3; d++) {
        int nb = (int)floor(2.0 * g->w[d] / g->rq);
        g->nb[d] = nb < 1 ? 1 : nb > 1024 ? 1024 : nb;
    }
    for (;;) {
        g->nbins = (size_t)g->nb[0] * (size_t)g->nb[1] * (size_t)g->nb[2];
        if (g->nbins <= 4 * n1 + 64) break;
        int dmax = 0;
        for (int d = 1; d < 3; d++)
            if (g->nb[d] > g->nb[dmax]) dmax = d;
        g->nb[dmax] = (g->nb[dmax] + 1) / 2;
    }
    g->head = malloc(g->nbins * sizeof(int));
    if (!g->head) { st = nomem(); goto fail; }
    for (size_t i = 0; i < n; i++)
        if (!bin_atom(g, i)) {
            st = am_fail(AM_ERR_VALUE, "region: atom %lld is far outside the cell", s->id[i]);
            goto fail;
        }
    if ((st = build(g, xa))) goto fail;
    free(fbuf);
    free(xa);
    *out = g;
    return AM_OK;
fail:
    free(fbuf);
    free(xa);
    region_free(g);
    return st;
}

static am_status region_compute(void *state, const double *xa, double *energy, double *fa)
{
    eam_region *g = state;
    const size_t na = g->na;
    const double lim = 0.25 * g->skin * g->skin;
    int stale = 0;
    for (size_t k = 0; k < 3 * na && !stale; k += 3) {
        const double dx = xa[k] - g->xbuild[k], dy = xa[k + 1] - g->xbuild[k + 1], dz = xa[k + 2] - g->xbuild[k + 2];
        stale = dx * dx + dy * dy + dz * dz > lim;
    }
    am_status st;
    if (stale && (st = build(g, xa))) return st;
    for (size_t r = 0; r < na; r++)
        for (int d = 0; d < 3; d++) g->xw[4 * r + d] = xa[3 * r + d];
    for (size_t m = 0; m < g->nmoving; m++) {
        const size_t k = (size_t)g->moving[m], o = (size_t)g->eowner[k];
        for (int d = 0; d < 3; d++) g->xw[4 * k + d] = xa[3 * o + d] + g->shift[3 * k + d];
    }
    eam_kargs ka;
    eam_engine_kargs(g->eng, &ka);
    ka.xw = g->xw;
    ka.first = g->first;
    ka.nbr = g->nbr;
    ka.gfirst = g->gfirst;
    ka.pj = g->pj;
    ka.ps = g->ps;
    ka.pn = g->pn;
    ka.po = g->po;
    ka.rho0 = g->rho0;
    const size_t nrows = g->nrows;
    eam_pass_density(&ka, 0, nrows, nrows ? EAM_PAIR_START(g->first[0], 0) : 0, g->scratch, g->iscratch, g->cap_scr, g->rho, g->xf, g->e);
    for (size_t k = nrows; k < g->nent; k++) eam_image_row(g->xf, g->xw, k, (size_t)g->eowner[k]);
    eam_pass_force(&ka, 0, na, g->xf, g->f, NULL);
    /* a frozen row's list holds only its active neighbours: its pairs with
     * frozen atoms are added back as the constant they are */
    double de = 0.0;
    for (size_t r = 0; r < nrows; r++) {
        const int i = g->rsrc[r];
        const double ei = r < na ? g->e[r] : g->e[r] + 0.5 * g->ephi_fix[i];
        de += ei - g->e_ref[i];
    }
    *energy = g->e_ref_total + de;
    memcpy(fa, g->f, 3 * na * sizeof(double));
    return AM_OK;
}

const am_region_ops eam_region_ops = {region_create, region_compute, region_nrows, region_nbuilds, region_free};
