"""Screens of mediation cases. Each view: load (404), check access (403), validate the form,
call one service, commit, flash, redirect."""

from __future__ import annotations

import sqlalchemy as sa
from flask import Blueprint, abort, flash, redirect, render_template, request, url_for
from flask_babel import get_locale
from flask_login import current_user

from casework.audit.fields import rows_for
from casework.audit.models import AuditEntry
from casework.auth.models import User
from casework.cases import services
from casework.cases.access import (
    area_clause,
    area_unit_choices,
    can_archive,
    can_edit,
    can_purge,
    can_see_details,
    can_view,
    colleague_clause,
    get_case_or_404,
    in_area,
    knows_case,
    sees_details,
)
from casework.cases.enums import (
    AgeBand,
    Compliance,
    Confidentiality,
    PartyKind,
    PartyRole,
    SessionResult,
    Sex,
)
from casework.cases.enums import AgreementForm as AgreementFormKind
from casework.cases.forms import (
    ActorForm,
    AgreementRecordForm,
    ArchiveForm,
    CaseFilterForm,
    CivilCaseForm,
    EditCaseForm,
    EscalateForm,
    FeedbackForm,
    FollowUpForm,
    IntakeForm,
    PartyForm,
    PurgeForm,
    ReferralForm,
    RestoreForm,
    SessionForm,
    TransitionForm,
    TranslationForm,
    blank,
    consent_code,
    consent_value,
    language_choices,
)
from casework.cases.models import (
    Actor,
    Case,
    CaseRevision,
    FollowUp,
    MediationSession,
    Party,
    Referral,
)
from casework.cases.page import load_case_page
from casework.cases.states import REASON_REQUIRED, CaseStatus, LadderLevel
from casework.core.errors import DomainError
from casework.core.forms import ConfirmForm, Outcome, apply_form, int_or_none
from casework.core.pagination import paginate
from casework.db import utcnow
from casework.enums import title_filter
from casework.extensions import db
from casework.geo.models import AdminUnit
from casework.i18n import _
from casework.permissions import Action, Resource, requires
from casework.roles import Role
from casework.vocab import services as vocab

bp = Blueprint("cases", __name__)
S = CaseStatus


for _name, _enum in {
    "party_role": PartyRole,
    "party_kind": PartyKind,
    "sex": Sex,
    "age_band": AgeBand,
    "session_result": SessionResult,
    "agreement_form": AgreementFormKind,
    "compliance": Compliance,
    "confidentiality": Confidentiality,
}.items():
    bp.add_app_template_filter(title_filter(_enum), _name)


# --- choices --------------------------------------------------------------------------------


def unit_choices(include_id: int | None = None) -> list[tuple[str, str]]:
    """The places the user may choose: their area and below (everything for an admin)."""
    return blank(_("Choose a place")) + area_unit_choices(include=include_id)


def mediator_choices(include_id: int | None = None) -> list[tuple[str, str]]:
    users = db.session.execute(
        sa.select(User.id, User.full_name)  # two columns, not whole users (every list page)
        .where(User.role.in_([Role.MEDIATOR.value, Role.COORDINATOR.value]))
        .where(colleague_clause(current_user) | (User.id == (include_id or 0)))
        .where(sa.or_(User.is_active.is_(True), User.id == (include_id or 0)))
        .order_by(User.full_name)
    )
    return blank(_("Nobody yet")) + [(str(user_id), name) for user_id, name in users]


def fill_case_choices(form, case: Case | None = None) -> None:
    form.unit_id.choices = unit_choices(case.unit_id if case else None)
    form.channel.choices = blank() + vocab.choices(
        "reporting_channel", include=case.channel if case else None
    )
    starred = vocab.mandatory_referral_codes()
    form.conflict_type.choices = blank() + [
        (code, f"{label} ★" if code in starred else label)
        for code, label in vocab.choices(
            "conflict_type", include=case.conflict_type if case else None
        )
    ]
    form.scope.choices = blank() + vocab.choices("scope", include=case.scope if case else None)
    form.narrative_lang.choices = language_choices()
    form.assigned_mediator_id.choices = mediator_choices(
        case.assigned_mediator_id if case else None
    )


def fill_party_choices(form) -> None:
    form.livelihood.choices = blank() + vocab.choices("livelihood", include=form.livelihood.data)


