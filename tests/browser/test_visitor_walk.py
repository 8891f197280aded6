"""A cinema-goer's walk through the site in Chromium, as issue 3's "Done when" describes it:
from the home page to tonight's (or the next) English-subtitled screening of The Cranes Are
Flying, across both languages, into a calendar and onto paper."""

from __future__ import annotations

import datetime
import re
import zoneinfo

import icalendar
import pytest
from django.urls import reverse
from django.utils import timezone, translation
from playwright.sync_api import expect

from programmes.models import Event, Film, Programme
from screenings.models import BOOKABLE_STATUSES, Screening, Subtitles

from .conftest import ARTIFACTS, watch_for_breakage

pytestmark = pytest.mark.browser

AMSTERDAM = zoneinfo.ZoneInfo("Europe/Amsterdam")


def url_in(language: str, obj) -> str:
    with translation.override(language):
        return obj.get_absolute_url()


def next_cranes_screening_with_english_subtitles() -> Screening:
    """The first show still to start with tickets on sale: the walk works at any time of day."""
    screening = (
        Screening.objects.published()
        .filter(
            film__slug_en="the-cranes-are-flying",
            subtitles=Subtitles.ENGLISH,
            ticket_status__in=BOOKABLE_STATUSES,
            starts_at__gt=timezone.now() + datetime.timedelta(minutes=5),
        )
        .order_by("starts_at")
        .first()
    )
    assert screening is not None, "the demo has no upcoming English-subtitled Cranes screening"
    return screening


def listed_screening_ids(page) -> set[int]:
    """The screenings a listing shows, read from their add-to-calendar links."""
    hrefs = page.locator("main a[href$='.ics']").evaluate_all("links => links.map(a => a.href)")
    return {int(re.search(r"/(\d+)\.ics$", href).group(1)) for href in hrefs}


def follow(page, url: str, text: str) -> None:
    """Click the link to `url` that says `text`, as a visitor reading the page would."""
    page.locator(f"main a[href='{url}']", has_text=text).first.click()
    page.wait_for_load_state()


def switch_language(page, code: str) -> None:
    page.locator(f"header a[hreflang='{code}']").click()
    page.wait_for_load_state()
    expect(page.locator("html")).to_have_attribute("lang", code)


