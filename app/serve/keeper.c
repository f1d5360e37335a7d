/* The keeper: the long-lived parent that holds the listening sockets and restarts the
 * master. */
#include "keeper.h"

#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/file.h>
#include <sys/prctl.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include "../../lib/fcgi.h"
#include "../../lib/log.h"
#include "../state/state.h"
#include "listen.h"

#define LISTEN_BACKLOG 4096
#define BACKOFF_MIN    100   /* ms before the second restart in a row */
#define BACKOFF_MAX    5000  /* ms */
#define STABLE_MS      10000 /* a master that lived this long restarts at once */

struct keeper {
	const struct config *cfg;
	char self[PATH_MAX]; /* the program to execute as master: read again at every start */
	struct listen_fds fds;
	bool bound;    /* we made the socket files (not systemd): remove them at the end */
	bool bound_ai; /* the AI pool's socket file too (systemd may pass only the others) */
	pid_t master;
	int64_t started, restart_at, backoff;
	bool upgrading; /* the master was asked to go for a new one */
	sigset_t sigs;
};

static int64_t mono_ms(void)
{
	return state_mono_ns() / 1000000;
}

/* One keeper per shared-memory file: a second `tollgate serve` would otherwise start a
 * second generation of processes on the same rings and counters. */
static int lock_keeper(const char *shm_path)
{
	char path[PATH_MAX], pid[24];
	int fd, n;

	n = snprintf(path, sizeof(path), "%s.lock", shm_path);
	if (n < 0 || (size_t)n >= sizeof(path))
		log_fatalx("TOLLGATE_SHM_PATH is too long");
	fd = open(path, O_RDWR | O_CREAT | O_CLOEXEC, 0600);
	if (fd < 0)
		log_fatal("open %s", path);
	if (flock(fd, LOCK_EX | LOCK_NB) < 0) {
		ssize_t got = read(fd, pid, sizeof(pid) - 1);

		pid[got > 0 ? got : 0] = '\0';
		pid[strcspn(pid, "\n")] = '\0';
		log_fatalx("another `tollgate serve` (pid %s) is running on %s; stop it first",
			   pid[0] ? pid : "?", shm_path);
	}
	n = snprintf(pid, sizeof(pid), "%ld\n", (long)getpid());
	if (ftruncate(fd, 0) < 0 || pwrite(fd, pid, (size_t)n, 0) != n)
		log_warn("cannot write %s", path);
	return fd;
}

static void open_sockets(struct keeper *k)
{
	char msg[512];
	enum err e = listen_inherited(&k->fds, msg, sizeof(msg));

	if (e == ERR_OK)
		log_info("using the sockets passed by the service manager");
	else if (e != ERR_NOTFOUND)
		log_fatalx("%s", msg);
	else {
		k->fds.gate = fcgi_listen(k->cfg->socket, LISTEN_BACKLOG, 0660, msg, sizeof(msg));
		if (k->fds.gate < 0)
			log_fatalx("gate: %s", msg);
		k->fds.console =
		    fcgi_listen(k->cfg->console_socket, LISTEN_BACKLOG, 0660, msg, sizeof(msg));
		if (k->fds.console < 0)
			log_fatalx("console: %s", msg);
		k->bound = true;
	}
	/* A service manager set up before the AI pool existed passes two sockets. */
	if (k->fds.ai < 0) {
		k->fds.ai = fcgi_listen(k->cfg->ai_socket, LISTEN_BACKLOG, 0660, msg, sizeof(msg));
		if (k->fds.ai < 0)
			log_fatalx("ai: %s", msg);
		k->bound_ai = true;
	}
}

static void start_master(struct keeper *k)
{
	char *const argv[] = {"tollgate", "serve", "--master", NULL};
	pid_t pid = fork();

	if (pid < 0) {
		log_error("fork");
		k->restart_at = mono_ms() + BACKOFF_MAX;
		return;
	}
	if (pid == 0) {
		/* The signals stay blocked through exec: the master takes them when it is ready
		 * (a reload that came too early would otherwise kill it). */
		signal(SIGPIPE, SIG_DFL);
		prctl(PR_SET_PDEATHSIG, SIGTERM);
		if (getppid() == 1)
			_exit(1);
		if (!listen_pass(&k->fds)) {
			log_error("passing the sockets");
			_exit(1);
		}
		execv(k->self, argv);
		log_error("execute %s", k->self);
		_exit(127);
	}
	k->master = pid;
	k->started = mono_ms();
	log_info("started the master (pid %ld)", (long)pid);
}

