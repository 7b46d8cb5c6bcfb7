"""Anonymised copies of reports, for partners and donors (DOMAIN.md §7).

Reports never hold names or party details: they are aggregates, and no table lists
people. What remains is that a small count can single someone out ("the 2 women parties
in Anéfif"), so an anonymised copy hides them. The method, applied to a copy (the report
given is not changed):

1. **Primary suppression.** Every count from 1 to ``threshold - 1`` becomes ``"<5"``
   (``f"<{threshold}"``), in figures and in count tables. Zeros stay: a zero singles out
   nobody. Amounts (FCFA), rates, medians and the meeting target are not counts.
2. **Complementary suppression**, so that no hidden count can be worked out by
   subtraction. Every column of a table is taken to have a known total (the figures give
   most of them: ``cases_by_type.opened`` adds up to ``cases_opened``…), and so is every row
   of a table whose columns split one population (sex × age band, compliance by visit).
   Rows of tables whose columns are different measures of the same thing (opened, closed,
   resolved; they carry a rate column) are not sums. Whenever such a row or column holds
   exactly one hidden cell, its smallest non-zero visible count is hidden too, as ``"–"``;
   this repeats until no line has exactly one hidden cell. Figures that add up to another
   figure (people reached = women + men) are treated the same way.
3. **Derived values.** A rate, share, median or amount computed from a hidden count is
   hidden too (``"–"``): a resolution rate of 0.5 over "<5" closures would otherwise tell
   that 1 of 2, or 2 of 4, were resolved. A median over fewer than ``threshold`` durations
   would show one person's case: it is hidden with the count of those durations.

The report then says ``anonymised = True``; renderers print "<5" and "–" as they are.
"""

from __future__ import annotations

from dataclasses import replace

from casework.reports.model import Figure, Report, Table

HIDDEN = "–"
# Counts below this are hidden ("<5"): 1 to SMALL_COUNT_THRESHOLD - 1, never 0.
SMALL_COUNT_THRESHOLD = 5

# Figures computed from counts, by (section, key): hidden when one of their counts is.
DERIVED_FIGURES: dict[tuple[str, str], tuple[tuple[str, str], ...]] = {
    ("cases", "resolution_rate"): (
        ("cases", "cases_closed_resolved"),
        ("cases", "cases_closed"),
    ),
    ("timeliness", "median_days_to_first_session"): (("timeliness", "cases_first_session"),),
    ("timeliness", "median_days_to_agreement"): (("timeliness", "agreements_concluded"),),
    ("compliance", "recurrence_rate"): (
        ("compliance", "recurrences"),
        ("compliance", "resolved_last_12_months"),
    ),
    # An amount agreed between fewer than ``threshold`` families is theirs.
    ("harm", "compensation_fcfa"): (("timeliness", "agreements_concluded"),),
    ("obligations", "term_compliance_rate"): (
        ("obligations", "terms_done"),
        ("obligations", "terms_due"),
    ),
    ("obligations", "agreement_compliance_rate"): (
        ("obligations", "agreements_compliant"),
        ("obligations", "agreements_with_terms_due"),
    ),
    ("obligations", "compensation_agreed_fcfa"): (("timeliness", "agreements_concluded"),),
    ("obligations", "compensation_paid_fcfa"): (("timeliness", "agreements_concluded"),),
    ("obligations", "compensation_outstanding_fcfa"): (("timeliness", "agreements_concluded"),),
    ("inclusion", "share_women_participants"): (
        ("inclusion", "session_participants_women"),
        ("inclusion", "session_participants"),
    ),
    ("inclusion", "share_youth_participants"): (
        ("inclusion", "session_participants_youth"),
        ("inclusion", "session_participants"),
    ),
    ("inclusion", "share_women_mediators"): (
        ("inclusion", "mediators_women"),
        ("inclusion", "mediators_attending"),
    ),
    ("inclusion", "woman_party_resolution_rate"): (
        ("inclusion", "woman_party_resolved"),
        ("inclusion", "woman_party_closed"),
    ),
    ("inclusion", "young_party_resolution_rate"): (
        ("inclusion", "young_party_resolved"),
        ("inclusion", "young_party_closed"),
    ),
    ("policing", "committee_meetings_rate"): (("policing", "committee_meetings_held"),),
    ("policing", "recommendations_done_share"): (
        ("policing", "recommendations_done"),
        ("policing", "recommendations_made"),
    ),
    ("early_warning", "median_response_minutes"): (("early_warning", "alerts_answered"),),
    ("administration", "share_settled_community"): (
        ("administration", "settled_community_levels"),
        ("administration", "settled_state_levels"),
    ),
    ("early_warning", "share_became_cases"): (
        ("early_warning", "alerts_became_cases"),
        ("early_warning", "alerts_received"),
    ),
}
# Figures that add up: (total, part, part, ...). Each group is a line of step 2.
FIGURE_SUMS: tuple[tuple[tuple[str, str], ...], ...] = (
    (
        ("policing", "people_reached"),
        ("policing", "people_reached_women"),
        ("policing", "people_reached_men"),
    ),
)
# Counts that describe no one (a target set by the programme): never hidden.
PUBLIC_FIGURES = frozenset({("policing", "committee_meetings_expected")})
# Table columns computed from other columns of the same row.
DERIVED_COLUMNS: dict[str, tuple[str, ...]] = {
    "resolution_rate": ("closed", "resolved"),
    "feedback_share": ("referrals", "with_feedback"),
}


