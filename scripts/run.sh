#!/usr/bin/env bash
# `make run`: the whole gateway on this machine. A PostgreSQL cluster in var/pg (kept
# between runs), migrations, a demo tenant + upstream + API key on the first run, then
# `tollgate serve` and `caddy run` with the repository's Caddyfile; and AI routes for the
# demo tenant (docs/ai-routes.md) through a fake LLM provider, set up again on every run.
# Ctrl-C stops it all.
set -euo pipefail
cd "$(dirname "$0")/.."
ROOT=$PWD
VAR=$ROOT/var

export TOLLGATE_HTTP_PORT=${TOLLGATE_HTTP_PORT:-8080}
export TOLLGATE_HTTPS_PORT=${TOLLGATE_HTTPS_PORT:-8443}
export TOLLGATE_CONSOLE_PORT=${TOLLGATE_CONSOLE_PORT:-8081}
export TOLLGATE_INTERNAL_PORT=${TOLLGATE_INTERNAL_PORT:-8082}
DEMO_UPSTREAM_PORT=${DEMO_UPSTREAM_PORT:-9080}
DEMO_STRIPE_PORT=${DEMO_STRIPE_PORT:-12111}
DEMO_LLM_PORT=${DEMO_LLM_PORT:-9090}
# The key the fake provider wants. The demo tenant's provider settings hold it (sealed with
# var/secret); callers of the gateway never see it.
DEMO_LLM_KEY=sk-demo-provider

mkdir -p "$VAR/run"
chmod 0755 "$VAR"

pids=()
cleanup() {
	trap - EXIT INT TERM
	echo
	echo "Stopping..."
	for pid in "${pids[@]}"; do kill -TERM "$pid" 2>/dev/null || true; done
	for pid in "${pids[@]}"; do wait "$pid" 2>/dev/null || true; done
	scripts/pg.sh stop "$VAR/pg" || true
	echo "Stopped. Data is kept in var/; run 'make run' again to continue."
}
trap cleanup EXIT
trap 'exit 130' INT TERM

scripts/pg.sh init "$VAR/pg"
scripts/pg.sh start "$VAR/pg"

if [ ! -s "$VAR/secret" ]; then
	(umask 077 && od -An -tx1 -N32 /dev/urandom | tr -d ' \n' >"$VAR/secret")
fi

# The environment the CLI needs too: `. var/env` in another shell.
cat >"$VAR/env" <<ENV
export TOLLGATE_DATABASE_URL='$(scripts/pg.sh url "$VAR/pg")'
export TOLLGATE_SECRET_FILE='$VAR/secret'
export TOLLGATE_SOCKET='$VAR/run/tollgate.sock'
export TOLLGATE_CONSOLE_SOCKET='$VAR/run/console.sock'
export TOLLGATE_AI_SOCKET='$VAR/run/ai.sock'
export TOLLGATE_ACCESS_LOG='$VAR/run/access.log'
export TOLLGATE_SHM_PATH='$VAR/run/tollgate.shm'
export TOLLGATE_MIGRATIONS_DIR='$ROOT/migrations'
export TOLLGATE_CADDY_STORAGE='$VAR/caddy'
export TOLLGATE_UPSTREAM_ALLOW='127.0.0.1/32'
export TOLLGATE_STRIPE_API_KEY='sk_test_fake'
export TOLLGATE_STRIPE_API_URL='http://127.0.0.1:$DEMO_STRIPE_PORT'
export TOLLGATE_STRIPE_WEBHOOK_SECRET='whsec_test_fake'
export TOLLGATE_STRIPE_METER_ID='mtr_demo'
export XDG_CONFIG_HOME='$VAR/caddy/config'
export XDG_DATA_HOME='$VAR/caddy/data'
export PATH='$ROOT/build':"\$PATH"
ENV
# shellcheck source=/dev/null
. "$VAR/env"

tollgate migrate

