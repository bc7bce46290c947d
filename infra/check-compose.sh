#!/usr/bin/env bash
# Validates infra/docker-compose.yml with whichever Compose client there is: the
# docker compose plugin, or Debian's docker-compose (installed when neither is).
# Needs no Docker engine.
set -euo pipefail
compose_file="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)/docker-compose.yml"

if docker compose version >/dev/null 2>&1; then
  docker compose -f "${compose_file}" config --quiet
elif command -v docker-compose >/dev/null 2>&1 || { command -v apt-get >/dev/null 2>&1 && apt-get install -y -qq --no-install-recommends docker-compose >/dev/null 2>&1; }; then
  docker-compose -f "${compose_file}" config --quiet
else
  echo "no Compose client and none could be installed; infra/docker-compose.yml was not validated" >&2
  exit 1
fi
echo "infra/docker-compose.yml is valid"
