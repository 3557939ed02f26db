"""Provider hooks that import their module on first use, so declaring a provider loads nothing heavy."""

from __future__ import annotations

import importlib
from collections.abc import Callable
from typing import Any


def imported(module: str, name: str) -> Callable[..., Any]:
    """Return a hook that imports `module` on its first call and calls its `name` with the hook's arguments."""
    def hook(*args: Any) -> Any:
        return getattr(importlib.import_module(module), name)(*args)

    hook.__name__ = name
    return hook
