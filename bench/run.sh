#!/usr/bin/env bash
# `make bench`: throughput, latency and CPU per request of four configurations, with wrk over
# loopback:
#   (1) bare    Caddy reverse_proxy to the upstream, no auth          bench/Caddyfile.baseline
#   (2) floor   Caddy + forward_auth to a no-op FastCGI pool          ./Caddyfile + build/noop_fcgi
#   (3) gate    Caddy + forward_auth to `tollgate serve`, valid key   ./Caddyfile + build/tollgate
#   (4) gate with the abuse engine off (TOLLGATE_ABUSE_ENGINE=off)    ./Caddyfile + build/tollgate
# (2), (3) and (4) load the repository's Caddyfile unchanged (its gateway, console and internal
# sites, each on ports of its own); only the FastCGI responders behind the gate's and the
# console's sockets (or their configuration) differ, and each reads its own Caddy's access-log
# file. (3) and (4) are two nodes on one PostgreSQL, like a cluster. The upstream is a separate
# Caddy answering "ok" (bench/Caddyfile.upstream).
#
# All four run side by side for the whole run, each with its own Caddy (and pools), and are
# measured in interleaved rounds: every round measures (1) to (4) once, in an order that
# changes from round to round. On a small VM the machine itself (CPU frequency, neighbours)
# moves a single measurement by 10-20%; measured seconds apart, the four see about the same
# machine, so ratios are computed inside each round and the report gives medians over rounds.
#
# Then the AI routes (bench/ai.mjs, under a minute): through (3), for a tenant of their own,
# against a fake provider (tests/fakes/llm.mjs, a node process of its own) that bench/ai.mjs
# also calls directly: added latency, time to first token, the delay of streamed events, cache
# hits and the AI workers' CPU per request, each against the direct call in the same run.
#
# Knobs: BENCH_ROUNDS (4), BENCH_DURATION (5s per measurement), BENCH_WARMUP (1s before each
# measurement), BENCH_FIRST_WARMUP (3s per configuration before the first round),
# BENCH_CONNECTIONS (32), BENCH_THREADS (2), TOLLGATE_WORKERS (0 = one per core: the gate's
# pool, and the no-op pool of (2)); BENCH_AI (1; 0 leaves the AI routes out) and bench/ai.mjs's
# BENCH_AI_* (see there).
# Writes build/bench-results.md. Exits 1 if a measurement had errors (non-2xx responses, socket
# errors, a port shared with another process, a failed or unexpected AI answer): the run is
# invalid.
set -euo pipefail

ROOT=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
cd "$ROOT"

ROUNDS=${BENCH_ROUNDS:-4}
DURATION=${BENCH_DURATION:-5s}
WARMUP=${BENCH_WARMUP:-1s}
FIRST_WARMUP=${BENCH_FIRST_WARMUP:-3s}
CONNECTIONS=${BENCH_CONNECTIONS:-32}
THREADS=${BENCH_THREADS:-2}
WORKERS=${TOLLGATE_WORKERS:-0}
RESULTS=build/bench-results.md
REQ_PATH=/v1/bench

die() {
	echo "bench: $*" >&2
	exit 1
}

for tool in caddy wrk curl psql pgrep getconf; do
	command -v "$tool" >/dev/null || die "$tool not found (scripts/deps.sh bench installs it)"
done
if [ ! -x build/tollgate ] || [ ! -x build/noop_fcgi ] || [ ! -x build/gate_cpu ]; then
	die "build first: make all build/noop_fcgi build/gate_cpu"
fi
[[ "$ROUNDS" =~ ^[1-9][0-9]*$ ]] || die "BENCH_ROUNDS must be a positive integer"
[[ "$CONNECTIONS" =~ ^[1-9][0-9]*$ ]] || die "BENCH_CONNECTIONS must be a positive integer"
[[ "$THREADS" =~ ^[1-9][0-9]*$ ]] || die "BENCH_THREADS must be a positive integer"
[ "$THREADS" -le "$CONNECTIONS" ] || die "BENCH_THREADS must not exceed BENCH_CONNECTIONS"
for d in "$DURATION" "$WARMUP" "$FIRST_WARMUP"; do
	[[ "$d" =~ ^[1-9][0-9]*[smh]?$ ]] || die "durations are wrk durations such as 5s, not '$d'"
done
[[ "$WORKERS" =~ ^[0-9]+$ ]] && [ "$WORKERS" -gt 0 ] || WORKERS=$(nproc)
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
	# destroy, not stop: as root the cluster may live outside $TMP (scripts/pg.sh).
	[ -n "$PG_DIR" ] && scripts/pg.sh destroy "$PG_DIR"
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

listeners() { # PORT -> the socket inode of every listener on PORT
	awk -v p=":$(printf '%04X' "$1")" \
		'$4 == "0A" && toupper(substr($2, length($2) - 4)) == p { print $10 }' \
		/proc/net/tcp /proc/net/tcp6 2>/dev/null
}

# owns_port PID PORT: true if PORT has a listener and every listener on it is a socket of PID.
owns_port() {
	local pid=$1 inode found=0
	while read -r inode; do
		found=1
		[ -n "$(find "/proc/$pid/fd" -lname "socket:\[$inode\]" 2>/dev/null | head -n 1)" ] ||
			return 1
	done < <(listeners "$2")
	[ "$found" -eq 1 ]
}

# owns_ports PID PORT...: owns_port for each; the first PORT not owned is in BAD_PORT.
owns_ports() {
	local pid=$1 port
	shift
	for port in "$@"; do
		if ! owns_port "$pid" "$port"; then
			BAD_PORT=$port
			return 1
		fi
	done
	return 0
}

http_code() { # URL [curl args...]
	local url=$1
	shift
	curl -s -o /dev/null -w '%{http_code}' --max-time 5 "$@" "$url" || true
}

