"""XLSForms for KoboToolbox and ODK Collect, made from the current vocabularies, geography
and case fields, so that a form always matches what the import accepts.

Three forms, one file each (KoboToolbox deploys one form per XLSForm, and a relay who sends
alerts needs no intake form): ``intake`` (a case with its parties, a repeat group),
``alert`` (an early-warning alert) and ``visit`` (a follow-up visit after an agreement).
Labels in French and English; the place is chosen region, then cercle, then commune
(``choice_filter`` cascades). The names of the questions are the names the import reads.
"""

from __future__ import annotations

import hashlib
import io
from collections.abc import Iterable

import sqlalchemy as sa
from flask_babel import force_locale
from openpyxl import Workbook

from casework.cases.enums import AgeBand, Compliance, PartyKind, PartyRole, Sex
from casework.cases.fields import CASE_FIELDS, Kind
from casework.cases.models import NAME_MAX, TITLE_MAX
from casework.enums import TitledEnum
from casework.extensions import db
from casework.geo.models import AdminUnit, UnitKind
from casework.geo.services import today, valid_on_clause
from casework.i18n import _l
from casework.integrations.values import LANGUAGES
from casework.policing.models import RELAY_CODE_MAX
from casework.vocab import services as vocab

FORMS = ("intake", "alert", "visit")
FORM_IDS = {form: f"casework_{form}" for form in FORMS}
LANGUAGE_NAMES = {"fr": "French (fr)", "en": "English (en)"}
TITLES = {
    "intake": _l("Casework: a case and its parties"),
    "alert": _l("Casework: early-warning alert"),
    "visit": _l("Casework: follow-up visit"),
}
# The questions of the place, from the region down (the import reads the same names).
PLACE = (
    (UnitKind.REGION, "region", _l("Region")),
    (UnitKind.CERCLE, "cercle", _l("Cercle")),
    (UnitKind.COMMUNE, "commune", _l("Commune")),
)
# A party's questions: (name, enum or vocabulary, label, required).
PARTY_QUESTIONS = (
    ("party_role", PartyRole, _l("Role"), True),
    ("party_kind", PartyKind, _l("Kind of party"), True),
    ("party_name", None, _l("Name"), True),
    ("party_sex", Sex, _l("Sex"), True),
    ("party_age_band", AgeBand, _l("Age band"), True),
    ("party_livelihood", "livelihood", _l("Livelihood"), False),
    ("party_community", None, _l("Community or fraction"), False),
)
ENUM_LISTS: dict[type[TitledEnum], str] = {
    PartyRole: "party_role",
    PartyKind: "party_kind",
    Sex: "sex",
    AgeBand: "age_band",
    Compliance: "compliance",
}
SURVEY_COLUMNS = (
    "type",
    "name",
    *(f"label::{LANGUAGE_NAMES[lang]}" for lang in LANGUAGES),
    *(f"hint::{LANGUAGE_NAMES[lang]}" for lang in LANGUAGES),
    "required",
    "constraint",
    *(f"constraint_message::{LANGUAGE_NAMES[lang]}" for lang in LANGUAGES),
    "relevant",
    "appearance",
    "choice_filter",
)
CHOICE_COLUMNS = (
    "list_name",
    "name",
    *(f"label::{LANGUAGE_NAMES[lang]}" for lang in LANGUAGES),
    "region",
    "cercle",
)


def _texts(text) -> list[str]:
    if text is None:
        return ["" for _lang in LANGUAGES]
    out = []
    for lang in LANGUAGES:
        with force_locale(lang):
            out.append(str(text))
    return out


