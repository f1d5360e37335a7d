# Tollgate. `make run` starts the whole gateway locally; `make test` runs every test.
# Each installs (as root) or names (otherwise) the Debian packages it needs first.

CC       ?= gcc
VERSION  := $(shell git describe --always --dirty 2>/dev/null || echo dev)
PKGS     := fcgi libpq jansson libsodium libcurl libjwt
PKG_CFLAGS = $(shell pkg-config --cflags $(PKGS))
PKG_LIBS   = $(shell pkg-config --libs $(PKGS))
WARN     := -Wall -Wextra -Wshadow -Wstrict-prototypes -Wmissing-prototypes -Wformat=2 \
            -Wvla -Werror
BASE     := -std=c11 -D_GNU_SOURCE -g -MMD -MP $(WARN) -DTOLLGATE_VERSION='"$(VERSION)"'
CFLAGS   := -O2 $(BASE)
SANFLAGS := -O1 $(BASE) -fsanitize=address,undefined -fno-omit-frame-pointer \
            -fno-sanitize-recover=all
LDLIBS    = $(PKG_LIBS) -lpthread -lm

LIB_SRCS := \
	lib/addr.c \
	lib/arena.c \
	lib/buf.c \
	lib/cfg.c \
	lib/codec.c \
	lib/cookie.c \
	lib/cryptox.c \
	lib/err.c \
	lib/fcgi.c \
	lib/form.c \
	lib/gcra.c \
	lib/http.c \
	lib/jsonx.c \
	lib/jwk.c \
	lib/jwtx.c \
	lib/log.c \
	lib/problem.c \
	lib/shm.c \
	lib/sql.c \
	lib/str.c \
	lib/tmpl.c

# The gate's pool: what a gate worker runs. Compiled with -DTOLLGATE_HOT_PATH (lib/sql.h
# and lib/http.h refuse to be included) and linked into build/gate-wall without sql.o,
# http.o, libpq and libcurl, so the hot path can never come to depend on them.
GATE_SRCS := \
	app/abuse/engine.c \
	app/abuse/inspect.c \
	app/abuse/score.c \
	app/app.c \
	app/config.c \
	app/gate/gate.c \
	app/gate/gate_jwt.c \
	app/gate/gate_keys.c \
	app/gate/gate_limits.c \
	app/problems.c \
	app/serve/gate_pool.c \
	app/serve/router.c \
	app/serve/worker.c \
	app/state/state.c

GATE_LIB_SRCS := $(filter-out lib/sql.c lib/http.c,$(LIB_SRCS))

APP_SRCS := \
	$(GATE_SRCS) \
	app/abuse/judge.c \
	app/ai/ai.c \
	app/ai/ai_names.c \
	app/ai/translate.c \
	app/admin/admin.c \
	app/abuse/trainer.c \
	app/api/api.c \
	app/api/api_abuse.c \
	app/api/api_ai.c \
	app/api/api_audit.c \
	app/api/api_auth.c \
	app/api/api_db.c \
	app/api/api_decisions.c \
	app/api/api_keys.c \
	app/api/api_jwt.c \
	app/api/api_team.c \
	app/api/api_tenant.c \
	app/api/api_usage.c \
	app/billing/billing.c \
	app/billing/reconcile.c \
	app/billing/stripe.c \
	app/cli/cli.c \
	app/cli/cli_ai.c \
	app/cli/cli_abuse.c \
	app/cli/cli_admin.c \
	app/cli/cli_billing.c \
	app/cli/cli_train.c \
	app/cli/cli_limits.c \
	app/cli/cli_tokens.c \
	app/cli/cli_usage.c \
	app/collector/collector.c \
	app/db/migrate.c \
	app/health/health.c \
	app/metrics/metrics.c \
	app/serve/ai_pool.c \
	app/serve/console_pool.c \
	app/serve/flusher.c \
	app/serve/hooks.c \
	app/serve/jwks.c \
	app/serve/keeper.c \
	app/serve/listen.c \
	app/serve/mailer.c \
	app/serve/outbox.c \
	app/serve/biller.c \
	app/serve/master.c \
	app/serve/resolver.c \
	app/serve/samples.c \
	app/serve/syncer.c \
	app/portal/portal.c \
	app/portal/portal_account.c \
	app/portal/portal_pages.c \
	app/portal/portal_team.c \
	app/upstream/upstream.c

