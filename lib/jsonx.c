/* JSON writer over buf, and the one wrapper of jansson for parsing. */
#include "jsonx.h"

#include <assert.h>
#include <jansson.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

struct jsonx_doc {
	json_t *root;
};

void jsonx_w_init(struct jsonx_w *w, struct buf *b)
{
	memset(w, 0, sizeof(*w));
	w->b = b;
}

/* Writes the separator a new value needs at the current depth. */
static void before_value(struct jsonx_w *w)
{
	if (w->in_object[w->depth]) {
		assert(w->after_key && "jsonx: value in an object without a key");
		w->after_key = false;
		return;
	}
	if (w->need_comma[w->depth])
		buf_putc(w->b, ',');
	w->need_comma[w->depth] = true;
}

static void open(struct jsonx_w *w, char c, bool object)
{
	before_value(w);
	buf_putc(w->b, c);
	assert(w->depth < JSONX_MAX_DEPTH);
	w->depth++;
	w->need_comma[w->depth] = false;
	w->in_object[w->depth] = object;
}

static void close_(struct jsonx_w *w, char c)
{
	assert(w->depth > 0);
	w->depth--;
	buf_putc(w->b, c);
}

void jsonx_obj_open(struct jsonx_w *w)
{
	open(w, '{', true);
}

void jsonx_obj_close(struct jsonx_w *w)
{
	close_(w, '}');
}

void jsonx_arr_open(struct jsonx_w *w)
{
	open(w, '[', false);
}

void jsonx_arr_close(struct jsonx_w *w)
{
	close_(w, ']');
}

void jsonx_key(struct jsonx_w *w, const char *key)
{
	assert(w->in_object[w->depth] && !w->after_key);
	if (w->need_comma[w->depth])
		buf_putc(w->b, ',');
	w->need_comma[w->depth] = true;
	buf_json_str(w->b, key);
	buf_putc(w->b, ':');
	w->after_key = true;
}

void jsonx_strn(struct jsonx_w *w, const char *s, size_t n)
{
	before_value(w);
	buf_putc(w->b, '"');
	buf_json_escape(w->b, s, n);
	buf_putc(w->b, '"');
}

void jsonx_str(struct jsonx_w *w, const char *s)
{
	if (s == NULL)
		jsonx_null(w);
	else
		jsonx_strn(w, s, strlen(s));
}

void jsonx_int(struct jsonx_w *w, int64_t v)
{
	before_value(w);
	buf_printf(w->b, "%lld", (long long)v);
}

void jsonx_bool(struct jsonx_w *w, bool v)
{
	before_value(w);
	buf_puts(w->b, v ? "true" : "false");
}

void jsonx_null(struct jsonx_w *w)
{
	before_value(w);
	buf_puts(w->b, "null");
}

bool jsonx_is_number(const char *s)
{
	if (*s == '-')
		s++;
	if (*s == '0')
		s++;
	else if (*s >= '1' && *s <= '9')
		while (*s >= '0' && *s <= '9')
			s++;
	else
		return false;
	if (*s == '.') {
		if (!(*++s >= '0' && *s <= '9'))
			return false;
		while (*s >= '0' && *s <= '9')
			s++;
	}
	if (*s == 'e' || *s == 'E') {
		s++;
		if (*s == '+' || *s == '-')
			s++;
		if (!(*s >= '0' && *s <= '9'))
			return false;
		while (*s >= '0' && *s <= '9')
			s++;
	}
	return *s == '\0';
}

void jsonx_number_text(struct jsonx_w *w, const char *text)
{
	if (!jsonx_is_number(text)) {
		jsonx_null(w);
		return;
	}
	before_value(w);
	buf_puts(w->b, text);
}

void jsonx_raw(struct jsonx_w *w, const char *json, size_t n)
{
	before_value(w);
	buf_append(w->b, json, n);
}

void jsonx_kstr(struct jsonx_w *w, const char *key, const char *s)
{
	jsonx_key(w, key);
	jsonx_str(w, s);
}

