/* The libcurl wrapper: header lines that cannot inject, URLs it refuses, and its limits
 * (body size, timeout, no redirects) against a one-shot server on 127.0.0.1. */
#include <criterion/criterion.h>
#include <netinet/in.h>
#include <signal.h>
#include <stdio.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include "../../lib/http.h"

static void setup(void)
{
	cr_assert_eq(http_init(), ERR_OK);
}

static void teardown(void)
{
	http_cleanup();
}

TestSuite(http, .init = setup, .fini = teardown, .timeout = 20);

Test(http, header_line_formats_name_and_value)
{
	struct http_header h = {"Authorization", "Bearer sk-1"};
	char line[64];

	cr_assert_eq(http_header_line(&h, line, sizeof(line)), ERR_OK);
	cr_assert_str_eq(line, "Authorization: Bearer sk-1");
	h = (struct http_header){"anthropic-version", "2023-06-01"};
	cr_assert_eq(http_header_line(&h, line, sizeof(line)), ERR_OK);
	cr_assert_str_eq(line, "anthropic-version: 2023-06-01");
}

Test(http, header_line_refuses_injection_and_bad_names)
{
	static const struct http_header bad[] = {
	    {"X-Key", "a\r\nX-Evil: 1"},
	    {"X-Key", "a\nb"},
	    {"X-Key", "a\rb"},
	    {"X Key", "v"},
	    {"X:Key", "v"},
	    {"", "v"},
	    {NULL, "v"},
	    {"X-Key", NULL},
	    {"X-K\xc3\xa9y", "v"},
	};
	char line[64];
	size_t i;

	for (i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
		snprintf(line, sizeof(line), "junk");
		cr_assert_eq(http_header_line(&bad[i], line, sizeof(line)), ERR_INPUT, "#%zu", i);
		cr_assert_str_eq(line, "", "#%zu left output behind", i);
	}
}

Test(http, header_line_refuses_what_does_not_fit)
{
	struct http_header h = {"X-Long", "0123456789"}; /* 18 characters as a line */
	char line[32];

	cr_assert_eq(http_header_line(&h, line, 10), ERR_INPUT);
	cr_assert_str_eq(line, "");
	cr_assert_eq(http_header_line(&h, line, 18), ERR_INPUT, "no room for the NUL");
	cr_assert_eq(http_header_line(&h, line, 19), ERR_OK);
	cr_assert_str_eq(line, "X-Long: 0123456789");
}

Test(http, urls_must_be_http_or_https_with_a_host)
{
	cr_assert_eq(http_check_url("https://api.openai.com/v1/chat/completions"), ERR_OK);
	cr_assert_eq(http_check_url("HTTP://127.0.0.1:8080/v1/messages"), ERR_OK);
	cr_assert_eq(http_check_url("ftp://example.com/x"), ERR_INPUT);
	cr_assert_eq(http_check_url("file:///etc/passwd"), ERR_INPUT);
	cr_assert_eq(http_check_url("https:///path"), ERR_INPUT);
	cr_assert_eq(http_check_url("https://"), ERR_INPUT);
	cr_assert_eq(http_check_url("https://a b/"), ERR_INPUT);
	cr_assert_eq(http_check_url("https://a/\r\n"), ERR_INPUT);
	cr_assert_eq(http_check_url(""), ERR_INPUT);
	cr_assert_eq(http_check_url(NULL), ERR_INPUT);
}

/* A server that accepts one connection, reads the request (headers and the body its
 * Content-Length announces), records it to a file, then sends reply (or sleeps when reply
 * is NULL). */
struct one_shot {
	pid_t pid;
	int port;
	char seen[64];
};

static void serve_once(int fd, const char *reply, const char *seen)
{
	char req[16384];
	size_t got = 0;
	long want = -1;
	int c = accept(fd, NULL, NULL);
	FILE *f;

	if (c < 0)
		_exit(1);
	for (;;) {
		ssize_t r = read(c, req + got, sizeof(req) - 1 - got);
		char *end;

		if (r <= 0)
			break;
		got += (size_t)r;
		req[got] = '\0';
		end = strstr(req, "\r\n\r\n");
		if (end != NULL && want < 0) {
			const char *cl = strcasestr(req, "\r\nContent-Length:");

			want = (long)(end + 4 - req) + (cl ? strtol(cl + 17, NULL, 10) : 0);
		}
		if (want >= 0 && (long)got >= want)
			break;
	}
	if ((f = fopen(seen, "w")) != NULL) {
		fwrite(req, 1, got, f);
		fclose(f);
	}
	if (reply == NULL) {
		sleep(10);
		_exit(0);
	}
	if (write(c, reply, strlen(reply)) < 0)
		_exit(1);
	shutdown(c, SHUT_WR);
	sleep(1);
	_exit(0);
}

