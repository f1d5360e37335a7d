/* Mustache: values in an arena, a compiler from text to a flat program, its interpreter, and
 * named sets of compiled templates loaded from a folder. */
#include "tmpl.h"

#include <assert.h>
#include <dirent.h>
#include <errno.h>
#include <float.h>
#include <inttypes.h>
#include <limits.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include "str.h"

/* Folders below tmpl_set_load()'s root, deeper than which it gives up (a symlink loop). */
#define SET_MAX_DIRS 16
/* Longest piece of a tag name quoted in an error message. */
#define MSG_NAME 40

static void *xrealloc(void *p, size_t n)
{
	p = realloc(p, n);
	if (p == NULL) {
		fputs("tmpl: out of memory\n", stderr);
		abort();
	}
	return p;
}

/* Values. */

static const struct tmpl_value null_value = {.kind = TMPL_NULL};
static const struct tmpl_value true_value = {.kind = TMPL_BOOL, .b = true};
static const struct tmpl_value false_value = {.kind = TMPL_BOOL, .b = false};

const struct tmpl_value *tmpl_null(void)
{
	return &null_value;
}

const struct tmpl_value *tmpl_bool(bool b)
{
	return b ? &true_value : &false_value;
}

static struct tmpl_value *value_new(struct arena *a, enum tmpl_kind kind)
{
	struct tmpl_value *v = arena_alloc(a, sizeof(*v));

	if (v != NULL)
		v->kind = kind;
	return v;
}

/* A string or number value holding a copy of text. */
static const struct tmpl_value *value_text(struct arena *a, enum tmpl_kind kind, double n,
					   const char *text, size_t len)
{
	struct tmpl_value *v = value_new(a, kind);
	char *copy;

	if (v == NULL || (copy = arena_strndup(a, text, len)) == NULL)
		return NULL;
	v->n = n;
	v->s = copy;
	v->len = len;
	return v;
}

const struct tmpl_value *tmpl_str(struct arena *a, const char *s)
{
	return s == NULL ? &null_value : tmpl_strn(a, s, strlen(s));
}

const struct tmpl_value *tmpl_strn(struct arena *a, const char *s, size_t n)
{
	if (s == NULL)
		return &null_value;
	return value_text(a, TMPL_STR, 0, s, n);
}

const struct tmpl_value *tmpl_int(struct arena *a, int64_t v)
{
	char text[24];
	int n = snprintf(text, sizeof(text), "%" PRId64, v);

	return value_text(a, TMPL_NUM, (double)v, text, (size_t)n);
}

const struct tmpl_value *tmpl_num(struct arena *a, double v)
{
	char text[32];
	int n, prec;

	if (v != v)
		n = snprintf(text, sizeof(text), "NaN");
	else if (v > DBL_MAX || v < -DBL_MAX)
		n = snprintf(text, sizeof(text), "%sInfinity", v < 0 ? "-" : "");
	else if (v == 0)
		n = snprintf(text, sizeof(text), "0"); /* -0 too */
	else if (v > -9007199254740992.0 && v < 9007199254740992.0 && v == (double)(int64_t)v)
		n = snprintf(text, sizeof(text), "%" PRId64, (int64_t)v);
	else
		/* A normal double carries over 15 significant digits, so rounding it to 15
		 * gives its shortest form whenever one of 15 or fewer digits exists (%g drops
		 * trailing zeros); 17 always reads back. Subnormals carry fewer digits. */
		for (prec = v < DBL_MIN && v > -DBL_MIN ? 1 : 15;; prec++) {
			n = snprintf(text, sizeof(text), "%.*g", prec, v);
			if (prec == 17 || strtod(text, NULL) == v)
				break;
		}
	return value_text(a, TMPL_NUM, v, text, (size_t)n);
}

struct tmpl_value *tmpl_list(struct arena *a)
{
	struct tmpl_value *v = value_new(a, TMPL_LIST);

	if (v != NULL)
		v->arena = a;
	return v;
}

struct tmpl_value *tmpl_map(struct arena *a)
{
	struct tmpl_value *v = value_new(a, TMPL_MAP);

	if (v != NULL)
		v->arena = a;
	return v;
}

