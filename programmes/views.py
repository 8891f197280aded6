"""Visitor pages for programmes, films, events and people, and the error pages."""

from __future__ import annotations

import datetime
from typing import NamedTuple

from django.conf import settings
from django.db.models import Count, Exists, IntegerField, OuterRef, Prefetch, Q, Subquery
from django.db.models.functions import Coalesce
from django.http import Http404, HttpResponse, HttpResponseNotFound, HttpResponsePermanentRedirect
from django.template import loader
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.functional import cached_property
from django.utils.translation import gettext as _
from django.utils.translation import ngettext
from django.views.generic import DetailView, TemplateView

from eye_site.page_query import QueryForm, query_form_for
from screenings.listing import shows
from screenings.models import Screening

from . import seo
from .addresses import addresser
from .markup import languages_in_turn, og_image, translated
from .models import Credit, CreditRole, Event, EventContributor, Film, Person, Programme, Still


class PageMixin:
    """Each page's twin in every language, its canonical address and what machines read of it."""

    # The query parameters the page reads, if any (eye_site/page_query.py): no other reaches it.
    query_form: type[QueryForm] | None = None

    def get_query_form(self) -> QueryForm:
        return query_form_for(self.request, self.query_form)

    def get_alternate_urls(self) -> dict[str, str]:
        """Path of this page in each language (the switch and hreflang link to these)."""
        match = self.request.resolver_match
        urls = {}
        for code, _name in settings.LANGUAGES:
            with translation.override(code):
                urls[code] = reverse(match.view_name, args=match.args, kwargs=match.kwargs)
        return urls

    def get_page_meta(self, context) -> seo.PageMeta:
        return seo.PageMeta(title=_("Cinema programme"))

    @cached_property
    def origin(self) -> str:
        return self.request.build_absolute_uri("/").removesuffix("/")

    def absolute(self, path: str) -> str:
        """The full address of a path: the request's scheme and host worked out once a page."""
        if path.startswith("/") and not path.startswith("//"):
            return self.origin + path
        return self.request.build_absolute_uri(path)

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        alternates = self.get_alternate_urls()
        language = translation.get_language()
        context["alternate_urls"] = alternates
        context["canonical_url"] = self.absolute(alternates[language])
        # x-default: the site's first language, as in the sitemap.
        context["hreflang"] = [
            *((code, self.absolute(url)) for code, url in alternates.items()),
            ("x-default", self.absolute(alternates[settings.LANGUAGE_CODE])),
        ]
        meta = self.get_page_meta(context)
        context["page"] = meta
        context["og_locale"] = seo.OG_LOCALES.get(language, language)
        context["og_locale_alternates"] = [
            seo.OG_LOCALES[code] for code in alternates if code != language
        ]
        if meta.image:
            thumb = og_image(meta.image)
            context["og_image"] = {
                "url": self.absolute(thumb.url),
                "width": thumb.width,
                "height": thumb.height,
            }
        if meta.structured_data:
            context["json_ld"] = seo.to_json_ld(meta.structured_data)
        return context


class TranslatedSlugDetailView(PageMixin, DetailView):
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
            others = [code for code, _name in settings.LANGUAGES if code != language]
            for other in others:
                obj = queryset.filter(**{f"slug_{other}": slug}).first()
                if obj is not None:
                    self.redirect_to = obj
                    return obj
            raise Http404(f"No {queryset.model._meta.verbose_name} with that address.")
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
        for code, _name in settings.LANGUAGES:
            with translation.override(code):
                urls[code] = self.object.get_absolute_url()
        return urls


def upcoming_screenings():
    return Screening.objects.published().upcoming()


def credits_with_people() -> Prefetch:
    return Prefetch("credits", queryset=Credit.objects.select_related("person"))


def ordered_stills() -> Prefetch:
    return Prefetch("stills", queryset=Still.objects.order_by("order", "pk"))


