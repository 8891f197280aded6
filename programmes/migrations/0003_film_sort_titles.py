# The films index sorts by these: each title without its leading article, accents or case.

from django.db import migrations, models

from programmes.search_keys import sort_titles


def fill_sort_titles(apps, schema_editor):
    Film = apps.get_model("programmes", "Film")
    films = list(Film.objects.only("pk", "title_nl", "title_en"))
    for film in films:
        for field, value in sort_titles(film.title_nl or "", film.title_en or "").items():
            setattr(film, field, value)
    Film.objects.bulk_update(films, ["sort_title_nl", "sort_title_en"], batch_size=500)


class Migration(migrations.Migration):

    dependencies = [
        ('programmes', '0002_staff_roles'),
    ]

    operations = [
        migrations.AddField(
            model_name='film',
            name='sort_title_en',
            field=models.CharField(default='', editable=False, max_length=200),
        ),
        migrations.AddField(
            model_name='film',
            name='sort_title_nl',
            field=models.CharField(default='', editable=False, max_length=200),
        ),
        migrations.RunPython(fill_sort_titles, migrations.RunPython.noop),
        migrations.AddIndex(
            model_name='film',
            index=models.Index(fields=['sort_title_nl', 'year'], name='film_sort_title_nl_idx'),
        ),
        migrations.AddIndex(
            model_name='film',
            index=models.Index(fields=['sort_title_en', 'year'], name='film_sort_title_en_idx'),
        ),
    ]
