"""Which screening fields exist in Dutch and English."""

from modeltranslation.translator import TranslationOptions, register

from .models import Auditorium, Screening


@register(Auditorium)
class AuditoriumTranslation(TranslationOptions):
    fields = ("name", "accessibility_notes")
    required_languages = {"nl": ("name",)}


@register(Screening)
class ScreeningTranslation(TranslationOptions):
    fields = ("note",)
