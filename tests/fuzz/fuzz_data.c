/* Fuzz target: LAMMPS data files. */
#include "fuzz_util.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    fuzz_read_config(fuzz_file(0, data, size), AM_FMT_LAMMPS_DATA);
    return 0;
}
