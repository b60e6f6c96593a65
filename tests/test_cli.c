/* The amorph program: every verb answers --help with status 0, bad input
 * ends with a message naming the file and line and a non-zero status (never a
 * crash), `amorph energy --json` reports the numbers the library does, an
 * option means the same in every verb, a mistyped verb or option gets a
 * suggestion, and `amorph md` reports what it wrote, as text or JSON. */
#include "util/check.h"

#include <ctype.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

static char out[1 << 16];

/* A JSON value by the grammar of RFC 8259 (no NaN, no trailing commas);
 * returns the text after it, or NULL. */
static const char *json_value(const char *p, int depth);

static const char *json_ws(const char *p)
{
    while (*p == ' ' || *p == '\t' || *p == '\n' || *p == '\r') p++;
    return p;
}

static const char *json_string(const char *p)
{
    if (*p++ != '"') return NULL;
    for (; *p != '"'; p++) {
        if (!*p || (unsigned char)*p < 0x20) return NULL;
        if (*p == '\\' && !*++p) return NULL;
    }
    return p + 1;
}

static const char *json_number(const char *p)
{
    const char *q = p + (*p == '-');
    if (!isdigit((unsigned char)*q)) return NULL;
    char *end;
    strtod(p, &end);
    return end;
}

static const char *json_items(const char *p, int depth, char close, int keyed)
{
    p = json_ws(p + 1);
    if (*p == close) return p + 1;
    for (;;) {
        if (keyed) {
            if (!(p = json_string(json_ws(p)))) return NULL;
            p = json_ws(p);
            if (*p++ != ':') return NULL;
        }
        if (!(p = json_value(p, depth + 1))) return NULL;
        p = json_ws(p);
        if (*p == close) return p + 1;
        if (*p++ != ',') return NULL;
    }
}

static const char *json_value(const char *p, int depth)
{
    p = json_ws(p);
    if (depth > 64) return NULL;
    if (*p == '{') return json_items(p, depth, '}', 1);
    if (*p == '[') return json_items(p, depth, ']', 0);
    if (*p == '"') return json_string(p);
    if (strncmp(p, "true", 4) == 0 || strncmp(p, "null", 4) == 0) return p + 4;
    if (strncmp(p, "false", 5) == 0) return p + 5;
    return json_number(p);
}

/* The whole text is one JSON object. */
static int json_object(const char *text)
{
    const char *p = json_ws(text);
    return *p == '{' && (p = json_value(p, 0)) && !*json_ws(p);
}

static double json_key(const char *text, const char *key)
{
    char pat[64];
    snprintf(pat, sizeof pat, "\"%s\": ", key);
    const char *p = strstr(text, pat);
    return p && strncmp(p + strlen(pat), "null", 4) != 0 ? atof(p + strlen(pat)) : NAN;
}

/* A line of `amorph VERB --help` holds all of the words. */
static int help_line(const char *verb, const char *a, const char *b)
{
    char args[64];
    snprintf(args, sizeof args, "%s --help", verb);
    if (run_amorph(args, out, sizeof out) != 0) return 0;
    for (const char *line = out; *line;) {
        const char *end = strchr(line, '\n');
        const size_t len = end ? (size_t)(end - line) : strlen(line);
        char buf[1024];
        snprintf(buf, sizeof buf, "%.*s", (int)(len < sizeof buf ? len : sizeof buf - 1), line);
        if (strstr(buf, a) && (!b || strstr(buf, b))) return 1;
        line += len + (end != NULL);
    }
    return 0;
}

