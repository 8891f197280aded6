"""Deterministic, Pillow-only demo artwork: constructivist posters, film stills, campaign banner."""

from __future__ import annotations

import io
import math
import random
from functools import lru_cache
from pathlib import Path

from PIL import Image, ImageChops, ImageDraw, ImageFilter, ImageFont

Font = ImageFont.FreeTypeFont | ImageFont.ImageFont
Draw = ImageDraw.ImageDraw
Rng = random.Random
RGB = tuple[int, int, int]
Pt = tuple[float, float]
Palette = dict[str, RGB]

_DEJAVU = Path("/usr/share/fonts/truetype/dejavu")
_SS = 2  # shapes are drawn oversized and scaled down: ImageDraw does not antialias polygons
_LEAD = 1.35  # line pitch as a multiple of cap height; tight, like period letterpress

# Curated palettes: random hues never look printed, and "paper" on "ink" is always high contrast.
_PALETTES: list[Palette] = [
    {"paper": (236, 226, 204), "ink": (26, 22, 20), "a": (196, 38, 30), "b": (138, 124, 104)},
    {"paper": (234, 222, 192), "ink": (20, 40, 42), "a": (16, 112, 112), "b": (214, 150, 38)},
    {"paper": (240, 230, 210), "ink": (18, 30, 74), "a": (232, 104, 28), "b": (52, 86, 160)},
    {"paper": (230, 221, 198), "ink": (30, 26, 24), "a": (204, 56, 40), "b": (54, 100, 66)},
]


@lru_cache(maxsize=64)
def _font(size: int, bold: bool = True) -> Font:
    name = "DejaVuSansCondensed-Bold.ttf" if bold else "DejaVuSansCondensed.ttf"
    try:
        return ImageFont.truetype(str(_DEJAVU / name), size)
    except OSError:
        # Pillow's bundled scalable font keeps the demo loader working on bare containers.
        return ImageFont.load_default(size=size)


def _ink(text: str, font: Font) -> str:
    """The text as drawn: NBSP only steers wrapping, and the fallback font lacks the en dash."""
    text = text.replace("\u00a0", " ")
    return text if "DejaVu" in str(getattr(font, "path", "")) else text.replace("\u2013", "-")


def _width(text: str, font: Font) -> int:
    box = font.getbbox(_ink(text, font))
    return int(box[2] - box[0])


def _block_h(font: Font, n: int) -> tuple[int, int, int]:
    """Cap height, cap top offset and height of n stacked lines, so text is placed by its ink."""
    box = font.getbbox("H")
    cap = int(box[3] - box[1])
    return cap, int(box[1]), cap + int(cap * _LEAD) * (n - 1)


def _wrap(text: str, font: Font, max_w: int) -> list[str]:
    lines: list[str] = []
    cur = ""
    for word in filter(None, text.split(" ")):  # split(" ") so NBSP still binds words
        trial = f"{cur} {word}".strip()
        if cur and _width(trial, font) > max_w:
            lines.append(cur)
            cur = word
        else:
            cur = trial
    return [*lines, cur] if cur else lines or [""]


def _fit(text: str, max_w: int, max_h: int, size: int, bold: bool = True) -> tuple[Font, list[str]]:
    # Shrink until the widest line and the whole block fit: text must never leave the canvas.
    text = text.replace(" \u2013 ", "\u00a0\u2013\u00a0")  # a year range never breaks
    while True:
        font = _font(size, bold)
        lines = _wrap(text, font, max_w)
        fits = max(_width(ln, font) for ln in lines) <= max_w
        if size <= 10 or (fits and _block_h(font, len(lines))[2] <= max_h):
            return font, lines
        size = max(10, int(size * 0.93))


def _text(d: Draw, x: int, y: int, font: Font, lines: list[str], fill: RGB) -> int:
    """Draw lines with cap tops aligned from y; return the y just below the block."""
    cap, top, block = _block_h(font, len(lines))
    for i, line in enumerate(lines):
        line = _ink(line, font)
        xy = (x - font.getbbox(line)[0], y + i * int(cap * _LEAD) - top)
        d.text(xy, line, font=font, fill=fill)
    return y + block


