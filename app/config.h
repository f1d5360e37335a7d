/* Tollgate's configuration: one struct filled once from TOLLGATE_* variables (and the
 * optional TOLLGATE_CONFIG_FILE, whose values win) through the one table in config.c. */
#ifndef APP_CONFIG_H
#define APP_CONFIG_H

#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>

#include "../lib/addr.h"
#include "../lib/cryptox.h"
#include "../lib/err.h"

struct config {
	char *config_file;
	char *database_url;
	char *socket;	      /* the gate's pool */
	char *console_socket; /* the console's pool */
	char *ai_socket;      /* the AI pool */
	int64_t ai_workers;
	int64_t ai_connect_timeout_ms, ai_first_byte_timeout_ms, ai_idle_timeout_ms, ai_timeout_ms,
	    ai_cooldown_ms;
	int64_t ai_max_body;
	char *shm_path;
	int64_t workers;     /* gate workers; 0 = one per core */
	int64_t max_workers; /* rings in shared memory; 0 = 2 per core, at least 8 */
	int64_t console_workers;
	int64_t console_read_timeout_ms;
	int64_t max_keys;
	int64_t max_tenants;
	char *secret;	   /* hex; prefer secret_file */
	char *secret_file; /* a file holding the hex secret */
	char *log_level;
	char *migrations_dir;
	char *problem_base;
	char *gateway_url;   /* the gateway's public URL, for the portal's quickstart */
	char *templates_dir; /* the portal's pages */
	char *console_url;   /* the console's URL as people reach it, for links in mails */
	char *smtp_url;	     /* "" : no mail is sent (it waits in the outbox) */
	char *smtp_from;
	char *smtp_user;
	char *smtp_password;
	int64_t smtp_timeout_ms; /* one mail's send; a failed one is retried after 1, 2, 4... times
				    it */
	char *stripe_api_key;	 /* "": billing is off (pages say so, nothing is sent) */
	char *stripe_api_url;	 /* https://api.stripe.com, or a fake's */
	char *stripe_webhook_secret; /* whsec_..., several comma-separated while rolling */
	char *stripe_meter_event;    /* the meter's event_name */
	char *stripe_meter_id;	     /* mtr_...: for reconciliation's event summaries */
	int64_t stripe_timeout_ms;   /* one call to Stripe */
	int64_t billing_grace_ms;    /* a failed payment keeps the paid plan this long */
	int64_t billing_interval_ms; /* usage is queued as meter events this often */
	int64_t sync_interval_ms;
	int64_t ready_staleness_ms;
	int64_t drain_timeout_ms;
	int64_t max_body;
	char *node_id;
	char *access_log;
	int64_t max_clients;
	int64_t usage_slots;
	int64_t flush_interval_ms;
	int64_t ip_rps;
	int64_t ip_burst;
	int64_t authfail_per_minute;
	int64_t authfail_burst;
	bool quota_fail_open;
	bool allow_clock_shift;
	int64_t usage_hourly_months;
	char *abuse_engine_name;
	char *abuse_anon_mode_name;
	int64_t abuse_block_s;
	int64_t abuse_throttle_s;
	int64_t abuse_throttle_rps;
	int64_t abuse_exempt_s;
	int64_t max_routes;
	int64_t max_list_entries;
	int64_t max_jwt_issuers;
	int64_t jwks_refresh_ms;
	int64_t train_after_labels;
	int64_t decision_retention_days;
	char *judge_provider_name;
	char *judge_url;
	char *judge_model;
	char *judge_api_key;
	char *judge_api_key_file;
	int64_t judge_timeout_ms;
	int64_t judge_batch;
	int64_t judge_ttl_ms;

	/* Derived from the names above. */
	int abuse_engine;    /* enum abuse_engine */
	int abuse_anon_mode; /* enum abuse_mode, for traffic without a valid key */
	int judge_provider;  /* enum judge_provider */

	char *trusted_proxies_text;
	char *upstream_allow_text;

	/* Derived by config_load(), not in the table. */
	struct addr_list trusted_proxies; /* peers whose X-Forwarded-For is believed */
	struct addr_list upstream_allow;  /* networks upstreams may be in despite the rules */
	unsigned char secret_key[CRYPTOX_KEY_BYTES];
	bool has_secret;
	int log_level_num;
};

enum abuse_engine { ABUSE_ENGINE_OFF, ABUSE_ENGINE_HEURISTICS, ABUSE_ENGINE_MODEL };
enum judge_provider { JUDGE_PROVIDER_NONE, JUDGE_PROVIDER_OPENAI, JUDGE_PROVIDER_ANTHROPIC };

/* Loads and validates. On ERR_INPUT msg names the variable and the problem. */
enum err config_load(struct config *c, char *msg, size_t msglen) WUR;
/* ERR_INPUT with a message if no usable secret was configured. */
enum err config_require_secret(const struct config *c, char *msg, size_t msglen) WUR;
void config_free(struct config *c);
/* The gate workers to start: the setting, or the number of online CPUs when it is 0. */
int config_worker_count(const struct config *c);
/* The most gate workers this configuration (and any reload of it) may run: shared memory
 * has a decision ring, a sample ring and a metrics row for each. */
int config_max_workers(const struct config *c);
/* `tollgate help config`: the table as text or Markdown. */
void config_print_help(FILE *f, bool markdown);
void config_print_values(const struct config *c, FILE *f);
/* True if a reload from old to new would need a restart (a CFG_RESTART option changed). */
bool config_needs_restart(const struct config *old, const struct config *new_, char *which,
			  size_t whichlen);

#endif
