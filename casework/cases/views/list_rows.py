"""The case list's 25 rows, written in Python (issue 19).

The same HTML as the loop it replaces in templates/cases/list_cases.html wrote, byte for
byte: every value goes through the template finaliser's step (direction controls removed)
and is escaped as autoescaping did; what ``{% trans %}`` wrote (not escaped) is written as
it is. Jinja spent about a third of the page on these rows (≈200 outputs, each finalised,
escaped and joined; 25 ``url_for``; a locale look-up per title and per date). Here what is
the same for every row (the link's prefix, the three words, the reader's language) is found
once per page.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping

from flask import url_for
from markupsafe import Markup, escape

from casework.cases.services.listing import CaseRow
from casework.cases.views.case_pages import case_details_shown, case_title
from casework.cases.views.common import bp
from casework.i18n import _, format_date
from casework.text import without_bidi_controls
from casework.vocab import services as vocab

_SENTINEL = 987_654_321  # a case id no link holds: the view link is split around it


def _text(value) -> str:
    """What ``{{ value }}`` wrote: finalised, then escaped (Markup stays as it is)."""
    if isinstance(value, str):
        value = without_bidi_controls(value)
    return escape(value)


@bp.app_template_global()
def case_list_rows(rows: Iterable[CaseRow], labels: Mapping[str, str]) -> Markup:
    """The ``<tr>`` of each row, as the template's loop wrote them (its whitespace too)."""
    link = str(_text(url_for("cases.view_case", case_id=_SENTINEL)))
    before, _found, after = link.partition(str(_SENTINEL))
    archived = f" <small>({without_bidi_controls(_('archived'))})</small>"
    anonymised = f'<em class="anonymised">{without_bidi_controls(_("anonymised"))}</em>'
    restricted = f'<em class="restricted">{without_bidi_controls(_("restricted"))}</em>'
    cell = {key: f'\n      <td data-label="{_text(value)}"' for key, value in labels.items()}
    types: dict[str, str] = {}
    statuses: dict[str, str] = {}
    days: dict[object, str] = {}
    parts: list[str] = []
    for case in rows:
        if case.is_anonymised:
            title = anonymised
        elif not case_details_shown(case):
            title = restricted
        else:
            title = str(_text(case_title(case)))
        kind = types.get(case.conflict_type)
        if kind is None:
            kind = types[case.conflict_type] = str(
                _text(vocab.label("conflict_type", case.conflict_type))
            )
        status = statuses.get(case.status)
        if status is None:
            status = statuses[case.status] = (
                f'<span class="status status-{_text(case.status.lower())}">'
                f"{_text(case.status_enum.title)}</span>"
            )
        day = days.get(case.reported_on)
        if day is None:
            day = days[case.reported_on] = str(_text(format_date(case.reported_on, "short")))
        parts.append(
            f"\n    <tr>"
            f'{cell["reference"]} class="ref"><a href="{before}{case.id}{after}">'
            f"{_text(case.reference)}</a>{archived if case.is_archived else ''}</td>"
            f"{cell['title']}>{title}</td>"
            f"{cell['place']}>{_text(case.unit.name)}</td>"
            f"{cell['type']}>{kind}</td>"
            f"{cell['status']}>{status}</td>"
            f"{cell['level']}>{_text(case.ladder_level)}</td>"
            f"{cell['reported']}>{day}</td>"
            f"\n    </tr>\n  "
        )
    return Markup("".join(parts))  # noqa: S704 - every value above is escaped