void jsonx_kint(struct jsonx_w *w, const char *key, int64_t v)
{
	jsonx_key(w, key);
	jsonx_int(w, v);
}

void jsonx_kbool(struct jsonx_w *w, const char *key, bool v)
{
	jsonx_key(w, key);
	jsonx_bool(w, v);
}

/* jansson has no depth limit of its own beyond its 2048 default; measure ours. */
static int depth_of(json_t *v, int limit)
{
	int max = 0, d;

	if (limit < 0)
		return 1;
	if (json_is_object(v)) {
		const char *k;
		json_t *c;

		json_object_foreach(v, k, c)
		{
			d = depth_of(c, limit - 1);
			if (d > max)
				max = d;
		}
		return max + 1;
	}
	if (json_is_array(v)) {
		size_t i;
		json_t *c;

		json_array_foreach(v, i, c)
		{
			d = depth_of(c, limit - 1);
			if (d > max)
				max = d;
		}
		return max + 1;
	}
	return 0;
}

static const char *parse_error(enum json_error_code code)
{
	switch (code) {
	case json_error_premature_end_of_input:
		return "the text ends before the value does";
	case json_error_end_of_input_expected:
		return "there is text after the value";
	case json_error_null_character:
	case json_error_null_byte_in_key:
		return "a NUL character";
	case json_error_invalid_utf8:
		return "invalid UTF-8";
	case json_error_duplicate_key:
		return "a member name appears twice";
	case json_error_numeric_overflow:
		return "a number out of range";
	case json_error_invalid_syntax:
	case json_error_stack_overflow:
		return "invalid syntax or too deeply nested";
	default:
		return "not valid JSON";
	}
}

enum err jsonx_parse(const char *p, size_t n, struct jsonx_doc **out, char *msg, size_t msglen)
{
	json_error_t jerr;
	json_t *root;

	*out = NULL;
	msg[0] = '\0';
	root = json_loadb(p, n, JSON_REJECT_DUPLICATES, &jerr);
	if (root == NULL) {
		/* Our words, not the parser's: its messages name its own flags and internals. */
		snprintf(msg, msglen, "invalid JSON at line %d, column %d: %s", jerr.line,
			 jerr.column, parse_error(json_error_code(&jerr)));
		return ERR_INPUT;
	}
	if (!json_is_object(root)) {
		json_decref(root);
		snprintf(msg, msglen, "expected a JSON object");
		return ERR_INPUT;
	}
	if (depth_of(root, JSONX_MAX_DEPTH) > JSONX_MAX_DEPTH) {
		json_decref(root);
		snprintf(msg, msglen, "JSON nested deeper than %d levels", JSONX_MAX_DEPTH);
		return ERR_INPUT;
	}
	*out = malloc(sizeof(**out));
	if (*out == NULL)
		abort();
	(*out)->root = root;
	return ERR_OK;
}

void jsonx_doc_free(struct jsonx_doc *d)
{
	if (d == NULL)
		return;
	json_decref(d->root);
	free(d);
}

/* Follows a dotted path through nested objects. */
static json_t *lookup(const struct jsonx_doc *d, const char *path)
{
	json_t *v = d->root;
	char key[128];

	while (v != NULL && *path != '\0') {
		const char *dot = strchr(path, '.');
		size_t len = dot ? (size_t)(dot - path) : strlen(path);

		if (len >= sizeof(key) || !json_is_object(v))
			return NULL;
		memcpy(key, path, len);
		key[len] = '\0';
		v = json_object_get(v, key);
		path += len + (dot ? 1 : 0);
	}
	return v;
}

bool jsonx_get_str(const struct jsonx_doc *d, const char *path, const char **out)
{
	json_t *v = lookup(d, path);

	*out = NULL;
	if (!json_is_string(v))
		return false;
	*out = json_string_value(v);
	return true;
}

bool jsonx_get_str_first(const struct jsonx_doc *d, const char *path, const char **out)
{
	json_t *v = lookup(d, path);

	*out = NULL;
	if (json_is_array(v))
		v = json_array_get(v, 0);
	if (!json_is_string(v))
		return false;
	*out = json_string_value(v);
	return true;
}

