/* RFC 9457 problem details as application/problem+json. */
#ifndef LIB_PROBLEM_H
#define LIB_PROBLEM_H

#include <stddef.h>
#include <stdint.h>

#include "buf.h"

#define PROBLEM_CONTENT_TYPE "application/problem+json"

/* An extension member: a string (s != NULL) or an integer. */
struct problem_ext {
	const char *name;
	const char *s;
	int64_t i;
};

struct problem {
	const char *type; /* URI reference identifying the problem type */
	const char *title;
	int status;
	const char *detail;   /* may be NULL */
	const char *instance; /* may be NULL */
	const struct problem_ext *ext;
	size_t next;
};

/* Appends the JSON object to b. Returns false if b overflowed. */
bool problem_write(struct buf *b, const struct problem *p);

#endif
