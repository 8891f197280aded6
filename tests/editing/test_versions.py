"""Versions: compare two, restore one (itself a new version), recover what was deleted."""

import datetime
import re

import pytest
from django.contrib.auth import get_user_model
from django.contrib.auth.models import Group
from django.test import Client
from django.urls import reverse
from django.utils import timezone
from reversion.models import Version

from programmes.models import Credit, Event, Film, Person, Programme, PublicationStatus, Still
from programmes.roles import EDITOR, PROGRAMMER
from screenings.models import Screening, TicketStatus
from tests.admin_forms import read_form, submit
from tests.factories import (
    CreditFactory,
    EventContributorFactory,
    EventFactory,
    FilmFactory,
    PersonFactory,
    ProgrammeFactory,
    ScreeningFactory,
    StillFactory,
)

pytestmark = pytest.mark.django_db


def admin_url(obj, view: str, *args) -> str:
    opts = obj._meta
    return reverse(f"admin:{opts.app_label}_{opts.model_name}_{view}", args=[obj.pk, *args])


def versions(obj) -> list[Version]:
    return list(Version.objects.get_for_object(obj).order_by("pk"))


def restore(client, obj, version, **changes):
    """Open the restore page of `version` and confirm it."""
    url = admin_url(obj, "restore", version.pk)
    return submit(client, url, changes)


@pytest.fixture
def film(staff_client):
    film = FilmFactory(synopsis_en="Two lovers part in Moscow.", runtime=97)
    CreditFactory(film=film, person=PersonFactory(name="Mikhail Kalatozov"))
    # The state as found, then one editor's change: two versions.
    submit(
        staff_client,
        admin_url(film, "change"),
        {"synopsis_en": "Two lovers part in wartime Moscow."},
    )
    return film


def test_the_versions_page_lists_who_saved_what(staff_client, film):
    page = staff_client.get(admin_url(film, "versions")).content.decode()
    assert "As found before an edit in the admin" in page
    assert "Changed Synopsis [en]." in page or "Synopsis [en]" in page
    assert "admin" in page


def test_two_versions_compared_with_the_changed_words_marked(staff_client, film):
    older, newer = versions(film)[:2]
    page = staff_client.get(
        admin_url(film, "compare"), {"from": older.pk, "to": newer.pk}
    ).content.decode()
    assert '<ins class="diff-new">wartime </ins>' in page or '<ins class="diff-new">wartime' in page
    assert "synopsis [en]" in page


def test_compare_refuses_a_version_of_another_object(staff_client, film):
    other = FilmFactory()
    submit(staff_client, admin_url(other, "change"), {"runtime": "80"})
    response = staff_client.get(
        admin_url(film, "compare"), {"from": versions(other)[0].pk, "to": "current"}
    )
    assert response.status_code == 404
    assert staff_client.get(admin_url(film, "compare"), {"from": "x"}).status_code == 404


def test_restoring_brings_back_fields_and_rows_and_is_a_new_version(staff_client, film):
    first = versions(film)[0]
    credit = film.credits.get()
    # Someone removes the director and changes the runtime.
    submit(staff_client, admin_url(film, "change"), {"credits-0-DELETE": "on", "runtime": "90"})
    assert not film.credits.exists()
    count = len(versions(film))

    response = restore(staff_client, film, first)

    assert response.status_code == 302
    film.refresh_from_db()
    assert film.synopsis_en == "Two lovers part in Moscow."
    assert film.runtime == 97
    assert film.credits.get().pk == credit.pk
    assert len(versions(film)) == count + 1
    page = staff_client.get(admin_url(film, "versions")).content.decode()
    assert "Restored the version of" in page


def test_a_restore_keeps_screenings_added_since(staff_client, film):
    first = versions(film)[0]
    later = ScreeningFactory(film=film, starts_at=timezone.now() + datetime.timedelta(days=3))
    restore(staff_client, film, first)
    assert Screening.objects.filter(pk=later.pk).exists()


def test_a_restored_runtime_moves_the_end_of_every_screening(staff_client, film):
    first = versions(film)[0]  # runtime 97
    submit(staff_client, admin_url(film, "change"), {"runtime": "90"})
    later = ScreeningFactory(film=film, starts_at=timezone.now() + datetime.timedelta(days=3))
    restore(staff_client, film, first)
    later.refresh_from_db()
    assert later.ends_at - later.starts_at == datetime.timedelta(minutes=97)