def case_data(form) -> services.CaseData:
    reason = getattr(form, "confidentiality_reason", None)  # on the edit form only
    return services.CaseData(
        unit_id=int_or_none(form.unit_id.data),
        event_date=form.event_date.data,
        reported_on=form.reported_on.data,
        channel=form.channel.data,
        conflict_type=form.conflict_type.data,
        scope=form.scope.data,
        title=form.title.data or "",
        narrative=form.narrative.data or "",
        narrative_lang=form.narrative_lang.data or None,
        persons_affected=form.persons_affected.data,
        deaths=form.deaths.data or 0,
        injuries_serious=form.injuries_serious.data or 0,
        injuries_minor=form.injuries_minor.data or 0,
        damage_text=form.damage_text.data,
        damage_fcfa=form.damage_fcfa.data,
        livestock_heads=form.livestock_heads.data,
        confidentiality=form.confidentiality.data,
        assigned_mediator_id=int_or_none(form.assigned_mediator_id.data),
        confidentiality_reason=reason.data if reason is not None else None,
    )


def party_data(form) -> services.PartyData:
    return services.PartyData(
        role=form.role.data,
        name=form.name.data or "",
        kind=form.kind.data,
        sex=form.sex.data,
        age_band=form.age_band.data,
        livelihood=form.livelihood.data or None,
        community=form.community.data,
        consent_to_share=consent_value(form.consent_to_share.data),
    )


# --- list and search ------------------------------------------------------------------------


@bp.route("/cases")
@requires(Resource.CASE, Action.VIEW)
def list_cases():
    form = CaseFilterForm(request.args)
    form.area.choices = [("", _("My whole area"))] + unit_choices()[1:]
    form.type.choices = blank(_("All types")) + vocab.choices("conflict_type")
    form.status.choices = blank(_("All statuses")) + CaseStatus.choices()
    form.level.choices = blank(_("All levels")) + LadderLevel.choices()
    form.mediator.choices = [("", _("Anyone"))] + mediator_choices()[1:]
    valid = form.validate() if request.args else True
    filters = services.CaseFilters()
    page, after, before = 1, None, None
    if valid:
        filters = services.CaseFilters(
            area_id=int_or_none(form.area.data),
            conflict_type=form.type.data or None,
            status=form.status.data or None,
            ladder_level=int_or_none(form.level.data),
            reported_from=form.reported_from.data,
            reported_to=form.reported_to.data,
            mediator_id=int_or_none(form.mediator.data),
            text=form.q.data,
            archived=form.archived.data or "no",
        )
        page = form.page.data or 1
        after = services.parse_cursor(request.args.get("after"))
        before = services.parse_cursor(request.args.get("before"))
    listing = services.case_listing(current_user, filters, page, after=after, before=before)
    return render_template(
        "cases/list_cases.html",
        form=form,
        listing=listing,
        valid=valid,
        label=vocab.label,
    ), (200 if valid else 400)


@bp.route("/follow-ups")
@requires(Resource.CASE, Action.VIEW)
def follow_ups_due():
    due = services.follow_ups_due(current_user)
    return render_template("cases/follow_ups_due.html", due=due, today=utcnow().date())


# --- intake ---------------------------------------------------------------------------------


@bp.route("/cases/new", methods=["GET", "POST"])
@requires(Resource.CASE, Action.CREATE)
def new_case():
    form = IntakeForm()
    fill_case_choices(form)
    for entry in form.parties:
        fill_party_choices(entry.form)
    if request.method == "GET":
        form.reported_on.data = utcnow().date()
        form.parties[0].form.role.data = "complainant"
        form.parties[1].form.role.data = "respondent"
        if current_user.has_role(Role.MEDIATOR):
            form.assigned_mediator_id.data = str(current_user.id)
    duplicates: list[Case] = []
    confidential_match = False
    outcome = Outcome(False, status=200)
    if form.validate_on_submit():
        parties = [
            party_data(entry.form) for entry in form.parties if (entry.form.name.data or "").strip()
        ]
        # Once the user ticked "not a duplicate", the check is not run again before saving.
        if not form.not_a_duplicate.data:
            duplicates, confidential_match = _duplicates(form, parties)
        if not duplicates and not confidential_match:
            outcome = apply_form(
                form, lambda: services.register_case(case_data(form), parties, current_user)
            )
            if outcome.done:
                flash(
                    _("Case %(reference)s recorded.", reference=outcome.value.reference), "success"
                )
                if not _visible(outcome.value):  # a secret case assigned to someone else
                    return redirect(url_for("cases.list_cases"))
                return redirect(url_for("cases.view_case", case_id=outcome.value.id))
            if form.not_a_duplicate.data:  # refused: the likely duplicates are shown again
                duplicates, confidential_match = _duplicates(form, parties)
    elif request.method == "POST":
        outcome = Outcome(False, status=400)
    return render_template(
        "cases/new_case.html",
        form=form,
        duplicates=duplicates,
        confidential_match=confidential_match,
        label=vocab.label,
    ), outcome.status


