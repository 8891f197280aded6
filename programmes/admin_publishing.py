"""Admin behaviour of what visitors see once published (programmes, films, events).

Roles are enforced here, on the server: without the publish permission the state and the
publish-from moment are read-only (a posted value is ignored), the publish actions are absent,
and deleting a published object is refused with 403 however the request is made.
"""

from __future__ import annotations

from django.conf import settings
from django.contrib import admin, messages
from django.http import HttpResponseRedirect
from django.urls import reverse
from django.utils import formats, timezone, translation
from django.utils.html import format_html
from django.utils.translation import gettext_lazy as _
from django.utils.translation import ngettext

from .models import PublicationStatus, Publishable
from .publishing import back_to_draft, publish_now
from .roles import publish_permission

PUBLICATION_FIELDS = ("status", "publish_from")


def preview_url(obj: Publishable, code: str) -> str:
    with translation.override(code):
        return reverse(f"preview:{obj._meta.model_name}", kwargs={"pk": obj.pk})


def site_url(obj: Publishable, code: str) -> str:
    with translation.override(code):
        return obj.get_absolute_url()


def admin_language() -> str:
    """The editor's admin language if the site has it, else the site's first language."""
    codes = [code for code, _name in settings.LANGUAGES]
    language = translation.get_language() or ""
    return language if language in codes else settings.LANGUAGE_CODE


class PublishingAdminMixin:
    # One "view on site" per language instead (templates/admin/programmes/change_form.html).
    view_on_site = False
    actions = ("publish_selected", "withdraw_selected")

    def has_publish_permission(self, request, obj=None) -> bool:
        return request.user.has_perm(publish_permission(self.model))

    def get_readonly_fields(self, request, obj=None):
        fields = tuple(super().get_readonly_fields(request, obj))
        if not self.has_publish_permission(request, obj):
            fields += PUBLICATION_FIELDS
        return fields

    def has_delete_permission(self, request, obj=None) -> bool:
        allowed = super().has_delete_permission(request, obj)
        if allowed and obj is not None and obj.status == PublicationStatus.PUBLISHED:
            # Scheduled counts as published: it will appear without anyone looking again.
            return self.has_publish_permission(request, obj)
        return allowed

    def restore_publishes(self, current: Publishable | None, fields: dict) -> bool:
        """Restoring a published version puts it before visitors, and restoring any version of
        a published object changes what they see: both are publishing (editing.admin_versions)."""
        published = PublicationStatus.PUBLISHED
        return fields.get("status") == published or (
            current is not None and current.status == published
        )

    @admin.display(description=_("publication"), ordering="status")
    def publication(self, obj: Publishable):
        if obj.status == PublicationStatus.DRAFT:
            return format_html('<span class="pub pub--draft">{}</span>', _("Draft"))
        if obj.is_public:
            return format_html('<span class="pub pub--live">{}</span>', _("Published"))
        moment = timezone.localtime(obj.publish_from)
        return format_html(
            '<span class="pub pub--scheduled">{}</span>',
            _("Scheduled for %(moment)s")
            % {"moment": formats.date_format(moment, "SHORT_DATETIME_FORMAT")},
        )

    @admin.action(description=_("Publish the selected items now"), permissions=["publish"])
    def publish_selected(self, request, queryset):
        changed = publish_now(queryset)
        for obj in changed:
            self.log_change(request, obj, str(_("Published.")))
        self.message_user(
            request,
            ngettext("%(count)d item published.", "%(count)d items published.", len(changed))
            % {"count": len(changed)},
            messages.SUCCESS,
        )

    @admin.action(
        description=_("Withdraw the selected items (back to draft)"), permissions=["publish"]
    )
    def withdraw_selected(self, request, queryset):
        changed = back_to_draft(queryset)
        for obj in changed:
            self.log_change(request, obj, str(_("Back to draft.")))
        self.message_user(
            request,
            ngettext(
                "%(count)d item is a draft again.",
                "%(count)d items are drafts again.",
                len(changed),
            )
            % {"count": len(changed)},
            messages.SUCCESS,
        )

    def render_change_form(self, request, context, add=False, change=False, form_url="", obj=None):
        context["can_publish"] = self.has_publish_permission(request, obj)
        context["offers_preview"] = True
        if obj is not None and obj.pk:
            context["language_links"] = [
                {
                    "code": code,
                    "name": name,
                    "preview_url": preview_url(obj, code),
                    "site_url": site_url(obj, code) if obj.is_public else "",
                }
                for code, name in settings.LANGUAGES
            ]
        return super().render_change_form(request, context, add, change, form_url, obj)

    def _preview_redirect(self, request, obj):
        # No "saved" message: the preview page does not show admin messages, and the banner
        # there says what the editor is looking at.
        return HttpResponseRedirect(preview_url(obj, admin_language()))

    def response_add(self, request, obj, post_url_continue=None):
        if "_preview" in request.POST:
            return self._preview_redirect(request, obj)
        return super().response_add(request, obj, post_url_continue)

    def response_change(self, request, obj):
        if "_preview" in request.POST:
            return self._preview_redirect(request, obj)
        return super().response_change(request, obj)
