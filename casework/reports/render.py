"""Render a report or a case summary in the language asked for, whatever the interface
language: HTML (screen and print), PDF (WeasyPrint, from the same HTML), DOCX (python-docx),
XLSX (openpyxl, one sheet per table) and JSON."""

from __future__ import annotations

import json
from dataclasses import dataclass
from pathlib import Path

from flask import current_app, render_template
from flask_babel import force_locale

from casework.cases.page import load_case_page
from casework.cases.states import CaseStatus
from casework.db import utcnow
from casework.i18n import _l, language_in_text
from casework.reports.document import (
    RenderError,
    annex_by_section,
    highlights_text,
    previous_heading,
    report_note,
    report_subtitle,
    report_title,
)
from casework.reports.docx_report import new_document, periodic_docx, to_bytes
from casework.reports.formatting import bar_chart, show
from casework.reports.json_report import periodic_json
from casework.reports.model import Report
from casework.reports.xlsx_report import periodic_xlsx
from casework.vocab import services as vocab

FORMATS = ("html", "pdf", "docx", "xlsx", "json")
MIMETYPES = {
    "html": "text/html; charset=utf-8",
    "pdf": "application/pdf",
    "docx": "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
    "xlsx": "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
    "json": "application/json",
}


@dataclass(frozen=True)
class Rendered:
    content: bytes
    mimetype: str
    extension: str


def check_request(lang: str, fmt: str) -> None:
    if lang not in current_app.config["LANGUAGES"]:
        raise RenderError(_l("Unsupported language: %(code)s.", code=lang))
    if fmt not in FORMATS:
        raise RenderError(_l("Unknown format: %(format)s.", format=fmt))


def pdf_from_html(html: str) -> bytes:
    try:
        from weasyprint import HTML  # optional dependency: heavy, loaded for PDFs only
    except OSError as error:  # pango or its fonts are missing on this machine
        raise RenderError(
            _l(
                "PDF needs the Pango library (Debian: libpango-1.0-0 libpangoft2-1.0-0 and "
                "fonts-dejavu-core). Install it, or choose another format."
            )
        ) from error
    from weasyprint import CSS  # optional dependency: heavy, loaded for PDFs only

    stylesheet = CSS(filename=str(Path(current_app.static_folder) / "css" / "report.css"))
    # Links to /static/... in the HTML are not fetched: the stylesheet is given directly.
    return HTML(string=html, url_fetcher=_no_fetch).write_pdf(stylesheets=[stylesheet])


def _no_fetch(url: str, *args, **kwargs):
    """A PDF never reaches out to the network (or the file system) for a resource."""
    raise ValueError(f"not fetched: {url}")


# --- the periodic report --------------------------------------------------------------------


def periodic_html(report: Report, *, for_print: bool) -> str:
    """The report's HTML: inside the site's layout on screen, a bare page for print/PDF."""
    template = "reports/periodic_print.html" if for_print else "reports/periodic.html"
    return render_template(
        template,
        report=report,
        show=show,
        chart=bar_chart,
        report_title=report_title(report),
        report_subtitle=report_subtitle(report),
        report_note=report_note(report),
        previous_heading=previous_heading(report),
        highlights=highlights_text(report),
        annex=annex_by_section(report),
        generated_at=utcnow(),
        report_lang=_current_lang(),
    )


def render_periodic(report: Report, lang: str, fmt: str) -> Rendered:
    check_request(lang, fmt)
    with force_locale(lang):
        if fmt == "json":
            document = periodic_json(report, lang)
            content = json.dumps(document, ensure_ascii=False, indent=2).encode()
        elif fmt == "html":
            content = periodic_html(report, for_print=False).encode()
        elif fmt == "pdf":
            content = pdf_from_html(periodic_html(report, for_print=True))
        elif fmt == "docx":
            content = periodic_docx(report, lang)
        else:
            content = periodic_xlsx(report, lang)
    return Rendered(content, MIMETYPES[fmt], fmt)


def _current_lang() -> str:
    from flask_babel import get_locale

    return str(get_locale())


