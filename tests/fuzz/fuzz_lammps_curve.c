/* Fuzz target: the LAMMPS cooling curve (fix ave/time "step T V E" lines)
 * that `amorph quench --engine lammps --run` reads back (cli/quench_lammps.c). */
#include "fuzz_util.h"
#include "quench_lammps.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    const char *path = fuzz_file(0, data, size);
    am_cooling_point *c = NULL;
    size_t n = 0;
    am_status st = quench_lammps_curve(path, &c, &n);
    fuzz_check_curve(st, path, c, n);
    return 0;
}
