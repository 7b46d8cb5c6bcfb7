"""One form per screen of the case records. Choices come from the vocabularies (data) and
the code-level enums; the services check everything again."""

from __future__ import annotations

from datetime import date

from markupsafe import Markup, escape
from wtforms import (
    BooleanField,
    FieldList,
    Form,
    FormField,
    HiddenField,
    SelectField,
    SelectMultipleField,
    StringField,
    SubmitField,
    TextAreaField,
)
from wtforms.validators import DataRequired, Length, NumberRange, Optional
from wtforms.widgets import Select

from casework.cases.enums import (
    AgeBand,
    AgreementForm,
    Compliance,
    NotificationMeans,
    PartyKind,
    PartyRole,
    SessionResult,
    Sex,
    Species,
    TermKind,
)
from casework.cases.fields import CASE_FIELDS, FieldSpec, Kind
from casework.cases.models import NAME_MAX, NARRATIVE_MAX, SHORT_TEXT_MAX, TITLE_MAX
from casework.cases.states import LadderLevel
from casework.core.checks import MAX_AMOUNT, MAX_COUNT
from casework.core.forms import (
    REQUIRED,
    AllInChoices,
    AppForm,
    InChoices,
    Integer,
    date_field,
)
from casework.db import utcnow
from casework.i18n import _, _l, language_in_text
from casework.memo import Memo

NOT_NEGATIVE = _l("Enter a number of 0 or more.")
TOO_LARGE = _l("Enter a number of at most %(max)s.")


def too_long(maximum: int):
    return Length(max=maximum, message=_l("At most %(max)d characters."))


def count_field(label, maximum: int = MAX_COUNT, **kwargs):
    return Integer(
        label,
        default=kwargs.pop("default", None),
        validators=[
            Optional(),
            NumberRange(min=0, message=NOT_NEGATIVE),
            NumberRange(max=maximum, message=TOO_LARGE),
        ],
        render_kw={"inputmode": "numeric", "min": "0", "max": str(maximum)},
        **kwargs,
    )


# The party's answer about sharing with the authorities, as the form sends it.
CONSENT_VALUES = {"": None, "yes": True, "no": False}


def consent_choices():
    return [("", _l("not asked yet")), ("yes", _l("yes, consents")), ("no", _l("no, refuses"))]


def consent_value(value: str | None) -> bool | None:
    return CONSENT_VALUES.get(value or "")


def consent_code(value: bool | None) -> str:
    return {True: "yes", False: "no"}.get(value, "")


def language_choices():
    return [("", _l("(no text)"))] + [(code, language_in_text(code)) for code in ("fr", "en")]


class PartySubForm(Form):
    """A party inside the intake form (no CSRF of its own). Empty names are skipped."""

    name = StringField(_l("Name"), validators=[Optional(), too_long(NAME_MAX)])
    role = SelectField(
        _l("Role"), choices=PartyRole.choices, validate_choice=False, validators=[InChoices()]
    )
    kind = SelectField(
        _l("Kind"), choices=PartyKind.choices, validate_choice=False, validators=[InChoices()]
    )
    sex = SelectField(
        _l("Sex"),
        choices=Sex.choices,
        default=Sex.UNKNOWN.value,
        validate_choice=False,
        validators=[InChoices()],
    )
    age_band = SelectField(
        _l("Age band"),
        choices=AgeBand.choices,
        default=AgeBand.UNKNOWN.value,
        validate_choice=False,
        validators=[InChoices()],
    )
    livelihood = SelectField(
        _l("Livelihood"), validate_choice=False, default="", validators=[InChoices()]
    )
    community = StringField(
        _l("Community or fraction"),
        validators=[Optional(), too_long(NAME_MAX)],
        description=_l("Restricted: shown only to those who may see it."),
    )
    fraction_id = SelectField(
        _l("Fraction (registry)"),
        default="",
        validate_choice=False,
        validators=[InChoices()],
        description=_l("A nomadic fraction of the registry, if the party belongs to one."),
    )
    consent_to_share = SelectField(
        _l("Consents to share the case with the authorities"),
        choices=consent_choices,
        default="",
        validate_choice=False,
        validators=[InChoices()],
        description=_l(
            "Justice and the security forces. A referral to them needs every party's consent."
        ),
    )
    is_survivor = BooleanField(
        _l("Survivor of gender-based violence"),
        description=_l("Their informed consent governs every referral of the case."),
    )


