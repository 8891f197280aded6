"""The filters of the agenda and of the films index: plain GET forms whose values live in the URL.

A value a form cannot use is dropped with a note for the visitor and the other filters still
apply, so a mistyped or outdated shared link never ends in an error page. Each form is also its
page's declaration of its query parameters (eye_site/page_query.py): the page cache keys the page
on what the form makes of them, so a note names the filter and the problem, never the value.
"""

from __future__ import annotations

import datetime
from dataclasses import dataclass

from django import forms
from django.conf import settings
from django.db.models import CharField, Exists, Value
from django.db.models.functions import Cast
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy
from django_countries import countries as country_names

from eye_site.cache import per_content_version
from eye_site.page_query import QueryForm
from programmes.models import Film, Programme

from .languages import language_name
from .models import Screening, Subtitles

WHEN_CHOICES = [
    ("", _("for anytime")),
    ("today", _("today")),
    ("tomorrow", _("tomorrow")),
    ("weekend", _("this weekend")),
    ("week", _("next 7 days")),
]
TYPE_CHOICES = [
    ("", pgettext_lazy("agenda type", "films and events")),
    ("films", _("films")),
    ("events", _("events")),
]
# A page of the agenda covers at most this many days, so it never grows with the database.
PAGE_DAYS = 7
# Nothing is planned further ahead; a later date is a typo (and would overflow date arithmetic).
MAX_DAYS_AHEAD = 2 * 366
# How a note names a filter it ignored ("We ignored the date filter: …").
AGENDA_FILTER_LABELS = {
    "when": _("when"),
    "date": _("date"),
    "language": _("language"),
    "type": _("type"),
    "programme": _("programme"),
    "start": _("start date"),
}
INVALID_CHOICE = _("that is not one of its choices.")
# The films index: films a page, and "showing soon" as a screening in this many days, today's too.
FILMS_PAGE_SIZE = 24
SOON_DAYS = 7
FILM_FILTER_LABELS = {
    "decade": _("decade"),
    "country": _("country"),
    "language": _("language"),
    "programme": _("programme"),
    "soon": _("showing soon"),
    "page": _("page"),
}


@dataclass(frozen=True)
class Window:
    first_day: datetime.date
    last_day: datetime.date
    pageable: bool

    @property
    def single_day(self) -> bool:
        return self.first_day == self.last_day


@dataclass(frozen=True)
class FilterChoices:
    """The options that come from the data, read once per request (two queries)."""

    languages: list[tuple[str, str]]
    programmes: list[Programme]

    @classmethod
    def current(cls, today: datetime.date) -> FilterChoices:
        """The choices, read again only when the content changes (or the page cache would let a
        page expire): the page cache needs them for every agenda address with a filter."""
        return per_content_version(f"agenda-filter-choices:{today}", lambda: cls.load(today))

    @classmethod
    def load(cls, today: datetime.date) -> FilterChoices:
        pairs = (
            Screening.objects.published()
            .upcoming()
            .order_by()
            .values_list("subtitles", "spoken_language")
            .distinct()
        )
        codes = set()
        for subtitles, spoken in pairs:
            if subtitles and subtitles != Subtitles.NONE:
                codes.add(subtitles)
            if spoken:
                codes.add(spoken)
        named = sorted(((code, language_name(code)) for code in codes), key=lambda pair: pair[1])
        return cls(
            languages=[
                ("", _("in all languages")),
                *((code, _("in %(language)s") % {"language": name}) for code, name in named),
            ],
            # Programmes still running or to come: the agenda only shows what is ahead.
            programmes=list(
                Programme.objects.published().filter(ends_on__gte=today).order_by("starts_on")
            ),
        )


def programme_by_slug(programmes: list[Programme], slug: str) -> Programme | None:
    """A programme by its slug in any language, so a link shared in Dutch works in English."""
    for programme in programmes:
        if slug in (getattr(programme, f"slug_{code}") for code, _n in settings.LANGUAGES):
            return programme
    return None


class FilterForm(QueryForm):
    """What the agenda's and the films index's filters share: the notes on dropped values, the
    programme written with its slug, and which fields only page through the results."""

    # How a note names each filter; fields that page rather than filter.
    labels: dict[str, str] = {}
    paging_fields: tuple[str, ...] = ()

    def query_value(self, name: str, value) -> str:
        if name == "programme":
            return value.slug  # in the active language
        return super().query_value(name, value)

    @property
    def notes(self) -> list[str]:
        """What the visitor is told about the values the form dropped."""
        return [
            _("We ignored the %(filter)s filter: %(problem)s")
            % {
                "filter": self.labels.get(name, name),
                "problem": " ".join(message for error in errors for message in error.messages),
            }
            for name, errors in self.problems.items()
        ]

    @property
    def is_filtered(self) -> bool:
        return any(
            self.cleaned_data.get(name) for name in self.fields if name not in self.paging_fields
        )


