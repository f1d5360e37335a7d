/* cfg: the table-driven loader, value parsers, environment files, and app/config.c on top
 * of them (through the real environment). */
#include <criterion/criterion.h>
#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "../../app/config.h"
#include "../../lib/cfg.h"
#include "fixture.h"

struct tcfg {
	int64_t n;
	bool b;
	char *s;
	int64_t d;
	int64_t sz;
	int64_t pin;
	char *token;
};

static const struct cfg_opt topts[] = {
    {"TOLLGATE_N", CFG_INT, offsetof(struct tcfg, n), "7", -5, 100, 0, "an integer"},
    {"TOLLGATE_B", CFG_BOOL, offsetof(struct tcfg, b), "false", 0, 0, 0, "a flag"},
    {"TOLLGATE_S", CFG_STR, offsetof(struct tcfg, s), "dflt", 0, 8, 0, "a string"},
    {"TOLLGATE_D", CFG_DURATION, offsetof(struct tcfg, d), "2s", 0, 86400000, 0, "a duration"},
    {"TOLLGATE_SZ", CFG_SIZE, offsetof(struct tcfg, sz), "1k", 0, 1 << 30, 0, "a size"},
    {"TOLLGATE_PIN", CFG_INT, offsetof(struct tcfg, pin), "1234", 1000, 9999, CFG_SECRET,
     "a secret number"},
    {"TOLLGATE_TOKEN", CFG_STR, offsetof(struct tcfg, token), "", 0, 16, CFG_SECRET,
     "a secret string"},
};

#define NTOPTS (sizeof(topts) / sizeof(topts[0]))

/* Looks name up in a NULL-terminated array of name, value pairs. */
static const char *pairs_lookup(const char *name, void *arg)
{
	const char *const *kv = arg;

	for (; kv[0] != NULL; kv += 2)
		if (strcmp(kv[0], name) == 0)
			return kv[1];
	return NULL;
}

static enum err load(struct tcfg *t, const char *const *kv, char *msg, size_t msglen)
{
	memset(t, 0, sizeof(*t));
	return cfg_load(topts, NTOPTS, t, pairs_lookup, (void *)kv, msg, msglen);
}

Test(cfg, load_applies_defaults)
{
	static const char *const kv[] = {NULL};
	struct tcfg t;
	char msg[256];

	cr_assert_eq(load(&t, kv, msg, sizeof(msg)), ERR_OK, "%s", msg);
	cr_assert_eq(t.n, 7);
	cr_assert_eq(t.b, false);
	cr_assert_str_eq(t.s, "dflt");
	cr_assert_eq(t.d, 2000);
	cr_assert_eq(t.sz, 1024);
	cr_assert_eq(t.pin, 1234);
	cr_assert_str_eq(t.token, "");
	cfg_free(topts, NTOPTS, &t);
	cr_assert_null(t.s);
	cr_assert_null(t.token);
}

Test(cfg, load_fills_every_type_from_lookup)
{
	static const char *const kv[] = {
	    "TOLLGATE_N",   "-5",	  "TOLLGATE_B",	    "yes",	   "TOLLGATE_S",
	    "abcdefgh",	    "TOLLGATE_D", "250ms",	    "TOLLGATE_SZ", "16M",
	    "TOLLGATE_PIN", "9999",	  "TOLLGATE_TOKEN", "t0k3n",	   NULL};
	struct tcfg t;
	char msg[256];

	cr_assert_eq(load(&t, kv, msg, sizeof(msg)), ERR_OK, "%s", msg);
	cr_assert_eq(t.n, -5);
	cr_assert_eq(t.b, true);
	cr_assert_str_eq(t.s, "abcdefgh");
	cr_assert_eq(t.d, 250);
	cr_assert_eq(t.sz, 16 * 1024 * 1024);
	cr_assert_eq(t.pin, 9999);
	cr_assert_str_eq(t.token, "t0k3n");
	cr_assert_str_eq(msg, "");
	cfg_free(topts, NTOPTS, &t);
}

Test(cfg, load_names_variable_and_value_on_bad_integer)
{
	static const char *const kv[] = {"TOLLGATE_N", "abc", NULL};
	struct tcfg t;
	char msg[256];

	cr_assert_eq(load(&t, kv, msg, sizeof(msg)), ERR_INPUT);
	cr_assert_str_eq(msg, "TOLLGATE_N: 'abc' is not a valid integer");
}

