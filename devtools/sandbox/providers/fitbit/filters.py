"""The list/reconcile filter grammar of the Google Health API (docs/providers/fitbit.md 3.5).

    filter      := disjunction ("AND" disjunction)*
    disjunction := restriction ("OR" restriction)*        OR only for sleep end times
    restriction := <snake_type>.<member> (">=" | "<") "<literal>"

Members per kind: interval `interval.start_time` / `interval.civil_start_time`; sample
`sample_time.physical_time` / `sample_time.civil_time`; daily `date`; exercise and other sessions
`interval.civil_start_time`; sleep `interval.end_time` / `interval.civil_end_time`. Physical and
civil restrictions may not be mixed; an upper bound must exceed its lower bound.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime, timezone

from devtools.sandbox.providers.fitbit.types import TYPES, HealthType

UTC = timezone.utc
_PREFIX = "INVALID_DATA_POINT_FILTER"
_TOKEN = re.compile(r'\s*(?:(?P<string>"[^"]*")|(?P<op>>=|<=|!=|>|<|=|:)|(?P<word>[A-Za-z_][\w.\-]*)|(?P<bad>\S))')
_CIVIL = re.compile(r"(\d{4})-(\d{2})-(\d{2})(?:T(\d{2}):(\d{2}):(\d{2})(?:\.\d{1,9})?)?")
_DAY = 86400
_CIVIL_SLACK = 14 * 3600
INFINITY = float("inf")


class FilterError(ValueError):
    """A filter the API refuses: `reason` is the ErrorInfo reason."""

    def __init__(self, reason: str, message: str) -> None:
        super().__init__(message)
        self.reason = reason


@dataclass(frozen=True)
class Restriction:
    """One `member op literal`: `clock` physical|civil|date, `anchor` start|end|sample|date."""

    clock: str
    anchor: str
    lower: bool  # True for >=, False for <
    value: float  # epoch seconds (civil and date literals read as if UTC)

    def holds(self, seconds: float) -> bool:
        """Tell whether a record time satisfies the restriction."""
        return seconds >= self.value if self.lower else seconds < self.value

    def key_bounds(self) -> tuple[float, float]:
        """Return the record key (start or sample time) range this restriction allows, generously."""
        slack = _CIVIL_SLACK if self.clock == "civil" else 0
        if self.lower:
            return self.value - slack - (_DAY if self.anchor == "end" else 0), INFINITY
        return -INFINITY, self.value + slack


@dataclass(frozen=True)
class Filter:
    """A parsed filter: every disjunction must hold."""

    disjunctions: tuple[tuple[Restriction, ...], ...]

    def matches(self, times: Callable[[str, str], float]) -> bool:
        """Tell whether a record matches; `times(clock, anchor)` returns the record's time."""
        return all(any(r.holds(times(r.clock, r.anchor)) for r in alternatives) for alternatives in self.disjunctions)

    def key_span(self) -> tuple[float, float]:
        """Return the range of record keys that can match."""
        lower, upper = -INFINITY, INFINITY
        for alternatives in self.disjunctions:
            spans = [r.key_bounds() for r in alternatives]
            lower = max(lower, min(span[0] for span in spans))
            upper = min(upper, max(span[1] for span in spans))
        return lower, upper

    @property
    def exact_on_key(self) -> bool:
        """Tell whether `key_span` alone decides a match (physical start or sample bounds, no OR)."""
        return all(len(alternatives) == 1 and alternatives[0].clock == "physical"
                   and alternatives[0].anchor in ("start", "sample") for alternatives in self.disjunctions)

    @property
    def is_civil(self) -> bool:
        """Tell whether the filter restricts civil (or date) time."""
        return any(r.clock != "physical" for alternatives in self.disjunctions for r in alternatives)


EMPTY = Filter(())


def _members(kind: HealthType) -> dict[str, tuple[str, str]]:
    if kind.path_id == "sleep":
        return {"interval.end_time": ("physical", "end"), "interval.civil_end_time": ("civil", "end")}
    if kind.kind == "session":
        return {"interval.civil_start_time": ("civil", "start")}
    if kind.kind == "interval":
        return {"interval.start_time": ("physical", "start"), "interval.civil_start_time": ("civil", "start")}
    if kind.kind == "sample":
        return {"sample_time.physical_time": ("physical", "sample"), "sample_time.civil_time": ("civil", "sample")}
    return {"date": ("date", "date")}


def _tokens(text: str) -> list[tuple[str, str]]:
    out = []
    for match in _TOKEN.finditer(text):
        kind = match.lastgroup or "bad"
        if kind == "bad":
            raise FilterError(f"{_PREFIX}_SYNTAX", f"Unexpected character {match.group(kind)!r} in filter.")
        out.append((kind, match.group(kind)))
    return out