def declared_field(spec: FieldSpec):
    """The input of a declared case field, with the validators its declaration implies (the
    service checks the same declaration: ``casework.cases.fields.check_case_fields``)."""
    label, extra = spec.label, {"description": spec.help} if spec.help else {}
    if spec.text:
        validators = [DataRequired(REQUIRED) if spec.required else Optional()]
        validators.append(too_long(spec.max_length))
        if spec.kind == Kind.LONG_TEXT:
            extra["render_kw"] = {"rows": spec.rows or 6}
            return TextAreaField(label, validators=validators, **extra)
        return StringField(label, validators=validators, **extra)
    if spec.kind in (Kind.COUNT, Kind.AMOUNT):
        return count_field(label, maximum=spec.maximum, default=spec.empty, **extra)
    if spec.kind == Kind.DATE:
        return date_field(label, required=spec.required)
    if spec.kind == Kind.CHOICE:
        extra.update(choices=spec.choices.choices, default=spec.empty)
    elif spec.empty is not None:  # the view fills in the choices; this one has a default
        extra["default"] = str(spec.empty)
    else:  # the view fills in the choices
        extra["default"] = None if spec.required else ""
    return SelectField(label, validate_choice=False, validators=[InChoices()], **extra)


class CaseFieldsForm(AppForm):
    """The case's own fields, made from their declarations (``casework.cases.fields``)."""


for _spec in CASE_FIELDS:
    setattr(CaseFieldsForm, _spec.name, declared_field(_spec))


class IntakeForm(CaseFieldsForm):
    parties = FieldList(FormField(PartySubForm), min_entries=3, max_entries=6)
    not_a_duplicate = BooleanField(_l("I checked: this is a new case, not one of those above."))
    submit = SubmitField(_l("Record the case"))


class EditCaseForm(CaseFieldsForm):
    version = HiddenField()
    confidentiality_reason = TextAreaField(
        _l("Reason for lowering the confidentiality"),
        validators=[Optional(), too_long(SHORT_TEXT_MAX)],
        description=_l("Only a coordinator or an administrator lowers the level, with a reason."),
        render_kw={"rows": 2},
    )
    submit = SubmitField(_l("Save"))


class PartyForm(AppForm, PartySubForm):
    submit = SubmitField(_l("Save"))


class TransitionForm(AppForm):
    target = HiddenField(validators=[DataRequired()])
    reason = TextAreaField(
        _l("Reason"), validators=[Optional(), too_long(SHORT_TEXT_MAX)], render_kw={"rows": 3}
    )
    outcome = SelectField(
        _l("Outcome"), default="", validate_choice=False, validators=[InChoices()]
    )
    submit = SubmitField(_l("Confirm"))


class EscalateForm(AppForm):
    to_level = SelectField(
        _l("Level it goes to"),
        default="",
        validate_choice=False,
        validators=[InChoices()],
        description=_l("A jump over levels needs a reason."),
    )
    reason = TextAreaField(
        _l("Reason"), validators=[Optional(), too_long(SHORT_TEXT_MAX)], render_kw={"rows": 3}
    )
    submit = SubmitField(_l("Escalate"))


class SessionForm(AppForm):
    held_on = date_field(_l("Date of the session"))
    place = SelectField(_l("Place"), validate_choice=False, validators=[InChoices()])
    mechanism = SelectField(_l("Mechanism used"), validate_choice=False, validators=[InChoices()])
    actor_ids = SelectMultipleField(
        _l("Mediators present"), coerce=int, validate_choice=False, validators=[AllInChoices()]
    )
    women = count_field(_l("Women present"), default=0)
    men = count_field(_l("Men present"), default=0)
    youth = count_field(_l("Of whom young people (under 35)"), default=0)
    minutes = TextAreaField(
        _l("Minutes"), validators=[Optional(), too_long(NARRATIVE_MAX)], render_kw={"rows": 6}
    )
    minutes_lang = SelectField(
        _l("Language of the minutes"), default="", validate_choice=False, validators=[InChoices()]
    )
    result = SelectField(
        _l("Result"), choices=SessionResult.choices, validate_choice=False, validators=[InChoices()]
    )
    ladder_level = SelectField(
        _l("Level of the session"),
        default="",
        choices=lambda: (
            [("", _l("from the people present and the mechanism"))] + LadderLevel.choices()
        ),
        validate_choice=False,
        validators=[InChoices()],
        description=_l(
            "Chief and cadi: 2; mayor or land commission: 3; sub-prefect, prefect or governor: "
            "4; judge or gendarmerie: 5; elders, griots or family: 1; the parties alone: 0."
        ),
    )
    level_reason = TextAreaField(
        _l("Why another level"),
        validators=[Optional(), too_long(SHORT_TEXT_MAX)],
        render_kw={"rows": 2},
    )
    submit = SubmitField(_l("Record the session"))


