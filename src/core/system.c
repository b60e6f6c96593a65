#include "amorph/system.h"
#include "core/error.h"
#include "core/hash.h"

#include <math.h>
#include <stdlib.h>
#include <string.h>

static void *zalloc(size_t n, size_t size) { return calloc(n ? n : 1, size); }

void am_system_free(am_system *s)
{
    if (!s) return;
    free(s->x); free(s->y); free(s->z);
    free(s->vx); free(s->vy); free(s->vz);
    free(s->type); free(s->id); free(s->image);
    free(s);
}

am_status am_system_add_velocities(am_system *s)
{
    if (s->vx) return AM_OK;
    s->vx = zalloc(s->n, sizeof(double));
    s->vy = zalloc(s->n, sizeof(double));
    s->vz = zalloc(s->n, sizeof(double));
    if (!s->vx || !s->vy || !s->vz) {
        free(s->vx); free(s->vy); free(s->vz);
        s->vx = s->vy = s->vz = NULL;
        return am_fail(AM_ERR_NOMEM, "out of memory for %zu velocities", s->n);
    }
    return AM_OK;
}

am_status am_system_alloc(size_t n, int with_velocities, am_system **out)
{
    *out = NULL;
    am_system *s = calloc(1, sizeof *s);
    if (!s) return am_fail(AM_ERR_NOMEM, "out of memory for a system");
    s->n = n;
    s->x = zalloc(n, sizeof(double));
    s->y = zalloc(n, sizeof(double));
    s->z = zalloc(n, sizeof(double));
    s->type = zalloc(n, sizeof(int));
    s->id = zalloc(n, sizeof(long long));
    s->image = zalloc(3 * n, sizeof(int));
    if (!s->x || !s->y || !s->z || !s->type || !s->id || !s->image ||
        (with_velocities && am_system_add_velocities(s) != AM_OK)) {
        am_system_free(s);
        return am_fail(AM_ERR_NOMEM, "out of memory for %zu atoms", n);
    }
    for (size_t i = 0; i < n; i++) s->id[i] = (long long)i + 1;
    s->box.periodic[0] = s->box.periodic[1] = s->box.periodic[2] = 1;
    *out = s;
    return AM_OK;
}

am_status am_system_copy(const am_system *src, am_system **out)
{
    am_status st = am_system_alloc(src->n, src->vx != NULL, out);
    if (st) return st;
    am_system *d = *out;
    size_t n = src->n;
    memcpy(d->x, src->x, n * sizeof(double));
    memcpy(d->y, src->y, n * sizeof(double));
    memcpy(d->z, src->z, n * sizeof(double));
    if (src->vx) {
        memcpy(d->vx, src->vx, n * sizeof(double));
        memcpy(d->vy, src->vy, n * sizeof(double));
        memcpy(d->vz, src->vz, n * sizeof(double));
    }
    memcpy(d->type, src->type, n * sizeof(int));
    memcpy(d->id, src->id, n * sizeof(long long));
    memcpy(d->image, src->image, 3 * n * sizeof(int));
    d->nspecies = src->nspecies;
    memcpy(d->species, src->species, sizeof d->species);
    d->box = src->box;
    return AM_OK;
}

int am_system_species_index(const am_system *s, const char *name)
{
    for (int k = 0; k < s->nspecies; k++)
        if (strcmp(s->species[k].name, name) == 0) return k;
    return -1;
}

void am_system_wrap(am_system *s)
{
    for (size_t i = 0; i < s->n; i++) {
        double r[3] = {s->x[i], s->y[i], s->z[i]}, f[3];
        am_box_to_frac(&s->box, r, f);
        int moved = 0;
        for (int d = 0; d < 3; d++) {
            if (!s->box.periodic[d]) continue;
            double k = floor(f[d]);
            if (k != 0.0) {
                f[d] -= k;
                /* floor can leave f == 1.0 after rounding */
                if (f[d] >= 1.0) { f[d] -= 1.0; k += 1.0; }
                s->image[3 * i + d] += (int)k;
                moved = 1;
            }
        }
        if (moved) {
            am_box_from_frac(&s->box, f, r);
            s->x[i] = r[0]; s->y[i] = r[1]; s->z[i] = r[2];
        }
    }
}

double am_system_mass(const am_system *s)
{
    double m = 0.0;
    for (size_t i = 0; i < s->n; i++) m += s->species[s->type[i]].mass;
    return m;
}

uint64_t am_system_hash(const am_system *s)
{
    am_hash h;
    am_hash_init(&h, "amorph system");
    am_hash_u64(&h, (uint64_t)s->n);
    for (size_t i = 0; i < s->n; i++) {
        am_hash_i64(&h, s->id[i]);
        am_hash_i64(&h, s->type[i]);
        am_hash_f64(&h, s->x[i]);
        am_hash_f64(&h, s->y[i]);
        am_hash_f64(&h, s->z[i]);
    }
    am_hash_f64s(&h, s->box.lo, 3);
    am_hash_f64s(&h, s->box.len, 3);
    am_hash_f64s(&h, s->box.tilt, 3);
    for (int d = 0; d < 3; d++) am_hash_i64(&h, s->box.periodic[d]);
    am_hash_i64(&h, s->nspecies);
    for (int k = 0; k < s->nspecies && k < AM_MAX_SPECIES; k++) {
        am_hash_str(&h, s->species[k].name);
        am_hash_f64(&h, s->species[k].mass);
    }
    return am_hash_final(&h);
}
