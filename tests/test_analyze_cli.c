/* amorph analyze on a synthetic table with known answers: the report's
 * numbers equal the library's on the same data, a descriptor built from the
 * property ranks first and a random one last, the liquid-like fraction is
 * the count of atoms below the critical Ea, figures are drawn, atoms that
 * hopped leave their vMSD columns on request, and bad input ends with a clear
 * message. */
#include "amorph/amorph.h"
#include "amorph/analysis.h"
#include "amorph/report.h"
#include "core/process.h"
#include "util/build.h"
#include "util/check.h"

#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

static char out[1 << 16];

static char *slurp(const char *path)
{
    FILE *f = fopen(path, "rb");
    if (!f) return NULL;
    fseek(f, 0, SEEK_END);
    long len = ftell(f);
    rewind(f);
    char *b = malloc((size_t)len + 1);
    size_t got = fread(b, 1, (size_t)len, f);
    b[got] = '\0';
    fclose(f);
    return b;
}

/* The Pearson r the report gives for descriptor d over selection "all". */
static double reported_r(const char *json, const char *d)
{
    char key[128];
    snprintf(key, sizeof key, "\"descriptor\": \"%s\", \"selection\": \"all\", \"n\": ", d);
    const char *p = json ? strstr(json, key) : NULL;
    size_t n;
    double r;
    if (!p || sscanf(p + strlen(key), "%zu, \"pearson\": %lf", &n, &r) != 2) return NAN;
    return r;
}

/* uniform in [0, 1) from a 64-bit LCG: reproducible without libc's rand */
static double uniform(unsigned long long *state)
{
    *state = *state * 6364136223846793005ULL + 1442695040888963407ULL;
    return (double)(*state >> 11) * 0x1.0p-53;
}

