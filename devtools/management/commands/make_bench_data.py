"""Fill a database with a large, made-up cinema archive for the benchmark (bench/run.py).

Everything is written with bulk_create, so 50,000 screenings take seconds, not the minutes that
one validated save per row would. The schedule is computed rather than checked: every auditorium
has four fixed show slots a day, further apart than the longest film or event, so no two
screenings can overlap and each end follows from its start and runtime, as the model rules ask.

The newest weeks are identical whatever the number of screenings: a larger set only adds
history. So pages that look ahead (they all do) show the same content at 1,000 and at 50,000
screenings, and the benchmark compares the cost of a larger table, not of a longer page.

Images: a few posters, stills, campaign and event images are drawn once (by the demo's artwork
module) and shared by file name, so 2,000 films do not need 2,000 files, while sorl-thumbnail
still makes and looks up renditions as it does in production.
"""

from __future__ import annotations

import collections
import datetime
import functools
import random
import time
import zoneinfo

from django.conf import settings
from django.core.files.base import ContentFile
from django.core.files.storage import default_storage
from django.core.management.base import BaseCommand, CommandError
from django.db import connection, transaction
from django.utils import timezone

from devtools import guard
from devtools.demo import artwork, data, schedule
from programmes.models import (
    Credit,
    CreditRole,
    Event,
    EventContributor,
    EventKind,
    Film,
    ImagePreparation,
    Person,
    Programme,
    PublicationStatus,
    SiteSettings,
    Still,
)
from programmes.search_keys import sort_titles
from screenings.models import Auditorium, Screening, ScreeningFormat, Subtitles, TicketStatus

# Four shows a day per auditorium (a realistic density: ~110 screenings a week in four rooms).
# Slots are 165 minutes apart and nothing runs longer than 150, so no show can overlap the next.
SLOTS = (datetime.time(13, 30), datetime.time(16, 15), datetime.time(19, 0), datetime.time(21, 45))
ROOM_STAGGER = datetime.timedelta(minutes=15)
MAX_RUNTIME = 150
# How far the schedule reaches ahead of today; the rest of the screenings are history.
DAYS_AHEAD = 56
PROGRAMME_DAYS = 63
FILMS_PER_PROGRAMME_SLOT = 40
STILLS_PER_FILM = 2
# Shared image files: this many of each kind, reused by every film, event and programme.
IMAGE_VARIANTS = 6
TEXT_VARIANTS = 40
BATCH = 2000
TICKET_URL = "https://tickets.example.org/eye/{slug}/{stamp}"

