"""/metrics: Prometheus text that prometheus_client's own parser reads, with requests by route
template (never the raw path), the index's figures and the model's load time; for admins
(signed in or by API token) unless KB_METRICS_PUBLIC. On SQLite and PostgreSQL."""

from __future__ import annotations

from collections.abc import Iterator

import pytest
from fastapi.testclient import TestClient
from prometheus_client.parser import text_string_to_metric_families

from tests.web.admin_support import build_levels_index, serve, signed_in, token_headers


@pytest.fixture(scope="module")
def index(tmp_path_factory):
    return build_levels_index(tmp_path_factory.mktemp("metrics"))


@pytest.fixture
def client(index, state_url) -> Iterator[TestClient]:
    with serve(index, state_url) as client:
        yield client


def samples(text: str) -> dict[str, list]:
    """Metric family name -> its samples, as Prometheus would read them."""
    return {family.name: family.samples for family in text_string_to_metric_families(text)}


def scrape(client: TestClient) -> dict[str, list]:
    response = client.get("/metrics", headers=token_headers(client, "ada"))
    assert response.status_code == 200, response.text
    assert response.headers["content-type"].startswith("text/plain")
    return samples(response.text)


def test_web_metrics_count_requests_by_route_template(client):
    for doc_id in ("pub", "int", "no-such-document"):
        client.get(f"/documents/{doc_id}")
    client.get("/nowhere/at/all")
    metrics = scrape(client)
    counted = {
        (s.labels["route"], s.labels["status"]): s.value
        for s in metrics["lessonbase_http_requests"]
        if s.name == "lessonbase_http_requests_total"
    }
    assert counted[("/documents/{doc_id:path}", "200")] == 1  # int: internal, not anonymous
    assert counted[("/documents/{doc_id:path}", "404")] == 2
    assert counted[("unmatched", "404")] == 1
    assert not any("pub" in route or "nowhere" in route for route, _ in counted)
    latency = {
        s.labels["route"]: s.value
        for s in metrics["lessonbase_http_request_duration_seconds"]
        if s.name.endswith("_count")
    }
    assert latency["/documents/{doc_id:path}"] == 3


def test_web_metrics_report_the_index_and_the_model(client, index):
    metrics = scrape(client)
    manifest = client.app.state.kb.manifest
    assert metrics["lessonbase_documents"][0].value == 3
    assert metrics["lessonbase_chunks"][0].value == manifest.counts["chunks"] > 0
    assert metrics["lessonbase_index_generation"][0].value == manifest.generation
    assert metrics["lessonbase_model_load_seconds"][0].value > 0


def test_web_metrics_are_refused_to_anonymous_visitors_and_non_admins(client):
    assert client.get("/metrics").status_code == 401
    assert signed_in(client, "lena").get("/metrics").status_code == 403
    assert client.get("/metrics", headers=token_headers(client, "rita")).status_code == 403
    bad = client.get("/metrics", headers={"Authorization": "Bearer nope"})
    assert bad.status_code == 401
    admin = signed_in(client, "ada").get("/metrics")
    assert admin.status_code == 200 and "lessonbase_documents" in samples(admin.text)


def test_web_metrics_public_when_turned_on(index, state_url):
    with serve(index, state_url, metrics_public=True, anonymous_access=False) as client:
        response = client.get("/metrics")
        assert response.status_code == 200 and "lessonbase_chunks" in samples(response.text)
        closed = client.get("/documents/pub", follow_redirects=False)  # the rest stays closed
        assert closed.status_code == 303 and closed.headers["location"].startswith("/login")
