/* What every benchmark program starts from: a configuration (species from
 * a list like "Cu,Zr"), its potential (style from the file name) and a force
 * engine with a 1 Å skin. Prints "NAME: message" and returns nonzero on
 * failure. Header-only: each benchmark is one C file. */
#ifndef AM_BENCH_MODEL_H
#define AM_BENCH_MODEL_H

#include "amorph/amorph.h"

#include <stdio.h>

static inline int bench_model(const char *name, const char *conf, const char *pot, const char *species, am_system **s,
                              am_potential **p, am_engine **e)
{
    am_read_options ro = {0};
    ro.species = species;
    if (am_read(conf, &ro, s) || am_potential_read(pot, AM_EAM_AUTO, p) || am_engine_create(*p, *s, 1.0, e)) {
        fprintf(stderr, "%s: %s\n", name, am_error_message());
        return 1;
    }
    return 0;
}

#endif
