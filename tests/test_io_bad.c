/* Bad input for the configuration readers: every case must fail with the
 * right status and a message naming the file and the line; truncated,
 * corrupted and binary files must never crash. Also the reading speed of a
 * 20 000-atom data file. */
#include "amorph/io.h"
#include "util/check.h"

#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

static const char *scratch;

static void write_bytes(const char *path, const char *data, size_t n)
{
    FILE *f = fopen(path, "wb");
    if (!f) {
        check_true(0, "cannot create %s", path);
        return;
    }
    fwrite(data, 1, n, f);
    fclose(f);
}

static char *read_bytes(const char *path, size_t *n)
{
    *n = 0;
    FILE *f = fopen(path, "rb");
    if (!f) return NULL;
    fseek(f, 0, SEEK_END);
    long len = ftell(f);
    fseek(f, 0, SEEK_SET);
    char *s = malloc((size_t)len + 1);
    *n = s ? fread(s, 1, (size_t)len, f) : 0;
    if (s) s[*n] = '\0';
    fclose(f);
    return s;
}

#define DATA_HEAD "bad data\n\n# a comment line\n3 atoms\n2 atom types\n0 10 xlo xhi\n0 10 ylo yhi\n0 10 zlo zhi\n\n" \
                  "Masses\n\n1 63.546\n2 91.224\n\n"
/* DATA_HEAD ends on line 14; "Atoms" is line 15, the atoms lines 17.. */
#define ATOMS "Atoms # atomic\n\n"

#define DUMP_HEAD "ITEM: TIMESTEP\n0\nITEM: NUMBER OF ATOMS\n2\nITEM: BOX BOUNDS pp pp pp\n0 10\n0 10\n0 10\n"
/* ITEM: ATOMS is line 9 */

#define XYZ_HEAD "2\nLattice=\"10 0 0 0 10 0 0 0 10\" Properties=species:S:1:pos:R:3\n"

