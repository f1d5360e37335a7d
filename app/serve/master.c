/* Supervisor of the worker pool and the background children. */
#include "master.h"

#include <errno.h>
#include <signal.h>
#include <stdlib.h>
#include <string.h>
#include <sys/prctl.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include "../../lib/fcgi.h"
#include "../../lib/log.h"
#include "../abuse/judge.h"
#include "../abuse/trainer.h"
#include "../app.h"
#include "../collector/collector.h"
#include "flusher.h"
#include "syncer.h"
#include "worker.h"

#define MAX_WORKERS    256
#define BACKOFF_MIN    100   /* ms before the second restart in a row */
#define BACKOFF_MAX    5000  /* ms */
#define STABLE_MS      10000 /* a child that lived this long resets its backoff */
#define LISTEN_BACKLOG 1024

enum child_kind {
	CHILD_WORKER,
	CHILD_SYNCER,
	CHILD_FLUSHER,
	CHILD_COLLECTOR,
	CHILD_JUDGE,
	CHILD_TRAINER,
	CHILD__MAX
};

static const char *const kind_names[CHILD__MAX] = {"worker",	"syncer", "flusher",
						   "collector", "judge",  "trainer"};

/* Slots 0..FIRST_WORKER-1 hold the background children; workers follow. */
#define FIRST_WORKER 5

struct child {
	enum child_kind kind;
	int index;
	pid_t pid;	    /* 0 when not running */
	int64_t started;    /* ms */
	int64_t restart_at; /* ms; when pid == 0 and the slot is wanted */
	int64_t backoff;    /* ms to wait before the next restart */
	bool wanted;	    /* false above the worker count, and for a judge without a provider */
};

struct master {
	struct config *cfg;
	struct state state;
	struct app app;
	int listen_fd;
	int collector_fd;
	struct child children[MAX_WORKERS + FIRST_WORKER];
	int nchildren;
	pid_t
	    retiring[2 * (MAX_WORKERS + FIRST_WORKER)]; /* replaced on reload; exit on their own */
	int nretiring;
	sigset_t sigs;
};

static volatile sig_atomic_t child_stop;

static void on_child_stop(int sig)
{
	(void)sig;
	child_stop = 1;
}

static int64_t mono_ms(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (int64_t)ts.tv_sec * 1000 + ts.tv_nsec / 1000000;
}

/* Runs in the child right after fork: own signal handling, a name, then its loop. */
static void child_main(struct master *m, struct child *c)
{
	struct sigaction sa;
	char name[32];
	int rc;

	memset(&sa, 0, sizeof(sa));
	sa.sa_handler = on_child_stop; /* no SA_RESTART: blocking calls return EINTR */
	sigaction(SIGTERM, &sa, NULL);
	sigaction(SIGINT, &sa, NULL);
	sa.sa_handler = SIG_IGN;
	sigaction(SIGHUP, &sa, NULL);
	sigaction(SIGPIPE, &sa, NULL);
	sa.sa_handler = SIG_DFL;
	sigaction(SIGCHLD, &sa, NULL);
	sigprocmask(SIG_UNBLOCK, &m->sigs, NULL);
	/* If the master is killed outright, do not outlive it. */
	prctl(PR_SET_PDEATHSIG, SIGTERM);
	if (getppid() == 1)
		_exit(0);
	snprintf(name, sizeof(name), "tg-%s", kind_names[c->kind]);
	prctl(PR_SET_NAME, name);
	snprintf(name, sizeof(name), "%s.%d", kind_names[c->kind], c->index);
	log_init(name, (enum log_level)m->cfg->log_level_num);
	if (c->kind != CHILD_WORKER)
		close(m->listen_fd);
	if (c->kind != CHILD_COLLECTOR)
		close(m->collector_fd);
	switch (c->kind) {
	case CHILD_WORKER:
		m->app.ring = (uint32_t)c->index;
		rc = worker_run(&m->app, m->listen_fd, &child_stop);
		break;
	case CHILD_SYNCER:
		rc = syncer_run(&m->app, &child_stop);
		break;
	case CHILD_FLUSHER:
		rc = flusher_run(&m->app, &child_stop);
		break;
	case CHILD_COLLECTOR:
		rc = collector_run(&m->app, m->collector_fd, &child_stop);
		break;
	case CHILD_JUDGE:
		rc = judge_run(&m->app, &child_stop);
		break;
	case CHILD_TRAINER:
		rc = trainer_child_run(&m->app, &child_stop);
		break;
	case CHILD__MAX:
	default:
		rc = 1;
		break;
	}
	_exit(rc);
}