def test_what_could_not_be_brought_back_is_named_and_the_rest_restored(staff_client, media_in_tmp):
    film = FilmFactory(runtime=97)
    still = StillFactory(film=film)
    credit = CreditFactory(film=film, person=PersonFactory(name="Sergei Urusevsky"))
    submit(staff_client, admin_url(film, "change"), {"runtime": "98"})
    first = versions(film)[0]
    # Later the still and the credit go, then the person and the still's file too.
    submit(
        staff_client,
        admin_url(film, "change"),
        {"stills-0-DELETE": "on", "credits-0-DELETE": "on", "runtime": "99"},
    )
    Person.objects.filter(pk=credit.person_id).delete()
    still.image.storage.delete(still.image.name)

    response = restore(staff_client, film, first)

    assert response.status_code == 302
    shown = [str(m) for m in response.wsgi_request._messages]
    assert any("could not be brought back: its person no longer exists" in m for m in shown)
    assert any("could not be brought back: its image file is gone" in m for m in shown)
    film.refresh_from_db()
    assert film.runtime == 97
    assert not Still.objects.filter(film=film).exists()
    assert not Credit.objects.filter(film=film).exists()


def test_of_two_restores_at_once_one_wins_and_the_other_is_told(staff_client, other_editor, film):
    older, newer = versions(film)[:2]
    mine = read_form(staff_client.get(admin_url(film, "restore", older.pk)).content.decode())
    theirs = read_form(other_editor.get(admin_url(film, "restore", newer.pk)).content.decode())
    submit(staff_client, admin_url(film, "change"), {"runtime": "100"})  # moves it on

    assert other_editor.post(admin_url(film, "restore", newer.pk), theirs).status_code == 200
    mine_response = staff_client.post(admin_url(film, "restore", older.pk), mine)
    assert mine_response.status_code == 200
    assert "Not restored: someone changed" in mine_response.content.decode()
    film.refresh_from_db()
    assert film.runtime == 100


def test_a_restore_after_another_restore_is_refused(staff_client, other_editor, film):
    older = versions(film)[0]
    url = admin_url(film, "restore", older.pk)
    mine = read_form(staff_client.get(url).content.decode())
    theirs = read_form(other_editor.get(url).content.decode())
    assert other_editor.post(url, theirs).status_code == 302
    response = staff_client.post(url, mine)
    assert "Not restored: someone changed" in response.content.decode()


@pytest.mark.parametrize("token", [None, "", "abc", "99999999"])
def test_a_restore_with_a_missing_or_forged_version_number_is_refused(staff_client, film, token):
    url = admin_url(film, "restore", versions(film)[0].pk)
    data = read_form(staff_client.get(url).content.decode())
    if token is None:
        data.pop("edit_version")
    else:
        data["edit_version"] = token
    response = staff_client.post(url, data)
    assert response.status_code == 200
    assert "Nothing was saved: reload the page" in response.content.decode()
    film.refresh_from_db()
    assert film.synopsis_en == "Two lovers part in wartime Moscow."


def staff(username: str, group: str) -> Client:
    user = get_user_model().objects.create_user(username, password="pw", is_staff=True)
    user.groups.add(Group.objects.get(name=group))
    client = Client(HTTP_ACCEPT_LANGUAGE="en")
    client.force_login(user)
    return client


def test_an_editor_restores_a_draft_but_not_a_published_programme(staff_client):
    draft = ProgrammeFactory(status=PublicationStatus.DRAFT, subtitle_en="First")
    submit(staff_client, admin_url(draft, "change"), {"subtitle_en": "Second"})
    published = ProgrammeFactory(status=PublicationStatus.PUBLISHED, subtitle_en="First")
    submit(staff_client, admin_url(published, "change"), {"subtitle_en": "Second"})
    editor = staff("editor", EDITOR)

    assert restore(editor, draft, versions(draft)[0]).status_code == 302
    draft.refresh_from_db()
    assert draft.subtitle_en == "First"

    assert editor.get(admin_url(published, "restore", versions(published)[0].pk)).status_code == 403
    programmer = staff("programmer", PROGRAMMER)
    assert restore(programmer, published, versions(published)[0]).status_code == 302
    published.refresh_from_db()
    assert published.subtitle_en == "First"


def test_an_editor_cannot_restore_a_published_version_over_a_draft(staff_client):
    programme = ProgrammeFactory(status=PublicationStatus.PUBLISHED)
    submit(staff_client, admin_url(programme, "change"), {"status": "draft"})
    editor = staff("editor", EDITOR)
    published_version = versions(programme)[0]
    assert published_version.field_dict["status"] == "published"
    response = editor.post(admin_url(programme, "restore", published_version.pk), {})
    assert response.status_code == 403
    assert Programme.objects.get(pk=programme.pk).status == "draft"