/* One name, one meaning: the options several verbs share, with their defaults. */
static void vocabulary(const char *dir, const char *glass)
{
    static const char *const temp_verbs[] = {"md", "vibrate", "study", "artn", "artn-summary", "analyze"};
    for (size_t k = 0; k < sizeof temp_verbs / sizeof temp_verbs[0]; k++)
        check_true(help_line(temp_verbs[k], "-T, --temperature ", NULL) && !strstr(out, "--temperatures"),
                   "amorph %s: -T is --temperature", temp_verbs[k]);
    static const char *const ftol_verbs[] = {"minimize", "modes", "vibrate", "artn"};
    for (size_t k = 0; k < sizeof ftol_verbs / sizeof ftol_verbs[0]; k++)
        check_true(help_line(ftol_verbs[k], "--ftol F", "[default: 1e-8]") &&
                       (k == 0 || help_line(ftol_verbs[k], "--minimize", "--ftol")),
                   "amorph %s: --ftol F defaults to 1e-8 eV/A%s", ftol_verbs[k], k ? ", and --minimize relaxes to it" : "");
    check_true(help_line("md", "--tdamp PS", "[default: 0.2]") && help_line("vibrate", "--tdamp PS", "[default: 0.2]"),
               "md and vibrate: --tdamp defaults to 0.2 ps");
    check_true(help_line("describe", "--quiet", NULL) && !help_line("describe", "--potential", NULL),
               "describe --help lists no potential");

    /* the former name still works: a value out of range is reported under the current one */
    char args[1024];
    snprintf(args, sizeof args, "vibrate %s --temperatures 0 -q", glass);
    int rc = run_amorph(args, out, sizeof out);
    check_true(rc == 2 && strstr(out, "--temperature 0: expected a temperature"),
               "vibrate --temperatures (former name) is -T: status %d, %s", rc, out);
    snprintf(args, sizeof args, "vibrate %s --temperatures 300,400 --time 0.02 --equilibrate 0 --every 1 --quenches 0 "
                                "--threads 1 --json", glass);
    rc = run_amorph(args, out, sizeof out);
    check_true(rc == 0 && json_object(out) && strstr(out, "\"temperature\": 300") && strstr(out, "\"temperature\": 400"),
               "vibrate --temperatures 300,400: one run per temperature (status %d): %.300s", rc, out);

    /* describe needs no potential: -p is refused with the reason */
    snprintf(args, sizeof args, "describe %s -p mendelev2009", glass);
    rc = run_amorph(args, out, sizeof out);
    check_true(rc == 2 && strstr(out, "describe needs no potential"), "describe -p: status %d, %s", rc, out);
    /* quiet is quiet; --json is printed all the same */
    snprintf(args, sizeof args, "describe %s -q --threads 1", glass);
    rc = run_amorph(args, out, sizeof out);
    check_true(rc == 0 && out[0] == '\0', "describe -q prints nothing (status %d): %.200s", rc, out);
    snprintf(args, sizeof args, "describe %s -q --json --threads 1", glass);
    rc = run_amorph(args, out, sizeof out);
    check_true(rc == 0 && json_object(out) && json_key(out, "atoms") == 432, "describe -q --json: one JSON object");

    /* did you mean */
    rc = run_amorph("minimse", out, sizeof out);
    check_true(rc == 2 && strstr(out, "did you mean 'minimize'?"), "amorph minimse: status %d, %s", rc, out);
    rc = run_amorph("artn-sumary x y", out, sizeof out);
    check_true(rc == 2 && strstr(out, "did you mean 'artn-summary'?"), "amorph artn-sumary: status %d, %s", rc, out);
    snprintf(args, sizeof args, "md %s --temprature 300", glass);
    rc = run_amorph(args, out, sizeof out);
    check_true(rc == 2 && strstr(out, "did you mean '--temperature'?"), "md --temprature: status %d, %s", rc, out);
    snprintf(args, sizeof args, "minimize %s --ftlo 1e-6 -o x.data", glass);
    rc = run_amorph(args, out, sizeof out);
    check_true(rc == 2 && strstr(out, "did you mean '--ftol'?"), "minimize --ftlo (transposed): status %d, %s", rc, out);
    snprintf(args, sizeof args, "vibrate %s --equil 5", glass);
    rc = run_amorph(args, out, sizeof out);
    check_true(rc == 2 && strstr(out, "did you mean '--equilibrate'?"), "vibrate --equil (a prefix): status %d, %s", rc,
               out);
    snprintf(args, sizeof args, "md %s --xyzzy 1", glass);
    rc = run_amorph(args, out, sizeof out);
    check_true(rc == 2 && strstr(out, "unknown option '--xyzzy'") && !strstr(out, "did you mean"),
               "md --xyzzy: no suggestion when nothing is close (status %d)", rc);

    /* usage lines and the verb list say what the verbs take */
    check_true(run_amorph("help", out, sizeof out) == 0 && strstr(out, "L-BFGS"), "amorph help names L-BFGS for minimize");
    check_true(help_line("md", "usage:", "npt"), "md usage names npt");
    check_true(help_line("artn", "usage:", "[-p POT]"), "artn usage: -p is optional");

    /* a directory to save into is made with its parents; one that cannot be made is an error */
    const char *saved = scratch_file(dir, "configs/a/b");
    snprintf(args, sizeof args, "artn %s -e %s --atoms 1 --max-basin-steps 2 --save-configs %s -q --threads 1", glass,
             scratch_file(dir, "ev.jsonl"), saved);
    rc = run_amorph(args, out, sizeof out);
    struct stat sb;
    check_true(rc == 0 && stat(saved, &sb) == 0 && S_ISDIR(sb.st_mode), "artn --save-configs DIR/a/b: created (status %d)",
               rc);
    const char *blocker = scratch_file(dir, "plain");
    FILE *f = fopen(blocker, "w");
    if (f) fclose(f);
    snprintf(args, sizeof args, "artn %s -e %s --atoms 1 --save-configs %s/sub -q --threads 1", glass,
             scratch_file(dir, "ev2.jsonl"), blocker);
    rc = run_amorph(args, out, sizeof out);
    check_true(rc != 0 && rc != -1 && strstr(out, "not a directory"),
               "artn --save-configs under a plain file: status %d, %s", rc, out);
}

