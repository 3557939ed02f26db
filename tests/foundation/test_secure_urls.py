"""Issuer, JWKS and provider URLs must be https, except on loopback addresses (local development)."""

from __future__ import annotations

import os

import pytest

from shared.config import SettingsError, load_settings

URL_SETTINGS = ["PERSONICLE_OIDC_ISSUER", "PERSONICLE_OIDC_JWKS_URL", "OURA_TOKEN_URL", "FITBIT_AUTHORIZE_URL",
                "GOOGLE_FIT_API_URL", "OURA_REVOKE_URL"]


@pytest.mark.parametrize("name", URL_SETTINGS)
@pytest.mark.parametrize("value", ["http://idp.example/oidc", "http://127.0.0.1.example.com/x", "http://10.0.0.5/x"],
                         ids=["public", "loopback-lookalike", "private"])
def test_plain_http_to_another_host_is_refused(name, value):
    with pytest.raises(SettingsError, match=f"malformed setting {name}: expected an https URL"):
        load_settings({**os.environ, name: value})


@pytest.mark.parametrize("value", ["https://idp.example/oidc", "http://127.0.0.1:7080/oidc", "http://localhost:7080",
                                   "http://[::1]:7080/oidc", "http://127.8.0.1/oidc"],
                         ids=["https", "ipv4-loopback", "localhost", "ipv6-loopback", "loopback-range"])
@pytest.mark.parametrize("name", URL_SETTINGS)
def test_https_and_loopback_are_accepted(name, value):
    load_settings({**os.environ, name: value})
