"""Queue the drawing of every stored image that was never queued (programmes.pictures).

Images saved in the admin are queued as they are saved; this catches the rest: the demo or
bench data, a restored backup, a shell import. Every worker does the same when it starts.
`--draw` draws them here and now instead, without a worker (bench data, a first look).
"""

from django.core.management.base import BaseCommand

from programmes import pictures
from programmes.models import ImagePreparation


class Command(BaseCommand):
    help = "Queue (or with --draw, draw now) the pictures of every image never queued."

    def add_arguments(self, parser):
        parser.add_argument(
            "--draw", action="store_true", help="Draw them in this process instead of queuing."
        )

    def handle(self, *args, draw: bool, **options):
        found = pictures.prepare_missing()
        waiting = list(
            ImagePreparation.objects.filter(
                status=ImagePreparation.Status.WAITING, job_id=""
            ).values_list("name", flat=True)
        )
        if not draw:
            pictures.queue_jobs(waiting)
            self.stdout.write(
                f"{found} images found that were never queued; {len(waiting)} now wait for a worker."
            )
            return
        for number, name in enumerate(waiting, start=1):
            status = pictures.draw(name)
            self.stdout.write(f"· {number}/{len(waiting)} {name}: {status}")
        self.stdout.write(f"{len(waiting)} images drawn ({found} never queued before).")
