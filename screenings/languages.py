"""Names of languages by ISO 639-1 code, in the visitor's language."""

from django.utils.translation import get_language_info


def language_name(code: str) -> str:
    try:
        return str(get_language_info(code)["name_translated"])
    except KeyError:
        return code
