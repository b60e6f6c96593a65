/* Melt and quench: NPT at T_melt, NPT ramp to T_end, then minimisation of
 * atoms and box. The run is checkpointed every checkpoint_every steps with
 * the cooling curve so far in the same file, and a rerun continues from the
 * last checkpoint with the same result as an uninterrupted run. */
#include "amorph/quench.h"
#include "core/error.h"
#include "core/hash.h"
#include "dynamics/md_state.h"

#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* What the checkpoint holds besides the MD state. */
typedef struct progress_blob {
    int stage;       /* 1 melt, 2 cool */
    long step;       /* steps done in the stage */
    double acc[3];   /* partial sums of the current cooling-curve point */
    long nacc;
    unsigned long long ncurve;
} progress_blob;

/* Defaults per unit style (docs/dynamics.md, "Units"): Cu-Zr melted at
 * 2000 K and cooled at 1e12 K/s to 300 K; Kob-Andersen melted at T = 2.0,
 * where the liquid relaxes within a few τ (Kob and Andersen 1995), and cooled
 * at 1e-3 per τ, within the range of rates of Vollmayr, Kob and Binder (1996),
 * to T = 0.1, far below its glass transition. The damping times are 100 and
 * 1000 steps, LAMMPS's advice, in both. */
static void defaults(am_quench_options *q, const am_units *u)
{
    const int lj = strcmp(u->style, "lj") == 0;
    if (!(q->t_melt > 0)) q->t_melt = lj ? 2.0 : 2000.0;
    if (!(q->melt_time > 0)) q->melt_time = 20.0;
    if (!(q->t_end > 0)) q->t_end = lj ? 0.1 : 300.0;
    if (!(q->rate > 0)) q->rate = lj ? 1e-3 : 1.0;
    if (!(q->dt > 0)) q->dt = am_md_default_dt(u);
    if (!(q->tdamp > 0)) q->tdamp = 100.0 * am_md_default_dt(u);
    if (!(q->pdamp > 0)) q->pdamp = 1000.0 * am_md_default_dt(u);
    if (!(q->ftol > 0)) q->ftol = 1e-6;
    if (q->checkpoint_every <= 0) q->checkpoint_every = 25000;
}

void am_quench_result_free(am_quench_result *r)
{
    free(r->curve);
    r->curve = NULL;
    r->ncurve = 0;
}

static am_md_options stage_options(const am_quench_options *q, int stage, long nsteps)
{
    am_md_options o = {0};
    o.ensemble = q->constant_volume ? AM_NVT : AM_NPT;
    o.barostat = AM_BARO_ISO;
    o.dt = q->dt;
    o.tdamp = q->tdamp;
    o.pdamp = q->pdamp;
    o.p_start = o.p_stop = q->pressure;
    o.t_start = q->t_melt;
    o.t_stop = stage == 1 ? q->t_melt : q->t_end;
    o.nsteps = nsteps;
    return o;
}

/* What the checkpoint is bound to: the starting configuration, and the
 * options and potential that determine the glass (options after defaults,
 * so leaving one out and giving its default are the same). The checkpoint
 * interval is left out: it changes only where the neighbour list is rebuilt,
 * that is round-off. */
static am_checkpoint_key run_key(const am_engine *e, const am_system *s, const am_quench_options *q)
{
    am_hash h;
    am_hash_init(&h, "quench options");
    const double v[] = {q->t_melt, q->melt_time, q->t_end, q->rate, q->pressure, q->dt, q->tdamp, q->pdamp, q->ftol};
    am_hash_f64s(&h, v, sizeof v / sizeof v[0]);
    am_hash_i64(&h, q->sample_every);
    am_hash_u64(&h, q->seed);
    am_hash_u64(&h, am_potential_hash(am_engine_potential(e)));
    /* hashed only when set, so that the keys of NPT checkpoints written before
     * the option stay what they were */
    if (q->constant_volume) am_hash_i64(&h, q->constant_volume);
    am_checkpoint_key k = {am_system_hash(s), am_hash_final(&h),
                           "melt and end temperatures, melt time, rate, pressure, ensemble, dt, damping times, curve "
                           "sampling, seed, ftol or potential"};
    return k;
}

