"""Importing the submissions of our XLSForms, exported from KoboToolbox or ODK Central.

Formats read (the question names are those of ``casework.integrations.xlsform``):

- KoboToolbox's JSON: the API's ``/api/v2/assets/<uid>/data.json`` (``{"results": [...]}``)
  or a plain list; keys are group paths (``case/title``, ``meta/instanceID``), a repeat group
  is a list of objects (``parties`` with ``parties/party_name``...).
- ODK Central's OData JSON (``{"value": [...]}``, what ``pyodk``'s
  ``client.submissions.get_table(expand="*")`` returns): groups are nested objects, the
  instance is ``__id``, a repeat expanded inline is a list.
- CSV of the main sheet, from KoboToolbox (``;`` or ``,``, headers ``case/title`` or
  ``title``, ``_uuid``, ``meta/instanceID``) or ODK Central (headers ``case-title``,
  ``KEY``). The parties of a CSV export come in their own files (ODK Central's
  ``<form>-parties.csv`` with ``PARENT_KEY``; KoboToolbox's repeat sheet with
  ``_submission__uuid``), given after the main file.

Choices may be exported as their names (codes) or their labels, in French or English.
A submission is identified by its ``instanceID``, stored once imported: importing a file
again skips what was imported.
"""

from __future__ import annotations

import csv
import io
import json
import re
from collections.abc import Iterable
from typing import Any

import sqlalchemy as sa

from casework.auth.models import User
from casework.cases import services as cases
from casework.cases.access import can_edit, knows_case
from casework.cases.enums import AgeBand, Compliance, PartyKind, PartyRole, Sex
from casework.cases.fields import CASE_FIELDS, CaseData, Kind
from casework.cases.models import Case, FollowUp
from casework.core.errors import DomainError
from casework.extensions import db
from casework.i18n import _l
from casework.integrations import values
from casework.integrations.common import (
    ImportFileError,
    ImportReport,
    Row,
    run_rows,
)
from casework.integrations.models import INSTANCE_ID_MAX, ImportedSubmission
from casework.integrations.xlsform import FORM_IDS, FORMS, PARTY_QUESTIONS, PLACE
from casework.policing.services import AlertData, save_alert

PARTIES = "parties"
# The question that tells each form's submissions apart when the export does not name the
# form (``_xform_id_string``).
MARKERS = (("intake", "conflict_type"), ("alert", "category"), ("visit", "case_reference"))
_FORM_BY_ID = {form_id: form for form, form_id in FORM_IDS.items()}
PARTY_ENUMS = {
    "party_role": PartyRole,
    "party_kind": PartyKind,
    "party_sex": Sex,
    "party_age_band": AgeBand,
}


class Submission:
    """One submission: its values by question name (the group path dropped), and its
    repeats' items, each by question name too."""

    def __init__(self, raw: dict[str, Any]) -> None:
        self.raw = raw
        self.values: dict[str, Any] = {}
        self.repeats: dict[str, list[dict[str, Any]]] = {}
        self._flatten(raw, self.values)

    def _flatten(self, record: dict[str, Any], into: dict[str, Any]) -> None:
        for key, value in record.items():
            if "@odata" in key:
                continue
            name = key.rsplit("/", 1)[-1]
            if isinstance(value, dict):
                self._flatten(value, into)
            elif isinstance(value, list) and all(isinstance(item, dict) for item in value):
                items = []
                for item in value:
                    flat: dict[str, Any] = {}
                    self._flatten(item, flat)
                    items.append(flat)
                self.repeats[name] = items
            else:
                into[name] = value

    @property
    def instance_id(self) -> str:
        for name in ("instanceID", "__id", "KEY"):
            found = values.text(self.values.get(name))
            if found:
                return found[:INSTANCE_ID_MAX]
        uuid = values.text(self.values.get("_uuid"))
        return f"uuid:{uuid}"[:INSTANCE_ID_MAX] if uuid else ""

    @property
    def form(self) -> str | None:
        form_id = values.text(self.values.get("_xform_id_string"))
        if form_id in _FORM_BY_ID:
            return _FORM_BY_ID[form_id]
        for form, marker in MARKERS:
            if marker in self.values:
                return form
        return None


# --- reading the files ------------------------------------------------------------------------


def _json_records(data: bytes) -> list[dict[str, Any]]:
    try:
        parsed = json.loads(data.decode("utf-8-sig"))
    except (UnicodeDecodeError, json.JSONDecodeError):
        raise ImportFileError(
            _l("The file is neither JSON nor CSV from KoboToolbox or ODK.")
        ) from None
    if isinstance(parsed, dict):
        parsed = parsed.get("results", parsed.get("value"))
    if not isinstance(parsed, list) or not all(isinstance(item, dict) for item in parsed):
        raise ImportFileError(_l("The JSON file holds no list of submissions (results or value)."))
    return parsed


