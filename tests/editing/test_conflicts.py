"""No silent overwrite: a save from a form older than the object's last change is not applied,
the editor is told who changed what, and can apply their own changes on top in one step."""

import datetime
import re

import pytest
from django.urls import reverse
from django.utils import timezone
from reversion.models import Version

from programmes.models import Film
from screenings.models import Screening, TicketStatus
from tests.admin_forms import read_form, run_action, submit
from tests.factories import (
    AuditoriumFactory,
    CreditFactory,
    FilmFactory,
    ScreeningFactory,
)

pytestmark = pytest.mark.django_db


def change_url(obj) -> str:
    opts = obj._meta
    return reverse(f"admin:{opts.app_label}_{opts.model_name}_change", args=[obj.pk])


def open_form(client, url: str, form_id: str | None = None) -> dict:
    page = client.get(url)
    assert page.status_code == 200
    return read_form(page.content.decode(), form_id)


def reapply_token(page) -> str:
    return re.search(r'name="_reapply" value="(\d+)"', page.content.decode()).group(1)


@pytest.fixture
def film():
    film = FilmFactory(title_en="The Cranes Are Flying", runtime=97, restoration_note_en="")
    CreditFactory(film=film, character_nl="Veronika", character_en="Veronika")
    return film


def test_a_stale_save_is_refused_and_names_who_changed_what(staff_client, other_editor, film):
    mine = open_form(staff_client, change_url(film), "film_form")
    submit(other_editor, change_url(film), {"restoration_note_en": "Restored by Mosfilm"})

    mine["runtime"] = "96"
    page = staff_client.post(change_url(film), mine)

    assert page.status_code == 200
    text = page.content.decode()
    assert "Someone else saved a change while you had this form open" in text
    # Field by field, with the language, the values and who: Bob's English note.
    table = text.split('class="edit-changes"', 1)[1].split("</table>", 1)[0]
    assert "restoration or print note [en]" in table
    assert "Restored by Mosfilm" in table
    assert "Bob Baker" in table
    # The editor's own input is still in the form.
    assert read_form(text, "film_form")["runtime"] == ["96"]
    film.refresh_from_db()
    assert (film.runtime, film.restoration_note_en) == (97, "Restored by Mosfilm")


def test_reapplying_keeps_their_change_and_adds_mine(staff_client, other_editor, film):
    mine = open_form(staff_client, change_url(film), "film_form")
    submit(other_editor, change_url(film), {"restoration_note_en": "Restored by Mosfilm"})
    mine["runtime"] = "96"
    conflict = staff_client.post(change_url(film), mine)

    again = read_form(conflict.content.decode(), "film_form")
    again["_reapply"] = reapply_token(conflict)
    response = staff_client.post(change_url(film), again)

    assert response.status_code == 302
    film.refresh_from_db()
    assert (film.runtime, film.restoration_note_en) == (96, "Restored by Mosfilm")


def test_where_both_changed_one_field_the_reapplier_wins_knowingly(
    staff_client, other_editor, film
):
    mine = open_form(staff_client, change_url(film), "film_form")
    submit(other_editor, change_url(film), {"synopsis_en": "Bob's synopsis."})
    mine["synopsis_en"] = "My synopsis."
    conflict = staff_client.post(change_url(film), mine)
    assert "Bob&#x27;s synopsis." in conflict.content.decode()

    again = read_form(conflict.content.decode(), "film_form")
    again["_reapply"] = reapply_token(conflict)
    staff_client.post(change_url(film), again)
    film.refresh_from_db()
    assert film.synopsis_en == "My synopsis."


def test_a_change_to_an_inline_row_is_a_conflict_too(staff_client, other_editor, film):
    mine = open_form(staff_client, change_url(film), "film_form")
    submit(other_editor, change_url(film), {"credits-0-character_en": "Veronika (Tatiana)"})

    mine["title_en"] = "The Cranes Are Flying (restored)"
    page = staff_client.post(change_url(film), mine)
    table = page.content.decode().split('class="edit-changes"', 1)[1].split("</table>", 1)[0]
    assert "Credit:" in table and "Veronika (Tatiana)" in table

    again = read_form(page.content.decode(), "film_form")
    again["_reapply"] = reapply_token(page)
    staff_client.post(change_url(film), again)
    film.refresh_from_db()
    assert film.title_en == "The Cranes Are Flying (restored)"
    assert film.credits.get().character_en == "Veronika (Tatiana)"


