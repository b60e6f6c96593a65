/* amorph learn end to end on the shipped glass: descriptors from amorph
 * describe, a target that is a known linear function of two of them plus
 * noise. The model must find it (out-of-sample r > 0.95) and rank those two
 * first; atoms without a target are left out and counted; a saved model
 * predicts what the library predicts; results do not depend on the thread
 * count; bad input ends with a clear message. */
#include "amorph/amorph.h"
#include "util/check.h"

#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static char out[1 << 20], out2[1 << 20];

static double number_after(const char *s, const char *key)
{
    const char *p = s ? strstr(s, key) : NULL;
    double v = NAN;
    if (p) sscanf(p + strlen(key), "%lf", &v);
    return v;
}

/* The i-th "feature" name in the JSON's importance list. */
static void importance_name(const char *json, int i, char *name, size_t len)
{
    name[0] = '\0';
    const char *p = json ? strstr(json, "\"importance\": [") : NULL;
    for (int k = 0; p && k <= i; k++) p = strstr(p + 1, "{\"feature\": \"");
    if (p) sscanf(p + strlen("{\"feature\": \""), "%63[^\"]", name);
    (void)len;
}

static unsigned long long state = 99;
static double gauss(void)
{
    double u[2];
    for (int k = 0; k < 2; k++) {
        state = state * 6364136223846793005ULL + 1442695040888963407ULL;
        u[k] = ((double)(state >> 11) + 0.5) * 0x1.0p-53;
    }
    return sqrt(-2 * log(u[0])) * cos(6.283185307179586 * u[1]);
}

/* Standardised values of table column `name` (one component). */
static void zscore(const am_table *t, const char *name, double *z)
{
    const am_table_column *c = &t->col[am_table_find(t, name)];
    double m = 0, v = 0;
    for (size_t i = 0; i < t->n; i++) m += c->v[i * c->ncomp] / t->n;
    for (size_t i = 0; i < t->n; i++) v += (c->v[i * c->ncomp] - m) * (c->v[i * c->ncomp] - m) / t->n;
    for (size_t i = 0; i < t->n; i++) z[i] = (c->v[i * c->ncomp] - m) / sqrt(v);
}

static void expect_error(const char *args, const char *text)
{
    const int rc = run_amorph(args, out, sizeof out);
    check_true(rc == 2 && strstr(out, text) != NULL, "'amorph %.60s...' fails (%d) saying '%s': %.200s", args, rc, text,
               out);
}