@pytest.mark.parametrize("javascript", [True, False], ids=["with-js", "without-js"])
def test_visitor_finds_cranes_in_english_books_it_and_prints_programme(
    browser, site, javascript, tmp_path
):
    context = browser.new_context(
        viewport={"width": 1280, "height": 900},
        locale="en-GB",
        java_script_enabled=javascript,
        accept_downloads=True,
    )
    context.set_default_timeout(30_000)
    page = context.new_page()
    problems = watch_for_breakage(page)

    programme = Programme.objects.get(slug_en="russian-thaw")
    cranes = Film.objects.get(slug_en="the-cranes-are-flying")
    opening = Event.objects.get(slug_en="opening-russian-thaw-the-cranes-are-flying")
    target = next_cranes_screening_with_english_subtitles()
    day = timezone.localtime(target.starts_at).date()

    # Home: an English-speaking browser lands on the English site.
    page.goto(site("/"))
    assert page.url == site("/en/")
    expect(page.locator("html")).to_have_attribute("lang", "en")

    # Switch to Dutch, on the home page.
    switch_language(page, "nl")
    assert page.url == site("/nl/")

    # The programme, in Dutch.
    follow(page, url_in("nl", programme), "Russische Dooi")
    assert page.url == site(url_in("nl", programme))
    expect(page.get_by_role("heading", level=1)).to_contain_text("Russische Dooi")

    # A film of the programme.
    follow(page, url_in("nl", cranes), "Als de kraanvogels overvliegen")
    assert page.url == site(url_in("nl", cranes))
    expect(page.get_by_role("heading", level=1)).to_have_text("Als de kraanvogels overvliegen")

    # Its stills: shown (not broken images), described, with a caption built from the data.
    stills = page.locator("main figure:has(img)")
    expect(stills).to_have_count(cranes.stills.count())
    for index in range(stills.count()):
        still = stills.nth(index)
        still.scroll_into_view_if_needed()
        image = still.locator("img")
        expect(image).to_have_attribute("alt", re.compile(r"\S"))
        page.wait_for_function(
            "img => img.complete && img.naturalWidth > 0", arg=image.element_handle()
        )
        expect(still.locator("figcaption")).to_contain_text("Mikhail Kalatozov, SU 1957")

    # The event, from the programme page.
    page.go_back()
    follow(page, url_in("nl", opening), "Opening Russische Dooi")
    assert page.url == site(url_in("nl", opening))
    expect(page.get_by_role("heading", level=1)).to_contain_text("Opening Russische Dooi")
    main = page.locator("main")
    for performer in ("Nina Targan Mouravi", "Martin de Ruiter", "Oleg Fateev"):
        expect(main).to_contain_text(performer)
    expect(main).to_contain_text("125")

    # The agenda, filtered with its plain GET form to the day of the show and to English.
    with translation.override("nl"):
        agenda = reverse("screenings:agenda")
    page.locator(f"header a[href='{agenda}']").first.click()
    assert page.url == site(agenda)
    filters = page.locator("form", has=page.locator("select[name='language']"))
    filters.locator("input[name='date']").fill(day.isoformat())
    filters.locator("select[name='language']").select_option("en")
    with page.expect_navigation():
        filters.locator("[type=submit]").click()
    assert f"date={day.isoformat()}" in page.url
    assert "language=en" in page.url
    shown = listed_screening_ids(page)
    assert target.pk in shown
    shown_screenings = Screening.objects.filter(pk__in=shown)
    for screening in shown_screenings:
        assert timezone.localtime(screening.starts_at).date() == day, screening
        assert "en" in (screening.subtitles, screening.spoken_language), screening
    hidden_that_day = (
        Screening.objects.published()
        .upcoming()
        .on_day(day)
        .exclude(subtitles="en")
        .exclude(spoken_language="en")
    )
    assert not shown & set(hidden_that_day.values_list("pk", flat=True))

    # Tonight's (or the next) English-subtitled Cranes: its row names the film and the time.
    row = page.locator("main li", has=page.locator(f"a[href$='/{target.pk}.ics']")).last
    expect(row).to_contain_text("Als de kraanvogels overvliegen")
    start = timezone.localtime(target.starts_at)
    expect(row.locator("time").first).to_have_attribute(
        "datetime", re.compile(f"^{start:%Y-%m-%dT%H:%M}")
    )
    expect(row.locator(f"a[href='{target.ticket_url}']")).to_be_visible()
    row.get_by_role("link", name="Als de kraanvogels overvliegen", exact=True).click()
    assert page.url == site(url_in("nl", cranes))

    # Switch language on the film page: the same film, in English, at its English address.
    switch_language(page, "en")
    assert page.url == site(url_in("en", cranes))
    expect(page.get_by_role("heading", level=1)).to_have_text("The Cranes Are Flying")

    # Add that screening to a calendar: a real iCalendar file at the right local time.
    with page.expect_download() as download_info:
        page.locator(f"main a[href$='/{target.pk}.ics']").first.click()
    ics = tmp_path / "screening.ics"
    download_info.value.save_as(ics)
    calendar = icalendar.Calendar.from_ical(ics.read_bytes())
    events = calendar.walk("VEVENT")
    assert len(events) == 1
    event = events[0]
    assert "The Cranes Are Flying" in str(event["SUMMARY"])
    dtstart = event.decoded("DTSTART")
    assert dtstart == target.starts_at
    assert dtstart.utcoffset() == start.utcoffset()
    assert event["DTSTART"].params.get("TZID") == "Europe/Amsterdam"
    assert [tz["TZID"] for tz in calendar.walk("VTIMEZONE")] == ["Europe/Amsterdam"]
    assert event.decoded("DTEND") == target.ends_at

    # Print the programme: navigation and buttons stay off the paper, the programme stays on.
    page.goto(site(url_in("en", programme)))
    # Printing is offered by a button where script runs, and only there (it calls print()).
    print_button = page.get_by_role("button", name="Print this programme")
    if javascript:
        expect(print_button).to_be_visible()
    else:
        expect(print_button).to_be_hidden()
    page.emulate_media(media="print")
    expect(page.get_by_role("heading", level=1)).to_be_visible()
    for selector in ("header nav", "main form", "a.button", "button", ".skip-link"):
        items = page.locator(selector)
        for index in range(items.count()):
            expect(items.nth(index)).to_be_hidden()
    # The printed programme is kept for a human look (test-artifacts/print/).
    pdf = ARTIFACTS / "print" / f"programme-en-{'js' if javascript else 'nojs'}.pdf"
    pdf.parent.mkdir(parents=True, exist_ok=True)
    page.pdf(path=str(pdf), format="A4", print_background=False)
    assert pdf.stat().st_size > 0

    assert not problems, "The pages broke in the browser:\n" + "\n".join(problems)
    context.close()
