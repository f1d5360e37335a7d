#!/usr/bin/env bash
# A private PostgreSQL cluster in a folder, listening on a unix socket only (no TCP, no
# system service). As root the server runs as the `postgres` user, since initdb refuses root;
# when that user cannot enter DIR (a clone under a 0700 home such as /root), the cluster
# lives under /var/lib/postgresql/tollgate/ instead and DIR/location says where.
#   scripts/pg.sh init DIR [--fast]   create the cluster (--fast: no fsync, for tests)
#   scripts/pg.sh start DIR           start it and create database tollgate
#   scripts/pg.sh stop DIR            fast shutdown
#   scripts/pg.sh destroy DIR         stop it and delete it (and DIR)
#   scripts/pg.sh url DIR             print the libpq connection string
set -euo pipefail

PGBIN=${PGBIN:-$(ls -d /usr/lib/postgresql/*/bin 2>/dev/null | sort -V | tail -n 1)}
[ -x "$PGBIN/initdb" ] || { echo "pg.sh: PostgreSQL server binaries not found (apt-get install postgresql)" >&2; exit 1; }

as_pg() {
	if [ "$(id -u)" -eq 0 ]; then
		# From /: the postgres user may not be able to enter the current folder.
		(cd / && runuser -u postgres -- "$@")
	else
		"$@"
	fi
}

cmd=${1:?usage: pg.sh init|start|stop|destroy|url DIR}
dir=$(realpath -m "${2:?usage: pg.sh init|start|stop|destroy|url DIR}")

# Where the cluster's data and socket are: DIR, or where DIR/location points.
home() {
	if [ -f "$dir/location" ]; then cat "$dir/location"; else echo "$dir"; fi
}

case "$cmd" in
init)
	mkdir -p "$dir"
	chmod 0755 "$dir"
	if [ "$(id -u)" -eq 0 ] && [ ! -f "$dir/location" ] && ! runuser -u postgres -- test -x "$dir"; then
		base=/var/lib/postgresql/tollgate
		mkdir -p "$base"
		chown postgres:postgres "$base"
		chmod 0755 "$base"
		real="$base/$(printf '%s' "$dir" | sha256sum | cut -c1-16)"
		mkdir -p "$real"
		chmod 0755 "$real"
		echo "$real" >"$dir/location"
		echo "pg.sh: the postgres user cannot enter $dir; the cluster lives in $real" >&2
	fi
	h=$(home)
	[ -f "$h/data/PG_VERSION" ] && exit 0
	mkdir -p "$h/data" "$h/run"
	chmod 0700 "$h/data"
	[ "$(id -u)" -eq 0 ] && chown postgres:postgres "$h/data" "$h/run"
	extra=()
	[ "${3:-}" = "--fast" ] && extra=(--no-sync) && touch "$h/fast"
	as_pg "$PGBIN/initdb" -D "$h/data" --auth=trust -U tollgate -E UTF8 --locale=C.UTF-8 \
		"${extra[@]}" >"$h/initdb.log" 2>&1 || { cat "$h/initdb.log" >&2; exit 1; }
	;;
start)
	h=$(home)
	opts="-c listen_addresses='' -k $h/run -c max_connections=200"
	[ -f "$h/fast" ] && opts="$opts -c fsync=off -c synchronous_commit=off -c full_page_writes=off"
	if ! as_pg "$PGBIN/pg_ctl" -D "$h/data" status >/dev/null 2>&1; then
		as_pg "$PGBIN/pg_ctl" -D "$h/data" -l "$h/data/server.log" -w -t 30 -o "$opts" start >/dev/null ||
			{ tail -n 20 "$h/data/server.log" >&2; exit 1; }
	fi
	if ! psql -h "$h/run" -U tollgate -d postgres -Atqc "SELECT 1 FROM pg_database WHERE datname='tollgate'" | grep -q 1; then
		psql -h "$h/run" -U tollgate -d postgres -qc "CREATE DATABASE tollgate" >/dev/null
	fi
	;;
stop)
	h=$(home)
	if [ -f "$h/data/PG_VERSION" ] && as_pg "$PGBIN/pg_ctl" -D "$h/data" status >/dev/null 2>&1; then
		as_pg "$PGBIN/pg_ctl" -D "$h/data" -m fast -w -t 30 stop >/dev/null
	fi
	;;
destroy)
	"$0" stop "$dir" || true
	h=$(home)
	[ "$h" != "$dir" ] && rm -rf "$h"
	rm -rf "$dir"
	;;
url)
	echo "host=$(home)/run dbname=tollgate user=tollgate"
	;;
*)
	echo "usage: pg.sh init|start|stop|destroy|url DIR" >&2
	exit 2
	;;
esac
