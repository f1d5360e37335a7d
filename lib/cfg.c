/* Table-driven configuration parsing and printing. */
#include "cfg.h"

#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include "str.h"

static const char *const type_names[CFG__MAX] = {"integer", "boolean", "string", "duration",
						 "size"};

static enum err parse_scaled(const char *s, const char *const *units, const int64_t *mult,
			     size_t nunits, int64_t *out)
{
	struct str t = str_trim(str_c(s));
	size_t digits = 0, i;
	int64_t v;

	*out = 0;
	while (digits < t.len && t.p[digits] >= '0' && t.p[digits] <= '9')
		digits++;
	if (digits == 0)
		return ERR_INPUT;
	if (str_to_i64((struct str){t.p, digits}, 0, INT64_MAX, &v) != ERR_OK)
		return ERR_INPUT;
	if (digits == t.len) {
		*out = v;
		return ERR_OK;
	}
	for (i = 0; i < nunits; i++) {
		if (str_eq_c((struct str){t.p + digits, t.len - digits}, units[i])) {
			if (v > INT64_MAX / mult[i])
				return ERR_INPUT;
			*out = v * mult[i];
			return ERR_OK;
		}
	}
	return ERR_INPUT;
}

enum err cfg_parse_value(enum cfg_type t, const char *s, int64_t *out)
{
	static const char *const dunits[] = {"ms", "s", "m", "h"};
	static const int64_t dmult[] = {1, 1000, 60000, 3600000};
	static const char *const sunits[] = {"k", "K", "M", "G"};
	static const int64_t smult[] = {1024, 1024, 1024 * 1024, 1024 * 1024 * 1024};
	static const char *const yes[] = {"true", "1", "yes", "on"};
	static const char *const no[] = {"false", "0", "no", "off"};
	size_t i;

	*out = 0;
	switch (t) {
	case CFG_INT:
		return str_to_i64(str_trim(str_c(s)), INT64_MIN, INT64_MAX, out);
	case CFG_BOOL:
		for (i = 0; i < 4; i++) {
			if (str_case_eq_c(str_trim(str_c(s)), yes[i])) {
				*out = 1;
				return ERR_OK;
			}
			if (str_case_eq_c(str_trim(str_c(s)), no[i]))
				return ERR_OK;
		}
		return ERR_INPUT;
	case CFG_DURATION:
		return parse_scaled(s, dunits, dmult, 4, out);
	case CFG_SIZE:
		return parse_scaled(s, sunits, smult, 4, out);
	case CFG_STR:
	case CFG__MAX:
		break;
	}
	return ERR_INPUT;
}

enum err cfg_load(const struct cfg_opt *opts, size_t n, void *dst, cfg_lookup_fn lookup, void *arg,
		  char *msg, size_t msglen)
{
	enum err rc = ERR_OK;
	size_t i;

	msg[0] = '\0';
	for (i = 0; i < n; i++) {
		const struct cfg_opt *o = &opts[i];
		const char *v = lookup(o->name, arg);
		char *field = (char *)dst + o->off;
		int64_t num;

		if (v == NULL)
			v = o->def ? o->def : "";
		if (o->type == CFG_STR) {
			if (o->max > 0 && strlen(v) > (size_t)o->max) {
				snprintf(msg, msglen, "%s: longer than %lld characters", o->name,
					 (long long)o->max);
				rc = ERR_INPUT;
				break;
			}
			*(char **)(void *)field = strdup(v);
			if (*(char **)(void *)field == NULL)
				abort();
			continue;
		}
		if (cfg_parse_value(o->type, v, &num) != ERR_OK) {
			if (o->flags & CFG_SECRET)
				snprintf(msg, msglen, "%s: not a valid %s", o->name,
					 type_names[o->type]);
			else
				snprintf(msg, msglen, "%s: '%.64s' is not a valid %s", o->name, v,
					 type_names[o->type]);
			rc = ERR_INPUT;
			break;
		}
		if (o->type == CFG_BOOL) {
			*(bool *)(void *)field = num != 0;
			continue;
		}
		if (num < o->min || num > o->max) {
			if (o->flags & CFG_SECRET)
				snprintf(msg, msglen, "%s: outside %lld..%lld", o->name,
					 (long long)o->min, (long long)o->max);
			else
				snprintf(msg, msglen, "%s: %lld is outside %lld..%lld", o->name,
					 (long long)num, (long long)o->min, (long long)o->max);
			rc = ERR_INPUT;
			break;
		}
		*(int64_t *)(void *)field = num;
	}
	if (rc != ERR_OK) {
		/* Free what was allocated so far, and only that. */
		size_t j;

		for (j = 0; j < i; j++)
			if (opts[j].type == CFG_STR) {
				char **p = (char **)(void *)((char *)dst + opts[j].off);

				free(*p);
				*p = NULL;
			}
	}
	return rc;
}

