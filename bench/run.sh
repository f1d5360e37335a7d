#!/usr/bin/env bash
# `make bench`: throughput, latency and CPU per request of three configurations, measured
# with wrk over loopback in one run (figures move 5-10% between runs; compare inside one):
#   (1) bare    Caddy reverse_proxy to the upstream, no auth          bench/Caddyfile.baseline
#   (2) floor   Caddy + forward_auth to a no-op FastCGI pool          ./Caddyfile + build/noop_fcgi
#   (3) gate    Caddy + forward_auth to `tollgate serve`, valid key   ./Caddyfile + build/tollgate
# (2) and (3) load the repository's Caddyfile unchanged; only the FastCGI responder differs.
# The upstream is a separate Caddy answering "ok" (bench/Caddyfile.upstream).
# Knobs: BENCH_DURATION (10s), BENCH_WARMUP (3s), BENCH_CONNECTIONS (32), BENCH_THREADS (2),
# TOLLGATE_WORKERS (0 = one per core, for both pools). Writes build/bench-results.md.
# Exits 1 if a measurement had errors (non-2xx responses, socket errors): it is invalid.
set -euo pipefail

ROOT=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
cd "$ROOT"

DURATION=${BENCH_DURATION:-10s}
WARMUP=${BENCH_WARMUP:-3s}
CONNECTIONS=${BENCH_CONNECTIONS:-32}
THREADS=${BENCH_THREADS:-2}
WORKERS=${TOLLGATE_WORKERS:-0}
RESULTS=build/bench-results.md
REQ_PATH=/v1/bench

die() {
	echo "bench: $*" >&2
	exit 1
}

for tool in caddy wrk curl pgrep getconf; do
	command -v "$tool" >/dev/null || die "$tool not found (scripts/deps.sh bench installs it)"
done
if [ ! -x build/tollgate ] || [ ! -x build/noop_fcgi ]; then
	die "build first: make all build/noop_fcgi"
fi
[ "$THREADS" -le "$CONNECTIONS" ] || die "BENCH_THREADS must not exceed BENCH_CONNECTIONS"
[ "$WORKERS" -gt 0 ] 2>/dev/null || WORKERS=$(nproc)
export TOLLGATE_WORKERS=$WORKERS

TMP=$(mktemp -d "$ROOT/build/bench.XXXXXX")
# When run as root PostgreSQL runs as `postgres`, which must be able to enter this folder.
chmod 0755 "$TMP"

STARTED=() # pids of every process this script started, stopped in reverse order
PG_DIR=

stop_pid() {
	local pid=$1 i
	kill -0 "$pid" 2>/dev/null || {
		wait "$pid" 2>/dev/null || true
		return 0
	}
	kill -TERM "$pid" 2>/dev/null || true
	for ((i = 0; i < 150; i++)); do
		kill -0 "$pid" 2>/dev/null || break
		sleep 0.1
	done
	kill -KILL "$pid" 2>/dev/null || true
	wait "$pid" 2>/dev/null || true
}