Test(cfg, load_rejects_out_of_range_integer)
{
	static const char *const hi[] = {"TOLLGATE_N", "101", NULL};
	static const char *const lo[] = {"TOLLGATE_N", "-6", NULL};
	struct tcfg t;
	char msg[256];

	cr_assert_eq(load(&t, hi, msg, sizeof(msg)), ERR_INPUT);
	cr_assert(strstr(msg, "TOLLGATE_N") != NULL, "%s", msg);
	cr_assert(strstr(msg, "-5..100") != NULL, "%s", msg);
	cr_assert_eq(load(&t, lo, msg, sizeof(msg)), ERR_INPUT);
	cr_assert(strstr(msg, "TOLLGATE_N") != NULL, "%s", msg);
}

Test(cfg, load_rejects_bad_bool_duration_and_size_naming_the_type)
{
	static const char *const b[] = {"TOLLGATE_B", "maybe", NULL};
	static const char *const d[] = {"TOLLGATE_D", "5 minutes", NULL};
	static const char *const sz[] = {"TOLLGATE_SZ", "12T", NULL};
	struct tcfg t;
	char msg[256];

	cr_assert_eq(load(&t, b, msg, sizeof(msg)), ERR_INPUT);
	cr_assert_str_eq(msg, "TOLLGATE_B: 'maybe' is not a valid boolean");
	cr_assert_eq(load(&t, d, msg, sizeof(msg)), ERR_INPUT);
	cr_assert_str_eq(msg, "TOLLGATE_D: '5 minutes' is not a valid duration");
	cr_assert_eq(load(&t, sz, msg, sizeof(msg)), ERR_INPUT);
	cr_assert_str_eq(msg, "TOLLGATE_SZ: '12T' is not a valid size");
}

Test(cfg, load_rejects_too_long_string)
{
	static const char *const kv[] = {"TOLLGATE_S", "123456789", NULL};
	struct tcfg t;
	char msg[256];

	cr_assert_eq(load(&t, kv, msg, sizeof(msg)), ERR_INPUT);
	cr_assert(strstr(msg, "TOLLGATE_S") != NULL, "%s", msg);
	cr_assert(strstr(msg, "8") != NULL, "%s", msg);
	cr_assert_null(t.s);
}

Test(cfg, load_failure_frees_strings_already_loaded)
{
	/* TOLLGATE_S loads before TOLLGATE_D fails; nothing may stay allocated (LSan checks). */
	static const char *const kv[] = {"TOLLGATE_S", "kept", "TOLLGATE_D", "soon", NULL};
	struct tcfg t;
	char msg[256];

	cr_assert_eq(load(&t, kv, msg, sizeof(msg)), ERR_INPUT);
	cr_assert_null(t.s);
	cr_assert_null(t.token);
}

Test(cfg, load_never_puts_a_secret_value_in_the_message)
{
	static const char *const bad[] = {"TOLLGATE_PIN", "12ab34", NULL};
	static const char *const range[] = {"TOLLGATE_PIN", "98765", NULL};
	static const char *const longer[] = {"TOLLGATE_TOKEN", "s3cr3t-s3cr3t-s3cr3t", NULL};
	struct tcfg t;
	char msg[256];

	cr_assert_eq(load(&t, bad, msg, sizeof(msg)), ERR_INPUT);
	cr_assert(strstr(msg, "TOLLGATE_PIN") != NULL, "%s", msg);
	cr_assert(strstr(msg, "12ab34") == NULL, "secret leaked: %s", msg);
	cr_assert_eq(load(&t, range, msg, sizeof(msg)), ERR_INPUT);
	cr_assert(strstr(msg, "TOLLGATE_PIN") != NULL, "%s", msg);
	cr_assert(strstr(msg, "98765") == NULL, "secret leaked: %s", msg);
	cr_assert_eq(load(&t, longer, msg, sizeof(msg)), ERR_INPUT);
	cr_assert(strstr(msg, "TOLLGATE_TOKEN") != NULL, "%s", msg);
	cr_assert(strstr(msg, "s3cr3t") == NULL, "secret leaked: %s", msg);
}

