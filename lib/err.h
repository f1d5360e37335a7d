/* What can go wrong, independent of HTTP; the router maps these to statuses in one switch. */
#ifndef LIB_ERR_H
#define LIB_ERR_H

enum err {
	ERR_OK = 0,
	ERR_INPUT,     /* malformed or invalid client data */
	ERR_AUTH,      /* missing or bad credentials */
	ERR_FORBIDDEN, /* authenticated but not allowed */
	ERR_NOTFOUND,
	ERR_CONFLICT,	 /* unique violation, stale version */
	ERR_LIMIT,	 /* rate limit, quota, or a fixed-size table is full */
	ERR_TOOBIG,	 /* declared or actual size over a configured ceiling */
	ERR_DB,		 /* connection or query failure */
	ERR_UPSTREAM,	 /* outbound HTTP failed */
	ERR_UNAVAILABLE, /* not ready yet, or a dependency is down */
	ERR_SYS,	 /* operating-system call failed (see errno in the log) */
	ERR_TIMEOUT,	 /* the peer did not send in time (a request body) */
	ERR__MAX
};

#define WUR __attribute__((warn_unused_result))

/* Short stable name of an error ("input", "auth", ...), for logs. */
const char *err_name(enum err e);

#endif
