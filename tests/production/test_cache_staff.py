"""Staff activity that changes no content leaves the visitors' cache alone; a change empties it
once, however it was written (a form with inlines, an admin action, `update()`, `bulk_create()`)."""

from __future__ import annotations

import datetime

import pytest
from django.contrib.auth import get_user_model
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from eye_site import cache
from programmes.models import Film
from screenings.models import Screening, TicketStatus
from tests.admin_forms import run_action, submit
from tests.factories import CreditFactory, ScreeningFactory, StillFactory

from .conftest import after_the_edit

pytestmark = pytest.mark.django_db

FILM_EN = "/en/films/the-cranes-are-flying/"
PASSWORD = "a-long-staff-password-1957"


@pytest.fixture
def bumps(monkeypatch):
    """Each new content version set, as a list of calls."""
    calls = []
    real = cache.bump_version

    def counting():
        calls.append(1)
        real()

    monkeypatch.setattr(cache, "bump_version", counting)
    return calls


@pytest.fixture
def visitor(demo):
    """An anonymous visitor who has the film's page cached."""
    browser = Client()
    assert browser.get(FILM_EN)["X-Page-Cache"] == "miss"
    assert browser.get(FILM_EN)["X-Page-Cache"] == "hit"
    return browser


@pytest.fixture
def editor(db):
    get_user_model().objects.create_superuser("editor", "editor@example.org", PASSWORD)
    return Client(HTTP_ACCEPT_LANGUAGE="en")


def commits(capture):
    """Runs what the block's transactions would run on commit, as production does."""
    return capture(execute=True)


def still_cached(visitor) -> bool:
    return visitor.get(FILM_EN)["X-Page-Cache"] == "hit"


def test_logging_in_and_out_leaves_the_cache_alone(
    visitor, editor, bumps, django_capture_on_commit_callbacks
):
    login = reverse("admin:login")
    with commits(django_capture_on_commit_callbacks):
        wrong = editor.post(login, {"username": "editor", "password": "wrong"})
        right = editor.post(login, {"username": "editor", "password": PASSWORD})
    assert wrong.status_code == 200 and right.status_code == 302
    assert still_cached(visitor)
    with commits(django_capture_on_commit_callbacks):
        assert editor.post(reverse("admin:logout")).status_code == 200
    assert still_cached(visitor)
    assert bumps == []


def test_an_admin_search_leaves_the_cache_alone(
    visitor, staff_client, bumps, django_capture_on_commit_callbacks
):
    with commits(django_capture_on_commit_callbacks):
        found = staff_client.get(reverse("admin:programmes_film_changelist"), {"q": "cranes"})
    assert "Als de kraanvogels overvliegen" in found.content.decode()
    assert still_cached(visitor)
    assert bumps == []


def test_a_form_saved_with_errors_leaves_the_cache_alone(
    visitor, staff_client, bumps, django_capture_on_commit_callbacks
):
    film = Film.objects.get(slug_en="the-cranes-are-flying")
    url = reverse("admin:programmes_film_change", args=[film.pk])
    with commits(django_capture_on_commit_callbacks):
        refused = submit(staff_client, url, {"title_nl": "", "runtime": "-5"}, "film_form")
    assert refused.status_code == 200
    assert refused.context["adminform"].form.errors
    assert still_cached(visitor)
    assert bumps == []


def test_a_film_saved_with_its_credits_and_stills_is_one_change(
    visitor, staff_client, bumps, django_capture_on_commit_callbacks
):
    film = Film.objects.get(slug_en="the-cranes-are-flying")
    CreditFactory(film=film)
    StillFactory(film=film)
    url = reverse("admin:programmes_film_change", args=[film.pk])
    with commits(django_capture_on_commit_callbacks):
        saved = submit(staff_client, url, {"synopsis_en": "Veronika and Boris."}, "film_form")
    assert saved.status_code == 302
    assert bumps == [1]
    # (Not kept in the cache this time: the new still's pictures are not drawn yet.)
    assert "Veronika and Boris." in after_the_edit(visitor, FILM_EN).content.decode()


def test_an_admin_action_is_one_change(
    visitor, staff_client, bumps, django_capture_on_commit_callbacks
):
    film = Film.objects.get(slug_en="the-cranes-are-flying")
    shows = [
        ScreeningFactory(film=film, starts_at=timezone.now() + datetime.timedelta(days=day))
        for day in (1, 2)
    ]
    visitor.get(FILM_EN)
    bumps.clear()
    changelist = reverse("admin:screenings_screening_changelist")
    with commits(django_capture_on_commit_callbacks):
        run_action(staff_client, changelist, "mark_sold_out", shows)
    assert bumps == [1]
    assert after_the_edit(visitor, FILM_EN).content.decode().count("Sold out") == 2


def test_update_and_bulk_writes_reach_the_visitors_too(
    visitor, bumps, django_capture_on_commit_callbacks
):
    """What an admin action or an import may do: writes that send no signal per row."""
    film = Film.objects.get(slug_en="the-cranes-are-flying")
    start = timezone.now() + datetime.timedelta(days=3)
    show = ScreeningFactory.build(film=film, auditorium=ScreeningFactory().auditorium)
    show.starts_at = start
    show.ends_at = start + datetime.timedelta(minutes=film.runtime)
    bumps.clear()
    visitor.get(FILM_EN)
    with commits(django_capture_on_commit_callbacks):
        Screening.objects.bulk_create([show])
    assert bumps == [1]
    assert "Sold out" not in after_the_edit(visitor, FILM_EN).content.decode()
    with commits(django_capture_on_commit_callbacks):
        Screening.objects.filter(film=film).update(ticket_status=TicketStatus.SOLD_OUT)
    assert bumps == [1, 1]
    assert "Sold out" in after_the_edit(visitor, FILM_EN).content.decode()
    with commits(django_capture_on_commit_callbacks):
        assert Screening.objects.filter(film=film, pk=0).update(note_en="nothing") == 0
    assert bumps == [1, 1]  # no row written, no change


def test_a_rolled_back_change_sets_no_version(visitor, bumps, django_capture_on_commit_callbacks):
    from django.db import transaction

    film = Film.objects.get(slug_en="the-cranes-are-flying")
    with (
        commits(django_capture_on_commit_callbacks),
        pytest.raises(RuntimeError),
        transaction.atomic(),
    ):
        film.synopsis_en = "Never happened."
        film.save()
        raise RuntimeError
    assert bumps == []
    assert still_cached(visitor)
