"""The benchmark's look inside Django: which pages to measure, their queries and their HTML.

Run by bench/run.py in a subprocess whose environment points at one benchmark database (with
DJANGO_SETTINGS_MODULE=bench.reference_settings, the site plus the reference page):
    python bench/probe.py pages OUT_DIR   prints JSON {name: {url, status, queries, bytes, cpu_ms}}
and writes each page's HTML to OUT_DIR/<name>.html (the bytes the static baseline serves);
    python bench/probe.py profile NAME    prints where a warm render of page NAME spends its time
(pyinstrument, over many renders), as `make bench BENCH_ARGS="--profile NAME"` runs it;
    python bench/probe.py edits SECONDS   the box office at work: a show of the coming week
changes its ticket state every EDIT_INTERVAL seconds, saved as the admin's action saves it;
prints JSON {edits}.
"""

from __future__ import annotations

import datetime
import itertools
import json
import os
import statistics
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "eye_site.settings")

import django  # noqa: E402

django.setup()

from django.conf import settings  # noqa: E402
from django.db import connection  # noqa: E402
from django.test import Client  # noqa: E402
from django.test.utils import CaptureQueriesContext  # noqa: E402
from django.urls import reverse  # noqa: E402
from django.utils import timezone, translation  # noqa: E402

from programmes.models import CreditRole, Event, Programme  # noqa: E402
from screenings.models import Screening, TicketStatus  # noqa: E402
from screenings.services import save_screenings  # noqa: E402

# Renders timed per page; the median is kept, which a passing burst of other work hardly moves.
CPU_ROUNDS = 15
EDIT_INTERVAL = 2.0
# The ticket states the box office moves a show through, in turn.
EDITED_STATES = (TicketStatus.ON_SALE, TicketStatus.FEW_LEFT, TicketStatus.SOLD_OUT)


def pick_pages(language: str) -> dict[str, str]:
    """Paths of typical pages: a current programme, one of its films with shows this week…"""
    today = timezone.localdate()
    upcoming = Screening.objects.published().upcoming()
    programme = Programme.objects.published().filter(starts_on__lte=today, ends_on__gte=today)
    programme = programme.order_by("-starts_on").first()
    film_show = (
        upcoming.filter(film__programmes=programme, film__credits__role=CreditRole.DIRECTOR)
        .select_related("film")
        .order_by("starts_at")
        .first()
    )
    film = film_show.film
    director = film.credits.filter(role=CreditRole.DIRECTOR).select_related("person").first()
    event = (
        Event.objects.published()
        .filter(screenings__in=upcoming, featured=True)
        .order_by("screenings__starts_at")
        .first()
    )
    tomorrow = today + datetime.timedelta(days=1)
    with translation.override(language):
        agenda = reverse("screenings:agenda")
        pages = {}
        if settings.ROOT_URLCONF == "bench.reference":
            pages["reference"] = reverse("reference_week")
        return pages | {
            "home": reverse("programmes:home"),
            "agenda": agenda,
            "agenda_day_language": f"{agenda}?date={tomorrow.isoformat()}&language=en",
            "programme": programme.get_absolute_url(),
            "film": film.get_absolute_url(),
            "event": event.get_absolute_url(),
            "person": director.person.get_absolute_url(),
            "films": reverse("screenings:film_list"),
            # A misspelt director: found only by PostgreSQL's trigram similarity.
            "search": f"{reverse('screenings:search')}?q=Tarkofski",
            "screening_ics": film_show.get_calendar_url(),
        }


def measure_pages(out_dir: Path) -> dict:
    """Status, query count and size of each page, rendered as a warm worker renders it."""
    client = Client(HTTP_HOST="127.0.0.1", HTTP_X_FORWARDED_PROTO="https")
    results = {}
    out_dir.mkdir(parents=True, exist_ok=True)
    for language in ("nl", "en"):
        for name, url in pick_pages(language).items():
            key = name if language == "nl" else f"{name}_en"
            # The first request makes image renditions and fills process caches; count the second.
            client.get(url)
            with CaptureQueriesContext(connection) as queries:
                response = client.get(url)
            # Read now: the next request's request_started signal empties the query log.
            sql = [query["sql"] for query in queries.captured_queries]
            # CPU time of this process per render: unlike requests/s it hardly changes when other
            # work shares the machine, so it shows what the code costs even on a busy host.
            times = []
            for _ in range(CPU_ROUNDS):
                started = time.process_time()
                client.get(url)
                times.append(time.process_time() - started)
            cpu_ms = statistics.median(times) * 1000
            body = response.content
            if language == "nl":
                suffix = ".ics" if name == "screening_ics" else ".html"
                (out_dir / f"{name}{suffix}").write_bytes(body)
            results[key] = {
                "url": url,
                "status": response.status_code,
                "queries": len(sql),
                "sql": sql,
                "bytes": len(body),
                "cpu_ms": round(cpu_ms, 1),
                "content_type": response.get("Content-Type", ""),
            }
    return results


def profile_page(name: str, seconds: float = 5.0) -> None:
    """Renders one page over and over for a few seconds under pyinstrument and prints the tree."""
    from pyinstrument import Profiler

    pages = pick_pages("en" if name.endswith("_en") else "nl")
    key = name.removesuffix("_en")
    if key not in pages:
        sys.exit(f"Unknown page {name!r}; one of: {', '.join(pages)} (add _en for English)")
    url = pages[key]
    client = Client(HTTP_HOST="127.0.0.1", HTTP_X_FORWARDED_PROTO="https")
    client.get(url)
    profiler = Profiler(interval=0.0005)
    renders, deadline = 0, time.monotonic() + seconds
    with profiler:
        while time.monotonic() < deadline:
            client.get(url)
            renders += 1
    print(f"{url}: {renders} renders in {seconds:.0f} s")
    print(profiler.output_text(unicode=True, show_all=False))


def edit_ticket_states(seconds: float) -> dict:
    """Every EDIT_INTERVAL seconds for `seconds`, one show of the coming week moves to its next
    ticket state, through the service the admin's ticket-state actions use (which also saves
    through the ORM's signals, so the page cache learns of it as it does of a staff edit)."""
    today = timezone.localdate()
    week = (
        Screening.objects.published()
        .upcoming()
        .between(today, today + datetime.timedelta(days=6))
        .filter(ticket_status__in=EDITED_STATES)
        .for_listing()
    )
    shows = itertools.cycle(list(week[:40]))
    edits, started = 0, time.monotonic()
    # The first edit half an interval in, then one each interval, none after the end.
    while (due := started + EDIT_INTERVAL * (edits + 0.5)) < started + seconds:
        time.sleep(max(0.0, due - time.monotonic()))
        screening = next(shows)
        position = EDITED_STATES.index(screening.ticket_status)
        screening.ticket_status = EDITED_STATES[(position + 1) % len(EDITED_STATES)]
        save_screenings([screening])
        edits += 1
    return {"edits": edits, "interval_s": EDIT_INTERVAL}


if __name__ == "__main__":
    if len(sys.argv) == 3 and sys.argv[1] == "pages":
        print(json.dumps(measure_pages(Path(sys.argv[2]))))
    elif len(sys.argv) == 3 and sys.argv[1] == "profile":
        profile_page(sys.argv[2])
    elif len(sys.argv) == 3 and sys.argv[1] == "edits":
        print(json.dumps(edit_ticket_states(float(sys.argv[2]))))
    else:
        sys.exit(__doc__)