def _csv_records(data: bytes) -> list[dict[str, Any]]:
    try:
        content = data.decode("utf-8-sig")
    except UnicodeDecodeError:
        raise ImportFileError(_l("The file must be UTF-8 text.")) from None
    first = content.split("\n", 1)[0]
    delimiter = ";" if first.count(";") > first.count(",") else ","
    try:
        rows = list(csv.DictReader(io.StringIO(content), delimiter=delimiter))
    except csv.Error:
        raise ImportFileError(
            _l("The file is neither JSON nor CSV from KoboToolbox or ODK.")
        ) from None
    if not rows:
        raise ImportFileError(_l("The file is empty."))
    records = []
    for row in rows:
        record: dict[str, Any] = {}
        for header, value in row.items():
            if header is None:
                continue
            # ODK Central joins group names with "-", KoboToolbox with "/".
            name = (
                re.split(r"[/-]", header.strip())[-1]
                if header.strip()
                not in (
                    "KEY",
                    "PARENT_KEY",
                )
                else header.strip()
            )
            record[name] = value
        records.append(record)
    return records


def _is_json(data: bytes) -> bool:
    return data.lstrip(b"\xef\xbb\xbf \r\n\t")[:1] in (b"[", b"{")


def read_submissions(data: bytes, repeat_files: Iterable[bytes] = ()) -> list[Submission]:
    """The submissions of an export: JSON (KoboToolbox or ODK Central) or CSV, with the CSV
    files of the parties' repeat group."""
    if _is_json(data):
        records = _json_records(data)
    else:
        records = _csv_records(data)
        by_key: dict[str, dict[str, Any]] = {}
        for record in records:
            for name in ("KEY", "_uuid"):
                if values.text(record.get(name)):
                    by_key[values.text(record[name])] = record
        for repeat in repeat_files:
            for item in _csv_records(repeat):
                parent = values.text(item.get("PARENT_KEY") or item.get("_submission__uuid"))
                if parent not in by_key:
                    raise ImportFileError(
                        _l(
                            "A party belongs to a submission that is not in the file: %(key)s.",
                            key=parent or "?",
                        )
                    )
                by_key[parent].setdefault(PARTIES, []).append(item)
    return [Submission(record) for record in records]


# --- mapping a submission to the services' data -------------------------------------------------


def _column(name: str):
    """How an error names a question: its label (the question's name when none)."""
    labels = {spec.name: spec.label for spec in CASE_FIELDS}
    labels.update({name: label for _k, name, label in PLACE})
    labels.update({name: label for name, _v, label, _r in PARTY_QUESTIONS})
    labels.update(
        {
            "occurred_at": _l("Date and time of the alert"),
            "category": _l("Threat category"),
            "urgency": _l("Urgency"),
            "source_type": _l("Source"),
            "case_reference": _l("Case reference"),
            "visit_date": _l("Date of the visit"),
            "compliance": _l("Compliance with the agreement"),
        }
    )
    return labels.get(name, name)


class _Reader:
    """Reads the values of one submission, gathering every problem."""

    def __init__(self, lookup: values.Lookup, source: dict[str, Any]) -> None:
        self.lookup = lookup
        self.source = source
        self.problems: list[str] = []

    def get(self, name: str, convert=None, *args):
        value = self.source.get(name)
        try:
            if convert is None:
                return values.text(value) or None
            return convert(*args, value, _column(name)) if args else convert(value, _column(name))
        except values.ValueProblem as problem:
            self.problems.append(str(problem))
            return None

    def place(self) -> int | None:
        try:
            return self.lookup.unit(
                (kind, self.source.get(name), _column(name)) for kind, name, _label in PLACE
            )
        except values.ValueProblem as problem:
            self.problems.append(str(problem))
            return None


def _case_data(reader: _Reader) -> CaseData:
    fields: dict[str, Any] = {"unit_id": reader.place()}
    for spec in CASE_FIELDS:
        if spec.kind == Kind.SELECT:
            continue
        if spec.kind == Kind.DATE:
            fields[spec.name] = reader.get(spec.name, values.to_date)
        elif spec.kind in (Kind.COUNT, Kind.AMOUNT):
            found = reader.get(spec.name, values.to_count)
            fields[spec.name] = spec.empty if found is None else found
        elif spec.kind == Kind.CODE:
            fields[spec.name] = reader.get(spec.name, reader.lookup.vocabulary, spec.vocabulary)
        elif spec.kind == Kind.CHOICE:
            found = reader.get(spec.name, reader.lookup.choice, spec.choices)
            fields[spec.name] = found or spec.empty
        else:
            fields[spec.name] = reader.get(spec.name) or spec.empty
    fields["narrative_lang"] = reader.get("narrative_lang", reader.lookup.language)
    return CaseData(**fields)


