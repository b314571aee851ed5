"""Request bodies are bounded while they arrive, on every route, before routing and sign-in."""

from __future__ import annotations

import socket
from dataclasses import replace

import httpx
import pytest
from fastapi.testclient import TestClient

from tests.web.server_process import MB, chunks, peak_temp_bytes
from tests.web.server_process import multipart_chunks as multipart
from web.app import create_app
from web.security import FORM_OVERHEAD

UPLOAD_LIMIT = 5_000_000  # the defaults the server runs with
REQUEST_LIMIT = 1_000_000
MULTIPART = {"content-type": "multipart/form-data; boundary=hostile"}


@pytest.fixture(scope="module")
def small_limits(web_settings, web_kb) -> TestClient:
    settings = replace(web_settings, max_request_bytes=2_000, max_upload_bytes=10_000)
    return TestClient(create_app(settings, web_kb))


def test_web_body_limit_refusals_name_the_limit_in_the_app_shape(small_limits):
    page = small_limits.post("/login", data={"name": "x" * 3_000})
    assert page.status_code == 413 and page.headers["content-type"].startswith("text/html")
    assert "larger than the 2,000-byte limit for requests without a file upload" in page.text
    twin = small_limits.post("/glossary/review/defer?format=json", content=b"x" * 3_000)
    assert twin.status_code == 413
    assert "2,000-byte limit" in twin.json()["detail"]
    api = small_limits.post("/api/kickoff", json={"brief": "y" * (10_000 + FORM_OVERHEAD)})
    assert api.status_code == 413
    assert api.json() == {"detail": "The request is larger than the 10,000-byte upload limit."}


def test_web_body_limit_counts_chunked_bodies_before_the_csrf_check(small_limits):
    response = small_limits.post(
        "/logout", content=(b"x" * 1_000 for _ in range(3)), headers=MULTIPART
    )
    assert response.status_code == 413  # not 403: the body was refused before its token was read
    small = small_limits.post("/logout", content=(b"x" * 500 for _ in range(3)), headers=MULTIPART)
    assert small.status_code in (400, 403)


@pytest.mark.parametrize(
    ("request_line", "refusal"),
    [
        ("POST /api/kickoff", b"5,000,000-byte upload limit"),
        ("GET /api/search?q=vendor", b"1,000,000-byte limit"),  # every route, even a GET
    ],
)
def test_web_body_limit_answers_a_declared_length_at_once_unread(
    examples_server, request_line, refusal
):
    head = (
        f"{request_line} HTTP/1.1\r\nHost: 127.0.0.1\r\nContent-Type: application/json\r\n"
        "Content-Length: 1000000000\r\n\r\n"
    )
    with socket.create_connection(examples_server.url.removeprefix("http://").split(":")) as sock:
        sock.settimeout(20)
        sock.sendall(head.encode())  # and not one byte of the gigabyte it announces
        status, body = read_response(sock)
    assert status == 413
    assert refusal in body


def read_response(sock: socket.socket) -> tuple[int, bytes]:
    """The status and body of one HTTP/1.1 response with a Content-Length."""
    data = b""
    while b"\r\n\r\n" not in data:
        data += sock.recv(65536)
    head, body = data.split(b"\r\n\r\n", 1)
    length = next(
        int(line.split(b":")[1])
        for line in head.lower().split(b"\r\n")
        if line.startswith(b"content-length:")
    )
    while len(body) < length:
        body += sock.recv(65536)
    return int(head.split()[1]), body


def test_web_body_limit_chunked_json_is_cut_off_without_being_held(examples_server):
    examples_server.reset_peak_memory()
    before = examples_server.status("VmRSS")
    response = httpx.post(
        examples_server.url + "/api/kickoff",
        content=chunks(200 * MB),
        headers={"content-type": "application/json"},
        timeout=120,
    )
    assert response.status_code == 413
    assert "5,000,000-byte upload limit" in response.json()["detail"]
    assert examples_server.status("VmHWM") - before < 50 * MB


UPLOAD_REFUSAL = "5,000,000-byte upload limit"
REQUEST_REFUSAL = "1,000,000-byte limit for requests without a file upload"


@pytest.mark.parametrize(
    ("path", "refusal", "limit"),
    [
        ("/kickoff", UPLOAD_REFUSAL, UPLOAD_LIMIT + FORM_OVERHEAD),
        ("/api/kickoff", UPLOAD_REFUSAL, UPLOAD_LIMIT + FORM_OVERHEAD),
        ("/glossary/import", UPLOAD_REFUSAL, UPLOAD_LIMIT + FORM_OVERHEAD),
        ("/logout", REQUEST_REFUSAL, REQUEST_LIMIT),
    ],
)
def test_web_body_limit_multipart_is_never_spooled_past_the_limit(
    examples_server, path, refusal, limit
):
    with peak_temp_bytes(examples_server) as peak:
        response = httpx.post(
            examples_server.url + path, content=multipart(200 * MB), headers=MULTIPART, timeout=120
        )
    assert response.status_code == 413  # anonymous, no CSRF token: refused for its size first
    assert refusal in response.text
    assert peak() <= limit
