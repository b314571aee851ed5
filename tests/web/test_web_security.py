"""Cookies are Secure whenever the request came over HTTPS, through a trusted proxy too."""

from __future__ import annotations

import httpx
import pytest
from fastapi.testclient import TestClient

from web.kickoff_forms import KICKOFF_COOKIE
from web.security import LOGIN_COOKIE

FORWARDED_HTTPS = {"x-forwarded-proto": "https"}


def cookies_set(client: TestClient, **kwargs) -> dict[str, str]:
    """name -> Set-Cookie header, for the sign-in and the kickoff form pages."""
    headers = [
        header
        for path in ("/login", "/kickoff")
        for header in client.get(path, **kwargs).headers.get_list("set-cookie")
    ]
    return {header.split("=", 1)[0]: header for header in headers}


@pytest.mark.parametrize(
    ("client_options", "headers", "secure"),
    [
        ({"base_url": "https://testserver"}, {}, True),
        ({"client": ("127.0.0.1", 50000)}, FORWARDED_HTTPS, True),  # trusted_proxies default
        ({"client": ("203.0.113.9", 50000)}, FORWARDED_HTTPS, False),  # anyone may send it
        ({"client": ("127.0.0.1", 50000)}, {}, False),
    ],
)
def test_web_security_cookies_are_secure_over_https(web_app, client_options, headers, secure):
    cookies = cookies_set(TestClient(web_app, **client_options), headers=headers)
    assert set(cookies) == {LOGIN_COOKIE, KICKOFF_COOKIE}
    for header in cookies.values():
        assert ("; secure" in header.lower()) is secure, header
        assert "httponly" in header.lower()


def test_web_security_kb_serve_believes_the_proxy_on_loopback(examples_server):
    forwarded = httpx.get(examples_server.url + "/login", headers=FORWARDED_HTTPS)
    assert "; secure" in forwarded.headers["set-cookie"].lower()
    direct = httpx.get(examples_server.url + "/login")
    assert "; secure" not in direct.headers["set-cookie"].lower()
