/* One function per verb, in pipeline order. Each returns the exit status. */
#ifndef AM_CLI_COMMANDS_H
#define AM_CLI_COMMANDS_H

int cmd_energy(int argc, char **argv);
int cmd_minimize(int argc, char **argv);
int cmd_md(int argc, char **argv);
int cmd_quench(int argc, char **argv);
int cmd_tg(int argc, char **argv);
int cmd_describe(int argc, char **argv);
int cmd_modes(int argc, char **argv);
int cmd_vibrate(int argc, char **argv);
int cmd_artn(int argc, char **argv);
int cmd_artn_summary(int argc, char **argv);
int cmd_analyze(int argc, char **argv);
int cmd_learn(int argc, char **argv);
int cmd_study(int argc, char **argv);

#endif
