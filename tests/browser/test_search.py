"""Finding a film from the header's search box, as a visitor does: with JavaScript through the
suggestions, by keyboard alone; without it through the results page."""

from __future__ import annotations

import pytest
from axe_playwright_python.sync_playwright import Axe
from playwright.sync_api import expect

from .conftest import DESKTOP, PHONE, watch_for_breakage
from .test_pages import AXE_OPTIONS, describe

pytestmark = pytest.mark.browser

BOX_LABEL = "Search films, events, programmes and people"
CRANES = "/en/films/the-cranes-are-flying/"


def test_part_of_a_dutch_title_on_the_english_site_picked_from_the_suggestions_by_keyboard(
    page, site, screenshots_dir
):
    page.goto(site("/en/"))
    # The box is reached with Tab like any field; from the skip link on, the header comes first.
    box = page.get_by_role("combobox", name=BOX_LABEL)
    box.focus()
    box.press_sequentially("kraanvog", delay=40)
    listbox = page.get_by_role("listbox", name=BOX_LABEL)
    expect(listbox).to_be_visible()
    expect(box).to_have_attribute("aria-expanded", "true")
    options = listbox.get_by_role("option")
    expect(options.first).to_contain_text("The Cranes Are Flying")
    expect(options.first).to_contain_text("Film")
    # The live region says how many there are, for a screen reader that does not see the list.
    expect(page.locator(".site-search [role=status]")).to_have_text(
        f"{options.count()} suggestions"
    )

    box.press("ArrowDown")
    expect(options.first).to_have_attribute("aria-selected", "true")
    expect(box).to_have_attribute("aria-activedescendant", options.first.get_attribute("id"))
    expect(box).to_be_focused()
    # Up again returns to the words typed, Escape closes the list and keeps them.
    box.press("ArrowUp")
    expect(box).not_to_have_attribute("aria-activedescendant", options.first.get_attribute("id"))
    box.press("Escape")
    expect(listbox).to_be_hidden()
    expect(box).to_have_attribute("aria-expanded", "false")
    expect(box).to_have_value("kraanvog")

    box.press("ArrowDown")
    expect(listbox).to_be_visible()
    expect(options.first).to_have_attribute("aria-selected", "true")
    violations = Axe().run(page, options=AXE_OPTIONS).response["violations"]
    assert not violations, "\n".join(describe(violations, "open suggestions"))
    for viewport in (PHONE, DESKTOP):
        page.set_viewport_size(viewport)
        page.screenshot(path=str(screenshots_dir / f"en-suggestions-{viewport['width']}.png"))

    box.press("Enter")
    expect(page).to_have_url(site(CRANES))
    expect(page.get_by_role("heading", level=1)).to_have_text("The Cranes Are Flying")


def test_enter_without_a_chosen_suggestion_searches(page, site):
    page.goto(site("/nl/films/"))
    box = page.get_by_role("combobox", name="Zoek films, evenementen, programma's en personen")
    box.press_sequentially("Tarkovski", delay=20)
    expect(page.get_by_role("listbox")).to_be_visible()
    box.press("Enter")
    expect(page).to_have_url(site("/nl/zoeken/?q=Tarkovski"))
    expect(page.get_by_role("link", name="Andrei Tarkovsky")).to_be_visible()


def test_without_javascript_the_box_leads_through_the_results_page(browser, site):
    context = browser.new_context(viewport=DESKTOP, locale="en-GB", java_script_enabled=False)
    page = context.new_page()
    problems = watch_for_breakage(page)
    page.goto(site("/en/"))
    box = page.get_by_role("searchbox", name=BOX_LABEL)
    box.fill("kraanvog")
    box.press("Enter")
    expect(page).to_have_url(site("/en/search/?q=kraanvog"))
    films = page.get_by_role("region", name="Films")
    expect(films.get_by_role("listitem").first).to_contain_text("Mikhail Kalatozov, 1957")
    films.get_by_role("link", name="The Cranes Are Flying").click()
    expect(page).to_have_url(site(CRANES))
    context.close()
    assert not problems, "\n".join(problems)
