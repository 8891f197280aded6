"""The agenda's filter: a plain GET form whose values live in the URL."""

from __future__ import annotations

import datetime
from dataclasses import dataclass

from django import forms
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


@dataclass(frozen=True)
class Window:
    first_day: datetime.date
    last_day: datetime.date
    pageable: bool


def language_choices() -> list[tuple[str, str]]:
    """'in all languages', then every subtitle and spoken language present in the data."""
    codes = set(
        Screening.objects.exclude(subtitles=Subtitles.NONE).values_list("subtitles", flat=True)
    )
    codes |= set(
        Screening.objects.exclude(spoken_language="").values_list("spoken_language", flat=True)
    )
    named = sorted(((code, language_name(code)) for code in codes), key=lambda pair: pair[1])
    return [
        ("", _("in all languages")),
        *((code, _("in %(language)s") % {"language": name}) for code, name in named),
    ]


class AgendaFilterForm(forms.Form):
    when = forms.ChoiceField(label=_("When"), choices=WHEN_CHOICES, required=False)
    date = forms.DateField(
        label=_("Date"), required=False, widget=forms.DateInput(attrs={"type": "date"})
    )
    language = forms.ChoiceField(label=_("Language"), required=False)
    type = forms.ChoiceField(label=_("Type"), choices=TYPE_CHOICES, required=False)
    programme = forms.ChoiceField(label=_("Programme"), required=False)
    start = forms.DateField(required=False, widget=forms.HiddenInput)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["language"].choices = language_choices()
        self.fields["programme"].choices = [
            ("", _("all programmes")),
            *Programme.objects.published().values_list("slug", "title"),
        ]

    def window(self, today: datetime.date) -> Window:
        data = self.cleaned_data
        if data.get("date"):
            return Window(data["date"], data["date"], pageable=False)
        when = data.get("when")
        if when == "today":
            return Window(today, today, pageable=False)
        if when == "tomorrow":
            tomorrow = today + datetime.timedelta(days=1)
            return Window(tomorrow, tomorrow, pageable=False)
        if when == "weekend":
            saturday = today + datetime.timedelta(days=(5 - today.weekday()) % 7)
            friday = saturday - datetime.timedelta(days=1)
            return Window(max(friday, today), saturday + datetime.timedelta(days=1), pageable=False)
        if when == "week":
            return Window(today, today + datetime.timedelta(days=PAGE_DAYS - 1), pageable=False)
        first = max(data.get("start") or today, today)
        return Window(first, first + datetime.timedelta(days=PAGE_DAYS - 1), pageable=True)


def clean_filter(query) -> tuple[AgendaFilterForm, list[str]]:
    """Validate the filter; a wrong value is dropped with a note, the rest still applies."""
    form = AgendaFilterForm(query)
    notes = []
    if not form.is_valid():
        for name, errors in form.errors.items():
            label = form.fields[name].label if name in form.fields else name
            notes.append(
                _("We ignored the %(filter)s filter: %(problem)s")
                % {"filter": str(label).lower(), "problem": " ".join(errors)}
            )
        cleaned = {k: v for k, v in form.data.items() if k in form.fields and k not in form.errors}
        form = AgendaFilterForm(cleaned)
        form.is_valid()
    return form, notes


def today() -> datetime.date:
    return timezone.localdate()
