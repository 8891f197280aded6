"""The schedule stays true: ends follow runtimes and durations however they change, and on
PostgreSQL the database itself refuses two shows in one auditorium at once."""

import datetime
import threading

import pytest
from django.core.exceptions import ValidationError
from django.db import IntegrityError, OperationalError, connection, connections, transaction
from django.urls import reverse
from django.utils import timezone

from programmes.models import Film
from screenings.models import Screening, TicketStatus
from screenings.services import save_screening
from tests.admin_forms import submit
from tests.factories import AuditoriumFactory, EventFactory, FilmFactory, ScreeningFactory

on_postgresql = pytest.mark.skipif(
    connection.vendor != "postgresql", reason="SQLite has no exclusion constraints"
)


def at(hour: int, minute: int = 0, days: int = 3) -> datetime.datetime:
    day = timezone.localdate() + datetime.timedelta(days=days)
    return timezone.make_aware(datetime.datetime.combine(day, datetime.time(hour, minute)))


def lengths(subject) -> set[datetime.timedelta]:
    return {
        s.ends_at - s.starts_at
        for s in Screening.objects.filter(**{subject_field(subject): subject})
    }


def subject_field(subject) -> str:
    return "film" if isinstance(subject, Film) else "event"


# Ends follow the runtime or duration (screenings.services)


@pytest.mark.django_db
def test_a_runtime_changed_by_a_script_moves_every_end_past_and_future():
    film = FilmFactory(runtime=97)
    ScreeningFactory(film=film, starts_at=at(20, days=-30))
    ScreeningFactory(film=film, starts_at=at(20))
    film.runtime = 105
    film.save()
    assert lengths(film) == {datetime.timedelta(minutes=105)}


@pytest.mark.django_db
def test_an_event_duration_changed_by_a_script_moves_its_ends():
    event = EventFactory(duration=125)
    ScreeningFactory(film=None, event=event, starts_at=at(20))
    event.duration = 90
    event.save()
    assert lengths(event) == {datetime.timedelta(minutes=90)}


@pytest.mark.django_db
def test_a_longer_runtime_that_would_clash_is_refused_whole_naming_the_clash():
    room = AuditoriumFactory(name_en="Cinema 1", name_nl="Cinema 1")
    film = FilmFactory(runtime=90)
    ScreeningFactory(film=film, auditorium=room, starts_at=at(14))
    ScreeningFactory(film=film, auditorium=room, starts_at=at(18))
    ScreeningFactory(
        auditorium=room,
        starts_at=at(20),
        film__title_nl="Brief die nooit werd verzonden",
        film__title_en="Letter Never Sent",
    )
    film.runtime = 150
    with pytest.raises(ValidationError) as refusal:
        film.save()
    message = " ".join(refusal.value.messages)
    assert "Cinema 1" in message
    assert "Brief die nooit werd verzonden" in message
    assert "18:00–20:30" in message and "20:00" in message
    film.refresh_from_db()
    assert film.runtime == 90
    assert lengths(film) == {datetime.timedelta(minutes=90)}


@pytest.mark.django_db
def test_a_runtime_that_makes_a_film_overlap_its_own_next_show_is_refused():
    room = AuditoriumFactory()
    film = FilmFactory(runtime=90)
    ScreeningFactory(film=film, auditorium=room, starts_at=at(18))
    ScreeningFactory(film=film, auditorium=room, starts_at=at(20))
    film.runtime = 130
    with pytest.raises(ValidationError, match="zou overlappen met de eigen voorstelling"):
        film.save()
    assert lengths(film) == {datetime.timedelta(minutes=90)}


@pytest.mark.django_db
def test_a_cancelled_screening_neither_blocks_a_longer_runtime_nor_is_left_behind():
    room = AuditoriumFactory()
    film = FilmFactory(runtime=90)
    ScreeningFactory(film=film, auditorium=room, starts_at=at(18))
    ScreeningFactory(auditorium=room, starts_at=at(20), ticket_status=TicketStatus.CANCELLED)
    ScreeningFactory(film=film, auditorium=room, starts_at=at(19), ticket_status="cancelled")
    film.runtime = 150
    film.save()
    assert lengths(film) == {datetime.timedelta(minutes=150)}


# In the admin


@pytest.mark.django_db
def test_a_runtime_changed_in_the_admin_moves_the_ends_of_shows_not_in_the_form(staff_client):
    film = FilmFactory(runtime=97)
    ScreeningFactory(film=film, starts_at=at(20, days=-30))  # past: not among the form's rows
    ScreeningFactory(film=film, starts_at=at(20))
    url = reverse("admin:programmes_film_change", args=[film.pk])
    assert submit(staff_client, url, {"runtime": "88"}, "film_form").status_code == 302
    assert lengths(film) == {datetime.timedelta(minutes=88)}


@pytest.mark.django_db
def test_a_duration_that_would_clash_is_a_form_error_and_changes_nothing(staff_client):
    room = AuditoriumFactory(name_en="Cinema 2", name_nl="Cinema 2")
    event = EventFactory(duration=100)
    ScreeningFactory(film=None, event=event, auditorium=room, starts_at=at(18))
    ScreeningFactory(auditorium=room, starts_at=at(20), film__title_en="Letter Never Sent")
    url = reverse("admin:programmes_event_change", args=[event.pk])
    page = submit(staff_client, url, {"duration": "150"}, "event_form")
    assert page.status_code == 200
    text = page.content.decode()
    assert "would overlap others" in text and "Cinema 2" in text
    event.refresh_from_db()
    assert event.duration == 100
    assert lengths(event) == {datetime.timedelta(minutes=100)}


