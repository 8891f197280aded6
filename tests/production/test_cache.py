"""The page cache as visitors and editors notice it: fast repeats, 304s, and edits seen at once."""

import pytest
from django.db.models.fields.files import FieldFile
from django.urls import reverse

from programmes.models import Programme

from .conftest import after_the_edit

pytestmark = pytest.mark.django_db

PROGRAMME_EN = "/en/programmes/russian-thaw/"
PROGRAMME_NL = "/nl/programma/russische-dooi/"


def test_second_anonymous_visit_is_served_from_the_cache(client, demo):
    first = client.get(PROGRAMME_EN)
    second = client.get(PROGRAMME_EN)
    assert first["X-Page-Cache"] == "miss"
    assert second["X-Page-Cache"] == "hit"
    assert second.content == first.content
    assert second["Content-Type"] == first["Content-Type"]


def test_cached_page_answers_without_the_database(client, demo, django_assert_num_queries):
    client.get(PROGRAMME_EN)
    with django_assert_num_queries(0):
        assert client.get(PROGRAMME_EN)["X-Page-Cache"] == "hit"


def test_repeat_visit_with_etag_gets_304(client, demo):
    first = client.get(PROGRAMME_EN)
    etag = first["ETag"]
    repeat = client.get(PROGRAMME_EN, headers={"If-None-Match": etag})
    assert repeat.status_code == 304
    assert repeat.content == b""
    assert repeat["ETag"] == etag


def test_repeat_visit_with_last_modified_gets_304(client, demo):
    first = client.get(PROGRAMME_EN)
    repeat = client.get(PROGRAMME_EN, headers={"If-Modified-Since": first["Last-Modified"]})
    assert repeat.status_code == 304


def test_browsers_revalidate_every_time(client, demo):
    cache_control = client.get(PROGRAMME_EN)["Cache-Control"]
    assert "max-age=0" in cache_control and "must-revalidate" in cache_control


def test_each_language_keeps_its_own_page(client, demo):
    client.get(PROGRAMME_NL)
    client.get(PROGRAMME_EN)
    english = client.get(PROGRAMME_EN)
    dutch = client.get(PROGRAMME_NL)
    assert english["X-Page-Cache"] == dutch["X-Page-Cache"] == "hit"
    assert '<html lang="en">' in english.content.decode()
    assert "Soviet New Wave" in english.content.decode()
    assert '<html lang="nl">' in dutch.content.decode()
    assert "Sovjet nieuwe golf" in dutch.content.decode()


def test_query_string_is_part_of_the_address(client, demo):
    client.get("/en/whats-on/")
    filtered = client.get("/en/whats-on/?type=events")
    assert filtered["X-Page-Cache"] == "miss"


def test_staff_save_in_the_admin_is_visible_to_visitors_at_once(
    client, staff_client, demo, django_capture_on_commit_callbacks
):
    from django.test import Client

    visitor = Client()
    assert "Soviet New Wave" in visitor.get(PROGRAMME_EN).content.decode()
    assert visitor.get(PROGRAMME_EN)["X-Page-Cache"] == "hit"
    programme = Programme.objects.get(slug_en="russian-thaw")
    change = reverse("admin:programmes_programme_change", args=[programme.pk])
    opened = staff_client.get(change)
    form = opened.context["adminform"].form
    data = {
        name: value
        for name, value in form.initial.items()
        if value is not None and not isinstance(value, FieldFile)
    }
    data.update(
        subtitle_en="Thaw on screen, 1957 – 1968",
        starts_on=programme.starts_on.isoformat(),
        ends_on=programme.ends_on.isoformat(),
        publish_from_0="",
        publish_from_1="",
        # The version the form was opened on (editing.admin checks it).
        edit_version=opened.context["edit_version"],
    )
    with django_capture_on_commit_callbacks(execute=True):  # the admin's save commits
        response = staff_client.post(change, data)
    assert response.status_code == 302, response.context["adminform"].form.errors
    # The first visitor after it gets the page as it was, at once; once that answer is out,
    # the page is rendered again, for every visitor after.
    assert visitor.get(PROGRAMME_EN)["X-Page-Cache"] == "stale"
    page = visitor.get(PROGRAMME_EN)
    assert page["X-Page-Cache"] == "hit"
    assert "Thaw on screen, 1957 – 1968" in page.content.decode()


def test_a_save_outside_the_admin_also_invalidates(
    client, demo, django_capture_on_commit_callbacks
):
    client.get(PROGRAMME_EN)
    programme = Programme.objects.get(slug_en="russian-thaw")
    programme.subtitle_en = "Changed from a management command"
    with django_capture_on_commit_callbacks(execute=True):
        programme.save()
    page = after_the_edit(client, PROGRAMME_EN)
    assert "Changed from a management command" in page.content.decode()


def test_the_footer_texts_staff_edit_show_on_the_next_page(
    client, demo, django_capture_on_commit_callbacks
):
    """Every page's footer reads the site settings once per content version, not per render."""
    from programmes.models import SiteSettings

    client.get(PROGRAMME_EN)
    client.get("/en/")
    settings_row = SiteSettings.get_solo()
    settings_row.restaurant_text_en = "The restaurant opens at noon, terrace included"
    with django_capture_on_commit_callbacks(execute=True):
        settings_row.save()
    for path in (PROGRAMME_EN, "/en/"):
        page = after_the_edit(client, path)
        assert "The restaurant opens at noon, terrace included" in page.content.decode()