class _Form:
    def __init__(self) -> None:
        self.survey: list[list[str]] = []
        self.choices: list[list[str]] = []
        self._lists: set[str] = set()

    def question(
        self,
        kind: str,
        name: str,
        label,
        *,
        hint=None,
        required: bool = False,
        constraint: str = "",
        message=None,
        relevant: str = "",
        appearance: str = "",
        choice_filter: str = "",
    ) -> None:
        self.survey.append(
            [
                kind,
                name,
                *_texts(label),
                *_texts(hint),
                "yes" if required else "",
                constraint,
                *_texts(message if constraint else None),
                relevant,
                appearance,
                choice_filter,
            ]
        )

    def end(self, kind: str) -> None:
        self.survey.append([kind, *["" for _c in SURVEY_COLUMNS[1:]]])

    def choice_list(self, name: str, rows: Iterable[tuple[str, list[str], str, str]]) -> str:
        if name not in self._lists:
            self._lists.add(name)
            for code, labels, region, cercle in rows:
                self.choices.append([name, code, *labels, region, cercle])
        return name

    def enum_list(self, enum_class: type[TitledEnum]) -> str:
        return self.choice_list(
            ENUM_LISTS[enum_class],
            ((member.value, _texts(member.title), "", "") for member in enum_class),
        )

    def vocabulary_list(self, vocabulary: str) -> str:
        labels = {lang: dict(vocab.choices(vocabulary, lang)) for lang in LANGUAGES}
        return self.choice_list(
            vocabulary,
            (
                (code, [labels[lang][code] for lang in LANGUAGES], "", "")
                for code in labels[LANGUAGES[0]]
            ),
        )

    def place(self, required: bool = True) -> None:
        units = list(
            db.session.scalars(
                sa.select(AdminUnit)
                .where(
                    AdminUnit.kind.in_([kind.value for kind, _n, _label in PLACE]),
                    valid_on_clause(today()),
                )
                .order_by(AdminUnit.path)
            )
        )
        by_id = {unit.id: unit for unit in units}
        above = ""
        for kind, name, label in PLACE:
            rows = []
            for unit in units:
                if unit.kind != kind.value:
                    continue
                parent = by_id.get(unit.parent_id)
                rows.append(
                    (
                        unit.code,
                        [unit.name, unit.name],
                        parent.code if kind == UnitKind.CERCLE and parent else "",
                        parent.code if kind == UnitKind.COMMUNE and parent else "",
                    )
                )
            self.choice_list(name, rows)
            self.question(
                f"select_one {name}",
                name,
                label,
                required=required,
                choice_filter=f"{above}=${{{above}}}" if above else "",
            )
            above = name

    def workbook(self, form: str, version: str) -> bytes:
        book = Workbook()
        survey = book.active
        survey.title = "survey"
        survey.append(list(SURVEY_COLUMNS))
        for row in self.survey:
            survey.append(row)
        choices = book.create_sheet("choices")
        choices.append(list(CHOICE_COLUMNS))
        for row in self.choices:
            choices.append(row)
        settings = book.create_sheet("settings")
        settings.append(["form_title", "form_id", "version", "default_language"])
        settings.append(
            [_texts(TITLES[form])[0], FORM_IDS[form], version, LANGUAGE_NAMES[LANGUAGES[0]]]
        )
        out = io.BytesIO()
        book.save(out)
        return out.getvalue()


def _case_questions(form: _Form) -> None:
    for spec in CASE_FIELDS:
        if spec.kind == Kind.SELECT:
            continue  # the place, the mediator, the narrative's language: asked otherwise
        options = {"hint": spec.help, "required": spec.required}
        if spec.kind in (Kind.TEXT, Kind.LONG_TEXT):
            limit = spec.max_length or TITLE_MAX
            form.question(
                "text",
                spec.name,
                spec.label,
                constraint=f"string-length(.) <= {limit}",
                message=_l("At most %(max)s characters.", max=limit),
                appearance="multiline" if spec.kind == Kind.LONG_TEXT else "",
                **options,
            )
        elif spec.kind in (Kind.COUNT, Kind.AMOUNT):
            form.question(
                "integer",
                spec.name,
                spec.label,
                constraint=". >= 0",
                message=_l("A number of 0 or more."),
                **options,
            )
        elif spec.kind == Kind.DATE:
            form.question(
                "date",
                spec.name,
                spec.label,
                constraint=". <= today()",
                message=_l("Not in the future."),
                **options,
            )
        elif spec.kind == Kind.CODE:
            name = form.vocabulary_list(spec.vocabulary)
            form.question(f"select_one {name}", spec.name, spec.label, **options)
        elif spec.kind == Kind.CHOICE:
            name = form.choice_list(
                spec.name,
                ((member.value, _texts(member.title), "", "") for member in spec.choices),
            )
            form.question(f"select_one {name}", spec.name, spec.label, **options)
        if spec.name == "narrative":
            form.choice_list(
                "language",
                [
                    ("fr", _texts(_l("French")), "", ""),
                    ("en", _texts(_l("English")), "", ""),
                ],
            )
            form.question(
                "select_one language",
                "narrative_lang",
                _l("Language of the narrative"),
                required=True,
                relevant="string-length(${narrative}) > 0",
            )


