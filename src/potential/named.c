/* Potentials by name: the paper's Cu–Zr potential ships with amorph, the
 * earlier one with Debian (include/amorph/potential.h). */
#include "amorph/potential.h"
#include "core/error.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#ifndef AMORPH_DATA_DIR
#error "AMORPH_DATA_DIR (the directory of the shipped data) must be defined by the build"
#endif

static const char *shipped(const char *file)
{
    static _Thread_local char path[4096];
    const char *dir = getenv("AMORPH_DATA_DIR");
    if (!dir || !*dir) dir = AMORPH_DATA_DIR;
    const int k = snprintf(path, sizeof path, "%s/potentials/%s", dir, file);
    return k > 0 && (size_t)k < sizeof path ? path : NULL;
}

const char *am_potential_resolve(const char *name)
{
    if (!name || strchr(name, '/') || strchr(name, '.')) return name;
    if (strcmp(name, "mendelev2009") == 0) return shipped("Cu-Zr_2.eam.fs");
    if (strcmp(name, "mendelev2007") == 0) return AM_POTENTIAL_MENDELEV2007;
    return NULL;
}

am_status am_potential_open(const char *name_or_path, am_eam_style style, am_potential **out)
{
    *out = NULL;
    const char *path = am_potential_resolve(name_or_path);
    if (!path)
        return am_fail(AM_ERR_VALUE,
                       "potential '%s': not a known name (mendelev2009, mendelev2007) nor a file name with its "
                       "extension (*.eam, *.eam.alloy, *.setfl, *.eam.fs)", name_or_path);
    return am_potential_read(path, style, out);
}
