"""Search: films, events, programmes and people found by their names in any language, in the
spellings visitors type, each film and event with its next screening.

Every searchable object stores its names folded to one spelling (`search_key`,
programmes/search_keys.py); the visitor's words are folded the same way, so Khutsiev, Choetsiev
and Хуциев are one key before the database is asked. A match is ranked:

0. a whole name is the query ("kalatozov" is not a name, "mikhail kalatozov" is);
1. a name starts with it;
2. each of its words starts a word of a name (in any order: "flying cranes");
3. on PostgreSQL only, a name holds a word a letter or two away (pg_trgm's word similarity,
   served by the trigram indexes of programmes/migrations/0005_search_keys.py). SQLite has no
   trigrams: there a misspelt name that no transliteration explains is not found.

Within a rank, what is still to come (a screening, a running programme) comes before the archive.

A search is one hand-written statement however much is stored (the footer is the page's second):
the films, and the events, programmes and people together, each group cut at its own limit. The
ORM built the same three-part query in about 8 ms of Python, most of a search page's time; the
statement's text is made once per database, language and number of words (`statement()`), and
what the visitor typed reaches it only as parameters.
"""

from __future__ import annotations

import datetime
import functools
from dataclasses import dataclass, field

from django import forms
from django.db import connection
from django.db.models.fields.files import ImageFieldFile
from django.utils import timezone, translation
from django.utils.translation import gettext_lazy as _

from eye_site.page_query import QueryForm
from programmes.addresses import address
from programmes.markup import languages_in_turn, translated
from programmes.models import CreditRole, Film, PublicationStatus
from programmes.pictures import stored_file
from programmes.search_keys import BAR, fold

from .models import LONGEST_SCREENING, TicketStatus

# A longer query is cut to this many characters (with a note): no title is nearly as long.
MAX_QUERY_CHARS = 200
# A key shorter than this matches nearly everything; the page asks for more instead.
MIN_KEY_CHARS = 2
# How many of each the results page shows; one more is read to know there are more.
FILMS_SHOWN = 24
OTHERS_SHOWN = 24
SUGGESTIONS = 10


class SearchField(forms.CharField):
    """Text as typed, without control characters (a NUL byte is a space, not an error)."""

    def to_python(self, value):
        value = super().to_python(value)
        return "".join(" " if char < " " or char == "\x7f" else char for char in value).strip()


class SearchForm(QueryForm):
    # `id` of its own: the header's box has the id "q" on every page.
    q = SearchField(label=_("Search"), required=False, widget=forms.TextInput({"type": "search"}))

    @classmethod
    def from_query(cls, query):
        form = super().from_query(query)
        if len(query.get("q", "")) > MAX_QUERY_CHARS:
            # Kept with its reason, so the page cache keys the cut query apart (page_query.py).
            form.problems["q"] = [forms.ValidationError("cut", code="cut")]
        return form

    def clean_q(self) -> str:
        return self.cleaned_data["q"][:MAX_QUERY_CHARS].strip()

    @property
    def was_cut(self) -> bool:
        return "q" in self.problems

    def terms(self) -> Terms:
        return Terms(self.cleaned_data.get("q", ""))


@dataclass(frozen=True)
class Terms:
    """The visitor's query and its key."""

    text: str
    key: str = field(init=False)

    def __post_init__(self) -> None:
        object.__setattr__(self, "key", fold(self.text))

    @property
    def words(self) -> list[str]:
        return self.key.split()

    @property
    def searchable(self) -> bool:
        return len(self.key.replace(" ", "")) >= MIN_KEY_CHARS


@dataclass(slots=True)
class Hit:
    """One result, as the page and the suggestions print it."""

    kind: str  # film, event, programme, person
    title: str
    url: str
    title_lang: str  # ' lang="nl"' where the Dutch title stands in for a missing English one
    rank: int
    coming: bool
    detail: str = ""  # film: original title; event: its label
    year: int | None = None
    director: str = ""
    next_start: datetime.datetime | None = None
    starts_on: datetime.date | None = None
    ends_on: datetime.date | None = None
    poster: ImageFieldFile | None = None  # a film's


@dataclass
class Results:
    films: list[Hit]
    events: list[Hit]
    programmes: list[Hit]
    people: list[Hit]
    more_films: bool = False
    more_others: bool = False

    @property
    def count(self) -> int:
        return len(self.films) + len(self.events) + len(self.programmes) + len(self.people)

    def best(self, count: int) -> list[Hit]:
        """The best hits of every kind together, for suggestions: by rank, films first."""
        hits = [*self.films, *self.events, *self.programmes, *self.people]
        return sorted(hits, key=lambda hit: (hit.rank, not hit.coming))[:count]


def fuzzy() -> bool:
    return connection.vendor == "postgresql"


