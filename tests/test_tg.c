/* `amorph tg`: Tg re-fitted from a cooling curve on file. Synthetic curves of
 * two exact straight lines crossing at 700 K give 700 K from V(T) and E(T) for
 * the default and for chosen fit ranges; the shipped curve gives back the Tg
 * its quench wrote; bad rows, empty fit ranges and malformed ranges are refused
 * with a message and a non-zero status, never a crash. */
#include "util/check.h"

#include "amorph/amorph.h"

#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static char out[1 << 16];

/* Lines crossing at 700 K: liquid above, glass below. */
static double vol(double t) { return t > 700 ? 17.0 + 0.002 * (t - 700) : 17.0 + 0.0008 * (t - 700); }
static double ene(double t) { return t > 700 ? -5.0 + 4e-4 * (t - 700) : -5.0 + 2.5e-4 * (t - 700); }

/* Points from 2100 K down to 250 K every 5 K (371 points); with_header adds the
 * first line of a quick-preset quench (T_melt 2000 K, T_end 300 K). */
static void write_curve(const char *path, int with_header)
{
    FILE *f = fopen(path, "w");
    if (with_header)
        fprintf(f, "# amorph quench: 100 atoms, melt 2000 K for 20 ps, cooled at 1e+12 K/s to 300 K, P = 0 bar\n"
                   "# Tg(V) = 700.0 K, Tg(E) = 700.0 K; liquid fit 1150-1660 K, glass fit 300-555 K\n");
    fprintf(f, "T_K,V_A3_per_atom,E_eV_per_atom\n");
    for (int i = 0; i <= 370; i++) {
        const double t = 2100.0 - 5.0 * i;
        fprintf(f, "%.17g,%.17g,%.17g\n", t, vol(t), ene(t));
    }
    fclose(f);
}

/* The number after "key": in the JSON output, NAN if absent. */
static double json_num(const char *key)
{
    char pat[80];
    snprintf(pat, sizeof pat, "\"%s\": ", key);
    const char *p = strstr(out, pat);
    return p ? strtod(p + strlen(pat), NULL) : NAN;
}

static void synthetic(const char *dir)
{
    char path[512], bare[512], args[2048];
    snprintf(path, sizeof path, "%s", scratch_file(dir, "lines.curve.csv"));
    snprintf(bare, sizeof bare, "%s", scratch_file(dir, "lines_noheader.curve.csv"));
    write_curve(path, 1);
    write_curve(bare, 0);

    /* the library reader */
    am_cooling_point *c = NULL;
    size_t n = 0;
    am_status st = am_cooling_curve_read(path, &c, &n);
    check_true(st == AM_OK && n == 371 && c[0].t == 2100 && c[370].t == 250 && c[5].v == vol(c[5].t) &&
                   c[5].e == ene(c[5].t),
               "am_cooling_curve_read: 371 points, exactly as written (%s)", st ? am_error_message() : "ok");
    free(c);

    /* defaults from the quench's header line: the quick preset's ranges */
    snprintf(args, sizeof args, "tg %s --json", path);
    int rc = run_amorph(args, out, sizeof out);
    check_true(rc == 0, "amorph tg --json: status %d", rc);
    check_abs(json_num("tg_volume_K"), 700.0, 1e-6, "Tg from V(T), default ranges (K)");
    check_abs(json_num("tg_energy_K"), 700.0, 1e-6, "Tg from E(T), default ranges (K)");
    check_true(strstr(out, "\"liquid_fit_K\": [1150, 1660]") && strstr(out, "\"glass_fit_K\": [300, 555]") &&
                   strstr(out, "\"quench header\""),
               "default ranges from the header line (T_melt 2000 K, T_end 300 K): %s", out);
    /* liquid 1150..1660 every 5 K: 103 points; glass 300..555: 52 */
    check_true(json_num("liquid_points") == 103 && json_num("glass_points") == 52 && json_num("points") == 371,
               "points in each range: liquid 103, glass 52, of 371");

    snprintf(args, sizeof args, "tg %s", path);
    rc = run_amorph(args, out, sizeof out);
    check_true(rc == 0 && strstr(out, "700.00 K from V(T), 700.00 K from E(T)") && strstr(out, "1150-1660 K") &&
                   strstr(out, "300-555 K"),
               "text output: Tg and the ranges: %s", out);

    /* chosen ranges */
    snprintf(args, sizeof args, "tg %s --liquid 900:1900 --glass 250:650 --json", path);
    rc = run_amorph(args, out, sizeof out);
    check_true(rc == 0, "amorph tg --liquid 900:1900 --glass 250:650: status %d", rc);
    check_abs(json_num("tg_volume_K"), 700.0, 1e-6, "Tg from V(T), chosen ranges (K)");
    check_abs(json_num("tg_energy_K"), 700.0, 1e-6, "Tg from E(T), chosen ranges (K)");
    check_true(json_num("liquid_points") == 201 && json_num("glass_points") == 81, "points in the chosen ranges");

    /* without the header line: T_melt and T_end are the extremes of the data */
    snprintf(args, sizeof args, "tg %s --json", bare);
    rc = run_amorph(args, out, sizeof out);
    check_true(rc == 0 && strstr(out, "\"liquid_fit_K\": [1175, 1730]") &&
                   strstr(out, "\"glass_fit_K\": [250, 527.5]") && strstr(out, "\"curve T range\""),
               "no header line: default ranges from 2100 K and 250 K: %s", out);
    check_abs(json_num("tg_volume_K"), 700.0, 1e-6, "Tg from V(T), no header line (K)");
    check_abs(json_num("tg_energy_K"), 700.0, 1e-6, "Tg from E(T), no header line (K)");

    /* a fit range without (enough) points */
    snprintf(args, sizeof args, "tg %s --glass 100:200", path);
    rc = run_amorph(args, out, sizeof out);
    check_true(rc == 1 && strstr(out, "glass fit range 100-200 K holds 0 points"), "empty glass range: status %d: %s",
               rc, out);
    snprintf(args, sizeof args, "tg %s --liquid 1000:1009", path);
    rc = run_amorph(args, out, sizeof out);
    check_true(rc == 1 && strstr(out, "holds 2 points"), "two points in the liquid range: status %d: %s", rc, out);

    /* malformed ranges are bad usage */
    const char *bad[] = {"--liquid 1600:1200", "--liquid 1200:1200", "--liquid 1200", "--glass 300:abc",
                         "--glass :555", "--glass 300:555:5", "--glass nan:555"};
    for (size_t k = 0; k < sizeof bad / sizeof bad[0]; k++) {
        snprintf(args, sizeof args, "tg %s %s", path, bad[k]);
        rc = run_amorph(args, out, sizeof out);
        check_true(rc == 2 && strstr(out, "amorph tg: --"), "%s: status %d: %s", bad[k], rc, out);
    }
}

