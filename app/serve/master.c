/* The master: supervisor of the two worker pools and the background children. */
#include "master.h"

#include <errno.h>
#include <fcntl.h>
#include <signal.h>
#include <stdlib.h>
#include <string.h>
#include <sys/file.h>
#include <sys/prctl.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include "../../lib/log.h"
#include "../abuse/judge.h"
#include "../abuse/trainer.h"
#include "../app.h"
#include "../collector/collector.h"
#include "ai_pool.h"
#include "console_pool.h"
#include "flusher.h"
#include "gate_pool.h"
#include "hooks.h"
#include "listen.h"
#include "mailer.h"
#include "biller.h"
#include "../billing/stripe.h"
#include "jwks.h"
#include "resolver.h"
#include "syncer.h"

#define MAX_POOL    256
#define BACKOFF_MIN 100	  /* ms before the second restart in a row */
#define BACKOFF_MAX 5000  /* ms */
#define STABLE_MS   10000 /* a child that lived this long resets its backoff */
/* How long a new master waits for the processes of the previous one to let go of shared
 * memory (they finish their request or their last flush first). */
#define GENERATION_WAIT_MS 60000

enum child_kind {
	CHILD_GATE,
	CHILD_CONSOLE,
	CHILD_SYNCER,
	CHILD_FLUSHER,
	CHILD_COLLECTOR,
	CHILD_JUDGE,
	CHILD_TRAINER,
	CHILD_RESOLVER,
	CHILD_MAILER,
	CHILD_BILLER,
	CHILD_AI,
	CHILD_JWKS,
	CHILD_HOOKS,
	CHILD__MAX
};

static const char *const kind_names[CHILD__MAX] = {
    "gate",	"console", "syncer", "flusher", "collector", "judge", "trainer",
    "resolver", "mailer",  "biller", "ai",	"jwks",	     "hooks"};

/* Slots: the background children, then the gate pool, the console pool, the AI pool. */
#define FIRST_GATE    10
#define FIRST_CONSOLE (FIRST_GATE + MAX_POOL)
#define FIRST_AI      (FIRST_CONSOLE + MAX_POOL)
#define NSLOTS	      (FIRST_AI + MAX_POOL)

struct child {
	enum child_kind kind;
	int index;
	pid_t pid;	    /* 0 when not running */
	pid_t old_pid;	    /* a replaced child still finishing; the slot waits for it */
	int64_t started;    /* ms */
	int64_t restart_at; /* ms; when pid == 0 and the slot is wanted */
	int64_t backoff;    /* ms to wait before the next restart */
	bool wanted;	    /* false above a pool's size, and for a judge without a provider */
	bool stale;	    /* runs with the configuration before the last reload */
};

struct master {
	struct config *cfg;
	struct state state;
	struct app app;
	struct listen_fds fds;
	int lock_fd; /* flock on the shared-memory file: one generation of processes */
	struct child children[NSLOTS];
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
	return state_mono_ns() / 1000000;
}

