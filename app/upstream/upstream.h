/* Where tenants' requests may be sent (SSRF rules). An upstream is refused when any address
 * its host has is loopback, private, link-local (cloud metadata: 169.254.169.254), CGNAT,
 * multicast, unspecified or reserved, or is an address of this machine (the console's,
 * Caddy's admin endpoint), unless it lies in TOLLGATE_UPSTREAM_ALLOW. URLs are checked when
 * they are written (the CLI, the API) and host names again when they are used (the
 * resolver child, whose verdict the gate reads): a name that resolves to a forbidden
 * address later is refused before any connection is made. Not for the hot path: this
 * resolves names. */
#ifndef APP_UPSTREAM_H
#define APP_UPSTREAM_H

#include <stdbool.h>
#include <stddef.h>

#include "../../lib/addr.h"
#include "../config.h"

#define UPSTREAM_MAX_ADDRS 16

/* True when ip may be an upstream; otherwise why (size n) says what it is. */
bool upstream_addr_allowed(const struct config *cfg, const unsigned char ip[16], char *why,
			   size_t n);

/* Resolves host into at most max addresses (IPv4 and IPv6). Returns how many, or -1 with
 * why set. Blocks for as long as the system resolver takes. */
int upstream_resolve(const char *host, unsigned char (*out)[16], int max, char *why, size_t n);

/* The check on write: url parses (addr_url_parse), and its host is an allowed address, or
 * a name that resolves, every address of it allowed. ERR_INPUT with why for people. */
enum err upstream_check(const struct config *cfg, const char *url, struct addr_url *u, char *why,
			size_t n) WUR;

/* The Host header value for u: host, with ":port" when the port is not the scheme's, an
 * IPv6 address in brackets. */
void upstream_host_header(const struct addr_url *u, char *out, size_t n);

/* A Host header to send an upstream instead of its URL's host: HOST[:PORT], at most 253
 * characters of letters, digits, '.', '-' and ':'. */
bool upstream_host_header_ok(const char *h);

#endif