static const struct bad_case {
    const char *name;     /* file name; the extension picks the reader */
    const char *text;
    const char *species;  /* --species */
    long frame;
    am_status want;
    int line;             /* line the message must name; 0: any */
    const char *also;     /* text the message must contain, or NULL */
} cases[] = {
    /* LAMMPS data files */
    {"empty.data", "", NULL, 0, AM_ERR_PARSE, 1, NULL},
    {"title_only.data", "just a title\n", NULL, 0, AM_ERR_PARSE, 1, "atoms"},
    {"no_atoms_header.data", "t\n\n2 atom types\n0 1 xlo xhi\n0 1 ylo yhi\n0 1 zlo zhi\n\nAtoms\n\n1 1 0 0 0\n",
     NULL, 0, AM_ERR_PARSE, 8, "N atoms"},
    {"no_types.data", "t\n\n1 atoms\n0 1 xlo xhi\n0 1 ylo yhi\n0 1 zlo zhi\n\nAtoms\n\n1 1 0 0 0\n", NULL, 0,
     AM_ERR_PARSE, 8, "atom types"},
    {"no_zbox.data", "t\n\n1 atoms\n1 atom types\n0 1 xlo xhi\n0 1 ylo yhi\n\nAtoms\n\n1 1 0 0 0\n", NULL, 0,
     AM_ERR_PARSE, 8, "zlo zhi"},
    {"bad_header.data", "t\n\n1 atoms\n1 atom typos\n", NULL, 0, AM_ERR_PARSE, 4, "header"},
    {"bad_count.data", "t\n\nthree atoms\n", NULL, 0, AM_ERR_PARSE, 3, NULL},
    {"inverted_box.data", "t\n\n1 atoms\n1 atom types\n5 1 xlo xhi\n", NULL, 0, AM_ERR_VALUE, 5, "xhi"},
    {"no_atoms_section.data", DATA_HEAD, NULL, 0, AM_ERR_PARSE, 14, "Atoms"},
    {"truncated.data", DATA_HEAD ATOMS "1 1 1 1 1\n2 2 3 3 3\n", NULL, 0, AM_ERR_PARSE, 18, "end of file"},
    {"truncated_mid_line.data", DATA_HEAD ATOMS "1 1 1 1 1\n2 2 3 3 3\n3 1 5 5", NULL, 0, AM_ERR_PARSE, 19,
     "fields"},
    {"fewer_atoms.data", DATA_HEAD ATOMS "1 1 1 1 1\n2 2 3 3 3\n\nVelocities\n\n1 0 0 0\n", NULL, 0, AM_ERR_PARSE,
     20, "Velocities"},
    {"more_atoms.data", DATA_HEAD ATOMS "1 1 1 1 1\n2 2 3 3 3\n3 1 5 5 5\n4 1 7 7 7\n", NULL, 0, AM_ERR_PARSE, 20,
     "section name"},
    {"duplicate_id.data", DATA_HEAD ATOMS "1 1 1 1 1\n2 2 3 3 3\n1 1 5 5 5\n", NULL, 0, AM_ERR_VALUE, 19, "unique"},
    {"zero_id.data", DATA_HEAD ATOMS "0 1 1 1 1\n2 2 3 3 3\n3 1 5 5 5\n", NULL, 0, AM_ERR_PARSE, 17, "'0'"},
    {"type_range.data", DATA_HEAD ATOMS "1 1 1 1 1\n2 3 3 3 3\n3 1 5 5 5\n", NULL, 0, AM_ERR_VALUE, 18, "'3'"},
    {"type_zero.data", DATA_HEAD ATOMS "1 0 1 1 1\n2 1 3 3 3\n3 1 5 5 5\n", NULL, 0, AM_ERR_VALUE, 17, "type"},
    {"non_numeric.data", DATA_HEAD ATOMS "1 1 1 1 1\n2 2 3 abc 3\n3 1 5 5 5\n", NULL, 0, AM_ERR_PARSE, 18, "'abc'"},
    {"trailing_garbage.data", DATA_HEAD ATOMS "1 1 1 1 1.0x\n2 2 3 3 3\n3 1 5 5 5\n", NULL, 0, AM_ERR_PARSE, 17,
     "'1.0x'"},
    {"nan.data", DATA_HEAD ATOMS "1 1 1 1 1\n2 2 3 3 3\n3 1 nan 5 5\n", NULL, 0, AM_ERR_PARSE, 19, "'nan'"},
    {"inf.data", DATA_HEAD ATOMS "1 1 1 1 1\n2 2 -inf 3 3\n3 1 5 5 5\n", NULL, 0, AM_ERR_PARSE, 18, "'-inf'"},
    {"overflow.data", DATA_HEAD ATOMS "1 1 1 1 1\n2 2 1e999 3 3\n3 1 5 5 5\n", NULL, 0, AM_ERR_PARSE, 18, "1e999"},
    {"float_image.data", DATA_HEAD ATOMS "1 1 1 1 1 0 0 0\n2 2 3 3 3 0.5 0 0\n3 1 5 5 5 0 0 0\n", NULL, 0,
     AM_ERR_PARSE, 18, "'0.5'"},
    {"columns.data", DATA_HEAD ATOMS "1 1 0.0 1 1 1\n2 2 3 3 3\n3 1 5 5 5\n", NULL, 0, AM_ERR_PARSE, 17, "5 or 8"},
    {"atom_style.data", DATA_HEAD "Atoms # charge\n\n1 1 0.0 1 1 1\n", NULL, 0, AM_ERR_UNSUPPORTED, 15, "'charge'"},
    {"far_outside.data", DATA_HEAD ATOMS "1 1 1 1 1\n2 2 3 3 3\n3 1 5 16 5\n", NULL, 0, AM_ERR_VALUE, 19,
     "half a box"},
    {"far_below.data", DATA_HEAD ATOMS "1 1 1 1 1\n2 2 3 3 -5.5\n3 1 5 5 5\n", NULL, 0, AM_ERR_VALUE, 18,
     "half a box"},
    {"overlap.data", DATA_HEAD ATOMS "1 1 1 1 1\n2 2 3 3 3\n3 1 1.2 1.1 1\n", NULL, 0, AM_ERR_VALUE, 19,
     "apart"},
    {"overlap_pbc.data", DATA_HEAD ATOMS "1 1 0.1 5 5\n2 2 3 3 3\n3 1 9.8 5 5\n", NULL, 0, AM_ERR_VALUE, 19,
     "apart"},
    {"mass_guess.data", "t\n\n1 atoms\n1 atom types\n0 9 xlo xhi\n0 9 ylo yhi\n0 9 zlo zhi\n\nMasses\n\n1 1.5\n\n"
                        "Atoms\n\n1 1 1 1 1\n", NULL, 0, AM_ERR_VALUE, 0, "--species"},
    {"no_masses.data", "t\n\n1 atoms\n1 atom types\n0 9 xlo xhi\n0 9 ylo yhi\n0 9 zlo zhi\n\nAtoms\n\n1 1 1 1 1\n",
     NULL, 0, AM_ERR_VALUE, 0, "--species"},
    {"unknown_species.data", "t\n\n1 atoms\n1 atom types\n0 9 xlo xhi\n0 9 ylo yhi\n0 9 zlo zhi\n\nAtoms\n\n"
                             "1 1 1 1 1\n", "Qq", 0, AM_ERR_VALUE, 0, "'Qq'"},
    {"few_species.data", DATA_HEAD ATOMS "1 1 1 1 1\n2 2 3 3 3\n3 1 5 5 5\n", "Cu", 0, AM_ERR_VALUE, 0, "Cu,Zr"},
    {"bad_species_list.data", DATA_HEAD ATOMS "1 1 1 1 1\n2 2 3 3 3\n3 1 5 5 5\n", "Cu,,Zr", 0, AM_ERR_VALUE, 0,
     "Cu,,Zr"},
    {"negative_mass.data", "t\n\n1 atoms\n1 atom types\n0 9 xlo xhi\n0 9 ylo yhi\n0 9 zlo zhi\n\nMasses\n\n1 -2\n",
     NULL, 0, AM_ERR_VALUE, 11, "'-2'"},
    {"mass_twice.data", "t\n\n1 atoms\n2 atom types\n0 9 xlo xhi\n0 9 ylo yhi\n0 9 zlo zhi\n\nMasses\n\n1 2\n1 3\n",
     NULL, 0, AM_ERR_VALUE, 12, "once"},
    {"vel_first.data", DATA_HEAD "Velocities\n\n1 0 0 0\n", NULL, 0, AM_ERR_PARSE, 15, "before"},
    {"vel_unknown_id.data", DATA_HEAD ATOMS "1 1 1 1 1\n2 2 3 3 3\n3 1 5 5 5\n\nVelocities\n\n1 0 0 0\n9 0 0 0\n",
     NULL, 0, AM_ERR_VALUE, 24, "'9'"},
    {"vel_twice.data", DATA_HEAD ATOMS "1 1 1 1 1\n2 2 3 3 3\n3 1 5 5 5\n\nVelocities\n\n1 0 0 0\n1 0 0 0\n",
     NULL, 0, AM_ERR_VALUE, 24, "one velocity"},
    {"vel_nan.data", DATA_HEAD ATOMS "1 1 1 1 1\n2 2 3 3 3\n3 1 5 5 5\n\nVelocities\n\n1 0 NaN 0\n", NULL, 0,
     AM_ERR_PARSE, 23, "'NaN'"},
    {"bonds.data", "t\n\n1 atoms\n4 bonds\n", NULL, 0, AM_ERR_UNSUPPORTED, 4, "bonds"},
    {"unknown_section.data", DATA_HEAD "Bonds\n\n1 1 1 2\n", NULL, 0, AM_ERR_UNSUPPORTED, 15, "'Bonds'"},
    {"two_atoms_sections.data", DATA_HEAD ATOMS "1 1 1 1 1\n2 2 3 3 3\n3 1 5 5 5\n\n" ATOMS "4 1 1 1 1\n", NULL, 0,
     AM_ERR_PARSE, 21, "once"},
    {"huge_count.data", "t\n\n999999999999 atoms\n1 atom types\n0 9 xlo xhi\n0 9 ylo yhi\n0 9 zlo zhi\n\nAtoms\n",
     NULL, 0, AM_ERR_PARSE, 9, "truncated"},
    {"frame.data", DATA_HEAD, NULL, 2, AM_ERR_VALUE, 0, "frame"},
    {"zero_atoms.data", "t\n\n0 atoms\n1 atom types\n0 9 xlo xhi\n0 9 ylo yhi\n0 9 zlo zhi\n", "Cu", 0, AM_ERR_VALUE, 3,
     "positive atom count"},
    {"huge_box.data", "t\n\n1 atoms\n1 atom types\n0 9 xlo xhi\n0 1e300 ylo yhi\n0 9 zlo zhi\n\nAtoms\n\n1 1 1 1 1\n",
     "Cu", 0, AM_ERR_VALUE, 6, "y edge"},
    {"huge_edge.data", "t\n\n1 atoms\n1 atom types\n-1e300 1e300 xlo xhi\n", "Cu", 0, AM_ERR_VALUE, 5, "x edge"},
    {"huge_tilt.data", "t\n\n1 atoms\n1 atom types\n0 9 xlo xhi\n0 9 ylo yhi\n0 9 zlo zhi\n0 -2e6 0 xy xz yz\n", "Cu", 0,
     AM_ERR_VALUE, 8, "tilt factor xz"},
    {"huge_image.data", DATA_HEAD ATOMS "1 1 1 1 1 0 0 0\n2 2 3 3 3 0 2147483647 0\n3 1 5 5 5 0 0 0\n", NULL, 0,
     AM_ERR_VALUE, 18, "image flag"},

    /* LAMMPS dumps */
    {"empty.dump", "", NULL, 0, AM_ERR_VALUE, 1, "0 frames"},
    {"no_natoms.dump", "ITEM: TIMESTEP\n0\nITEM: BOX BOUNDS pp pp pp\n0 1\n0 1\n0 1\nITEM: ATOMS id type x y z\n",
     "Cu", 0, AM_ERR_PARSE, 7, "NUMBER OF ATOMS"},
    {"no_box.dump", "ITEM: TIMESTEP\n0\nITEM: NUMBER OF ATOMS\n1\nITEM: ATOMS id type x y z\n", "Cu", 0,
     AM_ERR_PARSE, 5, "BOX BOUNDS"},
    {"bad_item.dump", "ITEM: TIMESTEP\n0\nITEM: NUMBER OF MOLECULES\n1\n", "Cu", 0, AM_ERR_PARSE, 3, NULL},
    {"not_a_dump.dump", "hello world\n", "Cu", 0, AM_ERR_PARSE, 1, "ITEM"},
    {"bad_timestep.dump", "ITEM: TIMESTEP\n0.5\n", "Cu", 0, AM_ERR_PARSE, 2, "'0.5'"},
    {"bad_flag.dump", "ITEM: TIMESTEP\n0\nITEM: NUMBER OF ATOMS\n1\nITEM: BOX BOUNDS pp px pp\n", "Cu", 0,
     AM_ERR_PARSE, 5, "'px'"},
    {"short_bounds.dump", "ITEM: TIMESTEP\n0\nITEM: NUMBER OF ATOMS\n1\nITEM: BOX BOUNDS pp pp pp\n0 1\n0\n", "Cu", 0,
     AM_ERR_PARSE, 7, NULL},
    {"tri_bounds.dump", "ITEM: TIMESTEP\n0\nITEM: NUMBER OF ATOMS\n1\nITEM: BOX BOUNDS xy xz yz pp pp pp\n0 1 0\n"
                        "0 1 0\n0 1\n", "Cu", 0, AM_ERR_PARSE, 8, NULL},
    {"no_species.dump", DUMP_HEAD "ITEM: ATOMS id type x y z\n1 1 1 1 1\n2 1 3 3 3\n", NULL, 0, AM_ERR_VALUE, 9,
     "--species"},
    {"no_pos.dump", DUMP_HEAD "ITEM: ATOMS id type x y\n1 1 1 1\n2 1 3 3\n", "Cu", 0, AM_ERR_PARSE, 9, "x y z"},
    {"no_type.dump", DUMP_HEAD "ITEM: ATOMS id x y z\n1 1 1 1\n2 3 3 3\n", "Cu", 0, AM_ERR_PARSE, 9, "type"},
    {"dup_column.dump", DUMP_HEAD "ITEM: ATOMS id type x y z x\n", "Cu", 0, AM_ERR_PARSE, 9, "once"},
    {"columns.dump", DUMP_HEAD "ITEM: ATOMS id type x y z\n1 1 1 1 1\n2 1 3 3\n", "Cu", 0, AM_ERR_PARSE, 11,
     "columns"},
    {"truncated.dump", DUMP_HEAD "ITEM: ATOMS id type x y z\n1 1 1 1 1\n", "Cu", 0, AM_ERR_PARSE, 10,
     "end of file"},
    {"type_range.dump", DUMP_HEAD "ITEM: ATOMS id type x y z\n1 1 1 1 1\n2 2 3 3 3\n", "Cu", 0, AM_ERR_VALUE, 11,
     "'2'"},
    {"dup_id.dump", DUMP_HEAD "ITEM: ATOMS id type x y z\n1 1 1 1 1\n1 1 3 3 3\n", "Cu", 0, AM_ERR_VALUE, 11,
     "unique"},
    {"nan_xs.dump", DUMP_HEAD "ITEM: ATOMS id type xs ys zs\n1 1 0.1 0.1 0.1\n2 1 0.5 nan 0.5\n", "Cu", 0,
     AM_ERR_PARSE, 11, "'nan'"},
    {"far_xs.dump", DUMP_HEAD "ITEM: ATOMS id type xs ys zs\n1 1 0.1 0.1 0.1\n2 1 0.5 2.5 0.5\n", "Cu", 0,
     AM_ERR_VALUE, 11, "half a box"},
    {"element_mismatch.dump", DUMP_HEAD "ITEM: ATOMS id type element x y z\n1 1 Cu 1 1 1\n2 1 Zr 3 3 3\n", NULL, 0,
     AM_ERR_VALUE, 11, "'Zr'"},
    {"unknown_element.dump", DUMP_HEAD "ITEM: ATOMS id type element x y z\n1 1 Cu 1 1 1\n2 2 Qq 3 3 3\n", NULL, 0,
     AM_ERR_VALUE, 0, "'Qq'"},
    {"overlap.dump", DUMP_HEAD "ITEM: ATOMS id type x y z\n1 1 1 1 1\n2 1 1 1 1.2\n", "Cu", 0, AM_ERR_VALUE, 11,
     "apart"},
    {"frame_range.dump", DUMP_HEAD "ITEM: ATOMS id type x y z\n1 1 1 1 1\n2 1 3 3 3\n", "Cu", 1, AM_ERR_VALUE, 11,
     "1 frame"},
    {"frame_neg.dump", DUMP_HEAD "ITEM: ATOMS id type x y z\n1 1 1 1 1\n2 1 3 3 3\n", "Cu", -2, AM_ERR_VALUE, 11,
     "1 frame"},
    {"second_frame_bad.dump", DUMP_HEAD "ITEM: ATOMS id type x y z\n1 1 1 1 1\n2 1 3 3 3\n" DUMP_HEAD
                              "ITEM: ATOMS id type x y z\n1 1 1 1 1\n", "Cu", -1, AM_ERR_PARSE, 21, "end of file"},
    {"huge.dump", "ITEM: TIMESTEP\n0\nITEM: NUMBER OF ATOMS\n123456789012\nITEM: BOX BOUNDS pp pp pp\n0 1\n0 1\n"
                  "0 1\nITEM: ATOMS id type x y z\n", "Cu", 0, AM_ERR_PARSE, 9, "truncated"},
    {"extra_atom.dump", DUMP_HEAD "ITEM: ATOMS id type x y z\n1 1 1 1 1\n2 1 3 3 3\n3 1 5 5 5\n", "Cu", 0,
     AM_ERR_PARSE, 12, "NUMBER OF ATOMS' on line 4"},
    {"extra_atom_first.dump", DUMP_HEAD "ITEM: ATOMS id type x y z\n1 1 1 1 1\n2 1 3 3 3\n3 1 5 5 5\n" DUMP_HEAD
                              "ITEM: ATOMS id type x y z\n1 1 1 1 1\n2 1 3 3 3\n", "Cu", -1, AM_ERR_PARSE, 12, "'3'"},
    {"missing_atom.dump", DUMP_HEAD "ITEM: ATOMS id type x y z\n1 1 1 1 1\n" DUMP_HEAD
                          "ITEM: ATOMS id type x y z\n1 1 1 1 1\n2 1 3 3 3\n", "Cu", 0, AM_ERR_PARSE, 11, "found 1"},
    {"zero_atoms.dump", "ITEM: TIMESTEP\n0\nITEM: NUMBER OF ATOMS\n0\nITEM: BOX BOUNDS pp pp pp\n0 1\n0 1\n0 1\n"
                        "ITEM: ATOMS id type x y z\n", "Cu", 0, AM_ERR_VALUE, 4, "at least one atom"},
    {"huge_box.dump", "ITEM: TIMESTEP\n0\nITEM: NUMBER OF ATOMS\n1\nITEM: BOX BOUNDS pp pp pp\n0 1\n0 1e300\n0 1\n"
                      "ITEM: ATOMS id type x y z\n1 1 0 0 0\n", "Cu", 0, AM_ERR_VALUE, 7, "y edge"},
    {"huge_tilt.dump", "ITEM: TIMESTEP\n0\nITEM: NUMBER OF ATOMS\n1\nITEM: BOX BOUNDS xy xz yz pp pp pp\n"
                       "0 2000001 2e6\n0 1 0\n0 1 0\n", "Cu", 0, AM_ERR_VALUE, 6, "tilt factor xy"},
    {"scaled_overflow.dump", DUMP_HEAD "ITEM: ATOMS id type xs ys zs\n1 1 0.1 0.1 0.1\n2 1 0.5 1e308 0.5\n", "Cu", 0,
     AM_ERR_VALUE, 11, "finite position"},

    /* extended XYZ */
    {"empty.xyz", "", NULL, 0, AM_ERR_PARSE, 1, "number of atoms"},
    {"count.xyz", "two\n", NULL, 0, AM_ERR_PARSE, 1, "'two'"},
    {"count_neg.xyz", "-2\n", NULL, 0, AM_ERR_PARSE, 1, "'-2'"},
    {"no_comment.xyz", "2\n", NULL, 0, AM_ERR_PARSE, 1, "comment"},
    {"lattice8.xyz", "1\nLattice=\"10 0 0 0 10 0 0 0\"\nCu 1 1 1\n", NULL, 0, AM_ERR_PARSE, 2, "Lattice"},
    {"lattice_nan.xyz", "1\nLattice=\"10 0 0 0 nan 0 0 0 10\"\nCu 1 1 1\n", NULL, 0, AM_ERR_PARSE, 2, "Lattice"},
    {"flat_lattice.xyz", "1\nLattice=\"10 0 0 20 0 0 0 0 10\"\nCu 1 1 1\n", NULL, 0, AM_ERR_VALUE, 2,
     "independent"},
    {"unclosed.xyz", "1\nLattice=\"10 0 0 0 10 0 0 0 10\nCu 1 1 1\n", NULL, 0, AM_ERR_PARSE, 2, "closing"},
    {"bad_pbc.xyz", "1\nLattice=\"10 0 0 0 10 0 0 0 10\" pbc=\"T T maybe\"\nCu 1 1 1\n", NULL, 0, AM_ERR_PARSE, 2,
     "pbc"},
    {"pbc_no_lattice.xyz", "1\npbc=\"T T T\"\nCu 1 1 1\n", NULL, 0, AM_ERR_PARSE, 2, "Lattice"},
    {"no_pos.xyz", "1\nLattice=\"10 0 0 0 10 0 0 0 10\" Properties=species:S:1:position:R:3\nCu 1 1 1\n", NULL,
     0, AM_ERR_PARSE, 2, "pos:R:3"},
    {"pos_int.xyz", "1\nLattice=\"10 0 0 0 10 0 0 0 10\" Properties=species:S:1:pos:I:3\nCu 1 1 1\n", NULL, 0,
     AM_ERR_PARSE, 2, "'pos'"},
    {"bad_props.xyz", "1\nLattice=\"10 0 0 0 10 0 0 0 10\" Properties=species:S:1:pos:R\nCu 1 1 1\n", NULL, 0,
     AM_ERR_PARSE, 2, "triples"},
    {"bad_prop_type.xyz", "1\nLattice=\"10 0 0 0 10 0 0 0 10\" Properties=species:S:1:pos:Q:3\nCu 1 1 1\n", NULL,
     0, AM_ERR_PARSE, 2, "'Q'"},
    {"unknown_species.xyz", XYZ_HEAD "Cu 1 1 1\nQq 3 3 3\n", NULL, 0, AM_ERR_VALUE, 0, "'Qq'"},
    {"not_in_list.xyz", XYZ_HEAD "Cu 1 1 1\nZr 3 3 3\n", "Cu,Ni", 0, AM_ERR_VALUE, 4, "'Zr'"},
    {"columns.xyz", XYZ_HEAD "Cu 1 1 1\nCu 3 3\n", NULL, 0, AM_ERR_PARSE, 4, "columns"},
    {"non_numeric.xyz", XYZ_HEAD "Cu 1 1 1\nCu 3 x3 3\n", NULL, 0, AM_ERR_PARSE, 4, "'x3'"},
    {"inf.xyz", XYZ_HEAD "Cu 1 1 1\nCu 3 3 Infinity\n", NULL, 0, AM_ERR_PARSE, 4, "'Infinity'"},
    {"truncated.xyz", XYZ_HEAD "Cu 1 1 1\n", NULL, 0, AM_ERR_PARSE, 3, "end of file"},
    {"bad_int_col.xyz", "2\nLattice=\"10 0 0 0 10 0 0 0 10\" Properties=species:S:1:pos:R:3:tag:I:1\n"
                        "Cu 1 1 1 0\nCu 3 3 3 1.5\n", NULL, 0, AM_ERR_PARSE, 4, "'1.5'"},
    {"bad_bool_col.xyz", "2\nLattice=\"10 0 0 0 10 0 0 0 10\" Properties=species:S:1:pos:R:3:fix:L:1\n"
                         "Cu 1 1 1 T\nCu 3 3 3 yes\n", NULL, 0, AM_ERR_PARSE, 4, "'yes'"},
    {"dup_id.xyz", "2\nLattice=\"10 0 0 0 10 0 0 0 10\" Properties=species:S:1:pos:R:3:id:I:1\n"
                   "Cu 1 1 1 5\nCu 3 3 3 5\n", NULL, 0, AM_ERR_VALUE, 4, "unique"},
    {"far.xyz", XYZ_HEAD "Cu 1 1 1\nCu 3 3 -6\n", NULL, 0, AM_ERR_VALUE, 4, "half a box"},
    {"overlap.xyz", XYZ_HEAD "Cu 1 1 1\nCu 1 1 1.3\n", NULL, 0, AM_ERR_VALUE, 4, "apart"},
    {"mass_mismatch.xyz", "2\nLattice=\"10 0 0 0 10 0 0 0 10\" Properties=species:S:1:pos:R:3:masses:R:1\n"
                          "Cu 1 1 1 63.5\nCu 3 3 3 64\n", NULL, 0, AM_ERR_VALUE, 4, "same mass"},
    {"frame_range.xyz", XYZ_HEAD "Cu 1 1 1\nCu 3 3 3\n", NULL, 1, AM_ERR_VALUE, 4, "1 frame"},
    {"second_frame.xyz", XYZ_HEAD "Cu 1 1 1\nCu 3 3 3\nx\n", NULL, -1, AM_ERR_PARSE, 5, "'x'"},
    {"extra_atom.xyz", XYZ_HEAD "Cu 1 1 1\nCu 3 3 3\nCu 5 5 5\n", NULL, 0, AM_ERR_PARSE, 5, "count on line 1"},
    {"extra_atom_first.xyz", XYZ_HEAD "Cu 1 1 1\nCu 3 3 3\nCu 5 5 5\n" XYZ_HEAD "Cu 1 1 1\nCu 3 3 3\n", NULL, -1,
     AM_ERR_PARSE, 5, "'Cu'"},
    {"missing_atom.xyz", XYZ_HEAD "Cu 1 1 1\n" XYZ_HEAD "Cu 1 1 1\nCu 3 3 3\n", NULL, 0, AM_ERR_PARSE, 4,
     "columns"},
    {"no_next_comment.xyz", XYZ_HEAD "Cu 1 1 1\nCu 3 3 3\n2\n", NULL, 0, AM_ERR_PARSE, 5, "comment line"},
    {"zero_atoms.xyz", "0\nLattice=\"10 0 0 0 10 0 0 0 10\"\n", NULL, 0, AM_ERR_VALUE, 1, "at least one atom"},
    {"huge_lattice.xyz", "1\nLattice=\"2e6 0 0 0 10 0 0 0 10\"\nCu 1 1 1\n", NULL, 0, AM_ERR_VALUE, 2, "at most"},
    {"huge_cluster.xyz", "2\nProperties=species:S:1:pos:R:3\nCu 0 0 0\nCu 0 0 2e6\n", NULL, 0, AM_ERR_VALUE, 1,
     "without Lattice"},
    {"rotated_overflow.xyz", "1\nLattice=\"7 7 0 -7 7 0 0 0 10\"\nCu 1.7e308 1.7e308 5\n", NULL, 0, AM_ERR_VALUE, 3,
     "finite position"},
    {"name_backtick.xyz", "1\nLattice=\"10 0 0 0 10 0 0 0 10\" Properties=species:S:1:pos:R:3:a`b:R:1\nCu 1 1 1 0\n",
     NULL, 0, AM_ERR_PARSE, 2, "'a`b'"},
    {"name_dollar.xyz", "1\nLattice=\"10 0 0 0 10 0 0 0 10\" Properties=species:S:1:pos:R:3:$HOME:R:1\nCu 1 1 1 0\n",
     NULL, 0, AM_ERR_PARSE, 2, "'$HOME'"},
    {"name_space.xyz", "1\nLattice=\"10 0 0 0 10 0 0 0 10\" Properties=\"species:S:1:pos:R:3:a b:R:1\"\nCu 1 1 1 0\n",
     NULL, 0, AM_ERR_PARSE, 2, "'a b'"},
    {"name_quote.xyz", "1\nLattice=\"10 0 0 0 10 0 0 0 10\" Properties=\"species:S:1:pos:R:3:a\\\"b:R:1\"\nCu 1 1 1 0\n",
     NULL, 0, AM_ERR_PARSE, 2, "'a\"b'"},
    {"name_digit.xyz", "1\nLattice=\"10 0 0 0 10 0 0 0 10\" Properties=species:S:1:pos:R:3:2x:R:1\nCu 1 1 1 0\n", NULL,
     0, AM_ERR_PARSE, 2, "'2x'"},
    {"name_dash.xyz", "1\nLattice=\"10 0 0 0 10 0 0 0 10\" Properties=species:S:1:pos:R:3:a-b:R:1\nCu 1 1 1 0\n", NULL,
     0, AM_ERR_PARSE, 2, "'a-b'"},
    {"name_empty.xyz", "1\nLattice=\"10 0 0 0 10 0 0 0 10\" Properties=species:S:1::R:3\nCu 1 1 1\n", NULL, 0,
     AM_ERR_PARSE, 2, "property name"},
};