Test(cfg, print_values_masks_secrets)
{
	static const char *const kv[] = {"TOLLGATE_PIN", "4321", "TOLLGATE_TOKEN", "hunter2", NULL};
	struct tcfg t;
	char msg[256], *out = NULL;
	size_t outlen = 0;
	FILE *f;

	cr_assert_eq(load(&t, kv, msg, sizeof(msg)), ERR_OK, "%s", msg);
	f = open_memstream(&out, &outlen);
	cr_assert_not_null(f);
	cfg_print_values(topts, NTOPTS, &t, f);
	fclose(f);
	cr_assert(strstr(out, "TOLLGATE_N=7\n") != NULL, "%s", out);
	cr_assert(strstr(out, "TOLLGATE_D=2000ms\n") != NULL, "%s", out);
	cr_assert(strstr(out, "TOLLGATE_TOKEN=(set)\n") != NULL, "%s", out);
	cr_assert(strstr(out, "hunter2") == NULL, "secret printed: %s", out);
	cr_assert(strstr(out, "4321") == NULL, "secret printed: %s", out);
	free(out);
	cfg_free(topts, NTOPTS, &t);
}

static int64_t parse_ok(enum cfg_type type, const char *s)
{
	int64_t v = -1;

	cr_assert_eq(cfg_parse_value(type, s, &v), ERR_OK, "'%s' refused", s);
	return v;
}

static void parse_bad(enum cfg_type type, const char *s)
{
	int64_t v = -1;

	cr_assert_eq(cfg_parse_value(type, s, &v), ERR_INPUT, "'%s' accepted", s);
	cr_assert_eq(v, 0, "out not cleared for '%s'", s);
}

Test(cfg, durations_accept_units_and_plain_milliseconds)
{
	cr_assert_eq(parse_ok(CFG_DURATION, "250ms"), 250);
	cr_assert_eq(parse_ok(CFG_DURATION, "2s"), 2000);
	cr_assert_eq(parse_ok(CFG_DURATION, "5m"), 300000);
	cr_assert_eq(parse_ok(CFG_DURATION, "1h"), 3600000);
	cr_assert_eq(parse_ok(CFG_DURATION, "1500"), 1500);
	cr_assert_eq(parse_ok(CFG_DURATION, "0"), 0);
	cr_assert_eq(parse_ok(CFG_DURATION, " 3s "), 3000);
	parse_bad(CFG_DURATION, "");
	parse_bad(CFG_DURATION, "s");
	parse_bad(CFG_DURATION, "-1s");
	parse_bad(CFG_DURATION, "1.5s");
	parse_bad(CFG_DURATION, "5 s");
	parse_bad(CFG_DURATION, "5d");
	parse_bad(CFG_DURATION, "5S");
	parse_bad(CFG_DURATION, "9223372036854775807h"); /* overflows when scaled */
	parse_bad(CFG_DURATION, "99999999999999999999");
}

Test(cfg, sizes_accept_binary_units)
{
	cr_assert_eq(parse_ok(CFG_SIZE, "512"), 512);
	cr_assert_eq(parse_ok(CFG_SIZE, "64k"), 65536);
	cr_assert_eq(parse_ok(CFG_SIZE, "64K"), 65536);
	cr_assert_eq(parse_ok(CFG_SIZE, "16M"), 16777216);
	cr_assert_eq(parse_ok(CFG_SIZE, "1G"), 1073741824);
	parse_bad(CFG_SIZE, "16MB");
	parse_bad(CFG_SIZE, "k");
	parse_bad(CFG_SIZE, "-1k");
	parse_bad(CFG_SIZE, "9223372036854775807G");
}

Test(cfg, bools_accept_the_documented_words_only)
{
	static const char *const yes[] = {"true", "yes", "on", "1", "TRUE", "Yes", " on "};
	static const char *const no[] = {"false", "no", "off", "0", "OFF", "False"};
	static const char *const bad[] = {"", "2", "y", "n", "enable", "truee", "-1", "o"};
	size_t i;

	for (i = 0; i < sizeof(yes) / sizeof(yes[0]); i++)
		cr_assert_eq(parse_ok(CFG_BOOL, yes[i]), 1, "'%s'", yes[i]);
	for (i = 0; i < sizeof(no) / sizeof(no[0]); i++)
		cr_assert_eq(parse_ok(CFG_BOOL, no[i]), 0, "'%s'", no[i]);
	for (i = 0; i < sizeof(bad) / sizeof(bad[0]); i++)
		parse_bad(CFG_BOOL, bad[i]);
}

