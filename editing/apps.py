from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class EditingConfig(AppConfig):
    name = "editing"
    verbose_name = _("Editing")

    def ready(self) -> None:
        from .registry import register_models

        register_models()
