"""/healthz and /readyz: what a load balancer asks, answered without sessions, redirects or cache."""

import pytest
from django.core.cache import caches

pytestmark = pytest.mark.django_db

CLOSED_REDIS = {
    "default": {
        "BACKEND": "django_redis.cache.RedisCache",
        # Port 8106 is this suite's; nothing listens there during the in-process tests.
        "LOCATION": "redis://127.0.0.1:8106/0",
        "OPTIONS": {"IGNORE_EXCEPTIONS": True, "SOCKET_CONNECT_TIMEOUT": 0.2},
    }
}


def test_healthz_answers_200(client):
    response = client.get("/healthz")
    assert response.status_code == 200
    assert response.json() == {"status": "ok"}
    assert response["Cache-Control"] == "no-store"


def test_readyz_reports_database_and_cache(client):
    response = client.get("/readyz")
    assert response.status_code == 200
    assert response.json() == {"status": "ok", "database": "ok", "cache": "ok"}


def test_readyz_stays_200_but_says_degraded_when_only_redis_is_unreachable(
    client, settings, caplog
):
    settings.CACHES = CLOSED_REDIS
    response = client.get("/readyz")
    assert response.status_code == 200  # the instance still serves pages: keep it in rotation
    assert response.json() == {"status": "degraded", "database": "ok", "cache": "unavailable"}
    assert any("degraded" in record.getMessage() for record in caplog.records)


def test_health_sets_no_cookie_and_is_not_redirected_to_https(client, settings):
    settings.SECURE_SSL_REDIRECT = True
    for path in ("/healthz", "/readyz"):
        response = client.get(path)
        assert response.status_code == 200, path
        assert not response.cookies
        assert "X-Page-Cache" not in response


def test_health_answers_a_load_balancer_that_uses_the_address_as_host(client):
    assert client.get("/healthz", HTTP_HOST="10.0.0.7:8000").status_code == 200


def test_redis_down_still_serves_pages_from_the_database(client, demo, settings):
    settings.CACHES = CLOSED_REDIS
    assert caches["default"].get("anything") is None
    for _ in range(2):
        response = client.get("/en/programmes/russian-thaw/")
        assert response.status_code == 200
        assert "Soviet New Wave 1957 – 1968" in response.content.decode()
