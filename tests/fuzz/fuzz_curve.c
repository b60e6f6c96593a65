/* Fuzz target: cooling curves as `amorph quench` writes them (T,V,E). */
#include "fuzz_util.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    const char *path = fuzz_file(0, data, size);
    am_cooling_point *c = NULL;
    size_t n = 0;
    am_status st = am_cooling_curve_read(path, &c, &n);
    fuzz_check_curve(st, path, c, n);
    return 0;
}
