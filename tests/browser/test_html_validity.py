"""Every page type in both languages is valid HTML by the Nu Html Checker (npm package vnu-jar,
run with the machine's Java), fetched from the live server as a visitor's browser gets it."""

from __future__ import annotations

import json
import shutil
import subprocess
import urllib.error
import urllib.request
from pathlib import Path

import pytest

from .conftest import expected_status, page_type_paths

pytestmark = pytest.mark.browser

VNU_JAR = Path(__file__).resolve().parents[2] / "node_modules/vnu-jar/build/dist/vnu.jar"


def fetch(url: str) -> tuple[int, bytes]:
    try:
        with urllib.request.urlopen(url, timeout=30) as response:
            return response.status, response.read()
    except urllib.error.HTTPError as error:
        return error.code, error.read()


def run_vnu(files: list[Path]) -> list[dict]:
    """One Java start for all pages: the checker takes seconds to start."""
    java = shutil.which("java")
    if java is None:
        pytest.fail("Java is missing: install default-jre-headless (`make system-deps`).")
    if not VNU_JAR.exists():
        pytest.fail(f"The Nu Html Checker is missing at {VNU_JAR}: run `make test` (npm ci).")
    # Exit status 1 only means "errors found"; the JSON on stdout says which.
    result = subprocess.run(
        [java, "-Xss4m", "-jar", str(VNU_JAR), "--format", "json", "--stdout", *map(str, files)],
        capture_output=True,
        text=True,
        timeout=300,
    )
    try:
        return json.loads(result.stdout)["messages"]
    except (json.JSONDecodeError, KeyError):
        pytest.fail(f"The checker gave no report (exit {result.returncode}): {result.stderr}")


def test_every_page_type_is_valid_html_in_both_languages(site, tmp_path):
    pages = {}
    for language in ("nl", "en"):
        for page_type, path in page_type_paths(language).items():
            status, body = fetch(site(path))
            assert status == expected_status(page_type), f"{path}: {status}"
            file = tmp_path / f"{language}-{page_type}.html"
            file.write_bytes(body)
            pages[f"file:{file}"] = path
    # A broken page in the same run shows the checker really looked (and costs no extra start).
    canary = tmp_path / "canary.html"
    canary.write_text(
        '<!DOCTYPE html><html lang="en"><head><title>t</title></head><body><p><div></div></p>'
    )

    messages = run_vnu([*(Path(url.removeprefix("file:")) for url in pages), canary])

    errors = [message for message in messages if message["type"] in ("error", "non-document-error")]
    assert any(message.get("url") == f"file:{canary}" for message in errors), messages
    report = [
        f"{pages[message['url']]}, line {message.get('lastLine')}: {message['message']}"
        f"\n    {message.get('extract', '').strip()}"
        for message in errors
        if message.get("url") in pages
    ]
    assert not report, "The Nu Html Checker found errors:\n" + "\n".join(report)
