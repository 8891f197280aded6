"""Links built from kept patterns are the same addresses reverse() gives, in both languages."""

import pytest
from django.urls import NoReverseMatch, reverse, set_script_prefix
from django.utils import translation

from programmes.addresses import address, addresser

VIEWS = [
    ("programmes:film_detail", {"slug": "the-cranes-are-flying"}),
    ("programmes:event_detail", {"slug": "opening-russian-thaw"}),
    ("programmes:programme_detail", {"slug": "russian-thaw"}),
    ("programmes:person_detail", {"slug": "mikhail-kalatozov"}),
    ("screenings:screening_ics", {"pk": 42}),
]


@pytest.mark.parametrize("language", ["nl", "en"])
@pytest.mark.parametrize(("view_name", "kwargs"), VIEWS)
def test_address_is_what_reverse_gives(language, view_name, kwargs):
    with translation.override(language):
        assert address(view_name, **kwargs) == reverse(view_name, kwargs=kwargs)
        # A second object of the same kind, from the kept pattern.
        other = {
            name: f"{value}2" if isinstance(value, str) else value + 1
            for name, value in kwargs.items()
        }
        assert address(view_name, **other) == reverse(view_name, kwargs=other)
        # A list's links, one view and language for many objects.
        [(name, value)] = kwargs.items()
        assert addresser(view_name, name)(value) == reverse(view_name, kwargs=kwargs)
        assert addresser(view_name, name)(other[name]) == reverse(view_name, kwargs=other)


def test_each_language_gets_its_own_path():
    with translation.override("nl"):
        dutch = address("programmes:programme_detail", slug="russische-dooi")
    with translation.override("en"):
        english = address("programmes:programme_detail", slug="russian-thaw")
    assert dutch == "/nl/programma/russische-dooi/"
    assert english == "/en/programmes/russian-thaw/"


def test_a_value_the_pattern_refuses_is_refused_as_reverse_refuses_it():
    with translation.override("en"), pytest.raises(NoReverseMatch):
        address("programmes:film_detail", slug="łódź")
    with translation.override("en"), pytest.raises(NoReverseMatch):
        addresser("programmes:film_detail", "slug")("łódź")


def test_a_site_under_a_path_prefix_links_under_it():
    try:
        set_script_prefix("/cinema/")
        with translation.override("en"):
            assert address("programmes:film_detail", slug="x") == "/cinema/en/films/x/"
    finally:
        set_script_prefix("/")
