"""Which fields exist in Dutch and English (django-modeltranslation adds the _nl and _en columns)."""

from modeltranslation.translator import TranslationOptions, register

from .models import Credit, Event, EventContributor, Film, Person, Programme, SiteSettings, Still


@register(Programme)
class ProgrammeTranslation(TranslationOptions):
    fields = ("title", "slug", "subtitle", "intro", "body", "campaign_image_alt")
    required_languages = {"nl": ("title", "slug"), "en": ("slug",)}


@register(Film)
class FilmTranslation(TranslationOptions):
    fields = ("title", "slug", "synopsis", "description", "restoration_note", "poster_alt")
    required_languages = {"nl": ("title", "slug"), "en": ("slug",)}


@register(Still)
class StillTranslation(TranslationOptions):
    fields = ("alt_text", "caption")
    required_languages = ("nl", "en")
    # Captions may be left empty in both: the credits then make one.
    # (required_languages as a tuple applies to all fields that are not blank.)


@register(Person)
class PersonTranslation(TranslationOptions):
    fields = ("bio",)


@register(Credit)
class CreditTranslation(TranslationOptions):
    fields = ("character",)


@register(Event)
class EventTranslation(TranslationOptions):
    fields = ("title", "slug", "label", "intro", "body", "image_alt")
    required_languages = {"nl": ("title", "slug"), "en": ("slug",)}


@register(EventContributor)
class EventContributorTranslation(TranslationOptions):
    fields = ("part",)
    required_languages = {"nl": ("part",)}


@register(SiteSettings)
class SiteSettingsTranslation(TranslationOptions):
    fields = ("restaurant_text", "membership_text")
    # The fields' defaults are the English texts; without this, modeltranslation treats an
    # English text equal to the default as missing and shows the Dutch one on English pages.
    fallback_undefined = ""