Test(cfg, ints_are_plain_decimal)
{
	cr_assert_eq(parse_ok(CFG_INT, "-42"), -42);
	cr_assert_eq(parse_ok(CFG_INT, " 42\t"), 42);
	cr_assert_eq(parse_ok(CFG_INT, "9223372036854775807"), INT64_MAX);
	parse_bad(CFG_INT, "9223372036854775808");
	parse_bad(CFG_INT, "0x10");
	parse_bad(CFG_INT, "1e3");
	parse_bad(CFG_INT, "+1");
	parse_bad(CFG_INT, "");
	parse_bad(CFG_STR, "anything"); /* strings are not parsed as values */
}

static char tmpdir[256];

static void tmp_setup(void)
{
	fx_mkdtemp(tmpdir, sizeof(tmpdir));
}

static void tmp_teardown(void)
{
	fx_rmtree(tmpdir);
}

/* Writes text to a file in the test folder and returns its path (static storage). */
static const char *tmpfile_with(const char *name, const char *text)
{
	static char path[512];

	snprintf(path, sizeof(path), "%s/%s", tmpdir, name);
	fx_write_file(path, text);
	return path;
}

TestSuite(cfg_file, .init = tmp_setup, .fini = tmp_teardown);

Test(cfg_file, reads_keys_values_comments_export_and_quotes)
{
	const char *path = tmpfile_with("a.env", "# a comment\n"
						 "\n"
						 "   # indented comment\n"
						 "A=1\n"
						 "export B=two\n"
						 "C = \"with spaces\"  \n"
						 "D='single'\n"
						 "E=\n"
						 "F=\"a=b\"\n"
						 "G=\"unbalanced\n"
						 "H=crlf\r\n"
						 "\tI=tabbed\n"
						 "LAST=no newline");
	struct cfg_file f;
	char msg[256];

	cr_assert_eq(cfg_file_read(&f, path, msg, sizeof(msg)), ERR_OK, "%s", msg);
	cr_assert_str_eq(cfg_file_get(&f, "A"), "1");
	cr_assert_str_eq(cfg_file_get(&f, "B"), "two");
	cr_assert_str_eq(cfg_file_get(&f, "C"), "with spaces");
	cr_assert_str_eq(cfg_file_get(&f, "D"), "single");
	cr_assert_str_eq(cfg_file_get(&f, "E"), "");
	cr_assert_str_eq(cfg_file_get(&f, "F"), "a=b");
	cr_assert_str_eq(cfg_file_get(&f, "G"), "\"unbalanced");
	cr_assert_str_eq(cfg_file_get(&f, "H"), "crlf");
	cr_assert_str_eq(cfg_file_get(&f, "I"), "tabbed");
	cr_assert_str_eq(cfg_file_get(&f, "LAST"), "no newline");
	cr_assert_null(cfg_file_get(&f, "export B"));
	cr_assert_null(cfg_file_get(&f, "MISSING"));
	cr_assert_null(cfg_file_get(&f, "# a comment"));
	cr_assert_eq(f.n, 10);
	cfg_file_free(&f);
	cr_assert_eq(f.n, 0);
}

Test(cfg_file, last_assignment_wins)
{
	const char *path = tmpfile_with("b.env", "K=first\nOTHER=x\nK=second\nexport K=third\n");
	struct cfg_file f;
	char msg[256];

	cr_assert_eq(cfg_file_read(&f, path, msg, sizeof(msg)), ERR_OK, "%s", msg);
	cr_assert_str_eq(cfg_file_get(&f, "K"), "third");
	cfg_file_free(&f);
}

Test(cfg_file, bad_line_is_input_error_with_file_and_line)
{
	const char *path = tmpfile_with("c.env", "# ok\nA=1\njust some words\nB=2\n");
	struct cfg_file f;
	char msg[600], want[600];

	cr_assert_eq(cfg_file_read(&f, path, msg, sizeof(msg)), ERR_INPUT);
	snprintf(want, sizeof(want), "%s:3:", path);
	cr_assert(strstr(msg, want) != NULL, "message '%s' lacks '%s'", msg, want);
	cr_assert_eq(f.n, 0);
	cr_assert_null(f.keys);
}

