"""Shared fixtures of the real-browser suite: Debian's Chromium through Playwright, a live server,
and the Russian Thaw demo loaded once per session and put back before every test.

Every test here drives a real browser, so a missing Chromium or Playwright fails the run with a
message saying what to install; it never skips (CI must not pass without the browser suite).
"""

from __future__ import annotations

import datetime
import io
import os
from pathlib import Path
from urllib.parse import urlencode

import pytest
from django.conf import settings as django_settings
from django.core.management import call_command
from django.test import override_settings
from django.urls import reverse
from django.utils import timezone, translation
from playwright.sync_api import expect

from programmes.models import Event, Film, Person, Programme
from tests.demo import load_demo
from tests.factories import draw_pictures

# Playwright's sync API keeps an event loop running in this thread; Django would otherwise refuse
# ORM calls from the test itself ("You cannot call this from an async context").
os.environ.setdefault("DJANGO_ALLOW_ASYNC_UNSAFE", "true")

CHROMIUM = "/usr/bin/chromium"
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    # The machine has no network beyond loopback: keep Chromium from calling home.
    "--disable-background-networking",
    "--disable-component-update",
    "--no-first-run",
    "--disable-sync",
]
# The widths a visitor's phone and desktop give the page.
PHONE = {"width": 390, "height": 844}
DESKTOP = {"width": 1280, "height": 900}
# Where screenshots go; CI keeps this folder (see README.md).
ARTIFACTS = Path(__file__).resolve().parents[2] / "test-artifacts"

# The demo's data, dumped once per session and loaded back before each test.
DEMO_APPS = ["programmes", "screenings"]


@pytest.fixture(scope="session")
def playwright_instance():
    try:
        from playwright.sync_api import sync_playwright
    except ImportError as error:
        pytest.fail(
            f"Playwright is not installed ({error}); run `make install-dev`.", pytrace=False
        )
    with sync_playwright() as playwright:
        yield playwright


@pytest.fixture(scope="session")
def browser(playwright_instance):
    if not Path(CHROMIUM).exists():
        pytest.fail(
            f"Chromium is missing at {CHROMIUM}; install Debian's chromium package "
            "(`make system-deps` as root). The browser suite never skips.",
            pytrace=False,
        )
    try:
        browser = playwright_instance.chromium.launch(
            executable_path=CHROMIUM, args=CHROMIUM_ARGS, headless=True
        )
    except Exception as error:
        pytest.fail(
            f"Chromium at {CHROMIUM} did not start under Playwright: {error}", pytrace=False
        )
    yield browser
    browser.close()


@pytest.fixture
def context(browser):
    """A fresh browser profile per test: no cookies or language choice carried over."""
    context = browser.new_context(viewport=DESKTOP, locale="en-GB", accept_downloads=True)
    context.set_default_timeout(30_000)
    yield context
    context.close()


@pytest.fixture
def page(context):
    page = context.new_page()
    problems = watch_for_breakage(page)
    yield page
    assert not problems, "The page broke in the browser:\n" + "\n".join(problems)


STAFF_PASSWORD = "a-long-staff-password-1959"


def log_in(page, site, username: str, password: str = STAFF_PASSWORD) -> None:
    """Logs in through the admin's form, and waits until the admin greets the user."""
    page.context.clear_cookies()
    page.goto(site(reverse("admin:login")))
    page.fill("#id_username", username)
    page.fill("#id_password", password)
    page.click("input[type=submit]")
    expect(page.locator("#user-tools")).to_contain_text(username)


def watch_for_breakage(page) -> list[str]:
    """Collects what a visitor would suffer without any message on screen: script errors, and
    scripts, styles or images the Content-Security-Policy refused."""
    problems: list[str] = []
    page.on("pageerror", lambda error: problems.append(f"script error: {error}"))
    page.on(
        "console",
        lambda message: (
            "Content Security Policy" in message.text
            and problems.append(f"{page.url}: {message.text}")
        ),
    )
    return problems


@pytest.fixture(scope="session")
def demo_media_root(tmp_path_factory) -> Path:
    """One media folder for the whole browser session: the demo's posters and stills live here."""
    return tmp_path_factory.mktemp("browser-media")


