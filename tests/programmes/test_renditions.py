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


def upload(client, obj, fields: dict) -> None:
    """Save `obj`'s admin form as an editor would, with the uploads and texts in `fields`."""
    model = obj._meta.model_name
    url = reverse(f"admin:programmes_{model}_change", args=[obj.pk])
    data = read_form(client.get(url).content.decode(), f"{model}_form")
    data.update(fields)
    assert client.post(url, data).status_code == 302


def test_images_uploaded_in_the_admin_are_drawn_before_anyone_visits(
    staff_client, client, media_in_tmp, django_capture_on_commit_callbacks
):
    """Every page that shows a new campaign image, poster, still or event image, in both
    languages, finds all its files drawn: the slots of SHOWN_AS are those the pages use."""
    programme = ProgrammeFactory()
    film = FilmFactory()
    film.programmes.add(programme)
    # One event shows an image of its own; the other, without, its film's still.
    with_image = EventFactory(programme=programme, featured=True)
    with_still = EventFactory(programme=programme, featured=True)
    with_still.films.add(film)
    ScreeningFactory(film=film)
    ScreeningFactory(film=None, event=with_image)
    ScreeningFactory(film=None, event=with_still)
    with django_capture_on_commit_callbacks(execute=True):
        upload(
            staff_client,
            programme,
            {
                "campaign_image": image_file("campaign.jpg", (1920, 1080)),
                "campaign_image_alt_nl": ["Campagnebeeld"],
                "campaign_image_alt_en": ["Campaign image"],
            },
        )
        upload(
            staff_client,
            film,
            {
                "poster": image_file("poster.jpg", (600, 900)),
                "poster_alt_nl": ["Affiche"],
                "poster_alt_en": ["Poster"],
                "stills-TOTAL_FORMS": ["1"],
                "stills-0-image": image_file("still.jpg", (1600, 900)),
                "stills-0-alt_text_nl": ["Een brug"],
                "stills-0-alt_text_en": ["A bridge"],
                "stills-0-order": ["1"],
            },
        )
        upload(
            staff_client,
            with_image,
            {
                "image": image_file("event.jpg", (1600, 900)),
                "image_alt_nl": ["Een zaal"],
                "image_alt_en": ["A hall"],
            },
        )
    drawn = files_in(media_in_tmp)

    for language in ("nl", "en"):
        with translation.override(language):
            pages = [
                reverse("programmes:home"),
                reverse("screenings:agenda"),
                programme.get_absolute_url(),
                film.get_absolute_url(),
                with_image.get_absolute_url(),
                with_still.get_absolute_url(),
            ]
        for page in pages:
            response = client.get(page)
            assert response.status_code == 200, page
            assert "<picture>" in response.content.decode(), page

    assert files_in(media_in_tmp) == drawn
