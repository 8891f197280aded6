"""What the cinema shows: programmes, films with their stills and credits, people and events."""

from __future__ import annotations

import re
from datetime import timedelta

from django.core.validators import FileExtensionValidator, MaxValueValidator, MinValueValidator
from django.db import models, transaction
from django.db.models import Q
from django.db.models.functions import Now
from django.dispatch import Signal
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy
from django_countries.fields import CountryField
from solo.models import SingletonModel
from sorl.thumbnail import ImageField

from eye_site.cache import ContentQuerySet

from .addresses import address
from .search_keys import names_key, sort_titles
from .validators import ALLOWED_IMAGE_EXTENSIONS, validate_image_upload

IMAGE_VALIDATORS = [
    FileExtensionValidator(ALLOWED_IMAGE_EXTENSIONS),
    validate_image_upload,
]

FIRST_FILM_YEAR = 1888
LAST_FILM_YEAR = 2100
MAX_RUNTIME_MINUTES = 1000


class PublicationStatus(models.TextChoices):
    DRAFT = "draft", _("Draft")
    PUBLISHED = "published", _("Published")


class PublishableQuerySet(ContentQuerySet):
    def published(self):
        """What visitors may see: published, and due (scheduled items appear on time by themselves)."""
        return self.filter(
            Q(publish_from__isnull=True) | Q(publish_from__lte=Now()),
            status=PublicationStatus.PUBLISHED,
        )


class Publishable(models.Model):
    status = models.CharField(
        _("status"),
        max_length=10,
        choices=PublicationStatus.choices,
        default=PublicationStatus.DRAFT,
    )
    publish_from = models.DateTimeField(
        _("publish from"),
        null=True,
        blank=True,
        help_text=_("Leave empty to publish at once; set a moment to publish it then."),
    )

    objects = PublishableQuerySet.as_manager()

    class Meta:
        abstract = True

    @property
    def is_public(self) -> bool:
        from django.utils import timezone

        return self.status == PublicationStatus.PUBLISHED and (
            self.publish_from is None or self.publish_from <= timezone.now()
        )


class Searchable(models.Model):
    """An object the site's search finds by its names (screenings/search.py)."""

    # The names a visitor may type to find it, in every language it has them.
    search_names: tuple[str, ...] = ()

    # Its names folded to one spelling (programmes/search_keys.py); follows them on every save.
    search_key = models.TextField(editable=False, default="")

    class Meta:
        abstract = True

    def save(self, *args, **kwargs) -> None:
        self.fill_search_key()
        update_fields = kwargs.get("update_fields")
        if update_fields is not None:
            kwargs["update_fields"] = {*update_fields, "search_key"}
        super().save(*args, **kwargs)

    def fill_search_key(self) -> None:
        """Derives the key from this row alone; for writers that call no save() (bulk_create)."""
        self.search_key = names_key(*(getattr(self, name) or "" for name in self.search_names))


LANGUAGE_CODES = ("nl", "en")


def has_text(field: str) -> Q:
    """A translated column is filled in (modeltranslation makes them nullable)."""
    return Q(**{f"{field}__isnull": False}) & ~Q(**{field: ""})


def in_both_languages(field: str) -> Q:
    return has_text(f"{field}_nl") & has_text(f"{field}_en")


def slug_constraints(model_name: str) -> list[models.BaseConstraint]:
    """Every page has an address in each language, unique within that language."""
    return [
        *(
            models.UniqueConstraint(
                fields=[f"slug_{code}"], name=f"{model_name}_unique_slug_{code}"
            )
            for code in LANGUAGE_CODES
        ),
        models.CheckConstraint(
            condition=in_both_languages("slug"),
            name=f"{model_name}_slug_in_both_languages",
            violation_error_message=_("Give an address (slug) in Dutch and in English."),
        ),
    ]


def image_alt_constraint(model_name: str, image: str, alt: str) -> models.CheckConstraint:
    """An image is described for people who cannot see it, in both languages."""
    return models.CheckConstraint(
        condition=Q(**{image: ""}) | in_both_languages(alt),
        name=f"{model_name}_{image}_has_alt",
        violation_error_message=_("Describe the image in its alt text, in Dutch and in English."),
    )