def test_a_screening_changed_on_its_own_page_conflicts_with_the_film_form(
    staff_client, other_editor, film
):
    screening = ScreeningFactory(film=film, starts_at=timezone.now() + datetime.timedelta(days=2))
    mine = open_form(staff_client, change_url(film), "film_form")
    submit(other_editor, change_url(screening), {"ticket_status": TicketStatus.SOLD_OUT})

    mine["runtime"] = "96"
    page = staff_client.post(change_url(film), mine)
    table = page.content.decode().split('class="edit-changes"', 1)[1].split("</table>", 1)[0]
    assert "Sold out" in table

    again = read_form(page.content.decode(), "film_form")
    again["_reapply"] = reapply_token(page)
    staff_client.post(change_url(film), again)
    screening.refresh_from_db()
    film.refresh_from_db()
    # My untouched (stale) row did not put the ticket status back.
    assert screening.ticket_status == TicketStatus.SOLD_OUT
    assert film.runtime == 96


def test_a_save_with_nothing_changed_since_goes_through(staff_client, film):
    response = submit(staff_client, change_url(film), {"runtime": "96"})
    assert response.status_code == 302
    film.refresh_from_db()
    assert film.runtime == 96


@pytest.mark.parametrize("version", [None, "", "abc", "99999999", "-1"])
def test_a_missing_or_forged_version_number_is_refused(staff_client, film, version):
    data = open_form(staff_client, change_url(film), "film_form")
    data["runtime"] = "96"
    if version is None:
        data.pop("edit_version")
    else:
        data["edit_version"] = version
    page = staff_client.post(change_url(film), data)
    assert page.status_code == 200
    assert "Nothing was saved: reload the page" in page.content.decode()
    film.refresh_from_db()
    assert film.runtime == 97


def test_another_objects_version_number_is_refused(staff_client, film):
    other = FilmFactory()
    other_version = read_form(staff_client.get(change_url(other)).content.decode(), "film_form")
    data = open_form(staff_client, change_url(film), "film_form")
    data.update(edit_version=other_version["edit_version"], runtime="96")
    page = staff_client.post(change_url(film), data)
    assert "is not one of" in page.content.decode()
    film.refresh_from_db()
    assert film.runtime == 97


def test_a_bulk_action_on_rows_changed_since_the_list_was_shown_changes_nothing(
    staff_client, other_editor
):
    screenings = [
        ScreeningFactory(starts_at=timezone.now() + datetime.timedelta(days=d)) for d in (1, 2)
    ]
    url = reverse("admin:screenings_screening_changelist")
    shown = open_form(staff_client, url, "changelist-form")
    submit(other_editor, change_url(screenings[0]), {"ticket_status": TicketStatus.CANCELLED})

    shown.update(action="mark_sold_out", index="0", _selected_action=[s.pk for s in screenings])
    page = staff_client.post(url, shown, follow=True)

    text = page.content.decode()
    assert (
        "Nothing was changed: one of the selected items changed since you opened the list" in text
    )
    assert "Bob Baker" in text and "Cancelled" in text
    assert list(Screening.objects.values_list("ticket_status", flat=True)) == [
        TicketStatus.CANCELLED,
        TicketStatus.ON_SALE,
    ]


def test_a_bulk_action_without_the_lists_versions_is_refused(staff_client):
    screening = ScreeningFactory(starts_at=timezone.now() + datetime.timedelta(days=1))
    page = staff_client.post(
        reverse("admin:screenings_screening_changelist"),
        {"action": "mark_sold_out", "index": "0", "_selected_action": [screening.pk]},
        follow=True,
    )
    assert "the list carries no version numbers" in page.content.decode()
    screening.refresh_from_db()
    assert screening.ticket_status == TicketStatus.ON_SALE


def test_a_bulk_action_stores_a_version_of_each_film_it_changes(staff_client, other_editor):
    screening = ScreeningFactory(starts_at=timezone.now() + datetime.timedelta(days=1))
    url = reverse("admin:screenings_screening_changelist")
    run_action(staff_client, url, "mark_sold_out", [screening])
    latest = Version.objects.get_for_object(screening.film).first()
    assert latest.revision.user.username == "admin"
    assert "Changed ticket status for screening" in latest.revision.get_comment()


