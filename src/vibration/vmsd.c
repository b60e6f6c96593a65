/* Vibrational mean-square displacements by NVT MD about an inherent
 * structure (the paper's vMSD), their harmonic prediction from normal
 * modes, and the flexibility volume. */
#include "amorph/vibration.h"
#include "amorph/dynamics.h"
#include "amorph/minimize.h"
#include "core/error.h"

#include <math.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

void am_vmsd_defaults(am_vmsd_options *o)
{
    memset(o, 0, sizeof *o);
    o->temperature = 300.0;
    o->equilibrate = 20.0;
    o->time = 100.0;
    o->dt = 0.002;
    o->tdamp = 0.1;
    o->every = 10;
    o->seed = 1;
    o->nquench = 4;
    o->hop = 0.3;
    o->checkpoint_every = 10.0;
}

/* What a checkpoint carries besides the MD state: the options that must
 * match on resume, the position in the run and the running sums. */
typedef struct blob_head {
    char magic[8];
    uint32_t version, finished;
    uint64_t n;
    double temperature, equilibrate, time, dt, tdamp;
    int64_t every, nquench, step, samples, quenches;
    uint64_t seed;
    double tsum;
} blob_head;

typedef struct run {
    size_t n;
    blob_head h;
    double *s1, *s2; /* 3n: Σ Δ and Σ Δ² per component */
    int32_t *hop;    /* n */
} run;

static const char MAGIC[8] = "amvmsd1";

static size_t blob_size(size_t n) { return sizeof(blob_head) + 6 * n * sizeof(double) + n * sizeof(int32_t); }

static void pack(const run *r, unsigned char *b)
{
    memcpy(b, &r->h, sizeof r->h);
    b += sizeof r->h;
    memcpy(b, r->s1, 3 * r->n * sizeof(double));
    b += 3 * r->n * sizeof(double);
    memcpy(b, r->s2, 3 * r->n * sizeof(double));
    b += 3 * r->n * sizeof(double);
    memcpy(b, r->hop, r->n * sizeof(int32_t));
}

static am_status unpack(run *r, const unsigned char *b, size_t nbytes, const char *path)
{
    blob_head h;
    if (nbytes != blob_size(r->n)) return am_fail(AM_ERR_PARSE, "%s: not a vMSD checkpoint of %zu atoms", path, r->n);
    memcpy(&h, b, sizeof h);
    if (memcmp(h.magic, MAGIC, 8) != 0 || h.n != r->n) return am_fail(AM_ERR_PARSE, "%s: not a vMSD checkpoint of %zu atoms", path, r->n);
    const blob_head *w = &r->h;
    if (h.temperature != w->temperature || h.equilibrate != w->equilibrate || h.time != w->time || h.dt != w->dt ||
        h.tdamp != w->tdamp || h.every != w->every || h.nquench != w->nquench || h.seed != w->seed)
        return am_fail(AM_ERR_VALUE, "%s: written by a vMSD run with other options (T %g K, %g ps, seed %llu); "
                       "remove it or use the same options", path, h.temperature, h.time, (unsigned long long)h.seed);
    r->h = h;
    b += sizeof h;
    memcpy(r->s1, b, 3 * r->n * sizeof(double));
    b += 3 * r->n * sizeof(double);
    memcpy(r->s2, b, 3 * r->n * sizeof(double));
    b += 3 * r->n * sizeof(double);
    memcpy(r->hop, b, r->n * sizeof(int32_t));
    return AM_OK;
}

/* Displacements of s from the reference, minimum image, centre-of-mass drift removed. */
static void displacements(const am_system *s, const am_system *ref, const double *mass, double mtot, double *d)
{
    double com[3] = {0, 0, 0};
    for (size_t i = 0; i < s->n; i++) {
        double v[3] = {s->x[i] - ref->x[i], s->y[i] - ref->y[i], s->z[i] - ref->z[i]};
        am_box_min_image(&ref->box, v);
        for (int c = 0; c < 3; c++) {
            d[3 * i + c] = v[c];
            com[c] += mass[i] * v[c];
        }
    }
    for (size_t i = 0; i < s->n; i++)
        for (int c = 0; c < 3; c++) d[3 * i + c] -= com[c] / mtot;
}

/* Quenches a copy of the current configuration and flags atoms it leaves
 * farther than hop from their reference. */
