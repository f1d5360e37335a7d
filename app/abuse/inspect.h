/* Request inspection for the abuse engine, privacy first: what the gate keeps about a
 * request is metadata only. The path becomes a route template (identifiers, emails,
 * card-like and token-like segments replaced by placeholders), the query string is
 * dropped, headers are reduced to their names, the User-Agent to a family. No value of
 * Authorization, Cookie or any other header is ever copied. */
#ifndef APP_ABUSE_INSPECT_H
#define APP_ABUSE_INSPECT_H

#include <stddef.h>
#include <stdint.h>

#include "../../lib/fcgi.h"

enum ua_family {
	UA_NONE,
	UA_BROWSER,
	UA_CURL,
	UA_PYTHON,
	UA_NODE,
	UA_GO,
	UA_JAVA,
	UA_OPENAI_SDK,
	UA_ANTHROPIC_SDK,
	UA_OTHER,
	UA_CRAWLER, /* a web crawler that says so: "compatible; Googlebot/2.1; +http://..." */
	UA__MAX
};

const char *inspect_ua_name(enum ua_family f);
enum ua_family inspect_ua_family(const char *user_agent);
/* True for families that mostly mean a script rather than an application or a browser. */
int inspect_ua_scripted(enum ua_family f);

/* The route template of a request URI ("/v1/users/123/files/9f8e...?q=x" ->
 * "/v1/users/:id/files/:hex"; "/odata/Property('1144324')/Media" ->
 * "/odata/Property(:key)/Media"), at most n-1 bytes; returns its hash. */
uint64_t inspect_route(const char *uri, char *out, size_t n);

/* An OData key segment, Name(key) (OData v4 URL conventions, 4.3: /People('russell'),
 * /Products(42), /Orders(OrderID=7)): returns the length of Name, 0 when the segment is no
 * such thing. *key and *key_len: the key's value, its quotes (' or %27) taken off, and of a
 * named key (Name=value) the value; a composite key (a comma) is kept whole. */
size_t inspect_odata_key(const char *seg, size_t len, const char **key, size_t *key_len);

/* The request's header names, lower-case, sorted, comma-separated, at most n-1 bytes. */
void inspect_header_names(const struct fcgi_request *rq, char *out, size_t n);

#endif
