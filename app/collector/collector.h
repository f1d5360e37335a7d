/* The collector: reads Caddy's JSON access log from a unix socket (several connections,
 * never blocking on anything else, so Caddy's synchronous log writes never stall traffic),
 * joins each entry to the gate's decision by request id, and adds post-response facts to
 * the key's usage: status class, latency, response bytes, and the upstream's usage report
 * (X-Usage-Tokens, X-Usage-Cost, as headers or trailers). A malformed or hostile line is
 * counted and skipped. */
#ifndef APP_COLLECTOR_H
#define APP_COLLECTOR_H

#include <signal.h>
#include <stddef.h>

#include "../app.h"

#define COLLECTOR_MAX_LINE (64 * 1024) /* longer lines are counted malformed and skipped */

/* Serves on listen_fd (opened by the master before Caddy starts) until *stop. */
int collector_run(struct app *app, int listen_fd, volatile sig_atomic_t *stop);

/* Handles one log line (without its newline); exposed for tests. */
void collector_line(struct app *app, const char *line, size_t len);

#endif
