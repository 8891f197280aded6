"""What every admin page may need to say about the task queue (templates/admin/base_site.html)."""

from django.utils.functional import SimpleLazyObject

from . import workers


def queue(request) -> dict:
    # Looked up only by the pages that show it: the admin's, for signed-in staff.
    return {"queue_warning": SimpleLazyObject(workers.warning)}