class AgendaFilterForm(FilterForm):
    labels = AGENDA_FILTER_LABELS
    paging_fields = ("start",)

    when = forms.ChoiceField(
        label=_("When"),
        choices=WHEN_CHOICES,
        required=False,
        error_messages={"invalid_choice": INVALID_CHOICE},
    )
    date = forms.DateField(
        label=_("Or a date"),
        required=False,
        widget=forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"),
        input_formats=["%Y-%m-%d"],
        error_messages={"invalid": _("that is not a date we can read; use YYYY-MM-DD.")},
    )
    language = forms.ChoiceField(
        label=_("Language"),
        required=False,
        error_messages={"invalid_choice": INVALID_CHOICE},
    )
    type = forms.ChoiceField(
        label=_("Type"),
        choices=TYPE_CHOICES,
        required=False,
        error_messages={"invalid_choice": INVALID_CHOICE},
    )
    # A select, but checked in clean_programme: either language's slug is valid.
    programme = forms.CharField(label=_("Programme"), required=False, widget=forms.Select)
    start = forms.DateField(
        label=_("From"),
        required=False,
        widget=forms.HiddenInput,
        input_formats=["%Y-%m-%d"],
        error_messages={"invalid": _("that is not a date we can read; use YYYY-MM-DD.")},
    )

    @classmethod
    def context(cls) -> dict:
        today = timezone.localdate()
        return {"choices": FilterChoices.current(today), "today": today}

    def __init__(self, *args, choices: FilterChoices, today: datetime.date, **kwargs):
        super().__init__(*args, **kwargs)
        self.today = today
        self.choices = choices
        self.fields["language"].choices = choices.languages
        # Both languages' slugs validate; the select offers this language's.
        self.fields["programme"].widget.choices = [
            ("", _("all programmes")),
            *((p.slug, p.title) for p in choices.programmes),
        ]
        date_attrs = self.fields["date"].widget.attrs
        date_attrs["min"] = today.isoformat()
        date_attrs["max"] = (today + datetime.timedelta(days=MAX_DAYS_AHEAD)).isoformat()

    def clean_programme(self) -> Programme | None:
        slug = self.cleaned_data["programme"]
        if not slug:
            return None
        programme = programme_by_slug(self.choices.programmes, slug)
        if programme is None:
            raise forms.ValidationError(
                _("we know no current programme by that name."), code="invalid_choice"
            )
        return programme

    def _clean_day(self, name: str, past_is_today: bool) -> datetime.date | None:
        day = self.cleaned_data[name]
        if day is None:
            return None
        if day < self.today:
            if past_is_today:
                return self.today
            raise forms.ValidationError(_("that day has passed."), code="past")
        if day > self.today + datetime.timedelta(days=MAX_DAYS_AHEAD):
            raise forms.ValidationError(
                _("we plan no further than two years ahead."), code="too_far"
            )
        return day

    def clean_date(self) -> datetime.date | None:
        return self._clean_day("date", past_is_today=False)

    def clean_start(self) -> datetime.date | None:
        # An old "next days" link simply starts today, which is where the agenda starts anyway.
        day = self._clean_day("start", past_is_today=True)
        return None if day == self.today else day

    def clean(self):
        data = super().clean()
        # A date outranks "when", and either makes the pager's start meaningless: dropped, so
        # the form shows what the page lists and the address names it once.
        if data.get("date"):
            data["when"] = ""
        if data.get("date") or data.get("when"):
            data["start"] = None
        return data

    def window(self) -> Window:
        data = self.cleaned_data
        today = self.today
        if data.get("date"):
            return Window(data["date"], data["date"], pageable=False)
        when = data.get("when")
        if when == "today":
            return Window(today, today, pageable=False)
        if when == "tomorrow":
            tomorrow = today + datetime.timedelta(days=1)
            return Window(tomorrow, tomorrow, pageable=False)
        if when == "weekend":
            return weekend(today)
        if when == "week":
            return Window(today, today + datetime.timedelta(days=PAGE_DAYS - 1), pageable=False)
        first = data.get("start") or today
        return Window(first, first + datetime.timedelta(days=PAGE_DAYS - 1), pageable=True)


def weekend(today: datetime.date) -> Window:
    """Friday to Sunday; from Friday on, the rest of this weekend."""
    weekday = today.weekday()  # Monday is 0, Sunday 6
    friday = today + datetime.timedelta(days=(4 - weekday) % 7) if weekday < 4 else today
    sunday = today + datetime.timedelta(days=6 - weekday)
    return Window(friday, sunday, pageable=False)


