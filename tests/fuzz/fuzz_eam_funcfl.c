/* Fuzz target: EAM funcfl files (.eam). A form feed splits the input into
 * two files, read together as "a.eam,b.eam" (resampled onto one grid). */
#include "fuzz_util.h"

#include <stdio.h>
#include <string.h>

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    const uint8_t *ff = memchr(data, '\f', size);
    const char *first = fuzz_file(0, data, ff ? (size_t)(ff - data) : size);
    if (!ff) {
        fuzz_read_potential(first, AM_EAM_FUNCFL);
        return 0;
    }
    char list[2 * 4096 + 2];
    snprintf(list, sizeof list, "%s,%s", first, fuzz_file(1, ff + 1, size - (size_t)(ff - data) - 1));
    fuzz_read_potential(list, AM_EAM_FUNCFL);
    return 0;
}
