"""Forms of the geo domain."""

from __future__ import annotations

from flask_wtf.file import FileAllowed, FileField, FileRequired
from wtforms import SubmitField

from casework.core.forms import AppForm
from casework.i18n import _l


class ImportUnitsForm(AppForm):
    file = FileField(
        _l("CSV file"),
        validators=[
            FileRequired(_l("Choose a CSV file.")),
            FileAllowed(["csv", "txt"], _l("The file must be a CSV file (.csv).")),
        ],
        description=_l("UTF-8 text, one unit per line; the first line names the columns."),
        render_kw={"accept": ".csv,text/csv"},
    )
    submit = SubmitField(_l("Import"))
    # A second button rather than a checkbox: one tap, and no doubt about what it does.
    check_only = SubmitField(_l("Only check the file"))