# Titles: an adjective and a noun, in English, Dutch and Russian (the adjective agrees with the
# noun: Dutch de/het, Russian gender), so the films are named as a cinema's catalogue names them:
# "The Silent Harbour", "De stille haven", and for Soviet films the original "Тихая гавань".
ADJECTIVES = [  # English, Dutch (inflected), Russian masculine, feminine, neuter
    ("Silent", "stille", "тихий", "тихая", "тихое"),
    ("Distant", "verre", "далёкий", "далёкая", "далёкое"),
    ("Last", "laatste", "последний", "последняя", "последнее"),
    ("Red", "rode", "красный", "красная", "красное"),
    ("Northern", "noordelijke", "северный", "северная", "северное"),
    ("Hidden", "verborgen", "скрытый", "скрытая", "скрытое"),
    ("Broken", "gebroken", "разбитый", "разбитая", "разбитое"),
    ("Golden", "gouden", "золотой", "золотая", "золотое"),
    ("Cold", "koude", "холодный", "холодная", "холодное"),
    ("Endless", "eindeloze", "бесконечный", "бесконечная", "бесконечное"),
    ("Burning", "brandende", "горящий", "горящая", "горящее"),
    ("Forgotten", "vergeten", "забытый", "забытая", "забытое"),
    ("White", "witte", "белый", "белая", "белое"),
    ("Quiet", "kalme", "спокойный", "спокойная", "спокойное"),
    ("Lost", "verloren", "потерянный", "потерянная", "потерянное"),
    ("Open", "open", "открытый", "открытая", "открытое"),
]
RUSSIAN_GENDERS = {"m": 2, "f": 3, "n": 4}
NOUNS = [  # English, its plural, Dutch article, Dutch, its plural, Russian, its gender
    ("Harbour", "Harbours", "de", "haven", "havens", "гавань", "f"),
    ("River", "Rivers", "de", "rivier", "rivieren", "река", "f"),
    ("Summer", "Summers", "de", "zomer", "zomers", "лето", "n"),
    ("Road", "Roads", "de", "weg", "wegen", "дорога", "f"),
    ("Garden", "Gardens", "de", "tuin", "tuinen", "сад", "m"),
    ("Station", "Stations", "het", "station", "stations", "станция", "f"),
    ("Mountain", "Mountains", "de", "berg", "bergen", "гора", "f"),
    ("Winter", "Winters", "de", "winter", "winters", "зима", "f"),
    ("Letter", "Letters", "de", "brief", "brieven", "письмо", "n"),
    ("Island", "Islands", "het", "eiland", "eilanden", "остров", "m"),
    ("Forest", "Forests", "het", "bos", "bossen", "лес", "m"),
    ("Bridge", "Bridges", "de", "brug", "bruggen", "мост", "m"),
    ("Night", "Nights", "de", "nacht", "nachten", "ночь", "f"),
    ("Sea", "Seas", "de", "zee", "zeeën", "море", "n"),
    ("City", "Cities", "de", "stad", "steden", "город", "m"),
    ("Window", "Windows", "het", "raam", "ramen", "окно", "n"),
]
# After the first 256 titles, each adjective and noun again with a city: "The White Summer of
# Odessa", "De witte zomer van Odessa", "Белое лето Одессы".
CITIES = [  # English, Dutch, Russian (genitive)
    ("Odessa", "Odessa", "Одессы"),
    ("Kyiv", "Kiev", "Киева"),
    ("Tbilisi", "Tbilisi", "Тбилиси"),
    ("Leningrad", "Leningrad", "Ленинграда"),
    ("Riga", "Riga", "Риги"),
    ("Warsaw", "Warschau", "Варшавы"),
    ("Prague", "Praag", "Праги"),
]
WORDS_EN = (
    "a young woman leaves her village for the city where a war has changed everything and "
    "her brother waits at the station with a letter from their father while the river "
    "freezes and the factory closes its gates the camera follows them through long nights "
    "of music and quarrels until spring returns with a stranger who knows their secret"
)
WORDS_NL = (
    "een jonge vrouw verlaat haar dorp voor de stad waar een oorlog alles heeft veranderd en "
    "haar broer wacht op het station met een brief van hun vader terwijl de rivier bevriest "
    "en de fabriek haar poorten sluit de camera volgt hen door lange nachten vol muziek en "
    "ruzies tot de lente terugkeert met een vreemdeling die hun geheim kent"
)
# People, named as the catalogue writes them: Russian, Georgian and Ukrainian names in their
# English transliteration (the spellings visitors type differ: Tarkovski, Choetsiev), the others
# with their accents. A group: first names with "m" or "f", surnames in their male and female
# forms. The Russian group comes twice in every eight people, so the first is Andrei Tarkovsky.
RUSSIAN_NAMES = (
    [("Andrei", "m"), ("Larisa", "f"), ("Mikhail", "m"), ("Kira", "f"), ("Marlen", "m"),
     ("Tatyana", "f"), ("Grigori", "m"), ("Inna", "f"), ("Aleksandr", "m"), ("Yevgenia", "f"),
     ("Sergei", "m"), ("Lyudmila", "f"), ("Vasili", "m"), ("Natalya", "f"), ("Yuri", "m")],
    [("Tarkovsky", "Tarkovskaya"), ("Shepitko", "Shepitko"), ("Kalatozov", "Kalatozova"),
     ("Muratov", "Muratova"), ("Khutsiev", "Khutsieva"), ("Chukhrai", "Chukhrai"),
     ("Klimov", "Klimova"), ("Zhuravlyov", "Zhuravlyova"), ("Shchukin", "Shchukina"),
     ("Kozintsev", "Kozintseva"), ("Gerasimov", "Gerasimova"), ("Yutkevich", "Yutkevich"),
     ("Panfilov", "Panfilova"), ("Smoktunovsky", "Smoktunovskaya"), ("Urusevsky", "Urusevskaya")],
)  # fmt: skip
NAME_GROUPS = [
    RUSSIAN_NAMES,
    (  # Polish, Czech and Hungarian
        [("Andrzej", "m"), ("Agnieszka", "f"), ("Krzysztof", "m"), ("Věra", "f"), ("Miloš", "m"),
         ("Márta", "f"), ("Jiří", "m"), ("Miklós", "m")],
        [("Wajda", "Wajda"), ("Kieślowski", "Kieślowska"), ("Holland", "Holland"),
         ("Chytil", "Chytilová"), ("Forman", "Formanová"), ("Jancsó", "Jancsó"),
         ("Mészáros", "Mészáros"), ("Menzel", "Menzelová")],
    ),
    (  # Dutch
        [("Bert", "m"), ("Marleen", "f"), ("Joris", "m"), ("Nouchka", "f"), ("Johan", "m"),
         ("Fons", "m"), ("Mijke", "f"), ("Pieter", "m")],
        [("Haanstra", "Haanstra"), ("Gorris", "Gorris"), ("Ivens", "Ivens"),
         ("van Brakel", "van Brakel"), ("van der Keuken", "van der Keuken"),
         ("Rademakers", "Rademakers"), ("de Jong", "de Jong"), ("Verstappen", "Verstappen")],
    ),
    (  # Georgian and Ukrainian, also written in English transliteration
        [("Otar", "m"), ("Lana", "f"), ("Tengiz", "m"), ("Nana", "f"), ("Oleksandr", "m"),
         ("Kira", "f"), ("Serhiy", "m")],
        [("Ioseliani", "Ioseliani"), ("Gogoberidze", "Gogoberidze"), ("Abuladze", "Abuladze"),
         ("Dzhordzhadze", "Dzhordzhadze"), ("Dovzhenko", "Dovzhenko"),
         ("Paradzhanov", "Paradzhanova"), ("Parajanov", "Parajanova")],
    ),
    RUSSIAN_NAMES,
    (  # Italian, French and German
        [("Federico", "m"), ("Agnès", "f"), ("Michelangelo", "m"), ("Chantal", "f"),
         ("Rainer", "m"), ("Lina", "f"), ("Jacques", "m"), ("Helma", "f")],
        [("Fellini", "Fellini"), ("Varda", "Varda"), ("Antonioni", "Antonioni"),
         ("Akerman", "Akerman"), ("Fassbinder", "Fassbinder"), ("Wertmüller", "Wertmüller"),
         ("Demy", "Demy"), ("Sanders-Brahms", "Sanders-Brahms")],
    ),
    (  # Japanese, family name last as Western catalogues write it
        [("Yasujirō", "m"), ("Kinuyo", "f"), ("Kenji", "m"), ("Sachiko", "f"), ("Mikio", "m"),
         ("Hiroshi", "m")],
        [("Ozu", "Ozu"), ("Tanaka", "Tanaka"), ("Mizoguchi", "Mizoguchi"), ("Hani", "Hani"),
         ("Naruse", "Naruse"), ("Teshigahara", "Teshigahara")],
    ),
    (  # British and American
        [("Lindsay", "m"), ("Shirley", "f"), ("Karel", "m"), ("Maya", "f"), ("John", "m"),
         ("Barbara", "f")],
        [("Anderson", "Anderson"), ("Clarke", "Clarke"), ("Reisz", "Reisz"),
         ("Deren", "Deren"), ("Cassavetes", "Cassavetes"), ("Loden", "Loden")],
    ),
]  # fmt: skip
COUNTRIES = ["SU", "FR", "NL", "IT", "JP", "PL", "CS", "DE", "GB", "US"]
LANGUAGES = ["ru", "fr", "nl", "it", "ja", "pl", "cs", "de", "en", "en"]
EVENT_KINDS = [EventKind.LECTURE, EventKind.QA, EventKind.LIVE_MUSIC, EventKind.PREMIERE]