# start_caddy NAME CADDYFILE SOCKET CONSOLE_SOCKET ACCESS_LOG PORTVAR...: starts a Caddy whose
# environment alone gets TOLLGATE_SOCKET=SOCKET, TOLLGATE_CONSOLE_SOCKET=CONSOLE_SOCKET and
# TOLLGATE_ACCESS_LOG=ACCESS_LOG (each only if not empty), its own admin socket, storage and XDG
# folders, and a fresh port in each PORTVAR (the first is the one probed over HTTP). Sets
# CADDY_PID, CADDY_PORT (the first port) and CADDY_PORTS (all of them, in the order of the
# PORTVARs) once Caddy answers and alone owns every one of its ports. Several Caddys run at
# once, so nothing of this is exported to the script itself.
start_caddy() {
	local name=$1 file=$2 sock=$3 console=$4 alog=$5 dir="$TMP/caddy-$1" attempt ok code i v
	shift 5
	local vars=("$@") ports=()
	mkdir -p "$dir"
	for ((attempt = 1; attempt <= 5; attempt++)); do
		ports=()
		for ((v = 0; v < ${#vars[@]}; v++)); do
			pick_port
			ports+=("$PORT")
		done
		# shellcheck disable=SC2030 # exported to this Caddy alone, on purpose
		(
			for ((v = 0; v < ${#vars[@]}; v++)); do
				export "${vars[v]}=${ports[v]}"
			done
			[ -n "$sock" ] && export TOLLGATE_SOCKET="$sock" TOLLGATE_AI_SOCKET="${sock%.sock}-ai.sock"
			[ -n "$console" ] && export TOLLGATE_CONSOLE_SOCKET="$console"
			[ -n "$alog" ] && export TOLLGATE_ACCESS_LOG="$alog"
			export TOLLGATE_CADDY_ADMIN="unix/$dir/admin.sock" BENCH_CADDY_ADMIN="unix/$dir/admin.sock" \
				TOLLGATE_CADDY_STORAGE="$dir/storage" BENCH_CADDY_STORAGE="$dir/storage" \
				XDG_DATA_HOME="$dir/data" XDG_CONFIG_HOME="$dir/config"
			exec caddy run --adapter caddyfile --config "$file"
		) >"$dir/caddy.log" 2>&1 &
		CADDY_PID=$!
		CADDY_PORT=${ports[0]}
		CADDY_PORTS=("${ports[@]}")
		STARTED+=("$CADDY_PID")
		ok=0
		for ((i = 0; i < 150; i++)); do
			kill -0 "$CADDY_PID" 2>/dev/null || break
			code=$(http_code "http://127.0.0.1:$CADDY_PORT/")
			if [ "$code" != 000 ]; then
				ok=1
				break
			fi
			sleep 0.1
		done
		if [ "$ok" -eq 1 ]; then
			# Caddy opens its listeners one after the other: give the last ones a moment.
			for v in "${ports[@]}"; do
				for ((i = 0; i < 50; i++)); do
					[ -n "$(listeners "$v")" ] && break
					sleep 0.1
				done
			done
			owns_ports "$CADDY_PID" "${ports[@]}" && return 0
			echo "bench: caddy $name: port $BAD_PORT has no listener of its own or another" \
				"process listens there too; retrying" >&2
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

# wait_sockets PID LOG PATH...: until every PATH is a socket; dies if PID exits or 15 s pass.
# Caddy would start without them (and answer 502 meanwhile), but the probes should not.
wait_sockets() {
	local pid=$1 log=$2 i p missing
	shift 2
	for ((i = 0; i < 150; i++)); do
		missing=0
		for p in "$@"; do
			[ -S "$p" ] || missing=1
		done
		[ "$missing" -eq 0 ] && return 0
		kill -0 "$pid" 2>/dev/null || die "pid $pid exited: $(tail -n 20 "$log")"
		sleep 0.1
	done
	die "no socket at $* after 15 s: $(tail -n 20 "$log")"
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

# The processes of a pool: the pid the script started and everything below it. For tollgate
# that is the keeper (tg-serve), its master (tg-master) and the master's children: gate
# workers (tg-gate), console workers (tg-console), the collector (tg-collector), the syncer,
# the flusher, the resolver, the trainer, ...; for the no-op pool its master, the no-op workers
# (noop-worker), the console responder (noop-console) and the access-log reader (noop-log).
pool_tree() { # ROOT -> "PID COMM" for ROOT and each of its descendants
	local queue=("$1") pid comm
	while [ "${#queue[@]}" -gt 0 ]; do
		pid=${queue[0]}
		queue=("${queue[@]:1}")
		comm=$(cat "/proc/$pid/comm" 2>/dev/null) || continue
		echo "$pid $comm"
		# shellcheck disable=SC2207 # pids: no spaces, no globs
		queue+=($(pgrep -P "$pid" || true))
	done
	return 0
}

pool_named() { # ROOT COMM -> pids of ROOT's tree with that name
	pool_tree "$1" | awk -v c="$2" '$2 == c { print $1 }'
}

pool_other() { # ROOT COMM1 COMM2 -> pids of ROOT's tree named neither COMM1 nor COMM2
	pool_tree "$1" | awk -v a="$2" -v b="$3" '$2 != a && $2 != b { print $1 }'
}

pg_ticks() { # -> utime+stime of the PostgreSQL server, its exited children's included
	local stat f total pid
	stat=$(cat "/proc/$PG_PID/stat") || return 1
	read -r -a f <<<"${stat##*) }"
	total=$((f[11] + f[12] + f[13] + f[14])) # + cutime + cstime: backends that have exited
	for pid in $(pgrep -P "$PG_PID"); do
		stat=$(cat "/proc/$pid/stat" 2>/dev/null) || continue
		read -r -a f <<<"${stat##*) }"
		total=$((total + f[11] + f[12]))
	done
	echo "$total"
}

machine_ticks() { # -> "busy total" ticks from the first line of /proc/stat
	local user nice system idle iowait irq softirq steal rest
	read -r _ user nice system idle iowait irq softirq steal rest </proc/stat
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
# The four configurations, by number: label, HTTP port (the gateway's), all of its Caddy's
# ports, Caddy pid, the pid of the FastCGI pools' root process (tollgate's keeper, the no-op
# master), the name of its gate workers and of its access-log reader (empty for (1)). Filled in
# as they start.

declare -a C_LABEL C_PORT C_PORTS C_CADDY C_ROOT C_COMM C_LOGCOMM
C_LABEL[1]="bare reverse_proxy"
C_LABEL[2]="forward_auth to no-op FastCGI (floor)"
C_LABEL[3]="forward_auth to tollgate (gate)"
C_LABEL[4]="forward_auth to tollgate, abuse engine off"

# Results of measurement N in round R, under the key "N.R".
declare -A M_RPS M_P50 M_P99 M_ERR M_WORKER M_LOG M_BG M_CADDY M_UP M_PG M_WRK M_OTHER M_TOTAL M_BUSY
INVALID=0
NOISY=""     # "(N) round R: P%;" for every measurement other processes disturbed
GATE_REQS=0  # requests wrk completed through (3) and (4), warm-ups included, against metering
GATE_RUNS=0  # wrk runs against them: each can leave CONNECTIONS requests in flight when it stops

# tally N OUT: sets REQS to the requests wrk completed (its report in OUT), and counts those
# that went through the gate.
tally() {
	REQS=$(awk '/requests in/ { print $1 }' "$2")
	[ -n "$REQS" ] || die "cannot parse wrk output ($2): $(cat "$2")"
	if [ "$1" -ge 3 ]; then
		GATE_REQS=$((GATE_REQS + REQS))
		GATE_RUNS=$((GATE_RUNS + 1))
	fi
	return 0
}

# warm_up N DURATION OUT: an unmeasured wrk run against configuration N.
warm_up() {
	wrk -t"$THREADS" -c"$CONNECTIONS" -d"$2" -H "Authorization: Bearer $KEY" \
		"http://127.0.0.1:${C_PORT[$1]}$REQ_PATH" >"$3" 2>&1 || die "wrk warm-up failed: $(cat "$3")"
	tally "$1" "$3"
}

# measure N R: warm up configuration N, then one measured wrk run; results land in the M_*
# arrays under "N.R". CPU is split per request into the gate's FastCGI workers, the access-log
# reader, the pools' other processes (keeper, master, console workers, background children),
# the gateway Caddy of configuration N, the upstream Caddy, PostgreSQL
# (what the gate's metering costs there), wrk, and the rest of the machine's busy time
# (/proc/stat): near 0 when nothing else runs (the three configurations not being measured sit
# idle and count there). The two sources count differently (a process's time is exact and
# includes softirq work done on its behalf, /proc/stat samples ticks), so the rest can come
# out slightly negative.
# shellcheck disable=SC2034 # the M_* arrays are read through over_rounds' nameref
measure() {
	local n=$1 r=$2 k="$1.$2" port=${C_PORT[$1]} caddy=${C_CADDY[$1]} root=${C_ROOT[$1]}
	local comm=${C_COMM[$1]} logcomm=${C_LOGCOMM[$1]} out="$TMP/wrk-$1.$2.txt"
	local workers=() w0=0 w1=0 readers=() l0=0 l1=0 background=() g0=0 g1=0
	local c0 c1 u0 u1 p0 p1 m0 m1 b0 b1 t0 t1 wu ws wt non2xx sockerr err="" other
	local TIMEFORMAT='%3U %3S'

	warm_up "$n" "$WARMUP" "$TMP/warmup-$k.txt"
	if [ -n "$root" ]; then
		mapfile -t workers < <(pool_named "$root" "$comm")
		[ "${#workers[@]}" -gt 0 ] || die "no $comm processes under pid $root"
		mapfile -t readers < <(pool_named "$root" "$logcomm")
		[ "${#readers[@]}" -eq 1 ] ||
			die "not one $logcomm process under pid $root: $(pool_tree "$root" | tr '\n' ' ')"
		mapfile -t background < <(pool_other "$root" "$comm" "$logcomm")
		w0=$(ticks "${workers[@]}") || die "a $comm process under pid $root is gone"
		l0=$(ticks "${readers[@]}") || die "the $logcomm process under pid $root is gone"
		g0=$(ticks "${background[@]}") || die "a process under pid $root is gone"
	fi
	c0=$(ticks "$caddy")
	u0=$(ticks "$UPSTREAM_PID")
	p0=$(pg_ticks) || die "PostgreSQL (pid $PG_PID) is gone"
	m0=$(machine_ticks)
	# bash's time keyword reports wrk's own user and system seconds.
	{ time wrk -t"$THREADS" -c"$CONNECTIONS" -d"$DURATION" --latency \
		-H "Authorization: Bearer $KEY" "http://127.0.0.1:$port$REQ_PATH" >"$out" 2>&1; } \
		2>"$TMP/wrk-cpu-$k.txt" || die "wrk failed: $(cat "$out")"
	m1=$(machine_ticks)
	p1=$(pg_ticks) || die "PostgreSQL (pid $PG_PID) is gone"
	u1=$(ticks "$UPSTREAM_PID")
	c1=$(ticks "$caddy")
	if [ -n "$root" ]; then
		w1=$(ticks "${workers[@]}") || err="$err a worker exited during the run;"
		l1=$(ticks "${readers[@]}") || err="$err the access-log reader exited during the run;"
		g1=$(ticks "${background[@]}") || err="$err a pool process exited during the run;"
		[ "$(pool_named "$root" "$comm" | sort | tr '\n' ' ')" = \
			"$(printf '%s\n' "${workers[@]}" | sort | tr '\n' ' ')" ] ||
			err="$err the worker set changed during the run;"
	fi

	tally "$n" "$out"
	non2xx=$(awk '/Non-2xx or 3xx responses:/ { print $NF }' "$out")
	sockerr=$(awk '/Socket errors:/ { sub(/^ *Socket errors: */, ""); print }' "$out")
	[ -n "$non2xx" ] && err="$err $non2xx non-2xx/3xx responses;"
	[ -n "$sockerr" ] && err="$err socket errors ($sockerr);"
	# shellcheck disable=SC2086 # a list of port numbers
	owns_ports "$caddy" ${C_PORTS[n]} ||
		err="$err port $BAD_PORT lost its listener or another process shared it;"
	owns_port "$UPSTREAM_PID" "$UPSTREAM_PORT" ||
		err="$err another process shared the upstream port;"

	read -r wu ws <"$TMP/wrk-cpu-$k.txt"
	wt=$(awk -v u="$wu" -v s="$ws" -v hz="$TCK" 'BEGIN { printf "%.0f", (u + s) * hz }')
	read -r b0 t0 <<<"$m0"
	read -r b1 t1 <<<"$m1"
	other=$((b1 - b0 - (w1 - w0) - (l1 - l0) - (g1 - g0) - (c1 - c0) - (u1 - u0) - (p1 - p0) - wt))

	M_RPS[$k]=$(awk '/^Requests\/sec:/ { printf "%.0f", $2 }' "$out")
	M_P50[$k]=$(to_ms "$(awk '$1 == "50%" { print $2 }' "$out")")
	M_P99[$k]=$(to_ms "$(awk '$1 == "99%" { print $2 }' "$out")")
	M_ERR[$k]=$err
	if [ -n "$root" ]; then
		M_WORKER[$k]=$(us_per_req $((w1 - w0)) "$REQS")
		M_LOG[$k]=$(us_per_req $((l1 - l0)) "$REQS")
		M_BG[$k]=$(us_per_req $((g1 - g0)) "$REQS")
	else
		M_WORKER[$k]=n/a
		M_LOG[$k]=n/a
		M_BG[$k]=n/a
	fi
	M_CADDY[$k]=$(us_per_req $((c1 - c0)) "$REQS")
	M_UP[$k]=$(us_per_req $((u1 - u0)) "$REQS")
	M_PG[$k]=$(us_per_req $((p1 - p0)) "$REQS")
	M_WRK[$k]=$(us_per_req "$wt" "$REQS")
	M_OTHER[$k]=$(us_per_req "$other" "$REQS")
	M_TOTAL[$k]=$(us_per_req $((b1 - b0)) "$REQS")
	M_BUSY[$k]=$(awk -v b=$((b1 - b0)) -v t=$((t1 - t0)) \
		'BEGIN { printf "%.0f", (t > 0) ? 100 * b / t : 0 }')

	echo "bench: round $r/$ROUNDS ($n): ${M_RPS[$k]} req/s, p50 ${M_P50[$k]} ms," \
		"p99 ${M_P99[$k]} ms; µs/request: Caddy ${M_CADDY[$k]}, workers ${M_WORKER[$k]}" >&2
	if [ -n "$err" ]; then
		INVALID=1
		sed 's/^/    /' "$out" >&2
		echo "bench: !!!!! round $r ($n) ${C_LABEL[n]} IS INVALID:$err" >&2
	fi
	# Anything else using more than 5% of the machine skews the comparison.
	if [ $((20 * other)) -gt $((t1 - t0)) ]; then
		NOISY="$NOISY ($n) round $r: $((100 * other / (t1 - t0)))%;"
		echo "bench: warning: round $r ($n): other processes used" \
			"$((100 * other / (t1 - t0)))% of the machine" >&2
	fi
}

# ---------------------------------------------------------------------------------------------
# Set-up shared by all four: the upstream, PostgreSQL with a tenant and a key.

export TOLLGATE_BIND=127.0.0.1 TOLLGATE_INTERNAL_BIND=127.0.0.1
KEY=

start_caddy upstream bench/Caddyfile.upstream "" "" "" BENCH_UPSTREAM_PORT
UPSTREAM_PID=$CADDY_PID
UPSTREAM_PORT=$CADDY_PORT
# The baseline Caddyfile proxies to it by this name.
export BENCH_UPSTREAM_PORT=$UPSTREAM_PORT
[ "$(curl -s --max-time 5 "http://127.0.0.1:$UPSTREAM_PORT/")" = ok ] ||
	die "the upstream does not answer ok"

echo "bench: PostgreSQL, migrations, tenant and key" >&2
PG_DIR=$TMP/pg
scripts/pg.sh init "$PG_DIR" --fast
scripts/pg.sh start "$PG_DIR"
# As root the cluster may live elsewhere; PG_DIR/location then says where (scripts/pg.sh).
PG_HOME=$PG_DIR
[ -f "$PG_DIR/location" ] && PG_HOME=$(cat "$PG_DIR/location")
PG_PID=$(head -n 1 "$PG_HOME/data/postmaster.pid")
[ -d "/proc/$PG_PID" ] || die "PostgreSQL's pid $PG_PID is not running"
TOLLGATE_DATABASE_URL=$(scripts/pg.sh url "$PG_DIR")
TOLLGATE_SECRET=$(od -An -tx1 -N32 /dev/urandom | tr -d ' \n')
export TOLLGATE_DATABASE_URL TOLLGATE_SECRET
export TOLLGATE_SHM_PATH=$TMP/tollgate.shm
export TOLLGATE_MIGRATIONS_DIR=migrations
build/tollgate migrate >"$TMP/setup.log" 2>&1 || die "migrate failed: $(cat "$TMP/setup.log")"
# The upstream is on loopback, where tenants' upstreams may not be unless allowed.
export TOLLGATE_UPSTREAM_ALLOW=127.0.0.1/32
build/tollgate tenant create bench --upstream "http://127.0.0.1:$UPSTREAM_PORT" \
	>>"$TMP/setup.log" 2>&1 || die "tenant create failed: $(cat "$TMP/setup.log")"
# Limits and a monthly quota are all checked and counted on every request, but set high
# enough that none refuses: the bench measures their cost, not their effect.
# build/noop_fcgi answers with the headers the gate sends for these settings (the body limit
# names the same request_body rule of the Caddyfile; the rate-limit headers are as long), so
# Caddy does the same work behind the floor as behind the gate.
build/tollgate tenant set bench --monthly 1000000000 --rps 100000000 --burst 100000000 \
	--rpm 1000000000 --key-rps 100000000 --key-burst 100000000 --key-rpm 1000000000 \
	--max-body 1048576 >>"$TMP/setup.log" 2>&1 || die "tenant set failed: $(cat "$TMP/setup.log")"
export TOLLGATE_IP_RPS=1000000 TOLLGATE_IP_BURST=1000000
KEY=$(build/tollgate key create bench 2>>"$TMP/setup.log") ||
	die "key create failed: $(cat "$TMP/setup.log")"
[ -n "$KEY" ] || die "key create printed no key"

# ---------------------------------------------------------------------------------------------
# Start all four; they stay up side by side until the end.

echo "bench: starting the four configurations" >&2

# (1) bare reverse_proxy.
start_caddy bare bench/Caddyfile.baseline "" "" "" TOLLGATE_HTTP_PORT
C_PORT[1]=$CADDY_PORT
C_PORTS[1]="${CADDY_PORTS[*]}"
C_CADDY[1]=$CADDY_PID
C_ROOT[1]=
C_COMM[1]=
C_LOGCOMM[1]=
[ "$(curl -s --max-time 5 "http://127.0.0.1:${C_PORT[1]}$REQ_PATH")" = ok ] ||
	die "(1) does not proxy to the upstream"

# The ports of a Caddy on the repository's Caddyfile: the gateway (HTTP first: it is the one
# wrk uses), its HTTPS (shared with the console's HTTPS site), the console and the internal
# listener. Their indices in CADDY_PORTS:
SITE_PORTS=(TOLLGATE_HTTP_PORT TOLLGATE_HTTPS_PORT TOLLGATE_CONSOLE_PORT TOLLGATE_INTERNAL_PORT)
P_HTTP=0 P_CONSOLE=2 P_INTERNAL=3

# check_sites N PID LOG: configuration N's internal and console sites say ready (waiting up to
# 15 s for the internal one), and the gateway keeps no /health of its own: there it is a
# tenant's path like any other (the gate's 401 without a key; the no-op passes it upstream).
# Dies otherwise.
check_sites() {
	local n=$1 pid=$2 code body
	wait_for "http://127.0.0.1:${CADDY_PORTS[P_INTERNAL]}/health/ready" 200 "$pid" ||
		die "($n) the internal /health/ready does not answer 200: $(tail -n 20 "$3")"
	code=$(http_code "http://127.0.0.1:${CADDY_PORTS[P_CONSOLE]}/health/ready")
	[ "$code" = 200 ] || die "($n) the console's /health/ready answered $code, not 200"
	body=$(curl -s --max-time 5 "http://127.0.0.1:${CADDY_PORTS[P_HTTP]}/health/ready")
	case "$body" in *'"ready"'*) die "($n) the gateway site answered /health/ready itself" ;; esac
	return 0
}

# (2) the floor: the repository's Caddyfile, forward_auth to the no-op pool; the same binary
# answers the console's socket (health) and follows that Caddy's access-log file, each of its
# own.
build/noop_fcgi "$TMP/noop.sock" "127.0.0.1:$UPSTREAM_PORT" "$TMP/noop-console.sock" \
	"$TMP/noop-access.log" 2>"$TMP/noop.log" &
NOOP_PID=$!
STARTED+=("$NOOP_PID")
wait_sockets "$NOOP_PID" "$TMP/noop.log" "$TMP/noop.sock" "$TMP/noop-console.sock"
start_caddy floor Caddyfile "$TMP/noop.sock" "$TMP/noop-console.sock" "$TMP/noop-access.log" \
	"${SITE_PORTS[@]}"
C_PORT[2]=$CADDY_PORT
C_PORTS[2]="${CADDY_PORTS[*]}"
C_CADDY[2]=$CADDY_PID
C_ROOT[2]=$NOOP_PID
C_COMM[2]=noop-worker
C_LOGCOMM[2]=noop-log
check_sites 2 "$NOOP_PID" "$TMP/noop.log"
[ "$(curl -s --max-time 5 "http://127.0.0.1:${C_PORT[2]}$REQ_PATH")" = ok ] ||
	die "(2) does not reach the upstream through the no-op forward_auth"

# (3) and (4) the gate: the repository's Caddyfile, forward_auth to `tollgate serve`; two
# nodes (own shared memory, sockets, access log, node id) on the one PostgreSQL, the abuse
# engine at its default (model) in (3) and off in (4).
GATE_CHECKS=0 # requests with the key sent by the checks below, also metered
start_gate() { # N NAME ENGINE
	local n=$1 name=$2 url
	# shellcheck disable=SC2031 # the same names as each Caddy's, exported to the gate alone
	(
		export TOLLGATE_SOCKET="$TMP/$name.sock" \
			TOLLGATE_CONSOLE_SOCKET="$TMP/$name-console.sock" \
			TOLLGATE_AI_SOCKET="$TMP/$name-ai.sock" \
			TOLLGATE_ACCESS_LOG="$TMP/$name-access.log" \
			TOLLGATE_SHM_PATH="$TMP/$name.shm" TOLLGATE_NODE_ID="bench-$name" \
			TOLLGATE_ABUSE_ENGINE="$3"
		exec build/tollgate serve
	) 2>"$TMP/$name.log" &
	C_ROOT[n]=$!
	STARTED+=("${C_ROOT[n]}")
	wait_sockets "${C_ROOT[n]}" "$TMP/$name.log" "$TMP/$name.sock" "$TMP/$name-console.sock"
	start_caddy "$name" Caddyfile "$TMP/$name.sock" "$TMP/$name-console.sock" \
		"$TMP/$name-access.log" "${SITE_PORTS[@]}"
	C_PORT[n]=$CADDY_PORT
	C_PORTS[n]="${CADDY_PORTS[*]}"
	C_CADDY[n]=$CADDY_PID
	C_COMM[n]=tg-gate
	C_LOGCOMM[n]=tg-collector
	check_sites "$n" "${C_ROOT[n]}" "$TMP/$name.log"
	url=http://127.0.0.1:$CADDY_PORT
	[ "$(curl -s --max-time 5 -H "Authorization: Bearer $KEY" "$url$REQ_PATH")" = ok ] ||
		die "($n) a request with the key does not get the upstream's ok"
	GATE_CHECKS=$((GATE_CHECKS + 1))
	code=$(http_code "$url$REQ_PATH")
	[ "$code" = 401 ] || die "($n) a request without a key got $code, not 401"
}
start_gate 3 gate model
start_gate 4 gate-off off

# The floor must answer as the gate does: the same response headers reach the client through
# (2) as through (3) (a gate that sends a new header needs it in build/noop_fcgi too).
header_names() { # URL -> the response's header names, sorted, one line
	curl -s -o /dev/null -D - --max-time 5 -H "Authorization: Bearer $KEY" "$1" |
		awk -F: 'NR > 1 && NF > 1 { print tolower($1) }' | sort | tr '\n' ' '
}
H2=$(header_names "http://127.0.0.1:${C_PORT[2]}$REQ_PATH")
H3=$(header_names "http://127.0.0.1:${C_PORT[3]}$REQ_PATH")
GATE_CHECKS=$((GATE_CHECKS + 1))
[ "$H2" = "$H3" ] || die "the floor's response headers differ from the gate's:
  (2) $H2
  (3) $H3"

# ---------------------------------------------------------------------------------------------
# Measure: one longer warm-up of each, then the rounds. Round R takes the next row of a
# balanced Latin square (Williams design): over four rounds each configuration runs once in
# every position and right after each of the others once, so no fixed neighbour biases it.

ORDERS=("1 2 4 3" "2 3 1 4" "3 4 2 1" "4 1 3 2")
declare -a ORDER

for n in 1 2 3 4; do
	echo "bench: ($n) ${C_LABEL[n]}: first warm-up $FIRST_WARMUP" >&2
	warm_up "$n" "$FIRST_WARMUP" "$TMP/first-warmup-$n.txt"
done
echo "bench: $ROUNDS rounds of 4 × ($WARMUP warm-up + $DURATION measured)" >&2
for ((r = 1; r <= ROUNDS; r++)); do
	ORDER[r]=${ORDERS[(r - 1) % ${#ORDERS[@]}]}
	for n in ${ORDER[r]}; do
		measure "$n" "$r"
	done
done

# Let the flusher write the last second, then read what was stored.
sleep 2
STORED=$(psql "$TOLLGATE_DATABASE_URL" -Atc "SELECT coalesce(sum(u.requests), 0)
	FROM usage_monthly u JOIN tenants t ON t.id = u.tenant_id WHERE t.slug = 'bench'")
# wrk counts a response only if it arrives before the run ends; the gate also counts the
# requests still in flight then, at most one per connection.
STORED_MIN=$((GATE_REQS + GATE_CHECKS))
STORED_MAX=$((STORED_MIN + GATE_RUNS * CONNECTIONS))
if [ "$STORED" -ge "$STORED_MIN" ] && [ "$STORED" -le "$STORED_MAX" ]; then
	METERING="consistent"
else
	METERING="**does not match**"
	echo "bench: warning: PostgreSQL holds $STORED requests for the bench tenant, expected" \
		"$STORED_MIN to $STORED_MAX" >&2
fi

# ---------------------------------------------------------------------------------------------
# AI routes (bench/ai.mjs): through node (3), after the rounds, for a tenant of its own
# (bench-ai: its requests are not the bench tenant's, whose usage was checked above). The fake
# provider (tests/fakes/llm.mjs, in a node process of its own: `bench/ai.mjs fake`) answers both
# the gateway's AI pool and bench/ai.mjs calling it directly, the baseline of every figure.
# BENCH_AI=0 leaves this out.

AI_MD=""
if [ "${BENCH_AI:-1}" != 0 ]; then
	command -v node >/dev/null || die "node not found (the AI section needs it; BENCH_AI=0 skips it)"
	echo "bench: AI routes: tenant, fake provider, aliases" >&2
	build/tollgate tenant create bench-ai --upstream "http://127.0.0.1:$UPSTREAM_PORT" \
		>>"$TMP/setup.log" 2>&1 || die "tenant create bench-ai failed: $(tail -n 5 "$TMP/setup.log")"
	build/tollgate tenant set bench-ai --monthly 1000000000 --rps 100000000 --burst 100000000 \
		--rpm 1000000000 --key-rps 100000000 --key-burst 100000000 --key-rpm 1000000000 \
		>>"$TMP/setup.log" 2>&1 || die "tenant set bench-ai failed: $(tail -n 5 "$TMP/setup.log")"
	AI_KEY=$(build/tollgate key create bench-ai 2>>"$TMP/setup.log") ||
		die "key create bench-ai failed: $(tail -n 5 "$TMP/setup.log")"
	AI_TOKEN=$(build/tollgate token create bench-ai 2>>"$TMP/setup.log") ||
		die "token create bench-ai failed: $(tail -n 5 "$TMP/setup.log")"
	if [ -z "$AI_KEY" ] || [ -z "$AI_TOKEN" ]; then
		die "key or token create bench-ai printed nothing"
	fi
	AI_PROVIDER_KEY=sk-bench-$(od -An -tx1 -N12 /dev/urandom | tr -d ' \n')

	# The fake and its control listener, on ports nothing uses (node fails on a taken port).
	for ((attempt = 1; attempt <= 5; attempt++)); do
		pick_port
		FAKE_PORT=$PORT
		pick_port
		FAKE_CONTROL=$PORT
		node bench/ai.mjs fake --port "$FAKE_PORT" --control-port "$FAKE_CONTROL" \
			--api-key "$AI_PROVIDER_KEY" 2>"$TMP/fake-llm.log" &
		FAKE_PID=$!
		STARTED+=("$FAKE_PID")
		wait_for "http://127.0.0.1:$FAKE_CONTROL/times" 200 "$FAKE_PID" &&
			owns_ports "$FAKE_PID" "$FAKE_PORT" "$FAKE_CONTROL" && break
		echo "bench: the fake provider did not start; retrying with other ports:" >&2
		tail -n 3 "$TMP/fake-llm.log" >&2
		stop_pid "$FAKE_PID"
		FAKE_PID=
	done
	[ -n "$FAKE_PID" ] || die "the fake provider could not start (log: $TMP/fake-llm.log)"

	# The tenant's AI settings through the console's management API of node (3), as a
	# tenant's tooling would: the prefix and the answer cache, the provider, two aliases.
	read -r -a AI_PORTS <<<"${C_PORTS[3]}"
	AI_API=http://127.0.0.1:${AI_PORTS[P_CONSOLE]}/api/v1
	manage() { # METHOD PATH JSON
		local code
		code=$(curl -s -o "$TMP/manage.out" -w '%{http_code}' --max-time 10 -X "$1" \
			-H "Authorization: Bearer $AI_TOKEN" -H 'Content-Type: application/json' \
			--data "$3" "$AI_API$2") || true
		[[ "$code" = 2?? ]] || die "$1 $2 answered $code: $(head -c 300 "$TMP/manage.out")"
	}
	manage PATCH /ai '{"prefix":"/v1","cache_ttl_seconds":60}'
	manage PUT /ai/providers/fake "{\"kind\":\"openai\",\"base_url\":\"http://127.0.0.1:$FAKE_PORT/v1\",\"api_key\":\"$AI_PROVIDER_KEY\"}"
	manage PUT /ai/aliases/chat '{"targets":[{"provider":"fake","model":"echo-small"}]}'
	manage PUT /ai/aliases/slow '{"targets":[{"provider":"fake","model":"slow-1"}]}'

	AI_MD=$TMP/ai.md
	AI_T0=$SECONDS
	if ! node bench/ai.mjs --gateway "http://127.0.0.1:${C_PORT[3]}" --key "$AI_KEY" \
		--fake "http://127.0.0.1:$FAKE_PORT" --control "http://127.0.0.1:$FAKE_CONTROL" \
		--provider-key "$AI_PROVIDER_KEY" --alias chat --slow-alias slow --root "${C_ROOT[3]}" \
		--caddy-pid "${C_CADDY[3]}" --pg-pid "$PG_PID" --markdown "$AI_MD" >"$TMP/ai.json"; then
		INVALID=1
		echo "bench: !!!!! the AI measurements had errors (see above)" >&2
		[ -s "$AI_MD" ] || echo "**INVALID: bench/ai.mjs failed before writing its figures.**" >"$AI_MD"
	fi
	# shellcheck disable=SC2086 # a list of port numbers
	owns_ports "${C_CADDY[3]}" ${C_PORTS[3]} || {
		INVALID=1
		echo "**INVALID: port $BAD_PORT of (3) lost its listener or another process shared it.**" >>"$AI_MD"
	}
	echo "bench: AI routes measured in $((SECONDS - AI_T0)) s" >&2
	stop_pid "$FAKE_PID"
fi

# ---------------------------------------------------------------------------------------------
# Report: per configuration the median over the rounds; ratios and differences between
# configurations computed inside each round, then their median and range.

over_rounds() { # ARRAY N -> VALS: configuration N's values in ARRAY, round by round
	local -n arr=$1
	local r
	VALS=()
	for ((r = 1; r <= ROUNDS; r++)); do
		VALS+=("${arr[$2.$r]}")
	done
}

# ---------------------------------------------------------------------------------------------
# The gate's decision in one process (bench/gate_cpu.c), while the stacks above sit idle: the
# abuse engine's own cost, which the stack's figures (worker (3) minus worker (4), each some
# 60 µs of mostly FastCGI and syscalls) cannot resolve. BENCH_GATE_CPU_REQUESTS (200000) and
# BENCH_GATE_CPU_ROUNDS (5).
echo "bench: the gate's decision in one process (build/gate_cpu)" >&2
build/gate_cpu "${BENCH_GATE_CPU_REQUESTS:-200000}" "${BENCH_GATE_CPU_ROUNDS:-5}" \
	>"$TMP/gate_cpu.txt" 2>"$TMP/gate_cpu.log" ||
	die "build/gate_cpu failed: $(tail -n 3 "$TMP/gate_cpu.log")"
gate_cpu() { # CONFIGURATION WHAT -> "MEDIAN MIN MAX" in µs
	awk -v c="$1" -v w="$2" '$1 == c && $2 == w { printf "%.2f %.2f %.2f\n", $3 / 1000, $4 / 1000, $5 / 1000; f = 1 }
		END { if (!f) print "n/a n/a n/a" }' "$TMP/gate_cpu.txt"
}
G_OFF=$(gate_cpu off gate)
G_HEUR=$(gate_cpu heuristics gate)
G_MODEL=$(gate_cpu model gate)
G_ENGINE=$(gate_cpu model-off gate)
G_HENGINE=$(gate_cpu heuristics-off gate)
G_OBSERVE=$(gate_cpu model observe)
G_HEAD=$(head -n 1 "$TMP/gate_cpu.txt" | sed 's/^# gate_cpu: //; s/;.*//')

stats() { # VALUE... -> "median min max"; "n/a n/a n/a" if any value is n/a
	printf '%s\n' "$@" | sort -g | awk '
		$1 == "n/a" { na = 1 }
		{ v[NR] = $1 }
		END {
			if (na || NR == 0) { print "n/a n/a n/a"; exit }
			m = (NR % 2) ? v[(NR + 1) / 2] : (v[NR / 2] + v[NR / 2 + 1]) / 2
			print m, v[1], v[NR]
		}'
}

med() { # ARRAY N PRINTF_FORMAT -> configuration N's median over the rounds
	local s
	over_rounds "$1" "$2"
	s=$(stats "${VALS[@]}")
	awk -v f="$3" -v m="${s%% *}" 'BEGIN { if (m == "n/a") print m; else printf f "\n", m }'
}

range() { # PRINTF_FORMAT "MEDIAN MIN MAX" -> "MEDIAN (MIN–MAX)"
	awk -v f="$1" -v s="$2" 'BEGIN {
		split(s, v, " ")
		if (v[1] == "n/a") print "n/a"; else printf f " (" f "–" f ")\n", v[1], v[2], v[3] }'
}

declare -a D_R32 D_R31 D_R21 D_DP99 D_EXTRA D_R34 D_ENGINE D_EP99 D_R42
for ((r = 1; r <= ROUNDS; r++)); do
	read -r r32 r31 r21 dp99 extra r34 engine ep99 r42 < <(awk \
		-v a="${M_RPS[1.$r]}" -v b="${M_RPS[2.$r]}" -v c="${M_RPS[3.$r]}" -v d="${M_RPS[4.$r]}" \
		-v pb="${M_P99[2.$r]}" -v pc="${M_P99[3.$r]}" -v pd="${M_P99[4.$r]}" \
		-v wb="${M_WORKER[2.$r]}" -v wc="${M_WORKER[3.$r]}" -v wd="${M_WORKER[4.$r]}" \
		'function q(x, y) { return (y > 0) ? x / y : 0 }
		BEGIN { printf "%.4f %.4f %.4f %.3f %.1f %.4f %.1f %.3f %.4f\n", q(c, b), q(c, a),
			q(b, a), pc - pb, wc - wb, q(c, d), wc - wd, pc - pd, q(d, b) }')
	D_R32[r]=$r32
	D_R31[r]=$r31
	D_R21[r]=$r21
	D_DP99[r]=$dp99
	D_EXTRA[r]=$extra
	D_R34[r]=$r34
	D_ENGINE[r]=$engine
	D_EP99[r]=$ep99
	D_R42[r]=$r42
done
S_R32=$(stats "${D_R32[@]}")
S_R31=$(stats "${D_R31[@]}")
S_R21=$(stats "${D_R21[@]}")
S_DP99=$(stats "${D_DP99[@]}")
S_EXTRA=$(stats "${D_EXTRA[@]}")
S_R34=$(stats "${D_R34[@]}")
S_ENGINE=$(stats "${D_ENGINE[@]}")
S_EP99=$(stats "${D_EP99[@]}")
S_R42=$(stats "${D_R42[@]}")
over_rounds M_WORKER 3
S_WORKER3=$(stats "${VALS[@]}")
over_rounds M_WORKER 2
S_WORKER2=$(stats "${VALS[@]}")
over_rounds M_LOG 2
S_LOG2=$(stats "${VALS[@]}")
over_rounds M_LOG 3
S_LOG3=$(stats "${VALS[@]}")
over_rounds M_LOG 4
S_LOG4=$(stats "${VALS[@]}")

verdict() { # CONDITION (awk, on m = the median) "MEDIAN MIN MAX" -> met / NOT met
	awk -v s="$2" "BEGIN { split(s, v, \" \"); m = v[1]; print ($1) ? \"met\" : \"NOT met\" }"
}
T_RATIO=$(verdict 'm >= 0.9' "$S_R32")
T_P99=$(verdict 'm <= 1' "$S_DP99")
T_EXTRA=$(verdict 'm < 10' "$S_EXTRA")
T_CPU=$(verdict 'm <= 50' "$S_WORKER3")
T_ENGINE=$(verdict 'm <= 10' "$S_ENGINE")
T_GENGINE=$(verdict 'm <= 10' "$G_ENGINE")

errors_of() { # N -> what went wrong in configuration N's measurements, or none
	local r e=""
	for ((r = 1; r <= ROUNDS; r++)); do
		[ -n "${M_ERR[$1.$r]}" ] && e="$e round $r:${M_ERR[$1.$r]}"
	done
	echo "${e:- none}"
}

CPU_MODEL=$(awk -F': ' '/^model name/ { print $2; exit }' /proc/cpuinfo)
CADDY_V=$(caddy version | head -n 1)
WRK_V=$({ wrk -v 2>&1 || true; } | head -n 1 | sed 's/ *Copyright.*//')
TG_V=$(build/tollgate version 2>&1 | awk '{ print $2 }')
TG_SUM=$(sha256sum build/tollgate | cut -c 1-12)

{
	echo "## make bench, $(date -u '+%Y-%m-%d %H:%M UTC')"
	echo
	echo "- Machine: $(nproc) cores, ${CPU_MODEL:-unknown CPU}, Linux $(uname -r)."
	echo "- Versions: caddy $CADDY_V; $WRK_V; tollgate $TG_V (build/tollgate sha256 $TG_SUM…)."
	echo "- Method: the four configurations run side by side for the whole run; $ROUNDS" \
		"interleaved rounds, each measuring all four in turn (order below) with" \
		"\`wrk -t$THREADS -c$CONNECTIONS -d$DURATION --latency\` after a $WARMUP warm-up" \
		"(and $FIRST_WARMUP per configuration before the first round); $WORKERS gate" \
		"workers in (2), (3) and (4) (\`TOLLGATE_WORKERS\`), tollgate's console pool at its" \
		"default; everything on 127.0.0.1; ${SECONDS} s in all."
	echo "- Figures per configuration are medians over the rounds; ratios and differences are" \
		"computed inside each round, then given as median (min–max over the rounds)."
	echo
	echo "| configuration | req/s | req/s min–max | p50 ms | p99 ms | errors |"
	echo "|---|--:|--:|--:|--:|---|"
	for n in 1 2 3 4; do
		over_rounds M_RPS "$n"
		s=$(stats "${VALS[@]}")
		read -r _ lo hi <<<"$s"
		echo "| ($n) ${C_LABEL[n]} | $(med M_RPS "$n" %.0f) | $lo–$hi |" \
			"$(med M_P50 "$n" %.2f) | $(med M_P99 "$n" %.2f) |$(errors_of "$n") |"
	done
	echo
	echo "CPU per request in µs, medians over the rounds (utime+stime from /proc/PID/stat of" \
		"that configuration's own processes; total = the machine's busy time from /proc/stat;" \
		"rest = total minus the processes listed, about 0 on a quiet machine; it includes the" \
		"three idle configurations):"
	echo
	echo "| configuration | gate workers | access-log reader | other pool processes | gateway Caddy | upstream Caddy | PostgreSQL | wrk | rest | total | machine busy |"
	echo "|---|--:|--:|--:|--:|--:|--:|--:|--:|--:|--:|"
	for n in 1 2 3 4; do
		echo "| ($n) | $(med M_WORKER "$n" %.1f) | $(med M_LOG "$n" %.1f) |" \
			"$(med M_BG "$n" %.1f) |" \
			"$(med M_CADDY "$n" %.1f) | $(med M_UP "$n" %.1f) | $(med M_PG "$n" %.1f) |" \
			"$(med M_WRK "$n" %.1f) |" \
			"$(med M_OTHER "$n" %.1f) | $(med M_TOTAL "$n" %.1f) | $(med M_BUSY "$n" %.0f)% |"
	done
	echo
	echo "Gate workers: the \`tg-gate\` processes in (3) and (4), \`noop-worker\` in (2)." \
		"Access-log reader: tollgate's collector (\`tg-collector\`: follows the file, parses" \
		"each line, joins it to its decision, counts usage) in (3) and (4); in (2) \`noop-log\`," \
		"which follows the file the same way and drops each line. Other pool processes: the" \
		"keeper (\`tg-serve\`), the master, the console workers, the syncer, the flusher and" \
		"decision writer, the resolver, the trainer in (3) and (4); the no-op master and" \
		"console responder in (2). PostgreSQL: the server the gates' flusher, syncer and" \
		"decision writer use (only (3) and (4) use it)."
	echo
	echo "| target | median (min–max over the rounds) | met? |"
	echo "|---|--:|---|"
	echo "| throughput (3)/(2), gate vs floor, ≥ 0.90 | $(range %.2f "$S_R32") | $T_RATIO |"
	echo "| p99 (3) − (2) ≤ 1 ms | $(range %.2f "$S_DP99") ms | $T_P99 |"
	echo "| decision CPU, worker (3) − worker (2), < 10 µs | $(range %.1f "$S_EXTRA") µs | $T_EXTRA |"
	echo "| whole gate worker CPU ≤ 50 µs per request | $(range %.1f "$S_WORKER3") µs | $T_CPU |"
	echo "| abuse engine CPU, worker (3) − worker (4), ≤ 10 µs | $(range %.1f "$S_ENGINE") µs | $T_ENGINE |"
	echo "| abuse engine CPU in one process (build/gate_cpu), model − off, ≤ 10 µs | $(range %.2f "$G_ENGINE") µs | $T_GENGINE |"
	echo
	echo "- Throughput (3)/(1), gate vs bare Caddy: **$(range %.2f "$S_R31")**; the floor" \
		"(2)/(1) is $(range %.2f "$S_R21")."
	echo "- Abuse engine on vs off: throughput (3)/(4) **$(range %.2f "$S_R34")**, p99 (3) − (4)" \
		"$(range %.2f "$S_EP99") ms; the gate with the engine off vs the floor, (4)/(2):" \
		"$(range %.2f "$S_R42")."
	echo "- The gate's decision in one process (build/gate_cpu: $G_HEAD; router_dispatch()" \
		"timed alone, no Caddy, FastCGI or socket): $(range %.2f "$G_MODEL") µs with the" \
		"engine (model), $(range %.2f "$G_HEUR") µs with heuristics, $(range %.2f "$G_OFF") µs" \
		"with it off; the engine's own cost, paired per round, model − off" \
		"**$(range %.2f "$G_ENGINE") µs**, heuristics − off $(range %.2f "$G_HENGINE") µs. The" \
		"collector's engine work per answer (abuse_observe_response()): $(range %.2f "$G_OBSERVE") µs."
	echo "- Worker CPU per request: gate $(range %.1f "$S_WORKER3") µs, no-op" \
		"$(range %.1f "$S_WORKER2") µs."
	echo "- Access-log reader CPU per request: collector (3) $(range %.1f "$S_LOG3") µs," \
		"(4) $(range %.1f "$S_LOG4") µs; no-op reader (2) $(range %.1f "$S_LOG2") µs."
	printf -- '- Gateway Caddy CPU per request, min–max over the rounds:'
	for n in 1 2 3 4; do
		over_rounds M_CADDY "$n"
		read -r _ lo hi <<<"$(stats "${VALS[@]}")"
		printf ' (%s) %s–%s µs' "$n" "$lo" "$hi"
	done
	echo "."
	echo "- Metering was on in (3) and (4): PostgreSQL holds **$STORED** requests for the bench" \
		"tenant. wrk completed $GATE_REQS through the gates in $GATE_RUNS runs (warm-ups included) and" \
		"the checks sent $GATE_CHECKS; with at most $CONNECTIONS in flight when each run stopped," \
		"between $STORED_MIN and $STORED_MAX were expected: $METERING."
	echo
	echo "Per round (req/s; ratios and differences inside the round):"
	echo
	echo "| round | order | (1) | (2) | (3) | (4) | (3)/(2) | (3)/(1) | (3)/(4) | p99 (3)−(2) ms | decision µs | engine µs |"
	echo "|--:|---|--:|--:|--:|--:|--:|--:|--:|--:|--:|--:|"
	for ((r = 1; r <= ROUNDS; r++)); do
		printf '| %s | %s | %s | %s | %s | %s | %.2f | %.2f | %.2f | %.2f | %.1f | %.1f |\n' "$r" \
			"$(sed 's/\([1234]\)/(\1)/g; s/ /, /g' <<<"${ORDER[r]}")" \
			"${M_RPS[1.$r]}" "${M_RPS[2.$r]}" "${M_RPS[3.$r]}" "${M_RPS[4.$r]}" \
			"${D_R32[r]}" "${D_R31[r]}" "${D_R34[r]}" "${D_DP99[r]}" "${D_EXTRA[r]}" \
			"${D_ENGINE[r]}"
	done
	if [ -n "$NOISY" ]; then
		echo
		echo "**Warning: other processes were busy during some measurements (the rest column):$NOISY" \
			"those figures are skewed.**"
	fi
	if [ -n "$AI_MD" ]; then
		echo
		cat "$AI_MD"
	fi
	if [ "$INVALID" -eq 1 ]; then
		echo
		echo "**INVALID RUN: a measurement had errors (see the errors column and the AI section).**"
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