static void start(struct one_shot *s, const char *reply)
{
	struct sockaddr_in a;
	socklen_t alen = sizeof(a);
	int fd = socket(AF_INET, SOCK_STREAM, 0), one = 1;

	cr_assert_geq(fd, 0);
	setsockopt(fd, SOL_SOCKET, SO_REUSEADDR, &one, sizeof(one));
	memset(&a, 0, sizeof(a));
	a.sin_family = AF_INET;
	a.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
	cr_assert_eq(bind(fd, (struct sockaddr *)&a, sizeof(a)), 0);
	cr_assert_eq(listen(fd, 4), 0);
	cr_assert_eq(getsockname(fd, (struct sockaddr *)&a, &alen), 0);
	s->port = ntohs(a.sin_port);
	snprintf(s->seen, sizeof(s->seen), "/tmp/tollgate-http-%d-%d", (int)getpid(), s->port);
	s->pid = fork();
	cr_assert_geq(s->pid, 0);
	if (s->pid == 0)
		serve_once(fd, reply, s->seen);
	close(fd);
}

static void stop(struct one_shot *s)
{
	kill(s->pid, SIGKILL);
	waitpid(s->pid, NULL, 0);
	unlink(s->seen);
}

static void url_of(const struct one_shot *s, char *url, size_t n)
{
	snprintf(url, n, "http://127.0.0.1:%d/v1/chat/completions", s->port);
}

Test(http, posts_json_with_headers_and_reads_the_answer)
{
	static const struct http_header hs[] = {
	    {"Authorization", "Bearer sk-test"}, {"X-Other", "v"}, {NULL, NULL}};
	struct one_shot s;
	struct http *h = http_new();
	struct buf out;
	char url[128], msg[256], seen[16384];
	int status = -1;
	FILE *f;
	size_t n;

	start(&s, "HTTP/1.1 201 Created\r\nContent-Type: application/json\r\nContent-Length: "
		  "11\r\nConnection: close\r\n\r\n{\"ok\":true}");
	url_of(&s, url, sizeof(url));
	buf_init(&out, 1024);
	cr_assert_eq(
	    http_post_json(h, url, hs, "{\"q\":1}", 7, 5000, 1024, &status, &out, msg, sizeof(msg)),
	    ERR_OK, "%s", msg);
	cr_assert_eq(status, 201);
	cr_assert_eq(out.len, 11);
	cr_assert_str_eq(out.p, "{\"ok\":true}");
	f = fopen(s.seen, "r");
	cr_assert_not_null(f);
	n = fread(seen, 1, sizeof(seen) - 1, f);
	fclose(f);
	seen[n] = '\0';
	cr_assert(strncmp(seen, "POST /v1/chat/completions HTTP/1.1\r\n", 36) == 0, "%s", seen);
	cr_assert_not_null(strstr(seen, "\r\nContent-Type: application/json\r\n"), "%s", seen);
	cr_assert_not_null(strstr(seen, "\r\nAuthorization: Bearer sk-test\r\n"), "%s", seen);
	cr_assert_not_null(strstr(seen, "\r\nX-Other: v\r\n"), "%s", seen);
	cr_assert_null(strcasestr(seen, "Expect:"), "no 100-continue: %s", seen);
	cr_assert(n >= 7 && strcmp(seen + n - 7, "{\"q\":1}") == 0, "%s", seen);
	stop(&s);
	buf_free(&out);
	http_free(h);
}

Test(http, an_error_status_is_returned_not_an_error)
{
	struct one_shot s;
	struct http *h = http_new();
	struct buf out;
	char url[128], msg[256];
	int status = -1;

	start(&s, "HTTP/1.1 529 Overloaded\r\nContent-Length: 2\r\nConnection: close\r\n\r\n{}");
	url_of(&s, url, sizeof(url));
	buf_init(&out, 0);
	cr_assert_eq(
	    http_post_json(h, url, NULL, "{}", 2, 5000, 1024, &status, &out, msg, sizeof(msg)),
	    ERR_OK, "%s", msg);
	cr_assert_eq(status, 529);
	stop(&s);
	buf_free(&out);
	http_free(h);
}

