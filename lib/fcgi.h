/* FastCGI responder: the listening socket, accept loop, request parameters and body, and
 * the response, over libfcgi. Handlers see struct fcgi_request / fcgi_response only, so
 * tests build those without a socket. */
#ifndef LIB_FCGI_H
#define LIB_FCGI_H

#include <stdbool.h>
#include <stddef.h>
#include <signal.h>
#include <stdint.h>

#include "arena.h"
#include "buf.h"
#include "err.h"
#include "str.h"

struct fcgi_request {
	char **envp;	     /* NAME=VALUE strings; borrowed from libfcgi or a test */
	struct arena *arena; /* owns everything allocated for this request */
	void *io;	     /* the libfcgi request, NULL when built by a test */
	struct str body;     /* set by fcgi_read_body(), or by a test */
	bool body_read;
	bool streamed;	     /* the answer was sent by fcgi_stream_*() */
	int64_t deadline_ns; /* CLOCK_MONOTONIC: input must have arrived by then; 0: none */
};

/* The value of a parameter, or NULL. */
const char *fcgi_param(const struct fcgi_request *rq, const char *name);
/* Reads the request body into the arena: CONTENT_LENGTH bytes, or up to the end of the
 * input when none is declared (a chunked upload). ERR_TOOBIG if it is over max,
 * ERR_INPUT if it is shorter than declared, ERR_TIMEOUT if it has not all arrived by the
 * request's deadline. */
enum err fcgi_read_body(struct fcgi_request *rq, size_t max) WUR;

struct fcgi_response {
	int status;
	struct buf head; /* header lines, each "Name: value\r\n" */
	struct buf body;
};

void fcgi_response_init(struct fcgi_response *rs, size_t max_head, size_t max_body);
void fcgi_response_reset(struct fcgi_response *rs);
void fcgi_response_free(struct fcgi_response *rs);
/* Adds a header. A value with CR or LF is refused (it would split the header block). */
bool fcgi_header(struct fcgi_response *rs, const char *name, const char *value);
bool fcgi_headerf(struct fcgi_response *rs, const char *name, const char *fmt, ...)
    __attribute__((format(printf, 3, 4)));
/* Looks up a header already added (tests and the router use it); NULL if absent. The
 * returned slice points into the response. */
bool fcgi_response_header_get(const struct fcgi_response *rs, const char *name, struct str *value);
/* Streaming an answer as it is made (after the body was read): fcgi_stream_begin() sends
 * rs's status and header lines at once, fcgi_stream_write() sends bytes and flushes them
 * to the web server. Both return false once the web server's connection is gone (the
 * client left): stop then. A write waits at most write_timeout_ms for a web server that
 * does not read. fcgi_server_respond() then only ends the request. For a request built by
 * a test (io NULL), the bytes are appended to rs->body. */
bool fcgi_stream_begin(struct fcgi_request *rq, struct fcgi_response *rs, int64_t write_timeout_ms);
bool fcgi_stream_write(struct fcgi_request *rq, struct fcgi_response *rs, const char *p, size_t n);
/* False when the web server has closed its end of the request's connection (looked at
 * without reading); true for a request built by a test. */
bool fcgi_peer_alive(const struct fcgi_request *rq);

/* Reason phrase for a status code ("Unauthorized"). */
const char *fcgi_reason(int status);

/* Opens a unix stream socket at path (a stale socket file is replaced) with the given
 * file mode. Returns the descriptor, or -1 with msg set. */
int fcgi_listen(const char *path, int backlog, unsigned mode, char *msg, size_t msglen);

struct fcgi_server;

/* How a pool treats the input of its requests. */
struct fcgi_server_opts {
	/* Every request's input (parameters and body) must arrive within this many ms of
	 * its accept; a read blocks no longer than what is left. 0: no deadline. */
	int64_t read_timeout_ms;
	/* Most of an unread body swallowed before answering; past it the connection is
	 * closed without reading the rest. */
	size_t drain_max;
	/* Signals that may interrupt the wait for the next request (a stop). The caller keeps
	 * them blocked (before fcgi_server_new): they are let in only while
	 * fcgi_server_accept() waits, so they never interrupt the reading of a request
	 * (libfcgi takes an interrupted read of the parameters for their end, and would hand
	 * over a request missing some). */
	sigset_t wake_signals;
};

/* Prepares the accept loop on a socket from fcgi_listen (in the process that accepts). */
enum err fcgi_server_new(int listen_fd, const struct fcgi_server_opts *opts,
			 struct fcgi_server **out) WUR;
void fcgi_server_free(struct fcgi_server *srv);
/* Waits for the next request and fills rq (envp, io). Returns ERR_SYS when interrupted by
 * one of the wake signals, or when another process took the connection, or accept failed;
 * the caller checks its own stop flag and calls again. */
enum err fcgi_server_accept(struct fcgi_server *srv, struct fcgi_request *rq) WUR;
/* Sends the response, first reading what is left of the input (up to drain_max bytes and
 * the deadline). Returns true if it was written completely (the web server has it), false
 * if the connection failed on the way. */
bool fcgi_server_respond(struct fcgi_server *srv, struct fcgi_request *rq,
			 const struct fcgi_response *rs);
/* Closes the request's connection; after fcgi_server_respond(), always. (Apart so that
 * what depends on delivery can be recorded before the close, the slowest step.) */
void fcgi_server_finish(struct fcgi_server *srv);

#endif
