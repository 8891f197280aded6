"""The admin works under the site's Content-Security-Policy: no refusals, its scripts all run."""

import pytest
from django.contrib.auth import get_user_model
from django.urls import reverse
from playwright.sync_api import expect

from programmes.models import Film

from .conftest import STAFF_PASSWORD, log_in, watch_for_breakage

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_admin_change_form_runs_under_the_policy_without_refusals(page, site):
    get_user_model().objects.create_superuser("csp", "csp@example.org", STAFF_PASSWORD)
    refusals = watch_for_breakage(page)
    log_in(page, site, "csp")
    film = Film.objects.get(slug_en="the-cranes-are-flying")
    response = page.goto(site(reverse("admin:programmes_film_change", args=[film.pk])))
    assert "script-src 'self'" in response.headers["content-security-policy"]
    # The language tabs are drawn by the admin's scripts (jQuery UI): they ran.
    english_tab = page.locator('a[href="#tab_id_title_en"]')
    english_tab.click()
    expect(page.locator("#id_title_en")).to_be_visible()
    # The poster's drawn preview is there (programmes/admin_pictures.py).
    expect(page.locator("a.picture-preview img").first).to_be_visible()
    page.goto(site(reverse("admin:screenings_screening_add")))
    page.goto(site("/en/"))
    assert refusals == []
