"""Versions of content and the checks that keep one editor's save from undoing another's.

- `record()` stores a version of what changed (with its rows), unless nothing did;
- `token_for()` names the stored version a form shows, storing the state first if it is not
  stored yet (content loaded or changed outside the admin);
- `changes_since()` compares the state a form was opened on with the state now, and says who
  changed what in between, field by field.
The check compares states, not counters: a version that changed nothing is no conflict, and a
change made outside the admin is noticed too.
"""

from __future__ import annotations

import json
from collections.abc import Iterable

import reversion
from django.db import transaction
from django.db.models import Model
from django.utils.translation import gettext as _
from reversion.models import Revision, Version

from .registry import version_root
from .snapshots import Change, Snapshot, diff, live, stored

# The comment of a version that records content as it was found, before an edit in the admin.
AS_FOUND = "as-found"


class Refused(Exception):
    """A request that cannot be checked (a missing or forged version number): nothing is saved."""

    def __init__(self, message: str):
        super().__init__(message)
        self.message = message


def versions_of(obj: Model):
    return Version.objects.get_for_object(obj).select_related("revision", "revision__user")


def latest_version(obj: Model) -> Version | None:
    return versions_of(obj).order_by("-pk").first()


def unchanged_since_stored(root: Model) -> bool:
    latest = latest_version(root)
    return latest is not None and stored(latest).same_as(live(root))


def roots_of(objs: Iterable[Model]) -> list[Model]:
    roots = {}
    for obj in objs:
        if obj.pk is None:
            continue
        root = version_root(obj)
        roots[(root._meta.label, root.pk)] = root
    return list(roots.values())


def record(objs: Iterable[Model], user=None, comment: str | list = "") -> bool:
    """Store one version holding each object's owner with its rows; returns whether it did.

    Owners whose state equals their latest version are left out, and nothing is stored when
    that leaves none: saving without changing anything adds no version.
    """
    changed = [root for root in roots_of(objs) if not unchanged_since_stored(root)]
    if not changed:
        return False
    with reversion.create_revision(manage_manually=True):
        for root in changed:
            reversion.add_to_revision(root)
        reversion.set_user(user if user is not None and user.is_authenticated else None)
        reversion.set_comment(comment if isinstance(comment, str) else json.dumps(comment))
    return True


def record_as_found(objs: Iterable[Model]) -> None:
    """Store the present state of objects never stored, or changed outside the admin since."""
    record(objs, None, AS_FOUND)


def token_for(obj: Model) -> int:
    """The id of a stored version of `obj` equal to what it is now: what a form carries."""
    record_as_found([obj])
    return latest_version(obj).pk


def lock(obj: Model) -> None:
    """Hold the owner's row until the transaction ends: of two saves at once, the second waits
    and then sees the first. (SQLite, which has no row locks, serialises writing transactions.)"""
    root = version_root(obj)
    list(type(root)._base_manager.select_for_update().filter(pk=root.pk).values_list("pk"))


def base_version(obj: Model, value) -> Version:
    """The version a form says it was opened on; refused if missing, malformed or not `obj`'s."""
    if value in (None, ""):
        raise Refused(
            _(
                "This form carries no version number, so it cannot be checked against changes "
                "made since it was opened. Nothing was saved: reload the page and make your "
                "change again."
            )
        )
    try:
        pk = int(value)
    except (TypeError, ValueError):
        pk = None
    version = versions_of(obj).filter(pk=pk).first() if pk else None
    if version is None:
        raise Refused(
            _(
                "This form's version number is not one of “%(object)s”. Nothing was saved: "
                "reload the page and make your change again."
            )
            % {"object": obj}
        )
    return version


def author(revision: Revision | None) -> str:
    if revision is None:
        return _("someone outside the admin")
    user = revision.user
    if user is None:
        return _("someone outside the admin")
    return user.get_full_name() or user.get_username()


def changes_since(obj: Model, base: Version | None, with_rows: bool = True) -> list[Change]:
    """What changed in `obj` (and its rows) since `base`, each change with who made it and when.

    An empty list means no conflict. Without a base (a list shown before anything was stored)
    the first stored state stands for it.
    """
    history = list(versions_of(obj).order_by("pk"))
    if base is None:
        if not history:
            return []
        base = history[0]
    then = stored(base, with_rows)
    now = live(type(obj)._base_manager.get(pk=obj.pk), with_rows)
    if then.same_as(now):
        return []
    # Walk the versions stored since, so each change is put to the last one who made it.
    steps: list[tuple[Snapshot, Revision | None]] = [
        (stored(version, with_rows), version.revision)
        for version in history
        if version.pk > base.pk
    ]
    steps.append((now, None))
    authors = {}
    before = then
    for after, revision in steps:
        for change in diff(before, after):
            authors[change.key] = revision
        before = after
    changes = diff(then, now)
    for change in changes:
        revision = authors.get(change.key)
        change.by = author(revision)
        change.when = revision.date_created if revision is not None else None
    return changes


@transaction.atomic
def check(obj: Model, value, with_rows: bool = True) -> tuple[Version, list[Change]]:
    """Lock `obj`'s owner, and say what changed since the version a form names (`value`)."""
    lock(obj)
    base = base_version(obj, value)
    return base, changes_since(obj, base, with_rows)
