/* Table-driven configuration: one table of options fills one struct, prints the help text
 * and the documentation, and validates every value with a clear message. */
#ifndef LIB_CFG_H
#define LIB_CFG_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>

#include "err.h"

enum cfg_type {
	CFG_INT,      /* int64_t; decimal, within [min, max] */
	CFG_BOOL,     /* bool; true/false/1/0/yes/no/on/off */
	CFG_STR,      /* char * (heap, freed by cfg_free); length <= max when max > 0 */
	CFG_DURATION, /* int64_t milliseconds; "250ms", "2s", "5m", "1h" or plain ms */
	CFG_SIZE,     /* int64_t bytes; "512", "64k", "16M", "1G" */
	CFG__MAX
};

enum cfg_flag {
	CFG_SECRET = 1 << 0,  /* never printed */
	CFG_RESTART = 1 << 1, /* a reload cannot change it; a restart is needed */
	CFG_DSN = 1 << 2,     /* a libpq connection string: printed with its password masked */
};

struct cfg_opt {
	const char *name; /* environment variable */
	enum cfg_type type;
	size_t off;	 /* offsetof the field in the destination struct */
	const char *def; /* default as text; NULL = empty */
	int64_t min, max;
	unsigned flags;
	const char *help; /* one sentence */
};

/* Returns the text for a variable or NULL when it is not set. */
typedef const char *(*cfg_lookup_fn)(const char *name, void *arg);

/* Fills dst from the table. On error nothing in dst is left allocated, and msg (size
 * msglen) names the variable and what is wrong with it, never a secret's value. */
enum err cfg_load(const struct cfg_opt *opts, size_t n, void *dst, cfg_lookup_fn lookup, void *arg,
		  char *msg, size_t msglen) WUR;
/* Frees the strings cfg_load() allocated. */
void cfg_free(const struct cfg_opt *opts, size_t n, void *dst);

/* Parses one value of type t into out (an int64_t or bool as the type says). */
enum err cfg_parse_value(enum cfg_type t, const char *s, int64_t *out) WUR;

/* Prints the options: as "NAME=default  help" lines, or as a Markdown table. */
void cfg_print_help(const struct cfg_opt *opts, size_t n, FILE *f, bool markdown);
/* Prints the current values of dst, secrets masked. */
void cfg_print_values(const struct cfg_opt *opts, size_t n, const void *dst, FILE *f);

/* An environment file: KEY=VALUE lines, '#' comments (whole lines, or after a space in
 * an unquoted value), optional `export`, optional single or double quotes. */
struct cfg_file {
	char **keys;
	char **vals;
	size_t n;
};
/* Reads path into f. ERR_NOTFOUND if it does not exist, ERR_INPUT with msg on a bad line. */
enum err cfg_file_read(struct cfg_file *f, const char *path, char *msg, size_t msglen) WUR;
const char *cfg_file_get(const struct cfg_file *f, const char *key);
void cfg_file_free(struct cfg_file *f);

/* Copies a libpq connection string (keyword=value form, or a postgres:// URI) into out
 * (size n) with any password replaced by "***". */
void cfg_mask_dsn(const char *dsn, char *out, size_t n);

#endif
