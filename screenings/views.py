"""The agenda, the films index, search and the calendar files for screenings."""

from __future__ import annotations

import datetime
import math

from django.conf import settings
from django.db.models import Count, OuterRef, Subquery, Window
from django.http import HttpResponse, JsonResponse, QueryDict
from django.shortcuts import get_object_or_404
from django.urls import reverse
from django.utils import formats, timezone, translation
from django.utils.functional import cached_property
from django.utils.translation import gettext as _
from django.utils.translation import ngettext
from django.views.generic import TemplateView

from eye_site.page_query import query_form_for
from programmes import seo
from programmes.models import Credit, CreditRole, Programme
from programmes.views import PageMixin

from . import calendar
from .forms import FILMS_PAGE_SIZE, PAGE_DAYS, AgendaFilterForm, FilmFilterForm
from .listing import shows
from .models import Screening, TicketStatus
from .search import (
    FILMS_SHOWN,
    KIND_LABELS,
    MAX_QUERY_CHARS,
    MIN_KEY_CHARS,
    OTHERS_SHOWN,
    SUGGESTIONS,
    SearchForm,
    search,
)


def with_query(path: str, params: dict[str, str]) -> str:
    if not params:
        return path
    query = QueryDict(mutable=True)
    query.update(params)
    return f"{path}?{query.urlencode()}"


class FilteredPageMixin(PageMixin):
    """A page whose address holds its filter (`query_form`), read into `self.form`."""

    url_name = ""

    @cached_property
    def form(self):
        return self.get_query_form()

    def get_alternate_urls(self) -> dict[str, str]:
        """The same filter in each language; only the valid values, so the address is canonical."""
        urls = {}
        for code, _name in settings.LANGUAGES:
            with translation.override(code):
                urls[code] = with_query(reverse(self.url_name), self.form.query())
        return urls


class AgendaView(FilteredPageMixin, TemplateView):
    template_name = "screenings/agenda.html"
    query_form = AgendaFilterForm
    url_name = "screenings:agenda"

    def get(self, request, *args, **kwargs):
        self.today = self.form.today
        self.window = self.form.window()
        return super().get(request, *args, **kwargs)

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
        self.shows = shows(matching.between(window.first_day, window.last_day))
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


class FilmIndexView(FilteredPageMixin, TemplateView):
    """Every published film A–Z in the page's language, filtered and paged, each with its next show."""

    template_name = "screenings/film_list.html"
    query_form = FilmFilterForm
    url_name = "screenings:film_list"

    def get_context_data(self, **kwargs):
        language = translation.get_language()
        page = self.page = self.form.cleaned_data.get("page") or 1
        coming = (
            Screening.objects.upcoming()
            .exclude(ticket_status=TicketStatus.CANCELLED)
            .filter(film=OuterRef("pk"))
        )
        films = self.form.films(coming)
        directors = Credit.objects.filter(film=OuterRef("pk"), role=CreditRole.DIRECTOR)
        first = (page - 1) * FILMS_PAGE_SIZE
        # The page's films and, in the same query, how many films pass the filter in all.
        cards = list(
            films.annotate(
                next_start=Subquery(coming.order_by("starts_at").values("starts_at")[:1]),
                director=Subquery(directors.order_by("order", "pk").values("person__name")[:1]),
                total=Window(Count("pk")),
            ).order_by(f"sort_title_{language}", "year", "pk")[first : first + FILMS_PAGE_SIZE]
        )
        # Past the last page there is no row to say how many there are: ask (rarely needed).
        total = cards[0].total if cards else films.count() if page > 1 else 0
        pages = max(1, math.ceil(total / FILMS_PAGE_SIZE))
        context = super().get_context_data(**kwargs)
        context.update(
            form=self.form,
            notes=self.form.notes,
            films=cards,
            total_text=ngettext("%(count)s film", "%(count)s films", total) % {"count": total},
            page=page,
            pages=pages,
            is_filtered=self.form.is_filtered,
        )
        path = reverse(self.url_name)
        if page > pages:
            context["last_page_url"] = with_query(path, self.form.query(page=pages))
        if 1 < page <= pages:
            context["previous_url"] = with_query(path, self.form.query(page=page - 1))
        if page < pages:
            context["next_url"] = with_query(path, self.form.query(page=page + 1))
        return context

    def get_page_meta(self, context) -> seo.PageMeta:
        title = _("Films A–Z")
        if self.page > 1:
            title = _("%(title)s, page %(page)s") % {"title": title, "page": self.page}
        return seo.PageMeta(
            title=title,
            description=_(
                "Every film in the programme of the Eye Filmmuseum from A to Z, by decade, "
                "country, language and programme, with the next screening of each."
            ),
        )


class SearchView(FilteredPageMixin, TemplateView):
    """Films, events, programmes and people whose names match the visitor's words."""

    template_name = "screenings/search.html"
    query_form = SearchForm
    url_name = "screenings:search"

    def get_context_data(self, **kwargs):
        terms = self.form.terms()
        notes = []
        if self.form.was_cut:
            notes.append(
                _("Your search was long: we searched for its first %(count)s characters.")
                % {"count": MAX_QUERY_CHARS}
            )
        results = None
        if terms.searchable:
            results = search(terms, FILMS_SHOWN, OTHERS_SHOWN)
        elif terms.text and not terms.key:
            notes.append(_("Search with letters or digits: a title or a name."))
        elif terms.text:
            notes.append(
                ngettext(
                    "Type at least %(count)s letter.",
                    "Type at least %(count)s letters.",
                    MIN_KEY_CHARS,
                )
                % {"count": MIN_KEY_CHARS}
            )
        context = super().get_context_data(**kwargs)
        context.update(form=self.form, query=terms.text, notes=notes, results=results)
        if results:
            context["summary"] = ngettext(
                "%(count)s result for “%(query)s”",
                "%(count)s results for “%(query)s”",
                results.count,
            ) % {"count": results.count, "query": terms.text}
            context["other_groups"] = [
                (_("Events"), "search-events", results.events),
                (_("Programmes"), "search-programmes", results.programmes),
                (_("People"), "search-people", results.people),
            ]
        return context

    def get_page_meta(self, context) -> seo.PageMeta:
        query = self.form.terms().text
        title = _("Search: %(query)s") % {"query": query} if query else _("Search")
        return seo.PageMeta(
            title=title,
            description=_(
                "Search the films, events, programmes and people of the Eye Filmmuseum, in Dutch, "
                "English or the original language."
            ),
        )


def search_suggestions(request) -> JsonResponse:
    """At most SUGGESTIONS hits for the words typed so far, for the header's search box."""
    form = query_form_for(request, SearchForm)
    terms = form.terms()
    suggestions = []
    if terms.searchable:
        hits = search(terms, SUGGESTIONS, SUGGESTIONS).best(SUGGESTIONS)
        suggestions = [
            {
                "title": hit.title,
                "kind": str(KIND_LABELS[hit.kind]),
                "url": hit.url,
                "lang": "nl" if hit.title_lang else "",
            }
            for hit in hits
        ]
    return JsonResponse({"query": terms.text, "suggestions": suggestions})


search_suggestions.query_form = SearchForm


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
