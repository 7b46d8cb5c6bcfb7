"""Forms of community policing; the services check everything again."""

from __future__ import annotations

from wtforms import (
    BooleanField,
    DateTimeLocalField,
    FieldList,
    Form,
    FormField,
    HiddenField,
    SelectField,
    StringField,
    SubmitField,
    TextAreaField,
)
from wtforms.validators import DataRequired, InputRequired, Length, Optional

from casework.cases.enums import PartyKind, Sex
from casework.cases.forms import count_field, too_long
from casework.cases.models import NAME_MAX, NARRATIVE_MAX, SHORT_TEXT_MAX, TITLE_MAX
from casework.core.forms import (
    REQUIRED,
    AppForm,
    InChoices,
    InDateWindow,
    OwnParseError,
    date_field,
)
from casework.i18n import _l
from casework.policing.enums import Force, RecommendationStatus, Urgency
from casework.policing.models import RELAY_CODE_MAX
from casework.policing.services import DESCRIPTION_MAX

NOT_A_MOMENT = _l("Enter a date and a time.")


class LocalisedDateTime(OwnParseError, DateTimeLocalField):
    parse_error = NOT_A_MOMENT


def moment_field(label, required=True):
    validators = [InputRequired(REQUIRED)] if required else [Optional()]
    return LocalisedDateTime(
        label,
        validators=[*validators, InDateWindow()],
        format=["%Y-%m-%dT%H:%M", "%Y-%m-%d %H:%M"],
    )


def select(label, **kwargs):
    return SelectField(label, validate_choice=False, validators=[InChoices()], **kwargs)


class PoliceUnitForm(AppForm):
    name = StringField(_l("Name"), validators=[DataRequired(REQUIRED), too_long(NAME_MAX)])
    force = select(_l("Force"), choices=Force.choices)
    unit_id = select(_l("Area"))
    focal_point_id = select(_l("Focal point"), default="")
    submit = SubmitField(_l("Save"))


class CommitteeForm(AppForm):
    name = StringField(_l("Name"), validators=[DataRequired(REQUIRED), too_long(NAME_MAX)])
    unit_id = select(_l("Commune"))
    chair = StringField(_l("Chair (the mayor)"), validators=[Optional(), too_long(NAME_MAX)])
    monthly_target = count_field(_l("Meetings expected each month"), default=1)
    submit = SubmitField(_l("Save"))


class MemberForm(AppForm):
    name = StringField(_l("Name"), validators=[DataRequired(REQUIRED), too_long(NAME_MAX)])
    function = StringField(_l("Function"), validators=[Optional(), too_long(NAME_MAX)])
    sex = select(_l("Sex"), choices=Sex.choices, default=Sex.UNKNOWN.value)
    submit = SubmitField(_l("Save"))


class RecommendationSubForm(Form):
    id = HiddenField()
    text = StringField(_l("Recommendation"), validators=[Optional(), too_long(SHORT_TEXT_MAX)])
    responsible = StringField(_l("Responsible"), validators=[Optional(), too_long(NAME_MAX)])
    status = select(
        _l("Status"),
        choices=RecommendationStatus.choices,
        default=RecommendationStatus.PENDING.value,
    )


class MeetingForm(AppForm):
    held_on = date_field(_l("Date of the meeting"))
    women = count_field(_l("Women present"), default=0)
    men = count_field(_l("Men present"), default=0)
    agenda = TextAreaField(
        _l("Agenda"),
        validators=[DataRequired(REQUIRED), too_long(SHORT_TEXT_MAX)],
        render_kw={"rows": 3},
    )
    notes = TextAreaField(
        _l("Notes"), validators=[Optional(), too_long(NARRATIVE_MAX)], render_kw={"rows": 4}
    )
    recommendations = FieldList(FormField(RecommendationSubForm), min_entries=3, max_entries=30)
    submit = SubmitField(_l("Save"))


class RecommendationStatusForm(AppForm):
    status = select(_l("Status"), choices=RecommendationStatus.choices)


class ActivityForm(AppForm):
    activity_type = select(_l("Type of activity"))
    held_on = date_field(_l("Date"))
    duration_minutes = count_field(_l("Duration (minutes)"))
    police_unit_id = select(_l("Community-police unit"))
    unit_id = select(_l("Place"))
    place = StringField(_l("Place, in words"), validators=[Optional(), too_long(NAME_MAX)])
    topic = StringField(_l("Topic"), validators=[DataRequired(REQUIRED), too_long(TITLE_MAX)])
    participants = count_field(_l("Participants"), default=0)
    women = count_field(_l("Of whom women"), default=0)
    men = count_field(_l("Of whom men"), default=0)
    youth = count_field(_l("Of whom young people (under 35)"), default=0)
    alerts_raised = count_field(_l("Alerts raised"), default=0)
    cases_created = count_field(_l("Cases created"), default=0)
    cases_referred = count_field(_l("Cases referred"), default=0)
    case_references = StringField(
        _l("Linked cases"),
        validators=[Optional(), Length(max=1000)],
        description=_l("Case references separated by commas, e.g. GAO-2026-0042."),
    )
    notes = TextAreaField(
        _l("Notes"), validators=[Optional(), too_long(NARRATIVE_MAX)], render_kw={"rows": 3}
    )
    submit = SubmitField(_l("Save"))


