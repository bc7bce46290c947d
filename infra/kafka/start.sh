#!/usr/bin/env bash
# Starts a real single-node Apache Kafka broker (KRaft, combined broker + controller) on
# loopback, in the background, and returns once it serves clients.
#
#   KAFKA_PORT (9092)              client listener, 127.0.0.1 only
#   KAFKA_CONTROLLER_PORT (9093)   KRaft controller listener, 127.0.0.1 only
#   CLIENTAPPS_KAFKA_STATE_DIR     config, data, log and pid file
#                                  (default ${TMPDIR:-/tmp}/clientapps-kafka-<KAFKA_PORT>)
#   CLIENTAPPS_KAFKA_HOME          where install.sh put the jars
#   KAFKA_HEAP_OPTS (-Xmx512m)     JVM heap flags
#   KAFKA_START_TIMEOUT (90)       seconds to wait for readiness
#
# On success the only line on stdout is KAFKA_BROKERS=127.0.0.1:<port>, so a caller can
# `line="$(infra/kafka/start.sh)" && export "$line"` or append it to an env file; progress
# goes to stderr. (Not `export "$(…)"`: export's own status would hide a failed start.)
# Restarting with the same state directory keeps the data: storage is formatted only once.
# On failure the broker is killed (no orphan left behind) and the log tail is printed.
# Stop with infra/kafka/stop.sh (same variables).
set -euo pipefail

# shellcheck source-path=SCRIPTDIR source=common.sh
. "$(dirname "${BASH_SOURCE[0]}")/common.sh"

start_timeout="${KAFKA_START_TIMEOUT:-90}"
case "${start_timeout}" in '' | *[!0-9]*) kafka_die "KAFKA_START_TIMEOUT must be whole seconds, got '${start_timeout}'" ;; esac
brokers="127.0.0.1:${kafka_port}"

"${kafka_script_dir}/install.sh"

# Already running for this state directory: starting is a no-op, like install.sh.
existing_pid="$(kafka_read_pid)"
if kafka_is_our_broker "${existing_pid}"; then
  if kafka_port_open "${kafka_port}"; then
    kafka_log "broker already running (pid ${existing_pid}, state ${kafka_state_dir})"
    echo "KAFKA_BROKERS=${brokers}"
    exit 0
  fi
  kafka_die "a broker for ${kafka_state_dir} runs (pid ${existing_pid}) but 127.0.0.1:${kafka_port} does not answer; it may still be starting, or run infra/kafka/stop.sh first"
fi
rm -f "${kafka_pid_file}"

# Fail fast with a clear message instead of a bind error buried in the broker log.
for port in "${kafka_port}" "${kafka_controller_port}"; do
  if kafka_port_open "${port}"; then
    kafka_die "127.0.0.1:${port} is already in use by another process; set KAFKA_PORT / KAFKA_CONTROLLER_PORT"
  fi
done

mkdir -p "${kafka_state_dir}" "${kafka_data_dir}"
touch "${kafka_state_marker}"

# Rewritten on every start (it holds no state; the data does), so a changed port applies.
# Single node: every replication factor and min ISR is 1, or internal topics (consumer
# offsets, transactions) could never be created. No auto-created topics: the application
# must create what it uses, as it will have to in production.
cat >"${kafka_config}" <<PROPERTIES
# Written by infra/kafka/start.sh on every start; edit the script, not this file.
process.roles=broker,controller
node.id=1
controller.quorum.voters=1@127.0.0.1:${kafka_controller_port}
listeners=PLAINTEXT://127.0.0.1:${kafka_port},CONTROLLER://127.0.0.1:${kafka_controller_port}
advertised.listeners=PLAINTEXT://127.0.0.1:${kafka_port}
listener.security.protocol.map=PLAINTEXT:PLAINTEXT,CONTROLLER:PLAINTEXT
controller.listener.names=CONTROLLER
inter.broker.listener.name=PLAINTEXT
log.dirs=${kafka_data_dir}

num.partitions=1
default.replication.factor=1
min.insync.replicas=1
offsets.topic.replication.factor=1
transaction.state.log.replication.factor=1
transaction.state.log.min.isr=1
# 50 partitions each by default: on one node that is 100 logs (with preallocated index files)
# to create and load before the first consumer group or transaction works.
offsets.topic.num.partitions=1
transaction.state.log.num.partitions=1

# Tests join consumer groups constantly; the default 3 s wait for more members is dead time.
group.initial.rebalance.delay.ms=0
auto.create.topics.enable=false
PROPERTIES

# Kafka 3.x logs through log4j 1.x (reload4j); without a configuration it logs nothing, and
# readiness below is read from the log. Everything goes to stdout, redirected to kafka.log.
cat >"${kafka_log4j_config}" <<'PROPERTIES'
# Written by infra/kafka/start.sh on every start.
log4j.rootLogger=INFO, stdout
log4j.appender.stdout=org.apache.log4j.ConsoleAppender
log4j.appender.stdout.layout=org.apache.log4j.PatternLayout
log4j.appender.stdout.layout.ConversionPattern=[%d] %p %m (%c)%n
log4j.logger.kafka.request.logger=WARN
log4j.logger.org.apache.kafka.clients=WARN
PROPERTIES