static void check_case(const struct bad_case *c)
{
    const char *p = scratch_file(scratch, c->name);
    write_bytes(p, c->text, strlen(c->text));
    am_read_options o = {AM_FMT_AUTO, c->species, c->frame, 0.0, 0};
    am_system *s = NULL;
    am_status st = am_read(p, &o, &s);
    const char *msg = am_error_message();
    char where[256];
    snprintf(where, sizeof where, "%s:%d:", c->name, c->line);
    int ok = st == c->want && s == NULL && strstr(msg, c->name) && (c->line == 0 || strstr(msg, where)) &&
             (!c->also || strstr(msg, c->also));
    check_true(ok, "%s: %s (%s)", c->name, am_status_name(c->want), msg);
    if (st != c->want) printf("  got status %s\n", am_status_name(st));
    am_system_free(s);
}

static unsigned long long rng = 0x9E3779B97F4A7C15ULL;
static unsigned next_rand(void)
{
    rng ^= rng << 13;
    rng ^= rng >> 7;
    rng ^= rng << 17;
    return (unsigned)(rng >> 32);
}

/* Reads a file and accepts any outcome except a crash, a leak (under ASan) or
 * a failure without a message naming the file. */
static int survives(const char *path, am_format fmt, const char *species, long frame)
{
    am_read_options o = {fmt, species, frame, 0.0, 0};
    am_system *s = NULL;
    am_status st = am_read(path, &o, &s);
    int ok = st == AM_OK ? s != NULL : (s == NULL && strstr(am_error_message(), path) != NULL);
    if (!ok) printf("  %s: status %s, message '%s'\n", path, am_status_name(st), am_error_message());
    am_system_free(s);
    return ok;
}

