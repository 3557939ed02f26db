"""Connect-flow steps the sandbox tests share: authorization URLs, consent, code exchange."""

from __future__ import annotations

from dataclasses import dataclass
from urllib.parse import parse_qs, urlencode, urlsplit

import requests

from devtools.sandbox.client import authorize, pkce_pair

API_BASE = "http://127.0.0.1:7071/api"
AUTH = "https://www.googleapis.com/auth/"
HEALTH_SCOPES = (AUTH + "googlehealth.activity_and_fitness.readonly", AUTH + "googlehealth.sleep.readonly")
FIT_SCOPES = (AUTH + "fitness.activity.read", AUTH + "fitness.heart_rate.read")
FITBIT = {"client_id": "sandbox-fitbit-client", "client_secret": "sandbox-fitbit-secret",
          "redirect_uri": f"{API_BASE}/oauth/fitbit/callback"}
GOOGLE_FIT = {"client_id": "sandbox-google-fit-client", "client_secret": "sandbox-google-fit-secret",
              "redirect_uri": f"{API_BASE}/oauth/google_fit/callback"}
OURA = {"client_id": "sandbox-oura-client", "client_secret": "sandbox-oura-secret",
        "redirect_uri": f"{API_BASE}/oauth/oura/callback"}
WHOOP = {"client_id": "sandbox-whoop-client", "client_secret": "sandbox-whoop-secret",
         "redirect_uri": f"{API_BASE}/oauth/whoop/callback"}
WHOOP_SCOPE = "offline read:profile read:cycles read:recovery read:sleep read:workout read:body_measurement"


def query_of(url: str) -> dict[str, str]:
    """Return the single-valued query parameters of a URL."""
    return {k: v[0] for k, v in parse_qs(urlsplit(url).query, keep_blank_values=True).items()}


@dataclass(frozen=True)
class GoogleStart:
    """An authorization URL with its PKCE verifier."""

    url: str
    verifier: str


def google_start(base: str, client: dict[str, str] = FITBIT, scopes: tuple[str, ...] = HEALTH_SCOPES,
                 **overrides: str | None) -> GoogleStart:
    """Build a Google authorization URL as the app does (offline, consent, S256 PKCE)."""
    verifier, challenge = pkce_pair()
    params: dict[str, str | None] = {
        "client_id": client["client_id"], "redirect_uri": client["redirect_uri"], "response_type": "code",
        "scope": " ".join(scopes), "access_type": "offline", "prompt": "consent", "state": "state-123",
        "code_challenge": challenge, "code_challenge_method": "S256"}
    params.update(overrides)
    query = urlencode({k: v for k, v in params.items() if v is not None})
    return GoogleStart(f"{base}/google/o/oauth2/v2/auth?{query}", verifier)


def google_code(base: str, user: str = "alice", client: dict[str, str] = FITBIT,
                **overrides: str | None) -> tuple[str, str]:
    """Run the consent step; return (code, PKCE verifier)."""
    start = google_start(base, client, **overrides)
    return query_of(authorize(start.url, user=user))["code"], start.verifier


def google_exchange(base: str, code: str, verifier: str | None, client: dict[str, str] = FITBIT, /,
                    **overrides: str | None) -> requests.Response:
    """Post an authorization_code grant to the Google token endpoint."""
    form: dict[str, str | None] = {"grant_type": "authorization_code", "code": code,
                                   "client_id": client["client_id"], "client_secret": client["client_secret"],
                                   "redirect_uri": client["redirect_uri"], "code_verifier": verifier}
    form.update(overrides)
    return requests.post(f"{base}/google/token", data={k: v for k, v in form.items() if v is not None},
                         timeout=10)


def google_tokens(base: str, user: str = "alice", client: dict[str, str] = FITBIT, **overrides: str | None
                  ) -> dict[str, str]:
    """Connect `user` all the way and return the token response."""
    code, verifier = google_code(base, user, client, **overrides)
    answer = google_exchange(base, code, verifier, client)
    assert answer.status_code == 200, answer.text
    return answer.json()


