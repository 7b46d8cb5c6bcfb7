"""Forms of the import pages: upload a file, then confirm what its preview showed."""

from __future__ import annotations

from flask_wtf.file import FileAllowed, FileField, FileRequired
from wtforms import BooleanField, HiddenField, SubmitField
from wtforms.validators import DataRequired, Regexp

from casework.core.forms import AppForm
from casework.i18n import _l

UPLOAD_RE = r"^[A-Za-z0-9_-]{16,64}$"


class RegisterUploadForm(AppForm):
    file = FileField(
        _l("Case register"),
        validators=[
            FileRequired(_l("Choose a file.")),
            FileAllowed(["xlsx", "csv"], _l("The file must be an XLSX workbook or a CSV file.")),
        ],
        description=_l("One case a row; the first row names the columns, in French or English."),
        render_kw={"accept": ".xlsx,.csv"},
    )
    submit = SubmitField(_l("Check the file"))


class OdkUploadForm(AppForm):
    file = FileField(
        _l("Export of the submissions"),
        validators=[
            FileRequired(_l("Choose a file.")),
            FileAllowed(["json", "csv"], _l("The file must be a JSON or CSV export.")),
        ],
        description=_l(
            "The JSON export of KoboToolbox or ODK Central, or the CSV of the main sheet."
        ),
        render_kw={"accept": ".json,.csv"},
    )
    parties = FileField(
        _l("Parties (CSV export only)"),
        validators=[FileAllowed(["csv"], _l("The file must be a CSV file (.csv)."))],
        description=_l("The parties' sheet of a CSV export, if the intake form was used."),
        render_kw={"accept": ".csv"},
    )
    submit = SubmitField(_l("Check the file"))


class ConfirmImportForm(AppForm):
    upload = HiddenField(validators=[DataRequired(), Regexp(UPLOAD_RE)])
    skip_invalid = BooleanField(_l("Import the valid rows and leave out the rows to correct"))
    submit = SubmitField(_l("Import"))
