#!/usr/bin/env bash
# Contract proof: schemathesis drives every operation of the served /openapi.json
# against the built embedded service with ALL checks, and fails on any failure.
# The service runs as `pnpm start` runs it (services/standalone/dist/main.js), on a
# free port with a throwaway DATA_DIR, both gone when this script exits.
set -euo pipefail
cd "$(dirname "$0")/../.."

schemathesis_version="4.32.5"
venv="${SCHEMATHESIS_VENV:-${TMPDIR:-/tmp}/clientapps-schemathesis-${schemathesis_version}}"
if [ ! -x "${venv}/bin/schemathesis" ]; then
  python3 -m venv "${venv}"
  "${venv}/bin/pip" install --quiet --disable-pip-version-check "schemathesis==${schemathesis_version}"
fi

if [ "${SKIP_BUILD:-}" != "1" ]; then
  pnpm exec turbo run build --filter=@clientapps/standalone... --output-logs=errors-only
fi

data_dir="$(mktemp -d)"
port="$(node -e 'const s=require("net").createServer().listen(0,"127.0.0.1",()=>{console.log(s.address().port);s.close()})')"
server_pid=""
cleanup() {
  if [ -n "${server_pid}" ]; then kill "${server_pid}" 2>/dev/null || true; wait "${server_pid}" 2>/dev/null || true; fi
  rm -rf "${data_dir}"
}
trap cleanup EXIT

token="$(node services/standalone/dist/main.js admin-token)"
PORT="${port}" OPS_PORT=0 DATA_DIR="${data_dir}" CLIENTAPPS_ADMIN_TOKEN="${token}" LOG_LEVEL="${LOG_LEVEL:-warn}" \
  node services/standalone/dist/main.js >"${data_dir}/service.log" 2>&1 &
server_pid=$!

base="http://127.0.0.1:${port}"
for _ in $(seq 1 100); do
  if curl -fsS "${base}/healthz" >/dev/null 2>&1; then break; fi
  if ! kill -0 "${server_pid}" 2>/dev/null; then cat "${data_dir}/service.log" >&2; exit 1; fi
  sleep 0.2
done

status=0
config="$(pwd)/test/contract/schemathesis.toml"
# Run from the throwaway directory: schemathesis keeps a cache in its working directory.
(cd "${data_dir}" && "${venv}/bin/schemathesis" --config-file "${config}" run "${base}/openapi.json" \
  --url "${base}" \
  --checks all \
  --max-examples "${MAX_EXAMPLES:-30}" \
  --max-time "${MAX_TIME:-100}" \
  --seed "${SEED:-1}" \
  --header "Authorization: Bearer ${token}" \
  --suppress-health-check all \
  --no-color "$@") || status=$?
if [ "${status}" -ne 0 ] && grep -q '"level":"error"\|"level":50' "${data_dir}/service.log"; then
  echo "--- service errors ---" >&2
  grep '"level":"error"\|"level":50' "${data_dir}/service.log" | tail -20 >&2
fi
exit "${status}"
