#include "fuzz_util.h"
#include "io/cell.h"
#include "io/species.h"

#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

static char paths[FUZZ_FILES][4096];

static void remove_files(void)
{
    for (int k = 0; k < FUZZ_FILES; k++)
        if (paths[k][0]) unlink(paths[k]);
}

void fuzz_require(int ok, const char *what)
{
    if (ok) return;
    fprintf(stderr, "fuzz check failed: %s (last message: %s)\n", what, am_error_message());
    abort();
}

const char *fuzz_file(int k, const uint8_t *data, size_t size)
{
    fuzz_require(k >= 0 && k < FUZZ_FILES, "scratch file index in range");
    if (!paths[k][0]) {
        /* memory, when there is a tmpfs: a fuzzer rewrites the file
         * thousands of times a second */
        const char *dir = getenv("TMPDIR");
        if (access("/dev/shm", W_OK) == 0) dir = "/dev/shm";
        else if (!dir || !*dir || strchr(dir, ',')) dir = "/tmp";
        snprintf(paths[k], sizeof paths[k], "%s/amorph-fuzz-XXXXXX", dir);
        int fd = mkstemp(paths[k]);
        fuzz_require(fd >= 0, "create a scratch file");
        close(fd);
        static int registered;
        if (!registered++) atexit(remove_files);
    }
    /* a new file rather than a truncated one: ext4 flushes a file that is
     * truncated and rewritten to disk at close */
    unlink(paths[k]);
    FILE *f = fopen(paths[k], "wb");
    fuzz_require(f != NULL, "open the scratch file");
    fuzz_require(fwrite(data, 1, size, f) == size && fclose(f) == 0, "write the scratch file");
    return paths[k];
}

void fuzz_check_failure(am_status st, const char *path)
{
    fuzz_require(st != AM_OK, "a failure status");
    /* a comma-separated list (EAM funcfl files): one of them */
    for (const char *p = path;;) {
        char one[4096];
        size_t len = strcspn(p, ",");
        snprintf(one, sizeof one, "%.*s", (int)len, p);
        if (len && strstr(am_error_message(), one)) return;
        if (!p[len]) break;
        p += len + 1;
    }
    fuzz_require(0, "the error message names the file");
}

void fuzz_check_system(const am_system *s)
{
    fuzz_require(s && s->n >= 1, "a configuration has atoms");
    fuzz_require(am_box_check(&s->box) == AM_OK, "a valid box");
    for (int d = 0; d < 3; d++)
        fuzz_require(s->box.len[d] <= AM_IO_MAX_EDGE && fabs(s->box.tilt[d]) <= AM_IO_MAX_EDGE, "box within limits");
    fuzz_require(s->nspecies >= 1 && s->nspecies <= AM_MAX_SPECIES, "species");
    for (int k = 0; k < s->nspecies; k++)
        fuzz_require(am_io_species_name_ok(s->species[k].name) && s->species[k].mass > 0.0 &&
                         isfinite(s->species[k].mass),
                     "every species named, with a positive mass");
    for (size_t i = 0; i < s->n; i++) {
        fuzz_require(s->type[i] >= 0 && s->type[i] < s->nspecies, "species index in range");
        fuzz_require(s->id[i] >= 1, "positive ids");
        fuzz_require(isfinite(s->x[i]) && isfinite(s->y[i]) && isfinite(s->z[i]), "finite positions");
        if (s->vx) fuzz_require(isfinite(s->vx[i]) && isfinite(s->vy[i]) && isfinite(s->vz[i]), "finite velocities");
    }
}

void fuzz_read_config(const char *path, am_format format)
{
    static const struct {
        const char *species;
        long frame;
    } ways[2] = {{NULL, 0}, {"Cu,Zr,Ni", -1}};
    for (int w = 0; w < 2; w++) {
        am_read_options o = {format, ways[w].species, ways[w].frame, 0.0, 0};
        /* a reader must set *out on every path, failures included */
        am_system *s = (am_system *)&o;
        am_status st = am_read(path, &o, &s);
        if (st) {
            fuzz_require(s == NULL, "no system after a failure");
            fuzz_check_failure(st, path);
        } else {
            fuzz_check_system(s);
        }
        am_system_free(s);
    }
}

void fuzz_read_potential(const char *path, am_eam_style style)
{
    am_potential *p = NULL;
    am_status st = am_potential_read(path, style, &p);
    if (st) {
        fuzz_require(p == NULL, "no potential after a failure");
        fuzz_check_failure(st, path);
        return;
    }
    int nel = am_potential_nelements(p);
    fuzz_require(nel >= 1 && nel <= AM_MAX_SPECIES, "elements");
    double cut = am_potential_cutoff(p);
    fuzz_require(cut > 0.0 && isfinite(cut), "a positive finite cutoff");
    for (int k = 0; k < nel; k++) {
        fuzz_require(am_io_species_name_ok(am_potential_element(p, k)), "element names usable as species");
        double m = am_potential_mass(p, k);
        fuzz_require(m > 0.0 && isfinite(m), "positive finite masses");
    }
    am_potential_free(p);
}

void fuzz_check_curve(am_status st, const char *path, am_cooling_point *c, size_t n)
{
    if (st) {
        fuzz_require(!c && n == 0, "nothing returned after a failure");
        fuzz_check_failure(st, path);
        return;
    }
    fuzz_require(c && n >= 1, "at least one point");
    for (size_t i = 0; i < n; i++)
        fuzz_require(isfinite(c[i].t) && isfinite(c[i].v) && isfinite(c[i].e), "finite points");
    free(c);
}
