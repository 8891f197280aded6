"""Error pages. When the database cannot be reached, visitors get a bilingual 503, not a 500.

Django routes every unhandled exception (in a view, a template or a middleware) to handler500
while the exception is still being handled, so one place can tell an outage from a bug. The 503
page is rendered without the request's context processors: they would ask the database again.
Nothing is kept between requests, so the site recovers by itself when the database returns.
"""

from __future__ import annotations

import sys

from django.db import InterfaceError, OperationalError
from django.http import HttpRequest, HttpResponse
from django.template import loader
from django.views import defaults

UNAVAILABLE_TEMPLATE = "errors/503.html"
TOO_MANY_TEMPLATE = "errors/429.html"
# How long a well-behaved client (or crawler) should wait before asking again, in seconds.
RETRY_AFTER_SECONDS = 30


def database_unavailable(exc: BaseException | None) -> bool:
    return isinstance(exc, OperationalError | InterfaceError)


def service_unavailable(request: HttpRequest | None = None) -> HttpResponse:
    body = loader.get_template(UNAVAILABLE_TEMPLATE).render({})
    response = HttpResponse(body, status=503)
    response["Retry-After"] = str(RETRY_AFTER_SECONDS)
    response["Cache-Control"] = "no-store"
    return response


def too_many_requests(retry_after: int) -> HttpResponse:
    """A client that asked for more new pages than its share (eye_site/cache.py): a short page
    in both languages (the visitor's may not be known yet), rendered without the database."""
    body = loader.get_template(TOO_MANY_TEMPLATE).render({"seconds": retry_after})
    response = HttpResponse(body, status=429)
    response["Retry-After"] = str(retry_after)
    response["Cache-Control"] = "no-store"
    return response


def server_error(request: HttpRequest, template_name: str = "500.html") -> HttpResponse:
    if database_unavailable(sys.exc_info()[1]):
        return service_unavailable(request)
    return defaults.server_error(request, template_name=template_name)
