/* What `cmake --install` gives a C programmer: the build installed into a
 * scratch prefix holds the program, the shared library, the headers, the
 * potentials, amorph.pc and the CMake package; the examples build against
 * that tree alone, once with pkg-config and once with find_package(amorph),
 * and run: the default potential is found in the installed data, the energy
 * is `amorph energy --json`'s, and a saddle search runs. Every child program
 * is started with execvp (run_argv), never through a shell. */
/* realpath() is XSI */
#define _XOPEN_SOURCE 700
#include "util/check.h"

#include <dlfcn.h>
#include <limits.h>
#include <math.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#ifndef AMORPH_CMAKE_COMMAND
#error "tests/CMakeLists.txt defines AMORPH_CMAKE_COMMAND, AMORPH_C_COMPILER, AMORPH_BUILD_DIR, AMORPH_INSTALL_LIBDIR, AMORPH_PYTHON, AMORPH_PYTHON_DIR"
#endif

static char out[1 << 16];
static char prefix[PATH_MAX], libdir[PATH_MAX];

/* snprintf that counts a cut-off result as a failed check */
static void format(char *buf, size_t cap, const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    const int k = vsnprintf(buf, cap, fmt, ap);
    va_end(ap);
    if (k < 0 || (size_t)k >= cap) check_true(0, "%s fits in %zu bytes", fmt, cap);
}

static const char *path_in(const char *dir, const char *rel)
{
    static char buf[8][PATH_MAX];
    static int k;
    char *b = buf[k++ % 8];
    format(b, sizeof buf[0], "%s/%s", dir, rel);
    return b;
}

static int exists(const char *path)
{
    struct stat st;
    return stat(path, &st) == 0;
}

/* The number after `key` in text, or NaN. */
static double number_after(const char *text, const char *key)
{
    const char *p = strstr(text, key);
    return p ? strtod(p + strlen(key), NULL) : NAN;
}

/* Runs argv and keeps its output; prints it when the status is not `want`. */
static int run(const char *const argv[], int want)
{
    const int rc = run_argv(argv, out, sizeof out);
    if (rc != want) printf("%s exited %d (want %d):\n%s\n", argv[0], rc, want, out);
    return rc;
}

/* The compiler flags of the sanitizer build, which the installed library
 * needs in every program linked with it. */
static const char *const sanitize_flags[] = {
#ifdef AMORPH_TEST_SANITIZE
    "-fsanitize=address,undefined",
#endif
    NULL};

/* cc -std=c11 -Wall -Wextra -Werror SRC <pkg-config words> -lm -Wl,-rpath,LIBDIR -o EXE */
static int build_with_pkgconfig(const char *src, const char *exe, int is_static)
{
    const char *pc_shared[] = {"pkg-config", "--cflags", "--libs", "amorph", NULL};
    const char *pc_static[] = {"pkg-config", "--cflags", "--libs", "--static", "amorph", NULL};
    const char *const *pc = is_static ? pc_static : pc_shared;
    if (run(pc, 0) != 0) return -1;
    static char words[sizeof out];
    format(words, sizeof words, "%s", out);
    if (!is_static)
        check_true(strstr(words, "-lamorph") && !strstr(words, "-fopenmp") && !strstr(words, "voro"),
                   "pkg-config --cflags --libs amorph: -lamorph and its include directory alone (%s)", words);
    else
        check_true(strstr(words, "-lvoro++") && strstr(words, "-fopenmp") && strstr(words, "-lgsl") &&
                       strstr(words, "-lcholmod") && strstr(words, "-llapacke"),
                   "pkg-config --libs --static amorph: every dependency (%s)", words);
    const char *argv[128];
    int n = 0;
    char rpath[PATH_MAX + 16];
    format(rpath, sizeof rpath, "-Wl,-rpath,%s", libdir);
    argv[n++] = AMORPH_C_COMPILER;
    argv[n++] = "-std=c11"; argv[n++] = "-Wall"; argv[n++] = "-Wextra"; argv[n++] = "-Werror";
    for (int k = 0; sanitize_flags[k]; k++) argv[n++] = sanitize_flags[k];
    argv[n++] = src;
    for (char *w = strtok(words, " \t\n"); w && n < 120; w = strtok(NULL, " \t\n")) argv[n++] = w;
    argv[n++] = "-lm"; argv[n++] = rpath; argv[n++] = "-o"; argv[n++] = exe;
    argv[n] = NULL;
    return run(argv, 0);
}

