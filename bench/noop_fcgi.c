/* The floor of the architecture: a FastCGI pool shaped like `tollgate serve` that allows
 * every request at once, so `make bench` can tell Caddy's cost from the gate's.
 *
 * Usage: noop_fcgi SOCKET UPSTREAM [LOGSOCKET]
 *   SOCKET    unix socket to listen on (a stale socket file is replaced)
 *   UPSTREAM  value of X-Tollgate-Upstream, e.g. 127.0.0.1:9080
 *   LOGSOCKET where Caddy's access log goes (the Caddyfile logs to tollgate's collector):
 *             one more process accepts and discards it, as cheaply as anything can
 * TOLLGATE_WORKERS sets the number of worker processes (0 or unset: one per CPU core), as
 * for tollgate. SIGTERM or SIGINT stops the pool; the master exits 0 once every worker has.
 *
 * A benchmark tool, not part of Tollgate: it talks to libfcgi directly rather than through
 * lib/fcgi, so that it measures libfcgi and nothing of ours. */
#include <errno.h>
#include <fcgiapp.h>
#include <signal.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <poll.h>
#include <sys/prctl.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <sys/un.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#define MAX_WORKERS    256
#define LISTEN_BACKLOG 1024 /* the same as tollgate's master */
#define DRAIN_MS       5000 /* then SIGKILL */

static volatile sig_atomic_t stop;

