"""JSON through msgspec, with the standard library's results exactly.

Provider answers are decoded and records encoded many times a second, and the standard `json` module
is most of a worker's CPU time there. msgspec decodes about twice and encodes about nine times as fast
(benchmarks/bench_worker.py), and agrees with `json` except in a few corners, which go to `json`:
- decoding: `NaN`, `Infinity`, `1E400` and lone surrogates, which `json` accepts and msgspec refuses;
- encoding: floats in exponent form or below 1e-4 (msgspec writes `1e16`, `2.5e-7` and `0.00001` where
  `json` writes `1e+16`, `2.5e-07` and `1e-05`): output holding `e` before a sign or digit, or
  `0.0000`, is produced by `json` instead (a string holding those characters only costs speed).
"""

from __future__ import annotations

import json
import re
from typing import Any

import msgspec

_decoder = msgspec.json.Decoder()
_encoder = msgspec.json.Encoder()
_EXPONENT = re.compile(rb"e[-+0-9]")


def loads(data: bytes | str) -> Any:
    """Return the value of a JSON text, as `json.loads` would.

    Raises:
        ValueError: the text is not JSON (`json.JSONDecodeError`).
    """
    try:
        return _decoder.decode(data)
    except (msgspec.DecodeError, msgspec.ValidationError):
        return json.loads(data)


def dumps_validated(value: Any, *, sort_keys: bool = False) -> bytes:
    """Return compact UTF-8 JSON, byte for byte what `json.dumps(separators=(",", ":"), ensure_ascii=False)` gives.

    Only for values already validated as the contract requires: msgspec writes NaN and infinities as
    `null` where `json.dumps(allow_nan=False)` raises, and checking every float here would cost what
    msgspec saves. The contract's validation (and `Event` for its parameters) refuses them first.

    Raises:
        TypeError, ValueError: a value JSON cannot hold (as `json.dumps`).
    """
    try:
        encoded = _encoder.encode(value, order="sorted") if sort_keys else _encoder.encode(value)
    except (msgspec.EncodeError, TypeError, OverflowError):
        encoded = None
    if encoded is None or _EXPONENT.search(encoded) is not None or encoded.find(b"0.0000") != -1:
        return json.dumps(value, separators=(",", ":"), ensure_ascii=False, allow_nan=False,
                          sort_keys=sort_keys).encode("utf-8")
    return encoded
