#include "ranks.h"

#include <mpi.h>
#include <stdio.h>
#include <stdlib.h>

/* Open MPI, PMIx and Hydra (MPICH) launchers each set one of these. */
static int launched_by_mpirun(void)
{
    static const char *const vars[] = {"OMPI_COMM_WORLD_SIZE", "PMIX_RANK", "PMI_SIZE"};
    for (size_t k = 0; k < sizeof vars / sizeof *vars; k++)
        if (getenv(vars[k])) return 1;
    return 0;
}

int cli_ranks_init(cli_ranks *r, const char *verb)
{
    r->rank = 0;
    r->size = 1;
    r->active = 0;
    if (!launched_by_mpirun()) return 0;
    int provided = 0;
    if (MPI_Init_thread(NULL, NULL, MPI_THREAD_FUNNELED, &provided) != MPI_SUCCESS) {
        fprintf(stderr, "amorph %s: started by mpirun but MPI_Init failed\n", verb);
        return 1;
    }
    r->active = 1;
    MPI_Comm_rank(MPI_COMM_WORLD, &r->rank);
    MPI_Comm_size(MPI_COMM_WORLD, &r->size);
    return 0;
}

long cli_ranks_sum(const cli_ranks *r, long v)
{
    long total = v;
    if (r->active) MPI_Allreduce(&v, &total, 1, MPI_LONG, MPI_SUM, MPI_COMM_WORLD);
    return total;
}

void cli_ranks_finalize(cli_ranks *r)
{
    if (r->active) MPI_Finalize();
    r->active = 0;
}