# What the statement gives for each hit, in this order (a UNION matches columns by place):
# `coming_at` is when it is next to be seen (a film's or event's next screening; now for a
# programme not yet over and for a person credited on a film still to be shown), NULL for the
# archive; `detail` a film's original title, an event's label or a programme's subtitle.
COLUMNS = (
    "kind", "id", "rank", "similarity", "coming_at", "sort_name", "name_nl", "name_en",
    "slug_nl", "slug_en", "detail_nl", "detail_en", "starts_on", "ends_on", "year", "director",
    "poster",
)  # fmt: skip
# Best first: rank, then what is still to come (the soonest first), closeness, the name.
ORDER = "rank, coming_at NULLS LAST, similarity DESC, sort_name, id"
# The next screening of each film or event: Screening.objects.upcoming(), not cancelled. Read
# once for all (a few hundred screenings), not once for each name that matches: a short query
# matches most films (2 ms against 11 for "de" at 2,000 films).
NEXT_STARTS = """LEFT JOIN (SELECT s.{table}_id, MIN(s.starts_at) AS starts_at
    FROM screenings_screening s
    WHERE s.ends_at > %(now)s AND s.starts_at > %(since)s AND s.ticket_status <> %(cancelled)s
    GROUP BY s.{table}_id) {table}_next ON {table}_next.{table}_id = {table}.id"""
# Whether a person is credited on a film of such a screening.
CREDITED_ON_COMING = """EXISTS (SELECT 1 FROM programmes_credit c
    WHERE c.person_id = person.id AND c.film_id IN (SELECT s.film_id FROM screenings_screening s
        WHERE s.ends_at > %(now)s AND s.starts_at > %(since)s
        AND s.ticket_status <> %(cancelled)s))"""
# A film's first director, as the film page names them.
DIRECTOR = """(SELECT p.name FROM programmes_credit c JOIN programmes_person p ON p.id = c.person_id
    WHERE c.film_id = film.id AND c.role = %(director)s ORDER BY c."order", c.id LIMIT 1)"""
# Film, Event and Programme.objects.published().
PUBLISHED = """{table}.status = %(published)s
    AND ({table}.publish_from IS NULL OR {table}.publish_from <= %(now)s) AND """
NO_DAY = "CAST(NULL AS date)"
NO_NUMBER = "CAST(NULL AS integer)"


@functools.lru_cache(maxsize=256)
def statement(trigrams: bool, language: str, words: int) -> str:
    """The one statement of a search: the best films, and the best events, programmes and people
    together, each cut at its own limit. Only its parameters (`parameters()`) carry what the
    visitor typed; the text depends on whether the database has trigrams, the page's language
    and how many words the query has, and is made once for each."""

    def part(table: str, published: bool = True, joins: str = "", **columns: str) -> str:
        key = f"{table}.search_key"
        every_word = " AND ".join(f"{key} LIKE %(word_{n})s" for n in range(words))
        found = f"{key} LIKE %(prefix)s OR ({every_word})"
        similarity = "1.0"
        if trigrams:
            # pg_trgm: `%>` holds where word_similarity(query, key) reaches its threshold; it,
            # like the LIKEs, is answered by the trigram index (programmes/migrations/0006).
            found += f" OR {key} %%> %(key)s"
            similarity = f"word_similarity(%(key)s, {key})"
        rank = (
            f"CASE WHEN {key} LIKE %(exact)s THEN 0 WHEN {key} LIKE %(prefix)s THEN 1"
            f" WHEN {every_word} THEN 2 ELSE 3 END"
        )
        values = {"kind": f"'{table}'", "id": f"{table}.id", "rank": rank}
        values |= {"similarity": similarity, **columns}
        select = ", ".join(f"{values[name]} AS {name}" for name in COLUMNS)
        where = PUBLISHED.format(table=table) if published else ""
        return f"SELECT {select} FROM programmes_{table} {table} {joins} WHERE {where}({found})"

    def translated(table: str, **fields: str) -> dict[str, str]:
        """Columns with one field for each language: {"name": "title"} gives name_nl and
        name_en from title_nl and title_en."""
        return {
            f"{column}_{code}": f"{table}.{field}_{code}"
            for column, field in fields.items()
            for code in ("nl", "en")  # as COLUMNS names them
        }

    films = part(
        "film",
        joins=NEXT_STARTS.format(table="film"),
        coming_at="film_next.starts_at",
        sort_name=f"film.sort_title_{language}",
        **translated("film", name="title", slug="slug"),
        detail_nl="film.original_title",
        detail_en="film.original_title",
        starts_on=NO_DAY,
        ends_on=NO_DAY,
        year="film.year",
        director=DIRECTOR,
        poster="film.poster",
    )
    nothing = {"year": NO_NUMBER, "director": "''", "poster": "''"}
    events = part(
        "event",
        joins=NEXT_STARTS.format(table="event"),
        coming_at="event_next.starts_at",
        sort_name="event.title_nl",
        **translated("event", name="title", slug="slug", detail="label"),
        starts_on=NO_DAY,
        ends_on=NO_DAY,
        **nothing,
    )
    programmes = part(
        "programme",
        coming_at="CASE WHEN programme.ends_on >= %(today)s THEN %(now)s END",
        sort_name="programme.title_nl",
        **translated("programme", name="title", slug="slug", detail="subtitle"),
        starts_on="programme.starts_on",
        ends_on="programme.ends_on",
        **nothing,
    )
    people = part(
        "person",
        published=False,
        coming_at=f"CASE WHEN {CREDITED_ON_COMING} THEN %(now)s END",
        sort_name="person.name",
        name_nl="person.name",
        name_en="person.name",
        slug_nl="person.slug",
        slug_en="person.slug",
        detail_nl="''",
        detail_en="''",
        starts_on=NO_DAY,
        ends_on=NO_DAY,
        **nothing,
    )
    return (
        f"SELECT * FROM ({films} ORDER BY {ORDER} LIMIT %(films)s) AS films"
        f" UNION ALL SELECT * FROM ({events} UNION ALL {programmes} UNION ALL {people}"
        f" ORDER BY {ORDER} LIMIT %(others)s) AS others ORDER BY {ORDER}"
    )


