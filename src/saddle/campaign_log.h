/* Internal: the event log that the processes (and MPI ranks) running one
 * ARTn campaign share, and the campaign's choice of central atoms.
 *
 * Each process holds an fcntl lock on the whole file (which NFS honours
 * too) while it reads what the others have appended and appends its own
 * lines, so the header is written once and no search is claimed twice. A
 * search is claimed before it runs, and its result supersedes the claim;
 * the claim of a process that has gone is taken over. fcntl locks belong to
 * a process, not a thread: the threads of one process must take turns
 * around every call below that needs the lock.
 *
 * Not in include/amorph/: it is a file descriptor, a process-wide lock and
 * pids, whose rules (one lock per process, callers serialising their own
 * threads) a stable public API would have to hide behind a different
 * design; its one user is the program (cli/cmd_artn.c), which adds the
 * threads, the MPI ranks and the campaign header. No MPI here. */
#ifndef AM_SADDLE_CAMPAIGN_LOG_H
#define AM_SADDLE_CAMPAIGN_LOG_H

#include "amorph/saddle.h"
#include "amorph/system.h"

#include <stddef.h>

/* Central atom indices of s for a selection: "all", a list of ids
 * "ID,ID,...", or "random:N" (N atoms chosen from the seed and the set of
 * ids alone); a list in increasing id order, all and random:N in an order
 * drawn from the seed (every prefix a uniform sample); *sel malloc'ed. AM_ERR_VALUE for a
 * selection that is malformed or names an atom s does not have. */
am_status am_campaign_select(const char *spec, const am_system *s, unsigned long long seed, size_t **sel,
                             size_t *nsel);

typedef struct am_campaign_log {
    int fd;
    const char *path; /* not owned */
    am_event_log log;
    /* slot a * searches + k is attempt k at the a-th selected atom */
    const long long *ids; /* the configuration's; not owned */
    const size_t *sel;    /* not owned */
    long long *byid;      /* (id, a) pairs sorted by id */
    size_t nsel, nslots, cursor;
    long searches;
    unsigned char *state;
    /* the last claim of each slot by another process */
    long *cpid;
    double *ctime;
    unsigned char *csame; /* made on this host */
    long pid, done;       /* done: slots with a result in the log */
    char host[AM_CLAIM_HOST];
    double timeout;
    /* set when a sync cut an incomplete last line (a writer killed
     * mid-write); the caller tells the user and clears it */
    int dropped;
} am_campaign_log;

/* The slots of searches 0..searches-1 at each of the nsel atoms sel of a
 * configuration with ids; claims by processes on other hosts go stale after
 * timeout seconds. path, ids and sel must outlive g. g is ready for
 * am_campaign_log_free whatever the result. */
am_status am_campaign_log_init(am_campaign_log *g, const char *path, const long long *ids, const size_t *sel,
                               size_t nsel, long searches, double timeout);
void am_campaign_log_free(am_campaign_log *g);

/* Opens the log (created if missing), takes its lock and reads it: the
 * caller then writes the header when g->log.header is NULL or checks it,
 * and unlocks. On failure the lock may be held: unlock all the same. */
am_status am_campaign_log_open(am_campaign_log *g);
/* Under the lock: appends the header (without its newline), durably, and
 * reads it back. */
am_status am_campaign_log_write_header(am_campaign_log *g, const char *header);

am_status am_campaign_log_lock(am_campaign_log *g);
void am_campaign_log_unlock(am_campaign_log *g);

/* Under the lock: takes in the lines the others appended since the last
 * look (results mark their slots done, claims their slots claimed), and
 * cuts a line left incomplete by a writer that died (nobody writes without
 * the lock). */
am_status am_campaign_log_sync(am_campaign_log *g);

/* Under the lock, after a sync: appends the result line (an
 * am_event_format line) of slot job, durably, unless the slot is done
 * already (its claim was taken for stale and the search run elsewhere too:
 * the result logged first stays). *logged says whether it was written. */
am_status am_campaign_log_record(am_campaign_log *g, long job, const char *line, int *logged);

/* Under the lock, after a sync: claims the next search to run, one not
 * done, not this process's and not claimed by a live process, in *job;
 * -1 when there is none, with *others the searches that live processes are
 * still running. */
am_status am_campaign_log_claim_next(am_campaign_log *g, long *job, long *others);

/* Closes the file (the lock goes with it); an error is a write that did
 * not reach it. */
am_status am_campaign_log_close(am_campaign_log *g);

#endif
