"""The benchmark's look inside Django: which pages to measure, their queries and their HTML.

Run by bench/run.py in a subprocess whose environment points at one benchmark database:
    python bench/probe.py pages OUT_DIR   prints JSON {name: {url, status, queries, bytes}}
and writes each page's HTML to OUT_DIR/<name>.html (the bytes the static baseline serves);
    python bench/probe.py profile NAME    prints where a warm render of page NAME spends its time
(pyinstrument, over many renders), as `make bench BENCH_ARGS="--profile NAME"` runs it.
"""

from __future__ import annotations

import datetime
import json
import os
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "eye_site.settings")

import django  # noqa: E402

django.setup()

from django.db import connection  # noqa: E402
from django.test import Client  # noqa: E402
from django.test.utils import CaptureQueriesContext  # noqa: E402
from django.urls import reverse  # noqa: E402
from django.utils import timezone, translation  # noqa: E402

from programmes.models import CreditRole, Event, Programme  # noqa: E402
from screenings.models import Screening  # noqa: E402

CPU_ROUNDS = 5
# The page types the issue names, in the order the report lists them.
PAGE_NAMES = (
    "home",
    "agenda",
    "agenda_day_language",
    "programme",
    "film",
    "event",
    "person",
    "screening_ics",
)


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
        return {
            "home": reverse("programmes:home"),
            "agenda": agenda,
            "agenda_day_language": f"{agenda}?date={tomorrow.isoformat()}&language=en",
            "programme": programme.get_absolute_url(),
            "film": film.get_absolute_url(),
            "event": event.get_absolute_url(),
            "person": director.person.get_absolute_url(),
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
            started = time.process_time()
            for _ in range(CPU_ROUNDS):
                client.get(url)
            cpu_ms = (time.process_time() - started) / CPU_ROUNDS * 1000
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

    key = name.removesuffix("_en")
    if key not in PAGE_NAMES:
        sys.exit(f"Unknown page {name!r}; one of: {', '.join(PAGE_NAMES)} (add _en for English)")
    url = pick_pages("en" if name.endswith("_en") else "nl")[key]
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


if __name__ == "__main__":
    if len(sys.argv) == 3 and sys.argv[1] == "pages":
        print(json.dumps(measure_pages(Path(sys.argv[2]))))
    elif len(sys.argv) == 3 and sys.argv[1] == "profile":
        profile_page(sys.argv[2])
    else:
        sys.exit(__doc__)
