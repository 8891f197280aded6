"""Bilingual marks, stills (order, captions, alt text, refused files), finding things, deleting."""

import datetime

import pytest
from django.contrib import admin
from django.contrib.admin.utils import flatten_fieldsets
from django.db import models
from django.urls import reverse
from django.utils import timezone, translation

from programmes.models import Film, Person, Programme, PublicationStatus
from screenings.models import Screening, TicketStatus
from tests.admin_forms import read_form
from tests.factories import (
    CreditFactory,
    FilmFactory,
    PersonFactory,
    ScreeningFactory,
    StillFactory,
    image_file,
)

pytestmark = pytest.mark.django_db


def change_url(obj):
    return reverse(f"admin:programmes_{obj._meta.model_name}_change", args=[obj.pk])


# Bilingual marks


def test_the_missing_translation_filter_finds_films_lacking_english(staff_client):
    complete = FilmFactory()
    no_english = FilmFactory(synopsis_en="")
    no_dutch = FilmFactory(synopsis_nl="")
    url = reverse("admin:programmes_film_changelist")
    assert list(staff_client.get(url, {"missing": "en"}).context["cl"].result_list) == [no_english]
    assert list(staff_client.get(url, {"missing": "nl"}).context["cl"].result_list) == [no_dutch]
    assert complete in staff_client.get(url).context["cl"].result_list


def test_the_changelist_and_form_mark_a_missing_english_text(staff_client):
    film = FilmFactory(synopsis_en="", title_en="")
    changelist = staff_client.get(reverse("admin:programmes_film_changelist")).content.decode()
    assert "translation-mark--missing" in changelist
    page = staff_client.get(change_url(film)).content.decode()
    assert "translation-warning" in page
    assert "synopsis" in page.split("translation-warning", 1)[1].split("</div>", 1)[0]


def test_a_complete_film_carries_no_warning(staff_client):
    film = FilmFactory()
    assert "translation-warning" not in staff_client.get(change_url(film)).content.decode()


# Stills


def director_film():
    film = FilmFactory(title_en="The Cranes Are Flying", year=1957, countries=["SU"])
    CreditFactory(film=film, person=PersonFactory(name="Mikhail Kalatozov"))
    return film


def test_the_caption_is_proposed_from_the_credits(staff_client):
    film = director_film()
    page = staff_client.get(change_url(film)).content.decode()
    assert "The Cranes Are Flying (Mikhail Kalatozov, SU 1957)" in page


def film_form_with_stills(client, film, rows):
    data = read_form(client.get(change_url(film)).content.decode(), "film_form")
    data["stills-TOTAL_FORMS"] = [str(len(rows))]
    for index, row in enumerate(rows):
        for key, value in row.items():
            data[f"stills-{index}-{key}"] = value
    return data


def test_a_still_needs_alt_text_in_both_languages(staff_client):
    film = FilmFactory()
    data = film_form_with_stills(
        staff_client,
        film,
        [{"image": image_file("still.jpg", (160, 90)), "alt_text_nl": "Een brug", "order": 1}],
    )
    response = staff_client.post(change_url(film), data)
    assert response.status_code == 200
    assert not film.stills.exists()


def test_a_gif_still_is_refused_with_the_reason(staff_client):
    film = FilmFactory()
    data = film_form_with_stills(
        staff_client,
        film,
        [
            {
                "image": image_file("still.gif", image_format="GIF"),
                "alt_text_nl": "Een brug",
                "alt_text_en": "A bridge",
            }
        ],
    )
    response = staff_client.post(change_url(film), data)
    assert "upload a JPEG, PNG or WebP file" in response.content.decode()
    assert not film.stills.exists()


