"""The forms of an agreement's terms: a term added or corrected, an instalment paid, a term
marked done or breached."""

from __future__ import annotations

from wtforms import SelectField, StringField, SubmitField, TextAreaField
from wtforms.validators import Optional

from casework.cases.enums import TermStatus
from casework.cases.forms import TermSubForm, count_field, too_long
from casework.cases.models import NAME_MAX, SHORT_TEXT_MAX
from casework.core.checks import MAX_AMOUNT
from casework.core.forms import AppForm, InChoices, date_field
from casework.i18n import _l


class TermForm(AppForm, TermSubForm):
    """One term of an agreement: the agreement form's line, on a screen of its own."""

    submit = SubmitField(_l("Save the term"))


class InstalmentForm(AppForm):
    paid_on = date_field(_l("Date of the payment"))
    amount_paid = count_field(_l("Amount paid (FCFA or heads)"), maximum=MAX_AMOUNT)
    amount_due = count_field(_l("Amount that was due (FCFA or heads)"), maximum=MAX_AMOUNT)
    received_by = StringField(_l("Received by"), validators=[Optional(), too_long(NAME_MAX)])
    submit = SubmitField(_l("Record the instalment"))


def mark_choices() -> list[tuple[str, str]]:
    return [(status.value, status.title) for status in (TermStatus.DONE, TermStatus.BREACHED)]


class TermStatusForm(AppForm):
    status = SelectField(
        _l("The term is"), choices=mark_choices, validate_choice=False, validators=[InChoices()]
    )
    on = date_field(_l("Date"))
    note = TextAreaField(
        _l("Note (for a breach: why, in a few words)"),
        validators=[Optional(), too_long(SHORT_TEXT_MAX)],
        render_kw={"rows": 3},
    )
    submit = SubmitField(_l("Save"))


__all__ = ["InstalmentForm", "TermForm", "TermStatusForm"]
