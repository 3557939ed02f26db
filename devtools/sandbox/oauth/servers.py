"""An imitated OAuth authorization server, as the providers that use it name it."""

from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from typing import Any

from devtools.sandbox.web import Router


@dataclass(frozen=True)
class AuthorizationServer:
    """One authorization server: the key of its clients and grants, its own scopes, knobs and routes.

    Several providers may share one server (each registers its client and scopes with it).
    """

    name: str
    register: Callable[[Router], None]
    knobs: Any  # default switches: a frozen dataclass with fields named after the server
    scopes: Mapping[str, str] = field(default_factory=dict)  # scope -> consent-page label