def oura_start(base: str, scope: str | None = "daily heartrate personal email", **overrides: str | None) -> str:
    """Build an Oura authorization URL as the app does."""
    params: dict[str, str | None] = {"response_type": "code", "client_id": OURA["client_id"],
                                     "redirect_uri": OURA["redirect_uri"], "scope": scope, "state": "oura-state"}
    params.update(overrides)
    return f"{base}/oura/oauth/authorize?" + urlencode({k: v for k, v in params.items() if v is not None})


def oura_tokens(base: str, user: str = "alice", scope: str | None = "daily heartrate personal email"
                ) -> dict[str, str]:
    """Connect `user` to Oura and return the token response."""
    code = query_of(authorize(oura_start(base, scope), user=user))["code"]
    answer = requests.post(f"{base}/oura/oauth/token", data={
        "grant_type": "authorization_code", "code": code, "redirect_uri": OURA["redirect_uri"],
        "client_id": OURA["client_id"], "client_secret": OURA["client_secret"]}, timeout=10)
    assert answer.status_code == 200, answer.text
    return answer.json()


def whoop_start(base: str, scope: str | None = WHOOP_SCOPE, **overrides: str | None) -> str:
    """Build a WHOOP authorization URL as the app does."""
    params: dict[str, str | None] = {"response_type": "code", "client_id": WHOOP["client_id"],
                                     "redirect_uri": WHOOP["redirect_uri"], "scope": scope, "state": "whoop-state-1"}
    params.update(overrides)
    return f"{base}/whoop/oauth/oauth2/auth?" + urlencode({k: v for k, v in params.items() if v is not None})


def whoop_tokens(base: str, user: str = "alice", scope: str = WHOOP_SCOPE) -> dict[str, str]:
    """Connect `user` to WHOOP and return the token response."""
    code = query_of(authorize(whoop_start(base, scope), user=user))["code"]
    answer = requests.post(f"{base}/whoop/oauth/oauth2/token", data={
        "grant_type": "authorization_code", "code": code, "redirect_uri": WHOOP["redirect_uri"],
        "client_id": WHOOP["client_id"], "client_secret": WHOOP["client_secret"]}, timeout=10)
    assert answer.status_code == 200, answer.text
    return answer.json()


WITHINGS = {"client_id": "sandbox-withings-client", "client_secret": "sandbox-withings-secret",
            "redirect_uri": f"{API_BASE}/oauth/withings/callback"}


def withings_start(base: str, scope: str | None = "user.info,user.metrics,user.activity",
                   redirect_uri: str = WITHINGS["redirect_uri"], **overrides: str | None) -> str:
    """Build a Withings authorization URL as the app does (comma-separated scopes)."""
    params: dict[str, str | None] = {"response_type": "code", "client_id": WITHINGS["client_id"],
                                     "redirect_uri": redirect_uri, "scope": scope,
                                     "state": "withings-state"}
    params.update(overrides)
    return f"{base}/withings/oauth2_user/authorize2?" + urlencode({k: v for k, v in params.items() if v is not None})


def withings_request_token(base: str, **fields: str) -> requests.Response:
    """Post `action=requesttoken` with the client credentials in the form body."""
    form = {"action": "requesttoken", "client_id": WITHINGS["client_id"],
            "client_secret": WITHINGS["client_secret"], **fields}
    return requests.post(f"{base}/withings/v2/oauth2", data=form, timeout=10)


def withings_tokens(base: str, user: str = "alice", scope: str | None = "user.info,user.metrics,user.activity",
                    redirect_uri: str = WITHINGS["redirect_uri"]) -> dict[str, str]:
    """Connect `user` to Withings and return the body of the token envelope."""
    code = query_of(authorize(withings_start(base, scope, redirect_uri), user=user))["code"]
    answer = withings_request_token(base, grant_type="authorization_code", code=code, redirect_uri=redirect_uri)
    assert answer.status_code == 200 and answer.json()["status"] == 0, answer.text
    return answer.json()["body"]
