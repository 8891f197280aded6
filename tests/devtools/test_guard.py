"""The development tools refuse a live site: DEBUG off without the database named, or a
database holding content they did not write. A refusal says why and changes nothing."""

import io

import pytest
from django.contrib.auth import get_user_model
from django.core.management import CommandError, call_command
from django.db import connection

from devtools import guard
from programmes.models import Film, ImagePreparation, Programme, SiteSettings
from screenings.models import Screening
from tests.demo import load_demo
from tests.factories import FilmFactory, ProgrammeFactory, ScreeningFactory

pytestmark = pytest.mark.django_db

SMALL_BENCH = ["--screenings", "100", "--films", "8", "--people", "10", "--programmes", "2"]


@pytest.fixture
def live_content():
    """What a cinema's own staff entered: a programme, a film and one show of it."""
    programme = ProgrammeFactory(slug_en="soviet-classics", slug_nl="sovjetklassiekers")
    film = FilmFactory(slug_en="stalker", slug_nl="stalker")
    film.programmes.add(programme)
    ScreeningFactory(film=film)
    settings_row = SiteSettings.get_solo()
    settings_row.membership_url = "https://cinema.example.org/members/"
    settings_row.save()


def content_state():
    return (
        sorted(Film.objects.values_list("slug_en", flat=True)),
        sorted(Programme.objects.values_list("slug_en", flat=True)),
        Screening.objects.count(),
        SiteSettings.get_solo().membership_url,
    )


def database():
    return connection.settings_dict["NAME"]


def test_load_demo_with_debug_off_refuses_without_the_database_named(live_content):
    before = content_state()
    with pytest.raises(CommandError) as refused:
        call_command("load_demo", verbosity=0)
    message = str(refused.value)
    assert "DEBUG is off" in message
    assert f"--confirm-database {database()}" in message
    assert content_state() == before


def test_load_demo_refuses_when_the_flag_names_another_database():
    with pytest.raises(CommandError, match="names 'eye_live'"):
        call_command("load_demo", confirm_database="eye_live", verbosity=0)
    assert not Film.objects.exists()


def test_load_demo_refuses_a_database_with_real_content_naming_what_it_holds(live_content):
    before = content_state()
    with pytest.raises(CommandError) as refused:
        load_demo()
    message = str(refused.value)
    assert repr(database()) in message
    assert "1 programme" in message and "1 film" in message and "1 screening" in message
    assert content_state() == before


def test_load_demo_refuses_real_content_with_debug_on_too(settings, live_content):
    settings.DEBUG = True
    before = content_state()
    with pytest.raises(CommandError, match="holds content no development tool wrote"):
        call_command("load_demo", verbosity=0)
    assert content_state() == before


def test_make_bench_data_replace_with_debug_off_refuses_without_the_database_named():
    load_demo()
    before = content_state()
    with pytest.raises(CommandError, match="DEBUG is off"):
        call_command("make_bench_data", "--replace", *SMALL_BENCH, verbosity=0)
    assert content_state() == before


def test_make_bench_data_replace_refuses_a_database_with_real_content(live_content):
    before = content_state()
    with pytest.raises(CommandError, match="1 film"):
        call_command(
            "make_bench_data", "--replace", *SMALL_BENCH, confirm_database=database(), verbosity=0
        )
    assert content_state() == before


# On PostgreSQL --replace empties the tables with TRUNCATE, which a test's open transaction
# (holding deferred foreign-key checks) would refuse; the command runs in autocommit, as here.
@pytest.mark.django_db(transaction=True)
def test_bench_data_is_recognised_as_the_tools_own_and_can_be_replaced():
    """If make_bench_data's names drift from guard.BENCH_SLUG, the second run is refused here."""
    call_command("make_bench_data", *SMALL_BENCH, confirm_database=database(), stdout=io.StringIO())
    assert guard.real_content() == []
    call_command(
        "make_bench_data",
        "--replace",
        *SMALL_BENCH,
        confirm_database=database(),
        stdout=io.StringIO(),
    )
    assert Film.objects.count() == 8
    assert Screening.objects.count() == 100


@pytest.mark.django_db(transaction=True)
def test_replaced_bench_data_forgets_pictures_drawn_before(settings, tmp_path):
    """The pictures of the images it replaces are drawn again, into this media folder: states
    left by an earlier run (perhaps of another checkout, drawn elsewhere) would send pages to
    files that are not there."""
    settings.MEDIA_ROOT = tmp_path
    call_command("make_bench_data", *SMALL_BENCH, confirm_database=database(), stdout=io.StringIO())
    ImagePreparation.objects.create(
        name="posters/bench-1.jpg", field="poster", status=ImagePreparation.Status.READY
    )
    call_command(
        "make_bench_data",
        "--replace",
        *SMALL_BENCH,
        confirm_database=database(),
        stdout=io.StringIO(),
    )
    assert not ImagePreparation.objects.filter(status=ImagePreparation.Status.READY).exists()


def test_the_demo_is_recognised_as_the_tools_own():
    load_demo()
    assert guard.real_content() == []


def test_demo_admin_refuses_with_debug_off():
    with pytest.raises(CommandError, match="local DEBUG runs only"):
        call_command("ensure_demo_admin")
    assert not get_user_model().objects.exists()


def test_demo_admin_refuses_a_database_with_real_content(settings, live_content):
    settings.DEBUG = True
    with pytest.raises(CommandError, match="holds content no development tool wrote"):
        call_command("ensure_demo_admin")
    assert not get_user_model().objects.exists()
