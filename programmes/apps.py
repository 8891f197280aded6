from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class ProgrammesConfig(AppConfig):
    name = "programmes"
    verbose_name = _("Programmes and films")

    def ready(self) -> None:
        from django.db.models.signals import post_migrate

        from .roles import ensure_roles_after_migrate

        # Keeps the staff groups in step with roles.py, and restores them after a flush.
        post_migrate.connect(ensure_roles_after_migrate, dispatch_uid="programmes.ensure_roles")
