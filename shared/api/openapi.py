"""The OpenAPI 3.1 document of the app's HTTP API, served at `/api/openapi.json`.

Built from the provider registry (the `{provider}` enum) and kept honest by the tests: the document is
checked with openapi-spec-validator, and every answer the API tests receive is checked against it.
"""

from __future__ import annotations

from typing import Any

JSON = "application/json"
# These routes take every method and answer 405 `method_not_allowed` (with `Allow`) for the ones they do not serve.
ROUTES_ON_EVERY_METHOD = ("/api/oauth/{provider}/start", "/api/oauth/{provider}/callback",
                          "/api/oauth/{provider}/confirm", "/api/connections",
                          "/api/connections/{provider}", "/api/connections/{provider}/sync", "/api/me",
                          "/api/webhooks/{provider}")
ERROR_CODES = {
    "missing_token", "invalid_token", "expired_token", "malformed_body", "unknown_provider", "method_not_allowed",
    "return_to_not_allowed", "provider_end_of_service", "provider_not_configured", "missing_state", "invalid_state",
    "not_connected", "connection_not_active", "sync_already_pending", "misconfigured", "invalid_link", "link_expired",
    "link_user_mismatch", "account_linked_elsewhere", "sync_too_soon", "too_many_pending_connects",
}


def _ref(name: str) -> dict[str, str]:
    return {"$ref": f"#/components/schemas/{name}"}


def _json(schema: dict[str, Any], description: str) -> dict[str, Any]:
    return {"description": description, "content": {JSON: {"schema": schema}}}


def _error(description: str) -> dict[str, Any]:
    return _json(_ref("Error"), description)


def _errors(*statuses: int) -> dict[str, Any]:
    meaning = {400: "Malformed request (`malformed_body`, ...)", 401: "Bearer token missing or refused",
               403: "Not allowed for this user", 404: "Unknown provider or not connected",
               405: "Method not allowed (`method_not_allowed`)", 409: "Conflict with the connection's state",
               410: "The provider's service has ended", 429: "Too soon: see `Retry-After`",
               503: "Not configured (`provider_not_configured`, `misconfigured`)"}
    return {str(status): _error(meaning[status]) for status in statuses}


def _schemas(providers: list[str]) -> dict[str, Any]:
    time = {"type": "string", "format": "date-time"}
    return {
        "Provider": {"type": "string", "enum": providers},
        "Error": {
            "type": "object", "required": ["error"], "additionalProperties": False,
            "properties": {"error": {
                "type": "object", "required": ["code", "message"], "additionalProperties": False,
                "properties": {"code": {"type": "string", "description": "Stable error code: "
                                                                      + ", ".join(sorted(ERROR_CODES))},
                               "message": {"type": "string"}}}},
        },
        "Connection": {
            "type": "object",
            "required": ["provider", "status", "scopes", "connected_at", "last_sync_at", "last_error", "end_of_service"],
            "properties": {
                "provider": _ref("Provider"),
                "account_label": {"type": ["string", "null"],
                                  "description": "The provider account as its owner knows it (an e-mail), when given"},
                "status": {"type": "string", "enum": ["active", "needs_reauth", "revoked", "error"]},
                "scopes": {"type": "array", "items": {"type": "string"}},
                "connected_at": time,
                "last_sync_at": {"type": ["string", "null"], "format": "date-time"},
                "last_error": {"type": ["string", "null"]},
                "end_of_service": {"type": ["string", "null"], "format": "date"},
                "streams": {"type": "array", "description": "Each stream's progress", "items": {
                    "type": "object", "required": ["stream", "status"],
                    "properties": {"stream": {"type": "string"}, "status": {"type": "string"},
                                   "last_error": {"type": ["string", "null"]},
                                   "synced_through": {"type": ["string", "null"]},
                                   "history_from": {"type": ["string", "null"]},
                                   "history_goal": {"type": ["string", "null"]},
                                   "history_percent": {"type": ["integer", "null"]},
                                   "history_complete": {"type": "boolean"},
                                   "last_record_at": {"type": ["string", "null"]}}}},
            },
        },
        "Health": {
            "type": "object", "required": ["status"],
            "properties": {
                "status": {"type": "string", "enum": ["ok", "unavailable", "misconfigured"]},
                "dependencies": {"type": "object", "additionalProperties": {"type": "string", "enum": ["up", "down"]}},
                "down": {"type": "array", "items": {"type": "string"}},
                "settings": {"type": "array", "items": {"type": "string"},
                             "description": "Names of the settings that are missing or malformed"},
            },
        },
        "ProviderStatus": {
            "type": "object",
            "required": ["connections", "lag_seconds_p50", "lag_seconds_p90", "lag_seconds_p99", "lag_seconds_max",
                         "poison_messages"],
            "properties": {
                "connections": {"type": "object", "additionalProperties": {"type": "integer"}},
                **{f"lag_seconds_{p}": {"type": ["number", "null"]} for p in ("p50", "p90", "p99", "max")},
                "poison_messages": {"type": "integer"},
            },
        },
    }