def parameters(terms: Terms, films: int, others: int) -> dict:
    """The statement's parameters. The patterns hold the folded query, which is nothing but the
    letters a-z, digits and single spaces: no LIKE wildcard, quote or backslash reaches them."""
    key = terms.key
    now = timezone.now()
    adapt = connection.ops
    return {
        "key": key,
        "exact": f"%{BAR} {key} {BAR}%",
        "prefix": f"%{BAR} {key}%",
        **{f"word_{n}": f"% {word}%" for n, word in enumerate(terms.words)},
        "now": adapt.adapt_datetimefield_value(now),
        "since": adapt.adapt_datetimefield_value(now - LONGEST_SCREENING),
        "today": adapt.adapt_datefield_value(timezone.localdate()),
        "published": PublicationStatus.PUBLISHED,
        "cancelled": TicketStatus.CANCELLED,
        "director": CreditRole.DIRECTOR,
        "films": films,
        "others": others,
    }


def moment(value) -> datetime.datetime | None:
    """A time as the driver reads it: PostgreSQL's gives datetimes, SQLite's text in UTC."""
    if isinstance(value, str):
        return datetime.datetime.fromisoformat(value).replace(tzinfo=datetime.UTC)
    return value


def day(value) -> datetime.date | None:
    if isinstance(value, str):
        return datetime.date.fromisoformat(value)
    return value


VIEWS = {
    "film": "programmes:film_detail",
    "event": "programmes:event_detail",
    "programme": "programmes:programme_detail",
    "person": "programmes:person_detail",
}


def search(terms: Terms, films_shown: int, others_shown: int) -> Results:
    """The hits of every kind, in the page's language, in one query; one more of each is read
    to say there are more."""
    language = translation.get_language()
    sql = statement(fuzzy(), language, len(terms.words))
    with connection.cursor() as cursor:
        cursor.execute(sql, parameters(terms, films_shown + 1, others_shown + 1))
        rows = cursor.fetchall()
    films = [row for row in rows if row[0] == "film"]
    others = [row for row in rows if row[0] != "film"]
    results = Results(
        films=[],
        events=[],
        programmes=[],
        people=[],
        more_films=len(films) > films_shown,
        more_others=len(others) > others_shown,
    )
    groups = {
        "film": results.films,
        "event": results.events,
        "programme": results.programmes,
        "person": results.people,
    }
    languages = languages_in_turn()
    for row in [*films[:films_shown], *others[:others_shown]]:
        hit = dict(zip(COLUMNS, row, strict=True))
        kind = hit["kind"]
        title, title_lang = translated(hit, "name", languages)
        coming_at = moment(hit["coming_at"])
        detail = translated(hit, "detail", languages)[0]
        groups[kind].append(
            Hit(
                kind=kind,
                title=title,
                url=address(VIEWS[kind], slug=translated(hit, "slug", languages)[0]),
                title_lang=title_lang,
                rank=hit["rank"],
                coming=coming_at is not None,
                # A film shows its original title only where it differs from the one shown.
                detail="" if kind == "film" and detail == title else detail,
                year=hit["year"],
                director=hit["director"] or "",
                next_start=coming_at if kind in ("film", "event") else None,
                starts_on=day(hit["starts_on"]),
                ends_on=day(hit["ends_on"]),
                poster=stored_file(Film, "poster", hit["poster"]) if hit["poster"] else None,
            )
        )
    return results


KIND_LABELS = {
    "film": _("Film"),
    "event": _("Event"),
    "programme": _("Programme"),
    "person": _("Person"),
}
