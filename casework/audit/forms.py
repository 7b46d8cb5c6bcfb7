"""The audit viewer's filters."""

from __future__ import annotations

from wtforms import SelectField, StringField
from wtforms.validators import Length, Optional

from casework.audit.fields import ACTION_TITLES, OBJECT_TITLES
from casework.core.forms import AppForm, date_field
from casework.i18n import _, _l


class AuditFilterForm(AppForm):
    class Meta:
        csrf = False  # a GET search form

    user = StringField(_l("User"), validators=[Optional(), Length(max=80)])
    action = SelectField(_l("Action"), choices=[], validators=[Optional()])
    object_type = SelectField(_l("Record"), choices=[], validators=[Optional()])
    case = StringField(_l("Case reference"), validators=[Optional(), Length(max=40)])
    date_from = date_field(_l("From"), required=False)
    date_to = date_field(_l("To"), required=False)

    def fill_choices(self) -> None:
        anything = [("", _("Any"))]
        self.action.choices = anything + [(code, str(t)) for code, t in ACTION_TITLES.items()]
        self.object_type.choices = anything + sorted(
            ((code, str(t)) for code, t in OBJECT_TITLES.items()), key=lambda item: item[1]
        )
