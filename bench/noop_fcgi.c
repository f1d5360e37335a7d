/* The floor of the architecture: FastCGI pools shaped like `tollgate serve` that allow every
 * request at once, so `make bench` can tell Caddy's cost from the gate's.
 *
 * Usage: noop_fcgi SOCKET UPSTREAM [CONSOLESOCKET [ACCESSLOG]]
 *   SOCKET        the gate's unix socket (TOLLGATE_SOCKET; a stale socket file is replaced)
 *   UPSTREAM      value of X-Tollgate-Upstream (and -Host), e.g. 127.0.0.1:9080
 *   CONSOLESOCKET the console's unix socket (TOLLGATE_CONSOLE_SOCKET): one more process
 *                 answers every request there with 200 {"status":"ready"}, so that the
 *                 console and internal sites' /health/ready work as with tollgate
 *   ACCESSLOG     Caddy's access-log file (TOLLGATE_ACCESS_LOG): one more process follows
 *                 it the way tollgate's collector does (inotify, pread in the same chunks,
 *                 one line at a time, read space given back with FALLOC_FL_PUNCH_HOLE) and
 *                 discards each line instead of parsing it: the file work of a collector,
 *                 without the collector's own work (JSON, the join, the usage counters)
 * TOLLGATE_WORKERS sets the number of worker processes on SOCKET (0 or unset: one per CPU
 * core), as for tollgate's gate pool. SIGTERM or SIGINT stops everything; the master exits 0
 * once every child has.
 *
 * A benchmark tool, not part of Tollgate: it talks to libfcgi directly rather than through
 * lib/fcgi, so that it measures libfcgi and nothing of ours. */
#include <errno.h>
#include <fcgiapp.h>
#include <fcntl.h>
#include <signal.h>
#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <poll.h>
#include <sys/inotify.h>
#include <sys/prctl.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <sys/un.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#define MAX_WORKERS    256
#define LISTEN_BACKLOG 4096 /* the same as tollgate's keeper */
#define DRAIN_MS       5000 /* then SIGKILL */

/* The access-log reader's sizes and pace, the same as app/collector/collector.c's. */
#define LOG_MAX_LINE (64 * 1024) /* COLLECTOR_MAX_LINE: longer lines are skipped */
#define LOG_READ_BUF (2 * LOG_MAX_LINE)
#define PUNCH_STEP   ((off_t)16 * 1024 * 1024)
#define IDLE_MS	     100

static volatile sig_atomic_t stop;

static void on_stop(int sig)
{
	(void)sig;
	stop = 1;
}

/* In a child right after fork: SIGTERM/SIGINT set stop (no SA_RESTART: a blocked call
 * returns EINTR), and the child goes with its master. Returns false if the master is gone. */
static bool child_init(const char *name)
{
	struct sigaction sa;

	memset(&sa, 0, sizeof(sa));
	sa.sa_handler = on_stop;
	sigaction(SIGTERM, &sa, NULL);
	sigaction(SIGINT, &sa, NULL);
	sa.sa_handler = SIG_IGN;
	sigaction(SIGPIPE, &sa, NULL);
	prctl(PR_SET_PDEATHSIG, SIGTERM);
	if (getppid() == 1)
		return false;
	prctl(PR_SET_NAME, name);
	return true;
}

static int listen_unix(const char *path)
{
	struct sockaddr_un sun;
	int fd;

	memset(&sun, 0, sizeof(sun));
	sun.sun_family = AF_UNIX;
	if (strlen(path) >= sizeof(sun.sun_path)) {
		fprintf(stderr, "noop_fcgi: socket path too long: %s\n", path);
		return -1;
	}
	memcpy(sun.sun_path, path, strlen(path) + 1);
	fd = socket(AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC, 0);
	if (fd < 0) {
		perror("noop_fcgi: socket");
		return -1;
	}
	if (unlink(path) < 0 && errno != ENOENT) {
		perror("noop_fcgi: unlink");
		close(fd);
		return -1;
	}
	if (bind(fd, (struct sockaddr *)&sun, sizeof(sun)) < 0 || chmod(path, 0660) < 0 ||
	    listen(fd, LISTEN_BACKLOG) < 0) {
		fprintf(stderr, "noop_fcgi: listen on %s: %s\n", path, strerror(errno));
		close(fd);
		return -1;
	}
	return fd;
}

static int worker_count(void)
{
	const char *s = getenv("TOLLGATE_WORKERS");
	char *end;
	long n = 0;

	if (s != NULL && s[0] != '\0') {
		errno = 0;
		n = strtol(s, &end, 10);
		if (errno != 0 || *end != '\0' || n < 0 || n > MAX_WORKERS) {
			fprintf(stderr, "noop_fcgi: TOLLGATE_WORKERS must be 0..%d\n", MAX_WORKERS);
			return -1;
		}
	}
	if (n == 0)
		n = sysconf(_SC_NPROCESSORS_ONLN);
	return n > 0 ? (int)n : 1;
}