class Programme(Searchable, Publishable):
    search_names = ("title_nl", "title_en", "subtitle_nl", "subtitle_en")

    title = models.CharField(_("title"), max_length=200)
    slug = models.SlugField(_("slug"), max_length=200)
    subtitle = models.CharField(_("subtitle"), max_length=200, blank=True)
    intro = models.TextField(_("intro"), blank=True)
    body = models.TextField(_("body"), blank=True)
    campaign_image = ImageField(
        _("campaign image"), upload_to="programmes/", blank=True, validators=IMAGE_VALIDATORS
    )
    campaign_image_alt = models.CharField(_("campaign image alt text"), max_length=300, blank=True)
    starts_on = models.DateField(_("starts on"))
    ends_on = models.DateField(_("ends on"))

    class Meta:
        ordering = ("-starts_on", "title")
        verbose_name = _("programme")
        verbose_name_plural = _("programmes")
        constraints = [
            *slug_constraints("programme"),
            models.CheckConstraint(
                condition=Q(ends_on__gte=models.F("starts_on")),
                name="programme_ends_on_or_after_start",
                violation_error_message=_("A programme cannot end before it starts."),
            ),
            image_alt_constraint("programme", "campaign_image", "campaign_image_alt"),
        ]

    def __str__(self) -> str:
        return self.title

    def get_absolute_url(self) -> str:
        return address("programmes:programme_detail", slug=self.slug)


class Person(Searchable):
    search_names = ("name",)

    name = models.CharField(_("name"), max_length=200)
    slug = models.SlugField(_("slug"), max_length=200, unique=True)
    bio = models.TextField(_("biography"), blank=True)

    objects = ContentQuerySet.as_manager()

    class Meta:
        ordering = ("name",)
        verbose_name = _("person")
        verbose_name_plural = _("people")

    def __str__(self) -> str:
        return self.name

    def get_absolute_url(self) -> str:
        return address("programmes:person_detail", slug=self.slug)


class AgeRating(models.TextChoices):
    # Kijkwijzer, the Dutch age classification.
    ALL = "AL", _("All ages")
    SIX = "6", _("6 and over")
    NINE = "9", _("9 and over")
    TWELVE = "12", _("12 and over")
    FOURTEEN = "14", _("14 and over")
    SIXTEEN = "16", _("16 and over")
    EIGHTEEN = "18", _("18 and over")


# Sent inside the transaction of every save of a film or event, however it is saved (the admin,
# a restore, a script, a shell): the screenings app makes the screenings' ends follow its runtime
# or duration (screenings.services.follow_length). A receiver that raises undoes the save.
length_saved = Signal()


class Screened(models.Model):
    """What is shown at screenings, which last as long as it does."""

    class Meta:
        abstract = True

    def save(self, *args, **kwargs) -> None:
        with transaction.atomic():
            super().save(*args, **kwargs)
            length_saved.send(sender=type(self), instance=self)


class FilmQuerySet(PublishableQuerySet):
    def from_country(self, code: str):
        """Made in a country: one of the codes the countries field keeps as "SU,GE"."""
        return self.filter(
            Q(countries=code)
            | Q(countries__startswith=f"{code},")
            | Q(countries__endswith=f",{code}")
            | Q(countries__contains=f",{code},")
        )

    def speaking(self, code: str):
        """Films in which a language is spoken (the field holds codes as typed: "ru, ka")."""
        return self.filter(spoken_languages__iregex=rf"(^|,)\s*{re.escape(code)}\s*(,|$)")