node tests/fakes/upstream.mjs --port "$DEMO_UPSTREAM_PORT" &
pids+=($!)
# A local stand-in for Stripe (tests/fakes/stripe.mjs): the portal's upgrade goes through
# its checkout page, and its webhooks come back signed. docs/billing.md sets up a real one.
node tests/fakes/stripe.mjs --port "$DEMO_STRIPE_PORT" \
	--webhook "http://127.0.0.1:$TOLLGATE_CONSOLE_PORT/stripe/webhook" --secret whsec_test_fake &
pids+=($!)
tollgate plan set pro --stripe-price price_demo_pro 2>/dev/null
tollgate plan set scale --stripe-price price_demo_scale 2>/dev/null
# A fake LLM provider (tests/fakes/llm.mjs) that speaks OpenAI and Anthropic: its models
# named echo… repeat the question, fail429… are rate-limited, embed-1 makes embeddings.
node tests/fakes/llm.mjs --port "$DEMO_LLM_PORT" --api-key "$DEMO_LLM_KEY" &
pids+=($!)
# The operator's prices of the fake's models (millionths per million tokens).
tollgate ai price set echo-small --input 1000000 --output 2000000 2>/dev/null
tollgate ai price set echo-large --input 1000000 --output 2000000 2>/dev/null
tollgate ai price set embed-1 --input 100000 --output 0 2>/dev/null

if ! tollgate tenant list | awk '{print $2}' | grep -qx demo; then
	tollgate tenant create demo --name "Demo API" --upstream "http://127.0.0.1:$DEMO_UPSTREAM_PORT" >/dev/null
	# A key or token kept from a database that is gone (var/pg removed) is of no use.
	rm -f "$VAR/demo-key" "$VAR/demo-token"
fi
if [ ! -s "$VAR/demo-key" ]; then
	(umask 077 && tollgate key create demo --name "make run demo" >"$VAR/demo-key")
fi
KEY=$(cat "$VAR/demo-key")

tollgate serve 2>>"$VAR/tollgate.log" &
pids+=($!)
for _ in $(seq 100); do [ -S "$TOLLGATE_SOCKET" ] && [ -S "$TOLLGATE_CONSOLE_SOCKET" ] && [ -S "$TOLLGATE_AI_SOCKET" ] && break; sleep 0.1; done

caddy run --config Caddyfile --adapter caddyfile >"$VAR/caddy.log" 2>&1 &
pids+=($!)
ready=""
for _ in $(seq 100); do
	if curl -fs "http://localhost:$TOLLGATE_CONSOLE_PORT/health/ready" >/dev/null 2>&1; then
		ready=1
		break
	fi
	sleep 0.1
done
[ -n "$ready" ] || { echo "Caddy or tollgate did not become ready; see var/caddy.log and var/tollgate.log" >&2; exit 1; }

# The demo tenant's AI routes, through the management API as a tenant's own tooling would
# (tests/e2e/ai-docs.test.mjs does the same against its stack). Every call is an upsert, so
# running it again on every start changes nothing that is already so.
CONSOLE=http://localhost:$TOLLGATE_CONSOLE_PORT
# METHOD PATH JSON: the body goes on curl's stdin (a provider's key is no argument ps shows).
manage() {
	local code
	code=$(printf '%s' "$3" | curl -sS -o "$VAR/run/manage.json" -w '%{http_code}' -X "$1" \
		"$CONSOLE/api/v1$2" -H "Authorization: Bearer $TOKEN" \
		-H 'Content-Type: application/json' --data-binary @-) || code=000
	case $code in
	2??) return 0 ;;
	*)
		echo "make run: $1 /api/v1$2 answered $code: $(cat "$VAR/run/manage.json" 2>/dev/null)" >&2
		return 1
		;;
	esac
}
ai_setup() {
	local llm=http://127.0.0.1:$DEMO_LLM_PORT
	manage PATCH /ai '{"prefix":"/v1"}' || return 1
	manage PUT /ai/providers/local "{\"kind\":\"openai\",\"base_url\":\"$llm/v1\",\"api_key\":\"$DEMO_LLM_KEY\"}" || return 1
	manage PUT /ai/providers/local-anthropic "{\"kind\":\"anthropic\",\"base_url\":\"$llm\",\"api_key\":\"$DEMO_LLM_KEY\"}" || return 1
	manage PUT /ai/aliases/chat '{"targets":[{"provider":"local","model":"echo-small"}]}' || return 1
	manage PUT /ai/aliases/claude '{"targets":[{"provider":"local-anthropic","model":"echo-small"}]}' || return 1
	manage PUT /ai/aliases/resilient '{"targets":[{"provider":"local","model":"fail429-demo"},{"provider":"local","model":"echo-large"}]}' || return 1
	manage PUT /ai/aliases/embed '{"targets":[{"provider":"local","model":"embed-1"}]}' || return 1
}
# A management token for the demo tenant, made once (and again if it no longer works).
if [ ! -s "$VAR/demo-token" ] ||
	[ "$(curl -s -o /dev/null -w '%{http_code}' "$CONSOLE/api/v1/ai" -H "Authorization: Bearer $(cat "$VAR/demo-token")")" = 401 ]; then
	(umask 077 && tollgate token create demo --name "make run" >"$VAR/demo-token")
