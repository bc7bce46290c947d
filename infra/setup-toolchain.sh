#!/usr/bin/env bash
# Makes a bare machine (Node 20 and nothing else) ready to install the workspace:
# the pnpm version package.json pins, and Node's own headers for node-gyp, so that
# better-sqlite3 compiles offline when its prebuilt binary cannot be downloaded.
# Source it (`. infra/setup-toolchain.sh`) so the exported variables stay set.
set -euo pipefail

repo_root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
pnpm_version="$(node -p "require('${repo_root}/package.json').packageManager.split('@')[1]")"

if ! command -v pnpm >/dev/null 2>&1 || [ "$(pnpm --version)" != "${pnpm_version}" ]; then
  echo "installing pnpm ${pnpm_version}"
  npm install --global --no-fund --no-audit "pnpm@${pnpm_version}" >/dev/null
fi

if [ -z "${npm_config_nodedir:-}" ]; then
  node_prefix="$(dirname "$(dirname "$(command -v node)")")"
  if [ -f "${node_prefix}/include/node/node.h" ]; then
    export npm_config_nodedir="${node_prefix}"
  fi
fi

export TURBO_TELEMETRY_DISABLED=1
