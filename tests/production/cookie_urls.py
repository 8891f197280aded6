"""A URLconf for the cache tests: the site's pages, two that must never be cached, and two that
show what reaches a view of the query string."""

from django import forms
from django.conf.urls.i18n import i18n_patterns
from django.http import HttpResponse
from django.middleware.csrf import get_token
from django.urls import path

from eye_site.page_query import QueryForm, query_form_for
from eye_site.urls import urlpatterns as site_patterns


def sets_a_cookie(request):
    response = HttpResponse("<p>cookie</p>")
    response.set_cookie("flavour", "oat")
    return response


def has_a_form(request):
    return HttpResponse(f'<input name="csrfmiddlewaretoken" value="{get_token(request)}">')


def shows_its_query(request):
    """A view that declares no parameters, printing whatever reached it."""
    return HttpResponse(f"<p>{sorted(request.GET.lists())} {request.get_full_path()}</p>")


class SizeForm(QueryForm):
    size = forms.IntegerField(required=False, min_value=1, max_value=100)
    colour = forms.ChoiceField(required=False, choices=[("", "any"), ("red", "red")])


def shows_its_form(request):
    form = query_form_for(request, SizeForm)
    return HttpResponse(f"<p>{form.query()} {sorted(form.problems)} {sorted(request.GET)}</p>")


shows_its_form.query_form = SizeForm

urlpatterns = [
    *i18n_patterns(
        path("cookie/", sets_a_cookie),
        path("form/", has_a_form),
        path("query/", shows_its_query),
        path("sized/", shows_its_form),
    ),
    *site_patterns,
]
