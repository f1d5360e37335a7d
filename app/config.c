/* The configuration table, the secret, and reload rules. */
#include "config.h"

#include <errno.h>
#include <stddef.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "../lib/cfg.h"
#include "../lib/codec.h"
#include "../lib/log.h"
#include "../lib/str.h"

#define OPT(name, type, field, def, min, max, flags, help)                                         \
	{                                                                                          \
		name, type, offsetof(struct config, field), def, min, max, flags, help             \
	}

static const struct cfg_opt options[] = {
    OPT("TOLLGATE_CONFIG_FILE", CFG_STR, config_file, "", 0, 4096, CFG_RESTART,
	"Optional KEY=VALUE file; its values override the environment and are re-read on "
	"SIGHUP."),
    OPT("TOLLGATE_DATABASE_URL", CFG_STR, database_url, "dbname=tollgate", 0, 4096, CFG_DSN,
	"libpq connection string or postgresql:// URI."),
    OPT("TOLLGATE_SOCKET", CFG_STR, socket, "var/run/tollgate.sock", 0, 107, CFG_RESTART,
	"Unix socket of the gate's pool (Caddy's forward_auth dials it)."),
    OPT("TOLLGATE_CONSOLE_SOCKET", CFG_STR, console_socket, "var/run/console.sock", 0, 107,
	CFG_RESTART, "Unix socket of the console's pool (management API, health, metrics)."),
    OPT("TOLLGATE_AI_SOCKET", CFG_STR, ai_socket, "var/run/ai.sock", 0, 107, CFG_RESTART,
	"Unix socket of the AI pool (OpenAI- and Anthropic-compatible routes)."),
    OPT("TOLLGATE_AI_WORKERS", CFG_INT, ai_workers, "8", 1, 256, 0,
	"AI worker processes: each serves one AI request (a stream included) at a time."),
    OPT("TOLLGATE_AI_CONNECT_TIMEOUT", CFG_DURATION, ai_connect_timeout_ms, "5s", 100, 600000, 0,
	"Connecting to an AI provider; past it the next provider of the alias is tried."),
    OPT("TOLLGATE_AI_FIRST_BYTE_TIMEOUT", CFG_DURATION, ai_first_byte_timeout_ms, "60s", 100,
	3600000, 0,
	"From sending a request to a provider until its first byte (a stream's first event)."),
    OPT("TOLLGATE_AI_IDLE_TIMEOUT", CFG_DURATION, ai_idle_timeout_ms, "30s", 100, 3600000, 0,
	"Longest silence between two pieces of a provider's answer."),
    OPT("TOLLGATE_AI_TIMEOUT", CFG_DURATION, ai_timeout_ms, "10m", 1000, 3600000, 0,
	"Longest an AI request may take in all, a stream included."),
    OPT("TOLLGATE_AI_COOLDOWN", CFG_DURATION, ai_cooldown_ms, "30s", 0, 3600000, 0,
	"How long a provider that failed (429, 5xx, connect error, timeout) is skipped."),
    OPT("TOLLGATE_AI_MAX_BODY", CFG_SIZE, ai_max_body, "4M", 1024, 268435456, 0,
	"Largest AI request body (a chat with its history, or embedding inputs)."),
    OPT("TOLLGATE_SHM_PATH", CFG_STR, shm_path, "var/run/tollgate.shm", 0, 4096, CFG_RESTART,
	"File backing the shared-memory region (keys, tenants, counters)."),
    OPT("TOLLGATE_WORKERS", CFG_INT, workers, "0", 0, 256, 0,
	"Gate worker processes; 0 means one per CPU core. At most TOLLGATE_MAX_WORKERS."),
    OPT("TOLLGATE_MAX_WORKERS", CFG_INT, max_workers, "0", 0, 256, CFG_RESTART,
	"Most gate workers a reload may ask for (shared memory has a ring for each); 0 means "
	"twice the cores, at least 8."),
    OPT("TOLLGATE_CONSOLE_WORKERS", CFG_INT, console_workers, "2", 1, 256, 0,
	"Console worker processes (management API, health, metrics)."),
    OPT("TOLLGATE_CONSOLE_READ_TIMEOUT", CFG_DURATION, console_read_timeout_ms, "10s", 100, 600000,
	0, "A console request's body must have arrived this long after the worker took it."),
    OPT("TOLLGATE_MAX_KEYS", CFG_INT, max_keys, "100000", 16, 50000000, CFG_RESTART,
	"Capacity of the in-memory API-key table (about 170 bytes per key)."),
    OPT("TOLLGATE_MAX_TENANTS", CFG_INT, max_tenants, "10000", 16, 10000000, CFG_RESTART,
	"Capacity of the in-memory tenant table."),
    OPT("TOLLGATE_SECRET", CFG_STR, secret, "", 0, 128, CFG_SECRET | CFG_RESTART,
	"Server secret for hashing API keys: 64 hex digits. Prefer TOLLGATE_SECRET_FILE."),
    OPT("TOLLGATE_SECRET_FILE", CFG_STR, secret_file, "", 0, 4096, CFG_RESTART,
	"File holding the server secret (64 hex digits)."),
    OPT("TOLLGATE_LOG_LEVEL", CFG_STR, log_level, "info", 0, 16, 0,
	"Lowest level logged: debug, info, warn or error."),
    OPT("TOLLGATE_MIGRATIONS_DIR", CFG_STR, migrations_dir, "migrations", 0, 4096, 0,
	"Folder of NNNN_name.sql files applied by `tollgate migrate`."),
    OPT("TOLLGATE_GATEWAY_URL", CFG_STR, gateway_url, "http://localhost:8080", 1, 512, 0,
	"The gateway's URL as the tenant's callers reach it, shown in the portal's quickstart."),
    OPT("TOLLGATE_TEMPLATES", CFG_STR, templates_dir, "templates", 1, 4096, 0,
	"Folder of the portal's page templates (*.mustache), compiled when a console worker "
	"starts."),
    OPT("TOLLGATE_CONSOLE_URL", CFG_STR, console_url, "http://localhost:8081", 1, 512, 0,
	"The console's URL as people reach it: the links in the portal's mails start with it."),
    OPT("TOLLGATE_SMTP_URL", CFG_STR, smtp_url, "", 0, 512, 0,
	"Where the portal's mails go: smtp://HOST:PORT (STARTTLS when offered, required with a "
	"user) or smtps://HOST:PORT. Empty: mails wait in the outbox until it is set."),
    OPT("TOLLGATE_SMTP_FROM", CFG_STR, smtp_from, "Tollgate <noreply@localhost>", 3, 320, 0,
	"The From of the portal's mails."),
    OPT("TOLLGATE_SMTP_USER", CFG_STR, smtp_user, "", 0, 320, 0, "SMTP user name; empty for none."),
    OPT("TOLLGATE_SMTP_PASSWORD", CFG_STR, smtp_password, "", 0, 512, CFG_SECRET,
	"SMTP password (never printed)."),
    OPT("TOLLGATE_SMTP_TIMEOUT", CFG_DURATION, smtp_timeout_ms, "30s", 1000, 600000, 0,
	"The longest one mail may take to send. A failed mail is tried again after this long, "
	"then twice as long, and so on (at most 8 tries)."),
    OPT("TOLLGATE_STRIPE_API_KEY", CFG_STR, stripe_api_key, "", 0, 512, CFG_SECRET,
	"Stripe secret key (sk_live_... or sk_test_...; never printed). Empty: billing is off, "
	"the portal's plan page says so and no usage is reported."),
    OPT("TOLLGATE_STRIPE_API_URL", CFG_STR, stripe_api_url, "https://api.stripe.com", 8, 512, 0,
	"Stripe's API base URL (a local fake's in tests)."),
    OPT("TOLLGATE_STRIPE_WEBHOOK_SECRET", CFG_STR, stripe_webhook_secret, "", 0, 1024, CFG_SECRET,
	"The webhook endpoint's signing secret (whsec_...; never printed). While rolling it, "
	"the old and new ones separated by a comma. Empty: every webhook is refused."),
    OPT("TOLLGATE_STRIPE_METER_EVENT", CFG_STR, stripe_meter_event, "tollgate_requests", 1, 100, 0,
	"The event_name of the Stripe meter that counts requests."),
    OPT("TOLLGATE_STRIPE_METER_ID", CFG_STR, stripe_meter_id, "", 0, 100, 0,
	"That meter's id (mtr_...), which reconciliation reads Stripe's totals from."),
    OPT("TOLLGATE_STRIPE_TIMEOUT", CFG_DURATION, stripe_timeout_ms, "10s", 500, 120000, 0,
	"The longest one call to Stripe may take."),
    OPT("TOLLGATE_BILLING_GRACE", CFG_DURATION, billing_grace_ms, "168h", 0, 8640000000LL, 0,
	"How long a tenant whose payment failed keeps its paid plan before it falls to Free."),
    OPT("TOLLGATE_BILLING_INTERVAL", CFG_DURATION, billing_interval_ms, "60s", 1000, 3600000, 0,
	"How often flushed usage is queued as meter events (one per customer and hour each "
	"time)."),
    OPT("TOLLGATE_PROBLEM_BASE", CFG_STR, problem_base, "https://tollgate.dev/problems/", 0, 512, 0,
	"Prefix of the `type` URI in problem+json error bodies."),
    OPT("TOLLGATE_SYNC_INTERVAL", CFG_DURATION, sync_interval_ms, "60s", 1000, 86400000, 0,
	"How often the syncer reloads everything, besides LISTEN/NOTIFY changes."),
    OPT("TOLLGATE_READY_STALENESS", CFG_DURATION, ready_staleness_ms, "3s", 500, 600000, 0,
	"/health/ready fails when the last database round-trip is older than this."),
    OPT("TOLLGATE_DRAIN_TIMEOUT", CFG_DURATION, drain_timeout_ms, "10s", 0, 600000, 0,
	"On SIGTERM, how long children may finish in-flight work before SIGKILL."),
    OPT("TOLLGATE_MAX_BODY", CFG_SIZE, max_body, "1M", 1024, 1073741824, 0,
	"Largest request body the management API reads."),
    OPT("TOLLGATE_NODE_ID", CFG_STR, node_id, "", 0, 128, CFG_RESTART,
	"This node's name in usage records; empty means the host name. Unique per node."),
    OPT("TOLLGATE_ACCESS_LOG", CFG_STR, access_log, "var/run/access.log", 0, 4096, CFG_RESTART,
	"Caddy's JSON access log (the Caddyfile writes it), which the collector reads."),
    OPT("TOLLGATE_MAX_CLIENTS", CFG_INT, max_clients, "100000", 16, 50000000, CFG_RESTART,
	"Client IP addresses tracked at once for per-IP limits (idle ones are reused)."),
    OPT("TOLLGATE_USAGE_SLOTS", CFG_INT, usage_slots, "65536", 64, 50000000, CFG_RESTART,
	"Usage counters (one per key per hour) held until written to PostgreSQL."),
    OPT("TOLLGATE_FLUSH_INTERVAL", CFG_DURATION, flush_interval_ms, "1s", 100, 60000, 0,
	"How often the flusher writes usage to PostgreSQL and reads the cluster's back."),
    OPT("TOLLGATE_IP_RPS", CFG_INT, ip_rps, "100", 1, 1000000, 0,
	"Requests per second one client IP may make, authenticated or not."),
    OPT("TOLLGATE_IP_BURST", CFG_INT, ip_burst, "200", 1, 1000000, 0,
	"Burst allowed above TOLLGATE_IP_RPS."),
    OPT("TOLLGATE_AUTHFAIL_PER_MINUTE", CFG_INT, authfail_per_minute, "20", 1, 1000000, 0,
	"Failed authentications per minute one client IP may make before it gets 429."),
    OPT("TOLLGATE_AUTHFAIL_BURST", CFG_INT, authfail_burst, "10", 1, 1000000, 0,
	"Burst of failed authentications allowed above that rate."),
    OPT("TOLLGATE_QUOTA_FAIL_OPEN", CFG_BOOL, quota_fail_open, "true", 0, 1, 0,
	"Before the cluster's usage was read this month: admit (true) or refuse (false)."),
    OPT("TOLLGATE_USAGE_HOURLY_MONTHS", CFG_INT, usage_hourly_months, "13", 1, 1200, 0,
	"Months of hourly usage kept (monthly totals are kept for ever)."),
    OPT("TOLLGATE_ABUSE_ENGINE", CFG_STR, abuse_engine_name, "model", 0, 16, 0,
	"How the abuse engine scores: off, heuristics (rules alone) or model (learned)."),
    OPT("TOLLGATE_ABUSE_ANON_MODE", CFG_STR, abuse_anon_mode_name, "shadow", 0, 16, 0,
	"The abuse mode for traffic without a valid key: off, shadow or enforce."),
    OPT("TOLLGATE_ABUSE_BLOCK_SECONDS", CFG_INT, abuse_block_s, "300", 1, 86400 * 30, 0,
	"How long a block decided by the abuse engine lasts."),
    OPT("TOLLGATE_ABUSE_THROTTLE_SECONDS", CFG_INT, abuse_throttle_s, "300", 1, 86400 * 30, 0,
	"How long a throttle decided by the abuse engine lasts."),
    OPT("TOLLGATE_ABUSE_THROTTLE_RPS", CFG_INT, abuse_throttle_rps, "1", 1, 1000000, 0,
	"Requests per second a throttled client may still make."),
    OPT("TOLLGATE_ABUSE_EXEMPT_SECONDS", CFG_INT, abuse_exempt_s, "3600", 0, 86400 * 30, 0,
	"After a false positive is labelled, how long its client is at most flagged."),
    OPT("TOLLGATE_MAX_ROUTES", CFG_INT, max_routes, "65536", 64, 50000000, CFG_RESTART,
	"Route templates (per tenant) whose usual body size is tracked."),
    OPT("TOLLGATE_MAX_LIST_ENTRIES", CFG_INT, max_list_entries, "100000", 16, 50000000, CFG_RESTART,
	"Capacity of the in-memory address lists (allow, deny, suspect)."),
    OPT("TOLLGATE_MAX_JWT_ISSUERS", CFG_INT, max_jwt_issuers, "1000", 16, 1000000, CFG_RESTART,
	"Capacity of the in-memory table of JWT issuers (about 5 KiB each, with their keys)."),
    OPT("TOLLGATE_JWKS_REFRESH", CFG_DURATION, jwks_refresh_ms, "5m", 1000, 86400000, 0,
	"How often each JWT issuer's JWKS URL is fetched again (a changed issuer is fetched at "
	"once)."),
    OPT("TOLLGATE_DECISION_RETENTION_DAYS", CFG_INT, decision_retention_days, "90", 1, 36500, 0,
	"Days unlabelled sampled decisions are kept (labelled ones train models: kept)."),
    OPT("TOLLGATE_TRAIN_AFTER_LABELS", CFG_INT, train_after_labels, "20", 1, 1000000, 0,
	"Retrain a tenant's model automatically after this many new labels."),
    OPT("TOLLGATE_JUDGE_PROVIDER", CFG_STR, judge_provider_name, "none", 0, 16, 0,
	"The LLM judge: none, openai (Chat Completions) or anthropic (Messages)."),
    OPT("TOLLGATE_JUDGE_URL", CFG_STR, judge_url, "", 0, 512, 0,
	"Base URL of the provider, e.g. https://api.openai.com/v1 or https://api.anthropic.com."),
    OPT("TOLLGATE_JUDGE_MODEL", CFG_STR, judge_model, "", 0, 128, 0, "The model to ask."),
    OPT("TOLLGATE_JUDGE_API_KEY", CFG_STR, judge_api_key, "", 0, 512, CFG_SECRET,
	"The provider's API key. Prefer TOLLGATE_JUDGE_API_KEY_FILE."),
    OPT("TOLLGATE_JUDGE_API_KEY_FILE", CFG_STR, judge_api_key_file, "", 0, 4096, 0,
	"File holding the provider's API key."),
    OPT("TOLLGATE_JUDGE_TIMEOUT", CFG_DURATION, judge_timeout_ms, "3s", 100, 60000, 0,
	"How long one call to the provider may take."),
    OPT("TOLLGATE_JUDGE_BATCH", CFG_INT, judge_batch, "10", 1, 100, 0,
	"Clients described in one call to the provider."),
    OPT("TOLLGATE_JUDGE_TTL", CFG_DURATION, judge_ttl_ms, "5m", 1000, 86400000, 0,
	"How long a verdict is cached per client."),
    OPT("TOLLGATE_TRUSTED_PROXIES", CFG_STR, trusted_proxies_text, "", 0, 4096, 0,
	"Networks (CIDR, comma-separated) of load balancers in front of Caddy: from these "
	"peers the client's address is taken from X-Forwarded-For."),
    OPT("TOLLGATE_UPSTREAM_ALLOW", CFG_STR, upstream_allow_text, "", 0, 4096, 0,
	"Networks (CIDR, comma-separated) an upstream may be in although they are loopback, "
	"private, link-local or otherwise refused (e.g. 10.0.0.0/8 for upstreams on a VPC)."),
    OPT("TOLLGATE_ALLOW_CLOCK_SHIFT", CFG_BOOL, allow_clock_shift, "false", 0, 1, CFG_RESTART,
	"Let `tollgate clock` shift this node's business clock. For tests only."),
};

