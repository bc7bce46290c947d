#!/usr/bin/env bash
# Builds infra/ferretdb/launcher (FerretDB v1 embedded, SQLite backend) into a cache dir
# outside the repo and prints the binary's path on stdout. Needs only Go: the module proxy
# supplies FerretDB, and the SQLite driver is pure Go, so no C compiler either.
# Idempotent: skips the build when the binary was built from the same go.mod, go.sum,
# main.go and this script (its build flags). Override the cache dir with CLIENTAPPS_FERRETDB_HOME.
set -euo pipefail

. "$(dirname "${BASH_SOURCE[0]}")/lib.sh"

if ! command -v go >/dev/null 2>&1; then
  echo "ferretdb: 'go' is not on PATH; install Go 1.24 or later" >&2
  exit 1
fi

# The stamp covers every input we control; go.sum pins every module byte beyond them.
inputs_hash="$(cat "${launcher_src}/go.mod" "${launcher_src}/go.sum" "${launcher_src}/main.go" "${BASH_SOURCE[0]}" | sha256sum | cut -d' ' -f1)"
stamp_file="${ferretdb_home}/build.sha256"

if [ -x "${ferretdb_bin}" ] && [ "$(cat "${stamp_file}" 2>/dev/null || true)" = "${inputs_hash}" ]; then
  echo "ferretdb: launcher ${ferretdb_version} up to date at ${ferretdb_bin}" >&2
  echo "${ferretdb_bin}"
  exit 0
fi

mkdir -p "${ferretdb_home}"
echo "ferretdb: building launcher for FerretDB ${ferretdb_version} into ${ferretdb_home}" >&2
started="$(date +%s)"

# Build to a temporary name and rename: a concurrent start.sh never runs a half-written
# binary, and two concurrent installs just race to the same result.
tmp_dir="$(mktemp -d "${ferretdb_home}/build.XXXXXX")"
trap 'rm -rf "${tmp_dir}"' EXIT
(
  cd "${launcher_src}"
  # -mod=readonly: go.sum is authoritative, a build must not quietly rewrite it.
  # -buildvcs=false: the repo's git state is none of the binary's business (and git may be absent).
  # CGO_ENABLED=0: modernc.org/sqlite is pure Go; no C toolchain needed on a fresh machine.
  # -ldflags '-s -w': no symbol tables; about a third smaller, and nobody debugs it here.
  # -tags ferretdb_no_postgresql: we only use the SQLite backend; skipping pgx saves ~15%
  # of a cold build.
  # GOFLAGS is cleared so a developer's setting cannot change what CI builds.
  CGO_ENABLED=0 GOFLAGS='' go build -mod=readonly -trimpath -buildvcs=false -ldflags '-s -w' -tags ferretdb_no_postgresql -o "${tmp_dir}/ferretdb-launcher" .
)
mv -f "${tmp_dir}/ferretdb-launcher" "${ferretdb_bin}"
echo "${inputs_hash}" >"${stamp_file}"

echo "ferretdb: built in $(($(date +%s) - started))s" >&2
echo "${ferretdb_bin}"