def _band(d: Draw, c: Pt, ang: float, wd: float, fill: RGB, reach: float) -> None:
    dx, dy = math.cos(ang) * reach, math.sin(ang) * reach
    nx, ny = -math.sin(ang) * wd / 2, math.cos(ang) * wd / 2
    corners = ((-1, -1), (1, -1), (1, 1), (-1, 1))
    d.polygon([(c[0] + s * dx + t * nx, c[1] + s * dy + t * ny) for s, t in corners], fill=fill)


def _shapes(size: tuple[int, int], art: tuple[int, ...], rng: Rng, pal: Palette) -> Image.Image:
    """Constructivist composition (disc, wedge, bands, ring, rules) centred on the art box."""
    w, h = size[0] * _SS, size[1] * _SS
    x0, y0, x1, y1 = (v * _SS for v in art)
    img = Image.new("RGB", (w, h), pal["paper"])
    d = ImageDraw.Draw(img)
    unit, reach = min(x1 - x0, y1 - y0), math.hypot(w, h)

    def at(fx: Pt, fy: Pt) -> Pt:
        return x0 + rng.uniform(*fx) * (x1 - x0), y0 + rng.uniform(*fy) * (y1 - y0)

    (cx, cy), r = at((0.3, 0.7), (0.38, 0.58)), unit * rng.uniform(0.28, 0.4)
    d.ellipse((cx - r, cy - r, cx + r, cy + r), fill=pal["a"])
    # An El Lissitzky-style wedge driving into the disc gives the layout its direction.
    wa, back = rng.uniform(0, 2 * math.pi), r * 2.6
    tail = [(cx + math.cos(wa + s) * back, cy + math.sin(wa + s) * back) for s in (2.92, 3.36)]
    d.polygon([(cx + math.cos(wa) * r * 0.3, cy + math.sin(wa) * r * 0.3), *tail], fill=pal["b"])
    ang = math.radians(rng.choice((-1, 1)) * rng.uniform(22, 38))
    bw = unit * rng.uniform(0.09, 0.15)
    bc = (cx + rng.uniform(-r, r), cy + rng.uniform(-r, r) * 0.6)
    _band(d, bc, ang, bw, pal["ink"], reach)
    for k in range(rng.randint(3, 5)):  # thin rules echo the band, like printer's rules
        off = bw / 2 + bw * 0.35 * (k + 1)
        rule = (bc[0] - math.sin(ang) * off, bc[1] + math.cos(ang) * off)
        _band(d, rule, ang, bw * 0.07, pal["ink"], reach)
    rr = r * rng.uniform(0.35, 0.55)
    rx = min(max(cx + rng.choice((-1, 1)) * r * 1.1, x0 + rr + 20), x1 - rr - 20)
    ry = min(max(cy - rng.uniform(0.6, 1.2) * r, y0 + rr + 20), y1 - rr - 20)
    d.ellipse((rx - rr, ry - rr, rx + rr, ry + rr), outline=pal["ink"], width=int(unit * 0.022))
    # A thin counter-diagonal low in the box keeps the lower field from going empty.
    _band(d, at((0.3, 0.7), (0.8, 0.92)), -ang * rng.uniform(0.3, 0.7), bw * 0.35, pal["a"], reach)
    sr = r * 0.16  # small paper "sun" on the band as a focal point
    d.ellipse((bc[0] - sr, bc[1] - sr, bc[0] + sr, bc[1] + sr), fill=pal["paper"])
    return img.resize(size, Image.Resampling.LANCZOS)


