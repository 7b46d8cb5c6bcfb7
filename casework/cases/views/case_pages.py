"""The case page, editing a case and its parties, status changes, escalation, translation."""

from __future__ import annotations

import sqlalchemy as sa
from flask import abort, flash, redirect, render_template, request, url_for
from flask_babel import get_locale
from flask_login import current_user
from markupsafe import Markup, escape

from casework.audit.fields import rows_for
from casework.audit.models import AuditEntry
from casework.auth.models import User
from casework.cases import services
from casework.cases.access import (
    can_archive,
    can_edit,
    can_purge,
    can_view,
    get_case_or_404,
    knows_case,
    sees_details,
)
from casework.cases.fields import CASE_FIELD
from casework.cases.forms import (
    CaseTranslationForm,
    EditCaseForm,
    EscalateForm,
    PartyForm,
    TransitionForm,
    blank,
    consent_code,
)
from casework.cases.models import (
    Case,
    CaseRevision,
    MediationSession,
    Party,
)
from casework.cases.page import load_case_page
from casework.cases.states import HIGHEST_MEDIATION_LEVEL, REASON_REQUIRED, CaseStatus, LadderLevel
from casework.cases.views.common import (
    S,
    bp,
    case_data,
    fill_case_choices,
    fill_party_choices,
    party_data,
)
from casework.core.errors import DomainError
from casework.core.forms import apply_form, int_or_none
from casework.core.pagination import paginate
from casework.extensions import db
from casework.geo.models import AdminUnit
from casework.i18n import _
from casework.permissions import Action, Resource, requires
from casework.vocab import services as vocab


@bp.app_template_global()
def case_known(case: Case | None) -> bool:
    """Whether the case exists for the signed-in user (a secret case only for its own)."""
    return case is not None and knows_case(current_user, case)


@bp.app_template_global()
def case_details_shown(case: Case) -> bool:
    """Whether the signed-in user reads the sensitive parts of the case (restricted ones)."""
    return sees_details(current_user, case)


@bp.route("/cases/<int:case_id>")
@requires(Resource.CASE, Action.VIEW)
def view_case(case_id: int):
    case = get_case_or_404(case_id)
    return render_template(
        "cases/view_case.html",
        case=case,
        label=vocab.label,
        S=S,
        can_edit=can_edit(current_user, case),
        can_archive=can_archive(current_user, case),
        can_purge=can_purge(current_user),
        **load_case_page(case),
        **services.closure_page(case, current_user),
    )


@bp.route("/cases/<int:case_id>/history")
@requires(Resource.CASE, Action.VIEW)
def case_history(case_id: int):
    """The case's own audit trail (the trail is below cases: it names the case by id)."""
    case = get_case_or_404(case_id)
    statement = sa.select(AuditEntry).where(AuditEntry.case_id == case.id)
    listing = paginate(statement, [AuditEntry.seq.desc()])
    return render_template(
        "cases/case_history.html", case=case, listing=listing, rows=rows_for(listing.rows)
    )


@bp.route("/cases/<int:case_id>/edit", methods=["GET", "POST"])
@requires(Resource.CASE, Action.EDIT)
def edit_case(case_id: int):
    case = get_case_or_404(case_id, need="edit")
    form = EditCaseForm(obj=case)
    fill_case_choices(form, case)
    if request.method == "GET":
        form.unit_id.data = str(case.unit_id)
        form.assigned_mediator_id.data = str(case.assigned_mediator_id or "")
        form.narrative_lang.data = case.narrative_lang or ""
        form.version.data = str(case.version)
    if form.validate_on_submit():
        expected = int_or_none(form.version.data) or 0
        try:
            services.update_case(case, case_data(form), expected, current_user)
        except services.EditConflict as conflict:
            db.session.commit()  # keep the refused edit as a conflicting revision
            return render_conflict(case, conflict.revision)
        except DomainError as error:
            db.session.rollback()
            form.form_errors.append(str(error))
            return render_template("cases/edit_case.html", form=form, case=case), 400
        except sa.orm.exc.StaleDataError:
            db.session.rollback()
            flash(_("Someone else changed this case after you opened it."), "warning")
            return redirect(url_for("cases.edit_case", case_id=case_id))
        db.session.commit()
        flash(_("Case %(reference)s saved.", reference=case.reference), "success")
        if not can_view(current_user, case):  # made secret, or given to another mediator
            return redirect(url_for("cases.list_cases"))
        return redirect(url_for("cases.view_case", case_id=case.id))
    status = 400 if request.method == "POST" else 200
    return render_template("cases/edit_case.html", form=form, case=case), status


