"""The staff admin for programmes, films, people and events, with Dutch and English side by side."""

from django.contrib import admin
from django.utils.html import format_html
from django.utils.translation import gettext_lazy as _
from modeltranslation.admin import TabbedTranslationAdmin, TranslationTabularInline
from solo.admin import SingletonModelAdmin
from sorl.thumbnail import get_thumbnail
from sorl.thumbnail.admin import AdminImageMixin

from screenings.admin import ScreeningInline

from .models import Credit, Event, EventContributor, Film, Person, Programme, SiteSettings, Still


def thumbnail(image, alt: str, geometry: str = "x64"):
    if not image:
        return "–"
    thumb = get_thumbnail(image, geometry, quality=80)
    return format_html(
        '<img src="{}" width="{}" height="{}" alt="{}">', thumb.url, thumb.width, thumb.height, alt
    )


class PublishableAdmin(AdminImageMixin, TabbedTranslationAdmin):
    list_filter = ("status",)
    actions_on_bottom = True
    save_on_top = True


@admin.register(Programme)
class ProgrammeAdmin(PublishableAdmin):
    list_display = ("campaign_thumbnail", "title", "subtitle", "starts_on", "ends_on", "status")
    list_display_links = ("campaign_thumbnail", "title")
    search_fields = ("title_nl", "title_en", "subtitle_nl", "subtitle_en")
    date_hierarchy = "starts_on"
    prepopulated_fields = {"slug_nl": ("title_nl",), "slug_en": ("title_en",)}
    fieldsets = (
        (None, {"fields": ("title", "slug", "subtitle", ("starts_on", "ends_on"))}),
        (_("Text"), {"fields": ("intro", "body")}),
        (_("Campaign image"), {"fields": ("campaign_image", "campaign_image_alt")}),
        (_("Publication"), {"fields": ("status", "publish_from")}),
    )

    @admin.display(description=_("image"))
    def campaign_thumbnail(self, obj: Programme):
        return thumbnail(obj.campaign_image, obj.campaign_image_alt, "96x54")


class CreditInline(TranslationTabularInline):
    model = Credit
    extra = 1
    autocomplete_fields = ("person",)
    fields = ("order", "role", "person", "character")


class StillInline(AdminImageMixin, TranslationTabularInline):
    model = Still
    extra = 1
    fields = ("order", "image", "alt_text", "caption")


@admin.register(Film)
class FilmAdmin(PublishableAdmin):
    list_display = ("poster_thumbnail", "title", "original_title", "year", "runtime", "status")
    list_display_links = ("poster_thumbnail", "title")
    list_filter = ("status", "programmes", "age_rating", "year")
    search_fields = (
        "title_nl",
        "title_en",
        "original_title",
        "credits__person__name",
    )
    prepopulated_fields = {"slug_nl": ("title_nl",), "slug_en": ("title_en",)}
    autocomplete_fields = ("programmes",)
    inlines = (CreditInline, StillInline, ScreeningInline)
    fieldsets = (
        (None, {"fields": ("title", "original_title", "slug", "programmes")}),
        (
            _("Facts"),
            {"fields": (("year", "runtime"), "countries", "spoken_languages", "age_rating")},
        ),
        (_("Text"), {"fields": ("synopsis", "description", "restoration_note")}),
        (_("Poster"), {"fields": ("poster", "poster_alt")}),
        (_("Publication"), {"fields": ("status", "publish_from")}),
    )

    @admin.display(description=_("poster"))
    def poster_thumbnail(self, obj: Film):
        return thumbnail(obj.poster, obj.poster_alt)


@admin.register(Person)
class PersonAdmin(TabbedTranslationAdmin):
    list_display = ("name", "slug")
    search_fields = ("name",)
    prepopulated_fields = {"slug": ("name",)}


class EventContributorInline(TranslationTabularInline):
    model = EventContributor
    extra = 1
    autocomplete_fields = ("person",)
    fields = ("order", "person", "part")


@admin.register(Event)
class EventAdmin(PublishableAdmin):
    list_display = (
        "image_thumbnail",
        "title",
        "kind",
        "programme",
        "duration",
        "featured",
        "status",
    )
    list_display_links = ("image_thumbnail", "title")
    list_filter = ("status", "kind", "featured", "programme")
    list_select_related = ("programme",)
    search_fields = ("title_nl", "title_en", "films__title_nl", "films__title_en")
    prepopulated_fields = {"slug_nl": ("title_nl",), "slug_en": ("title_en",)}
    autocomplete_fields = ("films", "programme")
    inlines = (EventContributorInline, ScreeningInline)
    fieldsets = (
        (None, {"fields": ("title", "slug", "kind", "label", "programme", "films", "duration")}),
        (_("Text"), {"fields": ("intro", "body")}),
        (_("Image"), {"fields": ("image", "image_alt")}),
        (_("Publication"), {"fields": ("featured", "status", "publish_from")}),
    )

    @admin.display(description=_("image"))
    def image_thumbnail(self, obj: Event):
        return thumbnail(obj.image, obj.image_alt, "96x54")


@admin.register(SiteSettings)
class SiteSettingsAdmin(SingletonModelAdmin, TabbedTranslationAdmin):
    pass