def director_credits() -> Prefetch:
    """A film's credits as its card needs them: only the directors, for its credit line. A
    programme's 40 films have 200 credits; reading them all cost 1.8 ms a page."""
    return Prefetch(
        "credits",
        queryset=Credit.objects.filter(role=CreditRole.DIRECTOR).select_related("person"),
    )


def set_display_image(event: Event) -> Event:
    """An event without its own image borrows its first film's still, else its poster."""
    event.display_image, event.display_image_alt = event.image, event.image_alt
    if not event.image:
        for film in event.films.all():
            stills = list(film.stills.all())
            if stills:
                event.display_image, event.display_image_alt = stills[0].image, stills[0].alt_text
                break
            if film.poster:
                event.display_image, event.display_image_alt = film.poster, film.poster_alt
                break
    return event


def events_with_images():
    return Event.objects.published().prefetch_related(
        Prefetch(
            "films",
            queryset=Film.objects.published().prefetch_related(ordered_stills()),
        )
    )


def lead_picture(programmes: list[Programme]) -> dict:
    """The picture a page about programmes shows link previews: the first one's campaign image."""
    if not programmes:
        return {}
    return {"image": programmes[0].campaign_image, "image_alt": programmes[0].campaign_image_alt}


class HomeView(PageMixin, TemplateView):
    template_name = "programmes/home.html"
    # Today and the two days after: what a visitor planning an evening out looks at.
    days_ahead = 3

    def get_context_data(self, **kwargs):
        today = timezone.localdate()
        last_day = today + datetime.timedelta(days=self.days_ahead - 1)
        self.programmes = list(Programme.objects.published().filter(ends_on__gte=today))
        # Featured events with a show to come. EXISTS over upcoming() keeps to the starts_at
        # index; a join on "ends after now" read every show the events ever had (9 ms at 50,000).
        has_upcoming_show = Exists(Screening.objects.upcoming().filter(event=OuterRef("pk")))
        events = (
            events_with_images()
            .filter(has_upcoming_show, featured=True)
            .prefetch_related(
                Prefetch(
                    "screenings",
                    queryset=Screening.objects.upcoming().order_by("starts_at", "pk"),
                    to_attr="upcoming",
                )
            )
        )
        context = super().get_context_data(**kwargs)
        coming = shows(upcoming_screenings().between(today, last_day))
        context.update(
            today=today,
            programmes=self.programmes,
            events=[set_display_image(event) for event in events],
            today_shows=[show for show in coming if show.day == today],
            later_shows=[show for show in coming if show.day != today],
        )
        return context

    def get_page_meta(self, context) -> seo.PageMeta:
        return seo.PageMeta(
            title=_("Films, programmes and events"),
            description=_(
                "What is on today and in the coming days at the Eye Filmmuseum in Amsterdam: "
                "screenings, programmes and special events, with tickets."
            ),
            structured_data=[seo.website(self.absolute)],
            **lead_picture(self.programmes),
        )


def count_of(queryset, field: str) -> Coalesce:
    """How many rows of `queryset` point at the outer row through `field`, as a subquery: a join
    of films and events would multiply the rows it counts."""
    counted = (
        queryset.filter(**{field: OuterRef("pk")})
        .order_by()
        .values(field)
        .annotate(count=Count("pk"))
        .values("count")
    )
    return Coalesce(Subquery(counted, output_field=IntegerField()), 0)


def holdings(films: int, events: int) -> str:
    """'12 films · 2 events': what a programme holds, as its card says it."""
    return " · ".join(
        (
            ngettext("%(count)s film", "%(count)s films", films) % {"count": films},
            ngettext("%(count)s event", "%(count)s events", events) % {"count": events},
        )
    )


