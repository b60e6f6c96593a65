/* XGBoost's JSON model in a model file, checked before XGBoost reads it.
 *
 * XGBoost (1.7) trusts the node indices, tree ids and counts of a JSON
 * model: a child that points back up its tree makes every prediction loop
 * forever; a parent, child, split feature, tree id, tree_info entry, tree
 * count or categorical segment out of range makes it read or write outside
 * its arrays (fuzz_learn_model found the loop; docs/reliability.md). So the
 * model must have the shape amorph's training writes — squared error,
 * gbtree, one output, numerical splits on the model's features, no feature
 * names — and every tree must be a tree: each node reached once from the
 * root, through children in range, with consistent parents. Leaf values are
 * bounded so that every prediction, summed in float, is finite.
 *
 * The JSON is parsed strictly (no escapes, duplicate keys refused where
 * they are read), so that this check and XGBoost see the same model. */
#include "learn/learn_internal.h"
#include "core/error.h"
#include "io/lineread.h"

#include <float.h>
#include <math.h>
#include <stdarg.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* |base_score| + Σ over trees of the largest |leaf|: far enough below
 * FLT_MAX (3.4e38) that float rounding of the sum cannot reach infinity */
#define XJ_MAX_OUTPUT 1e38
/* amorph's models nest 6 deep; XGBoost's own parser recurses */
#define XJ_MAX_DEPTH 32

typedef struct xj_value {
    char kind;           /* '{', '[', '"' (string), '0' (number), 'l' (true, false, null) */
    size_t off, len;     /* its text; a string's without the quotes */
    size_t key, keylen;  /* an object member's key text */
    size_t first, next;  /* first member, next sibling: index + 1, 0 for none */
    size_t count;        /* members */
} xj_value;

typedef struct xj_doc {
    const char *s;
    size_t len, pos;
    xj_value *v;
    size_t n, cap;
    int nomem;
    size_t fault;        /* offset of the first fault */
    char why[160];
    char got[48];        /* the value found there, if one was read */
} xj_doc;

static int fault(xj_doc *d, size_t off, const char *fmt, ...) AM_PRINTF(3, 4);
static int fault(xj_doc *d, size_t off, const char *fmt, ...)
{
    if (!d->why[0]) {
        va_list ap;
        va_start(ap, fmt);
        vsnprintf(d->why, sizeof d->why, fmt, ap);
        va_end(ap);
        d->fault = off;
    }
    return 0;
}

/* v's text as what was found at the fault, before fault() records it */
static void found(xj_doc *d, const xj_value *v)
{
    if (d->why[0] || !v) return;
    const size_t len = v->len < sizeof d->got - 4 ? v->len : sizeof d->got - 4;
    snprintf(d->got, sizeof d->got, "%.*s%s", (int)len, d->s + v->off, len < v->len ? "..." : "");
}

static void skip_space(xj_doc *d)
{
    for (; d->pos < d->len; d->pos++) {
        const char c = d->s[d->pos];
        if (c != ' ' && c != '\t' && c != '\r' && c != '\n') break;
    }
}

static size_t new_value(xj_doc *d, char kind)
{
    if (d->n == d->cap) {
        size_t cap = d->cap ? 2 * d->cap : 256;
        xj_value *v = realloc(d->v, cap * sizeof *v);
        if (!v) {
            d->nomem = 1;
            return 0;
        }
        d->v = v;
        d->cap = cap;
    }
    xj_value *v = &d->v[d->n++];
    memset(v, 0, sizeof *v);
    v->kind = kind;
    v->off = d->pos;
    return d->n;
}

static int digits(xj_doc *d)
{
    size_t start = d->pos;
    while (d->pos < d->len && d->s[d->pos] >= '0' && d->s[d->pos] <= '9') d->pos++;
    return d->pos > start;
}

/* '-'? ('0' | [1-9][0-9]*) ('.' [0-9]+)? ([eE] [+-]? [0-9]+)? */
static int scan_number(xj_doc *d)
{
    const size_t start = d->pos;
    if (d->s[d->pos] == '-') d->pos++;
    if (d->pos < d->len && d->s[d->pos] == '0') d->pos++;
    else if (!digits(d)) return fault(d, start, "a number");
    if (d->pos < d->len && d->s[d->pos] == '.' && (d->pos++, !digits(d))) return fault(d, start, "a number");
    if (d->pos < d->len && (d->s[d->pos] == 'e' || d->s[d->pos] == 'E')) {
        d->pos++;
        if (d->pos < d->len && (d->s[d->pos] == '+' || d->s[d->pos] == '-')) d->pos++;
        if (!digits(d)) return fault(d, start, "a number");
    }
    return 1;
}

