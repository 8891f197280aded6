"""The workers of the task queue: their heartbeat, and whether one has been seen lately.

Every `manage.py worker` runs, beside the queue's own worker loop, a thread that calls the
sweeps named in WORKER_SWEEPS every SWEEP_SECONDS and then records that the process is alive.
The admin warns staff when no worker has been seen for NOT_SEEN_AFTER: jobs then wait.
"""

from __future__ import annotations

import datetime
import logging
import os
import socket
import threading

from django.conf import settings
from django.db import close_old_connections
from django.db.models import Q
from django.utils import timezone
from django.utils.module_loading import import_string
from django.utils.translation import gettext as _

from .models import Worker

logger = logging.getLogger(__name__)

SWEEP_SECONDS = 10
NOT_SEEN_AFTER = datetime.timedelta(minutes=1)
# A worker not seen for this long has stopped; its row is removed.
FORGOTTEN_AFTER = datetime.timedelta(days=1)
# How long the database queue keeps a finished job's row: a failed one long enough for staff to
# read why in the admin. RQ expires its own (500 s after success, a year after failure).
KEEP_SUCCESSFUL = datetime.timedelta(days=1)
KEEP_FAILED = datetime.timedelta(days=30)


def this_worker() -> str:
    return f"{socket.gethostname()}:{os.getpid()}"


def sweep_once(name: str, started_at: datetime.datetime, starting: bool) -> None:
    """Run every sweep, then record the heartbeat, with what went wrong if anything did."""
    problems = []
    for path in settings.WORKER_SWEEPS:
        try:
            import_string(path)(starting=starting)
        except Exception as error:
            logger.exception("worker: %s failed", path)
            problems.append(f"{path}: {type(error).__name__}: {error}")
    now = timezone.now()
    Worker.objects.update_or_create(
        name=name,
        defaults={
            "backend": settings.TASK_BACKEND,
            "started_at": started_at,
            "seen_at": now,
            "problem": "\n".join(problems),
        },
    )
    Worker.objects.filter(seen_at__lt=now - FORGOTTEN_AFTER).delete()


def prune_task_results(starting: bool = False) -> None:
    """A sweep: remove the database queue's finished jobs once nobody needs them, so that its
    table holds about a day of work however long the site runs."""
    if settings.TASK_BACKEND != "database":
        return
    from django_tasks.base import TaskResultStatus
    from django_tasks_db.models import DBTaskResult

    now = timezone.now()
    DBTaskResult.objects.filter(
        Q(status=TaskResultStatus.SUCCESSFUL, finished_at__lt=now - KEEP_SUCCESSFUL)
        | Q(status=TaskResultStatus.FAILED, finished_at__lt=now - KEEP_FAILED)
    ).delete()


def keep_sweeping(stop: threading.Event, started_at: datetime.datetime) -> None:
    """The heartbeat thread's loop: a round every SWEEP_SECONDS until stopped."""
    name = this_worker()
    while not stop.wait(SWEEP_SECONDS):
        try:
            sweep_once(name, started_at, starting=False)
        except Exception:  # the database is away: try again next round
            logger.exception("worker: could not record the heartbeat")
        finally:
            close_old_connections()


def start_sweeping(started_at: datetime.datetime) -> threading.Event:
    """Start the heartbeat thread; set the returned event to stop it."""
    stop = threading.Event()
    threading.Thread(
        target=keep_sweeping, args=(stop, started_at), name="worker-sweep", daemon=True
    ).start()
    return stop


def warning() -> str | None:
    """What the admin warns staff of when the queue may not be moving; None if all is well."""
    if settings.TASK_BACKEND == "immediate":
        return None  # jobs run inside the request that queues it
    latest = Worker.objects.order_by("-seen_at").values_list("seen_at", "problem").first()
    if latest is None or latest[0] < timezone.now() - NOT_SEEN_AFTER:
        return _(
            "No worker of the task queue has been seen for a minute: new pictures wait until "
            "one runs (python manage.py worker). Saving works as usual."
        )
    if latest[1]:
        return _("A worker of the task queue reports a problem: %(problem)s") % {
            "problem": latest[1]
        }
    return None
