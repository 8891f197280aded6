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
A search costs three queries however much is stored (the footer is the page's fourth): the films,
and the events, programmes and people together in one UNION.
"""

from __future__ import annotations

import datetime
from dataclasses import dataclass, field

from django import forms
from django.contrib.postgres.lookups import TrigramWordSimilar
from django.contrib.postgres.search import TrigramWordSimilarity
from django.db import connection
from django.db.models import (
    Case,
    CharField,
    DateField,
    DateTimeField,
    Exists,
    F,
    FloatField,
    IntegerField,
    OuterRef,
    Q,
    QuerySet,
    Subquery,
    Value,
    When,
)
from django.utils import timezone, translation
from django.utils.safestring import mark_safe
from django.utils.translation import gettext_lazy as _

from eye_site.page_query import QueryForm
from programmes.addresses import address
from programmes.markup import lang_attr
from programmes.models import Credit, CreditRole, Event, Film, Person, Programme
from programmes.search_keys import BAR, fold

from .models import Screening, TicketStatus

# A longer query is cut to this many characters (with a note): no title is nearly as long.
MAX_QUERY_CHARS = 200
# A key shorter than this matches nearly everything; the page asks for more instead.
MIN_KEY_CHARS = 2
# How many of each the results page shows; one more is read to know there are more.
FILMS_SHOWN = 24
OTHERS_SHOWN = 24
SUGGESTIONS = 10
# Marks a Dutch name shown where the English one is missing.
DUTCH_STANDS_IN = mark_safe(' lang="nl"')


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
    film: Film | None = None


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


def matching(queryset: QuerySet, terms: Terms) -> QuerySet:
    """Objects whose names match, annotated with their `rank` (see the module's docstring) and
    `similarity` (PostgreSQL's word similarity, 1 elsewhere), to order by."""
    key = terms.key
    exact = Q(search_key__contains=f"{BAR} {key} {BAR}")
    prefix = Q(search_key__contains=f"{BAR} {key}")
    words = Q(*(Q(search_key__contains=f" {word}") for word in terms.words))
    found = prefix | words
    if fuzzy():
        found |= TrigramWordSimilar(F("search_key"), Value(key))
        similarity = TrigramWordSimilarity(Value(key), "search_key")
    else:
        similarity = Value(1.0, output_field=FloatField())
    rank = Case(
        When(exact, then=Value(0)),
        When(prefix, then=Value(1)),
        When(words, then=Value(2)),
        default=Value(3),
        output_field=IntegerField(),
    )
    return queryset.filter(found).annotate(rank=rank, similarity=similarity)


def coming_screenings():
    return Screening.objects.upcoming().exclude(ticket_status=TicketStatus.CANCELLED)


def next_start(**outer) -> Subquery:
    screenings = coming_screenings().filter(**{name: OuterRef(ref) for name, ref in outer.items()})
    return Subquery(screenings.order_by("starts_at").values("starts_at")[:1])


def find_films(terms: Terms, limit: int) -> list[Film]:
    language = translation.get_language()
    directors = Credit.objects.filter(film=OuterRef("pk"), role=CreditRole.DIRECTOR)
    films = (
        matching(Film.objects.published(), terms)
        .annotate(
            next_start=next_start(film="pk"),
            director=Subquery(directors.order_by("order", "pk").values("person__name")[:1]),
        )
        .defer("synopsis_nl", "synopsis_en", "description_nl", "description_en")
        .order_by(
            "rank",
            F("next_start").asc(nulls_last=True),
            "-similarity",
            f"sort_title_{language}",
            "pk",
        )
    )
    return list(films[:limit])


def _text(value: str) -> Value:
    return Value(value, output_field=CharField())


def _columns(kind: str, names: str, slugs: str, labels: str | None, **dates) -> dict:
    """One part's columns of the UNION, all annotations so that every part lists them in the
    same order (a model field would come first)."""
    nothing = _text("")
    columns = {"hit_kind": _text(kind)}
    for code in ("nl", "en"):
        columns[f"hit_name_{code}"] = F(names.format(code=code))
        columns[f"hit_slug_{code}"] = F(slugs.format(code=code))
        columns[f"hit_label_{code}"] = F(labels.format(code=code)) if labels else nothing
    return {**columns, **dates}


def find_others(terms: Terms, limit: int) -> list[dict]:
    """Events, programmes and people in one query, best first."""
    today = timezone.localdate()
    no_time = Value(None, output_field=DateTimeField())
    no_day = Value(None, output_field=DateField())
    events = matching(Event.objects.published(), terms).annotate(
        **_columns(
            "event",
            "title_{code}",
            "slug_{code}",
            "label_{code}",
            hit_next=next_start(event="pk"),
            hit_starts=no_day,
            hit_ends=no_day,
        )
    )
    events = events.annotate(
        hit_coming=Case(When(hit_next__isnull=False, then=Value(1)), default=Value(0))
    )
    programmes = matching(Programme.objects.published(), terms).annotate(
        **_columns(
            "programme",
            "title_{code}",
            "slug_{code}",
            "subtitle_{code}",
            hit_next=no_time,
            hit_starts=F("starts_on"),
            hit_ends=F("ends_on"),
            hit_coming=Case(When(ends_on__gte=today, then=Value(1)), default=Value(0)),
        )
    )
    people = matching(Person.objects.all(), terms).annotate(
        **_columns(
            "person",
            "name",
            "slug",
            None,
            hit_next=no_time,
            hit_starts=no_day,
            hit_ends=no_day,
            # Someone credited on a film still to be shown comes before the archive.
            hit_coming=Case(
                When(
                    Exists(
                        Credit.objects.filter(
                            person=OuterRef("pk"),
                            film__in=coming_screenings().values("film"),
                        )
                    ),
                    then=Value(1),
                ),
                default=Value(0),
            ),
        )
    )
    columns = ["rank", "similarity", "hit_coming", *_columns("", "", "", None), "hit_next"]
    columns += ["hit_starts", "hit_ends"]
    # The parts' columns must come in one order: modeltranslation's values() would put them in
    # the order of a set, so it is turned off (every column here names its language itself).
    parts = [
        part.order_by().rewrite(False).values(*columns) for part in (events, programmes, people)
    ]
    union = parts[0].union(*parts[1:], all=True)
    return list(union.order_by("rank", "-hit_coming", "-similarity", "hit_name_nl")[:limit])


def search(terms: Terms, films_shown: int, others_shown: int) -> Results:
    """The hits of every kind, in the page's language; one more of each is read to say there
    are more."""
    language = translation.get_language()
    films = find_films(terms, films_shown + 1)
    others = find_others(terms, others_shown + 1)
    results = Results(
        films=[film_hit(film) for film in films[:films_shown]],
        events=[],
        programmes=[],
        people=[],
        more_films=len(films) > films_shown,
        more_others=len(others) > others_shown,
    )
    groups = {"event": results.events, "programme": results.programmes, "person": results.people}
    views = {
        "event": "programmes:event_detail",
        "programme": "programmes:programme_detail",
        "person": "programmes:person_detail",
    }
    for row in others[:others_shown]:
        kind = row["hit_kind"]
        own = row[f"hit_name_{language}"]
        title = own or row["hit_name_nl"]
        groups[kind].append(
            Hit(
                kind=kind,
                title=title,
                url=address(views[kind], slug=row[f"hit_slug_{language}"] or row["hit_slug_nl"]),
                title_lang="" if own or language == "nl" else DUTCH_STANDS_IN,
                rank=row["rank"],
                coming=bool(row["hit_coming"]),
                detail=row[f"hit_label_{language}"] or row["hit_label_nl"] or "",
                next_start=row["hit_next"],
                starts_on=row["hit_starts"],
                ends_on=row["hit_ends"],
            )
        )
    return results


def film_hit(film) -> Hit:
    return Hit(
        kind="film",
        title=film.title,
        url=film.get_absolute_url(),
        title_lang=lang_attr(film, "title"),
        rank=film.rank,
        coming=film.next_start is not None,
        detail=film.original_title if film.original_title != film.title else "",
        year=film.year,
        director=film.director or "",
        next_start=film.next_start,
        film=film,
    )


KIND_LABELS = {
    "film": _("Film"),
    "event": _("Event"),
    "programme": _("Programme"),
    "person": _("Person"),
}
