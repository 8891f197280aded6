"""Top-level addresses: the admin outside the language prefix, visitor pages inside it."""

from django.conf import settings
from django.conf.urls.i18n import i18n_patterns
from django.contrib import admin
from django.contrib.sitemaps.views import sitemap as sitemap_view
from django.urls import include, path, re_path
from django.views.static import serve

from programmes import views as programme_views
from programmes.sitemaps import SITEMAPS

urlpatterns = [
    path("admin/", admin.site.urls),
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


def serve_media(request, path):
    # MEDIA_ROOT is read per request, so tests that point it elsewhere are served from there too.
    return serve(request, path, document_root=settings.MEDIA_ROOT)


if settings.SERVE_MEDIA:
    # One machine serves its own uploads; scaled out, object storage does (docs/deploy.md).
    media_prefix = settings.MEDIA_URL.lstrip("/")
    urlpatterns += [re_path(rf"^{media_prefix}(?P<path>.*)$", serve_media)]