# --- the case summary -----------------------------------------------------------------------

CASE_FORMATS = ("html", "pdf", "docx")


def case_context(case, redacted: bool, restricted: bool = False) -> dict:
    """What the case summary shows; the narrative in the report's language when a
    translation exists, else the original with a note that says which language it is in.
    ``restricted``: the reader may not see the case's sensitive parts (a restricted case
    that is not theirs), which say "restricted" instead."""
    lang = _current_lang()
    redacted = redacted or case.anonymised_at is not None  # nothing personal is left anyway
    narrative, narrative_lang, note = case.narrative, case.narrative_lang or lang, None
    if case.narrative_lang and case.narrative_lang != lang:
        if case.narrative_translation:
            narrative, narrative_lang = case.narrative_translation, lang
        else:
            note = str(
                _l(
                    "Written in %(language)s; no translation yet.",
                    language=language_in_text(case.narrative_lang),
                )
            )
    page = load_case_page(case)
    return {
        "case": case,
        "redacted": redacted or restricted,
        "restricted": restricted,
        "label": vocab.label,
        "S": CaseStatus,
        "narrative": narrative,
        "narrative_lang": narrative_lang,
        "narrative_note": note,
        "generated_at": utcnow(),
        "report_lang": lang,
        **page,
    }


def render_case_summary(
    case, lang: str, fmt: str, *, redacted: bool = False, restricted: bool = False
) -> Rendered:
    check_request(lang, fmt)
    if fmt not in CASE_FORMATS:
        raise RenderError(_l("Unknown format: %(format)s.", format=fmt))
    with force_locale(lang):
        context = case_context(case, redacted, restricted)
        if fmt == "html":
            content = render_template("reports/case_summary.html", **context).encode()
        elif fmt == "pdf":
            content = pdf_from_html(render_template("reports/case_summary_print.html", **context))
        else:
            content = case_docx(context)
    return Rendered(content, MIMETYPES[fmt], fmt)


def case_docx(context: dict) -> bytes:
    """The case summary as a Word document, from the same HTML as the PDF (one source)."""
    html = render_template("reports/case_summary_print.html", **context)
    case = context["case"]
    title = str(_l("Case summary"))
    document = new_document(_current_lang(), f"{title} · {case.reference}")
    document.core_properties.title = f"{title} · {case.reference}"
    for kind, text in _html_blocks(html):
        if kind == "h1":
            document.add_heading(text, level=0)
        elif kind in ("h2", "h3"):
            document.add_heading(text, level=1 if kind == "h2" else 2)
        elif kind == "li":
            document.add_paragraph(text, style="List Bullet")
        else:
            document.add_paragraph(text)
    return to_bytes(document)


def _html_blocks(html: str) -> list[tuple[str, str]]:
    """The headings, list items, terms and paragraphs of a simple HTML page, in order."""
    from html.parser import HTMLParser

    blocks: list[tuple[str, str]] = []

    class Collector(HTMLParser):
        wanted = {"h1", "h2", "h3", "p", "li", "dt", "dd", "blockquote"}

        def __init__(self):
            super().__init__()
            self.stack: list[str] = []
            self.text: list[str] = []
            self.skip = 0

        def handle_starttag(self, tag, attrs):
            if tag in ("head", "title", "style"):
                self.skip += 1
            if tag in self.wanted:
                self.stack.append(tag)
                self.text = []

        def handle_endtag(self, tag):
            if tag in ("head", "title", "style"):
                self.skip -= 1
            if self.stack and tag == self.stack[-1]:
                self.stack.pop()
                text = " ".join("".join(self.text).split())
                if text:
                    if tag == "dd" and blocks and blocks[-1][0] == "dt":
                        term = blocks.pop()[1]
                        separator = "\u00a0: " if _current_lang() == "fr" else ": "
                        blocks.append(("p", f"{term}{separator}{text}"))
                    else:
                        blocks.append((tag, text))
                self.text = []

        def handle_data(self, data):
            if not self.skip and self.stack:
                self.text.append(data)

    Collector().feed(html)
    return blocks