def with_search_keys(rows: list) -> list:
    """bulk_create() calls no save(), which would derive each row's search key."""
    for row in rows:
        row.fill_search_key()
    return rows


class Command(BaseCommand):
    help = "Fill the database with a large made-up archive for the benchmark (bulk inserts)."

    def add_arguments(self, parser) -> None:
        parser.add_argument("--screenings", type=int, default=50_000)
        parser.add_argument("--films", type=int, default=2_000)
        parser.add_argument("--people", type=int, default=200)
        parser.add_argument("--programmes", type=int, default=50)
        parser.add_argument(
            "--replace",
            action="store_true",
            help="Empty the content tables first (required when the database holds films).",
        )
        guard.add_confirm_option(parser)

    def handle(self, *args, **options) -> None:
        started = time.monotonic()
        self.started = started
        n_films, n_people, n_programmes = options["films"], options["people"], options["programmes"]
        if n_people < 10 or n_films < n_programmes * 2:
            raise CommandError("Ask for at least 10 people and two films per programme.")
        guard.refuse_unless_safe("make_bench_data", options["confirm_database"])
        if Film.objects.exists():
            if not options["replace"]:
                raise CommandError(
                    "This database already holds films; pass --replace to empty it first "
                    f"(database: {connection.settings_dict['NAME']})."
                )
            self.empty()
        self.today = timezone.localdate()
        self.zone = zoneinfo.ZoneInfo(settings.TIME_ZONE)
        with transaction.atomic():
            images = self.make_images()
            SiteSettings.objects.update_or_create(pk=1, defaults=data.SITE_SETTINGS)
            auditoriums = self.make_auditoriums()
            programmes = self.make_programmes(n_programmes, images)
            people = self.make_people(n_people)
            films = self.make_films(n_films, programmes, people, images)
            events = self.make_events(programmes, films, people, images)
            count = self.make_screenings(
                options["screenings"], programmes, films, events, auditoriums
            )
        if connection.vendor == "postgresql":
            # Fresh statistics, as autovacuum would gather soon after: without them the planner
            # guesses, and the benchmark would measure its guesses rather than our queries.
            with connection.cursor() as cursor:
                cursor.execute("ANALYZE")
            self.step("Statistics gathered (ANALYZE)")
        self.step(
            f"Done: {n_films} films, {n_people} people, {n_programmes} programmes, "
            f"{len(events)} events, {count} screenings in {time.monotonic() - started:.1f} s."
        )

    def step(self, message: str) -> None:
        self.stdout.write(f"[{time.monotonic() - self.started:5.1f} s] {message}")
        self.stdout.flush()

    def empty(self) -> None:
        self.step("Emptying the content tables")
        models = [
            # What was drawn of the images before (perhaps into another media folder, by another
            # checkout of the same database): drawn again for this one.
            ImagePreparation,
            Screening,
            EventContributor,
            Event.films.through,
            Event,
            Still,
            Credit,
            Film.programmes.through,
            Film,
            Person,
            Programme,
            Auditorium,
        ]
        if connection.vendor == "postgresql":
            tables = ", ".join(connection.ops.quote_name(m._meta.db_table) for m in models)
            with connection.cursor() as cursor:
                cursor.execute(f"TRUNCATE {tables} RESTART IDENTITY CASCADE")
        else:
            for model in models:
                model.objects.all().delete()

    # Images -------------------------------------------------------------------------------

    def make_images(self) -> dict[str, list[str]]:
        """Draw a few images of each kind once; later runs reuse the files already there."""
        kinds = {
            "posters": lambda i: artwork.make_poster(f"Bench film {i}", "Bench", 1960 + i, seed=i),
            "stills": lambda i: artwork.make_still("Bench", i, seed=i),
            "programmes": lambda i: artwork.make_campaign_image(f"Programme {i}", "Bench", seed=i),
            "events": lambda i: artwork.make_campaign_image(f"Event {i}", "Bench", seed=100 + i),
        }
        names: dict[str, list[str]] = {}
        for kind, draw in kinds.items():
            names[kind] = []
            for index in range(IMAGE_VARIANTS):
                name = f"{kind}/bench-{index + 1}.jpg"
                if not default_storage.exists(name):
                    default_storage.save(name, ContentFile(draw(index + 1)))
                names[kind].append(name)
        self.step(f"Images: {IMAGE_VARIANTS} of each kind in {settings.MEDIA_ROOT}")
        return names

    # Text ---------------------------------------------------------------------------------

    @staticmethod
    @functools.cache
    def text(vocabulary: str, count: int, seed: int) -> str:
        """Made-up prose of about `count` words; a few dozen variants are plenty, so cache them."""
        rng, words = random.Random(seed % TEXT_VARIANTS), vocabulary.split()
        start = rng.randrange(len(words))
        picked = [words[(start + i * 7) % len(words)] for i in range(count)]
        sentences, sentence = [], []
        for word in picked:
            sentence.append(word)
            if len(sentence) >= rng.randint(9, 16):
                sentences.append(" ".join(sentence).capitalize() + ".")
                sentence = []
        if sentence:
            sentences.append(" ".join(sentence).capitalize() + ".")
        return " ".join(sentences)

    def texts(self, field: str, count: int, seed: int) -> dict[str, str]:
        return {
            f"{field}_en": self.text(WORDS_EN, count, seed),
            f"{field}_nl": self.text(WORDS_NL, count, seed),
        }

    # Rows ---------------------------------------------------------------------------------

    def make_auditoriums(self) -> list[Auditorium]:
        auditoriums = Auditorium.objects.bulk_create(
            Auditorium(
                slug=slug,
                name_nl=name_nl,
                name_en=name_en,
                seats=seats,
                accessibility_notes_nl=notes_nl,
                accessibility_notes_en=notes_en,
                order=order,
            )
            for order, (slug, name_nl, name_en, seats, notes_nl, notes_en) in enumerate(
                data.AUDITORIUMS
            )
        )
        self.step(f"Auditoriums: {len(auditoriums)}")
        return auditoriums

    def programme_period(self, index: int, count: int) -> tuple[datetime.date, datetime.date]:
        """Back to back, the last one running from a week ago to the end of the schedule."""
        last_day = self.today + datetime.timedelta(days=DAYS_AHEAD - 1)
        ends_on = last_day - datetime.timedelta(days=PROGRAMME_DAYS * (count - 1 - index))
        return ends_on - datetime.timedelta(days=PROGRAMME_DAYS - 1), ends_on

    def make_programmes(self, count: int, images) -> list[Programme]:
        rows = []
        for index in range(count):
            adjective, noun = ADJECTIVES[index % 16], NOUNS[(index * 5) % 16]
            starts_on, ends_on = self.programme_period(index, count)
            rows.append(
                Programme(
                    title_en=f"{adjective[0]} {noun[1]}",
                    title_nl=f"{adjective[1].capitalize()} {noun[4]}",
                    slug_en=f"programme-{index + 1}",
                    slug_nl=f"programma-{index + 1}",
                    subtitle_en=f"Season {index + 1}",
                    subtitle_nl=f"Seizoen {index + 1}",
                    **self.texts("intro", 60, index),
                    **self.texts("body", 160, 1000 + index),
                    campaign_image=images["programmes"][index % IMAGE_VARIANTS],
                    campaign_image_alt_en=f"Campaign image of programme {index + 1}",
                    campaign_image_alt_nl=f"Campagnebeeld van programma {index + 1}",
                    starts_on=starts_on,
                    ends_on=ends_on,
                    status=PublicationStatus.PUBLISHED,
                )
            )
        programmes = Programme.objects.bulk_create(with_search_keys(rows))
        self.step(f"Programmes: {len(programmes)}")
        return programmes

    def make_people(self, count: int) -> list[Person]:
        rows, turns = [], collections.Counter()
        for index in range(count):
            firsts, surnames = NAME_GROUPS[index % len(NAME_GROUPS)]
            # The how-manieth person of this group: first names in turn, each with another
            # surname on every round, so no name comes twice.
            turn = turns[id(firsts)]
            turns[id(firsts)] += 1
            first, gender = firsts[turn % len(firsts)]
            male, female = surnames[(turn + turn // len(firsts)) % len(surnames)]
            rows.append(
                Person(
                    name=f"{first} {female if gender == 'f' else male}",
                    slug=f"person-{index + 1}",
                    **self.texts("bio", 50, 2000 + index),
                )
            )
        people = Person.objects.bulk_create(with_search_keys(rows), batch_size=BATCH)
        self.step(f"People: {len(people)}")
        return people

    @staticmethod
    def film_titles(index: int) -> tuple[str, str, str]:
        """The English, Dutch and Russian titles of film `index`: every adjective with every noun,
        then each of those again with a city, and so on."""
        adjective, noun = ADJECTIVES[index % 16], NOUNS[(index // 16) % 16]
        english = f"The {adjective[0]} {noun[0]}"
        dutch = f"{noun[2].capitalize()} {adjective[1]} {noun[3]}"
        russian = f"{adjective[RUSSIAN_GENDERS[noun[6]]].capitalize()} {noun[5]}"
        if index >= 256:
            city = CITIES[(index // 256 - 1) % len(CITIES)]
            english, dutch, russian = (
                f"{english} of {city[0]}",
                f"{dutch} van {city[1]}",
                f"{russian} {city[2]}",
            )
        return english, dutch, russian

    def make_films(self, count: int, programmes, people, images) -> list[Film]:
        rows = []
        for index in range(count):
            title_en, title_nl, title_ru = self.film_titles(index)
            country = index % len(COUNTRIES)
            # The title in the language the film was made in: Cyrillic for Soviet films; none
            # recorded for the languages these made-up titles are not written in.
            original_title = {"SU": title_ru, "NL": title_nl, "GB": title_en, "US": title_en}
            rows.append(
                Film(
                    title_en=title_en,
                    title_nl=title_nl,
                    # bulk_create() calls no save(), which would derive these.
                    **sort_titles(title_nl, title_en),
                    original_title=original_title.get(COUNTRIES[country], ""),
                    slug_en=f"film-{index + 1}",
                    slug_nl=f"film-{index + 1}",
                    year=1920 + index % 100,
                    countries=[COUNTRIES[country]],
                    runtime=75 + (index * 7) % (MAX_RUNTIME - 74),
                    spoken_languages=LANGUAGES[country],
                    **self.texts("synopsis", 45, 3000 + index),
                    **self.texts("description", 180, 6000 + index),
                    restoration_note_en="Digital restoration 4K" if index % 4 == 0 else "",
                    restoration_note_nl="Digitale restauratie 4K" if index % 4 == 0 else "",
                    age_rating=["AL", "6", "12", "16"][index % 4],
                    poster=images["posters"][index % IMAGE_VARIANTS],
                    poster_alt_en=f"Poster of {title_en}",
                    poster_alt_nl=f"Affiche van {title_nl}",
                    status=PublicationStatus.PUBLISHED,
                )
            )
        films = Film.objects.bulk_create(with_search_keys(rows), batch_size=BATCH)
        self.step(f"Films: {len(films)}")

        # Each programme holds a block of films; every tenth film is in a second one too.
        through = Film.programmes.through
        per_programme = count // len(programmes)
        links = []
        for index, film in enumerate(films):
            home = min(index // per_programme, len(programmes) - 1)
            links.append(through(film_id=film.pk, programme_id=programmes[home].pk))
            if index % 10 == 0 and home > 0:
                links.append(through(film_id=film.pk, programme_id=programmes[home - 1].pk))
        through.objects.bulk_create(links, batch_size=BATCH)
        self.step(f"Film programmes: {len(links)}")

        # Directors and cinematographers come from the first fifth of the people, cast the rest.
        crew = max(2, len(people) // 5)
        credits = []
        for index, film in enumerate(films):
            director = people[index % (crew // 2)]
            camera = people[crew // 2 + index % (crew - crew // 2)]
            credits.append(Credit(film=film, person=director, role=CreditRole.DIRECTOR, order=0))
            credits.append(
                Credit(film=film, person=camera, role=CreditRole.CINEMATOGRAPHER, order=1)
            )
            cast_pool = len(people) - crew
            for part in range(3):
                actor = people[crew + (index * 3 + part) % cast_pool]
                credits.append(
                    Credit(
                        film=film,
                        person=actor,
                        role=CreditRole.CAST,
                        order=2 + part,
                        character_en=f"Role {part + 1}",
                        character_nl=f"Rol {part + 1}",
                    )
                )
        Credit.objects.bulk_create(credits, batch_size=BATCH)
        self.step(f"Credits: {len(credits)}")

        stills = [
            Still(
                film=film,
                image=images["stills"][(index + number) % IMAGE_VARIANTS],
                alt_text_en=f"Still {number + 1} from {film.title_en}",
                alt_text_nl=f"Still {number + 1} uit {film.title_nl}",
                order=number,
            )
            for index, film in enumerate(films)
            for number in range(STILLS_PER_FILM)
        ]
        Still.objects.bulk_create(stills, batch_size=BATCH)
        self.step(f"Stills: {len(stills)}")
        return films

    def make_events(self, programmes, films, people, images) -> list[Event]:
        """Two events per programme, each around one of its films; the current ones featured."""
        per_programme = len(films) // len(programmes)
        rows, event_films = [], []
        for p_index, programme in enumerate(programmes):
            for number in range(2):
                index = p_index * 2 + number
                film = films[p_index * per_programme + number]
                kind = EVENT_KINDS[index % len(EVENT_KINDS)]
                rows.append(
                    Event(
                        title_en=f"{kind.label}: {film.title_en}",
                        title_nl=f"{kind.label}: {film.title_nl}",
                        slug_en=f"event-{index + 1}",
                        slug_nl=f"evenement-{index + 1}",
                        kind=kind,
                        label_en=f"{programme.title_en} special",
                        label_nl=f"{programme.title_nl} speciaal",
                        **self.texts("intro", 50, 9000 + index),
                        **self.texts("body", 150, 9500 + index),
                        programme=programme,
                        duration=min(MAX_RUNTIME, film.runtime + 30),
                        image=images["events"][index % IMAGE_VARIANTS],
                        image_alt_en=f"Image of event {index + 1}",
                        image_alt_nl=f"Beeld van evenement {index + 1}",
                        featured=p_index >= len(programmes) - 2,
                        status=PublicationStatus.PUBLISHED,
                    )
                )
                event_films.append(film)
        events = Event.objects.bulk_create(with_search_keys(rows))
        through = Event.films.through
        through.objects.bulk_create(
            through(event_id=event.pk, film_id=film.pk)
            for event, film in zip(events, event_films, strict=True)
        )
        contributors = [
            EventContributor(
                event=event,
                person=people[(index * 3 + part) % len(people)],
                part_en=["introduction", "piano", "conversation"][part],
                part_nl=["inleiding", "piano", "gesprek"][part],
                order=part,
            )
            for index, event in enumerate(events)
            for part in range(3)
        ]
        EventContributor.objects.bulk_create(contributors)
        self.step(f"Events: {len(events)} with {len(contributors)} contributors")
        return events

    def make_screenings(self, count: int, programmes, films, events, auditoriums) -> int:
        """Fill slots backwards from the end of the schedule until `count` screenings exist."""
        per_day = len(SLOTS) * len(auditoriums)
        days = -(-count // per_day)
        last_day = self.today + datetime.timedelta(days=DAYS_AHEAD - 1)
        first_day = last_day - datetime.timedelta(days=days - 1)
        per_programme = len(films) // len(programmes)
        first_programme_start = self.programme_period(0, len(programmes))[0]
        made, rows = 0, []
        # Skip the first slots of the first day so exactly `count` remain, ending at last_day.
        skip = days * per_day - count
        for day_index in range(days):
            day = first_day + datetime.timedelta(days=day_index)
            # The programme running that day supplies the films (the oldest one before it began).
            p_index = max(0, (day - first_programme_start).days // PROGRAMME_DAYS)
            p_index = min(p_index, len(programmes) - 1)
            block = films[p_index * per_programme : (p_index + 1) * per_programme]
            for room_index, auditorium in enumerate(auditoriums):
                for slot_index, slot in enumerate(SLOTS):
                    if skip:
                        skip -= 1
                        continue
                    number = day_index * per_day + room_index * len(SLOTS) + slot_index
                    start = datetime.datetime.combine(day, slot, tzinfo=self.zone) + (
                        ROOM_STAGGER * room_index
                    )
                    # Every fifth day the evening show in Cinema 1 is one of the programme's events.
                    if room_index == 0 and slot_index == 2 and day_index % 5 == 0:
                        rows.append(self.event_screening(events, p_index, day_index, start))
                    else:
                        film = block[(day_index * 7 + room_index * 4 + slot_index) % len(block)]
                        rows.append(self.film_screening(film, auditorium, start, number, day))
                    rows[-1].auditorium = auditorium
                    made += 1
            if len(rows) >= BATCH:
                Screening.objects.bulk_create(rows)
                rows = []
                if made // 10_000 > (made - per_day) // 10_000:
                    self.step(f"Screenings: {made}/{count} (up to {day})")
        Screening.objects.bulk_create(rows)
        self.step(f"Screenings: {made} from {first_day} to {last_day}")
        return made

    def event_screening(self, events, p_index: int, day_index: int, start) -> Screening:
        event = events[p_index * 2 + (day_index // 5) % 2]
        return Screening(
            event=event,
            starts_at=start,
            ends_at=start + datetime.timedelta(minutes=event.duration),
            spoken_language="en",
            subtitles=Subtitles.DUTCH,
            format=ScreeningFormat.DCP,
            ticket_status=TicketStatus.FEW_LEFT,
            ticket_url=TICKET_URL.format(slug=event.slug_en, stamp=start.strftime("%Y%m%d%H%M")),
            note_en="with introduction and live music",
            note_nl="met inleiding en livemuziek",
        )

    def film_screening(self, film, auditorium, start, number: int, day) -> Screening:
        status = schedule.ticket_status(number, auditorium.slug)
        screening = Screening(
            film=film,
            starts_at=start,
            ends_at=start + datetime.timedelta(minutes=film.runtime),
            spoken_language=film.spoken_languages,
            subtitles=Subtitles.ENGLISH if number % 3 else Subtitles.DUTCH,
            format=ScreeningFormat.FILM_35MM if number % 6 == 0 else ScreeningFormat.DCP,
            ticket_status=status,
            ticket_url=TICKET_URL.format(slug=film.slug_en, stamp=start.strftime("%Y%m%d%H%M")),
            audio_description=number % 9 == 0,
            subtitles_for_deaf=number % 13 == 0,
            relaxed=day.weekday() == 6 and start.hour < 16,
        )
        if number % 10 == 0:
            screening.note_en = "with introduction"
            screening.note_nl = "met inleiding"
        return screening