def test_a_deleted_film_is_recovered_with_its_rows(staff_client):
    film = FilmFactory(title_en="Letter Never Sent", status=PublicationStatus.DRAFT)
    CreditFactory(film=film)
    StillFactory(film=film)
    past = ScreeningFactory(film=film, starts_at=timezone.now() - datetime.timedelta(days=3))
    assert staff_client.post(admin_url(film, "delete"), {"post": "yes"}).status_code == 302
    assert not Film.objects.filter(pk=film.pk).exists()

    listing = staff_client.get(reverse("admin:programmes_film_recover_list")).content.decode()
    assert "Letter Never Sent" in listing
    link = re.search(r'href="([^"]*/recover/\d+/)"', listing).group(1)
    assert staff_client.post(link, {}).status_code == 302

    film = Film.objects.get(pk=film.pk)
    assert film.title_en == "Letter Never Sent"
    assert film.credits.count() == 1 and film.stills.count() == 1
    assert Screening.objects.filter(pk=past.pk, film=film).exists()
    # Recovered once; the list no longer offers it.
    listing = staff_client.get(reverse("admin:programmes_film_recover_list")).content.decode()
    assert "Nothing deleted can be recovered here." in listing


def test_a_deleted_event_and_programme_are_recovered(staff_client):
    programme = ProgrammeFactory(title_en="Russian Thaw", status=PublicationStatus.DRAFT)
    event = EventFactory(title_en="Opening night", status=PublicationStatus.DRAFT)
    EventContributorFactory(event=event, part_en="piano")
    staff_client.post(admin_url(event, "delete"), {"post": "yes"})
    staff_client.post(admin_url(programme, "delete"), {"post": "yes"})
    for name in ("event", "programme"):
        listing = staff_client.get(reverse(f"admin:programmes_{name}_recover_list"))
        link = re.search(r'href="([^"]*/recover/\d+/)"', listing.content.decode()).group(1)
        assert staff_client.post(link, {}).status_code == 302
    assert Event.objects.get(pk=event.pk).contributors.get().part_en == "piano"
    assert Programme.objects.get(pk=programme.pk).title_en == "Russian Thaw"


def test_restoring_a_screening_that_would_now_clash_leaves_it_out(staff_client):
    film = FilmFactory(runtime=90)
    start = timezone.now() + datetime.timedelta(days=2)
    screening = ScreeningFactory(film=film, starts_at=start)
    submit(staff_client, admin_url(film, "change"), {"runtime": "91"})
    first = versions(film)[0]
    staff_client.post(admin_url(screening, "delete"), {"post": "yes"})
    ScreeningFactory(auditorium=screening.auditorium, starts_at=start)
    response = restore(staff_client, film, first)
    shown = [str(m) for m in response.wsgi_request._messages]
    assert any("could not be brought back" in m and "already taken" in m for m in shown)
    assert not Screening.objects.filter(pk=screening.pk).exists()
    film.refresh_from_db()
    assert film.runtime == 90
    assert Screening.objects.filter(ticket_status=TicketStatus.ON_SALE).count() == 1


def test_a_screenings_versions_page_in_dutch(staff_client):
    screening = ScreeningFactory(starts_at=timezone.now() + datetime.timedelta(days=2))
    submit(staff_client, admin_url(screening, "change"), {"ticket_status": "sold_out"})
    # The film is saved again; the screening did not change then, so it shows no new version.
    submit(staff_client, admin_url(screening.film, "change"), {"year": "1958"})
    staff_client.defaults["HTTP_ACCEPT_LANGUAGE"] = "nl"
    page = staff_client.get(admin_url(screening, "versions")).content.decode()
    assert "Versies van" in page
    assert page.count("Deze versie terugzetten") == 2


def test_a_restore_reaches_visitors_as_one_change(
    staff_client, film, monkeypatch, django_capture_on_commit_callbacks
):
    """One transaction, so the page cache gets one new version for film, credits and stills."""
    from eye_site import cache

    StillFactory(film=film)
    submit(staff_client, admin_url(film, "change"), {"runtime": "95"})
    with_still = versions(film)[-1]
    submit(staff_client, admin_url(film, "change"), {"stills-0-DELETE": "on", "runtime": "90"})
    bumps = []
    monkeypatch.setattr(cache, "bump_version", lambda: bumps.append(1))
    with django_capture_on_commit_callbacks(execute=True):
        response = restore(staff_client, film, with_still)
    assert response.status_code == 302
    assert film.stills.count() == 1
    assert len(bumps) == 1