def test_renumbered_stills_show_in_their_new_order(staff_client, client):
    film = FilmFactory()
    first = StillFactory(film=film, order=1, alt_text_nl="Eerste")
    second = StillFactory(film=film, order=2, alt_text_nl="Tweede")
    data = read_form(staff_client.get(change_url(film)).content.decode(), "film_form")
    ids = {data[f"stills-{i}-id"][0]: i for i in range(2)}
    data[f"stills-{ids[str(first.pk)]}-order"] = ["2"]
    data[f"stills-{ids[str(second.pk)]}-order"] = ["1"]
    assert staff_client.post(change_url(film), data).status_code == 302
    with translation.override("nl"):
        page = client.get(film.get_absolute_url()).content.decode()
    assert page.index('alt="Tweede"') < page.index('alt="Eerste"')


def test_image_choosers_offer_only_accepted_types(staff_client):
    page = staff_client.get(reverse("admin:programmes_film_add")).content.decode()
    assert 'accept=".jpg,.jpeg,.png,.webp"' in page
    assert "admin/js/eye_editor.js" in page


# Finding things


def test_every_relation_to_films_people_and_programmes_autocompletes():
    targets = (Film, Person, Programme)
    missing = []
    for model, model_admin in admin.site._registry.items():
        admins = [model_admin, *(inline(model, admin.site) for inline in model_admin.inlines)]
        for each in admins:
            shown = set(flatten_fieldsets(each.fieldsets) if each.fieldsets else each.fields or ())
            for field in each.model._meta.get_fields():
                if not isinstance(field, models.ForeignKey | models.ManyToManyField):
                    continue
                if field.related_model not in targets or field.name not in shown:
                    continue
                if getattr(each, "fk_name", None) == field.name or (
                    hasattr(each, "parent_model") and field.related_model is each.parent_model
                ):
                    continue
                if field.auto_created or (
                    isinstance(field, models.ManyToManyField)
                    and not field.remote_field.through._meta.auto_created
                ):
                    continue
                if field.name not in each.autocomplete_fields:
                    missing.append(f"{each.model.__name__}.{field.name}")
    assert missing == []


def test_film_search_finds_english_title_original_title_and_director(staff_client):
    film = FilmFactory(title_en="Letter Never Sent", original_title="Neotpravlennoye pismo")
    CreditFactory(film=film, person=PersonFactory(name="Mikhail Kalatozov"))
    FilmFactory()
    url = reverse("admin:programmes_film_changelist")
    for term in ("Letter Never", "Neotpravlennoye", "Kalatozov"):
        assert list(staff_client.get(url, {"q": term}).context["cl"].result_list) == [film]


# Deleting a film with screenings


def test_past_and_cancelled_screenings_go_with_the_film(staff_client):
    film = FilmFactory()
    past = Screening(
        film=film,
        auditorium=ScreeningFactory().auditorium,
        starts_at=timezone.now() - datetime.timedelta(days=10),
    )
    past.save()
    ScreeningFactory(film=film, ticket_status=TicketStatus.CANCELLED)
    url = reverse("admin:programmes_film_delete", args=[film.pk])
    page = staff_client.get(url).content.decode()
    assert "Yes, I’m sure" in page or "Ja, ik weet het zeker" in page
    assert staff_client.post(url, {"post": "yes"}).status_code == 302
    assert not Film.objects.filter(pk=film.pk).exists()
    assert not Screening.objects.filter(film_id=film.pk).exists()


def test_an_upcoming_screening_blocks_the_delete_and_the_page_says_why(staff_client):
    film = FilmFactory(status=PublicationStatus.PUBLISHED)
    upcoming = ScreeningFactory(film=film)
    url = reverse("admin:programmes_film_delete", args=[film.pk])
    response = staff_client.get(url)
    page = response.content.decode()
    assert "cannot be deleted yet" in page
    assert reverse("admin:screenings_screening_change", args=[upcoming.pk]) in page
    assert f"film__id__exact={film.pk}" in page
    staff_client.post(url, {"post": "yes"})
    assert Film.objects.filter(pk=film.pk).exists()
    filtered = staff_client.get(
        reverse("admin:screenings_screening_changelist"), {"film__id__exact": film.pk}
    )
    assert list(filtered.context["cl"].result_list) == [upcoming]