cleanup() {
	local rc=$? i
	set +e
	trap - EXIT INT TERM
	for ((i = ${#STARTED[@]} - 1; i >= 0; i--)); do
		stop_pid "${STARTED[i]}"
	done
	[ -n "$PG_DIR" ] && scripts/pg.sh stop "$PG_DIR"
	rm -rf "$TMP"
	exit "$rc"
}
trap cleanup EXIT
trap 'exit 130' INT
trap 'exit 143' TERM

# ---------------------------------------------------------------------------------------------
# Ports. Caddy 2.6 listens with SO_REUSEPORT, so a port another process already listens on does
# not make Caddy fail: both would share the connections. Hence: pick a port nothing uses (below
# the ephemeral range), and after start check that every listener on it belongs to our Caddy;
# retry with new ports otherwise. The check is repeated after every measurement.

PICKED=" "

pick_port() { # -> PORT (a global: a subshell would lose PICKED)
	local port hex i
	for ((i = 0; i < 200; i++)); do
		port=$((20000 + RANDOM % 12000))
		hex=$(printf '%04X' "$port")
		case "$PICKED" in *" $port "*) continue ;; esac
		grep -qi ":$hex " /proc/net/tcp /proc/net/tcp6 2>/dev/null && continue
		PICKED="$PICKED$port "
		PORT=$port
		return 0
	done
	die "no free port found"
}

# owns_port PID PORT: true if PORT has a listener and every listener on it is a socket of PID.
owns_port() {
	local pid=$1 hex inode found=0
	hex=$(printf '%04X' "$2")
	while read -r inode; do
		found=1
		[ -n "$(find "/proc/$pid/fd" -lname "socket:\[$inode\]" 2>/dev/null | head -n 1)" ] ||
			return 1
	done < <(awk -v p=":$hex" '$4 == "0A" && toupper(substr($2, length($2) - 4)) == p { print $10 }' \
		/proc/net/tcp /proc/net/tcp6 2>/dev/null)
	[ "$found" -eq 1 ]
}

http_code() { # URL [curl args...]
	local url=$1
	shift
	curl -s -o /dev/null -w '%{http_code}' --max-time 5 "$@" "$url" || true
}

# start_caddy NAME CADDYFILE PORTVAR...: exports a fresh port in each PORTVAR (the first is
# the one probed over HTTP), starts Caddy with its own admin socket, storage and XDG folders,
# and sets CADDY_PID once Caddy answers and alone owns its ports.
start_caddy() {
	local name=$1 file=$2 dir="$TMP/caddy-$1" attempt var ok code i
	shift 2
	mkdir -p "$dir"
	for ((attempt = 1; attempt <= 5; attempt++)); do
		for var in "$@"; do
			pick_port
			export "$var=$PORT"
		done
		XDG_DATA_HOME="$dir/data" XDG_CONFIG_HOME="$dir/config" \
			TOLLGATE_CADDY_ADMIN="unix/$dir/admin.sock" BENCH_CADDY_ADMIN="unix/$dir/admin.sock" \
			TOLLGATE_CADDY_STORAGE="$dir/storage" BENCH_CADDY_STORAGE="$dir/storage" \
			caddy run --adapter caddyfile --config "$file" >"$dir/caddy.log" 2>&1 &
		CADDY_PID=$!
		STARTED+=("$CADDY_PID")
		ok=0
		for ((i = 0; i < 150; i++)); do
			kill -0 "$CADDY_PID" 2>/dev/null || break
			code=$(http_code "http://127.0.0.1:${!1}/")
			if [ "$code" != 000 ]; then
				ok=1
				break
			fi
			sleep 0.1
		done
		if [ "$ok" -eq 1 ]; then
			for var in "$@"; do
				owns_port "$CADDY_PID" "${!var}" || ok=0
			done
			[ "$ok" -eq 1 ] && return 0
			echo "bench: caddy $name: another process listens on its port; retrying" >&2
		else
			echo "bench: caddy $name did not start; retrying with other ports:" >&2
			tail -n 3 "$dir/caddy.log" >&2
		fi
		stop_pid "$CADDY_PID"
	done
	die "caddy $name could not start (log: $dir/caddy.log)"
}

# wait_for URL CODE PID [curl args]: until URL answers CODE, or PID dies, or 15 s pass.
wait_for() {
	local url=$1 want=$2 pid=$3 i
	shift 3
	for ((i = 0; i < 150; i++)); do
		kill -0 "$pid" 2>/dev/null || return 1
		[ "$(http_code "$url" "$@")" = "$want" ] && return 0
		sleep 0.1
	done
	return 1
}

# ---------------------------------------------------------------------------------------------
# CPU accounting from /proc: utime + stime (fields 14 and 15) in clock ticks.

TCK=$(getconf CLK_TCK)

ticks() { # PID... -> summed utime+stime of those processes (all their threads)
	local total=0 pid stat f
	for pid in "$@"; do
		stat=$(cat "/proc/$pid/stat") || return 1
		read -r -a f <<<"${stat##*) }" # f[0] is field 3
		total=$((total + f[11] + f[12]))
	done
	echo "$total"
}

children_named() { # MASTER_PID COMM -> pids of the master's children with that name
	local pid
	for pid in $(pgrep -P "$1"); do
		[ "$(cat "/proc/$pid/comm" 2>/dev/null)" = "$2" ] && echo "$pid"
	done
	return 0
}

children_not_named() { # MASTER_PID COMM -> the master's other children (background work)
	local pid
	for pid in $(pgrep -P "$1"); do
		[ "$(cat "/proc/$pid/comm" 2>/dev/null)" != "$2" ] && echo "$pid"
	done
	return 0
}

machine_ticks() { # -> "busy total" ticks from the first line of /proc/stat
	local label user nice system idle iowait irq softirq steal rest
	read -r label user nice system idle iowait irq softirq steal rest </proc/stat
	echo "$((user + nice + system + irq + softirq)) $((user + nice + system + idle + iowait + irq + softirq + steal))"
}

us_per_req() { # TICKS REQUESTS
	awk -v t="$1" -v n="$2" -v hz="$TCK" \
		'BEGIN { if (n > 0) printf "%.1f", t * 1e6 / hz / n; else print "n/a" }'
}

to_ms() { # wrk duration (850.00us, 1.23ms, 2.00s) -> milliseconds
	awk -v d="$1" 'BEGIN {
		v = d + 0
		if (d ~ /us$/) v /= 1000; else if (d ~ /ms$/) v = v; else if (d ~ /m$/) v *= 60000
		else if (d ~ /s$/) v *= 1000
		printf "%.3f", v }'
}

# ---------------------------------------------------------------------------------------------
# measure N LABEL PORT RESPONDER_MASTER WORKER_COMM: warm up, then one measured wrk run; the
# results land in the R_* arrays at index N. CPU is split per request into the FastCGI
# workers, the gateway Caddy, the upstream Caddy, wrk, and the rest of the machine's busy time
# (/proc/stat): near 0 when nothing else runs. The two sources count differently (a process's
# time is exact and includes softirq work done on its behalf, /proc/stat samples ticks), so
# the rest can come out slightly negative.

declare -a R_LABEL R_RPS R_P50 R_P99 R_ERR R_WORKER R_BG R_CADDY R_UP R_WRK R_OTHER R_TOTAL R_BUSY
INVALID=0
NOISY=0

measure() {
	local n=$1 label=$2 port=$3 master=$4 comm=$5
	local url="http://127.0.0.1:$port$REQ_PATH" out="$TMP/wrk-$n.txt" workers=() w0=0 w1=0
	local background=() g0=0 g1=0
	local c0 c1 u0 u1 m0 m1 b0 b1 t0 t1 wu ws wt reqs non2xx sockerr err="" other
	local TIMEFORMAT='%3U %3S'

	echo "bench: ($n) $label: warm-up $WARMUP, then $DURATION" >&2
	wrk -t"$THREADS" -c"$CONNECTIONS" -d"$WARMUP" -H "Authorization: Bearer $KEY" "$url" \
		>"$TMP/warmup-$n.txt" 2>&1 || die "wrk warm-up failed: $(cat "$TMP/warmup-$n.txt")"
	if [ -n "$master" ]; then
		mapfile -t workers < <(children_named "$master" "$comm")
		[ "${#workers[@]}" -gt 0 ] || die "no $comm processes under pid $master"
		w0=$(ticks "${workers[@]}")
		mapfile -t background < <(children_not_named "$master" "$comm")
		[ "${#background[@]}" -gt 0 ] && g0=$(ticks "${background[@]}")
	fi
	c0=$(ticks "$CADDY_PID")
	u0=$(ticks "$UPSTREAM_PID")
	m0=$(machine_ticks)
	# bash's time keyword reports wrk's own user and system seconds.
	{ time wrk -t"$THREADS" -c"$CONNECTIONS" -d"$DURATION" --latency \
		-H "Authorization: Bearer $KEY" "$url" >"$out" 2>&1; } 2>"$TMP/wrk-cpu-$n.txt" ||
		die "wrk failed: $(cat "$out")"
	m1=$(machine_ticks)
	u1=$(ticks "$UPSTREAM_PID")
	c1=$(ticks "$CADDY_PID")
	if [ -n "$master" ]; then
		w1=$(ticks "${workers[@]}") || err="$err a worker exited during the run;"
		[ "${#background[@]}" -gt 0 ] && g1=$(ticks "${background[@]}")
		[ "$(children_named "$master" "$comm" | sort | tr '\n' ' ')" = \
			"$(printf '%s\n' "${workers[@]}" | sort | tr '\n' ' ')" ] ||
			err="$err the worker set changed during the run;"
	fi
	sed 's/^/    /' "$out" >&2

	reqs=$(awk '/requests in/ { print $1 }' "$out")
	[ -n "$reqs" ] || die "cannot parse wrk output ($out)"
	non2xx=$(awk '/Non-2xx or 3xx responses:/ { print $NF }' "$out")
	sockerr=$(awk '/Socket errors:/ { sub(/^ *Socket errors: */, ""); print }' "$out")
	[ -n "$non2xx" ] && err="$err $non2xx non-2xx/3xx responses;"
	[ -n "$sockerr" ] && err="$err socket errors ($sockerr);"
	owns_port "$CADDY_PID" "$port" || err="$err another process shared port $port;"
	owns_port "$UPSTREAM_PID" "$BENCH_UPSTREAM_PORT" ||
		err="$err another process shared the upstream port;"
	if [ -n "$err" ]; then
		INVALID=1
		echo "bench: !!!!! ($n) $label IS INVALID:$err" >&2
	fi

	read -r wu ws <"$TMP/wrk-cpu-$n.txt"
	wt=$(awk -v u="$wu" -v s="$ws" -v hz="$TCK" 'BEGIN { printf "%.0f", (u + s) * hz }')
	read -r b0 t0 <<<"$m0"
	read -r b1 t1 <<<"$m1"
	other=$((b1 - b0 - (w1 - w0) - (g1 - g0) - (c1 - c0) - (u1 - u0) - wt))

	R_LABEL[n]=$label
	R_RPS[n]=$(awk '/^Requests\/sec:/ { printf "%.0f", $2 }' "$out")
	R_P50[n]=$(to_ms "$(awk '$1 == "50%" { print $2 }' "$out")")
	R_P99[n]=$(to_ms "$(awk '$1 == "99%" { print $2 }' "$out")")
	R_ERR[n]=${err:-none}
	if [ -n "$master" ]; then
		R_WORKER[n]=$(us_per_req $((w1 - w0)) "$reqs")
		R_BG[n]=$(us_per_req $((g1 - g0)) "$reqs")
	else
		R_WORKER[n]=n/a
		R_BG[n]=n/a
	fi
	R_CADDY[n]=$(us_per_req $((c1 - c0)) "$reqs")
	R_UP[n]=$(us_per_req $((u1 - u0)) "$reqs")
	R_WRK[n]=$(us_per_req "$wt" "$reqs")
	R_OTHER[n]=$(us_per_req "$other" "$reqs")
	R_TOTAL[n]=$(us_per_req $((b1 - b0)) "$reqs")
	R_BUSY[n]=$(awk -v b=$((b1 - b0)) -v t=$((t1 - t0)) \
		'BEGIN { printf "%.0f", (t > 0) ? 100 * b / t : 0 }')
	# Anything else using more than 5% of the machine skews the comparison.
	if [ $((20 * other)) -gt $((t1 - t0)) ]; then
		NOISY=1
		echo "bench: warning: ($n) other processes used $((100 * other / (t1 - t0)))% of the machine" >&2
	fi
}

# ---------------------------------------------------------------------------------------------
# Set-up shared by all three: the upstream, PostgreSQL with a tenant and a key.

export TOLLGATE_BIND=127.0.0.1
KEY=

start_caddy upstream bench/Caddyfile.upstream BENCH_UPSTREAM_PORT
UPSTREAM_PID=$CADDY_PID
[ "$(curl -s --max-time 5 "http://127.0.0.1:$BENCH_UPSTREAM_PORT/")" = ok ] ||
	die "the upstream does not answer ok"

echo "bench: PostgreSQL, migrations, tenant and key" >&2
PG_DIR=$TMP/pg
scripts/pg.sh init "$PG_DIR" --fast
scripts/pg.sh start "$PG_DIR"
TOLLGATE_DATABASE_URL=$(scripts/pg.sh url "$PG_DIR")
TOLLGATE_SECRET=$(od -An -tx1 -N32 /dev/urandom | tr -d ' \n')
export TOLLGATE_DATABASE_URL TOLLGATE_SECRET
export TOLLGATE_SHM_PATH=$TMP/tollgate.shm
export TOLLGATE_MIGRATIONS_DIR=migrations
build/tollgate migrate >"$TMP/setup.log" 2>&1 || die "migrate failed: $(cat "$TMP/setup.log")"
build/tollgate tenant create bench --upstream "http://127.0.0.1:$BENCH_UPSTREAM_PORT" \
	>>"$TMP/setup.log" 2>&1 || die "tenant create failed: $(cat "$TMP/setup.log")"
# Limits and a monthly quota are all checked and counted on every request, but set high
# enough that none refuses: the bench measures their cost, not their effect.
build/tollgate tenant set bench --monthly 1000000000 --rps 100000000 --burst 100000000 \
	--rpm 1000000000 --key-rps 100000000 --key-burst 100000000 --key-rpm 1000000000 \
	>>"$TMP/setup.log" 2>&1 || die "tenant set failed: $(cat "$TMP/setup.log")"
export TOLLGATE_IP_RPS=1000000 TOLLGATE_IP_BURST=1000000
export TOLLGATE_COLLECTOR_SOCKET=$TMP/collector.sock
KEY=$(build/tollgate key create bench 2>>"$TMP/setup.log") ||
	die "key create failed: $(cat "$TMP/setup.log")"
[ -n "$KEY" ] || die "key create printed no key"

# ---------------------------------------------------------------------------------------------
# (1) bare reverse_proxy.

start_caddy bare bench/Caddyfile.baseline TOLLGATE_HTTP_PORT
[ "$(curl -s --max-time 5 "http://127.0.0.1:$TOLLGATE_HTTP_PORT$REQ_PATH")" = ok ] ||
	die "(1) does not proxy to the upstream"
measure 1 "bare reverse_proxy" "$TOLLGATE_HTTP_PORT" "" ""
stop_pid "$CADDY_PID"

# (2) the floor: the repository's Caddyfile, forward_auth to the no-op pool.

export TOLLGATE_SOCKET=$TMP/noop.sock
build/noop_fcgi "$TOLLGATE_SOCKET" "127.0.0.1:$BENCH_UPSTREAM_PORT" "$TOLLGATE_COLLECTOR_SOCKET" \
	2>"$TMP/noop.log" &
NOOP_PID=$!
STARTED+=("$NOOP_PID")
for ((i = 0; i < 50; i++)); do
	[ -S "$TOLLGATE_SOCKET" ] && break
	kill -0 "$NOOP_PID" 2>/dev/null || die "noop_fcgi exited: $(cat "$TMP/noop.log")"
	sleep 0.1
done
start_caddy floor Caddyfile TOLLGATE_HTTP_PORT TOLLGATE_HTTPS_PORT
[ "$(curl -s --max-time 5 "http://127.0.0.1:$TOLLGATE_HTTP_PORT$REQ_PATH")" = ok ] ||
	die "(2) does not reach the upstream through the no-op forward_auth"
measure 2 "forward_auth to no-op FastCGI (floor)" "$TOLLGATE_HTTP_PORT" "$NOOP_PID" noop-worker
stop_pid "$CADDY_PID"
stop_pid "$NOOP_PID"

# (3) the gate: the repository's Caddyfile, forward_auth to `tollgate serve`.

export TOLLGATE_SOCKET=$TMP/tollgate.sock
build/tollgate serve 2>"$TMP/tollgate.log" &
GATE_PID=$!
STARTED+=("$GATE_PID")
start_caddy gate Caddyfile TOLLGATE_HTTP_PORT TOLLGATE_HTTPS_PORT
GATE_URL=http://127.0.0.1:$TOLLGATE_HTTP_PORT
wait_for "$GATE_URL/health/ready" 200 "$GATE_PID" ||
	die "tollgate is not ready: $(tail -n 20 "$TMP/tollgate.log")"
[ "$(curl -s --max-time 5 -H "Authorization: Bearer $KEY" "$GATE_URL$REQ_PATH")" = ok ] ||
	die "(3) a request with the key does not get the upstream's ok"
code=$(http_code "$GATE_URL$REQ_PATH")
[ "$code" = 401 ] || die "(3) a request without a key got $code, not 401"
measure 3 "forward_auth to tollgate (gate)" "$TOLLGATE_HTTP_PORT" "$GATE_PID" tg-worker
stop_pid "$CADDY_PID"
# Let the flusher write the last second, then read what was stored.
sleep 2
STORED=$(psql "$TOLLGATE_DATABASE_URL" -Atc "SELECT coalesce(sum(requests), 0) FROM usage_monthly")

# ---------------------------------------------------------------------------------------------
# Report.

ratio() { awk -v a="$1" -v b="$2" 'BEGIN { printf "%.2f", (b > 0) ? a / b : 0 }'; }
verdict() { if [ "$1" -eq 1 ]; then echo met; else echo "NOT met"; fi; }

R32=$(ratio "${R_RPS[3]}" "${R_RPS[2]}")
R31=$(ratio "${R_RPS[3]}" "${R_RPS[1]}")
R21=$(ratio "${R_RPS[2]}" "${R_RPS[1]}")
DP99=$(awk -v a="${R_P99[3]}" -v b="${R_P99[2]}" 'BEGIN { printf "%.3f", a - b }')
EXTRA=$(awk -v a="${R_WORKER[3]}" -v b="${R_WORKER[2]}" 'BEGIN { printf "%.1f", a - b }')
T_RATIO=$(awk -v r="$R32" 'BEGIN { print (r >= 0.9) ? 1 : 0 }')
T_CPU=$(awk -v c="${R_WORKER[3]}" 'BEGIN { print (c <= 50) ? 1 : 0 }')
T_EXTRA=$(awk -v c="$EXTRA" 'BEGIN { print (c < 10) ? 1 : 0 }')
T_P99=$(awk -v d="$DP99" 'BEGIN { print (d <= 1) ? 1 : 0 }')

CPU_MODEL=$(awk -F': ' '/^model name/ { print $2; exit }' /proc/cpuinfo)
CADDY_V=$(caddy version | head -n 1)
WRK_V=$({ wrk -v 2>&1 || true; } | head -n 1 | sed 's/ *Copyright.*//')
TG_V=$(build/tollgate version 2>&1 | awk '{ print $2 }')

{
	echo "## make bench, $(date -u '+%Y-%m-%d %H:%M UTC')"
	echo
	echo "- Machine: $(nproc) cores, ${CPU_MODEL:-unknown CPU}, Linux $(uname -r)."
	echo "- Versions: caddy $CADDY_V; $WRK_V; tollgate $TG_V."
	echo "- Load: \`wrk -t$THREADS -c$CONNECTIONS -d$DURATION --latency\` after a $WARMUP warm-up," \
		"$WORKERS FastCGI workers in (2) and (3), everything on 127.0.0.1."
	echo
	echo "| configuration | req/s | p50 ms | p99 ms | errors |"
	echo "|---|--:|--:|--:|---|"
	for n in 1 2 3; do
		echo "| ($n) ${R_LABEL[n]} | ${R_RPS[n]} | ${R_P50[n]} | ${R_P99[n]} | ${R_ERR[n]} |"
	done
	echo
	echo "CPU per request in µs (utime+stime from /proc/PID/stat; total = the machine's busy time" \
		"from /proc/stat; rest = total minus the processes listed, about 0 on a quiet machine):"
	echo
	echo "| configuration | FastCGI workers | their background children | gateway Caddy | upstream Caddy | wrk | rest | total | machine busy |"
	echo "|---|--:|--:|--:|--:|--:|--:|--:|--:|"
	for n in 1 2 3; do
		echo "| ($n) | ${R_WORKER[n]} | ${R_BG[n]} | ${R_CADDY[n]} | ${R_UP[n]} | ${R_WRK[n]} | ${R_OTHER[n]} | ${R_TOTAL[n]} | ${R_BUSY[n]}% |"
	done
	echo
	echo "Background children: tollgate's collector, flusher and syncer in (3); the no-op pool's" \
		"access-log sink in (2)."
	echo
	echo "- Throughput (3)/(2), gate vs floor: **$R32** (target ≥ 0.90: $(verdict "$T_RATIO"))."
	echo "- Throughput (3)/(1), gate vs bare Caddy: **$R31**; the floor (2)/(1) is $R21."
	echo "- p99 (3) − (2): **$DP99 ms** (target ≤ 1 ms: $(verdict "$T_P99"))."
	echo "- Worker CPU per request: gate **${R_WORKER[3]} µs** (target ≤ 50 µs: $(verdict "$T_CPU"));" \
		"no-op ${R_WORKER[2]} µs, so the decision itself adds **$EXTRA µs** (< 10 µs: $(verdict "$T_EXTRA"))."
	echo "- Metering was on in (3): PostgreSQL holds **$STORED** requests for the bench tenant," \
		"every one the gate let through (warm-ups and checks included)."
	if [ "$NOISY" -eq 1 ]; then
		echo
		echo "**Warning: other processes were busy during the run (the rest column); the figures are skewed.**"
	fi
	if [ "$INVALID" -eq 1 ]; then
		echo
		echo "**INVALID RUN: a measurement had errors (see the errors column).**"
	fi
} >"$TMP/results.md"

echo >&2
cat "$TMP/results.md"
# A rename within build/: a concurrent run never sees half a file.
mv "$TMP/results.md" "$RESULTS"
echo
echo "(written to $RESULTS)"
if [ "$INVALID" -eq 1 ]; then
	echo "bench: !!!!! INVALID RUN: some measurement had errors; do not quote these figures" >&2
	exit 1
fi
