/* The collector: reads Caddy's JSON access log from a file (TOLLGATE_ACCESS_LOG) as Caddy
 * appends to it, joins each entry to the gate's decision by request id, and adds
 * post-response facts to the key's usage: status class, latency, response bytes, and the
 * upstream's usage report (X-Usage-Tokens, X-Usage-Cost, as headers or trailers). A
 * malformed or hostile line is counted and skipped.
 *
 * Why a file: Caddy's writes never wait for the collector (a stalled reader cannot freeze
 * traffic), and nothing is lost when the collector, the master or Caddy restarts: where the
 * collector has read to, and the decisions not yet joined, live in shared memory, and a
 * line applied twice finds its decision already taken. The part already read is given back
 * to the file system (a hole), so the file needs no rotation. */
#ifndef APP_COLLECTOR_H
#define APP_COLLECTOR_H

#include <signal.h>
#include <stddef.h>

#include "../app.h"

#define COLLECTOR_MAX_LINE (64 * 1024) /* longer lines are counted malformed and skipped */

/* Follows the access log until *stop, then applies what is left. */
int collector_run(struct app *app, volatile sig_atomic_t *stop);

/* Handles one log line (without its newline); exposed for tests. */
void collector_line(struct app *app, const char *line, size_t len);

#endif
