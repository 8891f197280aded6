"""The page cache: anonymous visitor pages served from the shared cache, invalidated by staff edits.

Keys: one entry per scheme, host, language, path and what the page makes of its query string
(eye_site/page_query.py: parameters the page does not read are dropped).

Versions: an entry remembers the content version it was rendered under; a committed change to
content sets a new version, and every app server knows it at once (below). A hit costs no
database query and is answered before sessions, the locale, CSRF or the user are looked at.

Ticket states: a save that changes a show's ticket state and nothing else (the box office at
work; Screening.changes_only_ticket_state) renews only the pages that list the show. Each render
notes the shows it lists (listing(), from screenings.listing and the calendar files) and the
number of the last ticket change it knew of when it began; each change gets the next number (a
Redis counter) and is announced like a version. An entry listing a show changed since is stale.

Stale while revalidate, one renderer: an entry that is no longer fresh (another version, or older
than PAGE_CACHE_SECONDS) is not thrown away. The first request for the page takes the page's
lock in Redis (SET NX PX, LOCK_SECONDS, so a renderer that dies holds it no longer); it, and every
other request for that page on every app server, gets the entry it replaces ("stale"), and its
worker renders the page once that answer has gone out (AfterResponse). An edit costs one render
per page, not one per visitor who asks during it, and no answer for that page waits for it.

One re-render at a time per machine: an edit makes every page stale at once, and if each worker
re-rendered the first stale page it was asked for, every worker would be busy rendering while
hits queued behind them. So a stale page is re-rendered only by a request that also takes its
machine's turn (another lock, named after the host); the others get the stale copy, and the
machine's other workers keep answering hits. A page that has waited MACHINE_WAIT seconds since
it went stale no longer waits for the turn, so the machine falling behind cannot stretch the
staleness bound (docs/deploy.md).

With Redis, each process keeps its most recent pages and the current version in memory, so a hit
costs no round trip either: a watcher thread subscribes to a Redis channel on which every new
version is announced, and reads the version again when told (and every few seconds, which also
notices a flushed or restarted Redis). Until it first connects, requests read the version.

Stale if error (RFC 5861): when the watcher loses Redis, the process stops asking Redis anything
and answers from the pages it holds (up to PAGE_CACHE_SECONDS old), renders the others and keeps
them; an edit made meanwhile shows at once in the process that made it, elsewhere within
PAGE_CACHE_SECONDS. When the watcher is back (it tries every second), the held pages count as
stale and each is rendered once more, by one renderer.

Misses cannot starve hits: each client (eye_site.security.client_ip) may have at most
PAGE_CACHE_CLIENT_MISSES pages rendered for it in any MISS_WINDOW seconds. Past that it is
answered with an older copy if there is one, else 429 with Retry-After and a short bilingual page.
Hits and stale answers cost a client nothing; logged-in staff have no limit.

`X-Page-Cache` says which happened: hit, stale, miss (rendered now) or limited (429).

Pages are kept compressed for browsers that accept gzip (GZipMiddleware sits inside this one) and
plain for the rest.

What is never cached: anything outside a language prefix (the admin, health, static and media),
requests that carry a session or messages cookie (logged-in staff), responses other than 200,
responses that set a cookie or carry a CSRF token, and responses marked private or no-store.
"""

from __future__ import annotations

import contextlib
import hashlib
import logging
import math
import os
import socket
import threading
import time
import uuid
from collections import OrderedDict
from importlib import import_module
from typing import NamedTuple

from django.conf import settings
from django.contrib.auth import SESSION_KEY as SESSION_USER_KEY
from django.core.cache import caches
from django.core.exceptions import DisallowedHost
from django.core.signals import request_finished, request_started
from django.db import models, transaction
from django.db.models.signals import post_save
from django.http import HttpRequest, HttpResponse
from django.middleware.gzip import re_accepts_gzip
from django.utils.cache import get_conditional_response, patch_cache_control
from django.utils.http import http_date
from django_redis import get_redis_connection

from eye_site import page_query
from eye_site.errors import too_many_requests
from eye_site.security import client_ip

logger = logging.getLogger(__name__)

