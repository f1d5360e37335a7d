/* libcurl wrapper: bounded, verified, blocking JSON POSTs. */
#include "http.h"

#include <arpa/inet.h>
#include <curl/curl.h>
#include <netinet/in.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <time.h>

struct http {
	CURL *curl;
	volatile sig_atomic_t *abort_flag;
};

/* What the callbacks need for one call. */
struct sink {
	struct buf *out;
	size_t max;
	bool toobig;
	const struct http *h;
	const struct http_req *rq;
	CURL *curl;
	size_t got;	  /* body bytes so far */
	int64_t start_ms; /* CLOCK_MONOTONIC */
	int64_t last_ms;  /* the last body bytes, or the start */
	const char *why;  /* set when a callback stopped the call */
	bool refused;	  /* allow_addr said no */
	bool timed_out;	  /* first_byte_ms or idle_ms ran out */
};

static int64_t now_ms(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (int64_t)ts.tv_sec * 1000 + ts.tv_nsec / 1000000;
}

static bool initialised;

enum err http_init(void)
{
	if (initialised)
		return ERR_OK;
	if (curl_global_init(CURL_GLOBAL_DEFAULT) != CURLE_OK)
		return ERR_SYS;
	initialised = true;
	return ERR_OK;
}

void http_cleanup(void)
{
	if (!initialised)
		return;
	curl_global_cleanup();
	initialised = false;
}

struct http *http_new(void)
{
	struct http *h = calloc(1, sizeof(*h));

	if (h == NULL)
		abort();
	h->curl = curl_easy_init();
	if (h->curl == NULL)
		abort(); /* only out of memory, or a missing http_init() */
	return h;
}

void http_free(struct http *h)
{
	if (h == NULL)
		return;
	curl_easy_cleanup(h->curl);
	free(h);
}

void http_set_abort_flag(struct http *h, volatile sig_atomic_t *flag)
{
	h->abort_flag = flag;
}

/* RFC 9110 token characters. */
static bool is_tchar(unsigned char c)
{
	return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') ||
	       (c != '\0' && strchr("!#$%&'*+-.^_`|~", c) != NULL);
}

enum err http_header_line(const struct http_header *hd, char *out, size_t n)
{
	const char *p;
	int w;

	if (n > 0)
		out[0] = '\0';
	if (hd->name == NULL || hd->name[0] == '\0' || hd->value == NULL)
		return ERR_INPUT;
	for (p = hd->name; *p != '\0'; p++)
		if (!is_tchar((unsigned char)*p))
			return ERR_INPUT;
	for (p = hd->value; *p != '\0'; p++)
		if (*p == '\r' || *p == '\n')
			return ERR_INPUT;
	w = snprintf(out, n, "%s: %s", hd->name, hd->value);
	if (w < 0 || (size_t)w >= n) {
		if (n > 0)
			out[0] = '\0';
		return ERR_INPUT;
	}
	return ERR_OK;
}

enum err http_check_url(const char *url)
{
	size_t skip;

	if (url == NULL)
		return ERR_INPUT;
	if (strncasecmp(url, "https://", 8) == 0)
		skip = 8;
	else if (strncasecmp(url, "http://", 7) == 0)
		skip = 7;
	else
		return ERR_INPUT;
	if (url[skip] == '\0' || url[skip] == '/' || url[skip] == '?' || url[skip] == '#')
		return ERR_INPUT;
	for (; *url != '\0'; url++)
		if ((unsigned char)*url <= ' ' || *url == 0x7f)
			return ERR_INPUT;
	return ERR_OK;
}

static size_t on_data(char *p, size_t size, size_t nmemb, void *arg)
{
	struct sink *s = arg;
	size_t n = size * nmemb;
	long code = 0;

	if (n > s->max - s->got) {
		s->toobig = true;
		return 0; /* curl stops with CURLE_WRITE_ERROR */
	}
	s->got += n;
	s->last_ms = now_ms();
	if (s->rq->on_data != NULL) {
		curl_easy_getinfo(s->curl, CURLINFO_RESPONSE_CODE, &code);
		if (!s->rq->on_data(s->rq->arg, (int)code, p, n)) {
			s->why = "the receiver stopped";
			return 0;
		}
		return n;
	}
	if (!buf_append(s->out, p, n)) {
		s->toobig = true;
		return 0;
	}
	return n;
}

