"""The page cache: anonymous visitor pages served from the shared cache, invalidated by staff edits.

One entry per scheme, host, language, path and what the page makes of its query string (see
eye_site/page_query.py: parameters the page does not read are dropped). An entry remembers the content
version it was rendered under; a staff save or delete anywhere in the content apps sets a new
version, so every app server sees the change on its next request. A hit costs no database query
and is answered before sessions, the locale, CSRF or the user are looked at.

With Redis, each process keeps its most recent pages and the current version in memory, so a hit
costs no round trip either: a watcher thread subscribes to a Redis channel on which every new
version is announced, and reads the version again when told (and every few seconds, which also
notices a flushed or restarted Redis). While the watcher is not connected, each request reads the
version from Redis as before.

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
import os
import threading
import time
import uuid
from collections import OrderedDict

from django.conf import settings
from django.core.cache import caches
from django.core.exceptions import DisallowedHost
from django.db import models, transaction
from django.http import HttpRequest, HttpResponse
from django.middleware.gzip import re_accepts_gzip
from django.utils.cache import get_conditional_response, patch_cache_control
from django.utils.http import http_date
from django_redis import get_redis_connection

from eye_site import page_query

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


def _new_version() -> str:
    return uuid.uuid4().hex


def _is_redis() -> bool:
    return settings.CACHES[CACHE_ALIAS]["BACKEND"] == "django_redis.cache.RedisCache"


def bump_version() -> None:
    """Makes every cached page stale, on all app servers at once."""
    try:
        version = _new_version()
        caches[CACHE_ALIAS].set(VERSION_KEY, version, timeout=None)
        if _is_redis():
            VersionWatcher.announce(version)
    except Exception:  # A cache that is down holds no stale pages either.
        logger.warning("page cache: could not set a new version", exc_info=True)


class VersionWatcher:
    """This process's copy of the content version, kept current by Redis publish/subscribe.

    One per process and cache configuration; its thread starts on first use in each process
    (gunicorn forks workers after loading the app, and threads do not survive a fork).
    """

    _instances: dict[tuple, VersionWatcher] = {}
    _lock = threading.Lock()

    def __init__(self, channel: str):
        self.channel = channel
        self.version: str | None = None
        self.live = False  # True while subscribed: then `version` is what Redis holds.

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
    def announce(cls, version: str) -> None:
        """Tells every process, this one at once, that the version is now `version`. A process
        that only writes (a management command) starts no watcher of its own for it."""
        identity = cls._identity()
        watcher = cls._instances.get(identity)
        if watcher is not None and watcher.live:
            watcher.version = version
        get_redis_connection(CACHE_ALIAS).publish(identity[1], b"")

    def refresh(self) -> None:
        self.version = caches[CACHE_ALIAS].get(VERSION_KEY)

    def watch(self) -> None:
        while True:
            pubsub = None
            try:
                pubsub = get_redis_connection(CACHE_ALIAS).pubsub(ignore_subscribe_messages=True)
                pubsub.subscribe(self.channel)
                pubsub.get_message(timeout=WATCH_INTERVAL)  # the confirmation, read not kept
                # Subscribed first, then read: a change after this read is announced to us.
                self.refresh()
                self.live = True
                while True:
                    message = pubsub.get_message(timeout=WATCH_INTERVAL)
                    if message is None:
                        pubsub.ping()  # a broken connection raises here
                    self.refresh()
            except Exception:
                if self.live:
                    logger.warning("page cache: version watcher lost Redis", exc_info=True)
                self.live = False
                time.sleep(WATCH_INTERVAL / 2)
            finally:
                if pubsub is not None:
                    with contextlib.suppress(Exception):
                        pubsub.close()


def content_version() -> str | None:
    """The current content version: this process's watched copy while it is live, else Redis's."""
    if _is_redis():
        watcher = VersionWatcher.for_this_process()
        if watcher.live:
            return watcher.version
    return caches[CACHE_ALIAS].get(VERSION_KEY)


_per_version: dict[str, tuple[str, float, object]] = {}


def per_content_version(name: str, compute):
    """`compute()`'s result, kept in this process until the content version changes or a cached
    page would expire (PAGE_CACHE_SECONDS): for what pages read on every request, hit or miss,
    such as the choices that say which query parameters are valid."""
    timeout = settings.PAGE_CACHE_SECONDS
    version = content_version() if timeout > 0 else None
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


def content_changed(sender, **kwargs) -> None:
    """Signal receiver for saves and deletes of content (admin, management commands, shell)."""
    if sender._meta.app_label in CONTENT_APPS:
        note_content_change()


_pending = threading.local()


def note_content_change() -> None:
    """Sets a new version once the change is committed: once per transaction, however many rows
    it wrote (a film saved with its credits and stills is one change). Not before the commit: a
    page another server rendered meanwhile, from the data before it, must not outlive it."""
    _pending.changed = True
    transaction.on_commit(_bump_if_pending)


def _bump_if_pending() -> None:
    # Each write registered a call; the first after a commit bumps, the rest find nothing to do.
    # A rolled-back transaction leaves the flag set, which only the next commit can act on.
    if getattr(_pending, "changed", False):
        _pending.changed = False
        bump_version()


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


class LocalCopies:
    """The pages this process served last, least recently used dropped first."""

    def __init__(self, max_bytes: int):
        self.max_bytes = max_bytes
        self.entries: OrderedDict[str, tuple] = OrderedDict()
        self.size = 0
        self.lock = threading.Lock()

    def get(self, key: str):
        with self.lock:
            entry = self.entries.get(key)
            if entry is not None:
                self.entries.move_to_end(key)
            return entry

    def put(self, key: str, entry: tuple) -> None:
        size = len(entry[2])
        if size > self.max_bytes // 8:
            return
        with self.lock:
            previous = self.entries.pop(key, None)
            if previous is not None:
                self.size -= len(previous[2])
            self.entries[key] = entry
            self.size += size
            while self.size > self.max_bytes:
                _key, dropped = self.entries.popitem(last=False)
                self.size -= len(dropped[2])


class PageCacheMiddleware:
    def __init__(self, get_response):
        self.get_response = get_response
        # A local-memory cache is in this process already: no second copy of it.
        shared = "LocMemCache" not in settings.CACHES[CACHE_ALIAS]["BACKEND"]
        self.local = LocalCopies(LOCAL_COPY_BYTES) if shared else None
        self.watched = _is_redis()
        self.timeout = settings.PAGE_CACHE_SECONDS
        self.languages = frozenset(code for code, _name in settings.LANGUAGES)
        self.personal_cookies = (settings.SESSION_COOKIE_NAME, *PERSONAL_COOKIES)

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
        cookies = request.COOKIES
        if any(name in cookies for name in self.personal_cookies):
            response = self.get_response(request)
            patch_cache_control(response, private=True)
            return response
        key = self.key(request, language, query_key)
        if key is None:
            return self.get_response(request)

        cache = caches[CACHE_ALIAS]
        watcher = VersionWatcher.for_this_process() if self.watched else None
        # While the watcher is subscribed its version is what Redis holds; otherwise ask Redis.
        watched = watcher is not None and watcher.live
        version = watcher.version if watched else cache.get(VERSION_KEY)
        entry = self.lookup(cache, key, version)
        if entry is None and watched:
            # The watcher may be an announcement behind (two follow each other on every save):
            # before rendering, ask Redis, so the page is found or kept under the newest version.
            latest = cache.get(VERSION_KEY)
            if latest != version:
                version = latest
                entry = self.lookup(cache, key, version)
        if entry is not None:
            return self.from_entry(request, entry)

        response = self.get_response(request)
        if request.method == "GET" and self.storable(request, response):
            return self.store(request, response, cache, key, version)
        return response

    def lookup(self, cache, key: str, version: str | None):
        """The entry kept for `key` under `version`: this process's copy, else the shared one."""
        if version is None:
            return None
        local = self.local.get(key) if self.local is not None else None
        if local is not None and local[0] == version and time.time() - local[4] < self.timeout:
            return local
        entry = cache.get(key)
        if entry is None or entry[0] != version:
            return None
        if self.local is not None:
            self.local.put(key, entry)
        return entry

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

    def store(self, request, response, cache, key, version) -> HttpResponse:
        if version is None:
            # First page after a flush or a restart of the cache: agree on one version.
            added = cache.add(VERSION_KEY, _new_version(), timeout=None)
            version = cache.get(VERSION_KEY)
            if added and self.watched:
                VersionWatcher.announce(version)
        content = response.content
        etag = '"' + hashlib.blake2b(content, digest_size=16).hexdigest() + '"'
        last_modified = int(time.time())
        response["ETag"] = etag
        response["Last-Modified"] = http_date(last_modified)
        patch_cache_control(response, public=True, max_age=0, must_revalidate=True)
        if version is not None:
            entry = (version, tuple(response.items()), content, etag, last_modified)
            cache.set(key, entry, self.timeout)
            if self.local is not None:
                self.local.put(key, entry)
        response[CACHE_STATUS_HEADER] = "miss"
        return self.conditional(request, response, etag, last_modified)

    def from_entry(self, request: HttpRequest, entry) -> HttpResponse:
        _version, headers, content, etag, last_modified = entry
        response = HttpResponse(content, headers=dict(headers))
        response[CACHE_STATUS_HEADER] = "hit"
        return self.conditional(request, response, etag, last_modified)

    @staticmethod
    def conditional(request, response, etag, last_modified) -> HttpResponse:
        meta = request.META
        if "HTTP_IF_NONE_MATCH" in meta or "HTTP_IF_MODIFIED_SINCE" in meta:
            return get_conditional_response(
                request, etag=etag, last_modified=last_modified, response=response
            )
        return response
