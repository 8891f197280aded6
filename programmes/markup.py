"""HTML the visitor pages ask for: the language of a translated text, responsive pictures."""

from __future__ import annotations

import time
from typing import NamedTuple

from django.conf import settings
from django.utils.html import format_html, format_html_join
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
# draw_renditions() makes them all when an editor saves an image.
SHOWN_AS = {
    "programmes.Film.poster": ("row_poster", "card", "poster", "wide_card"),
    "programmes.Still.image": ("still", "hero", "wide_card"),
    "programmes.Programme.campaign_image": ("home_hero", "hero", "wide_card"),
    # An event's image is also its poster in agenda rows (screenings.listing).
    "programmes.Event.image": ("hero", "wide_card", "row_poster"),
}
# The picture link previews show (Open Graph): the size Facebook and LinkedIn ask for.
OG_IMAGE_GEOMETRY = "1200x630"


def og_image(image):
    """The JPEG a page names in og:image (programmes.views.PageMixin)."""
    return get_thumbnail(image, OG_IMAGE_GEOMETRY, crop="center", format="JPEG", quality=82)


# An editor's save waits this long at most for the pictures of its new images (about 3 s each on a
# two-core machine); any left are drawn on the first request that asks for them.
DRAWING_BUDGET_SECONDS = 10


def draw_renditions(images) -> None:
    """Make every file the pages will ask of these images (SHOWN_AS, og_image), so that the first
    visitor of a page with a new image is not the one who waits for them to be drawn."""
    deadline = time.monotonic() + DRAWING_BUDGET_SECONDS
    for image in images:
        if time.monotonic() > deadline:
            return
        for slot in SHOWN_AS[str(image.field)]:
            renditions_of(image, SLOTS[slot])
        og_image(image)


class Renditions(NamedTuple):
    """What a <picture> needs of one image: a srcset per modern format, and one JPEG."""

    avif: str
    webp: str
    url: str
    width: int
    height: int


# Renditions per (storage, image name, slot), computed once per process: asking sorl
# costs a cache round trip per rendition (six to twelve per picture, 300 on the agenda), while
# an image's name never points at other pixels (a new upload gets a new name), so the answer
# cannot go stale. The storage's location is in the key so a test's fresh MEDIA_ROOT starts empty.
_renditions: dict[tuple, Renditions] = {}
RENDITIONS_KEPT = 4096


def renditions_of(image, slot: Slot) -> Renditions:
    key = (getattr(image.storage, "location", ""), image.name, slot)
    found = _renditions.get(key)
    if found is None:
        if len(_renditions) >= RENDITIONS_KEPT:
            _renditions.clear()
        found = _renditions[key] = _make_renditions(image, slot)
    return found


def _make_renditions(image, slot: Slot) -> Renditions:
    def rendition(width: int, image_format: str):
        # Upscaling is off in settings, so a small original yields renditions at its own size;
        # sorl keeps the source's size in its key-value store, so this reads no file when warm.
        if slot.crop:
            ratio_w, ratio_h = (int(part) for part in slot.crop.split("x"))
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
        avif=_srcset(avif) if avif else "",
        webp=_srcset(webp),
        url=fallback.url,
        width=fallback.width,
        height=fallback.height,
    )


def picture(image, alt: str, slot: str, eager: bool = False, css_class: str = ""):
    """A <picture> with AVIF, WebP and JPEG renditions, width and height set, lazy unless eager.

    `slot` names where it shows, and so its sizes and shape (SLOTS).
    Only the first image above the fold should be `eager` (it also gets fetchpriority="high").
    """
    if not image:
        return ""
    # A listing shows the same poster in many rows: the finished element is kept like the
    # renditions it names (format_html() escaping every part cost 25 µs a row).
    key = (getattr(image.storage, "location", ""), image.name, alt, slot, eager, css_class)
    found = _pictures.get(key)
    if found is None:
        if len(_pictures) >= RENDITIONS_KEPT:
            _pictures.clear()
        found = _pictures[key] = _picture(image, alt, SLOTS[slot], eager, css_class)
    return found


_pictures: dict[tuple, str] = {}


def _picture(image, alt: str, slot: Slot, eager: bool, css_class: str) -> str:
    sizes = slot.sizes
    sources = renditions_of(image, slot)
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


def _srcset(renditions) -> str:
    return format_html_join(", ", "{} {}w", ((r.url, r.width) for _asked, r in renditions))
