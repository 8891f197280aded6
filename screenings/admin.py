"""The staff admin for auditoriums and screenings."""

from django.contrib import admin
from django.utils.translation import gettext_lazy as _
from modeltranslation.admin import TabbedTranslationAdmin, TranslationTabularInline

from .models import Auditorium, Screening

SCREENING_FIELDS = (
    "starts_at",
    "auditorium",
    "spoken_language",
    "subtitles",
    "format",
    "ticket_status",
    "ticket_url",
    "audio_description",
    "subtitles_for_deaf",
    "relaxed",
    "note",
)


class ScreeningInline(TranslationTabularInline):
    model = Screening
    extra = 0
    fields = SCREENING_FIELDS
    ordering = ("starts_at",)
    show_change_link = True


@admin.register(Auditorium)
class AuditoriumAdmin(TabbedTranslationAdmin):
    list_display = ("name", "seats", "order")
    list_editable = ("order",)
    search_fields = ("name_nl", "name_en")
    prepopulated_fields = {"slug": ("name_nl",)}


@admin.register(Screening)
class ScreeningAdmin(TabbedTranslationAdmin):
    list_display = (
        "starts_at",
        "ends_at",
        "title",
        "auditorium",
        "subtitles",
        "format",
        "ticket_status",
    )
    list_filter = ("ticket_status", "auditorium", "subtitles", "format", "starts_at")
    list_select_related = ("film", "event", "auditorium")
    date_hierarchy = "starts_at"
    search_fields = ("film__title_nl", "film__title_en", "event__title_nl", "event__title_en")
    autocomplete_fields = ("film", "event")
    readonly_fields = ("ends_at",)
    fieldsets = (
        (None, {"fields": ("film", "event", "auditorium", "starts_at", "ends_at")}),
        (_("Language and format"), {"fields": ("spoken_language", "subtitles", "format")}),
        (_("Tickets"), {"fields": ("ticket_status", "ticket_url")}),
        (
            _("Accessibility"),
            {"fields": ("audio_description", "subtitles_for_deaf", "relaxed", "note")},
        ),
    )

    @admin.display(description=_("title"))
    def title(self, obj: Screening) -> str:
        return obj.title
