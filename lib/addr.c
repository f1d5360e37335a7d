/* Networks, address classes, forwarded clients and upstream URLs. */
#include "addr.h"

#include <stdio.h>
#include <string.h>

#include "codec.h"
#include "str.h"

static const unsigned char v4_mapped[12] = {0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0xff, 0xff};

static void mask(unsigned char ip[16], int prefix)
{
	int i;

	for (i = 0; i < 16; i++) {
		int bits = prefix - 8 * i;

		if (bits <= 0)
			ip[i] = 0;
		else if (bits < 8)
			ip[i] &= (unsigned char)(0xff << (8 - bits));
	}
}

static bool parse_ip_n(const char *s, size_t len, unsigned char out[16])
{
	char buf[64];

	if (len == 0 || len >= sizeof(buf))
		return false;
	memcpy(buf, s, len);
	buf[len] = '\0';
	return codec_ip_parse(buf, out);
}

bool addr_net_parse(const char *s, size_t len, struct addr_net *out)
{
	const char *slash = memchr(s, '/', len);
	int64_t prefix;
	bool v4;

	memset(out, 0, sizeof(*out));
	if (!parse_ip_n(s, slash ? (size_t)(slash - s) : len, out->ip))
		return false;
	v4 = memcmp(out->ip, v4_mapped, 12) == 0 && memchr(s, ':', len) == NULL;
	if (slash == NULL) {
		out->prefix = 128;
		return true;
	}
	if (str_to_i64((struct str){slash + 1, len - (size_t)(slash + 1 - s)}, 0, v4 ? 32 : 128,
		       &prefix) != ERR_OK)
		return false;
	out->prefix = (int)prefix + (v4 ? 96 : 0);
	mask(out->ip, out->prefix);
	return true;
}

bool addr_net_contains(const struct addr_net *n, const unsigned char ip[16])
{
	unsigned char m[16];

	memcpy(m, ip, 16);
	mask(m, n->prefix);
	return memcmp(m, n->ip, 16) == 0;
}

enum err addr_list_parse(const char *s, struct addr_list *out, const char **bad, size_t *badlen)
{
	const char *p = s;

	out->n = 0;
	*bad = NULL;
	*badlen = 0;
	while (*p != '\0') {
		size_t n;

		while (*p == ' ' || *p == ',' || *p == '\t')
			p++;
		if (*p == '\0')
			break;
		n = strcspn(p, " ,\t");
		if (out->n == ADDR_LIST_MAX || !addr_net_parse(p, n, &out->nets[out->n])) {
			*bad = p;
			*badlen = n;
			return ERR_INPUT;
		}
		out->n++;
		p += n;
	}
	return ERR_OK;
}

bool addr_list_contains(const struct addr_list *l, const unsigned char ip[16])
{
	size_t i;

	for (i = 0; i < l->n; i++)
		if (addr_net_contains(&l->nets[i], ip))
			return true;
	return false;
}

static enum addr_class classify_v4(const unsigned char a[4])
{
	if (a[0] == 0)
		return ADDR_UNSPECIFIED;
	if (a[0] == 127)
		return ADDR_LOOPBACK;
	if (a[0] == 10 || (a[0] == 172 && (a[1] & 0xf0) == 16) || (a[0] == 192 && a[1] == 168))
		return ADDR_PRIVATE;
	if (a[0] == 100 && (a[1] & 0xc0) == 64)
		return ADDR_CGNAT;
	if (a[0] == 169 && a[1] == 254)
		return ADDR_LINK_LOCAL;
	if ((a[0] & 0xf0) == 224)
		return ADDR_MULTICAST;
	if ((a[0] & 0xf0) == 240 ||				      /* 240/4, 255.255.255.255 */
	    (a[0] == 192 && a[1] == 0 && (a[2] == 0 || a[2] == 2)) || /* 192.0.0/24, TEST-NET-1 */
	    (a[0] == 198 && (a[1] & 0xfe) == 18) ||		      /* 198.18/15 benchmarking */
	    (a[0] == 198 && a[1] == 51 && a[2] == 100) ||	      /* TEST-NET-2 */
	    (a[0] == 203 && a[1] == 0 && a[2] == 113) ||	      /* TEST-NET-3 */
	    (a[0] == 192 && a[1] == 88 && a[2] == 99))		      /* 6to4 relay anycast */
		return ADDR_RESERVED;
	return ADDR_PUBLIC;
}

