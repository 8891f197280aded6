"""gunicorn for production (the Docker image, `make prod-check`), configured from the environment.

Workers: WEB_CONCURRENCY, by default two per core plus one when the cache is shared (Redis). With
the default local-memory cache each process would keep its own page cache, and a staff edit would
reach only one of them, so there one process serves with threads, and more are refused.
"""

import multiprocessing
import os

_shared_cache = os.environ.get("CACHE_URL", "").startswith(("redis://", "rediss://"))
_page_cache_on = int(os.environ.get("PAGE_CACHE_SECONDS", "300")) > 0

bind = os.environ.get("GUNICORN_BIND", f"0.0.0.0:{os.environ.get('PORT', '8000')}")
workers = int(
    os.environ.get("WEB_CONCURRENCY", multiprocessing.cpu_count() * 2 + 1 if _shared_cache else 1)
)
threads = int(os.environ.get("GUNICORN_THREADS", 1 if _shared_cache else 4))
if workers > 1 and _page_cache_on and not _shared_cache:
    raise SystemExit(
        "WEB_CONCURRENCY > 1 needs a shared cache: set CACHE_URL to Redis "
        "(or PAGE_CACHE_SECONDS=0, or WEB_CONCURRENCY=1)."
    )

# A request that takes longer than this is stuck; the worker is replaced.
timeout = int(os.environ.get("GUNICORN_TIMEOUT", "30"))
graceful_timeout = int(os.environ.get("GUNICORN_GRACEFUL_TIMEOUT", "30"))
# Longer than the load balancer's idle timeout would be wasted; shorter causes resets.
keepalive = int(os.environ.get("GUNICORN_KEEPALIVE", "5"))
# Recycle workers now and then, so a slow leak never grows into an outage; high enough that
# a busy opening night (thousands of cached answers a second) does not churn workers.
max_requests = int(os.environ.get("GUNICORN_MAX_REQUESTS", "100000"))
max_requests_jitter = max_requests // 10
# The heartbeat file on a RAM disk: a container's overlay file system can stall it.
if os.path.isdir("/dev/shm"):
    worker_tmp_dir = "/dev/shm"

accesslog = "-"
errorlog = "-"
access_log_format = '%(h)s "%(r)s" %(s)s %(B)s %(M)sms %({x-request-id}o)s'
_log_format = os.environ.get("LOG_FORMAT", "json")
logconfig_dict = {
    "version": 1,
    "disable_existing_loggers": False,
    "filters": {"access": {"()": "eye_site.logs.AccessLogFilter"}},
    "formatters": {
        "json": {
            "()": "pythonjsonlogger.json.JsonFormatter",
            "fmt": "%(asctime)s %(levelname)s %(name)s %(message)s",
            "rename_fields": {"asctime": "time", "levelname": "level", "name": "logger"},
        },
        "text": {"format": "%(asctime)s %(levelname)s %(name)s %(message)s"},
    },
    "handlers": {
        "error": {"class": "logging.StreamHandler", "formatter": _log_format},
        "access": {
            "class": "logging.StreamHandler",
            "formatter": _log_format,
            "filters": ["access"],
            "stream": "ext://sys.stdout",
        },
    },
    "root": {"handlers": ["error"], "level": "INFO"},
    "loggers": {
        "gunicorn.error": {"handlers": ["error"], "level": "INFO", "propagate": False},
        "gunicorn.access": {"handlers": ["access"], "level": "INFO", "propagate": False},
    },
}


def on_starting(server):
    """Refuse to start on settings that must not reach production (`check --deploy` errors)."""
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "eye_site.settings")
    import django
    from django.core.management import call_command

    django.setup()
    call_command("check", deploy=True, fail_level="ERROR")
