/* The shared event log of an ARTn campaign and its choice of central atoms
 * (campaign_log.h; docs/saddle.md, Shared logs). */
#include "saddle/campaign_log.h"

#include "core/error.h"
#include "core/hash.h"

#include <errno.h>
#include <fcntl.h>
#include <math.h>
#include <signal.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

enum { S_DONE = 1, S_MINE = 2, S_CLAIMED = 4 };

static int cmp_pair(const void *pa, const void *pb)
{
    const long long *a = pa, *b = pb;
    return (a[0] > b[0]) - (a[0] < b[0]);
}

/* splitmix64 */
static uint64_t next64(uint64_t *state)
{
    const uint64_t z = am_mix64(*state);
    *state += 0x9e3779b97f4a7c15ULL;
    return z;
}

/* Marks the atoms of a list of ids "ID,ID,..." in pick; byid holds the n
 * (id, index) pairs sorted by id. */
static am_status pick_ids(const char *spec, const long long *byid, size_t n, char *pick)
{
    const char *p = spec;
    for (;;) {
        char *end;
        errno = 0;
        long long id = strtoll(p, &end, 10);
        if (end == p || errno || id < 1 || (*end && *end != ','))
            return am_fail(AM_ERR_VALUE, "expects all, random:N or a list of atom ids ID,ID,...; '%s' is not (at "
                                         "'%.20s')", spec, p);
        long long key[2] = {id, 0};
        const long long *hit = bsearch(key, byid, n, 2 * sizeof(long long), cmp_pair);
        if (!hit) return am_fail(AM_ERR_VALUE, "no atom with id %lld in the configuration", id);
        pick[hit[1]] = 1;
        if (!*end) return AM_OK;
        p = end + 1;
    }
}

/* Marks k of the n id-sorted atoms of byid in pick: a partial Fisher-Yates,
 * so that the choice depends on the seed and the set of ids only. */
static am_status pick_random(const char *spec, const long long *byid, size_t n, unsigned long long seed, char *pick)
{
    char *end;
    errno = 0;
    long long k = strtoll(spec + 7, &end, 10);
    if (end == spec + 7 || *end || errno || k < 1 || (unsigned long long)k > n)
        return am_fail(AM_ERR_VALUE, "random:N needs 1 <= N <= %zu (atoms in the configuration), got '%s'", n, spec);
    size_t *perm = malloc((n + 1) * sizeof(size_t));
    if (!perm) return am_fail(AM_ERR_NOMEM, "out of memory");
    for (size_t i = 0; i < n; i++) perm[i] = (size_t)byid[2 * i + 1];
    uint64_t st = seed ^ 0x5eed5e1ec7a7011dULL;
    for (size_t i = 0; i < (size_t)k; i++) {
        const size_t j = i + (size_t)(next64(&st) % (uint64_t)(n - i));
        size_t t = perm[i]; perm[i] = perm[j]; perm[j] = t;
        pick[perm[i]] = 1;
    }
    free(perm);
    return AM_OK;
}

am_status am_campaign_select(const char *spec, const am_system *s, unsigned long long seed, size_t **sel,
                             size_t *nsel)
{
    const size_t n = s->n;
    long long *byid = malloc(2 * (n + 1) * sizeof(long long));
    size_t *out = malloc((n + 1) * sizeof(size_t));
    char *pick = calloc(n + 1, 1);
    am_status st = AM_OK;
    size_t m = 0;
    if (!byid || !out || !pick) { st = am_fail(AM_ERR_NOMEM, "out of memory"); goto done; }
    for (size_t i = 0; i < n; i++) { byid[2 * i] = s->id[i]; byid[2 * i + 1] = (long long)i; }
    qsort(byid, n, 2 * sizeof(long long), cmp_pair);
    int seeded = 1; /* all and random:N; a list of ids runs in id order */
    if (strcmp(spec, "all") == 0) {
        for (size_t i = 0; i < n; i++) pick[i] = 1;
    } else if (strncmp(spec, "random:", 7) == 0) {
        st = pick_random(spec, byid, n, seed, pick);
    } else {
        st = pick_ids(spec, byid, n, pick);
        seeded = 0;
    }
    if (!st)
        for (size_t i = 0; i < n; i++)
            if (pick[byid[2 * i + 1]]) out[m++] = (size_t)byid[2 * i + 1];
    /* All or random:N run in an order drawn from the seed: configurations
     * list atoms by species, so in id order the first hours of a long
     * campaign would hold one species only; in this order every prefix of
     * the log is a uniform sample. Results do not depend on it (a search's
     * seed hashes its atom id and attempt). */
    if (!st && seeded) {
        uint64_t rs = seed ^ 0x0dde7ca3a1d0a7e5ULL;
        for (size_t i = 0; i + 1 < m; i++) {
            const size_t j = i + (size_t)(next64(&rs) % (uint64_t)(m - i));
            const size_t t = out[i]; out[i] = out[j]; out[j] = t;
        }
    }
done:
    free(byid);
    free(pick);
    if (st) { free(out); out = NULL; m = 0; }
    *sel = out;
    *nsel = m;
    return st;
}