#define NOPTS (sizeof(options) / sizeof(options[0]))

struct lookup_ctx {
	struct cfg_file *file;
};

static const char *lookup(const char *name, void *arg)
{
	struct lookup_ctx *lc = arg;
	const char *v = lc->file ? cfg_file_get(lc->file, name) : NULL;

	return v ? v : getenv(name);
}

/* Reads a hex secret from the variable or the file into c->secret_key. */
static enum err load_secret(struct config *c, char *msg, size_t msglen)
{
	char text[160];
	struct str s;

	c->has_secret = false;
	if (c->secret_file[0] != '\0') {
		FILE *f = fopen(c->secret_file, "r");
		size_t n;

		if (f == NULL) {
			snprintf(msg, msglen, "TOLLGATE_SECRET_FILE: cannot read %s: %s",
				 c->secret_file, strerror(errno));
			return ERR_INPUT;
		}
		n = fread(text, 1, sizeof(text) - 1, f);
		fclose(f);
		text[n] = '\0';
	} else if (c->secret[0] != '\0') {
		str_lcpy(text, c->secret, sizeof(text));
	} else {
		return ERR_OK;
	}
	s = str_c(text);
	while (s.len > 0 &&
	       (s.p[s.len - 1] == '\n' || s.p[s.len - 1] == '\r' || s.p[s.len - 1] == ' '))
		s.len--;
	if (!codec_unhex(s.p, s.len, c->secret_key, sizeof(c->secret_key))) {
		snprintf(msg, msglen, "%s: the secret must be exactly 64 hex digits",
			 c->secret_file[0] ? "TOLLGATE_SECRET_FILE" : "TOLLGATE_SECRET");
		cryptox_wipe(text, sizeof(text));
		return ERR_INPUT;
	}
	cryptox_wipe(text, sizeof(text));
	c->has_secret = true;
	return ERR_OK;
}

