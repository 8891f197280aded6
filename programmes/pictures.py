"""Pictures are drawn on the queue: an editor's save never waits for them, and a visitor's
request never draws one (programmes.markup reads what is drawn, and stands in the original
until then).

- prepare(): when an editor saves new images in the admin. Records each image with the size it
  shows at, and once the save has committed queues a job to draw its renditions
  (programmes.tasks.draw_picture). If the queue cannot be reached the save still succeeds: the
  worker's sweep queues the job later.
- draw(): the job. Idempotent: sorl-thumbnail keeps what is drawn, so a second run only writes
  what the first did not finish, and a file appears under its name only once complete
  (eye_site.media.AtomicFileSystemStorage; on S3 by nature). A broken image is marked failed,
  with the reason, and not tried again; any other error is tried again after a growing pause.
- sweep(): every worker runs it every 10 s (operations' `worker` command). It queues again what
  has no job (the queue was down at save time, a pause after an error has ended), what a killed
  worker left half drawn, what the queue lost, and what was drawn for slots that have since
  changed; a worker starting also finds the images saved outside the admin (prepare_missing).
"""

from __future__ import annotations

import datetime
import hashlib
import io
import logging
from collections.abc import Iterable
from functools import partial

from django.apps import apps
from django.core.cache import caches
from django.db import transaction
from django.db.models import F, Q
from django.db.models.fields.files import ImageFieldFile
from django.utils import timezone
from django_tasks import task_backends
from django_tasks.exceptions import TaskResultDoesNotExist
from PIL import Image

from . import markup
from .models import ImagePreparation
from .thumbnails import sources_decoded

logger = logging.getLogger(__name__)
Status = ImagePreparation.Status

# Tries before an image that keeps failing for other reasons than being broken is given up.
MAX_ATTEMPTS = 5
# The pause before the next try: 30 s, then 1, 2 and 4 minutes.
FIRST_RETRY_SECONDS = 30
# A drawing that has gone on this long was left by a worker that stopped (killed, restarted):
# drawing one image takes seconds.
STALE_AFTER = datetime.timedelta(minutes=5)
# A job still waiting this long is looked up on the queue, in case the queue lost it.
LOOK_UP_AFTER = datetime.timedelta(minutes=2)
# After a change of slots, images are drawn again this many per sweep, so that new uploads
# do not wait behind the whole collection.
REDRAWN_PER_SWEEP = 20


def drawing_version() -> str:
    """Changes when what is drawn of an image changes (slots, ladders, crops, sizes)."""
    described = repr(
        (markup.SLOTS, markup.SHOWN_AS, markup.OG_IMAGE_GEOMETRY, markup.ADMIN_PREVIEW_GEOMETRY)
    )
    return hashlib.sha256(described.encode()).hexdigest()[:16]


# ---- Queuing ------------------------------------------------------------------------------


def prepare(images: Iterable[ImageFieldFile]) -> None:
    """Record these newly saved images and queue the drawing of their renditions once the
    transaction commits. Cheap: reads each image's header, not its pixels."""
    rows = [
        ImagePreparation(name=image.name, field=str(image.field), **shown_size(image))
        for image in images
    ]
    if not rows:
        return
    # An upsert (no post_save: see ImagePreparation): an image saved again starts afresh.
    ImagePreparation.objects.bulk_create(
        rows,
        update_conflicts=True,
        unique_fields=["name"],
        update_fields=[
            "field",
            "width",
            "height",
            "status",
            "error",
            "attempts",
            "job_id",
            "retry_at",
            "queued_at",
            "started_at",
            "finished_at",
            "renditions",
            "drawn_for",
        ],
    )
    for row in rows:
        publish(row.name)
    transaction.on_commit(partial(queue_jobs, [row.name for row in rows]))


# EXIF's orientation tag, and the values that turn the picture a quarter (width and height swap).
EXIF_ORIENTATION = 0x0112
TURNED = frozenset({5, 6, 7, 8})


def shown_size(image: ImageFieldFile) -> dict:
    """The size a browser shows the image at: its header's, turned as its EXIF says."""
    try:
        image.open("rb")
        image.seek(0)
        with Image.open(image) as opened:
            width, height = opened.size
            if opened.getexif().get(EXIF_ORIENTATION) in TURNED:
                width, height = height, width
    except (OSError, ValueError, SyntaxError):
        return {"width": None, "height": None}
    return {"width": width, "height": height}