CACHE_ALIAS = "default"
VERSION_KEY = "page-cache:version"
CACHE_STATUS_HEADER = "X-Page-Cache"
# Apps whose models are the site's content: a change to any of them can show on any page.
CONTENT_APPS = frozenset({"programmes", "screenings"})
# Cookies that mean the page is personal: a session (staff) or a pending admin message.
PERSONAL_COOKIES = ("messages",)
# Each process keeps its most recent pages (up to this many bytes), so that with Redis a hit
# fetches only the small version id, not the whole page, over the network.
LOCAL_COPY_BYTES = 32 * 1024 * 1024
# How often an idle watcher checks its connection and reads the version anyway (seconds).
WATCH_INTERVAL = 2.0
# How long a renderer may hold a page's lock (seconds): if it dies, the next request renders.
LOCK_SECONDS = 5.0
# How long a stale page waits for its machine's one re-render at a time (seconds). With the
# watcher's interval and LOCK_SECONDS this bounds how long visitors may be shown a page from
# before an edit: 2 + 2 + 5 = 9 s, under the 10 s docs/deploy.md states, however a renderer fails.
MACHINE_WAIT = 2.0
# The lock of this machine's turn to re-render a stale page (the host: one per container).
MACHINE_KEY = f"page-cache:machine:{socket.gethostname()}"
# An entry is kept this many times PAGE_CACHE_SECONDS, fresh for the first of them, then only
# to stand in while one request renders its successor.
STALE_FACTOR = 2
# How long per_content_version() keeps a value when the page cache is off (PAGE_CACHE_SECONDS 0).
PER_VERSION_SECONDS = 300
# The window of the per-client miss budget (seconds; PAGE_CACHE_CLIENT_MISSES per window).
MISS_WINDOW = 10
# Recent changes of a show's ticket state, numbered in the order they were made (screening id ->
# "number:when"): a Redis hash beside a counter, or a dict in the local-memory cache. Numbers, not
# times, say whether a page was rendered before a change: app servers' clocks may disagree.
TICKETS_KEY = "page-cache:tickets"


def _new_version() -> str:
    """A new content version, which says when it was made: `<seconds since the epoch>:<id>`."""
    return f"{time.time():.3f}:{uuid.uuid4().hex}"


def _version_time(version: str | None) -> float | None:
    """When `version` was made, if it says (a version set by an older release does not)."""
    try:
        return float(version.split(":", 1)[0])
    except (AttributeError, ValueError):
        return None


def _is_redis() -> bool:
    return settings.CACHES[CACHE_ALIAS]["BACKEND"] == "django_redis.cache.RedisCache"


def bump_version() -> None:
    """Makes every cached page stale, on all app servers at once."""
    try:
        caches[CACHE_ALIAS].set(VERSION_KEY, _new_version(), timeout=None)
        _new_version_set()
    except Exception:
        # Redis is away: at least this process shows the change at once (others hold their
        # copies for at most PAGE_CACHE_SECONDS, and renew them all once Redis is back).
        LOCAL.clear()
        logger.warning("page cache: could not set a new version", exc_info=True)


def _new_version_set() -> None:
    """What follows a new content version: ticket changes numbered from here, and every app
    server told."""
    start_ticket_numbers()
    if _is_redis():
        VersionWatcher.announce()


# Recent ticket changes, newest first: (number, when, screening id).
Tickets = tuple[tuple[int, float, int], ...]


def _ticket_keys() -> tuple[str, str]:
    """In Redis: the hash of recent ticket changes, and the counter that numbers them."""
    name = caches[CACHE_ALIAS].make_key(TICKETS_KEY)
    return name, f"{name}:number"


def start_ticket_numbers() -> None:
    """Starts numbering ticket changes, unless they are numbered already: with a new version,
    which renews every page. A change that finds no numbering (the cache was flushed, or Redis
    evicted the counter) renews every page instead: its number could be one that pages have
    seen already."""
    if _is_redis():
        _changes, counter = _ticket_keys()
        get_redis_connection(CACHE_ALIAS).set(counter, 1, nx=True)
    else:
        caches[CACHE_ALIAS].add(TICKETS_KEY, (1, {}), timeout=None)


