"""One language per page and per document (issue 18): every page of the crawl, the case
summaries and the periodic report, rendered in French and in English, hold no word of the
other language's interface, except names and free text (shown in their original language,
marked with a ``lang`` attribute, or typed by users).

The words of each language are those of its side of the catalogue and of the vocabularies'
labels that the other side never uses ("signalé", "médiation" are French; "reported",
"mediation" English). Free text (the database's names, titles, narratives, notes) is taken
out of a page before it is read, and so is any element marked with the other language."""

from __future__ import annotations

import io
import re
from datetime import date
from html.parser import HTMLParser
from pathlib import Path

import docx
import openpyxl
import pypdf
import pytest
import sqlalchemy as sa
from babel.messages.pofile import read_po

from casework.extensions import db
from casework.vocab.models import Term
from tests.test_fuzz import AREA, GET_ROLES, GET_RULES, STRING_ARGS, fresh_client, id_value, world

__all__ = ["world"]  # the fuzz tests' world: demo data and a user of each role

CATALOGUE = Path(__file__).parent.parent / "casework/translations/fr/LC_MESSAGES/messages.po"
WORD = re.compile(r"[^\W\d_]{4,}")
PLACEHOLDER = re.compile(r"%\([a-z_]+\)[sd]|\{[a-z_]+\}|<[^>]+>")
# Words written alike in both languages, or names: never a sign of the wrong language.
SHARED = {
    "casework",
    "fcfa",
    "diya",
    "cadi",
    "imam",
    "griots",
    "cofo",
    "sanankuya",
    "word",
    "html",
    "json",
    "xlsx",
    "docx",
    "smssync",
    "sync",
}
# Pages that are not in one language by design: the language switch names each language in
# itself; a vocabulary's page lists both labels of each term (marked with ``lang``).
LANGUAGES = ("fr", "en")


def catalogue_words() -> dict[str, set[str]]:
    """The words only each language uses: {"fr": {...}, "en": {...}}."""
    words = {"fr": set(), "en": set()}
    with CATALOGUE.open("rb") as fh:
        for message in read_po(fh):
            if not message.id:
                continue
            ids = message.id if isinstance(message.id, tuple) else (message.id,)
            strings = message.string if isinstance(message.string, tuple) else (message.string,)
            for text in ids:
                words["en"].update(_words(text))
            for text in strings:
                words["fr"].update(_words(text))
    with db.session.no_autoflush:
        for labels in db.session.scalars(sa.select(Term.labels)):
            for lang in LANGUAGES:
                words[lang].update(_words((labels or {}).get(lang, "")))
    only_fr = words["fr"] - words["en"] - SHARED
    only_en = words["en"] - words["fr"] - SHARED
    return {"fr": only_fr, "en": only_en}


def _words(text: str) -> set[str]:
    return {word.lower() for word in WORD.findall(PLACEHOLDER.sub(" ", text or ""))}


class Reader(HTMLParser):
    """The text a reader of ``lang`` reads: without scripts, styles, and the elements marked
    as written in another language; with the labels of controls (aria-label, placeholder,
    title, alt)."""

    VOID = {"area", "base", "br", "col", "embed", "hr", "img", "input", "link", "meta", "source"}

    def __init__(self, lang: str):
        super().__init__(convert_charrefs=True)
        self.lang = lang
        self.stack: list[bool] = []  # per open element: is it hidden (other language)?
        self.parts: list[str] = []

    @property
    def hidden(self) -> bool:
        return any(self.stack)

    def handle_starttag(self, tag, attrs):
        attributes = dict(attrs)
        other = attributes.get("lang") not in (None, "", self.lang) and tag != "html"
        # Scripts, styles, and code (file formats' column names, commands): no language.
        skip = tag in ("script", "style", "code") or other
        if not (self.hidden or skip):
            for name in ("aria-label", "placeholder", "title", "alt"):
                if attributes.get(name):
                    self.parts.append(attributes[name])
        if tag not in self.VOID:
            self.stack.append(skip)

    def handle_endtag(self, tag):
        if tag not in self.VOID and self.stack:
            self.stack.pop()

    def handle_data(self, data):
        if not self.hidden:
            self.parts.append(data)


def page_text(html: str, lang: str) -> str:
    reader = Reader(lang)
    reader.feed(html)
    return " ".join(reader.parts)


