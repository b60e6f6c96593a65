/* Ranks of an `mpirun` launch that share one ARTn campaign.
 *
 * MPI is initialised only when a launcher started the process (its
 * environment says so): a plain `amorph artn` is one rank and never
 * touches MPI, so it needs no MPI runtime to run and no `mpirun`. Every
 * call here is collective and made by the main thread outside OpenMP
 * regions (MPI_THREAD_FUNNELED is enough). */
#ifndef AMORPH_CLI_RANKS_H
#define AMORPH_CLI_RANKS_H

typedef struct {
    int rank, size;
    int active; /* MPI was initialised here and must be finalised */
} cli_ranks;

/* 0, or 1 after printing why MPI could not start. */
int cli_ranks_init(cli_ranks *r, const char *verb);
/* Sum of v over the ranks (every rank gets it). */
long cli_ranks_sum(const cli_ranks *r, long v);
void cli_ranks_finalize(cli_ranks *r);

#endif
