"""Vocabulary administration forms: one per screen."""

from __future__ import annotations

from wtforms import BooleanField, StringField, SubmitField
from wtforms.validators import DataRequired, Length, Regexp

from casework.core.forms import REQUIRED, AppForm
from casework.i18n import _l
from casework.vocab.services import CODE_MAX, CODE_RE, CODE_RULE, LABEL_MAX


def _strip(value):
    return value.strip() if isinstance(value, str) else value


LABEL_LENGTH = Length(max=LABEL_MAX, message=_l("At most %(max)d characters."))


class TermForm(AppForm):
    """A term's labels and, for conflict types only, the ★ flag."""

    label_fr = StringField(
        _l("French label"),
        validators=[DataRequired(REQUIRED), LABEL_LENGTH],
        filters=[_strip],
        render_kw={"lang": "fr"},
    )
    label_en = StringField(
        _l("English label"),
        validators=[DataRequired(REQUIRED), LABEL_LENGTH],
        filters=[_strip],
        render_kw={"lang": "en"},
    )
    mandatory_referral = BooleanField(
        _l("Mandatory referral"),
        description=_l(
            "Never mediated as such: a case of this type must be referred to the security "
            "forces or justice."
        ),
    )
    submit = SubmitField(_l("Save"))

    def __init__(self, *args, with_referral_flag: bool = False, **kwargs):
        super().__init__(*args, **kwargs)
        if not with_referral_flag:
            # Only conflict types carry the flag; a tampered POST cannot set it elsewhere.
            del self.mandatory_referral

    @property
    def labels(self) -> dict[str, str]:
        return {"fr": self.label_fr.data, "en": self.label_en.data}

    @property
    def referral_flag(self) -> bool | None:
        """The ★ flag, or None when this vocabulary has none."""
        field = self._fields.get("mandatory_referral")
        return bool(field.data) if field is not None else None


class NewTermForm(TermForm):
    code = StringField(
        _l("Code"),
        validators=[
            DataRequired(REQUIRED),
            Length(max=CODE_MAX, message=_l("At most %(max)d characters.")),
            Regexp(CODE_RE, message=CODE_RULE),
        ],
        filters=[_strip],
        description=_l(
            "Capital letters, digits or underscores, e.g. VOL_BETAIL. Records store the code; "
            "it can never change."
        ),
        render_kw={"autocapitalize": "characters", "spellcheck": "false"},
    )
    submit = SubmitField(_l("Add term"))
