/* JSON: a streaming writer into a bounded buf (no allocation, safe on the hot path) and a
 * parser for untrusted input (jansson, with size and depth limits). jansson's header
 * stays in jsonx.c; callers see only struct jsonx_doc. */
#ifndef LIB_JSONX_H
#define LIB_JSONX_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "buf.h"
#include "err.h"

#define JSONX_MAX_DEPTH 32

/* Writer: call jsonx_key() before each value inside an object. Misuse (too deep, a value
 * without a key in an object) is a programmer error and asserts. */
struct jsonx_w {
	struct buf *b;
	int depth;
	bool need_comma[JSONX_MAX_DEPTH + 1];
	bool in_object[JSONX_MAX_DEPTH + 1];
	bool after_key;
};

void jsonx_w_init(struct jsonx_w *w, struct buf *b);
void jsonx_obj_open(struct jsonx_w *w);
void jsonx_obj_close(struct jsonx_w *w);
void jsonx_arr_open(struct jsonx_w *w);
void jsonx_arr_close(struct jsonx_w *w);
void jsonx_key(struct jsonx_w *w, const char *key);
void jsonx_str(struct jsonx_w *w, const char *s); /* NULL writes null */
void jsonx_strn(struct jsonx_w *w, const char *s, size_t n);
void jsonx_int(struct jsonx_w *w, int64_t v);
void jsonx_bool(struct jsonx_w *w, bool v);
void jsonx_null(struct jsonx_w *w);
/* A number given as text, checked against RFC 8259's grammar (null if it fails: NaN,
 * Infinity, garbage); and a value already serialised as JSON, written as it is (the caller
 * vouches for it). */
void jsonx_number_text(struct jsonx_w *w, const char *text);
void jsonx_raw(struct jsonx_w *w, const char *json, size_t n);
/* True when s is a JSON number. */
bool jsonx_is_number(const char *s);
/* Shorthands for key + value. */
void jsonx_kstr(struct jsonx_w *w, const char *key, const char *s);
void jsonx_kint(struct jsonx_w *w, const char *key, int64_t v);
void jsonx_kbool(struct jsonx_w *w, const char *key, bool v);

/* Parser. A document owns every string it returns. */
struct jsonx_doc;

/* Parses n bytes (no NUL needed) that must be one JSON object, with duplicate keys
 * rejected. ERR_INPUT with a readable msg (line and column) otherwise. */
enum err jsonx_parse(const char *p, size_t n, struct jsonx_doc **out, char *msg, size_t msglen) WUR;
void jsonx_doc_free(struct jsonx_doc *d);
/* Member lookups on the top-level object, or on a nested object with a dotted path
 * ("request.remote_ip"). Each returns false when the member is absent or of another type. */
bool jsonx_get_str(const struct jsonx_doc *d, const char *path, const char **out);
bool jsonx_get_int(const struct jsonx_doc *d, const char *path, int64_t *out);
bool jsonx_get_num(const struct jsonx_doc *d, const char *path, double *out);
bool jsonx_get_bool(const struct jsonx_doc *d, const char *path, bool *out);
/* Like jsonx_get_str, but an array of strings gives its first element (HTTP header values
 * in Caddy's logs are arrays). */
bool jsonx_get_str_first(const struct jsonx_doc *d, const char *path, const char **out);
/* The number of elements of an array, or of members of an object ("" is the document
 * itself); false for any other type or when absent. */
bool jsonx_get_len(const struct jsonx_doc *d, const char *path, size_t *out);
/* Element i of the array at path, as a document of its own whose root may be of any type
 * (the getters take "" for the root itself). It shares storage with d but outlives it;
 * free it with jsonx_doc_free(). False when path is not an array or i is out of range. */
bool jsonx_get_elem(const struct jsonx_doc *d, const char *path, size_t i, struct jsonx_doc **out);
/* True when the member exists (of any type, null included). */
bool jsonx_has(const struct jsonx_doc *d, const char *path);

/* Changes a document: sets the member at a dotted path (objects on the way are made when
 * absent) to a string or a boolean, or removes it. False when something on the way is not
 * an object. */
bool jsonx_set_str(struct jsonx_doc *d, const char *path, const char *value);
bool jsonx_set_bool(struct jsonx_doc *d, const char *path, bool value);
bool jsonx_del(struct jsonx_doc *d, const char *path);
/* Appends the value at path ("" for the document) as compact JSON; false when absent or
 * out did not take it all. */
bool jsonx_dump(const struct jsonx_doc *d, const char *path, struct buf *out);
/* The document as compact JSON with every object's members in name order: one text for
 * one value however its members were ordered (a cache key). */
bool jsonx_dump_canonical(const struct jsonx_doc *d, struct buf *out);

#endif
