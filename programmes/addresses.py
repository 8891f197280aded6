"""Addresses of pages, worked out once per view and language rather than once per link.

`reverse()` walks the URL patterns on every call (about 25 µs); a listing of a week links to each
film, event and calendar file, several hundred links a page. The first call for a view name and
language reverses with stand-in values and keeps the result as a pattern; later calls fill it in.
Values that are not plain slugs or numbers (which the patterns might quote) still go to reverse().
"""

from __future__ import annotations

import functools
import re
from collections.abc import Callable

from django.urls import get_script_prefix, get_urlconf, reverse
from django.utils.translation import get_language

PLAIN = re.compile(r"[-a-zA-Z0-9_]+")
# Stand-ins that every converter in use (slug, int, str) accepts and no real address contains.
STAND_IN = 987_654_321_000


def address(view_name: str, **kwargs: object) -> str:
    values = {name: str(value) for name, value in kwargs.items()}
    if not all(PLAIN.fullmatch(value) for value in values.values()):
        return reverse(view_name, kwargs=kwargs)
    return address_pattern(view_name, *values).format_map(values)


def addresser(view_name: str, name: str) -> Callable[[object], str]:
    """`address(view_name, name=value)` for the many values of a list (a week's films): asks for
    the language and prefix once."""
    pattern = address_pattern(view_name, name)

    def address_of(value: object) -> str:
        value = str(value)
        if not PLAIN.fullmatch(value):
            return reverse(view_name, kwargs={name: value})
        return pattern.format_map({name: value})

    return address_of


def address_pattern(view_name: str, *names: str) -> str:
    """The address of a view with `{name}` where each argument goes, for a list that fills in
    many (the calendar links of a week's shows): asks for the language and prefix once. Only
    for plain slugs and numbers, which the patterns take as they are."""
    return _pattern(
        view_name, tuple(sorted(names)), get_language(), get_script_prefix(), get_urlconf()
    )


@functools.lru_cache(maxsize=512)
def _pattern(view_name: str, names: tuple[str, ...], _language, _prefix, _urlconf) -> str:
    stand_ins = {name: str(STAND_IN + index) for index, name in enumerate(names)}
    url = reverse(view_name, kwargs=stand_ins).replace("{", "{{").replace("}", "}}")
    for name, stand_in in stand_ins.items():
        url = url.replace(stand_in, "{" + name + "}")
    return url
