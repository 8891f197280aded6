"""Every page type in both languages, in Chromium at a phone's and a desktop's width: axe-core
finds no accessibility violations (WCAG 2.2 AA), and a full-page screenshot of each is kept in
test-artifacts/screenshots/ for a human look."""

from __future__ import annotations

import pytest
from axe_playwright_python.sync_playwright import Axe

from .conftest import DESKTOP, PHONE, expected_status, load_everything, page_type_paths

pytestmark = pytest.mark.browser

# The rules of WCAG 2.0–2.2 levels A and AA, and axe's best practices (landmarks, one h1…).
AXE_OPTIONS = {
    "runOnly": {
        "type": "tag",
        "values": ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa", "wcag22aa", "best-practice"],
    },
    "resultTypes": ["violations"],
}


def describe(violations: list[dict], where: str) -> list[str]:
    """One readable block per broken rule: what, how bad, and which elements."""
    lines = []
    for violation in violations:
        lines.append(
            f"{where}: {violation['id']} ({violation['impact']}): {violation['help']}"
            f"\n    {violation['helpUrl'].split('?')[0]}"
        )
        for node in violation["nodes"][:5]:
            summary = " ".join(node.get("failureSummary", "").split())
            lines.append(f"    - {' '.join(map(str, node['target']))}: {summary}")
        if len(violation["nodes"]) > 5:
            lines.append(f"    … and {len(violation['nodes']) - 5} more elements")
    return lines


@pytest.mark.parametrize("language", ["nl", "en"])
def test_every_page_type_has_no_axe_violations_and_is_photographed(
    page, site, language, screenshots_dir
):
    axe = Axe()
    problems = []
    for page_type, path in page_type_paths(language).items():
        page.set_viewport_size(PHONE)
        response = page.goto(site(path))
        assert response.status == expected_status(page_type), f"{path}: {response.status}"
        assert page.locator("html").get_attribute("lang") == language, path
        # Mobile first: the phone's view, then the same page widened to a desktop's.
        for viewport in (PHONE, DESKTOP):
            page.set_viewport_size(viewport)
            load_everything(page)
            page.screenshot(
                path=str(screenshots_dir / f"{language}-{page_type}-{viewport['width']}.png"),
                full_page=True,
            )
        # Once per page, at the desktop width: axe is the slow part (seconds on a long agenda),
        # and both widths render the same document.
        results = axe.run(page, options=AXE_OPTIONS)
        problems += describe(results.response["violations"], path)
    assert not problems, "axe-core found accessibility problems:\n" + "\n".join(problems)


def test_axe_runs_offline_and_reports_a_missing_label(page):
    # The check above is only worth something if axe really runs here and reports what it finds.
    page.set_content(
        '<!DOCTYPE html><html lang="en"><head><title>t</title></head>'
        '<body><main><h1>t</h1><input type="text"></main></body></html>'
    )
    violations = Axe().run(page, options=AXE_OPTIONS).response["violations"]
    assert "label" in {violation["id"] for violation in violations}
    assert "label" in "\n".join(describe(violations, "test page"))


@pytest.mark.parametrize("language", ["nl", "en"])
def test_on_the_narrowest_phone_the_header_fits_and_offers_every_way_in(page, site, language):
    """At 320 px (WCAG 1.4.10 Reflow) nothing in the header is cut off or scrolls sideways: the
    name and the language switch share the first line, the ways in follow, then the search box."""
    page.set_viewport_size({"width": 320, "height": 640})
    page.goto(site(page_type_paths(language)["home"]))
    assert page.evaluate("() => document.documentElement.scrollWidth") <= 320
    name = page.locator(".site-name").bounding_box()
    switch = page.locator(".language-switch").bounding_box()
    assert switch["y"] < name["y"] + name["height"], "the language switch wrapped below the name"
    links = page.locator(".site-nav a")
    assert links.count() >= 2
    for index in range(links.count()):
        box = links.nth(index).bounding_box()
        assert box["x"] >= 0 and box["x"] + box["width"] <= 320, links.nth(index).inner_text()
        assert box["height"] >= 24, "a way in too small to tap"
    search = page.locator(".site-search").bounding_box()
    assert search["x"] >= 0 and search["x"] + search["width"] <= 320, "the search box is cut off"
    assert page.locator(".site-search__input").bounding_box()["width"] >= 160
