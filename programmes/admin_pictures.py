"""The admin's view of pictures: previews once drawn, and what keeps the others.

Editors see, at each image field and in each list, whether an image's pictures are ready, still
being prepared, or failed and why; the Pictures list shows every image that is not ready.
"""

from __future__ import annotations

from django.apps import apps
from django.contrib import admin, messages
from django.contrib.admin.widgets import AdminFileWidget
from django.urls import reverse
from django.utils.html import format_html
from django.utils.translation import gettext_lazy as _
from django.utils.translation import ngettext

from . import pictures
from .markup import admin_preview, prepared
from .models import ImagePreparation

Status = ImagePreparation.Status


def thumbnail(image, alt: str, height: int = 64):
    """An image in a list of the admin: its drawn preview, or what is keeping it."""
    if not image:
        return "–"
    preview = admin_preview(image)
    if preview is None:
        if prepared(image).status == Status.FAILED:
            return format_html(
                '<span class="picture-state picture-state--failed">{}</span>', _("Failed")
            )
        return format_html('<span class="picture-state">{}</span>', _("Being prepared"))
    width = round(preview.width * height / preview.height)
    return format_html(
        '<img src="{}" width="{}" height="{}" alt="{}">', preview.url, width, height, alt
    )


class PictureWidget(AdminFileWidget):
    """The file input, with the image's preview, or the state of its pictures."""

    def render(self, name, value, attrs=None, renderer=None):
        output = super().render(name, value, attrs, renderer)
        if not value or not hasattr(value, "url"):
            return output
        preview = admin_preview(value)
        if preview is not None:
            shown = format_html(
                '<a class="picture-preview" href="{}" target="_blank">'
                '<img src="{}" width="{}" height="{}" alt=""></a>',
                value.url,
                preview.url,
                round(preview.width * 80 / preview.height),
                80,
            )
        else:
            shown = picture_note(value.name)
        return format_html("{}{}", shown, output)


def picture_note(name: str) -> str:
    row = ImagePreparation.objects.filter(name=name).values_list("status", "error").first()
    if row is not None and row[0] == Status.FAILED:
        return format_html(
            '<p class="picture-state picture-state--failed">{} {}</p>',
            _("The pictures for the site could not be made of this file: %(reason)s")
            % {"reason": row[1]},
            _("Upload it again, or another file."),
        )
    return format_html(
        '<p class="picture-state">{}</p>',
        _(
            "The sizes of this picture for the site are being prepared; until they are ready, "
            "pages show the original."
        ),
    )


@admin.register(ImagePreparation)
class ImagePreparationAdmin(admin.ModelAdmin):
    """Every uploaded image and its pictures: ready, still being prepared, or failed and why."""

    list_display = ("preview", "used_by", "status", "error", "attempts", "queued_at", "finished_at")
    list_filter = ("status",)
    search_fields = ("name",)
    actions = ("prepare_again",)
    fields = (
        "name",
        "field",
        "status",
        "error",
        "attempts",
        "queued_at",
        "started_at",
        "finished_at",
        "retry_at",
        "job_id",
        "width",
        "height",
    )

    def has_add_permission(self, request):
        return False

    def has_delete_permission(self, request, obj=None):
        return False

    def get_readonly_fields(self, request, obj=None):
        return self.fields  # changed only by the action below

    @admin.display(description=_("picture"))
    def preview(self, row: ImagePreparation):
        if row.status == Status.READY and "admin" in row.renditions:
            url, width, height = row.renditions["admin"]
            return format_html(
                '<img src="{}" width="{}" height="{}" alt="">', url, round(width * 54 / height), 54
            )
        return row.name

    @admin.display(description=_("used by"))
    def used_by(self, row: ImagePreparation):
        app_label, model_name, field_name = row.field.split(".")
        model = apps.get_model(app_label, model_name)
        user = model._default_manager.filter(**{field_name: row.name}).first()
        label = f"{model._meta.verbose_name}: {model._meta.get_field(field_name).verbose_name}"
        if user is None:
            return label
        owner = getattr(user, "film", user)  # a still is shown as its film's
        url = reverse(
            f"admin:{owner._meta.app_label}_{owner._meta.model_name}_change", args=[owner.pk]
        )
        return format_html('{} <a href="{}">{}</a>', label, url, owner)

    @admin.action(description=_("Prepare the selected pictures again"), permissions=["change"])
    def prepare_again(self, request, queryset):
        count = pictures.prepare_again(queryset.values_list("name", flat=True))
        self.message_user(
            request,
            ngettext(
                "%(count)d picture is queued to be prepared again.",
                "%(count)d pictures are queued to be prepared again.",
                count,
            )
            % {"count": count},
            messages.SUCCESS,
        )
