/* Model files (docs/learn.md, "Model files"): a text header every type
 * shares — version, type, target, features with their standardisation —
 * then the type's own part, then "end". */
#include "learn/learn_internal.h"
#include "amorph/amorph.h"
#include "core/error.h"
#include "io/atomic_file.h"
#include "io/columns.h"
#include "io/numfmt.h"

#include <math.h>
#include <stdlib.h>
#include <string.h>

#define LR_FILE_MAGIC "amorph-learn"
#define LR_FILE_VERSION 1

static int name_ok(const char *s)
{
    return s && s[0] && strlen(s) < AM_LEARN_NAME_LEN && am_io_column_name_ok(s);
}

am_status lr_next_line(am_io_lr *r, const char *what)
{
    int got = 0;
    am_status st = am_io_lr_next_tokens(r, '#', &got);
    if (st) return st;
    if (!got) return am_io_lr_fail(r, AM_ERR_PARSE, am_io_got_eof, "expected %s", what);
    return AM_OK;
}

am_status am_learn_save(const am_learn_model *m, const char *path)
{
    if (!m || !m->state || !path) return am_fail(AM_ERR_VALUE, "learn: save: missing model or path");
    if (!name_ok(m->target) || !name_ok(m->select))
        return am_fail(AM_ERR_VALUE, "learn: save: target '%s' or selection '%s' is not a name", m->target, m->select);
    for (int k = 0; k < m->nfeat; k++)
        if (!name_ok(m->feat[k].name) || !name_ok(m->feat[k].base))
            return am_fail(AM_ERR_VALUE, "learn: save: feature %d ('%s' of '%s') is not named as a column", k + 1,
                           m->feat[k].name, m->feat[k].base);
    am_io_afile f = {0};
    am_status st = am_io_afile_open(&f, path);
    if (st) return st;
    char a[AM_IO_NUMBUF], b[AM_IO_NUMBUF], c[AM_IO_NUMBUF];
    fprintf(f.fp, "%s %d\n# amorph %s: a model of %s; feature lines: name base radius(A) mean scale, the model "
                  "sees (x - mean)/scale (docs/learn.md)\n",
            LR_FILE_MAGIC, LR_FILE_VERSION, am_version(), m->target);
    fprintf(f.fp, "type %s\ntarget %s\nselect %s\nntrain %zu\nymean %s\nfeatures %d\n", m->type->name, m->target,
            m->select, m->ntrain, am_io_fmt_double(a, m->ymean), m->nfeat);
    for (int k = 0; k < m->nfeat; k++)
        fprintf(f.fp, "feature %s %s %s %s %s\n", m->feat[k].name, m->feat[k].base, am_io_fmt_double(a, m->feat[k].radius),
                am_io_fmt_double(b, m->mean[k]), am_io_fmt_double(c, m->scale[k]));
    st = m->type->save(m, f.fp);
    if (!st) fputs("end\n", f.fp);
    if (st) am_io_afile_abort(&f);
    else st = am_io_afile_commit(&f);
    return st;
}

/* "key VALUE" with the value as a token */
static am_status keyed(am_io_lr *r, const char *key)
{
    am_status st = lr_next_line(r, key);
    if (st) return st;
    if (r->ntok != 2 || strcmp(r->tok[0], key) != 0)
        return am_io_lr_fail(r, AM_ERR_PARSE, r->buf, "expected '%s VALUE'", key);
    return AM_OK;
}