static void start_child(struct master *m, struct child *c)
{
	pid_t pid = fork();

	if (pid < 0) {
		log_error("fork %s.%d", kind_names[c->kind], c->index);
		c->restart_at = mono_ms() + BACKOFF_MAX;
		return;
	}
	if (pid == 0)
		child_main(m, c);
	c->pid = pid;
	c->started = mono_ms();
	log_debug("started %s.%d pid %ld", kind_names[c->kind], c->index, (long)pid);
}

static void on_exit_status(struct master *m, pid_t pid, int status)
{
	int64_t now = mono_ms();
	int i;

	for (i = 0; i < m->nretiring; i++) {
		if (m->retiring[i] == pid) {
			m->retiring[i] = m->retiring[--m->nretiring];
			return;
		}
	}
	for (i = 0; i < m->nchildren; i++) {
		struct child *c = &m->children[i];

		if (c->pid != pid)
			continue;
		c->pid = 0;
		if (WIFSIGNALED(status))
			log_warnx("%s.%d (pid %ld) killed by signal %d; restarting",
				  kind_names[c->kind], c->index, (long)pid, WTERMSIG(status));
		else
			log_warnx("%s.%d (pid %ld) exited with status %d; restarting",
				  kind_names[c->kind], c->index, (long)pid, WEXITSTATUS(status));
		/* The first death after a stable run restarts at once; a crash loop backs off. */
		if (now - c->started >= STABLE_MS)
			c->backoff = 0;
		c->restart_at = now + c->backoff;
		c->backoff = c->backoff == 0 ? BACKOFF_MIN : c->backoff * 2;
		if (c->backoff > BACKOFF_MAX)
			c->backoff = BACKOFF_MAX;
		return;
	}
}

static void reap(struct master *m)
{
	int status;
	pid_t pid;

	while ((pid = waitpid(-1, &status, WNOHANG)) > 0)
		on_exit_status(m, pid, status);
}

/* Lays out the child slots: the background children first, then the configured workers. */
static void plan_children(struct master *m)
{
	int want = config_worker_count(m->cfg), i;

	if (want > MAX_WORKERS)
		want = MAX_WORKERS;
	m->children[0].kind = CHILD_SYNCER;
	m->children[1].kind = CHILD_FLUSHER;
	m->children[2].kind = CHILD_COLLECTOR;
	m->children[3].kind = CHILD_JUDGE;
	m->children[4].kind = CHILD_TRAINER;
	for (i = 0; i < FIRST_WORKER; i++)
		m->children[i].wanted = true;
	/* The LLM judge runs only when a provider is configured. */
	m->children[3].wanted = m->cfg->judge_provider != JUDGE_PROVIDER_NONE;
	for (i = FIRST_WORKER; i < MAX_WORKERS + FIRST_WORKER; i++) {
		m->children[i].kind = CHILD_WORKER;
		m->children[i].index = i - FIRST_WORKER;
		m->children[i].wanted = i < want + FIRST_WORKER;
	}
	if (m->nchildren < want + FIRST_WORKER)
		m->nchildren = want + FIRST_WORKER;
}

static void retire(struct master *m, struct child *c)
{
	if (c->pid == 0)
		return;
	kill(c->pid, SIGTERM);
	if (m->nretiring < (int)(sizeof(m->retiring) / sizeof(m->retiring[0])))
		m->retiring[m->nretiring++] = c->pid;
	c->pid = 0;
}

