#!/usr/bin/env bash
# Drives the built standalone service with wrk, one operation at a time, on a fresh data directory:
# the server pinned to CPU 0, wrk to CPU 1, 50 connections, 10 s per run, RUNS runs per operation.
#   test/bench/scripts/run.sh [create|update|rotate|get|introspect ...]
# SERVICE_ENTRY runs another build (default: this checkout's services/standalone/dist/main.js);
# NODE_FLAGS are passed to the server's node (e.g. --cpu-prof --cpu-prof-dir=/tmp/profile).
set -euo pipefail
here="$(cd "$(dirname "$0")" && pwd)"
root="$(cd "$here/../../.." && pwd)"
ops=("${@:-create update rotate get introspect}")
entry="${SERVICE_ENTRY:-$root/services/standalone/dist/main.js}"
runs="${RUNS:-3}"
port="${PORT:-18480}"
data="$(mktemp -d)"
export TOKEN
TOKEN="$(node "$entry" admin-token)"
CLIENTAPPS_ADMIN_TOKEN="$TOKEN" DATA_DIR="$data" PORT="$port" LOG_LEVEL="${LOG_LEVEL:-info}" \
  taskset -c 0 node ${NODE_FLAGS:-} "$entry" >"$data/server.log" 2>&1 &
server=$!
trap 'kill $server 2>/dev/null; wait $server 2>/dev/null; rm -rf "$data"' EXIT
base="http://127.0.0.1:$port"
for _ in $(seq 100); do curl -sf "$base/healthz" >/dev/null 2>&1 && break; sleep 0.1; done
export CLIENTS="${CLIENTS:-100}"
for i in $(seq "$CLIENTS"); do
  created="$(curl -sf -X POST "$base/api/v1/clientapplications" -H "Authorization: Bearer $TOKEN" -H 'Content-Type: application/json' \
    -d '{"clientId":"bench-target-'"$i"'","displayName":"Bench target","redirectUris":["https://app.example.com/callback"]}')"
done
# The introspection checks the secret of a client no other run rotates.
created="$(curl -sf -X POST "$base/api/v1/clientapplications" -H "Authorization: Bearer $TOKEN" -H 'Content-Type: application/json' \
  -d '{"clientId":"bench-introspected","displayName":"Bench introspected"}')"
export CLIENT_ID=bench-introspected
export CLIENT_SECRET
CLIENT_SECRET="$(node -e 'process.stdout.write(JSON.parse(process.argv[1]).clientSecret)' "$created")"
for op in ${ops[*]}; do
  for run in $(seq "$runs"); do
    out="$(taskset -c 1 wrk -t1 -c50 -d10s --latency -s "$here/$op.lua" "$base" 2>&1)"
    rate="$(awk '/Requests\/sec/ {print $2}' <<<"$out")"
    p50="$(awk '$1 == "50%" {print $2}' <<<"$out")"
    p99="$(awk '$1 == "99%" {print $2}' <<<"$out")"
    bad="$(awk '/Non-2xx/ {print $5}' <<<"$out")"
    echo "$op run $run: ${rate}/s p50 $p50 p99 $p99 non-2xx ${bad:-0}"
  done
done
