"""When and where: auditoriums and the screenings held in them."""

from __future__ import annotations

import datetime

from django.core.exceptions import ValidationError
from django.core.validators import MinValueValidator
from django.db import models, transaction
from django.db.models import F, Q
from django.db.models.functions import Now
from django.utils import formats, timezone
from django.utils.translation import gettext_lazy as _

from eye_site.cache import ContentQuerySet
from programmes.addresses import address
from programmes.models import MAX_RUNTIME_MINUTES, Event, Film, PublicationStatus


class AuditoriumQuerySet(ContentQuerySet):
    def hold(self, ids) -> None:
        """Until the transaction ends, other writers to these auditoriums' schedules wait.

        The overlap check and the write after it then see the same schedule, so of two editors
        booking one slot at once the second is told who has it (on SQLite every writing
        transaction holds the whole database already). Outside a transaction nothing is held.
        """
        if transaction.get_connection(self.db).in_atomic_block:
            list(self.select_for_update().filter(pk__in=ids).order_by("pk").values_list("pk"))


class Auditorium(models.Model):
    name = models.CharField(_("name"), max_length=100)
    slug = models.SlugField(_("slug"), max_length=100, unique=True)
    seats = models.PositiveSmallIntegerField(_("seats"), validators=[MinValueValidator(1)])
    accessibility_notes = models.TextField(_("accessibility notes"), blank=True)
    order = models.PositiveSmallIntegerField(_("order"), default=0)

    objects = AuditoriumQuerySet.as_manager()

    class Meta:
        ordering = ("order", "name")
        verbose_name = _("auditorium")
        verbose_name_plural = _("auditoriums")

    def __str__(self) -> str:
        return self.name


class Subtitles(models.TextChoices):
    DUTCH = "nl", _("Dutch subtitles")
    ENGLISH = "en", _("English subtitles")
    NONE = "none", _("No subtitles")


class ScreeningFormat(models.TextChoices):
    DCP = "dcp", "DCP"
    FILM_35MM = "35mm", "35mm"
    FILM_70MM = "70mm", "70mm"
    DIGITAL = "digital", _("Digital")


class TicketStatus(models.TextChoices):
    ON_SALE = "on_sale", _("Tickets on sale")
    FEW_LEFT = "few_left", _("Few tickets left")
    SOLD_OUT = "sold_out", _("Sold out")
    CANCELLED = "cancelled", _("Cancelled")
    FREE = "free", _("Free entry")


BOOKABLE_STATUSES = (TicketStatus.ON_SALE, TicketStatus.FEW_LEFT)


def bookable(ticket_status: str, ticket_url: str) -> bool:
    """Whether a show's tickets can be bought: on sale, and a shop to buy them at."""
    return ticket_status in BOOKABLE_STATUSES and bool(ticket_url)


# How a screening is shown and sold, apart from what, where and when: what a copy or a series
# takes over from the screening or form it starts from.
SCREENING_DETAILS = (
    "spoken_language",
    "subtitles",
    "format",
    "ticket_status",
    "ticket_url",
    "audio_description",
    "subtitles_for_deaf",
    "relaxed",
    "note_nl",
    "note_en",
)


# Film runtimes and event durations are capped by constraints, and a screening's end follows
# from them, so no screening lasts longer than this.
LONGEST_SCREENING = datetime.timedelta(minutes=MAX_RUNTIME_MINUTES)


# What a row of a listing never prints, in every language (modeltranslation's defer() adds each
# language's column): joined into every row, the week's films' synopses and descriptions made the
# agenda's query return about 500 KB from PostgreSQL for 110 rows, nearly all of it thrown away.
LISTING_LEAVES_OUT = (
    "film__synopsis",
    "film__description",
    "film__restoration_note",
    "event__intro",
    "event__body",
    "auditorium__accessibility_notes",
)


