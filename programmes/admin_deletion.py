"""Deleting a film or event that has screenings: what goes with it, and what stands in the way.

Screenings are PROTECTed in the database, so nothing disappears by accident. In the admin:
- past and cancelled screenings go with the film or event, listed on the confirmation page:
  they are history of something the editor wants gone, and nobody can still come to them;
- an upcoming screening that is not cancelled blocks the delete, and the page says which ones and
  how to proceed (cancel them first): visitors may hold tickets, and a cancelled screening is
  what they should find on the site, not a page that vanished.
"""

from __future__ import annotations

from django.db import transaction
from django.db.models import Model, QuerySet
from django.urls import reverse
from django.utils.html import format_html
from django.utils.text import capfirst

from screenings.admin import may_delete_screenings_of
from screenings.models import Screening, TicketStatus


def screenings_of(objs) -> QuerySet[Screening]:
    objs = list(objs)
    if not objs:
        return Screening.objects.none()
    field = objs[0]._meta.model_name  # "film" or "event"
    return Screening.objects.filter(**{f"{field}__in": objs}).select_related("auditorium")


def blocking_screenings(objs) -> QuerySet[Screening]:
    """Screenings visitors may still come to."""
    return screenings_of(objs).upcoming().exclude(ticket_status=TicketStatus.CANCELLED)


@transaction.atomic
def delete_with_screenings(objs) -> None:
    """Delete films or events with their (past or cancelled) screenings, all or nothing."""
    objs = list(objs)
    screenings_of(objs).delete()
    for obj in objs:
        obj.delete()


def screening_link(screening: Screening) -> str:
    url = reverse("admin:screenings_screening_change", args=[screening.pk])
    return format_html(
        '{}: <a href="{}">{}</a>', capfirst(Screening._meta.verbose_name), url, screening
    )


class DeleteWithScreeningsMixin:
    def get_deleted_objects(self, objs, request):
        deleted, model_count, perms_needed, protected = super().get_deleted_objects(objs, request)
        objs = list(objs)
        if protected and not blocking_screenings(objs).exists():
            # Only screenings protect a film or an event; these may all go with it.
            going = list(screenings_of(objs))
            protected = []
            deleted = [*deleted, *(screening_link(s) for s in going)]
            model_count[Screening._meta.verbose_name_plural] = len(going)
            if not request.user.has_perm("screenings.delete_screening") or not all(
                may_delete_screenings_of(request, obj) for obj in objs
            ):
                perms_needed.add(Screening._meta.verbose_name)
        return deleted, model_count, perms_needed, protected

    def delete_model(self, request, obj: Model) -> None:
        delete_with_screenings([obj])

    def delete_queryset(self, request, queryset) -> None:
        delete_with_screenings(queryset)

    def delete_view(self, request, object_id, extra_context=None):
        obj = self.get_object(request, object_id)
        extra_context = extra_context or {}
        if obj is not None:
            blocking = list(blocking_screenings([obj]))
            field = obj._meta.model_name
            extra_context["blocking_screenings"] = blocking
            extra_context["screenings_url"] = (
                reverse("admin:screenings_screening_changelist")
                + f"?{field}__id__exact={obj.pk}&day=upcoming"
            )
        return super().delete_view(request, object_id, extra_context)
