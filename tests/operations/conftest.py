"""The production tests' fresh PostgreSQL database, for the worker tests here."""

from tests.production.conftest import fresh_postgres_database  # noqa: F401
