"""Who else has an object open in the admin: a few bytes in the shared cache per object.

Opening a change form, and a heartbeat from its page every EDITING_HEARTBEAT_SECONDS (a
setting) while it stays open, mark the editor as present; whoever was seen within PRESENCE_SECONDS counts. The cache is
Redis in production, shared by every app server; nothing of it touches the database, so an open
form costs one small cache read and write per heartbeat (plus the session lookup every admin
request makes).
"""

from __future__ import annotations

import time
from dataclasses import dataclass
from datetime import UTC, datetime

from django.core.cache import caches
from django.db.models import Model
from django.utils import formats, timezone
from django.utils.translation import gettext as _

PRESENCE_SECONDS = 5 * 60


@dataclass(frozen=True)
class Presence:
    name: str
    since: float

    @property
    def since_display(self) -> str:
        moment = timezone.localtime(datetime.fromtimestamp(self.since, tz=UTC))
        return formats.time_format(moment, "TIME_FORMAT")


def _key(obj: Model) -> str:
    return f"editing:presence:{obj._meta.label_lower}:{obj.pk}"


def _display(user) -> str:
    return user.get_full_name() or user.get_username()


def _fresh(entries: dict, now: float) -> dict:
    return {uid: entry for uid, entry in entries.items() if now - entry["seen"] < PRESENCE_SECONDS}


def here(obj: Model, user) -> list[Presence]:
    """Mark `user` as having `obj` open now; the others who have it open, earliest first.

    A read and a write, not atomic: two editors arriving in the same instant may miss each
    other until the next heartbeat puts both back.
    """
    cache = caches["default"]
    now = time.time()
    entries = _fresh(cache.get(_key(obj)) or {}, now)
    mine = entries.get(str(user.pk))
    entries[str(user.pk)] = {
        "name": _display(user),
        "since": mine["since"] if mine else now,
        "seen": now,
    }
    cache.set(_key(obj), entries, PRESENCE_SECONDS)
    others = [
        Presence(entry["name"], entry["since"])
        for uid, entry in entries.items()
        if uid != str(user.pk)
    ]
    return sorted(others, key=lambda presence: presence.since)


def left(obj: Model, user) -> None:
    cache = caches["default"]
    entries = cache.get(_key(obj)) or {}
    if entries.pop(str(user.pk), None) is not None:
        cache.set(_key(obj), entries, PRESENCE_SECONDS)


def notice(others: list[Presence]) -> str:
    return " ".join(
        _("%(who)s has had this open since %(since)s.")
        % {"who": presence.name, "since": presence.since_display}
        for presence in others
    )
