"""What an object looked like: its fields and its rows, live or as stored in a version, and
the differences between two such pictures, described for an editor field by field.

Live and stored pictures go through the same serializer (the one django-reversion stores
versions with), so a value compares equal exactly when a version of it would be a duplicate.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date, datetime
from typing import Any

from django.conf import settings
from django.contrib.contenttypes.models import ContentType
from django.core import serializers
from django.db import models
from django.db.models.fields.files import FieldFile
from django.utils import formats, timezone
from django.utils.text import capfirst
from django.utils.translation import gettext as _
from reversion.models import Version
from reversion.revisions import _get_options

from .registry import row_names, row_relation

Fields = dict[str, Any]


@dataclass
class Snapshot:
    """One object (`fields`) and its rows: {row name: {pk: fields}}, with their descriptions."""

    model: type[models.Model]
    pk: str
    fields: Fields
    rows: dict[str, dict[str, Fields]] = field(default_factory=dict)
    # How each row is called ("Mikhail Kalatozov – Director"), for messages.
    row_labels: dict[tuple[str, str], str] = field(default_factory=dict)

    def same_as(self, other: Snapshot) -> bool:
        return self.fields == other.fields and self.rows == other.rows


def normalised(fields: Fields) -> Fields:
    """Line ends as the editor sees them: a browser sends a textarea back with CRLF, which
    changes the stored bytes but nothing anyone reads, so it is neither a change nor a conflict."""
    return {
        name: value.replace("\r\n", "\n") if isinstance(value, str) else value
        for name, value in fields.items()
    }


def field_dict(obj: models.Model) -> Fields:
    """The fields of a live object exactly as a stored version would give them back."""
    options = _get_options(type(obj))
    version = Version(
        content_type=ContentType.objects.get_for_model(type(obj)),
        object_id=str(obj.pk),
        format=options.format,
        serialized_data=serializers.serialize(options.format, (obj,), fields=options.fields),
        object_repr=str(obj),
    )
    return normalised(version._local_field_dict)


def live(obj: models.Model, with_rows: bool = True) -> Snapshot:
    snapshot = Snapshot(type(obj), str(obj.pk), field_dict(obj))
    if with_rows:
        for name in row_names(obj):
            rows = getattr(obj, name).all()
            snapshot.rows[name] = {str(row.pk): field_dict(row) for row in rows}
            snapshot.row_labels.update({(name, str(row.pk)): str(row) for row in rows})
    return snapshot


def stored_rows(version: Version) -> dict[str, list[Version]]:
    """The versions of the rows stored with `version` (in its revision), by row name."""
    model = version._model
    found: dict[str, list[Version]] = {}
    if not row_names(model):
        return found
    others = list(version.revision.version_set.exclude(pk=version.pk))
    for name in row_names(model):
        row_model, owner_field = row_relation(model, name)
        row_type = ContentType.objects.get_for_model(row_model).pk
        found[name] = [
            other
            for other in others
            if other.content_type_id == row_type
            and str(other._local_field_dict.get(owner_field)) == version.object_id
        ]
    return found


def stored(version: Version, with_rows: bool = True) -> Snapshot:
    """The object as `version` holds it, with the rows stored in the same revision."""
    snapshot = Snapshot(version._model, version.object_id, normalised(version._local_field_dict))
    if with_rows:
        for name, versions in stored_rows(version).items():
            snapshot.rows[name] = {
                row.object_id: normalised(row._local_field_dict) for row in versions
            }
            snapshot.row_labels.update({(name, row.object_id): row.object_repr for row in versions})
    return snapshot


@dataclass
class Change:
    """One difference, as an editor reads it: where, what, before and after."""

    where: str  # "" for the object itself, else the row ("Credit: Mikhail Kalatozov – Director")
    what: str  # the field with its language ("restoration note [en]"), or "" for a whole row
    before: str
    after: str
    key: tuple = ()
    by: str = ""
    when: datetime | None = None


def diff(old: Snapshot, new: Snapshot) -> list[Change]:
    changes = [
        Change("", what, before, after, key=("", name))
        for name, what, before, after in field_changes(old.model, old.fields, new.fields)
    ]
    for name in row_names(old.model):
        row_model, owner_field = row_relation(old.model, name)
        kind = capfirst(row_model._meta.verbose_name)
        before_rows, after_rows = old.rows.get(name, {}), new.rows.get(name, {})
        for pk in sorted(set(before_rows) | set(after_rows), key=_natural):
            row_label = new.row_labels.get((name, pk)) or old.row_labels.get((name, pk), pk)
            where = f"{kind}: {row_label}"
            if pk not in before_rows:
                changes.append(Change(where, "", "", _("added"), key=(name, pk)))
            elif pk not in after_rows:
                changes.append(Change(where, "", _("present"), _("removed"), key=(name, pk)))
            else:
                changes.extend(
                    Change(where, what, before, after, key=(name, pk, field_name))
                    for field_name, what, before, after in field_changes(
                        row_model, before_rows[pk], after_rows[pk], skip=(owner_field,)
                    )
                )
    return changes


def _natural(pk: str):
    return (len(pk), pk)


def translated_bases(model) -> set[str]:
    """Fields with a column per language (title_nl, title_en): their language-less column only
    repeats one of those, so a difference in it is never shown twice."""
    names = {f.attname for f in model._meta.concrete_fields}
    codes = [code for code, _name in settings.LANGUAGES]
    return {name for name in names if all(f"{name}_{code}" in names for code in codes)}


def field_changes(model, before: Fields, after: Fields, skip=()):
    skip = {*skip, *translated_bases(model)}
    for attname in sorted(before.keys() | after.keys()):
        if attname in skip or before.get(attname) == after.get(attname):
            continue
        model_field = _field(model, attname)
        yield (
            attname,
            str(model_field.verbose_name),
            describe(model_field, before.get(attname)),
            describe(model_field, after.get(attname)),
        )


def _field(model, attname: str) -> models.Field:
    for model_field in model._meta.get_fields():
        if getattr(model_field, "attname", None) == attname:
            return model_field
    return model._meta.get_field(attname)


def describe(model_field: models.Field, value) -> str:
    """A stored value as an editor would recognise it."""
    if value in (None, "", [], ()) or (isinstance(value, FieldFile) and not value):
        return "–"
    if isinstance(model_field, models.ManyToManyField):
        related = model_field.related_model._base_manager.filter(pk__in=value)
        names = {str(obj.pk): str(obj) for obj in related}
        return ", ".join(names.get(str(pk), f"#{pk}") for pk in value)
    if isinstance(model_field, models.ForeignKey):
        related = model_field.related_model._base_manager.filter(pk=value).first()
        return str(related) if related is not None else f"#{value}"
    if model_field.choices:
        return str(dict(model_field.flatchoices).get(value, value))
    if isinstance(value, bool):
        return _("yes") if value else _("no")
    if isinstance(value, datetime):
        return formats.date_format(timezone.localtime(value), "SHORT_DATETIME_FORMAT")
    if isinstance(value, date):
        return formats.date_format(value, "SHORT_DATE_FORMAT")
    if isinstance(value, FieldFile):
        return value.name
    if isinstance(value, list | tuple):
        return ", ".join(str(getattr(item, "name", item)) for item in value)
    return str(value)
