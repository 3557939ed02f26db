"""Revoke a Withings grant: `getnonce`, then a signed `revoke` for the user (docs/providers/withings.md 2.4, 2.5).

Revocation also ends the user's notification subscriptions at Withings.
"""

from __future__ import annotations

import time
from typing import Any

from shared.errors import ProviderRejected, TransientProviderError
from shared.http.session import request_json
from shared.providers.base import OAuthClient, TokenSet
from shared.providers.withings.envelope import ERRORS, payload
from shared.providers.withings.signature import sign

PROVIDER = "withings"


def signature_url(token_url: str) -> str:
    """Return the nonce service next to the token service (`.../v2/oauth2` -> `.../v2/signature`)."""
    base = token_url.rstrip("/")
    if not base.endswith("/v2/oauth2"):
        raise ProviderRejected(PROVIDER, "the Withings token URL does not end with /v2/oauth2")
    return base[: -len("oauth2")] + "signature"


def _post(url: str, form: dict[str, str]) -> Any:
    return request_json(PROVIDER, "POST", url, quirk=ERRORS, data=form)


def revoke(client: OAuthClient, tokens: TokenSet) -> None:
    """Revoke the grant of the Withings user `tokens.user_id`.

    Raises:
        ProviderRejected: no user id is known, or Withings refused the call.
        TransientProviderError: Withings could not be reached or failed.
    """
    if not tokens.user_id:
        raise ProviderRejected(PROVIDER, "the Withings user id is unknown: nothing to revoke")
    url = client.revoke_url or client.token_url
    timestamp = str(int(time.time()))
    nonce_form = {"action": "getnonce", "client_id": client.client_id, "timestamp": timestamp}
    answer = _post(signature_url(client.token_url), {**nonce_form, "signature": sign(nonce_form, client.client_secret)})
    nonce = payload(answer).get("nonce")
    if not isinstance(nonce, str) or not nonce:
        raise TransientProviderError(PROVIDER, "the Withings nonce answer has no nonce")
    signed = {"action": "revoke", "client_id": client.client_id, "nonce": nonce}
    _post(url, {**signed, "signature": sign(signed, client.client_secret), "userid": tokens.user_id})
