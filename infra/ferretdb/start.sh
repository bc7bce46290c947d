#!/usr/bin/env bash
# Starts FerretDB (MongoDB wire protocol, SQLite files) in the background on
# 127.0.0.1:${MONGODB_PORT:-27017}, builds it first if needed, waits until it answers a
# MongoDB `hello`, and prints `MONGODB_URL=mongodb://127.0.0.1:<port>/` on stdout (all
# other output goes to stderr): `line="$(infra/ferretdb/start.sh)" && export "$line"`.
# (Assign first: `export "$(…)"` would hide a failed start behind export's own status.)
#
# State (data/, ferretdb.log, ferretdb.pid) lives in
# ${CLIENTAPPS_FERRETDB_STATE_DIR:-${TMPDIR:-/tmp}/clientapps-ferretdb-<port>}; a restart
# with the same state dir keeps the data. Idempotent: if it is already running there and
# answers, it just prints the URL again. Stop it with stop.sh.
set -euo pipefail

here="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
. "${here}/lib.sh"

timeout_s="${FERRETDB_START_TIMEOUT:-30}"
# error keeps the log to real failures; warn also dumps every command answered with ok: 0.
log_level="${FERRETDB_LOG_LEVEL:-error}"
addr="127.0.0.1:${mongodb_port}"
url="mongodb://${addr}/"

bin="$("${here}/install.sh")"

pid="$(running_pid)"
if [ -n "${pid}" ]; then
  if "${bin}" -ping "${addr}" 2>/dev/null; then
    echo "ferretdb: already running (pid ${pid}, state ${state_dir})" >&2
    echo "MONGODB_URL=${url}"
    exit 0
  fi
  echo "ferretdb: pid ${pid} from ${pid_file} is running but does not answer on ${addr}; stop it with stop.sh" >&2
  exit 1
fi

# Something else answering MongoDB on the port (a real mongod, another state dir's
# FerretDB) would make our own readiness probe pass while our process fails to bind.
if "${bin}" -ping "${addr}" 2>/dev/null; then
  echo "ferretdb: something already answers MongoDB on ${addr} (not ours: no live pid in ${pid_file}); choose another MONGODB_PORT" >&2
  exit 1
fi

mkdir -p "${data_dir}"
# Keep the previous run's log for post-mortems (a fault test restarts on purpose),
# and start a fresh one so the checks below only see this run.
[ -f "${log_file}" ] && mv -f "${log_file}" "${log_file}.1"
rm -f "${pid_file}"

started="$(date +%s%N)"
# nohup + stdin from /dev/null: the server outlives this script and the terminal that ran it.
nohup "${bin}" -port "${mongodb_port}" -data-dir "${data_dir}" -log-level "${log_level}" \
  </dev/null >>"${log_file}" 2>&1 &
pid=$!
echo "${pid}" >"${pid_file}"

fail() {
  echo "ferretdb: $1; last lines of ${log_file}:" >&2
  if [ -s "${log_file}" ]; then tail -n 30 "${log_file}" >&2; else echo "  (empty)" >&2; fi
  exit 1
}

deadline=$(($(date +%s) + timeout_s))
while :; do
  if ! kill -0 "${pid}" 2>/dev/null; then
    rm -f "${pid_file}"
    fail "the server exited during startup"
  fi
  # Ready = our process logged that it bound the port (so the answer is not from some
  # other server) AND a real OP_MSG hello round trip succeeds (so the handler is up).
  if grep -q "ferretdb-launcher: listening on ${addr}" "${log_file}" 2>/dev/null &&
    "${bin}" -ping "${addr}" 2>/dev/null; then
    break
  fi
  if [ "$(date +%s)" -ge "${deadline}" ]; then
    # Do not leave a half-started server behind holding the port.
    kill -TERM "${pid}" 2>/dev/null || true
    sleep 1
    kill -KILL "${pid}" 2>/dev/null || true
    rm -f "${pid_file}"
    fail "not ready on ${addr} after ${timeout_s}s"
  fi
  sleep 0.1
done

elapsed_ms=$((($(date +%s%N) - started) / 1000000))
echo "ferretdb: ready on ${addr} in ${elapsed_ms}ms (pid ${pid}, state ${state_dir})" >&2
echo "MONGODB_URL=${url}"
