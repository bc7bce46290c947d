# Shared by install.sh, start.sh and stop.sh (sourced, not run): where things live,
# so the three scripts can never disagree about a path.
# shellcheck shell=bash
# shellcheck disable=SC2034  # the variables below are used by the scripts that source this file

ferretdb_dir="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
launcher_src="${ferretdb_dir}/launcher"

# The FerretDB version comes from go.mod, the one place it is pinned.
ferretdb_version="$(awk '$1 == "require" && $2 == "github.com/FerretDB/FerretDB" { print $3 } $1 == "github.com/FerretDB/FerretDB" { print $2 }' "${launcher_src}/go.mod" | head -n 1)"
if [ -z "${ferretdb_version}" ]; then
  echo "ferretdb: cannot read the FerretDB version from ${launcher_src}/go.mod" >&2
  exit 1
fi

# The build lives outside the repo (never committed, survives `git clean`) and is keyed
# by version, so switching branches between versions does not rebuild every time.
ferretdb_home="${CLIENTAPPS_FERRETDB_HOME:-${XDG_CACHE_HOME:-${HOME}/.cache}/clientapps/ferretdb-${ferretdb_version}}"
ferretdb_bin="${ferretdb_home}/ferretdb-launcher"

# One server per port; its data, log and pid file sit together in a state dir outside
# the repo. A restart with the same port (and state dir) finds its data again.
mongodb_port="${MONGODB_PORT:-27017}"
case "${mongodb_port}" in
  '' | *[!0-9]*) echo "ferretdb: MONGODB_PORT must be a number, got '${mongodb_port}'" >&2; exit 1 ;;
esac
state_dir="${CLIENTAPPS_FERRETDB_STATE_DIR:-${TMPDIR:-/tmp}/clientapps-ferretdb-${mongodb_port}}"
pid_file="${state_dir}/ferretdb.pid"
log_file="${state_dir}/ferretdb.log"
data_dir="${state_dir}/data"

# True when pid is a live (not zombie) ferretdb-launcher. Checking the command line
# guards against a stale pid file whose number the kernel has since reused.
is_launcher() {
  local pid="$1"
  [ -n "${pid}" ] && kill -0 "${pid}" 2>/dev/null || return 1
  if [ -r "/proc/${pid}/stat" ]; then
    # A zombie answers kill -0 until its parent reaps it; it no longer serves anything.
    local stat
    stat="$(cat "/proc/${pid}/stat" 2>/dev/null)" || return 1
    stat="${stat##*) }"
    [ "${stat%% *}" != Z ] || return 1
    tr '\0' ' ' <"/proc/${pid}/cmdline" 2>/dev/null | grep -q 'ferretdb-launcher' || return 1
  elif command -v ps >/dev/null 2>&1; then
    ps -p "${pid}" -o args= 2>/dev/null | grep -q 'ferretdb-launcher' || return 1
  fi
  return 0
}

running_pid() {
  local pid=''
  [ -f "${pid_file}" ] && pid="$(cat "${pid_file}" 2>/dev/null || true)"
  if is_launcher "${pid}"; then echo "${pid}"; fi
}
