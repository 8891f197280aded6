"""Top-level addresses: the admin outside the language prefix, visitor pages inside it."""

from django.conf import settings
from django.conf.urls.i18n import i18n_patterns
from django.contrib import admin
from django.contrib.sitemaps.views import sitemap as sitemap_view
from django.urls import include, path, re_path

from eye_site.media import serve_media
from programmes import views as programme_views
from programmes.sitemaps import SITEMAPS

urlpatterns = [
    # The admin's address comes from the environment (ADMIN_PATH).
    path(settings.ADMIN_PATH, admin.site.urls),
    # Outside the language prefix: one sitemap lists both languages, with alternates.
    path("sitemap.xml", sitemap_view, {"sitemaps": SITEMAPS}, name="sitemap"),
    path("robots.txt", programme_views.robots_txt, name="robots_txt"),
]

urlpatterns += i18n_patterns(
    # Staff only: drafts as visitors will see them (programmes/preview.py).
    path("preview/", include("programmes.preview_urls")),
    path("", include("programmes.urls")),
    path("", include("screenings.urls")),
)

# A styled 404 in the visitor's language, with the ways on.
handler404 = "programmes.views.page_not_found"
# An unreachable database is a 503 "temporarily unavailable", anything else the usual 500.
handler500 = "eye_site.errors.server_error"


if settings.SERVE_MEDIA:
    # One machine serves its own uploads; scaled out, object storage does (docs/deploy.md).
    media_prefix = settings.MEDIA_URL.lstrip("/")
    urlpatterns += [re_path(rf"^{media_prefix}(?P<path>.*)$", serve_media)]
