"""Which content is versioned, and how its parts hang together.

Composed above `programmes` and `screenings`: the models are named, not imported, so neither app
depends on this one. A film's credits, stills and screenings, and an event's contributors and
screenings, are stored in every version of the film or event they belong to ("rows"): a version
is the whole of what the film's admin form shows, and restoring or recovering one brings its rows
back with it. A change to a row made elsewhere (a screening's own page, a bulk action, a series)
is recorded as a version of the film or event it belongs to (its "owner").
"""

from __future__ import annotations

import reversion
from django.apps import apps
from django.db.models import Model

# Model → the rows stored with each of its versions (reverse relations of its admin's inlines).
ROWS = {
    "programmes.Programme": (),
    "programmes.Person": (),
    "programmes.Film": ("credits", "stills", "screenings"),
    "programmes.Event": ("contributors", "screenings"),
    "screenings.Auditorium": (),
}
# Rows a restore adds back and changes but never removes: visitors may hold tickets for a
# screening added since the version being restored.
KEPT_ON_RESTORE = frozenset({"screenings"})
# Row model → the foreign keys that name its owner (the first one set is the owner).
OWNERS = {
    "programmes.Credit": ("film",),
    "programmes.Still": ("film",),
    "programmes.EventContributor": ("event",),
    "screenings.Screening": ("film", "event"),
}


def register_models() -> None:
    for label, rows in ROWS.items():
        reversion.register(apps.get_model(label), follow=rows)
    for label in OWNERS:
        reversion.register(apps.get_model(label))


def label(model: type[Model] | Model) -> str:
    return model._meta.label


def row_names(model: type[Model] | Model) -> tuple[str, ...]:
    return ROWS.get(label(model), ())


def owner_of(obj: Model) -> Model | None:
    """The object whose versions hold this row, or None if it is versioned on its own."""
    for name in OWNERS.get(label(obj), ()):
        owner = getattr(obj, name)
        if owner is not None:
            return owner
    return None


def version_root(obj: Model) -> Model:
    return owner_of(obj) or obj


def row_relation(model: type[Model], name: str):
    """(row model, name of its foreign key to `model`) for one of `model`'s rows."""
    relation = model._meta.get_field(name)
    return relation.related_model, relation.field.attname
