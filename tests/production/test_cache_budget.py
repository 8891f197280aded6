"""Misses cannot starve hits: a client that asks for endless new addresses gets its share of
renders, then a 429 with Retry-After; other visitors, and its own cached pages, are untouched."""

from __future__ import annotations

import datetime

import pytest
from django.test import Client
from django.utils import timezone

from eye_site import cache

from .conftest import after_the_edit

pytestmark = pytest.mark.django_db

BUDGET = 3


@pytest.fixture(autouse=True)
def small_budget(settings):
    settings.PAGE_CACHE_CLIENT_MISSES = BUDGET
    settings.TRUSTED_PROXY_COUNT = 1  # behind one load balancer, which names the client


def browser(address: str) -> Client:
    return Client(HTTP_X_FORWARDED_FOR=address)


def agenda_day(days: int) -> str:
    day = timezone.localdate() + datetime.timedelta(days=days)
    return f"/en/whats-on/?date={day.isoformat()}"


def test_a_client_walking_new_dates_gets_its_share_then_a_bilingual_429(demo):
    flooder = browser("203.0.113.9")
    for days in range(BUDGET):
        assert flooder.get(agenda_day(days))["X-Page-Cache"] == "miss"
    refused = flooder.get(agenda_day(BUDGET))
    assert refused.status_code == 429
    assert refused["X-Page-Cache"] == "limited"
    assert 1 <= int(refused["Retry-After"]) <= cache.MISS_WINDOW
    assert refused["Cache-Control"] == "no-store"
    text = refused.content.decode()
    assert "Even geduld" in text and "One moment, please" in text
    assert f"over {refused['Retry-After']} seconden" in text
    # What it had already is still a hit: hits cost no budget.
    assert flooder.get(agenda_day(0))["X-Page-Cache"] == "hit"


def test_other_visitors_keep_getting_new_pages_while_one_client_is_limited(demo):
    flooder = browser("203.0.113.9")
    for days in range(BUDGET + 2):
        flooder.get(agenda_day(days))
    visitor = browser("198.51.100.20")
    page = visitor.get(agenda_day(BUDGET + 5))
    assert page.status_code == 200 and page["X-Page-Cache"] == "miss"
    assert visitor.get("/en/programmes/russian-thaw/").status_code == 200


def test_a_limited_client_gets_an_older_copy_rather_than_a_429(
    demo, django_capture_on_commit_callbacks
):
    flooder = browser("203.0.113.9")
    assert flooder.get("/en/programmes/russian-thaw/")["X-Page-Cache"] == "miss"
    demo.subtitle_en = "A newer subtitle"
    with django_capture_on_commit_callbacks(execute=True):
        demo.save()
    for days in range(BUDGET):
        flooder.get(agenda_day(days))
    older = flooder.get("/en/programmes/russian-thaw/")
    assert older.status_code == 200 and older["X-Page-Cache"] == "stale"
    assert "A newer subtitle" not in older.content.decode()
    # Its request did not have the page rendered; another visitor's does, within its budget.
    page = after_the_edit(browser("198.51.100.20"), "/en/programmes/russian-thaw/")
    assert "A newer subtitle" in page.content.decode()


def test_a_made_up_session_cookie_does_not_escape_the_budget(demo):
    flooder = browser("203.0.113.9")
    flooder.cookies["sessionid"] = "not-a-session-of-ours"
    for days in range(BUDGET):
        assert flooder.get(agenda_day(days)).status_code == 200
    assert flooder.get(agenda_day(BUDGET)).status_code == 429


def test_logged_in_staff_have_no_limit(demo, staff_client):
    staff_client.defaults["HTTP_X_FORWARDED_FOR"] = "203.0.113.9"
    for days in range(BUDGET + 3):
        assert staff_client.get(agenda_day(days)).status_code == 200


def test_the_budget_is_per_window(demo, monkeypatch):
    now = [1_000_000.0]
    monkeypatch.setattr(cache.time, "time", lambda: now[0])
    flooder = browser("203.0.113.9")
    for days in range(BUDGET):
        flooder.get(agenda_day(days))
    assert flooder.get(agenda_day(BUDGET)).status_code == 429
    now[0] += cache.MISS_WINDOW
    assert flooder.get(agenda_day(BUDGET)).status_code == 200
