"""Who else is here: a notice at page load, kept current by a small endpoint that reads only
the cache."""

import datetime

import pytest
import time_machine
from django.urls import reverse

from tests.factories import FilmFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def film():
    return FilmFactory()


def change_url(film) -> str:
    return reverse("admin:programmes_film_change", args=[film.pk])


def heartbeat(client, film, **params):
    return client.get(reverse("admin:programmes_film_presence", args=[film.pk]), params)


def notice_of(page) -> str:
    return page.content.decode().split('class="edit-presence"', 1)[1].split("</div>", 1)[0]


def test_the_second_editor_sees_the_first_at_page_load(staff_client, other_editor, film):
    first = staff_client.get(change_url(film))
    assert 'class="edit-presence"' in first.content.decode()
    assert "hidden" in notice_of(first).split(">", 1)[0]

    second = other_editor.get(change_url(film))
    text = notice_of(second)
    assert "hidden" not in text.split(">", 1)[0]
    assert "admin has had this open since" in text


def test_the_first_editor_learns_of_the_second_without_a_reload(staff_client, other_editor, film):
    staff_client.get(change_url(film))
    assert heartbeat(staff_client, film).json() == {"notice": ""}
    other_editor.get(change_url(film))
    assert "Bob Baker has had this open since" in heartbeat(staff_client, film).json()["notice"]


def test_leaving_clears_the_notice(staff_client, other_editor, film):
    staff_client.get(change_url(film))
    other_editor.get(change_url(film))
    heartbeat(other_editor, film, leave="1")
    assert heartbeat(staff_client, film).json() == {"notice": ""}


def test_an_editor_not_seen_for_minutes_no_longer_counts(staff_client, other_editor, film):
    other_editor.get(change_url(film))
    with time_machine.travel(datetime.timedelta(minutes=6)):
        assert heartbeat(staff_client, film).json() == {"notice": ""}


def test_a_heartbeat_reads_no_content_from_the_database(
    staff_client, other_editor, film, django_assert_max_num_queries
):
    other_editor.get(change_url(film))
    staff_client.get(change_url(film))
    # The session and the user, as on every admin request, and the object to check the
    # permission; nothing per editor present.
    with django_assert_max_num_queries(3):
        assert heartbeat(staff_client, film).json()["notice"]


def test_the_notice_in_dutch(staff_client, other_editor, film):
    other_editor.get(change_url(film))
    staff_client.defaults["HTTP_ACCEPT_LANGUAGE"] = "nl"
    text = notice_of(staff_client.get(change_url(film)))
    assert "Bob Baker heeft dit open sinds" in text
    assert "Ook hiermee bezig:" in text