void cfg_free(const struct cfg_opt *opts, size_t n, void *dst)
{
	size_t i;

	for (i = 0; i < n; i++) {
		if (opts[i].type == CFG_STR) {
			char **p = (char **)(void *)((char *)dst + opts[i].off);

			free(*p);
			*p = NULL;
		}
	}
}

void cfg_print_help(const struct cfg_opt *opts, size_t n, FILE *f, bool markdown)
{
	size_t i;

	if (markdown) {
		fputs("| Variable | Type | Default | Reload | Description |\n", f);
		fputs("|---|---|---|---|---|\n", f);
	}
	for (i = 0; i < n; i++) {
		const struct cfg_opt *o = &opts[i];
		const char *def = o->def && o->def[0] ? o->def : "";

		if (markdown)
			fprintf(f, "| `%s` | %s | %s%s%s | %s | %s |\n", o->name,
				type_names[o->type], def[0] ? "`" : "", def[0] ? def : "(empty)",
				def[0] ? "`" : "", (o->flags & CFG_RESTART) ? "restart" : "SIGHUP",
				o->help);
		else
			fprintf(f, "  %-32s %-8s default %-24s %s\n", o->name, type_names[o->type],
				def[0] ? def : "(empty)", o->help);
	}
}

void cfg_print_values(const struct cfg_opt *opts, size_t n, const void *dst, FILE *f)
{
	size_t i;

	for (i = 0; i < n; i++) {
		const struct cfg_opt *o = &opts[i];
		const char *field = (const char *)dst + o->off;

		fprintf(f, "%s=", o->name);
		if ((o->flags & CFG_SECRET) && o->type != CFG_STR) {
			fputs("(set)", f); /* a number always has a value; not a char * */
		} else if (o->flags & CFG_SECRET) {
			const char *s = *(char *const *)(const void *)field;

			fputs(s && s[0] ? "(set)" : "(empty)", f);
		} else if (o->type == CFG_STR && (o->flags & CFG_DSN)) {
			char masked[4096];

			cfg_mask_dsn(*(char *const *)(const void *)field, masked, sizeof(masked));
			fputs(masked, f);
		} else if (o->type == CFG_STR) {
			fputs(*(char *const *)(const void *)field, f);
		} else if (o->type == CFG_BOOL) {
			fputs(*(const bool *)(const void *)field ? "true" : "false", f);
		} else {
			fprintf(f, "%lld", (long long)*(const int64_t *)(const void *)field);
			if (o->type == CFG_DURATION)
				fputs("ms", f);
		}
		fputc('\n', f);
	}
}

enum err cfg_file_read(struct cfg_file *f, const char *path, char *msg, size_t msglen)
{
	char line[8192];
	unsigned lineno = 0;
	enum err rc = ERR_OK;
	FILE *fp;

	memset(f, 0, sizeof(*f));
	msg[0] = '\0';
	fp = fopen(path, "r");
	if (fp == NULL) {
		snprintf(msg, msglen, "%s: %s", path, strerror(errno));
		return errno == ENOENT ? ERR_NOTFOUND : ERR_SYS;
	}
	while (fgets(line, sizeof(line), fp) != NULL) {
		struct str s, key;
		char **nk, **nv;

		lineno++;
		if (strchr(line, '\n') == NULL && !feof(fp)) {
			snprintf(msg, msglen, "%s:%u: line too long", path, lineno);
			rc = ERR_INPUT;
			break;
		}
		s = str_c(line);
		while (s.len > 0 && (s.p[s.len - 1] == '\n' || s.p[s.len - 1] == '\r'))
			s.len--;
		s = str_trim(s);
		if (s.len == 0 || s.p[0] == '#')
			continue;
		if (str_has_prefix(s, "export "))
			s = str_trim((struct str){s.p + 7, s.len - 7});
		if (!str_cut(&s, '=', &key) || (key = str_trim(key)).len == 0) {
			snprintf(msg, msglen, "%s:%u: expected KEY=VALUE", path, lineno);
			rc = ERR_INPUT;
			break;
		}
		s = str_trim(s);
		if (s.len >= 2 && (s.p[0] == '"' || s.p[0] == '\'') && s.p[s.len - 1] == s.p[0]) {
			s.p++;
			s.len -= 2;
		} else {
			/* As in a shell: an unquoted " #" starts a comment. */
			size_t j;

			for (j = 1; j < s.len; j++)
				if (s.p[j] == '#' && (s.p[j - 1] == ' ' || s.p[j - 1] == '\t'))
					break;
			s = str_trim((struct str){s.p, j < s.len ? j : s.len});
		}
		nk = realloc(f->keys, (f->n + 1) * sizeof(*nk));
		nv = nk ? realloc(f->vals, (f->n + 1) * sizeof(*nv)) : NULL;
		if (nk == NULL || nv == NULL)
			abort();
		f->keys = nk;
		f->vals = nv;
		f->keys[f->n] = strndup(key.p, key.len);
		f->vals[f->n] = strndup(s.p, s.len);
		if (f->keys[f->n] == NULL || f->vals[f->n] == NULL)
			abort();
		f->n++;
	}
	fclose(fp);
	if (rc != ERR_OK)
		cfg_file_free(f);
	return rc;
}

