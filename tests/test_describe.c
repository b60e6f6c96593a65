/* amorph describe: the per-atom table it writes (CSV and extended XYZ)
 * holds exactly what the library computes (also for the radical
 * tessellation, face-weighted q_l and symmetry functions), the Voronoi
 * populations add up and give the entropy the summary prints, thread counts
 * change nothing, the new columns reach amorph learn, and bad options end
 * with a message and status 2. */
#include "util/build.h"
#include "util/check.h"

#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static char out[1 << 20];

/* Index of a column in a CSV header line, or -1. */
static int column(const char *header, const char *name)
{
    char buf[8192];
    snprintf(buf, sizeof buf, "%s", header);
    buf[strcspn(buf, "\n")] = '\0';
    int k = 0;
    for (char *tok = strtok(buf, ","); tok; tok = strtok(NULL, ","), k++)
        if (strcmp(tok, name) == 0) return k;
    return -1;
}

static double field(const char *line, int k)
{
    const char *p = line;
    for (int j = 0; j < k && p; j++) {
        p = strchr(p, ',');
        if (p) p++;
    }
    return p ? strtod(p, NULL) : NAN;
}

/* The CSV's cn, voro_vol, q6 and s2_rc6p25 columns equal the library's. */
static void table_matches_library(const char *csv, const am_system *s)
{
    FILE *f = fopen(csv, "r");
    if (!check_true(f != NULL, "CSV written")) return;
    static char header[8192], line[8192];
    if (!fgets(header, sizeof header, f)) header[0] = '\0';
    const int ccn = column(header, "cn"), cvol = column(header, "voro_vol"), cq6 = column(header, "q6"),
              cs2 = column(header, "s2_rc6p25"), cidx = column(header, "voro_index_3"), cid = column(header, "id");
    check_true(ccn > 0 && cvol > 0 && cq6 > 0 && cs2 > 0 && cidx > 0 && cid == 0,
               "CSV header names id, voro_index_1..4, cn, voro_vol, q6, s2_rc6p25");
    am_voronoi *v;
    am_voronoi_compute(s, 0.0, &v);
    am_steinhardt_options qo = {.mode = AM_NB_VORONOI, .voronoi = v};
    const int l = 6;
    const double rc[2] = {4.0, 6.25};
    am_s2_options so = {AM_S2_MULTI, 0.2, 0, rc, 2};
    double *q6 = malloc(s->n * sizeof(double)), *s2 = malloc(2 * s->n * sizeof(double));
    am_steinhardt(s, &qo, &l, 1, q6);
    am_s2(s, &so, s2, NULL, NULL);
    size_t rows = 0, bad = 0;
    while (fgets(line, sizeof line, f)) {
        const size_t i = rows++;
        if (i >= s->n) break;
        bad += field(line, cid) != (double)s->id[i] || field(line, ccn) != v->cn[i] ||
               field(line, cvol) != v->volume[i] || field(line, cq6) != q6[i] || field(line, cs2) != s2[2 * i + 1] ||
               field(line, cidx) != v->index[8 * i + 2];
    }
    fclose(f);
    check_true(rows == s->n, "CSV has one row per atom (%zu)", rows);
    check_true(bad == 0, "every value in the CSV equals the library's to the last bit (%zu rows differ)", bad);
    free(q6);
    free(s2);
    am_voronoi_free(v);
}

/* Fractions per species add up to 1, and -Σ P ln P is the printed H. */
static void populations(const char *csv, const char *json)
{
    FILE *f = fopen(csv, "r");
    if (!check_true(f != NULL, "populations written")) return;
    char line[512], sp[16];
    double sum[3] = {0}, h[3] = {0};
    long count[3] = {0};
    if (!fgets(line, sizeof line, f)) line[0] = '\0';
    check_true(strncmp(line, "species,n3,", 11) == 0, "populations header");
    while (fgets(line, sizeof line, f)) {
        int idx[8];
        long c;
        double p;
        if (sscanf(line, "%15[^,],%d,%d,%d,%d,%d,%d,%d,%d,%ld,%lf", sp, &idx[0], &idx[1], &idx[2], &idx[3], &idx[4],
                   &idx[5], &idx[6], &idx[7], &c, &p) != 11)
            continue;
        const int k = strcmp(sp, "Cu") == 0 ? 0 : strcmp(sp, "Zr") == 0 ? 1 : 2;
        sum[k] += p;
        h[k] -= p * log(p);
        count[k] += c;
    }
    fclose(f);
    check_true(count[0] + count[1] == 432 && count[2] == 432, "populations count every atom once per table");
    for (int k = 0; k < 3; k++) check_abs(sum[k], 1, 1e-9, "populations of %s sum to 1", k == 0 ? "Cu" : k == 1 ? "Zr" : "all");
    const char *p = strstr(json, "\"species\": \"all\"");
    const char *e = p ? strstr(p, "\"entropy\": ") : NULL;
    check_true(e != NULL, "JSON reports the entropy of the whole population");
    if (e) check_rel(strtod(e + 11, NULL), h[2], 1e-9, "entropy in the summary = -sum P ln P of the table");
}

