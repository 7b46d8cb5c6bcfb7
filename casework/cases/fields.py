"""The fields of a case, each declared once.

A declaration says what a field is: its kind, its limits, its label (lazy, translated), its
help, whether it holds sensitive text, whether the audit trail and the exports carry it.
Everything else is made from it: the form's inputs and their validators
(``casework.cases.forms``), the service's checks (``check_case_fields``, the one validation
path: the form refuses what the service would refuse, with the same limits), ``CaseData``,
the fields an edit may change and a revision records, the audit trail's titles and what it
may log in clear, and the cases export's columns (``casework.reports.exports``).

A rule between fields, or one that reads the database (a place in the user's area, an active
mediator, the narrative's language), stays in the service beside these checks.
"""

from __future__ import annotations

import enum
from dataclasses import dataclass, field, make_dataclass
from datetime import date
from typing import Any

from casework.audit import fields as audit_fields
from casework.cases.enums import ClosureRequestStatus, Confidentiality
from casework.cases.models import NAME_MAX, NARRATIVE_MAX, SHORT_TEXT_MAX, TITLE_MAX
from casework.core import checks
from casework.core.forms import int_or_none
from casework.i18n import _l
from casework.vocab import services as vocab


class Kind(enum.StrEnum):
    TEXT = "text"  # one line
    LONG_TEXT = "long_text"  # several lines
    COUNT = "count"  # a whole number of 0 or more (INTEGER)
    AMOUNT = "amount"  # a sum of money of 0 or more (BIGINT)
    DATE = "date"  # within the app's window, not in the future
    CODE = "code"  # a term of a vocabulary
    CHOICE = "choice"  # a member of an enum
    SELECT = "select"  # a choice the view lists (places, people, languages): checked by rules


@dataclass(frozen=True)
class FieldSpec:
    name: str  # the column of ``cases`` and the form's field
    kind: Kind
    label: Any  # lazy: the form's label, the audit's title, the export's header
    help: Any = None  # lazy: shown under the input
    # Lazy: how an error message names the field ("The title is required."), in French with
    # its article; the label when not given.
    subject: Any = None
    required: bool = False
    max_length: int | None = None  # text
    minimum: int | None = None  # numbers
    maximum: int | None = None
    # The value of a field left empty, and its default in CaseData (a required field has none).
    empty: Any = None
    vocabulary: str | None = None  # CODE
    choices: type | None = None  # CHOICE: the enum
    integer: bool = False  # SELECT: the value is an id
    not_before: str | None = None  # DATE: another date field it cannot precede
    not_before_label: Any = None
    rows: int | None = None  # LONG_TEXT: the input's height
    # Restricted free text or personal data: the audit trail records that it changed, never
    # its value; the export leaves it blank on anonymised cases and on restricted cases the
    # user may not read in full.
    sensitive: bool = False
    audited: bool = True  # the audit trail records its changes
    exported: bool = True  # a column of the cases export
    shown: bool = False  # listed on the case page under its label (the others are laid out)

    def __post_init__(self):
        if self.subject is None:
            object.__setattr__(self, "subject", self.label)
        if self.kind in (Kind.COUNT, Kind.AMOUNT):
            limit = checks.MAX_AMOUNT if self.kind == Kind.AMOUNT else checks.MAX_COUNT
            object.__setattr__(self, "minimum", 0 if self.minimum is None else self.minimum)
            object.__setattr__(self, "maximum", self.maximum or limit)

    @property
    def text(self) -> bool:
        return self.kind in (Kind.TEXT, Kind.LONG_TEXT)

    def from_form(self, value):
        """The service's input from the form's value."""
        if self.kind == Kind.SELECT:
            return int_or_none(value) if self.integer else (value or None)
        if self.text:
            return value or ("" if self.required else self.empty)
        if self.kind in (Kind.COUNT, Kind.AMOUNT) and value is None:
            return self.empty
        return value


