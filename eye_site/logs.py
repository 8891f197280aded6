"""Structured logs: a request id on every request, in the app's logs and in gunicorn's access log.

The id comes from the load balancer's `X-Request-ID` when it sends a sane one (so one id follows a
request through every hop), otherwise it is made here. It is returned in the response header of the
same name, which is also how gunicorn's access log picks it up (see gunicorn.conf.py).
"""

from __future__ import annotations

import contextvars
import logging
import re
import uuid

from django.core.signals import request_finished
from django.http import HttpRequest, HttpResponse

REQUEST_ID_HEADER = "X-Request-ID"
# What we accept from upstream: short, and nothing a log reader could mistake for structure.
VALID_REQUEST_ID = re.compile(r"[A-Za-z0-9._-]{8,128}")

request_id_var: contextvars.ContextVar[str] = contextvars.ContextVar("request_id", default="-")


def forget_request_id(**kwargs) -> None:
    """After a request is done, including Django's log line for an error answer, later lines
    (a health check answered before this middleware, work outside requests) carry no stale id."""
    request_id_var.set("-")


class RequestIdMiddleware:
    def __init__(self, get_response):
        self.get_response = get_response
        request_finished.connect(forget_request_id, dispatch_uid="forget-request-id")

    def __call__(self, request: HttpRequest) -> HttpResponse:
        incoming = request.META.get("HTTP_X_REQUEST_ID", "")
        request_id = incoming if VALID_REQUEST_ID.fullmatch(incoming) else uuid.uuid4().hex
        request.request_id = request_id
        # Not reset on the way out: Django logs a 4xx/5xx after the middleware has returned, and
        # that line must carry the id too. forget_request_id() resets it when the request ends.
        request_id_var.set(request_id)
        response = self.get_response(request)
        response[REQUEST_ID_HEADER] = request_id
        return response


class RequestIdFilter(logging.Filter):
    """Adds the current request's id to every record logged while it is handled."""

    def filter(self, record: logging.LogRecord) -> bool:
        if not hasattr(record, "request_id"):
            record.request_id = request_id_var.get()
        return True


class AccessLogFilter(logging.Filter):
    """Turns gunicorn's access-log atoms into fields of their own, so the JSON line can be queried.

    gunicorn logs each request as `access_log_format % atoms`; the atoms dict stays on the record.
    """

    FIELDS = {
        "method": "m",
        "path": "U",
        "query": "q",
        "status": "s",
        "bytes": "B",
        "duration_ms": "M",
        "remote_addr": "h",
        "user_agent": "a",
        "request_id": "{x-request-id}o",
    }

    def filter(self, record: logging.LogRecord) -> bool:
        atoms = record.args
        if isinstance(atoms, dict) or hasattr(atoms, "__getitem__"):
            for field, atom in self.FIELDS.items():
                try:
                    setattr(record, field, atoms[atom])
                except (KeyError, TypeError, IndexError):
                    continue
        return True
