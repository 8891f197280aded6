"""Pictures are drawn when an editor uploads them, so that no visitor waits for them."""

import pytest
from django.apps import apps
from django.db import models
from django.urls import reverse
from django.utils import translation

from programmes.markup import SHOWN_AS
from tests.admin_forms import read_form
from tests.factories import (
    EventFactory,
    FilmFactory,
    ProgrammeFactory,
    ScreeningFactory,
    image_file,
)

pytestmark = pytest.mark.django_db


def test_every_image_field_says_where_its_pictures_show():
    image_fields = {
        str(field)
        for model in apps.get_models()
        for field in model._meta.get_fields()
        if isinstance(field, models.ImageField)
    }
    assert image_fields == set(SHOWN_AS)


def files_in(media_root):
    return {path for path in media_root.rglob("*") if path.is_file()}


def test_a_poster_and_a_still_uploaded_in_the_admin_are_drawn_before_anyone_visits(
    staff_client, client, media_in_tmp, django_capture_on_commit_callbacks
):
    programme = ProgrammeFactory()
    film = FilmFactory()
    film.programmes.add(programme)
    event = EventFactory(programme=programme)
    event.films.add(film)
    ScreeningFactory(film=film)
    ScreeningFactory(film=None, event=event)
    url = reverse("admin:programmes_film_change", args=[film.pk])
    data = read_form(staff_client.get(url).content.decode(), "film_form")
    data.update(
        {
            "poster": image_file("poster.jpg", (600, 900)),
            "poster_alt_nl": ["Affiche"],
            "poster_alt_en": ["Poster"],
            "stills-TOTAL_FORMS": ["1"],
            "stills-0-image": image_file("still.jpg", (1600, 900)),
            "stills-0-alt_text_nl": ["Een brug"],
            "stills-0-alt_text_en": ["A bridge"],
            "stills-0-order": ["1"],
        }
    )
    with django_capture_on_commit_callbacks(execute=True):
        assert staff_client.post(url, data).status_code == 302
    drawn = files_in(media_in_tmp)

    for language in ("nl", "en"):
        with translation.override(language):
            pages = {
                "film": film.get_absolute_url(),
                "programme": programme.get_absolute_url(),
                "event": event.get_absolute_url(),
                "agenda": reverse("screenings:agenda"),
                "home": reverse("programmes:home"),
            }
        for name, page in pages.items():
            response = client.get(page)
            assert response.status_code == 200, name
            if name != "home":
                assert "<picture>" in response.content.decode(), name

    assert files_in(media_in_tmp) == drawn