int main(void)
{
    const char *dir = scratch_dir("learn_cli");
    char desc[512], target[512], model[512], oos[512], pred[512], bad[512], args[4096];
    snprintf(desc, sizeof desc, "%s", scratch_file(dir, "desc.extxyz"));
    snprintf(target, sizeof target, "%s", scratch_file(dir, "target.extxyz"));
    snprintf(model, sizeof model, "%s", scratch_file(dir, "ea.model"));
    snprintf(oos, sizeof oos, "%s", scratch_file(dir, "oos.extxyz"));
    snprintf(pred, sizeof pred, "%s", scratch_file(dir, "pred.extxyz"));
    snprintf(bad, sizeof bad, "%s", scratch_file(dir, "bad.extxyz"));
    snprintf(args, sizeof args, "describe %s -o %s -q", source_path("data/cuzr_glass_2000.data"), desc);
    check_true(run_amorph(args, out, sizeof out) == 0, "amorph describe on the shipped glass: %.200s", out);

    /* the target: 1.7 + 0.15 z(q6) − 0.25 z(voro_vol) + 0.05 N(0,1) eV; every 20th atom has none */
    am_read_options ro = {0};
    am_system *s = NULL;
    am_table *t = NULL;
    check_true(am_read_table(desc, &ro, &s, &t) == AM_OK, "descriptor table read: %s", am_error_message());
    const size_t n = s->n;
    double *zq = malloc(n * sizeof *zq), *zv = malloc(n * sizeof *zv), *ea = malloc(n * sizeof *ea);
    double *junk = malloc(n * sizeof *junk);
    long long *cnt = malloc(n * sizeof *cnt);
    zscore(t, "q6", zq);
    zscore(t, "voro_vol", zv);
    size_t missing = 0;
    for (size_t i = 0; i < n; i++) {
        cnt[i] = i % 20 != 7;
        ea[i] = cnt[i] ? 1.7 + 0.15 * zq[i] - 0.25 * zv[i] + 0.05 * gauss() : -1;
        missing += !cnt[i];
        junk[i] = i == 5 ? 12345.5 : 1.0;
    }
    am_column cols[] = {{"ea_mean", 1, ea, NULL}, {"ea_count", 1, NULL, cnt}, {"junk", 1, junk, NULL}};
    check_true(am_write_extxyz(target, s, cols, 2, NULL) == AM_OK, "target table written");

    /* the study: ridge, all descriptors, the default radii */
    snprintf(args, sizeof args,
             "learn %s %s --train-fractions 0.25,1 --bootstrap 200 --importance-repeats 2 --json --save-model %s -o %s",
             desc, target, model, oos);
    int rc = run_amorph(args, out, sizeof out);
    check_true(rc == 0, "amorph learn runs (%d): %.300s", rc, out);
    char key[64];
    snprintf(key, sizeof key, "\"left_out\": %zu", missing);
    check_true(strstr(out, key) != NULL, "the %zu atoms without a target are left out and counted", missing);
    const double r = number_after(strstr(out, "\"radius\": 0,"), "\"model\": {\"n\": 1900, \"r\": ");
    const double r2 = number_after(strstr(out, "\"radius\": 0,"), "\"r2\": ");
    check_true(r > 0.95 && r2 > 0.9, "out-of-sample r = %.4f (> 0.95), R² = %.4f: the linear law is found", r, r2);
    char first[64], second[64];
    importance_name(out, 0, first, sizeof first);
    importance_name(out, 1, second, sizeof second);
    check_true((strcmp(first, "q6") == 0 && strcmp(second, "voro_vol") == 0) ||
                   (strcmp(first, "voro_vol") == 0 && strcmp(second, "q6") == 0),
               "importance ranks the two descriptors of the law first: %s, %s", first, second);
    check_true(strstr(out, "\"name\": \"Cu\"") && strstr(out, "\"name\": \"Zr\"") &&
                   strstr(out, "\"learning_curve\": [{\"fraction\": 0.25"),
               "per-species selections and the learning curve reported");

    /* the saved model predicts, in the program, what it predicts in the library */
    snprintf(args, sizeof args, "learn %s %s --model %s -o %s --json --bootstrap 100", desc, target, model, pred);
    rc = run_amorph(args, out2, sizeof out2);
    const double rp = number_after(out2, "\"r\": ");
    check_true(rc == 0 && rp > 0.95, "prediction with the saved model scores r = %.4f on its own glass: %.200s", rp,
               out2);
    am_learn_model *m = NULL;
    am_system *ps = NULL;
    am_table *pt = NULL;
    double *want = malloc(n * sizeof *want);
    check_true(am_learn_load(model, &m) == AM_OK && am_learn_model_apply(m, s, t, want) == AM_OK &&
                   am_read_table(pred, &ro, &ps, &pt) == AM_OK && am_table_find(pt, "ea_mean_pred") >= 0,
               "model and predictions read back: %s", am_error_message());
    int same = pt && am_table_find(pt, "ea_mean_pred") >= 0;
    for (size_t i = 0; same && i < n; i++) same = pt->col[am_table_find(pt, "ea_mean_pred")].v[i] == want[i];
    check_true(same, "-o holds ea_mean_pred = the library's prediction, bit for bit");
    am_system *os = NULL;
    am_table *ot = NULL;
    int cv_ok = am_read_table(oos, &ro, &os, &ot) == AM_OK && am_table_find(ot, "ea_mean_cv") >= 0;
    for (size_t i = 0; cv_ok && i < n; i++) cv_ok = ot->col[am_table_find(ot, "ea_mean_cv")].v[i] == (double)cnt[i];
    check_true(cv_ok, "the study's -o: cross-validated predictions (ea_mean_cv 1) exactly where atoms have a target");

    /* gradient-boosted trees, folds side by side or one by one: the same report */
    const char *xgb = "learn %s %s --method xgboost --trees 40 --cg-radii 0 --train-fractions 1 "
                      "--importance-repeats 1 --bootstrap 100 --json --threads %d";
    snprintf(args, sizeof args, xgb, desc, target, 1);
    rc = run_amorph(args, out, sizeof out);
    snprintf(args, sizeof args, xgb, desc, target, 2);
    const int rc2 = run_amorph(args, out2, sizeof out2);
    const double rx = number_after(strstr(out, "\"radius\": 0,"), "\"model\": {\"n\": 1900, \"r\": ");
    check_true(rc == 0 && rc2 == 0 && rx > 0.85, "xgboost finds the law too: r = %.4f", rx);
    check_true(strcmp(out, out2) == 0, "xgboost study: 1 and 2 threads give the same report");

    /* a model of one species predicts and is scored for that species */
    char zr[512];
    snprintf(zr, sizeof zr, "%s", scratch_file(dir, "zr.model"));
    snprintf(args, sizeof args, "learn %s %s --select Zr --cg-radii 0 --train-fractions 1 --bootstrap 0 "
             "--importance-repeats 0 --save-model %s -q", desc, target, zr);
    rc = run_amorph(args, out, sizeof out);
    snprintf(args, sizeof args, "learn %s %s --model %s --bootstrap 0 --json", desc, target, zr);
    rc |= run_amorph(args, out2, sizeof out2);
    check_true(rc == 0 && strstr(out2, "\"selection\": \"Zr\"") && strstr(out2, "{\"name\": \"Zr\"") &&
                   !strstr(out2, "\"name\": \"Cu\"") && !strstr(out2, "\"name\": \"all\""),
               "a Zr model is applied to and scored on Zr atoms only: %.300s", out2);

    /* bad input */
    char base[1200];
    snprintf(base, sizeof base, "learn %s %s --cg-radii 0 --train-fractions 1 --bootstrap 0", desc, target);
    snprintf(args, sizeof args, "%s --features nosuch", base);
    expect_error(args, "no descriptor 'nosuch'");
    snprintf(args, sizeof args, "%s --features ,", base);
    expect_error(args, "--features is empty");
    snprintf(args, sizeof args, "%s --features ea_mean", base);
    expect_error(args, "cannot be a feature");
    snprintf(args, sizeof args, "%s --target nosuch", base);
    expect_error(args, "no column 'nosuch'");
    snprintf(args, sizeof args, "%s --method forest", base);
    expect_error(args, "expected ridge or xgboost");
    snprintf(args, sizeof args, "%s --cg-radii 5,4", base);
    expect_error(args, "increasing");
    snprintf(args, sizeof args, "%s --cg-radii -1", base);
    expect_error(args, "expected a radius");
    snprintf(args, sizeof args, "%s --folds 30", base);
    expect_error(args, "at most as many folds as blocks");
    snprintf(args, sizeof args, "%s --alpha -2", base);
    expect_error(args, "expected a ridge penalty");
    snprintf(args, sizeof args, "%s --blocks 3,x,3", base);
    expect_error(args, "expected K or KA,KB,KC");
    snprintf(args, sizeof args, "%s --select Xe", base);
    expect_error(args, "no species 'Xe'");
    /* a NaN in a table: the reader names the file, the line and the column */
    check_true(am_write_extxyz(bad, s, cols, 3, NULL) == AM_OK, "table with a junk column written");
    char *text = NULL;
    size_t len = 0;
    FILE *f = fopen(bad, "rb");
    if (f) {
        text = malloc(1 << 22);
        len = fread(text, 1, (1 << 22) - 1, f);
        text[len] = '\0';
        fclose(f);
    }
    char *hit = text ? strstr(text, "12345.5") : NULL;
    if (hit) memcpy(hit, "nan    ", 7);
    f = fopen(bad, "wb");
    if (f && text) {
        fwrite(text, 1, len, f);
        fclose(f);
    }
    snprintf(args, sizeof args, "learn %s %s --cg-radii 0", desc, bad);
    rc = run_amorph(args, out, sizeof out);
    check_true(rc != 0 && strstr(out, "bad.extxyz:") && strstr(out, "junk"), "NaN in a table refused (%d): %.200s", rc,
               out);
    snprintf(args, sizeof args, "learn %s %s --model %s", desc, target, bad);
    expect_error(args, "not an amorph model file");
    rc = run_amorph("learn --help", out, sizeof out);
    check_true(rc == 0 && strstr(out, "[default: 0,4,6,8,10]") && strstr(out, "Å"),
               "learn --help gives defaults and units");
    free(text); free(zq); free(zv); free(ea); free(junk); free(cnt); free(want);
    am_learn_free(m);
    am_table_free(t); am_table_free(pt); am_table_free(ot);
    am_system_free(s); am_system_free(ps); am_system_free(os);
    return check_exit();
}