CASE_FIELDS: tuple[FieldSpec, ...] = (
    FieldSpec(
        "unit_id",
        Kind.SELECT,
        _l("Place"),
        help=_l("The lowest known unit."),
        required=True,
        integer=True,
        exported=False,  # the export gives the place's name and its region
    ),
    FieldSpec(
        "event_date",
        Kind.DATE,
        _l("Date of the events"),
        subject=_l("The date of the events"),
        required=True,
    ),
    FieldSpec(
        "reported_on",
        Kind.DATE,
        _l("Date of the report"),
        subject=_l("The date of the report"),
        required=True,
        not_before="event_date",
        not_before_label=_l("the date of the events"),
    ),
    FieldSpec(
        "channel",
        Kind.CODE,
        _l("Reporting channel"),
        subject=_l("The reporting channel"),
        required=True,
        vocabulary="reporting_channel",
    ),
    FieldSpec(
        "conflict_type",
        Kind.CODE,
        _l("Conflict type"),
        subject=_l("The conflict type"),
        help=_l("★ types are never mediated: they are referred."),
        required=True,
        vocabulary="conflict_type",
    ),
    FieldSpec(
        "scope",
        Kind.CODE,
        _l("Conflict scope"),
        subject=_l("The scope"),
        required=True,
        vocabulary="scope",
    ),
    FieldSpec(
        "title",
        Kind.TEXT,
        _l("Title"),
        subject=_l("The title"),
        required=True,
        max_length=TITLE_MAX,
        sensitive=True,
    ),
    FieldSpec(
        "narrative",
        Kind.LONG_TEXT,
        _l("Narrative"),
        subject=_l("The narrative"),
        max_length=NARRATIVE_MAX,
        empty="",
        rows=6,
        sensitive=True,
        exported=False,
    ),
    FieldSpec("narrative_lang", Kind.SELECT, _l("Language of the narrative"), exported=False),
    FieldSpec(
        "sending_institution",
        Kind.TEXT,
        _l("Sending institution"),
        subject=_l("The sending institution"),
        help=_l("The court or the administration that sent the case, when it came from one."),
        max_length=NAME_MAX,
        shown=True,
    ),
    FieldSpec(
        "entry_level",
        Kind.SELECT,
        _l("Entry level on the ladder"),
        subject=_l("The entry level"),
        help=_l("Where the case starts: 0 when the parties come first to us."),
        integer=True,
        empty=0,
        # A level, not an id: 0 (the parties) to 4 (the administration).
        minimum=0,
        maximum=4,
    ),
    FieldSpec(
        "entry_level_reason",
        Kind.LONG_TEXT,
        _l("Why it enters at this level"),
        subject=_l("The reason for the entry level"),
        max_length=SHORT_TEXT_MAX,
        rows=2,
        sensitive=True,
        exported=False,
    ),
    FieldSpec("persons_affected", Kind.COUNT, _l("Persons affected")),
    FieldSpec("deaths", Kind.COUNT, _l("Deaths"), empty=0),
    FieldSpec("injuries_serious", Kind.COUNT, _l("Serious injuries"), empty=0),
    FieldSpec("injuries_minor", Kind.COUNT, _l("Minor injuries"), empty=0),
    FieldSpec(
        "damage_text",
        Kind.TEXT,
        _l("Damage"),
        max_length=SHORT_TEXT_MAX,
        sensitive=True,
        exported=False,
    ),
    FieldSpec("damage_fcfa", Kind.AMOUNT, _l("Damage (FCFA)"), help=_l("An estimate.")),
    FieldSpec("livestock_heads", Kind.COUNT, _l("Livestock heads")),
    FieldSpec(
        "transhumance_certificate",
        Kind.TEXT,
        _l("ECOWAS transhumance certificate number"),
        max_length=40,
        shown=True,
    ),
    FieldSpec(
        "other_country",
        Kind.CODE,
        _l("Other country"),
        subject=_l("The other country"),
        help=_l("A cross-border case: the country the other party or the herd comes from."),
        vocabulary="country",
        shown=True,
    ),
    FieldSpec(
        "confidentiality",
        Kind.CHOICE,
        _l("Confidentiality"),
        help=_l(
            "Restricted: names, narrative and notes only for the assigned mediator, the "
            "coordinators and administrators. Secret: the whole case only for them. "
            "Gender-based violence cases are always secret."
        ),
        choices=Confidentiality,
        empty=Confidentiality.STANDARD.value,
    ),
    FieldSpec(
        "assigned_mediator_id",
        Kind.SELECT,
        _l("Assigned mediator"),
        integer=True,
        exported=False,  # the export gives the mediator's username
    ),
)

