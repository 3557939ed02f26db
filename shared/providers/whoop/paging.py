"""Our page tokens for the WHOOP streams (opaque to the engine): `{"v": 1, "nt": "<WHOOP next_token>"}`.

A window is read with one request per page; WHOOP's `next_token` is sent back as `nextToken`
with the same `start` and `end` (docs/providers/whoop.md 3.1).
"""

from __future__ import annotations

from shared.sync.rest import NextTokenPaging

PAGING = NextTokenPaging("whoop")
encode = PAGING.encode
decode = PAGING.decode