static void fuzz_file(const char *src, const char *ext, const char *species)
{
    size_t n;
    char *orig = read_bytes(src, &n);
    if (!check_true(orig != NULL, "read %s", src)) return;
    char name[64];
    snprintf(name, sizeof name, "fuzz.%s", ext);
    const char *p = scratch_file(scratch, name);
    char *buf = malloc(n + 1);
    int all = 1, truncs = 0, muts = 0;
    check_set_verbose(0);
    /* every truncation point */
    for (size_t cut = 0; cut < n; cut++) {
        write_bytes(p, orig, cut);
        all &= survives(p, AM_FMT_AUTO, species, cut % 3 == 0 ? -1 : 0);
        truncs++;
    }
    /* random corruptions: bytes flipped, deleted, digits replaced */
    for (int k = 0; k < 1500; k++) {
        memcpy(buf, orig, n);
        size_t len = n;
        int edits = 1 + (int)(next_rand() % 4);
        for (int e = 0; e < edits && len > 0; e++) {
            size_t at = next_rand() % len;
            switch (next_rand() % 5) {
            case 0: buf[at] = (char)(next_rand() & 0xff); break;
            case 1: memmove(buf + at, buf + at + 1, len - at - 1); len--; break;
            case 2: buf[at] = "0123456789-.e \n#\"=:"[next_rand() % 19]; break;
            case 3: buf[at] = '\0'; break;
            default: if (buf[at] >= '0' && buf[at] <= '9') buf[at] = (char)('0' + next_rand() % 10); break;
            }
        }
        write_bytes(p, buf, len);
        all &= survives(p, AM_FMT_AUTO, species, (long)(next_rand() % 3) - 1);
        muts++;
    }
    check_set_verbose(1);
    check_true(all, "%s: %d truncations and %d corruptions handled", src, truncs, muts);
    free(buf);
    free(orig);
}

