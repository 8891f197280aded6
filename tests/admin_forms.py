"""Fill in an admin form the way a browser would: read its fields from the page, change a few."""

from __future__ import annotations

from html.parser import HTMLParser


class _FormReader(HTMLParser):
    def __init__(self, form_id: str | None):
        super().__init__()
        self.form_id = form_id
        self.inside = form_id is None
        self.data: list[tuple[str, str]] = []
        self._select: str | None = None
        self._select_values: list[str] = []
        self._first_option: str | None = None
        self._textarea: str | None = None
        self._text = ""

    def handle_starttag(self, tag, attrs):
        attrs = dict(attrs)
        if tag == "form" and self.form_id is not None:
            self.inside = attrs.get("id") == self.form_id
            return
        if not self.inside:
            return
        name = attrs.get("name")
        if tag == "input" and name:
            kind = attrs.get("type", "text")
            if kind in ("submit", "button", "file", "image", "reset"):
                return
            if kind in ("checkbox", "radio") and "checked" not in attrs:
                return
            self.data.append((name, attrs.get("value", "on" if kind == "checkbox" else "")))
        elif tag == "select" and name:
            self._select, self._select_values, self._first_option = name, [], None
            self._multiple = "multiple" in attrs
        elif tag == "option" and self._select is not None:
            value = attrs.get("value", "")
            if self._first_option is None:
                self._first_option = value
            if "selected" in attrs:
                self._select_values.append(value)
        elif tag == "textarea" and name:
            self._textarea, self._text = name, ""

    def handle_data(self, data):
        if self._textarea is not None:
            self._text += data

    def handle_endtag(self, tag):
        if tag == "form" and self.form_id is not None:
            self.inside = False
        elif tag == "select" and self._select is not None:
            values = self._select_values
            if not values and not self._multiple and self._first_option is not None:
                values = [self._first_option]
            self.data.extend((self._select, value) for value in values)
            self._select = None
        elif tag == "textarea" and self._textarea is not None:
            self.data.append((self._textarea, self._text.removeprefix("\n")))
            self._textarea = None


def read_form(html: str, form_id: str | None = None) -> dict[str, list[str]]:
    reader = _FormReader(form_id)
    reader.feed(html)
    data: dict[str, list[str]] = {}
    for name, value in reader.data:
        data.setdefault(name, []).append(value)
    return data


def submit(client, url: str, changes: dict | None = None, form_id: str | None = None):
    """GET the form at `url`, apply `changes` (a value of None removes a field), POST it."""
    page = client.get(url)
    assert page.status_code == 200, page.status_code
    data: dict = read_form(page.content.decode(), form_id)
    for name, value in (changes or {}).items():
        if value is None:
            data.pop(name, None)
        else:
            data[name] = value
    return client.post(url, data)


def run_action(client, changelist_url: str, action: str, objs, **kwargs):
    """Open a changelist, tick `objs` and run `action`, posting the list's form as a browser
    would (with the version of each row the list showed)."""
    page = client.get(changelist_url)
    assert page.status_code == 200, page.status_code
    data: dict = read_form(page.content.decode(), "changelist-form")
    data.update(action=action, index="0", _selected_action=[str(obj.pk) for obj in objs])
    return client.post(changelist_url, data, **kwargs)
