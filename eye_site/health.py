"""Health endpoints for the load balancer: /healthz (the process answers) and /readyz (it can serve).

/readyz is 503 only when this instance cannot serve pages: its database does not answer. Without
the cache (Redis) it still serves, slower (eye_site/cache.py: each process's copies, renders from
the database), so it answers 200 with "status": "degraded": a Redis outage must not take every
instance out of the load balancer at once. Monitoring alerts on "degraded" (and on the log line).

They are answered by the first middleware, before the HTTPS redirect, host validation, sessions
and the page cache: a load balancer probes the container over plain HTTP by its address, and a
probe must neither be redirected, nor cached, nor create a session.
"""

from __future__ import annotations

import logging
import uuid

from django.core.cache import caches
from django.db import connections
from django.http import HttpRequest, HttpResponse, JsonResponse

logger = logging.getLogger(__name__)

LIVENESS_PATHS = frozenset({"/healthz", "/healthz/"})
READINESS_PATHS = frozenset({"/readyz", "/readyz/"})


def _no_store(response: HttpResponse) -> HttpResponse:
    response["Cache-Control"] = "no-store"
    return response


def database_answers(alias: str = "default") -> bool:
    try:
        with connections[alias].cursor() as cursor:
            cursor.execute("SELECT 1")
            return cursor.fetchone() == (1,)
    except Exception:
        return False


def cache_answers(alias: str = "default") -> bool:
    # The Redis backend is configured to swallow connection errors (pages must still be served
    # without it), so a failed round trip shows up as a value that does not come back.
    cache = caches[alias]
    key = f"readyz:{uuid.uuid4().hex}"
    try:
        cache.set(key, "ok", timeout=10)
        answered = cache.get(key) == "ok"
        cache.delete(key)
    except Exception:
        return False
    return answered


def readiness() -> tuple[int, dict[str, str]]:
    """The status code for the load balancer, and the report for people."""
    checks = {"database": database_answers(), "cache": cache_answers()}
    report = {name: "ok" if ok else "unavailable" for name, ok in checks.items()}
    if not checks["database"]:
        report["status"] = "unavailable"
        return 503, report
    if not checks["cache"]:
        report["status"] = "degraded"
        logger.warning("readyz: degraded: the cache (Redis) does not answer; serving without it")
        return 200, report
    report["status"] = "ok"
    return 200, report


class HealthCheckMiddleware:
    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        path = request.path_info
        if path in LIVENESS_PATHS:
            return _no_store(JsonResponse({"status": "ok"}))
        if path in READINESS_PATHS:
            status, report = readiness()
            return _no_store(JsonResponse(report, status=status))
        return self.get_response(request)
