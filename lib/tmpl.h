/* Logic-less Mustache templates (the official spec: interpolation, sections, inverted
 * sections, comments, partials, set delimiters; no lambdas), compiled once and rendered
 * many times into a bounded buf against a small value tree that the caller builds in an
 * arena.
 *
 * Data. A struct tmpl_value is null, a bool, a number, a string, a list, or a map whose keys
 * keep their insertion order. Containers and strings live in the struct arena given to
 * their constructor and die with it; scalars from tmpl_null()/tmpl_bool() are static. When
 * the arena's ceiling is reached a constructor returns NULL and an insertion is lost; both
 * are recorded in the container (a NULL value is a lost value), so a caller builds the
 * whole tree without checking and learns from tmpl_render(), which fails with ERR_TOOBIG
 * if it reads a container that lost something.
 *
 * Falsey values (sections skipped, inverted sections shown): a missing name, null, false,
 * a number equal to zero, the empty string and the empty list. Everything else is truthy,
 * including an empty map. Interpolation writes strings and numbers as their text, booleans
 * as "true"/"false", and nothing for null, lists, maps and missing names. {{name}} escapes
 * & < > " ' as &amp; &lt; &gt; &quot; &#39;; {{{name}}} and {{&name}} do not.
 *
 * Templates. tmpl_compile() parses once into a program that tmpl_render() walks without
 * parsing again; a compiled template is immutable, so any number of threads may render it
 * at once. Partials are found by name at render time through struct tmpl_partials, usually
 * a struct tmpl_set: the templates of one folder, compiled once. Rendering allocates
 * nothing but the output buffer's growth. Its cost is linear in the template and in the
 * data it walks, but nested sections over the same list multiply, as in every Mustache. */
#ifndef LIB_TMPL_H
#define LIB_TMPL_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "arena.h"
#include "buf.h"
#include "err.h"

/* Partials nested deeper than this fail the render with ERR_LIMIT (a partial that includes
 * itself with nothing to stop it); exactly this many nested partials still render. */
#define TMPL_MAX_DEPTH 64
/* Sections nested deeper than this in one template fail tmpl_compile() with ERR_INPUT. */
#define TMPL_MAX_NEST 64
/* tmpl_set_load() refuses template files larger than this (ERR_TOOBIG). */
#define TMPL_MAX_FILE (4u << 20)

enum tmpl_kind { TMPL_NULL, TMPL_BOOL, TMPL_NUM, TMPL_STR, TMPL_LIST, TMPL_MAP, TMPL__MAX };

/* One element of a list (key NULL) or member of a map. */
struct tmpl_item {
	struct tmpl_item *next;
	const char *key; /* NUL-terminated copy in the arena; NULL in a list */
	size_t keylen;
	const struct tmpl_value *v;
};

/* Read-only for callers, who build values with the functions below only. */
struct tmpl_value {
	enum tmpl_kind kind;
	bool b;		 /* TMPL_BOOL */
	bool incomplete; /* TMPL_LIST, TMPL_MAP: an insertion was lost to the arena's ceiling */
	double n;	 /* TMPL_NUM */
	const char *s;	 /* TMPL_STR, TMPL_NUM: the text, NUL-terminated (may hold NULs) */
	size_t len;	 /* its length */
	struct tmpl_item *head, *tail; /* TMPL_LIST, TMPL_MAP: elements in order */
	size_t count;
	struct arena *arena; /* TMPL_LIST, TMPL_MAP: where insertions allocate */
};

/* Scalars that need no storage. */
const struct tmpl_value *tmpl_null(void);
const struct tmpl_value *tmpl_bool(bool b);

/* Each copies what it is given into a and returns NULL over the arena's ceiling. A NULL s
 * (an SQL NULL, say) gives tmpl_null(). */
const struct tmpl_value *tmpl_str(struct arena *a, const char *s);
const struct tmpl_value *tmpl_strn(struct arena *a, const char *s, size_t n);
/* An integer renders in decimal. A double renders as an integer when it is one (below
 * 2^53 in magnitude: 85, -3, 0), otherwise in the fewest significant digits that read back
 * as the same double (1.21, 0.1, 1e+300); NaN and infinities render as "NaN", "Infinity"
 * and "-Infinity". */
const struct tmpl_value *tmpl_int(struct arena *a, int64_t v);
const struct tmpl_value *tmpl_num(struct arena *a, double v);
/* Empty containers, filled by the functions below. */
struct tmpl_value *tmpl_list(struct arena *a);
struct tmpl_value *tmpl_map(struct arena *a);