@bp.route("/cases/<int:case_id>/conflict")
@requires(Resource.CASE, Action.EDIT)
def show_conflict(case_id: int):
    """The user's last refused edit of the case beside the saved version: where an edit sent
    later (from the offline queue, through the API) is shown when the case changed since."""
    case = get_case_or_404(case_id, need="edit")
    revision = db.session.scalars(
        sa.select(CaseRevision)
        .where(CaseRevision.case_id == case.id, CaseRevision.kind == "conflict")
        .where(CaseRevision.by_id == current_user.id)
        .order_by(CaseRevision.id.desc())
        .limit(1)
    ).first()
    if revision is None:
        abort(404)
    page, _refused = render_conflict(case, revision)
    return page


def render_conflict(case: Case, revision: CaseRevision):
    current = db.session.scalars(
        sa.select(CaseRevision)
        .where(CaseRevision.case_id == case.id, CaseRevision.kind == "saved")
        .order_by(CaseRevision.id.desc())
        .limit(1)
    ).first()
    theirs = current.data if current else {}
    yours = revision.data
    fields = [name for name in services.EDITABLE_FIELDS if theirs.get(name) != yours.get(name)]
    return render_template(
        "cases/conflict.html",
        case=case,
        theirs=theirs,
        yours=yours,
        fields=fields,
        saved_by=current.by if current else None,
        field_label=field_label,
        show=lambda name, value: show_value(name, value),
    ), 409


def field_label(name: str) -> str:
    spec = CASE_FIELD.get(name)
    return str(spec.label) if spec is not None else name


def show_value(name: str, value) -> str:
    if value in (None, ""):
        return "—"
    spec = CASE_FIELD.get(name)
    if spec is not None and spec.vocabulary:
        return vocab.label(spec.vocabulary, value)
    if name == "unit_id":
        unit = db.session.get(AdminUnit, value)
        return unit.label if unit else str(value)
    if name == "assigned_mediator_id":
        user = db.session.get(User, value)
        return user.full_name if user else str(value)
    return str(value)


# --- parties --------------------------------------------------------------------------------


@bp.route("/cases/<int:case_id>/parties/new", methods=["GET", "POST"])
@requires(Resource.CASE, Action.EDIT)
def add_party(case_id: int):
    case = get_case_or_404(case_id, need="edit")
    form = PartyForm()
    fill_party_choices(form)
    outcome = apply_form(form, lambda: services.add_party(case, party_data(form), current_user))
    if outcome.done:
        flash(_("Party added."), "success")
        return redirect(url_for("cases.view_case", case_id=case.id))
    return render_template(
        "cases/edit_party.html", form=form, case=case, party=None
    ), outcome.status


@bp.route("/cases/<int:case_id>/parties/<int:party_id>/edit", methods=["GET", "POST"])
@requires(Resource.CASE, Action.EDIT)
def edit_party(case_id: int, party_id: int):
    case = get_case_or_404(case_id, need="edit")
    party = db.session.get(Party, party_id)
    if party is None or party.case_id != case.id:
        abort(404)
    form = PartyForm(obj=party)
    fill_party_choices(form, party)
    if request.method == "GET":
        form.consent_to_share.data = consent_code(party.consent)
        form.fraction_id.data = str(party.fraction_id or "")
    outcome = apply_form(form, lambda: services.update_party(party, party_data(form), current_user))
    if outcome.done:
        flash(_("Party saved."), "success")
        return redirect(url_for("cases.view_case", case_id=case.id))
    return render_template(
        "cases/edit_party.html", form=form, case=case, party=party
    ), outcome.status


# --- the workflow ---------------------------------------------------------------------------


