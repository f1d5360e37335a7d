/* libfcgi wrapper: socket, accept loop, parameters, body, response. */
#include "fcgi.h"

#include <errno.h>
#include <fcntl.h>
#include <poll.h>
#include <sys/epoll.h>
#include <signal.h>
#include <fcgiapp.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <sys/un.h>
#include <time.h>
#include <unistd.h>

#define READ_CHUNK (64 * 1024)

struct fcgi_server {
	FCGX_Request req;
	struct fcgi_server_opts opts;
	int epfd; /* the listening socket, EPOLLEXCLUSIVE: one waiter woken per connection */
	sigset_t waiting; /* the signal mask while waiting: the wake signals let in */
};

static int64_t mono_ns(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (int64_t)ts.tv_sec * 1000000000 + ts.tv_nsec;
}

/* Bounds the next blocking read on fd by what is left until deadline_ns; false when
 * nothing is left. */
static bool arm_deadline(int fd, int64_t deadline_ns)
{
	int64_t left;
	struct timeval tv;

	if (deadline_ns == 0)
		return true;
	left = deadline_ns - mono_ns();
	if (left <= 0)
		return false;
	tv.tv_sec = (time_t)(left / 1000000000);
	tv.tv_usec = (suseconds_t)(left % 1000000000 / 1000);
	if (tv.tv_sec == 0 && tv.tv_usec == 0)
		tv.tv_usec = 1;
	return setsockopt(fd, SOL_SOCKET, SO_RCVTIMEO, &tv, sizeof(tv)) == 0;
}

/* Reads up to len bytes of the body into p, in chunks each bounded by the deadline.
 * Returns the bytes read; *timed_out says whether the deadline cut it short. */
static size_t read_input(struct fcgi_request *rq, char *p, size_t len, bool *timed_out)
{
	FCGX_Request *req = rq->io;
	size_t got = 0;

	*timed_out = false;
	while (got < len) {
		size_t want = len - got < READ_CHUNK ? len - got : READ_CHUNK;
		int n;

		if (!arm_deadline(req->ipcFd, rq->deadline_ns)) {
			*timed_out = true;
			break;
		}
		n = FCGX_GetStr(p + got, (int)want, req->in);
		if (n > 0)
			got += (size_t)n;
		if ((size_t)n < want) {
			/* The end of the input, or a read that failed: past the deadline, it
			 * was the deadline. */
			*timed_out = rq->deadline_ns != 0 && mono_ns() >= rq->deadline_ns;
			break;
		}
	}
	return got;
}

const char *fcgi_param(const struct fcgi_request *rq, const char *name)
{
	size_t n = strlen(name);
	char **e;

	if (rq->envp == NULL)
		return NULL;
	/* Two characters first: most of the ~35 parameters differ there, and the call is on
	 * the hot path several times per request. */
	for (e = rq->envp; *e != NULL; e++)
		if ((*e)[0] == name[0] && (*e)[0] != '\0' && (*e)[1] == name[1] &&
		    strncmp(*e, name, n) == 0 && (*e)[n] == '=')
			return *e + n + 1;
	return NULL;
}

enum err fcgi_read_body(struct fcgi_request *rq, size_t max)
{
	const char *cl = fcgi_param(rq, "CONTENT_LENGTH");
	/* Caddy sends -1 for a chunked body: no length declared. */
	bool declared = cl != NULL && cl[0] != '\0' && cl[0] != '-', timed_out;
	int64_t len = 0;
	size_t got, want;
	char *p;

	if (rq->body_read)
		return ERR_OK;
	if (declared && str_to_i64(str_c(cl), 0, INT64_MAX, &len) != ERR_OK)
		return ERR_INPUT;
	if ((uint64_t)len > max)
		return ERR_TOOBIG;
	rq->body_read = true;
	if (rq->io == NULL || (declared && len == 0))
		return ERR_OK;
	/* Without a length, read one byte past max to tell "exactly max" from "more". */
	want = declared ? (size_t)len : max + 1;
	p = arena_alloc(rq->arena, want + 1);
	if (p == NULL)
		return ERR_TOOBIG;
	got = read_input(rq, p, want, &timed_out);
	if (timed_out)
		return ERR_TIMEOUT;
	if (!declared && got > max)
		return ERR_TOOBIG;
	if (declared && got != want)
		return ERR_INPUT;
	p[got] = '\0';
	rq->body.p = p;
	rq->body.len = got;
	return ERR_OK;
}

void fcgi_response_init(struct fcgi_response *rs, size_t max_head, size_t max_body)
{
	rs->status = 200;
	buf_init(&rs->head, max_head);
	buf_init(&rs->body, max_body);
}

void fcgi_response_reset(struct fcgi_response *rs)
{
	rs->status = 200;
	buf_reset(&rs->head);
	buf_reset(&rs->body);
}

void fcgi_response_free(struct fcgi_response *rs)
{
	buf_free(&rs->head);
	buf_free(&rs->body);
}

