"""The site's settings plus the reference page's address and template (bench/reference.py).

The reference template gets an engine of its own, with no context processors: the site's engines
would add the footer's settings query, and the reference page reads one query only.
"""

from eye_site.settings import *  # noqa: F403
from eye_site.settings import BASE_DIR, TEMPLATES

ROOT_URLCONF = "bench.reference"
TEMPLATES = [
    *TEMPLATES,
    {
        "NAME": "reference",
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [BASE_DIR / "bench" / "templates"],
        "OPTIONS": {"context_processors": ["django.template.context_processors.i18n"]},
    },
]