def _duplicates(form, parties: list[services.PartyData]) -> tuple[list[Case], bool]:
    """The likely duplicates the user may see in full, and whether a confidential case
    (secret, or restricted and not theirs) may match too: that one is never named."""
    found = services.likely_duplicates(
        int_or_none(form.unit_id.data), form.event_date.data, [p.name for p in parties]
    )
    shown = [c for c in found if can_see_details(current_user, c)]
    confidential = any(
        in_area(current_user, c.unit) and not can_see_details(current_user, c) for c in found
    )
    return shown, confidential


def _visible(case: Case) -> bool:
    return can_view(current_user, case)


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
    form = EditCaseForm(meta={"csrf": False}, formdata=None)
    field = getattr(form, name, None)
    return str(field.label.text) if field is not None else name


def show_value(name: str, value) -> str:
    if value in (None, ""):
        return "—"
    vocabularies = {
        "channel": "reporting_channel",
        "conflict_type": "conflict_type",
        "scope": "scope",
    }
    if name in vocabularies:
        return vocab.label(vocabularies[name], value)
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
    fill_party_choices(form)
    if request.method == "GET":
        form.consent_to_share.data = consent_code(party.consent)
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
    outcome = apply_form(form, lambda: services.escalate(case, current_user, form.reason.data))
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


@bp.route("/cases/<int:case_id>/sessions/new", methods=["GET", "POST"])
@requires(Resource.CASE, Action.EDIT)
def record_session(case_id: int):
    case = get_case_or_404(case_id, need="edit")
    form = SessionForm()
    form.place.choices = blank() + vocab.choices("session_place")
    form.mechanism.choices = blank() + vocab.choices("resolution_mechanism")
    form.minutes_lang.choices = language_choices()
    actors = db.session.scalars(
        sa.select(Actor)
        .where(Actor.is_active.is_(True))
        .where(sa.or_(Actor.unit_id.is_(None), area_clause(current_user, Actor.unit_id)))
        .order_by(Actor.name)
    ).all()
    form.actor_ids.choices = [
        (a.id, f"{a.name} ({vocab.label('actor_type', a.actor_type)})") for a in actors
    ]
    if request.method == "GET":
        form.held_on.data = utcnow().date()
    notes = {party.id: request.form.get(f"note-{party.id}", "") for party in case.parties}
    outcome = apply_form(
        form,
        lambda: services.record_session(
            case,
            services.SessionData(
                held_on=form.held_on.data,
                place=form.place.data,
                mechanism=form.mechanism.data,
                result=form.result.data,
                women=form.women.data or 0,
                men=form.men.data or 0,
                youth=form.youth.data or 0,
                minutes=form.minutes.data or "",
                minutes_lang=form.minutes_lang.data or None,
                actor_ids=list(form.actor_ids.data or []),
                private_notes=notes,
            ),
            current_user,
        ),
    )
    if outcome.done:
        flash(_("Session recorded."), "success")
        return redirect(url_for("cases.view_case", case_id=case.id))
    return render_template(
        "cases/record_session.html", form=form, case=case, notes=notes
    ), outcome.status


@bp.route("/cases/<int:case_id>/sessions/<int:session_id>")
@requires(Resource.CASE, Action.VIEW)
def view_session(case_id: int, session_id: int):
    case = get_case_or_404(case_id)
    session = db.session.get(MediationSession, session_id)
    if session is None or session.case_id != case.id:
        abort(404)
    return render_template("cases/view_session.html", case=case, session=session, label=vocab.label)


