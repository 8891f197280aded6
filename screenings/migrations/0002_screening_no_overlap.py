"""The database refuses two screenings that overlap in one auditorium (PostgreSQL only).

An exclusion constraint: the same auditorium and overlapping [starts_at, ends_at) ranges, a
cancelled screening excepted (it frees its slot). btree_gist lets one GiST index compare the
auditorium by equality beside the ranges. SQLite has no such constraint; there the overlap
check of screenings.services runs in a transaction that holds SQLite's write lock.
"""

from django.contrib.postgres.operations import BtreeGistExtension
from django.db import migrations, models

ADD = """
ALTER TABLE screenings_screening ADD CONSTRAINT screening_no_overlap
EXCLUDE USING gist (
    auditorium_id WITH =,
    tstzrange(starts_at, ends_at, '[)') WITH &&
) WHERE (ticket_status <> 'cancelled')
"""
DROP = "ALTER TABLE screenings_screening DROP CONSTRAINT screening_no_overlap"


def on_postgresql(sql):
    def run(apps, schema_editor):
        if schema_editor.connection.vendor == "postgresql":
            schema_editor.execute(sql)

    return run


class Migration(migrations.Migration):
    dependencies = [
        ("screenings", "0001_initial"),
    ]

    operations = [
        migrations.AlterField(
            model_name="screening",
            name="ticket_status",
            field=models.CharField(
                choices=[
                    ("on_sale", "Tickets on sale"),
                    ("few_left", "Few tickets left"),
                    ("sold_out", "Sold out"),
                    ("cancelled", "Cancelled"),
                    ("free", "Free entry"),
                ],
                default="on_sale",
                help_text=(
                    "A cancelled screening frees its auditorium: another screening may be "
                    "planned in its time."
                ),
                max_length=10,
                verbose_name="ticket status",
            ),
        ),
        BtreeGistExtension(),
        migrations.RunPython(on_postgresql(ADD), on_postgresql(DROP)),
    ]