/* --voronoi-radii, --q-neighbors voronoi-weighted and --acsf: the CSV
 * holds the library's values to the last bit, auto means the table's radii,
 * the extended XYZ records the radii and its columns are descriptors that
 * amorph learn takes. */
static void new_descriptors(const char *glass, const am_system *s, const char *dir)
{
    char args[2048];
    const char *csv = scratch_file(dir, "r.csv"), *csv_auto = scratch_file(dir, "r_auto.csv"),
               *xyz = scratch_file(dir, "r.extxyz");
    snprintf(args, sizeof args,
             "describe %s --voronoi --steinhardt --acsf --interstices --voronoi-radii Cu:1.28,Zr:1.58 --q-neighbors "
             "voronoi-weighted --csv %s -o %s --json --threads 1",
             glass, csv, xyz);
    int rc = run_amorph(args, out, sizeof out);
    if (!check_true(rc == 0, "describe --voronoi-radii --q-neighbors voronoi-weighted --acsf ran (status %d): %.300s", rc,
                    out))
        return;
    check_true(strstr(out, "\"voronoi_radii\": {\"Cu\": 1.28, \"Zr\": 1.58}") != NULL, "JSON names the radii");
    snprintf(args, sizeof args, "describe %s --voronoi --steinhardt --acsf --interstices --voronoi-radii auto "
                                "--q-neighbors voronoi-weighted --csv %s -q --threads 2", glass, csv_auto);
    rc = run_amorph(args, out, sizeof out);
    check_true(rc == 0 && files_equal(csv, csv_auto), "--voronoi-radii auto is Cu:1.28,Zr:1.58, and 2 threads change nothing");
    /* a species the table lacks (oxygen, by relabelling Zr) is given after auto */
    snprintf(args, sizeof args, "describe %s --species Cu,O --force-species --voronoi --voronoi-radii auto,O:1.5 --json -q",
             glass);
    rc = run_amorph(args, out, sizeof out);
    check_true(rc == 0 && strstr(out, "\"voronoi_radii\": {\"Cu\": 1.28, \"O\": 1.5}"),
               "auto,O:1.5 takes Cu from the table and O as given (status %d): %.200s", rc, out);

    /* the library's values */
    const double radii[2] = {1.28, 1.58};
    am_voronoi *v;
    am_voronoi_compute_radical(s, radii, 0.0, &v);
    am_steinhardt_options qo = {.mode = AM_NB_VORONOI_WEIGHTED, .voronoi = v};
    const int l = 6;
    double *q6 = malloc(s->n * sizeof(double));
    am_steinhardt(s, &qo, &l, 1, q6);
    am_acsf_options ao;
    am_acsf_defaults(&ao);
    double *g = malloc(s->n * 26 * sizeof(double)), *in = malloc(s->n * AM_INTERSTICE_NCOLS * sizeof(double));
    am_acsf(s, &ao, g);
    am_interstices(s, v, radii, in);
    FILE *f = fopen(csv, "r");
    static char header[8192], line[8192];
    if (!f || !fgets(header, sizeof header, f)) header[0] = '\0';
    /* G2 set 1 (Rs 3.0) over Zr: column 3; G4 set 3 (zeta 4, lambda 1) pair Cu-Zr: column 14 + 2*3 + 1 */
    const int cvol = column(header, "voro_vol"), ccn = column(header, "cn"), cq6 = column(header, "q6"),
              cg2 = column(header, "g2_Zr_eta4p0_rs3p0"), cg4 = column(header, "g4_Cu_Zr_eta0p05_zeta4p0_lambda1"),
              cg4m = column(header, "g4_Zr_Zr_eta0p05_zeta1p0_lambdam1"), cdist = column(header, "interstice_dist_min"),
              cvolm = column(header, "interstice_vol_mean");
    check_true(cvol > 0 && ccn > 0 && cq6 > 0 && cg2 > 0 && cg4 > 0 && cg4m > 0 && cdist > 0 && cvolm > 0,
               "CSV header names voro_vol, cn, q6, g2_Zr_eta4p0_rs3p0, g4_Cu_Zr_eta0p05_zeta4p0_lambda1, "
               "g4_Zr_Zr_eta0p05_zeta1p0_lambdam1, interstice_dist_min, interstice_vol_mean");
    size_t rows = 0, bad = 0;
    while (f && fgets(line, sizeof line, f)) {
        const size_t i = rows++;
        if (i >= s->n) break;
        bad += field(line, cvol) != v->volume[i] || field(line, ccn) != v->cn[i] || field(line, cq6) != q6[i] ||
               field(line, cg2) != g[i * 26 + 3] || field(line, cg4) != g[i * 26 + 14 + 7] ||
               field(line, cg4m) != g[i * 26 + 14 + 3 + 2] || field(line, cdist) != in[i * 12 + 2] ||
               field(line, cvolm) != in[i * 12 + 8];
    }
    if (f) fclose(f);
    check_true(rows == s->n && bad == 0, "radical volume, CN, face-weighted q6, G2, G4 and interstices in the CSV equal "
                                         "the library's to the last bit (%zu of %zu rows differ)", bad, rows);
    free(q6);
    free(g);
    free(in);
    am_voronoi_free(v);

    /* the extended XYZ: radii in the header; every column a descriptor */
    char *text = read_text_file(xyz, NULL);
    check_true(text && strstr(text, "voronoi_radii=\"Cu:1.28 Zr:1.58\""), "extended XYZ header records voronoi_radii");
    free(text);
    am_system *back = NULL;
    am_table *t = NULL;
    int named = 0;
    if (check_true(am_read_table(xyz, NULL, &back, &t) == AM_OK, "extended XYZ reads back as a table (%s)",
                   am_error_message())) {
        for (int k = 0; k < t->ncols; k++) {
            const char *name = t->col[k].name;
            named += (strncmp(name, "g2_", 3) == 0 || strncmp(name, "g4_", 3) == 0) &&
                     strspn(name, "abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789_") == strlen(name);
        }
    }
    check_true(named == 26, "26 symmetry-function columns read back, names of letters, digits and '_' only (%d)", named);
    am_table_free(t);
    am_system_free(back);
    snprintf(args, sizeof args,
             "learn %s --target voro_vol --features g2_*,g4_* --cg-radii 0 --bootstrap 0 --importance-repeats 0 "
             "--train-fractions 1 --json -q --threads 1",
             xyz);
    rc = run_amorph(args, out, sizeof out);
    check_true(rc == 0 && strstr(out, "g4_Cu_Zr_eta0p05_zeta1p0_lambda1"),
               "amorph learn takes the symmetry functions as features (status %d): %.200s", rc, out);
}