class Film(Screened, Searchable, Publishable):
    search_names = ("title_nl", "title_en", "original_title")

    title = models.CharField(_("title"), max_length=200, help_text=_("The title as shown."))
    original_title = models.CharField(_("original title"), max_length=200, blank=True)
    slug = models.SlugField(_("slug"), max_length=200)
    year = models.PositiveSmallIntegerField(
        _("year"),
        validators=[MinValueValidator(FIRST_FILM_YEAR), MaxValueValidator(LAST_FILM_YEAR)],
    )
    countries = CountryField(_("countries"), multiple=True, blank=True)
    runtime = models.PositiveSmallIntegerField(
        _("runtime (minutes)"),
        validators=[MinValueValidator(1), MaxValueValidator(MAX_RUNTIME_MINUTES)],
    )
    spoken_languages = models.CharField(
        _("spoken languages"),
        max_length=100,
        blank=True,
        help_text=_("Language codes, separated by commas: ru, ka, en."),
    )
    synopsis = models.TextField(_("synopsis"), blank=True, help_text=_("The short intro."))
    description = models.TextField(_("description"), blank=True)
    restoration_note = models.CharField(_("restoration or print note"), max_length=300, blank=True)
    age_rating = models.CharField(
        _("age rating"), max_length=2, choices=AgeRating.choices, blank=True
    )
    poster = ImageField(_("poster"), upload_to="posters/", blank=True, validators=IMAGE_VALIDATORS)
    poster_alt = models.CharField(_("poster alt text"), max_length=300, blank=True)
    programmes = models.ManyToManyField(
        Programme, related_name="films", blank=True, verbose_name=_("programmes")
    )
    people = models.ManyToManyField(Person, through="Credit", related_name="films")
    # Where the title stands in each language's A–Z index; follows the titles on every save.
    sort_title_nl = models.CharField(max_length=200, editable=False, default="")
    sort_title_en = models.CharField(max_length=200, editable=False, default="")

    objects = FilmQuerySet.as_manager()

    class Meta:
        ordering = ("title",)
        verbose_name = _("film")
        verbose_name_plural = _("films")
        indexes = [
            # The films index, A–Z in the page's language (screenings.views.FilmIndexView).
            models.Index(fields=["sort_title_nl", "year"], name="film_sort_title_nl_idx"),
            models.Index(fields=["sort_title_en", "year"], name="film_sort_title_en_idx"),
        ]
        constraints = [
            *slug_constraints("film"),
            models.CheckConstraint(
                condition=Q(year__gte=FIRST_FILM_YEAR, year__lte=LAST_FILM_YEAR),
                name="film_year_in_range",
                violation_error_message=_("The year must lie between 1888 and 2100."),
            ),
            models.CheckConstraint(
                condition=Q(runtime__gte=1, runtime__lte=MAX_RUNTIME_MINUTES),
                name="film_runtime_in_range",
                violation_error_message=_("The runtime must lie between 1 and 1000 minutes."),
            ),
            image_alt_constraint("film", "poster", "poster_alt"),
        ]

    def __str__(self) -> str:
        return f"{self.title} ({self.year})"

    def save(self, *args, **kwargs) -> None:
        # Derived from this row alone, as a screening's end is from its start.
        for field, value in sort_titles(self.title_nl or "", self.title_en or "").items():
            setattr(self, field, value)
        update_fields = kwargs.get("update_fields")
        if update_fields is not None and {"title", "title_nl", "title_en"} & set(update_fields):
            kwargs["update_fields"] = {*update_fields, "sort_title_nl", "sort_title_en"}
        super().save(*args, **kwargs)

    def get_absolute_url(self) -> str:
        return address("programmes:film_detail", slug=self.slug)

    @property
    def duration(self) -> timedelta:
        return timedelta(minutes=self.runtime)

    @property
    def language_codes(self) -> list[str]:
        return [code.strip() for code in self.spoken_languages.split(",") if code.strip()]

    def directors(self) -> list[Person]:
        """Directors in credit order; reads prefetched credits when the view prefetched them."""
        return [c.person for c in self.credits.all() if c.role == CreditRole.DIRECTOR]

    @property
    def credit_line(self) -> str:
        """'Mikhail Kalatozov, SU 1957', the line captions and cards carry."""
        names = ", ".join(person.name for person in self.directors())
        countries = "/".join(country.code for country in self.countries)
        return ", ".join(part for part in (names, f"{countries} {self.year}".strip()) if part)


class CreditRole(models.TextChoices):
    DIRECTOR = "director", _("Director")
    SCREENPLAY = "screenplay", _("Screenplay")
    CINEMATOGRAPHER = "cinematographer", _("Cinematographer")
    COMPOSER = "composer", _("Composer")
    EDITOR = "editor", _("Editor")
    PRODUCTION_DESIGN = "production_design", _("Production design")
    CAST = "cast", _("Cast")


