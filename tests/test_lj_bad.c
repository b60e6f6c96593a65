/* Bad Lennard-Jones potential files (.lj): every case must fail with the
 * right status and a message naming the file, the line (where there is
 * one) and what was expected. The files the cases are made from, and the
 * shipped one, must read. */
#include "amorph/amorph.h"
#include "util/build.h"
#include "util/check.h"

#include <stdio.h>
#include <string.h>

#define HEAD "types A B\npair_style lj/cut 2.5\n"
#define LIKE "pair_coeff A A 1 1\npair_coeff B B 0.5 0.88\n"

static const bad_case cases[] = {
    {"unknown_command.lj", HEAD "pair_coeff A A 1 1\nneighbor 0.3 bin\n", AM_ERR_PARSE, 4, "expected a command"},
    {"coeff_before_types.lj", "pair_style lj/cut 2.5\npair_coeff 1 1 1 1\n", AM_ERR_PARSE, 2, "types line before"},
    {"coeff_before_style.lj", "types A\npair_coeff A A 1 1\n", AM_ERR_PARSE, 2, "pair_style lj/cut before"},
    {"modify_before_style.lj", "types A\npair_modify shift yes\n", AM_ERR_PARSE, 2, "pair_style lj/cut before"},
    {"other_style.lj", "types A\npair_style lj/cut/coul/cut 2.5\n", AM_ERR_VALUE, 2, "'lj/cut/coul/cut'"},
    {"style_twice.lj", HEAD "pair_style lj/cut 3.0\n", AM_ERR_PARSE, 3, "one pair_style line"},
    {"style_no_cut.lj", "types A\npair_style lj/cut\n", AM_ERR_PARSE, 2, "too few words"},
    {"zero_cut.lj", "types A\npair_style lj/cut 0\n", AM_ERR_VALUE, 2, "global cutoff"},
    {"zero_sigma.lj", HEAD "pair_coeff A A 1 0\n", AM_ERR_VALUE, 3, "sigma"},
    {"nan_epsilon.lj", HEAD "pair_coeff A A nan 1\n", AM_ERR_VALUE, 3, "epsilon"},
    {"negative_epsilon.lj", HEAD "pair_coeff A A -1 1\n", AM_ERR_VALUE, 3, "epsilon"},
    {"inf_pair_cut.lj", HEAD "pair_coeff A A 1 1 inf\n", AM_ERR_VALUE, 3, "pair's cutoff"},
    {"coeff_words.lj", HEAD "pair_coeff A A 1 1 2.5 9\n", AM_ERR_PARSE, 3, "too many words"},
    {"type_number.lj", HEAD "pair_coeff 3 3 1 1\n", AM_ERR_VALUE, 3, "from 1 to 2"},
    {"type_name.lj", HEAD "pair_coeff A C 1 1\n", AM_ERR_VALUE, 3, "'C'"},
    {"missing_like_pair.lj", HEAD "pair_coeff A A 1 1\npair_coeff A B 1 1\n", AM_ERR_VALUE, 0, "none for B B"},
    {"no_types.lj", "pair_style lj/cut 2.5\n", AM_ERR_PARSE, 0, "types line"},
    {"no_style.lj", "types A\n", AM_ERR_PARSE, 0, "pair_style lj/cut line"},
    {"empty.lj", "# nothing\n\n", AM_ERR_PARSE, 0, "types line"},
    {"same_names.lj", "types A A\n", AM_ERR_VALUE, 1, "distinct type names"},
    {"bad_name.lj", "types A 2B\n", AM_ERR_VALUE, 1, "'2B'"},
    {"many_types.lj", "types a b c d e f g h i j k l m n o p q\n", AM_ERR_PARSE, 1, "1 to 16 names"},
    {"types_twice.lj", "types A\ntypes B\n", AM_ERR_PARSE, 2, "one types line"},
    {"units_metal.lj", "units metal\n", AM_ERR_VALUE, 1, "units lj"},
    {"zero_mass.lj", "types A\nmass A 0\n", AM_ERR_VALUE, 2, "a mass"},
    {"mass_before_types.lj", "mass 1 1.0\n", AM_ERR_PARSE, 1, "types line before"},
    {"shift_maybe.lj", HEAD "pair_modify shift maybe\n", AM_ERR_VALUE, 3, "shift yes or shift no"},
    {"mix_sixthpower.lj", HEAD "pair_modify mix sixthpower\n", AM_ERR_VALUE, 3, "mix geometric or mix arithmetic"},
    {"modify_tail.lj", HEAD "pair_modify tail yes\n", AM_ERR_VALUE, 3, "'tail'"},
    {"modify_odd.lj", HEAD "pair_modify shift yes mix\n", AM_ERR_PARSE, 3, "in pairs"},
    {"binary.lj", "types A\0B\n", AM_ERR_PARSE, 1, ""},
};

int main(void)
{
    const char *dir = scratch_dir("lj_bad");
    static const char *const good[] = {HEAD LIKE, "# comment only\n\n" HEAD "pair_coeff * * 1 1 # all pairs\n",
                                       "units lj\ntypes A B\nmass * 2\npair_style lj/cut 2.5\npair_coeff 2 1 1 1\n"
                                       "pair_modify mix arithmetic shift no\n" LIKE};
    for (size_t k = 0; k < sizeof good / sizeof *good; k++) {
        char name[32];
        snprintf(name, sizeof name, "good%zu.lj", k);
        const char *p = scratch_file(dir, name);
        write_bytes(p, good[k], strlen(good[k]));
        am_potential *pot = NULL;
        check_true(am_potential_read(p, AM_EAM_AUTO, &pot) == AM_OK && pot && am_potential_nelements(pot) == 2 &&
                       strcmp(am_potential_element(pot, 1), "B") == 0,
                   "%s reads, types A B (%s)", name, am_error_message());
        am_potential_free(pot);
    }
    am_potential *ka = NULL;
    check_true(am_potential_open("kob-andersen", AM_EAM_AUTO, &ka) == AM_OK && am_potential_cutoff(ka) == 2.5 &&
                   am_potential_mass(ka, 0) == 1.0 && strcmp(am_potential_units(ka), "lj") == 0,
               "the shipped kob-andersen reads: cutoff 2.5, mass 1, lj units (%s)", am_error_message());
    am_potential_free(ka);

    for (size_t k = 0; k < sizeof cases / sizeof *cases; k++) {
        const bad_case *c = &cases[k];
        /* the binary case holds a NUL: its length is that of the literal */
        check_bad_potential(dir, c, strcmp(c->name, "binary.lj") == 0 ? sizeof "types A\0B\n" - 1 : strlen(c->text));
    }
    return check_exit();
}