def renew_pages_listing(screenings: set[int]) -> None:
    """Makes stale the cached pages that list any of these shows, and only those, on all app
    servers at once: for a change of their ticket states alone (see content_changed)."""
    keep = settings.PAGE_CACHE_SECONDS * STALE_FACTOR
    if keep <= 0:
        return
    now = time.time()
    try:
        if _is_redis():
            redis = get_redis_connection(CACHE_ALIAS)
            name, counter = _ticket_keys()
            number = redis.incr(counter)
            if number == 1:  # no numbering (see start_ticket_numbers)
                bump_version()
                return
            pipeline = redis.pipeline()
            pipeline.hset(name, mapping=dict.fromkeys(screenings, f"{number}:{now}"))
            pipeline.hgetall(name)
            _written, changes = pipeline.execute()
            # A page rendered before a change older than this is no longer kept at all.
            gone = [pk for pk, made in changes.items() if float(made.split(b":")[1]) < now - keep]
            if gone:
                redis.hdel(name, *gone)
            VersionWatcher.announce()
        else:
            cache = caches[CACHE_ALIAS]
            numbered = cache.get(TICKETS_KEY)
            if numbered is None:  # no numbering (see start_ticket_numbers)
                bump_version()
                return
            number, changes = numbered
            number += 1
            changes = {pk: made for pk, made in changes.items() if made[1] >= now - keep}
            changes |= dict.fromkeys(screenings, (number, now))
            cache.set(TICKETS_KEY, (number, changes), timeout=None)
    except Exception:
        LOCAL.clear()  # as bump_version() does without Redis
        logger.warning("page cache: could not record a change of ticket states", exc_info=True)


def read_ticket_changes() -> Tickets:
    if _is_redis():
        name, _counter = _ticket_keys()
        changes = get_redis_connection(CACHE_ALIAS).hgetall(name)
        made = {int(pk): value.split(b":") for pk, value in changes.items()}
        recent = ((int(number), float(when), pk) for pk, (number, when) in made.items())
    else:
        _number, changes = caches[CACHE_ALIAS].get(TICKETS_KEY) or (0, {})
        recent = ((number, when, pk) for pk, (number, when) in changes.items())
    return tuple(sorted(recent, reverse=True))


class ShownScreenings:
    """Which shows the page being rendered lists, told by what lists them (screenings.listing,
    the calendar files), so that its entry can say so."""

    def __init__(self):
        self.local = threading.local()

    @contextlib.contextmanager
    def collecting(self):
        shown = self.local.shown = set()
        try:
            yield shown
        finally:
            self.local.shown = None

    def add(self, screenings) -> None:
        shown = getattr(self.local, "shown", None)
        if shown is not None:
            shown.update(screenings)


SHOWN = ShownScreenings()


def listing(screenings) -> None:
    """Tells the page cache that the page being rendered lists these shows (their ids), with
    their ticket states."""
    SHOWN.add(screenings)


class VersionWatcher:
    """This process's copy of the content version, kept current by Redis publish/subscribe.

    One per process and cache configuration; its thread starts on first use in each process
    (gunicorn forks workers after loading the app, and threads do not survive a fork).
    """

    CONNECTING, LIVE, DOWN = "connecting", "live", "down"
    _instances: dict[tuple, VersionWatcher] = {}
    _lock = threading.Lock()

    def __init__(self, channel: str):
        self.channel = channel
        self.version: str | None = None
        self.tickets: Tickets = ()
        # LIVE while subscribed: then `version` is what Redis holds. DOWN once a connection
        # failed, until one succeeds: requests then leave Redis alone (stale if error).
        self.state = self.CONNECTING

    @property
    def live(self) -> bool:
        return self.state == self.LIVE

    @staticmethod
    def _identity() -> tuple[int, str, str]:
        channel = caches[CACHE_ALIAS].make_key(VERSION_KEY) + ":changed"
        return os.getpid(), channel, str(settings.CACHES[CACHE_ALIAS].get("LOCATION"))

    @classmethod
    def for_this_process(cls) -> VersionWatcher:
        identity = cls._identity()
        with cls._lock:
            watcher = cls._instances.get(identity)
            if watcher is None:
                watcher = cls._instances[identity] = cls(channel=identity[1])
                threading.Thread(
                    target=watcher.watch, name="page-cache-version", daemon=True
                ).start()
        return watcher

    @classmethod
    def announce(cls) -> None:
        """Tells every process, this one at once, that the version or the ticket changes are
        new. A process that only writes (a management command) starts no watcher for it."""
        identity = cls._identity()
        watcher = cls._instances.get(identity)
        if watcher is not None and watcher.live:
            watcher.refresh()
        get_redis_connection(CACHE_ALIAS).publish(identity[1], b"")

    def refresh(self) -> None:
        self.version = caches[CACHE_ALIAS].get(VERSION_KEY)
        self.tickets = read_ticket_changes()

    def watch(self) -> None:
        while True:
            pubsub = None
            try:
                pubsub = get_redis_connection(CACHE_ALIAS).pubsub(ignore_subscribe_messages=True)
                pubsub.subscribe(self.channel)
                pubsub.get_message(timeout=WATCH_INTERVAL)  # the confirmation, read not kept
                # Subscribed first, then read: a change after this read is announced to us.
                self.refresh()
                if self.state == self.DOWN:
                    logger.warning("page cache: Redis answers again; the cache is shared again")
                self.state = self.LIVE
                while True:
                    message = pubsub.get_message(timeout=WATCH_INTERVAL)
                    if message is None:
                        pubsub.ping()  # a broken connection raises here
                    self.refresh()
            except Exception:
                if self.state != self.DOWN:
                    # The alert: the site runs on, degraded (see /readyz and docs/deploy.md).
                    logger.error(
                        "page cache: Redis cannot be reached; serving this process's copies "
                        "and rendering from the database until it is back",
                        exc_info=True,
                    )
                self.state = self.DOWN
                time.sleep(WATCH_INTERVAL / 2)
            finally:
                if pubsub is not None:
                    with contextlib.suppress(Exception):
                        pubsub.close()