/* the text between quotes; XGBoost would decode escapes that this check
 * would compare undecoded, so there are none */
static int scan_string(xj_doc *d, size_t *off, size_t *len)
{
    const size_t start = d->pos++;
    *off = d->pos;
    while (d->pos < d->len && d->s[d->pos] != '"') {
        const unsigned char c = (unsigned char)d->s[d->pos];
        if (c == '\\' || c < 0x20) return fault(d, d->pos, "a string without escapes or control characters");
        d->pos++;
    }
    if (d->pos >= d->len) return fault(d, start, "a closed string");
    *len = d->pos - *off;
    d->pos++;
    return 1;
}

static size_t parse_value(xj_doc *d, int depth);

/* members of an object (keyed) or array, up to the closing bracket */
static size_t parse_container(xj_doc *d, int depth, char open)
{
    const char close = open == '{' ? '}' : ']';
    const size_t self = new_value(d, open);
    if (!self) return 0;
    if (depth > XJ_MAX_DEPTH) return fault(d, d->pos, "JSON nested at most %d deep", XJ_MAX_DEPTH);
    d->pos++;
    skip_space(d);
    if (d->pos < d->len && d->s[d->pos] == close) {
        d->v[self - 1].len = ++d->pos - d->v[self - 1].off;
        return self;
    }
    for (size_t last = 0;;) {
        size_t key = 0, keylen = 0;
        if (open == '{') {
            if (d->pos >= d->len || d->s[d->pos] != '"') return fault(d, d->pos, "a key in quotes");
            if (!scan_string(d, &key, &keylen)) return 0;
            skip_space(d);
            if (d->pos >= d->len || d->s[d->pos] != ':') return fault(d, d->pos, "':' after a key");
            d->pos++;
        }
        const size_t m = parse_value(d, depth + 1);
        if (!m) return 0;
        d->v[m - 1].key = key;
        d->v[m - 1].keylen = keylen;
        if (last) d->v[last - 1].next = m;
        else d->v[self - 1].first = m;
        last = m;
        d->v[self - 1].count++;
        skip_space(d);
        if (d->pos < d->len && d->s[d->pos] == ',') {
            d->pos++;
            skip_space(d);
            continue;
        }
        if (d->pos < d->len && d->s[d->pos] == close) break;
        return fault(d, d->pos, "',' or '%c'", close);
    }
    d->v[self - 1].len = ++d->pos - d->v[self - 1].off;
    return self;
}

static size_t parse_value(xj_doc *d, int depth)
{
    skip_space(d);
    if (d->pos >= d->len) return fault(d, d->pos, "a JSON value");
    const char c = d->s[d->pos];
    if (c == '{' || c == '[') return parse_container(d, depth, c);
    size_t self;
    if (c == '"') {
        size_t off = 0, len = 0;
        if (!(self = new_value(d, '"')) || !scan_string(d, &off, &len)) return 0;
        d->v[self - 1].off = off;
        d->v[self - 1].len = len;
        return self;
    }
    if (!(self = new_value(d, c == '-' || (c >= '0' && c <= '9') ? '0' : 'l'))) return 0;
    if (d->v[self - 1].kind == '0') {
        if (!scan_number(d)) return 0;
    } else {
        static const char *const lit[] = {"true", "false", "null"};
        size_t k = 0;
        while (k < 3 && (d->len - d->pos < strlen(lit[k]) || memcmp(d->s + d->pos, lit[k], strlen(lit[k])) != 0)) k++;
        if (k == 3) return fault(d, d->pos, "a JSON value");
        d->pos += strlen(lit[k]);
    }
    d->v[self - 1].len = d->pos - d->v[self - 1].off;
    return self;
}

/* ---- reading the parsed model ---- */

static const xj_value *at(const xj_doc *d, size_t idx) { return idx ? &d->v[idx - 1] : NULL; }

/* The one member called key of object o (kind: what it must be, 0 any);
 * NULL after a fault when it is missing, repeated or of another kind. */
