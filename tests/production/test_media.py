"""Uploads as the app serves them: images as images, never anything a browser would run."""

import pytest

pytestmark = pytest.mark.django_db


@pytest.fixture
def uploads(media_in_tmp):
    folder = media_in_tmp / "posters"
    folder.mkdir(parents=True)
    (folder / "cranes.jpg").write_bytes(b"\xff\xd8\xff\xe0 not really a jpeg")
    (folder / "evil.html").write_text("<script>alert(1)</script>")
    (folder / "evil.svg").write_text('<svg xmlns="http://www.w3.org/2000/svg"><script/></svg>')
    (folder / "press-kit.pdf").write_bytes(b"%PDF-1.4")
    (folder / "notes.txt").write_text("<script>alert(1)</script>")
    return folder


def test_an_image_is_served_as_an_image_that_cannot_be_sniffed(client, uploads):
    response = client.get("/media/posters/cranes.jpg")
    assert response.status_code == 200
    assert response["Content-Type"] == "image/jpeg"
    assert response["X-Content-Type-Options"] == "nosniff"
    assert "sandbox" in response["Content-Security-Policy"]
    # A stored name never points at other bytes, so a repeat visit does not ask again.
    assert "max-age=31536000" in response["Cache-Control"]
    assert "immutable" in response["Cache-Control"]


@pytest.mark.parametrize("name", ["evil.html", "evil.svg", "EVIL.SVG"])
def test_markup_is_never_served(client, uploads, name):
    if name == "EVIL.SVG":
        (uploads / name).write_text("<svg/>")
    assert client.get(f"/media/posters/{name}").status_code == 404


@pytest.mark.parametrize("name", ["press-kit.pdf", "notes.txt"])
def test_anything_else_is_a_download(client, uploads, name):
    response = client.get(f"/media/posters/{name}")
    assert response.status_code == 200
    assert response["Content-Type"] == "application/octet-stream"
    assert response["Content-Disposition"] == "attachment"
    assert response["X-Content-Type-Options"] == "nosniff"
