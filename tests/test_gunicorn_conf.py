"""gunicorn.conf.py's shape for each setup: one process only where a local page cache must not be
split between processes, and one thread per process everywhere."""

from __future__ import annotations

import multiprocessing
import runpy
from pathlib import Path

import pytest
from django.conf import settings

CONF = Path(settings.BASE_DIR, "gunicorn.conf.py")
PER_CORE = multiprocessing.cpu_count() * 2 + 1


def shape(monkeypatch, **env: str) -> tuple[int, int]:
    for name in ("CACHE_URL", "PAGE_CACHE_SECONDS", "WEB_CONCURRENCY", "GUNICORN_THREADS"):
        monkeypatch.delenv(name, raising=False)
    for name, value in env.items():
        monkeypatch.setenv(name, value)
    conf = runpy.run_path(str(CONF))
    return conf["workers"], conf["threads"]


def test_with_redis_a_worker_per_core_and_one_thread_each(monkeypatch):
    assert shape(monkeypatch, CACHE_URL="redis://127.0.0.1:6379/0") == (PER_CORE, 1)


def test_a_page_cache_in_local_memory_gets_one_single_threaded_process(monkeypatch):
    assert shape(monkeypatch) == (1, 1)


def test_without_the_page_cache_nothing_holds_back_more_processes(monkeypatch):
    assert shape(monkeypatch, PAGE_CACHE_SECONDS="0") == (PER_CORE, 1)


def test_more_processes_on_a_local_page_cache_are_refused(monkeypatch):
    with pytest.raises(SystemExit, match="needs a shared cache"):
        shape(monkeypatch, WEB_CONCURRENCY="3")


def test_the_operator_may_still_ask_for_threads(monkeypatch):
    assert shape(monkeypatch, GUNICORN_THREADS="4") == (1, 4)
