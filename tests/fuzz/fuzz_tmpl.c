/* libFuzzer target: tmpl_compile() on arbitrary bytes and, when they compile, tmpl_render()
 * twice against a fixed context and a few partials (nested, indented, recursive, endless)
 * into a bounded buffer. The context keeps every list longer than one out of its own
 * elements' reach (each element shadows the list's name), so no template can make the
 * render exponential through the data. */
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "../../lib/tmpl.h"

#define OUT_MAX (64 * 1024)

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static struct arena arena;
static const struct tmpl_value *ctx;
static struct tmpl_set *partials;

static void must(bool ok)
{
	if (!ok)
		abort();
}

static struct tmpl_value *item(const char *name)
{
	struct tmpl_value *m = tmpl_map(&arena), *tags = tmpl_list(&arena);

	must(tmpl_list_push(tags, tmpl_str(&arena, "t&g")));
	must(tmpl_map_set(m, "name", tmpl_str(&arena, name)));
	must(tmpl_map_set(m, "items", tmpl_bool(false)));
	must(tmpl_map_set(m, "tags", tags));
	return m;
}

static struct tmpl_value *node(const char *content, struct tmpl_value *child)
{
	struct tmpl_value *m = tmpl_map(&arena), *nodes = tmpl_list(&arena);

	if (child != NULL)
		must(tmpl_list_push(nodes, child));
	must(tmpl_map_set(m, "content", tmpl_str(&arena, content)));
	must(tmpl_map_set(m, "nodes", nodes));
	return m;
}

static void setup(void)
{
	static const char *const parts[][2] = {
	    {"p", "<{{name}}|{{{name}}}>\n"},
	    {"indent", "a\n  {{>p}}\n{{#items}}\n  {{>p}}\n{{/items}}\nb"},
	    {"node", "{{content}}<{{#nodes}}{{>node}}{{/nodes}}>"},
	    {"loop", "{{>loop}}"},
	    {"loop2", "x{{>loop2}}{{>loop2}}"},
	    {"dir/delim", "{{=| |=}}|name| {{name}}\n"},
	    {"empty", ""}};
	struct tmpl_value *root, *one, *items, *m, *n;
	char msg[256];
	size_t i;

	arena_init(&arena, 4096, 0);
	root = tmpl_map(&arena);
	must(tmpl_map_set(root, "name", tmpl_str(&arena, "Jo & <b>'s \"x\"")));
	must(tmpl_map_set(root, "num", tmpl_num(&arena, 1.5)));
	must(tmpl_map_set(root, "int", tmpl_int(&arena, -42)));
	must(tmpl_map_set(root, "t", tmpl_bool(true)));
	must(tmpl_map_set(root, "f", tmpl_bool(false)));
	must(tmpl_map_set(root, "nul", tmpl_null()));
	must(tmpl_map_set(root, "empty", tmpl_str(&arena, "")));
	must(tmpl_map_set(root, "lines", tmpl_str(&arena, "one\ntwo\n")));
	one = tmpl_list(&arena);
	must(tmpl_list_push(one, tmpl_str(&arena, "x")));
	must(tmpl_map_set(root, "one", one));
	items = tmpl_list(&arena);
	must(tmpl_list_push(items, item("a")));
	must(tmpl_list_push(items, item("b<")));
	must(tmpl_list_push(items, item("c")));
	must(tmpl_map_set(root, "items", items));
	m = tmpl_map(&arena);
	n = tmpl_map(&arena);
	must(tmpl_map_set(n, "name", tmpl_str(&arena, "deep")));
	must(tmpl_map_set(n, "zero", tmpl_int(&arena, 0)));
	must(tmpl_map_set(m, "name", tmpl_str(&arena, "inner")));
	must(tmpl_map_set(m, "n", n));
	must(tmpl_map_set(root, "m", m));
	must(tmpl_map_set(root, "tree", node("X", node("Y", node("Z", NULL)))));
	ctx = root;

	partials = tmpl_set_new();
	for (i = 0; i < sizeof(parts) / sizeof(parts[0]); i++)
		must(tmpl_set_add(partials, parts[i][0], parts[i][1], strlen(parts[i][1]), msg,
				  sizeof(msg)) == ERR_OK);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	/* Exactly size bytes, no NUL after them: the compiler must honour the length. */
	char *p = malloc(size ? size : 1);
	struct tmpl_partials pp;
	struct buf out, again;
	struct tmpl *t = NULL;
	char msg[256];
	enum err e, e2;

	if (p == NULL)
		abort();
	if (ctx == NULL)
		setup();
	memcpy(p, data, size);
	msg[0] = 'x';
	e = tmpl_compile(p, size, &t, msg, sizeof(msg));
	free(p); /* the template keeps its own copy */
	if (e != ERR_OK) {
		if (e != ERR_INPUT || t != NULL || strncmp(msg, "line ", 5) != 0)
			abort();
		return 0;
	}
	if (t == NULL || msg[0] != '\0')
		abort();

	pp = tmpl_set_partials(partials);
	buf_init(&out, OUT_MAX);
	buf_init(&again, OUT_MAX);
	e = tmpl_render(t, ctx, &pp, &out);
	e2 = tmpl_render(t, ctx, &pp, &again);
	if (e != ERR_OK && e != ERR_TOOBIG && e != ERR_LIMIT)
		abort();
	/* Rendering reads nothing but its arguments, and a failure leaves nothing behind. */
	if (e2 != e || out.len != again.len || (out.len > 0 && memcmp(out.p, again.p, out.len)))
		abort();
	if (out.len > OUT_MAX || (e != ERR_OK && out.len != 0))
		abort();
	if (out.cap > 0 && out.p[out.len] != '\0')
		abort();
	buf_free(&out);
	buf_free(&again);
	tmpl_free(t);
	return 0;
}