static void bad_files(const char *dir)
{
    char path[512], args[2048];
    /* line 5 is not three numbers */
    snprintf(path, sizeof path, "%s", scratch_file(dir, "badrow.curve.csv"));
    FILE *f = fopen(path, "w");
    fprintf(f, "# a comment\nT_K,V_A3_per_atom,E_eV_per_atom\n1000,17.6,-4.9\n990,17.58,-4.9\n980,17.56,x\n");
    fclose(f);
    snprintf(args, sizeof args, "tg %s", path);
    int rc = run_amorph(args, out, sizeof out);
    check_true(rc == 1 && strstr(out, "badrow.curve.csv:5:") && strstr(out, "T,V,E"),
               "bad row: status %d, file:line and what was expected: %s", rc, out);
    am_cooling_point *c = (am_cooling_point *)1;
    size_t n = 7;
    check_true(am_cooling_curve_read(path, &c, &n) == AM_ERR_PARSE && c == NULL && n == 0 &&
                   strstr(am_error_message(), "badrow.curve.csv:5:"),
               "am_cooling_curve_read: parse error at line 5, nothing returned");

    const char *rows[] = {"1000,17.6\n", "1000,17.6,-4.9,1\n", "1000,inf,-4.9\n", "1000;17.6;-4.9\n"};
    for (size_t k = 0; k < sizeof rows / sizeof rows[0]; k++) {
        f = fopen(path, "w");
        fprintf(f, "T_K,V_A3_per_atom,E_eV_per_atom\n1010,17.62,-4.89\n%s", rows[k]);
        fclose(f);
        rc = run_amorph(args, out, sizeof out);
        check_true(rc == 1 && strstr(out, "badrow.curve.csv:3:"), "row '%.*s' refused at line 3: status %d",
                   (int)strlen(rows[k]) - 1, rows[k], rc);
    }

    /* no points at all */
    f = fopen(path, "w");
    fprintf(f, "# amorph quench: 100 atoms, melt 2000 K for 20 ps, cooled at 1e+12 K/s to 300 K, P = 0 bar\n"
               "T_K,V_A3_per_atom,E_eV_per_atom\n");
    fclose(f);
    rc = run_amorph(args, out, sizeof out);
    check_true(rc == 1 && strstr(out, "badrow.curve.csv") && strstr(out, "found none"), "no points: status %d: %s", rc,
               out);

    snprintf(args, sizeof args, "tg %s", scratch_file(dir, "missing.curve.csv"));
    rc = run_amorph(args, out, sizeof out);
    check_true(rc == 1 && strstr(out, "missing.curve.csv"), "missing file: status %d, named", rc);
    rc = run_amorph("tg", out, sizeof out);
    check_true(rc == 2, "no CURVE: status %d", rc);
    rc = run_amorph("tg --help", out, sizeof out);
    check_true(rc == 0 && strstr(out, "usage: amorph tg") && strstr(out, "[default:"), "amorph tg --help");
}

/* The shipped glass's curve: the defaults reproduce the Tg its quench wrote
 * in the curve's second line (732.8 K from V, 520.4 K from E). */
static void shipped(void)
{
    char args[1024];
    snprintf(args, sizeof args, "tg %s --json", source_path("data/cuzr_glass_2000.curve.csv"));
    int rc = run_amorph(args, out, sizeof out);
    check_true(rc == 0, "amorph tg on data/cuzr_glass_2000.curve.csv: status %d", rc);
    check_abs(json_num("tg_volume_K"), 732.8, 0.05, "shipped curve: Tg(V) as its quench wrote (K)");
    check_abs(json_num("tg_energy_K"), 520.4, 0.05, "shipped curve: Tg(E) as its quench wrote (K)");
}

int main(void)
{
    char dir[256];
    snprintf(dir, sizeof dir, "%s", scratch_dir("tg"));
    synthetic(dir);
    bad_files(dir);
    shipped();
    return check_exit();
}
