"""The audit viewer's filters."""

from __future__ import annotations

from flask_wtf import FlaskForm
from wtforms import DateField, SelectField, StringField
from wtforms.validators import Length, Optional

from casework.audit.fields import ACTION_TITLES, OBJECT_TITLES
from casework.i18n import _, _l


class AuditFilterForm(FlaskForm):
    class Meta:
        csrf = False  # a GET search form

    user = StringField(_l("User"), validators=[Optional(), Length(max=80)])
    action = SelectField(_l("Action"), choices=[], validators=[Optional()])
    object_type = SelectField(_l("Record"), choices=[], validators=[Optional()])
    case = StringField(_l("Case reference"), validators=[Optional(), Length(max=40)])
    date_from = DateField(_l("From"), validators=[Optional()])
    date_to = DateField(_l("To"), validators=[Optional()])

    def fill_choices(self) -> None:
        anything = [("", _("Any"))]
        self.action.choices = anything + [(code, str(t)) for code, t in ACTION_TITLES.items()]
        self.object_type.choices = anything + sorted(
            ((code, str(t)) for code, t in OBJECT_TITLES.items()), key=lambda item: item[1]
        )
