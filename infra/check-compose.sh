#!/usr/bin/env bash
# Validates infra/docker-compose.yml with whichever Compose client there is: the
# docker compose plugin, or Debian's docker-compose (installed when neither is).
# Needs no Docker engine.
set -euo pipefail
compose_file="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)/docker-compose.yml"

if docker compose version >/dev/null 2>&1; then
  config="$(docker compose -f "${compose_file}" config)"
elif command -v docker-compose >/dev/null 2>&1 || { command -v apt-get >/dev/null 2>&1 && apt-get install -y -qq --no-install-recommends docker-compose >/dev/null 2>&1; }; then
  config="$(docker-compose -f "${compose_file}" config)"
else
  echo "no Compose client and none could be installed; infra/docker-compose.yml was not validated" >&2
  exit 1
fi

# The tests' KurrentDB must be one known server (a full version tag, not 25.0 or latest)
# that starts empty each time (no named volume keeping an earlier run's events).
kurrentdb="$(printf '%s\n' "${config}" | sed -n '/^  kurrentdb:$/,/^  [a-z]/p')"
if ! printf '%s\n' "${kurrentdb}" | grep -Eq 'image: docker\.kurrent\.io/kurrent-latest/kurrentdb:[0-9]+\.[0-9]+\.[0-9]+$'; then
  echo "infra/docker-compose.yml: the kurrentdb image must have a full version tag (major.minor.patch)" >&2
  exit 1
fi
if printf '%s\n' "${kurrentdb}" | grep -Eq 'source: [a-z]|- [a-z][a-z0-9_-]*:/'; then
  echo "infra/docker-compose.yml: kurrentdb must keep its data on a throwaway volume (tmpfs), not a named one" >&2
  exit 1
fi
echo "infra/docker-compose.yml is valid"