@bp.route("/cases/<int:case_id>/sessions/<int:session_id>/translate", methods=["GET", "POST"])
@requires(Resource.CASE, Action.EDIT)
def translate_minutes(case_id: int, session_id: int):
    case = get_case_or_404(case_id, need="edit")
    session = db.session.get(MediationSession, session_id)
    if session is None or session.case_id != case.id:
        abort(404)
    form = TranslationForm()
    if request.method == "GET" and session.minutes_translation:
        form.translation.data = session.minutes_translation
    outcome = apply_form(
        form, lambda: services.translate_minutes(session, form.translation.data, current_user)
    )
    if outcome.done:
        flash(_("Translation saved."), "success")
        return redirect(url_for("cases.view_session", case_id=case.id, session_id=session.id))
    return render_template(
        "cases/translate_minutes.html",
        form=form,
        case=case,
        session=session,
        target="en" if session.minutes_lang == "fr" else "fr",
    ), outcome.status


@bp.route("/cases/<int:case_id>/agreement/new", methods=["GET", "POST"])
@requires(Resource.CASE, Action.EDIT)
def record_agreement(case_id: int):
    case = get_case_or_404(case_id, need="edit")
    form = AgreementRecordForm()
    form.outcome.choices = blank() + [
        (code, label)
        for code, label in vocab.choices("outcome")
        if code in services.AGREEMENT_OUTCOMES
    ]
    parties = blank(_("Both parties")) + [(str(p.id), p.name) for p in case.parties]
    for entry in form.terms:
        entry.form.obliged_party_id.choices = parties
    if request.method == "GET":
        form.concluded_on.data = utcnow().date()
    outcome = apply_form(
        form,
        lambda: services.record_agreement(
            case,
            services.AgreementData(
                concluded_on=form.concluded_on.data,
                form=form.form.data,
                outcome=form.outcome.data,
                compensation_fcfa=form.compensation_fcfa.data,
                livestock_heads=form.livestock_heads.data,
                diya=form.diya.data,
                restitution=form.restitution.data,
                signatories=form.signatories.data,
                witnesses=form.witnesses.data,
                terms=[
                    services.TermData(
                        description=entry.form.description.data or "",
                        obliged_party_id=int_or_none(entry.form.obliged_party_id.data),
                        due_on=entry.form.due_on.data,
                    )
                    for entry in form.terms
                ],
            ),
            current_user,
        ),
    )
    if outcome.done:
        flash(_("Agreement recorded; follow-up visits are scheduled."), "success")
        return redirect(url_for("cases.view_case", case_id=case.id))
    return render_template("cases/record_agreement.html", form=form, case=case), outcome.status


@bp.route("/cases/<int:case_id>/referrals/new", methods=["GET", "POST"])
@requires(Resource.CASE, Action.EDIT)
def record_referral(case_id: int):
    case = get_case_or_404(case_id, need="edit")
    form = ReferralForm()
    form.target.choices = blank() + vocab.choices("referral_target")
    if request.method == "GET":
        form.referred_on.data = utcnow().date()
    outcome = apply_form(
        form,
        lambda: services.record_referral(
            case,
            services.ReferralData(
                referred_on=form.referred_on.data,
                target=form.target.data,
                reason=form.reason.data or "",
                from_institution=form.from_institution.data,
                emergency_override=bool(form.emergency_override.data),
                override_reason=form.override_reason.data,
            ),
            current_user,
        ),
    )
    if outcome.done:
        if outcome.value.emergency_override:
            flash(_("Referral recorded under an emergency override."), "warning")
        else:
            flash(_("Referral recorded."), "success")
        return redirect(url_for("cases.view_case", case_id=case.id))
    return render_template(
        "cases/record_referral.html",
        form=form,
        case=case,
        without_consent=services.parties_without_consent(case),
        authority_targets=", ".join(
            label
            for code, label in vocab.choices("referral_target")
            if services.needs_consent(code)
        ),
    ), outcome.status


# --- archive, restore, purge ----------------------------------------------------------------


def get_case_to_archive(case_id: int) -> Case:
    """Load the case (404) that the signed-in coordinator or admin may archive (403)."""
    case = get_case_or_404(case_id)
    if not can_archive(current_user, case):
        abort(403)
    return case


@bp.route("/cases/<int:case_id>/archive", methods=["GET", "POST"])
@requires(Resource.CASE, Action.ADMINISTER)
def archive_case(case_id: int):
    case = get_case_to_archive(case_id)
    form = ArchiveForm()
    outcome = apply_form(form, lambda: services.archive_case(case, form.reason.data, current_user))
    if outcome.done:
        flash(_("Case %(reference)s archived.", reference=case.reference), "success")
        return redirect(url_for("cases.view_case", case_id=case.id))
    return render_template("cases/archive_case.html", form=form, case=case), outcome.status