static double wall_clock(void)
{
    struct timespec t;
    clock_gettime(CLOCK_REALTIME, &t);
    return (double)t.tv_sec + 1e-9 * (double)t.tv_nsec;
}

static int lock_fd(int fd, short type)
{
    struct flock lk = {.l_type = type, .l_whence = SEEK_SET, .l_start = 0, .l_len = 0};
    while (fcntl(fd, F_SETLKW, &lk) != 0)
        if (errno != EINTR) return -1;
    return 0;
}

/* One line in one write() on the O_APPEND descriptor, under the lock. A
 * result is on disk before it counts as done; a claim need not be: one lost
 * in a crash went with the process that made it. A cut write is reported,
 * and the next process to take the lock drops the piece (sync). */
static int append_line(int fd, const char *line, int durable)
{
    const size_t len = strlen(line);
    const ssize_t w = write(fd, line, len);
    if (w < 0) return -1;
    if (w != (ssize_t)len) { errno = EIO; return -1; }
    return durable && fsync(fd) != 0 ? -1 : 0;
}

static am_status write_failed(const am_campaign_log *g)
{
    return am_fail(AM_ERR_IO, "cannot write %s: %s", g->path, strerror(errno));
}

static long slot_of(const am_campaign_log *g, long long atom, int attempt)
{
    if (attempt < 0 || attempt >= g->searches) return -1;
    const long long key[2] = {atom, 0};
    const long long *hit = bsearch(key, g->byid, g->nsel, 2 * sizeof(long long), cmp_pair);
    return hit ? (long)(hit[1] * g->searches + attempt) : -1;
}

am_status am_campaign_log_init(am_campaign_log *g, const char *path, const long long *ids, const size_t *sel,
                               size_t nsel, long searches, double timeout)
{
    memset(g, 0, sizeof *g);
    g->fd = -1;
    g->path = path;
    am_event_log_init(&g->log, path);
    g->ids = ids;
    g->sel = sel;
    g->nsel = nsel;
    g->searches = searches;
    g->nslots = nsel * (size_t)searches;
    g->timeout = timeout;
    g->pid = (long)getpid();
    am_claim_host(g->host);
    g->byid = malloc((nsel + 1) * 2 * sizeof(long long));
    g->state = calloc(g->nslots + 1, 1);
    g->cpid = calloc(g->nslots + 1, sizeof(long));
    g->ctime = calloc(g->nslots + 1, sizeof(double));
    g->csame = calloc(g->nslots + 1, 1);
    if (!g->byid || !g->state || !g->cpid || !g->ctime || !g->csame) return am_fail(AM_ERR_NOMEM, "out of memory");
    for (size_t a = 0; a < nsel; a++) { g->byid[2 * a] = ids[sel[a]]; g->byid[2 * a + 1] = (long long)a; }
    qsort(g->byid, nsel, 2 * sizeof(long long), cmp_pair);
    return AM_OK;
}

void am_campaign_log_free(am_campaign_log *g)
{
    if (g->fd >= 0) close(g->fd);
    am_event_log_free(&g->log);
    free(g->byid);
    free(g->state);
    free(g->cpid);
    free(g->ctime);
    free(g->csame);
    g->fd = -1;
}

am_status am_campaign_log_lock(am_campaign_log *g)
{
    if (lock_fd(g->fd, F_WRLCK)) return am_fail(AM_ERR_IO, "cannot lock %s: %s", g->path, strerror(errno));
    return AM_OK;
}

void am_campaign_log_unlock(am_campaign_log *g) { lock_fd(g->fd, F_UNLCK); }

am_status am_campaign_log_open(am_campaign_log *g)
{
    if ((g->fd = open(g->path, O_RDWR | O_APPEND | O_CREAT, 0644)) < 0)
        return am_fail(AM_ERR_IO, "cannot open %s for appending: %s", g->path, strerror(errno));
    am_status st = am_campaign_log_lock(g);
    return st ? st : am_campaign_log_sync(g);
}

