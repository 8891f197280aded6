"""The staff admin for auditoriums and screenings: fast entry, copies, bulk ticket states."""

from __future__ import annotations

import datetime

from django.contrib import admin
from django.core.exceptions import ValidationError
from django.db import IntegrityError
from django.forms.models import BaseInlineFormSet
from django.urls import reverse
from django.utils import formats, timezone
from django.utils.html import format_html
from django.utils.translation import gettext_lazy as _
from modeltranslation.admin import TabbedTranslationAdmin, TranslationTabularInline

from editing.admin import VersionedAdminMixin
from programmes.models import Programme, PublicationStatus
from programmes.roles import publish_permission

from .admin_actions import COPIED_FIELDS, TICKET_ACTIONS, copy_of, copy_one_week_later
from .models import Auditorium, Screening, TicketStatus
from .services import check_length, is_overlap_refusal, length_field, overlap_refused


def may_delete_screenings_of(request, subject) -> bool:
    """A screening of a published film or event is published too: only programmers delete it.

    Editors cancel it instead, which is also what visitors holding a ticket need to see.
    """
    if subject is None or subject.status != PublicationStatus.PUBLISHED:
        return True
    return request.user.has_perm(publish_permission(subject))


def _span(screening: Screening) -> str:
    start = timezone.localtime(screening.starts_at)
    end = timezone.localtime(screening.ends_at)
    return f"{formats.time_format(start, 'H:i')}–{formats.time_format(end, 'H:i')}"


class ScreeningInlineFormSet(BaseInlineFormSet):
    """Also refuses rows of this one form that overlap each other.

    Each row checks itself against the saved schedule (Screening.clean), but two new rows
    are not saved yet when they are checked, so neither sees the other.
    """

    def clean(self):
        super().clean()
        rows = [
            form.instance
            for form in self.forms
            if form.cleaned_data
            and not form.cleaned_data.get("DELETE")
            and form.instance.starts_at
            and form.instance.ends_at
            and form.instance.auditorium_id
            and form.instance.ticket_status != TicketStatus.CANCELLED
        ]
        rows.sort(key=lambda s: s.starts_at)
        problems = []
        for index, first in enumerate(rows):
            for second in rows[index + 1 :]:
                if second.auditorium_id != first.auditorium_id:
                    continue
                if second.starts_at >= first.ends_at:
                    continue
                problems.append(
                    _(
                        "Two screenings in this list overlap in %(auditorium)s on %(day)s: "
                        "%(first)s and %(second)s."
                    )
                    % {
                        "auditorium": first.auditorium.name,
                        "day": formats.date_format(
                            timezone.localtime(first.starts_at), "DATE_FORMAT"
                        ),
                        "first": _span(first),
                        "second": _span(second),
                    }
                )
        if problems:
            raise ValidationError(problems)


class ScheduleAdminMixin:
    """For the admin of screenings and of the films and events they show (after
    VersionedAdminMixin in the bases).

    A new runtime or duration is checked against the schedule with the rest of the form, and
    on save every screening's end follows it (screenings.services). If the database refuses a
    save because two screenings would overlap (another editor or a script booked the slot in
    the meantime, PostgreSQL's constraint), the form is shown again with the editor's input
    and the reason, not an error page.
    """

    def changeform_view(self, request, object_id=None, form_url="", extra_context=None):
        try:
            return super().changeform_view(request, object_id, form_url, extra_context)
        except IntegrityError as error:
            if request.method != "POST" or not is_overlap_refusal(error):
                raise
            # Nothing was written (the save's transaction was rolled back): the same form
            # again, refused with the reason.
            request.schedule_refusal = overlap_refused()
            return super().changeform_view(request, object_id, form_url, extra_context)

    def get_form(self, request, obj=None, **kwargs):
        form_class = super().get_form(request, obj, **kwargs)
        refusal = getattr(request, "schedule_refusal", None)
        length = length_field(self.model)

        class ScheduleCheckedForm(form_class):
            def _post_clean(self):
                super()._post_clean()
                if refusal is not None:
                    self.add_error(None, refusal)
                elif length is not None and length in self.changed_data and not self.errors:
                    try:
                        check_length(self.instance)
                    except ValidationError as clash:
                        self.add_error(None, clash)

        ScheduleCheckedForm.__name__ = form_class.__name__
        return ScheduleCheckedForm


def copy_url(screening: Screening) -> str:
    return f"{reverse('admin:screenings_screening_add')}?copy={screening.pk}"