/* Runs the three examples of directory bin; their outputs for comparison. */
static void run_examples(const char *how, const char *bin, double e_ref, char *saddle_out, size_t cap)
{
    const char *glass = source_path("data/cuzr_glass_2000.data");
    const char *ef[] = {path_in(bin, "energy_forces"), glass, NULL};
    if (check_true(run(ef, 0) == 0, "%s: energy_forces runs", how)) {
        check_rel(number_after(out, "energy "), e_ref, 1e-10, "%s: energy_forces' energy is amorph energy's", how);
        check_true(number_after(out, "atoms ") == 2000.0, "%s: 2000 atoms", how);
        check_true(number_after(out, "max force ") < 1e-5, "%s: forces ~0 at the relaxed glass", how);
        /* the name resolved in the installed data, not in the source tree */
        char got[PATH_MAX] = "", real_got[PATH_MAX] = "", real_want[PATH_MAX] = "";
        sscanf(strstr(out, "potential ") ? strstr(out, "potential ") : "", "potential %4095s", got);
        const int same = realpath(got, real_got) && realpath(path_in(prefix, "share/amorph/potentials/Cu-Zr_2.eam.fs"),
                                                             real_want) && strcmp(real_got, real_want) == 0;
        check_true(same, "%s: mendelev2009 found in the installed data (%s)", how, got);
    }
    const char *missing[] = {path_in(bin, "energy_forces"), "no-such-glass.data", NULL};
    check_true(run(missing, 1) == 1 && strstr(out, "energy_forces: read:") && strstr(out, "no-such-glass.data"),
               "%s: a missing file: exit 1 and am_error_message() naming it", how);

    const char *de[] = {path_in(bin, "descriptors"), glass, NULL};
    if (check_true(run(de, 0) == 0, "%s: descriptors runs", how)) {
        /* "Cu  1000  V  CN  ico  q6" rows: the Voronoi cells tile the box */
        double ncu = number_after(out, "Cu "), nzr = number_after(out, "Zr ");
        double vcu = NAN, vzr = NAN, x;
        const char *cu = strstr(out, "Cu "), *zr = strstr(out, "Zr ");
        if (cu) sscanf(cu, "Cu %lf %lf %lf", &x, &vcu, &x);
        if (zr) sscanf(zr, "Zr %lf %lf %lf", &x, &vzr, &x);
        check_true(ncu == 1000 && nzr == 1000, "%s: 1000 Cu and 1000 Zr atoms", how);
        check_rel(ncu * vcu + nzr * vzr, 34870.0800325318, 1e-4, "%s: mean Voronoi volumes x counts = box volume", how);
        check_true(strstr(out, "<0,0,12,0>") != NULL, "%s: the icosahedron among the commonest polyhedra", how);
    }

    const char *sa[] = {path_in(bin, "saddle"), glass, NULL};
    if (check_true(run(sa, 0) == 0, "%s: saddle runs (exit 0)", how)) {
        const double ea = number_after(out, "Ea ");
        check_true(isfinite(ea) && ea > 0 && ea < 25, "%s: saddle: a finite Ea above the minimum (%g eV)", how, ea);
        check_true(strstr(out, "outcome    ok") != NULL && number_after(out, "calls ") > 0,
                   "%s: saddle from atom 14: a connected event, with its force calls", how);
    }
    format(saddle_out, cap, "%s", out);
}

