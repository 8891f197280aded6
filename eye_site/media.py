"""Uploaded files on one machine: written whole or not at all, and served never with a type a
browser would run.

Uploads are images (see programmes/validators.py), but whatever lies in MEDIA_ROOT is served by
its extension alone, so the extension decides: known image types keep their image type, markup
(HTML, SVG, XML) is refused outright, and anything else is a download. Every answer forbids type
sniffing and carries a policy that lets nothing in it run.
"""

from __future__ import annotations

import contextlib
import os
import tempfile
from pathlib import PurePosixPath

from django.conf import settings
from django.core.files.storage import FileSystemStorage
from django.http import Http404, HttpRequest, HttpResponse
from django.views.static import serve

IMAGE_TYPES = {
    ".jpg": "image/jpeg",
    ".jpeg": "image/jpeg",
    ".png": "image/png",
    ".gif": "image/gif",
    ".webp": "image/webp",
    ".avif": "image/avif",
}
# Types a browser renders as a document that can run script.
REFUSED_SUFFIXES = frozenset(
    {".html", ".htm", ".xhtml", ".shtml", ".svg", ".svgz", ".xml", ".xsl", ".js", ".mjs"}
)
MEDIA_POLICY = "default-src 'none'; sandbox"


def serve_media(request: HttpRequest, path: str) -> HttpResponse:
    suffix = PurePosixPath(path).suffix.lower()
    if suffix in REFUSED_SUFFIXES:
        raise Http404("This kind of file is not served.")
    # MEDIA_ROOT is read per request, so tests that point it elsewhere are served from there too.
    response = serve(request, path, document_root=settings.MEDIA_ROOT)
    if suffix in IMAGE_TYPES:
        response["Content-Type"] = IMAGE_TYPES[suffix]
    else:
        response["Content-Type"] = "application/octet-stream"
        response["Content-Disposition"] = "attachment"
    response["X-Content-Type-Options"] = "nosniff"
    response["Content-Security-Policy"] = MEDIA_POLICY
    response["Cache-Control"] = settings.MEDIA_CACHE_CONTROL
    return response


class AtomicFileSystemStorage(FileSystemStorage):
    """The local media folder, where a file appears under its name only once it is complete.

    Django's storage writes into the final name as the bytes arrive, so a worker killed halfway
    through a rendition would leave half a picture that the next attempt finds and keeps. Here
    the bytes go to a hidden temporary file beside it, which is then linked to its name: the
    name never points at a partial file, and an existing file is never replaced (a taken name
    gets another, as Django's own storage does). S3 needs nothing of the kind: an object is
    visible only once its upload has finished.
    """

    def _save(self, name, content):
        full_path = self.path(name)
        directory = os.path.dirname(full_path)
        os.makedirs(directory, exist_ok=True)
        descriptor, partial = tempfile.mkstemp(dir=directory, prefix=".", suffix=".part")
        try:
            with os.fdopen(descriptor, "wb") as file:
                for chunk in content.chunks():
                    file.write(chunk if isinstance(chunk, bytes) else chunk.encode())
            while True:
                try:
                    os.link(partial, full_path)
                    break
                except FileExistsError:
                    name = self.get_available_name(name)
                    full_path = self.path(name)
        finally:
            with contextlib.suppress(FileNotFoundError):
                os.unlink(partial)
        if self.file_permissions_mode is not None:
            os.chmod(full_path, self.file_permissions_mode)
        return os.path.relpath(full_path, self.location).replace("\\", "/")
