/* Binary checkpoints of an MD run: the system (positions, velocities, image
 * flags, box), the integrator state (step, thermostat and barostat chains)
 * and the forces of the last step. Doubles are stored as their bytes, so a
 * resumed run continues bit for bit; files are replaced atomically, so a run
 * killed while writing keeps the previous checkpoint. */
#include "amorph/dynamics.h"
#include "core/error.h"
#include "dynamics/md_state.h"
#include "io/atomic_file.h"

#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static const char MAGIC[8] = {'A', 'M', 'O', 'R', 'P', 'H', 'C', 'K'};
/* 2: the key (input and options hashes) follows the version; 3: then the unit
 * style of the run, 16 bytes (metal before 3) */
enum { VERSION = 3, STYLE_LEN = 16 };

static int put(FILE *f, const void *p, size_t size, size_t n) { return fwrite(p, size, n, f) == n; }
static int get(FILE *f, void *p, size_t size, size_t n) { return fread(p, size, n, f) == n; }

am_status am_md_checkpoint(am_md *md, const char *path) { return am_md_checkpoint_extra(md, path, NULL, NULL, 0); }

am_status am_md_checkpoint_extra(am_md *md, const char *path, const am_checkpoint_key *key, const void *extra,
                                 size_t nbytes)
{
    const am_system *s = md->s;
    const size_t n = s->n;
    am_io_afile af;
    am_status st = am_io_afile_open(&af, path);
    if (st) return st;
    FILE *f = af.fp;
    const unsigned long long nn = n;
    const int version = VERSION;
    const uint64_t bound[2] = {key ? key->input : 0, key ? key->options : 0};
    char style[STYLE_LEN] = {0};
    snprintf(style, sizeof style, "%s", md->u->style);
    int ok = put(f, MAGIC, 1, 8) && put(f, &version, sizeof version, 1) && put(f, bound, sizeof bound, 1) &&
             put(f, style, 1, sizeof style) && put(f, &nn, sizeof nn, 1) &&
             put(f, &s->box, sizeof s->box, 1) && put(f, s->x, sizeof(double), n) && put(f, s->y, sizeof(double), n) &&
             put(f, s->z, sizeof(double), n) && put(f, s->vx, sizeof(double), n) &&
             put(f, s->vy, sizeof(double), n) && put(f, s->vz, sizeof(double), n) &&
             put(f, s->image, sizeof(int), 3 * n) && put(f, s->id, sizeof(long long), n) &&
             put(f, &md->state, sizeof md->state, 1) && put(f, md->f, sizeof(double), 3 * n);
    const unsigned long long nb = nbytes;
    ok = ok && put(f, &nb, sizeof nb, 1) && (nbytes == 0 || put(f, extra, 1, nbytes));
    if (!ok) {
        am_io_afile_abort(&af);
        return am_fail(AM_ERR_IO, "%s: cannot write the checkpoint", path);
    }
    if ((st = am_io_afile_commit(&af))) return st;
    /* the continuation, here and after a resume, starts from a fresh list */
    am_engine_invalidate(md->e);
    return AM_OK;
}

am_status am_md_resume(am_engine *e, am_system *s, const am_md_options *o, const char *path, am_md **out)
{
    return am_md_resume_extra(e, s, o, path, NULL, out, NULL, NULL);
}

/* The file's key against the caller's; AM_OK when they agree. */
static am_status check_key(const char *path, int version, const uint64_t bound[2], const am_checkpoint_key *key)
{
    if (!key) return AM_OK;
    if (version == 1)
        return am_fail(AM_ERR_VALUE, "%s: checkpoint written by an older amorph, which did not record the input it "
                       "was made for; remove it to start afresh", path);
    if (!bound[0] && !bound[1])
        return am_fail(AM_ERR_VALUE, "%s: checkpoint not bound to an input (written by am_md_checkpoint); remove it "
                       "to start afresh", path);
    if (bound[0] != key->input)
        return am_fail(AM_ERR_VALUE, "%s: checkpoint made for another input configuration (positions, box, species "
                       "or ids differ: hash %016llx, this input %016llx); remove it to start afresh, or resume with "
                       "the configuration it was made for (a structure minimised again differs in its last bits "
                       "when the CPU's force kernel or amorph's version differs)", path,
                       (unsigned long long)bound[0], (unsigned long long)key->input);
    if (bound[1] != key->options)
        return am_fail(AM_ERR_VALUE, "%s: checkpoint made with other options or another potential (%s differ); "
                       "remove it to start afresh, or rerun with the options it was made with", path,
                       key->options_what ? key->options_what : "some");
    return AM_OK;
}

