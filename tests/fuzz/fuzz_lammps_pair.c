/* Fuzz target: files of LAMMPS pair commands (--pair-file, the "lammps"
 * kind). What passes must be safe to hand to LAMMPS: only pair commands, of
 * the allowed characters, with a pair_style among them, in metal or lj
 * units. The potential's hash is not taken: it reads the files the commands
 * name, which here are whatever the fuzzer wrote. */
#include "fuzz_util.h"
#include "potential/lammps_lib.h"

#include <string.h>

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    const char *path = fuzz_file(0, data, size);
    am_potential *p = NULL;
    am_status st = am_potential_read(path, AM_LAMMPS, &p);
    if (st) {
        fuzz_require(p == NULL, "no potential after a failure");
        fuzz_check_failure(st, path);
        return 0;
    }
    fuzz_require(strcmp(am_potential_kind(p), "lammps") == 0 && am_potential_nelements(p) == 0,
                 "a lammps potential without elements of its own");
    const char *units = am_potential_units(p);
    fuzz_require(strcmp(units, "metal") == 0 || strcmp(units, "lj") == 0, "metal or lj units");
    am_system *s = NULL;
    fuzz_require(am_system_alloc(1, 0, &s) == AM_OK, "a system");
    s->nspecies = 1;
    strcpy(s->species[0].name, "Si");
    s->species[0].mass = 28.0855;
    char **cmds = NULL;
    int ncmd = 0, styles = 0;
    fuzz_require(am_potential_lammps_commands(p, s, &cmds, &ncmd) == AM_OK && ncmd >= 1, "its commands");
    for (int k = 0; k < ncmd; k++) {
        fuzz_require(am_lmp_check_command(cmds[k], "fuzz") == AM_OK, "every command passes the engine's checks");
        styles += strncmp(cmds[k], "pair_style ", 11) == 0;
    }
    fuzz_require(styles >= 1, "a pair_style");
    am_strings_free(cmds, ncmd);
    am_system_free(s);
    am_potential_free(p);
    return 0;
}
