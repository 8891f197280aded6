"""Two app servers, one PostgreSQL, one Redis: an edit through one is seen on the other in time.

Run by `make prod-check` against the two gunicorn instances it starts; can also be pointed at any
two running instances of the same deployment:

    python scripts/two_instances.py --editor http://127.0.0.1:8103 --visitor http://127.0.0.1:8104 \
        --admin-path staff-desk/ --username checker --password ...

Through the editor instance it logs in to the admin like a person would, changes the English
subtitle of the Russian Thaw programme with the admin's own form, and then asks the visitor
instance, anonymously, for the programme page, which that instance had cached a moment before,
until the page shows the edit: it must within BOUND_SECONDS (docs/deploy.md, "The page cache").
"""

from __future__ import annotations

import argparse
import http.client
import http.cookies
import sys
import time
import urllib.parse
import uuid
from html.parser import HTMLParser

PROGRAMME_PATH = "/en/programmes/russian-thaw/"
# The longest a visitor may be shown a page from before an edit (eye_site/cache.py).
BOUND_SECONDS = 10
HEADERS = {"X-Forwarded-Proto": "https", "Host": "localhost"}


class Response:
    def __init__(self, status: int, headers: http.client.HTTPMessage, body: bytes):
        self.status = status
        self.headers = headers
        self.body = body

    @property
    def text(self) -> str:
        return self.body.decode("utf-8", "replace")


def request(base: str, method: str, path: str, headers=None, body: bytes | None = None):
    url = urllib.parse.urlsplit(base)
    connection = http.client.HTTPConnection(url.hostname, url.port, timeout=30)
    try:
        connection.request(method, path, body=body, headers={**HEADERS, **(headers or {})})
        raw = connection.getresponse()
        return Response(raw.status, raw.headers, raw.read())
    finally:
        connection.close()


class FormReader(HTMLParser):
    """The fields of the form with the given id, as a browser would submit them unchanged."""

    def __init__(self, form_id: str):
        super().__init__(convert_charrefs=True)
        self.form_id = form_id
        self.inside = False
        self.fields: list[tuple[str, str]] = []
        self._select: str | None = None
        self._textarea: str | None = None
        self._text: list[str] = []

    def handle_starttag(self, tag, attrs):
        attrs = dict(attrs)
        if tag == "form":
            self.inside = attrs.get("id") == self.form_id
            return
        if not self.inside:
            return
        name = attrs.get("name")
        if tag == "input" and name:
            kind = (attrs.get("type") or "text").lower()
            if kind in ("submit", "button", "file", "image", "reset"):
                return
            if kind in ("checkbox", "radio") and "checked" not in attrs:
                return
            self.fields.append((name, attrs.get("value") or ("on" if kind == "checkbox" else "")))
        elif tag == "select" and name:
            self._select = name
        elif tag == "option" and self._select and "selected" in attrs:
            self.fields.append((self._select, attrs.get("value", "")))
        elif tag == "textarea" and name:
            self._textarea, self._text = name, []

    def handle_data(self, data):
        if self._textarea:
            self._text.append(data)

    def handle_endtag(self, tag):
        if tag == "form":
            self.inside = False
        elif tag == "select":
            self._select = None
        elif tag == "textarea" and self._textarea:
            self.fields.append((self._textarea, "".join(self._text).lstrip("\n")))
            self._textarea = None


def cookies_of(response: Response) -> dict[str, str]:
    jar = http.cookies.SimpleCookie()
    for header in response.headers.get_all("Set-Cookie") or []:
        jar.load(header)
    return {name: morsel.value for name, morsel in jar.items()}


def cookie_header(cookies: dict[str, str]) -> str:
    return "; ".join(f"{name}={value}" for name, value in cookies.items())


def read_form(response: Response, form_id: str) -> list[tuple[str, str]]:
    reader = FormReader(form_id)
    reader.feed(response.text)
    if not reader.fields:
        raise SystemExit(f"no form #{form_id} in the page (status {response.status})")
    return reader.fields


def post_form(base, path, fields, cookies) -> Response:
    body = urllib.parse.urlencode(fields).encode()
    return request(
        base,
        "POST",
        path,
        headers={
            "Content-Type": "application/x-www-form-urlencoded",
            "Cookie": cookie_header(cookies),
            "Origin": "https://localhost",
            "Referer": f"https://localhost{path}",
        },
        body=body,
    )


