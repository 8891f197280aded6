"""Deployment checks of our own, run by `manage.py check --deploy` (and so before gunicorn starts)."""

from django.conf import settings
from django.core.checks import Error, Tags, register


@register(Tags.security, deploy=True)
def production_settings(app_configs, **kwargs):
    errors = []
    if not settings.CSRF_TRUSTED_ORIGINS:
        errors.append(
            Error(
                "CSRF_TRUSTED_ORIGINS is not set.",
                hint="List the site's public origins, e.g. https://cinema.example.org.",
                id="operations.E001",
            )
        )
    if "*" in settings.ALLOWED_HOSTS:
        errors.append(
            Error(
                "ALLOWED_HOSTS accepts any host.",
                hint="Name the host names the site answers to.",
                id="operations.E002",
            )
        )
    return errors