def content_version() -> str | None:
    """The current content version: this process's watched copy while it is live, else Redis's;
    None while Redis cannot be reached."""
    if _is_redis():
        watcher = VersionWatcher.for_this_process()
        if watcher.state != VersionWatcher.CONNECTING:
            return watcher.version if watcher.live else None
    return caches[CACHE_ALIAS].get(VERSION_KEY)


_per_version: dict[str, tuple[str, float, object]] = {}


def agreed_version() -> str | None:
    """The content version, set if there is none yet (the first use after a flush or a restart
    of the cache), so that all app servers agree on it; None while Redis is away."""
    version = content_version()
    if version is not None:
        return version
    if _is_redis() and VersionWatcher.for_this_process().state == VersionWatcher.DOWN:
        return None
    try:
        cache = caches[CACHE_ALIAS]
        if cache.add(VERSION_KEY, _new_version(), timeout=None):
            _new_version_set()
        return cache.get(VERSION_KEY)
    except Exception:  # Redis went away just now
        logger.warning("page cache: could not agree on a content version", exc_info=True)
        return None


def per_content_version(name: str, compute):
    """`compute()`'s result, kept in this process until the content version changes, for at most
    as long as a cached page stays fresh (PAGE_CACHE_SECONDS; as long as by default with the
    page cache off, which keeps these all the same): for what pages read on every request, hit or
    miss, such as the choices that say which query parameters are valid."""
    timeout = settings.PAGE_CACHE_SECONDS or PER_VERSION_SECONDS
    version = agreed_version()
    if version is None:
        return compute()
    now = time.monotonic()
    kept = _per_version.get(name)
    if kept is not None and kept[0] == version and now - kept[1] < timeout:
        return kept[2]
    value = compute()
    if len(_per_version) > 64:  # names that carry a date: yesterday's go
        _per_version.clear()
    _per_version[name] = (version, now, value)
    return value


def content_changed(sender, signal=None, instance=None, created=False, **kwargs) -> None:
    """Signal receiver for saves and deletes of content (admin, management commands, shell).

    A show whose ticket state alone changed (the box office at work, every few seconds in a busy
    week) renews only the pages that list it; every other change renews every page."""
    if sender._meta.app_label not in CONTENT_APPS:
        return
    only_ticket_state = getattr(instance, "changes_only_ticket_state", None)
    if signal is post_save and not created and only_ticket_state and only_ticket_state():
        note_ticket_change(instance.pk)
    else:
        note_content_change()


_pending = threading.local()


def note_content_change() -> None:
    """Sets a new version once the change is committed: once per transaction, however many rows
    it wrote (a film saved with its credits and stills is one change). Not before the commit: a
    page another server rendered meanwhile, from the data before it, must not outlive it."""
    _pending.changed = True
    transaction.on_commit(_bump_if_pending)


def note_ticket_change(screening: int) -> None:
    """Renews the pages that list this show once the change is committed (as above)."""
    tickets = getattr(_pending, "tickets", None)
    if tickets is None:
        tickets = _pending.tickets = set()
    tickets.add(screening)
    transaction.on_commit(_bump_if_pending)


