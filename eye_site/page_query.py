"""What a visitor page reads from its query string, declared once for the page cache and the links.

A page that reads query parameters declares them with a form, a subclass of `QueryForm` with one
field per parameter (their order is the order addresses write them in), named on its view:

    class FilmIndexView(PageMixin, TemplateView):
        query_form = FilmFilterForm        # a function view: film_index.query_form = FilmFilterForm

and reads them only through that form: `self.get_query_form()` in a PageMixin view, else
`query_form_for(request, FilmFilterForm)`. The form drops a value it cannot use (the page may
say so from `form.problems`) and gives the page's links their parameters (`form.query()`).

Before any view runs, the page cache (eye_site/cache.py) asks `normalise()` for the request: it
keeps only the declared parameters in `request.GET`, so `utm_*`, `fbclid`, `gclid` and anything
unknown reach no view and no link, and it keys the page on what the form made of them: valid
values in field order, defaults dropped, and for each value the form refused only which field and
why. `?b=2&a=1&utm_source=x` and `?a=1&b=2` are one page; so are two unreadable dates. A page that
declares nothing is one page whatever its query string. So a page's text must depend on nothing
but the form's cleaned values and its problems' codes (a message never quotes the bad value).

What the form makes of a query depends on the data (the programmes a filter offers) and the day,
so each process remembers the key of each declared query per content version and day: a hit on
a filtered page costs no form (about 1 ms less), and an edit or midnight starts afresh. A query
string the site's own links wrote (nothing undeclared, fields in order) is not even parsed.
"""

from __future__ import annotations

import datetime
import functools
from urllib.parse import urlencode

from django import forms
from django.conf import settings
from django.forms.renderers import Jinja2
from django.http import HttpRequest, QueryDict
from django.urls import Resolver404, resolve
from django.utils import timezone, translation

# Values that mean "not set": such a parameter is left out of addresses and keys.
EMPTY = (None, "", [], ())
# Keys remembered per process (normalise()): this many, of queries up to this long.
REMEMBERED_KEYS = 4096
REMEMBERED_QUERY_LENGTH = 256


# Visitor pages are Jinja2 templates: their filters' widgets are drawn by Jinja2 too, with the
# markup Django's own templates give them (whitespace aside), in under half the time (a films
# index's filter: 2.1 ms against 4.7). One renderer, so its engine keeps its compiled templates.
WIDGETS = Jinja2()


class QueryForm(forms.Form):
    """A page's query parameters: a GET form whose bad values are dropped, never an error page."""

    default_renderer = WIDGETS

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.problems: dict[str, list[forms.ValidationError]] = {}

    @classmethod
    def context(cls) -> dict:
        """What the form's constructor needs besides the data (choices from the database, today's
        date), worked out once per request; override it along with __init__."""
        return {}

    @classmethod
    def from_query(cls, query: QueryDict) -> QueryForm:
        """The form for `query`, validated, holding only the values it could use.

        A repeated parameter counts with its last value, as Django's forms read it. The returned
        form is bound to its canonical values (what `query()` gives), so the page shows exactly
        what it keys on; what was refused is in `problems`, field by field.
        """
        context = cls.context()
        data = {name: query[name] for name in cls.base_fields if query.get(name)}
        first = cls(data, **context)
        first.is_valid()
        form = cls(first.query(), **context)
        if not form.is_valid():  # a rule across fields: start again from nothing
            form = cls({}, **context)
            form.is_valid()
        form.problems = first.errors.as_data()
        return form

    def query(self, **changes) -> dict[str, str]:
        """The valid values as URL parameters, in field order, defaults left out; `changes` replace
        values first (the pager's next week). Values are written in the active language."""
        values = {**self.cleaned_data, **changes}
        params = {}
        for name, field in self.fields.items():
            value = values.get(name)
            if value in EMPTY or value == field.initial:
                continue
            params[name] = self.query_value(name, value)
        return params

    def query_value(self, name: str, value) -> str:
        """One value as an address writes it; override for values that are objects."""
        if isinstance(value, datetime.date):
            return value.isoformat()
        return str(value)

    def key(self) -> str:
        """What the page depends on: its parameters, and each refused field with the reason."""
        refused = [
            (f"!{name}", errors[0].code or "invalid") for name, errors in self.problems.items()
        ]
        return urlencode([*self.query().items(), *refused])


@functools.lru_cache(maxsize=2048)
def declared_form(path: str, language: str, _urlconf: str) -> type[QueryForm] | bool | None:
    """The QueryForm the path's view declares; None if it declares none; False if no view
    answers the path (a 404, or the added slash's redirect, which keeps the query string).
    Remembered per path: resolving costs about 40 µs, a fair share of a cached page's cost."""
    try:
        with translation.override(language):
            match = resolve(path)
    except Resolver404:
        return False
    view = getattr(match.func, "view_class", match.func)
    return getattr(view, "query_form", None)


def normalise(request: HttpRequest, language: str) -> str:
    """Keeps only the parameters the page declares, and returns the key part that says what the
    page shows for them ("" when it shows nothing of the query string)."""
    if not request.META.get("QUERY_STRING"):
        return ""
    form_class = declared_form(request.path_info, language, settings.ROOT_URLCONF)
    if form_class is False:
        return request.META["QUERY_STRING"]
    if form_class is None:
        request.GET = QueryDict()
        request.META["QUERY_STRING"] = ""
        return ""
    # What the form makes of a query depends on the data (its choices) and the day, so keys are
    # remembered per content version and day: a hit on a filtered page then costs no form.
    from eye_site.cache import per_content_version  # which imports this module

    known = per_content_version(f"page-query-keys:{timezone.localdate()}", dict)
    # A query string as the site's links write it (declared parameters only, in field order)
    # is remembered as it is: it is what the page sees already, and is not read at all (this
    # function's share of a cached search page: 28 → 9 µs).
    key = known.get((form_class, language, request.META["QUERY_STRING"]))
    if key is not None:
        return key
    declared = QueryDict(mutable=True)
    for name in form_class.base_fields:
        if name in request.GET:
            declared.setlist(name, request.GET.getlist(name))
    request.GET = declared
    query = request.META["QUERY_STRING"] = declared.urlencode()
    if not declared:
        return ""
    remembered = (form_class, language, query)
    key = known.get(remembered)
    if key is None:
        with translation.override(language):
            form = request.query_form = form_class.from_query(declared)
            key = form.key()
        if len(query) <= REMEMBERED_QUERY_LENGTH:
            if len(known) >= REMEMBERED_KEYS:
                known.clear()
            known[remembered] = key
    return key


def query_form_for(request: HttpRequest, form_class: type[QueryForm]) -> QueryForm:
    """The page's form: the one the page cache made for the request, else made now."""
    form = getattr(request, "query_form", None)
    if isinstance(form, form_class):
        return form
    form = request.query_form = form_class.from_query(request.GET)
    return form