static void on_stop(int sig)
{
	(void)sig;
	stop = 1;
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

/* The log sink's whole job: accept Caddy's access-log connections and read them away. */
static int log_sink_run(int listen_fd)
{
	struct pollfd pfd[33];
	char buf[65536];
	int n = 1, i;

	prctl(PR_SET_PDEATHSIG, SIGTERM);
	prctl(PR_SET_NAME, "noop-log");
	signal(SIGTERM, on_stop);
	pfd[0].fd = listen_fd;
	pfd[0].events = POLLIN;
	while (!stop) {
		if (poll(pfd, (nfds_t)n, 200) <= 0)
			continue;
		if ((pfd[0].revents & POLLIN) && n < 33) {
			int fd = accept(listen_fd, NULL, NULL);

			if (fd >= 0) {
				pfd[n].fd = fd;
				pfd[n++].events = POLLIN;
			}
		}
		for (i = 1; i < n; i++) {
			if (!(pfd[i].revents & (POLLIN | POLLHUP | POLLERR)))
				continue;
			if (read(pfd[i].fd, buf, sizeof(buf)) <= 0) {
				close(pfd[i].fd);
				pfd[i--] = pfd[--n];
			}
		}
	}
	return 0;
}

/* The worker's whole job: the same status and headers as an allowing gate. */
static int worker_run(int listen_fd, const char *upstream)
{
	struct sigaction sa;
	FCGX_Request req;

	memset(&sa, 0, sizeof(sa));
	sa.sa_handler = on_stop; /* no SA_RESTART: a blocked accept returns EINTR */
	sigaction(SIGTERM, &sa, NULL);
	sigaction(SIGINT, &sa, NULL);
	sa.sa_handler = SIG_IGN;
	sigaction(SIGPIPE, &sa, NULL);
	prctl(PR_SET_PDEATHSIG, SIGTERM);
	if (getppid() == 1)
		return 0;
	prctl(PR_SET_NAME, "noop-worker");
	if (FCGX_Init() != 0 || FCGX_InitRequest(&req, listen_fd, FCGI_FAIL_ACCEPT_ON_INTR) != 0) {
		fprintf(stderr, "noop_fcgi: cannot initialise libfcgi\n");
		return 1;
	}
	while (!stop) {
		const char *rid;
		char trash[512];

		if (FCGX_Accept_r(&req) < 0)
			continue; /* a signal, or a connection that went away */
		/* Close as lib/fcgi.c does: read the request to its end, answer, and close at
		 * once instead of waiting for Caddy, which closes after proxying upstream. */
		while (FCGX_GetStr(trash, sizeof(trash), req.in) > 0)
			;
		rid = FCGX_GetParam("TG_REQUEST_ID", req.envp);
		FCGX_FPrintF(req.out,
			     "Status: 200 OK\r\n"
			     "X-Tollgate-Tenant: bench\r\n"
			     "X-Tollgate-Key: 1\r\n"
			     "X-Request-Id: %s\r\n"
			     "X-Tollgate-Upstream: %s\r\n"
			     "X-Tollgate-RateLimit-Policy: \"key-second\";q=1000;w=1\r\n"
			     "X-Tollgate-RateLimit: \"key-second\";r=999;t=1\r\n"
			     "X-Tollgate-RateLimit-Limit: 1000\r\n"
			     "X-Tollgate-RateLimit-Remaining: 999\r\n"
			     "X-Tollgate-RateLimit-Reset: 0\r\n"
			     "\r\n",
			     rid != NULL ? rid : "", upstream);
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

/* Marks a reaped worker as gone; returns false if pid was not one of ours. */
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

/* SIGTERM again and again (a worker between its stop check and accept() misses the first),
 * then SIGKILL after DRAIN_MS. */
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

int main(int argc, char **argv)
{
	pid_t pids[MAX_WORKERS + 1];
	int fd, log_fd = -1, n, i, status, rc = 0;
	sigset_t sigs;

	if ((argc != 3 && argc != 4) || argv[2][0] == '\0' || strpbrk(argv[2], "\r\n") != NULL) {
		fprintf(stderr, "usage: noop_fcgi SOCKET UPSTREAM [LOGSOCKET]\n");
		return 2;
	}
	n = worker_count();
	if (n < 0)
		return 2;
	fd = listen_unix(argv[1]);
	if (fd < 0)
		return 1;
	if (argc == 4 && (log_fd = listen_unix(argv[3])) < 0)
		return 1;

	/* The master takes its signals through sigtimedwait; workers unblock them. */
	sigemptyset(&sigs);
	sigaddset(&sigs, SIGCHLD);
	sigaddset(&sigs, SIGTERM);
	sigaddset(&sigs, SIGINT);
	sigprocmask(SIG_BLOCK, &sigs, NULL);
	signal(SIGPIPE, SIG_IGN);

	memset(pids, 0, sizeof(pids));
	for (i = 0; i < n; i++) {
		pid_t pid = fork();

		if (pid < 0) {
			perror("noop_fcgi: fork");
			rc = 1;
			break;
		}
		if (pid == 0) {
			sigprocmask(SIG_UNBLOCK, &sigs, NULL);
			_exit(worker_run(fd, argv[2]));
		}
		pids[i] = pid;
	}
	if (rc == 0 && log_fd >= 0) {
		pid_t pid = fork();

		if (pid < 0) {
			perror("noop_fcgi: fork");
			rc = 1;
		} else if (pid == 0) {
			sigprocmask(SIG_UNBLOCK, &sigs, NULL);
			close(fd);
			_exit(log_sink_run(log_fd));
		} else {
			pids[n++] = pid;
		}
	}
	if (rc == 0)
		fprintf(stderr, "noop_fcgi: %d processes on %s (pid %ld)\n", n, argv[1],
			(long)getpid());

	/* A worker that dies makes the measurement meaningless: stop everything, exit 1. */
	while (rc == 0) {
		siginfo_t info;
		int sig = sigwaitinfo(&sigs, &info);
		pid_t pid;

		if (sig == SIGTERM || sig == SIGINT)
			break;
		if (sig != SIGCHLD)
			continue;
		while ((pid = waitpid(-1, &status, WNOHANG)) > 0) {
			if (forget(pids, n, pid)) {
				fprintf(stderr, "noop_fcgi: worker %ld died (status %d)\n",
					(long)pid, status);
				rc = 1;
			}
		}
	}
	drain(pids, n, &sigs);
	close(fd);
	unlink(argv[1]);
	return rc;
}
