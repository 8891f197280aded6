"""Pictures are drawn by jobs on the queue: an editor's save queues them, a visitor's page never
draws one, and a job survives bad files, errors, a lost queue and a killed worker."""

from __future__ import annotations

import datetime
import io
import re

import pytest
from django.core.files.base import ContentFile
from django.core.files.storage import default_storage
from django.urls import reverse
from django.utils import timezone
from PIL import Image

from programmes import pictures
from programmes.models import Film, ImagePreparation
from programmes.tasks import draw_picture
from tests.admin_forms import read_form
from tests.factories import FilmFactory, image_file

pytestmark = pytest.mark.django_db
Status = ImagePreparation.Status

# Jobs wait on the queue (the dummy backend keeps them) until a test runs them as a worker would.
HELD = {"default": {"BACKEND": "django_tasks.backends.dummy.DummyBackend", "QUEUES": ["default"]}}
# A Redis that is not there: nothing listens on port 1.
REDIS_DOWN = {"default": {"BACKEND": "django_tasks_rq.RQBackend", "QUEUES": ["default"]}}


@pytest.fixture
def held(settings):
    settings.TASKS = HELD
    return draw_picture.get_backend()


def files_in(media_root) -> set:
    return {path for path in media_root.rglob("*") if path.is_file()}


def save_poster(client, film: Film, upload) -> None:
    url = reverse("admin:programmes_film_change", args=[film.pk])
    data = read_form(client.get(url).content.decode(), "film_form")
    data.update({"poster": upload, "poster_alt_nl": "Affiche", "poster_alt_en": "Poster"})
    response = client.post(url, data)
    assert response.status_code == 302, response.content.decode()[:2000]


def run_queued(backend) -> None:
    """Run what waits on the dummy queue, as a worker would."""
    for result in list(backend.results):
        result.task.call(*result.args, **result.kwargs)
    backend.clear()


def stored(name: str, data: bytes) -> str:
    return default_storage.save(name, ContentFile(data))


def jpeg(size=(600, 900), exif=None) -> bytes:
    buffer = io.BytesIO()
    image = Image.new("RGB", size, (30, 90, 160))
    image.save(buffer, "JPEG", exif=exif or Image.Exif())
    return buffer.getvalue()


def film_with(poster: str, **fields) -> Film:
    return FilmFactory(poster=poster, poster_alt_nl="Affiche", poster_alt_en="Poster", **fields)


def preparation(name: str) -> ImagePreparation:
    return ImagePreparation.objects.get(name=name)


def waiting(name: str, **fields) -> ImagePreparation:
    return ImagePreparation.objects.create(
        name=name, field="programmes.Film.poster", width=600, height=900, **fields
    )


# --- An editor's save and the pages -------------------------------------------------------


def test_a_save_queues_the_pictures_and_the_page_shows_the_original_until_they_are_drawn(
    staff_client, media_in_tmp, held, django_capture_on_commit_callbacks
):
    film = FilmFactory(poster="")
    with django_capture_on_commit_callbacks(execute=True):
        save_poster(staff_client, film, image_file("poster.jpg", (600, 900)))
    film.refresh_from_db()
    # Only the upload itself is on disk: nothing was drawn during the save.
    assert files_in(media_in_tmp) == {media_in_tmp / film.poster.name}
    row = preparation(film.poster.name)
    assert row.status == Status.WAITING
    assert row.job_id == held.results[0].id
    assert (row.width, row.height) == (600, 900)

    staff_client.logout()
    response = staff_client.get(film.get_absolute_url())
    page = response.content.decode()
    # The original, scaled by the browser, its box the poster's shape from the start.
    assert re.search(
        rf'<img src="{film.poster.url}" width="400" height="600" alt="Poster" loading="eager"',
        page,
    )
    assert "<picture>" not in page
    assert response["Cache-Control"] == "no-store"  # not kept: the next visitor gets the files
    assert files_in(media_in_tmp) == {media_in_tmp / film.poster.name}  # the page drew nothing

    run_queued(held)
    assert preparation(film.poster.name).status == Status.READY
    drawn = files_in(media_in_tmp)
    response = staff_client.get(film.get_absolute_url())
    page = response.content.decode()
    poster = re.search(r"<picture>.*?</picture>", page, re.S).group(0)
    assert film.poster.url not in poster
    assert "no-store" not in response.get("Cache-Control", "")
    for url in re.findall(r'(/media/[^" ,]+)', page):
        assert (media_in_tmp / url.removeprefix("/media/")) in drawn, url
    assert files_in(media_in_tmp) == drawn