@pytest.fixture(scope="session")
def demo_dump(django_db_setup, django_db_blocker, demo_media_root, tmp_path_factory) -> Path:
    """Load the demo once (it takes seconds), dump its rows, and leave the database empty again."""
    dump = tmp_path_factory.mktemp("browser-demo") / "demo.json"
    plain_static = {
        **django_settings.STORAGES,
        "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"},
    }
    with (
        django_db_blocker.unblock(),
        override_settings(
            MEDIA_ROOT=demo_media_root, STORAGES=plain_static, SECURE_SSL_REDIRECT=False
        ),
    ):
        load_demo(stdout=io.StringIO())
        # The pictures drawn, as a worker draws them within a minute of `make run`; their
        # records go into the dump with the rest.
        draw_pictures()
        call_command("dumpdata", *DEMO_APPS, output=str(dump), verbosity=0)
        # Other tests expect an empty database; the tests here load the dump back.
        call_command("flush", interactive=False, verbosity=0)
    return dump


@pytest.fixture(autouse=True)
def _demo_media(media_in_tmp, settings, demo_media_root):
    # Runs after the suite-wide media_in_tmp, so the live server finds the demo's images.
    settings.MEDIA_ROOT = demo_media_root


@pytest.fixture
def demo(live_server, transactional_db, demo_dump, settings):
    """The live server with the demo in its database, as freshly loaded; flushed after the test."""
    # The live server speaks plain HTTP (tests/production checks the HTTPS redirect).
    settings.SECURE_SSL_REDIRECT = False
    rebuild_middleware(live_server)
    call_command("loaddata", str(demo_dump), verbosity=0)
    return live_server


def rebuild_middleware(live_server) -> None:
    """The live server built its middleware from the settings of the moment it started (once per
    session); build it again, so it follows this test's settings."""
    handler = live_server.thread.httpd.get_app()
    while hasattr(handler, "application"):
        handler = handler.application
    handler.load_middleware()


@pytest.fixture
def site(demo):
    """Builds absolute addresses on the live server: site("/nl/agenda/")."""

    def url(path: str) -> str:
        return f"{demo.url}{path}"

    url.base = demo.url
    return url


@pytest.fixture(scope="session")
def screenshots_dir() -> Path:
    folder = ARTIFACTS / "screenshots"
    folder.mkdir(parents=True, exist_ok=True)
    return folder


# Every kind of page a visitor meets, for the accessibility, screenshot and HTML-validity checks.
PAGE_TYPES = (
    "home",
    "agenda",
    "agenda-filtered",
    "programmes-index",
    "programme",
    "films-index",
    "film",
    "event",
    "person",
    "search",
    "not-found",
)


def page_type_paths(language: str) -> dict[str, str]:
    """The address of one page of each type in a language, built from the demo's own objects."""
    with translation.override(language):
        film = Film.objects.get(slug_en="the-cranes-are-flying")
        # The demo runs four weeks from the day it was loaded, so tomorrow always has shows.
        tomorrow = (timezone.localdate() + datetime.timedelta(days=1)).isoformat()
        agenda = reverse("screenings:agenda")
        paths = {
            "home": reverse("programmes:home"),
            "agenda": agenda,
            "agenda-filtered": f"{agenda}?{urlencode({'date': tomorrow, 'language': 'en'})}",
            "programmes-index": reverse("programmes:programme_list"),
            "programme": Programme.objects.get(slug_en="russian-thaw").get_absolute_url(),
            "films-index": reverse("screenings:film_list"),
            "film": film.get_absolute_url(),
            "event": Event.objects.filter(films=film).get().get_absolute_url(),
            "person": Person.objects.get(slug="kalatozov").get_absolute_url(),
            # Found by its Dutch title in either language: the film and its opening night.
            "search": f"{reverse('screenings:search')}?{urlencode({'q': 'kraanvogels'})}",
            # A film that is not (or no longer) there: the styled 404 inside the language.
            "not-found": reverse("programmes:film_detail", kwargs={"slug": "no-such-film"}),
        }
    assert set(paths) == set(PAGE_TYPES)
    return paths


def expected_status(page_type: str) -> int:
    return 404 if page_type == "not-found" else 200


def load_everything(page) -> None:
    """Scroll through the page so lazy images load before a full-page screenshot."""
    page.evaluate(
        """async () => {
            for (let y = 0; y < document.body.scrollHeight; y += window.innerHeight) {
                window.scrollTo(0, y);
                await new Promise(resolve => requestAnimationFrame(resolve));
            }
            window.scrollTo(0, 0);
            await Promise.all([...document.images].map(img => img.decode().catch(() => null)));
        }"""
    )