/* Appends an item (key copied unless NULL) to the container c, or marks c incomplete. */
static bool item_add(struct tmpl_value *c, const char *key, size_t keylen,
		     const struct tmpl_value *v)
{
	struct tmpl_item *it;

	if (v == NULL || (it = arena_alloc(c->arena, sizeof(*it))) == NULL ||
	    (key != NULL && (it->key = arena_strndup(c->arena, key, keylen)) == NULL)) {
		c->incomplete = true;
		return false;
	}
	it->keylen = keylen;
	it->v = v;
	if (c->tail != NULL)
		c->tail->next = it;
	else
		c->head = it;
	c->tail = it;
	c->count++;
	return true;
}

bool tmpl_list_push(struct tmpl_value *l, const struct tmpl_value *v)
{
	if (l == NULL)
		return false;
	assert(l->kind == TMPL_LIST);
	return item_add(l, NULL, 0, v);
}

static struct tmpl_item *map_find(const struct tmpl_value *m, const char *key, size_t keylen)
{
	struct tmpl_item *it;

	for (it = m->head; it != NULL; it = it->next)
		if (it->keylen == keylen && memcmp(it->key, key, keylen) == 0)
			return it;
	return NULL;
}

bool tmpl_map_set(struct tmpl_value *m, const char *key, const struct tmpl_value *v)
{
	size_t keylen = strlen(key);
	struct tmpl_item *it;

	if (m == NULL)
		return false;
	assert(m->kind == TMPL_MAP);
	it = map_find(m, key, keylen);
	if (it == NULL)
		return item_add(m, key, keylen, v);
	if (v == NULL) {
		m->incomplete = true;
		return false;
	}
	it->v = v;
	return true;
}

const struct tmpl_value *tmpl_map_get(const struct tmpl_value *m, const char *key)
{
	struct tmpl_item *it;

	if (m == NULL || m->kind != TMPL_MAP)
		return NULL;
	it = map_find(m, key, strlen(key));
	return it != NULL ? it->v : NULL;
}

/* The program. Text is split at line starts, where an OP_INDENT writes the indentation of
 * the standalone partial tags being rendered (nothing at the top level): the spec indents
 * every line of a partial's source, so output from values is never indented. */

enum op_kind {
	OP_TEXT,     /* text: written as it is */
	OP_INDENT,   /* a line of the source starts here */
	OP_VAR,	     /* {{name}}: escaped */
	OP_RAW,	     /* {{{name}}}, {{&name}} */
	OP_SECTION,  /* {{#name}}: the body is ops [this + 1, end) */
	OP_INVERTED, /* {{^name}} */
	OP_PARTIAL,  /* {{>text}} */
	OP__MAX
};

struct op {
	enum op_kind kind;
	bool standalone;   /* OP_PARTIAL: alone on its line; `indent` is what preceded it */
	struct str text;   /* OP_TEXT: the bytes; other tags: the name as written */
	struct str indent; /* OP_PARTIAL */
	size_t seg, nseg;  /* names: tmpl.segs[seg, seg + nseg), the dotted parts; 0 for "." */
	size_t end;	   /* sections: index of the op after the body */
	size_t at;	   /* offset of the tag in the source, for messages */
};

struct tmpl {
	char *src; /* our copy of the text; every struct str points into it */
	size_t len;
	struct op *ops;
	size_t nops, capops;
	struct str *segs;
	size_t nsegs, capsegs;
};

struct compiler {
	struct tmpl *t;
	const char *src;
	size_t len;
	size_t pos;		    /* where the text not yet compiled begins */
	struct str otag, ctag;	    /* the current delimiters */
	bool bol;		    /* at a line start that has no OP_INDENT yet */
	size_t open[TMPL_MAX_NEST]; /* the open sections, as op indexes */
	size_t nopen;
	char *msg;
	size_t msglen;
};

static size_t line_of(const char *src, size_t at)
{
	size_t line = 1, i;

	for (i = 0; i < at; i++)
		line += src[i] == '\n';
	return line;
}

static enum err fail(struct compiler *c, size_t at, const char *fmt, ...)
    __attribute__((format(printf, 3, 4)));

static enum err fail(struct compiler *c, size_t at, const char *fmt, ...)
{
	va_list ap;
	int n;

	if (c->msglen == 0)
		return ERR_INPUT;
	n = snprintf(c->msg, c->msglen, "line %zu: ", line_of(c->src, at));
	if (n > 0 && (size_t)n < c->msglen) {
		va_start(ap, fmt);
		vsnprintf(c->msg + n, c->msglen - (size_t)n, fmt, ap);
		va_end(ap);
	}
	return ERR_INPUT;
}

