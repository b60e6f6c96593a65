/* Glass transition temperature from a cooling curve. */
#include "amorph/quench.h"
#include "core/error.h"

#include <math.h>

/* Least-squares line y = a + b t over points with t in [lo, hi]. */
static int fit_line(const am_cooling_point *c, size_t n, int use_energy, const double r[2], double *a, double *b)
{
    double s = 0, st = 0, sy = 0, stt = 0, sty = 0;
    for (size_t i = 0; i < n; i++) {
        if (c[i].t < r[0] || c[i].t > r[1]) continue;
        const double y = use_energy ? c[i].e : c[i].v;
        s += 1; st += c[i].t; sy += y; stt += c[i].t * c[i].t; sty += c[i].t * y;
    }
    const double den = s * stt - st * st;
    if (s < 3 || !(fabs(den) > 0)) return 0;
    *b = (s * sty - st * sy) / den;
    *a = (sy - *b * st) / s;
    return 1;
}

am_status am_tg_fit(const am_cooling_point *c, size_t n, int use_energy, const double liquid[2],
                    const double glass[2], double *tg)
{
    double al, bl, ag, bg;
    *tg = NAN;
    if (!fit_line(c, n, use_energy, liquid, &al, &bl))
        return am_fail(AM_ERR_VALUE, "Tg: fewer than 3 cooling-curve points between %g and %g K", liquid[0], liquid[1]);
    if (!fit_line(c, n, use_energy, glass, &ag, &bg))
        return am_fail(AM_ERR_VALUE, "Tg: fewer than 3 cooling-curve points between %g and %g K", glass[0], glass[1]);
    if (!(fabs(bl - bg) > 0)) return am_fail(AM_ERR_VALUE, "Tg: the liquid and glass lines are parallel");
    *tg = (ag - al) / (bl - bg);
    return AM_OK;
}

void am_tg_default_ranges(double t_melt, double t_end, double liquid[2], double glass[2])
{
    const double span = t_melt - t_end;
    liquid[0] = t_end + 0.5 * span;
    liquid[1] = t_end + 0.8 * span;
    glass[0] = t_end;
    glass[1] = t_end + 0.15 * span;
}

long am_quench_sample_every(long cool_steps)
{
    const long k = cool_steps / 200;
    return k < 10 ? 10 : (k > 500 ? 500 : k);
}
