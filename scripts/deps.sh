#!/usr/bin/env bash
# Makes sure the Debian packages a make target needs are installed: as root it installs
# what is missing with apt-get; otherwise it prints the exact command and stops.
# Usage: scripts/deps.sh build|run|test|walkthrough|bench|fuzz
set -euo pipefail

# Every program a target runs comes from here (or from `npm ci`), never from whatever a
# machine happens to have: caddy, psql and the PostgreSQL server, curl (make run's
# readiness probe, tests), promtool (the /metrics format test), systemd-socket-activate
# (the socket-activation test), chromium with a font of known metrics (the browser tests),
# ffmpeg (make walkthrough's animation and its captions, in DejaVu), wrk, ps and getconf
# (benchmarks: getconf, from libc-bin, gives the clock tick for CPU times).
build=(gcc make pkg-config libfcgi-dev libpq-dev libjansson-dev libsodium-dev libcurl4-openssl-dev libjwt-dev)
run=("${build[@]}" postgresql postgresql-client postgresql-client-common caddy nodejs curl procps ca-certificates)
test=("${run[@]}" libcriterion-dev clang-format prometheus systemd openssl chromium fonts-dejavu-core)
walkthrough=("${test[@]}" ffmpeg)
bench=("${run[@]}" wrk git libc-bin)
fuzz=("${build[@]}" clang libclang-rt-14-dev)

case "${1:-}" in
build) want=("${build[@]}") ;;
run) want=("${run[@]}") ;;
test) want=("${test[@]}") ;;
walkthrough) want=("${walkthrough[@]}") ;;
bench) want=("${bench[@]}") ;;
fuzz) want=("${fuzz[@]}") ;;
*)
	echo "usage: $0 build|run|test|walkthrough|bench|fuzz" >&2
	exit 2
	;;
esac

missing=()
# npm ships with NodeSource's nodejs but is its own package in Debian.
if [ "$1" != build ] && [ "$1" != fuzz ] && ! command -v npm >/dev/null 2>&1; then
	missing+=(npm)
fi
for pkg in "${want[@]}"; do
	# Node.js may come from Debian or from NodeSource; either package is named nodejs.
	if ! dpkg-query -W -f='${Status}' "$pkg" 2>/dev/null | grep -q 'ok installed'; then
		missing+=("$pkg")
	fi
done
[ ${#missing[@]} -eq 0 ] && exit 0

if [ "$(id -u)" -ne 0 ]; then
	echo "Missing Debian packages. Install them with:" >&2
	echo "  sudo apt-get install -y ${missing[*]}" >&2
	exit 1
fi
echo "Installing: ${missing[*]}" >&2
export DEBIAN_FRONTEND=noninteractive
apt-get update -qq
apt-get install -y -qq --no-install-recommends "${missing[@]}" >&2
# The caddy and postgresql packages start system services we do not use.
for svc in caddy postgresql prometheus prometheus-node-exporter; do
	if command -v systemctl >/dev/null 2>&1 && systemctl is-active --quiet "$svc" 2>/dev/null; then
		systemctl stop "$svc" || true
	fi
done