/* amorph md: what it wrote, as a line or as one JSON object, and the
 * pressure of NVT (which the integrator itself does not need). */
static void md_reports(const char *dir, const char *glass)
{
    char args[1024];
    const char *hot = scratch_file(dir, "hot.data");
    snprintf(args, sizeof args, "md %s -T 600 --time 0.2 --thermo-every 25 -o %s --threads 1", glass, hot);
    int rc = run_amorph(args, out, sizeof out);
    char want[700];
    snprintf(want, sizeof want, "wrote %s (432 atoms", hot);
    check_true(rc == 0 && strstr(out, want) && strstr(out, "t = 0.2 ps"), "md: says what it wrote (status %d): %.300s", rc,
               strstr(out, "wrote") ? strstr(out, "wrote") : out);
    /* every thermo row has a pressure: five rows (steps 0, 25, ..., 100), none with "-" for P */
    int rows = 0, dashes = 0;
    for (const char *line = out; line && *line; line = strchr(line, '\n') ? strchr(line, '\n') + 1 : NULL) {
        long step;
        double c[7];
        if (sscanf(line, "%ld %lf %lf %lf %lf %lf %lf %lf", &step, c, c + 1, c + 2, c + 3, c + 4, c + 5, c + 6) == 8 &&
            isfinite(c[5]))
            rows++;
        else if (isdigit((unsigned char)line[strspn(line, " ")]))
            dashes++;
    }
    check_true(rows == 5 && dashes == 0, "md NVT: %d thermo rows with a pressure, %d without", rows, dashes);
    snprintf(args, sizeof args, "md %s -T 600 --time 0.2 -o %s -q --threads 1", glass, hot);
    rc = run_amorph(args, out, sizeof out);
    check_true(rc == 0 && out[0] == '\0', "md -q prints nothing (status %d)", rc);

    snprintf(args, sizeof args, "md %s -T 600 --time 0.2 -o %s --json --threads 1", glass, hot);
    rc = run_amorph(args, out, sizeof out);
    const double p = json_key(out, "pressure"), ke = json_key(out, "kinetic_energy"), v = json_key(out, "volume"),
                 t = json_key(out, "time"), steps = json_key(out, "steps");
    check_true(rc == 0 && json_object(out), "md --json: one JSON object, nothing else (status %d): %.300s", rc, out);
    check_true(isfinite(p) && t == 0.2 && steps == 100 && strstr(out, "\"output\": \"") && strstr(out, "hot.data\""),
               "md --json: steps, time, a finite pressure (%g bar), the output path", p);
    /* the same pressure from the written configuration: virial part (amorph
     * energy) + the kinetic part 2 KE / 3V */
    snprintf(args, sizeof args, "energy %s --json", hot);
    rc = run_amorph(args, out, sizeof out);
    const double p_vir = json_key(out, "pressure");
    check_rel(p, p_vir + 2.0 * ke / (3.0 * v) * 1.6021765e6, 1e-6,
              "md --json NVT pressure = virial pressure of its output + 2 KE / 3V (bar)");
}

/* Waiting threads (cli/omp_wait.c): libgomp sees GOMP_SPINCOUNT 1000 unless
 * the user chose (OMP_DISPLAY_ENV makes libgomp print what it read, once per
 * program image), OpenBLAS's timeout is set in the same second image, and
 * programs amorph starts see the user's environment. */
/* What libgomp printed (OMP_DISPLAY_ENV) in `amorph energy GLASS` run under
 * `env ENV`; *rc its exit status. The caller frees the text. */
