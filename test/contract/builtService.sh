# Sourced by the contract scripts: starts the built embedded service as `pnpm start`
# runs it (services/standalone/dist/main.js, built first unless SKIP_BUILD=1), on a free
# port with a throwaway DATA_DIR and its own admin token, both gone when the script exits.
# Sets `base`, `token` and `data_dir`.

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

# Embedded, as `pnpm start` runs it: engine settings the caller exported (CI exports them for
# the test suites) would point this throwaway store at read models another run left behind.
unset MONGODB_URL KAFKA_BROKERS EVENTSTORE_URL

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