class TermSubForm(Form):
    description = StringField(_l("Term"), validators=[Optional(), too_long(SHORT_TEXT_MAX)])
    obliged_party_id = SelectField(
        _l("Obliged party"), default="", validate_choice=False, validators=[InChoices()]
    )
    due_on = date_field(_l("Deadline"), required=False, planned=True)
    kind = SelectField(
        _l("What is owed"),
        choices=TermKind.choices,
        default=TermKind.ACTION.value,
        validate_choice=False,
        validators=[InChoices()],
    )
    species = SelectField(
        _l("Livestock"),
        choices=lambda: blank() + Species.choices(),
        default="",
        validate_choice=False,
        validators=[InChoices()],
    )
    amount = count_field(_l("Amount owed (FCFA or heads)"), maximum=MAX_AMOUNT)


class AgreementRecordForm(AppForm):
    concluded_on = date_field(_l("Date of the agreement"))
    form = SelectField(
        _l("Form"), choices=AgreementForm.choices, validate_choice=False, validators=[InChoices()]
    )
    outcome = SelectField(_l("Agreement"), validate_choice=False, validators=[InChoices()])
    terms = FieldList(FormField(TermSubForm), min_entries=3, max_entries=10)
    compensation_fcfa = count_field(_l("Compensation, FCFA"), maximum=MAX_AMOUNT)
    livestock_heads = count_field(_l("Compensation, livestock heads"))
    diya = BooleanField(_l("Blood money (diya)"))
    restitution = StringField(_l("Restitution"), validators=[Optional(), too_long(SHORT_TEXT_MAX)])
    signatories = StringField(_l("Signatories"), validators=[Optional(), too_long(SHORT_TEXT_MAX)])
    witnesses = StringField(_l("Witnesses"), validators=[Optional(), too_long(SHORT_TEXT_MAX)])
    submit = SubmitField(_l("Record the agreement"))


class ReferralForm(AppForm):
    referred_on = date_field(_l("Date of the referral"))
    target = SelectField(_l("Referred to"), validate_choice=False, validators=[InChoices()])
    from_institution = StringField(
        _l("Referred by (institution)"), validators=[Optional(), too_long(NAME_MAX)]
    )
    reason = TextAreaField(
        _l("Reason"),
        validators=[DataRequired(REQUIRED), too_long(SHORT_TEXT_MAX)],
        render_kw={"rows": 3},
    )
    emergency_override = BooleanField(
        _l("Emergency override: refer without every party's consent"),
        description=_l(
            "Only when a life or safety is at stake. The override and its reason are shown on "
            "the case and recorded in the audit trail."
        ),
    )
    override_reason = TextAreaField(
        _l("Reason for the emergency override"),
        validators=[Optional(), too_long(SHORT_TEXT_MAX)],
        render_kw={"rows": 3},
    )
    parallel = BooleanField(
        _l("Formal track: the families go on settling the civil side here"),
        description=_l(
            "For a referral to justice or the security forces: the penal side goes to them "
            "while sessions on compensation continue in this case."
        ),
    )
    # A crime referred to the authorities: the parties are told, not asked (the view keeps
    # these fields for crimes only).
    notified_party_ids = SelectMultipleField(
        _l("Parties told of the referral"),
        coerce=int,
        validate_choice=False,
        validators=[AllInChoices()],
    )
    notified_on = date_field(_l("Date they were told"), required=False)
    notified_how = SelectField(
        _l("How they were told"),
        choices=lambda: [("", "")] + NotificationMeans.choices(),
        default="",
        validate_choice=False,
        validators=[InChoices()],
    )
    submit = SubmitField(_l("Record the referral"))


class NoticeForm(AppForm):
    """Parties told of a crime's referral after it was recorded."""

    notified_party_ids = SelectMultipleField(
        _l("Parties told of the referral"),
        coerce=int,
        validate_choice=False,
        validators=[AllInChoices()],
    )
    notified_on = date_field(_l("Date they were told"))
    notified_how = SelectField(
        _l("How they were told"),
        choices=lambda: [("", "")] + NotificationMeans.choices(),
        default="",
        validate_choice=False,
        validators=[InChoices()],
    )
    submit = SubmitField(_l("Record who was told"))