def _party_data(reader: _Reader) -> cases.PartyData:
    found: dict[str, Any] = {}
    for name, _v, _label, _required in PARTY_QUESTIONS:
        if name in PARTY_ENUMS:
            found[name] = reader.get(name, reader.lookup.choice, PARTY_ENUMS[name])
        elif name == "party_livelihood":
            found[name] = reader.get(name, reader.lookup.vocabulary, "livelihood")
        else:
            found[name] = reader.get(name)
    return cases.PartyData(
        role=found["party_role"] or "",
        name=found["party_name"] or "",
        kind=found["party_kind"] or PartyKind.INDIVIDUAL.value,
        sex=found["party_sex"] or Sex.UNKNOWN.value,
        age_band=found["party_age_band"] or AgeBand.UNKNOWN.value,
        livelihood=found["party_livelihood"],
        community=found["party_community"],
    )


class _Plan:
    """What one submission will create, read before anything is written."""

    def __init__(self, submission: Submission, lookup: values.Lookup) -> None:
        self.submission = submission
        self.form = submission.form
        reader = _Reader(lookup, submission.values)
        self.data: Any = None
        self.parties: list[cases.PartyData] = []
        if self.form == "intake":
            self.data = _case_data(reader)
            for item in submission.repeats.get(PARTIES, []):
                party_reader = _Reader(lookup, item)
                self.parties.append(_party_data(party_reader))
                reader.problems.extend(party_reader.problems)
        elif self.form == "alert":
            urgency = reader.get("urgency", values.to_count)
            self.data = AlertData(
                occurred_at=reader.get("occurred_at", values.to_moment),
                unit_id=reader.place(),
                category=reader.get("category", lookup.vocabulary, "alert_category"),
                urgency=urgency,
                source_type=reader.get("source_type", lookup.vocabulary, "alert_source"),
                description=reader.get("description") or "",
                place=reader.get("place"),
                relay_code=reader.get("relay_code"),
            )
        elif self.form == "visit":
            self.data = (
                (reader.get("case_reference") or "").upper(),
                cases.FollowUpData(
                    done_on=reader.get("visit_date", values.to_date),
                    compliance=reader.get("compliance", lookup.choice, Compliance),
                    notes=reader.get("notes"),
                ),
            )
        else:
            reader.problems.append(
                str(_l("This is not a submission of the intake, alert or visit form."))
            )
        self.problems = reader.problems


def _record_visit(reference: str, data, by: User) -> FollowUp:
    case = db.session.scalar(sa.select(Case).where(Case.reference == reference))
    if case is None or not knows_case(by, case):
        raise DomainError(_l("No case has the reference %(reference)s.", reference=reference))
    if not can_edit(by, case):
        raise DomainError(_l("This case is outside your area."))
    follow_up = db.session.scalar(
        sa.select(FollowUp)
        .where(FollowUp.case_id == case.id, FollowUp.done_on.is_(None))
        .order_by(FollowUp.due_on, FollowUp.id)
        .limit(1)
    )
    if follow_up is None:
        raise DomainError(
            _l("The case %(reference)s has no follow-up visit to record.", reference=reference)
        )
    if data.done_on is None:
        raise DomainError(_l("%(field)s is required.", field=_l("The date of the visit")))
    cases.record_follow_up(follow_up, data, by)
    return follow_up


def _create(plan: _Plan, by: User) -> tuple[int, str]:
    if plan.form == "intake":
        case = cases.register_case(plan.data, plan.parties, by)
        return case.id, case.reference
    if plan.form == "alert":
        alert = save_alert(plan.data, by)
        return alert.id, f"#{alert.id}"
    reference, data = plan.data
    follow_up = _record_visit(reference, data, by)
    return follow_up.id, reference


def _known_instances(keys: list[str]) -> set[str]:
    found: set[str] = set()
    for start in range(0, len(keys), 500):
        found.update(
            db.session.scalars(
                sa.select(ImportedSubmission.instance_id).where(
                    ImportedSubmission.instance_id.in_(keys[start : start + 500])
                )
            )
        )
    return found


def import_submissions(
    submissions: list[Submission],
    by: User,
    *,
    dry_run: bool = False,
    skip_invalid: bool = False,
) -> ImportReport:
    """Create what each submission says, through the services (their checks, their audit,
    the user's area). The caller commits when ``report.keep``, and rolls back otherwise."""
    lookup = values.Lookup()
    plans: dict[int, _Plan] = {}
    rows = []
    for line, submission in enumerate(submissions, start=1):
        plan = _Plan(submission, lookup)
        plans[line] = plan
        rows.append(Row(line, submission.instance_id, submission.raw, plan.problems))

    def create(row: Row) -> str:
        plan = plans[row.line]
        record_id, shown = _create(plan, by)
        db.session.add(
            ImportedSubmission(
                instance_id=row.key, form=plan.form, record_id=record_id, imported_by_id=by.id
            )
        )
        db.session.flush()
        return shown

    return run_rows(
        rows,
        create,
        _known_instances,
        dry_run=dry_run,
        skip_invalid=skip_invalid,
        source="imported_submissions",
        missing_key=_l("The submission has no instanceID (meta/instanceID, __id or KEY)."),
    )


__all__ = ["FORMS", "Submission", "import_submissions", "read_submissions"]