class Credit(models.Model):
    film = models.ForeignKey(Film, on_delete=models.CASCADE, related_name="credits")
    person = models.ForeignKey(Person, on_delete=models.PROTECT, related_name="credits")
    role = models.CharField(_("role"), max_length=20, choices=CreditRole.choices)
    character = models.CharField(
        _("character"), max_length=200, blank=True, help_text=_("For cast: the part played.")
    )
    order = models.PositiveSmallIntegerField(_("order"), default=0)

    objects = ContentQuerySet.as_manager()

    class Meta:
        # By the film's id, not the film: Django sorts by a relation through its model's own
        # ordering (the title), a join to the films in every read of credits, stills, performers.
        ordering = ("film_id", "order", "pk")
        verbose_name = _("credit")
        verbose_name_plural = _("credits")
        constraints = [
            models.UniqueConstraint(
                fields=["film", "person", "role"], name="credit_unique_person_role_per_film"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.person} – {self.get_role_display()}"


class Still(models.Model):
    film = models.ForeignKey(Film, on_delete=models.CASCADE, related_name="stills")
    image = ImageField(_("image"), upload_to="stills/", validators=IMAGE_VALIDATORS)
    alt_text = models.CharField(_("alt text"), max_length=300)
    caption = models.CharField(
        _("caption"),
        max_length=300,
        blank=True,
        help_text=_("Leave empty for the caption made from the credits."),
    )
    order = models.PositiveSmallIntegerField(_("order"), default=0)

    objects = ContentQuerySet.as_manager()

    class Meta:
        ordering = ("film_id", "order", "pk")
        verbose_name = _("still")
        verbose_name_plural = _("stills")
        constraints = [
            models.CheckConstraint(
                condition=in_both_languages("alt_text"),
                name="still_has_alt_in_both_languages",
                violation_error_message=_("Describe the still in Dutch and in English."),
            ),
        ]

    def __str__(self) -> str:
        return self.alt_text

    @property
    def display_caption(self) -> str:
        if self.caption:
            return self.caption
        return _("still from %(title)s (%(credit_line)s)") % {
            "title": self.film.title,
            "credit_line": self.film.credit_line,
        }


class EventKind(models.TextChoices):
    OPENING = "opening", _("Opening night")
    LECTURE = "lecture", _("Lecture")
    QA = "qa", _("Q&A")
    LIVE_MUSIC = "live_music", _("Live music")
    PREMIERE = "premiere", _("Premiere")
    WORKSHOP = "workshop", _("Workshop")
    OTHER = "other", pgettext_lazy("event kind", "Other")


class Event(Screened, Searchable, Publishable):
    search_names = ("title_nl", "title_en", "label_nl", "label_en")

    title = models.CharField(_("title"), max_length=250)
    slug = models.SlugField(_("slug"), max_length=250)
    kind = models.CharField(_("kind"), max_length=20, choices=EventKind.choices)
    label = models.CharField(
        _("label"),
        max_length=200,
        blank=True,
        help_text=_("A short heading: 'Russian Thaw opening night'."),
    )
    intro = models.TextField(_("intro"), blank=True)
    body = models.TextField(_("body"), blank=True)
    films = models.ManyToManyField(
        Film, related_name="events", blank=True, verbose_name=_("main films")
    )
    programme = models.ForeignKey(
        Programme,
        on_delete=models.PROTECT,
        related_name="events",
        null=True,
        blank=True,
        verbose_name=_("programme"),
    )
    duration = models.PositiveSmallIntegerField(
        _("total duration (minutes)"),
        validators=[MinValueValidator(1), MaxValueValidator(MAX_RUNTIME_MINUTES)],
        help_text=_("The whole event, film and extras together."),
    )
    image = ImageField(_("image"), upload_to="events/", blank=True, validators=IMAGE_VALIDATORS)
    image_alt = models.CharField(_("image alt text"), max_length=300, blank=True)
    featured = models.BooleanField(_("featured on the home page"), default=False)

    class Meta:
        ordering = ("title",)
        verbose_name = _("event")
        verbose_name_plural = _("events")
        constraints = [
            *slug_constraints("event"),
            models.CheckConstraint(
                condition=Q(duration__gte=1, duration__lte=MAX_RUNTIME_MINUTES),
                name="event_duration_in_range",
                violation_error_message=_("The duration must lie between 1 and 1000 minutes."),
            ),
            image_alt_constraint("event", "image", "image_alt"),
        ]

    def __str__(self) -> str:
        return self.title

    def get_absolute_url(self) -> str:
        return address("programmes:event_detail", slug=self.slug)

    @property
    def duration_delta(self) -> timedelta:
        return timedelta(minutes=self.duration)


class EventContributor(models.Model):
    event = models.ForeignKey(Event, on_delete=models.CASCADE, related_name="contributors")
    person = models.ForeignKey(Person, on_delete=models.PROTECT, related_name="contributions")
    part = models.CharField(
        _("part"),
        max_length=200,
        help_text=_("What they do: 'poetry reading (in Dutch)', 'piano'."),
    )
    order = models.PositiveSmallIntegerField(_("order"), default=0)

    objects = ContentQuerySet.as_manager()

    class Meta:
        ordering = ("event_id", "order", "pk")
        verbose_name = _("contributor")
        verbose_name_plural = _("contributors")

    def __str__(self) -> str:
        return f"{self.person}: {self.part}"


class SiteSettings(SingletonModel):
    """Texts staff can change that appear on every page (the footer)."""

    restaurant_text = models.CharField(
        _("bar-restaurant invitation"),
        max_length=300,
        default="Planning on having a drink or a bite to eat? Book online for Eye Bar Restaurant.",
    )
    restaurant_url = models.URLField(_("bar-restaurant booking link"), blank=True)
    membership_text = models.CharField(
        _("membership invitation"),
        max_length=300,
        default="Share your love for film and become a member of the Eye Society.",
    )
    membership_url = models.URLField(_("membership link"), blank=True)

    objects = ContentQuerySet.as_manager()

    class Meta:
        verbose_name = _("site settings")

    def __str__(self) -> str:
        return str(_("Site settings"))


class ImagePreparation(models.Model):
    """One uploaded image and its renditions: drawn by a job on the queue (programmes.pictures),
    read by the pages, which never draw a picture themselves.

    Written only with update() and bulk_create() (programmes.pictures): they send no post_save,
    so a job's progress does not make every cached page stale (eye_site.cache.content_changed).
    """

    class Status(models.TextChoices):
        WAITING = "waiting", _("Waiting for a worker")
        DRAWING = "drawing", _("Being drawn")
        READY = "ready", _("Ready")
        FAILED = "failed", _("Failed")

    name = models.CharField(_("file"), max_length=255, unique=True)
    # Where the image is used, as a key of programmes.markup.SHOWN_AS ("programmes.Film.poster").
    field = models.CharField(_("used as"), max_length=100)
    status = models.CharField(
        _("status"), max_length=10, choices=Status.choices, default=Status.WAITING
    )
    error = models.TextField(_("why it failed"), blank=True)
    attempts = models.PositiveSmallIntegerField(_("attempts"), default=0)
    # The queued job's id; empty while no job is queued (the queue was unreachable, or a retry
    # waits for retry_at): the worker's sweep queues one then.
    job_id = models.CharField(_("job"), max_length=64, blank=True)
    retry_at = models.DateTimeField(_("next attempt"), null=True, blank=True)
    # The size a browser shows the original at (EXIF rotation applied), for the markup that
    # stands in until the renditions exist.
    width = models.PositiveIntegerField(_("width"), null=True, blank=True)
    height = models.PositiveIntegerField(_("height"), null=True, blank=True)
    # What the pages need of the drawn files, per slot (programmes.markup.Renditions), plus the
    # Open Graph and admin pictures.
    renditions = models.JSONField(_("renditions"), default=dict, blank=True)
    # Which slot definitions they were drawn for (programmes.pictures.drawing_version): when the
    # slots change, the worker draws them again while the pages go on showing these.
    drawn_for = models.CharField(_("drawn for"), max_length=64, blank=True)
    queued_at = models.DateTimeField(_("queued"), default=timezone.now)
    started_at = models.DateTimeField(_("started"), null=True, blank=True)
    finished_at = models.DateTimeField(_("finished"), null=True, blank=True)

    class Meta:
        ordering = ("-queued_at", "pk")
        verbose_name = _("picture")
        verbose_name_plural = _("pictures")
        indexes = [
            # The worker's sweep and the admin's list of pictures not yet ready.
            models.Index(fields=["status", "queued_at"], name="imageprep_status_queued_idx"),
        ]

    def __str__(self) -> str:
        return self.name
