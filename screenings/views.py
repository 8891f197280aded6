"""The agenda and the calendar files for screenings."""

from __future__ import annotations

import datetime

from django.http import HttpResponse
from django.shortcuts import get_object_or_404
from django.utils import timezone, translation
from django.views.generic import TemplateView

from programmes.models import Programme
from programmes.views import LanguageAlternatesMixin

from . import calendar
from .forms import PAGE_DAYS, clean_filter
from .models import Screening


class AgendaView(LanguageAlternatesMixin, TemplateView):
    template_name = "screenings/agenda.html"

    def get_alternate_urls(self) -> dict[str, str]:
        query = self.request.GET.urlencode()
        urls = super().get_alternate_urls()
        return {code: f"{url}?{query}" if query else url for code, url in urls.items()}

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        form, notes = clean_filter(self.request.GET)
        data = form.cleaned_data
        today = timezone.localdate()
        window = form.window(today)
        screenings = (
            Screening.objects.published().upcoming().between(window.first_day, window.last_day)
        )
        if data.get("language"):
            screenings = screenings.in_language(data["language"])
        if data.get("type") == "films":
            screenings = screenings.filter(film__isnull=False)
        elif data.get("type") == "events":
            screenings = screenings.filter(event__isnull=False)
        if data.get("programme"):
            programme = Programme.objects.published().filter(slug=data["programme"]).first()
            screenings = screenings.of_programme(programme).distinct()
        context.update(
            form=form,
            notes=notes,
            screenings=screenings.for_listing(),
            window=window,
            is_filtered=any(
                data.get(name) for name in ("when", "date", "language", "type", "programme")
            ),
        )
        if window.pageable:
            context["next_start"] = window.last_day + datetime.timedelta(days=1)
            previous = window.first_day - datetime.timedelta(days=PAGE_DAYS)
            context["previous_start"] = max(previous, today) if window.first_day > today else None
        return context


def screening_ics(request, pk: int) -> HttpResponse:
    screening = get_object_or_404(
        Screening.objects.published().select_related("film", "event", "auditorium"), pk=pk
    )
    body = calendar.build_calendar([screening], request, name=screening.title)
    response = HttpResponse(body, content_type="text/calendar; charset=utf-8")
    response["Content-Disposition"] = f'attachment; filename="screening-{screening.pk}.ics"'
    return response


def programme_ics(request, slug: str) -> HttpResponse:
    language = translation.get_language()
    programme = get_object_or_404(Programme.objects.published(), **{f"slug_{language}": slug})
    screenings = (
        Screening.objects.published().upcoming().of_programme(programme).distinct().for_listing()
    )
    body = calendar.build_calendar(list(screenings), request, name=programme.title)
    return HttpResponse(body, content_type="text/calendar; charset=utf-8")