def _bump_if_pending() -> None:
    # Each write registered a call; the first after a commit bumps, the rest find nothing to do.
    # A rolled-back transaction leaves its changes pending, which only the next commit can act
    # on. A new version renews every page, those listing a changed show included.
    changed, tickets = getattr(_pending, "changed", False), getattr(_pending, "tickets", None)
    _pending.changed, _pending.tickets = False, None
    if changed:
        bump_version()
    elif tickets:
        renew_pages_listing(tickets)


class ContentQuerySet(models.QuerySet):
    """The query set of every content model: writes that send no signal per row (`update()`,
    `bulk_create()`, `bulk_update()`, as an admin action or an import script would use) still
    tell the page cache."""

    def update(self, **kwargs) -> int:
        rows = super().update(**kwargs)
        if rows:
            note_content_change()
        return rows

    def bulk_create(self, objs, *args, **kwargs):
        created = super().bulk_create(objs, *args, **kwargs)
        if created:
            note_content_change()
        return created

    def bulk_update(self, objs, *args, **kwargs) -> int:
        rows = super().bulk_update(objs, *args, **kwargs)
        if rows:
            note_content_change()
        return rows


class Entry(NamedTuple):
    """A cached page, as kept in Redis and in each process."""

    version: str | None  # None: rendered while Redis was away, in this process only
    headers: tuple
    content: bytes
    etag: str
    last_modified: int  # when it was rendered, seconds since the epoch
    tickets_seen: int  # the number of the last ticket change known when its render began
    screenings: frozenset[int]  # the shows it lists with their ticket states

    @classmethod
    def read(cls, value) -> Entry | None:
        # Entries written by an older release are plain tuples of the same fields.
        if isinstance(value, tuple) and len(value) == len(cls._fields):
            return cls(*value)
        return None

    def age(self) -> float:
        return time.time() - self.last_modified


class LocalCopies:
    """The pages this process served last, least recently used dropped first."""

    def __init__(self, max_bytes: int):
        self.max_bytes = max_bytes
        self.entries: OrderedDict[str, Entry] = OrderedDict()
        self.size = 0
        self.lock = threading.Lock()

    def get(self, key: str) -> Entry | None:
        with self.lock:
            entry = self.entries.get(key)
            if entry is not None:
                self.entries.move_to_end(key)
            return entry

    def put(self, key: str, entry: Entry) -> None:
        size = len(entry.content)
        if size > self.max_bytes // 8:
            return
        with self.lock:
            self._drop(key)
            self.entries[key] = entry
            self.size += size
            while self.size > self.max_bytes:
                _key, dropped = self.entries.popitem(last=False)
                self.size -= len(dropped.content)

    def drop(self, key: str) -> None:
        with self.lock:
            self._drop(key)

    def _drop(self, key: str) -> None:
        previous = self.entries.pop(key, None)
        if previous is not None:
            self.size -= len(previous.content)

    def clear(self) -> None:
        with self.lock:
            self.entries.clear()
            self.size = 0


# This process's copies (with a shared cache; a local-memory cache needs no second copy).
LOCAL = LocalCopies(LOCAL_COPY_BYTES)


class RenderLock:
    """The right to render one page, held by one request across all app servers at a time.

    In Redis, redis-py's lock: SET NX PX to take it, and a check-and-delete that releases it only
    if it is still ours. It expires after LOCK_SECONDS, so a renderer that died (a killed worker,
    a lost machine) keeps others waiting no longer. With the local-memory cache, an atomic add.
    """

    def __init__(self, key: str):
        self.name = caches[CACHE_ALIAS].make_key(f"{key}:rendering")
        self.token = uuid.uuid4().hex
        self.redis_lock = None

    def acquire(self) -> bool:
        if _is_redis():
            self.redis_lock = get_redis_connection(CACHE_ALIAS).lock(
                self.name, timeout=LOCK_SECONDS, blocking=False
            )
            return self.redis_lock.acquire(token=self.token)
        return caches[CACHE_ALIAS].add(self.name, self.token, LOCK_SECONDS, version=0)

    def release(self) -> None:
        try:
            if self.redis_lock is not None:
                self.redis_lock.release()
            elif caches[CACHE_ALIAS].get(self.name, version=0) == self.token:
                caches[CACHE_ALIAS].delete(self.name, version=0)
        except Exception:  # Expired and taken by another, or Redis went away: nothing to undo.
            logger.info("page cache: a render lock was gone before its release", exc_info=True)


