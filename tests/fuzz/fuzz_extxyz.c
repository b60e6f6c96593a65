/* Fuzz target: extended XYZ configurations, first and last frame. */
#include "fuzz_util.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    fuzz_read_config(fuzz_file(0, data, size), AM_FMT_EXTXYZ);
    return 0;
}
