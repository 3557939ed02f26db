"""Match request paths to HTTP functions with ASP.NET-style route templates, as the host does.

Supported: literal segments (case-insensitive), `{name}`, `{name?}`, `{name=default}`,
`{name:constraint}` with any chain of constraints (int, long, bool, alpha, guid, decimal, double,
float, datetime, minlength, maxlength, length, min, max, range, regex, required; unknown ones are
ignored), mixed segments like `{file}.{ext}` and a trailing catch-all `{*rest}`.
"""

from __future__ import annotations

import re
import uuid
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from datetime import datetime
from urllib.parse import unquote

from devtools.localhost.index import HttpFunction
from devtools.localhost.settings import HostConfigError


@dataclass(frozen=True)
class Param:
    """One route parameter with its constraints."""

    name: str
    optional: bool
    default: str | None
    catch_all: bool
    constraints: tuple[str, ...]


@dataclass(frozen=True)
class Segment:
    """One `/`-separated part of a template, compiled to a regex over the decoded segment.

    `rank` orders templates as ASP.NET routing does, most specific first: 1 literal, 2 mixed,
    3 constrained parameter, 4 parameter, 5 optional parameter, 6 catch-all.
    """

    pattern: re.Pattern[str]
    params: tuple[Param, ...]
    rank: int

    @property
    def omittable(self) -> bool:
        """Return whether the segment may be absent (a lone optional, defaulted or catch-all parameter)."""
        return len(self.params) == 1 and self.pattern.pattern == "^(?P<p0>.+)$" and (
            self.params[0].optional or self.params[0].default is not None or self.params[0].catch_all)


def _number(text: str, kind: Callable[[str], float | int]) -> float | int | None:
    try:
        return kind(text)
    except ValueError:
        return None


def _in_int_range(value: str, bits: int) -> bool:
    number = _number(value, int) if re.fullmatch(r"-?\d+", value) else None
    return number is not None and -(2 ** (bits - 1)) <= number < 2 ** (bits - 1)


def _check(constraint: str, value: str) -> bool:
    name, _, raw_args = constraint.partition("(")
    args = [a.strip() for a in raw_args.rstrip(")").split(",")] if raw_args else []
    name = name.strip().lower()
    simple: dict[str, Callable[[str], bool]] = {
        "int": lambda v: _in_int_range(v, 32),
        "long": lambda v: _in_int_range(v, 64),
        "alpha": lambda v: re.fullmatch(r"[A-Za-z]+", v) is not None,
        "bool": lambda v: v.lower() in ("true", "false"),
        "guid": lambda v: _number(v, uuid.UUID) is not None,  # type: ignore[arg-type]
        "decimal": lambda v: _number(v, float) is not None,
        "double": lambda v: _number(v, float) is not None,
        "float": lambda v: _number(v, float) is not None,
        "datetime": lambda v: _number(v, datetime.fromisoformat) is not None,  # type: ignore[arg-type]
        "required": lambda v: v != "",
    }
    if name in simple:
        return simple[name](value)
    if name == "regex":
        return re.search(raw_args[:-1], value, re.IGNORECASE) is not None
    numbers = [int(a) for a in args if re.fullmatch(r"-?\d+", a)]
    if name in ("minlength", "maxlength", "length", "min", "max", "range") and numbers:
        size = len(value)
        measure = _number(value, int) if name in ("min", "max", "range") else size
        if measure is None:
            return False
        low, high = {"minlength": (numbers[0], None), "maxlength": (None, numbers[0]),
                     "min": (numbers[0], None), "max": (None, numbers[0]),
                     "length": (numbers[0], numbers[-1]), "range": (numbers[0], numbers[-1])}[name]
        return (low is None or measure >= low) and (high is None or measure <= high)
    return True


def _parse_param(body: str, template: str) -> Param:
    catch_all = body.startswith("*")
    body = body.lstrip("*")
    head, *constraints = _split_constraints(body)
    optional = head.endswith("?") or (bool(constraints) and constraints[-1].endswith("?"))
    if constraints and constraints[-1].endswith("?"):
        constraints[-1] = constraints[-1][:-1]
    head = head.rstrip("?")
    name, equals, default = head.partition("=")
    if not re.fullmatch(r"[A-Za-z_][A-Za-z0-9_]*", name):
        raise HostConfigError(f"route {template!r}: bad parameter {body!r}")
    return Param(name=name, optional=optional, default=default if equals else None,
                 catch_all=catch_all, constraints=tuple(constraints))