@bp.route("/cases/<int:case_id>/restore", methods=["GET", "POST"])
@requires(Resource.CASE, Action.ADMINISTER)
def restore_case(case_id: int):
    case = get_case_to_archive(case_id)
    form = RestoreForm()
    outcome = apply_form(form, lambda: services.restore_case(case, current_user))
    if outcome.done:
        flash(_("Case %(reference)s restored.", reference=case.reference), "success")
        return redirect(url_for("cases.view_case", case_id=case.id))
    return render_template("cases/restore_case.html", form=form, case=case), outcome.status


@bp.route("/cases/<int:case_id>/purge", methods=["GET", "POST"])
@requires(Resource.PURGE, Action.ADMINISTER)
def purge_case(case_id: int):
    case = get_case_or_404(case_id)
    if not can_purge(current_user):
        abort(403)
    form = PurgeForm()
    outcome = apply_form(
        form,
        lambda: services.purge_case(
            case, form.reason.data, current_user, confirmation=form.confirmation.data
        ),
    )
    if outcome.done:
        flash(
            _(
                "Case %(reference)s and its records were purged from the database.",
                reference=outcome.value.reference,
            ),
            "warning",
        )
        return redirect(url_for("cases.list_cases", archived="yes"))
    return render_template("cases/purge_case.html", form=form, case=case), outcome.status


@bp.route("/cases/<int:case_id>/referrals/<int:referral_id>/feedback", methods=["GET", "POST"])
@requires(Resource.CASE, Action.EDIT)
def record_feedback(case_id: int, referral_id: int):
    case = get_case_or_404(case_id, need="edit")
    referral = db.session.get(Referral, referral_id)
    if referral is None or referral.case_id != case.id:
        abort(404)
    form = FeedbackForm()
    if request.method == "GET":
        form.feedback_on.data = utcnow().date()
    outcome = apply_form(
        form,
        lambda: services.record_referral_feedback(
            referral,
            feedback_on=form.feedback_on.data,
            feedback=form.feedback.data or "",
            result=form.result.data,
            by=current_user,
            back_to_level=int_or_none(form.back_to_level.data),
        ),
    )
    if outcome.done:
        flash(_("Feedback recorded."), "success")
        return redirect(url_for("cases.view_case", case_id=case.id))
    return render_template(
        "cases/record_feedback.html", form=form, case=case, referral=referral, label=vocab.label
    ), outcome.status


@bp.route("/cases/<int:case_id>/follow-ups/<int:follow_up_id>", methods=["GET", "POST"])
@requires(Resource.CASE, Action.EDIT)
def record_follow_up(case_id: int, follow_up_id: int):
    case = get_case_or_404(case_id, need="edit")
    follow_up = db.session.get(FollowUp, follow_up_id)
    if follow_up is None or follow_up.case_id != case.id:
        abort(404)
    form = FollowUpForm()
    if request.method == "GET":
        form.done_on.data = utcnow().date()
    outcome = apply_form(
        form,
        lambda: services.record_follow_up(
            follow_up,
            services.FollowUpData(
                done_on=form.done_on.data, compliance=form.compliance.data, notes=form.notes.data
            ),
            current_user,
        ),
    )
    if outcome.done:
        if outcome.value is not None:
            flash(
                _(
                    "Agreement not respected: case %(reference)s closed unresolved and "
                    "recurrence %(new)s opened.",
                    reference=case.reference,
                    new=outcome.value.reference,
                ),
                "warning",
            )
            return redirect(url_for("cases.view_case", case_id=outcome.value.id))
        flash(_("Follow-up visit recorded."), "success")
        return redirect(url_for("cases.view_case", case_id=case.id))
    return render_template(
        "cases/record_follow_up.html", form=form, case=case, follow_up=follow_up
    ), outcome.status


@bp.route("/cases/<int:case_id>/translate", methods=["GET", "POST"])
@requires(Resource.CASE, Action.EDIT)
def translate_case(case_id: int):
    case = get_case_or_404(case_id, need="edit")
    form = TranslationForm()
    if request.method == "GET" and case.narrative_translation:
        form.translation.data = case.narrative_translation
    outcome = apply_form(
        form, lambda: services.translate_narrative(case, form.translation.data, current_user)
    )
    if outcome.done:
        flash(_("Translation saved."), "success")
        return redirect(url_for("cases.view_case", case_id=case.id))
    target = "en" if case.narrative_lang == "fr" else "fr"
    return render_template(
        "cases/translate_case.html", form=form, case=case, target=target
    ), outcome.status


