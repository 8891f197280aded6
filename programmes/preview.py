"""Staff preview: a draft shown exactly as visitors will see it, in either language.

The visitor views themselves render the page; these subclasses only widen what they may show
to drafts and scheduled items, find the object by id (a draft's address may still change),
and keep the page out of caches and search engines. Only staff who may view the object get in.
"""

from __future__ import annotations

from django.conf import settings
from django.contrib.auth.views import redirect_to_login
from django.core.exceptions import PermissionDenied
from django.http import Http404
from django.urls import reverse
from django.utils import translation
from django.utils.cache import add_never_cache_headers

from .models import Event, Film, Programme
from .views import EventDetailView, FilmDetailView, ProgrammeDetailView


class PreviewMixin:
    def dispatch(self, request, *args, **kwargs):
        user = request.user
        if not (user.is_active and user.is_staff):
            return redirect_to_login(request.get_full_path(), reverse("admin:login"))
        opts = self.model._meta
        if not user.has_perm(f"{opts.app_label}.view_{opts.model_name}"):
            raise PermissionDenied
        response = super().dispatch(request, *args, **kwargs)
        add_never_cache_headers(response)
        response["X-Robots-Tag"] = "noindex, nofollow"
        return response

    def visible(self, queryset):
        return queryset.all()

    def get_object(self, queryset=None):
        queryset = queryset if queryset is not None else self.get_queryset()
        obj = queryset.filter(pk=self.kwargs["pk"]).first()
        if obj is None:
            raise Http404(f"No {self.model._meta.verbose_name} with that id.")
        return obj

    def get_alternate_urls(self) -> dict[str, str]:
        # The language switch stays within the preview.
        urls = {}
        for code, _name in settings.LANGUAGES:
            with translation.override(code):
                urls[code] = reverse(
                    f"preview:{self.model._meta.model_name}", kwargs={"pk": self.object.pk}
                )
        return urls

    def get_template_names(self) -> list[str]:
        return ["admin/preview/page.html"]

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        # The visitor view's own template, which the preview page extends.
        context["visitor_template"] = self.template_name
        opts = self.model._meta
        context["preview_change_url"] = reverse(
            f"admin:{opts.app_label}_{opts.model_name}_change", args=[self.object.pk]
        )
        return context


class ProgrammePreviewView(PreviewMixin, ProgrammeDetailView):
    model = Programme


class FilmPreviewView(PreviewMixin, FilmDetailView):
    model = Film


class EventPreviewView(PreviewMixin, EventDetailView):
    model = Event