am_status am_campaign_log_write_header(am_campaign_log *g, const char *header)
{
    const size_t len = strlen(header);
    char *line = malloc(len + 2);
    if (!line) return am_fail(AM_ERR_NOMEM, "out of memory");
    memcpy(line, header, len);
    memcpy(line + len, "\n", 2);
    const int bad = append_line(g->fd, line, 1) || am_campaign_log_sync(g);
    free(line);
    return bad ? write_failed(g) : AM_OK;
}

am_status am_campaign_log_sync(am_campaign_log *g)
{
    am_status st = am_event_log_update(&g->log, g->fd);
    if (st) return st;
    for (size_t k = 0; k < g->log.nev; k++) {
        const long j = slot_of(g, g->log.ev[k].atom, g->log.ev[k].attempt);
        if (j >= 0 && !(g->state[j] & S_DONE)) { g->state[j] |= S_DONE; g->done++; }
    }
    for (size_t k = 0; k < g->log.nclaims; k++) {
        const am_claim *c = &g->log.claims[k];
        const long j = slot_of(g, c->atom, c->attempt);
        const int same = strcmp(c->host, g->host) == 0;
        if (j < 0 || (same && c->pid == g->pid && (g->state[j] & S_MINE))) continue;
        g->state[j] |= S_CLAIMED;
        g->cpid[j] = c->pid;
        g->ctime[j] = c->time;
        g->csame[j] = (unsigned char)same;
    }
    /* handled for good: a summary reads the log anew */
    g->log.nev = g->log.nclaims = 0;
    struct stat sb;
    if (fstat(g->fd, &sb) != 0) return am_fail(AM_ERR_IO, "cannot read %s: %s", g->path, strerror(errno));
    if ((long long)sb.st_size > g->log.complete) {
        if (ftruncate(g->fd, (off_t)g->log.complete) != 0)
            return am_fail(AM_ERR_IO, "cannot cut the incomplete last line of %s: %s", g->path, strerror(errno));
        g->dropped = 1;
    }
    return AM_OK;
}

am_status am_campaign_log_record(am_campaign_log *g, long job, const char *line, int *logged)
{
    *logged = 0;
    if (g->state[job] & S_DONE) return AM_OK;
    if (append_line(g->fd, line, 1)) return write_failed(g);
    g->state[job] |= S_DONE;
    g->done++;
    *logged = 1;
    return AM_OK;
}

/* Whether another process's claim on slot j still stands. A process on
 * another host cannot be asked, so only the timeout ends its claims. */
static int claim_live(const am_campaign_log *g, size_t j, double now)
{
    if (now - g->ctime[j] > g->timeout) return 0;
    if (!g->csame[j]) return 1;
    if (g->cpid[j] == g->pid) return 0; /* an earlier process with this pid has gone */
    return kill((pid_t)g->cpid[j], 0) == 0 || errno == EPERM;
}

static long pick(am_campaign_log *g, double now, long *others)
{
    *others = 0;
    /* slots that are done or this process's stay so: never look at them again */
    while (g->cursor < g->nslots && (g->state[g->cursor] & (S_DONE | S_MINE))) g->cursor++;
    for (size_t j = g->cursor; j < g->nslots; j++) {
        if (g->state[j] & (S_DONE | S_MINE)) continue;
        if (!(g->state[j] & S_CLAIMED) || !claim_live(g, j, now)) return (long)j;
        ++*others;
    }
    return -1;
}

am_status am_campaign_log_claim_next(am_campaign_log *g, long *job, long *others)
{
    const double now = wall_clock();
    *job = pick(g, now, others);
    if (*job < 0) return AM_OK;
    am_claim c;
    memset(&c, 0, sizeof c);
    c.atom = g->ids[g->sel[*job / g->searches]];
    c.attempt = (int)(*job % g->searches);
    c.pid = g->pid;
    c.time = floor(now);
    memcpy(c.host, g->host, sizeof c.host);
    char line[AM_EVENT_LINE];
    am_claim_format(&c, line);
    if (append_line(g->fd, line, 0)) {
        *job = -1;
        return write_failed(g);
    }
    g->state[*job] |= S_MINE;
    return AM_OK;
}

am_status am_campaign_log_close(am_campaign_log *g)
{
    const int bad = close(g->fd) != 0;
    g->fd = -1;
    return bad ? write_failed(g) : AM_OK;
}
