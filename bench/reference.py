"""The benchmark's reference page: what a straightforward Django site would print for a week.

The same week's screenings as the agenda's default page, read with one `select_related` query and
printed by a Django template: no pictures, no structured data, no filter form. The bench serves
it from its own gunicorn (settings: bench/reference_settings.py) so that the agenda's cold
requests per second can be compared with it in the same run. It is not part of the site.
"""

from __future__ import annotations

import datetime

from django.conf.urls.i18n import i18n_patterns
from django.urls import path
from django.utils import timezone
from django.views.generic import ListView

from eye_site.urls import handler404, handler500
from eye_site.urls import urlpatterns as site_urlpatterns
from screenings.models import Screening


class WeekView(ListView):
    template_name = "reference/week.html"
    context_object_name = "screenings"

    def get_queryset(self):
        today = timezone.localdate()
        return (
            Screening.objects.published()
            .upcoming()
            .between(today, today + datetime.timedelta(days=6))
            .select_related("film", "event", "auditorium")
        )


urlpatterns = [
    *site_urlpatterns,
    *i18n_patterns(path("reference/week/", WeekView.as_view(), name="reference_week")),
]

__all__ = ["handler404", "handler500", "urlpatterns"]