static const xj_value *member(xj_doc *d, const xj_value *o, const char *key, char kind)
{
    if (!o) return NULL;
    const xj_value *hit = NULL;
    const size_t klen = strlen(key);
    for (const xj_value *m = at(d, o->first); m; m = at(d, m->next))
        if (m->keylen == klen && memcmp(d->s + m->key, key, klen) == 0) {
            if (hit) return fault(d, m->key, "one '%s'", key), NULL;
            hit = m;
        }
    if (!hit) return fault(d, o->off, "'%s'", key), NULL;
    if (kind && hit->kind != kind) {
        const char *what = kind == '{' ? "an object" : kind == '[' ? "an array" : kind == '"' ? "a string" : "a number";
        return fault(d, hit->off, "'%s' as %s", key, what), NULL;
    }
    return hit;
}

/* a member that may be missing */
static int has(const xj_doc *d, const xj_value *o, const char *key)
{
    for (const xj_value *m = at(d, o->first); m; m = at(d, m->next))
        if (m->keylen == strlen(key) && memcmp(d->s + m->key, key, m->keylen) == 0) return 1;
    return 0;
}

/* a string member equal to want */
static int string_is(xj_doc *d, const xj_value *o, const char *key, const char *want)
{
    const xj_value *v = member(d, o, key, '"');
    if (!v) return 0;
    if (v->len != strlen(want) || memcmp(d->s + v->off, want, v->len) != 0) {
        found(d, v);
        return fault(d, v->off, "'%s' \"%s\"", key, want);
    }
    return 1;
}

/* v's text as a C string: numbers and short strings only */
static int text(const xj_doc *d, const xj_value *v, char *buf, size_t cap)
{
    if (v->len >= cap) return 0;
    memcpy(buf, d->s + v->off, v->len);
    buf[v->len] = '\0';
    return 1;
}

/* an integer literal in [lo, hi] (XGBoost keeps node and feature indices in 32 bits) */
static int integer(xj_doc *d, const xj_value *v, long long lo, long long hi, long long *out, const char *what)
{
    char buf[32];
    if (!v || v->kind != '0' || !text(d, v, buf, sizeof buf) || !am_io_parse_ll(buf, out) || *out < lo || *out > hi) {
        found(d, v);
        return fault(d, v ? v->off : 0, "%s", what);
    }
    return 1;
}

/* a number a float holds finitely */
static int number(xj_doc *d, const xj_value *v, double *out, const char *what)
{
    char buf[64];
    if (!v || v->kind != '0' || !text(d, v, buf, sizeof buf) || !am_io_parse_double(buf, out) || fabs(*out) > FLT_MAX) {
        found(d, v);
        return fault(d, v ? v->off : 0, "%s", what);
    }
    return 1;
}

/* The array member called key: of *n values when *n > 0; *n gets its count. */
static const xj_value *array_of(xj_doc *d, const xj_value *o, const char *key, size_t *n)
{
    const xj_value *a = member(d, o, key, '[');
    if (a && *n && a->count != *n) return fault(d, a->off, "'%s' of %zu values", key, *n), NULL;
    if (a) *n = a->count;
    return a;
}

static int int_array(xj_doc *d, const xj_value *o, const char *key, size_t n, long long lo, long long hi,
                     long long *out, const char *what)
{
    const xj_value *a = array_of(d, o, key, &n);
    if (!a) return 0;
    size_t i = 0;
    for (const xj_value *e = at(d, a->first); e; e = at(d, e->next), i++)
        if (!integer(d, e, lo, hi, &out[i], what)) return 0;
    return 1;
}

/* Tree k: every node reached exactly once from the root (so no walk loops),
 * children and split features in range, parents as the children say, values
 * finite in float; *leafmax its largest |leaf value|. */
