"""Every security header, cookie flag and the HTTPS redirect, asserted on real responses."""

import pytest
from django.urls import reverse

pytestmark = pytest.mark.django_db

HTTPS = {"headers": {"X-Forwarded-Proto": "https"}}


@pytest.fixture
def page(client, demo):
    return client.get("/en/", **HTTPS)


def test_visitor_page_has_a_content_security_policy_without_inline_code(page):
    policy = page["Content-Security-Policy"]
    directives = dict(part.strip().split(" ", 1) for part in policy.split(";"))
    assert directives["default-src"] == "'self'"
    assert directives["script-src"] == "'self'"
    assert directives["style-src"] == "'self'"
    assert directives["frame-ancestors"] == "'none'"
    assert directives["object-src"] == "'none'"
    assert "unsafe-inline" not in policy
    assert "unsafe-eval" not in policy


def test_visitor_page_over_https_has_hsts_for_a_year_with_subdomains(page):
    hsts = page["Strict-Transport-Security"]
    assert "max-age=31536000" in hsts
    assert "includeSubDomains" in hsts


@pytest.mark.parametrize(
    ("header", "value"),
    [
        ("X-Content-Type-Options", "nosniff"),
        ("Referrer-Policy", "strict-origin-when-cross-origin"),
        ("Cross-Origin-Opener-Policy", "same-origin"),
        ("X-Frame-Options", "DENY"),
    ],
)
def test_visitor_page_has_security_header(page, header, value):
    assert page[header] == value


def test_visitor_page_turns_off_browser_features_it_does_not_use(page):
    policy = page["Permissions-Policy"]
    for feature in ("camera", "geolocation", "microphone", "payment"):
        assert f"{feature}=()" in policy


def test_cached_copy_carries_the_same_headers(client, demo):
    first = client.get("/nl/", **HTTPS)
    second = client.get("/nl/", **HTTPS)
    assert second["X-Page-Cache"] == "hit"
    for header in (
        "Content-Security-Policy",
        "Strict-Transport-Security",
        "X-Content-Type-Options",
        "Referrer-Policy",
        "Permissions-Policy",
        "Cross-Origin-Opener-Policy",
        "X-Frame-Options",
    ):
        assert second[header] == first[header], header


def test_plain_http_is_redirected_to_https(client, demo, settings):
    settings.SECURE_SSL_REDIRECT = True
    response = client.get("/en/")
    assert response.status_code == 301
    assert response["Location"] == "https://testserver/en/"


def test_https_from_the_load_balancer_is_recognised(client, demo, settings):
    settings.SECURE_SSL_REDIRECT = True
    assert client.get("/en/", **HTTPS).status_code == 200


def test_admin_cookies_are_secure_and_http_only(client, db):
    from django.contrib.auth import get_user_model

    get_user_model().objects.create_superuser("editor", "e@example.org", "a-long-password-1")
    login = reverse("admin:login")
    form = client.get(login, **HTTPS)
    csrf = form.cookies["csrftoken"]
    assert csrf["secure"] and csrf["httponly"]
    response = client.post(
        login,
        {"username": "editor", "password": "a-long-password-1", "next": reverse("admin:index")},
        **HTTPS,
    )
    assert response.status_code == 302
    session = response.cookies["sessionid"]
    assert session["secure"] and session["httponly"]
    assert session["samesite"] == "Lax"


def test_admin_page_has_the_policy_with_only_inline_style_attributes_allowed(staff_client):
    response = staff_client.get(reverse("admin:programmes_film_add"), **HTTPS)
    policy = response["Content-Security-Policy"]
    directives = dict(part.strip().split(" ", 1) for part in policy.split(";"))
    assert directives["script-src"] == "'self'"
    assert directives["style-src"] == "'self'"
    assert directives["style-src-attr"] == "'unsafe-inline'"
    assert directives["frame-ancestors"] == "'none'"
