"""What the site records about its own running: the workers of the task queue."""

from django.db import models
from django.utils.translation import gettext_lazy as _


class Worker(models.Model):
    """A `manage.py worker` process, as its last heartbeat left it (operations.workers)."""

    name = models.CharField(_("name"), max_length=200, unique=True)
    backend = models.CharField(_("queue"), max_length=20)
    started_at = models.DateTimeField(_("started"))
    seen_at = models.DateTimeField(_("last seen"))
    # What its last round of sweeps could not do (reach the queue, the database): empty if all.
    problem = models.TextField(_("problem"), blank=True)

    class Meta:
        ordering = ("-seen_at", "name")
        verbose_name = _("worker")
        verbose_name_plural = _("workers")

    def __str__(self) -> str:
        return self.name
