"""Calls a person waits on (the connect flow's) wait a little for room in the app-wide budget, then give up."""

import pytest

from shared.budget.gate import spend_waiting
from shared.errors import BudgetSpent


class _Gate:
    """A budget with room again after the given waits were refused."""

    def __init__(self, *refusals: float) -> None:
        self.refusals = list(refusals)
        self.spent = 0

    def spend(self) -> None:
        if self.refusals:
            raise BudgetSpent("whoop", self.refusals.pop(0))
        self.spent += 1


def test_a_short_wait_is_slept_and_the_call_counted():
    slept: list[float] = []
    gate = _Gate(0.4, 0.3)

    spend_waiting(gate, 10.0, slept.append)

    assert slept == [0.4, 0.3] and gate.spent == 1


def test_a_wait_beyond_the_limit_gives_up_without_sleeping_it():
    slept: list[float] = []
    gate = _Gate(3.0, 8.0)

    with pytest.raises(BudgetSpent):
        spend_waiting(gate, 10.0, slept.append)
    assert slept == [3.0] and gate.spent == 0
