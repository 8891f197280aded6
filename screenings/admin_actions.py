"""Changelist actions on screenings: change the ticket state of many, or copy them a week on.

Both go through save_screenings, so a change that would make two screenings overlap (bringing
back a cancelled one, copying into a taken slot) is refused as a whole with the clash named.
"""

from __future__ import annotations

import datetime

from django.contrib import admin, messages
from django.contrib.admin.models import ADDITION, LogEntry
from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _
from django.utils.translation import ngettext

from editing.services import record

from .models import SCREENING_DETAILS, Screening, TicketStatus
from .services import save_screenings

# The fields a copy takes over from its original.
COPIED_FIELDS = (
    "film_id",
    "event_id",
    "auditorium_id",
    *SCREENING_DETAILS,
)


def copy_of(screening: Screening, shift: datetime.timedelta) -> Screening:
    """An unsaved copy of `screening`, `shift` later; a cancelled one is copied as on sale."""
    copy = Screening(
        **{name: getattr(screening, name) for name in COPIED_FIELDS},
        starts_at=screening.starts_at + shift,
    )
    if copy.ticket_status in (TicketStatus.CANCELLED, TicketStatus.SOLD_OUT):
        copy.ticket_status = TicketStatus.ON_SALE
    return copy


def refuse(modeladmin, request, error: ValidationError) -> None:
    modeladmin.message_user(
        request,
        _("Nothing was changed: %(reason)s") % {"reason": " ".join(error.messages)},
        messages.ERROR,
    )


def ticket_status_action(status: TicketStatus, description):
    def action(modeladmin, request, queryset):
        screenings = list(queryset.select_related("film", "event", "auditorium"))
        changed = [s for s in screenings if s.ticket_status != status]
        for screening in changed:
            screening.ticket_status = status
        try:
            save_screenings(changed)
        except ValidationError as error:
            refuse(modeladmin, request, error)
            return
        for screening in changed:
            modeladmin.log_change(
                request,
                screening,
                [
                    {
                        "changed": {
                            "fields": [str(Screening._meta.get_field("ticket_status").verbose_name)]
                        }
                    }
                ],
            )
        modeladmin.message_user(
            request,
            ngettext(
                "%(count)d screening now reads “%(status)s”.",
                "%(count)d screenings now read “%(status)s”.",
                len(changed),
            )
            % {"count": len(changed), "status": status.label},
            messages.SUCCESS,
        )

    action.__name__ = f"mark_{status.value}"
    return admin.action(description=description, permissions=["change"])(action)


TICKET_ACTIONS = [
    ticket_status_action(TicketStatus.ON_SALE, _("Mark as on sale")),
    ticket_status_action(TicketStatus.FEW_LEFT, _("Mark as few tickets left")),
    ticket_status_action(TicketStatus.SOLD_OUT, _("Mark as sold out")),
    ticket_status_action(TicketStatus.FREE, _("Mark as free entry")),
    ticket_status_action(TicketStatus.CANCELLED, _("Cancel")),
]


@admin.action(description=_("Copy to the same time one week later"), permissions=["add"])
def copy_one_week_later(modeladmin, request, queryset):
    originals = list(queryset.select_related("film", "event"))
    copies = [copy_of(screening, datetime.timedelta(weeks=1)) for screening in originals]
    try:
        save_screenings(copies)
    except ValidationError as error:
        refuse(modeladmin, request, error)
        return
    LogEntry.objects.log_actions(
        request.user.pk,
        copies,
        ADDITION,
        change_message=str(_("Copied from the week before.")),
        single_object=len(copies) == 1,
    )
    record(
        copies,
        request.user,
        [{"added": {"name": str(Screening._meta.verbose_name), "object": str(c)}} for c in copies],
    )
    modeladmin.message_user(
        request,
        ngettext(
            "%(count)d screening copied to the week after.",
            "%(count)d screenings copied to the week after.",
            len(copies),
        )
        % {"count": len(copies)},
        messages.SUCCESS,
    )