am_status am_md_resume_extra(am_engine *e, am_system *s, const am_md_options *o, const char *path,
                             const am_checkpoint_key *key, am_md **out, void **extra, size_t *nbytes)
{
    *out = NULL;
    if (extra) *extra = NULL;
    if (nbytes) *nbytes = 0;
    FILE *f = fopen(path, "rb");
    if (!f) return am_fail(AM_ERR_IO, "%s: cannot open the checkpoint", path);
    char magic[8];
    int version = 0;
    uint64_t bound[2] = {0, 0};
    if (!get(f, magic, 1, 8) || memcmp(magic, MAGIC, 8) != 0 || !get(f, &version, sizeof version, 1) ||
        version < 1 || version > VERSION) {
        fclose(f);
        return am_fail(AM_ERR_PARSE, "%s: not an amorph checkpoint (expected version %d)", path, VERSION);
    }
    am_status st = AM_OK;
    if (version >= 2 && !get(f, bound, sizeof bound, 1)) st = am_fail(AM_ERR_PARSE, "%s: truncated checkpoint", path);
    char style[STYLE_LEN + 1] = "metal";
    if (!st && version >= 3 && !get(f, style, 1, STYLE_LEN)) st = am_fail(AM_ERR_PARSE, "%s: truncated checkpoint", path);
    style[STYLE_LEN] = '\0';
    /* an unbound checkpoint has no potential hash to catch this */
    if (!st && strcmp(style, am_engine_units(e)->style) != 0)
        st = am_fail(AM_ERR_VALUE, "%s: checkpoint of a run in LAMMPS %.16s units, the potential is in %s units; "
                     "remove it to start afresh, or resume with the potential it was made with", path, style,
                     am_engine_units(e)->style);
    if (!st) st = check_key(path, version, bound, key);
    if (st) { fclose(f); return st; }
    unsigned long long nn = 0;
    am_box box;
    if (!get(f, &nn, sizeof nn, 1) || !get(f, &box, sizeof box, 1)) {
        fclose(f);
        return am_fail(AM_ERR_PARSE, "%s: truncated checkpoint", path);
    }
    if (nn != s->n) {
        fclose(f);
        return am_fail(AM_ERR_VALUE, "%s: checkpoint has %llu atoms, the configuration %zu", path, nn, s->n);
    }
    st = am_system_add_velocities(s);
    if (st) { fclose(f); return st; }
    const size_t n = s->n;
    long long *ids = malloc(n * sizeof(long long) + 1);
    am_md_state state;
    int ok = ids && get(f, s->x, sizeof(double), n) && get(f, s->y, sizeof(double), n) &&
             get(f, s->z, sizeof(double), n) && get(f, s->vx, sizeof(double), n) && get(f, s->vy, sizeof(double), n) &&
             get(f, s->vz, sizeof(double), n) && get(f, s->image, sizeof(int), 3 * n) &&
             get(f, ids, sizeof(long long), n) && get(f, &state, sizeof state, 1);
    for (size_t i = 0; ok && i < n; i++) ok = ids[i] == s->id[i];
    free(ids);
    if (!ok) {
        fclose(f);
        return am_fail(AM_ERR_PARSE, "%s: truncated checkpoint, or atoms that differ from the configuration", path);
    }
    s->box = box;
    am_md *md = NULL;
    st = am_md_alloc(e, s, o, &md);
    unsigned long long nb = 0;
    if (!st && (!get(f, md->f, sizeof(double), 3 * n) || !get(f, &nb, sizeof nb, 1) || nb > ((size_t)1 << 32)))
        st = am_fail(AM_ERR_PARSE, "%s: truncated checkpoint", path);
    if (!st && extra && nb > 0) {
        *extra = malloc(nb);
        if (!*extra) st = am_fail(AM_ERR_NOMEM, "%s: out of memory", path);
        else if (!get(f, *extra, 1, nb)) st = am_fail(AM_ERR_PARSE, "%s: truncated checkpoint", path);
        if (st) { free(*extra); *extra = NULL; }
        else if (nbytes) *nbytes = nb;
    }
    fclose(f);
    if (st) { am_md_free(md); return st; }
    md->state = state;
    *out = md;
    return AM_OK;
}
