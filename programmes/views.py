"""Visitor pages for programmes, films, events and people."""

from __future__ import annotations

from django.db.models import Prefetch, Q
from django.http import Http404, HttpResponsePermanentRedirect
from django.utils import timezone, translation
from django.views.generic import DetailView, TemplateView

from screenings.models import Screening

from .models import Credit, Event, Film, Person, Programme, Still


class LanguageAlternatesMixin:
    """Gives each page the address of its twin in every language, for the switch and hreflang."""

    def get_alternate_urls(self) -> dict[str, str]:
        match = self.request.resolver_match
        from django.urls import reverse

        urls = {}
        for code in ("nl", "en"):
            with translation.override(code):
                urls[code] = reverse(match.view_name, args=match.args, kwargs=match.kwargs)
        return urls

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        context["alternate_urls"] = self.get_alternate_urls()
        return context


class TranslatedSlugDetailView(LanguageAlternatesMixin, DetailView):
    """Finds an object by its slug in the page's language; the other language's slug redirects."""

    translated_slug = True

    def visible(self, queryset):
        """What visitors may see; the staff preview (programmes/preview.py) adds drafts."""
        return queryset.published()

    def get_object(self, queryset=None):
        queryset = queryset if queryset is not None else self.get_queryset()
        slug = self.kwargs["slug"]
        if not self.translated_slug:
            return self._get_or_404(queryset, slug=slug)
        language = translation.get_language()
        obj = queryset.filter(**{f"slug_{language}": slug}).first()
        if obj is None:
            other = "en" if language == "nl" else "nl"
            self.redirect_to = self._get_or_404(queryset, **{f"slug_{other}": slug})
            return self.redirect_to
        return obj

    def _get_or_404(self, queryset, **lookup):
        obj = queryset.filter(**lookup).first()
        if obj is None:
            raise Http404(f"No {queryset.model._meta.verbose_name} with that address.")
        return obj

    def get(self, request, *args, **kwargs):
        self.redirect_to = None
        self.object = self.get_object()
        if self.redirect_to is not None:
            return HttpResponsePermanentRedirect(self.object.get_absolute_url())
        context = self.get_context_data(object=self.object)
        return self.render_to_response(context)

    def get_alternate_urls(self) -> dict[str, str]:
        urls = {}
        for code in ("nl", "en"):
            with translation.override(code):
                urls[code] = self.object.get_absolute_url()
        return urls


def upcoming_screenings():
    return Screening.objects.published().upcoming().for_listing()


class HomeView(LanguageAlternatesMixin, TemplateView):
    template_name = "programmes/home.html"
    days_ahead = 3

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        today = timezone.localdate()
        context["screenings"] = upcoming_screenings().between(
            today, today + timezone.timedelta(days=self.days_ahead - 1)
        )
        context["programmes"] = Programme.objects.published().filter(ends_on__gte=today)
        context["events"] = Event.objects.published().filter(featured=True)
        return context


class ProgrammeDetailView(TranslatedSlugDetailView):
    template_name = "programmes/programme_detail.html"
    context_object_name = "programme"
    days_ahead = 7

    def get_queryset(self):
        return self.visible(Programme.objects)

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        programme = self.object
        context["films"] = programme.films.published().prefetch_related(directing_credits())
        context["events"] = programme.events.published()
        today = timezone.localdate()
        # A week ahead; the agenda, filtered to the programme, shows the rest.
        context["screenings"] = (
            upcoming_screenings()
            .of_programme(programme)
            .between(today, today + timezone.timedelta(days=self.days_ahead - 1))
            .distinct()
        )
        return context


def directing_credits() -> Prefetch:
    return Prefetch("credits", queryset=Credit.objects.select_related("person"))


class FilmDetailView(TranslatedSlugDetailView):
    template_name = "programmes/film_detail.html"
    context_object_name = "film"

    def get_queryset(self):
        return self.visible(Film.objects).prefetch_related(
            directing_credits(),
            Prefetch("stills", queryset=Still.objects.order_by("order", "pk")),
            Prefetch("programmes", queryset=Programme.objects.published()),
        )

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        context["screenings"] = upcoming_screenings().filter(film=self.object)
        return context


class EventDetailView(TranslatedSlugDetailView):
    template_name = "programmes/event_detail.html"
    context_object_name = "event"

    def get_queryset(self):
        return (
            self.visible(Event.objects)
            .select_related("programme")
            .prefetch_related(
                "contributors__person",
                Prefetch(
                    "films",
                    queryset=Film.objects.published().prefetch_related(
                        directing_credits(), "stills"
                    ),
                ),
            )
        )

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        context["screenings"] = upcoming_screenings().filter(event=self.object)
        programme = self.object.programme
        context["event_programmes"] = [programme] if programme and programme.is_public else []
        return context


class PersonDetailView(TranslatedSlugDetailView):
    template_name = "programmes/person_detail.html"
    context_object_name = "person"
    translated_slug = False

    def get_queryset(self):
        return Person.objects.all()

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        person = self.object
        context["credits"] = (
            Credit.objects.filter(person=person, film__in=Film.objects.published())
            .select_related("film")
            .order_by("film__year", "film__title")
        )
        context["contributions"] = person.contributions.filter(
            event__in=Event.objects.published()
        ).select_related("event")
        context["screenings"] = (
            upcoming_screenings()
            .filter(Q(film__credits__person=person) | Q(event__contributors__person=person))
            .distinct()
        )
        return context
