"""A visitor without a mouse: the skip link, a visible focus, and the agenda's filter used with
the keyboard alone (WCAG 2.2: 2.1.1 Keyboard, 2.4.1 Bypass blocks, 2.4.7 Focus visible)."""

from __future__ import annotations

import re

import pytest
from django.urls import reverse
from django.utils import translation
from playwright.sync_api import expect

pytestmark = pytest.mark.browser

# Chromium tabs into a date field's own parts; on its calendar button the browser draws the ring
# itself and the field no longer matches :focus, so that one stop is the browser's to show.
FOCUS_IS_VISIBLE = """() => {
    const element = document.activeElement;
    if (element.type === "date" && !element.matches(":focus")) return true;
    const style = getComputedStyle(element);
    return (style.outlineStyle !== "none" && parseFloat(style.outlineWidth) > 0)
        || style.boxShadow !== "none";
}"""


def tab_to(page, selector: str, limit: int = 40) -> None:
    """Press Tab until the element matching `selector` has the focus, checking each stop shows it."""
    for _ in range(limit):
        page.keyboard.press("Tab")
        assert page.evaluate(FOCUS_IS_VISIBLE), (
            f"no visible focus on {page.evaluate('() => document.activeElement.outerHTML.slice(0, 120)')}"
        )
        if page.evaluate("selector => document.activeElement.matches(selector)", selector):
            return
    pytest.fail(f"Tab never reached {selector!r}")


def choose_with_arrows(page, name: str, value: str, limit: int = 20) -> None:
    select = page.locator(f"select[name='{name}']")
    for _ in range(limit):
        if select.input_value() == value:
            return
        page.keyboard.press("ArrowDown")
    pytest.fail(f"the arrow keys never chose {value!r} in {name!r}")


@pytest.mark.parametrize("language", ["nl", "en"])
def test_keyboard_visitor_skips_to_content_and_filters_the_agenda(page, site, language):
    with translation.override(language):
        agenda = reverse("screenings:agenda")
    page.goto(site(agenda))

    # The first Tab shows the skip link on screen; following it puts the focus in the content.
    page.keyboard.press("Tab")
    skip_link = page.locator("a[href='#main']")
    expect(skip_link).to_be_focused()
    box = skip_link.bounding_box()
    assert box and box["y"] >= 0 and box["width"] > 20, f"skip link not on screen: {box}"
    assert page.evaluate(FOCUS_IS_VISIBLE)
    page.keyboard.press("Enter")
    # Waited for: the browser may take a moment to put the fragment in the address.
    expect(page).to_have_url(re.compile(r"#main$"))
    assert page.evaluate("() => document.activeElement.closest('main') !== null")

    # Choose "tomorrow" and English with the arrow keys, then send the form with the button.
    tab_to(page, "[name=when]")
    choose_with_arrows(page, "when", "tomorrow")
    tab_to(page, "[name=language]")
    choose_with_arrows(page, "language", "en")
    tab_to(page, ".filters [type=submit]")
    assert page.evaluate(FOCUS_IS_VISIBLE)
    with page.expect_navigation():
        page.keyboard.press("Enter")
    assert "when=tomorrow" in page.url
    assert "language=en" in page.url
    expect(page.locator("select[name='when']")).to_have_value("tomorrow")
