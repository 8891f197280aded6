"""The versions of an object as an editor reads them: a list, the differences between two,
and the words that changed inside a longer text highlighted."""

from __future__ import annotations

import difflib
import re

from django.utils import formats, timezone
from django.utils.html import format_html, format_html_join
from django.utils.safestring import SafeString
from django.utils.translation import gettext as _
from reversion.models import Version

from .restoring import RESTORED
from .services import AS_FOUND, author
from .snapshots import Change

WORDS = re.compile(r"\S+|\s+")


def describe_revision(revision) -> str:
    comment = revision.comment
    if comment == AS_FOUND:
        return _("As found before an edit in the admin")
    if comment.startswith(RESTORED):
        restored = Version.objects.filter(pk=comment.removeprefix(RESTORED)).first()
        if restored is None:
            return _("Restored an earlier version")
        return _("Restored the version of %(when)s by %(who)s") % {
            "when": short_moment(restored.revision.date_created),
            "who": author(restored.revision),
        }
    return revision.get_comment() or _("Saved")


def saved_by(revision) -> str:
    """Who a version is from; a state recorded as found is from nobody in particular."""
    if revision.comment == AS_FOUND:
        return _("as found before an edit in the admin")
    return author(revision)


def short_moment(moment) -> str:
    return formats.date_format(timezone.localtime(moment), "SHORT_DATETIME_FORMAT")


def highlight(change: Change) -> tuple[SafeString, SafeString]:
    """Before and after, with the words that differ marked (<del> and <ins>)."""
    old, new = WORDS.findall(change.before), WORDS.findall(change.after)
    before, after = [], []
    for op, i1, i2, j1, j2 in difflib.SequenceMatcher(None, old, new).get_opcodes():
        old_part, new_part = "".join(old[i1:i2]), "".join(new[j1:j2])
        if op == "equal":
            before.append(("{}", old_part))
            after.append(("{}", new_part))
            continue
        if old_part:
            before.append(('<del class="diff-old">{}</del>', old_part))
        if new_part:
            after.append(('<ins class="diff-new">{}</ins>', new_part))
    return _joined(before), _joined(after)


def _joined(parts) -> SafeString:
    return format_html_join("", "{}", ((format_html(template, text),) for template, text in parts))
