/* Potentials by name: the paper's Cu–Zr potential and the Kob–Andersen
 * mixture ship with amorph, the earlier Cu–Zr one with Debian
 * (include/amorph/potential.h). */
/* dladdr() (glibc, musl and the BSDs all have it) is outside POSIX */
#define _GNU_SOURCE
#include "amorph/potential.h"
#include "core/error.h"

#ifdef AMORPH_DATA_FROM_LIBRARY
#include <dlfcn.h>
#endif
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#ifndef AMORPH_DATA_DIR
#error "AMORPH_DATA_DIR (the directory of the shipped data) must be defined by the build"
#endif
#ifndef AMORPH_DATA_REL
#error "AMORPH_DATA_REL (the installed data directory relative to the installed library or program) must be defined"
#endif

#ifdef AMORPH_DATA_FROM_LIBRARY
/* Any object of this file: dladdr() names the shared library it was loaded from. */
static const char self_anchor = 0;

static int self_path(char *path, size_t cap)
{
    Dl_info info;
    if (!dladdr(&self_anchor, &info) || !info.dli_fname) return 0;
    const int k = snprintf(path, cap, "%s", info.dli_fname);
    return k > 0 && (size_t)k < cap;
}
#else
/* A static library is part of the program: the program's file (Linux). */
static int self_path(char *path, size_t cap)
{
    const ssize_t k = readlink("/proc/self/exe", path, cap - 1);
    if (k <= 0) return 0;
    path[k] = '\0';
    return 1;
}
#endif

/* The file as an installed tree holds it: <directory of the library (or
 * program)>/AMORPH_DATA_REL/potentials/file, so that the tree works wherever
 * its prefix is. Only a file that is there counts. */
static int installed_path(char *path, size_t cap, const char *file)
{
    char self[4096];
    if (!self_path(self, sizeof self)) return 0;
    const char *slash = strrchr(self, '/');
    if (!slash) return 0;
    const int k = snprintf(path, cap, "%.*s/%s/potentials/%s", (int)(slash - self), self, AMORPH_DATA_REL, file);
    return k > 0 && (size_t)k < cap && access(path, R_OK) == 0;
}

static const char *shipped(const char *file)
{
    static _Thread_local char path[4096];
    const char *dir = getenv("AMORPH_DATA_DIR");
    if (dir && *dir) {
        const int k = snprintf(path, sizeof path, "%s/potentials/%s", dir, file);
        return k > 0 && (size_t)k < sizeof path ? path : NULL;
    }
    if (installed_path(path, sizeof path, file)) return path;
    /* the build tree's library: the source tree's data */
    const int k = snprintf(path, sizeof path, "%s/potentials/%s", AMORPH_DATA_DIR, file);
    return k > 0 && (size_t)k < sizeof path ? path : NULL;
}

const char *am_potential_resolve(const char *name)
{
    if (!name || strchr(name, '/') || strchr(name, '.')) return name;
    if (strcmp(name, "mendelev2009") == 0) return shipped("Cu-Zr_2.eam.fs");
    if (strcmp(name, "mendelev2007") == 0) return AM_POTENTIAL_MENDELEV2007;
    if (strcmp(name, "kob-andersen") == 0) return shipped("kob_andersen.lj");
    return NULL;
}

am_status am_potential_open(const char *name_or_path, am_eam_style style, am_potential **out)
{
    *out = NULL;
    const char *path = am_potential_resolve(name_or_path);
    if (!path)
        return am_fail(AM_ERR_VALUE,
                       "potential '%s': not a known name (mendelev2009, mendelev2007, kob-andersen) nor a file name "
                       "with its extension (*.eam, *.eam.alloy, *.setfl, *.eam.fs, *.lj)", name_or_path);
    return am_potential_read(path, style, out);
}