bool fcgi_header(struct fcgi_response *rs, const char *name, const char *value)
{
	if (strpbrk(value, "\r\n") != NULL || strpbrk(name, "\r\n: ") != NULL)
		return false;
	buf_puts(&rs->head, name);
	buf_puts(&rs->head, ": ");
	buf_puts(&rs->head, value);
	return buf_puts(&rs->head, "\r\n");
}

bool fcgi_headerf(struct fcgi_response *rs, const char *name, const char *fmt, ...)
{
	char value[1024];
	va_list ap;
	int n;

	va_start(ap, fmt);
	n = vsnprintf(value, sizeof(value), fmt, ap);
	va_end(ap);
	if (n < 0 || (size_t)n >= sizeof(value))
		return false;
	return fcgi_header(rs, name, value);
}

bool fcgi_response_header_get(const struct fcgi_response *rs, const char *name, struct str *value)
{
	struct str all = {rs->head.p ? rs->head.p : "", rs->head.len}, line, n;

	value->p = NULL;
	value->len = 0;
	while (all.len > 0) {
		str_cut(&all, '\n', &line);
		if (line.len > 0 && line.p[line.len - 1] == '\r')
			line.len--;
		if (!str_cut(&line, ':', &n))
			continue;
		if (str_case_eq_c(n, name)) {
			*value = str_trim(line);
			return true;
		}
	}
	return false;
}

bool fcgi_stream_begin(struct fcgi_request *rq, struct fcgi_response *rs, int64_t write_timeout_ms)
{
	FCGX_Request *req = rq->io;
	struct timeval tv;
	char status[64];
	int n;

	rq->streamed = true;
	if (req == NULL)
		return true;
	tv.tv_sec = (time_t)(write_timeout_ms / 1000);
	tv.tv_usec = (suseconds_t)(write_timeout_ms % 1000 * 1000);
	(void)setsockopt(req->ipcFd, SOL_SOCKET, SO_SNDTIMEO, &tv, sizeof(tv));
	n = snprintf(status, sizeof(status), "Status: %d %s\r\n", rs->status,
		     fcgi_reason(rs->status));
	return FCGX_PutStr(status, n, req->out) == n &&
	       (rs->head.len == 0 ||
		FCGX_PutStr(rs->head.p, (int)rs->head.len, req->out) == (int)rs->head.len) &&
	       FCGX_PutStr("\r\n", 2, req->out) == 2 && FCGX_FFlush(req->out) == 0;
}

bool fcgi_stream_write(struct fcgi_request *rq, struct fcgi_response *rs, const char *p, size_t n)
{
	FCGX_Request *req = rq->io;

	if (req == NULL)
		return buf_append(&rs->body, p, n);
	if (n > 0 && FCGX_PutStr(p, (int)n, req->out) != (int)n)
		return false;
	return FCGX_FFlush(req->out) == 0;
}

bool fcgi_peer_alive(const struct fcgi_request *rq)
{
	const FCGX_Request *req = rq->io;
	struct pollfd p;

	if (req == NULL)
		return true;
	p.fd = req->ipcFd;
	p.events = POLLRDHUP;
	p.revents = 0;
	if (poll(&p, 1, 0) < 0)
		return true;
	return (p.revents & (POLLRDHUP | POLLHUP | POLLERR)) == 0;
}

const char *fcgi_reason(int status)
{
	switch (status) {
	case 200:
		return "OK";
	case 201:
		return "Created";
	case 204:
		return "No Content";
	case 301:
		return "Moved Permanently";
	case 302:
		return "Found";
	case 303:
		return "See Other";
	case 304:
		return "Not Modified";
	case 400:
		return "Bad Request";
	case 401:
		return "Unauthorized";
	case 402:
		return "Payment Required";
	case 403:
		return "Forbidden";
	case 404:
		return "Not Found";
	case 405:
		return "Method Not Allowed";
	case 408:
		return "Request Timeout";
	case 409:
		return "Conflict";
	case 413:
		return "Content Too Large";
	case 415:
		return "Unsupported Media Type";
	case 422:
		return "Unprocessable Content";
	case 429:
		return "Too Many Requests";
	case 500:
		return "Internal Server Error";
	case 502:
		return "Bad Gateway";
	case 503:
		return "Service Unavailable";
	case 504:
		return "Gateway Timeout";
	default:
		return "Unknown";
	}
}

int fcgi_listen(const char *path, int backlog, unsigned mode, char *msg, size_t msglen)
{
	struct sockaddr_un sun;
	int fd;

	memset(&sun, 0, sizeof(sun));
	sun.sun_family = AF_UNIX;
	if (strlen(path) >= sizeof(sun.sun_path)) {
		snprintf(msg, msglen, "socket path longer than %zu bytes: %s",
			 sizeof(sun.sun_path) - 1, path);
		return -1;
	}
	memcpy(sun.sun_path, path, strlen(path) + 1);
	fd = socket(AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC, 0);
	if (fd < 0) {
		snprintf(msg, msglen, "socket: %s", strerror(errno));
		return -1;
	}
	/* A socket file left by a previous run would make bind fail. */
	if (unlink(path) < 0 && errno != ENOENT) {
		snprintf(msg, msglen, "unlink %s: %s", path, strerror(errno));
		close(fd);
		return -1;
	}
	if (bind(fd, (struct sockaddr *)&sun, sizeof(sun)) < 0 || chmod(path, (mode_t)mode) < 0 ||
	    listen(fd, backlog) < 0) {
		snprintf(msg, msglen, "listen on %s: %s", path, strerror(errno));
		close(fd);
		return -1;
	}
	return fd;
}

