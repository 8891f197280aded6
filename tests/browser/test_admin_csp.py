"""The admin works under the site's Content-Security-Policy: no refusals, its scripts all run."""

import pytest
from django.contrib.auth import get_user_model
from django.urls import reverse
from playwright.sync_api import expect

from programmes.models import Film

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

PASSWORD = "a-long-admin-password-1"


@pytest.fixture
def plain_http(demo, settings):
    """The live server over plain HTTP; its middleware is rebuilt now the redirect is off."""
    settings.SECURE_SSL_REDIRECT = False
    handler = demo.thread.httpd.get_app()
    while hasattr(handler, "application"):
        handler = handler.application
    handler.load_middleware()
    return demo


def test_admin_change_form_runs_under_the_policy_without_refusals(plain_http, page, site):
    get_user_model().objects.create_superuser("csp", "csp@example.org", PASSWORD)
    refusals = []
    page.on(
        "console",
        lambda message: "Content Security Policy" in message.text and refusals.append(message.text),
    )
    page.goto(site(reverse("admin:login")))
    page.fill("#id_username", "csp")
    page.fill("#id_password", PASSWORD)
    page.click("input[type=submit]")
    film = Film.objects.get(slug_en="the-cranes-are-flying")
    response = page.goto(site(reverse("admin:programmes_film_change", args=[film.pk])))
    assert "script-src 'self'" in response.headers["content-security-policy"]
    # The language tabs are drawn by the admin's scripts (jQuery UI): they ran.
    english_tab = page.locator('a[href="#tab_id_title_en"]')
    english_tab.click()
    expect(page.locator("#id_title_en")).to_be_visible()
    # The poster widget's thumbnail is there (it is what needs inline style attributes).
    expect(page.locator("a.thumbnail img").first).to_be_visible()
    page.goto(site(reverse("admin:screenings_screening_add")))
    page.goto(site("/en/"))
    assert refusals == []
