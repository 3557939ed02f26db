"""shared.fastjson gives exactly what the standard library gives, on real and on awkward input."""

from __future__ import annotations

import json
import math
from pathlib import Path

import pytest

from shared.contract.records import DatastreamPacket, Point
from shared.contract.wire import to_wire, validate_wire
from shared.errors import RecordValidationError
from shared.fastjson import dumps_validated, loads
from tests.contract.samples import T0

FIXTURES = sorted((Path(__file__).resolve().parents[1] / "providers").glob("*/fixtures/*.json"))
AWKWARD_TEXTS = [
    b"123456789012345678901234567890", b"-9223372036854775809", b"18446744073709551615", b"1E400", b"-1e400",
    b'"\\ud800"', b'{"a":1,"a":2}', b"  [] ", b"NaN", b"[Infinity, -Infinity]", b'{"n": 1.5e-7, "m": 1e-05}',
    '{"é": "ü"}'.encode(), b'{"t":"1727740800000000000","v":[1727740800000000000]}', b"0.1", b"-0.0",
]
AWKWARD_VALUES = [
    {"a": "x\x00\x1f\n\t\x7f\"\\/é😀\u2028", "b": [1, 2.5, None, True, False, -0.0, 1e15, 123.456]},
    [1e16, 1e22, 1e-5, 5e-05, 2.5e-7, 0.0001, 0.00012, 72.30000305175781, 1e-4], {"big": 2**64, "neg": -(2**63) - 1},
    {1: "int key"}, {"z": 1, "a": {"y": 2, "b": 3}}, "plain", 0, [],
]


@pytest.mark.parametrize("path", FIXTURES, ids=[p.parent.parent.name + "/" + p.name for p in FIXTURES])
def test_provider_fixtures_decode_exactly(path):
    raw = path.read_bytes()
    assert _same(loads(raw), json.loads(raw))


@pytest.mark.parametrize("text", AWKWARD_TEXTS, ids=[t[:20].decode(errors="replace") for t in AWKWARD_TEXTS])
def test_awkward_texts_decode_exactly(text):
    try:
        expected = json.loads(text)
    except ValueError as error:
        with pytest.raises(type(error)):
            loads(text)
        return
    assert _same(loads(text), expected)


@pytest.mark.parametrize("value", AWKWARD_VALUES, ids=[str(i) for i in range(len(AWKWARD_VALUES))])
@pytest.mark.parametrize("sort_keys", [False, True], ids=["insertion", "sorted"])
def test_encoding_is_byte_for_byte_the_standard_librarys(value, sort_keys):
    expected = json.dumps(value, separators=(",", ":"), ensure_ascii=False, allow_nan=False, sort_keys=sort_keys)
    assert dumps_validated(value, sort_keys=sort_keys) == expected.encode("utf-8")


@pytest.mark.parametrize("value", [math.nan, math.inf], ids=["nan", "inf"])
def test_non_finite_numbers_never_reach_the_encoder(value):
    packet = DatastreamPacket("com.personicle.individual.datastreams.weight", "u", "oura", "kilogram", None,
                              (Point(T0, value),))
    with pytest.raises(RecordValidationError):
        validate_wire(to_wire(packet))


def _same(a, b) -> bool:
    """Equal, with the same types all the way down (1 and 1.0 differ; NaN equals NaN)."""
    if type(a) is not type(b):
        return False
    if isinstance(a, dict):
        return list(a) == list(b) and all(_same(a[k], b[k]) for k in a)
    if isinstance(a, list):
        return len(a) == len(b) and all(_same(x, y) for x, y in zip(a, b))
    if isinstance(a, float) and math.isnan(a):
        return math.isnan(b)
    return a == b
