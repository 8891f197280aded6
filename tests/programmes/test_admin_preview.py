"""Preview: staff see a draft as visitors will, in either language; nobody else sees it."""

import pytest
from django.contrib.auth import get_user_model
from django.urls import reverse
from django.utils import timezone, translation

from programmes.models import PublicationStatus
from tests.admin_forms import submit
from tests.factories import EventFactory, FilmFactory, ProgrammeFactory, ScreeningFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def staff(client):
    user = get_user_model().objects.create_superuser("staff", "staff@example.org", "pw")
    client.force_login(user)
    return client


def preview(obj, code: str) -> str:
    with translation.override(code):
        return reverse(f"preview:{obj._meta.model_name}", kwargs={"pk": obj.pk})


@pytest.fixture
def draft_film():
    film = FilmFactory(
        status=PublicationStatus.DRAFT,
        title_nl="Brief die nooit werd verzonden",
        title_en="Letter Never Sent",
        synopsis_nl="Vier geologen in de taiga.",
        synopsis_en="Four geologists in the taiga.",
    )
    ScreeningFactory(film=film, starts_at=timezone.now() + timezone.timedelta(days=2))
    return film


def test_a_draft_is_not_on_the_public_site(client, draft_film):
    assert client.get(draft_film.get_absolute_url()).status_code == 404


def test_staff_preview_a_draft_in_dutch_and_english(staff, draft_film):
    dutch = staff.get(preview(draft_film, "nl"))
    english = staff.get(preview(draft_film, "en"))
    assert dutch.status_code == english.status_code == 200
    assert "Brief die nooit werd verzonden" in dutch.content.decode()
    assert "Vier geologen in de taiga." in dutch.content.decode()
    assert "Letter Never Sent" in english.content.decode()
    assert "Four geologists in the taiga." in english.content.decode()
    assert '<h1 class="page-title">Brief die nooit werd verzonden</h1>' in dutch.content.decode()


def test_the_preview_shows_the_drafts_screenings_and_a_banner(staff, draft_film):
    page = staff.get(preview(draft_film, "en")).content.decode()
    assert page.count('<li class="screening') == 1
    assert draft_film.screenings.get().get_calendar_url() in page
    assert "preview-banner" in page


def test_the_preview_is_never_cached_nor_indexed(staff, draft_film):
    response = staff.get(preview(draft_film, "nl"))
    assert "no-cache" in response["Cache-Control"] or "max-age=0" in response["Cache-Control"]
    assert "noindex" in response["X-Robots-Tag"]


def test_the_language_switch_stays_in_the_preview(staff, draft_film):
    page = staff.get(preview(draft_film, "nl")).content.decode()
    assert f'<a href="{preview(draft_film, "en")}" hreflang="en"' in page


def test_visitors_are_sent_to_log_in(client, draft_film):
    response = client.get(preview(draft_film, "nl"))
    assert response.status_code == 302
    assert reverse("admin:login") in response["Location"]
    assert "Letter Never Sent" not in client.get(preview(draft_film, "en")).content.decode()


def test_staff_without_view_permission_get_403(client, draft_film):
    user = get_user_model().objects.create_user("intern", password="pw", is_staff=True)
    client.force_login(user)
    assert client.get(preview(draft_film, "en")).status_code == 403


def test_programme_and_event_drafts_have_a_preview(staff):
    programme = ProgrammeFactory(status=PublicationStatus.DRAFT, title_en="Thaw draft")
    event = EventFactory(status=PublicationStatus.DRAFT, title_en="Opening draft")
    assert "Thaw draft" in staff.get(preview(programme, "en")).content.decode()
    assert "Opening draft" in staff.get(preview(event, "en")).content.decode()


def test_the_change_form_links_to_both_previews_and_live_pages(staff):
    film = FilmFactory(status=PublicationStatus.PUBLISHED)
    page = staff.get(reverse("admin:programmes_film_change", args=[film.pk])).content.decode()
    assert preview(film, "nl") in page
    assert preview(film, "en") in page
    with translation.override("en"):
        assert film.get_absolute_url() in page
    with translation.override("nl"):
        assert film.get_absolute_url() in page


def test_a_draft_has_no_view_on_site_link(staff, draft_film):
    page = staff.get(reverse("admin:programmes_film_change", args=[draft_film.pk]))
    assert "viewsitelink" not in page.content.decode()


def test_save_and_preview_saves_then_shows_the_preview(staff, draft_film):
    url = reverse("admin:programmes_film_change", args=[draft_film.pk])
    response = submit(
        staff, url, {"synopsis_en": "Now with a new synopsis.", "_preview": "1"}, "film_form"
    )
    assert response.status_code == 302
    assert "/preview/films/" in response["Location"]
    assert "Now with a new synopsis." in staff.get(preview(draft_film, "en")).content.decode()


def test_a_scheduled_film_appears_on_time_by_itself(client):
    soon = timezone.now() + timezone.timedelta(hours=1)
    film = FilmFactory(status=PublicationStatus.PUBLISHED, publish_from=soon)
    assert client.get(film.get_absolute_url()).status_code == 404
    film.publish_from = timezone.now() - timezone.timedelta(minutes=1)
    film.save()
    assert client.get(film.get_absolute_url()).status_code == 200
