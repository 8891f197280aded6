"""sitemap.xml: every public page in Dutch and English, each listing its twin (hreflang)."""

from __future__ import annotations

from django.contrib.sitemaps import Sitemap
from django.db.models import Q
from django.urls import reverse

from .models import Event, Film, Person, Programme


class BilingualSitemap(Sitemap):
    # One <url> per language, each with xhtml:link alternates and an x-default (Dutch).
    i18n = True
    alternates = True
    x_default = True


class StaticPagesSitemap(BilingualSitemap):
    changefreq = "daily"
    priority = 1.0

    def items(self) -> list[str]:
        return ["programmes:home", "screenings:agenda"]

    def location(self, item: str) -> str:
        return reverse(item)


class ProgrammeSitemap(BilingualSitemap):
    changefreq = "weekly"
    priority = 0.8

    def items(self):
        return Programme.objects.published().order_by("pk")


class FilmSitemap(BilingualSitemap):
    changefreq = "weekly"
    priority = 0.7

    def items(self):
        return Film.objects.published().order_by("pk")


class EventSitemap(BilingualSitemap):
    changefreq = "weekly"
    priority = 0.7

    def items(self):
        return Event.objects.published().order_by("pk")


class PersonSitemap(BilingualSitemap):
    changefreq = "monthly"
    priority = 0.4

    def items(self):
        """People with a public film or event: a page with nothing on it is not worth a visit."""
        public_film = Q(films__in=Film.objects.published())
        public_event = Q(contributions__event__in=Event.objects.published())
        return Person.objects.filter(public_film | public_event).distinct().order_by("pk")


SITEMAPS = {
    "pages": StaticPagesSitemap,
    "programmes": ProgrammeSitemap,
    "films": FilmSitemap,
    "events": EventSitemap,
    "people": PersonSitemap,
}
