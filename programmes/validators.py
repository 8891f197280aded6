"""Checks on uploaded images: only real JPEG, PNG or WebP files, within size and pixel limits."""

from django.conf import settings
from django.core.exceptions import ValidationError
from django.template.defaultfilters import filesizeformat
from django.utils.translation import gettext as _
from PIL import Image

ALLOWED_IMAGE_FORMATS = {"JPEG", "PNG", "WEBP"}
ALLOWED_IMAGE_EXTENSIONS = ["jpg", "jpeg", "png", "webp"]


def validate_image_upload(file) -> None:
    """Refuse an image before it is stored, so a refused upload leaves no file behind."""
    if getattr(file, "_committed", True):
        # Already stored: it was checked when it was uploaded.
        return
    max_bytes = settings.IMAGE_UPLOAD_MAX_BYTES
    if file.size > max_bytes:
        raise ValidationError(
            _("This file is %(size)s; images may be at most %(max)s.")
            % {"size": filesizeformat(file.size), "max": filesizeformat(max_bytes)},
            code="file_too_large",
        )
    position = file.tell()
    try:
        file.seek(0)
        # Image.open reads only the header, so a decompression bomb is caught before decoding.
        with Image.open(file) as image:
            image_format = image.format
            width, height = image.size
    except (Image.DecompressionBombError, OSError, SyntaxError, ValueError) as error:
        raise ValidationError(
            _("This file is not an image we can read. Upload a JPEG, PNG or WebP file."),
            code="invalid_image",
        ) from error
    finally:
        file.seek(position)
    if image_format not in ALLOWED_IMAGE_FORMATS:
        raise ValidationError(
            _("This is a %(format)s image; upload a JPEG, PNG or WebP file.")
            % {"format": image_format},
            code="invalid_image_type",
        )
    max_pixels = settings.IMAGE_UPLOAD_MAX_PIXELS
    if width * height > max_pixels:
        raise ValidationError(
            _(
                "This image is %(width)s × %(height)s pixels; images may have at most "
                "%(megapixels)s million pixels."
            )
            % {"width": width, "height": height, "megapixels": max_pixels // 1_000_000},
            code="too_many_pixels",
        )
