/* Moves the abuse engine's sampled decisions from the workers' rings to PostgreSQL
 * (abuse_decisions). Part of the flusher. A ring's entries are released only once they are
 * committed, so a crash or a database outage loses none; a full ring drops new samples and
 * counts them. */
#ifndef APP_SAMPLES_H
#define APP_SAMPLES_H

#include "../../lib/err.h"
#include "../app.h"

struct sql;

/* Writes what the rings hold (in batches), then releases it. ERR_DB leaves it in place. */
enum err samples_flush(struct app *app, struct sql *db) WUR;

#endif