Test(cfg_file, empty_key_is_input_error)
{
	const char *path = tmpfile_with("d.env", "=value\n");
	struct cfg_file f;
	char msg[600], want[600];

	cr_assert_eq(cfg_file_read(&f, path, msg, sizeof(msg)), ERR_INPUT);
	snprintf(want, sizeof(want), "%s:1:", path);
	cr_assert(strstr(msg, want) != NULL, "%s", msg);
}

Test(cfg_file, overlong_line_is_input_error)
{
	static char text[10000];
	const char *path;
	struct cfg_file f;
	char msg[600];

	memset(text, 'x', sizeof(text) - 2);
	memcpy(text, "A=", 2);
	text[sizeof(text) - 2] = '\n';
	path = tmpfile_with("e.env", text);
	cr_assert_eq(cfg_file_read(&f, path, msg, sizeof(msg)), ERR_INPUT);
	cr_assert(strstr(msg, ":1:") != NULL, "%s", msg);
}

Test(cfg_file, unquoted_inline_comment_is_dropped_quoted_hash_is_kept)
{
	const char *path = tmpfile_with("c.env", "A=v # a comment\nB=\"v # kept\"\nC=a#b\n");
	struct cfg_file f;
	char msg[600];

	cr_assert_eq(cfg_file_read(&f, path, msg, sizeof(msg)), ERR_OK, "%s", msg);
	cr_assert_str_eq(cfg_file_get(&f, "A"), "v");
	cr_assert_str_eq(cfg_file_get(&f, "B"), "v # kept");
	cr_assert_str_eq(cfg_file_get(&f, "C"), "a#b");
	cfg_file_free(&f);
}

Test(cfg_file, missing_file_is_notfound)
{
	struct cfg_file f;
	char path[512], msg[600];

	snprintf(path, sizeof(path), "%s/absent.env", tmpdir);
	cr_assert_eq(cfg_file_read(&f, path, msg, sizeof(msg)), ERR_NOTFOUND);
	cr_assert(strstr(msg, path) != NULL, "%s", msg);
}

/* app/config.c through the real environment. */

static const char *const tg_vars[] = {
    "TOLLGATE_CONFIG_FILE",   "TOLLGATE_DATABASE_URL",	  "TOLLGATE_SOCKET",
    "TOLLGATE_SHM_PATH",      "TOLLGATE_WORKERS",	  "TOLLGATE_MAX_KEYS",
    "TOLLGATE_MAX_TENANTS",   "TOLLGATE_SECRET",	  "TOLLGATE_SECRET_FILE",
    "TOLLGATE_LOG_LEVEL",     "TOLLGATE_MIGRATIONS_DIR",  "TOLLGATE_PROBLEM_BASE",
    "TOLLGATE_SYNC_INTERVAL", "TOLLGATE_READY_STALENESS", "TOLLGATE_DRAIN_TIMEOUT",
    "TOLLGATE_MAX_BODY"};

static void unset_all(void)
{
	size_t i;

	for (i = 0; i < sizeof(tg_vars) / sizeof(tg_vars[0]); i++)
		unsetenv(tg_vars[i]);
}

static void env_setup(void)
{
	unset_all();
	tmp_setup();
}

static void env_teardown(void)
{
	unset_all();
	tmp_teardown();
}

#define GOOD_SECRET "000102030405060708090a0b0c0d0e0f101112131415161718191a1b1c1d1e1f"

TestSuite(config, .init = env_setup, .fini = env_teardown);

Test(config, defaults_load_without_environment)
{
	struct config c;
	char msg[256];

	cr_assert_eq(config_load(&c, msg, sizeof(msg)), ERR_OK, "%s", msg);
	cr_assert_eq(c.workers, 0);
	cr_assert_eq(c.max_keys, 100000);
	cr_assert_eq(c.ready_staleness_ms, 3000);
	cr_assert_eq(c.sync_interval_ms, 60000);
	cr_assert_eq(c.max_body, 1024 * 1024);
	cr_assert_str_eq(c.problem_base, "https://tollgate.dev/problems/");
	cr_assert_not(c.has_secret);
	cr_assert_eq(config_require_secret(&c, msg, sizeof(msg)), ERR_INPUT);
	config_free(&c);
}