def log_in(base: str, admin_path: str, username: str, password: str) -> dict[str, str]:
    login_path = f"/{admin_path}login/"
    page = request(base, "GET", login_path)
    cookies = cookies_of(page)
    fields = dict(read_form(page, "login-form"))
    fields.update(username=username, password=password)
    answer = post_form(base, login_path, list(fields.items()), cookies)
    cookies.update(cookies_of(answer))
    if answer.status != 302 or "sessionid" not in cookies:
        raise SystemExit(f"admin login failed on {base} (status {answer.status})")
    return cookies


def find_change_path(base, admin_path, cookies) -> str:
    listing = request(
        base,
        "GET",
        f"/{admin_path}programmes/programme/?q=russian",
        headers={"Cookie": cookie_header(cookies)},
    )
    marker = f"/{admin_path}programmes/programme/"
    for chunk in listing.text.split('href="')[1:]:
        href = chunk.split('"', 1)[0].split("?", 1)[0]
        rest = href[len(marker) :]
        if href.startswith(marker) and rest.rstrip("/").endswith("change"):
            return href
    raise SystemExit("the Russian Thaw programme is not in the admin's list")


def edit_subtitle(base, admin_path, cookies, subtitle: str) -> None:
    path = find_change_path(base, admin_path, cookies)
    form_page = request(base, "GET", path, headers={"Cookie": cookie_header(cookies)})
    fields = [
        (name, subtitle if name == "subtitle_en" else value)
        for name, value in read_form(form_page, "programme_form")
    ]
    answer = post_form(base, path, fields, cookies)
    if answer.status != 302:
        raise SystemExit(f"the admin did not accept the edit (status {answer.status})")


def check(editor: str, visitor: str, admin_path: str, username: str, password: str) -> None:
    before = request(visitor, "GET", PROGRAMME_PATH)
    warm = request(visitor, "GET", PROGRAMME_PATH)
    if before.status != 200 or warm.headers.get("X-Page-Cache") != "hit":
        raise SystemExit(f"{visitor} did not serve the programme page from its cache")
    print(f"  {visitor}{PROGRAMME_PATH}: 200, cached (X-Page-Cache: hit)")

    subtitle = f"Edited on the other instance {uuid.uuid4().hex[:8]}"
    cookies = log_in(editor, admin_path, username, password)
    started = time.monotonic()
    edit_subtitle(editor, admin_path, cookies, subtitle)
    print(f"  {editor}/{admin_path}: logged in as staff, saved the subtitle {subtitle!r}")

    seen = []
    while True:
        after = request(visitor, "GET", PROGRAMME_PATH)
        elapsed = time.monotonic() - started
        seen.append(after.headers.get("X-Page-Cache"))
        if subtitle in after.text:
            break
        if elapsed > BOUND_SECONDS:
            raise SystemExit(
                f"{visitor} still shows the old page {elapsed:.1f} s after the edit on {editor} "
                f"(X-Page-Cache: {', '.join(map(str, seen))})"
            )
        time.sleep(0.1)
    print(
        f"  {visitor}{PROGRAMME_PATH}: shows the edit after {len(seen)} request(s) "
        f"(X-Page-Cache: {', '.join(map(str, seen))}; {elapsed * 1000:.0f} ms from opening the "
        f"admin form to seeing the edit; the bound is {BOUND_SECONDS} s)"
    )
    again = request(visitor, "GET", PROGRAMME_PATH)
    if again.headers.get("X-Page-Cache") != "hit" or subtitle not in again.text:
        raise SystemExit(f"{visitor} did not cache the edited page")
    print(f"  {visitor}{PROGRAMME_PATH}: the edited page is cached again")


def main(argv=None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--editor", required=True)
    parser.add_argument("--visitor", required=True)
    parser.add_argument("--admin-path", default="admin/")
    parser.add_argument("--username", required=True)
    parser.add_argument("--password", required=True)
    args = parser.parse_args(argv)
    check(args.editor, args.visitor, args.admin_path, args.username, args.password)
    return 0


if __name__ == "__main__":
    sys.exit(main())
