#!/bin/bash
# HTTP benchmark (issue 5) with wrk, 64 connections, against a real `piseruma serve` on a
# fresh data directory on this machine:
#   GET /v1/cases/{id}            (caseworker; ?personal=false, then with the personal
#                                  fields, which appends an access record per read)
#   POST /v1/cases/{id}/commands  (AddNote across many cases; each one durable)
# Usage: bench/http_bench.sh [seconds=15] [connections=64]. Needs wrk and a release build
# (cmake --preset release && cmake --build --preset release --target piseruma), or PISERUMA_BIN=path.
# ONLY=get|personal|post runs one of the three. Each run also prints the server's CPU time
# per request (user+system, from /proc): on this 2-core machine wrk and the server share the
# cores, so throughput swings with the machine's load while CPU per request holds steady.
set -euo pipefail
cd "$(dirname "$0")/.."
SECONDS_EACH=${1:-15}
CONNECTIONS=${2:-64}
BIN=${PISERUMA_BIN:-build/release/api/piseruma}  # another build, e.g. to compare before/after
command -v wrk >/dev/null || { echo "http_bench: wrk is missing (apt-get install wrk)"; exit 2; }
[ -x "$BIN" ] || { echo "http_bench: build the release preset first"; exit 2; }

DATA=$(mktemp -d /tmp/piseruma-http-bench.XXXX)
PORT=$((20000 + RANDOM % 20000))
WORK=$(mktemp -d)
trap 'kill $SERVER 2>/dev/null; wait $SERVER 2>/dev/null; rm -rf "$DATA" "$WORK"' EXIT

"$BIN" serve --data "$DATA" --port "$PORT" --create-admin admin --access-log none > "$WORK/serve.log" 2>&1 &
SERVER=$!
for _ in $(seq 100); do curl -sf "http://127.0.0.1:$PORT/healthz" >/dev/null && break; sleep 0.1; done
ADMIN=$(grep -o 'psr_[0-9a-f]*' "$WORK/serve.log" | head -1)
CW=$(curl -sf -H "Authorization: Bearer $ADMIN" -H 'Content-Type: application/json' \
  -d '{"user_id":"u-bench","role":"caseworker","cities":["Rabat"]}' "http://127.0.0.1:$PORT/v1/admin/users" |
  grep -o 'psr_[0-9a-f]*')

echo "http_bench: registering 300 cases…"
TODAY=$(date -u +%F)
for i in $(seq 300); do
  curl -sf -H "Authorization: Bearer $CW" -H 'Content-Type: application/json' -X POST "http://127.0.0.1:$PORT/v1/cases" \
    -d "{\"data\":{\"unhcr_id\":\"MOR-$i\",\"full_name\":\"Bench Synthétique $i\",\"sex\":\"female\",\"date_of_birth\":\"1990-01-01\",\"nationality\":\"Syria\",\"city\":\"Rabat\",\"registered_on\":\"$TODAY\"}}" |
    grep -o '"id":"[^"]*"' | cut -d'"' -f4
done > "$WORK/ids"

IDS=$(sed 's/.*/"&"/' "$WORK/ids" | paste -sd, -)
cat > "$WORK/get.lua" <<LUA
local ids = {$IDS}
local suffix = os.getenv("SUFFIX") or ""
wrk.headers["Authorization"] = "Bearer $CW"
request = function() return wrk.format("GET", "/v1/cases/" .. ids[math.random(#ids)] .. suffix) end
LUA
cat > "$WORK/post.lua" <<LUA
local ids = {$IDS}
wrk.method = "POST"
wrk.headers["Authorization"] = "Bearer $CW"
wrk.headers["Content-Type"] = "application/json"
wrk.body = '{"command":"AddNote","data":{"text":"Appel de suivi","noted_on":"$TODAY"}}'
request = function() return wrk.format(nil, "/v1/cases/" .. ids[math.random(#ids)] .. "/commands") end
LUA

ONLY=${ONLY:-}
cpu_ticks() { awk '{print $14 + $15}' "/proc/$SERVER/stat"; }
run() {
  [ -z "$ONLY" ] || [ "$ONLY" = "$4" ] || return 0
  echo "== $1"
  local before after
  before=$(cpu_ticks)
  SUFFIX="$2" wrk -t2 -c"$CONNECTIONS" -d"${SECONDS_EACH}s" --latency -s "$3" "http://127.0.0.1:$PORT" > "$WORK/wrk.out"
  after=$(cpu_ticks)
  grep -E "Requests/sec|Latency |  50%|  99%|Non-2xx|Socket errors" "$WORK/wrk.out"
  awk -v ticks=$((after - before)) -v hz="$(getconf CLK_TCK)" '/requests in/ {
    printf "Server CPU:     %.0f us/request (%.2f cores)\n", ticks / hz * 1e6 / $1, ticks / hz / '"$SECONDS_EACH"' }' "$WORK/wrk.out"
}
run "GET /v1/cases/{id}?personal=false" "?personal=false" "$WORK/get.lua" get
run "GET /v1/cases/{id} (personal fields, access record appended)" "" "$WORK/get.lua" personal
run "POST /v1/cases/{id}/commands (AddNote, durable)" "" "$WORK/post.lua" post
curl -s "http://127.0.0.1:$PORT/metrics" | grep -E "^piseruma_(group_commit|events_appended|appends)"
