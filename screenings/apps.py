from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class ScreeningsConfig(AppConfig):
    name = "screenings"
    verbose_name = _("Screenings")

    def ready(self) -> None:
        from programmes.models import length_saved

        from .services import follow_saved_length

        length_saved.connect(follow_saved_length, dispatch_uid="screenings.follow_saved_length")