def test_the_open_graph_picture_is_the_original_until_its_own_is_drawn(client, held):
    name = stored("posters/og.jpg", jpeg((1200, 1800)))
    film = film_with(name)
    pictures.prepare([film.poster])
    page = client.get(film.get_absolute_url()).content.decode()
    assert f'<meta property="og:image" content="http://testserver{film.poster.url}">' in page
    assert '<meta property="og:image:width" content="1200">' in page
    pictures.draw(name)
    page = client.get(film.get_absolute_url()).content.decode()
    og = re.search(r'<meta property="og:image" content="([^"]+)">', page).group(1)
    assert og.endswith(".jpg") and film.poster.url not in og
    assert '<meta property="og:image:width" content="1200">' in page
    assert '<meta property="og:image:height" content="630">' in page


def test_a_turned_photo_stands_in_at_the_size_it_is_shown(client, held):
    exif = Image.Exif()
    exif[0x0112] = 6  # the camera was held upright: shown 900 wide, 600 high... turned
    name = stored("stills/turned.jpg", jpeg((900, 600), exif))
    film = film_with(name)
    pictures.prepare([film.poster])
    assert (preparation(name).width, preparation(name).height) == (600, 900)


# --- The job --------------------------------------------------------------------------------


def test_drawing_twice_draws_nothing_more(held, media_in_tmp):
    name = stored("posters/twice.jpg", jpeg())
    film = film_with(name)
    pictures.prepare([film.poster])
    assert pictures.draw(name) == Status.READY
    drawn = {path: path.stat().st_mtime_ns for path in files_in(media_in_tmp)}
    # A job that runs again (queued twice, or re-run after a lost answer) finds it done.
    assert pictures.draw(name) == Status.READY
    assert preparation(name).attempts == 1
    ImagePreparation.objects.filter(name=name).update(status=Status.WAITING)
    assert pictures.draw(name) == Status.READY
    assert {path: path.stat().st_mtime_ns for path in files_in(media_in_tmp)} == drawn


def test_a_broken_image_is_marked_failed_with_the_reason_and_not_tried_again(held):
    name = stored("posters/broken.jpg", jpeg()[:600])  # cut off after its header
    waiting(name)
    assert pictures.draw(name) == Status.FAILED
    row = preparation(name)
    assert "not an image that can be drawn" in row.error
    assert "truncated" in row.error.lower()
    assert row.attempts == 1
    pictures.sweep()
    assert held.results == []
    assert preparation(name).status == Status.FAILED


def test_a_missing_file_is_marked_failed(held):
    waiting("posters/gone.jpg")
    assert pictures.draw("posters/gone.jpg") == Status.FAILED
    assert preparation("posters/gone.jpg").error == "The file is missing from the media storage."


def test_an_error_is_tried_again_after_a_growing_pause_then_given_up(
    held, monkeypatch, time_machine
):
    time_machine.move_to(timezone.now(), tick=False)
    name = stored("posters/flaky.jpg", jpeg())
    waiting(name)
    storage_type = type(default_storage._wrapped)

    def unreachable(self, name, mode="rb"):
        raise OSError("storage unreachable")

    monkeypatch.setattr(storage_type, "_open", unreachable)
    pauses = []
    for attempt in range(1, pictures.MAX_ATTEMPTS):
        assert pictures.draw(name) == Status.WAITING
        row = preparation(name)
        assert row.attempts == attempt and row.job_id == ""
        assert "storage unreachable" in row.error
        pauses.append(round((row.retry_at - timezone.now()).total_seconds()))
        # Not before its time...
        pictures.sweep()
        assert held.results == []
        # ...then the sweep queues it again.
        time_machine.shift(row.retry_at - timezone.now() + datetime.timedelta(seconds=1))
        pictures.sweep()
        assert [result.args for result in held.results] == [[name]]
        held.clear()
    assert pauses == [30, 60, 120, 240]
    assert pictures.draw(name) == Status.FAILED
    assert "storage unreachable" in preparation(name).error

    # Once the storage is back, an editor's new upload of it is drawn.
    monkeypatch.undo()
    pictures.prepare([film_with(name).poster])
    assert pictures.draw(name) == Status.READY


# --- Faults of the queue and the worker -----------------------------------------------------


