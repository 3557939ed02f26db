"""The budget arithmetic with a fake clock: sliding slots, waits, and the settings' form (no services)."""

from __future__ import annotations

import random

import pytest

from shared.budget import windows
from shared.budget.limits import RequestBudget, request_budgets
from shared.config import load_settings

MINUTE = RequestBudget(90, 60)
DAY = RequestBudget(9500, 86400)


class FakeStore:
    """Counted slots in memory, as the PostgreSQL table holds them, judged by the same arithmetic."""

    def __init__(self, budgets: tuple[RequestBudget, ...]) -> None:
        self.budgets = budgets
        self.slots: dict[int, dict[int, int]] = {}

    def spend(self, now_ms: int) -> windows.Verdict:
        view = {period: sorted(counts.items()) for period, counts in self.slots.items()}
        verdict = windows.judge(self.budgets, view, now_ms)
        if verdict.allowed:
            for budget in self.budgets:
                counts = self.slots.setdefault(windows.period_ms(budget), {})
                start = windows.slot_start(budget, now_ms)
                counts[start] = counts.get(start, 0) + 1
        return verdict


def test_slots_are_a_sixtieth_of_the_period_and_cover_the_whole_last_period() -> None:
    now = 1_000_000_123
    assert windows.slot_ms(MINUTE) == 1000 and windows.slot_ms(DAY) == 1_440_000
    assert windows.slot_start(MINUTE, now) == 1_000_000_000
    since = windows.counted_since(MINUTE, now)
    assert since == 999_940_000 and since <= now - 60_000 < since + windows.slot_ms(MINUTE)


def test_a_full_budget_waits_until_its_oldest_slot_leaves_the_period() -> None:
    slots = [(0, 40), (1000, 50)]  # 90 calls in the first two seconds
    assert windows.used(MINUTE, slots, 30_000) == 90
    assert windows.wait_ms(MINUTE, slots, 30_000) == 0 + 1000 + 60_000 - 30_000
    verdict = windows.judge((MINUTE,), {60_000: slots}, 30_000)
    assert not verdict.allowed and verdict.wait_seconds == 31.0
    assert verdict.uses == (windows.BudgetUse(90, 60, 90),)


def test_room_returns_once_the_wait_is_over() -> None:
    slots = [(0, 40), (1000, 50)]
    assert windows.judge((MINUTE,), {60_000: slots}, 60_999).allowed is False
    assert windows.judge((MINUTE,), {60_000: slots}, 61_000).allowed is True
    assert windows.used(MINUTE, slots, 61_000) == 50


def test_the_wait_is_the_longest_of_the_spent_budgets() -> None:
    day_slots = [(0, 9000), (1_440_000, 500)]
    verdict = windows.judge((MINUTE, DAY), {86_400_000: day_slots}, 3_600_000)
    assert not verdict.allowed
    assert verdict.wait_seconds == (0 + 1_440_000 + 86_400_000 - 3_600_000) / 1000
    assert [use.used for use in verdict.uses] == [0, 9500]


def test_an_allowed_call_counts_itself_in_the_uses() -> None:
    verdict = windows.judge((MINUTE,), {60_000: [(0, 10)]}, 5_000)
    assert verdict.allowed and verdict.wait_seconds == 0 and verdict.uses[0].used == 11


@pytest.mark.parametrize("seed", range(5))
def test_no_stretch_of_a_period_ever_holds_more_calls_than_the_budget(seed: int) -> None:
    budget = RequestBudget(20, 6)
    store = FakeStore((budget,))
    rng = random.Random(seed)
    now, allowed_at = 0, []
    for _ in range(3000):
        now += rng.choice((1, 5, 20, 90, 400))
        verdict = store.spend(now)
        if verdict.allowed:
            allowed_at.append(now)
        else:
            assert verdict.wait_seconds > 0
            if rng.random() < 0.5:  # a caller that honours the wait is allowed when it comes back
                now += int(verdict.wait_seconds * 1000)
                assert store.spend(now).allowed
                allowed_at.append(now)
    period = windows.period_ms(budget)
    busiest = max(sum(1 for t in allowed_at if start <= t < start + period) for start in allowed_at)
    assert busiest == budget.requests  # reached, never passed


def test_a_fixed_window_would_allow_twice_the_budget_across_its_boundary_but_slots_do_not() -> None:
    store = FakeStore((MINUTE,))
    burst = [59_900] * 90 + [60_100] * 90  # 90 calls just before a minute boundary, 90 just after
    allowed = sum(store.spend(at).allowed for at in burst)
    assert allowed == 90


@pytest.mark.parametrize("raw, parsed", [
    ("90/60,9500/86400", (MINUTE, DAY)),
    (" 108/60 ", (RequestBudget(108, 60),)),
    ("9/0.5", (RequestBudget(9, 0.5),)),
    ("none", ()),
    ("NONE", ()),
])
def test_budget_settings_are_requests_per_seconds(raw: str, parsed: tuple) -> None:
    assert request_budgets(raw) == parsed
    assert ",".join(str(budget) for budget in parsed) == (raw.strip() if parsed else "")


@pytest.mark.parametrize("raw", ["90", "90/", "/60", "0/60", "90/0", "90/-1", "90/inf", "ninety/60", "90/60,"])
def test_malformed_budget_settings_are_refused(raw: str) -> None:
    with pytest.raises(ValueError):
        request_budgets(raw)


def test_providers_declare_budgets_under_the_vendors_limits_and_settings_override_them() -> None:
    import os

    from shared.providers import PROVIDERS

    settings = load_settings(dict(os.environ))
    assert PROVIDERS["whoop"].budgets(settings) == (MINUTE, DAY)
    assert PROVIDERS["withings"].budgets(settings) == (RequestBudget(108, 60),)
    assert PROVIDERS["oura"].budgets(settings) == ()
    changed = load_settings({**os.environ, "WHOOP_REQUEST_BUDGETS": "50/60", "WITHINGS_REQUEST_BUDGETS": "none"})
    assert PROVIDERS["whoop"].budgets(changed) == (RequestBudget(50, 60),)
    assert PROVIDERS["withings"].budgets(changed) == ()


def test_a_malformed_budget_setting_is_named() -> None:
    import os

    from shared.config import SettingsError

    with pytest.raises(SettingsError) as refused:
        load_settings({**os.environ, "WHOOP_REQUEST_BUDGETS": "lots"})
    assert "malformed setting WHOOP_REQUEST_BUDGETS" in str(refused.value)