def _grain(img: Image.Image, rng: Rng, amount: float, clump: int = 1) -> Image.Image:
    """Add seeded noise (Image.effect_noise would not be reproducible); clump sizes the grain."""
    w, h = max(1, img.width // clump), max(1, img.height // clump)
    noise = Image.frombytes("L", (w, h), rng.randbytes(w * h))
    noise = noise.resize(img.size, Image.Resampling.BICUBIC)
    lut = [max(0, min(255, round(128 + (v - 128) * amount))) for v in range(256)]
    return ImageChops.add(img, noise.point(lut).convert(img.mode), 1.0, -128)


def _jpeg(img: Image.Image) -> bytes:
    buf = io.BytesIO()
    img.convert("RGB").save(buf, "JPEG", quality=85, optimize=True)
    return buf.getvalue()


def make_poster(title: str, credit_line: str, year: int, seed: int) -> bytes:
    """800x1200 JPEG poster: geometric composition over a slanted ink panel carrying the title."""
    rng, pal = Rng(f"poster:{seed}:{title}"), _PALETTES[seed % len(_PALETTES)]
    w, h, m = 800, 1200, 56
    font, lines = _fit(title.upper(), w - 2 * m, 330, 120)
    slant = rng.choice((-1, 1)) * rng.randint(40, 90)
    top = h - _block_h(font, len(lines))[2] - 2 * m - 70 - abs(slant)  # 70: the credit row
    img = _shapes((w, h), (0, 0, w, top), rng, pal)
    d, ty = ImageDraw.Draw(img), top + abs(slant) + m
    d.polygon([(0, top + max(0, slant)), (w, top + max(0, -slant)), (w, h), (0, h)], pal["ink"])
    d.rectangle((m, ty - 34, m + 90, ty - 24), fill=pal["a"])
    y = _text(d, m, ty, font, lines, pal["paper"]) + 52
    d.line((m, y - 18, w - m, y - 18), fill=pal["paper"], width=2)
    # Credit shrinks rather than wraps so it can never collide with the year on the right.
    cfont, clines = _fit(credit_line.upper(), w - 2 * m - 110, 30, 26, bold=False)
    _text(d, m, y, cfont, clines[:1], pal["paper"])
    _text(d, w - m - _width(str(year), _font(26)), y, _font(26), [str(year)], pal["paper"])
    return _jpeg(_grain(img, rng, 0.06))


def make_campaign_image(title: str, subtitle: str, seed: int) -> bytes:
    """1920x1080 JPEG banner in the poster language, title panel on the left."""
    rng, pal = Rng(f"campaign:{seed}:{title}"), _PALETTES[seed % len(_PALETTES)]
    w, h, m, pw = 1920, 1080, 96, 860
    font, lines = _fit(title.upper(), pw - 2 * m, 520, 220)
    sfont, slines = _fit(subtitle, pw - 2 * m, 150, 54, bold=False)
    img = _shapes((w, h), (pw, 0, w, h), rng, pal)
    d = ImageDraw.Draw(img)
    d.polygon([(pw + 120, 0), (pw + 150, 0), (pw - 10, h), (pw - 40, h)], pal["a"])
    d.polygon([(0, 0), (pw + 120, 0), (pw - 40, h), (0, h)], pal["ink"])
    y = (h - _block_h(font, len(lines))[2] - 70 - _block_h(sfont, len(slines))[2]) // 2
    d.rectangle((m, y - 60, m + 140, y - 46), fill=pal["a"])
    y = _text(d, m, y, font, lines, pal["paper"])
    _text(d, m, y + 70, sfont, slines, pal["paper"])
    return _jpeg(_grain(img, rng, 0.05))


def _vgrad(w: int, h: int, a: int, b: int) -> Image.Image:
    lut = [round(a + (b - a) * v / 255) for v in range(256)]
    return Image.linear_gradient("L").resize((w, max(1, h))).point(lut)


def _treeline(d: Draw, w: int, hz: int, rng: Rng, tall: float, tone: int) -> None:
    x = -20.0
    while x < w + 20:  # firs of uneven height read as a forest edge, not a row of blobs
        th = tall * rng.uniform(0.35, 1.0)
        d.polygon([(x - th * 0.2, hz + 4), (x, hz - th), (x + th * 0.2, hz + 4)], fill=tone)
        x += rng.uniform(0.03, 0.14) * tall
    d.rectangle((0, hz, w, hz + 4), fill=tone)


def _birches(d: Draw, w: int, h: int, hz: int, rng: Rng) -> None:
    _treeline(d, w, hz, rng, h * 0.45, 40)
    u = rng.uniform
    trunks = sorted((u(10, 70), u(0, w), u(-50, 50)) for _ in range(7))
    for tw, x, lean in trunks:  # thin (far, greyer) first so near trunks overlap them
        trunk = [(x, -10), (x + tw, -10), (x + tw + lean, h + 10), (x + lean, h + 10)]
        d.polygon(trunk, fill=int(130 + tw * 1.5))
        for _ in range(h // 40):
            y = rng.uniform(0, h)
            mx, ml = x + lean * y / h + rng.uniform(0, tw * 0.5), rng.uniform(0.3, 0.7) * tw
            d.ellipse((mx, y, mx + ml, y + rng.uniform(3, 9)), fill=25)


def _cranes(d: Draw, w: int, h: int, hz: int, rng: Rng) -> None:
    _treeline(d, w, hz, rng, h * 0.12, 28)
    lx, ly, arm = rng.uniform(0.5, 0.75) * w, rng.uniform(0.28, 0.36) * h, rng.choice((-1, 1))
    for i in range(rng.randint(5, 8)):  # a loose wedge, as in the film's famous sky shot
        for side in (-1, 1) if i else (1,):
            x = lx - arm * i * rng.uniform(62, 74)
            y = ly + side * i * rng.uniform(22, 28) + rng.uniform(-8, 8)
            s = rng.uniform(18, 26)
            wing = [(x - s, y - s * 0.4), (x, y + s * 0.15), (x + s, y - s * 0.4)]
            d.line(wing, fill=32, width=6, joint="curve")


def _figure(d: Draw, w: int, h: int, hz: int, rng: Rng) -> None:
    vx = rng.uniform(0.35, 0.65) * w
    d.polygon([(vx - 4, hz), (vx + 4, hz), (vx + w * 0.45, h), (vx - w * 0.45, h)], fill=125)
    for k in range(1, 9):  # telegraph poles shrinking toward the vanishing point
        t = (k / 8) ** 2
        px, base, ph = vx + t * w * 0.6, hz + t * (h - hz) * 0.35, 6 + t * h * 0.5
        d.line([(px, base - ph), (px, base)], fill=30, width=max(1, int(t * 10)))
        arm = [(px - ph * 0.12, base - ph * 0.92), (px + ph * 0.12, base - ph * 0.92)]
        d.line(arm, fill=30, width=max(1, int(t * 6)))
    fx, fh, fy = vx - rng.uniform(0.05, 0.15) * w, h * rng.uniform(0.3, 0.38), hz + (h - hz) * 0.72
    shadow = [(fx - fh * 0.05, fy), (fx + fh * 0.05, fy), (fx - fh * 0.9, h), (fx - fh * 1.3, h)]
    d.polygon(shadow, fill=60)  # a long low-sun shadow anchors the figure to the ground
    hd, top = fh * 0.12, fy - fh
    d.ellipse((fx - hd / 2, top, fx + hd / 2, top + hd * 1.15), fill=14)
    coat = [(fx - fh * 0.1, top + hd), (fx + fh * 0.1, top + hd)]
    d.polygon([*coat, (fx + fh * 0.16, fy - fh * 0.3), (fx - fh * 0.16, fy - fh * 0.3)], fill=14)
    d.rectangle((fx - fh * 0.09, fy - fh * 0.32, fx - fh * 0.02, fy), fill=14)
    d.rectangle((fx + fh * 0.02, fy - fh * 0.32, fx + fh * 0.09, fy), fill=14)


def _window(d: Draw, w: int, h: int, hz: int, rng: Rng) -> None:
    d.rectangle((0, 0, w, h), fill=34)
    wx, wy, ww, wh = rng.uniform(0.4, 0.55) * w, h * 0.1, w * 0.32, h * 0.56
    for i in range(int(wh)):  # sky seen through the glass, brightest low down
        d.line([(wx, wy + i), (wx + ww, wy + i)], fill=int(175 + 65 * i / wh))
    light = [(wx, wy + wh), (wx + ww, wy + wh), (wx + ww + w * 0.25, h), (wx - w * 0.05, h)]
    d.polygon(light, fill=74)
    d.rectangle((wx - 14, wy - 14, wx + ww + 14, wy + wh + 14), outline=18, width=22)
    d.rectangle((wx + ww / 2 - 7, wy, wx + ww / 2 + 7, wy + wh), fill=18)
    d.rectangle((wx, wy + wh * 0.38 - 7, wx + ww, wy + wh * 0.38 + 7), fill=18)
    cx, r = wx + rng.uniform(0.1, 0.35) * ww, h * 0.075  # head and shoulders against the light
    d.ellipse((cx - r, h * 0.4, cx + r, h * 0.4 + r * 2.5), fill=8)
    ny = h * 0.4 + r * 2.9
    d.rectangle((cx - r * 0.55, ny - r, cx + r * 0.55, ny), fill=8)
    body = [(cx - r * 0.6, ny), (cx + r * 0.6, ny), (cx + r * 2.5, ny + r * 0.9), (cx + r * 2.9, h)]
    d.polygon([*body, (cx - r * 2.9, h), (cx - r * 2.5, ny + r * 0.9)], fill=8)


def _city(d: Draw, w: int, h: int, hz: int, rng: Rng) -> None:
    for depth, tone in ((0.55, 70), (0.35, 24)):
        x = -rng.uniform(0, 80)
        while x < w:
            bw, bh = rng.uniform(90, 260), h * depth * rng.uniform(0.5, 1.0)
            d.rectangle((x, hz - bh, x + bw, h), fill=tone)
            for wy in range(int(hz - bh + 14), h - 10, 26):  # sparse lit windows: evening
                for wx in range(int(x + 10), int(x + bw - 14), 22):
                    if rng.random() < 0.16:
                        d.rectangle((wx, wy, wx + 8, wy + 12), fill=tone + 140)
            x += bw + rng.uniform(6, 40)
    mx = rng.uniform(0.15, 0.7) * w  # a tower crane: the Khrushchev-era building boom
    d.line([(mx, h * 0.08), (mx, hz)], fill=20, width=12)
    d.line([(mx - w * 0.08, h * 0.1), (mx + w * 0.22, h * 0.1)], fill=20, width=9)
    d.line([(mx + w * 0.18, h * 0.1), (mx + w * 0.18, h * 0.35)], fill=20, width=2)


_MOTIFS = (_cranes, _birches, _figure, _window, _city)


def make_still(title: str, index: int, seed: int) -> bytes:
    """1600x900 JPEG that reads as a grainy black-and-white film frame; never contains text."""
    rng, w, h = Rng(f"still:{seed}:{index}:{title}"), 1600, 900
    hz = int(h * rng.uniform(0.6, 0.78))
    sky = _vgrad(w, hz, rng.randint(70, 110), rng.randint(205, 235))
    img = Image.new("L", (w, h))
    img.paste(_grain(sky, rng, 0.3, clump=110), (0, 0))  # coarse noise = soft cloud banks
    img.paste(_vgrad(w, h - hz, rng.randint(85, 110), rng.randint(30, 50)), (0, hz))
    _MOTIFS[(seed + index) % len(_MOTIFS)](ImageDraw.Draw(img), w, h, hz, rng)
    img = img.filter(ImageFilter.GaussianBlur(1.6))  # period lenses and prints were soft
    falloff = [round(255 * (1 - 0.7 * (v / 255) ** 2.2)) for v in range(256)]
    img = ImageChops.multiply(img, Image.radial_gradient("L").resize((w, h)).point(falloff))
    img = _grain(_grain(img, rng, 0.09, clump=2), rng, 0.05)
    d = ImageDraw.Draw(img)
    # Scratches and dust make it read as a projected print rather than a rendering.
    for _ in range(rng.randint(0, 2)):
        x = rng.uniform(0, w)
        d.line([(x, 0), (x + rng.uniform(-8, 8), h)], fill=rng.choice((40, 200)), width=1)
    for _ in range(rng.randint(3, 9)):
        x, y, r = rng.uniform(0, w), rng.uniform(0, h), rng.uniform(1, 2.5)
        d.ellipse((x - r, y - r, x + r, y + r), fill=rng.choice((15, 225)))
    return _jpeg(img)