static bool is_worker(const struct child *c)
{
	return c->kind == CHILD_GATE || c->kind == CHILD_CONSOLE || c->kind == CHILD_AI;
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
	sigaction(SIGUSR2, &sa, NULL);
	sa.sa_handler = SIG_DFL;
	sigaction(SIGCHLD, &sa, NULL);
	sigprocmask(SIG_UNBLOCK, &m->sigs, NULL);
	/* If the master is killed outright, finish what is in hand and go: the keeper
	 * starts a new master, which waits for this generation to let go of shared memory. */
	prctl(PR_SET_PDEATHSIG, SIGTERM);
	if (getppid() == 1)
		_exit(0);
	snprintf(name, sizeof(name), "tg-%s", kind_names[c->kind]);
	prctl(PR_SET_NAME, name);
	snprintf(name, sizeof(name), "%s.%d", kind_names[c->kind], c->index);
	log_init(name, (enum log_level)m->cfg->log_level_num);
	if (c->kind != CHILD_GATE)
		close(m->fds.gate);
	if (c->kind != CHILD_CONSOLE)
		close(m->fds.console);
	if (c->kind != CHILD_AI)
		close(m->fds.ai);
	m->app.ring = c->kind == CHILD_GATE ? (uint32_t)c->index : APP_NO_RING;
	switch (c->kind) {
	case CHILD_GATE:
		rc = gate_pool_run(&m->app, m->fds.gate, &child_stop);
		break;
	case CHILD_CONSOLE:
		rc = console_pool_run(&m->app, m->fds.console, &child_stop);
		break;
	case CHILD_AI:
		rc = ai_pool_run(&m->app, m->fds.ai, &child_stop);
		break;
	case CHILD_HOOKS:
		rc = hooks_run(&m->app, &child_stop);
		break;
	case CHILD_SYNCER:
		rc = syncer_run(&m->app, &child_stop);
		break;
	case CHILD_FLUSHER:
		rc = flusher_run(&m->app, &child_stop);
		break;
	case CHILD_COLLECTOR:
		rc = collector_run(&m->app, &child_stop);
		break;
	case CHILD_JUDGE:
		rc = judge_run(&m->app, &child_stop);
		break;
	case CHILD_TRAINER:
		rc = trainer_child_run(&m->app, &child_stop);
		break;
	case CHILD_RESOLVER:
		rc = resolver_run(&m->app, &child_stop);
		break;
	case CHILD_MAILER:
		rc = mailer_run(&m->app, &child_stop);
		break;
	case CHILD_BILLER:
		rc = biller_run(&m->app, &child_stop);
		break;
	case CHILD_JWKS:
		rc = jwks_run(&m->app, &child_stop);
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
	c->stale = false;
	c->started = mono_ms();
	log_debug("started %s.%d pid %ld", kind_names[c->kind], c->index, (long)pid);
}

static void on_exit_status(struct master *m, pid_t pid, int status)
{
	int64_t now = mono_ms();
	int i;

	for (i = 0; i < NSLOTS; i++) {
		struct child *c = &m->children[i];

		if (c->old_pid == pid) {
			/* A replaced child is gone: its slot may start the new one now. */
			c->old_pid = 0;
			c->restart_at = now;
			return;
		}
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

/* Lays out the slots for the configuration: which are wanted. */
static void plan_children(struct master *m)
{
	int gates = config_worker_count(m->cfg), consoles = (int)m->cfg->console_workers, i;
	int ais = (int)m->cfg->ai_workers;

	if (gates > MAX_POOL)
		gates = MAX_POOL;
	if (consoles > MAX_POOL)
		consoles = MAX_POOL;
	if (ais > MAX_POOL)
		ais = MAX_POOL;
	m->children[0].kind = CHILD_SYNCER;
	m->children[1].kind = CHILD_FLUSHER;
	m->children[2].kind = CHILD_COLLECTOR;
	m->children[3].kind = CHILD_JUDGE;
	m->children[4].kind = CHILD_TRAINER;
	m->children[5].kind = CHILD_RESOLVER;
	m->children[6].kind = CHILD_MAILER;
	m->children[7].kind = CHILD_BILLER;
	m->children[8].kind = CHILD_JWKS;
	m->children[9].kind = CHILD_HOOKS;
	for (i = 0; i < FIRST_GATE; i++)
		m->children[i].wanted = true;
	/* The LLM judge runs only when a provider is configured, the mailer when SMTP is. */
	m->children[3].wanted = m->cfg->judge_provider != JUDGE_PROVIDER_NONE;
	m->children[6].wanted = m->cfg->smtp_url[0] != '\0';
	m->children[7].wanted = stripe_enabled(m->cfg);
	for (i = 0; i < MAX_POOL; i++) {
		struct child *g = &m->children[FIRST_GATE + i],
			     *c = &m->children[FIRST_CONSOLE + i];

		g->kind = CHILD_GATE;
		g->index = i;
		g->wanted = i < gates;
		c->kind = CHILD_CONSOLE;
		c->index = i;
		c->wanted = i < consoles;
		m->children[FIRST_AI + i].kind = CHILD_AI;
		m->children[FIRST_AI + i].index = i;
		m->children[FIRST_AI + i].wanted = i < ais;
	}
}

/* Asks a running child to finish; its slot starts a replacement once it has exited, so two
 * processes never share a slot's ring or a flusher's counters. */
static void retire(struct child *c)
{
	if (c->pid == 0 || c->old_pid != 0)
		return;
	kill(c->pid, SIGTERM);
	c->old_pid = c->pid;
	c->pid = 0;
	c->backoff = 0;
}

/* After a reload: background children are replaced at once (each waits for its old self),
 * workers one at a time per pool, so each pool keeps serving throughout. Children a
 * smaller configuration no longer wants are stopped. */
static void roll(struct master *m)
{
	bool busy[CHILD__MAX] = {false};
	int i;

	for (i = 0; i < NSLOTS; i++) {
		struct child *c = &m->children[i];

		if (c->old_pid != 0 && is_worker(c))
			busy[c->kind] = true;
		if (c->pid != 0 && !c->wanted)
			retire(c);
	}
	for (i = 0; i < NSLOTS; i++) {
		struct child *c = &m->children[i];

		if (!c->stale || c->pid == 0 || c->old_pid != 0)
			continue;
		if (is_worker(c)) {
			if (busy[c->kind])
				continue;
			busy[c->kind] = true;
		}
		retire(c);
	}
}

/* SIGHUP: read the configuration again; if it is valid and can change without a restart,
 * replace the children with ones that run it. */
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
		log_errorx("reload refused: %s changed, which needs a restart (kill -USR2 the "
			   "keeper, or restart the service)",
			   which);
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
	for (i = 0; i < NSLOTS; i++)
		m->children[i].stale = m->children[i].pid != 0;
	roll(m);
	log_info("configuration reloaded; %d gate and %lld console workers",
		 config_worker_count(next), (long long)next->console_workers);
}

static bool in_phase(const struct child *c, int phase)
{
	return is_worker(c) == (phase == 0);
}

static int count_running(struct master *m, int phase)
{
	int i, n = 0;

	for (i = 0; i < NSLOTS; i++)
		if (in_phase(&m->children[i], phase))
			n += (m->children[i].pid != 0) + (m->children[i].old_pid != 0);
	return n;
}

static void signal_phase(struct master *m, int phase, int sig)
{
	int i;

	for (i = 0; i < NSLOTS; i++) {
		struct child *c = &m->children[i];

		if (!in_phase(c, phase))
			continue;
		if (c->pid != 0)
			kill(c->pid, sig);
		if (c->old_pid != 0)
			kill(c->old_pid, sig);
	}
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
				for (i = 0; i < NSLOTS; i++) {
					if (m->children[i].pid == pid)
						m->children[i].pid = 0;
					if (m->children[i].old_pid == pid)
						m->children[i].old_pid = 0;
				}
			}
		}
	}
}