def test_a_delete_invalidates(client, demo, django_capture_on_commit_callbacks):
    assert client.get(PROGRAMME_EN).status_code == 200
    with django_capture_on_commit_callbacks(execute=True):
        Programme.objects.get(slug_en="russian-thaw").delete()
    assert after_the_edit(client, PROGRAMME_EN).status_code == 404


def test_logged_in_staff_never_get_a_cached_page(client, staff_client, demo):
    client.get(PROGRAMME_EN)
    client.get(PROGRAMME_EN)
    response = staff_client.get(PROGRAMME_EN)
    assert "X-Page-Cache" not in response
    assert "private" in response["Cache-Control"]


def test_admin_is_never_cached(staff_client):
    staff_client.get(reverse("admin:index"))
    response = staff_client.get(reverse("admin:index"))
    assert "X-Page-Cache" not in response
    assert "no-cache" in response["Cache-Control"] or "private" in response["Cache-Control"]


def test_a_response_that_sets_a_cookie_is_not_cached(client, demo, settings):
    from tests.production import cookie_urls

    settings.ROOT_URLCONF = cookie_urls.__name__
    first = client.get("/en/cookie/")
    assert first.cookies["flavour"].value == "oat"
    second = client.get("/en/cookie/")
    assert second.get("X-Page-Cache") != "hit"
    assert second.cookies["flavour"].value == "oat"


def test_a_page_with_a_csrf_token_is_not_cached(client, demo, settings):
    from tests.production import cookie_urls

    settings.ROOT_URLCONF = cookie_urls.__name__
    client.get("/en/form/")
    second = client.get("/en/form/")
    assert second.get("X-Page-Cache") != "hit"
    assert "csrfmiddlewaretoken" in second.content.decode()


def test_not_found_is_not_cached(client, demo):
    client.get("/en/films/no-such-film/")
    assert "X-Page-Cache" not in client.get("/en/films/no-such-film/")


REDIS = {
    "default": {
        "BACKEND": "django_redis.cache.RedisCache",
        "LOCATION": "redis://127.0.0.1:6379/14",
        "KEY_PREFIX": "eye-test-page-cache",
        "OPTIONS": {"IGNORE_EXCEPTIONS": True},
    }
}


@pytest.fixture
def redis_cache(settings):
    from django.core.cache import caches

    from .conftest import port_open

    if not port_open("127.0.0.1", 6379):
        pytest.skip("Redis is not running on 127.0.0.1:6379 (CI starts it; see .ci/run)")
    settings.CACHES = REDIS
    caches["default"].clear()
    yield
    caches["default"].clear()


def test_with_redis_a_hit_and_an_edit_are_seen_as_with_local_memory(
    client, demo, redis_cache, django_capture_on_commit_callbacks
):
    assert client.get(PROGRAMME_EN)["X-Page-Cache"] == "miss"
    assert client.get(PROGRAMME_EN)["X-Page-Cache"] == "hit"  # this process's copy
    from django.test import Client

    assert Client().get(PROGRAMME_EN)["X-Page-Cache"] == "hit"
    demo.subtitle_en = "Seen through Redis"
    with django_capture_on_commit_callbacks(execute=True):
        demo.save()
    assert client.get(PROGRAMME_EN)["X-Page-Cache"] == "stale"
    page = Client().get(PROGRAMME_EN)
    assert page["X-Page-Cache"] == "hit"
    assert "Seen through Redis" in page.content.decode()


def test_with_redis_an_edit_announced_by_another_server_is_seen_within_moments(
    client, demo, redis_cache
):
    """Another app server's edit reaches this one by Redis publish/subscribe, not by a read per
    request: once announced, the next request here has the page rendered afresh."""
    import time

    from django.core.cache import caches
    from django_redis import get_redis_connection

    from eye_site.cache import VERSION_KEY, VersionWatcher

    client.get(PROGRAMME_EN)
    assert client.get(PROGRAMME_EN)["X-Page-Cache"] == "hit"
    watcher = VersionWatcher.for_this_process()
    # What the other server's bump_version() does, without touching this process's watcher.
    caches["default"].set(VERSION_KEY, "set-by-another-server", timeout=None)
    get_redis_connection("default").publish(watcher.channel, b"")
    deadline = time.monotonic() + 3
    while watcher.version != "set-by-another-server" and time.monotonic() < deadline:
        time.sleep(0.01)
    assert client.get(PROGRAMME_EN)["X-Page-Cache"] == "stale"
    assert client.get(PROGRAMME_EN)["X-Page-Cache"] == "hit"


def test_browsers_that_accept_gzip_get_the_page_compressed_once_and_kept(client, demo):
    import gzip

    plain = client.get(PROGRAMME_EN)
    first = client.get(PROGRAMME_EN, headers={"Accept-Encoding": "gzip, br"})
    second = client.get(PROGRAMME_EN, headers={"Accept-Encoding": "gzip, br"})
    assert first["X-Page-Cache"] == "miss"  # kept apart from the plain page
    assert second["X-Page-Cache"] == "hit"
    assert second["Content-Encoding"] == "gzip"
    assert "Accept-Encoding" in second["Vary"]
    assert second.content == first.content
    assert gzip.decompress(second.content) == plain.content
    assert len(second.content) < len(plain.content) / 2