static char *display_env(const char *dir, const char *env, const char *glass, int *rc)
{
    const char *bin = getenv("AMORPH_BINARY");
    char args[2048], path[512];
    snprintf(path, sizeof path, "%s/omp_env.txt", dir);
    snprintf(args, sizeof args, "env %s OMP_DISPLAY_ENV=verbose %s energy %s -q > %s 2>&1", env, bin ? bin : "amorph",
             glass, path);
    *rc = run_cmd("%s", args);
    return read_text_file(path, NULL);
}

static void omp_wait(const char *dir, const char *glass)
{
    const char *bin = getenv("AMORPH_BINARY");
    char args[2048], path[512];
    int rc;
    char *text = display_env(dir, "-u OMP_WAIT_POLICY -u GOMP_SPINCOUNT -u OPENBLAS_THREAD_TIMEOUT -u GOTO_THREAD_TIMEOUT",
                             glass, &rc);
    const char *last = NULL;
    for (const char *p = text ? strstr(text, "GOMP_SPINCOUNT = '") : NULL; p; p = strstr(p + 1, "GOMP_SPINCOUNT = '"))
        last = p;
    check_true(rc == 0 && last && strncmp(last + 18, "1000'", 5) == 0,
               "libgomp reads GOMP_SPINCOUNT 1000 when the user set no waiting policy: %.40s", last ? last : "(none)");
    free(text);
    text = display_env(dir, "-u OMP_WAIT_POLICY -u GOTO_THREAD_TIMEOUT GOMP_SPINCOUNT=7 OPENBLAS_THREAD_TIMEOUT=20",
                       glass, &rc);
    const char *one = text ? strstr(text, "GOMP_SPINCOUNT = '7'") : NULL;
    check_true(rc == 0 && one && !strstr(one + 1, "GOMP_SPINCOUNT"),
               "the user's GOMP_SPINCOUNT and OpenBLAS timeout win, no second image");
    free(text);
    /* the user's spin, and the program's OpenBLAS timeout: a second image
     * that keeps the user's spin */
    text = display_env(dir, "-u OMP_WAIT_POLICY -u OPENBLAS_THREAD_TIMEOUT -u GOTO_THREAD_TIMEOUT GOMP_SPINCOUNT=7", glass,
                       &rc);
    one = text ? strstr(text, "GOMP_SPINCOUNT = '7'") : NULL;
    const char *two = one ? strstr(one + 1, "GOMP_SPINCOUNT = '") : NULL;
    check_true(rc == 0 && two && strncmp(two + 18, "7'", 2) == 0 && !strstr(two + 1, "GOMP_SPINCOUNT"),
               "the user's GOMP_SPINCOUNT in the second image that OpenBLAS's timeout asks for");
    free(text);
    /* a stand-in for mpirun and lmp that records its environment; it runs in
     * the quench's own directory, hence absolute paths */
    char here[300] = "", fake[512];
    if (dir[0] != '/' && !getcwd(here, sizeof here)) here[0] = '\0';
    snprintf(fake, sizeof fake, "%s%s%s/fakebin", here, here[0] ? "/" : "", dir);
    mkdir(fake, 0755);
    snprintf(path, sizeof path, "%s%s%s/child_env.txt", here, here[0] ? "/" : "", dir);
    for (int k = 0; k < 2; k++) {
        char prog[600];
        snprintf(prog, sizeof prog, "%s/%s", fake, k ? "lmp" : "mpirun");
        FILE *f = fopen(prog, "w");
        if (!f) continue;
        fprintf(f, "#!/bin/sh\nenv > '%s'\nexit 3\n", path);
        fclose(f);
        chmod(prog, 0755);
    }
    remove(path);
    snprintf(args, sizeof args, "env -u OMP_WAIT_POLICY -u GOMP_SPINCOUNT -u OPENBLAS_THREAD_TIMEOUT -u GOTO_THREAD_TIMEOUT "
             "PATH=%s:/usr/bin:/bin %s quench --atoms 64 "
             "--melt-time 0.2 --rate 1e15 --engine lammps --run --threads 1 -o %s/fake.data > /dev/null 2>&1",
             fake, bin ? bin : "amorph", dir);
    run_cmd("%s", args);
    text = read_text_file(path, NULL);
    check_true(text && strstr(text, "PATH=") && !strstr(text, "GOMP_SPINCOUNT") &&
                   !strstr(text, "OPENBLAS_THREAD_TIMEOUT") && !strstr(text, "AMORPH_WAIT"),
               "a program amorph starts sees the user's environment (no GOMP_SPINCOUNT, OPENBLAS_THREAD_TIMEOUT)");
    free(text);
}

