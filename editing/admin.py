"""Admin behaviour that keeps editors from undoing each other's work, for any versioned model.

Every change form carries the id of the stored version it shows (`edit_version`). A save is
checked against it in the same transaction that writes, with the owner's row locked: if the
object or its rows changed since, nothing is saved, the editor keeps their input and is told who
changed what, and one button applies just their own changes on top of the new state
("reapply"). Bulk actions check each selected row the same way. Every save stores a version.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from django.conf import settings
from django.contrib import messages
from django.contrib.admin import helpers
from django.contrib.admin.utils import quote, unquote
from django.core.exceptions import ValidationError
from django.db import models, router, transaction
from django.db.models import Max, OuterRef, Subquery
from django.db.models.functions import Cast
from django.http import HttpResponseRedirect
from django.utils.html import format_html, format_html_join
from django.utils.translation import gettext as _
from django.utils.translation import ngettext
from reversion.models import Version
from reversion.revisions import _get_content_type

from . import presence, services
from .admin_versions import VersionHistoryAdminMixin
from .registry import owner_of
from .snapshots import Change, Fields, Snapshot, stored

VERSION_FIELD = "edit_version"
REAPPLY = "_reapply"


@dataclass
class EditCheck:
    """What the save of a form found: refused, in conflict, or to be merged (reapply)."""

    refused: str = ""
    changes: list[Change] = field(default_factory=list)
    # The version the editor can build on now, offered by the reapply button.
    latest_token: int | None = None
    # On reapply: the state the editor started from; their edits are what differs from it.
    base: Snapshot | None = None

    @property
    def conflict(self) -> bool:
        return bool(self.changes)

    def error(self) -> ValidationError | None:
        if self.refused:
            return ValidationError(self.refused, code="version")
        if self.changes:
            return ValidationError(
                _(
                    "Not saved: someone else changed this since you opened it. Your input is "
                    "still here; what they changed is listed above."
                ),
                code="conflict",
            )
        return None


def check_form(obj, data, with_rows: bool = True, merge: bool = True) -> EditCheck:
    """Check a posted form against what `obj` is now (call inside the saving transaction).

    With `merge`, a reapply writes only the editor's own edits over the newer state; without,
    the form is saved as it is (a new object made from `obj`, such as a copy).
    """
    try:
        base, changes = services.check(obj, data.get(VERSION_FIELD), with_rows)
        if REAPPLY in data:
            # The editor has seen the changes up to the version on the button; anything
            # newer than that is a conflict again.
            shown = services.base_version(obj, data.get(REAPPLY))
            changes = services.changes_since(obj, shown, with_rows)
            if not changes:
                return EditCheck(base=stored(base, with_rows) if merge else None)
    except services.Refused as refusal:
        return EditCheck(refused=refusal.message)
    if changes:
        return EditCheck(changes=changes, latest_token=services.token_for(obj))
    return EditCheck()


def edit_context(request, subject, merge: bool = True) -> dict:
    """The version a form about `subject` carries, and the conflict its save ran into."""
    check = getattr(request, "edit_check", None)
    return {
        # A form shown again after a failed save keeps the version it was opened on.
        VERSION_FIELD: (
            request.POST.get(VERSION_FIELD, "")
            if request.method == "POST"
            else services.token_for(subject)
        ),
        "edit_conflict": check if check is not None and check.conflict else None,
        "edit_merge": merge,
    }


def presence_context(obj, user, url: str) -> dict:
    """Marks the editor as having `obj` open; the notice of who else has (editing.presence)."""
    return {
        "edit_presence": presence.notice(presence.here(obj, user)),
        "presence_url": url,
        "presence_interval": settings.EDITING_HEARTBEAT_SECONDS,
    }


def model_field_of(form, name: str) -> models.Field | None:
    try:
        return form._meta.model._meta.get_field(name)
    except Exception:
        return None


def keep_theirs(form, base: Fields) -> None:
    """Reapplying: every field the editor left as it was when they opened the form takes the
    value it has now, so only their own edits are written over the newer state."""
    for name, form_field in form.fields.items():
        model_field = model_field_of(form, name)
        if model_field is None or name not in form.cleaned_data:
            continue
        if isinstance(model_field, models.FileField) or model_field.attname not in base:
            continue  # an upload is always the editor's own; no upload keeps the file as it is
        if form_field.has_changed(base[model_field.attname], form[name].data):
            continue
        instance = form.instance
        if isinstance(model_field, models.ManyToManyField):
            form.cleaned_data[name] = list(getattr(instance, name).all())
        else:
            form.cleaned_data[name] = getattr(instance, model_field.name)


def checked_form(form_class, check: EditCheck):
    class CheckedForm(form_class):
        def clean(self):
            cleaned = super().clean()
            error = check.error()
            if error is not None:
                raise error
            if check.base is not None:
                keep_theirs(self, check.base.fields)
            return cleaned

    CheckedForm.__name__ = form_class.__name__
    return CheckedForm


def merged_formset(formset_class, base_rows: dict[str, Fields]):
    """An inline formset that, on reapply, keeps the newer values of rows the editor left alone,
    and drops their rows that someone else removed meanwhile."""

    class MergedRowForm(formset_class.form):
        def clean(self):
            cleaned = super().clean()
            base = base_rows.get(str(self.instance.pk)) if self.instance.pk else None
            if base is not None:
                keep_theirs(self, base)
            return cleaned

    class MergedFormSet(formset_class):
        form = MergedRowForm

        def _should_delete_form(self, form):
            gone = form in self.initial_forms and form.instance.pk is None
            return gone or super()._should_delete_form(form)

    MergedFormSet.__name__ = formset_class.__name__
    return MergedFormSet


def latest_version_subquery(model):
    """The id of each row's latest stored version, for the tokens of a changelist."""
    versions = Version.objects.filter(
        content_type=_get_content_type(model, router.db_for_read(Version)),
        db=router.db_for_write(model),
        object_id=Cast(OuterRef("pk"), models.CharField()),
    )
    return Subquery(versions.values("object_id").annotate(latest=Max("pk")).values("latest")[:1])


