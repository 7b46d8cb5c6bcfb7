"""The forms of closure with approval, the choice after a breach, and a recurrence."""

from __future__ import annotations

from wtforms import SelectField, SubmitField, TextAreaField
from wtforms.validators import Optional

from casework.cases.enums import BreachChoice
from casework.cases.forms import too_long
from casework.cases.models import SHORT_TEXT_MAX
from casework.core.forms import AppForm, InChoices, date_field
from casework.i18n import _l


class ClosureRequestForm(AppForm):
    reason = TextAreaField(
        _l("Why close this case as resolved now"),
        validators=[Optional(), too_long(SHORT_TEXT_MAX)],
        render_kw={"rows": 4},
        description=_l("A few words for the coordinator who approves it."),
    )
    submit = SubmitField(_l("Request the closure"))


class ClosureDecisionForm(AppForm):
    decision = SelectField(
        _l("Decision"),
        choices=lambda: [
            ("", "—"),
            ("approved", _l("Approve: the case is closed as resolved")),
            ("returned", _l("Return the request to the mediator")),
        ],
        validate_choice=False,
        validators=[InChoices()],
    )
    comment = TextAreaField(
        _l("Comment"),
        validators=[Optional(), too_long(SHORT_TEXT_MAX)],
        render_kw={"rows": 3},
        description=_l("Required when you return the request: say what is missing."),
    )
    submit = SubmitField(_l("Confirm"))


class BreachForm(AppForm):
    choice = SelectField(
        _l("What to do"),
        choices=lambda: [("", "—"), *BreachChoice.choices()],
        validate_choice=False,
        validators=[InChoices()],
    )
    reason = TextAreaField(
        _l("Reason"), validators=[Optional(), too_long(SHORT_TEXT_MAX)], render_kw={"rows": 3}
    )
    submit = SubmitField(_l("Confirm"))


class RecurrenceForm(AppForm):
    opened_on = date_field(_l("Date the conflict recurred (reported)"))
    reason = TextAreaField(
        _l("What happened"),
        validators=[Optional(), too_long(SHORT_TEXT_MAX)],
        render_kw={"rows": 3},
    )
    submit = SubmitField(_l("Open the recurrence"))
