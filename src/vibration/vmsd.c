/* Vibrational mean-square displacements by NVT or NPT MD about an inherent
 * structure (the paper's vMSD), their harmonic prediction from normal
 * modes, and the flexibility volume. */
#include "amorph/vibration.h"
#include "amorph/dynamics.h"
#include "amorph/minimize.h"
#include "core/error.h"
#include "core/hash.h"

#include <math.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

void am_vmsd_defaults(am_vmsd_options *o) { am_vmsd_defaults_units(o, NULL); }

/* Lennard-Jones (docs/vibration.md, "Units"): T = 0.2, half the glass
 * transition of Kob-Andersen as 300 K is of Cu-Zr; the same numbers of time
 * units for equilibration and sampling (a KA vibration, ~0.4 τ, is slower
 * than a Cu-Zr one, ~0.25 ps: still hundreds of periods); 0.005 τ steps with
 * the damping times as many steps as in metal; a hop of 0.1 σ, a tenth of a
 * neighbour distance as 0.3 Å is in Cu-Zr. */
void am_vmsd_defaults_units(am_vmsd_options *o, const am_units *u)
{
    const int lj = u && strcmp(u->style, "lj") == 0;
    memset(o, 0, sizeof *o);
    o->temperature = lj ? 0.2 : 300.0;
    o->equilibrate = 20.0;
    o->time = 100.0;
    o->dt = lj ? 0.005 : 0.002;
    o->tdamp = 100.0 * o->dt;
    o->every = 10;
    o->seed = 1;
    o->nquench = 4;
    o->hop = lj ? 0.1 : 0.3;
    o->checkpoint_every = 10.0;
    o->ensemble = AM_NVT;
    o->barostat = AM_BARO_ISO;
    o->pressure = 0.0;
    o->pdamp = 500.0 * o->dt;
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
    double vsum; /* Σ volume over the samples, Å³ (version 2) */
} blob_head;

typedef struct run {
    size_t n;
    blob_head h;
    double *s1, *s2; /* 3n: Σ Δ and Σ Δ² per component */
    int32_t *hop;    /* n */
} run;

static const char MAGIC[8] = "amvmsd2";

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
    /* the options were checked with the checkpoint's key */
    r->h = h;
    b += sizeof h;
    memcpy(r->s1, b, 3 * r->n * sizeof(double));
    b += 3 * r->n * sizeof(double);
    memcpy(r->s2, b, 3 * r->n * sizeof(double));
    b += 3 * r->n * sizeof(double);
    memcpy(r->hop, b, r->n * sizeof(int32_t));
    return AM_OK;
}

/* What a run's checkpoint is bound to: the inherent structure, and the
 * options and potential that determine the result. The checkpoint interval
 * is left out: a resumed run may change it (it moves only the neighbour-list
 * rebuilds, which change nothing but round-off). */
static am_checkpoint_key run_key(const am_potential *p, const am_system *is, const am_vmsd_options *o)
{
    am_hash h;
    am_hash_init(&h, "vmsd options");
    const double v[] = {o->temperature, o->equilibrate, o->time, o->dt, o->tdamp, o->hop};
    am_hash_f64s(&h, v, sizeof v / sizeof v[0]);
    am_hash_i64(&h, o->every);
    am_hash_i64(&h, o->nquench);
    am_hash_u64(&h, o->seed);
    am_hash_u64(&h, am_potential_hash(p));
    am_hash_i64(&h, o->ensemble);
    if (o->ensemble == AM_NPT) { /* the barostat's settings matter only to NPT */
        am_hash_i64(&h, o->barostat);
        const double b[] = {o->pressure, o->pdamp};
        am_hash_f64s(&h, b, 2);
    }
    am_checkpoint_key k = {am_system_hash(is), am_hash_final(&h),
                           "temperature, equilibration, time, dt, tdamp, every, quenches, seed, hop, ensemble, "
                           "pressure, pdamp or potential"};
    return k;
}

/* Displacements of s from the reference, minimum image, centre-of-mass
 * drift removed. Where the box has changed (NPT) the reference is first
 * carried into s's box by its fractional coordinates: an atom's place in a
 * uniformly expanded glass is not a vibration. */
