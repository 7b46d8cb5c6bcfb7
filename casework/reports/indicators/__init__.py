"""The periodic report's indicators (DOMAIN.md §7) for a period and an area.

One module per section of the report, in the order of ``SECTIONS``:

========================  ==================================================================
``cases``                 cases opened, carried over, closed, resolved; by type, scope,
                          commune and month; with the tables of ``resolution`` (mechanisms,
                          ladder profile) and ``referrals``
``timeliness``            days to first session and to agreement
``compliance``            follow-up visits by compliance; recurrence within 12 months
``obligations``           terms of agreements: compliance by term and by agreement;
                          compensation agreed, paid, outstanding (FCFA, heads by species)
``harm``                  deaths, injuries, livestock returned, compensation
``inclusion``             women and young people among participants, mediators and parties
``policing``              community-police activities; security committees
``early_warning``         alerts
``serious_crime``         crimes and serious alerts, counted apart
``administration``        settled by community levels or by the state; agreements
                          homologated by a judge; key figures by cercle
========================  ==================================================================

``scope.Scope`` is the period and the area, with the conditions every section uses
(``opened()``, ``closed()``, ``mediable_here()``…) and the period's rows that several
sections count, read once per report (sessions, opened cases, agreements). ``common`` has
the rest: rates and medians, conditional counts and sums in SQL, the rows of tables over a
vocabulary, by commune and by month, and the labels resolved at render time.

Every count is an SQL aggregate (GROUP BY, or conditional counts in one query), so a report
stays fast at 100 000 cases; only medians are computed in Python, over the durations of the
period (bounded by what happened in it). The area is "this unit and everything below it"
(``AdminUnit.path`` prefix); no area means everywhere. Result columns are labelled and read
by name (``row.opened``), shared rows are dataclasses (``scope.OpenedGroup``…): no result is
read by position.

What counts as what:

- a case is *opened* when reported in the period, *closed* when ``closed_on`` is in the
  period and its status is closed (resolved, unresolved or dropped), *resolved* when closed
  with the status "closed, resolved";
- crimes (the triage rule of ``casework.cases.triage``: a ★ conflict type, a death or a
  serious injury) are never mediated:
  the "cases" section and the figures built on it (timeliness, compliance, inclusion) count
  mediable cases only, and crimes are counted apart in "serious_crime". Harm and referrals
  count every case, crimes included;
- alerts are dated by ``occurred_at`` (UTC) against the period's days in Bamako;
- tables over a vocabulary list the codes that occur (in the vocabulary's order); tables
  over a fixed list (ladder levels, months, sex × age band, compliance) list every row.

Row labels are resolved when the report is rendered (``VocabLabel``, ``TitleLabel``,
``MonthLabel``), so the same report renders in French or in English.

Adding a section
----------------

1. Write ``casework/reports/indicators/<key>.py`` with ``section(s: Scope) -> Section``
   (a stable ``key`` for JSON, a title and labels with ``_l``), and add it to ``SECTIONS``
   below where it belongs in the report. A few tables that belong to an existing section
   go in a module of their own with ``tables(s) -> list[Table]``, added to that section
   (as ``resolution`` and ``referrals`` are to ``cases``).
2. Count in SQL, one grouped query per table at most; label every result column and read
   it by name. Records another section already reads in the period (sessions, opened cases,
   agreements) come from ``Scope``: add a field to the row type and a column to its query,
   not a second query; records two sections would read become a new cached property
   there. ``tests/test_indicators.py::test_the_report_runs_a_fixed_number_of_queries``
   pins the count: raise it only for a query that is really new, and say why.
3. Tell ``casework/reports/anonymise.py`` about figures derived from counts (rates,
   medians, amounts: ``DERIVED_FIGURES``, ``DERIVED_COLUMNS``), figures that add up to
   another (``FIGURE_SUMS``) and counts that describe no one, such as a target
   (``PUBLIC_FIGURES``).
4. Add the known answers to ``tests/test_indicators.py``'s dataset, run ``make i18n`` and
   translate the new labels.
"""

from __future__ import annotations

from casework.cases import triage
from casework.geo.models import AdminUnit
from casework.reports.anonymise import SMALL_COUNT_THRESHOLD, anonymise
from casework.reports.indicators import (
    administration,
    cases,
    compliance,
    early_warning,
    harm,
    inclusion,
    policing,
    serious_crime,
    timeliness,
)
from casework.reports.indicators.common import MonthLabel, TitleLabel, VocabLabel, month_share
from casework.reports.indicators.scope import Scope
from casework.reports.model import Highlights, Period, Report
from casework.reports.periods import previous_period

__all__ = [
    "SECTIONS",
    "MonthLabel",
    "TitleLabel",
    "VocabLabel",
    "build_report",
    "month_share",
]

# The report's sections, in the order they are shown.
SECTIONS = (
    cases.section,
    timeliness.section,
    compliance.section,
    compliance.obligations_section,
    harm.section,
    inclusion.section,
    policing.section,
    early_warning.section,
    serious_crime.section,
    administration.section,
)


def build_report(
    period: Period,
    area: AdminUnit | None,
    *,
    anonymised: bool = False,
    threshold: int = SMALL_COUNT_THRESHOLD,
    compare: bool = False,
    highlights: Highlights | None = None,
) -> Report:
    """Every indicator of DOMAIN.md §7 for the period and the area (None: everywhere).

    With ``anonymised``, small counts are hidden for partners (see ``anonymise``). With
    ``compare``, every figure also holds its value over the previous period (the report
    is built twice: the comparison is asked for, not the default).
    """
    report = _report(period, area, anonymised, threshold)
    if compare:
        before = _report(previous_period(period), area, anonymised, threshold)
        earlier = {
            (section.key, figure.key): figure.value
            for section in before.sections
            for figure in section.figures
        }
        for section in report.sections:
            for figure in section.figures:
                figure.previous = earlier.get((section.key, figure.key))
        report.previous_period = before.period
    report.highlights = highlights
    return report


def _report(period: Period, area: AdminUnit | None, anonymised: bool, threshold: int) -> Report:
    scope = Scope(period, area, sorted(triage.crime_types()))
    report = Report(
        period=period,
        area_code=area.code if area is not None else None,
        area_name=area.name if area is not None else None,
        anonymised=False,
        sections=[section(scope) for section in SECTIONS],
    )
    if anonymised:
        report = anonymise(report, threshold)
    return report