/* SIGHUP: read the configuration again; if it is valid and can change without a restart,
 * start fresh children with it and let the old ones finish their current request. */
static void reload(struct master *m)
{
	struct config *next = malloc(sizeof(*next));
	char msg[512], which[64];
	int i;

	if (next == NULL)
		abort();
	if (config_load(next, msg, sizeof(msg)) != ERR_OK) {
		log_errorx("reload refused, keeping the running configuration: %s", msg);
		free(next);
		return;
	}
	if (config_needs_restart(m->cfg, next, which, sizeof(which))) {
		log_errorx("reload refused: %s changed, which needs a restart", which);
		config_free(next);
		free(next);
		return;
	}
	config_free(m->cfg);
	free(m->cfg);
	m->cfg = next;
	m->app.cfg = next;
	log_init("master", (enum log_level)next->log_level_num);
	plan_children(m);
	for (i = 0; i < m->nchildren; i++) {
		struct child *c = &m->children[i];

		/* The collector has no settings, and Caddy takes up to 10 s to reconnect its
		 * log stream to a new one: it stays. */
		if (c->kind == CHILD_COLLECTOR && c->pid != 0)
			continue;
		if (c->pid != 0)
			retire(m, c);
		c->backoff = 0;
		if (c->wanted)
			start_child(m, c);
	}
	log_info("configuration reloaded; %d workers", config_worker_count(next));
}

static bool in_phase(const struct child *c, int phase)
{
	return (c->kind == CHILD_WORKER) == (phase == 0);
}

static int count_running(struct master *m, int phase)
{
	int i, n = phase == 0 ? m->nretiring : 0;

	for (i = 0; i < m->nchildren; i++)
		n += m->children[i].pid != 0 && in_phase(&m->children[i], phase);
	return n;
}

static void signal_phase(struct master *m, int phase, int sig)
{
	int i;

	for (i = 0; i < m->nchildren; i++)
		if (m->children[i].pid != 0 && in_phase(&m->children[i], phase))
			kill(m->children[i].pid, sig);
	if (phase == 0)
		for (i = 0; i < m->nretiring; i++)
			kill(m->retiring[i], sig);
}

/* SIGTERM/SIGINT: first the workers finish what they are doing, so that everything they
 * counted is in shared memory; then the flusher writes it out, and the other children go.
 * Stragglers are killed after the drain timeout. */
static void drain(struct master *m)
{
	int phase, i;

	for (phase = 0; phase < 2; phase++) {
		int64_t deadline = mono_ms() + m->cfg->drain_timeout_ms;

		log_info("draining %d %s", count_running(m, phase),
			 phase == 0 ? "workers" : "background children");
		while (count_running(m, phase) > 0) {
			struct timespec ts = {0, 200000000L};
			siginfo_t info;
			int status;
			pid_t pid;

			if (deadline - mono_ms() <= 0) {
				log_warnx("drain timeout: killing %d children",
					  count_running(m, phase));
				signal_phase(m, phase, SIGKILL);
				deadline = mono_ms() + 60000;
			} else {
				/* Again and again: a child that was between its stop check and a
				 * blocking call when the first signal came would otherwise sleep
				 * on. */
				signal_phase(m, phase, SIGTERM);
			}
			sigtimedwait(&m->sigs, &info, &ts);
			while ((pid = waitpid(-1, &status, WNOHANG)) > 0) {
				for (i = 0; i < m->nchildren; i++)
					if (m->children[i].pid == pid)
						m->children[i].pid = 0;
				for (i = 0; i < m->nretiring; i++)
					if (m->retiring[i] == pid)
						m->retiring[i--] = m->retiring[--m->nretiring];
			}
		}
	}
}

