"""Who may confirm a pending link, and the account label read from identity answers (no services)."""

from datetime import datetime, timedelta, timezone

import jwt
import pytest

from shared.errors import TransientProviderError
from shared.link_confirm import link_refusal
from shared.providers.base import AccountIdentity, OAuthClient, TokenSet
from shared.providers.google_oauth import id_token_email
from shared.providers.identity import account_in
from shared.store.connections import StoredTokens
from shared.store.pending_links import PendingLink

NOW = datetime(2026, 10, 1, 12, 0, tzinfo=timezone.utc)
CLIENT = OAuthClient("our-client", "secret", "https://a.example/auth", "https://a.example/token", None)


def _link(**changes) -> PendingLink:
    fields = dict(link_hash=b"h", user_id="alice", provider="oura", provider_user_id="oura-1",
                  account_label="alice@example.com", scopes=("daily",),
                  tokens=StoredTokens("access", "refresh", NOW + timedelta(hours=1)),
                  expires_at=NOW + timedelta(minutes=5), used=False)
    fields.update(changes)
    return PendingLink(**fields)


@pytest.mark.parametrize(("link", "user", "expected"), [
    (_link(), "alice", None),
    (None, "alice", (400, "invalid_link")),
    (_link(provider="fitbit"), "alice", (400, "invalid_link")),
    (_link(used=True, tokens=None), "alice", (400, "invalid_link")),
    (_link(expires_at=NOW), "alice", (410, "link_expired")),
    (_link(), "bob", (403, "link_user_mismatch")),
    (_link(used=True, tokens=None), "bob", (400, "invalid_link")),
], ids=["own", "unknown", "other-provider", "used", "expired", "other-user", "other-user-used"])
def test_link_refusal(link, user, expected):
    refusal = link_refusal(link, provider="oura", user_id=user, now=NOW)
    assert (None if refusal is None else (refusal.status, refusal.code)) == expected


@pytest.mark.parametrize(("body", "expected"), [
    ({"id": "u1", "email": "a@example.com"}, AccountIdentity("u1", "a@example.com")),
    ({"id": "u1"}, AccountIdentity("u1", None)),
    ({"id": "u1", "email": "  "}, AccountIdentity("u1", None)),
    ({"id": "u1", "email": 7}, AccountIdentity("u1", None)),
], ids=["with-email", "no-email", "blank-email", "not-a-string"])
def test_account_label_from_identity_answer(body, expected):
    assert account_in("oura", body, "id", "personal_info", "email") == expected


@pytest.mark.parametrize("body", [{}, {"id": ""}, [], None], ids=["missing", "empty", "array", "null"])
def test_identity_answer_without_user_id_is_refused(body):
    with pytest.raises(TransientProviderError):
        account_in("oura", body, "id", "personal_info", "email")


def _tokens(claims) -> TokenSet:
    id_token = jwt.encode(claims, "k" * 32, algorithm="HS256") if claims is not None else None
    return TokenSet("access", "refresh", 3600, None, id_token)


@pytest.mark.parametrize(("claims", "expected"), [
    ({"sub": "1", "aud": "our-client", "email": "a@example.com"}, "a@example.com"),
    ({"sub": "1", "aud": "our-client"}, None),
    ({"sub": "1", "aud": "someone-else", "email": "a@example.com"}, None),
    (None, None),
], ids=["email", "no-email-scope", "other-audience", "no-id-token"])
def test_google_account_label_is_the_id_tokens_email(claims, expected):
    assert id_token_email("fitbit", _tokens(claims), CLIENT) == expected