@bp.route("/cases/<int:case_id>/civil-case", methods=["GET", "POST"])
@requires(Resource.CASE, Action.TRANSITION)
def open_civil_case(case_id: int):
    case = get_case_or_404(case_id, need="edit")
    form = CivilCaseForm()
    starred = vocab.mandatory_referral_codes()
    form.conflict_type.choices = blank() + [
        c for c in vocab.choices("conflict_type") if c[0] not in starred
    ]
    if request.method == "GET":
        form.title.data = _("Compensation between the families: %(title)s", title=case.title)[:200]
    outcome = apply_form(
        form,
        lambda: services.open_linked_case(
            case, current_user, conflict_type=form.conflict_type.data, title=form.title.data
        ),
    )
    if outcome.done:
        flash(_("Civil case %(reference)s opened.", reference=outcome.value.reference), "success")
        return redirect(url_for("cases.view_case", case_id=outcome.value.id))
    return render_template("cases/open_civil_case.html", form=form, case=case), outcome.status


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
def minutes_for(session: MediationSession) -> tuple[str, str | None]:
    return in_reader_language(session.minutes, session.minutes_lang, session.minutes_translation)


# --- the registry of actors -----------------------------------------------------------------


def get_actor_or_404(actor_id: int) -> Actor:
    actor = db.session.get(Actor, actor_id)
    if actor is None:
        abort(404)
    if actor.unit is not None and not _unit_in_area(actor.unit):
        abort(403)
    return actor


def _unit_in_area(unit: AdminUnit) -> bool:
    return in_area(current_user, unit)


def _actor_form(actor: Actor | None = None) -> ActorForm:
    form = ActorForm(obj=actor)
    form.actor_type.choices = blank() + vocab.choices(
        "actor_type", include=actor.actor_type if actor else None
    )
    form.unit_id.choices = [("", _("No particular place"))] + unit_choices(
        actor.unit_id if actor else None
    )[1:]
    if request.method == "GET" and actor is not None:
        form.unit_id.data = str(actor.unit_id or "")
    return form


def _actor_data(form: ActorForm) -> services.ActorData:
    return services.ActorData(
        actor_type=form.actor_type.data,
        name=form.name.data or "",
        function=form.function.data,
        organisation=form.organisation.data,
        sex=form.sex.data,
        unit_id=int_or_none(form.unit_id.data),
        trained=bool(form.trained.data),
    )


@bp.route("/actors")
@requires(Resource.ACTOR, Action.VIEW)
def list_actors():
    actors = db.session.scalars(
        sa.select(Actor)
        .where(sa.or_(Actor.unit_id.is_(None), area_clause(current_user, Actor.unit_id)))
        .options(sa.orm.joinedload(Actor.unit))
        .order_by(Actor.is_active.desc(), Actor.name_search)
    ).all()
    return render_template("cases/list_actors.html", actors=actors, label=vocab.label)


@bp.route("/actors/new", methods=["GET", "POST"])
@requires(Resource.ACTOR, Action.CREATE)
def new_actor():
    form = _actor_form()
    outcome = apply_form(form, lambda: services.save_actor(_actor_data(form), current_user))
    if outcome.done:
        flash(_("%(name)s added to the registry.", name=outcome.value.name), "success")
        return redirect(url_for("cases.list_actors"))
    return render_template("cases/edit_actor.html", form=form, actor=None), outcome.status


@bp.route("/actors/<int:actor_id>/edit", methods=["GET", "POST"])
@requires(Resource.ACTOR, Action.EDIT)
def edit_actor(actor_id: int):
    actor = get_actor_or_404(actor_id)
    form = _actor_form(actor)
    outcome = apply_form(form, lambda: services.save_actor(_actor_data(form), current_user, actor))
    if outcome.done:
        flash(_("%(name)s saved.", name=actor.name), "success")
        return redirect(url_for("cases.list_actors"))
    return render_template("cases/edit_actor.html", form=form, actor=actor), outcome.status


@bp.route("/actors/<int:actor_id>/<any(activate, deactivate):action>", methods=["POST"])
@requires(Resource.ACTOR, Action.EDIT)
def set_actor_active(actor_id: int, action: str):
    actor = get_actor_or_404(actor_id)
    if not ConfirmForm().validate_on_submit():
        abort(400)
    services.set_actor_active(actor, action == "activate")
    db.session.commit()
    return redirect(url_for("cases.list_actors"))
