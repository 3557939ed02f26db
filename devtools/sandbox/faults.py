"""Switchable faults and call counters per sandbox endpoint."""

from __future__ import annotations

import threading
from collections import Counter
from dataclasses import asdict, dataclass, field, replace
from typing import Any

FAULT_KINDS = ("status", "non_json", "slow", "drop")


@dataclass(frozen=True)
class Fault:
    """The next `count` calls of `endpoint` misbehave in one way.

    Kinds:
        status: answer `status` (default 503) with `body`, or the provider-shaped error body of
            the endpoint when `body` is None; `headers` are added (e.g. Retry-After).
        non_json: answer `status` (default 502) with an HTML error page.
        slow: wait `delay` seconds (default 30), then answer normally, or answer the `status`
            fault when `status` is set. The request is still processed, as a real server would.
        drop: close the connection without an answer.
    """

    endpoint: str
    kind: str = "status"
    count: int = 1
    status: int | None = None
    body: Any = None
    headers: dict[str, str] = field(default_factory=dict)
    delay: float = 30.0

    def __post_init__(self) -> None:
        if self.kind not in FAULT_KINDS:
            raise ValueError(f"unknown fault kind {self.kind!r}; expected one of {', '.join(FAULT_KINDS)}")
        if self.count < 1:
            raise ValueError("count must be at least 1")
        if self.status is not None and not 100 <= self.status <= 599:
            raise ValueError("status must be an HTTP status code")
        if self.delay < 0:
            raise ValueError("delay must not be negative")

    @classmethod
    def from_json(cls, data: Any) -> Fault:
        """Build a fault from its JSON form (the same field names).

        Raises:
            ValueError: unknown fields or invalid values.
        """
        if not isinstance(data, dict) or not isinstance(data.get("endpoint"), str):
            raise ValueError("expected a JSON object with an endpoint name")
        unknown = set(data) - {f for f in cls.__dataclass_fields__}
        if unknown:
            raise ValueError(f"unknown fault fields: {', '.join(sorted(unknown))}")
        try:
            return cls(**data)
        except TypeError as exc:
            raise ValueError(str(exc)) from None

    def to_json(self) -> dict[str, Any]:
        """Return the JSON form of the fault."""
        return asdict(self)


class FaultBook:
    """Pending faults, consumed first-in first-out per endpoint."""

    def __init__(self) -> None:
        self._lock = threading.Lock()
        self._faults: list[Fault] = []

    def add(self, fault: Fault) -> None:
        """Queue a fault."""
        with self._lock:
            self._faults.append(fault)

    def take(self, endpoint: str) -> Fault | None:
        """Consume one call's worth of the oldest fault of `endpoint`, or return None."""
        with self._lock:
            for index, fault in enumerate(self._faults):
                if fault.endpoint == endpoint:
                    if fault.count == 1:
                        del self._faults[index]
                    else:
                        self._faults[index] = replace(fault, count=fault.count - 1)
                    return fault
            return None

    def pending(self) -> list[Fault]:
        """Return the faults still queued."""
        with self._lock:
            return list(self._faults)

    def clear(self) -> None:
        """Drop every pending fault."""
        with self._lock:
            self._faults.clear()


class Counters:
    """Calls per endpoint name (and per `<name>:<detail>`, e.g. `google.token:refresh_token`)."""

    def __init__(self) -> None:
        self._lock = threading.Lock()
        self._counts: Counter[str] = Counter()

    def add(self, name: str) -> None:
        """Count one call."""
        with self._lock:
            self._counts[name] += 1

    def get(self, name: str) -> int:
        """Return the number of calls counted under `name`."""
        with self._lock:
            return self._counts[name]

    def snapshot(self) -> dict[str, int]:
        """Return every counter."""
        with self._lock:
            return dict(sorted(self._counts.items()))

    def clear(self) -> None:
        """Reset every counter to zero."""
        with self._lock:
            self._counts.clear()