def queue_jobs(names: Iterable[str]) -> None:
    """Queue a drawing job per image. If the queue is unreachable, leave the rows without a job
    for the sweep: the editor's save has succeeded, and nothing is lost."""
    from .tasks import draw_picture  # here: the tasks module imports this one

    for name in names:
        try:
            result = draw_picture.enqueue(name)
        except Exception:
            # The rest would wait for the same unreachable queue, each for its timeout.
            logger.warning("pictures: could not queue %s; the sweep will", name, exc_info=True)
            return
        ImagePreparation.objects.filter(name=name, status=Status.WAITING, job_id="").update(
            job_id=result.id
        )


def prepare_again(names: Iterable[str]) -> int:
    """Queue these images to be drawn again (an editor's request, after a failure): a failed
    one starts its attempts over, a ready one stays on the pages until redrawn. Returns how
    many were queued (none being drawn right now)."""
    rows = ImagePreparation.objects.filter(name__in=list(names))
    failed = rows.filter(status=Status.FAILED).update(
        status=Status.WAITING, attempts=0, error="", job_id="", queued_at=timezone.now()
    )
    ready = rows.filter(status=Status.READY).update(drawn_for="")
    queued = [name for name in rows.exclude(status=Status.DRAWING).values_list("name", flat=True)]
    for name in queued:
        publish(name)
    transaction.on_commit(partial(queue_jobs, queued))
    return failed + ready


# ---- The job -------------------------------------------------------------------------------


class BrokenImage(Exception):
    """The file is there, but it is not an image that can be drawn."""


def draw(name: str) -> str:
    """Draw every rendition of one image (programmes.tasks.draw_picture). Returns its status."""
    now = timezone.now()
    version = drawing_version()
    claimed = (
        ImagePreparation.objects.filter(name=name)
        .filter(
            Q(status=Status.WAITING)
            | Q(status=Status.DRAWING, started_at__lt=now - STALE_AFTER)
            | (Q(status=Status.READY) & ~Q(drawn_for=version))
        )
        .update(status=Status.DRAWING, started_at=now, attempts=F("attempts") + 1, retry_at=None)
    )
    if not claimed:  # drawn already, given up, or being drawn by another worker right now
        return (
            ImagePreparation.objects.filter(name=name).values_list("status", flat=True).first()
            or ""
        )
    row = ImagePreparation.objects.get(name=name)
    try:
        image = stored_image(row)
        decoded, (width, height) = decode(image)
        with sources_decoded({image.name: decoded}):
            renditions = markup.draw_renditions(image)
    except BrokenImage as error:
        return finish(row, Status.FAILED, error=str(error))
    except Exception as error:
        logger.warning(
            "pictures: drawing %s failed (attempt %s)", name, row.attempts, exc_info=True
        )
        if row.attempts >= MAX_ATTEMPTS:
            return finish(row, Status.FAILED, error=f"{type(error).__name__}: {error}")
        pause = FIRST_RETRY_SECONDS * 2 ** (row.attempts - 1)
        ImagePreparation.objects.filter(pk=row.pk, status=Status.DRAWING).update(
            status=Status.WAITING,
            error=f"{type(error).__name__}: {error}",
            job_id="",
            retry_at=timezone.now() + datetime.timedelta(seconds=pause),
        )
        publish(name)
        return Status.WAITING
    return finish(
        row, Status.READY, renditions=renditions, drawn_for=version, width=width, height=height
    )


def finish(row: ImagePreparation, status: str, **fields) -> str:
    ImagePreparation.objects.filter(pk=row.pk, status=Status.DRAWING).update(
        status=status, finished_at=timezone.now(), job_id="", **({"error": ""} | fields)
    )
    publish(row.name)
    return status


def stored_image(row: ImagePreparation) -> ImageFieldFile:
    """The image as its field stores it (its storage, its SHOWN_AS key)."""
    app_label, model_name, field_name = row.field.split(".")
    return stored_file(apps.get_model(app_label, model_name), field_name, row.name)


def stored_file(model, field_name: str, name: str) -> ImageFieldFile:
    """The file a model's image field stores under `name`, as the field would give it: for rows
    read as values, which hold only the name."""
    field = model._meta.get_field(field_name)
    return field.attr_class(None, field, name)


