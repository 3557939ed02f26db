"""Read local.settings.json and host.json the way the Functions host does."""

from __future__ import annotations

import json
import re
from collections.abc import Mapping, MutableMapping
from dataclasses import dataclass, field
from datetime import timedelta
from pathlib import Path
from typing import Any

_TIMESPAN = re.compile(r"^(?:(\d+)\.)?(\d{1,2}):(\d{2}):(\d{2})(?:\.(\d{1,7}))?$")
_SETTING_REF = re.compile(r"%([^%]+)%")


class HostConfigError(ValueError):
    """The local host cannot start: the message names the setting, file or function at fault."""


@dataclass(frozen=True)
class LocalSettings:
    """The parts of local.settings.json the host uses: app settings and CORS."""

    values: Mapping[str, str] = field(default_factory=dict)
    cors_origins: tuple[str, ...] = ()
    cors_credentials: bool = False
    http_port: int | None = None


@dataclass(frozen=True)
class QueueOptions:
    """The `extensions.queues` section of host.json, with the host's defaults."""

    message_encoding: str = "base64"
    batch_size: int = 16
    new_batch_threshold: int = 8
    max_dequeue_count: int = 5
    visibility_timeout: timedelta = timedelta(0)
    max_polling_interval: timedelta = timedelta(minutes=1)


@dataclass(frozen=True)
class HostConfig:
    """The host.json settings the local host honours."""

    route_prefix: str = "api"
    function_timeout: timedelta = timedelta(minutes=5)
    queues: QueueOptions = QueueOptions()


def parse_timespan(raw: str, name: str) -> timedelta:
    """Parse a .NET TimeSpan string such as `00:00:30` or `1.02:00:00`.

    Raises:
        HostConfigError: the value is not a TimeSpan.
    """
    match = _TIMESPAN.match(str(raw).strip())
    if not match:
        raise HostConfigError(f"{name}: expected a TimeSpan like 00:00:30, got {raw!r}")
    days, hours, minutes, seconds, fraction = match.groups()
    return timedelta(
        days=int(days or 0), hours=int(hours), minutes=int(minutes), seconds=int(seconds),
        microseconds=int((fraction or "0").ljust(7, "0")[:6]),
    )


def load_local_settings(path: Path) -> LocalSettings:
    """Read local.settings.json; a missing file gives empty settings.

    Raises:
        HostConfigError: the file is not valid JSON or `Values` holds a non-scalar.
    """
    if not path.is_file():
        return LocalSettings()
    try:
        document = json.loads(path.read_text(encoding="utf-8"))
    except json.JSONDecodeError as error:
        raise HostConfigError(f"{path}: not valid JSON ({error})") from None
    values: dict[str, str] = {}
    for name, value in (document.get("Values") or {}).items():
        if isinstance(value, (dict, list)):
            raise HostConfigError(f"{path}: Values.{name} must be a string")
        values[name] = "" if value is None else str(value)
    host = document.get("Host") or {}
    origins = tuple(o.strip().rstrip("/") for o in str(host.get("CORS") or "").split(",") if o.strip())
    port = host.get("LocalHttpPort")
    return LocalSettings(values=values, cors_origins=origins,
                         cors_credentials=bool(host.get("CORSCredentials", False)),
                         http_port=int(port) if port else None)


def apply_values(values: Mapping[str, str], environ: MutableMapping[str, str]) -> list[str]:
    """Copy app settings into the environment without overriding set variables; return names set."""
    applied = []
    for name, value in values.items():
        if name not in environ:
            environ[name] = value
            applied.append(name)
    return applied


def _int_option(section: Mapping[str, Any], key: str, default: int, minimum: int) -> int:
    raw = section.get(key, default)
    if isinstance(raw, bool) or not isinstance(raw, int) or raw < minimum:
        raise HostConfigError(f"host.json extensions.queues.{key}: expected a whole number >= {minimum}")
    return raw


def parse_host_json(document: Mapping[str, Any]) -> HostConfig:
    """Turn a host.json document into HostConfig, applying the host's defaults.

    Raises:
        HostConfigError: a value has the wrong shape.
    """
    extensions = document.get("extensions") or {}
    http = extensions.get("http") or {}
    section = extensions.get("queues") or {}
    defaults = QueueOptions()
    encoding = str(section.get("messageEncoding", defaults.message_encoding)).lower()
    if encoding not in ("base64", "none"):
        raise HostConfigError("host.json extensions.queues.messageEncoding: expected base64 or none")
    batch_size = _int_option(section, "batchSize", defaults.batch_size, 1)
    queues = QueueOptions(
        message_encoding=encoding,
        batch_size=min(batch_size, 32),
        new_batch_threshold=_int_option(section, "newBatchThreshold", batch_size // 2, 0),
        max_dequeue_count=_int_option(section, "maxDequeueCount", defaults.max_dequeue_count, 1),
        visibility_timeout=parse_timespan(
            section.get("visibilityTimeout", "00:00:00"), "host.json extensions.queues.visibilityTimeout"),
        max_polling_interval=parse_timespan(
            section.get("maxPollingInterval", "00:01:00"), "host.json extensions.queues.maxPollingInterval"),
    )
    timeout = document.get("functionTimeout")
    return HostConfig(
        route_prefix=str(http.get("routePrefix", "api")).strip("/"),
        function_timeout=(parse_timespan(timeout, "host.json functionTimeout")
                          if timeout else HostConfig.function_timeout),
        queues=queues,
    )


def load_host_json(path: Path) -> HostConfig:
    """Read and parse host.json.

    Raises:
        HostConfigError: the file is missing, not JSON, or has a malformed value.
    """
    try:
        document = json.loads(path.read_text(encoding="utf-8"))
    except FileNotFoundError:
        raise HostConfigError(f"{path}: host.json not found") from None
    except json.JSONDecodeError as error:
        raise HostConfigError(f"{path}: not valid JSON ({error})") from None
    return parse_host_json(document)


def resolve_setting_refs(value: str, environ: Mapping[str, str], where: str) -> str:
    """Replace each `%NAME%` in a binding value by the app setting NAME.

    Raises:
        HostConfigError: a referenced setting is not set.
    """
    def substitute(match: re.Match[str]) -> str:
        name = match.group(1)
        if name not in environ:
            raise HostConfigError(f"{where}: app setting {name!r} (from %{name}%) is not set")
        return environ[name]

    return _SETTING_REF.sub(substitute, value)