static bool is_blank(char ch)
{
	return ch == ' ' || ch == '\t';
}

static bool is_space(char ch)
{
	return ch == ' ' || ch == '\t' || ch == '\n' || ch == '\r' || ch == '\f' || ch == '\v';
}

static struct str trim(struct str s)
{
	while (s.len > 0 && is_space(s.p[0])) {
		s.p++;
		s.len--;
	}
	while (s.len > 0 && is_space(s.p[s.len - 1]))
		s.len--;
	return s;
}

static bool has_space(struct str s)
{
	size_t i;

	for (i = 0; i < s.len; i++)
		if (is_space(s.p[i]))
			return true;
	return false;
}

static struct op *op_add(struct compiler *c, enum op_kind kind, size_t at)
{
	struct tmpl *t = c->t;
	struct op *o;

	if (t->nops == t->capops) {
		t->capops = t->capops ? 2 * t->capops : 16;
		t->ops = xrealloc(t->ops, t->capops * sizeof(*t->ops));
	}
	o = &t->ops[t->nops++];
	memset(o, 0, sizeof(*o));
	o->kind = kind;
	o->at = at;
	return o;
}

/* Writes the OP_INDENT owed to a line start before anything else on the line. */
static void flush_bol(struct compiler *c, size_t at)
{
	if (c->bol)
		op_add(c, OP_INDENT, at);
	c->bol = false;
}

/* Adds src[from, to) as text, with an OP_INDENT after every newline that something
 * follows. */
static void emit_text(struct compiler *c, size_t from, size_t to)
{
	while (from < to) {
		const char *nl = memchr(c->src + from, '\n', to - from);
		size_t end = nl != NULL ? (size_t)(nl - c->src) + 1 : to;
		struct op *o;

		flush_bol(c, from);
		o = op_add(c, OP_TEXT, from);
		o->text.p = c->src + from;
		o->text.len = end - from;
		c->bol = nl != NULL;
		from = end;
	}
}

/* Splits a variable or section name into its dotted parts. */
static enum err add_name(struct compiler *c, struct op *o, struct str name)
{
	struct tmpl *t = c->t;
	size_t at = o->at, i, start = 0;

	o->text = name;
	o->seg = t->nsegs;
	if (name.len == 1 && name.p[0] == '.')
		return ERR_OK;
	for (i = 0; i <= name.len; i++) {
		if (i < name.len && name.p[i] != '.')
			continue;
		if (i == start)
			return fail(c, at, "empty part in the name \"%.*s\"",
				    (int)(name.len < MSG_NAME ? name.len : MSG_NAME), name.p);
		if (t->nsegs == t->capsegs) {
			t->capsegs = t->capsegs ? 2 * t->capsegs : 16;
			t->segs = xrealloc(t->segs, t->capsegs * sizeof(*t->segs));
		}
		t->segs[t->nsegs].p = name.p + start;
		t->segs[t->nsegs].len = i - start;
		t->nsegs++;
		o->nseg++;
		start = i + 1;
	}
	return ERR_OK;
}

/* Finds the first `ch` immediately followed by the closing delimiter at or after from;
 * with ch == 0, just the closing delimiter. Returns its offset or len. */
static size_t find_close(const struct compiler *c, size_t from, char ch)
{
	size_t at = from;

	for (;;) {
		const char *p = memmem(c->src + at, c->len - at, c->ctag.p, c->ctag.len);

		if (p == NULL)
			return c->len;
		at = (size_t)(p - c->src);
		if (ch == 0)
			return at;
		if (at > from && c->src[at - 1] == ch)
			return at - 1;
		at++;
	}
}

/* If the tag in src[at, end) is alone on its line but for spaces and tabs, gives where that
 * line starts and where the next one does (after "\n" or "\r\n", or the end). */
