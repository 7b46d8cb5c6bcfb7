"""The report request form (a GET: reading, so no CSRF token)."""

from __future__ import annotations

from wtforms import BooleanField, SelectField, StringField, TextAreaField
from wtforms.validators import DataRequired, Length

from casework.core.forms import REQUIRED, AppForm, InChoices
from casework.i18n import _l
from casework.reports.models import HIGHLIGHTS_MAX


class PeriodicReportForm(AppForm):
    class Meta:
        csrf = False

    period = StringField(
        _l("Period"),
        validators=[DataRequired(REQUIRED), Length(max=40)],
        description=_l(
            "A month (2026-10), a quarter (2026-Q3), a year (2026) or two dates "
            "(2026-01-01..2026-03-31)."
        ),
    )
    area = SelectField(_l("Area"), default="", validate_choice=False, validators=[InChoices()])
    lang = SelectField(
        _l("Language of the report"), validate_choice=False, validators=[InChoices()]
    )
    format = SelectField(_l("Format"), validate_choice=False, validators=[InChoices()])
    anonymised = BooleanField(_l("Anonymised (for partners)"))
    compare = BooleanField(_l("With the previous period beside each figure"))


class HighlightsForm(AppForm):
    """The coordinator's highlights for an area and a period, in French and/or English."""

    period = StringField(
        _l("Period"),
        validators=[DataRequired(REQUIRED), Length(max=40)],
        description=_l("The period of the report, written the same way (2026-Q3, 2026-10…)."),
    )
    area = SelectField(
        _l("Area"), validate_choice=False, validators=[DataRequired(REQUIRED), InChoices()]
    )
    text_fr = TextAreaField(
        _l("Highlights in French"),
        validators=[Length(max=HIGHLIGHTS_MAX)],
        description=_l("A few paragraphs for the authorities: what marked the period."),
    )
    text_en = TextAreaField(
        _l("Highlights in English"),
        validators=[Length(max=HIGHLIGHTS_MAX)],
        description=_l("The same in English, when it is translated (for partners)."),
    )


class CsvOptionsForm(AppForm):
    """How CSV files are written, on the data exports page (a GET)."""

    class Meta:
        csrf = False

    sep = SelectField(
        _l("CSV separator"),
        choices=[],
        default="",
        validate_choice=False,
        validators=[InChoices()],
        description=_l("XLSX files need no choice: they open the same everywhere."),
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.sep.choices = [
            ("", _l("By language: semicolon in French, comma in English")),
            ("semicolon", _l("Semicolon, decimal comma (Excel in French)")),
            ("comma", _l("Comma, decimal point (Excel in English)")),
            ("tab", _l("Tab")),
        ]