class ScreeningQuerySet(ContentQuerySet):
    def published(self):
        """Screenings of a film or event visitors may see."""
        film_public = Q(film__status=PublicationStatus.PUBLISHED) & (
            Q(film__publish_from__isnull=True) | Q(film__publish_from__lte=Now())
        )
        event_public = Q(event__status=PublicationStatus.PUBLISHED) & (
            Q(event__publish_from__isnull=True) | Q(event__publish_from__lte=Now())
        )
        return self.filter(film_public | event_public)

    def upcoming(self):
        """Not yet over: a screening that has started is still worth showing until it ends."""
        now = timezone.now()
        # The bound on the start changes no answer (nothing runs longer than LONGEST_SCREENING),
        # but lets the starts_at index skip the years of history: without it every listing of
        # what is to come reads all screenings ever held (person page: 119 ms at 50,000).
        return self.filter(ends_at__gt=now, starts_at__gt=now - LONGEST_SCREENING)

    def on_day(self, day: datetime.date):
        """Screenings starting on a calendar day in the site's time zone."""
        start = timezone.make_aware(datetime.datetime.combine(day, datetime.time.min))
        return self.filter(starts_at__gte=start, starts_at__lt=start + datetime.timedelta(days=1))

    def between(self, first_day: datetime.date, last_day: datetime.date):
        start = timezone.make_aware(datetime.datetime.combine(first_day, datetime.time.min))
        end = timezone.make_aware(
            datetime.datetime.combine(last_day + datetime.timedelta(days=1), datetime.time.min)
        )
        return self.filter(starts_at__gte=start, starts_at__lt=end)

    def in_language(self, code: str):
        """Spoken in, or subtitled in, a language."""
        return self.filter(Q(subtitles=code) | Q(spoken_language=code))

    def of_programme(self, programme):
        # A subquery, not a join on the films' programmes: each show appears once, so no
        # DISTINCT over whole rows is needed (that cost a programme page 5 ms of planning).
        films = Film.objects.filter(programmes=programme).values("pk")
        return self.filter(Q(film__in=films) | Q(event__programme=programme))

    def of_films(self):
        """Plain film shows, not special events (the agenda's type filter)."""
        return self.filter(film__isnull=False)

    def of_events(self):
        return self.filter(event__isnull=False)

    def for_listing(self):
        """What a listing of screenings shows, in a constant number of queries: the film or event
        and the room joined in, without the long texts no row prints (LISTING_LEAVES_OUT)."""
        return (
            self.select_related("film", "event", "auditorium")
            .defer(*LISTING_LEAVES_OUT)
            .order_by("starts_at", "pk")
        )


