import pytest
from django.db import IntegrityError, transaction

from programmes.models import Film, PublicationStatus
from tests.factories import CreditFactory, FilmFactory, ProgrammeFactory, StillFactory

pytestmark = pytest.mark.django_db


def test_film_slug_is_unique_within_a_language():
    FilmFactory(slug_en="the-cranes-are-flying")
    with pytest.raises(IntegrityError), transaction.atomic():
        FilmFactory(slug_en="the-cranes-are-flying")


def test_the_same_slug_may_serve_both_languages_of_one_film():
    film = FilmFactory(slug_nl="wings", slug_en="wings")
    assert Film.objects.get(slug_nl="wings") == film


def test_film_needs_a_slug_in_both_languages():
    with pytest.raises(IntegrityError), transaction.atomic():
        FilmFactory(slug_en="")


@pytest.mark.parametrize("year", [1700, 2500])
def test_film_year_outside_the_history_of_cinema_is_refused(year):
    with pytest.raises(IntegrityError), transaction.atomic():
        FilmFactory(year=year)


@pytest.mark.parametrize("runtime", [0, 5000])
def test_film_runtime_outside_sane_range_is_refused(runtime):
    with pytest.raises(IntegrityError), transaction.atomic():
        FilmFactory(runtime=runtime)


def test_programme_cannot_end_before_it_starts():
    programme = ProgrammeFactory.build()
    programme.ends_on = programme.starts_on.replace(year=programme.starts_on.year - 1)
    with pytest.raises(IntegrityError), transaction.atomic():
        programme.save()


def test_still_without_english_alt_text_is_refused():
    with pytest.raises(IntegrityError), transaction.atomic():
        StillFactory(alt_text_en="")


def test_poster_without_alt_text_is_refused():
    from tests.factories import image_file

    with pytest.raises(IntegrityError), transaction.atomic():
        FilmFactory(poster=image_file("poster.jpg"), poster_alt_nl="", poster_alt_en="")


def test_still_caption_is_built_from_the_credits():
    film = FilmFactory(title_en="The Cranes Are Flying", year=1957, countries=["SU"])
    CreditFactory(film=film, person__name="Mikhail Kalatozov")
    still = StillFactory(film=film)
    from django.utils import translation

    with translation.override("en"):
        assert (
            still.display_caption == "still from The Cranes Are Flying (Mikhail Kalatozov, SU 1957)"
        )


def test_published_hides_drafts_and_items_scheduled_for_later():
    from datetime import timedelta

    from django.utils import timezone

    public = FilmFactory()
    FilmFactory(status=PublicationStatus.DRAFT)
    FilmFactory(publish_from=timezone.now() + timedelta(days=1))
    due = FilmFactory(publish_from=timezone.now() - timedelta(minutes=1))
    assert set(Film.objects.published()) == {public, due}
