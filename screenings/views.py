"""The agenda and the calendar files for screenings."""

from __future__ import annotations

import datetime

from django.conf import settings
from django.http import HttpResponse, QueryDict
from django.shortcuts import get_object_or_404
from django.urls import reverse
from django.utils import formats, timezone, translation
from django.utils.translation import gettext as _
from django.views.generic import TemplateView

from programmes import seo
from programmes.models import Programme
from programmes.views import PageMixin

from . import calendar
from .forms import PAGE_DAYS, AgendaFilterForm
from .listing import shows
from .models import Screening


def with_query(path: str, params: dict[str, str]) -> str:
    if not params:
        return path
    query = QueryDict(mutable=True)
    query.update(params)
    return f"{path}?{query.urlencode()}"


class AgendaView(PageMixin, TemplateView):
    template_name = "screenings/agenda.html"
    query_form = AgendaFilterForm

    def get(self, request, *args, **kwargs):
        self.form = self.get_query_form()
        self.today = self.form.today
        self.window = self.form.window()
        return super().get(request, *args, **kwargs)

    def get_alternate_urls(self) -> dict[str, str]:
        """The same filter in each language; only the valid values, so the address is canonical."""
        urls = {}
        for code, _name in settings.LANGUAGES:
            with translation.override(code):
                urls[code] = with_query(reverse("screenings:agenda"), self.form.query())
        return urls

    def matching(self):
        """Published screenings that are not over and pass the language, type and programme."""
        data = self.form.cleaned_data
        screenings = Screening.objects.published().upcoming()
        if data.get("language"):
            screenings = screenings.in_language(data["language"])
        if data.get("type") == "films":
            screenings = screenings.of_films()
        elif data.get("type") == "events":
            screenings = screenings.of_events()
        if data.get("programme"):
            screenings = screenings.of_programme(data["programme"])
        return screenings

    def get_context_data(self, **kwargs):
        form = self.form
        window = self.window
        matching = self.matching()
        self.shows = shows(matching.between(window.first_day, window.last_day).for_listing())
        # The first matching show after this window: where "next" leads (skipping empty weeks),
        # and the way on from an empty day.
        after = timezone.make_aware(
            datetime.datetime.combine(window.last_day + datetime.timedelta(days=1), datetime.time())
        )
        next_start = (
            matching.filter(starts_at__gte=after)
            .order_by("starts_at")
            .values_list("starts_at", flat=True)
            .first()
        )
        context = super().get_context_data(**kwargs)
        path = reverse("screenings:agenda")
        context.update(
            form=form,
            notes=form.notes,
            shows=self.shows,
            window=window,
            today=self.today,
            is_filtered=form.is_filtered,
        )
        if next_start is not None:
            next_day = timezone.localdate(next_start)
            context["next_day"] = next_day
            if window.pageable:
                context["next_url"] = with_query(path, form.query(start=next_day))
            else:
                context["next_day_url"] = with_query(
                    path, form.query(when="", start=None, date=next_day)
                )
        if window.pageable and window.first_day > self.today:
            previous = max(window.first_day - datetime.timedelta(days=PAGE_DAYS), self.today)
            start = previous if previous > self.today else None
            context["previous_url"] = with_query(path, form.query(start=start))
        return context

    def get_page_meta(self, context) -> seo.PageMeta:
        window = self.window
        if window.single_day:
            title = _("What's on %(day)s") % {"day": date_text(window.first_day)}
        else:
            title = _("What's on %(first)s – %(last)s") % {
                "first": date_text(window.first_day),
                "last": date_text(window.last_day),
            }
        return seo.PageMeta(
            title=title,
            description=_(
                "All screenings and events at the Eye Filmmuseum by day, with start and end "
                "times, languages and subtitles, accessibility and tickets."
            ),
            # The place whose programme this is; each show's own markup is on its film's or
            # event's page (seo.screening_events says why).
            structured_data=[seo.theater(self.absolute)],
        )


def date_text(day: datetime.date) -> str:
    return formats.date_format(day, "j F Y")


def calendar_response(body: bytes, filename: str) -> HttpResponse:
    response = HttpResponse(body, content_type="text/calendar; charset=utf-8")
    response["Content-Disposition"] = f'attachment; filename="{filename}"'
    return response


def screening_ics(request, pk: int) -> HttpResponse:
    screening = get_object_or_404(
        Screening.objects.published().select_related("film", "event", "auditorium"), pk=pk
    )
    body = calendar.build_calendar([screening], request, name=screening.title)
    return calendar_response(body, f"screening-{screening.pk}.ics")


def programme_ics(request, slug: str) -> HttpResponse:
    """A programme's upcoming screenings as a feed a calendar app can subscribe to."""
    language = translation.get_language()
    programme = get_object_or_404(Programme.objects.published(), **{f"slug_{language}": slug})
    screenings = Screening.objects.published().upcoming().of_programme(programme).for_listing()
    body = calendar.build_calendar(screenings, request, name=programme.title)
    response = HttpResponse(body, content_type="text/calendar; charset=utf-8")
    # Inline, so calendar apps subscribing to the address read it; the name is for downloads.
    response["Content-Disposition"] = f'inline; filename="{programme.slug}.ics"'
    return response
