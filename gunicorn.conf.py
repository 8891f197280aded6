"""gunicorn for production (the Docker image, `make prod-check`), configured from the environment.

Workers: WEB_CONCURRENCY, by default two per core plus one. With the default local-memory cache and
the page cache on, each process would keep its own page cache and a staff edit would reach only one
of them, so there one process serves, and more are refused (set CACHE_URL to Redis to run more).

Threads: GUNICORN_THREADS, by default one: pages are rendered by Python code, and the threads of
one process take turns on one core under the GIL. `make bench` (part "single", one process
without Redis) measures both: in one run four threads served the uncached agenda at 23 requests/s
against 28 for one, and visitors asking for cached pages beside a crowd asking for uncached ones
waited 259 ms (median) against 42 ms, each cached answer queuing behind renders for the GIL.
"""

import multiprocessing
import os

_shared_cache = os.environ.get("CACHE_URL", "").startswith(("redis://", "rediss://"))
_page_cache_on = int(os.environ.get("PAGE_CACHE_SECONDS", "300")) > 0

bind = os.environ.get("GUNICORN_BIND", f"0.0.0.0:{os.environ.get('PORT', '8000')}")
_one_process = _page_cache_on and not _shared_cache
workers = int(
    os.environ.get("WEB_CONCURRENCY", 1 if _one_process else multiprocessing.cpu_count() * 2 + 1)
)
threads = int(os.environ.get("GUNICORN_THREADS", 1))
if workers > 1 and _one_process:
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