def decode(image: ImageFieldFile) -> tuple[Image.Image, tuple[int, int]]:
    """Read and decode the original once for all its renditions; and the size it shows at.
    A file that cannot be read is an error to try again; one that cannot be decoded is broken,
    and trying again won't help."""
    try:
        with image.storage.open(image.name, "rb") as file:
            data = file.read()
    except FileNotFoundError as error:
        raise BrokenImage("The file is missing from the media storage.") from error
    try:
        decoded = Image.open(io.BytesIO(data))
        width, height = decoded.size
        if decoded.getexif().get(EXIF_ORIENTATION) in TURNED:
            width, height = height, width
        # A JPEG decodes at a fraction of its size when that is still larger than every
        # rendition: a 24-megapixel photo at half size is four times less work, same pictures.
        widest = max(max(markup.SLOTS[slot].widths) for slot in markup.SHOWN_AS[str(image.field)])
        decoded.draft(None, (widest, widest))
        decoded.load()
    except Exception as error:
        raise BrokenImage(
            f"The file is not an image that can be drawn ({type(error).__name__}: {error})."
        ) from error
    return decoded, (width, height)


def publish(name: str) -> None:
    """Put the image's current state where the pages look first (markup.prepared)."""
    row = (
        ImagePreparation.objects.filter(name=name)
        .values_list("status", "width", "height", "renditions")
        .first()
    )
    if row is None:
        return
    try:
        caches["default"].set(markup.prepared_key(name), row, markup.remember_for(row[0]))
    except Exception:  # the cache is down: the pages ask the database
        logger.warning("pictures: could not cache the state of %s", name, exc_info=True)


# ---- The sweep -----------------------------------------------------------------------------


def sweep(starting: bool = False) -> None:
    """Queue every job that should be on the queue and is not (see the module's docstring).
    A worker that is `starting` also looks for images that were never queued."""
    if starting:
        prepare_missing()
    now = timezone.now()
    # A worker stopped halfway: try again after a pause, or give up on one that keeps killing it.
    for row in ImagePreparation.objects.filter(
        status=Status.DRAWING, started_at__lt=now - STALE_AFTER
    ):
        if row.attempts >= MAX_ATTEMPTS:
            ImagePreparation.objects.filter(pk=row.pk, status=Status.DRAWING).update(
                status=Status.FAILED,
                finished_at=now,
                error=f"The worker stopped while drawing it, {row.attempts} times.",
            )
        else:
            ImagePreparation.objects.filter(pk=row.pk, status=Status.DRAWING).update(
                status=Status.WAITING, job_id="", retry_at=now
            )
        publish(row.name)
    # Jobs the queue lost (Redis emptied, a worker killed before it could start).
    for row in ImagePreparation.objects.filter(
        status=Status.WAITING, queued_at__lt=now - LOOK_UP_AFTER
    ).exclude(job_id=""):
        if job_lost(row.job_id):
            ImagePreparation.objects.filter(pk=row.pk, job_id=row.job_id).update(job_id="")
    waiting = ImagePreparation.objects.filter(status=Status.WAITING, job_id="").filter(
        Q(retry_at__isnull=True) | Q(retry_at__lte=now)
    )
    outdated = ImagePreparation.objects.filter(status=Status.READY).exclude(
        drawn_for=drawing_version()
    )
    queue_jobs(waiting.values_list("name", flat=True))
    queue_jobs(outdated.values_list("name", flat=True)[:REDRAWN_PER_SWEEP])


def job_lost(job_id: str) -> bool:
    try:
        result = task_backends["default"].get_result(job_id)
    except TaskResultDoesNotExist:
        return True
    except NotImplementedError:  # a queue that cannot tell (jobs run at once: nothing to lose)
        return False
    # The job finished, or failed outside our own error handling, without settling the row.
    return result.is_finished


def prepare_missing() -> int:
    """Record and queue every stored image that has no row yet (saved before pictures were
    drawn on the queue, restored from a backup, loaded from a shell). Returns how many."""
    known = set(ImagePreparation.objects.values_list("name", flat=True))
    missing = {}
    for key in markup.SHOWN_AS:
        app_label, model_name, field_name = key.split(".")
        model = apps.get_model(app_label, model_name)
        for name in (
            model._default_manager.exclude(**{field_name: ""})
            .values_list(field_name, flat=True)
            .distinct()
        ):
            if name not in known:
                missing[name] = key
    ImagePreparation.objects.bulk_create(
        [ImagePreparation(name=name, field=key) for name, key in missing.items()],
        ignore_conflicts=True,
    )
    return len(missing)


# ---- Pages --------------------------------------------------------------------------------


class PendingPicturesMiddleware:
    """A page that shows an original standing in for renditions still being drawn is not kept
    by the page cache (nor by a CDN or browser): its next visitor gets the drawn pictures."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        with markup.pending_pictures() as showed_pending:
            response = self.get_response(request)
            if showed_pending():
                response["Cache-Control"] = "no-store"
        return response
