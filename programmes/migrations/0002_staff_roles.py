"""Create the Editor and Programmer groups, so every installation has the staff roles."""

from django.db import migrations


def create_roles(apps, schema_editor):
    from programmes.roles import ensure_roles

    ensure_roles(apps)


class Migration(migrations.Migration):
    dependencies = [
        ("auth", "0012_alter_user_first_name_max_length"),
        ("contenttypes", "0002_remove_content_type_name"),
        ("programmes", "0001_initial"),
        ("screenings", "0001_initial"),
    ]

    operations = [
        # Going back leaves the groups: they may have members by then.
        migrations.RunPython(create_roles, migrations.RunPython.noop),
    ]