def openapi_document() -> dict[str, Any]:
    """Return the OpenAPI 3.1 document (plain JSON-able data)."""
    from shared.providers import PROVIDERS

    providers = sorted(PROVIDERS)
    provider_parameter = {"name": "provider", "in": "path", "required": True, "schema": _ref("Provider")}
    bearer = [{"personicle": []}]
    paths: dict[str, Any] = {
        "/api/health": {"get": {
            "summary": "Whether PostgreSQL and the storage queues answer, and the settings are complete",
            "security": [], "responses": {"200": _json(_ref("Health"), "Every dependency is up"),
                                          "503": _json(_ref("Health"), "A dependency is down or a setting is bad")}}},
        "/api/openapi.json": {"get": {
            "summary": "This document", "security": [],
            "responses": {"200": _json({"type": "object"}, "The OpenAPI document")}}},
        "/api/oauth/{provider}/start": {"post": {
            "summary": "Start connecting a provider: answers the provider's authorization URL",
            "parameters": [provider_parameter, {"name": "return_to", "in": "query", "required": False,
                                                "schema": {"type": "string", "format": "uri"}}],
            "requestBody": {"required": False, "content": {JSON: {"schema": {
                "type": "object", "properties": {"return_to": {"type": "string", "format": "uri"}}}}}},
            "security": bearer,
            "responses": {"200": _json({"type": "object", "required": ["authorization_url"],
                                        "properties": {"authorization_url": {"type": "string", "format": "uri"}}},
                                       "Navigate the browser there"),
                          "429": _error("`too_many_pending_connects`: ten connect flows are already open"),
                          **_errors(400, 401, 404, 405, 410, 503)}}},
        "/api/oauth/{provider}/callback": {"get": {
            "summary": "The provider's redirect: completes the connection and redirects to `return_to`",
            "security": [],
            "parameters": [provider_parameter] + [{"name": n, "in": "query", "required": False,
                                                   "schema": {"type": "string"}} for n in ("code", "state", "error")],
            "responses": {"302": {"description": "Back to `return_to` with `provider` and `status` in the query "
                                                 "(`pending` with a one-time `link` to confirm, or an error code)",
                                  "headers": {"Location": {"schema": {"type": "string", "format": "uri"}}}},
                          **_errors(400, 404, 405)}}},
        "/api/oauth/{provider}/confirm": {"post": {
            "summary": "Confirm a pending link with the bearer of the user who started the flow",
            "parameters": [provider_parameter], "security": bearer,
            "requestBody": {"required": True, "content": {JSON: {"schema": {
                "type": "object", "required": ["link"], "properties": {"link": {"type": "string"}}}}}},
            "responses": {"200": _json(_ref("Connection"), "Connected: the connection as GET /api/connections shows it"),
                          "400": _error("`invalid_link` (unknown, used or another provider's) or `malformed_body`"),
                          "403": _error("`link_user_mismatch`: another user started this flow; the link is discarded"),
                          "409": _error("`account_linked_elsewhere`"),
                          "410": _error("`link_expired`"),
                          **_errors(401, 404, 405)}}},
        "/api/connections": {"get": {
            "summary": "The signed-in user's connections", "security": bearer,
            "responses": {"200": _json({"type": "object", "required": ["connections"], "properties": {
                "connections": {"type": "array", "items": _ref("Connection")}}}, "The connections"),
                **_errors(401, 405)}}},
        "/api/connections/{provider}": {"delete": {
            "summary": "Disconnect: revoke the grant at the provider, delete the tokens", "security": bearer,
            "parameters": [provider_parameter],
            "responses": {"200": _json({"type": "object", "required": ["provider", "status", "revocation"], "properties": {
                "provider": _ref("Provider"), "status": {"const": "revoked"},
                "revocation": {"type": "string", "enum": ["revoked", "failed", "not_supported", "no_tokens"]}}},
                "Disconnected"), **_errors(401, 404, 405)}}},
        "/api/connections/{provider}/sync": {"post": {
            "summary": "Queue a sync now", "security": bearer, "parameters": [provider_parameter],
            "responses": {"202": _json({"type": "object", "required": ["provider", "status"], "properties": {
                "provider": _ref("Provider"), "status": {"const": "queued"}}}, "Queued"),
                "429": {**_error("`sync_too_soon`: the last manual sync was less than "
                                 "MANUAL_SYNC_MIN_INTERVAL_MINUTES ago"),
                        "headers": {"Retry-After": {"schema": {"type": "integer"}}}},
                **_errors(401, 404, 405, 409)}}},
        "/api/webhooks/{provider}": {
            "get": {"summary": "The provider's verification handshake (a verification token answered with its challenge)",
                    "security": [], "parameters": [provider_parameter],
                    "responses": {"200": _json({"type": "object", "required": ["challenge"],
                                                "properties": {"challenge": {"type": "string"}}}, "Verified"),
                                  "401": _error("`verification_failed`"), **_errors(404, 405)}},
            "post": {"summary": "A provider notification, or Google's subscriber verification; answered at once, the "
                                "download is queued", "security": [], "parameters": [provider_parameter],
                     "responses": {
                         "200": _json({"type": "object", "properties": {"status": {"const": "accepted"}}}, "Accepted"),
                         "201": {"description": "Google's subscriber verification passed"},
                         "204": {"description": "Accepted (Google), or a repeated notification ignored"},
                         "400": _error("`malformed_notification`"),
                         "401": _error("Not authenticated: `unsigned_notification`, `bad_signature`, "
                                       "`bad_authorization`, `bad_timestamp`, `stale_notification`, "
                                       "`verification_failed`, `replayed_notification`"),
                         "503": _error("`keyset_unavailable`: the signing keys could not be fetched"),
                         **_errors(404, 405)}}},
        "/api/me": {"delete": {
            "summary": "Erase the user: revoke every grant, delete connections, cursors, states and pending links",
            "security": bearer,
            "responses": {"200": _json({"type": "object", "required": ["deleted", "revocations"], "properties": {
                "deleted": {"type": "object", "additionalProperties": {"type": "integer"}},
                "revocations": {"type": "array", "items": {
                    "type": "object", "required": ["provider", "revocation"],
                    "properties": {"provider": _ref("Provider"), "revocation": {"type": "string"}}}}}},
                "Erased: what was deleted, and each revocation's outcome"), **_errors(401, 405)}}},
        "/api/operator/status": {"get": {
            "summary": "Operators' figures per provider (function key)", "security": [{"functionKey": []}],
            "responses": {"200": _json({"type": "object", "required": ["providers"], "properties": {
                "providers": {"type": "object", "additionalProperties": _ref("ProviderStatus")}}}, "The figures"),
                **_errors(405)}}},
    }
    for route in ROUTES_ON_EVERY_METHOD:
        for method in ("get", "post", "put", "patch", "delete"):
            paths[route].setdefault(method, {
                "summary": "Not served: answers 405 with the methods allowed", "security": [],
                "parameters": [provider_parameter] if "{provider}" in route else [],
                "responses": _errors(405)})
    return {
        "openapi": "3.1.0",
        "info": {"title": "Personicle Connect", "version": "1",
                 "description": "Connect wearable accounts to Personicle. Errors answer "
                                "`{\"error\": {\"code\", \"message\"}}` with a stable code."},
        "paths": paths,
        "components": {
            "schemas": _schemas(providers),
            "securitySchemes": {
                "personicle": {"type": "http", "scheme": "bearer", "bearerFormat": "JWT",
                               "description": "A Personicle user token of the configured OIDC issuer"},
                "functionKey": {"type": "apiKey", "in": "query", "name": "code",
                                "description": "An Azure Functions function or host key"},
            },
        },
        "security": bearer,
    }