Test(http, redirects_are_not_followed)
{
	struct one_shot s;
	struct http *h = http_new();
	struct buf out;
	char url[128], msg[256];
	int status = -1;

	start(&s, "HTTP/1.1 302 Found\r\nLocation: http://127.0.0.1:1/elsewhere\r\n"
		  "Content-Length: 0\r\nConnection: close\r\n\r\n");
	url_of(&s, url, sizeof(url));
	buf_init(&out, 0);
	cr_assert_eq(
	    http_post_json(h, url, NULL, "{}", 2, 5000, 1024, &status, &out, msg, sizeof(msg)),
	    ERR_OK, "%s", msg);
	cr_assert_eq(status, 302);
	stop(&s);
	buf_free(&out);
	http_free(h);
}

Test(http, a_body_over_the_cap_is_too_big)
{
	static char reply[8192];
	struct one_shot s;
	struct http *h = http_new();
	struct buf out;
	char url[128], msg[256];
	int status = -1, w;

	/* Chunked, so that the size is only learned while reading. */
	w = snprintf(reply, sizeof(reply),
		     "HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\nConnection: close\r\n\r\n"
		     "800\r\n");
	memset(reply + w, 'x', 2048);
	memcpy(reply + w + 2048, "\r\n0\r\n\r\n", 8);
	start(&s, reply);
	url_of(&s, url, sizeof(url));
	buf_init(&out, 0);
	cr_assert_eq(
	    http_post_json(h, url, NULL, "{}", 2, 5000, 1000, &status, &out, msg, sizeof(msg)),
	    ERR_TOOBIG);
	cr_assert_leq(out.len, 1000);
	cr_assert_not_null(strstr(msg, "larger than 1000 bytes"), "%s", msg);
	stop(&s);
	buf_free(&out);
	http_free(h);
}

Test(http, a_declared_length_over_the_cap_is_too_big)
{
	struct one_shot s;
	struct http *h = http_new();
	struct buf out;
	char url[128], msg[256];
	int status = -1;

	start(&s, "HTTP/1.1 200 OK\r\nContent-Length: 5000\r\nConnection: close\r\n\r\nxx");
	url_of(&s, url, sizeof(url));
	buf_init(&out, 0);
	cr_assert_eq(
	    http_post_json(h, url, NULL, "{}", 2, 5000, 1000, &status, &out, msg, sizeof(msg)),
	    ERR_TOOBIG, "%s", msg);
	stop(&s);
	buf_free(&out);
	http_free(h);
}

static int64_t now_ms(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (int64_t)ts.tv_sec * 1000 + ts.tv_nsec / 1000000;
}

Test(http, a_silent_server_times_out_with_a_clear_message)
{
	struct one_shot s;
	struct http *h = http_new();
	struct buf out;
	char url[128], msg[256];
	int status = -1;
	int64_t t0;

	start(&s, NULL);
	url_of(&s, url, sizeof(url));
	buf_init(&out, 0);
	t0 = now_ms();
	cr_assert_eq(
	    http_post_json(h, url, NULL, "{}", 2, 300, 1000, &status, &out, msg, sizeof(msg)),
	    ERR_UPSTREAM);
	cr_assert_lt(now_ms() - t0, 3000);
	cr_assert_geq(now_ms() - t0, 250);
	cr_assert_str_eq(msg, "timed out after 300 ms");
	cr_assert_eq(status, 0);
	stop(&s);
	buf_free(&out);
	http_free(h);
}

Test(http, a_refused_connection_is_an_upstream_error_and_bad_input_is_refused)
{
	static const struct http_header bad[] = {{"X-Key", "a\r\nb"}, {NULL, NULL}};
	struct http *h = http_new();
	struct buf out;
	char msg[256];
	int status = -1;

	buf_init(&out, 0);
	/* Port 1 on loopback: nothing listens there. */
	cr_assert_eq(http_post_json(h, "http://127.0.0.1:1/x", NULL, "{}", 2, 2000, 1000, &status,
				    &out, msg, sizeof(msg)),
		     ERR_UPSTREAM);
	cr_assert_neq(msg[0], '\0');
	cr_assert_eq(http_post_json(h, "gopher://127.0.0.1:1/x", NULL, "{}", 2, 2000, 1000, &status,
				    &out, msg, sizeof(msg)),
		     ERR_INPUT);
	cr_assert_eq(http_post_json(h, "http://127.0.0.1:1/x", bad, "{}", 2, 2000, 1000, &status,
				    &out, msg, sizeof(msg)),
		     ERR_INPUT);
	cr_assert_null(strstr(msg, "a\r\nb"), "the message names no header value");
	buf_free(&out);
	http_free(h);
}
