from django.urls import path
from django.utils.translation import pgettext_lazy

from . import views

app_name = "programmes"

urlpatterns = [
    path("", views.HomeView.as_view(), name="home"),
    path(
        pgettext_lazy("URL", "programmes/"),
        views.ProgrammeListView.as_view(),
        name="programme_list",
    ),
    path(
        pgettext_lazy("URL", "programmes/<slug:slug>/"),
        views.ProgrammeDetailView.as_view(),
        name="programme_detail",
    ),
    path(
        pgettext_lazy("URL", "films/<slug:slug>/"),
        views.FilmDetailView.as_view(),
        name="film_detail",
    ),
    path(
        pgettext_lazy("URL", "events/<slug:slug>/"),
        views.EventDetailView.as_view(),
        name="event_detail",
    ),
    path(
        pgettext_lazy("URL", "people/<slug:slug>/"),
        views.PersonDetailView.as_view(),
        name="person_detail",
    ),
]