def reason_field(label):
    return TextAreaField(
        label,
        validators=[DataRequired(REQUIRED), too_long(SHORT_TEXT_MAX)],
        render_kw={"rows": 3},
    )


class ArchiveForm(AppForm):
    reason = reason_field(_l("Reason for archiving"))
    submit = SubmitField(_l("Archive the case"))


class RestoreForm(AppForm):
    submit = SubmitField(_l("Restore the case"))


class PurgeForm(AppForm):
    reason = reason_field(_l("Reason for the purge"))
    confirmation = StringField(
        _l("Type the case reference to confirm"),
        validators=[DataRequired(REQUIRED), Length(max=40)],
        render_kw={"autocomplete": "off"},
    )
    submit = SubmitField(_l("Purge the case for good"))


class FeedbackForm(AppForm):
    feedback_on = date_field(_l("Date of the feedback"))
    feedback = TextAreaField(
        _l("Feedback received"),
        validators=[DataRequired(REQUIRED), too_long(SHORT_TEXT_MAX)],
        render_kw={"rows": 3},
    )
    result = SelectField(
        _l("What the institution did"),
        choices=lambda: [
            ("settled", _l("settled the matter")),
            ("sent_back", _l("sent it back to a local mechanism")),
            ("not_settled", _l("did not settle it")),
        ],
        validate_choice=False,
        validators=[InChoices()],
    )
    back_to_level = SelectField(
        _l("Level it goes back to"),
        default="",
        choices=lambda: (
            [("", "—")]
            + [c for c in LadderLevel.choices() if int(c[0]) <= LadderLevel.ADMINISTRATION]
        ),
        validate_choice=False,
        validators=[InChoices()],
    )
    submit = SubmitField(_l("Record the feedback"))


class FollowUpForm(AppForm):
    done_on = date_field(_l("Date of the visit"))
    compliance = SelectField(
        _l("Compliance with the agreement"),
        choices=Compliance.choices,
        validate_choice=False,
        validators=[InChoices()],
        description=_l(
            "“Not respected”: you then choose to renegotiate within the case, or to close it "
            "and open a recurrence."
        ),
    )
    notes = TextAreaField(
        _l("Notes"), validators=[Optional(), too_long(SHORT_TEXT_MAX)], render_kw={"rows": 3}
    )
    submit = SubmitField(_l("Record the visit"))


class TranslationForm(AppForm):
    translation = TextAreaField(
        _l("Translation"),
        validators=[DataRequired(REQUIRED), too_long(NARRATIVE_MAX)],
        render_kw={"rows": 8},
    )
    submit = SubmitField(_l("Save the translation"))


class CaseTranslationForm(AppForm):
    """The title's and the narrative's translation (the service requires the narrative's
    when there is a narrative)."""

    title_translation = StringField(
        _l("Translation of the title"), validators=[Optional(), too_long(TITLE_MAX)]
    )
    translation = TextAreaField(
        _l("Translation of the narrative"),
        validators=[Optional(), too_long(NARRATIVE_MAX)],
        render_kw={"rows": 8},
    )
    submit = SubmitField(_l("Save the translation"))


class CivilCaseForm(AppForm):
    conflict_type = SelectField(
        _l("Conflict type of the civil case"), validate_choice=False, validators=[InChoices()]
    )
    title = StringField(_l("Short title"), validators=[DataRequired(REQUIRED), too_long(TITLE_MAX)])
    submit = SubmitField(_l("Open the linked civil case"))


class QuickSelect(Select):
    """WTForms' select, with its options written directly: the same HTML (``<option selected
    value="…">label</option>``), without building and sorting an attribute dict for each of
    the list filters' ~120 options (a third of the case list's rendering time).

    What it writes is kept by the widget (one per declared field), keyed by everything the
    HTML is made of: the field's name and id, the choices, the chosen value and the extra
    attributes. The same list (the area's places and mediators, a language's statuses) is
    then written once per process, not on every page."""

    KEPT_MAX = 64

    def __init__(self, multiple=False):
        super().__init__(multiple)
        self._kept: Memo[Markup] = Memo(self.KEPT_MAX)

    def __call__(self, field, **kwargs):
        choices = field.choices
        try:
            key = (
                field.name,
                field.id,
                field.data,
                tuple(sorted(kwargs.items())),
                tuple(choices) if isinstance(choices, list) else None,
            )
            html = self._kept.get(key)
        except TypeError:  # something unhashable: written every time
            return super().__call__(field, **kwargs)
        if key[-1] is None or field.has_groups():
            return super().__call__(field, **kwargs)
        if html is None:
            html = self._kept.put(key, super().__call__(field, **kwargs))
        return html

    @classmethod
    def render_option(cls, choice, **kwargs):
        if kwargs or choice.render_kw or isinstance(choice.value, bool):
            return super().render_option(choice, **kwargs)
        selected = "selected " if choice.selected else ""
        label = escape(choice.label or choice.value)
        value = escape(choice.value)
        return Markup(f'<option {selected}value="{value}">{label}</option>')  # noqa: S704 - escaped


