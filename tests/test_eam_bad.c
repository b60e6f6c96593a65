/* Bad EAM potential files (funcfl, setfl, Finnis-Sinclair): every case must
 * fail with the right status and a message naming the file, the line and
 * what was expected, before allocating what a hostile count asks for. The
 * small valid files the cases are made from must read. */
#include "amorph/amorph.h"
#include "util/build.h"
#include "util/check.h"

#include <stdio.h>
#include <string.h>

/* six points per table: the smallest funcfl file LAMMPS resamples to five */
#define TABLE6 "0 -1 -2 -3 -4 -5\n"
#define ONES6 "1 1 1 1 1 1\n"
#define FUNCFL(grid, values) "funcfl test\n29 63.546 3.615 fcc\n" grid "\n" values
#define FUNCFL_VALUES TABLE6 ONES6 ONES6
/* setfl: three comment lines, elements on line 4, grid on line 5, the first
 * element line on line 6 */
#define SETFL(elements, grid, first)                                                                              \
    "setfl test\n\n\n" elements "\n" grid "\n" first "\n" TABLE6 ONES6 "40 91.224 3.2 hcp\n" TABLE6 ONES6 \
    "3 2 1 0 0 0\n3 2 1 0 0 0\n3 2 1 0 0 0\n"
#define GRID6 "6 0.1 6 0.5 2.5"

static const bad_case cases[] = {
    {"nr5.eam", FUNCFL("6 0.1 5 0.5 2.0", FUNCFL_VALUES), AM_ERR_VALUE, 3, "Nr >= 6"},
    {"huge_nrho.eam", FUNCFL("2000000000 0.1 6 0.5 2.5", FUNCFL_VALUES), AM_ERR_PARSE, 3, "bytes left"},
    {"grid_overflow.eam", FUNCFL("6 1e308 6 0.5 2.5", FUNCFL_VALUES), AM_ERR_VALUE, 3, "finite"},
    {"denormal_dr.eam", FUNCFL("6 0.1 6 1e-320 2.5", FUNCFL_VALUES), AM_ERR_VALUE, 3, "inverses"},
    {"cut_vs_dr.eam", FUNCFL("6 0.1 6 1e-9 2.5", FUNCFL_VALUES), AM_ERR_VALUE, 3, "1e9 grid spacings"},
    {"nan_value.eam", FUNCFL(GRID6, "0 -1 -2 nan -4 -5\n" ONES6 ONES6), AM_ERR_PARSE, 4, "'nan'"},
    {"truncated.eam", FUNCFL(GRID6, TABLE6 ONES6 "1 1 1 1 1\n"), AM_ERR_PARSE, 7, "value 6 of 6"},
    {"cut_short.eam", FUNCFL(GRID6, TABLE6 ONES6 "1 1"), AM_ERR_PARSE, 5, "bytes left"},
    {"bad_name.eam.alloy", SETFL("2 Cu Z,r", GRID6, "29 63.546"), AM_ERR_VALUE, 4, "'Z,r'"},
    {"same_name.eam.alloy", SETFL("2 Cu Cu", GRID6, "29 63.546"), AM_ERR_VALUE, 4, "each element once"},
    {"many_elements.eam.alloy", SETFL("17 Cu Zr", GRID6, "29 63.546"), AM_ERR_VALUE, 4, "1..16 elements"},
    {"inf_mass.eam.alloy", SETFL("2 Cu Zr", GRID6, "29 inf"), AM_ERR_PARSE, 6, "element line"},
    {"zero_mass.eam.alloy", SETFL("2 Cu Zr", GRID6, "29 0"), AM_ERR_VALUE, 6, "positive mass"},
    {"huge_z.eam.alloy", SETFL("2 Cu Zr", GRID6, "99999999999 63.546"), AM_ERR_PARSE, 6, "element line"},
    {"huge_nr.eam.alloy", SETFL("2 Cu Zr", "6 0.1 1000000000 0.5 2.5", "29 63.546"), AM_ERR_PARSE, 7, "bytes left"},
    {"setfl_as_fs.eam.fs", SETFL("2 Cu Zr", GRID6, "29 63.546"), AM_ERR_PARSE, 9, "'hcp'"},
};

int main(void)
{
    const char *dir = scratch_dir("eam_bad");
    static const struct {
        const char *name, *text;
    } good[] = {{"good.eam", FUNCFL(GRID6, FUNCFL_VALUES)}, {"good.eam.alloy", SETFL("2 Cu Zr", GRID6, "29 63.546")}};
    for (size_t k = 0; k < sizeof good / sizeof *good; k++) {
        const char *p = scratch_file(dir, good[k].name);
        write_bytes(p, good[k].text, strlen(good[k].text));
        am_potential *pot = NULL;
        check_true(am_potential_read(p, AM_EAM_AUTO, &pot) == AM_OK && pot, "%s reads (%s)", good[k].name,
                   am_error_message());
        am_potential_free(pot);
    }
    for (size_t k = 0; k < sizeof cases / sizeof *cases; k++) {
        check_bad_potential(dir, &cases[k], strlen(cases[k].text));
    }
    /* two funcfl files of one element: the second is named */
    const char *a = scratch_file(dir, "good.eam"), *b = scratch_file(dir, "copy.eam");
    write_bytes(b, FUNCFL(GRID6, FUNCFL_VALUES), strlen(FUNCFL(GRID6, FUNCFL_VALUES)));
    char list[8192];
    snprintf(list, sizeof list, "%s,%s", a, b);
    am_potential *pot = NULL;
    check_true(am_potential_read(list, AM_EAM_FUNCFL, &pot) == AM_ERR_VALUE && !pot &&
                   strstr(am_error_message(), "copy.eam: element Cu"),
               "the same element in two funcfl files (%s)", am_error_message());
    am_potential_free(pot);
    return check_exit();
}