int main(void)
{
    const char *dir = scratch_dir("analyze_cli");
    am_system *s = build_lattice("fcc", 4.0, 6, 6, 6, "Cu,Zr");
    const size_t n = s->n;
    double *wave = malloc(n * sizeof(double)), *ea = malloc(n * sizeof(double)), *good = malloc(n * sizeof(double)), *bad = malloc(n * sizeof(double));
    long long *cnt = malloc(n * sizeof(long long));
    unsigned long long st = 42;
    size_t nvalid = 0, liquid = 0;
    const double ea_crit = am_units_of("metal")->boltz * 300 * log(1e12 / 1e-4); /* η = 1e12 Pa·s at 300 K */
    for (size_t i = 0; i < n; i++) {
        ea[i] = 0.3 + 1.2 * uniform(&st);
        good[i] = 2.0 * ea[i] + 0.3 * (uniform(&st) - 0.5);
        bad[i] = uniform(&st);
        /* spatially correlated over the whole box: a resolved correlation length */
        wave[i] = cos(2 * 3.14159265358979323846 * s->x[i] / s->box.len[0]);
        cnt[i] = i % 10 == 3 ? 0 : 1; /* every tenth atom unsampled */
        if (cnt[i]) nvalid++, liquid += ea[i] < ea_crit;
        if (!cnt[i]) ea[i] = -1;
    }
    am_column cols[] = {{"ea_mean", 1, ea, NULL}, {"ea_count", 1, NULL, cnt}, {"good", 1, good, NULL},
                        {"bad", 1, bad, NULL}, {"wave", 1, wave, NULL}};
    char table[512], rep[512];
    snprintf(table, sizeof table, "%s", scratch_file(dir, "atoms.extxyz"));
    check_true(am_write_extxyz(table, s, cols, 5, NULL) == AM_OK, "write the synthetic table (%zu atoms)", n);

    char args[4096];
    snprintf(rep, sizeof rep, "%s", scratch_file(dir, "report"));
    snprintf(args, sizeof args, "analyze %s -o %s --bootstrap 100 --group 20 -q", table, rep);
    int rc = run_amorph(args, out, sizeof out);
    check_true(rc == 0, "amorph analyze runs (status %d): %.300s", rc, out);
    char *json = slurp(scratch_file(rep, "summary.json")), *md = slurp(scratch_file(rep, "README.md"));
    check_true(json && md, "summary.json and README.md written");

    /* the library on the same atoms */
    double *x = malloc(n * sizeof(double)), *y = malloc(n * sizeof(double));
    size_t m = 0;
    for (size_t i = 0; i < n; i++)
        if (cnt[i]) x[m] = good[i], y[m] = ea[i], m++;
    double r_good = NAN;
    am_pearson(m, x, y, &r_good);
    check_abs(reported_r(json, "good"), r_good, 1e-9, "Pearson r of 'good' as the library computes it");
    check_true(r_good > 0.95, "'good' is strongly correlated by construction (r = %.4f)", r_good);
    check_true(fabs(reported_r(json, "bad")) < 4 / sqrt((double)m), "'bad' is not (r = %.4f)", reported_r(json, "bad"));
    char key[64];
    snprintf(key, sizeof key, "\"all\": %zu", nvalid);
    check_true(json && strstr(json, key) != NULL, "unsampled atoms (ea_count 0) left out: %zu remain", nvalid);
    check_true(md && strstr(md, "| 1 | `good` |"), "'good' ranks first");
    const char *lf = json ? strstr(json, "\"all\": {\"atoms\"") : NULL;
    double frac = NAN;
    if (lf) lf = strstr(lf, "\"liquid_fraction\": ");
    if (lf) sscanf(lf + strlen("\"liquid_fraction\": "), "%lf", &frac);
    check_abs(frac, (double)liquid / (double)nvalid, 1e-9, "liquid-like fraction = atoms with Ea < %.4f eV", ea_crit);
    static const char *const figs[] = {"fig_scatter", "fig_coarse", "fig_autocorr", "fig_screening", "fig_viscosity"};
    for (size_t k = 0; k < sizeof figs / sizeof figs[0]; k++) {
        char name[64];
        snprintf(name, sizeof name, "%s.png", figs[k]);
        FILE *f = fopen(scratch_file(rep, name), "rb");
        unsigned char magic[4] = {0};
        if (f) {
            if (fread(magic, 1, 4, f) != 4) magic[0] = 0;
            fclose(f);
        }
        snprintf(name, sizeof name, "%s.svg", figs[k]);
        FILE *g = fopen(scratch_file(rep, name), "rb");
        check_true(magic[0] == 0x89 && magic[1] == 'P' && magic[2] == 'N' && magic[3] == 'G' && g,
                   "%s drawn as PNG and SVG", figs[k]);
        if (g) fclose(g);
    }
    /* the PNGs are fit for a slide: at least 1600 pixels wide */
    FILE *png = fopen(scratch_file(rep, "fig_coarse.png"), "rb");
    unsigned char ihdr[24] = {0};
    if (png) {
        if (fread(ihdr, 1, sizeof ihdr, png) != sizeof ihdr) ihdr[16] = 0;
        fclose(png);
    }
    const unsigned width = (unsigned)ihdr[16] << 24 | (unsigned)ihdr[17] << 16 | (unsigned)ihdr[18] << 8 | ihdr[19];
    check_true(width >= 1600, "fig_coarse.png is %u pixels wide (>= 1600)", width);
    /* axes named from the label table, with units */
    char *gp = slurp(scratch_file(rep, "fig_scatter.gp"));
    check_true(gp && strstr(gp, "activation energy Ea (mean) (eV)"), "the property's axis has its name and unit");
    free(gp);
    /* the coarse-grained r has an interval that holds it */
    const char *cg = json ? strstr(json, "{\"descriptor\": \"good\", \"selection\": \"all\"") : NULL;
    double rcg = NAN, lo = NAN, hi = NAN;
    if (cg && (cg = strstr(cg, "\"r_cg\": "))) sscanf(cg, "\"r_cg\": %lf, \"r_cg_ci\": [%lf, %lf]", &rcg, &lo, &hi);
    /* (near r = 1 the resamples' r lie below the estimate: a percentile interval may end just under it) */
    check_true(lo <= rcg && rcg <= hi + 1e-3 && hi - lo < 0.1 && rcg > 0.9,
               "coarse-grained r of 'good' %.4f in [%.4f, %.4f]", rcg, lo, hi);
    /* quality flags: 389 atoms per species, 19 groups of 20 */
    check_true(json && strstr(json, "\"quality_flags\": [") && strstr(json, "groups of 20 atoms") &&
                   md && strstr(md, "> **Caution:** only"),
               "too few atoms and too few groups are flagged in README.md and summary.json");
    /* the same report for a browser */
    char *html = slurp(scratch_file(rep, "index.html"));
    check_true(html && strstr(html, "<td><code>good</code></td>") && strstr(html, "<img src=\"fig_coarse.png\"") &&
                   strstr(html, "<div class=\"caution\">") && strstr(html, "</html>"),
               "index.html renders the README's tables, figures and cautions");
    free(html);
    /* and a real browser draws it: a blank or broken page screenshots to a few kB */
    char url[1200], cwd[512] = ".", shot[600], size[] = "--window-size=1280,1600", out_arg[640];
    if (!getcwd(cwd, sizeof cwd)) cwd[0] = '\0';
    snprintf(url, sizeof url, "file://%s/%s/index.html", cwd, rep);
    snprintf(shot, sizeof shot, "%s", scratch_file(dir, "index.png"));
    remove(shot);
    snprintf(out_arg, sizeof out_arg, "--screenshot=%s", shot);
    char *chrome[] = {"chromium", "--headless", "--no-sandbox", "--disable-gpu", "--hide-scrollbars", size, out_arg,
                      url, NULL};
    int code = -1;
    am_run_program(NULL, chrome, scratch_file(dir, "chromium.log"), &code);
    FILE *sf = fopen(shot, "rb");
    long shot_size = 0;
    if (sf) {
        fseek(sf, 0, SEEK_END);
        shot_size = ftell(sf);
        fclose(sf);
    }
    check_true(code == 0 && shot_size > 60000, "headless Chromium renders index.html (exit %d, screenshot %ld bytes)",
               code, shot_size);
    free(json);
    free(md);

    /* the report through the library, as the Python layer calls it */
    am_system *ts = NULL;
    am_table *tt = NULL;
    am_read_options ro = {0};
    check_true(am_read_table(table, &ro, &ts, &tt) == AM_OK, "read the table back");
    am_report_options o;
    am_report_defaults(&o);
    o.nboot = 100;
    o.group = 20;
    o.figures = 0;
    char lib[512];
    snprintf(lib, sizeof lib, "%s", scratch_file(dir, "report_lib"));
    check_true(ts && am_report_analyze(ts, tt, &o, lib) == AM_OK, "am_report_analyze: %s", am_error_message());
    json = slurp(scratch_file(lib, "summary.json"));
    check_abs(reported_r(json, "good"), r_good, 1e-9, "the library's report gives the same r");
    FILE *script = fopen(scratch_file(lib, "fig_coarse.gp"), "r");
    FILE *nopng = fopen(scratch_file(lib, "fig_coarse.png"), "r");
    check_true(script && !nopng, "figures = 0: scripts written, nothing drawn");
    if (script) fclose(script);
    if (nopng) fclose(nopng);
    free(json);
    o.property = "nosuch";
    check_true(am_report_analyze(ts, tt, &o, lib) == AM_ERR_VALUE && strstr(am_error_message(), "'nosuch'"),
               "a missing property is AM_ERR_VALUE, named: %s", am_error_message());
    am_table_free(tt);
    am_system_free(ts);

    /* names with a parameter: amorph's p for a decimal point (s2_rc6p5,
     * vmsd_0p5K) and tables from before it (s2_rc4.0) give the same numbers */
    double *s2a = malloc(n * sizeof(double)), *s2b = malloc(n * sizeof(double)), *vm = malloc(4 * n * sizeof(double));
    for (size_t i = 0; i < n; i++) {
        s2a[i] = good[i] + 0.5 * bad[i], s2b[i] = wave[i];
        for (int k = 0; k < 4; k++) vm[4 * i + k] = 0.01 * (1.0 + good[i]) * (k ? 1.0 / 3.0 : 1.0);
    }
    am_column named[] = {{"ea_mean", 1, ea, NULL}, {"ea_count", 1, NULL, cnt}, {"s2_rc4.0", 1, s2a, NULL},
                         {"s2_rc6p5", 1, s2b, NULL}, {"vmsd_0p5K", 4, vm, NULL}};
    const char *ntable = scratch_file(dir, "names.extxyz");
    check_true(am_write_extxyz(ntable, s, named, 5, NULL) == AM_OK, "write a table with old and new names");
    snprintf(lib, sizeof lib, "%s", scratch_file(dir, "report_names"));
    o.property = "ea_mean";
    check_true(am_read_table(ntable, &ro, &ts, &tt) == AM_OK && am_report_analyze(ts, tt, &o, lib) == AM_OK,
               "analyze it: %s", am_error_message());
    char *dat = slurp(scratch_file(lib, "s2_cutoff.dat"));
    check_true(dat && strstr(dat, "\n4 ") && strstr(dat, "\n6.5 "), "S2 cutoffs 4 (s2_rc4.0) and 6.5 (s2_rc6p5) read");
    free(dat);
    char *gps = slurp(scratch_file(lib, "fig_scatter.gp")), *gpc = slurp(scratch_file(lib, "fig_coarse.gp"));
    check_true(gps && gpc && strstr(gps, "cutoff 4.0 Å") && strstr(gpc, "cutoff 6.5 Å") && strstr(gps, "at 0.5 K"),
               "labels show the point again: cutoff 4.0 Å, cutoff 6.5 Å, vMSD at 0.5 K");
    free(gps);
    free(gpc);
    am_table_free(tt);
    am_system_free(ts);
    free(s2a);
    free(s2b);
    free(vm);

    /* --hopped drop: the atoms that hopped in a vMSD run (every seventh here, with a vMSD far out, as a jump
     * gives) leave that run's columns, and only those; the numbers are the library's on the atoms that stay */
    double *vh = malloc(4 * n * sizeof(double));
    long long *hop = malloc(n * sizeof(long long));
    size_t nhop = 0, nstay = 0;
    m = 0;
    for (size_t i = 0; i < n; i++) {
        hop[i] = i % 7 == 2;
        nhop += (size_t)hop[i];
        const double v = hop[i] ? 2.0 + 3.0 * bad[i] : 0.01 * (1.0 + good[i]);
        for (int k = 0; k < 4; k++) vh[4 * i + k] = v * (k ? 1.0 / 3.0 : 1.0);
        if (cnt[i] && !hop[i]) x[m] = v, y[m] = ea[i], m++;
    }
    nstay = m;
    double r_stay = NAN, r_all = NAN;
    am_pearson(m, x, y, &r_stay);
    m = 0;
    for (size_t i = 0; i < n; i++)
        if (cnt[i]) x[m] = vh[4 * i], y[m] = ea[i], m++;
    am_pearson(m, x, y, &r_all);
    am_column hcols[] = {{"ea_mean", 1, ea, NULL}, {"ea_count", 1, NULL, cnt}, {"vmsd_300K", 4, vh, NULL},
                         {"hopped_300K", 1, NULL, hop}, {"good", 1, good, NULL}};
    const char *htable = scratch_file(dir, "hopped.extxyz");
    check_true(am_write_extxyz(htable, s, hcols, 5, NULL) == AM_OK, "write a table with hopped atoms");
    snprintf(lib, sizeof lib, "%s", scratch_file(dir, "report_hopped"));
    snprintf(args, sizeof args, "analyze %s -o %s --bootstrap 20 --group 20 --no-figures -q --hopped drop", htable, lib);
    rc = run_amorph(args, out, sizeof out);
    check_true(rc == 0, "analyze --hopped drop runs (status %d): %.300s", rc, out);
    json = slurp(scratch_file(lib, "summary.json"));
    md = slurp(scratch_file(lib, "README.md"));
    check_abs(reported_r(json, "vmsd_300K"), r_stay, 1e-9, "--hopped drop: r of vMSD over the %zu atoms that stay",
              nstay);
    check_abs(reported_r(json, "vmsd_300K_x"), r_stay, 1e-9, "and of its x component");
    check_abs(reported_r(json, "good"), r_good, 1e-9, "other columns keep every atom");
    char jkey[96];
    snprintf(jkey, sizeof jkey, "\"hopped_left_out\": {\"vmsd_300K\": %zu}", nhop);
    snprintf(key, sizeof key, "`vmsd_300K` %zu atoms", nhop);
    check_true(md && strstr(md, key) && json && strstr(json, "\"drop_hopped\": true") && strstr(json, jkey) &&
                   strstr(json, "\"column\": \"vmsd_300K_directional\""),
               "README names the %zu atoms left out, summary.json the option; the directional C(r) computed", nhop);
    free(json);
    free(md);
    snprintf(args, sizeof args, "analyze %s -o %s --bootstrap 20 --group 20 --no-figures -q", htable, lib);
    rc = run_amorph(args, out, sizeof out);
    json = slurp(scratch_file(lib, "summary.json"));
    check_true(rc == 0 && fabs(r_all - r_stay) > 0.1, "the jumps change r (%.3f with them, %.3f without)", r_all,
               r_stay);
    check_abs(reported_r(json, "vmsd_300K"), r_all, 1e-9, "by default (keep) r of vMSD over every atom");
    free(json);
    am_column nohop[] = {{"ea_mean", 1, ea, NULL}, {"ea_count", 1, NULL, cnt}, {"vmsd_300K", 4, vh, NULL}};
    check_true(am_write_extxyz(htable, s, nohop, 3, NULL) == AM_OK, "write a vMSD table without its hopped column");
    snprintf(args, sizeof args, "analyze %s -o %s --group 20 --hopped drop", htable, lib);
    rc = run_amorph(args, out, sizeof out);
    check_true(rc == 2 && strstr(out, "'hopped_300K'"), "--hopped drop without hopped_300K: status 2, named (%d): %.200s",
               rc, out);
    snprintf(args, sizeof args, "analyze %s -o %s --hopped sometimes", htable, lib);
    rc = run_amorph(args, out, sizeof out);
    check_true(rc == 2 && strstr(out, "keep or drop"), "--hopped takes keep or drop (%d): %.200s", rc, out);
    free(vh);
    free(hop);

    /* bad input */
    snprintf(args, sizeof args, "analyze %s -o %s --property nosuch", table, rep);
    rc = run_amorph(args, out, sizeof out);
    check_true(rc == 2 && strstr(out, "'nosuch'"), "missing property column: status 2, named (%d)", rc);
    snprintf(args, sizeof args, "analyze %s -o %s --group 500", table, rep);
    rc = run_amorph(args, out, sizeof out);
    check_true(rc == 2 && strstr(out, "coarse-graining groups"), "fewer atoms than three groups: a clear error: %.200s",
               out);
    snprintf(args, sizeof args, "analyze %s %s -o %s", table, table, rep);
    rc = run_amorph(args, out, sizeof out);
    check_true(rc != 0 && rc != -1 && strstr(out, "already in an earlier table"), "a column given twice: %.200s", out);
    const char *nan_table = scratch_file(dir, "nan.extxyz");
    FILE *f = fopen(nan_table, "w");
    fprintf(f, "1\nLattice=\"10 0 0 0 10 0 0 0 10\" Properties=species:S:1:pos:R:3:ea_mean:R:1\nCu 1 1 1 nan\n");
    fclose(f);
    snprintf(args, sizeof args, "analyze %s -o %s", nan_table, rep);
    rc = run_amorph(args, out, sizeof out);
    check_true(rc != 0 && rc != -1 && strstr(out, "nan.extxyz:3"), "a NaN names file and line: %.200s", out);

    free(x);
    free(y);
    free(ea);
    free(wave);
    free(good);
    free(bad);
    free(cnt);
    am_system_free(s);
    return check_exit();
}
