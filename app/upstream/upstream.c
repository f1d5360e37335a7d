/* Upstream policy: address classes, the allow list, this machine's own addresses, names. */
#include "upstream.h"

#include <arpa/inet.h>
#include <ifaddrs.h>
#include <netdb.h>
#include <netinet/in.h>
#include <stdio.h>
#include <string.h>
#include <sys/socket.h>
#include <time.h>

#include "../../lib/codec.h"

/* This machine's addresses, read again at most every few seconds. */
#define LOCAL_MAX     64
#define LOCAL_TTL_SEC 5

static struct {
	unsigned char ip[LOCAL_MAX][16];
	int n;
	time_t at;
} local;

static void to16(const struct sockaddr *sa, unsigned char out[16])
{
	memset(out, 0, 16);
	if (sa->sa_family == AF_INET) {
		out[10] = out[11] = 0xff;
		memcpy(out + 12, &((const struct sockaddr_in *)(const void *)sa)->sin_addr, 4);
	} else if (sa->sa_family == AF_INET6) {
		memcpy(out, &((const struct sockaddr_in6 *)(const void *)sa)->sin6_addr, 16);
	}
}

static bool is_local(const unsigned char ip[16])
{
	time_t now = time(NULL);
	int i;

	if (local.at == 0 || now - local.at >= LOCAL_TTL_SEC) {
		struct ifaddrs *all, *a;

		local.n = 0;
		local.at = now;
		if (getifaddrs(&all) == 0) {
			for (a = all; a != NULL && local.n < LOCAL_MAX; a = a->ifa_next)
				if (a->ifa_addr != NULL && (a->ifa_addr->sa_family == AF_INET ||
							    a->ifa_addr->sa_family == AF_INET6))
					to16(a->ifa_addr, local.ip[local.n++]);
			freeifaddrs(all);
		}
	}
	for (i = 0; i < local.n; i++)
		if (memcmp(local.ip[i], ip, 16) == 0)
			return true;
	return false;
}

bool upstream_addr_allowed(const struct config *cfg, const unsigned char ip[16], char *why,
			   size_t n)
{
	enum addr_class c = addr_classify(ip);
	char text[64];

	if (addr_list_contains(&cfg->upstream_allow, ip))
		return true;
	codec_ip_format(ip, text, sizeof(text));
	if (c != ADDR_PUBLIC) {
		snprintf(why, n, "%s is a %s address%s", text, addr_class_name(c),
			 c == ADDR_LINK_LOCAL ? " (where cloud metadata services live)" : "");
		return false;
	}
	if (is_local(ip)) {
		snprintf(why, n, "%s is an address of this machine", text);
		return false;
	}
	return true;
}

int upstream_resolve(const char *host, unsigned char (*out)[16], int max, char *why, size_t n)
{
	struct addrinfo hints, *res, *a;
	int rc, count = 0, i;

	memset(&hints, 0, sizeof(hints));
	hints.ai_family = AF_UNSPEC;
	hints.ai_socktype = SOCK_STREAM;
	rc = getaddrinfo(host, NULL, &hints, &res);
	if (rc != 0) {
		snprintf(why, n, "%.100s does not resolve (%s)", host, gai_strerror(rc));
		return -1;
	}
	for (a = res; a != NULL && count < max; a = a->ai_next) {
		unsigned char ip[16];

		to16(a->ai_addr, ip);
		for (i = 0; i < count && memcmp(out[i], ip, 16) != 0; i++)
			;
		if (i == count)
			memcpy(out[count++], ip, 16);
	}
	freeaddrinfo(res);
	if (count == 0) {
		snprintf(why, n, "%.100s has no address", host);
		return -1;
	}
	return count;
}

enum err upstream_check(const struct config *cfg, const char *url, struct addr_url *u, char *why,
			size_t n)
{
	unsigned char addrs[UPSTREAM_MAX_ADDRS][16];
	char reason[160];
	int count, i;

	if (addr_url_parse(url, u, reason, sizeof(reason)) != ERR_OK) {
		snprintf(why, n, "%s", reason);
		return ERR_INPUT;
	}
	if (u->host_is_ip) {
		memcpy(addrs[0], u->ip, 16);
		count = 1;
	} else if ((count = upstream_resolve(u->host, addrs, UPSTREAM_MAX_ADDRS, reason,
					     sizeof(reason))) < 0) {
		snprintf(why, n, "%s", reason);
		return ERR_INPUT;
	}
	for (i = 0; i < count; i++) {
		if (!upstream_addr_allowed(cfg, addrs[i], reason, sizeof(reason))) {
			snprintf(
			    why, n,
			    "%s; upstreams may not be there (TOLLGATE_UPSTREAM_ALLOW can let a "
			    "network in)",
			    reason);
			return ERR_INPUT;
		}
	}
	return ERR_OK;
}

void upstream_host_header(const struct addr_url *u, char *out, size_t n)
{
	bool v6 = u->host_is_ip && strchr(u->host, ':') != NULL;

	if (u->port == (u->https ? 443 : 80))
		snprintf(out, n, v6 ? "[%s]" : "%s", u->host);
	else
		snprintf(out, n, v6 ? "[%s]:%u" : "%s:%u", u->host, (unsigned)u->port);
}

bool upstream_host_header_ok(const char *h)
{
	static const char name[] =
	    "abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789.-";
	size_t n = strlen(h), host = strspn(h, name), port;

	if (host == 0 || host > 253)
		return false;
	if (host == n)
		return true;
	/* HOST:PORT, the port 1 to 5 digits (as the upstreams table's check says). */
	port = strspn(h + host + 1, "0123456789");
	return h[host] == ':' && port >= 1 && port <= 5 && host + 1 + port == n;
}