Test(config, bad_workers_is_rejected_with_the_variable_name)
{
	struct config c;
	char msg[256];

	setenv("TOLLGATE_WORKERS", "many", 1);
	cr_assert_eq(config_load(&c, msg, sizeof(msg)), ERR_INPUT);
	cr_assert_str_eq(msg, "TOLLGATE_WORKERS: 'many' is not a valid integer");
	setenv("TOLLGATE_WORKERS", "257", 1);
	cr_assert_eq(config_load(&c, msg, sizeof(msg)), ERR_INPUT);
	cr_assert(strstr(msg, "TOLLGATE_WORKERS") != NULL, "%s", msg);
	setenv("TOLLGATE_WORKERS", "4", 1);
	cr_assert_eq(config_load(&c, msg, sizeof(msg)), ERR_OK, "%s", msg);
	cr_assert_eq(c.workers, 4);
	cr_assert_eq(config_worker_count(&c), 4);
	config_free(&c);
}

Test(config, secret_of_64_hex_digits_is_decoded)
{
	struct config c;
	char msg[256];
	size_t i;

	setenv("TOLLGATE_SECRET", GOOD_SECRET, 1);
	cr_assert_eq(config_load(&c, msg, sizeof(msg)), ERR_OK, "%s", msg);
	cr_assert(c.has_secret);
	for (i = 0; i < sizeof(c.secret_key); i++)
		cr_assert_eq(c.secret_key[i], i);
	cr_assert_eq(config_require_secret(&c, msg, sizeof(msg)), ERR_OK);
	config_free(&c);
}

Test(config, bad_secret_is_rejected_without_showing_it)
{
	static const char *const bad[] = {
	    "deadbeefdeadbeefdeadbeefdeadbeefdeadbeefdeadbeefdeadbeefdeadbee",	 /* 63 digits */
	    "deadbeefdeadbeefdeadbeefdeadbeefdeadbeefdeadbeefdeadbeefdeadbeefa", /* 65 */
	    "deadbeefdeadbeefdeadbeefdeadbeefdeadbeefdeadbeefdeadbeefdeadbeeg",	 /* not hex */
	    "deadbeefdeadbeefdeadbeefdeadbeefdeadbeefdeadbeefdeadbeefdeadbeef"
	    "deadbeefdeadbeefdeadbeefdeadbeefdeadbeefdeadbeefdeadbeefdeadbeef"
	    "deadbeef", /* longer than the option allows */
	};
	struct config c;
	char msg[512];
	size_t i;

	for (i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
		setenv("TOLLGATE_SECRET", bad[i], 1);
		cr_assert_eq(config_load(&c, msg, sizeof(msg)), ERR_INPUT, "case %zu", i);
		cr_assert(strstr(msg, "TOLLGATE_SECRET") != NULL, "%s", msg);
		cr_assert(strstr(msg, "deadbeef") == NULL, "secret leaked: %s", msg);
	}
}

Test(config, secret_file_is_read_and_trailing_newline_ignored)
{
	struct config c;
	char msg[512];

	setenv("TOLLGATE_SECRET_FILE", tmpfile_with("secret", GOOD_SECRET "\n"), 1);
	setenv("TOLLGATE_SECRET", "ignored-when-a-file-is-set", 1);
	cr_assert_eq(config_load(&c, msg, sizeof(msg)), ERR_OK, "%s", msg);
	cr_assert(c.has_secret);
	cr_assert_eq(c.secret_key[0], 0x00);
	cr_assert_eq(c.secret_key[31], 0x1f);
	config_free(&c);
}

Test(config, bad_secret_file_is_rejected_without_showing_it)
{
	struct config c;
	char msg[512], path[512];

	setenv("TOLLGATE_SECRET_FILE", tmpfile_with("secret", "c0ffeec0ffee\n"), 1);
	cr_assert_eq(config_load(&c, msg, sizeof(msg)), ERR_INPUT);
	cr_assert(strstr(msg, "TOLLGATE_SECRET_FILE") != NULL, "%s", msg);
	cr_assert(strstr(msg, "c0ffee") == NULL, "secret leaked: %s", msg);
	snprintf(path, sizeof(path), "%s/no-such-secret", tmpdir);
	setenv("TOLLGATE_SECRET_FILE", path, 1);
	cr_assert_eq(config_load(&c, msg, sizeof(msg)), ERR_INPUT);
	cr_assert(strstr(msg, "TOLLGATE_SECRET_FILE") != NULL, "%s", msg);
}