/* Takes the generation lock: the processes of a previous master (killed, or replaced by an
 * upgrade) may still be finishing a request or a flush, and two generations must never
 * share shared memory's rings and counters. Waits for them, as long as it takes them. */
static int lock_generation(const char *path, const sigset_t *sigs)
{
	int64_t deadline = mono_ms() + GENERATION_WAIT_MS;
	bool said = false;
	int fd = open(path, O_RDWR | O_CREAT | O_CLOEXEC, 0600);

	if (fd < 0)
		log_fatal("open %s", path);
	while (flock(fd, LOCK_EX | LOCK_NB) < 0) {
		struct timespec ts = {0, 20000000L};
		siginfo_t info;
		int sig;

		if (errno != EWOULDBLOCK && errno != EINTR)
			log_fatal("flock %s", path);
		if (mono_ms() > deadline)
			log_fatalx("the processes of a previous master still hold %s after %d s",
				   path, GENERATION_WAIT_MS / 1000);
		if (!said)
			log_info("waiting for the previous master's processes to finish");
		said = true;
		/* Signals wait here too: a stop ends the wait, a reload is moot (nothing runs
		 * yet, and the configuration is read afresh anyway). */
		sig = sigtimedwait(sigs, &info, &ts);
		if (sig == SIGTERM || sig == SIGINT) {
			log_info("stopped before starting");
			exit(0);
		}
	}
	return fd;
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
	prctl(PR_SET_NAME, "tg-master");
	/* The keeper (`tollgate serve`) holds the sockets and restarts this process: do not
	 * outlive it. */
	prctl(PR_SET_PDEATHSIG, SIGTERM);
	log_init("master", (enum log_level)cfg->log_level_num);
	if (config_require_secret(cfg, msg, sizeof(msg)) != ERR_OK)
		log_fatalx("%s", msg);
	if (cryptox_init() != ERR_OK)
		log_fatalx("libsodium failed to initialise");
	if (listen_inherited(&m->fds, msg, sizeof(msg)) != ERR_OK || m->fds.ai < 0)
		log_fatalx("%s (the master is started by `tollgate serve`)", msg);
	/* Signals arrive through sigtimedwait only, never as handlers in the master: blocked
	 * from here on, so that none kills it while it waits for the previous one. */
	sigemptyset(&m->sigs);
	sigaddset(&m->sigs, SIGCHLD);
	sigaddset(&m->sigs, SIGTERM);
	sigaddset(&m->sigs, SIGINT);
	sigaddset(&m->sigs, SIGHUP);
	sigprocmask(SIG_BLOCK, &m->sigs, NULL);
	signal(SIGPIPE, SIG_IGN);
	signal(SIGUSR2, SIG_IGN);
	m->lock_fd = lock_generation(cfg->shm_path, &m->sigs);
	sizes.max_keys = (uint32_t)cfg->max_keys;
	sizes.max_tenants = (uint32_t)cfg->max_tenants;
	sizes.max_clients = (uint32_t)cfg->max_clients;
	sizes.usage_slots = (uint32_t)cfg->usage_slots;
	sizes.rings = (uint32_t)config_max_workers(cfg);
	sizes.max_routes = (uint32_t)cfg->max_routes;
	sizes.max_list_entries = (uint32_t)cfg->max_list_entries;
	sizes.max_jwt_issuers = (uint32_t)cfg->max_jwt_issuers;
	if (state_open(&m->state, cfg->shm_path, &sizes, msg, sizeof(msg)) != ERR_OK)
		log_fatalx("shared memory: %s", msg);
	atomic_store(&m->state.hdr->clock_shift_allowed, cfg->allow_clock_shift ? 1 : 0);
	m->app.cfg = cfg;
	m->app.state = &m->state;
	m->app.ring = APP_NO_RING;

	if (getppid() == 1)
		log_fatalx("the keeper is gone");

	plan_children(m);
	for (i = 0; i < NSLOTS; i++)
		if (m->children[i].wanted)
			start_child(m, &m->children[i]);
	log_info("serving: %d gate workers on %s, %lld console workers on %s (pid %ld)",
		 config_worker_count(cfg), cfg->socket, (long long)cfg->console_workers,
		 cfg->console_socket, (long)getpid());

	for (;;) {
		int64_t now = mono_ms(), next = now + 1000;
		struct timespec ts;
		siginfo_t info;
		int sig;

		roll(m);
		for (i = 0; i < NSLOTS; i++) {
			struct child *c = &m->children[i];
			bool due = c->pid == 0 && c->old_pid == 0 && c->wanted;

			if (due && c->restart_at <= now)
				start_child(m, c);
			else if (due && c->restart_at < next)
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
	close(m->fds.gate);
	close(m->fds.console);
	close(m->fds.ai);
	shm_region_sync(&m->state.region);
	state_close(&m->state);
	close(m->lock_fd);
	log_info("stopped");
	config_free(m->cfg);
	free(m->cfg);
	free(m);
	return rc;
}