int main(void)
{
    /* the installed library must find its data by itself */
    unsetenv("AMORPH_DATA_DIR");
    const char *dir = scratch_dir("install");
    char cwd[PATH_MAX];
    if (!getcwd(cwd, sizeof cwd)) return 1;
    char root[PATH_MAX];
    format(root, sizeof root, "%s/%s", cwd, dir);
    format(prefix, sizeof prefix, "%s/prefix", root);
    format(libdir, sizeof libdir, "%s/%s", prefix, AMORPH_INSTALL_LIBDIR);

    const char *inst[] = {AMORPH_CMAKE_COMMAND, "--install", AMORPH_BUILD_DIR, "--prefix", prefix, NULL};
    if (!check_true(run(inst, 0) == 0, "cmake --install %s --prefix %s", AMORPH_BUILD_DIR, prefix)) return check_exit();
    static const char *const files[] = {"bin/amorph", "include/amorph/amorph.h", "include/amorph/saddle.h",
                                        "share/amorph/potentials/Cu-Zr_2.eam.fs"};
    for (size_t k = 0; k < sizeof files / sizeof files[0]; k++)
        check_true(exists(path_in(prefix, files[k])), "installed %s", files[k]);
    static const char *const libfiles[] = {"libamorph.so", "pkgconfig/amorph.pc", "cmake/amorph/amorphConfig.cmake",
                                           "cmake/amorph/amorphConfigVersion.cmake", "cmake/amorph/amorphTargets.cmake"};
    for (size_t k = 0; k < sizeof libfiles / sizeof libfiles[0]; k++)
        check_true(exists(path_in(libdir, libfiles[k])), "installed %s/%s", AMORPH_INSTALL_LIBDIR, libfiles[k]);

    /* the shared library exports the public API (AM_API) and none of the internals */
    void *so = dlopen(path_in(libdir, "libamorph.so"), RTLD_NOW | RTLD_LOCAL);
    if (check_true(so != NULL, "dlopen the installed libamorph.so (%s)", so ? "" : dlerror())) {
        check_true(dlsym(so, "am_engine_compute") && dlsym(so, "am_saddle_search") && dlsym(so, "am_version"),
                   "public functions are exported");
        check_true(!dlsym(so, "am_io_lr_open") && !dlsym(so, "eam_kernel_simd") && !dlsym(so, "an_pearson"),
                   "internal functions are hidden");
        dlclose(so);
    }

    /* the reference: the build tree's program; the installed one must agree */
    const char *glass = source_path("data/cuzr_glass_2000.data");
    double e_ref = NAN;
    if (check_true(run_amorph_v(out, sizeof out, "energy", glass, "--json", NULL) == 0, "amorph energy --json"))
        e_ref = number_after(out, "\"energy\": ");
    const char *inst_cli[] = {path_in(prefix, "bin/amorph"), "energy", glass, "--json", NULL};
    if (check_true(run(inst_cli, 0) == 0, "the installed amorph runs"))
        check_rel(number_after(out, "\"energy\": "), e_ref, 1e-15, "the installed amorph energy --json");
    /* the LAMMPS input that quench writes names the potential file the program resolved */
    char qout[PATH_MAX];
    format(qout, sizeof qout, "%s/quench/glass.data", root);
    const char *quench[] = {path_in(prefix, "bin/amorph"), "quench", "--atoms", "128", "--engine", "lammps", "-o", qout,
                            NULL};
    char want_pot[PATH_MAX + 64];
    format(want_pot, sizeof want_pot, "pair_coeff * * %s/", prefix);
    const char *in_quench = path_in(root, "quench/glass.data.lammps/in.quench");
    check_true(run(quench, 0) == 0 && file_contains(in_quench, want_pot) &&
                   file_contains(in_quench, "share/amorph/potentials/Cu-Zr_2.eam.fs Cu Zr"),
               "the installed amorph finds mendelev2009 in the installed data (%s...)", want_pot);

#ifndef AMORPH_TEST_SANITIZE
    /* Python, from the installed package alone: it loads the installed
     * library (not the build tree's) and computes amorph energy's number.
     * (Not under the sanitizers: the interpreter would need their runtime.) */
    setenv("PYTHONPATH", path_in(prefix, AMORPH_PYTHON_DIR), 1);
    setenv("PYTHONDONTWRITEBYTECODE", "1", 1);
    unsetenv("AMORPH_LIBRARY");
    static const char script[] = "import amorph, amorph._lib as L, os, sys\n"
                                 "a = amorph.read(sys.argv[1])\n"
                                 "a.calc = amorph.AmorphCalculator()\n"
                                 "print('library', os.path.realpath(L._library_path()))\n"
                                 "print('energy %.17g' % a.get_potential_energy())\n";
    const char *py[] = {AMORPH_PYTHON, "-c", script, glass, NULL};
    if (check_true(run(py, 0) == 0, "python3 -c 'import amorph' with PYTHONPATH=<prefix>/%s", AMORPH_PYTHON_DIR)) {
        char real_prefix[PATH_MAX];
        check_true(realpath(prefix, real_prefix) && strstr(out, real_prefix) != NULL,
                   "the installed package loads the installed library (%s)", out);
        check_true(number_after(out, "energy ") == e_ref, "the installed package's energy is amorph energy's, bit for bit");
    }
    unsetenv("PYTHONPATH");
#endif

    /* pkg-config, as a Makefile would use it */
    setenv("PKG_CONFIG_PATH", path_in(libdir, "pkgconfig"), 1);
    char pc_bin[PATH_MAX], cm_bin[PATH_MAX];
    format(pc_bin, sizeof pc_bin, "%s/pc", root);
    format(cm_bin, sizeof cm_bin, "%s/cmake", root);
    mkdir(pc_bin, 0755);
    static const char *const names[] = {"energy_forces", "descriptors", "saddle"};
    int built = 1;
    for (size_t k = 0; k < 3; k++) {
        char src[PATH_MAX];
        format(src, sizeof src, "examples/%s.c", names[k]);
        built &= check_true(build_with_pkgconfig(source_path(src), path_in(pc_bin, names[k]), 0) == 0,
                            "cc %s $(pkg-config --cflags --libs amorph)", src);
    }
    check_true(build_with_pkgconfig(source_path("examples/energy_forces.c"), path_in(pc_bin, "energy_static_flags"),
                                    1) == 0,
               "cc examples/energy_forces.c $(pkg-config --cflags --libs --static amorph)");
    static char saddle_pc[4096], saddle_cmake[4096];
    if (built) run_examples("pkg-config", pc_bin, e_ref, saddle_pc, sizeof saddle_pc);

    /* CMake: find_package(amorph CONFIG) from the prefix alone */
    char prefix_def[PATH_MAX + 32], cc_def[PATH_MAX + 32];
    format(prefix_def, sizeof prefix_def, "-DCMAKE_PREFIX_PATH=%s", prefix);
    format(cc_def, sizeof cc_def, "-DCMAKE_C_COMPILER=%s", AMORPH_C_COMPILER);
    const char *conf[] = {AMORPH_CMAKE_COMMAND, "-S", source_path("examples"), "-B", cm_bin, prefix_def, cc_def,
                          sanitize_flags[0] ? "-DCMAKE_C_FLAGS=-fsanitize=address,undefined" : NULL, NULL};
    const char *build[] = {AMORPH_CMAKE_COMMAND, "--build", cm_bin, NULL};
    if (check_true(run(conf, 0) == 0 && run(build, 0) == 0, "cmake -S examples -DCMAKE_PREFIX_PATH=<prefix>; build")) {
        char want[PATH_MAX + 32];
        format(want, sizeof want, "amorph_DIR:PATH=%s/cmake/amorph", libdir);
        check_true(file_contains(path_in(cm_bin, "CMakeCache.txt"), want), "the package found is the installed one (%s)",
                   want);
        run_examples("CMake", cm_bin, e_ref, saddle_cmake, sizeof saddle_cmake);
        check_true(saddle_pc[0] && strcmp(saddle_pc, saddle_cmake) == 0,
                   "the saddle search is the same whichever way the program was built");
    }
    return check_exit();
}
