/* lib/addr: networks, classes, the client behind proxies, upstream URLs. */
#include <criterion/criterion.h>
#include <string.h>

#include "../../lib/addr.h"
#include "../../lib/codec.h"

static void ip(const char *s, unsigned char out[16])
{
	cr_assert(codec_ip_parse(s, out), "bad test address %s", s);
}

static enum addr_class class_of(const char *s)
{
	unsigned char a[16];

	ip(s, a);
	return addr_classify(a);
}

Test(addr, networks_contain_what_their_prefix_says)
{
	struct addr_net n;
	unsigned char a[16];

	cr_assert(addr_net_parse("10.0.0.0/8", 10, &n));
	ip("10.200.3.4", a);
	cr_assert(addr_net_contains(&n, a));
	ip("11.0.0.1", a);
	cr_assert_not(addr_net_contains(&n, a));
	cr_assert(addr_net_parse("10.1.2.3/8", 10, &n), "host bits are masked, not refused");
	ip("10.9.9.9", a);
	cr_assert(addr_net_contains(&n, a));
	cr_assert(addr_net_parse("127.0.0.1", 9, &n));
	cr_assert_eq(n.prefix, 128);
	cr_assert(addr_net_parse("2001:db8::/32", 13, &n));
	ip("2001:db8:1::5", a);
	cr_assert(addr_net_contains(&n, a));
	ip("10.0.0.1", a);
	cr_assert_not(addr_net_contains(&n, a));
	cr_assert(addr_net_parse("0.0.0.0/0", 9, &n));
	ip("8.8.8.8", a);
	cr_assert(addr_net_contains(&n, a));
	ip("::1", a);
	cr_assert_not(addr_net_contains(&n, a), "an IPv4 /0 is every IPv4 address, not IPv6");
	cr_assert_not(addr_net_parse("10.0.0.0/33", 11, &n));
	cr_assert_not(addr_net_parse("10.0.0.0/", 9, &n));
	cr_assert_not(addr_net_parse("10.0.0/8", 8, &n));
	cr_assert_not(addr_net_parse("fe80::/129", 10, &n));
	cr_assert_not(addr_net_parse("", 0, &n));
}

Test(addr, lists_parse_and_name_the_bad_entry)
{
	struct addr_list l;
	const char *bad;
	size_t n;
	unsigned char a[16];

	cr_assert_eq(addr_list_parse("10.0.0.0/8, 192.168.1.0/24 fd00::/8", &l, &bad, &n), ERR_OK);
	cr_assert_eq(l.n, 3);
	ip("192.168.1.77", a);
	cr_assert(addr_list_contains(&l, a));
	ip("192.168.2.1", a);
	cr_assert_not(addr_list_contains(&l, a));
	cr_assert_eq(addr_list_parse("", &l, &bad, &n), ERR_OK);
	cr_assert_eq(l.n, 0);
	cr_assert_eq(addr_list_parse("10.0.0.0/8,nope,1.2.3.4", &l, &bad, &n), ERR_INPUT);
	cr_assert_eq(n, 4);
	cr_assert_eq(strncmp(bad, "nope", 4), 0);
}

Test(addr, classes_of_the_addresses_an_upstream_must_not_be)
{
	cr_assert_eq(class_of("8.8.8.8"), ADDR_PUBLIC);
	cr_assert_eq(class_of("2606:4700::1111"), ADDR_PUBLIC);
	cr_assert_eq(class_of("127.0.0.1"), ADDR_LOOPBACK);
	cr_assert_eq(class_of("127.255.0.9"), ADDR_LOOPBACK);
	cr_assert_eq(class_of("::1"), ADDR_LOOPBACK);
	cr_assert_eq(class_of("169.254.169.254"), ADDR_LINK_LOCAL);
	cr_assert_eq(class_of("fe80::1"), ADDR_LINK_LOCAL);
	cr_assert_eq(class_of("10.1.1.1"), ADDR_PRIVATE);
	cr_assert_eq(class_of("172.16.0.1"), ADDR_PRIVATE);
	cr_assert_eq(class_of("172.31.255.255"), ADDR_PRIVATE);
	cr_assert_eq(class_of("172.32.0.1"), ADDR_PUBLIC);
	cr_assert_eq(class_of("192.168.0.1"), ADDR_PRIVATE);
	cr_assert_eq(class_of("fd12::1"), ADDR_PRIVATE);
	cr_assert_eq(class_of("100.64.0.1"), ADDR_CGNAT);
	cr_assert_eq(class_of("100.127.255.255"), ADDR_CGNAT);
	cr_assert_eq(class_of("100.128.0.1"), ADDR_PUBLIC);
	cr_assert_eq(class_of("224.0.0.1"), ADDR_MULTICAST);
	cr_assert_eq(class_of("ff02::1"), ADDR_MULTICAST);
	cr_assert_eq(class_of("0.0.0.0"), ADDR_UNSPECIFIED);
	cr_assert_eq(class_of("::"), ADDR_UNSPECIFIED);
	cr_assert_eq(class_of("255.255.255.255"), ADDR_RESERVED);
	cr_assert_eq(class_of("240.0.0.1"), ADDR_RESERVED);
	/* IPv4 hidden in IPv6 is judged as IPv4. */
	cr_assert_eq(class_of("::ffff:169.254.169.254"), ADDR_LINK_LOCAL);
	cr_assert_eq(class_of("64:ff9b::7f00:1"), ADDR_LOOPBACK);
	cr_assert_eq(class_of("2002:7f00:1::1"), ADDR_LOOPBACK);
	cr_assert_eq(class_of("::127.0.0.1"), ADDR_RESERVED);
}