static am_status quench_and_flag(const am_potential *p, const am_system *s, const am_system *ref, const double *mass,
                                 double mtot, double hop, double *d, int32_t *flag)
{
    am_system *q;
    am_engine *e;
    am_status st = am_system_copy(s, &q);
    if (st) return st;
    if ((st = am_engine_create(p, q, 1.0, &e))) { am_system_free(q); return st; }
    am_min_options mo = {.method = AM_MIN_CG, .ftol = 1e-4, .max_iter = 5000};
    am_min_result mr;
    st = am_minimize(e, q, &mo, &mr);
    if (!st) {
        displacements(q, ref, mass, mtot, d);
        for (size_t i = 0; i < s->n; i++)
            if (d[3 * i] * d[3 * i] + d[3 * i + 1] * d[3 * i + 1] + d[3 * i + 2] * d[3 * i + 2] > hop * hop) flag[i] = 1;
    }
    am_engine_free(e);
    am_system_free(q);
    return st;
}

static am_status check_options(const am_vmsd_options *o)
{
    if (!(o->temperature > 0) || !(o->time > 0) || !(o->dt > 0) || !(o->equilibrate >= 0) || !(o->tdamp > 0) ||
        o->every < 1 || o->nquench < 0 || !(o->hop > 0) || !(o->checkpoint_every > 0))
        return am_fail(AM_ERR_VALUE, "vMSD: temperature, time, dt, tdamp, hop and checkpoint interval must be positive, "
                                     "equilibration >= 0, sampling every >= 1 step, quenches >= 0");
    if (o->time / o->dt / o->every < 1) return am_fail(AM_ERR_VALUE, "vMSD: sampling time %g ps gives no sample", o->time);
    return AM_OK;
}

am_status am_vmsd(const am_potential *p, const am_system *is, const am_vmsd_options *o, am_vmsd_result *res)
{
    am_status st = check_options(o);
    if (st) return st;
    const size_t n = is->n;
    run r = {0};
    r.n = n;
    memcpy(r.h.magic, MAGIC, 8);
    r.h.version = 1;
    r.h.n = n;
    r.h.temperature = o->temperature; r.h.equilibrate = o->equilibrate; r.h.time = o->time;
    r.h.dt = o->dt; r.h.tdamp = o->tdamp; r.h.every = o->every; r.h.nquench = o->nquench; r.h.seed = o->seed;
    r.s1 = calloc(3 * n + 1, sizeof(double));
    r.s2 = calloc(3 * n + 1, sizeof(double));
    r.hop = calloc(n + 1, sizeof(int32_t));
    double *d = malloc((3 * n + 1) * sizeof(double)), *mass = malloc((n + 1) * sizeof(double));
    unsigned char *blob = malloc(blob_size(n));
    am_system *s = NULL;
    am_engine *e = NULL;
    am_md *md = NULL;
    if (!r.s1 || !r.s2 || !r.hop || !d || !mass || !blob) { st = am_fail(AM_ERR_NOMEM, "vMSD: out of memory"); goto done; }
    if ((st = am_system_copy(is, &s))) goto done;
    if ((st = am_engine_create(p, s, 1.0, &e))) goto done; /* also fills masses from the potential */
    am_system_masses(s, mass);
    double mtot = 0;
    for (size_t i = 0; i < n; i++) mtot += mass[i];

    const long neq = lround(o->equilibrate / o->dt), nrun = lround(o->time / o->dt), total = neq + nrun;
    const long nsamples = nrun / o->every, ck = lround(o->checkpoint_every / o->dt) > 0 ? lround(o->checkpoint_every / o->dt) : 1;
    am_md_options mo = {.ensemble = AM_NVT, .dt = o->dt, .t_start = o->temperature, .t_stop = o->temperature,
                        .tdamp = o->tdamp, .nsteps = total};
    if (o->checkpoint && access(o->checkpoint, F_OK) == 0) {
        void *extra = NULL;
        size_t nbytes = 0;
        if ((st = am_md_resume_extra(e, s, &mo, o->checkpoint, &md, &extra, &nbytes))) goto done;
        st = unpack(&r, extra, nbytes, o->checkpoint);
        free(extra);
        if (st) goto done;
    } else {
        if ((st = am_system_add_velocities(s)) || (st = am_velocity_create(s, o->temperature, o->seed)) ||
            (st = am_md_create(e, s, &mo, &md)))
            goto done;
    }
    const long report = total / 200 > 0 ? total / 200 : 1;
    while (!r.h.finished && r.h.step < total) {
        if ((st = am_md_step(md))) goto done;
        const long step = ++r.h.step;
        if (step > neq && (step - neq) % o->every == 0) {
            displacements(s, is, mass, mtot, d);
            for (size_t k = 0; k < 3 * n; k++) {
                r.s1[k] += d[k];
                r.s2[k] += d[k] * d[k];
            }
            am_thermo th;
            am_md_thermo(md, &th);
            r.h.tsum += th.temperature;
            r.h.samples++;
            /* quench q (0-based) after sample (q+1)·nsamples/nquench */
            if (r.h.quenches < o->nquench && r.h.samples == (r.h.quenches + 1) * nsamples / o->nquench) {
                if ((st = quench_and_flag(p, s, is, mass, mtot, o->hop, d, r.hop))) goto done;
                r.h.quenches++;
            }
        }
        if (step == total) r.h.finished = 1;
        if (o->checkpoint && (step % ck == 0 || step == total)) {
            pack(&r, blob);
            if ((st = am_md_checkpoint_extra(md, o->checkpoint, blob, blob_size(n)))) goto done;
        }
        if (o->progress && (step % report == 0 || step == total)) o->progress(o->ctx, step, total);
    }
    const double ns = (double)r.h.samples;
    for (size_t i = 0; i < n; i++) {
        double tot = 0, totm = 0;
        for (int c = 0; c < 3; c++) {
            const double m1 = r.s1[3 * i + c] / ns, m2 = r.s2[3 * i + c] / ns;
            res->d2[4 * i + 1 + c] = m2;
            tot += m2;
            if (res->d2mean) res->d2mean[4 * i + 1 + c] = m2 - m1 * m1;
            totm += m2 - m1 * m1;
        }
        res->d2[4 * i] = tot;
        if (res->d2mean) res->d2mean[4 * i] = totm;
        if (res->hopped) res->hopped[i] = r.hop[i];
    }
    res->samples = r.h.samples;
    res->t_mean = r.h.tsum / ns;
done:
    am_md_free(md);
    am_engine_free(e);
    am_system_free(s);
    free(r.s1); free(r.s2); free(r.hop); free(d); free(mass); free(blob);
    return st;
}