static bool standalone(const struct compiler *c, size_t at, size_t end, size_t *ls, size_t *eol)
{
	const char *s = c->src;
	size_t i = at;

	while (i > c->pos && is_blank(s[i - 1]))
		i--;
	/* Before pos lies the previous tag, unless pos starts a line itself. */
	if (i > c->pos ? s[i - 1] != '\n' : i > 0 && s[i - 1] != '\n')
		return false;
	*ls = i;
	for (i = end; i < c->len && is_blank(s[i]); i++)
		;
	if (i == c->len)
		*eol = i;
	else if (s[i] == '\n')
		*eol = i + 1;
	else if (s[i] == '\r' && i + 1 < c->len && s[i + 1] == '\n')
		*eol = i + 2;
	else
		return false;
	return true;
}

/* {{=open close=}}: two words without whitespace. */
static enum err set_delimiters(struct compiler *c, size_t at, struct str body)
{
	struct str open, close;
	size_t i;

	body = trim(body);
	for (i = 0; i < body.len && !is_space(body.p[i]); i++)
		;
	open.p = body.p;
	open.len = i;
	close.p = body.p + i;
	close.len = body.len - i;
	close = trim(close);
	if (open.len == 0 || close.len == 0 || has_space(close))
		return fail(c, at,
			    "bad set-delimiter tag (want two delimiters, as in {{=<%% %%>=}})");
	c->otag = open;
	c->ctag = close;
	return ERR_OK;
}

/* Compiles the tag whose opening delimiter is at `at`. */
static enum err compile_tag(struct compiler *c, size_t at)
{
	const char *s = c->src;
	size_t p = at + c->otag.len, close, end, ls = at, eol = at;
	char sigil = p < c->len ? s[p] : 0;
	struct str body, name;
	struct op *o;
	enum op_kind kind;
	bool alone;
	enum err e;

	switch (sigil) {
	case '{':
		close = find_close(c, p + 1, '}');
		end = close + 1 + c->ctag.len;
		p++;
		break;
	case '=':
		close = find_close(c, p + 1, '=');
		end = close + 1 + c->ctag.len;
		p++;
		break;
	case '!':
	case '&':
	case '#':
	case '^':
	case '/':
	case '>':
		close = find_close(c, p + 1, 0);
		end = close + c->ctag.len;
		p++;
		break;
	default:
		sigil = 0;
		close = find_close(c, p, 0);
		end = close + c->ctag.len;
		break;
	}
	if (close == c->len)
		return fail(c, at, "unclosed tag (no \"%.*s\" after \"%.*s\")", (int)c->ctag.len,
			    c->ctag.p, (int)c->otag.len, c->otag.p);
	body.p = s + p;
	body.len = close - p;

	alone = sigil != 0 && sigil != '{' && sigil != '&' && standalone(c, at, end, &ls, &eol);
	emit_text(c, c->pos, alone ? ls : at);
	if (alone) {
		/* The whole line goes; the next one starts a line. */
		c->pos = eol;
		c->bol = true;
	} else {
		flush_bol(c, at);
		c->pos = end;
	}

	if (sigil == '!')
		return ERR_OK;
	if (sigil == '=')
		return set_delimiters(c, at, body);

	name = trim(body);
	if (name.len == 0)
		return fail(c, at, "empty tag");
	if (has_space(name))
		return fail(c, at, "the name \"%.*s\" contains whitespace",
			    (int)(name.len < MSG_NAME ? name.len : MSG_NAME), name.p);

	switch (sigil) {
	case '/':
		if (c->nopen == 0)
			return fail(c, at, "\"/%.*s\" closes no section",
				    (int)(name.len < MSG_NAME ? name.len : MSG_NAME), name.p);
		o = &c->t->ops[c->open[--c->nopen]];
		if (o->text.len != name.len || memcmp(o->text.p, name.p, name.len) != 0)
			return fail(c, at, "\"/%.*s\" closes the section \"%.*s\" of line %zu",
				    (int)(name.len < MSG_NAME ? name.len : MSG_NAME), name.p,
				    (int)(o->text.len < MSG_NAME ? o->text.len : MSG_NAME),
				    o->text.p, line_of(s, o->at));
		o->end = c->t->nops;
		return ERR_OK;
	case '>':
		o = op_add(c, OP_PARTIAL, at);
		o->text = name;
		o->standalone = alone;
		if (alone) {
			o->indent.p = s + ls;
			o->indent.len = at - ls;
		}
		return ERR_OK;
	case '#':
	case '^':
		if (c->nopen == TMPL_MAX_NEST)
			return fail(c, at, "sections nested deeper than %d", TMPL_MAX_NEST);
		c->open[c->nopen++] = c->t->nops;
		kind = sigil == '#' ? OP_SECTION : OP_INVERTED;
		break;
	case '{':
	case '&':
		kind = OP_RAW;
		break;
	default:
		kind = OP_VAR;
		break;
	}
	o = op_add(c, kind, at);
	e = add_name(c, o, name);
	return e;
}

