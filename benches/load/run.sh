#!/usr/bin/env bash
# Load test against the release binary with a realistic dataset (200 players,
# 30 finished tournaments, one live 24-player Americano), using wrk.
# Usage: bash benches/load/run.sh [sqlite|postgres]   (run by hand, not in CI)
# Reports requests/s, p50/p99 latency and server CPU time per request.
set -euo pipefail
cd "$(dirname "$0")/../.."
backend=${1:-sqlite}
DURATION=${DURATION:-10s}
CONNS=${CONNS:-256}
THREADS=${THREADS:-2}
PORT=${PORT:-18080}
command -v wrk >/dev/null || { echo "wrk is needed: apt-get install wrk"; exit 1; }
cargo build --release --quiet
cargo bench --quiet --bench sse_fanout --no-run 2>/dev/null
BIN=${CARGO_TARGET_DIR:-target}/release/tornetic
work=$(mktemp -d)
# The server log is kept (target/load-server.log) so an odd answer can be explained afterwards.
keep_log() { cp "$work/server.log" "${CARGO_TARGET_DIR:-target}/load-server.log" 2>/dev/null || true; }
trap 'kill $(cat "$work/pid" 2>/dev/null) 2>/dev/null || true; keep_log; rm -rf "$work"' EXIT
if [ "$backend" = postgres ]; then
  db="tornetic_load_$$"
  psql -h 127.0.0.1 -U postgres -d test -qc "create database $db"
  export DATABASE_URL="postgres://postgres@127.0.0.1:5432/$db"
  trap 'kill $(cat "$work/pid" 2>/dev/null) 2>/dev/null || true; keep_log; psql -h 127.0.0.1 -U postgres -d test -qc "drop database if exists $db with (force)"; rm -rf "$work"' EXIT
else
  export DATABASE_URL="sqlite://$work/load.db"
fi
export TORNETIC_SECRET_KEY=load-test-secret-key-0123456789-abcdefghij TORNETIC_BIND=127.0.0.1:$PORT RUST_LOG=warn TORNETIC_AUTH_RATE_PER_MINUTE=100000
live=$("$BIN" demo --large | sed -n 's/^live tournament: //p')
(ulimit -n "$(ulimit -Hn)" 2>/dev/null || true; exec "$BIN" > "$work/server.log" 2>&1) & echo $! > "$work/pid"
pid=$(cat "$work/pid")
for _ in $(seq 1 50); do curl -fs "http://127.0.0.1:$PORT/health" >/dev/null && break; sleep 0.2; done

# A signed-in organizer session for score saves.
jar="$work/jar"
csrf=$(curl -s -c "$jar" -b "$jar" "http://127.0.0.1:$PORT/signin" | sed -n 's/.*name="csrf_token" value="\([0-9a-f]*\)".*/\1/p' | head -1)
curl -s -c "$jar" -b "$jar" -o /dev/null --data-urlencode "email=demo@tornetic.club" --data-urlencode "password=courtside-demo" --data-urlencode "csrf_token=$csrf" "http://127.0.0.1:$PORT/signin"
cookie=$(awk '$6=="tornetic_session"{print $6"="$7}' "$jar")
# Unplayed matches of the live tournament's round N (its first half is scored).
round_ids() { curl -s -b "$jar" "http://127.0.0.1:$PORT/tournaments/$live/rounds/$1" | grep -o 'action="/matches/[0-9]*/score"' | grep -o '[0-9]*' | paste -sd, -; }

cpu_ticks() { awk '{print $14+$15}' "/proc/$pid/stat"; }
hz=$(getconf CLK_TCK)
run() { # name, wrk args...
  local name=$1; shift
  local before after reqs
  # Let the previous run's queued requests drain (a slow page leaves ~0.4 s of
  # work behind), so they do not land in this run's latency tail.
  sleep 2
  before=$(cpu_ticks)
  out=$(wrk --latency "$@")
  after=$(cpu_ticks)
  reqs=$(echo "$out" | awk '/requests in/{print $1}')
  rps=$(echo "$out" | awk '/Requests\/sec/{print $2}')
  p50=$(echo "$out" | awk '$1=="50%"{print $2}')
  p99=$(echo "$out" | awk '$1=="99%"{print $2}')
  errs=$(echo "$out" | awk '/Non-2xx/{print $5}')
  cpu_us=$(awk -v t=$((after-before)) -v hz="$hz" -v n="$reqs" 'BEGIN{printf "%.0f", t*1e6/hz/n}')
  printf "| %-28s | %9s | %8s | %8s | %6s | %s |\n" "$name" "$rps" "$p50" "$p99" "$cpu_us" "${errs:-0}"
}
echo "backend: $backend, live tournament $live, $CONNS connections, $THREADS threads, $DURATION each"
echo "| endpoint | req/s | p50 | p99 | CPU µs/req | non-2xx |"
echo "|---|---:|---:|---:|---:|---:|"
if [ -z "${SSE_ONLY:-}" ]; then
run "home page" -t"$THREADS" -c"$CONNS" -d"$DURATION" "http://127.0.0.1:$PORT/"
run "tournament page" -t"$THREADS" -c"$CONNS" -d"$DURATION" "http://127.0.0.1:$PORT/tournaments/$live"
run "leaderboard fragment" -t"$THREADS" -c"$CONNS" -d"$DURATION" "http://127.0.0.1:$PORT/tournaments/$live/standings"
run "leaderboard 304 (ETag)" -t"$THREADS" -c"$CONNS" -d"$DURATION" -H "If-None-Match: $(curl -sI "http://127.0.0.1:$PORT/tournaments/$live/standings" | awk -F': ' 'tolower($1)=="etag"{print $2}' | tr -d '\r')" "http://127.0.0.1:$PORT/tournaments/$live/standings"
fi
# SSE fan-out: save -> fragment received by every subscriber.
echo
echo "| SSE fan-out | p50 | p99 | max | missed | memory |"
echo "|---|---|---|---|---|---|"
for n in ${SSE_STREAMS:-1000 5000}; do
  round=$(( ${round:-10} + 2 ))
  ids="$(round_ids "$round"),$(round_ids $((round + 1)))"
  cargo bench --quiet --bench sse_fanout -- "127.0.0.1:$PORT" "$live" "$ids" "$cookie" "$csrf" "$n" "$pid"
done

[ -n "${SSE_ONLY:-}" ] && { echo "server RSS: $(awk '/VmRSS/{print $2" "$3}' /proc/$pid/status)"; exit 0; }
echo
ids="$(round_ids 18),$(round_ids 19)"
IDS="$ids" COOKIE="$cookie" CSRF="$csrf" run "score saves (2 conns)" -t2 -c2 -d"$DURATION" -s benches/load/save.lua "http://127.0.0.1:$PORT"
echo "server RSS: $(awk '/VmRSS/{print $2" "$3}' /proc/$pid/status)"