enum addr_class addr_classify(const unsigned char ip[16])
{
	static const unsigned char zero[16], nat64[12] = {0, 0x64, 0xff, 0x9b};
	static const unsigned char loop6[16] = {0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 1};

	if (memcmp(ip, v4_mapped, 12) == 0 || memcmp(ip, nat64, 12) == 0)
		return classify_v4(ip + 12);
	if (ip[0] == 0x20 && ip[1] == 0x02) /* 6to4: 2002:a.b.c.d::/48 */
		return classify_v4(ip + 2);
	if (memcmp(ip, zero, 16) == 0)
		return ADDR_UNSPECIFIED;
	if (memcmp(ip, loop6, 16) == 0)
		return ADDR_LOOPBACK;
	if (memcmp(ip, zero, 12) == 0) /* ::a.b.c.d, deprecated IPv4-compatible */
		return ADDR_RESERVED;
	if ((ip[0] & 0xfe) == 0xfc)
		return ADDR_PRIVATE;
	if (ip[0] == 0xfe && (ip[1] & 0xc0) == 0x80)
		return ADDR_LINK_LOCAL;
	if (ip[0] == 0xfe && (ip[1] & 0xc0) == 0xc0) /* fec0::/10, site-local (deprecated) */
		return ADDR_PRIVATE;
	if (ip[0] == 0xff)
		return ADDR_MULTICAST;
	if ((ip[0] == 0x20 && ip[1] == 0x01 && ip[2] == 0x0d &&
	     ip[3] == 0xb8) ||						   /* 2001:db8::/32 */
	    (ip[0] == 0x01 && ip[1] == 0 && memcmp(ip + 2, zero, 6) == 0)) /* 100::/64 */
		return ADDR_RESERVED;
	return ADDR_PUBLIC;
}

const char *addr_class_name(enum addr_class c)
{
	static const char *const names[ADDR__MAX] = {
	    [ADDR_PUBLIC] = "public",	     [ADDR_UNSPECIFIED] = "unspecified",
	    [ADDR_LOOPBACK] = "loopback",    [ADDR_PRIVATE] = "private",
	    [ADDR_CGNAT] = "shared (CGNAT)", [ADDR_LINK_LOCAL] = "link-local",
	    [ADDR_MULTICAST] = "multicast",  [ADDR_RESERVED] = "reserved",
	};

	return c < ADDR__MAX ? names[c] : "?";
}

bool addr_forwarded_client(const char *xff, const struct addr_list *trusted, unsigned char out[16])
{
	struct str all = str_trim(str_c(xff)), item;
	unsigned char ip[16], leftmost[16] = {0};
	bool any = false;

	/* From the right: the nearest hop first. */
	while (all.len > 0) {
		const char *comma = NULL;
		size_t i;

		for (i = all.len; i > 0; i--)
			if (all.p[i - 1] == ',') {
				comma = all.p + i - 1;
				break;
			}
		if (comma != NULL) {
			item = str_trim(
			    (struct str){comma + 1, all.len - (size_t)(comma + 1 - all.p)});
			all.len = (size_t)(comma - all.p);
		} else {
			item = str_trim(all);
			all.len = 0;
		}
		if (!parse_ip_n(item.p, item.len, ip))
			return any ? (memcpy(out, leftmost, 16), true) : false;
		memcpy(leftmost, ip, 16);
		any = true;
		if (!addr_list_contains(trusted, ip)) {
			memcpy(out, ip, 16);
			return true;
		}
	}
	if (any)
		memcpy(out, leftmost, 16);
	return any;
}

void addr_dial(const unsigned char ip[16], unsigned port, char *out, size_t n)
{
	char text[64];

	codec_ip_format(ip, text, sizeof(text));
	snprintf(out, n, memcmp(ip, v4_mapped, 12) == 0 ? "%s:%u" : "[%s]:%u", text, port);
}

