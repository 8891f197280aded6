"""Writes to the screening schedule, each checked against the auditorium's other screenings."""

from __future__ import annotations

from django.db import transaction

from .models import Screening


def save_screening(screening: Screening) -> Screening:
    """Validate (including overlaps) and save one screening."""
    screening.full_clean()
    screening.save()
    return screening


@transaction.atomic
def save_screenings(screenings: list[Screening]) -> list[Screening]:
    """Save several screenings or none: one clash refuses the lot."""
    return [save_screening(screening) for screening in screenings]