class ProgrammeListView(PageMixin, TemplateView):
    """Current and coming programmes with their pictures, then the archive by year."""

    template_name = "programmes/programme_list.html"

    def get_context_data(self, **kwargs):
        today = timezone.localdate()
        programmes = Programme.objects.published().annotate(
            film_count=count_of(Film.objects.published(), "programmes"),
            event_count=count_of(Event.objects.published(), "programme"),
        )
        current, archive = [], []
        for programme in programmes.order_by("starts_on", "pk"):
            programme.holdings = holdings(programme.film_count, programme.event_count)
            (current if programme.ends_on >= today else archive).append(programme)
        archive.reverse()
        years: dict[int, list[Programme]] = {}
        for programme in archive:
            years.setdefault(programme.starts_on.year, []).append(programme)
        self.current = current
        context = super().get_context_data(**kwargs)
        context.update(today=today, current=current, archive_years=list(years.items()))
        return context

    def get_page_meta(self, context) -> seo.PageMeta:
        return seo.PageMeta(
            title=_("Programmes"),
            description=_(
                "The film programmes of the Eye Filmmuseum: what is on now and coming soon, "
                "and the archive of earlier seasons."
            ),
            **lead_picture(self.current),
        )


class ProgrammeDetailView(TranslatedSlugDetailView):
    template_name = "programmes/programme_detail.html"
    context_object_name = "programme"
    # The programme page lists a week ahead; the agenda, filtered to the programme, the rest.
    days_ahead = 7

    def get_queryset(self):
        return self.visible(Programme.objects)

    def get_context_data(self, **kwargs):
        programme = self.object
        today = timezone.localdate()
        context = super().get_context_data(**kwargs)
        context["films"] = programme.films.published().prefetch_related(director_credits())
        context["events"] = programme.events.published()
        context["shows"] = shows(
            upcoming_screenings()
            .of_programme(programme)
            .between(today, today + datetime.timedelta(days=self.days_ahead - 1))
        )
        return context

    def get_page_meta(self, context) -> seo.PageMeta:
        programme = self.object
        return seo.PageMeta(
            title=programme.title,
            description=programme.intro or programme.subtitle,
            image=programme.campaign_image,
            image_alt=programme.campaign_image_alt,
            # The series; its shows' markup is on their films' and events' pages.
            structured_data=[seo.programme_series(programme, self.absolute)],
        )


class FilmDetailView(TranslatedSlugDetailView):
    template_name = "programmes/film_detail.html"
    context_object_name = "film"

    def get_queryset(self):
        return self.visible(Film.objects).prefetch_related(
            credits_with_people(),
            ordered_stills(),
            Prefetch("programmes", queryset=Programme.objects.published()),
        )

    def get_context_data(self, **kwargs):
        # Its shows to come, none left out by publication: a published film's or event's
        # screenings are published, and the staff preview of a draft shows the draft's.
        self.shows = shows(self.object.screenings.upcoming())
        context = super().get_context_data(**kwargs)
        context["shows"] = self.shows
        return context

    def get_page_meta(self, context) -> seo.PageMeta:
        film = self.object
        stills = list(film.stills.all())
        image, alt = (
            (stills[0].image, stills[0].alt_text) if stills else (film.poster, film.poster_alt)
        )
        return seo.PageMeta(
            title=f"{film.title} ({film.credit_line})",
            description=film.synopsis or film.description,
            image=image,
            image_alt=alt,
            og_type="video.movie",
            structured_data=[
                seo.movie(film, self.absolute),
                *seo.screening_events(self.shows, self.absolute),
            ],
        )