def _split_constraints(body: str) -> list[str]:
    parts, depth, current = [], 0, ""
    for char in body:
        depth += (char == "(") - (char == ")")
        if char == ":" and depth == 0:
            parts.append(current)
            current = ""
        else:
            current += char
    return [*parts, current]


def _compile_segment(text: str, template: str) -> Segment:
    pattern, params, depth, start = "", [], 0, -1
    for position, char in enumerate(text):
        if char == "{" and depth == 0:
            start = position
        if char in "()" and start >= 0:
            depth += 1 if char == "(" else -1
        if char == "}" and depth == 0 and start >= 0:
            params.append(_parse_param(text[start + 1:position], template))
            pattern += f"(?P<p{len(params) - 1}>.+?)"
            start = -1
        elif start < 0 and char not in "{}":
            pattern += re.escape(char)
    if start >= 0 or depth:
        raise HostConfigError(f"route {template!r}: unbalanced braces in {text!r}")
    if len(params) == 1 and pattern == "(?P<p0>.+?)":
        pattern = "(?P<p0>.+)"
        only = params[0]
        rank = 6 if only.catch_all else 5 if only.optional else 3 if only.constraints else 4
    else:
        rank = 1 if not params else 2
    return Segment(pattern=re.compile(f"^{pattern}$", re.IGNORECASE | re.DOTALL), params=tuple(params),
                   rank=rank)


@dataclass(frozen=True)
class Route:
    """A compiled route template bound to its function."""

    function: HttpFunction
    segments: tuple[Segment, ...]

    def match(self, path_segments: list[str]) -> dict[str, str] | None:
        """Return the route parameters when the decoded path segments fit, else None."""
        values: dict[str, str] = {}
        for position, segment in enumerate(self.segments):
            if segment.params and segment.params[0].catch_all:
                rest = "/".join(path_segments[position:])
                if rest or segment.params[0].default is not None:
                    values[segment.params[0].name] = rest or str(segment.params[0].default)
                return values if self._constraints_hold(values) else None
            if position >= len(path_segments):
                if not segment.omittable:
                    return None
                if segment.params[0].default is not None:
                    values[segment.params[0].name] = segment.params[0].default
                continue
            found = segment.pattern.match(path_segments[position])
            if not found:
                return None
            for number, param in enumerate(segment.params):
                values[param.name] = found.group(f"p{number}")
        if len(path_segments) > len(self.segments):
            return None
        return values if self._constraints_hold(values) else None

    def _constraints_hold(self, values: dict[str, str]) -> bool:
        params = (p for s in self.segments for p in s.params)
        return all(_check(c, values[p.name]) for p in params if p.name in values for c in p.constraints)


def compile_route(function: HttpFunction) -> Route:
    """Compile a function's route template.

    Raises:
        HostConfigError: the template is malformed.
    """
    texts = [t for t in function.route.strip("/").split("/") if t]
    return Route(function=function, segments=tuple(_compile_segment(t, function.route) for t in texts))


@dataclass(frozen=True)
class Resolution:
    """The outcome of routing: a match, or the methods allowed when only the method was wrong."""

    function: HttpFunction | None
    route_params: dict[str, str]
    allowed_methods: tuple[str, ...]


class Router:
    """Resolve `/{routePrefix}/{route}` paths to HTTP functions, most specific template first."""

    def __init__(self, functions: Iterable[HttpFunction], route_prefix: str) -> None:
        routes = [compile_route(f) for f in functions]
        self._routes = sorted(routes, key=lambda r: ([s.rank for s in r.segments], r.function.route))
        self._prefix = [p for p in route_prefix.strip("/").split("/") if p]

    def url_path(self, function: HttpFunction) -> str:
        """Return the path a function is served at, for the startup listing."""
        return "/" + "/".join([*self._prefix, function.route.strip("/")]).rstrip("/")

    def resolve(self, raw_path: str, method: str) -> Resolution:
        """Find the function serving `raw_path` (no query string) for `method`."""
        parts = [unquote(p) for p in raw_path.strip("/").split("/") if p]
        if [p.lower() for p in parts[:len(self._prefix)]] != [p.lower() for p in self._prefix]:
            return Resolution(None, {}, ())
        parts = parts[len(self._prefix):]
        allowed: list[str] = []
        for route in self._routes:
            values = route.match(parts)
            if values is None:
                continue
            if method.upper() in route.function.methods:
                return Resolution(route.function, values, ())
            allowed.extend(m for m in route.function.methods if m not in allowed)
        return Resolution(None, {}, tuple(allowed))
