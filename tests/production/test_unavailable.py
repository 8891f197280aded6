"""A real outage: gunicorn with production settings, its PostgreSQL cut away and brought back.

The database is reached through a TCP forwarder on port 8106 that the test stops (the port
closes and every open connection drops, as when the server dies) and starts again.
"""

from __future__ import annotations

import http.client
import json

import pytest

from .conftest import POSTGRES_URL, gunicorn, manage, production_env
from .tcp_proxy import TcpProxy

PROXY_PORT = 8106
APP_PORT = 8105
SEED = """
from programmes.models import SiteSettings
from tests.factories import ProgrammeFactory
ProgrammeFactory(slug_nl="dooi", slug_en="thaw", title_nl="Dooi", title_en="Thaw")
SiteSettings.get_solo()
"""


def get(path: str, headers: dict | None = None):
    connection = http.client.HTTPConnection("127.0.0.1", APP_PORT, timeout=30)
    try:
        connection.request(
            "GET",
            path,
            headers={"Host": "localhost", "X-Forwarded-Proto": "https", **(headers or {})},
        )
        response = connection.getresponse()
        return response.status, response.headers, response.read().decode()
    finally:
        connection.close()


@pytest.fixture
def site(fresh_postgres_database, tmp_path):
    direct = production_env(DATABASE_URL=f"{POSTGRES_URL}/{fresh_postgres_database}")
    manage("migrate", "--no-input", "-v", "0", env=direct)
    manage("shell", "-c", SEED, env=direct)

    proxy = TcpProxy(PROXY_PORT, ("127.0.0.1", 5432))
    proxy.start()
    env = production_env(
        DATABASE_URL=f"postgres://postgres@127.0.0.1:{PROXY_PORT}/{fresh_postgres_database}",
        DATABASE_CONNECT_TIMEOUT="2",
        WEB_CONCURRENCY="1",
        GUNICORN_THREADS="2",
    )
    try:
        with gunicorn(env, APP_PORT, tmp_path / "gunicorn.log") as log:
            yield proxy, log
    finally:
        proxy.stop()


def test_database_outage_is_a_bilingual_503_and_the_site_recovers_by_itself(site):
    proxy, log = site
    status, _, page = get("/nl/programma/dooi/")
    assert status == 200 and "Dooi" in page
    assert get("/en/programmes/thaw/")[0] == 200  # now in the page cache

    proxy.stop()
    status, headers, page = get("/nl/")
    assert status == 503
    assert "Tijdelijk niet beschikbaar" in page
    assert "Temporarily unavailable" in page
    assert "Traceback" not in page and "OperationalError" not in page
    assert headers["Retry-After"] == "30"
    assert headers["Cache-Control"] == "no-store"
    failed_request = headers["X-Request-ID"]

    status, _, body = get("/readyz")
    assert status == 503
    assert json.loads(body)["database"] == "unavailable"
    # A page already in the cache is still served without the database.
    status, headers, page = get("/en/programmes/thaw/")
    assert status == 200 and headers["X-Page-Cache"] == "hit"

    proxy.start()
    status, _, page = get("/nl/")
    assert status == 200
    assert get("/readyz")[0] == 200

    # The outage is in the structured log, with the id of the request that met it.
    log.seek(0)
    lines = [json.loads(line) for line in log if line.startswith("{")]
    errors = [line for line in lines if line.get("logger") == "django.request"]
    page_errors = [line for line in errors if "/nl/" in line["message"]]
    assert any(line["request_id"] == failed_request for line in page_errors)
    # The readiness check is answered before the request id is set: it carries no stale one.
    readiness = [line for line in errors if "/readyz" in line["message"]]
    assert readiness and all(line["request_id"] != failed_request for line in readiness)
