"""Two app servers with production settings, one PostgreSQL, one Redis: an edit made through the
admin of one is on the other's visitor pages within the bound docs/deploy.md states."""

from __future__ import annotations

import sys

from .conftest import (
    POSTGRES_URL,
    ROOT,
    OwnRedis,
    free_port,
    gunicorn,
    manage,
    production_env,
)

sys.path.insert(0, str(ROOT / "scripts"))
import two_instances

PASSWORD = "two-instances-check-1957"
SEED = f"""
from django.contrib.auth import get_user_model
from programmes.models import SiteSettings
from tests.factories import ProgrammeFactory
ProgrammeFactory(slug_nl="russische-dooi", slug_en="russian-thaw", title_en="Russian Thaw")
SiteSettings.get_solo()
get_user_model().objects.create_superuser("checker", "checker@example.org", "{PASSWORD}")
"""


def test_an_edit_through_one_instance_shows_on_the_other_within_the_bound(
    fresh_postgres_database, tmp_path, capsys
):
    database = production_env(DATABASE_URL=f"{POSTGRES_URL}/{fresh_postgres_database}")
    manage("migrate", "--no-input", "-v", "0", env=database)
    manage("shell", "-c", SEED, env=database)
    redis = OwnRedis(tmp_path)
    redis.start()
    env = {**database, "CACHE_URL": redis.url, "WEB_CONCURRENCY": "1"}
    editor, visitor = free_port(), free_port()
    try:
        with (
            gunicorn(env, editor, tmp_path / "editor.log"),
            gunicorn(env, visitor, tmp_path / "visitor.log"),
        ):
            two_instances.check(
                f"http://127.0.0.1:{editor}",
                f"http://127.0.0.1:{visitor}",
                "admin/",
                "checker",
                PASSWORD,
            )
    finally:
        redis.stop()
    report = capsys.readouterr().out
    assert "shows the edit after" in report
    assert "the edited page is cached again" in report
