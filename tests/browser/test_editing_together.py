"""Two editors on one film in two browsers, through the real admin forms: each sees the other
is there, the later save is stopped with what changed, reapplied in one step, and the versions
are compared and one restored."""

from __future__ import annotations

import pytest
from django.contrib.auth import get_user_model
from django.contrib.auth.models import Group
from django.urls import reverse
from playwright.sync_api import expect

from programmes.models import Film
from programmes.roles import PROGRAMMER

from .conftest import DESKTOP, PHONE, STAFF_PASSWORD, log_in, watch_for_breakage

pytestmark = pytest.mark.browser

OLD_NOTE = "Digital restoration by Mosfilm."
NEW_NOTE = "Restored in 4K by Mosfilm in 2018."


def programmer(username: str):
    user = get_user_model().objects.create_user(username, password=STAFF_PASSWORD, is_staff=True)
    user.groups.add(Group.objects.get(name=PROGRAMMER))


@pytest.fixture
def two_pages(browser):
    """Two editors, each in a browser profile of their own."""
    pages, contexts, problems = [], [], []
    for _name in ("anna", "bert"):
        context = browser.new_context(viewport=DESKTOP, locale="en-GB")
        context.set_default_timeout(30_000)
        page = context.new_page()
        problems.append(watch_for_breakage(page))
        contexts.append(context)
        pages.append(page)
    yield pages
    for context in contexts:
        context.close()
    assert not any(problems), problems


def test_two_editors_one_film(site, two_pages, settings, screenshots_dir):
    # A heartbeat every second, so the test need not wait half a minute for the notice.
    settings.EDITING_HEARTBEAT_SECONDS = 1
    programmer("anna")
    programmer("bert")
    film = Film.objects.get(slug_en="the-cranes-are-flying")
    change = site(reverse("admin:programmes_film_change", args=[film.pk]))
    anna, bert = two_pages

    # Both open the film; Bert is told at once that Anna has it open, Anna without a reload.
    log_in(anna, site, "anna")
    anna.goto(change)
    expect(anna.locator(".edit-presence")).to_be_hidden()
    log_in(bert, site, "bert")
    bert.goto(change)
    expect(bert.locator(".edit-presence")).to_contain_text("anna has had this open since")
    expect(anna.locator(".edit-presence")).to_contain_text("bert has had this open since")

    # Anna changes the English restoration note and saves.
    anna.click('a[href="#tab_id_restoration_note_en"]')
    anna.fill("#id_restoration_note_en", NEW_NOTE)
    anna.locator("input[name=_save]").first.click()
    expect(anna.locator(".messagelist")).to_contain_text("was changed successfully")

    # Bert, on the form as it was, changes the runtime and saves: stopped, and told.
    bert.fill("#id_runtime", "96")
    bert.locator("input[name=_save]").first.click()
    conflict = bert.locator(".edit-conflict")
    expect(conflict).to_contain_text("Someone else saved a change while you had this form open")
    row = conflict.locator("tr", has_text="restoration or print note [en]")
    expect(row).to_contain_text(NEW_NOTE)
    expect(row).to_contain_text("anna")
    expect(bert.locator("#id_runtime")).to_have_value("96")
    bert.screenshot(path=screenshots_dir / "editing-conflict-1280.png", full_page=True)
    bert.set_viewport_size(PHONE)
    bert.screenshot(path=screenshots_dir / "editing-conflict-390.png", full_page=True)
    bert.set_viewport_size(DESKTOP)
    film.refresh_from_db()
    assert (film.runtime, film.restoration_note_en) == (97, NEW_NOTE)

    # One click applies his change on top of hers.
    bert.click("button[name=_reapply]")
    expect(bert.locator(".messagelist")).to_contain_text("was changed successfully")
    film.refresh_from_db()
    assert (film.runtime, film.restoration_note_en) == (96, NEW_NOTE)

    # Bert compares the film as first found with now: both changes, the new words marked.
    bert.goto(change)
    bert.click("a.historylink >> text=Versions")
    bert.locator("input[name=from]").last.check()
    bert.locator("#to-current").check()
    bert.click("input[type=submit][value=Compare]")
    expect(bert.locator("ins.diff-new").first).to_be_visible()
    expect(bert.locator("table.edit-changes")).to_contain_text("4K")
    expect(bert.locator("table.edit-changes")).to_contain_text("runtime (minutes)")
    bert.screenshot(path=screenshots_dir / "editing-compare-1280.png", full_page=True)
    bert.set_viewport_size(PHONE)
    bert.screenshot(path=screenshots_dir / "editing-compare-390.png", full_page=True)
    bert.set_viewport_size(DESKTOP)

    # And restores that first version: a new version, the film as it was.
    bert.click("text=Restore the older version")
    bert.click("input[type=submit][value='Restore this version']")
    expect(bert.locator(".messagelist")).to_contain_text("Restored the version of")
    film.refresh_from_db()
    assert (film.runtime, film.restoration_note_en) == (97, OLD_NOTE)
