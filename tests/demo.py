"""Loading the demo in tests, which run with DEBUG off as production does: the test database is
named, as anyone filling a database that is not a live site's must name it."""

from django.core.management import call_command
from django.db import connection


def load_demo(**options) -> None:
    call_command(
        "load_demo", confirm_database=connection.settings_dict["NAME"], verbosity=0, **options
    )