class ScreeningInline(TranslationTabularInline):
    """The upcoming screenings of a film or event, the columns an editor changes most.

    Past screenings and the accessibility labels are on the screenings list and each
    screening's own page (the change link); a film with weeks of shows stays one screen wide.
    """

    model = Screening
    formset = ScreeningInlineFormSet
    extra = 0
    fields = (
        "starts_at",
        "auditorium",
        "spoken_language",
        "subtitles",
        "format",
        "ticket_status",
        "ticket_url",
        "note",
        "duplicate",
    )
    readonly_fields = ("duplicate",)
    ordering = ("starts_at",)
    show_change_link = True
    verbose_name_plural = _("upcoming screenings")
    classes = ("screening-inline",)

    def get_queryset(self, request):
        return super().get_queryset(request).upcoming()

    def has_delete_permission(self, request, obj=None) -> bool:
        # `obj` is the film or event the screenings belong to.
        return super().has_delete_permission(request, obj) and may_delete_screenings_of(
            request, obj
        )

    @admin.display(description=_("copy"))
    def duplicate(self, obj: Screening):
        if not obj.pk:
            return ""
        return format_html('<a href="{}">{}</a>', copy_url(obj), _("Duplicate"))


class DayFilter(admin.SimpleListFilter):
    title = _("day")
    parameter_name = "day"

    def lookups(self, request, model_admin):
        return [
            ("today", _("Today")),
            ("tomorrow", _("Tomorrow")),
            ("week", _("Next 7 days")),
            ("upcoming", _("Upcoming")),
            ("past", _("Past")),
        ]

    def queryset(self, request, queryset):
        today = timezone.localdate()
        value = self.value()
        if value == "today":
            return queryset.on_day(today)
        if value == "tomorrow":
            return queryset.on_day(today + datetime.timedelta(days=1))
        if value == "week":
            return queryset.between(today, today + datetime.timedelta(days=6))
        if value == "upcoming":
            return queryset.upcoming()
        if value == "past":
            return queryset.filter(ends_at__lte=timezone.now())
        return queryset


class ProgrammeFilter(admin.SimpleListFilter):
    title = _("programme")
    parameter_name = "programme"

    def lookups(self, request, model_admin):
        return [(str(p.pk), p.title) for p in Programme.objects.all()]

    def queryset(self, request, queryset):
        if self.value():
            programme = Programme.objects.filter(pk=self.value()).first()
            if programme is not None:
                return queryset.of_programme(programme)
        return queryset


@admin.register(Auditorium)
class AuditoriumAdmin(VersionedAdminMixin, TabbedTranslationAdmin):
    list_display = ("name", "seats", "order")
    list_editable = ("order",)
    search_fields = ("name_nl", "name_en")
    prepopulated_fields = {"slug": ("name_nl",)}


@admin.register(Screening)
class ScreeningAdmin(VersionedAdminMixin, ScheduleAdminMixin, TabbedTranslationAdmin):
    list_display = (
        "starts_at",
        "ends_at",
        "title",
        "auditorium",
        "subtitles",
        "format",
        "ticket_status",
        "duplicate",
    )
    list_display_links = ("starts_at", "title")
    list_filter = (DayFilter, "auditorium", ProgrammeFilter, "ticket_status", "subtitles", "format")
    list_select_related = ("film", "event", "auditorium")
    date_hierarchy = "starts_at"
    search_fields = (
        "film__title_nl",
        "film__title_en",
        "film__original_title",
        "film__credits__person__name",
        "event__title_nl",
        "event__title_en",
    )
    autocomplete_fields = ("film", "event")
    readonly_fields = ("ends_at",)
    actions = (*TICKET_ACTIONS, copy_one_week_later)
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

    @admin.display(description=_("copy"))
    def duplicate(self, obj: Screening):
        return format_html('<a href="{}">{}</a>', copy_url(obj), _("Duplicate"))

    def has_delete_permission(self, request, obj=None) -> bool:
        allowed = super().has_delete_permission(request, obj)
        return allowed and (obj is None or may_delete_screenings_of(request, obj.subject))

    def edit_source(self, request):
        """`?copy=<id>`: the screening the add form copies. A save checks that it has not
        changed since the form was filled in from it."""
        source_id = request.GET.get("copy", "")
        return Screening.objects.filter(pk=source_id).first() if source_id.isdigit() else None

    def get_changeform_initial_data(self, request):
        """`?copy=<id>`: the add form filled in from that screening, a week later."""
        initial = super().get_changeform_initial_data(request)
        initial.pop("copy", None)
        source = self.edit_source(request)
        if source is not None:
            copy = copy_of(source, datetime.timedelta(weeks=1))
            for name in COPIED_FIELDS:
                initial[name.removesuffix("_id")] = getattr(copy, name)
            initial["starts_at"] = timezone.localtime(copy.starts_at)
        return initial
