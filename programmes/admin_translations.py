"""Which texts of an object lack their Dutch or English twin, for the admin's marks and filter."""

from __future__ import annotations

from functools import reduce
from operator import or_

from django.conf import settings
from django.contrib import admin
from django.db.models import Model, Q
from django.utils.html import format_html, format_html_join
from django.utils.translation import gettext_lazy as _
from modeltranslation.translator import translator

from .models import has_text

# Addresses are required in both languages already; the rest is what a visitor reads.
NOT_CHECKED = {"slug"}


def translated_fields(model: type[Model]) -> list[str]:
    options = translator.get_options_for_model(model)
    return [name for name in options.fields if name not in NOT_CHECKED]


def other_codes(code: str) -> list[str]:
    return [other for other, _name in settings.LANGUAGES if other != code]


def missing_in(model: type[Model], code: str) -> Q:
    """Objects with a text in another language but none in `code`."""
    conditions = [
        ~has_text(f"{field}_{code}") & has_text(f"{field}_{other}")
        for field in translated_fields(model)
        for other in other_codes(code)
    ]
    return reduce(or_, conditions)


def missing_translations(obj: Model) -> dict[str, list[str]]:
    """{"en": ["synopsis", "description"]}: per language, the fields only the other one has."""
    missing: dict[str, list[str]] = {}
    for code, _name in settings.LANGUAGES:
        for field in translated_fields(type(obj)):
            if getattr(obj, f"{field}_{code}", None):
                continue
            if any(getattr(obj, f"{field}_{other}", None) for other in other_codes(code)):
                label = str(obj._meta.get_field(field).verbose_name)
                missing.setdefault(code, []).append(label)
    return missing


def language_names() -> dict[str, str]:
    return {code: name for code, name in settings.LANGUAGES}


class MissingTranslationFilter(admin.SimpleListFilter):
    title = _("missing translation")
    parameter_name = "missing"

    def lookups(self, request, model_admin):
        return [
            (code, _("%(language)s text missing") % {"language": name})
            for code, name in settings.LANGUAGES
        ]

    def queryset(self, request, queryset):
        if self.value() in language_names():
            return queryset.filter(missing_in(queryset.model, self.value()))
        return queryset


class TranslationStatusMixin:
    """A changelist column and a change-form warning for texts missing in a language."""

    @admin.display(description=_("languages"))
    def translation_status(self, obj: Model):
        missing = missing_translations(obj)
        return format_html_join(
            " ",
            '<span class="{}" title="{}">{}</span>',
            (
                (
                    "translation-mark translation-mark--missing"
                    if code in missing
                    else "translation-mark",
                    _("Missing: %(fields)s") % {"fields": ", ".join(missing[code])}
                    if code in missing
                    else _("Complete"),
                    format_html("{}{}", code.upper(), " ✗" if code in missing else ""),
                )
                for code, _name in settings.LANGUAGES
            ),
        )

    def render_change_form(self, request, context, add=False, change=False, form_url="", obj=None):
        if obj is not None:
            names = language_names()
            context["missing_translations"] = [
                {"language": names[code], "code": code, "fields": fields}
                for code, fields in missing_translations(obj).items()
            ]
        return super().render_change_form(request, context, add, change, form_url, obj)