/* The access log as the reader follows it: the open file, where it has read to (the offset
 * of buf[0]), and what it has read past that but not yet handed over. */
struct log_reader {
	const char *path;
	int fd;
	dev_t dev;
	ino_t ino;
	off_t off;     /* the file offset of buf[0] */
	off_t punched; /* space below this was given back to the file system */
	bool can_punch;
	bool skipping; /* inside an over-long line: drop until its newline */
	size_t len;
	char *buf;
	uint64_t lines;
};

/* Opens the log, creating it as the collector does, from its start. */
static bool log_open(struct log_reader *r)
{
	struct stat st;

	r->fd = open(r->path, O_RDWR | O_CREAT | O_CLOEXEC, 0640);
	if (r->fd < 0 || fstat(r->fd, &st) < 0) {
		fprintf(stderr, "noop_fcgi: open %s: %s\n", r->path, strerror(errno));
		if (r->fd >= 0)
			close(r->fd);
		r->fd = -1;
		return false;
	}
	r->dev = st.st_dev;
	r->ino = st.st_ino;
	r->off = 0;
	r->punched = 0;
	r->can_punch = true;
	r->len = 0;
	r->skipping = false;
	return true;
}

/* Gives the space of what has been read back to the file system, as the collector does. */
static void log_punch(struct log_reader *r)
{
	off_t to = r->off & ~(off_t)4095;

	if (!r->can_punch || to - r->punched < PUNCH_STEP)
		return;
	if (fallocate(r->fd, FALLOC_FL_PUNCH_HOLE | FALLOC_FL_KEEP_SIZE, r->punched,
		      to - r->punched) < 0) {
		fprintf(stderr, "noop_fcgi: cannot punch %s: %s\n", r->path, strerror(errno));
		r->can_punch = false;
		return;
	}
	r->punched = to;
}

/* Reads what the file has past what is buffered and takes each complete line (and drops
 * it: the collector parses it here). Returns false at the end of the file. */
static bool log_step(struct log_reader *r)
{
	ssize_t n = pread(r->fd, r->buf + r->len, LOG_READ_BUF - r->len, r->off + (off_t)r->len);
	size_t start = 0, i;

	if (n <= 0)
		return false;
	r->len += (size_t)n;
	for (i = 0; i < r->len; i++) {
		if (r->buf[i] != '\n')
			continue;
		if (r->skipping)
			r->skipping = false;
		else if (i > start)
			r->lines++;
		start = i + 1;
	}
	while (start < r->len && r->buf[start] == '\0' && !r->skipping)
		start++;
	if (r->len - start >= LOG_MAX_LINE) {
		r->skipping = true;
		start = r->len;
	}
	memmove(r->buf, r->buf + start, r->len - start);
	r->len -= start;
	r->off += (off_t)start;
	log_punch(r);
	return true;
}

/* At the end of the file: replaced (renamed away) or truncated? Follow, as the collector. */
static void log_check(struct log_reader *r)
{
	struct stat st;

	if (stat(r->path, &st) == 0 && (st.st_dev != r->dev || st.st_ino != r->ino)) {
		while (log_step(r))
			;
		close(r->fd);
		r->fd = -1;
		(void)log_open(r);
	} else if (fstat(r->fd, &st) == 0 && st.st_size < r->off + (off_t)r->len) {
		r->off = 0;
		r->len = 0;
		r->punched = 0;
		r->skipping = false;
	}
}

/* The reader's whole job: follow Caddy's access log to its end, and wait for more. */
static int log_reader_run(const char *path)
{
	struct log_reader r;
	struct pollfd pfd;
	char events[4096];
	int wd = -1;

	if (!child_init("noop-log"))
		return 0;
	memset(&r, 0, sizeof(r));
	r.path = path;
	r.fd = -1;
	r.buf = malloc(LOG_READ_BUF);
	if (r.buf == NULL)
		abort();
	pfd.fd = inotify_init1(IN_NONBLOCK | IN_CLOEXEC);
	pfd.events = POLLIN;
	while (!stop) {
		if (r.fd < 0 && !log_open(&r)) {
			poll(NULL, 0, 1000);
			continue;
		}
		if (wd < 0 && pfd.fd >= 0)
			wd = inotify_add_watch(
			    pfd.fd, r.path, IN_MODIFY | IN_ATTRIB | IN_MOVE_SELF | IN_DELETE_SELF);
		if (log_step(&r))
			continue;
		log_check(&r);
		/* Caught up: wait for Caddy to write (inotify), or a little while. */
		if (poll(&pfd, pfd.fd >= 0 ? 1 : 0, IDLE_MS) > 0) {
			while (read(pfd.fd, events, sizeof(events)) > 0)
				;
			if (wd >= 0 && access(r.path, F_OK) != 0) {
				inotify_rm_watch(pfd.fd, wd);
				wd = -1;
			}
		}
		if (wd >= 0) {
			struct stat st;

			if (stat(r.path, &st) == 0 && st.st_ino != r.ino) {
				inotify_rm_watch(pfd.fd, wd);
				wd = -1;
			}
		}
	}
	while (r.fd >= 0 && log_step(&r))
		;
	fprintf(stderr, "noop_fcgi: read %llu access-log lines from %s\n",
		(unsigned long long)r.lines, path);
	if (r.fd >= 0)
		close(r.fd);
	if (pfd.fd >= 0)
		close(pfd.fd);
	free(r.buf);
	return 0;
}

