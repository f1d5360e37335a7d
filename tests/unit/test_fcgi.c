/* lib/fcgi over a real socket: a child process plays the web server, writing FastCGI records
 * by hand (some of them slowly, or never), and the worker side reads bodies with a size
 * bound and a deadline. */
#include <criterion/criterion.h>
#include <signal.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/un.h>
#include <sys/wait.h>
#include <unistd.h>

#include "../../lib/fcgi.h"
#include "fixture.h"

static char dir[256];
static char sock_path[300];
static int listen_fd = -1;
static pid_t peer = -1;
static struct arena arena;

static void setup(void)
{
	char msg[256];

	fx_mkdtemp(dir, sizeof(dir));
	snprintf(sock_path, sizeof(sock_path), "%s/f.sock", dir);
	listen_fd = fcgi_listen(sock_path, 16, 0600, msg, sizeof(msg));
	cr_assert_geq(listen_fd, 0, "%s", msg);
	arena_init(&arena, 4096, 1 << 20);
}

static void teardown(void)
{
	if (peer > 0) {
		kill(peer, SIGKILL);
		waitpid(peer, NULL, 0);
	}
	peer = -1;
	arena_free(&arena);
	if (listen_fd >= 0)
		close(listen_fd);
	listen_fd = -1;
	fx_rmtree(dir);
}

TestSuite(fcgi, .init = setup, .fini = teardown, .timeout = 30);

static void record(int fd, int type, const void *body, size_t len)
{
	unsigned char h[8] = {
	    1, (unsigned char)type, 0, 1, (unsigned char)(len >> 8), (unsigned char)len, 0, 0};

	if (write(fd, h, sizeof(h)) != (ssize_t)sizeof(h) ||
	    (len > 0 && write(fd, body, len) != (ssize_t)len))
		_exit(3);
}

static size_t pair(unsigned char *p, const char *name, const char *value)
{
	size_t n = strlen(name), v = strlen(value);

	p[0] = (unsigned char)n;
	p[1] = (unsigned char)v;
	memcpy(p + 2, name, n);
	memcpy(p + 2 + n, value, v);
	return 2 + n + v;
}

/* The web server's side: a request with the given CONTENT_LENGTH parameter (NULL: none)
 * and `sent` bytes of body, then the end of the body if `finish`, else silence until
 * killed. */
static void serve_peer(const char *content_length, size_t sent, bool finish)
{
	static const unsigned char begin[8] = {0, 1, 0, 0, 0, 0, 0, 0};
	unsigned char params[512], body[4096];
	struct sockaddr_un sun;
	size_t n = 0;
	int fd;

	peer = fork();
	cr_assert_geq(peer, 0);
	if (peer > 0)
		return;
	fd = socket(AF_UNIX, SOCK_STREAM, 0);
	memset(&sun, 0, sizeof(sun));
	sun.sun_family = AF_UNIX;
	memcpy(sun.sun_path, sock_path, strlen(sock_path) + 1);
	if (fd < 0 || connect(fd, (struct sockaddr *)&sun, sizeof(sun)) < 0)
		_exit(2);
	record(fd, 1, begin, sizeof(begin));
	n += pair(params + n, "REQUEST_METHOD", "POST");
	if (content_length != NULL)
		n += pair(params + n, "CONTENT_LENGTH", content_length);
	record(fd, 4, params, n);
	record(fd, 4, NULL, 0);
	memset(body, 'b', sizeof(body));
	while (sent > 0) {
		size_t k = sent < sizeof(body) ? sent : sizeof(body);

		record(fd, 5, body, k);
		sent -= k;
	}
	if (finish)
		record(fd, 5, NULL, 0);
	/* Read the answer (or wait to be killed). */
	while (read(fd, body, sizeof(body)) > 0)
		;
	_exit(0);
}

static enum err read_one(int64_t timeout_ms, size_t max, struct fcgi_request *rq,
			 struct fcgi_server **srv)
{
	struct fcgi_server_opts o = {.read_timeout_ms = timeout_ms, .drain_max = 1 << 20};

	sigemptyset(&o.wake_signals);

	cr_assert_eq(fcgi_server_new(listen_fd, &o, srv), ERR_OK);
	memset(rq, 0, sizeof(*rq));
	rq->arena = &arena;
	cr_assert_eq(fcgi_server_accept(*srv, rq), ERR_OK);
	return fcgi_read_body(rq, max);
}

static void answer(struct fcgi_server *srv, struct fcgi_request *rq)
{
	struct fcgi_response rs;

	fcgi_response_init(&rs, 1024, 1024);
	(void)fcgi_server_respond(srv, rq, &rs);
	fcgi_server_finish(srv);
	fcgi_response_free(&rs);
	fcgi_server_free(srv);
}

Test(fcgi, reads_a_declared_body)
{
	struct fcgi_server *srv;
	struct fcgi_request rq;

	serve_peer("10000", 10000, true);
	cr_assert_eq(read_one(5000, 1 << 20, &rq, &srv), ERR_OK);
	cr_assert_eq(rq.body.len, 10000);
	cr_assert_eq(rq.body.p[9999], 'b');
	answer(srv, &rq);
}

Test(fcgi, a_body_that_stops_coming_times_out_at_the_deadline)
{
	struct fcgi_server *srv;
	struct fcgi_request rq;

	/* 10 of 1000 declared bytes, then nothing: a client trickling, or gone quiet. */
	serve_peer("1000", 10, false);
	cr_assert_eq(read_one(300, 1 << 20, &rq, &srv), ERR_TIMEOUT);
	answer(srv, &rq);
}

Test(fcgi, a_declared_body_over_the_limit_is_refused_before_reading)
{
	struct fcgi_server *srv;
	struct fcgi_request rq;

	serve_peer("5000", 0, false);
	cr_assert_eq(read_one(300, 4096, &rq, &srv), ERR_TOOBIG);
	answer(srv, &rq);
}

Test(fcgi, a_chunked_body_is_read_to_its_end_and_bounded)
{
	struct fcgi_server *srv;
	struct fcgi_request rq;

	/* Caddy passes CONTENT_LENGTH=-1 for a chunked upload. */
	serve_peer("-1", 3000, true);
	cr_assert_eq(read_one(5000, 4096, &rq, &srv), ERR_OK);
	cr_assert_eq(rq.body.len, 3000);
	answer(srv, &rq);
	waitpid(peer, NULL, 0);
	peer = -1;
	arena_reset(&arena);
	serve_peer("-1", 5000, true);
	cr_assert_eq(read_one(5000, 4096, &rq, &srv), ERR_TOOBIG);
	answer(srv, &rq);
}

Test(fcgi, a_short_body_is_input_error)
{
	struct fcgi_server *srv;
	struct fcgi_request rq;

	serve_peer("100", 40, true);
	cr_assert_eq(read_one(5000, 4096, &rq, &srv), ERR_INPUT);
	answer(srv, &rq);
}
