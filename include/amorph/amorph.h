/* amorph — structure and property of amorphous solids.
 *
 * The one header to include. Conventions (see docs/):
 *  - every function that can fail returns am_status (AM_OK = 0) and sets a
 *    thread-local message readable with am_error_message();
 *  - every object created by am_X_create/alloc/read is released by am_X_free;
 *  - arrays are caller-owned unless documented otherwise, and their layout
 *    and units are given where they are declared;
 *  - units are LAMMPS metal: Å, eV, ps, amu, K, bar. */
#ifndef AMORPH_H
#define AMORPH_H

#include "amorph/status.h"
#include "amorph/system.h"
#include "amorph/io.h"
#include "amorph/neighbor.h"
#include "amorph/potential.h"
#include "amorph/minimize.h"
#include "amorph/dynamics.h"
#include "amorph/quench.h"
#include "amorph/structure.h"
#include "amorph/saddle.h"
#include "amorph/vibration.h"
#include "amorph/analysis.h"
#include "amorph/report.h"
#include "amorph/learn.h"

/* OpenMP waiting: the spin count that the amorph program and the Python
 * package give libgomp unless OMP_WAIT_POLICY or GOMP_SPINCOUNT is set. A
 * thread waiting at a barrier then sleeps after this many spins instead of
 * libgomp's 300 000, which on cores shared with other jobs made two-thread
 * MD 20x slower than one thread (docs/performance.md, "Threads on a shared
 * machine"). libgomp reads it when it is loaded, before main: a program of
 * one's own sets it in its environment before it starts. */
#define AM_GOMP_SPINCOUNT 1000

/* OpenBLAS's idle threads likewise: they call sched_yield in a loop for
 * 2^28 cycles after each BLAS call before they sleep, and the sparse mode
 * solver's Lanczos, whose solves run on amorph's own threads between the
 * BLAS calls of its Gram-Schmidt steps, lost ~10 % of a 2-core machine to
 * them (docs/performance.md, "Normal modes"). The amorph program and the
 * Python package give OpenBLAS this exponent (its smallest: 2^4 cycles)
 * unless OPENBLAS_THREAD_TIMEOUT or GOTO_THREAD_TIMEOUT is set; OpenBLAS
 * too reads it when it is loaded. */
#define AM_OPENBLAS_THREAD_TIMEOUT 4

#ifdef __cplusplus
extern "C" {
#endif

/* Library version, e.g. "0.1.0". */
AM_API const char *am_version(void);

#ifdef __cplusplus
}
#endif
#endif