def describe_changes(obj, changes: list[Change]) -> str:
    parts = format_html_join(
        "; ",
        "{}",
        (
            (
                _("%(who)s changed %(what)s from “%(before)s” to “%(after)s”")
                % {
                    "who": change.by,
                    "what": " ".join(part for part in (change.where, change.what) if part),
                    "before": change.before,
                    "after": change.after,
                },
            )
            for change in changes
        ),
    )
    return format_html("“{}”: {}", obj, parts)


class VersionedAdminMixin(VersionHistoryAdminMixin):
    """For a ModelAdmin of a model registered in editing.registry (put it first in the bases)."""

    # With a "Recover deleted" link among the list's tools.
    change_list_template = "admin/editing/change_list.html"

    class Media:
        css = {"all": ("admin/css/eye_editing.css",)}
        js = ("admin/js/eye_presence.js",)

    # Change form

    def edit_source(self, request):
        """The object an add form is made from (a copy's original), checked like a change."""
        return None

    def changeform_view(self, request, object_id=None, form_url="", extra_context=None):
        if request.method != "POST":
            return super().changeform_view(request, object_id, form_url, extra_context)
        # One transaction for the check and the save: the owner's row stays locked in between.
        with transaction.atomic(using=router.db_for_write(self.model)):
            if object_id is None:
                source = self.edit_source(request)
                if source is not None:
                    request.edit_check = check_form(source, request.POST, False, merge=False)
            else:
                obj = self.get_object(request, unquote(object_id))
                if obj is not None:
                    request.edit_check = check_form(obj, request.POST)
            return super().changeform_view(request, object_id, form_url, extra_context)

    def get_form(self, request, obj=None, **kwargs):
        form = super().get_form(request, obj, **kwargs)
        check = getattr(request, "edit_check", None)
        return checked_form(form, check) if check is not None else form

    def get_formsets_with_inlines(self, request, obj=None):
        check = getattr(request, "edit_check", None)
        for formset, inline in super().get_formsets_with_inlines(request, obj):
            if check is not None and check.base is not None:
                rows = check.base.rows.get(formset.fk.remote_field.get_accessor_name(), {})
                formset = merged_formset(formset, rows)
            yield formset, inline

    def render_change_form(self, request, context, add=False, change=False, form_url="", obj=None):
        subject = obj if obj is not None and obj.pk else self.edit_source(request)
        if subject is not None:
            context.update(edit_context(request, subject, merge=subject is obj))
        if obj is not None and obj.pk:
            context["versions_url"] = self.version_url("versions", quote(obj.pk))
            context.update(
                presence_context(obj, request.user, self.version_url("presence", quote(obj.pk)))
            )
        return super().render_change_form(request, context, add, change, form_url, obj)

    # Versions of every save

    def row_message(self, obj, message):
        """A row's own change message, said of the row, for its owner's history."""
        if not isinstance(message, list):
            return message
        name = str(obj._meta.verbose_name)
        return [
            {kind: {"name": name, "object": str(obj), **details} for kind, details in entry.items()}
            for entry in message
        ]

    def record(self, request, objs, message) -> None:
        objs = list(objs)
        if objs and owner_of(objs[0]) is not None:
            message = self.row_message(objs[0], message) if len(objs) == 1 else message
        services.record(objs, request.user, message)

    def log_addition(self, request, obj, message):
        entry = super().log_addition(request, obj, message)
        self.record(request, [obj], message or [{"added": {}}])
        return entry

    def log_change(self, request, obj, message):
        entry = super().log_change(request, obj, message)
        self.record(request, [obj], message)
        return entry

    def delete_model(self, request, obj):
        owner = owner_of(obj)
        # The last state is what a recovery brings back: make sure it is stored.
        services.record_as_found([obj])
        super().delete_model(request, obj)
        if owner is not None:
            self.record(request, [owner], self.row_message(obj, [{"deleted": {}}]))

    def delete_queryset(self, request, queryset):
        objs = list(queryset)
        owners = [owner for owner in map(owner_of, objs) if owner is not None]
        services.record_as_found(objs)
        super().delete_queryset(request, queryset)
        if owners:
            services.record(
                owners,
                request.user,
                [self.row_message(obj, [{"deleted": {}}])[0] for obj in objs],
            )

    # Changelist and bulk actions

    def get_changelist(self, request, **kwargs):
        changelist = super().get_changelist(request, **kwargs)
        model = self.model

        class VersionedChangeList(changelist):
            def get_queryset(self, request, exclude_parameters=None):
                queryset = super().get_queryset(request, exclude_parameters)
                return queryset.annotate(edit_token=latest_version_subquery(model))

        return VersionedChangeList

    def action_checkbox(self, obj):
        checkbox = super().action_checkbox(obj)
        token = getattr(obj, "edit_token", None) or 0
        return format_html(
            '{}<input type="hidden" name="{}_{}" value="{}">',
            checkbox,
            VERSION_FIELD,
            obj.pk,
            token,
        )

    def response_action(self, request, queryset):
        with transaction.atomic(using=router.db_for_write(self.model)):
            refusal = self.check_selection(request, queryset)
            if refusal:
                self.message_user(request, refusal, messages.ERROR)
                return HttpResponseRedirect(request.get_full_path())
            return super().response_action(request, queryset)

    def check_selection(self, request, queryset) -> str:
        """Why the selected rows may not be acted on, or "" when they are as the list showed.

        Selecting all across pages picks rows the editor has not seen, and the delete
        confirmation page lists them again: those are not checked.
        """
        data = request.POST
        if data.get("select_across") == "1" or "post" in data:
            return ""
        selected = data.getlist(helpers.ACTION_CHECKBOX_NAME)
        changed = []
        for obj in queryset.filter(pk__in=selected):
            token = data.get(f"{VERSION_FIELD}_{obj.pk}")
            if token is None:
                return _(
                    "Nothing was changed: the list carries no version numbers, so it cannot be "
                    "checked against changes made since it was opened. Reload it and try again."
                )
            try:
                base = services.base_version(obj, token) if token != "0" else None
            except services.Refused as refusal:
                return refusal.message
            services.lock(obj)
            changes = services.changes_since(obj, base, with_rows=False)
            if changes:
                changed.append(describe_changes(obj, changes))
        if not changed:
            return ""
        return format_html(
            "{} {} {}",
            ngettext(
                "Nothing was changed: one of the selected items changed since you opened the list.",
                "Nothing was changed: %(count)d of the selected items changed since you opened the list.",
                len(changed),
            )
            % {"count": len(changed)},
            format_html_join(" ", "{}.", ((part,) for part in changed)),
            _("Reload the list and choose again."),
        )
