#!/usr/bin/env bash
# Stops the FerretDB that start.sh started for ${MONGODB_PORT:-27017} (same state dir
# rules): SIGTERM, so it closes its connections and SQLite files cleanly, then SIGKILL
# after ${FERRETDB_STOP_TIMEOUT:-10}s. Idempotent: nothing running is success.
#   --purge   also delete the state dir (data, log), for a clean next start.
set -euo pipefail

. "$(dirname "${BASH_SOURCE[0]}")/lib.sh"

purge=false
for arg in "$@"; do
  case "${arg}" in
    --purge) purge=true ;;
    *) echo "usage: $0 [--purge]" >&2; exit 2 ;;
  esac
done

timeout_s="${FERRETDB_STOP_TIMEOUT:-10}"

pid="$(running_pid)"
if [ -z "${pid}" ]; then
  echo "ferretdb: not running (state ${state_dir})" >&2
else
  kill -TERM "${pid}" 2>/dev/null || true
  deadline=$(($(date +%s) + timeout_s))
  while is_launcher "${pid}"; do
    if [ "$(date +%s)" -ge "${deadline}" ]; then
      echo "ferretdb: pid ${pid} ignored SIGTERM for ${timeout_s}s; sending SIGKILL" >&2
      kill -KILL "${pid}" 2>/dev/null || true
      # Give the kernel a moment to release the port before a caller restarts on it.
      for _ in 1 2 3 4 5 6 7 8 9 10; do is_launcher "${pid}" || break; sleep 0.1; done
      break
    fi
    sleep 0.1
  done
  echo "ferretdb: stopped pid ${pid}" >&2
fi
rm -f "${pid_file}"

if "${purge}"; then
  # Refuse obviously wrong targets: an empty or root path from a bad override.
  case "${state_dir}" in
    '' | / | "${HOME}" | "${HOME}/") echo "ferretdb: refusing to purge '${state_dir}'" >&2; exit 1 ;;
  esac
  rm -rf "${state_dir}"
  echo "ferretdb: purged ${state_dir}" >&2
fi
