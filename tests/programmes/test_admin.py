import pytest
from django.contrib import admin
from django.contrib.auth import get_user_model
from django.urls import reverse

from tests.factories import (
    CreditFactory,
    EventContributorFactory,
    ScreeningFactory,
    StillFactory,
)

pytestmark = pytest.mark.django_db

REGISTERED = [
    model for model in admin.site._registry if model._meta.app_label in ("programmes", "screenings")
]


@pytest.fixture
def staff_client(client):
    user = get_user_model().objects.create_superuser("staff", "staff@example.org", "pw")
    client.force_login(user)
    return client


@pytest.fixture
def some_of_everything():
    CreditFactory()
    StillFactory()
    EventContributorFactory()
    ScreeningFactory()


@pytest.mark.parametrize("model", REGISTERED, ids=lambda m: m._meta.model_name)
def test_every_changelist_and_add_form_renders(staff_client, some_of_everything, model):
    opts = model._meta
    if opts.model_name == "sitesettings":
        url = reverse(f"admin:{opts.app_label}_{opts.model_name}_change")
        assert staff_client.get(url).status_code == 200
        return
    changelist = staff_client.get(reverse(f"admin:{opts.app_label}_{opts.model_name}_changelist"))
    assert changelist.status_code == 200
    add = staff_client.get(reverse(f"admin:{opts.app_label}_{opts.model_name}_add"))
    # Pictures are added by uploading an image, not by hand.
    can_add = admin.site._registry[model].has_add_permission(changelist.wsgi_request)
    assert add.status_code == (200 if can_add else 403)


def test_all_domain_models_are_in_the_admin():
    names = {model._meta.model_name for model in REGISTERED}
    assert {
        "programme",
        "film",
        "person",
        "event",
        "auditorium",
        "screening",
        "sitesettings",
    } <= names


def test_film_form_has_dutch_and_english_fields_and_inlines(staff_client):
    page = staff_client.get(reverse("admin:programmes_film_add")).content.decode()
    for field in ("id_title_nl", "id_title_en", "id_synopsis_nl", "id_synopsis_en"):
        assert field in page
    for inline in ("credits-TOTAL_FORMS", "stills-TOTAL_FORMS", "screenings-TOTAL_FORMS"):
        assert inline in page


def test_admin_loads_no_asset_from_another_host(staff_client):
    page = staff_client.get(reverse("admin:programmes_film_add")).content.decode()
    assert "//ajax.googleapis.com" not in page
    assert "jquery-ui.min.js" in page