static int check_tree(xj_doc *d, const xj_value *t, long long k, int nfeat, double *leafmax)
{
    long long id;
    if (!integer(d, member(d, t, "id", '0'), k, k, &id, "tree ids 0, 1, 2, ... in order")) return 0;
    const xj_value *left = member(d, t, "left_children", '[');
    if (!left) return 0;
    const size_t n = left->count;
    if (n < 1 || n > INT32_MAX) return fault(d, left->off, "a tree of at least one node");
    /* the arrays XGBoost reads node by node, sized by num_nodes */
    static const char *const per_node[] = {"right_children", "parents",     "split_indices", "split_conditions",
                                           "default_left",   "base_weights", "loss_changes",  "sum_hessian"};
    for (size_t a = 0; a < sizeof per_node / sizeof per_node[0]; a++) {
        size_t m = n;
        if (!array_of(d, t, per_node[a], &m)) return 0;
    }
    char want[24];
    snprintf(want, sizeof want, "%zu", n);
    /* vector leaves (several outputs) XGBoost 1.7 refuses only when predicting */
    const xj_value *param = member(d, t, "tree_param", '{');
    if (!string_is(d, param, "num_nodes", want) || !string_is(d, param, "size_leaf_vector", "0")) return 0;
    /* a categorical split reads segments of the category arrays */
    if (has(d, t, "split_type")) {
        size_t m = n;
        const xj_value *st = array_of(d, t, "split_type", &m);
        long long type;
        for (const xj_value *e = st ? at(d, st->first) : NULL; e; e = at(d, e->next))
            if (!integer(d, e, 0, 0, &type, "numerical splits (split_type 0)")) return 0;
        if (!st) return 0;
        static const char *const cat[] = {"categories", "categories_nodes", "categories_segments", "categories_sizes"};
        for (size_t c = 0; c < 4; c++) {
            size_t none = 0;
            const xj_value *a = array_of(d, t, cat[c], &none);
            if (!a) return 0;
            if (a->count) return fault(d, a->off, "no categories ('%s' empty)", cat[c]);
        }
    }
    long long *lc = malloc(4 * n * sizeof *lc);
    double *val = malloc(n * sizeof *val);
    unsigned char *seen = calloc(n, 1);
    size_t *stack = malloc(n * sizeof *stack);
    int ok = lc && val && seen && stack;
    if (!ok) d->nomem = 1;
    long long *rc = lc + n, *par = lc + 2 * n, *feat = lc + 3 * n;
    ok = ok && int_array(d, t, "left_children", n, -1, (long long)n - 1, lc, "child indices of the tree's nodes") &&
         int_array(d, t, "right_children", n, -1, (long long)n - 1, rc, "child indices of the tree's nodes") &&
         int_array(d, t, "parents", n, INT32_MIN, INT32_MAX, par, "parent indices (32-bit)") &&
         int_array(d, t, "split_indices", n, 0, nfeat - 1, feat, "split features of the model's features");
    if (ok) {
        const xj_value *cond = member(d, t, "split_conditions", '[');
        size_t i = 0;
        for (const xj_value *e = at(d, cond->first); ok && e; e = at(d, e->next), i++)
            ok = number(d, e, &val[i], "split values and leaf values that are finite floats");
    }
    /* depth first from the root: a node reached twice is a cycle or a shared child */
    size_t top = 0;
    *leafmax = 0.0;
    if (ok) {
        stack[top++] = 0;
        seen[0] = 1;
    }
    while (ok && top) {
        const size_t i = stack[--top];
        if (lc[i] == -1) {
            *leafmax = fmax(*leafmax, fabs(val[i]));
            continue;
        }
        const long long kid[2] = {lc[i], rc[i]};
        for (int c = 0; c < 2 && ok; c++) {
            const size_t j = (size_t)kid[c];
            if (kid[c] < 1 || seen[j] || par[j] != (long long)i)
                ok = fault(d, left->off, "tree %lld: node %zu's children to be nodes reached once, with parent %zu; "
                                         "got %s %lld", k, i, i, c ? "right" : "left", kid[c]);
            else {
                seen[j] = 1;
                stack[top++] = j;
            }
        }
    }
    for (size_t i = 0; ok && i < n; i++)
        if (!seen[i]) ok = fault(d, left->off, "tree %lld: every node reached from the root; node %zu is not", k, i);
    free(lc);
    free(val);
    free(seen);
    free(stack);
    return ok;
}

