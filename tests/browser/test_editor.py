"""The editor's path through the admin, in Chromium: Letter Never Sent from nothing to the agenda.

An editor enters the film in Dutch and English with a poster, a still and its director, adds
three screenings as a series (after the first try clashes and is refused), and previews the
draft in both languages. Editors cannot publish, so a programmer publishes it; visitors then
find it on the agenda in both languages.
"""

from __future__ import annotations

import datetime
import io

import pytest
from django.contrib.auth import get_user_model
from django.contrib.auth.models import Group
from django.urls import reverse
from django.utils import timezone, translation
from PIL import Image
from playwright.sync_api import expect

from programmes.models import Film, PublicationStatus
from programmes.roles import EDITOR, PROGRAMMER

from .conftest import STAFF_PASSWORD, log_in

pytestmark = pytest.mark.browser

TITLE_NL = "De onverzonden brief"
TITLE_EN = "Letter Never Sent"
SUNDAY = 6


def jpeg(name: str, size: tuple[int, int], colour=(40, 60, 90)) -> dict:
    buffer = io.BytesIO()
    Image.new("RGB", size, colour).save(buffer, "JPEG")
    return {"name": name, "mimeType": "image/jpeg", "buffer": buffer.getvalue()}


def staff_member(username: str, group: str):
    user = get_user_model().objects.create_user(username, password=STAFF_PASSWORD, is_staff=True)
    user.groups.add(Group.objects.get(name=group))
    return user


def fill_in(page, field_id: str, values: dict[str, str]) -> None:
    """Fill a Dutch/English pair, switching language tabs as an editor would."""
    for code, value in values.items():
        tab = page.locator(f'a[href="#tab_id_{field_id}_{code}"]')
        field = page.locator(f"#id_{field_id}_{code}")
        tab.click()
        if not field.is_visible():
            # Right after the still is chosen the first click on its tab is sometimes lost
            # (the tabs of a new inline row are still being set up); an editor clicks again.
            tab.click()
        field.fill(value)


def first_sunday_after(day: datetime.date) -> datetime.date:
    return day + datetime.timedelta(days=(SUNDAY - day.weekday()) % 7)


def test_an_editor_enters_previews_and_a_programmer_publishes(site, page, screenshots_dir):
    staff_member("editor", EDITOR)
    staff_member("programmer", PROGRAMMER)

    # The editor enters the film.
    log_in(page, site, "editor")
    page.goto(site(reverse("admin:programmes_film_add")))
    fill_in(page, "title", {"nl": TITLE_NL, "en": TITLE_EN})
    page.fill("#id_original_title", "Neotpravlennoye pismo")
    # The slugs follow the titles by themselves (prepopulated fields).
    page.click('a[href="#tab_id_slug_en"]')
    expect(page.locator("#id_slug_en")).to_have_value("letter-never-sent")
    page.fill("#id_year", "1959")
    page.fill("#id_runtime", "96")
    page.select_option("#id_countries", "SU")
    page.fill("#id_spoken_languages", "ru")
    fill_in(
        page,
        "synopsis",
        {
            "nl": "Vier geologen zoeken diamanten in de Siberische taiga.",
            "en": "Four geologists search for diamonds in the Siberian taiga.",
        },
    )
    page.set_input_files("#id_poster", jpeg("letter-poster.jpg", (400, 600)))
    expect(page.locator("#id_poster ~ img.upload-preview")).to_be_visible()
    fill_in(
        page,
        "poster_alt",
        {"nl": "Affiche van De onverzonden brief", "en": "Poster of Letter Never Sent"},
    )
    page.select_option("#id_credits-0-role", "director")
    page.click("#credits-0 .select2-selection")
    page.fill(".select2-search__field", "Kalatoz")
    page.click(".select2-results__option >> text=Mikhail Kalatozov")
    page.set_input_files("#id_stills-0-image", jpeg("letter-still.jpg", (640, 360), (90, 90, 90)))
    expect(page.locator("#stills-0 img.upload-preview")).to_be_visible()
    fill_in(
        page,
        "stills-0-alt_text",
        {"nl": "Geologen in een brandend bos", "en": "Geologists in a burning forest"},
    )
    page.screenshot(path=screenshots_dir / "editor-film-form-1280.png", full_page=True)
    page.locator("input[name=_addseries]").first.click()

    # The series: Sunday evening in Cinema 1 is taken by the Russian Thaw programme.
    expect(page.locator("h1")).to_contain_text("series")
    film = Film.objects.get(title_en=TITLE_EN)
    assert film.status == PublicationStatus.DRAFT
    first_day = first_sunday_after(timezone.localdate() + datetime.timedelta(days=1))
    page.select_option("#id_weekday", str(SUNDAY))
    page.fill("#id_time", "20:30")
    page.fill("#id_first_day", first_day.isoformat())
    page.fill("#id_weeks", "3")
    page.select_option("#id_auditorium", label="Cinema 1")
    page.select_option("#id_subtitles", "en")
    page.select_option("#id_format", "dcp")
    page.click("input[name=_save]")
    expect(page.locator(".errornote")).to_be_visible()
    expect(page.locator(".errorlist.nonfield")).to_contain_text("Cinema 1 is already taken by")
    assert film.screenings.count() == 0
    # Mornings are free.
    page.fill("#id_time", "10:00")
    page.click("input[name=_save]")
    expect(page.locator(".messagelist")).to_contain_text("3 screenings added")
    assert film.screenings.count() == 3

    # The draft, previewed in both languages from the change form.
    with page.context.expect_page() as opened:
        page.click('a.preview-link[hreflang="en"]')
    preview = opened.value
    expect(preview.locator("h1")).to_have_text(TITLE_EN)
    expect(preview.locator(".preview-banner")).to_contain_text("Draft")
    expect(preview.locator("main")).to_contain_text("Mikhail Kalatozov, SU 1959")
    expect(preview.locator("main")).to_contain_text("still from Letter Never Sent")
    preview.screenshot(path=screenshots_dir / "editor-preview-en-1280.png", full_page=True)
    preview.set_viewport_size({"width": 390, "height": 844})
    preview.screenshot(path=screenshots_dir / "editor-preview-en-390.png", full_page=True)
    preview.click('.language-switch a[hreflang="nl"]')
    expect(preview.locator("h1")).to_have_text(TITLE_NL)
    expect(preview.locator(".preview-banner")).to_be_visible()
    preview.close()

    # Visitors do not see the draft yet.
    with translation.override("en"):
        film_url = site(film.get_absolute_url())
    assert page.goto(film_url).status == 404

    # Only a programmer publishes.
    log_in(page, site, "programmer")
    page.goto(site(reverse("admin:programmes_film_change", args=[film.pk])))
    page.select_option("#id_status", "published")
    page.locator("input[name=_save]").first.click()
    expect(page.locator(".messagelist")).to_contain_text(f"{TITLE_EN} (1959)")

    # On the public agenda, in both languages.
    for code, title in (("en", TITLE_EN), ("nl", TITLE_NL)):
        with translation.override(code):
            agenda = site(reverse("screenings:agenda")) + f"?date={first_day.isoformat()}"
        page.goto(agenda)
        expect(page.locator("main")).to_contain_text(title)
        expect(page.locator("main")).to_contain_text("10:00")
    page.screenshot(path=screenshots_dir / "editor-agenda-nl-1280.png", full_page=True)
