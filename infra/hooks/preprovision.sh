#!/bin/sh
# azd preprovision hook: choose the Microsoft Entra principal that runs database migrations.
# When POSTGRES_MIGRATION_PRINCIPAL_NAME is not set in the azd environment, the user signed in to
# the Azure CLI becomes that principal (a PostgreSQL Entra administrator, see infra/modules/postgres.bicep).
set -eu

if [ -n "${POSTGRES_MIGRATION_PRINCIPAL_NAME:-}" ]; then
  echo "preprovision: migrations run as ${POSTGRES_MIGRATION_PRINCIPAL_NAME}"
  exit 0
fi

if ! command -v az >/dev/null 2>&1; then
  cat >&2 <<'MSG'
preprovision: POSTGRES_MIGRATION_PRINCIPAL_NAME is not set and the Azure CLI (az) is not installed.
Name the Entra user, group or service principal that runs migrations, for example:
  azd env set POSTGRES_MIGRATION_PRINCIPAL_NAME someone@example.com
  azd env set POSTGRES_MIGRATION_PRINCIPAL_ID <object id>
  azd env set POSTGRES_MIGRATION_PRINCIPAL_TYPE User   # or Group, ServicePrincipal
MSG
  exit 1
fi

name=$(az ad signed-in-user show --query userPrincipalName --output tsv)
object_id=$(az ad signed-in-user show --query id --output tsv)
if [ -z "$name" ] || [ -z "$object_id" ]; then
  echo "preprovision: 'az ad signed-in-user show' returned no user; sign in with 'az login' or set POSTGRES_MIGRATION_PRINCIPAL_* (docs/deploy.md)" >&2
  exit 1
fi
azd env set POSTGRES_MIGRATION_PRINCIPAL_NAME "$name"
azd env set POSTGRES_MIGRATION_PRINCIPAL_ID "$object_id"
azd env set POSTGRES_MIGRATION_PRINCIPAL_TYPE User
echo "preprovision: migrations run as $name"
