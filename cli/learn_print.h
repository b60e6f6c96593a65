/* amorph learn's output: the study's and the prediction's tables as text
 * and as one JSON object. */
#ifndef AM_CLI_LEARN_PRINT_H
#define AM_CLI_LEARN_PRINT_H

#include "amorph/amorph.h"

#include <stdio.h>

void learn_print_study(FILE *f, const am_learn_result *r, const am_learn_options *o, const char *saved);
void learn_print_study_json(FILE *f, const am_learn_result *r, const am_learn_options *o, const char *saved);
/* a: the scores where the tables hold the target, else NULL */
void learn_print_prediction(FILE *f, const char *model_path, const am_learn_model *m, size_t n,
                            const am_learn_assessment *a, double tail);
void learn_print_prediction_json(FILE *f, const char *model_path, const am_learn_model *m, size_t n,
                                 const am_learn_assessment *a);

#endif
