"""`manage.py worker`: one worker of the task queue that TASK_BACKEND names.

The same command whatever the queue: RQ's worker (django-rq's rqworker, with django-tasks-rq's
job class) or the database queue's (django-tasks-db's db_worker). Beside it a thread runs the
sweeps and records the heartbeat (operations.workers). Start as many as the work needs, on any
machine that reaches the database, the queue and the media storage.
"""

from django.conf import settings
from django.core.management import call_command
from django.core.management.base import BaseCommand, CommandError
from django.utils import timezone

from operations import workers


class Command(BaseCommand):
    help = "Run a worker of the task queue (TASK_BACKEND), with its sweeps and heartbeat."

    def add_arguments(self, parser):
        parser.add_argument(
            "--burst",
            action="store_true",
            help="Stop once the queue is empty, instead of waiting for more jobs.",
        )

    def handle(self, *args, burst: bool, **options):
        backend = settings.TASK_BACKEND
        if backend == "immediate":
            raise CommandError(
                "TASK_BACKEND is immediate: each job runs inside the request that queues it, "
                "so there is nothing for a worker to do. Set TASK_BACKEND to database or rq."
            )
        # One round first, so that what it queues (images never queued) is there for the loop.
        started_at = timezone.now()
        workers.sweep_once(workers.this_worker(), started_at, starting=True)
        stop = workers.start_sweeping(started_at)
        self.stdout.write(
            f"Worker on the {backend} queue; sweeping every {workers.SWEEP_SECONDS} s."
        )
        try:
            if backend == "rq":
                call_command("rqworker", "default", job_class="django_tasks_rq.Job", burst=burst)
            else:
                call_command(
                    "db_worker",
                    queue_name="default",
                    reload=False,
                    batch=burst,
                    startup_delay=False,
                )
        finally:
            stop.set()
