"""Roles on the server: an editor drafts and changes but cannot publish or delete what is public."""

import pytest
from django.contrib.admin.models import CHANGE, LogEntry
from django.contrib.auth import get_user_model
from django.contrib.auth.models import Group
from django.urls import reverse

from programmes.models import Film, PublicationStatus
from programmes.roles import EDITOR, PROGRAMMER
from screenings.models import Screening
from tests.admin_forms import run_action, submit
from tests.factories import FilmFactory, ProgrammeFactory, ScreeningFactory

pytestmark = pytest.mark.django_db


def staff_in(group_name: str, username: str):
    user = get_user_model().objects.create_user(username, password="pw", is_staff=True)
    user.groups.add(Group.objects.get(name=group_name))
    return user


@pytest.fixture
def editor(english_client):
    english_client.force_login(staff_in(EDITOR, "editor"))
    return english_client


@pytest.fixture
def programmer(english_client):
    english_client.force_login(staff_in(PROGRAMMER, "programmer"))
    return english_client


def change_url(obj) -> str:
    opts = obj._meta
    return reverse(f"admin:{opts.app_label}_{opts.model_name}_change", args=[obj.pk])


def delete_url(obj) -> str:
    opts = obj._meta
    return reverse(f"admin:{opts.app_label}_{opts.model_name}_delete", args=[obj.pk])


def test_both_roles_exist_with_their_permissions():
    editor = Group.objects.get(name=EDITOR)
    programmer = Group.objects.get(name=PROGRAMMER)
    editor_perms = set(editor.permissions.values_list("codename", flat=True))
    programmer_perms = set(programmer.permissions.values_list("codename", flat=True))
    assert {"add_film", "change_film", "add_screening", "change_still"} <= editor_perms
    assert not {p for p in editor_perms if p.startswith("publish_")}
    assert {"publish_film", "publish_programme", "publish_event"} <= programmer_perms
    assert not {p for p in programmer_perms if p.endswith("_user") or p.endswith("_group")}


def test_an_editor_cannot_manage_users(editor):
    assert editor.get(reverse("admin:auth_user_changelist")).status_code == 403


def test_an_editor_cannot_delete_a_published_film(editor):
    film = FilmFactory(status=PublicationStatus.PUBLISHED)
    assert editor.get(delete_url(film)).status_code == 403
    assert editor.post(delete_url(film), {"post": "yes"}).status_code == 403
    assert Film.objects.filter(pk=film.pk).exists()


def test_an_editor_cannot_delete_a_published_film_from_the_changelist(editor):
    film = FilmFactory(status=PublicationStatus.PUBLISHED)
    response = editor.post(
        reverse("admin:programmes_film_changelist"),
        {"action": "delete_selected", "_selected_action": [film.pk], "post": "yes"},
    )
    assert response.status_code == 403
    assert Film.objects.filter(pk=film.pk).exists()


def test_an_editor_may_delete_a_draft(editor):
    film = FilmFactory(status=PublicationStatus.DRAFT)
    response = editor.post(delete_url(film), {"post": "yes"})
    assert response.status_code == 302
    assert not Film.objects.filter(pk=film.pk).exists()


def test_a_programmer_may_delete_a_published_film(programmer):
    film = FilmFactory(status=PublicationStatus.PUBLISHED)
    assert programmer.post(delete_url(film), {"post": "yes"}).status_code == 302
    assert not Film.objects.filter(pk=film.pk).exists()


def test_an_editor_posting_published_leaves_the_film_a_draft(editor):
    film = FilmFactory(status=PublicationStatus.DRAFT, synopsis_en="Old.")
    response = submit(
        editor,
        change_url(film),
        {
            "status": "published",
            "synopsis_en": "New text.",
            "publish_from_0": "",
            "publish_from_1": "",
        },
        form_id="film_form",
    )
    assert response.status_code == 302
    film.refresh_from_db()
    assert film.synopsis_en == "New text."
    assert film.status == PublicationStatus.DRAFT


def test_an_editor_sees_no_state_field_and_is_told_who_publishes(editor):
    film = FilmFactory(status=PublicationStatus.DRAFT)
    page = editor.get(change_url(film)).content.decode()
    assert 'name="status"' not in page
    assert "ask a programmer to publish it" in page


def test_an_editor_cannot_use_the_publish_action(editor):
    film = FilmFactory(status=PublicationStatus.DRAFT)
    changelist = reverse("admin:programmes_film_changelist")
    assert "publish_selected" not in editor.get(changelist).content.decode()
    editor.post(changelist, {"action": "publish_selected", "_selected_action": [film.pk]})
    film.refresh_from_db()
    assert film.status == PublicationStatus.DRAFT


def test_a_programmer_publishes_from_the_form_and_it_is_logged(programmer):
    film = FilmFactory(status=PublicationStatus.DRAFT)
    response = submit(programmer, change_url(film), {"status": "published"}, form_id="film_form")
    assert response.status_code == 302
    film.refresh_from_db()
    assert film.status == PublicationStatus.PUBLISHED
    entry = LogEntry.objects.get(object_id=str(film.pk), action_flag=CHANGE)
    assert entry.user.username == "programmer"


def test_a_programmer_publishes_several_at_once(programmer):
    films = [FilmFactory(status=PublicationStatus.DRAFT) for _ in range(2)]
    run_action(programmer, reverse("admin:programmes_film_changelist"), "publish_selected", films)
    assert Film.objects.published().count() == 2
    assert LogEntry.objects.filter(change_message="Published.").count() == 2


def test_an_editor_cannot_delete_a_screening_of_a_published_film(editor):
    screening = ScreeningFactory(film=FilmFactory(status=PublicationStatus.PUBLISHED))
    assert editor.post(delete_url(screening), {"post": "yes"}).status_code == 403
    assert Screening.objects.filter(pk=screening.pk).exists()


def test_an_editor_cannot_delete_a_published_programme(editor):
    programme = ProgrammeFactory(status=PublicationStatus.PUBLISHED)
    assert editor.post(delete_url(programme), {"post": "yes"}).status_code == 403