/* Index of value in names, or -1. */
static int choose(const char *value, const char *const *names, int n)
{
	int i;

	for (i = 0; i < n; i++)
		if (strcmp(value, names[i]) == 0)
			return i;
	return -1;
}

/* Turns the settings that name a choice into their enums, or says which is wrong. */
static enum err parse_choices(struct config *c, char *msg, size_t msglen)
{
	static const char *const engines[] = {"off", "heuristics", "model"};
	static const char *const modes[] = {"off", "shadow", "enforce"};
	static const char *const providers[] = {"none", "openai", "anthropic"};

	c->abuse_engine = choose(c->abuse_engine_name, engines, 3);
	c->abuse_anon_mode = choose(c->abuse_anon_mode_name, modes, 3);
	c->judge_provider = choose(c->judge_provider_name, providers, 3);
	if (c->abuse_engine < 0) {
		snprintf(msg, msglen,
			 "TOLLGATE_ABUSE_ENGINE: '%.16s' is not off, heuristics or model",
			 c->abuse_engine_name);
		return ERR_INPUT;
	}
	if (c->abuse_anon_mode < 0) {
		snprintf(msg, msglen,
			 "TOLLGATE_ABUSE_ANON_MODE: '%.16s' is not off, shadow or enforce",
			 c->abuse_anon_mode_name);
		return ERR_INPUT;
	}
	if (c->judge_provider < 0) {
		snprintf(msg, msglen,
			 "TOLLGATE_JUDGE_PROVIDER: '%.16s' is not none, openai or anthropic",
			 c->judge_provider_name);
		return ERR_INPUT;
	}
	if (c->judge_provider != JUDGE_PROVIDER_NONE &&
	    (c->judge_url[0] == '\0' || c->judge_model[0] == '\0')) {
		snprintf(msg, msglen,
			 "TOLLGATE_JUDGE_URL and TOLLGATE_JUDGE_MODEL are needed with "
			 "TOLLGATE_JUDGE_PROVIDER");
		return ERR_INPUT;
	}
	return ERR_OK;
}