static int check_model(xj_doc *d, const xj_value *root, int nfeat)
{
    const xj_value *learner = member(d, root, "learner", '{');
    const xj_value *mp = member(d, learner, "learner_model_param", '{');
    const xj_value *gb = member(d, learner, "gradient_booster", '{');
    if (!mp || !gb) return 0;
    char want[24], buf[64];
    snprintf(want, sizeof want, "%d", nfeat);
    if (!string_is(d, mp, "num_feature", want) || !string_is(d, mp, "num_class", "0") ||
        !string_is(d, mp, "num_target", "1"))
        return 0;
    double base;
    const xj_value *bs = member(d, mp, "base_score", '"');
    if (!bs || !text(d, bs, buf, sizeof buf) || !am_io_parse_double(buf, &base) || fabs(base) > XJ_MAX_OUTPUT) {
        found(d, bs);
        return bs ? fault(d, bs->off, "a base_score within %g", XJ_MAX_OUTPUT) : 0;
    }
    /* amorph names the features in its own header; a feature type "c" would
     * make XGBoost split on categories */
    static const char *const unnamed[] = {"feature_names", "feature_types"};
    for (int k = 0; k < 2; k++) {
        size_t none = 0;
        const xj_value *a = has(d, learner, unnamed[k]) ? array_of(d, learner, unnamed[k], &none) : NULL;
        if (a && a->count) return fault(d, a->off, "no '%s' (amorph names the features itself)", unnamed[k]);
        if (!a && d->why[0]) return 0;
    }
    /* another objective would transform the output (exp, sigmoid) or give several */
    if (!string_is(d, member(d, learner, "objective", '{'), "name", "reg:squarederror") ||
        !string_is(d, gb, "name", "gbtree"))
        return 0;
    const xj_value *model = member(d, gb, "model", '{');
    const xj_value *gp = member(d, model, "gbtree_model_param", '{');
    size_t ntrees = 0;
    const xj_value *trees = array_of(d, model, "trees", &ntrees);
    if (!trees) return 0;
    if (ntrees < 1) return fault(d, trees->off, "at least one tree");
    snprintf(want, sizeof want, "%zu", ntrees);
    if (!string_is(d, gp, "num_trees", want) || !string_is(d, gp, "num_parallel_tree", "1") ||
        !string_is(d, gp, "size_leaf_vector", "0"))
        return 0;
    size_t m = ntrees;
    const xj_value *info = array_of(d, model, "tree_info", &m);
    if (!info) return 0;
    long long zero;
    for (const xj_value *e = at(d, info->first); e; e = at(d, e->next))
        if (!integer(d, e, 0, 0, &zero, "tree_info 0 for every tree (one output)")) return 0;
    double total = fabs(base);
    long long k = 0;
    for (const xj_value *t = at(d, trees->first); t; t = at(d, t->next), k++) {
        double leafmax = 0.0;
        if (t->kind != '{') return fault(d, t->off, "trees as objects");
        if (!check_tree(d, t, k, nfeat, &leafmax)) return 0;
        total += leafmax;
    }
    if (!(total <= XJ_MAX_OUTPUT))
        return fault(d, trees->off, "leaf values whose sum over the trees stays within %g (a finite prediction)",
                     XJ_MAX_OUTPUT);
    return 1;
}

am_status lr_xgb_json_check(const char *buf, size_t len, int nfeat, const char *path, long first_line)
{
    xj_doc d = {0};
    d.s = buf;
    d.len = len;
    /* XGBoost reads "{\"" as JSON text; any other start as UBJSON or its
     * old binary format, whose readers this check does not cover */
    int ok = len >= 2 && buf[0] == '{' && buf[1] == '"';
    if (!ok) fault(&d, 0, "JSON text beginning '{\"'");
    size_t root = ok ? parse_value(&d, 0) : 0;
    ok = root != 0;
    if (ok) {
        skip_space(&d);
        if (d.pos != len) ok = fault(&d, d.pos, "nothing after the JSON model");
    }
    if (ok && at(&d, root)->kind != '{') ok = fault(&d, 0, "a JSON object");
    if (ok) ok = check_model(&d, at(&d, root), nfeat);
    free(d.v);
    if (d.nomem) return am_fail(AM_ERR_NOMEM, "%s: out of memory for a %zu-byte XGBoost model", path, len);
    if (ok) return AM_OK;
    long line = first_line;
    for (size_t i = 0; i < d.fault && i < len; i++) line += buf[i] == '\n';
    return am_io_fail(AM_ERR_PARSE, path, line, d.got[0] ? d.got : NULL,
                      "expected an XGBoost model as amorph writes it: %s", d.why);
}