static void test_garbage(void)
{
    char *buf = malloc(1 << 16);
    int all = 1;
    check_set_verbose(0);
    static const am_format fmts[4] = {AM_FMT_AUTO, AM_FMT_LAMMPS_DATA, AM_FMT_LAMMPS_DUMP, AM_FMT_EXTXYZ};
    for (int k = 0; k < 200; k++) {
        size_t len = next_rand() % (1 << 16);
        for (size_t i = 0; i < len; i++) {
            unsigned r = next_rand();
            /* half the files printable, so more of them get past the first line */
            buf[i] = (k % 2) ? (char)(r & 0xff) : " \n0123456789.-eITEM:atomsxyz"[r % 28];
        }
        write_bytes(scratch_file(scratch, "garbage"), buf, len);
        all &= survives(scratch_file(scratch, "garbage"), fmts[k % 4], (k % 3) ? "Cu,Zr" : NULL, 0);
    }
    check_set_verbose(1);
    check_true(all, "random binary and text garbage handled by every reader");
    /* a directory, a missing file */
    am_system *s = NULL;
    am_read_options o = {AM_FMT_LAMMPS_DATA, NULL, 0, 0.0, 0};
    check_true(am_read(scratch, &o, &s) == AM_ERR_IO && !s, "directory: AM_ERR_IO (%s)", am_error_message());
    check_true(am_read(scratch_file(scratch, "missing.data"), NULL, &s) == AM_ERR_IO &&
                   strstr(am_error_message(), "missing.data"),
               "missing file: AM_ERR_IO (%s)", am_error_message());
    check_true(am_read(NULL, NULL, &s) == AM_ERR_VALUE, "NULL path rejected");
    o.min_distance = NAN;
    check_true(am_read(scratch_file(scratch, "missing.data"), &o, &s) == AM_ERR_VALUE, "NaN min_distance rejected");
    free(buf);
}

