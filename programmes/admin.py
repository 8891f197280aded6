"""The staff admin for programmes, films, people and events, with Dutch and English side by side.

Shared behaviour lives in small modules beside this one: roles and publishing
(admin_publishing), missing translations (admin_translations), deleting with screenings
(admin_deletion) and the screening series (screenings.admin_series).
"""

from django.conf import settings
from django.contrib import admin
from django.db import models
from django.db.models.fields.files import ImageFieldFile
from django.utils import translation
from django.utils.translation import gettext_lazy as _
from modeltranslation.admin import TabbedTranslationAdmin, TranslationTabularInline
from solo.admin import SingletonModelAdmin

from editing.admin import VersionedAdminMixin
from screenings.admin import ScheduleAdminMixin, ScreeningInline
from screenings.admin_series import ScreeningSeriesAdminMixin

from . import pictures
from .admin_deletion import DeleteWithScreeningsMixin
from .admin_pictures import PictureWidget, thumbnail
from .admin_publishing import PublishingAdminMixin
from .admin_translations import MissingTranslationFilter, TranslationStatusMixin
from .models import (
    Credit,
    Event,
    EventContributor,
    Film,
    Person,
    Programme,
    SiteSettings,
    Still,
)
from .validators import ALLOWED_IMAGE_EXTENSIONS


def new_images(forms) -> list[ImageFieldFile]:
    """The images just uploaded through these forms (a removed inline row's excepted)."""
    return [
        image
        for form in forms
        if not form.cleaned_data.get("DELETE")
        for name in form.changed_data
        if isinstance(image := getattr(form.instance, name, None), ImageFieldFile) and image
    ]


class EditorHelpersMixin:
    """The editor's small helpers: upload previews, dragging stills into order, image choosers
    that offer only what the upload check accepts, and the state of each image's pictures."""

    class Media:
        js = ("admin/js/eye_editor.js",)
        css = {"all": ("admin/css/eye_editor.css",)}

    def formfield_for_dbfield(self, db_field, request, **kwargs):
        if isinstance(db_field, models.ImageField):
            kwargs["widget"] = PictureWidget
        field = super().formfield_for_dbfield(db_field, request, **kwargs)
        if field is not None and isinstance(db_field, models.ImageField):
            field.widget.attrs["accept"] = ",".join(f".{ext}" for ext in ALLOWED_IMAGE_EXTENSIONS)
        return field


class PublishableAdmin(
    EditorHelpersMixin,
    PublishingAdminMixin,
    TranslationStatusMixin,
    TabbedTranslationAdmin,
):
    list_filter = ("status", MissingTranslationFilter)
    actions_on_bottom = True
    save_on_top = True

    def save_related(self, request, form, formsets, change):
        """Queue the drawing of every size the pages will ask of each new image
        (programmes.pictures): neither the editor nor any visitor waits for it."""
        super().save_related(request, form, formsets, change)
        forms = [form, *(inline for formset in formsets for inline in formset.forms)]
        pictures.prepare(new_images(forms))


@admin.register(Programme)
class ProgrammeAdmin(VersionedAdminMixin, PublishableAdmin):
    list_display = (
        "campaign_thumbnail",
        "title",
        "subtitle",
        "starts_on",
        "ends_on",
        "publication",
        "translation_status",
    )
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
        return thumbnail(obj.campaign_image, obj.campaign_image_alt, 54)


class CreditInline(TranslationTabularInline):
    model = Credit
    extra = 1
    autocomplete_fields = ("person",)
    fields = ("order", "role", "person", "character")


class StillInline(EditorHelpersMixin, TranslationTabularInline):
    """Stills in their order: drag a row (eye_editor.js) or type the numbers.

    The numbers stay editable rather than hidden behind a drag-only widget such as
    django-admin-sortable2: they work without JavaScript and from the keyboard, and the order
    field needs no change to the model's ordering, which sortable2 would require.
    """

    model = Still
    extra = 1
    fields = ("order", "image", "alt_text", "caption")
    classes = ("stills-inline",)

    def get_formset(self, request, obj=None, **kwargs):
        formset = super().get_formset(request, obj, **kwargs)
        for code, _name in settings.LANGUAGES:
            field = formset.form.base_fields.get(f"caption_{code}")
            if field is None:
                continue
            proposal = proposed_caption(obj, code)
            field.widget.attrs["placeholder"] = proposal
            field.help_text = (
                _("Left empty, the caption reads: %(caption)s") % {"caption": proposal}
                if obj is not None
                else _("Left empty, the caption is made from the credits.")
            )
        return formset


def proposed_caption(film: Film | None, code: str) -> str:
    """The caption the site makes from the credits, in one language."""
    if film is None or not film.pk:
        return ""
    with translation.override(code):
        return str(Still(film=film).display_caption)


@admin.register(Film)
class FilmAdmin(
    VersionedAdminMixin,
    ScheduleAdminMixin,
    ScreeningSeriesAdminMixin,
    DeleteWithScreeningsMixin,
    PublishableAdmin,
):
    list_display = (
        "poster_thumbnail",
        "title",
        "original_title",
        "year",
        "runtime",
        "publication",
        "translation_status",
    )
    list_display_links = ("poster_thumbnail", "title")
    list_filter = ("status", MissingTranslationFilter, "programmes", "age_rating", "year")
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
class PersonAdmin(VersionedAdminMixin, TranslationStatusMixin, TabbedTranslationAdmin):
    list_display = ("name", "slug", "translation_status")
    list_filter = (MissingTranslationFilter,)
    search_fields = ("name",)
    prepopulated_fields = {"slug": ("name",)}


class EventContributorInline(TranslationTabularInline):
    model = EventContributor
    extra = 1
    autocomplete_fields = ("person",)
    fields = ("order", "person", "part")


@admin.register(Event)
class EventAdmin(
    VersionedAdminMixin,
    ScheduleAdminMixin,
    ScreeningSeriesAdminMixin,
    DeleteWithScreeningsMixin,
    PublishableAdmin,
):
    list_display = (
        "image_thumbnail",
        "title",
        "kind",
        "programme",
        "duration",
        "featured",
        "publication",
        "translation_status",
    )
    list_display_links = ("image_thumbnail", "title")
    list_filter = ("status", MissingTranslationFilter, "kind", "featured", "programme")
    list_select_related = ("programme",)
    search_fields = (
        "title_nl",
        "title_en",
        "films__title_nl",
        "films__title_en",
        "films__original_title",
        "films__credits__person__name",
    )
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
        return thumbnail(obj.image, obj.image_alt, 54)


@admin.register(SiteSettings)
class SiteSettingsAdmin(SingletonModelAdmin, TabbedTranslationAdmin):
    pass
