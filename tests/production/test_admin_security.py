"""The admin: at the address the environment gives, and closed after too many wrong passwords."""

import pytest
from django.contrib.auth import get_user_model
from django.urls import reverse

from .conftest import manage, production_env

pytestmark = pytest.mark.django_db

PASSWORD = "the-right-password-42"


@pytest.fixture(autouse=True)
def admin_in_english(english_client):
    """The lockout message is checked in English, the language this browser asks for."""


@pytest.fixture
def editor(db):
    return get_user_model().objects.create_superuser("editor", "e@example.org", PASSWORD)


def log_in(client, password, address="203.0.113.9"):
    return client.post(
        reverse("admin:login"),
        {"username": "editor", "password": password, "next": reverse("admin:index")},
        REMOTE_ADDR=address,
    )


def test_five_wrong_passwords_lock_the_login_with_a_clear_message(client, editor, settings):
    for _ in range(settings.AXES_FAILURE_LIMIT - 1):
        response = log_in(client, "wrong")
        assert response.status_code == 200  # the login form again, with its error
    locked = log_in(client, "wrong")
    assert locked.status_code == 429
    page = locked.content.decode()
    assert "Too many login attempts" in page
    assert "Try again in 15 minutes" in page


def test_during_a_lockout_even_the_right_password_is_refused(client, editor, settings):
    for _ in range(settings.AXES_FAILURE_LIMIT):
        log_in(client, "wrong")
    assert log_in(client, PASSWORD).status_code == 429
    assert "_auth_user_id" not in client.session


def test_a_lockout_is_per_address(client, editor, settings):
    for _ in range(settings.AXES_FAILURE_LIMIT):
        log_in(client, "wrong")
    assert log_in(client, PASSWORD, address="198.51.100.4").status_code == 302


def test_right_password_logs_in(client, editor):
    assert log_in(client, PASSWORD).status_code == 302


def test_address_behind_the_load_balancer_is_the_client_one(client, editor, settings):
    settings.TRUSTED_PROXY_COUNT = 1
    for _ in range(settings.AXES_FAILURE_LIMIT):
        client.post(
            reverse("admin:login"),
            {"username": "editor", "password": "wrong"},
            REMOTE_ADDR="10.0.0.2",
            HTTP_X_FORWARDED_FOR="203.0.113.9",
        )
    # Another visitor through the same load balancer is not locked out with the first.
    response = client.post(
        reverse("admin:login"),
        {"username": "editor", "password": PASSWORD, "next": reverse("admin:index")},
        REMOTE_ADDR="10.0.0.2",
        HTTP_X_FORWARDED_FOR="198.51.100.4",
    )
    assert response.status_code == 302


def test_test_client_login_still_works(client, editor):
    assert client.login(username="editor", password=PASSWORD)
    assert client.get(reverse("admin:index")).status_code == 200


def test_admin_path_comes_from_the_environment():
    env = production_env(ADMIN_PATH="staff-desk/")
    script = "from django.urls import reverse; print(reverse('admin:index'))"
    result = manage("shell", "-c", script, env=env)
    assert result.stdout.strip().splitlines()[-1] == "/staff-desk/"


def test_admin_path_must_look_like_a_path():
    result = manage("check", env=production_env(ADMIN_PATH="/admin"), check=False)
    assert result.returncode != 0
    assert "ADMIN_PATH" in result.stderr