@on_postgresql
@pytest.mark.django_db
def test_an_overlap_only_the_database_noticed_is_a_form_error_not_a_server_error(
    staff_client, monkeypatch
):
    """As if another editor booked the slot between this save's check and its write."""
    room = AuditoriumFactory()
    taken = ScreeningFactory(auditorium=room, starts_at=at(20))
    monkeypatch.setattr(Screening, "clashes", lambda self: Screening.objects.none())
    url = reverse("admin:screenings_screening_add")
    local = timezone.localtime(at(21))
    page = submit(
        staff_client,
        url,
        {
            "film": str(FilmFactory().pk),
            "auditorium": str(room.pk),
            "starts_at_0": local.date().isoformat(),
            "starts_at_1": local.strftime("%H:%M"),
        },
        "screening_form",
    )
    assert page.status_code == 200
    assert "booked at an overlapping time meanwhile" in page.content.decode()
    assert list(Screening.objects.all()) == [taken]


# The database's own rule (PostgreSQL)


@on_postgresql
@pytest.mark.django_db
def test_the_database_refuses_an_overlap_written_past_the_checks():
    room = AuditoriumFactory()
    ScreeningFactory(auditorium=room, starts_at=at(20))
    clash = Screening(film=FilmFactory(), auditorium=room, starts_at=at(21), ends_at=at(23))
    with pytest.raises(IntegrityError, match="screening_no_overlap"), transaction.atomic():
        Screening.objects.bulk_create([clash])
    assert Screening.objects.count() == 1


@on_postgresql
@pytest.mark.django_db
def test_the_database_lets_back_to_back_and_cancelled_shows_share_a_room():
    room = AuditoriumFactory()
    first = ScreeningFactory(auditorium=room, starts_at=at(18), film__runtime=90)
    film = FilmFactory()
    Screening.objects.bulk_create(
        [
            Screening(film=film, auditorium=room, starts_at=first.ends_at, ends_at=at(22)),
            Screening(
                film=film,
                auditorium=room,
                starts_at=at(18),
                ends_at=at(19),
                ticket_status=TicketStatus.CANCELLED,
            ),
            Screening(film=film, auditorium=AuditoriumFactory(), starts_at=at(18), ends_at=at(19)),
        ]
    )
    assert Screening.objects.count() == 4


@on_postgresql
@pytest.mark.django_db
def test_the_database_refuses_bringing_back_a_cancelled_show_into_a_taken_slot():
    room = AuditoriumFactory()
    ScreeningFactory(auditorium=room, starts_at=at(20))
    cancelled = ScreeningFactory(auditorium=room, starts_at=at(20), ticket_status="cancelled")
    with pytest.raises(IntegrityError), transaction.atomic():
        Screening.objects.filter(pk=cancelled.pk).update(ticket_status=TicketStatus.ON_SALE)


def book_at_once(bookings) -> list:
    """Run each booking in a thread of its own (its own connection and transaction), all let
    go at the same moment; returns what each returned or raised."""
    ready = threading.Barrier(len(bookings))
    results: list = [None] * len(bookings)

    def run(index, booking):
        try:
            ready.wait()
            with transaction.atomic():
                results[index] = booking()
        except Exception as error:  # the outcome, whatever it is, is what the test looks at
            results[index] = error
        finally:
            connections.close_all()

    threads = [threading.Thread(target=run, args=pair) for pair in enumerate(bookings)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    return results


@on_postgresql
@pytest.mark.django_db(transaction=True)
def test_of_two_editors_booking_one_slot_at_once_exactly_one_wins():
    room = AuditoriumFactory(name_en="Cinema 1", name_nl="Cinema 1")
    films = [FilmFactory(title_nl="Eerste"), FilmFactory(title_nl="Tweede")]

    def booking(film):
        return lambda: save_screening(Screening(film=film, auditorium=room, starts_at=at(20)))

    results = book_at_once([booking(film) for film in films])
    saved = [r for r in results if isinstance(r, Screening)]
    refused = [r for r in results if isinstance(r, ValidationError)]
    assert len(saved) == 1 and len(refused) == 1, results
    # The one who waited is told who has the slot.
    assert saved[0].film.title_nl in " ".join(refused[0].messages)
    assert Screening.objects.count() == 1


@on_postgresql
@pytest.mark.django_db(transaction=True)
def test_of_two_imports_writing_one_slot_past_the_checks_the_database_lets_one_win():
    room = AuditoriumFactory()
    films = [FilmFactory(), FilmFactory()]

    def insert(film):
        return lambda: Screening.objects.bulk_create(
            [Screening(film=film, auditorium=room, starts_at=at(20), ends_at=at(22))]
        )

    results = book_at_once([insert(film) for film in films])
    # The loser is refused by the constraint; when both inserts check it at the same moment,
    # PostgreSQL may instead end one of them as a deadlock. Either way nothing of it is stored.
    assert sum(isinstance(r, (IntegrityError, OperationalError)) for r in results) == 1, results
    assert Screening.objects.count() == 1