/* The gate worker's answer: the same status and headers, of the same length, as an allowing
 * gate sends for bench/run.sh's tenant: an upstream given as IP:PORT over plain http (whose
 * Host is that same IP:PORT), a body limit of 1 MiB (one of the Caddyfile's body-limit
 * buckets), and the rate-limit policies of its limits and quota (the tightest one, the
 * per-address limit, as RateLimit). */
static void answer_gate(FCGX_Request *req, const char *upstream)
{
	const char *rid = FCGX_GetParam("TG_REQUEST_ID", req->envp);

	FCGX_FPrintF(req->out,
		     "Status: 200 OK\r\n"
		     "X-Tollgate-Tenant: bench\r\n"
		     "X-Tollgate-Key: 1\r\n"
		     "X-Tollgate-Upstream: %s\r\n"
		     "X-Tollgate-Upstream-Host: %s\r\n"
		     "X-Tollgate-Upstream-Scheme: http\r\n"
		     "X-Tollgate-Body-Limit: 1048576\r\n"
		     "X-Request-Id: %s\r\n"
		     "X-Tollgate-RateLimit-Policy: \"ip\";q=1000000;w=1, "
		     "\"key-second\";q=100000000;w=1, \"key-minute\";q=1000000000;w=60, "
		     "\"tenant-second\";q=100000000;w=1, \"tenant-minute\";q=1000000000;w=60, "
		     "\"month\";q=1000000000;w=2678400\r\n"
		     "X-Tollgate-RateLimit: \"ip\";r=999999;t=1\r\n"
		     "X-Tollgate-RateLimit-Limit: 1000000\r\n"
		     "X-Tollgate-RateLimit-Remaining: 999999\r\n"
		     "X-Tollgate-RateLimit-Reset: 1796540063\r\n"
		     "\r\n",
		     upstream, upstream, rid != NULL ? rid : "");
}

/* The console's answer, whatever was asked: ready (the bench asks only /health/ready). */
static void answer_console(FCGX_Request *req, const char *unused)
{
	(void)unused;
	FCGX_PutS("Status: 200 OK\r\n"
		  "Content-Type: application/json\r\n"
		  "Cache-Control: no-store\r\n"
		  "\r\n"
		  "{\"status\":\"ready\"}\n",
		  req->out);
}

/* A worker's whole job: accept, read the request, answer, close. */
static int worker_run(int listen_fd, const char *name, void (*answer)(FCGX_Request *, const char *),
		      const char *arg)
{
	FCGX_Request req;

	if (!child_init(name))
		return 0;
	if (FCGX_Init() != 0 || FCGX_InitRequest(&req, listen_fd, FCGI_FAIL_ACCEPT_ON_INTR) != 0) {
		fprintf(stderr, "noop_fcgi: cannot initialise libfcgi\n");
		return 1;
	}
	while (!stop) {
		char trash[512];

		if (FCGX_Accept_r(&req) < 0)
			continue; /* a signal, or a connection that went away */
		/* Close as lib/fcgi.c does: read the request to its end, answer, and close at
		 * once instead of waiting for Caddy, which closes after proxying upstream. */
		while (FCGX_GetStr(trash, sizeof(trash), req.in) > 0)
			;
		answer(&req, arg);
		FCGX_Detach(&req);
		FCGX_Finish_r(&req);
	}
	FCGX_Free(&req, 1);
	return 0;
}

static int64_t mono_ms(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (int64_t)ts.tv_sec * 1000 + ts.tv_nsec / 1000000;
}

static int running(const pid_t *pids, int n)
{
	int i, k = 0;

	for (i = 0; i < n; i++)
		k += pids[i] != 0;
	return k;
}

/* Marks a reaped child as gone; returns false if pid was not one of ours. */
static bool forget(pid_t *pids, int n, pid_t pid)
{
	int i;

	for (i = 0; i < n; i++) {
		if (pids[i] == pid) {
			pids[i] = 0;
			return true;
		}
	}
	return false;
}

