#!/usr/bin/env bash
# Contract proof: schemathesis drives every operation of the served /openapi.json
# against the built embedded service with ALL checks, and fails on any failure.
# Every check is on by default; `--checks all` is not passed because a check named on the
# command line overrides the per-operation settings of schemathesis.toml.
# The service runs as `pnpm start` runs it (see builtService.sh).
set -euo pipefail
cd "$(dirname "$0")/../.."

schemathesis_version="4.32.5"
venv="${SCHEMATHESIS_VENV:-${TMPDIR:-/tmp}/clientapps-schemathesis-${schemathesis_version}}"
if [ ! -x "${venv}/bin/schemathesis" ]; then
  python3 -m venv "${venv}"
  "${venv}/bin/pip" install --quiet --disable-pip-version-check "schemathesis==${schemathesis_version}"
fi

. test/contract/builtService.sh

status=0
config="$(pwd)/test/contract/schemathesis.toml"
# Run from the throwaway directory: schemathesis keeps a cache in its working directory.
(cd "${data_dir}" && "${venv}/bin/schemathesis" --config-file "${config}" run "${base}/openapi.json" \
  --url "${base}" \
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
