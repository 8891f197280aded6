import pytest
from django.core.cache import caches

from eye_site import cache as page_cache


@pytest.fixture(autouse=True)
def media_in_tmp(settings, tmp_path):
    """Uploads go to a fresh folder per test, so a test can see exactly what was stored."""
    settings.MEDIA_ROOT = tmp_path / "media"
    # The hashed-manifest storage needs collectstatic; tests read static files from the source.
    settings.STORAGES = {
        **settings.STORAGES,
        "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"},
    }
    # The test client speaks plain HTTP; tests/production turn the HTTPS redirect back on.
    settings.SECURE_SSL_REDIRECT = False
    # Pages cached by one test must not answer in the next (a rollback sends no signal), from
    # the shared cache nor from this process's copies of it (with CACHE_URL set to a Redis).
    caches["default"].clear()
    page_cache.LOCAL.clear()
    return settings.MEDIA_ROOT


@pytest.fixture(autouse=True, scope="session")
def demo_artwork_drawn_once():
    """The demo's artwork is deterministic; draw each picture once per test session.

    load_demo spends most of its time drawing posters and stills with Pillow; memoising the
    drawing functions gives every test the same bytes at a fraction of the cost.
    """
    import functools

    from devtools.demo import artwork

    originals = {}
    for name in ("make_poster", "make_still", "make_campaign_image"):
        originals[name] = getattr(artwork, name)
        setattr(artwork, name, functools.cache(originals[name]))
    yield
    for name, function in originals.items():
        setattr(artwork, name, function)


@pytest.fixture
def english_client(client):
    """A browser that asks for English: the admin, outside the language prefix, answers in it.

    Staff tests read the admin's messages in English; Dutch staff get the same texts translated.
    """
    client.defaults["HTTP_ACCEPT_LANGUAGE"] = "en"
    return client


@pytest.fixture
def staff_client(english_client, admin_user):
    """The English-speaking browser, logged in to the admin as a superuser. It is the `client`
    of the same test, so a test can look at the site with it too."""
    english_client.force_login(admin_user)
    return english_client


@pytest.fixture(autouse=True)
def site_language():
    """Each test starts in the site's first language: a request in an earlier test leaves its
    language active on the thread, which would make results depend on test order."""
    from django.conf import settings
    from django.utils import translation

    translation.activate(settings.LANGUAGE_CODE)
    yield
    translation.deactivate()
