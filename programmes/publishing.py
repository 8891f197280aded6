"""Publishing writes: put programmes, films and events before visitors, or take them back."""

from __future__ import annotations

from collections.abc import Iterable

from django.db import transaction
from django.utils import timezone

from .models import PublicationStatus, Publishable


@transaction.atomic
def publish_now(objects: Iterable[Publishable]) -> list[Publishable]:
    """Publish at once; a publish-from moment still ahead is dropped. Returns what changed."""
    now = timezone.now()
    changed = []
    for obj in objects:
        if obj.is_public:
            continue
        obj.status = PublicationStatus.PUBLISHED
        if obj.publish_from and obj.publish_from > now:
            obj.publish_from = None
        obj.save(update_fields=["status", "publish_from"])
        changed.append(obj)
    return changed


@transaction.atomic
def back_to_draft(objects: Iterable[Publishable]) -> list[Publishable]:
    """Withdraw from the site; returns what changed."""
    changed = []
    for obj in objects:
        if obj.status == PublicationStatus.DRAFT:
            continue
        obj.status = PublicationStatus.DRAFT
        obj.save(update_fields=["status"])
        changed.append(obj)
    return changed