class MissBudget:
    """How many pages one client may have rendered for it in a window of MISS_WINDOW seconds.

    Counted in the shared cache (one INCR per render, none per hit), so the budget holds across
    app servers; while Redis is away, each process counts on its own.
    """

    def __init__(self, misses: int):
        self.misses = misses
        self.local: dict[str, int] = {}
        self.local_window = 0

    def spend(self, client: str, shared: bool) -> int | None:
        """Counts one render for `client`: None while within budget, else seconds to wait."""
        if self.misses <= 0:
            return None
        now = time.time()
        window = int(now // MISS_WINDOW)
        key = f"page-cache:misses:{window}:{client}"
        count = None
        if shared:
            cache = caches[CACHE_ALIAS]
            cache.add(key, 0, timeout=MISS_WINDOW + 1)
            with contextlib.suppress(ValueError):  # gone already (a flush): counted locally
                count = cache.incr(key)
        if count is None:
            if window != self.local_window:
                self.local, self.local_window = {}, window
            count = self.local[key] = self.local.get(key, 0) + 1
        if count <= self.misses:
            return None
        return max(1, math.ceil((window + 1) * MISS_WINDOW - now))


class AfterResponse:
    """Work a request leaves for after its answer has been sent: Django sends request_finished
    when the server closes the response, once the last byte is written.

    A stale page's re-render waits for this, so that the request that found the page stale is
    answered at once, with the stale copy like everyone else; only requests that reach the same
    worker while it renders wait, as they would behind any render. One piece of work per
    request at most; work a request left but never ran (its answer was never closed) is dropped
    when the thread's next request starts, and the locks it held expire (LOCK_SECONDS).
    """

    def __init__(self):
        self.pending = threading.local()
        request_started.connect(self.drop, dispatch_uid="page-cache-after-response-drop")
        request_finished.connect(self.run, dispatch_uid="page-cache-after-response-run")

    def defer(self, work) -> None:
        self.pending.work = work

    def drop(self, **kwargs) -> None:
        self.pending.work = None

    def run(self, **kwargs) -> None:
        work = getattr(self.pending, "work", None)
        self.pending.work = None
        if work is not None:
            work()


AFTER_RESPONSE = AfterResponse()


class PageCacheMiddleware:
    def __init__(self, get_response):
        self.get_response = get_response
        # A local-memory cache is in this process already: no second copy of it.
        shared = "LocMemCache" not in settings.CACHES[CACHE_ALIAS]["BACKEND"]
        self.local = LOCAL if shared else None
        self.watched = _is_redis()
        self.timeout = settings.PAGE_CACHE_SECONDS
        self.budget = MissBudget(settings.PAGE_CACHE_CLIENT_MISSES)
        self.languages = frozenset(code for code, _name in settings.LANGUAGES)
        self.personal_cookies = (settings.SESSION_COOKIE_NAME, *PERSONAL_COOKIES)
        self.sessions = import_module(settings.SESSION_ENGINE).SessionStore

    def __call__(self, request: HttpRequest) -> HttpResponse:
        if request.method not in ("GET", "HEAD"):
            return self.get_response(request)
        language = request.path_info.split("/", 2)[1]
        if language not in self.languages:
            return self.get_response(request)
        # Whether cached or not, the page sees only the query parameters it declares.
        query_key = page_query.normalise(request, language)
        if self.timeout <= 0:
            return self.get_response(request)
        if any(name in request.COOKIES for name in self.personal_cookies):
            return self.personal(request)
        key = self.key(request, language, query_key)
        if key is None:
            return self.get_response(request)
        watcher = VersionWatcher.for_this_process() if self.watched else None
        if watcher is not None and watcher.state == VersionWatcher.DOWN:
            return self.without_redis(request, key)
        return self.cached(request, key, watcher)

    def cached(self, request: HttpRequest, key: str, watcher) -> HttpResponse:
        cache = caches[CACHE_ALIAS]
        # While the watcher is subscribed its version is what Redis holds; otherwise ask Redis.
        watched = watcher is not None and watcher.live
        if watched:
            version, tickets = watcher.version, watcher.tickets
        else:
            version = cache.get(VERSION_KEY)  # None if Redis cannot be reached
            try:
                tickets = read_ticket_changes() if version is not None else ()
            except Exception:  # Redis went away just now: as if it held no version
                version, tickets = None, ()
        entry, fresh = self.lookup(cache, key, version, tickets)
        if not fresh and watched:
            # The watcher may be an announcement behind (it is told after the commit): ask
            # Redis before rendering, so the page is found or kept under the newest version.
            latest = cache.get(VERSION_KEY)
            if latest != version:
                version = latest
                entry, fresh = self.lookup(cache, key, version, tickets)
        if fresh:
            return self.from_entry(request, entry, "hit")
        if entry is None:
            return self.render(request, key, version, tickets, shared=True)
        if request.method == "HEAD":
            return self.from_entry(request, entry, "stale")
        # This machine's turn first (unless the page has waited long enough), then the page's.
        waited = self.stale_for(entry, version, tickets)
        turn = RenderLock(MACHINE_KEY) if waited < MACHINE_WAIT else None
        lock = RenderLock(key)
        taken = []
        try:
            for needed in filter(None, (turn, lock)):
                if not needed.acquire():
                    break
                taken.append(needed)
        except Exception:  # Redis just went away: render, as without a cache.
            logger.warning("page cache: could not take a render lock", exc_info=True)
            for held in taken:
                held.release()
            return self.render(request, key, version, tickets, shared=True, replacing=entry)
        if lock not in taken:
            # The machine renders another page, or another request renders this one.
            for held in taken:
                held.release()
            return self.from_entry(request, entry, "stale")
        # This visitor too gets the stale page, at once; the page is rendered once the answer
        # has gone out, and the locks are released when that is done.
        AFTER_RESPONSE.defer(lambda: self.refresh(request, key, version, tickets, entry, taken))
        return self.from_entry(request, entry, "stale")

    def refresh(self, request, key, version, tickets, stale: Entry, held: list[RenderLock]):
        """Renders and keeps a page whose stale copy was just served (see AfterResponse)."""
        try:
            self.render(request, key, version, tickets, shared=True, replacing=stale)
        except Exception:  # The visitor was answered already; the next request tries again.
            logger.exception("page cache: could not re-render a stale page")
        finally:
            for lock in held:
                lock.release()

    def without_redis(self, request: HttpRequest, key: str) -> HttpResponse:
        """Stale if error: this process's copies stand in for the shared cache it cannot reach."""
        entry = self.local.get(key)
        if entry is not None and entry.age() < self.timeout:
            return self.from_entry(request, entry, "stale")
        return self.render(request, key, None, (), shared=False, replacing=entry)

    def personal(self, request: HttpRequest) -> HttpResponse:
        """Logged-in staff see every page as it is now. A cookie alone proves nothing: a request
        whose session has no user counts against its client's budget like any render."""
        if not self.signed_in(request):
            limited = self.over_budget(request, replacing=None, shared=True)
            if limited is not None:
                return limited
        response = self.get_response(request)
        patch_cache_control(response, private=True)
        return response

    def signed_in(self, request: HttpRequest) -> bool:
        session_key = request.COOKIES.get(settings.SESSION_COOKIE_NAME)
        return bool(session_key) and SESSION_USER_KEY in self.sessions(session_key)

    def over_budget(self, request, replacing: Entry | None, shared: bool) -> HttpResponse | None:
        """The answer for a client that has had its share of renders, if it has."""
        wait = self.budget.spend(client_ip(request), shared)
        if wait is None:
            return None
        if replacing is not None:
            return self.from_entry(request, replacing, "stale")
        response = too_many_requests(wait)
        response[CACHE_STATUS_HEADER] = "limited"
        return response

    def render(self, request, key, version, tickets: Tickets, shared: bool, replacing=None):
        limited = self.over_budget(request, replacing, shared)
        if limited is not None:
            return limited
        # Known before the data is read: a change made meanwhile makes the page stale again.
        seen = tickets[0][0] if tickets else 0
        with SHOWN.collecting() as shown:
            response = self.get_response(request)
        if request.method != "GET":
            return response
        if self.storable(request, response):
            return self.store(request, response, key, version, shared, seen, frozenset(shown))
        if replacing is not None:
            # The address no longer gives a page to keep (deleted, withdrawn): nobody may be
            # served the old one while the next request renders it again.
            if shared:
                caches[CACHE_ALIAS].delete(key)
            if self.local is not None:
                self.local.drop(key)
        return response

    def lookup(self, cache, key: str, version, tickets: Tickets) -> tuple[Entry | None, bool]:
        """The newest entry kept for `key` (this process's copy, else the shared one), and
        whether it is fresh: rendered under `version` less than PAGE_CACHE_SECONDS ago, and
        after the last change of the ticket state of any show it lists."""
        local = self.local.get(key) if self.local is not None else None
        if local is not None and self.fresh(local, version, tickets):
            return local, True
        shared = Entry.read(cache.get(key))
        if shared is not None and self.fresh(shared, version, tickets):
            if self.local is not None:
                self.local.put(key, shared)
            return shared, True
        kept = [entry for entry in (local, shared) if entry is not None]
        newest = max(kept, key=lambda entry: entry.last_modified, default=None)
        if newest is not None and newest.age() >= self.timeout * STALE_FACTOR:
            return None, False
        return newest, False

    def stale_for(self, entry: Entry, version: str | None, tickets: Tickets) -> float:
        """How long `entry` has been out of date, in seconds (infinite if that is not known)."""
        if entry.version == version:
            changed = self.ticket_changed(entry, tickets)
            if changed is not None:
                return time.time() - changed
            return entry.age() - self.timeout  # expired by time
        made = _version_time(version)
        return time.time() - made if made is not None else math.inf

    def fresh(self, entry: Entry, version: str | None, tickets: Tickets) -> bool:
        return (
            version is not None
            and entry.version == version
            and entry.age() < self.timeout
            and self.ticket_changed(entry, tickets) is None
        )

    @staticmethod
    def ticket_changed(entry: Entry, tickets: Tickets) -> float | None:
        """When the ticket state of a show `entry` lists last changed after its render began."""
        for number, when, screening in tickets:  # newest first, down to those it had seen
            if number <= entry.tickets_seen:
                return None
            if screening in entry.screenings:
                return when
        return None

    def key(self, request: HttpRequest, language: str, query_key: str) -> str | None:
        try:
            host = request.get_host()
        except DisallowedHost:
            return None  # The inner stack answers 400; nothing of it is cached.
        # GZipMiddleware, inside this one, compresses for browsers that accept gzip: those get
        # the compressed page, kept apart, so a hit is never compressed again.
        encoding = (
            "gzip" if re_accepts_gzip.search(request.META.get("HTTP_ACCEPT_ENCODING", "")) else ""
        )
        address = f"{request.scheme}://{host}{request.path}?{query_key}"
        digest = hashlib.blake2b(address.encode(), digest_size=16).hexdigest()
        return f"page-cache:{language}:{encoding}:{digest}"

    def storable(self, request: HttpRequest, response: HttpResponse) -> bool:
        if response.status_code != 200 or response.streaming or response.cookies:
            return False
        if request.META.get("CSRF_COOKIE_NEEDS_UPDATE"):
            return False  # The page holds a CSRF token, which is personal.
        cache_control = response.get("Cache-Control", "")
        return "private" not in cache_control and "no-store" not in cache_control

    def store(
        self, request, response, key, version, shared: bool, seen: int, shown: frozenset
    ) -> HttpResponse:
        cache = caches[CACHE_ALIAS]
        if shared and version is None:
            version = agreed_version()
        content = response.content
        etag = '"' + hashlib.blake2b(content, digest_size=16).hexdigest() + '"'
        last_modified = int(time.time())
        response["ETag"] = etag
        response["Last-Modified"] = http_date(last_modified)
        patch_cache_control(response, public=True, max_age=0, must_revalidate=True)
        entry = Entry(version, tuple(response.items()), content, etag, last_modified, seen, shown)
        if shared and version is not None:
            # Kept past its freshness, to stand in while the next version is rendered.
            cache.set(key, entry, self.timeout * STALE_FACTOR)
        if self.local is not None and (version is not None or not shared):
            self.local.put(key, entry)
        response[CACHE_STATUS_HEADER] = "miss"
        return self.conditional(request, response, etag, last_modified)

    def from_entry(self, request: HttpRequest, entry: Entry, status: str) -> HttpResponse:
        response = HttpResponse(entry.content, headers=dict(entry.headers))
        response[CACHE_STATUS_HEADER] = status
        return self.conditional(request, response, entry.etag, entry.last_modified)

    @staticmethod
    def conditional(request, response, etag, last_modified) -> HttpResponse:
        meta = request.META
        if "HTTP_IF_NONE_MATCH" in meta or "HTTP_IF_MODIFIED_SINCE" in meta:
            return get_conditional_response(
                request, etag=etag, last_modified=last_modified, response=response
            )
        return response
