/* Fuzz target: ARTn event logs (JSON lines) as `amorph artn` resumes them:
 * the records, the campaign header adopted into the search options, and
 * the per-atom aggregation that `amorph artn-summary` runs on them. */
#include "fuzz_util.h"
#include "artn_header.h"

#include <math.h>
#include <stdlib.h>

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    const char *path = fuzz_file(0, data, size);
    char *header = NULL;
    am_event *ev = NULL;
    size_t nev = 0;
    long long complete = -1;
    am_status st = am_events_read(path, &header, &ev, &nev, &complete);
    if (st) {
        fuzz_require(!header && !ev && nev == 0, "nothing returned after a failure");
        fuzz_check_failure(st, path);
        return 0;
    }
    fuzz_require(complete >= 0 && (size_t)complete <= size, "complete records within the file");
    for (size_t k = 0; k < nev; k++)
        fuzz_require(ev[k].atom >= 1 && ev[k].attempt >= 0 && ev[k].outcome >= AM_SADDLE_OK &&
                         ev[k].outcome < AM_SADDLE_NOUTCOMES && ev[k].force_calls >= 0,
                     "records with ids, attempts and outcomes in range");
    if (header) {
        /* no option given on the command line: every one from the header */
        cli_opt none[1] = {{0}};
        cli_verb verb = {"artn", "", "", none, 0, 0};
        am_saddle_options so;
        am_saddle_defaults(&so);
        artn_header_adopt(header, &verb, &so);
        free(header);
    }
    long long *ids = malloc((nev ? nev : 1) * sizeof *ids);
    double *mean = malloc((nev ? nev : 1) * sizeof *mean), *lo = malloc((nev ? nev : 1) * sizeof *lo);
    long long *count = malloc((nev ? nev : 1) * sizeof *count), *searches = malloc((nev ? nev : 1) * sizeof *searches);
    fuzz_require(ids && mean && lo && count && searches, "memory");
    /* the configuration: every atom an event names, once */
    size_t n = 0;
    for (size_t k = 0; k < nev; k++) {
        size_t j = 0;
        while (j < n && ids[j] != ev[k].atom) j++;
        if (j == n) ids[n++] = ev[k].atom;
    }
    st = am_events_aggregate(ev, nev, ids, n, NULL, NULL, 300.0, mean, lo, NULL, count, searches);
    fuzz_require(st == AM_OK, "events of known atoms aggregate");
    for (size_t k = 0; k < n; k++) fuzz_require(count[k] >= 0 && count[k] <= searches[k], "distinct events <= searches");
    free(ids);
    free(mean);
    free(lo);
    free(count);
    free(searches);
    free(ev);
    return 0;
}
