/* amorph — saddle points: the lowest Hessian mode and ARTn searches.
 *
 * Configurations are passed as a system bound to a force engine; vectors over
 * the degrees of freedom are flat arrays of 3n doubles, atom-major
 * (x0 y0 z0 x1 y1 z1 ...), in the system's atom order. Units are the
 * potential's; written below for LAMMPS metal: positions and displacements
 * Å, energies eV, forces eV/Å, Hessian eigenvalues eV/Å² (unit masses: these
 * are curvatures, not frequencies); in lj σ, ε, ε/σ, ε/σ², and the defaults
 * for lj are those of am_saddle_defaults_units.
 *
 * Rigid translations are zero modes of the energy; every direction used here
 * (push, Lanczos vectors, eigenvector) has them projected out, so a search
 * never moves the centre of geometry. See docs/saddle.md. */
#ifndef AMORPH_SADDLE_H
#define AMORPH_SADDLE_H

#include "amorph/minimize.h"

#ifdef __cplusplus
extern "C" {
#endif

/* Lanczos estimate of the lowest eigenpair of the Hessian, matrix-free: each
 * Hessian-vector product is a forward finite difference of the forces. */
typedef struct am_lanczos_options {
    int max_vectors;     /* Krylov vectors at most (default 16) */
    double tol;          /* stop when |λ_k − λ_{k−1}| < tol max(|λ_k|, scale) (default 0.01) */
    double scale;        /* eV/Å²: the curvature scale that matters to the caller (0 = none, a
                          * purely relative test); near λ = 0 it keeps the test from asking
                          * for more digits than the decision needs */
    double dx;           /* finite-difference displacement norm, Å (default 1e-3) */
    unsigned long seed;  /* random start when none is given */
} am_lanczos_options;

AM_API void am_lanczos_defaults(am_lanczos_options *o);

/* Lowest eigenvalue (eV/Å²) and unit eigenvector `mode` (3n, caller-owned)
 * of the Hessian at the current positions of s. `start` (3n) seeds the
 * Krylov space, e.g. with the previous eigenvector; NULL starts from a random
 * vector drawn with o->seed. force_calls (may be NULL) receives the number of
 * engine evaluations (one for the forces at s plus one per vector). s's
 * positions are unchanged on return. */
AM_API am_status am_lowest_mode(am_engine *e, am_system *s, const am_lanczos_options *o, const double *start,
                         double *eigenvalue, double *mode, long *force_calls);

/* ARTn (activation–relaxation technique nouveau). The defaults
 * (am_saddle_defaults) are the protocol measured in docs/saddle.md
 * ("Protocol", "Accuracy"): the paper's step sizes and thresholds (SPEC §4),
 * with a cluster push, local forces and every saddle re-converged;
 * am_saddle_paper is the paper's protocol exactly. */
typedef struct am_saddle_options {
    /* initial push */
    double push_radius;       /* with push_cluster 0: atoms within this distance of the centre are pushed, Å (2.0) */
    double push_norm;         /* norm of the initial displacement, Å (0.1) */
    unsigned long seed;       /* random push direction (GSL mt19937) */
    /* basin */
    double increment;         /* step along the push direction per basin iteration, Å (0.15) */
    int basin_perp_steps;     /* CG iterations perpendicular to the push per basin step (1) */
    int max_basin_steps;      /* basin iterations before giving up (40) */
    int basin_quiet;          /* basin iterations without a Lanczos (the lowest curvature) at the start (4) */
    int basin_lanczos_vectors; /* Lanczos vectors in the basin, where only the threshold test needs the
                                  curvature (8; 0: lanczos.max_vectors) */
    double eigen_threshold;   /* out of the basin when λ < this, eV/Å² (−0.30) */
    /* activation */
    double eigen_step;        /* largest step along the eigenvector, Å (0.15) */
    int act_perp_steps;       /* CG iterations perpendicular to the eigenvector per step (1: more let the
                                 relaxation undo the climb; measured in docs/saddle.md) */
    int act_perp_near;        /* more CG iterations per step once the Newton step along the mode is inside
                                 eigen_step, i.e. near the saddle along the mode (10; 0: act_perp_steps
                                 throughout) */
    int act_lanczos_vectors;  /* Lanczos vectors per activation step, each seeded with the last mode
                                 (0: lanczos.max_vectors) */
    int act_mode_reuse;       /* after a Lanczos that converged within this many products, keep the mode (and
                                 eigenvalue) for the next step instead of a new Lanczos (0: never) */
    double perp_force;        /* perpendicular relaxation stops below this max atom force, eV/Å (0.02;
                                 at most exit_force / 2 in the activation) */
    int max_act_steps;        /* activation iterations before giving up (150) */
    double exit_force;        /* saddle when every atom's |F| < this, eV/Å (0.05) */
    am_lanczos_options lanczos;
    /* after the saddle */
    double push_over;         /* displacement along the eigenvector off the saddle, each way, Å (0.15) */
    int push_over_retries;    /* when both sides relax into the start, try again with twice the
                                 displacement, at most this many times (2; 0: never; at most 8) */
    double min_ftol;          /* force tolerance of the two minimisations, eV/Å (1e-4) */
    long min_max_iter;        /* iteration cap of each minimisation (5000) */
    double same_disp;         /* a minimum is the initial one if no atom is farther than this, Å (0.1) ... */
    double same_energy;       /* ... and its energy is within this of E0, eV (0.02) */
    double return_disp;       /* "returned to start" when the other side's minimum is also within same_energy of E0
                                 and this total displacement of the start, Å (1.0) */
    double max_energy;        /* energy blow-up above E0, eV (25) */
    double dmax;              /* largest single atom move in a relaxation step, Å (0.1) */
    int max_lost;             /* times the negative eigenvalue may be lost during activation; each
                                 time the search goes back to pushing along the initial direction (4) */
    double second_threshold;  /* a converged point whose lowest curvature orthogonal to the mode is
                                 below this is a higher-order saddle, eV/Å² (−0.01) */
    int max_descents;         /* times the search steps off a higher-order saddle along its second
                                 mode and climbs on before giving up (2) */
    double descent_step;      /* that step, Å (0.1) */
    /* local forces */
    double local_radius;      /* > 0: only the atoms within this distance of the centre move (the rest
                                 stay at the starting minimum) and only their region is evaluated
                                 (am_region), Å; 0: the whole box moves (10; docs/saddle.md) */
    double refine_radius;     /* a converged local search's saddle is re-converged with the atoms within
                                 this distance moving, Å; Ea is then the refined barrier. < 0: the whole box
                                 (−1: without it local barriers err by 0.05–0.5 eV, docs/saddle.md);
                                 0, or not above local_radius: no refinement */
    int refine_perp_steps;    /* iterations perpendicular to the mode per refinement step (3): CG, or
                                 L-BFGS when refine_exit_force is below exit_force (docs/saddle.md) */
    double refine_inner_radius; /* > local_radius and < refine_radius (or refine_radius < 0): refine within this
                                   radius first, then in refine_radius; most of the far field's relaxation is
                                   then paid at region prices, Å (20; 0: one stage) */
    double refine_exit_force; /* > 0: the refinement converges until every moving atom's force is below this,
                                 eV/Å (0.002; 0: exit_force); both stages when staged. Full-box searches
                                 (local_radius 0) below exit_force re-converge their saddle to it too */
    /* protocol choices measured in docs/saddle.md ("Protocol"); 0 is the paper's (and, but for
     * push_cluster, the default) */
    int push_cluster;         /* > 0: push the central atom and its push_cluster − 1 nearest neighbours
                                 (minimum image; ties by index) instead of the atoms within push_radius (6;
                                 the paper: 0) */
    int basin_align;          /* > 0: once a basin Lanczos finds a negative curvature, the walk turns from the
                                 push direction to the lowest mode over this many steps, as pARTn's nsmooth
                                 (0: along the push until the threshold) */
    double max_center_disp;   /* > 0: cage-escape guard: the central atom farther than this from its start
                                 during the basin walk or the climb ends the search as AM_SADDLE_CAGE_ESCAPE, Å */
    double max_final_rise;    /* > 0: the same outcome for a connected event whose new minimum lies more than
                                 this above the start, eV */
    /* a search that ends without a connected event starts again from the
     * minimum with a fresh random push (seeded from seed and the restart's
     * number), at most this many times (3; 0: never, the paper's; at most
     * AM_SADDLE_MAX_RESTARTS); never with a caller-given push. Every failed
     * try's outcome is kept (am_saddle_result.restart_outcome) */
    int restarts;
    /* 1: the last stage of a tight refinement (refine_exit_force below exit_force, after a converged
     * inner stage) converges its saddle by L-BFGS on the reflected force F − 2 (F·v) v along the
     * inner stage's mode, then checks the mode with a Lanczos; it climbs as the search does if that
     * fails (1; 0: it climbs, as before 2026-12-05; docs/saddle.md, "Reflected refinement") */
    int refine_reflect;
    /* 1: that reflected stage, when it moves every atom of a periodic box, preconditions its L-BFGS
     * with a particle-mesh model of the solid's elasticity: 8-14 % fewer refinement calls on 20 000
     * atoms, but 3 of 27 saddles came out 0.03-0.11 eV above the reference's (0: plain L-BFGS, the
     * default; docs/saddle.md, "Reflected refinement") */
    int refine_precondition;
} am_saddle_options;

#define AM_SADDLE_MAX_RESTARTS 8

AM_API void am_saddle_defaults(am_saddle_options *o);
/* The defaults for a potential in units u (NULL or metal: am_saddle_defaults):
 * in lj, every length, energy, force and curvature of the metal protocol
 * carried over by dimension (0.4 σ per Å, 1 ε per eV) but for a Lanczos
 * difference step of 1e-5 σ and a push over the saddle of 0.1 σ (measured),
 * and the whole box moving (docs/saddle.md, "Units"). */
AM_API void am_saddle_defaults_units(am_saddle_options *o, const am_units *u);
/* The source paper's protocol exactly (SPEC §4: the atoms within 2 Å — the
 * central atom alone — pushed, the whole box moving, saddles converged to
 * 0.05 eV/Å, no cage-escape guard); the other options as in
 * am_saddle_defaults. docs/saddle.md compares it with the defaults. */
AM_API void am_saddle_paper(am_saddle_options *o);
/* The same carried over to units u as am_saddle_defaults_units does. */
AM_API void am_saddle_paper_units(am_saddle_options *o, const am_units *u);

typedef enum am_saddle_outcome {
    AM_SADDLE_OK = 0,          /* converged saddle connected to the initial minimum */
    AM_SADDLE_BASIN_LIMIT,     /* never left the basin within max_basin_steps */
    AM_SADDLE_STEP_LIMIT,      /* no saddle within max_act_steps */
    AM_SADDLE_EIGENVALUE_LOST, /* the lowest eigenvalue turned positive during activation */
    AM_SADDLE_BLOWUP,          /* energy above E0 + max_energy or not finite */
    AM_SADDLE_BELOW_MINIMUM,   /* saddle energy not above both minima */
    AM_SADDLE_NOT_CONNECTED,   /* neither side of the saddle relaxes to the initial minimum */
    AM_SADDLE_RETURNED,        /* the new minimum is the initial one again (|ΔE| < same_energy, total displacement
                                  < return_disp), or the initial one with identical atoms exchanged */
    AM_SADDLE_MIN_FAILED,      /* a minimisation off the saddle did not converge */
    AM_SADDLE_HIGHER_ORDER,    /* converged, but a second curvature is below second_threshold */
    AM_SADDLE_REFINE_FAILED,   /* a local search's saddle did not re-converge in the refinement region */
    AM_SADDLE_CAGE_ESCAPE,     /* stopped by the cage-escape guard (max_center_disp, max_final_rise) */
    AM_SADDLE_NOUTCOMES        /* the number of outcomes (new ones go just above) */
} am_saddle_outcome;

/* Short name, e.g. "eigenvalue lost". */
AM_API const char *am_saddle_outcome_name(am_saddle_outcome o);

typedef struct am_saddle_result {
    am_saddle_outcome outcome;
    double e0;               /* energy of the starting configuration, eV */
    double fmax0;            /* its largest atom force (should be ~0), eV/Å */
    double e_saddle;         /* eV; for a search that failed before converging, the last point's */
    double e_final;          /* new minimum, eV (NaN when not reached); disp_* likewise */
    double ea;               /* activation energy e_saddle − e0, eV */
    double eigenvalue;       /* lowest Hessian eigenvalue at the last point, eV/Å² */
    double fmax_saddle;      /* largest atom force at the last point, eV/Å */
    double disp_max;         /* largest atom displacement initial → final (minimum image), Å */
    double disp_total;       /* norm of the whole displacement initial → final, Å */
    double disp_back;        /* largest atom displacement initial → relaxed back from the saddle, Å */
    long force_calls;        /* every engine evaluation, including the minimisations */
    long force_calls_saddle; /* those spent until the saddle converged */
    int basin_steps, act_steps;
    /* Optional, caller-owned, 3n atom-major, positions in Å (unwrapped: the
     * continuation of the starting positions); left untouched when NULL. */
    double *saddle_xyz;      /* last point of the activation (the saddle if converged) */
    double *final_xyz;       /* the new minimum (when reached; NaN after a restart whose last try did not) */
    double eigenvalue2;      /* lowest curvature orthogonal to the mode at a converged point, eV/Å² (NaN before) */
    long nactive;            /* atoms that moved (all of them with full-box forces) */
    double ea_local;         /* with refinement: the local search's barrier before it, eV (else NaN) */
    long refine_calls;       /* force calls of the refinement (in force_calls and force_calls_saddle) */
    /* where the search's calls went (the refinement's excluded): pushing out of the basin,
       climbing, the higher-order checks, and how many of all of them were Lanczos products */
    long calls_basin, calls_activation, calls_check, calls_lanczos;
    /* How the event moves the atoms, to tell a local rearrangement from a
     * search that dragged its central atom through its cage: the central
     * atom's displacement from the start at the search's saddle (before any
     * refinement) and in the new minimum, Å (NaN when not reached), and the
     * number of atoms that moved more than AM_MOVED_DISP in the new minimum
     * (-1 when not reached). */
    double disp_center_saddle, disp_center_final;
    long moved;
    /* Restarts (am_saddle_options.restarts): everything above is the last
     * try's, except force_calls and calls_lanczos, which count every try,
     * and force_calls_saddle, which for a converged search adds the
     * failed tries' calls (what the saddle cost). restart_calls: the failed
     * tries' calls; restart_outcome[0..restarts-1]: how each ended. */
    int restarts;
    long restart_calls;
    am_saddle_outcome restart_outcome[AM_SADDLE_MAX_RESTARTS];
} am_saddle_result;

/* An atom farther than this from its start has moved in an event, Å. */
#define AM_MOVED_DISP 0.5

/* One ARTn search started at atom `center` (0-based index) of s, which should
 * be at a minimum, restarted with fresh pushes while it fails (o->restarts). `push` (3n, or NULL) replaces the random initial direction
 * (it is still restricted to the push radius, cleared of translations and
 * scaled to push_norm). s is used as working space and restored on return;
 * e must be bound to s. Returns AM_OK whenever the search ran, whatever its
 * outcome (in r->outcome); an error only for bad arguments, memory or engine
 * failures. Deterministic for given inputs and seed. */
AM_API am_status am_saddle_search(am_engine *e, am_system *s, const am_saddle_options *o, size_t center,
                           const double *push, am_saddle_result *r);


/* ------------------------------------------------------------------------
 * Campaigns: many independent searches, their records and per-atom barriers.
 * See docs/saddle.md, "Campaigns". */

/* What a campaign keeps of one search; one line of the event log. */
typedef struct am_event {
    long long atom;            /* id (not index) of the central atom */
    int attempt;               /* 0-based search number at that atom */
    am_saddle_outcome outcome;
    double e0, e_saddle, e_final, ea; /* eV (as in am_saddle_result; NaN when not reached) */
    double eigenvalue;         /* eV/Å² */
    double fmax_saddle;        /* eV/Å */
    double disp_max, disp_total; /* Å */
    long force_calls;          /* every engine evaluation of the search */
    long force_calls_saddle;   /* those until the saddle converged (refinement included); -1: not in the log */
    double wall;               /* seconds spent in the search */
    double disp_center_saddle, disp_center_final; /* Å, as in am_saddle_result (NaN: not reached or not logged) */
    long moved;                /* atoms moved > AM_MOVED_DISP in the new minimum (-1: not reached or not logged) */
    int restarts;              /* failed tries before this record's (0 in logs before restarts) */
    am_saddle_outcome restart_outcome[AM_SADDLE_MAX_RESTARTS]; /* how each ended */
} am_event;

/* Copies a search's result into an event record. */
AM_API void am_event_from_result(long long atom, int attempt, const am_saddle_result *r, double wall, am_event *ev);

/* Seed of search `attempt` at atom `atom` of a campaign: a hash of the
 * three, so a search's push depends on nothing else (order, threads, ranks,
 * which searches already ran). Fits in 32 bits, what GSL's mt19937 uses. */
AM_API unsigned long am_event_seed(unsigned long long campaign_seed, long long atom, int attempt);

/* Two events of one atom are the same if all three differences are below
 * these (SPEC §4: 0.01 eV, 0.005 eV, 0.1 Å). */
typedef struct am_dedup_options {
    double saddle_energy; /* |ΔE_saddle|, eV */
    double final_energy;  /* |ΔE_final|, eV */
    double displacement;  /* |Δdisp_total|, Å */
} am_dedup_options;

AM_API void am_dedup_defaults(am_dedup_options *o);
/* The same in units u (lj: energies as they are in ε, 0.04 σ). */
AM_API void am_dedup_defaults_units(am_dedup_options *o, const am_units *u);
/* 1 if a and b (converged or not, same atom or not: the caller decides)
 * fall within o's thresholds (o NULL: defaults). */
AM_API int am_event_same(const am_event *a, const am_event *b, const am_dedup_options *o);

/* Sorts by (atom id, attempt). */
AM_API void am_events_sort(am_event *ev, size_t nev);

/* Per-atom barriers from the events (any order; ev is sorted in place).
 * For atom k of ids[0..n-1]: the converged (AM_SADDLE_OK) events started at
 * it are taken in attempt order, and one counts as distinct unless it is
 * am_event_same as an earlier distinct one; ea_mean[k], ea_min[k] are the
 * mean and minimum Ea of the distinct events, count[k] their number (NaN,
 * NaN, 0 without any); energies in the units u of the potential the events
 * were found with. ea_eff (may be NULL) receives the Boltzmann-weighted
 * effective barrier at `temperature` (u->temperature, > 0 when ea_eff is
 * given; u may be NULL without ea_eff),
 * −kT ln((1/m) Σ exp(−Ea_j/kT)) over the m distinct events: the barrier of
 * one event escaping at the atom's mean rate, between ea_min (kT → 0) and
 * ea_mean (kT → ∞). searches (may be NULL) receives the number of searches
 * of each atom, whatever their outcome. A repeated (atom, attempt) counts
 * once; an event at an id not in ids is an AM_ERR_VALUE. */
AM_API am_status am_events_aggregate(am_event *ev, size_t nev, const long long *ids, size_t n, const am_dedup_options *o,
                              const am_units *u, double temperature, double *ea_mean, double *ea_min, double *ea_eff, long long *count,
                              long long *searches);

/* Three order statistics of a sample (linear interpolation between order
 * statistics; NaN for an empty sample) and its size. */
typedef struct am_spread {
    double p10, median, p90;
    long n;
} am_spread;

/* What a campaign found, as amorph artn and artn-summary report it. */
typedef struct am_campaign_summary {
    long searches;                          /* distinct (atom, attempt) pairs in the log */
    long converged;                         /* of them AM_SADDLE_OK */
    long by_outcome[AM_SADDLE_NOUTCOMES];
    long restarts;                          /* restarts of those searches (am_saddle_options.restarts) */
    long restarted[AM_SADDLE_NOUTCOMES];    /* the restarted (failed) tries, by outcome */
    long long distinct;                     /* distinct events, summed over atoms */
    long long atoms_searched, atoms_with_event;
    double mean_ea;                         /* mean of ea_mean over the atoms with an event, eV */
    double median_calls, median_calls_saddle; /* per converged search: all its calls, those to the saddle */
    /* over the converged searches: Ea, E_final − E0 (eV), the central atom's
     * displacement at the saddle and in the new minimum, the largest atom
     * displacement (Å), atoms moved more than AM_MOVED_DISP */
    am_spread ea, de_final, disp_center_saddle, disp_center_final, disp_max, moved;
    int nspecies;                           /* the system's */
    struct {
        long long atoms_with_event;
        double mean_ea, mean_ea_min, mean_ea_eff; /* means over those atoms of their ea_mean, ea_min, ea_eff, eV */
        am_spread ea;                       /* converged searches started at an atom of this species */
    } species[AM_MAX_SPECIES];
} am_campaign_summary;

/* Summarises a campaign: ev as left by am_events_aggregate (sorted), s the
 * configuration (its species and ids), and that function's per-atom arrays
 * (ea_eff may be NULL: then the species' mean_ea_eff is NaN). */
AM_API am_status am_campaign_summarize(const am_event *ev, size_t nev, const am_system *s, const double *ea_mean,
                                const double *ea_min, const double *ea_eff, const long long *count,
                                const long long *searches, am_campaign_summary *out);

/* One row per search (the first record of each (atom, attempt) of ev, as
 * sorted by am_events_aggregate): atom id, species (from s; "?" for an id
 * not in s), attempt, outcome, Ea = E_saddle − E0, E_final − E0 (eV), the
 * largest atom displacement and the central atom's at the saddle and in the
 * new minimum (Å), atoms moved > AM_MOVED_DISP, force calls (all, to the
 * saddle; with restarts, of all its tries), wall seconds, restarts; empty cells for values not reached
 * or not logged.
 * Written atomically (a temporary renamed over path). */
AM_API am_status am_events_write_csv(const char *path, const am_event *ev, size_t nev, const am_system *s);

/* Event log: one JSON object per line (docs/saddle.md). am_event_format
 * writes ev as one line with its "\n" into buf (at least AM_EVENT_LINE
 * bytes); numbers round-trip exactly, NaN is written null. */
#define AM_EVENT_LINE 1024
AM_API void am_event_format(const am_event *ev, char *buf);
/* Parses one line written by am_event_format (key order free, unknown keys
 * ignored; atom, attempt and outcome required) and refuses values no search
 * produces: a number that is not finite (a value not reached is null), a
 * negative count, fmax_saddle, displacement or wall time, and for a
 * converged search (AM_SADDLE_OK) a missing energy or disp_total or a
 * negative barrier ea. The message names the field and what was expected. */
AM_API am_status am_event_parse(const char *line, am_event *ev);

/* A claim in a log that several processes share: process `pid` on `host`
 * started search (atom, attempt) at `time` (Unix seconds). A process claims
 * a search before it runs it, so that the others run other searches; the
 * search's event record supersedes its claims, and a claim without one, by
 * a process that has gone, may be claimed again (src/saddle/campaign_log.c decides). */
#define AM_CLAIM_HOST 64
typedef struct am_claim {
    long long atom;
    int attempt;
    long pid;
    double time;
    char host[AM_CLAIM_HOST];
} am_claim;
/* One line with its "\n" into buf (at least AM_EVENT_LINE bytes); host
 * characters other than letters, digits, '.', '-' and '_' are written '_'. */
AM_API void am_claim_format(const am_claim *c, char *buf);
/* This machine's name as claims record it (AM_CLAIM_HOST bytes), so that a
 * process recognises its host in claims read back. */
AM_API void am_claim_host(char *host);

/* A log read in steps: each am_event_log_update reads the whole lines
 * appended since the last one. The first line must be the header (a JSON
 * object whose first key is "campaign"; copied, without its newline, into
 * header); every other line an event record (am_event_parse) or a claim
 * (first key "claim"). A last line without its newline (being written, or
 * cut short by a kill) is left for the next update: `complete` is the length
 * of the file up to the end of the last whole line, where appending must
 * resume. A missing header, a second one, an empty line, a NUL byte or a bad
 * record is an AM_ERR_PARSE or AM_ERR_VALUE naming the file and line. */
typedef struct am_event_log {
    const char *path;    /* for messages; not owned */
    char *header;        /* malloc'ed; NULL until the first line is read */
    am_event *ev;        /* every event record read, in file order */
    size_t nev;
    am_claim *claims;    /* every claim read, in file order */
    size_t nclaims;
    long long complete;  /* bytes read */
    long lines;          /* whole lines read */
    size_t cap_ev, cap_claims;
} am_event_log;
AM_API void am_event_log_init(am_event_log *l, const char *path);
/* Reads with pread(2) from l->complete to the end of fd's file: the
 * descriptor's offset, and a fcntl(2) lock the caller holds on it, stay as
 * they are (opening the file again and closing it would drop the lock). */
AM_API am_status am_event_log_update(am_event_log *l, int fd);
AM_API void am_event_log_free(am_event_log *l);

/* Reads a whole log as above (claims are skipped) into *header (malloc'ed,
 * NULL for an empty log; header may be NULL) and *ev (malloc'ed, NULL when
 * empty); *complete_bytes (may be NULL) as am_event_log's complete. A missing
 * file reads as empty. */
AM_API am_status am_events_read(const char *path, char **header, am_event **ev, size_t *nev, long long *complete_bytes);

#ifdef __cplusplus
}
#endif
#endif
