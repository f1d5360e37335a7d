/* Network addresses as policy sees them: CIDR networks and lists of them, what kind of
 * address an IP is (public, loopback, private, link-local...), the client address behind
 * trusted proxies, and upstream URLs (scheme, host, port) parsed strictly. Addresses are
 * 16 bytes, IPv4 in its IPv4-mapped IPv6 form (::ffff:a.b.c.d), as lib/codec parses them.
 * Pure functions: no I/O, no allocation. */
#ifndef LIB_ADDR_H
#define LIB_ADDR_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "err.h"

struct addr_net {
	unsigned char ip[16]; /* masked to prefix */
	int prefix;	      /* 0..128, on the 16-byte form (an IPv4 /8 is 104) */
};

/* "10.0.0.0/8", "fd00::/8", or a single address (a /32 or /128). The address is masked to
 * the prefix. False for anything else. */
bool addr_net_parse(const char *s, size_t len, struct addr_net *out);
bool addr_net_contains(const struct addr_net *n, const unsigned char ip[16]);

#define ADDR_LIST_MAX 32

/* A list of networks from a comma- or space-separated setting. */
struct addr_list {
	struct addr_net nets[ADDR_LIST_MAX];
	size_t n;
};

/* ERR_INPUT (with *bad pointing at the offending entry in s and *badlen its length) for
 * an entry that is not a network, or more than ADDR_LIST_MAX of them. "" is the empty list. */
enum err addr_list_parse(const char *s, struct addr_list *out, const char **bad,
			 size_t *badlen) WUR;
bool addr_list_contains(const struct addr_list *l, const unsigned char ip[16]);

enum addr_class {
	ADDR_PUBLIC,
	ADDR_UNSPECIFIED, /* 0.0.0.0/8, :: */
	ADDR_LOOPBACK,	  /* 127/8, ::1 */
	ADDR_PRIVATE,	  /* 10/8, 172.16/12, 192.168/16, fc00::/7 */
	ADDR_CGNAT,	  /* 100.64/10 (shared address space) */
	ADDR_LINK_LOCAL,  /* 169.254/16 (cloud metadata lives here), fe80::/10 */
	ADDR_MULTICAST,	  /* 224/4, ff00::/8 */
	ADDR_RESERVED,	  /* 240/4 and broadcast, benchmarking, documentation, 192.0.0/24 */
	ADDR__MAX
};

/* What kind of address ip is. Addresses that embed an IPv4 address (IPv4-mapped, NAT64
 * 64:ff9b::/96, 6to4 2002::/16) are judged by the IPv4 address. */
enum addr_class addr_classify(const unsigned char ip[16]);
const char *addr_class_name(enum addr_class c);

/* The client's address when the TCP peer is a proxy of ours: walks X-Forwarded-For from
 * the right, skipping addresses in trusted, and returns the first one that is not (or the
 * leftmost, if all are). False (out untouched) when xff holds no valid address. */
bool addr_forwarded_client(const char *xff, const struct addr_list *trusted, unsigned char out[16]);

/* The address:port form a dialer takes: "a.b.c.d:port" or "[v6]:port". */
void addr_dial(const unsigned char ip[16], unsigned port, char *out, size_t n);

/* An upstream URL, parsed: "http://host:port" or "https://host:port", with an optional
 * trailing "/". */
struct addr_url {
	bool https;
	char host[256];	 /* a name, or an address without brackets */
	bool host_is_ip; /* then ip holds it */
	unsigned char ip[16];
	uint16_t port; /* the URL's, or 80/443 */
};

/* Parses strictly: the scheme http or https; no user info, query, fragment or path beyond
 * "/"; a host that is a DNS name (letters, digits, '-', '.'), a dotted-decimal IPv4 address
 * or a bracketed IPv6 address; numeric hosts in any other form ("0x7f.1", "2130706433",
 * "127.1", "0177.0.0.1", which some resolvers read as addresses) are refused. On ERR_INPUT
 * why (size whylen) says what is wrong, for people. */
enum err addr_url_parse(const char *url, struct addr_url *out, char *why, size_t whylen) WUR;

#endif
