"""Fast entry of screenings: a weekly series, copies, bulk ticket states; clashes refused whole."""

import datetime
import itertools

import pytest
from django.contrib.admin.models import ADDITION, LogEntry
from django.urls import reverse
from django.utils import timezone

from screenings.models import Screening, TicketStatus
from tests.admin_forms import run_action, submit
from tests.factories import (
    AuditoriumFactory,
    EventFactory,
    FilmFactory,
    ProgrammeFactory,
    ScreeningFactory,
)

pytestmark = pytest.mark.django_db

SUNDAY = 6


def next_weekday(weekday: int, after: datetime.date | None = None) -> datetime.date:
    day = (after or timezone.localdate()) + datetime.timedelta(days=1)
    return day + datetime.timedelta(days=(weekday - day.weekday()) % 7)


def at(day: datetime.date, hour: int, minute: int = 0) -> datetime.datetime:
    return timezone.make_aware(datetime.datetime.combine(day, datetime.time(hour, minute)))


def series_url(obj) -> str:
    return reverse(f"admin:programmes_{obj._meta.model_name}_series", args=[obj.pk])


def series_data(auditorium, first_day, weeks=4, time="20:30", **extra):
    return {
        "weekday": SUNDAY,
        "time": time,
        "first_day": first_day.isoformat(),
        "weeks": weeks,
        "auditorium": auditorium.pk,
        "spoken_language": "ru",
        "subtitles": "en",
        "format": "dcp",
        "ticket_status": "on_sale",
        "ticket_url": "https://tickets.example.org/letter",
        **extra,
    }


def post_series(client, obj, data):
    """Open the series form (which carries the version of the film or event), then send it."""
    opened = client.get(series_url(obj))
    return client.post(series_url(obj), {**data, "edit_version": opened.context["edit_version"]})


def test_a_series_adds_one_screening_a_week(staff_client):
    film = FilmFactory(runtime=96)
    cinema = AuditoriumFactory(name_en="Cinema 1")
    response = post_series(staff_client, film, series_data(cinema, timezone.localdate()))
    assert response.status_code == 302
    starts = [timezone.localtime(s.starts_at) for s in film.screenings.order_by("starts_at")]
    assert len(starts) == 4
    assert {s.weekday() for s in starts} == {SUNDAY}
    assert {(s.hour, s.minute) for s in starts} == {(20, 30)}
    assert [(b - a).days for a, b in itertools.pairwise(starts)] == [7, 7, 7]
    assert {s.subtitles for s in film.screenings.all()} == {"en"}
    assert LogEntry.objects.filter(action_flag=ADDITION).count() == 4


def test_a_series_for_an_event(staff_client):
    event = EventFactory(duration=125)
    response = post_series(
        staff_client, event, series_data(AuditoriumFactory(), timezone.localdate(), 2)
    )
    assert response.status_code == 302
    assert event.screenings.count() == 2


def test_a_clashing_series_saves_nothing_and_names_the_clash(staff_client):
    film = FilmFactory(runtime=96)
    cinema = AuditoriumFactory(name_nl="Cinema 1", name_en="Cinema 1")
    third_sunday = next_weekday(SUNDAY) + datetime.timedelta(weeks=2)
    ScreeningFactory(
        film=FilmFactory(title_nl="De kraanvogels", title_en="The Cranes Are Flying"),
        auditorium=cinema,
        starts_at=at(third_sunday, 21),
    )
    response = post_series(staff_client, film, series_data(cinema, timezone.localdate()))
    assert response.status_code == 200
    page = response.content.decode()
    assert "Cinema 1 is already taken by" in page
    assert "De kraanvogels" in page or "The Cranes Are Flying" in page
    assert film.screenings.count() == 0


def test_the_series_form_starts_from_the_latest_screening(staff_client):
    film = FilmFactory()
    cinema = AuditoriumFactory()
    ScreeningFactory(film=film, auditorium=cinema, starts_at=at(next_weekday(SUNDAY), 20, 30))
    form = staff_client.get(series_url(film)).context["form"]
    assert form.initial["auditorium"] == cinema.pk
    assert form.initial["weekday"] == SUNDAY
    assert form.initial["time"] == datetime.time(20, 30)


def test_save_and_add_a_series_leads_to_the_series_form(staff_client):
    film = FilmFactory()
    url = reverse("admin:programmes_film_change", args=[film.pk])
    response = submit(staff_client, url, {"_addseries": "1"}, "film_form")
    assert response.status_code == 302
    assert response["Location"] == series_url(film)


def inline_row(index, auditorium, start: datetime.datetime, status="on_sale"):
    local = timezone.localtime(start)
    prefix = f"screenings-{index}-"
    return {
        prefix + "starts_at_0": local.date().isoformat(),
        prefix + "starts_at_1": local.strftime("%H:%M"),
        prefix + "auditorium": auditorium.pk,
        prefix + "subtitles": "en",
        prefix + "format": "dcp",
        prefix + "ticket_status": status,
    }


def add_film_data(*rows):
    data = {
        "title_nl": "Het onverzonden brief",
        "title_en": "Letter Never Sent",
        "slug_nl": "het-onverzonden-brief",
        "slug_en": "letter-never-sent",
        "year": 1959,
        "runtime": 96,
        "countries": ["SU"],
        "status": "draft",
        "credits-TOTAL_FORMS": 0,
        "credits-INITIAL_FORMS": 0,
        "stills-TOTAL_FORMS": 0,
        "stills-INITIAL_FORMS": 0,
        "screenings-TOTAL_FORMS": len(rows),
        "screenings-INITIAL_FORMS": 0,
    }
    for row in rows:
        data.update(row)
    return data


