#!/usr/bin/env bash
# A private PostgreSQL cluster in a folder, listening on a unix socket only (no TCP, no
# system service). As root the server runs as the `postgres` user, since initdb refuses root.
#   scripts/pg.sh init DIR [--fast]   create DIR/data (--fast: no fsync, for tests)
#   scripts/pg.sh start DIR           start it (socket in DIR/run) and create database tollgate
#   scripts/pg.sh stop DIR            fast shutdown
#   scripts/pg.sh url DIR             print the libpq connection string
set -euo pipefail

PGBIN=${PGBIN:-$(ls -d /usr/lib/postgresql/*/bin 2>/dev/null | sort -V | tail -n 1)}
[ -x "$PGBIN/initdb" ] || { echo "pg.sh: PostgreSQL server binaries not found (apt-get install postgresql)" >&2; exit 1; }

as_pg() {
	if [ "$(id -u)" -eq 0 ]; then
		runuser -u postgres -- "$@"
	else
		"$@"
	fi
}

cmd=${1:?usage: pg.sh init|start|stop|url DIR}
dir=$(realpath -m "${2:?usage: pg.sh init|start|stop|url DIR}")

case "$cmd" in
init)
	[ -f "$dir/data/PG_VERSION" ] && exit 0
	mkdir -p "$dir/data" "$dir/run"
	chmod 0755 "$dir"
	chmod 0700 "$dir/data"
	[ "$(id -u)" -eq 0 ] && chown postgres:postgres "$dir/data" "$dir/run"
	extra=()
	[ "${3:-}" = "--fast" ] && extra=(--no-sync) && touch "$dir/fast"
	as_pg "$PGBIN/initdb" -D "$dir/data" --auth=trust -U tollgate -E UTF8 --locale=C.UTF-8 \
		"${extra[@]}" >"$dir/initdb.log" 2>&1 || { cat "$dir/initdb.log" >&2; exit 1; }
	;;
start)
	opts="-c listen_addresses='' -k $dir/run -c max_connections=200"
	[ -f "$dir/fast" ] && opts="$opts -c fsync=off -c synchronous_commit=off -c full_page_writes=off"
	if ! as_pg "$PGBIN/pg_ctl" -D "$dir/data" status >/dev/null 2>&1; then
		as_pg "$PGBIN/pg_ctl" -D "$dir/data" -l "$dir/data/server.log" -w -t 30 -o "$opts" start >/dev/null ||
			{ tail -n 20 "$dir/data/server.log" >&2; exit 1; }
	fi
	if ! psql -h "$dir/run" -U tollgate -d postgres -Atqc "SELECT 1 FROM pg_database WHERE datname='tollgate'" | grep -q 1; then
		psql -h "$dir/run" -U tollgate -d postgres -qc "CREATE DATABASE tollgate" >/dev/null
	fi
	;;
stop)
	if [ -f "$dir/data/PG_VERSION" ] && as_pg "$PGBIN/pg_ctl" -D "$dir/data" status >/dev/null 2>&1; then
		as_pg "$PGBIN/pg_ctl" -D "$dir/data" -m fast -w -t 30 stop >/dev/null
	fi
	;;
url)
	echo "host=$dir/run dbname=tollgate user=tollgate"
	;;
*)
	echo "usage: pg.sh init|start|stop|url DIR" >&2
	exit 2
	;;
esac
