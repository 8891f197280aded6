import pytest

from programmes.models import Credit, Event, Film, Person, Programme, Still
from screenings.models import Auditorium, Screening
from tests.demo import load_demo

pytestmark = pytest.mark.django_db

MODELS = (Programme, Film, Person, Credit, Still, Event, Auditorium, Screening)


@pytest.fixture
def demo():
    load_demo()


def snapshot():
    return {model.__name__: sorted(model.objects.values_list("pk", flat=True)) for model in MODELS}


def test_running_the_demo_twice_changes_nothing(demo, media_in_tmp):
    before = snapshot()
    files_before = sorted(p.name for p in media_in_tmp.rglob("*") if p.is_file())
    load_demo()
    assert snapshot() == before
    assert sorted(p.name for p in media_in_tmp.rglob("*") if p.is_file()) == files_before


def test_demo_holds_the_seed_facts(demo):
    event = Event.objects.get(slug_en="opening-russian-thaw-the-cranes-are-flying")
    assert event.title_nl == "Opening Russische Dooi: Als de kraanvogels overvliegen"
    assert event.title_en == "Opening Russian Thaw: The Cranes are Flying"
    assert event.duration == 125
    assert "Golden Palm in 1958" in event.intro_en
    parts = {c.person.name: c.part_en for c in event.contributors.select_related("person")}
    assert parts == {
        "Nina Targan Mouravi": "poetry reading (in Dutch)",
        "Martin de Ruiter": "piano",
        "Oleg Fateev": "vocals",
    }
    cranes = event.films.get()
    assert (cranes.title_en, cranes.year, cranes.runtime) == ("The Cranes Are Flying", 1957, 97)
    assert [c.code for c in cranes.countries] == ["SU"]
    assert cranes.restoration_note_en == "Digital restoration by Mosfilm."
    assert "Sovscope" in cranes.description_en and "Sergei Urusevsky" in cranes.description_en
    roles = {(c.role, c.person.name) for c in cranes.credits.select_related("person")}
    assert ("director", "Mikhail Kalatozov") in roles
    assert ("cinematographer", "Sergei Urusevsky") in roles
    assert event.programme.title_en == "Russian Thaw"
    assert event.programme.subtitle_en == "Soviet New Wave 1957 – 1968"


def test_demo_has_the_thaw_films_with_posters_and_stills(demo):
    films = Film.objects.all()
    assert films.count() >= 9
    assert {"Ballad of a Soldier", "I Am Twenty"} <= set(films.values_list("title_en", flat=True))
    for film in films:
        assert film.poster and film.poster_alt_nl and film.poster_alt_en
        assert film.stills.count() >= 2
        assert film.credits.filter(role="director").exists()


def test_demo_schedules_four_weeks_in_four_auditoriums_with_variety(demo):
    screenings = Screening.objects.all()
    assert Auditorium.objects.count() == 4
    assert screenings.values("auditorium").distinct().count() == 4
    first, last = screenings.first().starts_at, screenings.last().starts_at
    assert (last - first).days >= 26
    for field in ("subtitles", "format", "ticket_status"):
        assert screenings.values(field).distinct().count() >= 2
    assert screenings.filter(audio_description=True).exists()
    assert screenings.filter(subtitles_for_deaf=True).exists()
