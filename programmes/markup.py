"""HTML the visitor pages ask for: the language of a translated text, responsive pictures."""

from __future__ import annotations

import contextlib
import contextvars
import hashlib
from typing import NamedTuple

from django.conf import settings
from django.core.cache import caches
from django.utils.html import format_html
from django.utils.safestring import mark_safe
from django.utils.translation import get_language
from PIL import features
from sorl.thumbnail import get_thumbnail


def lang_attr(obj, field: str) -> str:
    """` lang="nl"` where the page's language has no text and the Dutch one stands in."""
    language = get_language()
    if getattr(obj, f"{field}_{language}", None):
        return ""
    for code, _name in settings.LANGUAGES:
        if code != language and getattr(obj, f"{field}_{code}", None):
            return format_html(' lang="{}"', code)
    return ""


def languages_in_turn() -> list[str]:
    """The page's language first, then the others in the site's order: where a translated text
    is missing, the next one with a text stands in (as modeltranslation's fallbacks do)."""
    language = get_language()
    return [language] + [code for code, _name in settings.LANGUAGES if code != language]


def translated(row: dict, field: str, languages: list[str]) -> tuple[str, str]:
    """A translated text of a row read as values (`field_nl`, `field_en`) and, where another
    language's text stands in, its lang attribute (as lang_attr() gives it)."""
    for position, code in enumerate(languages):
        text = row[f"{field}_{code}"]
        if text:
            return text, format_html(' lang="{}"', code) if position else ""
    return "", ""


CAN_WRITE_AVIF = features.check("avif")


class Slot(NamedTuple):
    """A place pictures show in: its width on screen (`sizes`, as site.css lays it out), the
    rendition widths offered for it (none exceeds the original: THUMBNAIL_UPSCALE is off), the
    shape it crops to, an aspect ratio such as "16x9" ("" keeps the image's own), and whether an
    AVIF is offered beside the WebP."""

    sizes: str
    widths: tuple[int, ...]
    crop: str = ""
    avif: bool = True


# Each ladder gives common phones (360 to 412 px wide, 1.75 to 3 device pixels a CSS pixel) a file
# at most 1.25 times the pixels they show; tests/browser/test_images.py measures two of them.
SLOTS = {
    # The top of a programme's or an event's page, and the home page's lead programme, wider.
    "hero": Slot("100vw", (640, 800, 960, 1280, 1920), "16x9"),
    "home_hero": Slot("100vw", (640, 800, 960, 1280, 1920), "21x9"),
    "card": Slot(
        "(min-width: 60em) 15rem, calc(50vw - 1.5rem)", (240, 320, 400, 480, 540, 640), "2x3"
    ),
    "wide_card": Slot(
        "(min-width: 60em) 24rem, calc(100vw - 2rem)", (480, 560, 680, 800, 960, 1080), "16x9"
    ),
    "poster": Slot("(min-width: 60em) 20rem, 12rem", (200, 320, 400, 640)),
    # A row's 3-4rem thumbnail, of which a browser downloads one file: 96 px serves phones up to
    # 2x (and desktops at 1x), 144 px phones at 3x and desktops at 2x. No AVIF: at these sizes
    # it came out 14-40% larger than the WebP on photographs (quality 80 both), so it only
    # lengthened every row's markup.
    "row_poster": Slot("(min-width: 40em) 4rem, 3rem", (96, 144), "2x3", avif=False),
    "still": Slot(
        "(min-width: 60em) 35rem, (min-width: 40em) calc(50vw - 2rem), calc(100vw - 2rem)",
        (480, 800, 1200),
    ),
}


# The slots each image field's pictures show in: a poster in agenda rows, on cards and on its
# film's page, and on an event's card when the event has no image or still of its own; and so on.
# draw_renditions() makes them all when an image is saved, on the queue (programmes.pictures).
SHOWN_AS = {
    "programmes.Film.poster": ("row_poster", "card", "poster", "wide_card"),
    "programmes.Still.image": ("still", "hero", "wide_card"),
    "programmes.Programme.campaign_image": ("home_hero", "hero", "wide_card"),
    # An event's image is also its poster in agenda rows (screenings.listing).
    "programmes.Event.image": ("hero", "wide_card", "row_poster"),
}
# The picture link previews show (Open Graph): the size Facebook and LinkedIn ask for.
OG_IMAGE_GEOMETRY = "1200x630"
# The admin's preview of an image (lists and forms), sharp at twice the 80 pixels it is shown at.
ADMIN_PREVIEW_GEOMETRY = "x160"


class Renditions(NamedTuple):
    """What a <picture> needs of one image: a srcset per modern format, and one JPEG."""

    avif: str
    webp: str
    url: str
    width: int
    height: int


class Shown(NamedTuple):
    """One picture file and its size: the Open Graph image, the admin's preview, an original."""

    url: str
    width: int
    height: int


