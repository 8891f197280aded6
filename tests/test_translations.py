"""Every visitor-facing text in the templates is in both catalogues, translated."""

from __future__ import annotations

import gettext
import re
from pathlib import Path

import pytest
from django.conf import settings

JINJA_TEMPLATES = Path(settings.BASE_DIR, "jinja2")
# `makemessages` reads a Jinja2 template as it reads a Django one: it finds `_("…")` only where
# it opens a `{{ … }}` (optionally followed by filters). Anywhere else the text is never extracted.
CALL = re.compile(r"""_\((?P<quote>["'])(?P<text>.*?)(?P=quote)\)""")
EXTRACTED = re.compile(r"""\{\{ _\((?P<quote>["'])(?P<text>.*?)(?P=quote)\)(\|[^}]*)? \}\}""")


def catalogue(language: str) -> dict[str, str]:
    path = Path(settings.BASE_DIR, "locale", language, "LC_MESSAGES", "django.mo")
    with path.open("rb") as file:
        return gettext.GNUTranslations(file)._catalog


def template_texts() -> list[tuple[str, str, bool]]:
    found = []
    for template in sorted(JINJA_TEMPLATES.rglob("*.html")):
        source = template.read_text()
        extracted = {match["text"] for match in EXTRACTED.finditer(source)}
        name = str(template.relative_to(JINJA_TEMPLATES))
        for match in CALL.finditer(source):
            found.append((name, match["text"], match["text"] in extracted))
    return found


def test_the_templates_have_texts_to_check():
    assert len(template_texts()) > 50


@pytest.mark.parametrize("language", ["nl", "en"])
def test_every_template_text_is_extracted_and_translated(language):
    known = catalogue(language)
    missing = [
        f"{name}: {text!r}" + ("" if extracted else " (not in a {{ _(…) }}, so never extracted)")
        for name, text, extracted in template_texts()
        if not extracted or not known.get(text)
    ]
    assert not missing, "\n".join(missing)
