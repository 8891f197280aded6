"""Top-level addresses: the admin outside the language prefix, visitor pages inside it."""

from django.conf import settings
from django.conf.urls.i18n import i18n_patterns
from django.contrib import admin
from django.urls import include, path, re_path
from django.views.static import serve

urlpatterns = [
    path("admin/", admin.site.urls),
]

urlpatterns += i18n_patterns(
    # Staff only: drafts as visitors will see them (programmes/preview.py).
    path("preview/", include("programmes.preview_urls")),
    path("", include("programmes.urls")),
    path("", include("screenings.urls")),
)


def serve_media(request, path):
    # MEDIA_ROOT is read per request, so tests that point it elsewhere are served from there too.
    return serve(request, path, document_root=settings.MEDIA_ROOT)


if settings.SERVE_MEDIA:
    # One machine serves its own uploads; scaled out, object storage does (docs/deploy.md).
    media_prefix = settings.MEDIA_URL.lstrip("/")
    urlpatterns += [re_path(rf"^{media_prefix}(?P<path>.*)$", serve_media)]