Test(config, config_file_overrides_environment)
{
	struct config c;
	char msg[512];

	setenv("TOLLGATE_WORKERS", "3", 1);
	setenv("TOLLGATE_MAX_KEYS", "500", 1);
	setenv("TOLLGATE_CONFIG_FILE",
	       tmpfile_with("tollgate.env", "# file wins\nTOLLGATE_WORKERS=5\n"
					    "export TOLLGATE_LOG_LEVEL=\"debug\"\n"),
	       1);
	cr_assert_eq(config_load(&c, msg, sizeof(msg)), ERR_OK, "%s", msg);
	cr_assert_eq(c.workers, 5);
	cr_assert_eq(c.max_keys, 500, "a variable the file does not set comes from the env");
	cr_assert_str_eq(c.log_level, "debug");
	config_free(&c);
}

Test(config, bad_config_file_is_input_error)
{
	struct config c;
	char msg[512], path[512];

	setenv("TOLLGATE_CONFIG_FILE", tmpfile_with("bad.env", "TOLLGATE_WORKERS=2\noops\n"), 1);
	cr_assert_eq(config_load(&c, msg, sizeof(msg)), ERR_INPUT);
	cr_assert(strstr(msg, ":2:") != NULL, "%s", msg);
	snprintf(path, sizeof(path), "%s/absent.env", tmpdir);
	setenv("TOLLGATE_CONFIG_FILE", path, 1);
	cr_assert_eq(config_load(&c, msg, sizeof(msg)), ERR_INPUT);
}

Test(config, bad_log_level_is_rejected)
{
	struct config c;
	char msg[512];

	setenv("TOLLGATE_LOG_LEVEL", "loud", 1);
	cr_assert_eq(config_load(&c, msg, sizeof(msg)), ERR_INPUT);
	cr_assert(strstr(msg, "TOLLGATE_LOG_LEVEL") != NULL, "%s", msg);
}

Test(config, restart_needed_only_for_restart_options)
{
	struct config a, b;
	char msg[512], which[64];

	cr_assert_eq(config_load(&a, msg, sizeof(msg)), ERR_OK, "%s", msg);
	setenv("TOLLGATE_WORKERS", "7", 1);
	cr_assert_eq(config_load(&b, msg, sizeof(msg)), ERR_OK, "%s", msg);
	cr_assert_not(config_needs_restart(&a, &b, which, sizeof(which)));
	config_free(&b);
	setenv("TOLLGATE_MAX_KEYS", "1000", 1);
	cr_assert_eq(config_load(&b, msg, sizeof(msg)), ERR_OK, "%s", msg);
	cr_assert(config_needs_restart(&a, &b, which, sizeof(which)));
	cr_assert_str_eq(which, "TOLLGATE_MAX_KEYS");
	config_free(&a);
	config_free(&b);
}

Test(cfg, dsn_passwords_are_masked_in_every_form)
{
	static const struct {
		const char *in, *want;
	} cases[] = {
	    {"host=/run/pg dbname=tollgate user=tg", "host=/run/pg dbname=tollgate user=tg"},
	    {"host=db password=s3cret user=tg", "host=db password=*** user=tg"},
	    {"password = 's3 cr\\'et' dbname=x", "password = *** dbname=x"},
	    {"postgresql://tg:s3cret@db:5432/tollgate", "postgresql://tg:***@db:5432/tollgate"},
	    {"postgres://tg@db/tollgate?sslmode=require&password=s3cret",
	     "postgres://tg@db/tollgate?sslmode=require&password=***"},
	    {"postgresql://db/tollgate", "postgresql://db/tollgate"},
	};
	char out[256];
	size_t i;

	for (i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		cfg_mask_dsn(cases[i].in, out, sizeof(out));
		cr_assert_str_eq(out, cases[i].want, "%s", cases[i].in);
		cr_assert_null(strstr(out, "s3"), "%s", out);
	}
}