enum err tmpl_compile(const char *text, size_t len, struct tmpl **out, char *msg, size_t msglen)
{
	struct compiler c;
	struct tmpl *t;
	enum err e = ERR_OK;

	*out = NULL;
	if (msglen > 0)
		msg[0] = '\0';
	t = xrealloc(NULL, sizeof(*t));
	memset(t, 0, sizeof(*t));
	t->src = xrealloc(NULL, len + 1);
	if (len > 0)
		memcpy(t->src, text, len);
	t->src[len] = '\0';
	t->len = len;

	memset(&c, 0, sizeof(c));
	c.t = t;
	c.src = t->src;
	c.len = len;
	c.otag = STR_LIT("{{");
	c.ctag = STR_LIT("}}");
	c.bol = true;
	c.msg = msg;
	c.msglen = msglen;
	while (e == ERR_OK) {
		const char *p = memmem(c.src + c.pos, len - c.pos, c.otag.p, c.otag.len);

		if (p == NULL) {
			emit_text(&c, c.pos, len);
			break;
		}
		e = compile_tag(&c, (size_t)(p - c.src));
	}
	if (e == ERR_OK && c.nopen > 0) {
		const struct op *o = &t->ops[c.open[c.nopen - 1]];

		e = fail(&c, o->at, "the section \"%.*s\" is never closed",
			 (int)(o->text.len < MSG_NAME ? o->text.len : MSG_NAME), o->text.p);
	}
	if (e != ERR_OK) {
		tmpl_free(t);
		return e;
	}
	*out = t;
	return ERR_OK;
}

void tmpl_free(struct tmpl *t)
{
	if (t == NULL)
		return;
	free(t->src);
	free(t->ops);
	free(t->segs);
	free(t);
}

/* Rendering. */

/* The context stack, innermost first, kept in the C stack of the renderer. */
struct frame {
	const struct tmpl_value *v;
	const struct frame *up;
};

struct render {
	const struct tmpl_partials *p;
	struct buf *out;
	struct str indent[TMPL_MAX_DEPTH]; /* one per standalone partial being rendered */
	size_t base, n;			   /* the current indentation: indent[base, n) */
	int depth;			   /* partials being rendered */
};

static bool truthy(const struct tmpl_value *v)
{
	if (v == NULL)
		return false;
	switch (v->kind) {
	case TMPL_NULL:
		return false;
	case TMPL_BOOL:
		return v->b;
	case TMPL_NUM:
		return v->n != 0;
	case TMPL_STR:
		return v->len > 0;
	case TMPL_LIST:
		return v->count > 0;
	case TMPL_MAP:
		return true;
	case TMPL__MAX:
		break;
	}
	return false;
}

/* Looks key up in v if it is a map: false when it is another kind or lacks the key. */
static enum err member(const struct tmpl_value *v, struct str key, const struct tmpl_value **out)
{
	const struct tmpl_item *it;

	*out = NULL;
	if (v->kind != TMPL_MAP)
		return ERR_OK;
	if (v->incomplete)
		return ERR_TOOBIG;
	it = map_find(v, key.p, key.len);
	if (it != NULL)
		*out = it->v;
	return ERR_OK;
}

/* Resolves the name of o as the spec says: its first part in the nearest context that has
 * it, the others each in the value before. *out is NULL for a name that resolves to
 * nothing. */
static enum err lookup(const struct tmpl *t, const struct op *o, const struct frame *top,
		       const struct tmpl_value **out)
{
	const struct tmpl_value *v = NULL;
	const struct frame *f;
	const struct str *seg;
	size_t k;
	enum err e;

	*out = NULL;
	if (o->nseg == 0) {
		v = top->v;
	} else {
		seg = t->segs + o->seg;
		for (f = top; f != NULL && v == NULL; f = f->up)
			if ((e = member(f->v, seg[0], &v)) != ERR_OK)
				return e;
		for (k = 1; k < o->nseg && v != NULL; k++)
			if ((e = member(v, seg[k], &v)) != ERR_OK)
				return e;
	}
	if (v != NULL && (v->kind == TMPL_LIST || v->kind == TMPL_MAP) && v->incomplete)
		return ERR_TOOBIG;
	*out = v;
	return ERR_OK;
}