int main(void)
{
    static const char *verbs[] = {"energy", "minimize", "md", "quench", "tg", "describe", "modes", "vibrate",
                                  "artn", "artn-summary", "analyze", "study"};
    for (size_t k = 0; k < sizeof verbs / sizeof verbs[0]; k++) {
        char a[64];
        snprintf(a, sizeof a, "%s --help", verbs[k]);
        int rc = run_amorph(a, out, sizeof out);
        check_true(rc == 0 && strstr(out, "usage: amorph") && strstr(out, "[default:"),
                   "amorph %s --help: usage with defaults, status 0", verbs[k]);
    }
    check_true(run_amorph("--version", out, sizeof out) == 0 && strstr(out, "amorph "), "amorph --version");
    check_true(run_amorph("nosuchverb", out, sizeof out) == 2 && !strstr(out, "did you mean"), "unknown verb: status 2");

    const char *dir = scratch_dir("cli");
    char path[512], args[1024];
    /* a data file with a non-numeric coordinate on line 12 */
    snprintf(path, sizeof path, "%s/bad.data", dir);
    FILE *f = fopen(path, "w");
    fprintf(f, "bad\n\n2 atoms\n1 atom types\n0 10 xlo xhi\n0 10 ylo yhi\n0 10 zlo zhi\n\nMasses\n\n1 63.546\n\n"
               "Atoms # atomic\n\n1 1 1.0 1.0 1.0\n2 1 5.0 x 5.0\n");
    fclose(f);
    snprintf(args, sizeof args, "energy %s", path);
    int rc = run_amorph(args, out, sizeof out);
    check_true(rc != 0 && rc != -1 && strstr(out, "bad.data:16"), "bad number: status %d, file and line named: %s", rc,
               out);
    snprintf(args, sizeof args, "energy %s/missing.data", dir);
    rc = run_amorph(args, out, sizeof out);
    check_true(rc != 0 && rc != -1 && strstr(out, "missing.data"), "missing file: status %d, named", rc);
    snprintf(args, sizeof args, "energy %s --threads many", source_path("tests/data/cuzr_glass_432.data"));
    check_true(run_amorph(args, out, sizeof out) == 2 && strstr(out, "--threads"), "non-numeric option value: status 2");
    snprintf(args, sizeof args, "energy %s -p /nonexistent/pot.eam.fs", source_path("tests/data/cuzr_glass_432.data"));
    rc = run_amorph(args, out, sizeof out);
    check_true(rc != 0 && rc != -1 && strstr(out, "pot.eam.fs"), "missing potential: status %d, named", rc);

    snprintf(args, sizeof args, "energy %s --species Cu,Zr --json", source_path("tests/data/cuzr_glass_432.data"));
    rc = run_amorph(args, out, sizeof out);
    double e = 0;
    const char *p = strstr(out, "\"energy\": ");
    if (p) e = atof(p + 10);
    /* the same glass's energy as LAMMPS computes it: eam/fs with data/potentials/Cu-Zr_2.eam.fs (the default, Mendelev 2009): -2103.36485014881 */
    check_rel(e, -2103.36485014881, 1e-12, "amorph energy --json: total energy of the test glass with the default potential (eV)");
    vocabulary(dir, source_path("tests/data/cuzr_glass_432.data"));
    md_reports(dir, source_path("tests/data/cuzr_glass_432.data"));
    omp_wait(dir, source_path("tests/data/cuzr_glass_432.data"));
    /* the quench protocol handed to LAMMPS and read back (tiny and fast) */
    snprintf(args, sizeof args, "quench --atoms 128 --melt-time 0.2 --rate 1e15 --seed 2 --engine lammps --run "
                                "--threads 1 -o %s/lq.data", dir);
    rc = run_amorph(args, out, sizeof out);
    snprintf(path, sizeof path, "%s/lq.data.lammps/in.quench", dir);
    f = fopen(path, "r");
    char input[8192] = "";
    if (f) { size_t n = fread(input, 1, sizeof input - 1, f); input[n] = '\0'; fclose(f); }
    check_true(strstr(input, "fix md all npt temp 2000 2000 0.2 iso 0 0 2") &&
                   strstr(input, "fix relax all box/relax aniso 0") && strstr(input, "run 850"),
               "quench --engine lammps writes the protocol (melt NPT, 850-step ramp, box relaxation)");
    check_true(rc == 0 && strstr(out, "made by LAMMPS"), "quench --engine lammps --run: LAMMPS ran, glass read back");
    return check_exit();
}