am_status am_vmsd_harmonic(const am_modes *m, const double *mass, double temperature, int first, double *d2)
{
    if (!m->vec) return am_fail(AM_ERR_VALUE, "harmonic vMSD: the modes were computed without vectors");
    const size_t n = m->n, N = 3 * n;
    for (int k = first; k < m->nmodes; k++)
        if (!(m->lambda[k] > 0)) return am_fail(AM_ERR_VALUE, "harmonic vMSD: mode %d has eigenvalue %g <= 0", k + 1, m->lambda[k]);
    const double kt = AM_BOLTZ * temperature;
    for (size_t i = 0; i < n; i++) {
        double sum = 0;
        for (int k = first; k < m->nmodes; k++) {
            const double *e = m->vec + (size_t)k * N + 3 * i;
            sum += (e[0] * e[0] + e[1] * e[1] + e[2] * e[2]) / m->lambda[k];
        }
        d2[i] = kt * sum / mass[i];
    }
    return AM_OK;
}

am_status am_flexibility_volume(const am_system *s, const am_voronoi *v, const double *d2, int stride, double *vflex)
{
    if (!v || v->n != s->n) return am_fail(AM_ERR_VALUE, "flexibility volume: tessellation does not match the system");
    for (size_t i = 0; i < s->n; i++) {
        double a = 0;
        const size_t k0 = v->first[i], k1 = v->first[i + 1];
        for (size_t k = k0; k < k1; k++) {
            const int j = v->neighbor[k];
            double dd[3] = {s->x[j] - s->x[i], s->y[j] - s->y[i], s->z[j] - s->z[i]};
            am_box_min_image(&s->box, dd);
            a += sqrt(dd[0] * dd[0] + dd[1] * dd[1] + dd[2] * dd[2]);
        }
        if (k1 == k0) return am_fail(AM_ERR_VALUE, "flexibility volume: atom %lld has no Voronoi neighbour", s->id[i]);
        a /= (double)(k1 - k0);
        vflex[i] = v->volume[i] * d2[i * (size_t)stride] / (a * a);
    }
    return AM_OK;
}
