import datetime

import pytest
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.utils import timezone

from screenings.models import Screening, TicketStatus
from screenings.services import save_screenings
from tests.factories import AuditoriumFactory, EventFactory, FilmFactory, ScreeningFactory

pytestmark = pytest.mark.django_db


def at(hour: int, minute: int = 0, days: int = 3) -> datetime.datetime:
    day = timezone.localdate() + datetime.timedelta(days=days)
    return timezone.make_aware(datetime.datetime.combine(day, datetime.time(hour, minute)))


def test_end_is_derived_from_the_film_runtime():
    screening = ScreeningFactory(film__runtime=97, starts_at=at(20, 30))
    assert timezone.localtime(screening.ends_at).strftime("%H:%M") == "22:07"


def test_end_of_an_event_screening_is_the_event_duration():
    screening = ScreeningFactory(film=None, event=EventFactory(duration=125), starts_at=at(20))
    assert screening.ends_at - screening.starts_at == datetime.timedelta(minutes=125)


def test_database_refuses_a_screening_that_ends_before_it_starts():
    screening = ScreeningFactory()
    with pytest.raises(IntegrityError), transaction.atomic():
        Screening.objects.filter(pk=screening.pk).update(ends_at=screening.starts_at)


def test_database_refuses_a_screening_of_both_a_film_and_an_event():
    screening = ScreeningFactory()
    with pytest.raises(IntegrityError), transaction.atomic():
        Screening.objects.filter(pk=screening.pk).update(event=EventFactory())


def test_overlapping_screening_is_refused_naming_the_clash():
    room = AuditoriumFactory(name_en="Cinema 1", name_nl="Cinema 1")
    ScreeningFactory(
        auditorium=room,
        starts_at=at(20),
        film__title_en="The Cranes Are Flying",
        film__title_nl="Als de kraanvogels overvliegen",
        film__runtime=97,
    )
    clash = Screening(film=FilmFactory(), auditorium=room, starts_at=at(21))
    with pytest.raises(ValidationError) as error:
        clash.full_clean()
    message = " ".join(error.value.message_dict["starts_at"])
    assert "Cinema 1" in message
    assert "Als de kraanvogels overvliegen" in message
    assert "20:00" in message and "21:37" in message


def test_back_to_back_screenings_do_not_clash():
    room = AuditoriumFactory()
    first = ScreeningFactory(auditorium=room, starts_at=at(18), film__runtime=90)
    following = Screening(film=FilmFactory(), auditorium=room, starts_at=first.ends_at)
    following.full_clean()


def test_a_cancelled_screening_frees_the_auditorium():
    room = AuditoriumFactory()
    ScreeningFactory(auditorium=room, starts_at=at(20), ticket_status=TicketStatus.CANCELLED)
    Screening(film=FilmFactory(), auditorium=room, starts_at=at(20)).full_clean()


def test_a_series_with_one_clash_saves_nothing():
    room = AuditoriumFactory()
    ScreeningFactory(auditorium=room, starts_at=at(20, days=10))
    film = FilmFactory()
    series = [
        Screening(film=film, auditorium=room, starts_at=at(20, days=days)) for days in (3, 10, 17)
    ]
    with pytest.raises(ValidationError):
        save_screenings(series)
    assert not Screening.objects.filter(film=film).exists()


def test_in_language_finds_spoken_and_subtitled_languages():
    subtitled = ScreeningFactory(subtitles="en", spoken_language="ru")
    spoken = ScreeningFactory(subtitles="nl", spoken_language="en")
    ScreeningFactory(subtitles="nl", spoken_language="ru")
    assert set(Screening.objects.in_language("en")) == {subtitled, spoken}


def test_on_day_uses_the_local_calendar_day():
    late = ScreeningFactory(starts_at=at(23, 30))
    ScreeningFactory(starts_at=at(0, 30, days=4))
    assert list(Screening.objects.on_day(timezone.localtime(late.starts_at).date())) == [late]


def test_published_hides_screenings_of_draft_films():
    ScreeningFactory(film__status="draft")
    shown = ScreeningFactory()
    assert list(Screening.objects.published()) == [shown]
