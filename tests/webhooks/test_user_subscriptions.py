"""Per-user subscriptions never stop a confirmation or a disconnect (no services)."""

from __future__ import annotations

import dataclasses
import logging

import pytest

from shared.errors import ProviderRejected, RequestError
from shared.providers import PROVIDERS
from shared.providers.base import TokenSet, Webhook
from shared.webhooks.user_subscriptions import subscribe_user, unsubscribe_user

TOKENS = TokenSet("access-token-value", None, None, ("user.metrics",), user_id="7")


class Subscriptions:
    """A provider's subscriptions answering with `outcome` (a count or an exception)."""

    def __init__(self, outcome) -> None:
        self.outcome = outcome
        self.calls: list[str] = []

    def _answer(self, action: str) -> int:
        self.calls.append(action)
        if isinstance(self.outcome, Exception):
            raise self.outcome
        return self.outcome

    def subscribe(self, settings, tokens) -> int:
        return self._answer("subscribe")

    def unsubscribe(self, settings, tokens) -> int:
        return self._answer("unsubscribe")


def _provider(subscriptions: Subscriptions):
    base = PROVIDERS["withings"]
    hook = dataclasses.replace(base.webhook, subscriptions=lambda: subscriptions)
    return dataclasses.replace(base, webhook=hook)


@pytest.mark.parametrize("run", [subscribe_user, unsubscribe_user], ids=["subscribe", "unsubscribe"])
def test_counts_pass_through(run):
    subscriptions = Subscriptions(3)
    assert run(_provider(subscriptions), None, TOKENS, "c-1") == 3
    assert subscriptions.calls == [run.__name__.split("_")[0]]


@pytest.mark.parametrize("failure", [ProviderRejected("withings", "refused", status=400),
                                     RequestError(503, "provider_not_configured", "no secret")],
                         ids=["provider-refused", "not-configured"])
def test_a_failure_is_logged_without_the_tokens_and_not_raised(failure, caplog):
    caplog.set_level(logging.INFO)
    assert subscribe_user(_provider(Subscriptions(failure)), None, TOKENS, "c-1") is None
    assert caplog.records and "access-token-value" not in caplog.text


def test_providers_without_user_subscriptions_are_left_alone():
    assert subscribe_user(PROVIDERS["oura"], None, TOKENS, "c-1") is None
    no_hook = dataclasses.replace(PROVIDERS["withings"], webhook=Webhook((), PROVIDERS["withings"].webhook.receiver))
    assert unsubscribe_user(no_hook, None, TOKENS, "c-1") is None