/* SIGTERM again and again (a child between its stop check and a blocking call misses the
 * first), then SIGKILL after DRAIN_MS. */
static void drain(pid_t *pids, int n, const sigset_t *sigs)
{
	int64_t deadline = mono_ms() + DRAIN_MS;
	int i, status;
	pid_t pid;

	while (running(pids, n) > 0) {
		struct timespec ts = {0, 100000000L};
		siginfo_t info;
		int sig = mono_ms() < deadline ? SIGTERM : SIGKILL;

		for (i = 0; i < n; i++)
			if (pids[i] != 0)
				kill(pids[i], sig);
		sigtimedwait(sigs, &info, &ts);
		while ((pid = waitpid(-1, &status, WNOHANG)) > 0)
			forget(pids, n, pid);
	}
}

/* Starts one child that closes the sockets it does not serve and runs its loop. Returns its
 * pid, or 0 if fork failed. */
static pid_t spawn(const sigset_t *sigs, const int *fds, int nfds, int keep, int kind, char **argv)
{
	pid_t pid = fork();
	int i;

	if (pid < 0) {
		perror("noop_fcgi: fork");
		return 0;
	}
	if (pid > 0)
		return pid;
	sigprocmask(SIG_UNBLOCK, sigs, NULL);
	for (i = 0; i < nfds; i++)
		if (i != keep && fds[i] >= 0)
			close(fds[i]);
	switch (kind) {
	case 0:
		_exit(worker_run(fds[0], "noop-worker", answer_gate, argv[2]));
	case 1:
		_exit(worker_run(fds[1], "noop-console", answer_console, NULL));
	default:
		_exit(log_reader_run(argv[4]));
	}
}

int main(int argc, char **argv)
{
	pid_t pids[MAX_WORKERS + 2];
	int fds[2] = {-1, -1}, n, nchildren = 0, i, status, rc = 0;
	sigset_t sigs;

	if (argc < 3 || argc > 5 || argv[2][0] == '\0' || strpbrk(argv[2], "\r\n") != NULL) {
		fprintf(stderr, "usage: noop_fcgi SOCKET UPSTREAM [CONSOLESOCKET [ACCESSLOG]]\n");
		return 2;
	}
	n = worker_count();
	if (n < 0)
		return 2;
	fds[0] = listen_unix(argv[1]);
	if (fds[0] < 0)
		return 1;
	if (argc >= 4 && (fds[1] = listen_unix(argv[3])) < 0)
		return 1;

	/* The master takes its signals through sigtimedwait; children unblock them. */
	sigemptyset(&sigs);
	sigaddset(&sigs, SIGCHLD);
	sigaddset(&sigs, SIGTERM);
	sigaddset(&sigs, SIGINT);
	sigprocmask(SIG_BLOCK, &sigs, NULL);
	signal(SIGPIPE, SIG_IGN);

	memset(pids, 0, sizeof(pids));
	/* n gate workers, then the console responder and the log reader if asked for. */
	for (i = 0; i < n + 2 && rc == 0; i++) {
		int kind = i < n ? 0 : i - n + 1;
		pid_t pid;

		if ((kind == 1 && argc < 4) || (kind == 2 && argc < 5))
			continue;
		pid = spawn(&sigs, fds, 2, kind == 2 ? -1 : kind, kind, argv);
		if (pid == 0)
			rc = 1;
		else
			pids[nchildren++] = pid;
	}
	if (rc == 0)
		fprintf(stderr, "noop_fcgi: %d workers on %s%s%s%s%s (pid %ld)\n", n, argv[1],
			argc >= 4 ? ", a console responder on " : "", argc >= 4 ? argv[3] : "",
			argc >= 5 ? ", reading " : "", argc >= 5 ? argv[4] : "", (long)getpid());

	/* A child that dies makes the measurement meaningless: stop everything, exit 1. */
	while (rc == 0) {
		siginfo_t info;
		int sig = sigwaitinfo(&sigs, &info);
		pid_t pid;

		if (sig == SIGTERM || sig == SIGINT)
			break;
		if (sig != SIGCHLD)
			continue;
		while ((pid = waitpid(-1, &status, WNOHANG)) > 0) {
			if (forget(pids, nchildren, pid)) {
				fprintf(stderr, "noop_fcgi: child %ld died (status %d)\n",
					(long)pid, status);
				rc = 1;
			}
		}
	}
	drain(pids, nchildren, &sigs);
	for (i = 0; i < 2; i++)
		if (fds[i] >= 0)
			close(fds[i]);
	unlink(argv[1]);
	if (argc >= 4)
		unlink(argv[3]);
	return rc;
}
