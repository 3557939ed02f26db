#!/bin/sh
# azd preprovision hook: choose the Microsoft Entra principal that runs database migrations (the
# PostgreSQL Entra administrator, see infra/modules/postgres.bicep).
#
# POSTGRES_MIGRATION_PRINCIPAL_NAME, _ID and _TYPE go together: either all three are set, or none and
# the user signed in to the Azure CLI is taken. When the Azure CLI is there, the name and type are
# checked against the object id in Microsoft Entra ID before the template makes it an administrator.
set -eu

name="${POSTGRES_MIGRATION_PRINCIPAL_NAME:-}"
object_id="${POSTGRES_MIGRATION_PRINCIPAL_ID:-}"
kind="${POSTGRES_MIGRATION_PRINCIPAL_TYPE:-}"

fail() {
  echo "preprovision: $*" >&2
  exit 1
}

how_to_set() {
  cat >&2 <<'MSG'
Name the Entra user, group or service principal that runs migrations with all three values, e.g.:
  azd env set POSTGRES_MIGRATION_PRINCIPAL_NAME someone@example.com   # UPN, group or application name
  azd env set POSTGRES_MIGRATION_PRINCIPAL_ID <object id>
  azd env set POSTGRES_MIGRATION_PRINCIPAL_TYPE User                  # or Group, ServicePrincipal
MSG
}

has_az() {
  command -v az >/dev/null 2>&1
}

if [ -n "$name$object_id$kind" ]; then
  missing=""
  [ -n "$name" ] || missing="$missing POSTGRES_MIGRATION_PRINCIPAL_NAME"
  [ -n "$object_id" ] || missing="$missing POSTGRES_MIGRATION_PRINCIPAL_ID"
  [ -n "$kind" ] || missing="$missing POSTGRES_MIGRATION_PRINCIPAL_TYPE"
  if [ -n "$missing" ]; then
    echo "preprovision: the migration principal is only partly set; missing:$missing" >&2
    how_to_set
    exit 1
  fi
  case "$kind" in
    User | Group | ServicePrincipal) ;;
    *) fail "POSTGRES_MIGRATION_PRINCIPAL_TYPE is '$kind'; expected User, Group or ServicePrincipal" ;;
  esac
  printf '%s' "$object_id" | grep -Eqi '^[0-9a-f]{8}(-[0-9a-f]{4}){3}-[0-9a-f]{12}$' ||
    fail "POSTGRES_MIGRATION_PRINCIPAL_ID is '$object_id'; expected an object id (GUID)"

  if has_az; then
    # The name PostgreSQL knows the principal by: a user's UPN, a group's or application's display name.
    case "$kind" in
      User) entra_name=$(az ad user show --id "$object_id" --query userPrincipalName --output tsv 2>/dev/null || true) ;;
      Group) entra_name=$(az ad group show --group "$object_id" --query displayName --output tsv 2>/dev/null || true) ;;
      ServicePrincipal) entra_name=$(az ad sp show --id "$object_id" --query displayName --output tsv 2>/dev/null || true) ;;
    esac
    [ -n "$entra_name" ] ||
      fail "no $kind with object id $object_id found in Microsoft Entra ID (or no rights to read it); check POSTGRES_MIGRATION_PRINCIPAL_ID and _TYPE"
    [ "$entra_name" = "$name" ] ||
      fail "the $kind $object_id is named '$entra_name' in Microsoft Entra ID, not '$name'; fix POSTGRES_MIGRATION_PRINCIPAL_NAME"
  else
    echo "preprovision: Azure CLI not found; POSTGRES_MIGRATION_PRINCIPAL_* are used as given, unchecked" >&2
  fi
  echo "preprovision: migrations run as $kind $name ($object_id)"
  exit 0
fi

if ! has_az; then
  echo "preprovision: POSTGRES_MIGRATION_PRINCIPAL_* are not set and the Azure CLI (az) is not installed." >&2
  how_to_set
  exit 1
fi

name=$(az ad signed-in-user show --query userPrincipalName --output tsv 2>/dev/null || true)
object_id=$(az ad signed-in-user show --query id --output tsv 2>/dev/null || true)
if [ -z "$name" ] || [ -z "$object_id" ]; then
  echo "preprovision: 'az ad signed-in-user show' returned no user (signed in as a service principal, or not at all)." >&2
  how_to_set
  exit 1
fi
azd env set POSTGRES_MIGRATION_PRINCIPAL_NAME "$name"
azd env set POSTGRES_MIGRATION_PRINCIPAL_ID "$object_id"
azd env set POSTGRES_MIGRATION_PRINCIPAL_TYPE User
echo "preprovision: migrations run as User $name ($object_id)"
