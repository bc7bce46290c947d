# shellcheck shell=bash
# Sourced by install.sh, start.sh and stop.sh so the three agree on one version, one cache
# directory, one state directory and one way of recognising "our" broker process.
# Not executable on purpose: it only defines variables and functions.
# The variables are used by the scripts that source this file, which shellcheck cannot see
# when it checks this file on its own.
# shellcheck disable=SC2034

# Must match the <version> of kafka_2.13 in pom.xml; it names the cache directory so that a
# version bump installs next to, not over, the jars a running broker may still have open.
kafka_version=3.9.1

kafka_script_dir="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"

# Jars live outside the repository: 70-odd MB that must survive `git clean` and be shared
# by every checkout on the machine.
kafka_home="${CLIENTAPPS_KAFKA_HOME:-${XDG_CACHE_HOME:-${HOME}/.cache}/clientapps/kafka-${kafka_version}}"
kafka_libs="${kafka_home}/libs"
# Written last by install.sh: a libs directory without it is an interrupted download.
kafka_install_marker="${kafka_home}/.installed"

kafka_port="${KAFKA_PORT:-9092}"
kafka_controller_port="${KAFKA_CONTROLLER_PORT:-9093}"

# One state directory per client port, so two brokers on different ports (parallel CI jobs)
# never share data. ${TMPDIR%/}: macOS's TMPDIR ends with a slash.
kafka_tmp="${TMPDIR:-/tmp}"
kafka_state_dir="${CLIENTAPPS_KAFKA_STATE_DIR:-${kafka_tmp%/}/clientapps-kafka-${kafka_port}}"
kafka_config="${kafka_state_dir}/server.properties"
kafka_log4j_config="${kafka_state_dir}/log4j.properties"
kafka_data_dir="${kafka_state_dir}/data"
kafka_log_file="${kafka_state_dir}/kafka.log"
kafka_pid_file="${kafka_state_dir}/kafka.pid"
# Only directories carrying this file are ever deleted by `stop.sh --purge`, so a mistyped
# CLIENTAPPS_KAFKA_STATE_DIR (say, $HOME) cannot be wiped.
kafka_state_marker="${kafka_state_dir}/.clientapps-kafka-state"

# Honour JAVA_HOME like Kafka's own scripts do; otherwise whatever `java` is on PATH.
kafka_java="${JAVA_HOME:+${JAVA_HOME}/bin/}java"

kafka_log() { echo "kafka: $*" >&2; }
kafka_die() { echo "kafka: error: $*" >&2; exit 1; }

kafka_check_port() { # name value
  case "$2" in
    '' | *[!0-9]*) kafka_die "$1 must be a port number, got '$2'" ;;
  esac
  if [ "$2" -lt 1 ] || [ "$2" -gt 65535 ]; then kafka_die "$1 out of range: $2"; fi
}
kafka_check_port KAFKA_PORT "${kafka_port}"
kafka_check_port KAFKA_CONTROLLER_PORT "${kafka_controller_port}"
[ "${kafka_port}" != "${kafka_controller_port}" ] ||
  kafka_die "KAFKA_PORT and KAFKA_CONTROLLER_PORT must differ (both ${kafka_port})"

kafka_installed() {
  [ -f "${kafka_install_marker}" ] && [ -f "${kafka_libs}/kafka_2.13-${kafka_version}.jar" ]
}

# True while something listens on 127.0.0.1:<port>. Bash's /dev/tcp needs no nc/ss, which a
# bare machine may lack; on loopback a closed port is refused at once, so no timeout needed.
kafka_port_open() {
  (: <"/dev/tcp/127.0.0.1/$1") 2>/dev/null
}

# Alive and not a zombie. A zombie still answers kill -0, and in containers whose PID 1 does
# not reap, a stopped broker can linger as one; treating it as alive would hang stop.sh.
kafka_alive() {
  local pid="$1" state
  kill -0 "${pid}" 2>/dev/null || return 1
  if [ -r "/proc/${pid}/stat" ]; then
    # Field 3 of /proc/<pid>/stat, after the parenthesised command name.
    state="$(sed -e 's/^.*) //' "/proc/${pid}/stat" 2>/dev/null | cut -d' ' -f1)" || return 1
  elif command -v ps >/dev/null 2>&1; then
    state="$(ps -o stat= -p "${pid}" 2>/dev/null)" || return 1
  else
    return 0
  fi
  case "${state}" in Z* | X* | '') return 1 ;; esac
}

# The pid file may be stale and its number reused by an unrelated process: only a live
# kafka.Kafka started with this state directory's config counts as our broker.
kafka_is_our_broker() {
  local pid="$1" cmdline
  case "${pid}" in '' | *[!0-9]*) return 1 ;; esac
  kafka_alive "${pid}" || return 1
  if [ -r "/proc/${pid}/cmdline" ]; then
    cmdline="$(tr '\0' ' ' <"/proc/${pid}/cmdline" 2>/dev/null)" || return 1
  elif command -v ps >/dev/null 2>&1; then
    cmdline="$(ps -o args= -p "${pid}" 2>/dev/null)" || return 1
  else
    return 1
  fi
  case "${cmdline}" in *"kafka.Kafka ${kafka_config}"*) return 0 ;; esac
  return 1
}

kafka_read_pid() {
  local pid=''
  if [ -f "${kafka_pid_file}" ]; then pid="$(head -n 1 "${kafka_pid_file}" 2>/dev/null || true)"; fi
  echo "${pid}"
}

# SIGTERM lets Kafka shut down cleanly (flushes logs, writes the clean-shutdown marker, so the
# next start skips log recovery); SIGKILL only if it has not exited within the timeout.
kafka_terminate() { # pid timeout-seconds
  local pid="$1" timeout="$2" waited=0
  kill -TERM "${pid}" 2>/dev/null || true
  while kafka_alive "${pid}"; do
    if [ "${waited}" -ge $((timeout * 10)) ]; then
      kafka_log "broker (pid ${pid}) still running after ${timeout}s, sending SIGKILL"
      kill -KILL "${pid}" 2>/dev/null || true
      waited=0
      while kafka_alive "${pid}" && [ "${waited}" -lt 50 ]; do sleep 0.1; waited=$((waited + 1)); done
      break
    fi
    sleep 0.1
    waited=$((waited + 1))
  done
  ! kafka_alive "${pid}"
}