Test(addr, the_client_behind_trusted_proxies_is_the_rightmost_untrusted_hop)
{
	struct addr_list trusted;
	const char *bad;
	size_t n;
	unsigned char out[16], want[16];

	cr_assert_eq(addr_list_parse("10.0.0.0/8", &trusted, &bad, &n), ERR_OK);
	cr_assert(addr_forwarded_client("203.0.113.9, 10.0.0.5", &trusted, out));
	ip("203.0.113.9", want);
	cr_assert_eq(memcmp(out, want, 16), 0);
	/* A client that prepends its own entries cannot pick its address. */
	cr_assert(addr_forwarded_client("1.1.1.1, 198.51.100.7, 10.0.0.5", &trusted, out));
	ip("198.51.100.7", want);
	cr_assert_eq(memcmp(out, want, 16), 0);
	/* Garbage to the left of the real hop stops the walk at what is known. */
	cr_assert(addr_forwarded_client("not-an-ip, 10.0.0.9", &trusted, out));
	ip("10.0.0.9", want);
	cr_assert_eq(memcmp(out, want, 16), 0);
	cr_assert_not(addr_forwarded_client("", &trusted, out));
	cr_assert_not(addr_forwarded_client("junk", &trusted, out));
	cr_assert(addr_forwarded_client(" 2001:db8::1 ", &trusted, out));
}

Test(addr, upstream_urls_parse_strictly)
{
	struct addr_url u;
	char why[256];

	cr_assert_eq(addr_url_parse("http://api.example.com", &u, why, sizeof(why)), ERR_OK);
	cr_assert_str_eq(u.host, "api.example.com");
	cr_assert_eq(u.port, 80);
	cr_assert_not(u.https);
	cr_assert_not(u.host_is_ip);
	cr_assert_eq(addr_url_parse("https://api.example.com:8443/", &u, why, sizeof(why)), ERR_OK);
	cr_assert(u.https);
	cr_assert_eq(u.port, 8443);
	cr_assert_eq(addr_url_parse("HTTP://10.0.0.5:9000", &u, why, sizeof(why)), ERR_OK);
	cr_assert(u.host_is_ip);
	cr_assert_str_eq(u.host, "10.0.0.5");
	cr_assert_eq(addr_url_parse("http://[2001:db8::5]:81", &u, why, sizeof(why)), ERR_OK);
	cr_assert(u.host_is_ip);
	cr_assert_str_eq(u.host, "2001:db8::5");
	cr_assert_eq(u.port, 81);
	cr_assert_eq(addr_url_parse("https://[::1]", &u, why, sizeof(why)), ERR_OK);
	cr_assert_eq(u.port, 443);
}

Test(addr, upstream_urls_that_hide_an_address_or_carry_more_are_refused)
{
	static const char *const bad[] = {
	    "ftp://example.com",
	    "//example.com",
	    "http://",
	    "http://:80",
	    "http://example.com:",
	    "http://example.com:0",
	    "http://example.com:65536",
	    "http://example.com:80x",
	    "http://u:p@example.com",
	    "http://example.com/v1",
	    "http://example.com?x=1",
	    "http://example.com#f",
	    "http://0x7f.1",
	    "http://0x7f000001",
	    "http://2130706433",
	    "http://127.1",
	    "http://0177.0.0.1",
	    "http://1.2.3.4.5",
	    "http://exa mple.com",
	    "http://-example.com",
	    "http://example-.com",
	    "http://a..b",
	    "http://[::1",
	    "http://[example.com]",
	    "http://[::1]x",
	    "http://example.com\n.x",
	    "http://ex%41mple.com",
	};
	struct addr_url u;
	char why[256];
	size_t i;

	for (i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
		why[0] = '\0';
		cr_assert_eq(addr_url_parse(bad[i], &u, why, sizeof(why)), ERR_INPUT, "%s accepted",
			     bad[i]);
		cr_assert_neq(why[0], '\0', "%s: no reason given", bad[i]);
	}
}
