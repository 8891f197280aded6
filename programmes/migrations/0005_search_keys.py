# Each searchable object keeps its names folded to one spelling (programmes/search_keys.py), and
# on PostgreSQL a trigram index over that key finds names a letter or two away and serves the
# LIKE patterns of screenings/search.py.

from django.contrib.postgres.operations import TrigramExtension
from django.db import migrations, models

from programmes.search_keys import names_key

# The names each model is found by, as the models say them at this migration.
NAMES = {
    "Programme": ("title_nl", "title_en", "subtitle_nl", "subtitle_en"),
    "Person": ("name",),
    "Film": ("title_nl", "title_en", "original_title"),
    "Event": ("title_nl", "title_en", "label_nl", "label_en"),
}
TABLES = ("programme", "person", "film", "event")


def fill_search_keys(apps, schema_editor):
    for model_name, names in NAMES.items():
        model = apps.get_model("programmes", model_name)
        rows = list(model.objects.only("pk", *names))
        for row in rows:
            row.search_key = names_key(*(getattr(row, name) or "" for name in names))
        model.objects.bulk_update(rows, ["search_key"], batch_size=500)


def create_trigram_indexes(apps, schema_editor):
    # PostgreSQL only: SQLite has no trigrams, and its search finds exact and prefix matches.
    if schema_editor.connection.vendor != "postgresql":
        return
    for table in TABLES:
        schema_editor.execute(
            f"CREATE INDEX {table}_search_key_trgm_idx ON programmes_{table} "
            "USING gin (search_key gin_trgm_ops)"
        )


def drop_trigram_indexes(apps, schema_editor):
    if schema_editor.connection.vendor != "postgresql":
        return
    for table in TABLES:
        schema_editor.execute(f"DROP INDEX IF EXISTS {table}_search_key_trgm_idx")


class Migration(migrations.Migration):

    dependencies = [
        ("programmes", "0004_image_preparation"),
    ]

    operations = [
        # Does nothing on databases other than PostgreSQL.
        TrigramExtension(),
        *(
            migrations.AddField(
                model_name=model_name.lower(),
                name="search_key",
                field=models.TextField(default="", editable=False),
            )
            for model_name in NAMES
        ),
        migrations.RunPython(fill_search_keys, migrations.RunPython.noop),
        migrations.RunPython(create_trigram_indexes, drop_trigram_indexes),
    ]
