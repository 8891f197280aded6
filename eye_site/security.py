"""Security glue: the client address behind the load balancer, and the admin's share of the CSP."""

from __future__ import annotations

from axes.backends import AxesStandaloneBackend
from csp.middleware import CSPMiddleware, PolicyParts
from django.conf import settings
from django.http import HttpRequest


def client_ip(request: HttpRequest) -> str:
    """The visitor's address, for login limiting (django-axes).

    Behind TRUSTED_PROXY_COUNT proxies, each appends the address it saw to X-Forwarded-For, so the
    entry that many places from the right was written by our own first proxy; entries to its left
    come from the client and can be forged.
    """
    proxies = settings.TRUSTED_PROXY_COUNT
    forwarded = request.META.get("HTTP_X_FORWARDED_FOR", "")
    if proxies and forwarded:
        hops = [hop.strip() for hop in forwarded.split(",") if hop.strip()]
        if hops:
            return hops[-proxies] if len(hops) >= proxies else hops[0]
    return request.META.get("REMOTE_ADDR", "")


class ContentSecurityPolicyMiddleware(CSPMiddleware):
    """The site's policy everywhere; on admin pages, what the admin's widgets need on top.

    The admin's image widget (sorl-thumbnail) writes `style` attributes; allowing inline style
    attributes, and only those, only on admin pages, keeps scripts and <style> blocks shut.
    """

    def get_policy_parts(self, request, response, report_only=False) -> PolicyParts:
        parts = super().get_policy_parts(request, response, report_only)
        if not report_only and request.path_info.startswith("/" + settings.ADMIN_PATH):
            parts.update = {**(parts.update or {}), **settings.ADMIN_CSP_UPDATE}
        return parts


def lockout_response(request: HttpRequest, original_response=None, credentials=None):
    """The page django-axes shows a locked-out login: what happened, and how long it lasts."""
    from django.contrib import admin
    from django.shortcuts import render

    context = {
        **admin.site.each_context(request),
        "failure_limit": settings.AXES_FAILURE_LIMIT,
        "cooloff_minutes": int(settings.AXES_COOLOFF_TIME.total_seconds() // 60),
    }
    return render(request, "operations/lockout.html", context, status=429)


class LoginLimitBackend(AxesStandaloneBackend):
    """django-axes' check on every login that comes in over HTTP.

    A login without a request (the test client's `login()`, a shell) has no address to limit by;
    axes would refuse it outright, so it is left to the next backend.
    """

    def authenticate(self, request, username=None, password=None, **kwargs):
        if request is None:
            return None
        return super().authenticate(request, username=username, password=password, **kwargs)