static enum err parse_list(struct addr_list *l, const char *text, const char *name, char *msg,
			   size_t msglen)
{
	const char *bad;
	size_t badlen;

	if (addr_list_parse(text, l, &bad, &badlen) == ERR_OK)
		return ERR_OK;
	snprintf(msg, msglen,
		 "%s: '%.*s' is not a network (such as 10.0.0.0/8), or there are more "
		 "than %d",
		 name, (int)(badlen > 64 ? 64 : badlen), bad, ADDR_LIST_MAX);
	return ERR_INPUT;
}

enum err config_load(struct config *c, char *msg, size_t msglen)
{
	struct cfg_file file;
	struct lookup_ctx lc = {NULL};
	const char *path = getenv("TOLLGATE_CONFIG_FILE");
	enum err rc;

	memset(c, 0, sizeof(*c));
	if (path != NULL && path[0] != '\0') {
		rc = cfg_file_read(&file, path, msg, msglen);
		if (rc != ERR_OK)
			return ERR_INPUT;
		lc.file = &file;
	}
	rc = cfg_load(options, NOPTS, c, lookup, &lc, msg, msglen);
	if (lc.file != NULL)
		cfg_file_free(&file);
	if (rc != ERR_OK)
		return rc;
	c->log_level_num = log_level_parse(c->log_level);
	if (c->log_level_num < 0) {
		snprintf(msg, msglen,
			 "TOLLGATE_LOG_LEVEL: '%.16s' is not debug, info, warn or error",
			 c->log_level);
		rc = ERR_INPUT;
	} else if (c->socket[0] == '\0' || c->console_socket[0] == '\0' ||
		   c->ai_socket[0] == '\0' || c->shm_path[0] == '\0' || c->access_log[0] == '\0') {
		snprintf(msg, msglen,
			 "TOLLGATE_SOCKET, TOLLGATE_CONSOLE_SOCKET, TOLLGATE_AI_SOCKET, "
			 "TOLLGATE_SHM_PATH and TOLLGATE_ACCESS_LOG must not be empty");
		rc = ERR_INPUT;
	} else if (strcmp(c->socket, c->console_socket) == 0) {
		snprintf(msg, msglen, "TOLLGATE_SOCKET and TOLLGATE_CONSOLE_SOCKET must differ");
		rc = ERR_INPUT;
	} else if (strcmp(c->socket, c->ai_socket) == 0 ||
		   strcmp(c->console_socket, c->ai_socket) == 0) {
		snprintf(msg, msglen,
			 "TOLLGATE_AI_SOCKET must differ from TOLLGATE_SOCKET and "
			 "TOLLGATE_CONSOLE_SOCKET");
		rc = ERR_INPUT;
	} else if (config_worker_count(c) > config_max_workers(c)) {
		snprintf(msg, msglen,
			 "TOLLGATE_WORKERS (%d) is more than TOLLGATE_MAX_WORKERS (%d)",
			 config_worker_count(c), config_max_workers(c));
		rc = ERR_INPUT;
	} else {
		rc = load_secret(c, msg, msglen);
	}
	if (rc == ERR_OK)
		rc = parse_choices(c, msg, msglen);
	if (rc == ERR_OK)
		rc = parse_list(&c->trusted_proxies, c->trusted_proxies_text,
				"TOLLGATE_TRUSTED_PROXIES", msg, msglen);
	if (rc == ERR_OK)
		rc = parse_list(&c->upstream_allow, c->upstream_allow_text,
				"TOLLGATE_UPSTREAM_ALLOW", msg, msglen);
	if (rc == ERR_OK && c->node_id[0] == '\0') {
		char host[129];

		if (gethostname(host, sizeof(host)) < 0)
			snprintf(host, sizeof(host), "node");
		host[sizeof(host) - 1] = '\0';
		free(c->node_id);
		c->node_id = strdup(host);
		if (c->node_id == NULL)
			abort();
	}
	if (rc != ERR_OK)
		config_free(c);
	return rc;
}