fi
TOKEN=$(cat "$VAR/demo-token")
ai=""
if ai_setup; then
	# The prefix reaches the gate within a second: wait for /v1/models to be the AI pool's.
	for _ in $(seq 50); do
		if curl -s "http://localhost:$TOLLGATE_HTTP_PORT/v1/models" -H "X-Api-Key: $KEY" | grep -q '"object":"list"'; then
			ai=1
			break
		fi
		sleep 0.1
	done
fi
[ -n "$ai" ] || echo "make run: the demo's AI routes are not set up (see above); the rest works" >&2

cat <<BANNER

Tollgate is running (logs: var/caddy.log, var/tollgate.log).

Gateway:  http://localhost:$TOLLGATE_HTTP_PORT/  (https://localhost:$TOLLGATE_HTTPS_PORT/)
Console:  http://localhost:$TOLLGATE_CONSOLE_PORT/  (the management API, /api/v1, and health)
Portal:   http://localhost:$TOLLGATE_CONSOLE_PORT/portal/signup  (sign up, set an upstream, make keys)
Admin:    http://localhost:$TOLLGATE_CONSOLE_PORT/admin/  (. var/env && tollgate admin create you@example.com)
Internal: http://localhost:$TOLLGATE_INTERNAL_PORT/metrics  (loopback only)
Billing:  a local fake of Stripe on 127.0.0.1:$DEMO_STRIPE_PORT (the portal's Plan page upgrades through it)

Your demo API key:

  export KEY=$KEY

Try it:

  curl -i http://localhost:$TOLLGATE_HTTP_PORT/hello -H "Authorization: Bearer \$KEY"
  curl -i http://localhost:$TOLLGATE_HTTP_PORT/hello
  curl --cacert var/caddy/pki/authorities/local/root.crt https://localhost:$TOLLGATE_HTTPS_PORT/hello -H "X-Api-Key: \$KEY"

AI routes (OpenAI- and Anthropic-compatible, docs/ai-routes.md) go to a fake provider on
127.0.0.1:$DEMO_LLM_PORT through the aliases chat, claude, resilient and embed:

  curl -i http://localhost:$TOLLGATE_HTTP_PORT/v1/chat/completions -H "Authorization: Bearer \$KEY" -H "Content-Type: application/json" -d '{"model":"chat","messages":[{"role":"user","content":"Hello"}]}'
  curl -N http://localhost:$TOLLGATE_HTTP_PORT/v1/chat/completions -H "Authorization: Bearer \$KEY" -H "Content-Type: application/json" -d '{"model":"chat","stream":true,"messages":[{"role":"user","content":"Stream this"}]}'

Manage it from another shell:  . var/env && tollgate key list demo  (or tollgate ai show demo)
Management API token for the demo tenant: var/demo-token
Press Ctrl-C to stop.
BANNER

# Stop everything as soon as any one part stops.
wait -n "${pids[@]}"
echo "A process exited; shutting down." >&2
