"""Polling as the safety net: the scheduler's plan for a due connection, by its provider's webhook health."""

from dataclasses import replace
from datetime import datetime, timedelta, timezone

import pytest

from shared.config import load_settings
from shared.sync.poll_policy import PollPlan, poll_plan, webhooks_healthy
from tests.sync.test_engine_rules import SETTINGS

NOW = datetime(2026, 6, 1, tzinfo=timezone.utc)
HOUR = timedelta(hours=1)
CONFIG = replace(load_settings(SETTINGS), webhook_healthy_minutes=360, sync_reconcile_interval_minutes=1440)


@pytest.mark.parametrize("last, healthy", [
    (None, False), (NOW - 5 * HOUR, True), (NOW - 6 * HOUR, True), (NOW - 7 * HOUR, False),
], ids=["never", "recent", "at-the-limit", "silent"])
def test_webhooks_are_healthy_while_a_notification_is_recent(last, healthy):
    assert webhooks_healthy(last, NOW, CONFIG) is healthy


@pytest.mark.parametrize("healthy, polled, plan", [
    (False, NOW - HOUR, PollPlan("incremental", HOUR)),
    (True, None, PollPlan("reconcile", HOUR)),
    (True, NOW - 25 * HOUR, PollPlan("reconcile", HOUR)),
    (True, NOW - 2 * HOUR, PollPlan(None, HOUR)),
], ids=["unhealthy-polls", "healthy-never-polled", "healthy-daily-reconcile", "healthy-in-between"])
def test_the_plan_for_a_due_connection(healthy, polled, plan):
    assert poll_plan("oura", healthy, polled, NOW, CONFIG) == plan
