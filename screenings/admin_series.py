"""Fast entry of screenings from a film or event: a weekly series in one form.

"Every Sunday at 20:30 for four weeks in Cinema 1, English subtitles, DCP" becomes four
screenings, all saved or none: every clash is named before anything is written, and the save
itself runs in one transaction that checks again (screenings.services.save_screenings).
"""

from __future__ import annotations

import datetime

from django import forms
from django.contrib import messages
from django.contrib.admin.utils import unquote
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.http import HttpResponseRedirect
from django.template.response import TemplateResponse
from django.urls import path, reverse
from django.utils import formats, timezone
from django.utils.dates import WEEKDAYS
from django.utils.translation import gettext_lazy as _
from django.utils.translation import ngettext

from editing.admin import check_form, edit_context

from .models import SCREENING_DETAILS, Screening
from .services import save_screenings

MAX_WEEKS = 52
# What every screening of the series shares, copied from the form onto each one.
SHARED_FIELDS = (
    "auditorium",
    *SCREENING_DETAILS,
)


WHEN_FIELDS = ("weekday", "time", "first_day", "weeks")


class SeriesForm(forms.Form):
    weekday = forms.TypedChoiceField(label=_("Every"), choices=sorted(WEEKDAYS.items()), coerce=int)
    time = forms.TimeField(
        label=_("at"), widget=forms.TimeInput(attrs={"type": "time"}, format="%H:%M")
    )
    first_day = forms.DateField(
        label=_("starting on or after"),
        widget=forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"),
    )
    weeks = forms.IntegerField(
        label=_("for how many weeks"), min_value=1, max_value=MAX_WEEKS, initial=4
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        for name in SHARED_FIELDS:
            self.fields[name] = Screening._meta.get_field(name).formfield()

    def when_fields(self):
        return [self[name] for name in WHEN_FIELDS]

    def shared_fields(self):
        return [self[name] for name in SHARED_FIELDS]

    def days(self) -> list[datetime.date]:
        data = self.cleaned_data
        first = data["first_day"]
        first += datetime.timedelta(days=(data["weekday"] - first.weekday()) % 7)
        return [first + datetime.timedelta(weeks=week) for week in range(data["weeks"])]

    def build(self, subject) -> list[Screening]:
        """Unsaved screenings of `subject` (a film or an event), one per week."""
        shared = {name: self.cleaned_data[name] for name in SHARED_FIELDS}
        subject_field = subject._meta.model_name  # "film" or "event"
        return [
            Screening(
                **{subject_field: subject},
                starts_at=timezone.make_aware(
                    datetime.datetime.combine(day, self.cleaned_data["time"])
                ),
                **shared,
            )
            for day in self.days()
        ]


def initial_for(subject) -> dict:
    """Start from the subject's latest screening: a series usually repeats its room and format."""
    initial = {"first_day": timezone.localdate(), "weeks": 4}
    latest = subject.screenings.order_by("-starts_at").first()
    if latest is not None:
        start = timezone.localtime(latest.starts_at)
        initial.update(
            {name: getattr(latest, name) for name in SHARED_FIELDS},
            auditorium=latest.auditorium_id,
            weekday=start.weekday(),
            time=start.time().replace(second=0, microsecond=0),
            first_day=max(start.date() + datetime.timedelta(days=1), timezone.localdate()),
        )
    return initial


def validate_series(screenings: list[Screening]) -> None:
    """Every problem of every screening at once, each with its date, so one look fixes them."""
    problems = []
    for screening in screenings:
        try:
            screening.full_clean()
        except ValidationError as error:
            day = formats.date_format(timezone.localtime(screening.starts_at), "DATE_FORMAT")
            problems.extend(f"{day}: {message}" for message in error.messages)
    if problems:
        raise ValidationError(problems)


class ScreeningSeriesAdminMixin:
    """Adds the series page to a film or event admin, and a "Save and add a series" button."""

    def get_urls(self):
        opts = self.opts
        return [
            path(
                "<path:object_id>/series/",
                self.admin_site.admin_view(self.series_view),
                name=f"{opts.app_label}_{opts.model_name}_series",
            ),
            *super().get_urls(),
        ]

    def series_url(self, obj) -> str:
        opts = self.opts
        return reverse(f"admin:{opts.app_label}_{opts.model_name}_series", args=[obj.pk])

    def can_add_series(self, request, obj) -> bool:
        return self.has_change_permission(request, obj) and request.user.has_perm(
            "screenings.add_screening"
        )

    def series_view(self, request, object_id):
        obj = self.get_object(request, unquote(object_id))
        if obj is None:
            return self._get_obj_does_not_exist_redirect(request, self.opts, object_id)
        if not self.can_add_series(request, obj):
            raise PermissionDenied
        form = SeriesForm(request.POST or None, initial=initial_for(obj))
        if request.method == "POST":
            # The film or event as the editor saw it: a change since (its runtime, say) is
            # shown to them before the series is saved.
            with transaction.atomic():
                request.edit_check = check_form(obj, request.POST, with_rows=False, merge=False)
                error = request.edit_check.error()
                if error is not None:
                    form.is_valid()
                    form.add_error(None, error)
                elif form.is_valid():
                    screenings = form.build(obj)
                    try:
                        validate_series(screenings)
                        save_screenings(screenings)
                    except ValidationError as clash:
                        for message in clash.messages:
                            form.add_error(None, message)
                    else:
                        return self._series_saved(request, obj, screenings)
        context = {
            **edit_context(request, obj, merge=False),
            **self.admin_site.each_context(request),
            "title": _("Add a series of screenings"),
            "subtitle": str(obj),
            "opts": self.opts,
            "original": obj,
            "form": form,
            "media": self.media + form.media,
            "change_url": reverse(
                f"admin:{self.opts.app_label}_{self.opts.model_name}_change", args=[obj.pk]
            ),
            "has_view_permission": self.has_view_permission(request, obj),
        }
        return TemplateResponse(request, "admin/screenings/series_form.html", context)

    def _series_saved(self, request, obj, screenings: list[Screening]):
        from django.contrib.admin.models import ADDITION, LogEntry

        days = ", ".join(
            formats.date_format(timezone.localtime(s.starts_at), "SHORT_DATETIME_FORMAT")
            for s in screenings
        )
        LogEntry.objects.log_actions(
            request.user.pk,
            screenings,
            ADDITION,
            change_message=str(_("Added as part of a series.")),
            single_object=len(screenings) == 1,
        )
        self.log_change(
            request,
            obj,
            str(_("Added a series of screenings: %(days)s.") % {"days": days}),
        )
        self.message_user(
            request,
            ngettext(
                "%(count)d screening added: %(days)s.",
                "%(count)d screenings added: %(days)s.",
                len(screenings),
            )
            % {"count": len(screenings), "days": days},
            messages.SUCCESS,
        )
        change_url = reverse(
            f"admin:{self.opts.app_label}_{self.opts.model_name}_change", args=[obj.pk]
        )
        return HttpResponseRedirect(f"{change_url}#screenings-group")

    def render_change_form(self, request, context, add=False, change=False, form_url="", obj=None):
        context["offers_series"] = request.user.has_perm("screenings.add_screening")
        if obj is not None and obj.pk and self.can_add_series(request, obj):
            context["series_url"] = self.series_url(obj)
        return super().render_change_form(request, context, add, change, form_url, obj)

    def response_add(self, request, obj, post_url_continue=None):
        if "_addseries" in request.POST:
            return HttpResponseRedirect(self.series_url(obj))
        return super().response_add(request, obj, post_url_continue)

    def response_change(self, request, obj):
        if "_addseries" in request.POST:
            return HttpResponseRedirect(self.series_url(obj))
        return super().response_change(request, obj)