static bool put_escaped(struct buf *b, const char *s, size_t n)
{
	size_t i, run = 0;
	const char *rep;

	for (i = 0; i < n; i++) {
		switch (s[i]) {
		case '&':
			rep = "&amp;";
			break;
		case '<':
			rep = "&lt;";
			break;
		case '>':
			rep = "&gt;";
			break;
		case '"':
			rep = "&quot;";
			break;
		case '\'':
			rep = "&#39;";
			break;
		default:
			continue;
		}
		if (!buf_append(b, s + run, i - run) || !buf_puts(b, rep))
			return false;
		run = i + 1;
	}
	return buf_append(b, s + run, n - run);
}

static bool put_value(struct buf *b, const struct tmpl_value *v, bool escape)
{
	if (v == NULL)
		return true;
	switch (v->kind) {
	case TMPL_STR:
	case TMPL_NUM:
		return escape ? put_escaped(b, v->s, v->len) : buf_append(b, v->s, v->len);
	case TMPL_BOOL:
		return buf_puts(b, v->b ? "true" : "false");
	case TMPL_NULL:
	case TMPL_LIST:
	case TMPL_MAP:
	case TMPL__MAX:
		break;
	}
	return true;
}

static enum err render_ops(struct render *r, const struct tmpl *t, size_t from, size_t to,
			   const struct frame *top);

static enum err render_partial(struct render *r, const struct op *o, const struct frame *top)
{
	const struct tmpl *pt;
	size_t base = r->base, n = r->n;
	enum err e;

	if (r->p == NULL || r->p->find == NULL)
		return ERR_OK;
	pt = r->p->find(r->p->arg, o->text.p, o->text.len);
	if (pt == NULL)
		return ERR_OK;
	if (r->depth == TMPL_MAX_DEPTH)
		return ERR_LIMIT;
	/* A standalone tag's indentation joins the one it is rendered under; a partial within
	 * a line is not indented at all, as if its source were pasted in. */
	if (o->standalone)
		r->indent[r->n++] = o->indent;
	else
		r->base = r->n;
	r->depth++;
	e = render_ops(r, pt, 0, pt->nops, top);
	r->depth--;
	r->base = base;
	r->n = n;
	return e;
}

static enum err render_ops(struct render *r, const struct tmpl *t, size_t from, size_t to,
			   const struct frame *top)
{
	const struct tmpl_value *v;
	const struct tmpl_item *it;
	struct frame f;
	size_t i = from, k;
	enum err e;

	while (i < to) {
		const struct op *o = &t->ops[i];

		switch (o->kind) {
		case OP_TEXT:
			if (!buf_append(r->out, o->text.p, o->text.len))
				return ERR_TOOBIG;
			i++;
			break;
		case OP_INDENT:
			for (k = r->base; k < r->n; k++)
				if (!buf_append(r->out, r->indent[k].p, r->indent[k].len))
					return ERR_TOOBIG;
			i++;
			break;
		case OP_VAR:
		case OP_RAW:
			if ((e = lookup(t, o, top, &v)) != ERR_OK)
				return e;
			if (!put_value(r->out, v, o->kind == OP_VAR))
				return ERR_TOOBIG;
			i++;
			break;
		case OP_SECTION:
			if ((e = lookup(t, o, top, &v)) != ERR_OK)
				return e;
			f.up = top;
			if (v != NULL && v->kind == TMPL_LIST) {
				for (it = v->head; it != NULL; it = it->next) {
					f.v = it->v;
					if ((e = render_ops(r, t, i + 1, o->end, &f)) != ERR_OK)
						return e;
				}
			} else if (truthy(v)) {
				f.v = v;
				if ((e = render_ops(r, t, i + 1, o->end, &f)) != ERR_OK)
					return e;
			}
			i = o->end;
			break;
		case OP_INVERTED:
			if ((e = lookup(t, o, top, &v)) != ERR_OK)
				return e;
			if (!truthy(v) && (e = render_ops(r, t, i + 1, o->end, top)) != ERR_OK)
				return e;
			i = o->end;
			break;
		case OP_PARTIAL:
			if ((e = render_partial(r, o, top)) != ERR_OK)
				return e;
			i++;
			break;
		case OP__MAX:
			assert(0);
			return ERR_INPUT;
		}
	}
	return ERR_OK;
}