static int on_progress(void *arg, curl_off_t dltotal, curl_off_t dlnow, curl_off_t ultotal,
		       curl_off_t ulnow)
{
	struct sink *s = arg;
	const struct http_req *rq = s->rq;
	int64_t now;

	(void)dltotal;
	(void)dlnow;
	(void)ultotal;
	(void)ulnow;
	if (s->h->abort_flag != NULL && *s->h->abort_flag != 0)
		return 1;
	if (rq->on_tick != NULL && !rq->on_tick(rq->arg)) {
		s->why = "the caller went away";
		return 1;
	}
	now = now_ms();
	if (s->got == 0 && rq->first_byte_ms > 0 && now - s->start_ms > rq->first_byte_ms) {
		s->why = "no answer in time (first byte)";
		s->timed_out = true;
		return 1;
	}
	if (s->got > 0 && rq->idle_ms > 0 && now - s->last_ms > rq->idle_ms) {
		s->why = "the answer stalled (idle)";
		s->timed_out = true;
		return 1;
	}
	return 0;
}

/* Every connection curl would open is first checked against the caller's rules. */
static curl_socket_t on_open_socket(void *arg, curlsocktype purpose, struct curl_sockaddr *a)
{
	struct sink *s = arg;
	unsigned char ip[16];

	(void)purpose;
	memset(ip, 0, sizeof(ip));
	if (a->family == AF_INET) {
		const struct sockaddr_in *in = (const void *)&a->addr;

		ip[10] = ip[11] = 0xff;
		memcpy(ip + 12, &in->sin_addr, 4);
	} else if (a->family == AF_INET6) {
		const struct sockaddr_in6 *in6 = (const void *)&a->addr;

		memcpy(ip, &in6->sin6_addr, 16);
	} else {
		s->refused = true;
		return CURL_SOCKET_BAD;
	}
	if (!s->rq->allow_addr(s->rq->arg, ip)) {
		s->refused = true;
		return CURL_SOCKET_BAD;
	}
	return socket(a->family, a->socktype, a->protocol);
}

/* Adds the fixed and the extra headers to the list; ERR_INPUT names none of their values. */
static enum err add_headers(struct curl_slist **list, const char *content_type,
			    const struct http_header *headers, char *msg, size_t msglen)
{
	static const char *const fixed[] = {"Accept: application/json",
					    "Expect:"}; /* no 100-continue round trip */
	char line[HTTP_MAX_HEADER_LINE];
	struct curl_slist *l;
	size_t i;

	for (i = 0; i < sizeof(fixed) / sizeof(fixed[0]); i++) {
		if ((l = curl_slist_append(*list, fixed[i])) == NULL)
			abort();
		*list = l;
	}
	if (content_type != NULL) {
		struct http_header ct = {"Content-Type", content_type};

		if (http_header_line(&ct, line, sizeof(line)) != ERR_OK) {
			snprintf(msg, msglen, "invalid content type");
			return ERR_INPUT;
		}
		if ((l = curl_slist_append(*list, line)) == NULL)
			abort();
		*list = l;
	}
	for (i = 0; headers != NULL && headers[i].name != NULL; i++) {
		if (http_header_line(&headers[i], line, sizeof(line)) != ERR_OK) {
			snprintf(msg, msglen, "invalid request header #%zu", i + 1);
			return ERR_INPUT;
		}
		l = curl_slist_append(*list, line);
		memset(line, 0, sizeof(line)); /* it may have held a secret */
		if (l == NULL)
			abort();
		*list = l;
	}
	return ERR_OK;
}

