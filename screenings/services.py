"""Writes to the screening schedule, each checked against the auditorium's other screenings.

Everything that books a slot or changes how long a show lasts comes through here: the admin,
the demo loader, scripts and imports. A write that would make two screenings overlap is refused
as a whole with a message naming them. On PostgreSQL the database refuses an overlap too (the
exclusion constraint `screening_no_overlap`, screenings/migrations/0002), whichever way it is
written; a refusal of the database met here is told like the check's own.
"""

from __future__ import annotations

import datetime

from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.db.models import F, Q
from django.utils import formats, timezone
from django.utils.translation import gettext as _

from programmes.models import Event, Film

from .models import Auditorium, Screening, TicketStatus

OVERLAP_CONSTRAINT = "screening_no_overlap"


def is_overlap_refusal(error: IntegrityError) -> bool:
    """Whether the database refused a write because two screenings would overlap."""
    return OVERLAP_CONSTRAINT in str(error)


def overlap_refused() -> ValidationError:
    return ValidationError(
        _(
            "Not saved: another screening in the same auditorium was booked at an overlapping "
            "time meanwhile. Look at the schedule again."
        ),
        code="overlap",
    )


def save_screening(screening: Screening) -> Screening:
    """Validate (including overlaps) and save one screening."""
    return save_screenings([screening])[0]


def save_screenings(screenings: list[Screening]) -> list[Screening]:
    """Save several screenings or none: one clash refuses the lot."""
    try:
        with transaction.atomic():
            for screening in screenings:
                screening.full_clean()
                screening.save()
    except IntegrityError as error:
        if is_overlap_refusal(error):
            raise overlap_refused() from error
        raise
    return screenings


def length_field(model) -> str | None:
    """The field that says how long a screening of this model's objects lasts."""
    return {Film: "runtime", Event: "duration"}.get(model)


def length_of(subject: Film | Event) -> datetime.timedelta:
    """How long a screening of this film or event lasts."""
    return subject.duration if isinstance(subject, Film) else subject.duration_delta


def _span(start: datetime.datetime, end: datetime.datetime) -> str:
    start, end = timezone.localtime(start), timezone.localtime(end)
    day = formats.date_format(start, "DATE_FORMAT")
    return f"{day} {formats.time_format(start, 'H:i')}–{formats.time_format(end, 'H:i')}"


def length_clashes(subject: Film | Event) -> list[str]:
    """What would overlap if every screening of `subject` lasted its present (perhaps unsaved)
    runtime or duration, each clash said once; holds the auditoriums concerned until the
    transaction ends, so the answer stays true for the write that follows."""
    if subject.pk is None:
        return []
    length = length_of(subject)
    own = [
        (screening, screening.starts_at + length)
        for screening in subject.screenings.exclude(ticket_status=TicketStatus.CANCELLED)
        .select_related("auditorium")
        .order_by("starts_at", "pk")
    ]
    if not own:
        return []
    Auditorium.objects.hold({screening.auditorium_id for screening, _end in own})
    problems = []
    # Among its own screenings (each takes the new length).
    for index, (first, first_end) in enumerate(own):
        for second, _second_end in own[index + 1 :]:
            if second.starts_at >= first_end:
                break
            if second.auditorium_id == first.auditorium_id:
                problems.append(
                    _("%(auditorium)s: %(first)s would overlap its own screening of %(second)s.")
                    % {
                        "auditorium": first.auditorium.name,
                        "first": _span(first.starts_at, first_end),
                        "second": _span(second.starts_at, second.starts_at + length),
                    }
                )
    # With the screenings of other films and events, as they are stored.
    window = Q()
    for screening, end in own:
        window |= Q(
            auditorium_id=screening.auditorium_id,
            starts_at__lt=end,
            ends_at__gt=screening.starts_at,
        )
    field = "film" if isinstance(subject, Film) else "event"
    others = list(
        Screening.objects.filter(window)
        .exclude(**{field: subject})
        .exclude(ticket_status=TicketStatus.CANCELLED)
        .select_related("film", "event", "auditorium")
        .order_by("starts_at", "pk")
    )
    for screening, end in own:
        for other in others:
            if (
                other.auditorium_id == screening.auditorium_id
                and other.starts_at < end
                and other.ends_at > screening.starts_at
            ):
                problems.append(
                    _("%(auditorium)s: %(own)s would overlap %(title)s, %(other)s.")
                    % {
                        "auditorium": screening.auditorium.name,
                        "own": _span(screening.starts_at, end),
                        "title": other.title,
                        "other": _span(other.starts_at, other.ends_at),
                    }
                )
    return problems


def check_length(subject: Film | Event) -> None:
    """Refuse (ValidationError naming every clash) a runtime or duration that would make the
    screenings of `subject` overlap others; for a form, before anything is written."""
    problems = length_clashes(subject)
    if problems:
        raise ValidationError(
            [
                _(
                    "With this length the screenings of “%(title)s” would overlap others; "
                    "move or cancel these first:"
                )
                % {"title": subject.title},
                *problems,
            ],
            code="overlap",
        )


@transaction.atomic
def follow_length(subject: Film | Event) -> int:
    """Make every screening of a saved film or event end its runtime or duration after its
    start; refused as a whole (ValidationError) if that would make screenings overlap.
    Returns how many screenings' ends moved."""
    length = length_of(subject)
    behind = subject.screenings.exclude(ends_at=F("starts_at") + length).order_by()
    if not behind.exists():
        return 0
    check_length(subject)
    try:
        with transaction.atomic():
            return behind.update(ends_at=F("starts_at") + length)
    except IntegrityError as error:
        if is_overlap_refusal(error):
            raise overlap_refused() from error
        raise


def follow_saved_length(sender, instance: Film | Event, **kwargs) -> None:
    """Every save of a film or event (programmes.models.length_saved) moves its screenings'
    ends, or is undone naming the clashes."""
    follow_length(instance)