MAIN_SRC := app/main.c

UNIT_SRCS := \
	tests/unit/test_addr.c \
	tests/unit/test_api.c \
	tests/unit/test_abuse.c \
	tests/unit/test_arena.c \
	tests/unit/test_buf.c \
	tests/unit/test_cfg.c \
	tests/unit/test_codec.c \
	tests/unit/test_collector.c \
	tests/unit/test_engine.c \
	tests/unit/test_fcgi.c \
	tests/unit/test_form.c \
	tests/unit/test_gate.c \
	tests/unit/test_gate_keys.c \
	tests/unit/test_gcra.c \
	tests/unit/test_http.c \
	tests/unit/test_jsonx.c \
	tests/unit/test_jwt.c \
	tests/unit/test_judge.c \
	tests/unit/test_limits.c \
	tests/unit/test_problem.c \
	tests/unit/test_router.c \
	tests/unit/test_shm.c \
	tests/unit/test_shm_pool.c \
	tests/unit/test_str.c \
	tests/unit/test_stripe.c \
	tests/unit/test_tmpl.c \
	tests/unit/test_translate.c \
	tests/unit/fixture.c

BENCH_SRCS := bench/noop_fcgi.c bench/gate_cpu.c
WALL_SRC   := tests/wall/gate_wall.c

