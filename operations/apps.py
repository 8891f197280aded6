"""Running the site: page-cache invalidation, deployment checks, backup and restore commands.

An app of its own (rather than commands inside programmes/) because none of this is about the
cinema's content: it is how the site is operated, and it must see every content app's models.
"""

from django.apps import AppConfig
from django.db.models.signals import m2m_changed, post_delete, post_save


class OperationsConfig(AppConfig):
    name = "operations"
    verbose_name = "Operations"

    def ready(self) -> None:
        from eye_site import cache

        from . import checks  # noqa: F401  (registers the deployment checks)

        for signal in (post_save, post_delete, m2m_changed):
            signal.connect(cache.content_changed, dispatch_uid="page-cache")
