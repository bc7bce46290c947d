#!/usr/bin/env bash
# Stops the broker that infra/kafka/start.sh started for this state directory (same
# variables: KAFKA_PORT, CLIENTAPPS_KAFKA_STATE_DIR). Idempotent: nothing running is fine.
#
#   stop.sh           SIGTERM, then SIGKILL after KAFKA_STOP_TIMEOUT (30) seconds; the data
#                     stays, and the next start.sh serves it again
#   stop.sh --purge   the same, then deletes the state directory (config, data, log)
set -euo pipefail

purge=false
case "${1:-}" in
  '') ;;
  --purge) purge=true ;;
  -h | --help) sed -n '2,8s/^# \{0,1\}//p' "${BASH_SOURCE[0]}"; exit 0 ;;
  *) echo "usage: $0 [--purge]" >&2; exit 2 ;;
esac

# shellcheck source-path=SCRIPTDIR source=common.sh
. "$(dirname "${BASH_SOURCE[0]}")/common.sh"

stop_timeout="${KAFKA_STOP_TIMEOUT:-30}"
case "${stop_timeout}" in '' | *[!0-9]*) kafka_die "KAFKA_STOP_TIMEOUT must be whole seconds, got '${stop_timeout}'" ;; esac

pid="$(kafka_read_pid)"
if kafka_is_our_broker "${pid}"; then
  kafka_log "stopping broker (pid ${pid}, state ${kafka_state_dir})"
  started=${SECONDS}
  kafka_terminate "${pid}" "${stop_timeout}" || kafka_die "broker (pid ${pid}) survived SIGKILL"
  kafka_log "broker stopped after $((SECONDS - started))s"
else
  # A pid file whose process is gone, or now belongs to something else: never signal it.
  kafka_log "no broker running for ${kafka_state_dir}"
fi
rm -f "${kafka_pid_file}"

if [ "${purge}" = true ] && [ -d "${kafka_state_dir}" ]; then
  # Only a directory start.sh created (it carries the marker) is deleted.
  [ -f "${kafka_state_marker}" ] ||
    kafka_die "refusing to delete ${kafka_state_dir}: it was not created by infra/kafka/start.sh"
  rm -rf "${kafka_state_dir}"
  kafka_log "removed ${kafka_state_dir}"
fi
