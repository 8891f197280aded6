"""sitemap.xml: every public page in Dutch and English, each listing its twin (hreflang)."""

from __future__ import annotations

from django.conf import settings
from django.contrib.sitemaps import Sitemap
from django.db.models import Q
from django.urls import reverse

from .models import Event, Film, Person, Programme


class BilingualSitemap(Sitemap):
    # One <url> per language, each with xhtml:link alternates and an x-default (Dutch).
    i18n = True
    alternates = True
    x_default = True

    def _urls(self, page, protocol, domain):
        """Point x-default at the Dutch page, as each page's own <link hreflang> does.

        Django drops the default language's prefix for x-default, which suits sites without
        one; here every address has its prefix and translated words ("/programma/…"), so the
        unprefixed address would not resolve. (Overrides a private hook of Django's Sitemap.)
        """
        urls = super()._urls(page, protocol, domain)
        for url in urls:
            alternates = url.get("alternates", [])
            dutch = next(
                (a["location"] for a in alternates if a["lang_code"] == settings.LANGUAGE_CODE),
                None,
            )
            for alternate in alternates:
                if alternate["lang_code"] == "x-default" and dutch:
                    alternate["location"] = dutch
        return urls


class StaticPagesSitemap(BilingualSitemap):
    changefreq = "daily"
    priority = 1.0

    def items(self) -> list[str]:
        return [
            "programmes:home",
            "screenings:agenda",
            "programmes:programme_list",
            "screenings:film_list",
        ]

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
