"""A URLconf for the cache tests: the site's pages plus two that must never be cached."""

from django.conf.urls.i18n import i18n_patterns
from django.http import HttpResponse
from django.middleware.csrf import get_token
from django.urls import path

from eye_site.urls import urlpatterns as site_patterns


def sets_a_cookie(request):
    response = HttpResponse("<p>cookie</p>")
    response.set_cookie("flavour", "oat")
    return response


def has_a_form(request):
    return HttpResponse(f'<input name="csrfmiddlewaretoken" value="{get_token(request)}">')


urlpatterns = [
    *i18n_patterns(path("cookie/", sets_a_cookie), path("form/", has_a_form)),
    *site_patterns,
]