static bool is_dns_name(struct str h)
{
	size_t i, label = 0;
	bool alpha = false;

	if (h.len == 0 || h.len > 253 || h.p[0] == '.' || h.p[0] == '-')
		return false;
	for (i = 0; i < h.len; i++) {
		char c = h.p[i];

		if (c == '.') {
			if (label == 0 || h.p[i - 1] == '-')
				return false;
			label = 0;
			continue;
		}
		if (++label > 63)
			return false;
		if ((c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z'))
			alpha = true;
		else if (!(c >= '0' && c <= '9') && c != '-')
			return false;
	}
	if (h.p[h.len - 1] == '-')
		return false;
	/* A name with no letter at all ("127.1", "2130706433") is an address in disguise to
	 * resolvers that follow inet_aton(), as is one that reads as hex ("0x7f.1"). */
	if (!alpha)
		return false;
	for (i = 0; i + 1 < h.len; i++)
		if (h.p[i] == '0' && (h.p[i + 1] == 'x' || h.p[i + 1] == 'X') &&
		    (i == 0 || h.p[i - 1] == '.'))
			return false;
	return true;
}

enum err addr_url_parse(const char *url, struct addr_url *out, char *why, size_t whylen)
{
	struct str s = str_c(url), host, port = {"", 0};
	bool has_port = false;
	int64_t num;

	memset(out, 0, sizeof(*out));
	if (str_case_has_prefix(s, "http://")) {
		s.p += 7;
		s.len -= 7;
	} else if (str_case_has_prefix(s, "https://")) {
		out->https = true;
		s.p += 8;
		s.len -= 8;
	} else {
		snprintf(why, whylen, "the URL must start with http:// or https://");
		return ERR_INPUT;
	}
	if (s.len > 0 && s.p[s.len - 1] == '/')
		s.len--;
	if (memchr(s.p, '/', s.len) || memchr(s.p, '?', s.len) || memchr(s.p, '#', s.len)) {
		snprintf(why, whylen, "the URL must be scheme://host[:port] without a path");
		return ERR_INPUT;
	}
	if (memchr(s.p, '@', s.len)) {
		snprintf(why, whylen, "the URL must not carry a user name or password");
		return ERR_INPUT;
	}
	if (s.len > 0 && s.p[0] == '[') {
		const char *close = memchr(s.p, ']', s.len);

		if (close == NULL) {
			snprintf(why, whylen, "an IPv6 address needs its closing ']'");
			return ERR_INPUT;
		}
		host = (struct str){s.p + 1, (size_t)(close - s.p - 1)};
		if ((size_t)(close + 1 - s.p) < s.len) {
			if (close[1] != ':') {
				snprintf(why, whylen, "unexpected text after the IPv6 address");
				return ERR_INPUT;
			}
			has_port = true;
			port = (struct str){close + 2, s.len - (size_t)(close + 2 - s.p)};
		}
		if (!parse_ip_n(host.p, host.len, out->ip) ||
		    memchr(host.p, ':', host.len) == NULL) {
			snprintf(why, whylen, "'%.*s' is not an IPv6 address", (int)host.len,
				 host.p);
			return ERR_INPUT;
		}
		out->host_is_ip = true;
	} else {
		const char *colon = memchr(s.p, ':', s.len);

		host = (struct str){s.p, colon ? (size_t)(colon - s.p) : s.len};
		has_port = colon != NULL;
		if (colon != NULL)
			port = (struct str){colon + 1, s.len - (size_t)(colon + 1 - s.p)};
		if (parse_ip_n(host.p, host.len, out->ip)) {
			out->host_is_ip = true;
		} else if (!is_dns_name(host)) {
			snprintf(why, whylen,
				 "'%.*s' is neither a host name nor an address in the usual form "
				 "(dotted decimal for IPv4, [brackets] for IPv6)",
				 (int)(host.len > 64 ? 64 : host.len), host.p);
			return ERR_INPUT;
		}
	}
	if (host.len == 0 || host.len >= sizeof(out->host)) {
		snprintf(why, whylen, "the URL has no host");
		return ERR_INPUT;
	}
	memcpy(out->host, host.p, host.len);
	out->host[host.len] = '\0';
	if (has_port) {
		if (str_to_i64(port, 1, 65535, &num) != ERR_OK) {
			snprintf(why, whylen, "the port must be a number from 1 to 65535");
			return ERR_INPUT;
		}
		out->port = (uint16_t)num;
	} else {
		out->port = out->https ? 443 : 80;
	}
	return ERR_OK;
}