int main(void)
{
    const char *glass = source_path("tests/data/cuzr_glass_432.data");
    am_system *s = load_conf(glass, "Cu,Zr");
    if (!check_true(s != NULL, "glass loaded")) return check_exit();
    const char *dir = scratch_dir("describe");
    char args[2048];
    const char *csv1 = scratch_file(dir, "t1.csv"), *csv2 = scratch_file(dir, "t2.csv"),
               *xyz = scratch_file(dir, "t.extxyz"), *pop = scratch_file(dir, "pop.csv");
    snprintf(args, sizeof args, "describe %s --s2-cutoffs 4,6.25 --csv %s -o %s --populations %s --json --threads 1",
             glass, csv1, xyz, pop);
    int rc = run_amorph(args, out, sizeof out);
    if (!check_true(rc == 0, "describe ran (status %d): %.300s", rc, out)) return check_exit();
    check_true(strstr(out, "\"s2_sample\"") && strstr(out, "\"means\"") && strstr(out, "\"voronoi_populations\""),
               "JSON summary has populations, means and the sample S2");
    table_matches_library(csv1, s);
    populations(pop, out);

    /* the extended XYZ declares the columns and reads back as the same atoms */
    FILE *f = fopen(xyz, "r");
    char line[4096] = "";
    if (f) {
        if (!fgets(line, sizeof line, f) || !fgets(line, sizeof line, f)) line[0] = '\0';
        fclose(f);
    }
    check_true(strstr(line, ":voro_index:I:4:cn:I:1:voro_vol:R:1:l5fs:R:1:l6fs:R:1:q4:R:1:q6:R:1:s2_rc4p0:R:1:s2_rc6p25:R:1") !=
                   NULL,
               "extxyz Properties declare the descriptor columns");
    /* OVITO expressions and LAMMPS dump columns take no '.' in a name */
    const char *props = strstr(line, "Properties=");
    size_t plen = props ? strcspn(props, " \n") : 0;
    check_true(props && !memchr(props, '.', plen), "no column name written by describe has a dot: %.*s", (int)plen,
               props ? props : "");
    am_system *back = NULL;
    check_true(am_read(xyz, NULL, &back) == AM_OK && back && back->n == s->n, "extxyz reads back: %s",
               back ? "" : am_error_message());
    am_system_free(back);

    snprintf(args, sizeof args, "describe %s --s2-cutoffs 4,6.25 --csv %s --threads 2 -q", glass, csv2);
    rc = run_amorph(args, out, sizeof out);
    check_true(rc == 0 && files_equal(csv1, csv2), "1 and 2 threads write identical tables");

    /* only what is asked for */
    snprintf(args, sizeof args, "describe %s --s2 --s2-cutoffs 5 --s2-partial --s2-mode multi --csv %s -q", glass, csv2);
    rc = run_amorph(args, out, sizeof out);
    f = fopen(csv2, "r");
    line[0] = '\0';
    if (f) { if (!fgets(line, sizeof line, f)) line[0] = '\0'; fclose(f); }
    check_true(rc == 0 && strcmp(line, "id,species,x,y,z,s2_rc5p0,s2_Cu_rc5p0,s2_Zr_rc5p0\n") == 0,
               "--s2 --s2-partial alone writes S2 and its species terms: %s", line);

    /* every kind of column, as a LAMMPS dump: labels of letters, digits and
     * '_' only (forces-like vectors as name_1..), and the dump reads back */
    const char *dump = scratch_file(dir, "t.dump");
    snprintf(args, sizeof args,
             "describe %s --s2-cutoffs 4.5,6 --s2-partial --q-averaged --q-w --q-degrees 4,6 -o %s -q", glass, dump);
    rc = run_amorph(args, out, sizeof out);
    char *text = read_text_file(dump, NULL);
    const char *atoms = text ? strstr(text, "ITEM: ATOMS ") : NULL;
    size_t alen = atoms ? strcspn(atoms, "\n") : 0;
    check_true(rc == 0 && atoms && strstr(atoms, " voro_index_1 voro_index_2 voro_index_3 voro_index_4 cn ") &&
                   strstr(atoms, " q4_avg ") && strstr(atoms, " w6_avg ") && strstr(atoms, " s2_rc4p5 ") &&
                   strstr(atoms, " s2_Zr_rc6p0") && !memchr(atoms, '.', alen),
               "-o t.dump: a LAMMPS dump whose labels have no dot: %.*s", (int)alen, atoms ? atoms : "");
    free(text);
    back = NULL;
    check_true(am_read(dump, NULL, &back) == AM_OK && back && back->n == s->n &&
                   max_min_image_distance(s, back->x, back->y, back->z) == 0.0,
               "the dump reads back with the same positions");
    am_system_free(back);

    new_descriptors(glass, s, dir);

    static const struct { const char *args, *says; } bad[] = {
        {"--voronoi-radii Cu:1.28", "no radius for species 'Zr'"},
        {"--species Cu,O --force-species --voronoi-radii auto", "no tabulated radius for species 'O'; give it as auto,O:R"},
        {"--species Cu,O --force-species --interstices", "no tabulated radius for species 'O'"},
        {"--voronoi-radii Cu:1.28,Zr:1.58,Al:1.43", "no species 'Al'"},
        {"--voronoi-radii Cu=1.28,Zr=1.58", "--voronoi-radii expects"},
        {"--voronoi-radii Cu:-1,Zr:1.58", "--voronoi-radii expects"},
        {"--q-neighbors weighted", "--q-neighbors expects"},
        {"--acsf --acsf-cutoff 0", "--acsf-cutoff 0: expected a cutoff"},
        {"--acsf --acsf-g2 4", "--acsf-g2 expects eta:rs sets"},
        {"--acsf --acsf-g4 0.05:1:0", "lambda 0: expected 1 or -1"},
        {"--acsf --acsf-g4 0.05:0.5:1", "zeta >= 1"},
        {"--s2-cutoffs 4:x", "--s2-cutoffs 4:x: expected a cutoff"},
        {"--s2-cutoffs 15:4:1", "--s2-cutoffs expects"},
        {"--q-neighbors nearby", "--q-neighbors expects"},
        {"--q-degrees 4,99", "--q-degrees 4,99: expected a degree l, an integer in [0, 16]"},
        {"--s2-mode magic", "--s2-mode expects"},
        {"--s2-sigma -1", "sigma"},
        {"--area-threshold 2", "threshold"},
    };
    for (size_t k = 0; k < sizeof bad / sizeof bad[0]; k++) {
        snprintf(args, sizeof args, "describe %s %s -q", glass, bad[k].args);
        rc = run_amorph(args, out, sizeof out);
        check_true(rc != 0 && rc != -1 && strstr(out, bad[k].says), "%s: status %d, says '%s'", bad[k].args, rc,
                   bad[k].says);
    }
    am_system_free(s);
    return check_exit();
}
