#!/usr/bin/env bash
# Fetches a real Apache Kafka broker (jars only) from Maven Central into a cache directory
# outside the repository: ${XDG_CACHE_HOME:-~/.cache}/clientapps/kafka-<version>, or
# $CLIENTAPPS_KAFKA_HOME. Maven Central is the one source these machines can reach.
# Idempotent: returns at once when the jars are already there. Safe to run concurrently.
# Messages go to stderr. Maven's own repository (~/.m2, or -Dmaven.repo.local=… in
# MAVEN_OPTS) keeps a second copy of the jars; CI may cache either directory.
set -euo pipefail

# shellcheck source-path=SCRIPTDIR source=common.sh
. "$(dirname "${BASH_SOURCE[0]}")/common.sh"

if kafka_installed; then
  kafka_log "Kafka ${kafka_version} already installed in ${kafka_home}"
  exit 0
fi

command -v mvn >/dev/null 2>&1 || kafka_die "mvn not found; Maven 3.8+ is needed to fetch Kafka from Maven Central"
command -v "${kafka_java}" >/dev/null 2>&1 || kafka_die "java not found (JAVA_HOME=${JAVA_HOME:-unset}); Java 17 is needed"

mkdir -p "${kafka_home}"

# Two CI steps (or a developer's two terminals) may install at once: serialise on a lock
# and re-check, so the second one finds the first one's result instead of downloading again.
if command -v flock >/dev/null 2>&1; then
  exec 9>"${kafka_home}/.install.lock"
  flock 9
  if kafka_installed; then
    kafka_log "Kafka ${kafka_version} installed by a concurrent run in ${kafka_home}"
    exit 0
  fi
fi

# Download into a scratch directory and rename it into place only when complete, so an
# interrupted download never looks like an installation.
tmp_libs="$(mktemp -d "${kafka_home}/libs.tmp.XXXXXX")"

kafka_log "downloading Kafka ${kafka_version} from Maven Central into ${kafka_home} (first run only)"
# Maven's output goes to a file, shown only on failure: it is noise when all goes well, and
# Maven 3.8 writes colour-reset escapes even with -q -B; stdout must stay clean too, since
# start.sh reserves its stdout for the KAFKA_BROKERS=… line.
mvn_log="${tmp_libs}.mvn.log"
trap 'rm -rf "${tmp_libs}" "${mvn_log}"' EXIT
if ! mvn -B -Dstyle.color=never -f "${kafka_script_dir}/pom.xml" \
  dependency:copy-dependencies -DincludeScope=runtime -DoutputDirectory="${tmp_libs}" >"${mvn_log}" 2>&1; then
  tail -n 60 "${mvn_log}" >&2
  kafka_die "mvn dependency:copy-dependencies failed (is Maven Central reachable? proxy settings go in ~/.m2/settings.xml)"
fi

[ -f "${tmp_libs}/kafka_2.13-${kafka_version}.jar" ] ||
  kafka_die "Maven finished but kafka_2.13-${kafka_version}.jar is missing from ${tmp_libs}"

rm -rf "${kafka_libs}"
mv "${tmp_libs}" "${kafka_libs}"
echo "kafka_2.13 ${kafka_version}" >"${kafka_install_marker}"
kafka_log "installed $(find "${kafka_libs}" -name '*.jar' | wc -l | tr -d ' ') jars in ${kafka_libs}"