def free_texts(app) -> list[str]:
    """Every name and free text the database holds (longest first): taken out of a page
    before its words are read."""
    found: set[str] = set()
    with app.app_context():
        for table in db.metadata.sorted_tables:
            if table.name in ("vocabulary_terms", "audit_log", "alembic_version"):
                continue
            for column in table.columns:
                if not isinstance(column.type, sa.String | sa.Text) or column.name.endswith(
                    ("_hash", "_token", "_search", "search_text", "_lang", "status")
                ):
                    continue
                values = db.session.scalars(sa.select(column).where(column.is_not(None)).distinct())
                found.update(v for v in values if isinstance(v, str) and len(v) >= 4)
    return sorted(found, key=len, reverse=True)


def leaks(text: str, lang: str, vocabulary, texts: list[str]) -> set[str]:
    """The other language's words in ``text``, each with where it was found."""
    # Line breaks of a PDF or a page fall where spaces were: compare on single spaces.
    text = " ".join(text.split())
    for value in texts:
        value = " ".join(value.split())
        if value and value in text:
            text = text.replace(value, " ")
    other = "en" if lang == "fr" else "fr"
    found = set()
    for match in WORD.finditer(text):
        word = match.group()
        if word.isupper():  # a code (FONCIER, ALERTE): an identifier, in no language
            continue
        if word.lower() in vocabulary[other]:
            start = max(0, match.start() - 40)
            found.add(f"{word!r} in …{text[start : match.end() + 40]}…")
    return found


def concrete(rule, ids) -> str | None:
    path = rule.rule
    for arg in rule.arguments:
        converter = rule._converters[arg]
        placeholder = next(
            (p for p in (f"<{arg}>", f"<int:{arg}>", f"<path:{arg}>") if p in path), None
        )
        if arg == "fmt" or type(converter).__name__ == "AnyConverter":
            return None  # a file, not a page
        value = id_value(ids, arg) if arg not in STRING_ARGS else STRING_ARGS[arg]
        path = path.replace(placeholder, str(value))
    return path


def test_every_page_is_in_one_language(app, world):
    with app.app_context():
        vocabulary = catalogue_words()
    texts = free_texts(app)
    found: dict[str, set[str]] = {}
    checked = 0
    for rule_text in GET_RULES:
        rule = next(r for r in app.url_map.iter_rules() if r.rule == rule_text)
        role = next((r for p, r in GET_ROLES.items() if rule.endpoint.startswith(p)), "admin")
        path = concrete(rule, world.ids)
        if path is None or role is None or rule.endpoint == "static":
            continue
        client = fresh_client(app, world, role)
        for lang in LANGUAGES:
            response = client.get(path, headers={"Accept-Language": lang})
            if response.status_code != 200 or response.mimetype != "text/html":
                continue
            checked += 1
            wrong = leaks(page_text(response.get_data(as_text=True), lang), lang, vocabulary, texts)
            if wrong:
                found[f"{lang} {path}"] = wrong
    assert checked > 100
    assert not found, "\n".join(f"{page}: {sorted(words)}" for page, words in found.items())


def document_text(content: bytes, fmt: str, lang: str) -> str:
    if fmt == "html":
        return page_text(content.decode(), lang)
    if fmt == "pdf":
        return "\n".join(page.extract_text() for page in pypdf.PdfReader(io.BytesIO(content)).pages)
    if fmt == "docx":
        document = docx.Document(io.BytesIO(content))
        cells = [c.text for t in document.tables for row in t.rows for c in row.cells]
        return "\n".join([p.text for p in document.paragraphs] + cells)
    workbook = openpyxl.load_workbook(io.BytesIO(content))
    return "\n".join(
        str(cell)
        for sheet in workbook.worksheets
        for row in sheet.iter_rows(values_only=True)
        for cell in row
        if isinstance(cell, str)
    )


@pytest.mark.parametrize("lang", LANGUAGES)
def test_summaries_and_reports_are_in_one_language(app, world, lang):
    with app.app_context():
        vocabulary = catalogue_words()
    texts = free_texts(app)
    client = fresh_client(app, world, "coordinator")
    client.get("/")  # the welcome message, flashed in the sign-in's language, is read there
    found: dict[str, set[str]] = {}
    case_id = world.ids["case"]
    documents = [
        (f"/reports/case/{case_id}?lang={lang}&format={fmt}", fmt)
        for fmt in ("html", "pdf", "docx")
    ]
    year = date.today().year
    documents += [
        (f"/reports/periodic?period={year}&area={AREA}&lang={lang}&format={fmt}", fmt)
        for fmt in ("html", "pdf", "docx", "xlsx")
    ]
    for url, fmt in documents:
        response = client.get(url)
        assert response.status_code == 200, (url, response.status_code)
        wrong = leaks(document_text(response.data, fmt, lang), lang, vocabulary, texts)
        if wrong:
            found[url] = wrong
    assert not found, "\n".join(f"{url}: {sorted(words)}" for url, words in found.items())