enum err config_require_secret(const struct config *c, char *msg, size_t msglen)
{
	if (c->has_secret)
		return ERR_OK;
	snprintf(msg, msglen,
		 "no server secret: set TOLLGATE_SECRET_FILE to a file holding 64 "
		 "hex digits (e.g. from `openssl rand -hex 32`)");
	return ERR_INPUT;
}

void config_free(struct config *c)
{
	cryptox_wipe(c->secret_key, sizeof(c->secret_key));
	if (c->secret != NULL)
		cryptox_wipe(c->secret, strlen(c->secret));
	cfg_free(options, NOPTS, c);
}

int config_worker_count(const struct config *c)
{
	long n;

	if (c->workers > 0)
		return (int)c->workers;
	n = sysconf(_SC_NPROCESSORS_ONLN);
	return n > 0 ? (int)n : 1;
}

int config_max_workers(const struct config *c)
{
	long n;

	if (c->max_workers > 0)
		return (int)c->max_workers;
	n = sysconf(_SC_NPROCESSORS_ONLN);
	n = 2 * (n > 0 ? n : 1);
	return n < 8 ? 8 : n > 256 ? 256 : (int)n;
}

void config_print_help(FILE *f, bool markdown)
{
	cfg_print_help(options, NOPTS, f, markdown);
}

void config_print_values(const struct config *c, FILE *f)
{
	cfg_print_values(options, NOPTS, c, f);
}

bool config_needs_restart(const struct config *old, const struct config *new_, char *which,
			  size_t whichlen)
{
	size_t i;

	for (i = 0; i < NOPTS; i++) {
		const struct cfg_opt *o = &options[i];
		const char *a = (const char *)old + o->off, *b = (const char *)new_ + o->off;
		bool same;

		if (!(o->flags & CFG_RESTART))
			continue;
		if (o->type == CFG_STR)
			same = strcmp(*(char *const *)(const void *)a,
				      *(char *const *)(const void *)b) == 0;
		else if (o->type == CFG_BOOL)
			same = *(const bool *)(const void *)a == *(const bool *)(const void *)b;
		else
			same =
			    *(const int64_t *)(const void *)a == *(const int64_t *)(const void *)b;
		if (!same) {
			snprintf(which, whichlen, "%s", o->name);
			return true;
		}
	}
	return false;
}