static am_status load_header(am_io_lr *r, am_learn_model **out)
{
    am_status st = lr_next_line(r, "'" LR_FILE_MAGIC " 1'");
    if (st) return st;
    int version = 0;
    if (r->ntok != 2 || strcmp(r->tok[0], LR_FILE_MAGIC) != 0 || !am_io_parse_int(r->tok[1], &version))
        return am_io_lr_fail(r, AM_ERR_PARSE, r->buf, "expected '%s %d': not an amorph model file", LR_FILE_MAGIC,
                             LR_FILE_VERSION);
    if (version != LR_FILE_VERSION)
        return am_io_lr_fail(r, AM_ERR_PARSE, r->tok[1], "expected model file version %d (made by another amorph?)",
                             LR_FILE_VERSION);
    if ((st = keyed(r, "type"))) return st;
    const am_learn_type *t = am_learn_type_find(r->tok[1]);
    if (!t) return am_io_lr_fail(r, AM_ERR_PARSE, r->tok[1], "expected model type ridge or xgboost");
    char target[AM_LEARN_NAME_LEN];
    if ((st = keyed(r, "target"))) return st;
    if (!name_ok(r->tok[1])) return am_io_lr_fail(r, AM_ERR_PARSE, r->tok[1], "expected a column name as the target");
    snprintf(target, sizeof target, "%s", r->tok[1]);
    char select[AM_NAME_LEN];
    if ((st = keyed(r, "select"))) return st;
    if (!name_ok(r->tok[1]) || strlen(r->tok[1]) >= sizeof select)
        return am_io_lr_fail(r, AM_ERR_PARSE, r->tok[1], "expected 'all' or a species as the selection");
    snprintf(select, sizeof select, "%s", r->tok[1]);
    long long ntrain = 0;
    if ((st = keyed(r, "ntrain"))) return st;
    if (!am_io_parse_ll(r->tok[1], &ntrain) || ntrain < 2)
        return am_io_lr_fail(r, AM_ERR_PARSE, r->tok[1], "expected a training atom count >= 2");
    double ymean;
    if ((st = keyed(r, "ymean"))) return st;
    if (!am_io_parse_double(r->tok[1], &ymean)) return am_io_lr_fail(r, AM_ERR_PARSE, r->tok[1], "expected a number");
    int nfeat = 0;
    if ((st = keyed(r, "features"))) return st;
    /* one line per feature: a count beyond the file's size is a lie */
    if (!am_io_parse_int(r->tok[1], &nfeat) || nfeat < 1 || (long long)nfeat > r->size / 10)
        return am_io_lr_fail(r, AM_ERR_PARSE, r->tok[1], "expected a feature count of at least 1 that fits the file");
    am_learn_model *m;
    if ((st = lr_model_new(t, nfeat, &m))) return st;
    snprintf(m->target, sizeof m->target, "%s", target);
    snprintf(m->select, sizeof m->select, "%s", select);
    m->ntrain = (size_t)ntrain;
    m->ymean = ymean;
    for (int k = 0; k < nfeat && !st; k++) {
        am_learn_feature *f = &m->feat[k];
        if ((st = lr_next_line(r, "'feature NAME BASE RADIUS MEAN SCALE'"))) break;
        if (r->ntok != 6 || strcmp(r->tok[0], "feature") != 0 || !name_ok(r->tok[1]) || !name_ok(r->tok[2]) ||
            !am_io_parse_double(r->tok[3], &f->radius) || !(f->radius >= 0) ||
            !am_io_parse_double(r->tok[4], &m->mean[k]) || !am_io_parse_double(r->tok[5], &m->scale[k]) ||
            !(m->scale[k] > 0))
            st = am_io_lr_fail(r, AM_ERR_PARSE, r->buf,
                               "expected 'feature NAME BASE RADIUS MEAN SCALE' (feature %d of %d: column names, "
                               "radius >= 0, scale > 0)", k + 1, nfeat);
        else {
            snprintf(f->name, sizeof f->name, "%s", r->tok[1]);
            snprintf(f->base, sizeof f->base, "%s", r->tok[2]);
        }
    }
    if (st) { am_learn_free(m); return st; }
    *out = m;
    return AM_OK;
}

am_status am_learn_load(const char *path, am_learn_model **out)
{
    if (!path || !out) return am_fail(AM_ERR_VALUE, "learn: load: missing path");
    *out = NULL;
    am_io_lr r;
    am_status st = am_io_lr_open(&r, path);
    if (st) return st;
    am_learn_model *m = NULL;
    if (!(st = load_header(&r, &m))) st = m->type->load(m, &r);
    if (!st) st = lr_next_line(&r, "'end'");
    if (!st && (r.ntok != 1 || strcmp(r.tok[0], "end") != 0))
        st = am_io_lr_fail(&r, AM_ERR_PARSE, r.buf, "expected 'end' after the %s model", m->type->name);
    am_io_lr_close(&r);
    if (st) { am_learn_free(m); return st; }
    *out = m;
    return AM_OK;
}
