"""A refused upload explains why in the form and leaves no file behind."""

import io

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from PIL import Image

from programmes.models import Film
from tests.factories import FilmFactory, image_file

pytestmark = pytest.mark.django_db


def stored_files(media_root):
    return [p for p in media_root.rglob("*") if p.is_file()] if media_root.exists() else []


def post_poster(client, film, upload):
    url = f"/admin/programmes/film/{film.pk}/change/"
    opened = client.get(url)
    form = opened.context["adminform"].form
    data = {"edit_version": opened.context["edit_version"]}
    for name, field in form.fields.items():
        value = form.initial.get(name, field.initial)
        if value is None or name == "poster":
            continue
        if isinstance(value, list):
            data[name] = [getattr(v, "pk", getattr(v, "code", v)) for v in value]
        else:
            data[name] = value
    data.update({"poster": upload, "poster_alt_nl": "affiche", "poster_alt_en": "poster"})
    for prefix in ("credits", "stills", "screenings"):
        data.update({f"{prefix}-TOTAL_FORMS": 0, f"{prefix}-INITIAL_FORMS": 0})
    return client.post(url, data)


def test_a_gif_poster_is_refused_by_type(staff_client, media_in_tmp):
    film = FilmFactory()
    response = post_poster(staff_client, film, image_file("poster.gif", image_format="GIF"))
    assert response.status_code == 200
    assert "upload a JPEG, PNG or WebP file" in response.content.decode()
    assert stored_files(media_in_tmp) == []
    film.refresh_from_db()
    assert not film.poster


def test_an_image_with_too_many_pixels_is_refused(staff_client, media_in_tmp, settings):
    settings.IMAGE_UPLOAD_MAX_PIXELS = 1_000_000
    film = FilmFactory()
    response = post_poster(staff_client, film, image_file("big.png", (1200, 1200), "PNG"))
    assert "million pixels" in response.content.decode()
    assert stored_files(media_in_tmp) == []


def test_a_decompression_bomb_is_refused(staff_client, media_in_tmp):
    # A tiny PNG that claims to be 30,000 × 30,000 pixels.
    buffer = io.BytesIO()
    Image.new("1", (30000, 30000)).save(buffer, "PNG")
    upload = SimpleUploadedFile("bomb.png", buffer.getvalue(), content_type="image/png")
    film = FilmFactory()
    response = post_poster(staff_client, film, upload)
    assert response.status_code == 200
    assert response.context["adminform"].form.errors["poster"]
    assert stored_files(media_in_tmp) == []


def test_an_oversized_file_is_refused(staff_client, media_in_tmp, settings):
    settings.IMAGE_UPLOAD_MAX_BYTES = 100
    film = FilmFactory()
    response = post_poster(staff_client, film, image_file("poster.jpg", (300, 450)))
    assert "images may be at most" in response.content.decode()
    assert stored_files(media_in_tmp) == []


def test_a_good_poster_is_stored(staff_client, media_in_tmp):
    film = FilmFactory()
    response = post_poster(staff_client, film, image_file("poster.jpg", (300, 450)))
    assert response.status_code == 302
    film = Film.objects.get(pk=film.pk)
    assert film.poster
    assert len(stored_files(media_in_tmp)) == 1


def photo() -> bytes:
    """A JPEG with a photo's detail: its pixels fill most of the file, after a short header."""
    buffer = io.BytesIO()
    Image.effect_noise((600, 900), 60).convert("RGB").save(buffer, "JPEG", quality=90)
    return buffer.getvalue()


def test_a_cut_off_jpeg_is_refused_and_leaves_nothing(staff_client, media_in_tmp):
    """Its header is whole, so it opens, and Pillow's verify() passes it; its pixels stop short
    (an upload interrupted). The form decodes it whole (sorl-thumbnail's image field)."""
    whole = photo()
    cut = SimpleUploadedFile("poster.jpg", whole[: len(whole) * 9 // 10], content_type="image/jpeg")
    film = FilmFactory()
    response = post_poster(staff_client, film, cut)
    assert response.status_code == 200
    assert "Upload a valid image" in response.content.decode()
    assert stored_files(media_in_tmp) == []
    film.refresh_from_db()
    assert not film.poster