def test_screenings_can_be_added_with_a_new_film(staff_client):
    cinema = AuditoriumFactory()
    day = next_weekday(SUNDAY)
    data = add_film_data(inline_row(0, cinema, at(day, 20, 30)))
    response = staff_client.post(reverse("admin:programmes_film_add"), data)
    assert response.status_code == 302
    screening = Screening.objects.get()
    assert screening.film.title_en == "Letter Never Sent"
    assert screening.ends_at - screening.starts_at == datetime.timedelta(minutes=96)


def test_two_new_rows_that_overlap_each_other_are_refused(staff_client):
    cinema = AuditoriumFactory(name_nl="Cinema 2", name_en="Cinema 2")
    day = next_weekday(SUNDAY)
    data = add_film_data(
        inline_row(0, cinema, at(day, 20, 30)),
        inline_row(1, cinema, at(day, 21, 0)),
    )
    response = staff_client.post(reverse("admin:programmes_film_add"), data)
    assert response.status_code == 200
    assert "Two screenings in this list overlap in Cinema 2" in response.content.decode()
    assert not Screening.objects.exists()
    assert not response.context["adminform"].form.instance.pk


def test_rows_in_different_auditoriums_may_overlap(staff_client):
    day = next_weekday(SUNDAY)
    data = add_film_data(
        inline_row(0, AuditoriumFactory(), at(day, 20, 30)),
        inline_row(1, AuditoriumFactory(), at(day, 21, 0)),
    )
    assert staff_client.post(reverse("admin:programmes_film_add"), data).status_code == 302
    assert Screening.objects.count() == 2


def test_duplicate_opens_the_add_form_filled_in_a_week_later(staff_client):
    original = ScreeningFactory(note_en="with introduction", ticket_status=TicketStatus.SOLD_OUT)
    url = reverse("admin:screenings_screening_add") + f"?copy={original.pk}"
    form = staff_client.get(url).context["adminform"].form
    assert form.initial["film"] == original.film_id
    assert form.initial["auditorium"] == original.auditorium_id
    assert form.initial["note_en"] == "with introduction"
    assert form.initial["ticket_status"] == TicketStatus.ON_SALE
    assert form.initial["starts_at"] == original.starts_at + datetime.timedelta(weeks=1)
    changelist = staff_client.get(reverse("admin:screenings_screening_changelist")).content.decode()
    assert f"?copy={original.pk}" in changelist


def changelist_action(client, action, screenings):
    url = reverse("admin:screenings_screening_changelist")
    return run_action(client, url, action, screenings, follow=True)


def test_mark_sold_out_from_the_changelist(staff_client):
    screenings = [
        ScreeningFactory(starts_at=timezone.now() + datetime.timedelta(days=d)) for d in (1, 2)
    ]
    changelist_action(staff_client, "mark_sold_out", screenings)
    assert set(Screening.objects.values_list("ticket_status", flat=True)) == {"sold_out"}
    assert LogEntry.objects.filter(action_flag=2).count() == 2


def test_bringing_back_a_cancelled_screening_into_a_taken_slot_changes_nothing(staff_client):
    cinema = AuditoriumFactory()
    start = timezone.now() + datetime.timedelta(days=3)
    cancelled = ScreeningFactory(
        auditorium=cinema, starts_at=start, ticket_status=TicketStatus.CANCELLED
    )
    other = ScreeningFactory(
        auditorium=cinema, starts_at=start + datetime.timedelta(hours=3), film=FilmFactory()
    )
    ScreeningFactory(auditorium=cinema, starts_at=start + datetime.timedelta(minutes=30))
    response = changelist_action(staff_client, "mark_on_sale", [cancelled, other])
    assert "Nothing was changed" in response.content.decode()
    assert "is already taken by" in response.content.decode()
    cancelled.refresh_from_db()
    assert cancelled.ticket_status == TicketStatus.CANCELLED


def test_copy_one_week_later(staff_client):
    original = ScreeningFactory(starts_at=timezone.now() + datetime.timedelta(days=1))
    changelist_action(staff_client, "copy_one_week_later", [original])
    copy = Screening.objects.exclude(pk=original.pk).get()
    assert copy.starts_at - original.starts_at == datetime.timedelta(weeks=1)
    assert copy.auditorium == original.auditorium


def test_changelist_filters_by_day_programme_auditorium_and_ticket_state(staff_client):
    programme = ProgrammeFactory()
    in_programme = FilmFactory()
    in_programme.programmes.add(programme)
    today = ScreeningFactory(
        film=in_programme, starts_at=timezone.now() + datetime.timedelta(minutes=5)
    )
    later = ScreeningFactory(
        starts_at=timezone.now() + datetime.timedelta(days=3), ticket_status=TicketStatus.SOLD_OUT
    )
    url = reverse("admin:screenings_screening_changelist")

    def shown(query):
        return set(staff_client.get(url + query).context["cl"].result_list)

    assert shown(f"?programme={programme.pk}") == {today}
    assert shown("?ticket_status__exact=sold_out") == {later}
    assert shown(f"?auditorium__id__exact={later.auditorium_id}") == {later}
    assert later in shown("?day=week")
    assert today not in shown("?day=tomorrow") or timezone.localtime().hour == 23


def test_screening_search_finds_original_title_and_director(staff_client):
    from tests.factories import CreditFactory, PersonFactory

    film = FilmFactory(original_title="Neotpravlennoye pismo")
    CreditFactory(film=film, person=PersonFactory(name="Mikhail Kalatozov"))
    screening = ScreeningFactory(film=film)
    ScreeningFactory()
    url = reverse("admin:screenings_screening_changelist")
    for term in ("Neotpravlennoye", "Kalatozov"):
        assert list(staff_client.get(url, {"q": term}).context["cl"].result_list) == [screening]
