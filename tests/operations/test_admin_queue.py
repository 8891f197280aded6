"""What staff see of the queue in the admin: each image's pictures, and a warning when no
worker has been seen for a minute."""

import datetime

import pytest
from django.contrib.auth import get_user_model
from django.contrib.auth.models import Group
from django.core.files.base import ContentFile
from django.core.files.storage import default_storage
from django.urls import reverse
from django.utils import timezone

from operations import workers
from operations.models import Worker
from programmes import pictures
from programmes.models import ImagePreparation
from programmes.roles import EDITOR
from tests.factories import FilmFactory, image_file

pytestmark = pytest.mark.django_db
Status = ImagePreparation.Status
HELD = {"default": {"BACKEND": "django_tasks.backends.dummy.DummyBackend", "QUEUES": ["default"]}}
WARNING = "No worker of the task queue has been seen for a minute"


@pytest.fixture
def database_queue(settings):
    """Jobs wait for a worker, as with the database or RQ queue."""
    settings.TASK_BACKEND = "database"
    settings.TASKS = HELD


@pytest.fixture
def editor_client(english_client):
    editor = get_user_model().objects.create_user("editor", password="pw", is_staff=True)
    editor.groups.add(Group.objects.get(name=EDITOR))
    english_client.force_login(editor)
    return english_client


def film_with_poster(name: str):
    stored = default_storage.save(name, image_file(name, (600, 900)))
    film = FilmFactory(poster=stored, poster_alt_nl="Affiche", poster_alt_en="Poster")
    pictures.prepare([film.poster])
    return film


def heartbeat(seconds_ago: int, problem: str = "") -> None:
    now = timezone.now()
    Worker.objects.create(
        name="host:1",
        backend="database",
        started_at=now - datetime.timedelta(hours=1),
        seen_at=now - datetime.timedelta(seconds=seconds_ago),
        problem=problem,
    )


def test_the_admin_warns_when_no_worker_was_seen_for_a_minute_and_the_save_still_works(
    database_queue, editor_client
):
    film = film_with_poster("posters/a.jpg")
    url = reverse("admin:programmes_film_change", args=[film.pk])
    assert WARNING in editor_client.get(url).content.decode()
    heartbeat(seconds_ago=5)
    assert WARNING not in editor_client.get(url).content.decode()
    Worker.objects.update(seen_at=timezone.now() - workers.NOT_SEEN_AFTER - datetime.timedelta(1))
    assert WARNING in editor_client.get(reverse("admin:index")).content.decode()


def test_a_workers_problem_is_shown(database_queue, editor_client):
    heartbeat(seconds_ago=3, problem="programmes.pictures.sweep: ConnectionError: Redis is away")
    page = editor_client.get(reverse("admin:index")).content.decode()
    assert "reports a problem: programmes.pictures.sweep: ConnectionError: Redis is away" in page


def test_no_warning_where_jobs_run_inside_the_request(editor_client):
    assert WARNING not in editor_client.get(reverse("admin:index")).content.decode()


def test_the_film_form_says_the_poster_is_being_prepared_then_shows_it(
    database_queue, editor_client
):
    film = film_with_poster("posters/b.jpg")
    url = reverse("admin:programmes_film_change", args=[film.pk])
    page = editor_client.get(url).content.decode()
    assert "The sizes of this picture for the site are being prepared" in page
    listing = editor_client.get(reverse("admin:programmes_film_changelist")).content.decode()
    assert "Being prepared" in listing
    pictures.draw(film.poster.name)
    page = editor_client.get(url).content.decode()
    url, width, height = ImagePreparation.objects.get(name=film.poster.name).renditions["admin"]
    assert height == 160  # sharp at twice the 80 pixels it is shown at
    assert f'<img src="{url}" width="{round(width / 2)}" height="80"' in page
    assert "being prepared" not in page


def test_editors_see_which_pictures_failed_and_why_and_can_ask_for_them_again(
    database_queue, editor_client, settings
):
    good = film_with_poster("posters/good.jpg")
    pictures.draw(good.poster.name)
    broken_name = default_storage.save("posters/broken.jpg", ContentFile(b"\xff\xd8\xff\xe0 no"))
    broken = FilmFactory(poster=broken_name, poster_alt_nl="Affiche", poster_alt_en="Poster")
    ImagePreparation.objects.create(name=broken_name, field="programmes.Film.poster")
    pictures.draw(broken_name)

    listing = reverse("admin:programmes_imagepreparation_changelist")
    page = editor_client.get(listing + "?status__exact=failed").content.decode()
    assert "not an image that can be drawn" in page
    assert reverse("admin:programmes_film_change", args=[broken.pk]) in page
    assert "posters/good.jpg" not in page
    form = editor_client.get(reverse("admin:programmes_film_change", args=[broken.pk]))
    assert "could not be made of this file" in form.content.decode()
    assert (
        "Failed" in editor_client.get(reverse("admin:programmes_film_changelist")).content.decode()
    )

    row = ImagePreparation.objects.get(name=broken_name)
    response = editor_client.post(
        listing, {"action": "prepare_again", "_selected_action": [row.pk]}, follow=True
    )
    assert "1 picture is queued to be prepared again." in response.content.decode()
    row.refresh_from_db()
    assert (row.status, row.attempts, row.error) == (Status.WAITING, 0, "")