const char *cfg_file_get(const struct cfg_file *f, const char *key)
{
	size_t i;

	/* The last assignment wins, as in a shell. */
	for (i = f->n; i > 0; i--)
		if (strcmp(f->keys[i - 1], key) == 0)
			return f->vals[i - 1];
	return NULL;
}

void cfg_file_free(struct cfg_file *f)
{
	size_t i;

	for (i = 0; i < f->n; i++) {
		free(f->keys[i]);
		free(f->vals[i]);
	}
	free(f->keys);
	free(f->vals);
	memset(f, 0, sizeof(*f));
}

/* Appends n bytes of s to out (size cap), keeping it NUL-terminated. */
static void put(char *out, size_t cap, size_t *len, const char *s, size_t n)
{
	if (*len + n >= cap)
		n = *len + 1 < cap ? cap - *len - 1 : 0;
	memcpy(out + *len, s, n);
	*len += n;
	out[*len] = '\0';
}

void cfg_mask_dsn(const char *dsn, char *out, size_t n)
{
	const char *p = dsn, *at, *colon, *scheme_end = strstr(dsn, "://");
	size_t len = 0;

	if (n == 0)
		return;
	out[0] = '\0';
	if (scheme_end != NULL && strncmp(dsn, "postgres", 8) == 0) {
		/* postgresql://user:password@host/db?password=...: mask both. */
		const char *auth = scheme_end + 3, *end = auth + strcspn(auth, "/?");

		put(out, n, &len, dsn, (size_t)(auth - dsn));
		at = memchr(auth, '@', (size_t)(end - auth));
		colon = at ? memchr(auth, ':', (size_t)(at - auth)) : NULL;
		if (colon != NULL) {
			put(out, n, &len, auth, (size_t)(colon - auth));
			put(out, n, &len, ":***", 4);
			p = at;
		} else {
			p = auth;
		}
		while (*p != '\0') {
			const char *k = strstr(p, "password=");

			if (k == NULL || (k != p && k[-1] != '?' && k[-1] != '&')) {
				if (k == NULL) {
					put(out, n, &len, p, strlen(p));
					break;
				}
				put(out, n, &len, p, (size_t)(k + 9 - p));
				p = k + 9;
				continue;
			}
			put(out, n, &len, p, (size_t)(k + 9 - p));
			put(out, n, &len, "***", 3);
			p = k + 9 + strcspn(k + 9, "&");
		}
		return;
	}
	/* keyword = value pairs; a value may be 'quoted' with \' and \\ escapes. */
	while (*p != '\0') {
		const char *key = p + strspn(p, " \t\n"), *eq = key + strcspn(key, "= \t\n");
		const char *v = eq, *vend;
		bool secret;

		put(out, n, &len, p, (size_t)(key - p));
		if (*key == '\0')
			break;
		secret = (size_t)(eq - key) == 8 && strncmp(key, "password", 8) == 0;
		v = eq + strspn(eq, " \t\n");
		if (*v == '=')
			v++;
		v += strspn(v, " \t\n");
		if (*v == '\'') {
			for (vend = v + 1; *vend != '\0' && *vend != '\''; vend++)
				if (*vend == '\\' && vend[1] != '\0')
					vend++;
			if (*vend == '\'')
				vend++;
		} else {
			vend = v + strcspn(v, " \t\n");
		}
		put(out, n, &len, key, (size_t)(v - key));
		if (secret)
			put(out, n, &len, "***", 3);
		else
			put(out, n, &len, v, (size_t)(vend - v));
		p = vend;
	}
}
