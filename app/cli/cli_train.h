/* `tollgate train`: trains (and, if it is better, activates) an abuse model from labels. */
#ifndef APP_CLI_TRAIN_H
#define APP_CLI_TRAIN_H

#include "../config.h"

int cli_train(const struct config *cfg, int argc, char **argv);

#endif
