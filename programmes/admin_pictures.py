"""The admin's view of pictures: previews once drawn, and what keeps the others.

Editors see, at each image field and in each list, whether an image's pictures are ready, still
being prepared, or failed and why; the Pictures list shows every image that is not ready.
"""

from __future__ import annotations

from django.contrib.admin.widgets import AdminFileWidget
from django.utils.html import format_html
from django.utils.translation import gettext as _

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