/* Frames that LAMMPS writes with dump_modify units / time start with
 * ITEM: UNITS or ITEM: TIME, not ITEM: TIMESTEP: still frame boundaries. */
static void test_dump_frame_starts(void)
{
    const char *p = scratch_file(scratch, "time.dump");
    const char *text = "ITEM: UNITS\nmetal\nITEM: TIME\n0\n" DUMP_HEAD "ITEM: ATOMS id type x y z\n1 1 1 1 1\n2 1 3 3 3\n"
                       "ITEM: TIME\n0.5\n" DUMP_HEAD "ITEM: ATOMS id type x y z\n1 1 1 1 1\n2 1 3 3 4\n";
    write_bytes(p, text, strlen(text));
    for (long frame = 0; frame >= -1; frame--) {
        am_read_options o = {AM_FMT_AUTO, "Cu", frame, 0.0, 0};
        am_system *s = NULL;
        am_status st = am_read(p, &o, &s);
        check_true(st == AM_OK && s && s->n == 2 && s->z[1] == (frame ? 4.0 : 3.0),
                   "dump with ITEM: UNITS / ITEM: TIME, frame %ld (%s)", frame, st ? am_error_message() : "ok");
        am_system_free(s);
    }
}

/* 20 000 atoms of a dense liquid: speed and the cell-list overlap check. */
static void test_large(void)
{
    const size_t n = 20000;
    am_system *s;
    if (am_system_alloc(n, 1, &s) != AM_OK) return;
    double L = cbrt((double)n / 0.06);
    for (int d = 0; d < 3; d++) s->box.len[d] = L;
    s->box.tilt[0] = 0.1 * L;
    s->nspecies = 2;
    strcpy(s->species[0].name, "Cu");
    s->species[0].mass = 63.546;
    strcpy(s->species[1].name, "Zr");
    s->species[1].mass = 91.224;
    int m = (int)ceil(cbrt((double)n));
    for (size_t i = 0; i < n; i++) {
        double f[3] = {((double)(i % (size_t)m) + 0.5) / m, ((double)(i / (size_t)m % (size_t)m) + 0.5) / m,
                       ((double)(i / ((size_t)m * m)) + 0.5) / m}, r[3];
        for (int d = 0; d < 3; d++) f[d] += 0.3 / m * ((double)(next_rand() % 1000) / 1000.0 - 0.5);
        am_box_from_frac(&s->box, f, r);
        s->x[i] = r[0];
        s->y[i] = r[1];
        s->z[i] = r[2];
        s->type[i] = (int)(next_rand() % 2);
        s->vx[i] = s->vy[i] = s->vz[i] = 1.0 / (double)(i + 1);
    }
    const char *p = scratch_file(scratch, "large.data");
    check_true(am_write(p, AM_FMT_AUTO, s) == AM_OK, "write 20000 atoms");
    am_system *b = NULL;
    double best = 1e9;
    for (int rep = 0; rep < 3; rep++) {
        struct timespec t0, t1;
        /* CPU time: the bound is about the reader, not about what else the machine runs */
        clock_gettime(CLOCK_PROCESS_CPUTIME_ID, &t0);
        am_status st = am_read(p, NULL, &b);
        clock_gettime(CLOCK_PROCESS_CPUTIME_ID, &t1);
        check_true(st == AM_OK, "read 20000 atoms (%s)", st ? am_error_message() : "ok");
        double dt = (double)(t1.tv_sec - t0.tv_sec) + 1e-9 * (double)(t1.tv_nsec - t0.tv_nsec);
        if (dt < best) best = dt;
        am_system_free(b);
        b = NULL;
    }
    printf("reading a 20000-atom data file with velocities: %.1f ms\n", best * 1e3);
#if defined(__SANITIZE_ADDRESS__) || !defined(__OPTIMIZE__)
    /* sanitized or unoptimized builds only report the time */
    check_true(best < 2.0, "20000-atom read finishes (%.3f s, unoptimized or sanitized build)", best);
#else
    check_true(best < 0.1, "20000-atom read well under 0.1 s (%.3f s)", best);
#endif
    /* the cell list must find a single close pair among 20 000 atoms */
    s->x[12345] = s->x[4321] + 0.2;
    s->y[12345] = s->y[4321];
    s->z[12345] = s->z[4321];
    p = scratch_file(scratch, "large_overlap.data");
    check_true(am_write(p, AM_FMT_AUTO, s) == AM_OK, "write with one close pair");
    am_status st = am_read(p, NULL, &b);
    check_true(st == AM_ERR_VALUE && strstr(am_error_message(), "apart"), "single close pair found (%s)",
               am_error_message());
    am_system_free(b);
    am_system_free(s);
}

int main(void)
{
    scratch = scratch_dir("io_bad");
    for (size_t k = 0; k < sizeof cases / sizeof cases[0]; k++) check_case(&cases[k]);
    fuzz_file(io_data_path("comments.data"), "data", NULL);
    fuzz_file(io_data_path("lammps_tri_el.dump"), "dump", NULL);
    fuzz_file(io_data_path("ase_frames.xyz"), "xyz", NULL);
    test_garbage();
    test_dump_frame_starts();
    test_large();
    return check_exit();
}