/* The master exited: why, and when to start the next one. */
static void on_master_exit(struct keeper *k, int status, bool stopping)
{
	int64_t now = mono_ms();

	k->master = 0;
	if (stopping)
		return; /* asked to: not a crash, and nothing restarts */
	if (k->upgrading) {
		log_info("the master stopped for a new one");
		k->upgrading = false;
		k->backoff = 0;
		k->restart_at = now;
		return;
	}
	if (WIFSIGNALED(status))
		log_warnx("the master was killed by signal %d; restarting it", WTERMSIG(status));
	else
		log_warnx("the master exited with status %d; restarting it", WEXITSTATUS(status));
	if (now - k->started >= STABLE_MS)
		k->backoff = 0;
	k->restart_at = now + k->backoff;
	k->backoff = k->backoff == 0 ? BACKOFF_MIN : k->backoff * 2;
	if (k->backoff > BACKOFF_MAX)
		k->backoff = BACKOFF_MAX;
}

int keeper_run(struct config *cfg)
{
	struct keeper k;
	ssize_t n;
	int lock_fd, rc = 0;
	bool stopping = false;

	memset(&k, 0, sizeof(k));
	k.cfg = cfg;
	prctl(PR_SET_NAME, "tg-serve");
	log_init("serve", (enum log_level)cfg->log_level_num);
	/* The path, not the open file: a binary replaced in place is what the next master
	 * runs (kill -USR2 to switch to it). */
	n = readlink("/proc/self/exe", k.self, sizeof(k.self) - 1);
	if (n <= 0 || (size_t)n >= sizeof(k.self) - 1)
		log_fatal("readlink /proc/self/exe");
	k.self[n] = '\0';
	if (n > 10 && strcmp(k.self + n - 10, " (deleted)") == 0)
		k.self[n - 10] = '\0';
	lock_fd = lock_keeper(cfg->shm_path);
	open_sockets(&k);

	sigemptyset(&k.sigs);
	sigaddset(&k.sigs, SIGCHLD);
	sigaddset(&k.sigs, SIGTERM);
	sigaddset(&k.sigs, SIGINT);
	sigaddset(&k.sigs, SIGHUP);
	sigaddset(&k.sigs, SIGUSR2);
	sigprocmask(SIG_BLOCK, &k.sigs, NULL);
	signal(SIGPIPE, SIG_IGN);
	log_info("listening: gate %s, console %s, ai %s (pid %ld)", cfg->socket,
		 cfg->console_socket, cfg->ai_socket, (long)getpid());
	start_master(&k);

	for (;;) {
		int64_t now = mono_ms(), wait = 1000;
		struct timespec ts;
		siginfo_t info;
		int sig, status;
		pid_t pid;

		if (k.master == 0) {
			if (stopping)
				break;
			if (k.restart_at <= now)
				start_master(&k);
			else
				wait = k.restart_at - now;
		}
		ts.tv_sec = wait / 1000;
		ts.tv_nsec = (wait % 1000) * 1000000L;
		sig = sigtimedwait(&k.sigs, &info, &ts);
		if (sig == SIGCHLD) {
			while ((pid = waitpid(-1, &status, WNOHANG)) > 0)
				if (pid == k.master)
					on_master_exit(&k, status, stopping);
		} else if (sig == SIGHUP) {
			if (k.master != 0)
				kill(k.master, SIGHUP);
		} else if (sig == SIGUSR2) {
			/* A new master, from the program file as it is now. The sockets stay
			 * open meanwhile: connections wait in their backlog, none is refused. */
			if (k.master != 0 && !k.upgrading) {
				log_info("replacing the master with %s", k.self);
				k.upgrading = true;
				kill(k.master, SIGTERM);
			}
		} else if (sig == SIGTERM || sig == SIGINT) {
			log_info("%s received; stopping", sig == SIGTERM ? "SIGTERM" : "SIGINT");
			stopping = true;
			k.upgrading = false;
			if (k.master != 0)
				kill(k.master, SIGTERM);
		} else if (sig < 0 && errno != EAGAIN && errno != EINTR) {
			log_error("sigtimedwait");
			rc = 1;
			break;
		}
	}
	close(k.fds.gate);
	close(k.fds.console);
	close(k.fds.ai);
	if (k.bound) {
		unlink(cfg->socket);
		unlink(cfg->console_socket);
	}
	if (k.bound_ai) {
		unlink(cfg->ai_socket);
	}
	close(lock_fd);
	log_info("stopped");
	config_free(cfg);
	free(cfg);
	return rc;
}