def test_the_series_form_tells_of_a_change_to_the_film_since_it_was_opened(
    staff_client, other_editor, film
):
    series_url = reverse("admin:programmes_film_series", args=[film.pk])
    cinema = AuditoriumFactory()
    mine = open_form(staff_client, series_url)
    submit(other_editor, change_url(film), {"runtime": "120"})
    day = timezone.localdate() + datetime.timedelta(days=3)
    mine.update(
        weekday=str(day.weekday()),
        time="10:00",
        first_day=day.isoformat(),
        weeks="2",
        auditorium=str(cinema.pk),
    )
    page = staff_client.post(series_url, mine)
    assert page.status_code == 200
    assert "runtime (minutes)" in page.content.decode()
    assert film.screenings.count() == 0

    again = read_form(page.content.decode())
    again["_reapply"] = reapply_token(page)
    staff_client.post(series_url, again)
    assert film.screenings.count() == 2
    # The screenings end after the runtime Bob set.
    first = film.screenings.order_by("starts_at").first()
    assert first.ends_at - first.starts_at == datetime.timedelta(minutes=120)


def test_a_copy_of_a_screening_changed_since_the_form_was_filled_is_not_saved_unseen(
    staff_client, other_editor
):
    source = ScreeningFactory(starts_at=timezone.now() + datetime.timedelta(days=1))
    copy_url = reverse("admin:screenings_screening_add") + f"?copy={source.pk}"
    mine = open_form(staff_client, copy_url, "screening_form")
    submit(other_editor, change_url(source), {"note_en": "with introduction"})

    page = staff_client.post(copy_url, mine)
    assert page.status_code == 200
    assert "with introduction" in page.content.decode()
    assert Screening.objects.count() == 1

    again = read_form(page.content.decode(), "screening_form")
    again["_reapply"] = reapply_token(page)
    assert staff_client.post(copy_url, again).status_code == 302
    assert Screening.objects.count() == 2


def test_every_admin_save_stores_a_version_and_an_unchanged_save_none(staff_client, film):
    submit(staff_client, change_url(film), {"runtime": "96"})
    count = Version.objects.get_for_object(film).count()
    latest = Version.objects.get_for_object(film).first()
    assert latest.revision.user.username == "admin"
    assert "Runtime" in latest.revision.get_comment()
    assert latest.field_dict["runtime"] == 96

    submit(staff_client, change_url(film), {})
    assert Version.objects.get_for_object(film).count() == count


def test_two_saves_from_the_same_form_the_second_is_refused(staff_client, other_editor, film):
    mine = open_form(staff_client, change_url(film), "film_form")
    theirs = open_form(other_editor, change_url(film), "film_form")
    theirs["runtime"] = "100"
    assert other_editor.post(change_url(film), theirs).status_code == 302
    mine["runtime"] = "96"
    assert staff_client.post(change_url(film), mine).status_code == 200
    assert Film.objects.get(pk=film.pk).runtime == 100


def test_a_dutch_editor_reads_the_conflict_in_dutch(staff_client, other_editor, film):
    staff_client.defaults["HTTP_ACCEPT_LANGUAGE"] = "nl"
    mine = open_form(staff_client, change_url(film), "film_form")
    submit(other_editor, change_url(film), {"restoration_note_en": "Restored by Mosfilm"})
    mine["runtime"] = "96"
    text = staff_client.post(change_url(film), mine).content.decode()
    assert "Iemand anders heeft een wijziging opgeslagen" in text
    assert "Mijn wijzigingen bovenop die van de ander opslaan" in text


def test_line_ends_a_browser_sends_back_are_no_change_and_no_conflict(staff_client, film):
    film.description_en = "First paragraph.\nSecond paragraph."
    film.save()
    mine = open_form(staff_client, change_url(film), "film_form")
    # Someone saves the text as a browser sends it back: the same words, CRLF line ends.
    film.description_en = "First paragraph.\r\nSecond paragraph."
    film.save()
    mine.update(runtime="96", description_en="First paragraph.\r\nSecond paragraph.")
    assert staff_client.post(change_url(film), mine).status_code == 302


def test_a_translated_field_is_named_once_with_its_language(staff_client, other_editor, film):
    mine = open_form(staff_client, change_url(film), "film_form")
    submit(other_editor, change_url(film), {"restoration_note_en": "Restored by Mosfilm"})
    mine["runtime"] = "96"
    table = staff_client.post(change_url(film), mine).content.decode()
    table = table.split('class="edit-changes"', 1)[1].split("</table>", 1)[0]
    assert table.count("restoration or print note") == 1