def _intake(form: _Form) -> None:
    form.question("begin_group", "case", _l("The case"))
    form.place()
    _case_questions(form)
    form.end("end_group")
    form.question("begin_repeat", "parties", _l("Parties"))
    for name, values, label, required in PARTY_QUESTIONS:
        if values is None:
            form.question(
                "text",
                name,
                label,
                required=required,
                constraint=f"string-length(.) <= {NAME_MAX}",
                message=_l("At most %(max)s characters.", max=NAME_MAX),
            )
        elif isinstance(values, str):
            form.question(
                f"select_one {form.vocabulary_list(values)}", name, label, required=required
            )
        else:
            form.question(f"select_one {form.enum_list(values)}", name, label, required=required)
    form.end("end_repeat")


def _alert(form: _Form) -> None:
    form.question("begin_group", "alert", _l("The alert"))
    form.question(
        "dateTime",
        "occurred_at",
        _l("Date and time of the alert"),
        required=True,
    )
    form.place()
    form.question("text", "place", _l("Place"), hint=_l("A village, a well, a market."))
    form.question(
        f"select_one {form.vocabulary_list('alert_category')}",
        "category",
        _l("Threat category"),
        required=True,
    )
    form.choice_list(
        "urgency",
        [(str(level), [str(level), str(level)], "", "") for level in (1, 2, 3)],
    )
    form.question(
        "select_one urgency",
        "urgency",
        _l("Urgency"),
        hint=_l("1 low, 2 medium, 3 high."),
        required=True,
    )
    form.question(
        f"select_one {form.vocabulary_list('alert_source')}",
        "source_type",
        _l("Source"),
        required=True,
    )
    form.question(
        "text",
        "relay_code",
        _l("Relay code"),
        hint=_l("A pseudonym such as GAO-R-017, never a name."),
        constraint=f"regex(., '^[A-Z0-9-]{{2,{RELAY_CODE_MAX}}}$')",
        message=_l("Capital letters, digits and hyphens only."),
    )
    form.question(
        "text",
        "description",
        _l("Description"),
        required=True,
        appearance="multiline",
    )
    form.end("end_group")


def _visit(form: _Form) -> None:
    form.question("begin_group", "visit", _l("The visit"))
    form.question(
        "text",
        "case_reference",
        _l("Case reference"),
        hint=_l("As on the case, e.g. GAO-2026-0042."),
        required=True,
        constraint="regex(., '^[A-Z0-9]{2,8}-[0-9]{4}-[0-9]{4,}$')",
        message=_l("A reference such as GAO-2026-0042."),
    )
    form.question(
        "date",
        "visit_date",
        _l("Date of the visit"),
        required=True,
        constraint=". <= today()",
        message=_l("Not in the future."),
    )
    form.question(
        f"select_one {form.enum_list(Compliance)}",
        "compliance",
        _l("Compliance with the agreement"),
        required=True,
    )
    form.question("text", "notes", _l("Notes"), appearance="multiline")
    form.end("end_group")


BUILDERS = {"intake": _intake, "alert": _alert, "visit": _visit}


def build_xlsform(form_name: str) -> bytes:
    """The XLSForm of one form, as an .xlsx file's bytes. Its version changes whenever the
    questions or their choices do (a vocabulary term or a place added)."""
    form = _Form()
    BUILDERS[form_name](form)
    digest = hashlib.sha256(repr((form.survey, form.choices)).encode()).hexdigest()[:10]
    return form.workbook(form_name, digest)
