"""The admin pages for versions: an object's versions, the differences between two, restoring
one, and the list of deleted objects that can be recovered with their rows."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.admin.utils import quote, unquote
from django.core.exceptions import PermissionDenied
from django.db import router, transaction
from django.http import Http404, HttpResponseRedirect, JsonResponse
from django.template.response import TemplateResponse
from django.urls import path, reverse
from django.utils.translation import gettext as _
from reversion.models import Version

from . import presence, services
from .history import describe_revision, highlight, saved_by, short_moment
from .restoring import RestoreFailed, restore
from .snapshots import diff, live, stored


class VersionHistoryAdminMixin:
    def get_urls(self):
        opts = self.opts
        name = f"{opts.app_label}_{opts.model_name}"
        view = self.admin_site.admin_view
        return [
            path("<path:object_id>/versions/", view(self.versions_view), name=f"{name}_versions"),
            path(
                "<path:object_id>/versions/compare/",
                view(self.compare_view),
                name=f"{name}_compare",
            ),
            path(
                "<path:object_id>/versions/<int:version_id>/restore/",
                view(self.restore_view),
                name=f"{name}_restore",
            ),
            path("<path:object_id>/presence/", view(self.presence_view), name=f"{name}_presence"),
            path("recover/", view(self.recover_list_view), name=f"{name}_recover_list"),
            path("recover/<int:version_id>/", view(self.recover_view), name=f"{name}_recover"),
            *super().get_urls(),
        ]

    def version_url(self, view: str, *args) -> str:
        opts = self.opts
        return reverse(f"admin:{opts.app_label}_{opts.model_name}_{view}", args=args)

    # Who may do what

    def may_restore(self, request, obj, fields: dict) -> bool:
        """An editor restores what they may change; where the admin says a restore also
        publishes (admin_publishing), that permission is needed too."""
        if obj is not None and not self.has_change_permission(request, obj):
            return False
        if obj is None and not self.has_add_permission(request):
            return False
        publishes = getattr(self, "restore_publishes", None)
        return (
            publishes is None
            or not publishes(obj, fields)
            or self.has_publish_permission(request, obj)
        )

    def _object_or_404(self, request, object_id):
        obj = self.get_object(request, unquote(object_id))
        if obj is None or not self.has_view_or_change_permission(request, obj):
            raise Http404
        return obj

    def _version_or_404(self, obj, value) -> Version:
        try:
            return services.versions_of(obj).get(pk=int(value))
        except (TypeError, ValueError, Version.DoesNotExist) as error:
            raise Http404 from error

    def _context(self, request, obj, title: str, **extra) -> dict:
        return {
            **self.admin_site.each_context(request),
            "opts": self.opts,
            "original": obj,
            "title": title,
            "subtitle": str(obj) if obj is not None else None,
            "change_url": self.version_url("change", quote(obj.pk)) if obj is not None else "",
            "versions_url": self.version_url("versions", quote(obj.pk)) if obj is not None else "",
            "has_view_permission": True,
            **extra,
        }

    # Pages

    def versions_view(self, request, object_id):
        obj = self._object_or_404(request, object_id)
        versions = list(services.versions_of(obj).order_by("-pk"))
        rows = []
        previous_state = None
        # Oldest first to leave out versions of a row that did not change it (a screening is
        # stored again with every save of its film); shown newest first.
        for version in reversed(versions):
            state = version._local_field_dict if not self.versioned_rows() else None
            if state is not None and state == previous_state:
                continue
            previous_state = state
            rows.append(
                {
                    "version": version,
                    "who": services.author(version.revision),
                    "what": describe_revision(version.revision),
                    "restore_url": self.version_url("restore", quote(obj.pk), version.pk),
                }
            )
        rows.reverse()
        context = self._context(
            request,
            obj,
            _("Versions of %(object)s") % {"object": obj},
            rows=rows,
            compare_url=self.version_url("compare", quote(obj.pk)),
        )
        return TemplateResponse(request, "admin/editing/versions.html", context)

    def presence_view(self, request, object_id):
        """The heartbeat of an open change form: who else has it open (editing.presence)."""
        obj = self._object_or_404(request, object_id)
        if "leave" in request.GET:
            presence.left(obj, request.user)
            return JsonResponse({"notice": ""})
        return JsonResponse({"notice": presence.notice(presence.here(obj, request.user))})

    def versioned_rows(self) -> bool:
        from .registry import row_names

        return bool(row_names(self.model))

    def compare_view(self, request, object_id):
        obj = self._object_or_404(request, object_id)
        older = self._version_or_404(obj, request.GET.get("from"))
        newer_id = request.GET.get("to", "current")
        newer = None if newer_id == "current" else self._version_or_404(obj, newer_id)
        if newer is not None and newer.pk < older.pk:
            older, newer = newer, older
        changes = diff(stored(older), stored(newer) if newer else live(obj))
        for change in changes:
            change.before_html, change.after_html = highlight(change)
        context = self._context(
            request,
            obj,
            _("Differences between two versions of %(object)s") % {"object": obj},
            older=older,
            newer=newer,
            older_label=describe_revision(older.revision),
            newer_label=describe_revision(newer.revision) if newer else "",
            older_who=saved_by(older.revision),
            newer_who=saved_by(newer.revision) if newer else "",
            changes=changes,
            restore_url=self.version_url("restore", quote(obj.pk), older.pk),
        )
        return TemplateResponse(request, "admin/editing/compare.html", context)

    def restore_view(self, request, object_id, version_id):
        obj = self._object_or_404(request, object_id)
        version = self._version_or_404(obj, version_id)
        return self._restore_page(request, obj, version)

    def recover_list_view(self, request):
        if not self.has_add_permission(request):
            raise PermissionDenied
        deleted = Version.objects.get_deleted(self.model).select_related("revision__user")
        context = self._context(
            request,
            None,
            _("Recover deleted %(name)s") % {"name": self.opts.verbose_name_plural},
            deleted=[
                {
                    "version": version,
                    "who": services.author(version.revision),
                    "url": self.version_url("recover", version.pk),
                }
                for version in deleted.order_by("-revision__date_created")
            ],
        )
        return TemplateResponse(request, "admin/editing/recover_list.html", context)

    def recover_view(self, request, version_id):
        version = Version.objects.get_deleted(self.model).filter(pk=version_id).first()
        if version is None:
            version = Version.objects.get_for_model(self.model).filter(pk=version_id).first()
            if version is None or version.object is None:
                raise Http404
            # Someone recovered it a moment ago.
            messages.info(
                request, _("“%(object)s” is no longer deleted.") % {"object": version.object}
            )
            return HttpResponseRedirect(self.version_url("change", quote(version.object.pk)))
        return self._restore_page(request, None, version)

    def changelist_view(self, request, extra_context=None):
        extra_context = extra_context or {}
        if self.has_add_permission(request):
            extra_context["recover_url"] = self.version_url("recover_list")
        return super().changelist_view(request, extra_context)

    def _restore_page(self, request, obj, version: Version):
        fields = version._local_field_dict
        if not self.may_restore(request, obj, fields):
            raise PermissionDenied
        if request.method == "POST":
            try:
                with transaction.atomic(using=router.db_for_write(self.model)):
                    # The version this page showed as the present one: a restore or save that
                    # got there first makes this one stop and say so.
                    token = request.POST.get("edit_version", "") if obj is not None else None
                    restored, problems = restore(version, request.user, token)
                    self.log_restore(request, restored, version)
            except (RestoreFailed, services.Refused) as failure:
                messages.error(request, failure.message)
                if obj is not None:
                    obj.refresh_from_db()
            else:
                messages.success(
                    request,
                    _("Restored the version of %(when)s of “%(object)s”.")
                    % {"object": restored, "when": short_moment(version.revision.date_created)},
                )
                for problem in problems:
                    messages.warning(request, problem)
                return HttpResponseRedirect(self.version_url("change", quote(restored.pk)))
        current = live(obj) if obj is not None else None
        changes = diff(current, stored(version)) if current is not None else []
        for change in changes:
            change.before_html, change.after_html = highlight(change)
        context = self._context(
            request,
            obj,
            (
                _("Restore an earlier version of %(object)s") % {"object": obj}
                if obj is not None
                else _("Recover %(object)s") % {"object": version.object_repr}
            ),
            version=version,
            version_who=saved_by(version.revision),
            changes=changes,
            edit_version=services.token_for(obj) if obj is not None else "",
            recovering=obj is None,
        )
        return TemplateResponse(request, "admin/editing/restore.html", context)

    def log_restore(self, request, obj, version: Version) -> None:
        from django.contrib.admin.models import CHANGE, LogEntry

        LogEntry.objects.log_actions(
            request.user.pk,
            [obj],
            CHANGE,
            change_message=str(
                _("Restored the version of %(when)s.")
                % {"when": short_moment(version.revision.date_created)}
            ),
            single_object=True,
        )
