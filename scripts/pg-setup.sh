#!/usr/bin/env bash
# Make Debian's PostgreSQL server binaries available for the test suite.
# Idempotent and quiet: does nothing when initdb is already installed. The tests
# start their own throwaway cluster (tests/pg.py); no system service is used.
set -euo pipefail

have_postgres() {
    command -v initdb >/dev/null 2>&1 || compgen -G "/usr/lib/postgresql/*/bin/initdb" >/dev/null
}

if have_postgres; then
    exit 0
fi
if [ "$(id -u)" -ne 0 ]; then
    # Not fatal: the PostgreSQL tests skip with a reason, the SQLite ones still run.
    echo "pg-setup: PostgreSQL is not installed and this is not root;" \
         "run 'sudo bash scripts/pg-setup.sh' to test against PostgreSQL too" >&2
    exit 0
fi

export DEBIAN_FRONTEND=noninteractive
apt_opts=(-qq -o DPkg::Lock::Timeout=300)
apt-get "${apt_opts[@]}" update >/dev/null
apt-get "${apt_opts[@]}" install -y --no-install-recommends postgresql >/dev/null

have_postgres || { echo "pg-setup: postgresql installed but initdb not found" >&2; exit 1; }
