#include "amorph/amorph.h"

#ifndef AMORPH_VERSION
#define AMORPH_VERSION "unknown"
#endif

const char *am_version(void) { return AMORPH_VERSION; }
