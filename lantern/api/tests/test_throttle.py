"""The rate limit: per client address, 429 with Retry-After past it."""

from __future__ import annotations

from lantern.api.throttling import DEFAULT_RATE, configured_rate


def test_past_the_limit_the_api_answers_429_with_retry_after(client, db, settings):
    settings.LANTERN_API_RATE = "3/m"
    for _ in range(3):
        assert client.get("/api/topics").status_code == 200
    response = client.get("/api/topics")
    assert response.status_code == 429
    assert 1 <= int(response["Retry-After"]) <= 60
    body = response.json()
    assert "Too many requests" in body["detail"] and body["parameter"] is None
    # Every operation shares the one budget.
    assert client.get("/api/countries").status_code == 429


def test_the_limit_is_per_address(client, db, settings):
    settings.LANTERN_API_RATE = "2/m"
    for _ in range(2):
        assert client.get("/api/topics", REMOTE_ADDR="192.0.2.1").status_code == 200
    assert client.get("/api/topics", REMOTE_ADDR="192.0.2.1").status_code == 429
    assert client.get("/api/topics", REMOTE_ADDR="192.0.2.2").status_code == 200


def test_the_window_slides(client, db, settings, monkeypatch):
    settings.LANTERN_API_RATE = "2/s"
    clock = [1000.0]
    monkeypatch.setattr("lantern.api.throttling.time.time", lambda: clock[0])
    assert client.get("/api/topics").status_code == 200
    assert client.get("/api/topics").status_code == 200
    blocked = client.get("/api/topics")
    assert blocked.status_code == 429 and blocked["Retry-After"] == "1"
    clock[0] += 1.5
    assert client.get("/api/topics").status_code == 200


def test_an_empty_rate_switches_the_limit_off(client, db, settings):
    settings.LANTERN_API_RATE = ""
    assert all(client.get("/api/topics").status_code == 200 for _ in range(70))


def test_the_default_is_sixty_a_minute(settings):
    del settings.LANTERN_API_RATE
    assert configured_rate() == DEFAULT_RATE == "60/m"


def test_the_docs_and_schema_are_not_counted(client, db, settings):
    settings.LANTERN_API_RATE = "1/m"
    for _ in range(3):
        assert client.get("/api/openapi.json").status_code == 200
    assert client.get("/api/topics").status_code == 200