static am_status save(am_md *md, const char *path, const am_checkpoint_key *key, const progress_blob *b,
                      const am_cooling_point *curve)
{
    size_t nb = sizeof *b + (size_t)b->ncurve * sizeof *curve;
    unsigned char *buf = malloc(nb);
    if (!buf) return am_fail(AM_ERR_NOMEM, "quench: out of memory for the checkpoint");
    memcpy(buf, b, sizeof *b);
    if (b->ncurve) memcpy(buf + sizeof *b, curve, (size_t)b->ncurve * sizeof *curve);
    am_status st = am_md_checkpoint_extra(md, path, key, buf, nb);
    free(buf);
    return st;
}

/* The virial pressure of the inherent structure (no kinetic part at 0 K). */
static am_status final_pressure(am_engine *e, const am_system *s, const am_units *u, double *p)
{
    const size_t n = s->n;
    double *f = malloc((3 * n + 1) * sizeof(double));
    if (!f) return am_fail(AM_ERR_NOMEM, "quench: out of memory");
    am_result r = {0};
    r.fx = f; r.fy = f + n; r.fz = f + 2 * n;
    am_status st = am_engine_compute(e, s, &r);
    double pt[6];
    am_units_pressure(u, r.virial, am_box_volume(&s->box), pt);
    *p = (pt[0] + pt[1] + pt[2]) / 3.0;
    free(f);
    return st;
}