enum err tmpl_render(const struct tmpl *t, const struct tmpl_value *ctx,
		     const struct tmpl_partials *p, struct buf *out)
{
	struct render r;
	struct frame root = {ctx, NULL};
	size_t start = out->len;
	enum err e = ERR_TOOBIG;

	assert(t != NULL);
	r.p = p;
	r.out = out;
	r.base = r.n = 0;
	r.depth = 0;
	if (ctx != NULL)
		e = render_ops(&r, t, 0, t->nops, &root);
	if (e != ERR_OK) {
		out->len = start;
		if (out->cap > 0)
			out->p[start] = '\0';
	}
	return e;
}

/* Sets: entries sorted by name for a binary search. */

struct set_entry {
	char *name;
	size_t len;
	struct tmpl *t;
};

struct tmpl_set {
	struct set_entry *e;
	size_t n, cap;
};

struct tmpl_set *tmpl_set_new(void)
{
	struct tmpl_set *s = xrealloc(NULL, sizeof(*s));

	memset(s, 0, sizeof(*s));
	return s;
}

void tmpl_set_free(struct tmpl_set *s)
{
	size_t i;

	if (s == NULL)
		return;
	for (i = 0; i < s->n; i++) {
		free(s->e[i].name);
		tmpl_free(s->e[i].t);
	}
	free(s->e);
	free(s);
}

static int name_cmp(const char *a, size_t alen, const char *b, size_t blen)
{
	int c = memcmp(a, b, alen < blen ? alen : blen);

	if (c != 0)
		return c;
	return alen < blen ? -1 : alen > blen;
}

/* The index of name in s, or where it would go (with *found false). */
static size_t set_find(const struct tmpl_set *s, const char *name, size_t len, bool *found)
{
	size_t lo = 0, hi = s->n;

	*found = false;
	while (lo < hi) {
		size_t mid = lo + (hi - lo) / 2;
		int c = name_cmp(s->e[mid].name, s->e[mid].len, name, len);

		if (c == 0) {
			*found = true;
			return mid;
		}
		if (c < 0)
			lo = mid + 1;
		else
			hi = mid;
	}
	return lo;
}

enum err tmpl_set_add(struct tmpl_set *s, const char *name, const char *text, size_t len, char *msg,
		      size_t msglen)
{
	size_t len_name = strlen(name), i;
	struct tmpl *t;
	char why[256];
	bool found;
	enum err e;

	if (msglen > 0)
		msg[0] = '\0';
	i = set_find(s, name, len_name, &found);
	if (found) {
		snprintf(msg, msglen, "%s: a template of that name is already loaded", name);
		return ERR_CONFLICT;
	}
	e = tmpl_compile(text, len, &t, why, sizeof(why));
	if (e != ERR_OK) {
		snprintf(msg, msglen, "%s: %s", name, why);
		return e;
	}
	if (s->n == s->cap) {
		s->cap = s->cap ? 2 * s->cap : 16;
		s->e = xrealloc(s->e, s->cap * sizeof(*s->e));
	}
	memmove(&s->e[i + 1], &s->e[i], (s->n - i) * sizeof(*s->e));
	s->e[i].name = xrealloc(NULL, len_name + 1);
	memcpy(s->e[i].name, name, len_name + 1);
	s->e[i].len = len_name;
	s->e[i].t = t;
	s->n++;
	return ERR_OK;
}

static const struct tmpl *set_lookup(const void *arg, const char *name, size_t len)
{
	const struct tmpl_set *s = arg;
	bool found;
	size_t i = set_find(s, name, len, &found);

	return found ? s->e[i].t : NULL;
}

const struct tmpl *tmpl_set_get(const struct tmpl_set *s, const char *name)
{
	return set_lookup(s, name, strlen(name));
}

size_t tmpl_set_count(const struct tmpl_set *s)
{
	return s->n;
}

struct tmpl_partials tmpl_set_partials(const struct tmpl_set *s)
{
	struct tmpl_partials p = {set_lookup, s};

	return p;
}