def _small(value, threshold: int) -> bool:
    return isinstance(value, int) and not isinstance(value, bool) and 0 < value < threshold


def _visible_count(value) -> bool:
    return isinstance(value, int) and not isinstance(value, bool) and value > 0


def _protect(cells: dict, lines: list[list]) -> None:
    """Step 2 over ``cells`` ({position: value}): no line keeps a single hidden cell."""
    changed = True
    while changed:
        changed = False
        for line in lines:
            hidden = [p for p in line if isinstance(cells[p], str)]
            if len(hidden) != 1:
                continue
            visible = [p for p in line if _visible_count(cells[p])]
            if visible:
                smallest = min(visible, key=lambda p: (cells[p], line.index(p)))
                cells[smallest] = HIDDEN
                changed = True


def _table(table: Table, threshold: int) -> Table:
    keys = [key for key, _label in table.columns]
    counted = [i for i, key in enumerate(keys) if key not in DERIVED_COLUMNS]
    cells = {
        (r, c): value
        for r, (_key, _label, values) in enumerate(table.rows)
        for c, value in enumerate(values)
    }
    if table.kind == "count":
        for position in [(r, c) for (r, c) in cells if c in counted]:
            if _small(cells[position], threshold):
                cells[position] = f"<{threshold}"
        lines = [[(r, c) for r in range(len(table.rows))] for c in counted]
        if len(counted) == len(keys):  # the columns split one population: rows add up
            lines += [[(r, c) for c in counted] for r in range(len(table.rows))]
        _protect(cells, lines)
    for c, key in enumerate(keys):
        sources = [keys.index(source) for source in DERIVED_COLUMNS.get(key, ()) if source in keys]
        for r in range(len(table.rows)):
            if any(isinstance(cells[(r, s)], str) for s in sources):
                cells[(r, c)] = HIDDEN
    rows = [
        (key, label, [cells[(r, c)] for c in range(len(values))])
        for r, (key, label, values) in enumerate(table.rows)
    ]
    return replace(table, rows=rows)


def anonymise(report: Report, threshold: int = SMALL_COUNT_THRESHOLD) -> Report:
    """A copy of ``report`` for partners: small counts hidden as described above."""
    figures: dict[tuple[str, str], Figure] = {}
    sections = []
    for section in report.sections:
        copied = []
        for figure in section.figures:
            position = (section.key, figure.key)
            value = figure.value
            if figure.kind == "count" and position not in PUBLIC_FIGURES:
                value = f"<{threshold}" if _small(value, threshold) else value
            figures[position] = replace(figure, value=value)
            copied.append(figures[position])
        tables = [_table(table, threshold) for table in section.tables]
        sections.append(replace(section, figures=copied, tables=tables))

    values = {position: figure.value for position, figure in figures.items()}
    # A sum reveals a hidden part only when all its other members are published.
    _protect(values, [list(group) for group in FIGURE_SUMS if all(p in values for p in group)])
    for position, sources in DERIVED_FIGURES.items():
        if position in values and any(isinstance(values.get(s), str) for s in sources):
            values[position] = HIDDEN
    for position, figure in figures.items():
        figure.value = values[position]
    return replace(report, anonymised=True, threshold=threshold, sections=sections)
