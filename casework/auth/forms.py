"""Sign-in, password and user-administration forms."""

from __future__ import annotations

from wtforms import BooleanField, PasswordField, SelectField, StringField, SubmitField
from wtforms.validators import DataRequired, EqualTo, InputRequired, Length, NumberRange

from casework.auth.models import FULL_NAME_MAX, USERNAME_MAX
from casework.auth.tokens import DEFAULT_DAYS, MAX_DAYS, TOKEN_NAME_MAX, TokenScope
from casework.core.forms import REQUIRED, AppForm, InChoices, Integer
from casework.geo.models import UnitKind
from casework.geo.services import choices as unit_choices
from casework.i18n import _l, language_title
from casework.roles import Role


class LoginForm(AppForm):
    username = StringField(
        _l("Username"),
        validators=[DataRequired(REQUIRED), Length(max=USERNAME_MAX)],
        render_kw={"autocomplete": "username", "autocapitalize": "none", "spellcheck": "false"},
    )
    password = PasswordField(
        _l("Password"),
        validators=[DataRequired(REQUIRED), Length(max=256)],
        render_kw={"autocomplete": "current-password"},
    )
    submit = SubmitField(_l("Sign in"))


class ChangePasswordForm(AppForm):
    current_password = PasswordField(
        _l("Current password"),
        validators=[DataRequired(REQUIRED), Length(max=256)],
        render_kw={"autocomplete": "current-password"},
    )
    new_password = PasswordField(
        _l("New password"),
        validators=[DataRequired(REQUIRED), Length(max=256)],
        render_kw={"autocomplete": "new-password"},
    )
    confirm_password = PasswordField(
        _l("New password, again"),
        validators=[
            DataRequired(REQUIRED),
            EqualTo("new_password", message=_l("The two new passwords differ.")),
        ],
        render_kw={"autocomplete": "new-password"},
    )
    submit = SubmitField(_l("Change password"))


CODE_ATTRS = {"autocomplete": "one-time-code", "autocapitalize": "none", "spellcheck": "false"}


def code_field() -> StringField:
    """A code from the authenticator app, or one of the recovery codes."""
    return StringField(
        _l("Code"),
        validators=[DataRequired(REQUIRED), Length(max=32)],
        description=_l("The 6 digits your authenticator app shows, or one of your recovery codes."),
        render_kw=CODE_ATTRS,
    )


class SignInCodeForm(AppForm):
    """The second step of sign-in: a code from the app, or a recovery code."""

    code = code_field()
    submit = SubmitField(_l("Sign in"))


class EnrolTwoFactorForm(AppForm):
    code = StringField(
        _l("Code shown by the app"),
        validators=[DataRequired(REQUIRED), Length(max=32)],
        description=_l("6 digits; a new code appears every 30 seconds."),
        render_kw=CODE_ATTRS | {"inputmode": "numeric"},
    )
    submit = SubmitField(_l("Confirm"))


class StartTwoFactorForm(AppForm):
    password = PasswordField(
        _l("Current password"),
        validators=[DataRequired(REQUIRED), Length(max=256)],
        description=_l("Asked again so that nobody else using your open session can do it."),
        render_kw={"autocomplete": "current-password"},
    )
    submit = SubmitField(_l("Set up two-factor sign-in"))


class DisableTwoFactorForm(AppForm):
    password = PasswordField(
        _l("Current password"),
        validators=[DataRequired(REQUIRED), Length(max=256)],
        render_kw={"autocomplete": "current-password"},
    )
    code = code_field()
    submit = SubmitField(_l("Switch off"))


class RecoveryCodesForm(AppForm):
    code = code_field()
    submit = SubmitField(_l("Make new recovery codes"))


def language_choices() -> list[tuple[str, str]]:
    return [("", _l("Browser or language switch"))] + [
        (code, language_title(code)) for code in ("fr", "en")
    ]


class UserForm(AppForm):
    full_name = StringField(
        _l("Full name"),
        validators=[
            DataRequired(REQUIRED),
            Length(max=FULL_NAME_MAX, message=_l("At most %(max)d characters.")),
        ],
    )
    role = SelectField(
        _l("Role"), choices=Role.choices, validate_choice=False, validators=[InChoices()]
    )
    preferred_language = SelectField(
        _l("Preferred language"), default="", validate_choice=False, validators=[InChoices()]
    )
    area_id = SelectField(
        _l("Area of responsibility"),
        default="",
        validate_choice=False,
        validators=[InChoices()],
        description=_l("The user sees the cases of this area and below."),
    )
    gbv_trained = BooleanField(
        _l("Trained for gender-based violence cases"),
        description=_l(
            "Only trained users (and administrators) open gender-based violence cases. "
            "The change is recorded in the audit trail."
        ),
    )
    submit = SubmitField(_l("Save"))

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.preferred_language.choices = language_choices()
        kinds = [UnitKind.REGION, UnitKind.CERCLE, UnitKind.COMMUNE]
        self.area_id.choices = [("", _l("None (administrators see everything)"))] + [
            (str(unit_id), label) for unit_id, label in unit_choices(kinds)
        ]


class NewUserForm(UserForm):
    username = StringField(
        _l("Username"),
        validators=[
            DataRequired(REQUIRED),
            Length(min=3, max=USERNAME_MAX, message=_l("Between %(min)d and %(max)d characters.")),
        ],
        description=_l("Lower-case letters, digits, dots, hyphens or underscores."),
        render_kw={"autocapitalize": "none", "spellcheck": "false"},
    )
    submit = SubmitField(_l("Create user"))


class ApiTokenForm(AppForm):
    """A personal access token of the API (issue 16)."""

    name = StringField(
        _l("Name"),
        description=_l("What the token is for, e.g. the tablet of the Gao office."),
        validators=[DataRequired(REQUIRED), Length(max=TOKEN_NAME_MAX)],
    )
    scope = SelectField(
        _l("Scope"),
        choices=TokenScope.choices,
        default=TokenScope.READ.value,
        validators=[InChoices()],
    )
    days = Integer(
        _l("Expires after (days)"),
        default=DEFAULT_DAYS,
        validators=[
            InputRequired(REQUIRED),
            NumberRange(1, MAX_DAYS, message=_l("From 1 to %(max)s days.", max=MAX_DAYS)),
        ],
    )
    submit = SubmitField(_l("Make the token"))
