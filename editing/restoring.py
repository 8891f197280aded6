"""Putting an earlier version back: a restore, or the recovery of something deleted.

One transaction: visitors see the object as it was or as restored, never a mix. What cannot be
brought back (a row whose person was deleted since, a still whose image file is gone, a
screening that would now clash) is left out and named; the rest is restored. A restore is
itself stored as a new version.
"""

from __future__ import annotations

from django.core.exceptions import ValidationError
from django.db import models, transaction
from django.utils.text import capfirst
from django.utils.translation import gettext as _
from reversion.models import Version

from . import services
from .registry import KEPT_ON_RESTORE, row_names, row_relation
from .snapshots import stored_rows

RESTORED = "restored:"


class RestoreFailed(Exception):
    def __init__(self, message: str):
        super().__init__(message)
        self.message = message


def _missing_relations(obj: models.Model, skip=()) -> list[models.ForeignKey]:
    """Foreign keys of `obj` pointing at rows deleted since (checked first: the database only
    checks them at commit, which would undo the whole restore)."""
    missing = []
    for field in obj._meta.concrete_fields:
        if not isinstance(field, models.ForeignKey) or field.attname in skip:
            continue
        value = getattr(obj, field.attname)
        if value is not None and not field.related_model._base_manager.filter(pk=value).exists():
            missing.append(field)
    return missing


def _missing_files(obj: models.Model) -> list[models.FileField]:
    return [
        field
        for field in obj._meta.concrete_fields
        if isinstance(field, models.FileField)
        and (file := getattr(obj, field.attname))
        and not file.storage.exists(file.name)
    ]


def _what(obj: models.Model, label: str = "") -> str:
    return f"{capfirst(obj._meta.verbose_name)} “{label or obj}”"


def _bring_back_root(version: Version, problems: list[str]) -> models.Model:
    deserialized = version._object_version
    obj = deserialized.object
    current = type(obj)._base_manager.filter(pk=obj.pk).first()
    # Validated as an update of the row it was, not as a new row with a taken id.
    obj._state.adding = current is None
    for field in _missing_relations(obj):
        if not field.null:
            raise RestoreFailed(
                _("Could not restore this version: its %(field)s no longer exists.")
                % {"field": field.verbose_name}
            )
        setattr(obj, field.attname, None)
        problems.append(
            _("Its %(field)s no longer exists, so it was left empty.")
            % {"field": field.verbose_name}
        )
    for field in _missing_files(obj):
        kept = getattr(current, field.attname) if current is not None else ""
        setattr(obj, field.attname, kept)
        problems.append(
            _("The file of its %(field)s is gone, so the present one was kept.")
            % {"field": field.verbose_name}
        )
    try:
        obj.validate_unique()
        obj.validate_constraints()
    except ValidationError as error:
        raise RestoreFailed(
            _("Could not restore this version: %(reason)s") % {"reason": " ".join(error.messages)}
        ) from error
    try:
        obj.save()  # its screenings' ends follow its runtime or duration, or nothing is saved
    except ValidationError as clash:
        raise RestoreFailed(
            _("Could not restore this version: %(reason)s") % {"reason": " ".join(clash.messages)}
        ) from clash
    for name, pks in (deserialized.m2m_data or {}).items():
        field = obj._meta.get_field(name)
        existing = list(field.related_model._base_manager.filter(pk__in=pks))
        getattr(obj, name).set(existing)
        if len(existing) < len(pks):
            problems.append(
                _("Some of its %(field)s no longer exist and were left out.")
                % {"field": field.verbose_name}
            )
    return obj


def _bring_back_row(row_version: Version, owner_field: str, problems: list[str]) -> bool:
    row = row_version._object_version.object
    owner_name = next(f.name for f in row._meta.concrete_fields if f.attname == owner_field)
    row._state.adding = not type(row)._base_manager.filter(pk=row.pk).exists()
    label = row_version.object_repr
    missing = _missing_relations(row, skip=(owner_field,))
    if missing:
        problems.append(
            _("%(row)s could not be brought back: its %(field)s no longer exists.")
            % {"row": _what(row, label), "field": missing[0].verbose_name}
        )
        return False
    gone = _missing_files(row)
    if gone:
        problems.append(
            _("%(row)s could not be brought back: its %(field)s file is gone.")
            % {"row": _what(row, label), "field": gone[0].verbose_name}
        )
        return False
    try:
        # Full validation: a screening brought back must not clash with today's schedule.
        row.full_clean(exclude=[owner_name])
    except ValidationError as error:
        problems.append(
            _("%(row)s could not be brought back: %(reason)s")
            % {"row": _what(row, label), "reason": " ".join(error.messages)}
        )
        return False
    row.save()
    return True


@transaction.atomic
def restore(version: Version, user, expected_token=None) -> tuple[models.Model, list[str]]:
    """Put `version` back, with its rows; returns the object and what could not come back.

    `expected_token` is the version the editor confirmed on; if the object changed since
    (another restore or save got there first), nothing is restored.
    """
    model = version._model
    current = model._base_manager.filter(pk=version.object_id).first()
    if current is not None:
        services.lock(current)
        if expected_token is not None:
            base = services.base_version(current, expected_token)
            if services.changes_since(current, base):
                raise RestoreFailed(
                    _(
                        "Not restored: someone changed “%(object)s” since you opened this "
                        "page. Look at the differences again before restoring."
                    )
                    % {"object": current}
                )
        services.record_as_found([current])
    problems: list[str] = []
    obj = _bring_back_root(version, problems)
    rows = stored_rows(version)
    for name in row_names(model):
        _row_model, owner_field = row_relation(model, name)
        brought_back = {
            row.object_id
            for row in rows.get(name, [])
            if _bring_back_row(row, owner_field, problems)
        }
        if name not in KEPT_ON_RESTORE:
            kept = {row.object_id for row in rows.get(name, [])}
            for extra in getattr(obj, name).all():
                if str(extra.pk) not in kept | brought_back:
                    extra.delete()
    services.record([obj], user, f"{RESTORED}{version.pk}")
    return obj, problems