CASE_FIELD = {spec.name: spec for spec in CASE_FIELDS}
# The fields an edit may change, and that a revision records.
EDITABLE_FIELDS = tuple(CASE_FIELD)


def _data_field(spec: FieldSpec):
    python_type = {
        Kind.TEXT: str,
        Kind.LONG_TEXT: str,
        Kind.COUNT: int,
        Kind.AMOUNT: int,
        Kind.DATE: date,
    }.get(spec.kind, int if spec.integer else str)
    if spec.required:
        return spec.name, python_type | None
    return spec.name, python_type | None, field(default=spec.empty)


# What a service is given to register or edit a case: its fields, then two that are not
# stored as such.
CaseData = make_dataclass(
    "CaseData",
    [
        *(_data_field(spec) for spec in CASE_FIELDS),
        ("site_id", int | None, field(default=None)),
        # Why the level is lowered (an edit by a coordinator or an administrator).
        ("confidentiality_reason", str | None, field(default=None)),
    ],
)
CaseData.__module__ = __name__


def snapshot(source) -> dict:
    """The editable fields of a case, or of the data of an edit, as a revision keeps them."""
    values = {}
    for name in EDITABLE_FIELDS:
        value = getattr(source, name)
        values[name] = value.isoformat() if isinstance(value, date) else value
    return values


def check_case_fields(data, *, current=None) -> None:
    """Check (and clean) each declared field of ``data``, as the form does: raises
    ``InvalidInput`` naming the field. ``current``: the case being edited, whose vocabulary
    terms may have been deactivated since and are kept."""
    for spec in CASE_FIELDS:
        value = getattr(data, spec.name)
        if spec.text:
            value = checks.check_text(value, spec.subject, spec.max_length, required=spec.required)
            setattr(data, spec.name, value or ("" if spec.required else spec.empty))
        elif spec.kind in (Kind.COUNT, Kind.AMOUNT):
            checks.check_count(value, spec.subject, spec.maximum)
        elif spec.kind == Kind.DATE:
            checks.check_date(
                value,
                spec.subject,
                not_before=getattr(data, spec.not_before) if spec.not_before else None,
                not_before_label=spec.not_before_label,
                required=spec.required,
            )
        elif spec.kind == Kind.CODE:
            vocab.check_code(
                spec.vocabulary,
                value,
                spec.subject,
                required=spec.required,
                current=getattr(current, spec.name) if current is not None else None,
            )
        elif spec.kind == Kind.CHOICE:
            checks.check_choice(spec.choices, value, spec.subject)


def shown_fields(case) -> list[tuple[FieldSpec, Any]]:
    """The declared fields the case page lists under their label, with their values."""
    return [
        (spec, getattr(case, spec.name))
        for spec in CASE_FIELDS
        if spec.shown and getattr(case, spec.name) not in (None, "")
    ]


audit_fields.declare_values("level", Confidentiality)
audit_fields.declare_values("status", ClosureRequestStatus, table="closure_requests")
audit_fields.declare_fields(
    "cases",
    titles={spec.name: spec.label for spec in CASE_FIELDS if spec.audited},
    public={spec.name for spec in CASE_FIELDS if not spec.sensitive},
    ignored={spec.name for spec in CASE_FIELDS if not spec.audited},
)
