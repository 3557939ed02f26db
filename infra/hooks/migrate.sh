#!/bin/sh
# azd predeploy hook: apply the schema migrations (`python -m shared.migrate`) to the Azure database,
# then create the app's role (an ordinary Entra principal) when missing and grant it read/write access
# to the tables (infra/hooks/grant_app_role.py).
#
# Runs from the project root on the deploying machine, which needs network access to the server
# (POSTGRES_MIGRATION_CLIENT_IP firewall rule) and the packages of requirements.txt. It signs in with
# Microsoft Entra ID as the migration principal: DefaultAzureCredential takes the Azure CLI or azd
# sign-in of this machine, and the token is the password (POSTGRES_AUTH=entra). TLS is verify-full
# against the Azure PostgreSQL root certificates (shared/pg_tls.py).
set -eu
cd "$(dirname "$0")/../.."

fail() {
  echo "migrate: $*" >&2
  exit 1
}

[ -n "${POSTGRES_HOST:-}" ] || fail "POSTGRES_HOST is not set; run 'azd provision' first"
[ -n "${POSTGRES_DATABASE:-}" ] || fail "POSTGRES_DATABASE is not set; run 'azd provision' first"
[ -n "${POSTGRES_APP_ROLE:-}" ] || fail "POSTGRES_APP_ROLE is not set; run 'azd provision' first"
[ -n "${POSTGRES_APP_PRINCIPAL_ID:-}" ] || fail "POSTGRES_APP_PRINCIPAL_ID is not set; run 'azd provision' first"
role="${POSTGRES_MIGRATION_ROLE:-${POSTGRES_MIGRATION_PRINCIPAL_NAME:-}}"
[ -n "$role" ] || fail "no migration principal; set POSTGRES_MIGRATION_PRINCIPAL_NAME (docs/deploy.md) and run 'azd provision'"

python="${PYTHON:-}"
if [ -z "$python" ]; then
  if [ -x .venv/bin/python ]; then python=.venv/bin/python; else python=python3; fi
fi

# libpq key=value quoting: wrap in single quotes, escape backslashes and quotes (the quotes are
# meant for libpq, not the shell).
libpq_quote() {
  printf "'%s'" "$(printf '%s' "$1" | sed -e 's/\\/\\\\/g' -e "s/'/\\\\'/g")"
}

rootcert=$("$python" -m shared.pg_tls) || fail "could not write the Azure PostgreSQL root certificates; install the packages of requirements.txt"

# shellcheck disable=SC2089,SC2090
POSTGRES_DSN="host=${POSTGRES_HOST} port=5432 dbname=${POSTGRES_DATABASE} user=$(libpq_quote "$role") sslmode=verify-full sslrootcert=$(libpq_quote "$rootcert")"
POSTGRES_AUTH=entra
# shellcheck disable=SC2090
export POSTGRES_DSN POSTGRES_AUTH
unset POSTGRES_PASSWORD 2>/dev/null || true

echo "migrate: applying migrations to ${POSTGRES_HOST}/${POSTGRES_DATABASE} as ${role}"
"$python" -m shared.migrate || fail "migrations failed; if the connection timed out, allow this machine's IP (azd env set POSTGRES_MIGRATION_CLIENT_IP <ip>; azd provision)"
"$python" infra/hooks/grant_app_role.py "$POSTGRES_APP_ROLE" --entra-object-id "$POSTGRES_APP_PRINCIPAL_ID"