@bp.route("/cases/<int:case_id>/status/<target>", methods=["GET", "POST"])
@requires(Resource.CASE, Action.TRANSITION)
def change_status(case_id: int, target: str):
    case = get_case_or_404(case_id, need="edit")
    if target not in CaseStatus.values():
        abort(404)
    target_status = CaseStatus(target)
    form = TransitionForm(target=target)
    form.outcome.choices = blank(_("Usual outcome")) + vocab.choices("outcome")
    outcome = apply_form(
        form,
        lambda: services.transition(
            case,
            target_status,
            current_user,
            reason=form.reason.data,
            outcome=form.outcome.data or None,
        ),
    )
    if outcome.done:
        flash(
            _(
                "Case %(reference)s is now “%(status)s”.",
                reference=case.reference,
                status=target_status.title,
            ),
            "success",
        )
        return redirect(url_for("cases.view_case", case_id=case.id))
    return render_template(
        "cases/change_status.html",
        form=form,
        case=case,
        target=target_status,
        reason_required=target_status in REASON_REQUIRED,
        closing=target_status.is_closed,
    ), outcome.status


@bp.route("/cases/<int:case_id>/escalate", methods=["GET", "POST"])
@requires(Resource.CASE, Action.TRANSITION)
def escalate_case(case_id: int):
    case = get_case_or_404(case_id, need="edit")
    form = EscalateForm()
    form.to_level.choices = [("", _("one level up"))] + [
        (value, title)
        for value, title in LadderLevel.choices()
        if case.ladder_level < int(value) <= HIGHEST_MEDIATION_LEVEL
    ]
    outcome = apply_form(
        form,
        lambda: services.escalate(
            case, current_user, form.reason.data, to_level=int_or_none(form.to_level.data)
        ),
    )
    if outcome.done:
        flash(
            _(
                "The case climbed to level %(level)s: %(title)s.",
                level=case.ladder_level,
                title=case.level_enum.title,
            ),
            "success",
        )
        return redirect(url_for("cases.view_case", case_id=case.id))
    return render_template("cases/escalate.html", form=form, case=case), outcome.status


@bp.route("/cases/<int:case_id>/translate", methods=["GET", "POST"])
@requires(Resource.CASE, Action.EDIT)
def translate_case(case_id: int):
    case = get_case_or_404(case_id, need="edit")
    form = CaseTranslationForm()
    if request.method == "GET":
        form.translation.data = case.narrative_translation
        form.title_translation.data = case.title_translation
    if not case.narrative:
        del form.translation
    outcome = apply_form(
        form,
        lambda: services.translate_narrative(
            case,
            form.translation.data if "translation" in form else None,
            current_user,
            title=form.title_translation.data,
        ),
    )
    if outcome.done:
        flash(_("Translation saved."), "success")
        return redirect(url_for("cases.view_case", case_id=case.id))
    source = case.narrative_lang or case.title_lang
    target = "en" if source == "fr" else "fr"
    return render_template(
        "cases/translate_case.html", form=form, case=case, source=source, target=target
    ), outcome.status


def in_reader_language(text: str, lang: str | None, translation: str | None):
    """The text in the reader's language when a translation exists; else the original with
    the language it is written in (None when no note is needed)."""
    reader = str(get_locale())
    if lang and lang != reader and translation:
        return translation, None
    if lang and lang != reader:
        return text, lang
    return text, None


@bp.app_template_global()
def narrative_for(case: Case) -> tuple[str, str | None]:
    return in_reader_language(case.narrative, case.narrative_lang, case.narrative_translation)


@bp.app_template_global()
def case_title(case: Case) -> Markup:
    """The title in the reader's language when translated; else the original, marked with
    its language (so that a reader's screen reader, and the language checks, know it)."""
    text, lang = in_reader_language(case.title, case.title_lang, case.title_translation)
    if lang:
        return Markup('<span lang="{}">{}</span>').format(lang, text)
    return escape(text)


@bp.app_template_global()
def minutes_for(session: MediationSession) -> tuple[str, str | None]:
    return in_reader_language(session.minutes, session.minutes_lang, session.minutes_translation)
