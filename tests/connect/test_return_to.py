"""return_to: only allowlisted addresses; every open-redirect trick is refused."""

import pytest

from shared.errors import RequestError
from shared.return_to import allowed_return_to, with_result

ALLOW = ("http://127.0.0.1:7080/demo", "https://app.personicle.example")


@pytest.mark.parametrize("url", [
    "http://127.0.0.1:7080/demo",
    "http://127.0.0.1:7080/demo/",
    "http://127.0.0.1:7080/demo/settings?tab=1",
    "https://app.personicle.example/anything",
    "https://APP.personicle.example:443/x",
], ids=["exact", "slash", "below-with-query", "origin-entry", "case-and-default-port"])
def test_allowed(url):
    assert allowed_return_to(url, ALLOW) == url


@pytest.mark.parametrize("url", [
    "https://evil.example/",
    "//evil.example/demo",
    "/demo",
    "http://127.0.0.1:7080/demonstration",
    "http://127.0.0.1:7080/other",
    "http://127.0.0.1:7080/demo/../admin",
    "http://127.0.0.1:7080/demo/%2e%2e/admin",
    "http://127.0.0.1:7080@evil.example/demo",
    "http://127.0.0.1:7080.evil.example/demo",
    "http://127.0.0.1:7081/demo",
    "https://127.0.0.1:7080/demo",
    "http://127.0.0.1%3a7080@evil.example/demo",
    "http://127.0.0.1:7080\\@evil.example/demo",
    "javascript:alert(1)//127.0.0.1:7080/demo",
    "http://127.0.0.1:7080/demo\r\nLocation: https://evil.example",
    "https://app.personicle.example.evil.example/",
    "http:///evil.example",
    "",
], ids=["other-host", "protocol-relative", "relative", "prefix-not-segment", "other-path", "dot-dot",
        "encoded-dot-dot", "userinfo", "suffix-host", "other-port", "other-scheme", "encoded-colon",
        "backslash", "javascript", "header-injection", "lookalike-host", "no-host", "empty"])
def test_refused(url):
    with pytest.raises(RequestError) as refused:
        allowed_return_to(url, ALLOW)
    assert (refused.value.status, refused.value.code) == (400, "return_to_not_allowed")


def test_with_result_sets_parameters_and_drops_fragment():
    url = with_result("http://127.0.0.1:7080/demo?x=1&status=old#frag", provider="oura", status="connected")
    assert url == "http://127.0.0.1:7080/demo?x=1&provider=oura&status=connected"
