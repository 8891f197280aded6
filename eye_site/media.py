"""Uploaded files as the app serves them on one machine: never with a type a browser would run.

Uploads are images (see programmes/validators.py), but whatever lies in MEDIA_ROOT is served by
its extension alone, so the extension decides: known image types keep their image type, markup
(HTML, SVG, XML) is refused outright, and anything else is a download. Every answer forbids type
sniffing and carries a policy that lets nothing in it run.
"""

from __future__ import annotations

from pathlib import PurePosixPath

from django.conf import settings
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
