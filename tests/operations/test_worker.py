"""Real worker processes: on RQ and Redis one draws a saved image's pictures; one killed in the
middle of a drawing leaves no half-written file behind, and the next finishes the drawing; on
the database queue (`make run`'s) a worker needs no Redis.

Redis database 11 on 127.0.0.1:6379 is this module's queue; it is emptied before each test.
"""

from __future__ import annotations

import io
import os
import signal
import subprocess
import time

import pytest
import redis
from PIL import Image

from tests.production.conftest import PYTHON, ROOT, manage, production_env

QUEUE_REDIS = "redis://127.0.0.1:6379/11"
# How long a worker may take to draw one image on a busy two-core machine.
DRAWN_WITHIN = 90


@pytest.fixture
def site(fresh_postgres_database, tmp_path):
    """A migrated database, empty media and an empty queue, as production configures them."""
    redis.Redis.from_url(QUEUE_REDIS).flushdb()
    env = production_env(
        DATABASE_URL=f"postgres://postgres@127.0.0.1:5432/{fresh_postgres_database}",
        MEDIA_ROOT=str(tmp_path / "media"),
        TASK_BACKEND="rq",
        TASK_REDIS_URL=QUEUE_REDIS,
        LOG_FORMAT="text",
    )
    manage("migrate", "--no-input", env=env)
    yield env
    redis.Redis.from_url(QUEUE_REDIS).flushdb()


def save_film_with_poster(env, size: tuple[int, int]) -> str:
    """Store a poster and save a film with it as the admin does (programmes.pictures.prepare),
    in a process of its own; returns the stored name."""
    script = f"""
import io
from django.core.files.base import ContentFile
from PIL import Image
from programmes import pictures
from tests.factories import FilmFactory
buffer = io.BytesIO()
Image.effect_noise({size!r}, 60).convert("RGB").save(buffer, "JPEG", quality=90)
film = FilmFactory(poster=ContentFile(buffer.getvalue(), name="poster.jpg"),
                   poster_alt_nl="Affiche", poster_alt_en="Poster")
pictures.prepare([film.poster])
print(film.poster.name)
"""
    return manage("shell", "-c", script, env=env).stdout.strip().splitlines()[-1]


def state(env, name: str) -> str:
    script = (
        "from programmes.models import ImagePreparation as P; "
        f"print(P.objects.get(name={name!r}).status)"
    )
    return manage("shell", "-c", script, env=env).stdout.strip().splitlines()[-1]


def start_worker(env) -> subprocess.Popen:
    # A session of its own, so that stopping it stops the job processes RQ forks too.
    return subprocess.Popen(
        [PYTHON, "manage.py", "worker"],
        cwd=ROOT,
        env=env,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
        start_new_session=True,
    )


def wait_for(env, name: str, wanted: str, seconds: float) -> None:
    deadline = time.monotonic() + seconds
    while (found := state(env, name)) != wanted:
        assert time.monotonic() < deadline, f"{name} is {found}, not {wanted}"
        time.sleep(0.2)


def drawn_files(env) -> list:
    return [
        path
        for path in (ROOT / env["MEDIA_ROOT"] / "cache").rglob("*")
        if path.is_file() and not path.name.startswith(".")
    ]


def test_a_worker_draws_a_saved_image_and_stops_when_told(site):
    name = save_film_with_poster(site, (1200, 1800))
    assert state(site, name) == "waiting"
    worker = start_worker(site)
    try:
        wait_for(site, name, "ready", DRAWN_WITHIN)
        assert len(drawn_files(site)) > 20
        script = "from operations.models import Worker; print(Worker.objects.count())"
        assert manage("shell", "-c", script, env=site).stdout.strip().endswith("1")
    finally:
        os.killpg(worker.pid, signal.SIGTERM)
    assert worker.wait(timeout=30) == 0


def test_a_worker_killed_mid_drawing_leaves_no_half_file_and_the_next_finishes_it(site):
    name = save_film_with_poster(site, (6000, 4000))
    worker = start_worker(site)
    try:
        wait_for(site, name, "drawing", DRAWN_WITHIN)
        time.sleep(1)  # some files written, more to come
    finally:
        os.killpg(worker.pid, signal.SIGKILL)
        worker.wait(timeout=30)
    assert state(site, name) == "drawing"
    for path in drawn_files(site):  # whatever was written is whole
        with Image.open(io.BytesIO(path.read_bytes())) as image:
            image.load()

    # Five minutes later (the row says so) the next worker's sweep finds the drawing abandoned.
    script = (
        "import datetime; from django.utils import timezone; "
        "from programmes.models import ImagePreparation as P; "
        f"P.objects.filter(name={name!r}).update("
        "started_at=timezone.now() - datetime.timedelta(minutes=6))"
    )
    manage("shell", "-c", script, env=site)
    worker = start_worker(site)
    try:
        wait_for(site, name, "ready", DRAWN_WITHIN)
    finally:
        os.killpg(worker.pid, signal.SIGTERM)
        worker.wait(timeout=30)
    for path in drawn_files(site):
        with Image.open(io.BytesIO(path.read_bytes())) as image:
            image.load()


def test_the_database_queue_needs_no_redis(tmp_path):
    env = production_env(
        DATABASE_URL=f"sqlite:///{tmp_path / 'db.sqlite3'}",
        MEDIA_ROOT=str(tmp_path / "media"),
        TASK_BACKEND="database",
        CACHE_URL="locmemcache://",
    )
    manage("migrate", "--no-input", env=env)
    name = save_film_with_poster(env, (1200, 1800))
    assert state(env, name) == "waiting"
    manage("worker", "--burst", env=env)  # runs what is queued, then stops
    assert state(env, name) == "ready"
    assert len(drawn_files(env)) > 20


def test_the_database_queue_keeps_a_day_of_finished_jobs_and_failures_for_a_month(tmp_path):
    env = production_env(
        DATABASE_URL=f"sqlite:///{tmp_path / 'db.sqlite3'}",
        TASK_BACKEND="database",
        CACHE_URL="locmemcache://",
    )
    manage("migrate", "--no-input", env=env)
    script = """
import datetime
from django.utils import timezone
from django_tasks.base import TaskResultStatus as S
from django_tasks_db.models import DBTaskResult
from operations import workers
now = timezone.now()
for status, days in [(S.SUCCESSFUL, 2), (S.SUCCESSFUL, 0), (S.FAILED, 2), (S.FAILED, 31),
                     (S.READY, 40)]:
    DBTaskResult.objects.create(
        status=status, finished_at=None if status == S.READY else now - datetime.timedelta(days=days),
        args_kwargs={"args": [], "kwargs": {}}, task_path="programmes.pictures.draw",
        backend_name="default", run_after=now - datetime.timedelta(days=days),
    )
workers.sweep_once("test", now, starting=False)
print(sorted((r.status, (now - (r.finished_at or r.run_after)).days)
             for r in DBTaskResult.objects.all()))
"""
    kept = manage("shell", "-c", script, env=env).stdout.strip().splitlines()[-1]
    assert kept == "[('FAILED', 2), ('READY', 40), ('SUCCESSFUL', 0)]"
