from django.urls import path
from django.utils.translation import pgettext_lazy

from . import views

app_name = "screenings"

urlpatterns = [
    path(pgettext_lazy("URL", "whats-on/"), views.AgendaView.as_view(), name="agenda"),
    path(pgettext_lazy("URL", "films/"), views.FilmIndexView.as_view(), name="film_list"),
    path(pgettext_lazy("URL", "search/"), views.SearchView.as_view(), name="search"),
    path(
        pgettext_lazy("URL", "search/suggestions/"),
        views.search_suggestions,
        name="search_suggestions",
    ),
    path(
        pgettext_lazy("URL", "screenings/<int:pk>.ics"),
        views.screening_ics,
        name="screening_ics",
    ),
    path(
        pgettext_lazy("URL", "programmes/<slug:slug>/calendar.ics"),
        views.programme_ics,
        name="programme_ics",
    ),
]
