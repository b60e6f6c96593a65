/* Fuzz target: Lennard-Jones potential files (.lj). */
#include "fuzz_util.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    fuzz_read_potential(fuzz_file(0, data, size), AM_LJ_CUT);
    return 0;
}
