"""What every development tool checks before it writes: never a live site's database.

Two refusals. With DEBUG off (production settings) a tool runs only when `--confirm-database`
names the database it would change, so filling a staging or benchmark database is a deliberate
act and a stray command on a live server is not. And whatever the settings, a tool refuses a
database holding content it did not write itself: the demo's own rows (found by their slugs,
as the demo loader finds them) and the benchmark's numbered ones are the only content a
development tool may overwrite or empty.
"""

from __future__ import annotations

from django.conf import settings
from django.core.management.base import CommandError
from django.db import connection
from django.db.models import Model, Q, QuerySet
from django.utils import translation

from devtools.demo import data
from programmes.models import Event, Film, Person, Programme
from screenings.models import Auditorium, Screening

CONFIRM_OPTION = "--confirm-database"

# The numbered slugs make_bench_data gives its rows (tests/devtools check that they still match).
BENCH_SLUG = {
    Programme: r"^programme-[0-9]+$",
    Film: r"^film-[0-9]+$",
    Event: r"^event-[0-9]+$",
    Person: r"^person-[0-9]+$",
}


def database_name() -> str:
    return str(connection.settings_dict["NAME"])


def add_confirm_option(parser) -> None:
    parser.add_argument(
        CONFIRM_OPTION,
        metavar="NAME",
        dest="confirm_database",
        help="The database this command may change; required with DEBUG off.",
    )


def refuse_unless_safe(command: str, confirm_database: str | None) -> None:
    """Raise CommandError, saying why and what to do, unless `command` may write here."""
    name = database_name()
    if confirm_database is not None and confirm_database != name:
        raise CommandError(
            f"{CONFIRM_OPTION} names {confirm_database!r}, but {command} would change the "
            f"database {name!r}. Nothing was changed."
        )
    if not settings.DEBUG and confirm_database is None:
        raise CommandError(
            f"{command} would change the database {name!r}, and DEBUG is off (production "
            "settings). Nothing was changed. If that database is not a live site's, name it: "
            f"{CONFIRM_OPTION} {name}"
        )
    refuse_real_content(command)


def refuse_real_content(command: str) -> None:
    held = real_content()
    if held:
        raise CommandError(
            f"The database {database_name()!r} holds content no development tool wrote: "
            f"{', '.join(held)}. {command} changes nothing there."
        )


def real_content() -> list[str]:
    """What the database holds beyond the demo's and the benchmark's own rows, as '7 films'."""
    films = not_ours(Film, "slug_en", [facts["slug_en"] for facts in data.FILMS])
    events = not_ours(Event, "slug_en", [data.OPENING["slug_en"]])
    counts = {
        Programme: not_ours(Programme, "slug_en", [data.PROGRAMME["slug_en"]]).count(),
        Film: films.count(),
        Event: events.count(),
        Person: not_ours(Person, "slug", list(data.PEOPLE)).count(),
        Auditorium: Auditorium.objects.exclude(
            slug__in=[row[0] for row in data.AUDITORIUMS]
        ).count(),
        Screening: Screening.objects.filter(Q(film__in=films) | Q(event__in=events)).count(),
    }
    # In the language the rest of the message is written in, whatever the shell's locale.
    with translation.override(None):
        return [
            f"{count} {model._meta.verbose_name if count == 1 else model._meta.verbose_name_plural}"
            for model, count in counts.items()
            if count
        ]


def not_ours(model: type[Model], field: str, demo_slugs: list[str]) -> QuerySet:
    return model._default_manager.exclude(**{f"{field}__in": demo_slugs}).exclude(
        **{f"{field}__regex": BENCH_SLUG[model]}
    )
