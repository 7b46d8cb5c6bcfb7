"""The forms of a page as a browser sees them: fields, their current values and choices.

The fuzz and escaping tests discover what to post from the HTML, so that a field added to a
form is covered without touching the tests.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from html.parser import HTMLParser
from urllib.parse import urljoin, urlsplit


@dataclass
class Field:
    name: str
    kind: str  # text, textarea, select, checkbox, radio, hidden, file, number, date, ...
    value: str = ""
    options: list[str] = field(default_factory=list)
    multiple: bool = False
    checked: bool = False


@dataclass
class Form:
    action: str  # the path the form posts to
    method: str
    fields: dict[str, Field] = field(default_factory=dict)

    def defaults(self) -> dict[str, str | list[str]]:
        """What a browser would send unchanged (checked boxes, selected options, values)."""
        data: dict[str, str | list[str]] = {}
        for f in self.fields.values():
            if f.kind in ("submit", "button", "reset", "file"):
                continue
            if f.kind in ("checkbox", "radio"):
                if f.checked:
                    data[f.name] = f.value or "y"
                continue
            data[f.name] = f.value
        return data


class _Parser(HTMLParser):
    def __init__(self, page: str):
        super().__init__(convert_charrefs=True)
        self.page = page
        self.forms: list[Form] = []
        self._form: Form | None = None
        self._select: Field | None = None
        self._option: str | None = None
        self._option_selected = False
        self._textarea: Field | None = None

    def handle_starttag(self, tag, attrs):
        a = {k: (v if v is not None else "") for k, v in attrs}
        if tag == "form":
            action = urlsplit(urljoin(self.page, a.get("action") or self.page)).path
            self._form = Form(action=action, method=(a.get("method") or "get").lower())
            self.forms.append(self._form)
            return
        if self._form is None or not a.get("name") and tag != "option":
            return
        fields = self._form.fields
        if tag == "input":
            kind = (a.get("type") or "text").lower()
            name = a["name"]
            if kind in ("checkbox", "radio") and name in fields:
                existing = fields[name]
                existing.options.append(a.get("value", "y"))
                if "checked" in a:
                    existing.checked, existing.value = True, a.get("value", "y")
                return
            fields[name] = Field(
                name,
                kind,
                value=a.get("value", ""),
                options=[a.get("value", "y")] if kind in ("checkbox", "radio") else [],
                checked="checked" in a,
            )
        elif tag == "select":
            self._select = Field(a["name"], "select", multiple="multiple" in a)
            fields[a["name"]] = self._select
        elif tag == "option" and self._select is not None:
            self._option = a.get("value")
            self._option_selected = "selected" in a
            if self._option is not None:
                self._add_option(self._option)
        elif tag == "textarea":
            self._textarea = Field(a["name"], "textarea")
            fields[a["name"]] = self._textarea
        elif tag == "button" and a.get("name"):
            fields[a["name"]] = Field(a["name"], "submit", value=a.get("value", ""))

    def _add_option(self, value: str) -> None:
        select = self._select
        select.options.append(value)
        if self._option_selected or not select.value and len(select.options) == 1:
            select.value = value

    def handle_data(self, data):
        if self._textarea is not None:
            self._textarea.value += data
        elif self._select is not None and self._option == "":
            pass
        elif self._select is not None and self._option is None and data.strip():
            # <option>text</option> without a value attribute: the text is the value.
            self._option = data.strip()
            self._add_option(self._option)

    def handle_endtag(self, tag):
        if tag == "form":
            self._form = None
        elif tag == "select":
            self._select = None
        elif tag == "option":
            self._option = None
            self._option_selected = False
        elif tag == "textarea":
            if self._textarea is not None:
                self._textarea.value = self._textarea.value.removeprefix("\r").removeprefix("\n")
            self._textarea = None


def forms_of(html: str, page: str, method: str = "post") -> list[Form]:
    parser = _Parser(page)
    parser.feed(html)
    parser.close()
    return [form for form in parser.forms if form.method == method]


def form_for(html: str, page: str, action: str) -> Form | None:
    """The POST form of ``page`` that sends to ``action`` (a path)."""
    wanted = urlsplit(action).path
    for form in forms_of(html, page):
        if form.action == wanted:
            return form
    return None
