"""factory_boy factories that fill both languages, as an editor would."""

import datetime
import io

import factory
from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils import timezone
from PIL import Image

from programmes import pictures
from programmes.models import (
    Credit,
    CreditRole,
    Event,
    EventContributor,
    EventKind,
    Film,
    Person,
    Programme,
    PublicationStatus,
    Still,
)
from screenings.models import Auditorium, Screening, Subtitles


def draw_pictures(only: list[str] | None = None) -> None:
    """Draw every stored image's renditions (or `only` these), as a worker does within seconds
    of a save: the suite's immediate task backend runs each queued job at once."""
    if only is None:
        pictures.sweep(starting=True)
        return
    pictures.prepare_missing()
    pictures.queue_jobs(only)


def image_file(name: str = "image.jpg", size=(64, 96), image_format: str = "JPEG"):
    buffer = io.BytesIO()
    Image.new("RGB", size, (180, 30, 30)).save(buffer, image_format)
    return SimpleUploadedFile(name, buffer.getvalue(), content_type=f"image/{image_format.lower()}")


class ProgrammeFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Programme

    title_nl = factory.Sequence(lambda n: f"Programma {n}")
    title_en = factory.Sequence(lambda n: f"Programme {n}")
    slug_nl = factory.Sequence(lambda n: f"programma-{n}")
    slug_en = factory.Sequence(lambda n: f"programme-{n}")
    subtitle_nl = "Ondertitel"
    subtitle_en = "Subtitle"
    intro_nl = "Een inleiding."
    intro_en = "An introduction."
    starts_on = factory.LazyFunction(timezone.localdate)
    ends_on = factory.LazyAttribute(lambda o: o.starts_on + datetime.timedelta(days=30))
    status = PublicationStatus.PUBLISHED


class PersonFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Person

    name = factory.Sequence(lambda n: f"Person {n}")
    slug = factory.Sequence(lambda n: f"person-{n}")


class FilmFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Film

    title_nl = factory.Sequence(lambda n: f"Film nl {n}")
    title_en = factory.Sequence(lambda n: f"Film en {n}")
    slug_nl = factory.Sequence(lambda n: f"film-nl-{n}")
    slug_en = factory.Sequence(lambda n: f"film-en-{n}")
    original_title = "Letyat zhuravli"
    year = 1957
    countries = ["SU"]
    runtime = 97
    spoken_languages = "ru"
    synopsis_nl = "Een korte inleiding."
    synopsis_en = "A short introduction."
    status = PublicationStatus.PUBLISHED


class CreditFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Credit

    film = factory.SubFactory(FilmFactory)
    person = factory.SubFactory(PersonFactory)
    role = CreditRole.DIRECTOR


class StillFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Still

    film = factory.SubFactory(FilmFactory)
    image = factory.LazyFunction(lambda: image_file("still.jpg", (160, 90)))
    alt_text_nl = "Twee mensen op een brug"
    alt_text_en = "Two people on a bridge"


class EventFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Event

    title_nl = factory.Sequence(lambda n: f"Evenement {n}")
    title_en = factory.Sequence(lambda n: f"Event {n}")
    slug_nl = factory.Sequence(lambda n: f"evenement-{n}")
    slug_en = factory.Sequence(lambda n: f"event-{n}")
    kind = EventKind.OPENING
    duration = 125
    status = PublicationStatus.PUBLISHED


class EventContributorFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = EventContributor

    event = factory.SubFactory(EventFactory)
    person = factory.SubFactory(PersonFactory)
    part_nl = "piano"
    part_en = "piano"


class AuditoriumFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Auditorium

    name_nl = factory.Sequence(lambda n: f"Cinema {n}")
    name_en = factory.Sequence(lambda n: f"Cinema {n}")
    slug = factory.Sequence(lambda n: f"cinema-{n}")
    seats = 100


class ScreeningFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Screening

    film = factory.SubFactory(FilmFactory)
    auditorium = factory.SubFactory(AuditoriumFactory)
    starts_at = factory.LazyFunction(lambda: timezone.now() + datetime.timedelta(hours=2))
    spoken_language = "ru"
    subtitles = Subtitles.ENGLISH
    ticket_url = "https://tickets.example.org/1"
