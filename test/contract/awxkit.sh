#!/usr/bin/env bash
# Compatibility proof: AWX's own command-line client (awxkit, from PyPI) manages
# applications through /api/v2/applications/ of the built embedded service with a
# Bearer token (create, list, get, modify, delete), and each change is checked in
# /api/v1 and in the activity stream. Fails when awxkit cannot be installed or any
# step fails. The service runs as `pnpm start` runs it (see builtService.sh).
set -euo pipefail
cd "$(dirname "$0")/../.."

awxkit_version="24.6.1"
venv="${AWXKIT_VENV:-${TMPDIR:-/tmp}/clientapps-awxkit-${awxkit_version}}"
if [ ! -x "${venv}/bin/awx" ]; then
  python3 -m venv "${venv}"
  "${venv}/bin/pip" install --quiet --disable-pip-version-check "awxkit==${awxkit_version}"
fi

. test/contract/builtService.sh

# The token goes through the environment, as awxkit documents it, so it is not on a command line.
export CONTROLLER_HOST="${base}" CONTROLLER_OAUTH_TOKEN="${token}"
awx() { (cd "${data_dir}" && "${venv}/bin/awx" --conf.color false -f json "$@"); }
api() { curl -sS -H "Authorization: Bearer ${token}" "${base}$1"; }
# `field <json> <python expression over j>`: prints the value, so a missing member fails the script.
field() { "${venv}/bin/python" -c 'import json,sys; j=json.loads(sys.argv[1]); print(eval(sys.argv[2]))' "$1" "$2"; }
check() {
  if [ "$1" != "$2" ]; then
    echo "awxkit: $3: expected '$2', got '$1'" >&2
    exit 1
  fi
  echo "ok: $3"
}
# The activity stream is written by the audit consumer, after the response: wait for it, within a bound.
activity_has() {
  for _ in $(seq 1 50); do
    if api "/api/v1/clientapplications/$1/activity_stream" | grep -q "\"eventType\":\"$2\""; then
      echo "ok: the activity stream shows $2"
      return
    fi
    sleep 0.2
  done
  echo "awxkit: the activity stream of $1 never showed $2" >&2
  exit 1
}

check "$(field "$(awx ping)" 'j["ha"]')" "False" "ping answers"
check "$(field "$(awx me)" 'j["results"][0]["summary_fields"]["organization"]["id"]')" "1" "me names the caller's workspace as organization 1"

created="$(awx applications create --name "Deploy bot" --client_type confidential \
  --authorization_grant_type authorization-code --redirect_uris "https://deploy.example.com/callback" --organization 1)"
id="$(field "${created}" 'j["id"]')"
client_id="$(field "${created}" 'j["client_id"]')"
check "$(field "${created}" 'j["client_secret"].startswith("ca_secret_")')" "True" "create shows the secret, once"
v1="$(api "/api/v1/clientapplications/${client_id}")"
check "$(field "${v1}" 'j["displayName"] + " " + str(j["isConfidential"]) + " " + j["redirectUris"][0]')" \
  "Deploy bot True https://deploy.example.com/callback" "the application is in /api/v1"
activity_has "${client_id}" ClientRegistered

listed="$(awx applications list --all)"
check "$(field "${listed}" '[r["id"] for r in j["results"]] == ['"${id}"'] and j["count"] == 1')" "True" "list shows it"
check "$(field "$(awx applications list --name "Deploy bot")" 'j["results"][0]["client_id"]')" "${client_id}" "list filters by name"

check "$(field "$(awx applications get "${id}")" 'j["client_secret"]')" "************" "get hides the secret"
check "$(field "$(awx applications get "Deploy bot")" 'j["id"]')" "${id}" "get finds it by name"

modified="$(awx applications modify "${id}" --description "Deploys the platform" \
  --redirect_uris "https://deploy.example.com/callback https://deploy.example.com/other")"
check "$(field "${modified}" 'j["description"]')" "Deploys the platform" "modify answers with the change"
v1="$(api "/api/v1/clientapplications/${client_id}")"
check "$(field "${v1}" 'j["description"] + " " + str(len(j["redirectUris"]))')" "Deploys the platform 2" "the change is in /api/v1"
activity_has "${client_id}" ClientUpdated

awx applications delete "${id}" >/dev/null
status="$(curl -sS -o /dev/null -w '%{http_code}' -H "Authorization: Bearer ${token}" "${base}/api/v1/clientapplications/${client_id}")"
check "${status}" "404" "delete removes it from /api/v1"
check "$(field "$(awx applications list)" 'j["count"]')" "0" "the list is empty again"
activity_has "${client_id}" ClientDeleted

if grep -q '"level":"error"\|"level":50' "${data_dir}/service.log"; then
  echo "--- service errors ---" >&2
  grep '"level":"error"\|"level":50' "${data_dir}/service.log" | tail -20 >&2
  exit 1
fi
echo "awxkit ${awxkit_version}: create, list, get, modify and delete all worked"
