import pytest


@pytest.fixture(autouse=True)
def media_in_tmp(settings, tmp_path):
    """Uploads go to a fresh folder per test, so a test can see exactly what was stored."""
    settings.MEDIA_ROOT = tmp_path / "media"
    # The hashed-manifest storage needs collectstatic; tests read static files from the source.
    settings.STORAGES = {
        **settings.STORAGES,
        "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"},
    }
    return settings.MEDIA_ROOT
