"""The agenda's filter: a plain GET form whose values live in the URL.

A value the form cannot use is dropped with a note for the visitor and the other filters still
apply, so a mistyped or outdated shared link never ends in an error page.
"""

from __future__ import annotations

import datetime
from dataclasses import dataclass

from django import forms
from django.conf import settings
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from programmes.models import Programme

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
FILTER_NAMES = ("when", "date", "language", "type", "programme", "start")

# How a note names a filter it ignored ("We ignored the date filter: …").
FILTER_LABELS = {
    "when": _("when"),
    "date": _("date"),
    "language": _("language"),
    "type": _("type"),
    "programme": _("programme"),
    "start": _("start date"),
}
INVALID_CHOICE = _("“%(value)s” is not one of its choices.")


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

    def programme_by_slug(self, slug: str) -> Programme | None:
        """A programme by its slug in any language, so a link shared in Dutch works in English."""
        for programme in self.programmes:
            if slug in (getattr(programme, f"slug_{code}") for code, _n in settings.LANGUAGES):
                return programme
        return None


class AgendaFilterForm(forms.Form):
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
        programme = self.choices.programme_by_slug(slug)
        if programme is None:
            raise forms.ValidationError(
                _("we know no current programme “%(value)s”."),
                code="invalid_choice",
                params={"value": slug},
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
        # An old "next days" link simply starts today.
        return self._clean_day("start", past_is_today=True)

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

    def query(self, language: str, **changes) -> dict[str, str]:
        """The valid filter as URL parameters, the programme in `language`'s slug."""
        data = {**self.cleaned_data, **changes}
        params = {}
        for name in FILTER_NAMES:
            value = data.get(name)
            if not value:
                continue
            if name == "programme":
                value = getattr(value, f"slug_{language}")
            elif isinstance(value, datetime.date):
                value = value.isoformat()
            params[name] = value
        return params

    @property
    def is_filtered(self) -> bool:
        return any(self.cleaned_data.get(name) for name in FILTER_NAMES if name != "start")


def weekend(today: datetime.date) -> Window:
    """Friday to Sunday; from Friday on, the rest of this weekend."""
    weekday = today.weekday()  # Monday is 0, Sunday 6
    friday = today + datetime.timedelta(days=(4 - weekday) % 7) if weekday < 4 else today
    sunday = today + datetime.timedelta(days=6 - weekday)
    return Window(friday, sunday, pageable=False)


def clean_filter(query, today: datetime.date | None = None) -> tuple[AgendaFilterForm, list[str]]:
    """Validate the filter; a wrong value is dropped with a note, the rest still applies.

    A repeated parameter counts with its last value, as Django's forms read it.
    """
    today = today or timezone.localdate()
    choices = FilterChoices.load(today)
    data = {name: query.get(name) for name in FILTER_NAMES if query.get(name)}
    form = AgendaFilterForm(data, choices=choices, today=today)
    notes = []
    if not form.is_valid():
        for name, errors in form.errors.items():
            notes.append(
                _("We ignored the %(filter)s filter: %(problem)s")
                % {"filter": FILTER_LABELS.get(name, name), "problem": " ".join(errors)}
            )
        data = {name: value for name, value in data.items() if name not in form.errors}
        form = AgendaFilterForm(data, choices=choices, today=today)
        form.is_valid()
    # Show the programme under this language's slug (a Dutch slug may have come in).
    programme = form.cleaned_data.get("programme")
    if programme is not None and data.get("programme") != programme.slug:
        data["programme"] = programme.slug
        form = AgendaFilterForm(data, choices=choices, today=today)
        form.is_valid()
    return form, notes