am_status am_quench(am_engine *e, am_system *s, const am_quench_options *opt, am_quench_result *r)
{
    memset(r, 0, sizeof *r);
    am_quench_options q = *opt;
    const am_units *u = am_engine_units(e);
    defaults(&q, u);
    if (q.t_end >= q.t_melt)
        return am_fail(AM_ERR_VALUE, "quench: T_end %g %s must be below T_melt %g %s", q.t_end, u->temperature, q.t_melt,
                       u->temperature);
    const long melt_steps = (long)llround(q.melt_time / q.dt);
    const double cool = (q.t_melt - q.t_end) / q.rate / q.dt;
    const long cool_steps = cool < 1e15 ? (long)llround(cool) : 0;
    if (cool_steps < 1)
        return am_fail(AM_ERR_VALUE, "quench: cooling from %g to %g %s at %g %s per %s takes %.3g time steps of %g %s; "
                       "expected 1 to 1e15", q.t_melt, q.t_end, u->temperature, q.rate, u->temperature, u->time, cool,
                       q.dt, u->time);
    const long total = melt_steps + cool_steps;
    /* at least ~200 curve points, at most one per ps */
    if (q.sample_every <= 0) q.sample_every = am_quench_sample_every(cool_steps);
    const double n = (double)s->n;
    const am_checkpoint_key key = run_key(e, s, &q);
    size_t cap = (size_t)(cool_steps / q.sample_every) + 2;
    r->curve = malloc(cap * sizeof *r->curve);
    if (!r->curve) return am_fail(AM_ERR_NOMEM, "quench: out of memory for the cooling curve");

    progress_blob b = {1, 0, {0, 0, 0}, 0, 0};
    am_md *md = NULL;
    am_status st = AM_OK;
    FILE *probe = q.checkpoint ? fopen(q.checkpoint, "rb") : NULL;
    if (probe) {
        fclose(probe);
        /* the stage is in the blob; read it with the melt options first, the
         * integrator options are then set for the right stage */
        void *extra = NULL;
        size_t nbytes = 0;
        am_md_options o1 = stage_options(&q, 1, melt_steps);
        st = am_md_resume_extra(e, s, &o1, q.checkpoint, &key, &md, &extra, &nbytes);
        if (!st && nbytes < sizeof b) st = am_fail(AM_ERR_PARSE, "%s: not a quench checkpoint", q.checkpoint);
        if (!st) {
            memcpy(&b, extra, sizeof b);
            if (b.ncurve > cap || nbytes != sizeof b + (size_t)b.ncurve * sizeof *r->curve)
                st = am_fail(AM_ERR_PARSE, "%s: damaged cooling curve in the checkpoint", q.checkpoint);
            else if (b.ncurve) memcpy(r->curve, (unsigned char *)extra + sizeof b, (size_t)b.ncurve * sizeof *r->curve);
            r->ncurve = (size_t)b.ncurve;
            r->resumed = 1;
        }
        free(extra);
        if (!st && b.stage == 2) md->o = stage_options(&q, 2, cool_steps);
    } else {
        if (!(st = am_velocity_create(s, u, q.t_melt, q.seed))) {
            am_md_options o1 = stage_options(&q, 1, melt_steps);
            st = am_md_create(e, s, &o1, &md);
        }
    }
    while (!st && b.stage <= 2) {
        const long steps = b.stage == 1 ? melt_steps : cool_steps;
        for (; b.step < steps && !st; b.step++) {
            if ((st = am_md_step(md))) break;
            if (b.stage == 2) {
                am_thermo t;
                am_md_thermo(md, &t);
                b.acc[0] += t.temperature; b.acc[1] += t.volume / n; b.acc[2] += t.pe / n;
                if (++b.nacc == q.sample_every) {
                    r->curve[r->ncurve++] = (am_cooling_point){b.acc[0] / b.nacc, b.acc[1] / b.nacc, b.acc[2] / b.nacc};
                    b.ncurve = r->ncurve;
                    b.acc[0] = b.acc[1] = b.acc[2] = 0;
                    b.nacc = 0;
                }
            }
            const long done = (b.stage == 1 ? 0 : melt_steps) + b.step + 1;
            if (q.checkpoint && done % q.checkpoint_every == 0 && done < total) {
                progress_blob c = b;
                c.step++; /* the step just finished */
                st = save(md, q.checkpoint, &key, &c, r->curve);
            }
            if (q.progress) q.progress(q.progress_ctx, done, total);
        }
        if (st) break;
        if (b.stage == 1) {
            /* the cooling run starts from the melt's state, thermostats included */
            md->o = stage_options(&q, 2, cool_steps);
            md->state.step = 0;
        }
        b.stage++;
        b.step = 0;
    }
    am_md_free(md);
    if (st) return st;

    /* inherent structure: atoms and box at the target pressure, or the atoms
     * alone in the box of the run */
    am_min_options mo = {0};
    mo.method = AM_MIN_CG;
    mo.ftol = q.ftol;
    mo.box = q.constant_volume ? AM_BOX_FIXED : AM_BOX_ANISO;
    mo.pressure = q.pressure;
    if ((st = am_minimize(e, s, &mo, &r->min))) return st;
    am_system_wrap(s);
    const double volume = am_box_volume(&s->box);
    /* a relaxed box minimised the enthalpy E + PV */
    r->e_final = (r->min.energy - (q.constant_volume ? 0.0 : q.pressure / u->nktv2p * volume)) / n;
    r->v_final = volume / n;
    if ((st = final_pressure(e, s, u, &r->p_final))) return st;

    am_tg_default_ranges(q.t_melt, q.t_end, r->liquid, r->glass);
    /* at constant volume V(T) is flat: no Tg from it */
    if (q.constant_volume || am_tg_fit(r->curve, r->ncurve, 0, r->liquid, r->glass, &r->tg_v)) r->tg_v = NAN;
    if (am_tg_fit(r->curve, r->ncurve, 1, r->liquid, r->glass, &r->tg_e)) r->tg_e = NAN;
    if (q.checkpoint) remove(q.checkpoint); /* finished: a rerun starts afresh */
    return AM_OK;
}