/* Appends v to the list l. Returns false, and marks l incomplete, when v is NULL or the
 * arena is full; a NULL l is ignored (false). v must live as long as l. */
bool tmpl_list_push(struct tmpl_value *l, const struct tmpl_value *v);
/* Sets m[key] = v (key copied): a key already present keeps its place and gets the new
 * value, which costs a scan of the map. Failure as for tmpl_list_push(). */
bool tmpl_map_set(struct tmpl_value *m, const char *key, const struct tmpl_value *v);
/* The value of key in m, or NULL when m is not a map or has no such key. */
const struct tmpl_value *tmpl_map_get(const struct tmpl_value *m, const char *key);

struct tmpl;

/* Compiles len bytes of template text (no NUL needed; NULs are text). Clears *out first.
 * ERR_INPUT with msg naming the line ("line 3: the section \"items\" is never closed") for an
 * unclosed tag, an empty or malformed name, a bad set-delimiter tag, a section closed
 * under another name or never closed, or sections nested deeper than TMPL_MAX_NEST. The
 * template owns a copy of the text: the caller's buffer may go. Free with tmpl_free(). */
enum err tmpl_compile(const char *text, size_t len, struct tmpl **out, char *msg,
		      size_t msglen) WUR;
void tmpl_free(struct tmpl *t);

/* Where tmpl_render() finds partials: find(arg, name, len) returns the compiled template
 * (which must outlive the render) or NULL, which renders as the empty string, as the spec
 * says. name is not NUL-terminated. */
struct tmpl_partials {
	const struct tmpl *(*find)(const void *arg, const char *name, size_t len);
	const void *arg;
};

/* Renders t with ctx at the bottom of the context stack and appends the text to out.
 * p may be NULL (no partials). A NULL ctx is a value its constructor failed to make; use
 * tmpl_null() for "no data". Errors, after which out is as it was before the call (except
 * for its overflow flag):
 *   ERR_TOOBIG  out reached its ceiling, or the render read a value lost to the arena's
 *               ceiling (a NULL ctx, or a container marked incomplete);
 *   ERR_LIMIT   partials nested deeper than TMPL_MAX_DEPTH. */
enum err tmpl_render(const struct tmpl *t, const struct tmpl_value *ctx,
		     const struct tmpl_partials *p, struct buf *out) WUR;

/* A set of named templates, each one usable as a page and as a partial of the others. It
 * is immutable once built, so renders may share it; to reload, build a new set and free
 * the old one when no render uses it any more. */
struct tmpl_set;

/* An empty set; aborts if out of memory. */
struct tmpl_set *tmpl_set_new(void);
/* Compiles text under name (copied). ERR_INPUT as tmpl_compile() with msg starting with
 * the name ("pages/home: line 4: ..."); ERR_CONFLICT if the name is taken. */
enum err tmpl_set_add(struct tmpl_set *s, const char *name, const char *text, size_t len, char *msg,
		      size_t msglen) WUR;
/* Compiles every file under dir whose name ends in ".mustache", in subfolders too, naming
 * each by its path below dir without the extension ("layout", "portal/keys"). Entries whose
 * names start with '.' are skipped, as are other files. Clears *out first; on failure
 * nothing is kept and msg names the culprit: ERR_SYS (with the path) if a folder or file
 * cannot be read, ERR_INPUT for a template that does not compile (with its name and line,
 * as tmpl_set_add()) or folders nested more than 16 deep (a symlink loop), ERR_TOOBIG for
 * a file over TMPL_MAX_FILE. */
enum err tmpl_set_load(const char *dir, struct tmpl_set **out, char *msg, size_t msglen) WUR;
/* The template called name, borrowed from s, or NULL. */
const struct tmpl *tmpl_set_get(const struct tmpl_set *s, const char *name);
/* The number of templates in s. */
size_t tmpl_set_count(const struct tmpl_set *s);
/* Partials looked up in s, which must outlive every render that uses them. */
struct tmpl_partials tmpl_set_partials(const struct tmpl_set *s);
/* Renders the template called name with s as its partials; ERR_NOTFOUND (out untouched)
 * when there is none, otherwise as tmpl_render(). */
enum err tmpl_set_render(const struct tmpl_set *s, const char *name, const struct tmpl_value *ctx,
			 struct buf *out) WUR;
void tmpl_set_free(struct tmpl_set *s);

#endif