read -r -a heap_opts <<<"${KAFKA_HEAP_OPTS:--Xmx512m}"
java_cmd=("${kafka_java}" "${heap_opts[@]}" -Djava.awt.headless=true
  "-Dlog4j.configuration=file:${kafka_log4j_config}" -cp "${kafka_libs}/*")

# Format once. meta.properties is what StorageTool writes; finding it means the storage holds
# a cluster already, and formatting again would refuse (or, forced, lose the data the fault
# tests expect to survive a restart).
if [ ! -f "${kafka_data_dir}/meta.properties" ]; then
  # A cluster id is 16 random bytes in URL-safe base64 without padding (22 chars), as
  # `StorageTool random-uuid` prints, minus a JVM start. Like Kafka's Uuid.randomUuid, avoid
  # a leading '-', which the argument parser would take for an option.
  cluster_id='-'
  while [ "${cluster_id#-}" != "${cluster_id}" ]; do
    cluster_id="$(head -c 16 /dev/urandom | base64 | tr '+/' '-_' | tr -d '=\n')"
  done
  kafka_log "formatting storage in ${kafka_data_dir} (cluster id ${cluster_id})"
  if ! format_output="$("${java_cmd[@]}" kafka.tools.StorageTool format -t "${cluster_id}" -c "${kafka_config}" 2>&1)"; then
    echo "${format_output}" >&2
    kafka_die "formatting the storage failed"
  fi
fi

# The log is appended across restarts (the fault tests' history stays in one file); readiness
# looks only at what this start writes, past the current end.
touch "${kafka_log_file}"
log_offset="$(wc -c <"${kafka_log_file}" | tr -d ' ')"
new_log() { tail -c "+$((log_offset + 1))" "${kafka_log_file}"; }

broker_pid=''
launcher_pid=''
ready=false
# Whatever ends this script before the broker is ready (timeout, crash, Ctrl-C, CI killing
# the step) must not leave a broker behind holding the ports and the data directory lock.
cleanup() {
  local pid="${broker_pid:-$(kafka_read_pid)}"
  if [ "${ready}" != true ]; then
    for p in "${pid}" "${launcher_pid}"; do
      if [ -n "${p}" ] && kafka_alive "${p}"; then kafka_terminate "${p}" 10 || true; fi
    done
    rm -f "${kafka_pid_file}"
  fi
}
trap cleanup EXIT
trap 'exit 130' INT
trap 'exit 143' TERM HUP

kafka_log "starting broker on ${brokers} (controller 127.0.0.1:${kafka_controller_port}, state ${kafka_state_dir})"
# setsid: its own session, so the broker outlives this script and the developer's Ctrl-C or
# closed terminal does not reach it; stop.sh ends it. The inner sh writes its own pid and
# execs java, so the pid file holds the JVM's pid even if setsid has to fork.
# All three standard streams are redirected: a broker holding the caller's stdout open would
# make `$(start.sh)` wait forever.
launcher=()
if command -v setsid >/dev/null 2>&1; then launcher=(setsid); fi
# shellcheck disable=SC2016 # $$, $0 and $@ belong to the inner sh, not to this shell
${launcher[@]+"${launcher[@]}"} sh -c 'echo "$$" >"$0.tmp" && mv "$0.tmp" "$0" && exec "$@"' \
  "${kafka_pid_file}" "${java_cmd[@]}" kafka.Kafka "${kafka_config}" \
  </dev/null >>"${kafka_log_file}" 2>&1 &
launcher_pid=$!

fail() {
  echo "---- last lines of ${kafka_log_file} ----" >&2
  new_log | tail -n 40 >&2
  echo "----" >&2
  kafka_die "$*"
}

# Ready = Kafka says so AND the client port accepts a connection. "Kafka Server started" is
# logged by KafkaRaftServer once controller and broker have both started: metadata caught up,
# broker unfenced, listeners accepting. The port alone is not that promise: when the listener
# opens relative to the rest of startup is an implementation detail (in 3.9 it happens to be
# just before the line). Both are cheap, so both are required; kafkajs is not used so that this
# script needs nothing but Java.
deadline=$((SECONDS + start_timeout))
while :; do
  if [ -z "${broker_pid}" ] && [ -s "${kafka_pid_file}" ]; then broker_pid="$(kafka_read_pid)"; fi
  if [ -n "${broker_pid}" ]; then
    kafka_alive "${broker_pid}" || fail "the broker exited during startup"
  elif ! kafka_alive "${launcher_pid}"; then
    fail "the broker could not be launched"
  fi
  # grep without -q reads to the end: -q would exit at the match and, under pipefail, tail's
  # SIGPIPE would turn a found line into a failure.
  if [ -n "${broker_pid}" ] && new_log | grep -F 'Kafka Server started' >/dev/null && kafka_port_open "${kafka_port}"; then
    break
  fi
  if [ "${SECONDS}" -ge "${deadline}" ]; then
    fail "the broker was not ready within ${start_timeout}s (KAFKA_START_TIMEOUT); it has been stopped"
  fi
  sleep 0.25
done

ready=true
kafka_log "broker ready after ${SECONDS}s (pid ${broker_pid}, log ${kafka_log_file})"
echo "KAFKA_BROKERS=${brokers}"