/* Turns curl's code into ours, with a message that says what a log reader needs. */
static enum err failure(CURLcode cc, const struct sink *s, const char *detail, int64_t timeout_ms,
			size_t max, char *msg, size_t msglen)
{
	switch (cc) {
	case CURLE_WRITE_ERROR:
	case CURLE_FILESIZE_EXCEEDED:
		if (s->why != NULL) {
			snprintf(msg, msglen, "aborted: %s", s->why);
			return ERR_UPSTREAM;
		}
		if (s->toobig || cc == CURLE_FILESIZE_EXCEEDED) {
			snprintf(msg, msglen, "response larger than %zu bytes", max);
			return ERR_TOOBIG;
		}
		break;
	case CURLE_OPERATION_TIMEDOUT:
		snprintf(msg, msglen, "timed out after %lld ms", (long long)timeout_ms);
		return s->rq->on_data != NULL ? ERR_TIMEOUT : ERR_UPSTREAM;
	case CURLE_ABORTED_BY_CALLBACK:
		snprintf(msg, msglen, "aborted%s%s", s->why ? ": " : "", s->why ? s->why : "");
		return s->timed_out ? ERR_TIMEOUT : ERR_UPSTREAM;
	case CURLE_COULDNT_CONNECT:
		if (s->refused) {
			snprintf(msg, msglen, "the address is not allowed for upstreams");
			return ERR_FORBIDDEN;
		}
		break;
	case CURLE_UNSUPPORTED_PROTOCOL:
	case CURLE_URL_MALFORMAT:
		snprintf(msg, msglen, "invalid URL: %s", curl_easy_strerror(cc));
		return ERR_INPUT;
	default:
		break;
	}
	snprintf(msg, msglen, "%s%s%s", curl_easy_strerror(cc), detail[0] ? ": " : "", detail);
	return ERR_UPSTREAM;
}

enum err http_post_json(struct http *h, const char *url, const struct http_header *headers,
			const char *body, size_t len, int64_t timeout_ms, size_t max_response,
			int *status, struct buf *out, char *msg, size_t msglen)
{
	struct http_req rq = {.method = "POST",
			      .url = url,
			      .content_type = "application/json",
			      .headers = headers,
			      .body = body,
			      .len = len,
			      .timeout_ms = timeout_ms,
			      .max_response = max_response};

	return http_send(h, &rq, status, out, msg, msglen);
}

enum err http_send(struct http *h, const struct http_req *rq, int *status, struct buf *out,
		   char *msg, size_t msglen)
{
	struct curl_slist *list = NULL;
	char detail[CURL_ERROR_SIZE];
	struct sink s = {.out = out, .max = rq->max_response, .h = h, .rq = rq, .curl = h->curl};
	int64_t timeout_ms = rq->timeout_ms;
	CURL *c = h->curl;
	CURLcode cc;
	long code = 0;
	enum err rc;

	*status = 0;
	buf_reset(out);
	msg[0] = '\0';
	detail[0] = '\0';
	if (http_check_url(rq->url) != ERR_OK) {
		snprintf(msg, msglen, "invalid URL: only http:// and https:// with a host");
		return ERR_INPUT;
	}
	if (strcmp(rq->method, "GET") != 0 && strcmp(rq->method, "POST") != 0 &&
	    strcmp(rq->method, "DELETE") != 0) {
		snprintf(msg, msglen, "unsupported method");
		return ERR_INPUT;
	}
	if (timeout_ms <= 0)
		timeout_ms = 1;
	rc = add_headers(&list, rq->body != NULL ? rq->content_type : NULL, rq->headers, msg,
			 msglen);
	if (rc != ERR_OK)
		goto out;
	curl_easy_reset(c); /* keeps the connection cache, forgets the last call's options */
	curl_easy_setopt(c, CURLOPT_URL, rq->url);
#if LIBCURL_VERSION_NUM >= 0x075500
	curl_easy_setopt(c, CURLOPT_PROTOCOLS_STR, "http,https");
#else
	curl_easy_setopt(c, CURLOPT_PROTOCOLS, (long)(CURLPROTO_HTTP | CURLPROTO_HTTPS));
#endif
	curl_easy_setopt(c, CURLOPT_NOSIGNAL, 1L);
	curl_easy_setopt(c, CURLOPT_FOLLOWLOCATION, 0L);
	curl_easy_setopt(c, CURLOPT_SSL_VERIFYPEER, 1L);
	curl_easy_setopt(c, CURLOPT_SSL_VERIFYHOST, 2L);
	curl_easy_setopt(c, CURLOPT_TIMEOUT_MS, (long)timeout_ms);
	curl_easy_setopt(c, CURLOPT_CONNECTTIMEOUT_MS,
			 (long)(rq->connect_ms > 0 && rq->connect_ms < timeout_ms ? rq->connect_ms
										  : timeout_ms));
	if (rq->allow_addr != NULL) {
		curl_easy_setopt(c, CURLOPT_OPENSOCKETFUNCTION, on_open_socket);
		curl_easy_setopt(c, CURLOPT_OPENSOCKETDATA, &s);
	}
	curl_easy_setopt(c, CURLOPT_HTTPHEADER, list);
	if (strcmp(rq->method, "POST") == 0) {
		curl_easy_setopt(c, CURLOPT_POST, 1L);
		curl_easy_setopt(c, CURLOPT_POSTFIELDS, rq->body != NULL ? rq->body : "");
		curl_easy_setopt(c, CURLOPT_POSTFIELDSIZE_LARGE,
				 (curl_off_t)(rq->body != NULL ? rq->len : 0));
	} else if (strcmp(rq->method, "DELETE") == 0)
		curl_easy_setopt(c, CURLOPT_CUSTOMREQUEST, "DELETE");
	curl_easy_setopt(c, CURLOPT_MAXFILESIZE_LARGE, (curl_off_t)rq->max_response);
	curl_easy_setopt(c, CURLOPT_WRITEFUNCTION, on_data);
	curl_easy_setopt(c, CURLOPT_WRITEDATA, &s);
	curl_easy_setopt(c, CURLOPT_NOPROGRESS, 0L);
	curl_easy_setopt(c, CURLOPT_XFERINFOFUNCTION, on_progress);
	curl_easy_setopt(c, CURLOPT_XFERINFODATA, &s);
	curl_easy_setopt(c, CURLOPT_ERRORBUFFER, detail);
	s.start_ms = s.last_ms = now_ms();
	cc = curl_easy_perform(c);
	curl_easy_getinfo(c, CURLINFO_RESPONSE_CODE, &code);
	*status = (int)code;
	if (cc != CURLE_OK)
		rc = failure(cc, &s, detail, timeout_ms, rq->max_response, msg, msglen);
out:
	/* The list held the headers, secrets included: no pointer to it may outlive the call. */
	curl_easy_setopt(c, CURLOPT_HTTPHEADER, NULL);
	curl_easy_setopt(c, CURLOPT_ERRORBUFFER, NULL);
	curl_easy_setopt(c, CURLOPT_WRITEDATA, NULL);
	curl_slist_free_all(list);
	return rc;
}