OBJS      := $(patsubst %.c,build/obj/%.o,$(LIB_SRCS) $(APP_SRCS))
GATE_OBJS := $(patsubst %.c,build/obj/%.o,$(GATE_LIB_SRCS) $(GATE_SRCS))
SAN_OBJS  := $(patsubst %.c,build/san/%.o,$(LIB_SRCS) $(APP_SRCS))
UNIT_OBJS := $(patsubst %.c,build/san/%.o,$(UNIT_SRCS))
C_FILES   := $(LIB_SRCS) $(APP_SRCS) $(MAIN_SRC) $(UNIT_SRCS) $(BENCH_SRCS) $(WALL_SRC) \
             $(wildcard lib/*.h app/*.h app/*/*.h tests/unit/*.h tests/fuzz/*.c)

.PHONY: FORCE all run test unit e2e browser walkthrough bench bench-abuse fuzz fmt fmt-check clean deps docs check-docs print-srcs

all: build/tollgate build/gate-wall build/gate_cpu

deps:
	@scripts/deps.sh build

# V=1 shows the full compiler command lines.
Q := $(if $(V),,@)

build/tollgate: $(OBJS) build/obj/$(MAIN_SRC:.c=.o)
	@echo "  LD    $@"
	$(Q)$(CC) $(CFLAGS) -o $@ $^ $(LDLIBS)

# The gate's wall: its objects and the libraries it may use, and nothing else. A link
# error here means the hot path reached for PostgreSQL or libcurl.
WALL_PKGS := fcgi jansson libsodium libjwt
build/gate-wall: $(GATE_OBJS) $(WALL_SRC)
	@echo "  LD    $@ (the gate without sql, http, libpq, libcurl)"
	$(Q)$(CC) $(CFLAGS) -o $@ $(WALL_SRC) $(GATE_OBJS) \
		$$(pkg-config --libs $(WALL_PKGS)) -lpthread -lm

HOT_PATH = $(if $(filter $(GATE_SRCS),$<),-DTOLLGATE_HOT_PATH)

# The two objects that print the version (`tollgate version`, the judge's User-Agent) are
# compiled with -DTOLLGATE_VERSION, but make rebuilds an object only when its sources change:
# after a commit that touched neither, the binary went on printing an older commit (a
# benchmark report named 6b13011-dirty for a build of 968753a). The stamp holds the version
# and is rewritten only when `git describe` changes, so a new commit or a dirty tree rebuilds
# these two objects and relinks, and nothing else.
VERSION_OBJS := build/obj/app/main.o build/obj/app/abuse/judge.o build/san/app/abuse/judge.o
$(VERSION_OBJS): build/version.stamp
build/version.stamp: FORCE
	@mkdir -p $(@D)
	@[ "$$(cat $@ 2>/dev/null)" = "$(VERSION)" ] || echo "$(VERSION)" > $@
FORCE:

build/obj/%.o: %.c
	@mkdir -p $(dir $@)
	@echo "  CC    $<"
	$(Q)$(CC) $(CFLAGS) $(HOT_PATH) $(PKG_CFLAGS) -c -o $@ $<

build/san/%.o: %.c
	@mkdir -p $(dir $@)
	@echo "  CC    $< (asan+ubsan)"
	$(Q)$(CC) $(SANFLAGS) $(HOT_PATH) $(PKG_CFLAGS) -c -o $@ $<

build/unit-tests: $(SAN_OBJS) $(UNIT_OBJS)
	@echo "  LD    $@"
	$(Q)$(CC) $(SANFLAGS) -o $@ $^ $(LDLIBS) -lcriterion

# The gate's decision in one process (bench/gate_cpu.c), linked as the wall is: the gate's
# objects only.
build/gate_cpu: $(GATE_OBJS) bench/gate_cpu.c
	@echo "  LD    $@"
	$(Q)$(CC) $(CFLAGS) $(PKG_CFLAGS) -o $@ bench/gate_cpu.c $(GATE_OBJS) \
		$$(pkg-config --libs $(WALL_PKGS)) -lpthread -lm

build/noop_fcgi: bench/noop_fcgi.c
	@mkdir -p build
	@echo "  LD    $@"
	$(Q)$(CC) $(CFLAGS) $(PKG_CFLAGS) -o $@ $< $(LDLIBS)

# Unit tests under AddressSanitizer + UndefinedBehaviorSanitizer.
unit: build/unit-tests
	ASAN_OPTIONS=detect_leaks=1:abort_on_error=1 UBSAN_OPTIONS=print_stacktrace=1 \
		build/unit-tests --jobs 2

# A test file that hangs (a deadlock inside node, say) fails after this long instead of
# holding CI until its own limit; the longest suite takes about a minute.
TEST_FILE_TIMEOUT_MS ?= 900000

# End-to-end: real PostgreSQL, `tollgate serve`, Caddy with ./Caddyfile, over HTTP.
e2e: build/tollgate node_modules/.package-lock.json
	@scripts/deps.sh test
	node --test --test-concurrency=1 --test-timeout=$(TEST_FILE_TIMEOUT_MS) tests/e2e/

# The onboarding portal in headless Chromium (playwright-core), against the same real stack.
browser: build/tollgate node_modules/.package-lock.json
	@scripts/deps.sh test
	node --test --test-concurrency=1 --test-timeout=$(TEST_FILE_TIMEOUT_MS) tests/browser/

# The browser tests again, saving docs/screenshots/NN-*.png, stitched into docs/walkthrough.gif.
walkthrough: build/tollgate node_modules/.package-lock.json
	@scripts/deps.sh walkthrough
	SCREENSHOTS=1 node --test --test-concurrency=1 tests/browser/
	scripts/walkthrough.sh

# The test tooling from npm, exactly as package-lock.json pins it.
node_modules/.package-lock.json: package.json package-lock.json
	npm ci --no-audit --no-fund --loglevel=error

test:
	@scripts/deps.sh test
	$(MAKE) all
	$(MAKE) fmt-check check-docs
	$(MAKE) unit
	$(MAKE) e2e
	$(MAKE) browser

run:
	@scripts/deps.sh run
	$(MAKE) all node_modules/.package-lock.json
	scripts/run.sh

bench:
	@scripts/deps.sh bench
	$(MAKE) all build/noop_fcgi
	bench/run.sh

# The abuse engine against seeded attack and benign traffic through the real gateway
# (bench/abuse/, docs/abuse-bench.md). About 17 minutes; writes build/abuse-results.md.
bench-abuse:
	@scripts/deps.sh bench
	$(MAKE) all
	node bench/abuse/run.mjs

fuzz:
	@scripts/deps.sh fuzz
	tests/fuzz/run.sh

fmt:
	clang-format -i $(C_FILES)

fmt-check:
	@clang-format --dry-run --Werror $(C_FILES)

# docs/configuration.md holds the generated table between two markers.
docs: build/tollgate
	scripts/gen-config-doc.sh

check-docs: build/tollgate
	@scripts/gen-config-doc.sh --check

# For tests/fuzz/run.sh: every module but main.c.
print-srcs:
	@echo $(LIB_SRCS) $(APP_SRCS)

clean:
	rm -rf build

-include $(OBJS:.o=.d) build/obj/app/main.d $(SAN_OBJS:.o=.d) $(UNIT_OBJS:.o=.d)
