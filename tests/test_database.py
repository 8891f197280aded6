"""How the site asks PostgreSQL: the queries every page repeats are prepared once a connection."""

from __future__ import annotations

import pytest
from django.db import connection

from tests.factories import CreditFactory, FilmFactory, StillFactory

pytestmark = [
    pytest.mark.django_db,
    pytest.mark.skipif(
        connection.vendor != "postgresql", reason="prepared statements are PostgreSQL's"
    ),
]


def prepared_reads(table: str) -> list[str]:
    """The statements prepared on this connection that read `table` with values passed apart."""
    with connection.cursor() as cursor:
        cursor.execute("SELECT statement FROM pg_prepared_statements")
        statements = [statement for (statement,) in cursor.fetchall()]
    return [
        s for s in statements if s.startswith("SELECT") and f'FROM "{table}"' in s and "$1" in s
    ]


def test_film_pages_share_prepared_statements_whatever_film_they_show(client):
    films = [FilmFactory() for _ in range(6)]
    for film in films:
        CreditFactory(film=film)
        StillFactory(film=film)
    assert not prepared_reads("programmes_still")

    # Six pages, each a miss in the page cache: each asks the same questions of another film.
    for film in films:
        response = client.get(film.get_absolute_url())
        assert response.status_code == 200
        assert film.title_nl in response.content.decode()

    # The film's row, its credits and its stills: asked with values, not with the values in
    # the SQL, so one statement serves every film, and the database plans it once.
    for table in ("programmes_film", "programmes_credit", "programmes_still"):
        assert prepared_reads(table), table