/* What the SMTP upload reads from: the whole message, once. */
struct source {
	const char *p;
	size_t left;
};

static size_t on_read(char *out, size_t size, size_t nmemb, void *arg)
{
	struct source *s = arg;
	size_t n = size * nmemb < s->left ? size * nmemb : s->left;

	memcpy(out, s->p, n);
	s->p += n;
	s->left -= n;
	return n;
}

static bool one_line(const char *s)
{
	return s != NULL && strpbrk(s, "\r\n") == NULL;
}

/* The address inside "Name <addr>", or all of s. */
static void bare_address(const char *s, char *out, size_t n)
{
	const char *lt = strrchr(s, '<'), *gt = lt != NULL ? strchr(lt, '>') : NULL;

	if (lt != NULL && gt != NULL)
		snprintf(out, n, "<%.*s>", (int)(gt - lt - 1), lt + 1);
	else
		snprintf(out, n, "<%s>", s);
}

enum err http_mail_send(struct http *h, const struct http_mail *m, int64_t timeout_ms, char *msg,
			size_t msglen)
{
	struct curl_slist *rcpt = NULL;
	char detail[CURL_ERROR_SIZE], from[320], to[320], date[64];
	const struct http_req none = {.method = "SMTP"};
	struct sink s = {.h = h, .rq = &none, .curl = h->curl};
	struct source src;
	struct buf text;
	const char *p;
	CURL *c = h->curl;
	CURLcode cc;
	time_t now = time(NULL);
	struct tm tm;
	enum err rc = ERR_OK;

	msg[0] = '\0';
	detail[0] = '\0';
	if (!one_line(m->from) || !one_line(m->to) || !one_line(m->subject) ||
	    (strncasecmp(m->url, "smtp://", 7) != 0 && strncasecmp(m->url, "smtps://", 8) != 0)) {
		snprintf(msg, msglen, "refused: an smtp:// or smtps:// URL and one-line headers");
		return ERR_INPUT;
	}
	/* The message, with CRLF line ends (libcurl dot-stuffs the body). */
	buf_init(&text, 1 << 20);
	gmtime_r(&now, &tm);
	strftime(date, sizeof(date), "%a, %d %b %Y %H:%M:%S +0000", &tm);
	buf_printf(
	    &text,
	    "From: %s\r\nTo: %s\r\nSubject: %s\r\nDate: %s\r\nMIME-Version: 1.0\r\n"
	    "Content-Type: text/plain; charset=utf-8\r\nContent-Transfer-Encoding: 8bit\r\n\r\n",
	    m->from, m->to, m->subject, date);
	for (p = m->body; *p != '\0'; p++) {
		if (*p == '\n' && (p == m->body || p[-1] != '\r'))
			buf_putc(&text, '\r');
		buf_putc(&text, *p);
	}
	buf_puts(&text, "\r\n");
	if (text.overflow) {
		snprintf(msg, msglen, "the message is larger than 1 MiB");
		buf_free(&text);
		return ERR_TOOBIG;
	}
	bare_address(m->from, from, sizeof(from));
	bare_address(m->to, to, sizeof(to));
	rcpt = curl_slist_append(rcpt, to);
	src.p = text.p;
	src.left = text.len;
	curl_easy_reset(c);
	curl_easy_setopt(c, CURLOPT_URL, m->url);
#if LIBCURL_VERSION_NUM >= 0x075500
	curl_easy_setopt(c, CURLOPT_PROTOCOLS_STR, "smtp,smtps");
#else
	curl_easy_setopt(c, CURLOPT_PROTOCOLS, (long)(CURLPROTO_SMTP | CURLPROTO_SMTPS));
#endif
	curl_easy_setopt(c, CURLOPT_NOSIGNAL, 1L);
	curl_easy_setopt(c, CURLOPT_SSL_VERIFYPEER, 1L);
	curl_easy_setopt(c, CURLOPT_SSL_VERIFYHOST, 2L);
	/* STARTTLS when the server offers it; required when a password would go over it. */
	curl_easy_setopt(c, CURLOPT_USE_SSL,
			 m->user != NULL && m->user[0] != '\0' ? (long)CURLUSESSL_ALL
							       : (long)CURLUSESSL_TRY);
	if (m->user != NULL && m->user[0] != '\0') {
		curl_easy_setopt(c, CURLOPT_USERNAME, m->user);
		curl_easy_setopt(c, CURLOPT_PASSWORD, m->password != NULL ? m->password : "");
	}
	curl_easy_setopt(c, CURLOPT_TIMEOUT_MS, (long)(timeout_ms > 0 ? timeout_ms : 1));
	curl_easy_setopt(c, CURLOPT_CONNECTTIMEOUT_MS, (long)(timeout_ms > 0 ? timeout_ms : 1));
	curl_easy_setopt(c, CURLOPT_MAIL_FROM, from);
	curl_easy_setopt(c, CURLOPT_MAIL_RCPT, rcpt);
	curl_easy_setopt(c, CURLOPT_UPLOAD, 1L);
	curl_easy_setopt(c, CURLOPT_READFUNCTION, on_read);
	curl_easy_setopt(c, CURLOPT_READDATA, &src);
	curl_easy_setopt(c, CURLOPT_INFILESIZE_LARGE, (curl_off_t)text.len);
	curl_easy_setopt(c, CURLOPT_NOPROGRESS, 0L);
	curl_easy_setopt(c, CURLOPT_XFERINFOFUNCTION, on_progress);
	curl_easy_setopt(c, CURLOPT_XFERINFODATA, &s);
	curl_easy_setopt(c, CURLOPT_ERRORBUFFER, detail);
	s.start_ms = s.last_ms = now_ms();
	cc = curl_easy_perform(c);
	if (cc != CURLE_OK) {
		snprintf(msg, msglen, "%s%s%s", curl_easy_strerror(cc), detail[0] ? ": " : "",
			 detail);
		rc = ERR_UPSTREAM;
	}
	/* No pointer to the message or the credentials may outlive the call. */
	curl_easy_setopt(c, CURLOPT_MAIL_RCPT, NULL);
	curl_easy_setopt(c, CURLOPT_READDATA, NULL);
	curl_easy_setopt(c, CURLOPT_ERRORBUFFER, NULL);
	curl_easy_setopt(c, CURLOPT_USERNAME, NULL);
	curl_easy_setopt(c, CURLOPT_PASSWORD, NULL);
	curl_slist_free_all(rcpt);
	buf_free(&text);
	return rc;
}