class EventDetailView(TranslatedSlugDetailView):
    template_name = "programmes/event_detail.html"
    context_object_name = "event"

    def get_queryset(self):
        return (
            self.visible(Event.objects)
            .select_related("programme")
            .prefetch_related(
                Prefetch(
                    "contributors",
                    queryset=EventContributor.objects.select_related("person"),
                ),
                Prefetch(
                    "films",
                    queryset=Film.objects.published().prefetch_related(
                        credits_with_people(), ordered_stills()
                    ),
                ),
            )
        )

    def get_context_data(self, **kwargs):
        # Its shows to come, none left out by publication: a published film's or event's
        # screenings are published, and the staff preview of a draft shows the draft's.
        self.shows = shows(self.object.screenings.upcoming())
        set_display_image(self.object)
        context = super().get_context_data(**kwargs)
        context["shows"] = self.shows
        programme = self.object.programme
        context["event_programmes"] = [programme] if programme and programme.is_public else []
        return context

    def get_page_meta(self, context) -> seo.PageMeta:
        event = self.object
        return seo.PageMeta(
            title=event.title,
            description=event.intro or event.body,
            image=event.display_image,
            image_alt=event.display_image_alt,
            structured_data=seo.event(event, self.shows, self.absolute),
        )


class FilmCredit(NamedTuple):
    """A line of a person's films: the film's address, title and year, and their part in it."""

    url: str
    title: str
    year: int
    role: str
    character: str


def film_credits(person: Person) -> list[FilmCredit]:
    """A person's credits on published films, by year. Read as values: a credit and its film as
    model instances, each asked for its translated texts, its address and its role's label, cost
    70 µs a line (6.9 ms for a person with 100 films, 1.5 ms this way)."""
    languages = languages_in_turn()
    roles = {value: str(label) for value, label in CreditRole.choices}
    film_address = addresser("programmes:film_detail", "slug")
    rows = (
        Credit.objects.filter(person=person, film__in=Film.objects.published())
        .order_by("film__year", "film__title", "order")
        .values(
            "role",
            "film__year",
            f"film__slug_{languages[0]}",
            *(f"film__title_{code}" for code in languages),
            *(f"character_{code}" for code in languages),
        )
    )
    return [
        FilmCredit(
            url=film_address(row[f"film__slug_{languages[0]}"]),
            title=translated(row, "film__title", languages)[0],
            year=row["film__year"],
            role=roles.get(row["role"], row["role"]),
            character=translated(row, "character", languages)[0],
        )
        for row in rows
    ]


class PersonDetailView(TranslatedSlugDetailView):
    template_name = "programmes/person_detail.html"
    context_object_name = "person"
    translated_slug = False

    def get_queryset(self):
        return Person.objects.all()

    def get_context_data(self, **kwargs):
        person = self.object
        # Subqueries rather than joins: joining credits and contributors duplicated each show,
        # and the DISTINCT over whole rows that undid it cost 8 ms at 50,000 screenings.
        self.shows = shows(
            upcoming_screenings().filter(
                Q(film__in=person.credits.values("film"))
                | Q(event__in=person.contributions.values("event"))
            )
        )
        context = super().get_context_data(**kwargs)
        context["credits"] = film_credits(person)
        context["contributions"] = person.contributions.filter(
            event__in=Event.objects.published()
        ).select_related("event")
        context["shows"] = self.shows
        return context

    def get_page_meta(self, context) -> seo.PageMeta:
        person = self.object
        return seo.PageMeta(
            title=person.name,
            description=person.bio
            or _("Films and screenings of %(name)s at the Eye Filmmuseum.") % {"name": person.name},
            og_type="profile",
            structured_data=[seo.person(person, self.absolute)],
        )


def page_not_found(request, exception=None) -> HttpResponse:
    """A 404 in the visitor's language, with the ways on: the home page and the agenda."""
    alternates = {}
    for code, _name in settings.LANGUAGES:
        with translation.override(code):
            alternates[code] = reverse("programmes:home")
    body = loader.render_to_string(
        "404.html", {"alternate_urls": alternates, "request_path": request.path}, request
    )
    return HttpResponseNotFound(body)


def robots_txt(request) -> HttpResponse:
    """Everything public may be crawled; the admin may not. Points crawlers at the sitemap."""
    lines = [
        "User-agent: *",
        "Disallow: /admin/",
        "",
        f"Sitemap: {request.build_absolute_uri(reverse('sitemap'))}",
    ]
    return HttpResponse("\n".join(lines) + "\n", content_type="text/plain; charset=utf-8")