class Screening(models.Model):
    film = models.ForeignKey(
        Film,
        on_delete=models.PROTECT,
        related_name="screenings",
        null=True,
        blank=True,
        verbose_name=_("film"),
    )
    event = models.ForeignKey(
        Event,
        on_delete=models.PROTECT,
        related_name="screenings",
        null=True,
        blank=True,
        verbose_name=_("event"),
    )
    auditorium = models.ForeignKey(
        Auditorium,
        on_delete=models.PROTECT,
        related_name="screenings",
        verbose_name=_("auditorium"),
    )
    starts_at = models.DateTimeField(_("starts at"))
    ends_at = models.DateTimeField(
        _("ends at"), editable=False, help_text=_("Derived from the runtime or event duration.")
    )
    spoken_language = models.CharField(
        _("spoken language"), max_length=8, blank=True, help_text=_("Language code: ru, ka, en.")
    )
    subtitles = models.CharField(
        _("subtitles"), max_length=4, choices=Subtitles.choices, default=Subtitles.NONE
    )
    format = models.CharField(
        _("format"), max_length=8, choices=ScreeningFormat.choices, default=ScreeningFormat.DCP
    )
    ticket_status = models.CharField(
        _("ticket status"),
        max_length=10,
        choices=TicketStatus.choices,
        default=TicketStatus.ON_SALE,
        help_text=_(
            "A cancelled screening frees its auditorium: another screening may be planned in "
            "its time."
        ),
    )
    ticket_url = models.URLField(_("ticket link"), blank=True)
    audio_description = models.BooleanField(_("audio description"), default=False)
    subtitles_for_deaf = models.BooleanField(
        _("subtitles for the deaf and hard of hearing"), default=False
    )
    relaxed = models.BooleanField(_("relaxed screening"), default=False)
    note = models.CharField(
        _("note"), max_length=200, blank=True, help_text=_("'with introduction'")
    )

    objects = ScreeningQuerySet.as_manager()

    class Meta:
        ordering = ("starts_at", "pk")
        verbose_name = _("screening")
        verbose_name_plural = _("screenings")
        # On PostgreSQL the database also refuses two screenings that are not cancelled and
        # overlap in one auditorium: the exclusion constraint `screening_no_overlap` (made by
        # migration 0002, as SQLite has no such constraint). clean() gives the clear message.
        constraints = [
            models.CheckConstraint(
                condition=Q(ends_at__gt=F("starts_at")),
                name="screening_ends_after_start",
                violation_error_message=_("A screening must end after it starts."),
            ),
            models.CheckConstraint(
                condition=Q(film__isnull=False, event__isnull=True)
                | Q(film__isnull=True, event__isnull=False),
                name="screening_of_film_or_event",
                violation_error_message=_("A screening shows either a film or an event."),
            ),
        ]
        indexes = [
            # The agenda and the overlap check: screenings in a time window.
            models.Index(fields=["starts_at"], name="screening_starts_at_idx"),
            # The overlap check per auditorium.
            models.Index(fields=["auditorium", "starts_at"], name="screening_room_start_idx"),
        ]

    def __str__(self) -> str:
        start = timezone.localtime(self.starts_at) if self.starts_at else None
        when = formats.date_format(start, "DATETIME_FORMAT") if start else "?"
        return f"{self.title} – {when}"

    def save(self, *args, **kwargs) -> None:
        # The end is stored so the agenda and the overlap check can query it; it always
        # follows from the start and the film's runtime or the event's duration.
        self.derive_end()
        super().save(*args, **kwargs)
        if hasattr(self, "_as_read"):  # what the next save is compared with
            self._as_read = {name: self.__dict__.get(name) for name in self._as_read}

    def get_absolute_url(self) -> str:
        return self.subject.get_absolute_url()

    def get_calendar_url(self) -> str:
        return address("screenings:screening_ics", pk=self.pk)

    @property
    def subject(self) -> Film | Event:
        return self.film if self.film_id else self.event

    @property
    def title(self) -> str:
        subject = self.subject
        return subject.title if subject else ""

    @property
    def is_bookable(self) -> bool:
        return bookable(self.ticket_status, self.ticket_url)

    @classmethod
    def from_db(cls, db, field_names, values):
        screening = super().from_db(db, field_names, values)
        # As read, so that a save can tell what it changes (changes_only_ticket_state).
        screening._as_read = dict(zip(field_names, values, strict=True))
        return screening

    def changes_only_ticket_state(self) -> bool:
        """Whether saving this screening now changes its ticket state and nothing else, between
        states that only change how the show reads where it is listed (on sale, few left, sold
        out, free). Cancelling a show, or bringing one back, changes more: it frees or takes its
        slot, and stops or starts being the next screening a film shows.

        The page cache then renews only the pages that list this show (eye_site.cache)."""
        as_read = getattr(self, "_as_read", None)
        if as_read is None or self._state.adding:
            return False
        changed = {
            name for name, value in as_read.items() if self.__dict__.get(name, value) != value
        }
        states = {as_read.get("ticket_status"), self.ticket_status}
        return changed == {"ticket_status"} and TicketStatus.CANCELLED not in states

    def derive_end(self) -> None:
        if self.starts_at is None:
            return
        # `film`/`event` rather than their ids: an inline on a film being added holds the
        # unsaved film, which has no id yet.
        if self.film is not None:
            self.ends_at = self.starts_at + self.film.duration
        elif self.event is not None:
            self.ends_at = self.starts_at + self.event.duration_delta

    def clashes(self) -> models.QuerySet[Screening]:
        """Other screenings in the same auditorium whose time overlaps this one."""
        return (
            Screening.objects.filter(
                auditorium_id=self.auditorium_id,
                starts_at__lt=self.ends_at,
                ends_at__gt=self.starts_at,
            )
            .exclude(pk=self.pk)
            .exclude(ticket_status=TicketStatus.CANCELLED)
            .select_related("film", "event", "auditorium")
        )

    def clean(self) -> None:
        if (self.film is None) == (self.event is None):
            raise ValidationError(_("Choose a film or an event to screen, not both."))
        self.derive_end()
        if self.auditorium_id is None or self.starts_at is None:
            return
        if self.ticket_status == TicketStatus.CANCELLED:
            return
        Auditorium.objects.hold([self.auditorium_id])
        clash = self.clashes().first()
        if clash:
            start = timezone.localtime(clash.starts_at)
            end = timezone.localtime(clash.ends_at)
            raise ValidationError(
                {
                    "starts_at": _(
                        "%(auditorium)s is already taken by %(title)s on %(day)s from "
                        "%(start)s to %(end)s."
                    )
                    % {
                        "auditorium": clash.auditorium.name,
                        "title": clash.title,
                        "day": formats.date_format(start, "DATE_FORMAT"),
                        "start": formats.time_format(start, "H:i"),
                        "end": formats.time_format(end, "H:i"),
                    }
                }
            )