class AlertForm(AppForm):
    occurred_at = moment_field(_l("Date and time (Bamako time)"))
    unit_id = select(_l("Place"))
    place = StringField(_l("Place, in words"), validators=[Optional(), too_long(NAME_MAX)])
    category = select(_l("Threat category"))
    urgency = select(_l("Urgency"), choices=Urgency.choices, default=Urgency.MEDIUM.value)
    source_type = select(_l("Source"))
    relay_code = StringField(
        _l("Relay code (pseudonym)"),
        validators=[Optional(), Length(max=RELAY_CODE_MAX)],
        description=_l(
            "Never write an informant's name, here or anywhere: it could cost a "
            "life. Use the relay's code, e.g. GAO-R-017."
        ),
        render_kw={"autocapitalize": "characters", "spellcheck": "false"},
    )
    description = TextAreaField(
        _l("What was reported"),
        validators=[DataRequired(REQUIRED), too_long(DESCRIPTION_MAX)],
        description=_l("Facts only, without the names of those who reported them."),
        render_kw={"rows": 4},
    )
    police_unit_id = select(_l("Community-police unit"), default="")
    verified = BooleanField(_l("Verified"))
    forwarded_to = select(_l("Forwarded to"), default="")
    forwarded_at = moment_field(_l("Forwarded on (Bamako time)"), required=False)
    response = TextAreaField(
        _l("Response"), validators=[Optional(), too_long(SHORT_TEXT_MAX)], render_kw={"rows": 3}
    )
    responded_at = moment_field(_l("Response given on (Bamako time)"), required=False)
    submit = SubmitField(_l("Save"))


class AlertCaseForm(AppForm):
    conflict_type = select(_l("Conflict type"))
    scope = select(_l("Scope"))
    title = StringField(_l("Short title"), validators=[DataRequired(REQUIRED), too_long(TITLE_MAX)])
    party_name = StringField(
        _l("Who is involved"),
        validators=[DataRequired(REQUIRED), too_long(NAME_MAX)],
        description=_l("A community, a fraction, a family or a village; never the informant."),
    )
    party_kind = select(_l("Kind"), choices=PartyKind.choices, default=PartyKind.COMMUNITY.value)
    submit = SubmitField(_l("Open the case"))


class AcknowledgeForm(AppForm):
    acknowledged_on = date_field(_l("Received on"))
    submit = SubmitField(_l("Acknowledge"))


class ThresholdForm(AppForm):
    unit_id = select(_l("Commune"), default="")
    category = select(_l("Threat category"), default="")
    alert_count = count_field(_l("Number of alerts"), default=3)
    window_days = count_field(_l("Within (days)"), default=7)
    submit = SubmitField(_l("Save"))


class NameFilterForm(AppForm):
    """Search by name and narrow by area (GET, no CSRF)."""

    class Meta:
        csrf = False

    q = StringField(_l("Search"), validators=[Optional(), Length(max=200)])
    area = select(_l("Area"), default="")


class FilterForm(NameFilterForm):
    date_from = date_field(_l("From"), required=False)
    date_to = date_field(_l("Until"), required=False)


class ActivityFilterForm(FilterForm):
    type = select(_l("Type of activity"), default="")
    police_unit = select(_l("Community-police unit"), default="")


class AlertFilterForm(FilterForm):
    category = select(_l("Threat category"), default="")
    urgency = select(_l("Urgency"), default="")
    verified = select(_l("Verified"), default="")
    answered = select(_l("Answered"), default="")


REPLY_LANGUAGES = [("fr", _l("French")), ("en", _l("English"))]


class SmsRelayForm(AppForm):
    """A relay who sends alerts by SMS. The number is hashed on save and never shown again."""

    relay_code = StringField(
        _l("Relay code"),
        validators=[DataRequired(REQUIRED), Length(max=RELAY_CODE_MAX)],
        description=_l("A pseudonym such as GAO-R-017, never a name."),
        render_kw={"autocapitalize": "characters", "spellcheck": "false"},
    )
    number = StringField(
        _l("Phone number"),
        validators=[Optional(), Length(max=32)],
        description=_l(
            "Kept only as a code that recognises the phone: nobody can read it back. "
            "Leave empty to keep the registered number."
        ),
        render_kw={"inputmode": "tel", "autocomplete": "off"},
    )
    language = select(_l("Language of the replies"), choices=lambda: REPLY_LANGUAGES)
    unit_id = select(_l("Area reported on"))
    is_active = BooleanField(_l("Active"), default=True)
    submit = SubmitField(_l("Save"))
