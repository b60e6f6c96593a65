/* Test configurations: perfect crystals, rattling and shearing. */
#ifndef AM_TEST_BUILD_H
#define AM_TEST_BUILD_H

#include "amorph/amorph.h"

/* kind: "fcc", "bcc", "b2", "sc", "hcp" (ideal c/a, orthogonal cell).
 * species: "Cu" or "Cu,Zr" (b2 puts the second species at the body centre;
 * for other kinds with two species, atoms alternate in a fixed pseudo-random
 * pattern). Box from the origin, a in Å. Returns NULL on failure. */
am_system *build_lattice(const char *kind, double a, int nx, int ny, int nz, const char *species);
/* A 13-atom Cu icosahedron (atom 0 at the centre, vertices r Å from it) in
 * the middle of a cubic periodic box of edge l Å. */
am_system *build_icosahedron(double r, double l);
/* A Kob–Andersen configuration: an fcc lattice of 4·cells³ sites at number
 * density rho (σ⁻³), round(n/5) of them B at pseudo-random sites (seed),
 * the rest A, unit masses, each site moved by up to amp (σ) per component:
 * random but never overlapping for amp well below the site spacing. */
am_system *build_kob_andersen(int cells, double rho, double amp, unsigned long long seed);
/* Uniform random displacements in [-amp, amp] per component (deterministic). */
void rattle(am_system *s, double amp, unsigned long long seed);
/* Affine shear of box and positions: adds tilts xy, xz, yz. */
void shear_box(am_system *s, double xy, double xz, double yz);
/* nx x ny x nz copies of an orthogonal system (NULL if triclinic). */
am_system *replicate(const am_system *s, int nx, int ny, int nz);
/* Sets the species from a list like "Cu,Zr", masses from the element table. */
int set_species(am_system *s, const char *list);
/* Largest minimum-image distance between s's positions and (x, y, z), Å. */
double max_min_image_distance(const am_system *s, const double *x, const double *y, const double *z);
/* The same between s's box and two atom-major configurations a, b (3n, Å). */
double max_flat_distance(const am_system *s, const double *a, const double *b);
/* The 432-atom LAMMPS-made CuZr glass of tests/data with CuZr_mm.eam.fs,
 * minimised by CG to ftol (eV/Å); NULL (error printed) on failure. The
 * potential is returned in *p. */
am_system *load_glass_minimized(am_potential **p, double ftol);
/* The largest atom force (eV/Å) at the atom-major positions xyz (3n, Å) of
 * a copy of s, from a fresh engine of p; *energy (may be NULL) its energy:
 * checks a reported saddle independently of the search's engine. */
double fresh_max_force(const am_potential *p, const am_system *s, const double *xyz, double *energy);
/* Atom-major flat forces (3n, eV/Å) at s's positions; returns the energy (eV). */
double flat_forces(am_engine *e, am_system *s, double *f);
/* One evaluation of p on s by a fresh engine (neighbour skin `skin`): the
 * energy, virial, 3n forces (component-major), n per-atom energies and,
 * when v_atom, 6n per-atom virials, in one allocation at f (free(f) when
 * done). Returns 1, or 0 after a failed check naming the error. */
typedef struct test_eval {
    double energy, virial[6];
    double *f, *e, *v;
} test_eval;
int engine_eval(const am_potential *p, am_system *s, double skin, int v_atom, test_eval *out);
/* Largest |a[k] - b[k]|. */
double max_abs_diff(const double *a, const double *b, size_t n);
/* Reads a configuration or returns NULL, printing the error. */
am_system *load_conf(const char *path, const char *species);

/* A reader's bad-input case: file `name` (the extension picks the format),
 * its text, the status wanted, the line its message must name (0: any) and
 * text the message must contain. */
typedef struct bad_case {
    const char *name, *text;
    am_status want;
    int line;
    const char *also;
} bad_case;
/* Writes len bytes of text to path. */
void write_bytes(const char *path, const char *text, size_t len);
/* Writes the case to dir (len bytes of its text) and reads it as a potential:
 * the wanted status, no potential, a message naming the file, name:line: and
 * `also`. */
void check_bad_potential(const char *dir, const bad_case *c, size_t len);

/* The Cu-Zr samples of the EAM engine's tests, each handed to fn in turn
 * (the callee may change it): the shipped 2 000-atom glass
 * (EAM_SAMPLE_GLASS), its 4 x 2 x 2 copy (32 000 atoms: list entries past
 * 32 768), the glass sheared (triclinic) and stretched by 1.3 along y (y
 * the longest edge), the 432-atom glass and a rattled 54-atom B2 crystal
 * (boxes below twice the list's reach: atoms list their own images). */
enum { EAM_SAMPLE_GLASS, EAM_SAMPLE_BIG, EAM_SAMPLE_SHEARED, EAM_SAMPLE_STRETCHED, EAM_SAMPLE_SMALL,
       EAM_SAMPLE_B2 };
typedef void (*eam_sample_fn)(int which, const char *label, am_system *s, const am_potential *p);
/* With the potential file pot (potential_path). */
void eam_samples(const char *pot, eam_sample_fn fn);
/* A copy of the positions (3n: x, then y, then z), and back. */
double *save_positions(const am_system *s);
void restore_positions(am_system *s, const double *x0);

/* fn(label, s, v, ctx) for each variant v < nvar under each kernel this
 * CPU runs (all; else the default kernel only), the label naming the
 * kernel; the kernel is the environment's choice at engine creation
 * (AMORPH_NO_AVX512, AMORPH_NO_SIMD), s's positions restored after each. */
typedef void (*kernel_fn)(const char *label, am_system *s, int v, const void *ctx);
void under_kernels(const char *label, am_system *s, int all, int nvar, kernel_fn fn, const void *ctx);
/* One engine call's outputs: energy, virial, then 3n forces, n per-atom
 * energies and, with vatom, 6n per-atom virials (7 + 10n doubles, zero
 * where not computed); NULL on failure. */
double *engine_outputs(am_engine *e, am_system *s, int vatom);

#endif