class CaseFilterForm(AppForm):
    """The case list's filters: a GET form, so no CSRF token."""

    class Meta:
        csrf = False

    q = StringField(
        _l("Search"),
        validators=[Optional(), Length(max=200)],
        description=_l("Reference, title, narrative or a party's name."),
    )
    area = SelectField(
        _l("Area"),
        default="",
        validate_choice=False,
        description=_l("A case is found by any of its places: the incident's, the others."),
        widget=QuickSelect(),
        validators=[InChoices()],
    )
    type = SelectField(
        _l("Conflict type"),
        default="",
        validate_choice=False,
        widget=QuickSelect(),
        validators=[InChoices()],
    )
    status = SelectField(
        _l("Status"),
        default="",
        validate_choice=False,
        widget=QuickSelect(),
        validators=[InChoices()],
    )
    level = SelectField(
        _l("Ladder level"),
        default="",
        validate_choice=False,
        widget=QuickSelect(),
        validators=[InChoices()],
    )
    mediator = SelectField(
        _l("Assigned mediator"),
        default="",
        validate_choice=False,
        widget=QuickSelect(),
        validators=[InChoices()],
    )
    reported_from = date_field(_l("Reported from"), required=False)
    reported_to = date_field(_l("Reported until"), required=False)
    archived = SelectField(
        _l("Archived cases"),
        default="no",
        # Called for each form (in the request's language): plain strings, which the
        # select's memo hashes and compares cheaply (lazy ones translate at each compare).
        choices=lambda: [
            ("no", _("left out")),
            ("yes", _("only archived cases")),
            ("all", _("included")),
        ],
        validate_choice=False,
        widget=QuickSelect(),
        validators=[InChoices()],
    )
    page = Integer(default=1, validators=[Optional(), NumberRange(min=1, max=100_000)])


def blank(label=None):
    return [("", label or "—")]


def today() -> date:
    return utcnow().date()


class ActorForm(AppForm):
    name = StringField(_l("Name"), validators=[DataRequired(REQUIRED), too_long(NAME_MAX)])
    actor_type = SelectField(_l("Type of actor"), validate_choice=False, validators=[InChoices()])
    function = StringField(_l("Function"), validators=[Optional(), too_long(NAME_MAX)])
    organisation = StringField(_l("Organisation"), validators=[Optional(), too_long(NAME_MAX)])
    sex = SelectField(
        _l("Sex"),
        choices=Sex.choices,
        default=Sex.UNKNOWN.value,
        validate_choice=False,
        validators=[InChoices()],
    )
    unit_id = SelectField(_l("Place"), default="", validate_choice=False, validators=[InChoices()])
    trained = BooleanField(_l("Trained in mediation"))
    submit = SubmitField(_l("Save"))


class FractionForm(AppForm):
    name = StringField(_l("Name"), validators=[DataRequired(REQUIRED), too_long(NAME_MAX)])
    group_code = SelectField(_l("Group"), validate_choice=False, validators=[InChoices()])
    home_unit_id = SelectField(
        _l("Home commune"), default="", validate_choice=False, validators=[InChoices()]
    )
    range_unit_ids = SelectMultipleField(
        _l("Usual seasonal range"),
        coerce=int,
        validate_choice=False,
        validators=[AllInChoices()],
        description=_l("The communes the fraction usually moves through in the year."),
    )
    submit = SubmitField(_l("Save"))


class CasePlacesForm(AppForm):
    """The other places of a case, by what they are to it (PlaceRole)."""

    home_commune = SelectMultipleField(
        _l("The parties' home communes"),
        coerce=int,
        validate_choice=False,
        validators=[AllInChoices()],
    )
    route = SelectMultipleField(
        _l("Places on the transhumance route"),
        coerce=int,
        validate_choice=False,
        validators=[AllInChoices()],
    )
    other = SelectMultipleField(
        _l("Other places"), coerce=int, validate_choice=False, validators=[AllInChoices()]
    )
    submit = SubmitField(_l("Save"))