@dataclass(frozen=True)
class FilmChoices:
    """What the films index's filter offers: only values some published film has."""

    decades: list[tuple[str, str]]
    countries: list[tuple[str, str]]
    languages: list[tuple[str, str]]
    programmes: list[Programme]

    @classmethod
    def current(cls) -> FilmChoices:
        """Read again only when the content changes (or a cached page would expire)."""
        return per_content_version("film-filter-choices", cls.load)

    @classmethod
    def load(cls) -> FilmChoices:
        # One query for all of it: the films' years, countries and languages, and the programmes,
        # as rows of texts: ("film", year, countries, languages, …) and ("programme", id, …).
        def text(expression) -> Cast:
            return Cast(expression, output_field=CharField())

        films = (
            Film.objects.published()
            .order_by()
            .annotate(
                row_kind=Value("film"),
                a=text("year"),
                b=text("countries"),
                c=text("spoken_languages"),
                d=Value(""),
                e=Value(""),
                f=Value(""),
            )
            .values_list("row_kind", "a", "b", "c", "d", "e", "f")
            .distinct()
        )
        programmes = (
            Programme.objects.published()
            .order_by()
            .annotate(
                row_kind=Value("programme"),
                a=text("pk"),
                b=text("slug_nl"),
                c=text("slug_en"),
                d=text("title_nl"),
                e=text("title_en"),
                f=text("starts_on"),
            )
            .values_list("row_kind", "a", "b", "c", "d", "e", "f")
        )
        decades, country_codes, language_codes, found = set(), set(), set(), []
        for kind, a, b, c, d, e, f in films.union(programmes, all=True):
            if kind == "film":
                decades.add(int(a) // 10 * 10)
                country_codes.update(code for code in b.split(",") if code)
                language_codes.update(code.strip() for code in c.split(",") if code.strip())
            else:
                found.append(
                    (f, Programme(pk=int(a), slug_nl=b, slug_en=c, title_nl=d, title_en=e))
                )
        countries = [(code, str(country_names.name(code) or code)) for code in country_codes]
        languages = [(code, language_name(code)) for code in language_codes]
        return cls(
            decades=[(str(decade), f"{decade}–{decade + 9}") for decade in sorted(decades)],
            countries=sorted(countries, key=lambda pair: pair[1]),
            languages=sorted(languages, key=lambda pair: pair[1]),
            # Newest first: the programme a visitor looks for is most often the current one.
            programmes=[programme for _start, programme in sorted(found, reverse=True)],
        )


class FilmFilterForm(FilterForm):
    labels = FILM_FILTER_LABELS
    paging_fields = ("page",)

    decade = forms.ChoiceField(
        label=_("Decade"), required=False, error_messages={"invalid_choice": INVALID_CHOICE}
    )
    country = forms.ChoiceField(
        label=_("Country"), required=False, error_messages={"invalid_choice": INVALID_CHOICE}
    )
    language = forms.ChoiceField(
        label=_("Spoken language"),
        required=False,
        error_messages={"invalid_choice": INVALID_CHOICE},
    )
    # A select, but checked in clean_programme: either language's slug is valid.
    programme = forms.CharField(label=_("Programme"), required=False, widget=forms.Select)
    # `initial` is the value an address leaves out.
    soon = forms.BooleanField(label=_("Showing in the next 7 days"), required=False, initial=False)
    page = forms.IntegerField(
        required=False,
        initial=1,
        min_value=1,
        widget=forms.HiddenInput,
        error_messages={
            "invalid": _("that is not a page number."),
            "min_value": _("that is not a page number."),
        },
    )

    @classmethod
    def context(cls) -> dict:
        return {"choices": FilmChoices.current()}

    def __init__(self, *args, choices: FilmChoices, **kwargs):
        super().__init__(*args, **kwargs)
        self.choices = choices
        self.fields["decade"].choices = [("", _("all decades")), *choices.decades]
        self.fields["country"].choices = [("", _("all countries")), *choices.countries]
        self.fields["language"].choices = [("", _("all languages")), *choices.languages]
        self.fields["programme"].widget.choices = [
            ("", _("all programmes")),
            *((programme.slug, programme.title) for programme in choices.programmes),
        ]

    def clean_programme(self) -> Programme | None:
        slug = self.cleaned_data["programme"]
        if not slug:
            return None
        programme = programme_by_slug(self.choices.programmes, slug)
        if programme is None:
            raise forms.ValidationError(INVALID_CHOICE, code="invalid_choice")
        return programme

    def query_value(self, name: str, value) -> str:
        if name == "soon":
            return "1"
        return super().query_value(name, value)

    def films(self, coming):
        """Published films that pass the filter; `coming` are the screenings of an outer film
        that count as coming (for "showing in the next 7 days")."""
        data = self.cleaned_data
        films = Film.objects.published()
        if data.get("decade"):
            first_year = int(data["decade"])
            films = films.filter(year__gte=first_year, year__lt=first_year + 10)
        if data.get("country"):
            films = films.from_country(data["country"])
        if data.get("language"):
            films = films.speaking(data["language"])
        if data.get("programme"):
            films = films.filter(programmes=data["programme"])
        if data.get("soon"):
            today = timezone.localdate()
            last_day = today + datetime.timedelta(days=SOON_DAYS - 1)
            films = films.filter(Exists(coming.between(today, last_day)))
        return films