bool jsonx_get_int(const struct jsonx_doc *d, const char *path, int64_t *out)
{
	json_t *v = lookup(d, path);

	*out = 0;
	if (!json_is_integer(v))
		return false;
	*out = (int64_t)json_integer_value(v);
	return true;
}

bool jsonx_get_num(const struct jsonx_doc *d, const char *path, double *out)
{
	json_t *v = lookup(d, path);

	*out = 0;
	if (!json_is_number(v))
		return false;
	*out = json_number_value(v);
	return true;
}

bool jsonx_get_bool(const struct jsonx_doc *d, const char *path, bool *out)
{
	json_t *v = lookup(d, path);

	*out = false;
	if (!json_is_boolean(v))
		return false;
	*out = json_is_true(v);
	return true;
}

bool jsonx_get_len(const struct jsonx_doc *d, const char *path, size_t *out)
{
	json_t *v = lookup(d, path);

	*out = 0;
	if (json_is_array(v))
		*out = json_array_size(v);
	else if (json_is_object(v))
		*out = json_object_size(v);
	else
		return false;
	return true;
}

bool jsonx_get_elem(const struct jsonx_doc *d, const char *path, size_t i, struct jsonx_doc **out)
{
	json_t *v = lookup(d, path);

	*out = NULL;
	if (!json_is_array(v) || i >= json_array_size(v))
		return false;
	*out = malloc(sizeof(**out));
	if (*out == NULL)
		abort();
	(*out)->root = json_incref(json_array_get(v, i));
	return true;
}

bool jsonx_has(const struct jsonx_doc *d, const char *path)
{
	return lookup(d, path) != NULL;
}

/* The object at path, made (with the objects on the way) when absent; NULL when something
 * on the way is not an object. */
static json_t *make_path(struct jsonx_doc *d, const char *path, const char **last)
{
	json_t *v = d->root, *next;
	char key[128];

	for (;;) {
		const char *dot = strchr(path, '.');
		size_t len = dot ? (size_t)(dot - path) : strlen(path);

		if (dot == NULL) {
			*last = path;
			return json_is_object(v) ? v : NULL;
		}
		if (len >= sizeof(key) || !json_is_object(v))
			return NULL;
		memcpy(key, path, len);
		key[len] = '\0';
		next = json_object_get(v, key);
		if (next == NULL) {
			next = json_object();
			if (next == NULL || json_object_set_new(v, key, next) != 0)
				abort();
		}
		v = next;
		path = dot + 1;
	}
}

bool jsonx_set_str(struct jsonx_doc *d, const char *path, const char *value)
{
	const char *last;
	json_t *o = make_path(d, path, &last), *s;

	if (o == NULL || (s = json_string(value)) == NULL)
		return false;
	return json_object_set_new(o, last, s) == 0;
}

bool jsonx_set_bool(struct jsonx_doc *d, const char *path, bool value)
{
	const char *last;
	json_t *o = make_path(d, path, &last);

	return o != NULL && json_object_set_new(o, last, json_boolean(value)) == 0;
}

bool jsonx_del(struct jsonx_doc *d, const char *path)
{
	const char *last;
	json_t *o = make_path(d, path, &last);

	return o != NULL && json_object_del(o, last) == 0;
}

static int dump_cb(const char *p, size_t n, void *arg)
{
	return buf_append(arg, p, n) ? 0 : -1;
}

bool jsonx_dump(const struct jsonx_doc *d, const char *path, struct buf *out)
{
	json_t *v = lookup(d, path);

	return v != NULL &&
	       json_dump_callback(v, dump_cb, out, JSON_COMPACT | JSON_ENCODE_ANY) == 0;
}

bool jsonx_dump_canonical(const struct jsonx_doc *d, struct buf *out)
{
	return json_dump_callback(d->root, dump_cb, out, JSON_COMPACT | JSON_SORT_KEYS) == 0;
}
