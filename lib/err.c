/* Names of the error codes, for logs and tests. */
#include "err.h"

const char *err_name(enum err e)
{
	switch (e) {
	case ERR_OK:
		return "ok";
	case ERR_INPUT:
		return "input";
	case ERR_AUTH:
		return "auth";
	case ERR_FORBIDDEN:
		return "forbidden";
	case ERR_NOTFOUND:
		return "notfound";
	case ERR_CONFLICT:
		return "conflict";
	case ERR_LIMIT:
		return "limit";
	case ERR_TOOBIG:
		return "toobig";
	case ERR_DB:
		return "db";
	case ERR_UPSTREAM:
		return "upstream";
	case ERR_UNAVAILABLE:
		return "unavailable";
	case ERR_SYS:
		return "sys";
	case ERR_TIMEOUT:
		return "timeout";
	case ERR__MAX:
		break;
	}
	return "?";
}