enum err fcgi_server_new(int listen_fd, const struct fcgi_server_opts *opts,
			 struct fcgi_server **out)
{
	struct fcgi_server *srv;

	*out = NULL;
	if (FCGX_Init() != 0)
		return ERR_SYS;
	/* Workers wait in epoll and then accept: another may have taken the connection, and
	 * accept() must then say so rather than wait with the signals blocked. */
	if (fcntl(listen_fd, F_SETFL, fcntl(listen_fd, F_GETFL) | O_NONBLOCK) < 0)
		return ERR_SYS;
	srv = calloc(1, sizeof(*srv));
	if (srv == NULL)
		abort();
	srv->opts = *opts;
	srv->epfd = epoll_create1(EPOLL_CLOEXEC);
	{
		struct epoll_event ev = {.events = EPOLLIN | EPOLLEXCLUSIVE, .data.fd = listen_fd};
		int i;

		if (srv->epfd < 0 || epoll_ctl(srv->epfd, EPOLL_CTL_ADD, listen_fd, &ev) < 0) {
			if (srv->epfd >= 0)
				close(srv->epfd);
			free(srv);
			return ERR_SYS;
		}
		sigprocmask(SIG_SETMASK, NULL, &srv->waiting);
		for (i = 1; i < NSIG; i++)
			if (sigismember(&opts->wake_signals, i) == 1)
				sigdelset(&srv->waiting, i);
	}
	/* FAIL_ACCEPT_ON_INTR: a signal (SIGTERM) makes accept return so we can drain. */
	if (FCGX_InitRequest(&srv->req, listen_fd, FCGI_FAIL_ACCEPT_ON_INTR) != 0) {
		free(srv);
		return ERR_SYS;
	}
	*out = srv;
	return ERR_OK;
}

void fcgi_server_free(struct fcgi_server *srv)
{
	if (srv == NULL)
		return;
	close(srv->epfd);
	FCGX_Free(&srv->req, 1);
	free(srv);
}

enum err fcgi_server_accept(struct fcgi_server *srv, struct fcgi_request *rq)
{
	struct epoll_event ev;

	/* The wake signals are let in for the wait alone, atomically (no lost wake-up). */
	if (epoll_pwait(srv->epfd, &ev, 1, -1, &srv->waiting) <= 0)
		return ERR_SYS;
	if (FCGX_Accept_r(&srv->req) < 0)
		return ERR_SYS;
	rq->envp = srv->req.envp;
	rq->io = &srv->req;
	rq->body.p = NULL;
	rq->body.len = 0;
	rq->body_read = false;
	rq->streamed = false;
	rq->deadline_ns =
	    srv->opts.read_timeout_ms > 0 ? mono_ns() + srv->opts.read_timeout_ms * 1000000 : 0;
	return ERR_OK;
}

bool fcgi_server_respond(struct fcgi_server *srv, struct fcgi_request *rq,
			 const struct fcgi_response *rs)
{
	bool delivered;
	char status[64], trash[4096];
	size_t drained = 0;
	int n;

	/* Caddy writes the whole request before it reads the answer, and closes its end of a
	 * forward_auth connection only after it has finished proxying to the upstream.
	 * libfcgi's normal close waits (up to 2 s) for that close, which would hold this
	 * worker for the whole upstream exchange. So read the request to its end (bounded in
	 * bytes and time, for a body no handler wanted), answer, and close at once: nothing
	 * is left unread that could make Caddy's last write fail. */
	while (drained < srv->opts.drain_max && arm_deadline(srv->req.ipcFd, rq->deadline_ns) &&
	       (n = FCGX_GetStr(trash, sizeof(trash), srv->req.in)) > 0)
		drained += (size_t)n;
	if (!rq->streamed) {
		n = snprintf(status, sizeof(status), "Status: %d %s\r\n", rs->status,
			     fcgi_reason(rs->status));
		FCGX_PutStr(status, n, srv->req.out);
		if (rs->head.len > 0)
			FCGX_PutStr(rs->head.p, (int)rs->head.len, srv->req.out);
		FCGX_PutStr("\r\n", 2, srv->req.out);
		if (rs->body.len > 0)
			FCGX_PutStr(rs->body.p, (int)rs->body.len, srv->req.out);
	}
	/* Closing the streams writes the last records (FCGI_END_REQUEST included); their
	 * errors say whether the web server got the whole answer. */
	delivered = FCGX_FClose(srv->req.err) == 0 && FCGX_FClose(srv->req.out) == 0;
	return delivered;
}

void fcgi_server_finish(struct fcgi_server *srv)
{
	FCGX_Detach(&srv->req);
	FCGX_Finish_r(&srv->req);
}