def parse(text: str | None, kind: HealthType) -> Filter:
    """Parse a filter for data type `kind` (None or blank: no filter).

    Raises:
        FilterError: with the reason the API gives.
    """
    if text is None or not text.strip():
        return EMPTY
    tokens = _tokens(text)
    position = 0
    disjunctions: list[tuple[Restriction, ...]] = []
    alternatives: list[Restriction] = []
    while True:
        if len(tokens) - position < 3:
            raise FilterError(f"{_PREFIX}_UNEXPECTED_END_OF_INPUT", "Filter ended in the middle of a restriction.")
        (k1, member), (k2, op), (k3, literal) = tokens[position:position + 3]
        if k1 != "word" or k2 != "op" or k3 != "string":
            raise FilterError(f"{_PREFIX}_UNEXPECTED_TOKEN", "Expected <field> <operator> \"<value>\".")
        alternatives.append(_restriction(member, op, literal[1:-1], kind))
        position += 3
        if position == len(tokens):
            disjunctions.append(tuple(alternatives))
            break
        joiner = tokens[position][1]
        position += 1
        if joiner == "OR":
            if kind.path_id != "sleep":
                raise FilterError(f"{_PREFIX}_EXPRESSION_STRUCTURE", "OR is not supported for this data type.")
        elif joiner == "AND":
            disjunctions.append(tuple(alternatives))
            alternatives = []
        else:
            raise FilterError(f"{_PREFIX}_UNEXPECTED_TOKEN", f"Expected AND or OR, got {joiner!r}.")
    parsed = Filter(tuple(disjunctions))
    clocks = {r.clock for alternatives in parsed.disjunctions for r in alternatives}
    if "physical" in clocks and len(clocks) > 1:
        raise FilterError(f"{_PREFIX}_MIXED_TIME_RESTRICTIONS", "Physical and civil time restrictions cannot be mixed.")
    _check_ranges(parsed)
    return parsed


def _restriction(member: str, op: str, literal: str, kind: HealthType) -> Restriction:
    prefix, _, path = member.partition(".")
    if prefix != kind.filter_prefix:
        known = {t.filter_prefix for t in TYPES.values()}
        reason = "COLLECTION_MISMATCH" if prefix in known else "DATA_TYPE_RESTRICTION"
        raise FilterError(f"{_PREFIX}_{reason}", f"Filter field {member!r} does not name data type "
                                                  f"{kind.filter_prefix!r}.")
    found = _members(kind).get(path)
    if found is None:
        raise FilterError(f"{_PREFIX}_DATA_TYPE_MEMBER", f"Field {path!r} cannot be used to filter {kind.path_id}.")
    if op not in (">=", "<"):
        raise FilterError(f"{_PREFIX}_RESTRICTION_COMPARATOR", f"Operator {op!r} is not supported; use >= or <.")
    clock, anchor = found
    return Restriction(clock, anchor, op == ">=", _literal(clock, literal))


def _literal(clock: str, literal: str) -> float:
    if clock == "physical":
        try:
            parsed = datetime.fromisoformat(literal)
        except ValueError:
            parsed = None
        if parsed is None or parsed.tzinfo is None or "T" not in literal:
            raise FilterError(f"{_PREFIX}_TIMESTAMP_FORMAT", f"Invalid timestamp {literal!r}.")
        return parsed.timestamp()
    match = _CIVIL.fullmatch(literal)
    if match is None or (clock == "date" and match.group(4) is not None):
        raise FilterError(f"{_PREFIX}_CIVIL_DATE_TIME_FORMAT", f"Invalid civil date-time {literal!r}.")
    numbers = [int(g) if g is not None else 0 for g in match.groups()]
    try:
        return datetime(*numbers, tzinfo=UTC).timestamp()  # type: ignore[misc]
    except ValueError:
        raise FilterError("INVALID_CIVIL_DATE_TIME", f"Invalid civil date-time {literal!r}.") from None


def _check_ranges(parsed: Filter) -> None:
    bounds: dict[tuple[str, str], list[float]] = {}
    for alternatives in parsed.disjunctions:
        if len(alternatives) != 1:
            continue
        r = alternatives[0]
        low, high = bounds.setdefault((r.clock, r.anchor), [-INFINITY, INFINITY])
        if r.lower:
            bounds[(r.clock, r.anchor)][0] = max(low, r.value)
        else:
            bounds[(r.clock, r.anchor)][1] = min(high, r.value)
    for low, high in bounds.values():
        if high <= low:
            raise FilterError("INVALID_TIME_RANGE", "The end of the time range must be after its start.")