int master_run(struct config *cfg)
{
	struct master *m = calloc(1, sizeof(*m));
	struct state_sizes sizes;
	char msg[512];
	int i, rc = 0;

	if (m == NULL)
		abort();
	m->cfg = cfg;
	log_init("master", (enum log_level)cfg->log_level_num);
	if (config_require_secret(cfg, msg, sizeof(msg)) != ERR_OK)
		log_fatalx("%s", msg);
	if (cryptox_init() != ERR_OK)
		log_fatalx("libsodium failed to initialise");
	sizes.max_keys = (uint32_t)cfg->max_keys;
	sizes.max_tenants = (uint32_t)cfg->max_tenants;
	sizes.max_clients = (uint32_t)cfg->max_clients;
	sizes.usage_slots = (uint32_t)cfg->usage_slots;
	sizes.rings = (uint32_t)config_ring_count(cfg);
	sizes.max_routes = (uint32_t)cfg->max_routes;
	sizes.max_list_entries = (uint32_t)cfg->max_list_entries;
	if (state_open(&m->state, cfg->shm_path, &sizes, msg, sizeof(msg)) != ERR_OK)
		log_fatalx("shared memory: %s", msg);
	atomic_store(&m->state.hdr->clock_shift_allowed, cfg->allow_clock_shift ? 1 : 0);
	/* Both sockets listen before any child runs and for the master's whole life: Caddy
	 * refuses to start while its access-log socket is not listening, and a restarted
	 * collector or worker picks up where the dead one left. */
	m->collector_fd =
	    fcgi_listen(cfg->collector_socket, LISTEN_BACKLOG, 0660, msg, sizeof(msg));
	if (m->collector_fd < 0)
		log_fatalx("collector: %s", msg);
	m->listen_fd = fcgi_listen(cfg->socket, LISTEN_BACKLOG, 0660, msg, sizeof(msg));
	if (m->listen_fd < 0)
		log_fatalx("%s", msg);
	m->app.cfg = cfg;
	m->app.state = &m->state;

	/* Signals arrive through sigtimedwait only, never as handlers in the master. */
	sigemptyset(&m->sigs);
	sigaddset(&m->sigs, SIGCHLD);
	sigaddset(&m->sigs, SIGTERM);
	sigaddset(&m->sigs, SIGINT);
	sigaddset(&m->sigs, SIGHUP);
	sigprocmask(SIG_BLOCK, &m->sigs, NULL);
	signal(SIGPIPE, SIG_IGN);

	plan_children(m);
	for (i = 0; i < m->nchildren; i++)
		if (m->children[i].wanted)
			start_child(m, &m->children[i]);
	log_info("serving on %s with %d workers (pid %ld)", cfg->socket, config_worker_count(cfg),
		 (long)getpid());

	for (;;) {
		int64_t now = mono_ms(), next = now + 1000;
		struct timespec ts;
		siginfo_t info;
		int sig;

		for (i = 0; i < m->nchildren; i++) {
			struct child *c = &m->children[i];

			if (c->pid == 0 && c->wanted && c->restart_at <= now)
				start_child(m, c);
			if (c->pid == 0 && c->wanted && c->restart_at < next)
				next = c->restart_at;
		}
		now = mono_ms();
		if (next < now)
			next = now;
		ts.tv_sec = (next - now) / 1000;
		ts.tv_nsec = ((next - now) % 1000) * 1000000L;
		sig = sigtimedwait(&m->sigs, &info, &ts);
		if (sig == SIGCHLD) {
			reap(m);
		} else if (sig == SIGHUP) {
			reload(m);
		} else if (sig == SIGTERM || sig == SIGINT) {
			log_info("%s received", sig == SIGTERM ? "SIGTERM" : "SIGINT");
			break;
		} else if (sig < 0 && errno != EAGAIN && errno != EINTR) {
			log_error("sigtimedwait");
			rc = 1;
			break;
		}
	}
	drain(m);
	close(m->listen_fd);
	close(m->collector_fd);
	unlink(m->cfg->socket);
	unlink(m->cfg->collector_socket);
	shm_region_sync(&m->state.region);
	state_close(&m->state);
	log_info("stopped");
	config_free(m->cfg);
	free(m->cfg);
	free(m);
	return rc;
}
