"""The jobs this app puts on the queue, through Django's tasks API (see TASK_BACKEND in
eye_site/settings.py). With Django 6 the import below becomes `from django.tasks import task`."""

from django_tasks import task

from . import pictures


@task()
def draw_picture(name: str) -> str:
    """Draw every rendition of one uploaded image (programmes.pictures.draw)."""
    return pictures.draw(name)