enum err tmpl_set_render(const struct tmpl_set *s, const char *name, const struct tmpl_value *ctx,
			 struct buf *out)
{
	const struct tmpl *t = tmpl_set_get(s, name);
	struct tmpl_partials p = tmpl_set_partials(s);

	if (t == NULL)
		return ERR_NOTFOUND;
	return tmpl_render(t, ctx, &p, out);
}

/* Reads the file at path whole into b (ceiling TMPL_MAX_FILE). */
static enum err read_file(const char *path, struct buf *b, char *msg, size_t msglen)
{
	char chunk[16384];
	FILE *f = fopen(path, "rb");
	enum err e = ERR_OK;
	size_t n;

	if (f == NULL) {
		snprintf(msg, msglen, "%s: %s", path, strerror(errno));
		return ERR_SYS;
	}
	while ((n = fread(chunk, 1, sizeof(chunk), f)) > 0)
		if (!buf_append(b, chunk, n)) {
			snprintf(msg, msglen, "%s: larger than %u bytes", path, TMPL_MAX_FILE);
			e = ERR_TOOBIG;
			goto out;
		}
	if (ferror(f)) {
		snprintf(msg, msglen, "%s: read failed", path);
		e = ERR_SYS;
	}
out:
	fclose(f);
	return e;
}

/* Adds the templates under dir, whose names start with prefix ("" at the root). */
static enum err load_dir(struct tmpl_set *s, const char *dir, const char *prefix, int depth,
			 char *msg, size_t msglen)
{
	static const char ext[] = ".mustache";
	const size_t extlen = sizeof(ext) - 1;
	char path[PATH_MAX], name[PATH_MAX];
	struct dirent *de;
	struct stat st;
	struct buf b;
	enum err e = ERR_OK;
	DIR *d = opendir(dir);
	size_t n;
	int w;

	if (d == NULL) {
		snprintf(msg, msglen, "%s: %s", dir, strerror(errno));
		return ERR_SYS;
	}
	buf_init(&b, TMPL_MAX_FILE);
	while (e == ERR_OK) {
		errno = 0;
		if ((de = readdir(d)) == NULL) {
			if (errno != 0) {
				snprintf(msg, msglen, "%s: %s", dir, strerror(errno));
				e = ERR_SYS;
			}
			break;
		}
		if (de->d_name[0] == '.')
			continue;
		w = snprintf(path, sizeof(path), "%s/%s", dir, de->d_name);
		if (w < 0 || (size_t)w >= sizeof(path)) {
			snprintf(msg, msglen, "%s/%s: path too long", dir, de->d_name);
			e = ERR_INPUT;
			break;
		}
		if (stat(path, &st) != 0) {
			snprintf(msg, msglen, "%s: %s", path, strerror(errno));
			e = ERR_SYS;
			break;
		}
		w = snprintf(name, sizeof(name), "%s%s%s", prefix, *prefix ? "/" : "", de->d_name);
		if (w < 0 || (size_t)w >= sizeof(name)) {
			snprintf(msg, msglen, "%s: path too long", path);
			e = ERR_INPUT;
			break;
		}
		if (S_ISDIR(st.st_mode)) {
			if (depth == SET_MAX_DIRS) {
				snprintf(msg, msglen, "%s: folders nested more than %d deep", path,
					 SET_MAX_DIRS);
				e = ERR_INPUT;
				break;
			}
			e = load_dir(s, path, name, depth + 1, msg, msglen);
			continue;
		}
		n = strlen(name);
		if (!S_ISREG(st.st_mode) || n <= extlen || strcmp(name + n - extlen, ext) != 0)
			continue;
		name[n - extlen] = '\0';
		buf_reset(&b);
		e = read_file(path, &b, msg, msglen);
		if (e == ERR_OK)
			e = tmpl_set_add(s, name, b.p != NULL ? b.p : "", b.len, msg, msglen);
	}
	buf_free(&b);
	closedir(d);
	return e;
}

enum err tmpl_set_load(const char *dir, struct tmpl_set **out, char *msg, size_t msglen)
{
	struct tmpl_set *s = tmpl_set_new();
	enum err e;

	*out = NULL;
	if (msglen > 0)
		msg[0] = '\0';
	e = load_dir(s, dir, "", 0, msg, msglen);
	if (e != ERR_OK) {
		tmpl_set_free(s);
		return e;
	}
	*out = s;
	return ERR_OK;
}