def test_a_save_succeeds_with_the_queue_down_and_the_sweep_queues_the_job_when_it_is_back(
    staff_client, settings, django_capture_on_commit_callbacks, media_in_tmp
):
    settings.TASKS = REDIS_DOWN
    settings.RQ_QUEUES = {"default": {"URL": "redis://127.0.0.1:1/0"}}
    film = FilmFactory(poster="")
    with django_capture_on_commit_callbacks(execute=True):
        save_poster(staff_client, film, image_file("poster.jpg", (600, 900)))
    film.refresh_from_db()
    row = preparation(film.poster.name)
    assert (row.status, row.job_id) == (Status.WAITING, "")

    settings.TASKS = HELD  # the queue is back
    pictures.sweep()
    backend = draw_picture.get_backend()
    assert [result.args for result in backend.results] == [[film.poster.name]]
    assert preparation(film.poster.name).job_id == backend.results[0].id
    run_queued(backend)
    assert preparation(film.poster.name).status == Status.READY


def test_a_job_the_queue_lost_is_queued_again(held, time_machine):
    time_machine.move_to(timezone.now(), tick=False)
    name = stored("posters/lost.jpg", jpeg())
    waiting(name, job_id="a-job-the-queue-no-longer-knows")
    pictures.sweep()
    assert held.results == []  # too soon to ask
    time_machine.shift(pictures.LOOK_UP_AFTER + datetime.timedelta(seconds=1))
    pictures.sweep()
    assert [result.args for result in held.results] == [[name]]


def test_a_drawing_left_by_a_killed_worker_is_drawn_again_and_a_fatal_one_given_up(
    held, time_machine
):
    time_machine.move_to(timezone.now(), tick=False)
    name = stored("posters/killed.jpg", jpeg())
    waiting(name)
    # A worker claimed it, then was killed: the row says it is being drawn.
    ImagePreparation.objects.filter(name=name).update(
        status=Status.DRAWING, started_at=timezone.now(), attempts=1
    )
    assert pictures.draw(name) == Status.DRAWING  # another worker leaves a fresh drawing alone
    pictures.sweep()
    assert held.results == []
    time_machine.shift(pictures.STALE_AFTER + datetime.timedelta(seconds=1))
    pictures.sweep()
    assert [result.args for result in held.results] == [[name]]
    run_queued(held)
    assert preparation(name).status == Status.READY

    # An image that kills its worker every time is given up, not drawn forever.
    ImagePreparation.objects.filter(name=name).update(
        status=Status.DRAWING, started_at=timezone.now(), attempts=pictures.MAX_ATTEMPTS
    )
    time_machine.shift(pictures.STALE_AFTER + datetime.timedelta(seconds=1))
    pictures.sweep()
    assert held.results == []
    assert preparation(name).status == Status.FAILED
    assert "The worker stopped while drawing it" in preparation(name).error


def test_a_file_written_halfway_never_appears_under_its_name(media_in_tmp):
    class Interrupted(ContentFile):
        def chunks(self, chunk_size=None):
            yield b"\xff\xd8 the first half"
            raise KeyboardInterrupt  # the worker is stopped mid-write

    with pytest.raises(KeyboardInterrupt):
        default_storage.save("cache/ab/cd/rendition.webp", Interrupted(b""))
    assert not default_storage.exists("cache/ab/cd/rendition.webp")
    assert files_in(media_in_tmp) == set()
    # The next attempt writes it whole.
    name = default_storage.save("cache/ab/cd/rendition.webp", ContentFile(b"whole"))
    assert default_storage.open(name).read() == b"whole"


# --- Images saved before pictures were queued, and slots that change ------------------------


def test_images_never_queued_are_found_and_drawn(held):
    name = stored("posters/old.jpg", jpeg())
    film_with(name), film_with(name)  # the same file, shared
    assert pictures.prepare_missing() == 1
    pictures.sweep()
    run_queued(held)
    row = preparation(name)
    assert row.status == Status.READY
    assert (row.width, row.height) == (600, 900)  # learnt from the file by the job


def test_pictures_drawn_for_old_slots_stay_on_the_pages_while_they_are_drawn_again(
    client, held, monkeypatch
):
    name = stored("posters/slots.jpg", jpeg())
    film = film_with(name)
    pictures.prepare([film.poster])
    pictures.draw(name)
    before = client.get(film.get_absolute_url()).content.decode()
    assert "<picture>" in before
    monkeypatch.setattr(pictures, "drawing_version", lambda: "new slots")
    pictures.sweep()
    assert [result.args for result in held.results] == [[name]]
    assert "<picture>" in client.get(film.get_absolute_url()).content.decode()
    run_queued(held)
    assert preparation(name).drawn_for == "new slots"
