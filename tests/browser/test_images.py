"""A phone downloads each picture at about the size it shows it, not a larger screen's file."""

from __future__ import annotations

import pytest

from .conftest import expected_status, load_everything, page_type_paths

pytestmark = pytest.mark.browser

# (CSS width, device pixel ratio): Lighthouse's Moto G Power, a current iPhone.
PHONES = [(412, 1.75), (390, 3)]
# How much wider than its pixels on screen a downloaded picture may be.
MAX_OVERSIZE = 1.25

# The file's own width comes from the srcset entry the browser took (naturalWidth is scaled by
# the `sizes` the page gave, so it would only repeat the page's own assumption).
PICTURES = r"""() => [...document.images]
    .filter(img => img.currentSrc && img.clientWidth)
    .map(img => {
        const sets = [img, ...(img.closest('picture')?.querySelectorAll('source') ?? [])];
        const widths = {};
        for (const element of sets) {
            for (const candidate of element.srcset.split(',')) {
                const [url, width] = candidate.trim().split(/\s+/);
                if (url) widths[new URL(url, location.href).href] = parseInt(width);
            }
        }
        return {file: widths[img.currentSrc] || img.naturalWidth, shown: img.clientWidth,
                sizes: img.sizes, where: img.closest('[class]').className};
    })"""


@pytest.mark.parametrize(("css_width", "ratio"), PHONES)
def test_a_phone_downloads_each_picture_close_to_the_size_it_shows(browser, site, css_width, ratio):
    context = browser.new_context(
        viewport={"width": css_width, "height": 800}, device_scale_factor=ratio
    )
    page = context.new_page()
    too_large = []
    seen = 0
    for page_type, path in page_type_paths("en").items():
        if expected_status(page_type) != 200:
            continue
        page.goto(site(path))
        load_everything(page)
        for picture in page.evaluate(PICTURES):
            seen += 1
            needed = picture["shown"] * ratio
            if picture["file"] > needed * MAX_OVERSIZE:
                too_large.append(
                    f"{path} {picture['where']}: {picture['file']} px wide for "
                    f"{needed:.0f} px (sizes={picture['sizes']!r})"
                )
    context.close()
    assert seen > 20
    assert not too_large, "\n".join(dict.fromkeys(too_large))