def draw_renditions(image) -> dict:
    """Draw every file the pages and the admin will ask of this image (SHOWN_AS, the Open Graph
    and admin pictures); what they need to name them, as stored by programmes.pictures. Slow:
    it runs on the queue, never in a request."""
    drawn = {slot: _make_renditions(image, SLOTS[slot]) for slot in SHOWN_AS[str(image.field)]}
    og = get_thumbnail(image, OG_IMAGE_GEOMETRY, crop="center", format="JPEG", quality=82)
    admin = get_thumbnail(image, ADMIN_PREVIEW_GEOMETRY, format="JPEG", quality=80)
    drawn["og"] = Shown(og.url, og.width, og.height)
    drawn["admin"] = Shown(admin.url, admin.width, admin.height)
    return {name: list(value) for name, value in drawn.items()}


def _make_renditions(image, slot: Slot) -> Renditions:
    def rendition(width: int, image_format: str):
        # Upscaling is off in settings, so a small original yields renditions at its own size.
        if slot.crop:
            ratio_w, ratio_h = slot_ratio(slot)
            geometry = f"{width}x{round(width * ratio_h / ratio_w)}"
            return get_thumbnail(image, geometry, format=image_format, quality=80, crop="center")
        return get_thumbnail(image, str(width), format=image_format, quality=80)

    def renditions(image_format: str) -> list[tuple[int, object]]:
        """(width asked for, rendition) per distinct width: a small original yields repeats."""
        by_width = {}
        for width in slot.widths:
            thumb = rendition(width, image_format)
            by_width.setdefault(thumb.width, (width, thumb))
        return list(by_width.values())

    # AVIF only where this Pillow can write it; browsers without it take WebP. Every browser that
    # reads srcset also reads WebP, so the JPEG is only the plain `src` of the rest: one middle
    # width, not a ladder of its own (a third fewer bytes of markup, a third fewer files to make).
    avif = renditions("AVIF") if CAN_WRITE_AVIF and slot.avif else []
    webp = renditions("WEBP")
    middle, _thumb = webp[len(webp) // 2]
    fallback = rendition(middle, "JPEG")
    return Renditions(
        avif=_srcset(avif),
        webp=_srcset(webp),
        url=fallback.url,
        width=fallback.width,
        height=fallback.height,
    )


def _srcset(renditions) -> str:
    """Plain text; format_html() escapes it where it is written into a page."""
    return ", ".join(f"{r.url} {r.width}w" for _asked, r in renditions)


def slot_ratio(slot: Slot) -> tuple[int, int]:
    ratio_w, ratio_h = (int(part) for part in slot.crop.split("x"))
    return ratio_w, ratio_h


# ---- What the pages read: the renditions drawn so far, never drawing one themselves.


class Prepared(NamedTuple):
    """What is known of an image's renditions (programmes.models.ImagePreparation)."""

    status: str
    width: int | None
    height: int | None
    renditions: dict


READY = "ready"
FAILED = "failed"
# How long a page may go on believing an image is still being drawn. Its pages are not kept in
# the page cache meanwhile (pending_pictures), so this bounds how soon they show the new files,
# also where each process has a cache of its own (local memory, as with `make run`).
PENDING_SECONDS = 10


def prepared_key(name: str) -> str:
    return "picture:" + hashlib.sha256(name.encode()).hexdigest()


# Ready images per (storage, image name), kept for the life of the process: an image's name
# never points at other pixels (a new upload gets a new name), so the answer cannot go stale.
# The storage's location is in the key so a test's fresh MEDIA_ROOT starts empty.
_prepared: dict[tuple, Prepared] = {}
RENDITIONS_KEPT = 4096


def prepared(image) -> Prepared | None:
    """The state of this image's renditions: from this process's memory, the cache, or (once
    per PENDING_SECONDS while it is not ready) the database. None if it was never queued."""
    key = (getattr(image.storage, "location", ""), image.name)
    found = _prepared.get(key)
    if found is not None:
        return found
    cache = caches["default"]
    cached = cache.get(prepared_key(image.name))
    if cached is None:
        from .models import ImagePreparation

        row = (
            ImagePreparation.objects.filter(name=image.name)
            .values_list("status", "width", "height", "renditions")
            .first()
        )
        cached = Prepared(*row) if row else Prepared("", None, None, {})
        cache.set(prepared_key(image.name), tuple(cached), remember_for(cached.status))
    found = Prepared(*cached)
    if found.status == READY:
        if len(_prepared) >= RENDITIONS_KEPT:
            _prepared.clear()
        _prepared[key] = found
    return found


def remember_for(status: str) -> int | None:
    """How long the cache keeps an image's state: for good once ready."""
    return None if status == READY else PENDING_SECONDS


def renditions_of(image, slot: str) -> Renditions | None:
    """The drawn renditions of this image for this slot, or None while they are not drawn."""
    found = prepared(image)
    drawn = found.renditions.get(slot) if found.status == READY else None
    return Renditions(*drawn) if drawn else None


def og_image(image) -> Shown:
    """The picture a page names in og:image (programmes.views.PageMixin): the drawn JPEG of the
    size link previews ask for, or until it is drawn the original."""
    found = prepared(image)
    if found.status == READY and "og" in found.renditions:
        return Shown(*found.renditions["og"])
    return original(image, found)


def admin_preview(image) -> Shown | None:
    """The admin's small picture of an image, once drawn."""
    found = prepared(image)
    if found.status == READY and "admin" in found.renditions:
        return Shown(*found.renditions["admin"])
    return None


def original(image, found: Prepared) -> Shown:
    """The uploaded file itself, with the size a browser shows it at. A page showing it is not
    kept in the page cache while the renditions are being drawn (pending_pictures)."""
    if found.status != FAILED:
        _pending.set(True)
    if found.width and found.height:
        return Shown(image.url, found.width, found.height)
    # Never queued (saved before pictures were drawn on the queue): the file's header says.
    try:
        return Shown(image.url, image.width, image.height)
    except (OSError, ValueError, TypeError):  # missing or unreadable: nothing to show
        return Shown(image.url, 0, 0)


_pending: contextvars.ContextVar[bool] = contextvars.ContextVar("pending_pictures", default=False)


@contextlib.contextmanager
def pending_pictures():
    """Within this block, yields a function that says whether anything written showed a picture
    whose renditions are still being drawn."""
    token = _pending.set(False)
    try:
        yield _pending.get
    finally:
        _pending.reset(token)


def picture(image, alt: str, slot: str, eager: bool = False, css_class: str = ""):
    """A <picture> with AVIF, WebP and JPEG renditions, width and height set, lazy unless eager.

    `slot` names where it shows, and so its sizes and shape (SLOTS).
    Only the first image above the fold should be `eager` (it also gets fetchpriority="high").
    Until the renditions are drawn it is the original, scaled by the browser (stand_in()).
    """
    if not image:
        return ""
    # A listing shows the same poster in many rows: the finished element is kept like the
    # renditions it names (format_html() escaping every part cost 25 µs a row).
    key = (getattr(image.storage, "location", ""), image.name, alt, slot, eager, css_class)
    found = _pictures.get(key)
    if found is None:
        sources = renditions_of(image, slot)
        if sources is None:
            return stand_in(image, alt, SLOTS[slot], eager, css_class)
        if len(_pictures) >= RENDITIONS_KEPT:
            _pictures.clear()
        found = _pictures[key] = _picture(sources, alt, SLOTS[slot], eager, css_class)
    return found


_pictures: dict[tuple, str] = {}


def _picture(sources: Renditions, alt: str, slot: Slot, eager: bool, css_class: str) -> str:
    sizes = slot.sizes
    loading = "eager" if eager else "lazy"
    priority = mark_safe(' fetchpriority="high"') if eager else ""
    avif_source = (
        format_html('<source type="image/avif" srcset="{}" sizes="{}">', sources.avif, sizes)
        if sources.avif
        else ""
    )
    return format_html(
        '<picture>{}<source type="image/webp" srcset="{}" sizes="{}">'
        '<img src="{}" width="{}" height="{}" alt="{}" loading="{}" decoding="async"{}{}></picture>',
        avif_source,
        sources.webp,
        sizes,
        sources.url,
        sources.width,
        sources.height,
        alt,
        loading,
        priority,
        format_html(' class="{}"', css_class) if css_class else "",
    )


def stand_in(image, alt: str, slot: Slot, eager: bool, css_class: str) -> str:
    """The original file, scaled by the browser, until its renditions are drawn.

    Chosen over the nearest rendition already drawn: the original always exists and is always
    the right picture, while a drawn neighbour exists only for the seconds between a job's first
    file and its last, and finding one would cost the page a lookup per candidate. The price,
    a large download, is paid only in the seconds a worker takes, mostly by the editor who just
    saved it. width and height give the box its final shape at once: the slot's middle width,
    and the slot's crop (site.css crops to it: .picture--16x9) or the original's proportions.
    """
    shown = original(image, prepared(image))
    if not shown.width:
        return ""
    width = min(slot.widths[len(slot.widths) // 2], shown.width)
    if slot.crop:
        ratio_w, ratio_h = slot_ratio(slot)
        crop_class = f"picture--{slot.crop}"
    else:
        ratio_w, ratio_h = shown.width, shown.height
        crop_class = ""
    classes = " ".join(name for name in (css_class, crop_class) if name)
    return format_html(
        '<img src="{}" width="{}" height="{}" alt="{}" loading="{}" decoding="async"{}{}>',
        shown.url,
        width,
        round(width * ratio_h / ratio_w),
        alt,
        "eager" if eager else "lazy",
        mark_safe(' fetchpriority="high"') if eager else "",
        format_html(' class="{}"', classes) if classes else "",
    )