static void displacements(const am_system *s, const am_system *ref, const double *mass, double mtot, double *d)
{
    double com[3] = {0, 0, 0};
    const int same = memcmp(&s->box, &ref->box, sizeof s->box) == 0;
    for (size_t i = 0; i < s->n; i++) {
        double r0[3] = {ref->x[i], ref->y[i], ref->z[i]};
        if (!same) {
            double f[3];
            am_box_to_frac(&ref->box, r0, f);
            am_box_from_frac(&s->box, f, r0);
        }
        double v[3] = {s->x[i] - r0[0], s->y[i] - r0[1], s->z[i] - r0[2]};
        am_box_min_image(&s->box, v);
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

/* Before any arithmetic on them: a step count from dt = 0 or from a huge
 * time would overflow. */
static am_status check_options(const am_vmsd_options *o, const am_units *u)
{
    const struct {
        const char *name, *unit;
        double v;
        int zero_ok;
    } t[] = {{"temperature", u->temperature, o->temperature, 0}, {"time", u->time, o->time, 0},
             {"dt", u->time, o->dt, 0},                         {"equilibrate", u->time, o->equilibrate, 1},
             {"tdamp", u->time, o->tdamp, 0},                   {"hop", u->length, o->hop, 0},
             {"checkpoint_every", u->time, o->checkpoint_every, 0}};
    for (size_t k = 0; k < sizeof t / sizeof t[0]; k++)
        if (!isfinite(t[k].v) || t[k].v < 0 || (t[k].v == 0 && !t[k].zero_ok))
            return am_fail(AM_ERR_VALUE, "vMSD: %s = %g %s; expected a finite number %s 0 %s", t[k].name, t[k].v,
                           t[k].unit, t[k].zero_ok ? ">=" : ">", t[k].unit);
    if (o->every < 1) return am_fail(AM_ERR_VALUE, "vMSD: every = %d steps; expected >= 1 step between samples", o->every);
    if (o->nquench < 0) return am_fail(AM_ERR_VALUE, "vMSD: %d quenches; expected >= 0", o->nquench);
    if (o->ensemble != AM_NVT && o->ensemble != AM_NPT)
        return am_fail(AM_ERR_VALUE, "vMSD: ensemble %d; expected AM_NVT or AM_NPT", (int)o->ensemble);
    if (o->ensemble == AM_NPT) {
        if (o->barostat != AM_BARO_ISO && o->barostat != AM_BARO_ANISO)
            return am_fail(AM_ERR_VALUE, "vMSD: barostat %d; expected AM_BARO_ISO or AM_BARO_ANISO", (int)o->barostat);
        if (!(fabs(o->pressure) <= 1e7))
            return am_fail(AM_ERR_VALUE, "vMSD: pressure %g %s; expected a finite number within ±1e7 %s", o->pressure,
                           u->pressure, u->pressure);
        if (!(o->pdamp > 0) || !isfinite(o->pdamp))
            return am_fail(AM_ERR_VALUE, "vMSD: pdamp %g %s; expected a finite number > 0 %s", o->pdamp, u->time, u->time);
    }
    /* far beyond any run, and far inside a long */
    const double max_steps = 1e12;
    const double steps = (o->equilibrate + o->time) / o->dt;
    if (!(steps <= max_steps))
        return am_fail(AM_ERR_VALUE, "vMSD: equilibrate %g %s + time %g %s at dt = %g %s is %.3g steps; expected at "
                       "most %.0e", o->equilibrate, u->time, o->time, u->time, o->dt, u->time, steps, max_steps);
    if (!(o->checkpoint_every / o->dt <= max_steps))
        return am_fail(AM_ERR_VALUE, "vMSD: checkpoint_every %g %s at dt = %g %s is %.3g steps; expected at most %.0e",
                       o->checkpoint_every, u->time, o->dt, u->time, o->checkpoint_every / o->dt, max_steps);
    if (o->time / o->dt / o->every < 1)
        return am_fail(AM_ERR_VALUE, "vMSD: sampling time %g %s at dt = %g %s, every %d steps, gives no sample; expected "
                       "time >= dt * every", o->time, u->time, o->dt, u->time, o->every);
    return AM_OK;
}

am_status am_vmsd(const am_potential *p, const am_system *is, const am_vmsd_options *o, am_vmsd_result *res)
{
    const am_units *u = am_units_of(am_potential_units(p));
    am_status st = check_options(o, u);
    if (st) return st;
    const size_t n = is->n;
    run r = {0};
    r.n = n;
    memcpy(r.h.magic, MAGIC, 8);
    r.h.version = 2;
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
    am_md_options mo = {.ensemble = o->ensemble, .dt = o->dt, .t_start = o->temperature, .t_stop = o->temperature,
                        .tdamp = o->tdamp, .nsteps = total, .barostat = o->barostat, .p_start = o->pressure,
                        .p_stop = o->pressure, .pdamp = o->pdamp};
    const am_checkpoint_key key = run_key(p, is, o);
    if (o->checkpoint && access(o->checkpoint, F_OK) == 0) {
        void *extra = NULL;
        size_t nbytes = 0;
        if ((st = am_md_resume_extra(e, s, &mo, o->checkpoint, &key, &md, &extra, &nbytes))) goto done;
        st = unpack(&r, extra, nbytes, o->checkpoint);
        free(extra);
        if (st) goto done;
    } else {
        if ((st = am_system_add_velocities(s)) || (st = am_velocity_create(s, u, o->temperature, o->seed)) ||
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
            r.h.vsum += th.volume;
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
            if ((st = am_md_checkpoint_extra(md, o->checkpoint, &key, blob, blob_size(n)))) goto done;
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
    res->v_mean = r.h.vsum / ns;
done:
    am_md_free(md);
    am_engine_free(e);
    am_system_free(s);
    free(r.s1); free(r.s2); free(r.hop); free(d); free(mass); free(blob);
    return st;
}

am_status am_vmsd_harmonic(const am_modes *m, const double *mass, const am_units *u, double temperature, int first,
                           double *d2)
{
    if (!u) return am_fail(AM_ERR_VALUE, "harmonic vMSD: no units given (those of the potential of the modes)");
    if (!m->vec) return am_fail(AM_ERR_VALUE, "harmonic vMSD: the modes were computed without vectors");
    const size_t n = m->n, N = 3 * n;
    for (int k = first; k < m->nmodes; k++)
        if (!(m->lambda[k] > 0)) return am_fail(AM_ERR_VALUE, "harmonic vMSD: mode %d has eigenvalue %g <= 0", k + 1, m->lambda[k]);
    const double kt = u->boltz * temperature;
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
