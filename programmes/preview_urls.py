"""Addresses of the staff preview, inside the language prefix: /nl/preview/films/12/.

Not translated: only staff see them, and search engines are told to stay away.
"""

from django.urls import path

from . import preview

app_name = "preview"

urlpatterns = [
    path("programmes/<int:pk>/", preview.ProgrammePreviewView.as_view(), name="programme"),
    path("films/<int:pk>/", preview.FilmPreviewView.as_view(), name="film"),
    path("events/<int:pk>/", preview.EventPreviewView.as_view(), name="event"),
]
