"""What every form view does: validate, apply one service, commit or show the error."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from babel import support
from flask import request
from flask_babel import get_locale
from flask_wtf import FlaskForm
from wtforms import DateField, IntegerField, StringField
from wtforms.i18n import messages_path
from wtforms.validators import DataRequired, InputRequired, Length, Optional, ValidationError

from casework.core import dates
from casework.core.errors import DomainError
from casework.core.routing import MAX_ID
from casework.extensions import db
from casework.i18n import _, _l

REQUIRED = _l("This field is required.")
NOT_A_DATE = _l("Enter a date as YYYY-MM-DD.")
NOT_A_NUMBER = _l("Enter a whole number.")


class InChoices:
    """The submitted value is one of the field's choices (our own translated message)."""

    def __init__(self, message=None):
        self.message = message or _l("Choose one of the values in the list.")

    def __call__(self, form, field):
        submitted = "" if field.data is None else str(field.data)
        if submitted not in {str(value) for value, _label in field.choices}:
            raise ValidationError(self.message)


class AllInChoices(InChoices):
    """Every value of a multiple select is one of the field's choices."""

    def __call__(self, form, field):
        offered = {str(value) for value, _label in field.choices}
        if any(str(value) not in offered for value in field.data or []):
            raise ValidationError(self.message)


class KeptTranslations:
    """WTForms' own messages ("Not a valid integer value.") in the request's language, read
    once per language and process. Flask-WTF reads their catalogue from disk once per request
    that builds a form with such a field (≈1 ms); every form of the app takes these instead
    (``AppForm`` below)."""

    _loaded: dict[str, support.Translations] = {}

    def _translations(self) -> support.Translations:
        locale = get_locale()
        key = str(locale)
        found = self._loaded.get(key)
        if found is None:
            found = self._loaded[key] = support.Translations.load(
                messages_path(), [locale], domain="wtforms"
            )
        return found

    def gettext(self, string: str) -> str:
        return self._translations().ugettext(string)

    def ngettext(self, singular: str, plural: str, n: int) -> str:
        return self._translations().ungettext(singular, plural, n)


_KEPT_TRANSLATIONS = KeptTranslations()


def kept_translations(_meta, _form) -> KeptTranslations:
    return _KEPT_TRANSLATIONS


class AppForm(FlaskForm):
    """The base of every form of the app: Flask-WTF's (CSRF, the request's data), with
    WTForms' own messages read once per language and process."""

    class Meta:
        get_translations = kept_translations


class ConfirmForm(AppForm):
    """A bare form for POST-only actions (sign out, deactivate, reset): just the CSRF token."""


class LanguageForm(AppForm):
    """The language switch: a POST, so that it carries a CSRF token."""

    lang = StringField(validators=[DataRequired(), Length(max=8)])
    next = StringField(validators=[Optional(), Length(max=2000)])


@dataclass(frozen=True)
class Outcome:
    done: bool
    value: Any = None
    status: int = 200


def apply_form(form: FlaskForm, action: Callable[[], Any]) -> Outcome:
    """Run ``action`` when the form is valid, and commit; a refused or invalid POST is a 400
    that changes nothing and shows why on the form."""
    if not form.validate_on_submit():
        return Outcome(False, status=400 if request.method == "POST" else 200)
    try:
        value = action()
    except DomainError as error:
        db.session.rollback()
        form.form_errors.append(str(error))
        return Outcome(False, status=400)
    db.session.commit()
    return Outcome(True, value)


def int_or_none(value) -> int | None:
    """A select field's id (a string, or "" for none) as an int; None when empty, bad, or
    beyond what an id column holds (the database would refuse it with an error)."""
    try:
        number = int(value) if value not in (None, "") else None
    except (TypeError, ValueError):
        return None
    return number if number is None or -MAX_ID <= number <= MAX_ID else None


class InDateWindow:
    """The date (or the day of a date and time) lies in the app's window of dates
    (``casework.core.dates``); ``planned`` for a deadline, which may lie years ahead."""

    def __init__(self, planned: bool = False):
        self.planned = planned

    def __call__(self, form, field):
        if field.data is None or dates.in_window(field.data, planned=self.planned):
            return
        last = dates.latest_planned() if self.planned else dates.latest()
        raise ValidationError(
            _(
                "Enter a date between %(first)s and %(last)s.",
                first=dates.EARLIEST.isoformat(),
                last=last.isoformat(),
            )
        )


class OwnParseError:
    """A field (mixed in before a WTForms field) whose parse error is our own translated
    message, ``parse_error``, rather than WTForms' English one."""

    parse_error: object  # a lazy string, set by each field

    def process_formdata(self, valuelist):
        try:
            super().process_formdata(valuelist)
        except ValueError as error:
            raise ValueError(str(self.parse_error)) from error


class Integer(OwnParseError, IntegerField):
    """A whole number."""

    parse_error = NOT_A_NUMBER


class LocalisedDate(OwnParseError, DateField):
    """A date."""

    parse_error = NOT_A_DATE


def date_field(label, required=True, *, planned: bool = False):
    """Every date of every form and filter: YYYY-MM-DD, within the app's window of dates."""
    validators = [InputRequired(REQUIRED)] if required else [Optional()]
    return LocalisedDate(label, validators=[*validators, InDateWindow(planned)], format="%Y-%m-%d")
