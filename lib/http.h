/* The one wrapper of libcurl: a small blocking HTTP client that POSTs JSON to a remote API
 * and reads a bounded answer, and the mail sender of the portal's messages (SMTP). TLS certificates
 * and host names are always verified, redirects are never followed, and only http:// and https://
 * URLs are accepted. */
#ifndef LIB_HTTP_H
#define LIB_HTTP_H

/* The gate's pool is built with TOLLGATE_HOT_PATH: it never waits on the network. */
#ifdef TOLLGATE_HOT_PATH
#error "lib/http.h is not for the hot path: the gate answers from shared memory"
#endif

#include <signal.h>
#include <stddef.h>
#include <stdbool.h>
#include <stdint.h>

#include "buf.h"
#include "err.h"

#define HTTP_MAX_HEADER_LINE 2048 /* "Name: value" of one extra request header */

/* One extra request header. A list of them ends with an entry whose name is NULL. */
struct http_header {
	const char *name;
	const char *value;
};

/* libcurl's process-wide set-up: call once in a process before its first client (later
 * calls do nothing); not thread-safe. ERR_SYS when libcurl cannot initialise. */
enum err http_init(void) WUR;
/* Undoes http_init() when no client is left. */
void http_cleanup(void);

/* A client: one connection cache, so that calls to the same host reuse a connection.
 * Needs http_init(). Out of memory aborts. http_free(NULL) is a no-op. */
struct http *http_new(void);
void http_free(struct http *h);
/* A flag (set by a signal handler) that aborts a call in progress within about a second,
 * with ERR_UPSTREAM; NULL for none. The flag is borrowed for the client's life. */
void http_set_abort_flag(struct http *h, volatile sig_atomic_t *flag);

/* Formats "Name: value" into out (size n). ERR_INPUT when the name is not an HTTP token,
 * the value holds a CR, LF or NUL (header injection), or the line does not fit. */
enum err http_header_line(const struct http_header *hd, char *out, size_t n) WUR;
/* ERR_INPUT unless url starts with http:// or https:// (any case) and has a host. */
enum err http_check_url(const char *url) WUR;

/* POSTs body (len bytes, sent as application/json) to url with the extra headers (NULL
 * or a list ending with a NULL name), waiting at most timeout_ms for the whole exchange.
 * Clears *status and out (buf_reset) first; then *status is the HTTP status (0 when no
 * answer arrived) and out holds the response body, which may be at most max_response
 * bytes. Any status is ERR_OK: the caller judges it. Errors: ERR_INPUT (bad URL or
 * header), ERR_TOOBIG (the body is longer than max_response), ERR_UPSTREAM (DNS, connect,
 * TLS, timeout, a reset or an abort); msg says what happened and never holds a header
 * value, so an API key sent in a header cannot reach a log through it. */
enum err http_post_json(struct http *h, const char *url, const struct http_header *headers,
			const char *body, size_t len, int64_t timeout_ms, size_t max_response,
			int *status, struct buf *out, char *msg, size_t msglen) WUR;

/* Any call: method is GET, POST or DELETE; body (len bytes, sent as content_type) only
 * with POST, NULL for none. Otherwise as http_post_json(). */
struct http_req {
	const char *method;
	const char *url;
	const char *content_type;
	const struct http_header *headers;
	const char *body;
	size_t len;
	int64_t timeout_ms;
	size_t max_response;
	/* Optional, for a streamed answer. With on_data set, the body is handed over as it
	 * arrives (out stays empty; max_response still bounds the total): status is the
	 * answer's HTTP status; returning false stops the call (ERR_UPSTREAM, "aborted"). */
	bool (*on_data)(void *arg, int status, const char *p, size_t n);
	/* Called about every 100 ms while the call runs; false stops it (a caller gone). */
	bool (*on_tick)(void *arg);
	/* Asked before any connection to an address is attempted (SSRF rules); false: refused,
	 * and the call fails with ERR_FORBIDDEN. ip is IPv6 or IPv4-mapped. */
	bool (*allow_addr)(void *arg, const unsigned char ip[16]);
	void *arg;
	int64_t connect_ms;    /* 0: timeout_ms */
	int64_t first_byte_ms; /* from the start until the first body byte; 0: none */
	int64_t idle_ms;       /* at most between two pieces of the body; 0: none */
};
enum err http_send(struct http *h, const struct http_req *rq, int *status, struct buf *out,
		   char *msg, size_t msglen) WUR;
/* With the optional fields: ERR_TIMEOUT when first_byte_ms or idle_ms ran out, or
 * timeout_ms on a streamed call (msg says which); ERR_FORBIDDEN when allow_addr refused
 * the address. */

/* A plain-text mail, sent over SMTP (smtp:// with STARTTLS when offered, required when a
 * user is set; or smtps://). Headers must be one line each (no CR or LF: no injection);
 * from and to may be "Name <addr>". */
struct http_mail {
	const char *url;	     /* smtp://host:port or smtps://host:port */
	const char *user, *password; /* NULL or "": no authentication */
	const char *from, *to, *subject, *body;
};

/* Sends m within timeout_ms. ERR_INPUT (a bad URL or header), ERR_TOOBIG (over 1 MiB),
 * ERR_UPSTREAM (the server refused it, or could not be reached); msg says what happened. */
enum err http_mail_send(struct http *h, const struct http_mail *m, int64_t timeout_ms, char *msg,
			size_t msglen) WUR;

#endif
