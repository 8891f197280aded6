"""Load the Russian Thaw demo programme: films, people, the opening night and four weeks of screenings.

Running it again changes nothing: every row is found by a natural key, images are drawn only when
missing, and the screening schedule is anchored to the day the programme was first loaded.
"""

from __future__ import annotations

import datetime
from itertools import cycle

from django.core.files.base import ContentFile
from django.core.management.base import BaseCommand
from django.db import transaction
from django.utils import timezone

from devtools import guard
from devtools.demo import artwork, data, schedule
from programmes.models import (
    Credit,
    Event,
    EventContributor,
    Film,
    Person,
    Programme,
    PublicationStatus,
    SiteSettings,
    Still,
)
from screenings.models import Auditorium, Screening, ScreeningFormat, Subtitles, TicketStatus
from screenings.services import save_screening

PROGRAMME_DAYS = 28
STILLS_PER_FILM = 2
# First show of the day and the latest start; a show follows the previous one after a break.
FIRST_START = datetime.time(13, 30)
LAST_START = datetime.time(21, 45)
BREAK = datetime.timedelta(minutes=30)
TICKET_URL = "https://tickets.example.org/eye/{slug}/{stamp}"


class Command(BaseCommand):
    help = "Load the Russian Thaw demo programme (idempotent; refuses a live site's database)."

    def add_arguments(self, parser) -> None:
        guard.add_confirm_option(parser)

    def handle(self, *args, **options) -> None:
        guard.refuse_unless_safe("load_demo", options["confirm_database"])
        with transaction.atomic():
            self.step("Site settings")
            SiteSettings.objects.update_or_create(pk=1, defaults=data.SITE_SETTINGS)
            programme = self.load_programme()
            people = self.load_people()
            films = self.load_films(programme, people)
            opening = self.load_opening(programme, people, films[data.CRANES])
            auditoriums = self.load_auditoriums()
            created = self.load_screenings(programme, films, opening, auditoriums)
        self.stdout.write(
            self.style.SUCCESS(
                f"Demo programme ready: {len(films)} films, 1 event, "
                f"{Screening.objects.count()} screenings ({created} new)."
            )
        )

    def step(self, message: str) -> None:
        self.stdout.write(f"· {message}")
        self.stdout.flush()

    def load_programme(self) -> Programme:
        self.step("Programme Russian Thaw")
        existing = Programme.objects.filter(slug_en=data.PROGRAMME["slug_en"]).first()
        # The schedule is anchored to the first load, so a later run adds nothing.
        starts_on = existing.starts_on if existing else timezone.localdate()
        programme, _ = Programme.objects.update_or_create(
            slug_en=data.PROGRAMME["slug_en"],
            defaults={
                **data.PROGRAMME,
                "starts_on": starts_on,
                "ends_on": starts_on + datetime.timedelta(days=PROGRAMME_DAYS - 1),
                "status": PublicationStatus.PUBLISHED,
            },
        )
        if not programme.campaign_image:
            # One image serves both languages, so it carries both titles.
            image = artwork.make_campaign_image(
                f"{data.PROGRAMME['title_nl']} / {data.PROGRAMME['title_en']}",
                data.PROGRAMME["subtitle_en"],
                seed=1957,
            )
            programme.campaign_image.save("russian-thaw.jpg", ContentFile(image))
        return programme

    def load_people(self) -> dict[str, Person]:
        self.step(f"People ({len(data.PEOPLE)})")
        return {
            slug: Person.objects.update_or_create(slug=slug, defaults={"name": name})[0]
            for slug, name in data.PEOPLE.items()
        }

    def load_films(self, programme: Programme, people: dict[str, Person]) -> dict[str, Film]:
        films = {}
        for number, facts in enumerate(data.FILMS, start=1):
            facts = dict(facts)
            credits = facts.pop("credits")
            self.step(f"Film {number}/{len(data.FILMS)}: {facts['title_en']}")
            film, _ = Film.objects.update_or_create(
                slug_en=facts["slug_en"],
                defaults={**facts, "status": PublicationStatus.PUBLISHED},
            )
            film.programmes.add(programme)
            for order, (role, person, character) in enumerate(credits):
                Credit.objects.update_or_create(
                    film=film,
                    person=people[person],
                    role=role,
                    defaults={"order": order, "character": character},
                )
            films[film.slug_en] = film
            self.load_images(film, seed=number)
        return films

    def load_images(self, film: Film, seed: int) -> None:
        director = ", ".join(person.name for person in film.directors())
        line = f"{director}, {'/'.join(c.code for c in film.countries)} {film.year}"
        if not film.poster:
            film.poster_alt_en = f"poster {film.title_en} ({line})"
            film.poster_alt_nl = f"affiche {film.title_nl} ({line})"
            poster = artwork.make_poster(film.title_en, director, film.year, seed=seed)
            film.poster.save(f"{film.slug_en}.jpg", ContentFile(poster))
        for index in range(STILLS_PER_FILM):
            if Still.objects.filter(film=film, order=index).exists():
                continue
            still = Still(
                film=film,
                order=index,
                alt_text_en=f"Black-and-white still from {film.title_en}: scene {index + 1}",
                alt_text_nl=f"Zwart-witfoto uit {film.title_nl}: scène {index + 1}",
            )
            image = artwork.make_still(film.title_en, index, seed=seed)
            still.image.save(f"{film.slug_en}-{index + 1}.jpg", ContentFile(image))

    def load_opening(self, programme: Programme, people: dict[str, Person], cranes: Film) -> Event:
        self.step("Opening night")
        facts = dict(data.OPENING)
        contributors = facts.pop("contributors")
        event, _ = Event.objects.update_or_create(
            slug_en=facts["slug_en"],
            defaults={**facts, "programme": programme, "status": PublicationStatus.PUBLISHED},
        )
        event.films.set([cranes])
        for order, (person, part_nl, part_en) in enumerate(contributors):
            EventContributor.objects.update_or_create(
                event=event,
                person=people[person],
                defaults={"order": order, "part_nl": part_nl, "part_en": part_en},
            )
        return event

    def load_auditoriums(self) -> list[Auditorium]:
        self.step("Auditoriums")
        return [
            Auditorium.objects.update_or_create(
                slug=slug,
                defaults={
                    "name_nl": name_nl,
                    "name_en": name_en,
                    "seats": seats,
                    "accessibility_notes_nl": notes_nl,
                    "accessibility_notes_en": notes_en,
                    "order": order,
                },
            )[0]
            for order, (slug, name_nl, name_en, seats, notes_nl, notes_en) in enumerate(
                data.AUDITORIUMS
            )
        ]

    def load_screenings(
        self,
        programme: Programme,
        films: dict[str, Film],
        opening: Event,
        auditoriums: list[Auditorium],
    ) -> int:
        """A varied but fixed schedule: the same programme start always gives the same shows."""
        if Screening.objects.filter(event=opening).exists():
            self.step("Screenings already scheduled")
            return 0
        film_list = list(films.values())
        rotation = cycle(range(len(film_list)))
        created = 0
        opening_night = self.at(programme.starts_on, datetime.time(20, 0))
        save_screening(
            Screening(
                event=opening,
                auditorium=auditoriums[0],
                starts_at=opening_night,
                spoken_language="ru",
                subtitles=Subtitles.ENGLISH,
                format=ScreeningFormat.DCP,
                ticket_status=TicketStatus.FEW_LEFT,
                ticket_url=TICKET_URL.format(slug=opening.slug_en, stamp="opening"),
                note_nl="met poëzie en livemuziek",
                note_en="with poetry and live music",
            )
        )
        created += 1
        number = 0
        for day_index in range(PROGRAMME_DAYS):
            day = programme.starts_on + datetime.timedelta(days=day_index)
            self.step(f"Screenings, day {day_index + 1}/{PROGRAMME_DAYS}")
            for room_index, auditorium in enumerate(auditoriums):
                start = self.at(day, FIRST_START) + datetime.timedelta(minutes=45 * room_index)
                last_start = self.at(day, LAST_START)
                while start <= last_start:
                    film = film_list[next(rotation)]
                    number += 1
                    screening = self.film_screening(film, auditorium, start, number, day)
                    if screening.clashes().exists():
                        # The opening night holds Cinema 1 that evening: try half an hour later.
                        start += datetime.timedelta(minutes=30)
                        continue
                    save_screening(screening)
                    created += 1
                    start = self.round_up(screening.ends_at + BREAK)
        return created

    def film_screening(
        self, film: Film, auditorium: Auditorium, start: datetime.datetime, number: int, day
    ) -> Screening:
        status = schedule.ticket_status(number, auditorium.slug)
        screening = Screening(
            film=film,
            auditorium=auditorium,
            starts_at=start,
            spoken_language=film.language_codes[0] if film.language_codes else "",
            subtitles=Subtitles.ENGLISH if number % 3 else Subtitles.DUTCH,
            format=ScreeningFormat.FILM_35MM if number % 6 == 0 else ScreeningFormat.DCP,
            ticket_status=status,
            ticket_url=TICKET_URL.format(slug=film.slug_en, stamp=start.strftime("%Y%m%d%H%M")),
            audio_description=number % 9 == 0,
            subtitles_for_deaf=number % 13 == 0,
            relaxed=day.weekday() == 6 and start.hour < 16,
        )
        if number % 10 == 0:
            screening.note_nl = "met inleiding"
            screening.note_en = "with introduction"
        screening.derive_end()
        return screening

    @staticmethod
    def at(day: datetime.date, time: datetime.time) -> datetime.datetime:
        return timezone.make_aware(datetime.datetime.combine(day, time))

    @staticmethod
    def round_up(moment: datetime.datetime) -> datetime.datetime:
        local = timezone.localtime(moment)
        extra = (15 - local.minute % 15) % 15
        return (local + datetime.timedelta(minutes=extra)).replace(second=0, microsecond=0)
