"""Sign-in, sign-out, own password, and the administration of users."""

from __future__ import annotations

from datetime import datetime

import sqlalchemy as sa
from flask import (
    Blueprint,
    abort,
    current_app,
    flash,
    redirect,
    render_template,
    request,
    session,
    url_for,
)
from flask_login import current_user, login_user, logout_user

from casework.auth import services, sessions, tokens, two_factor
from casework.auth.forms import (
    ApiTokenForm,
    ChangePasswordForm,
    DisableTwoFactorForm,
    EnrolTwoFactorForm,
    LoginForm,
    NewUserForm,
    RecoveryCodesForm,
    SignInCodeForm,
    StartTwoFactorForm,
    UserForm,
)
from casework.auth.models import User
from casework.core.forms import ConfirmForm, apply_form
from casework.core.http import client_address, safe_next
from casework.db import reading_first, utcnow
from casework.extensions import db
from casework.i18n import SESSION_KEY, _, ngettext
from casework.permissions import Action, Resource, public, requires

bp = Blueprint("auth", __name__)
# In the session between the password and the code: who, with which session token, since when.
PENDING_KEY = "_two_factor_pending"
# In the session that started setting up two-factor sign-in (with the password).
ENROLMENT_KEY = "_two_factor_enrolment"


@bp.route("/login", methods=["GET", "POST"])
@public
def login():
    if current_user.is_authenticated:
        return redirect(safe_next(request.args.get("next")))
    form = LoginForm()
    status = 200
    if form.validate_on_submit():
        # Three short steps. Counting the failures and taking a place under the throttle is
        # one atomic write, committed before the password is checked, so that a burst of
        # simultaneous tries gets no more checks than the limit. The password check is slow:
        # it reads only, without the write lock. The attempt is then recorded in place of
        # the slot.
        check = services.begin_sign_in(form.username.data, client_address())
        db.session.commit()
        with reading_first():
            check = services.check_sign_in(check, form.password.data)
            db.session.rollback()
        result = services.record_sign_in(check)
        db.session.commit()
        refused = _refusal(
            result, form, _("Wrong username or password, or the account is inactive.")
        )
        if refused:
            status = refused
        elif result.needs_code:
            _renew_session()
            session[PENDING_KEY] = {
                "user": result.user.id,
                "token": result.user.session_token,
                "at": utcnow().isoformat(),
            }
            return redirect(url_for("auth.login_code", next=request.args.get("next")))
        else:
            return _signed_in(result.user)
    elif request.method == "POST":
        status = 400
    return render_template("auth/login.html", form=form), status


def _throttled(minutes: int) -> str:
    return ngettext(
        "Too many failed sign-ins. Try again in %(num)d minute.",
        "Too many failed sign-ins. Try again in %(num)d minutes.",
        minutes,
    )


def _refusal(result, form, wrong: str) -> int | None:
    """The status of a refused sign-in step (throttled 429, wrong 401) with its message on
    the form; None when the step succeeded."""
    if result.throttled:
        form.form_errors.append(_throttled(result.retry_after_minutes))
        return 429
    if result.user is None:
        form.form_errors.append(wrong)
        return 401
    return None


def _renew_session() -> None:
    """Nothing from before sign-in survives but the language choice."""
    lang = session.get(SESSION_KEY)
    session.clear()
    if lang:
        session[SESSION_KEY] = lang


def _open_session(user: User) -> None:
    """A session of its own for this sign-in on this device, kept on the server."""
    token = sessions.start_session(user)
    db.session.commit()
    login_user(user)
    session[sessions.SESSION_KEY] = token
    sessions.mark_signed_in()


def _signed_in(user: User):
    _renew_session()
    _open_session(user)
    if user.must_change_password:
        return redirect(url_for("auth.change_password"))
    flash(_("Welcome, %(name)s.", name=user.full_name), "success")
    return redirect(safe_next(request.args.get("next")))


def _pending_sign_in() -> User | None:
    """The user who gave the right password in the last few minutes and owes a code."""
    pending = session.get(PENDING_KEY)
    if not isinstance(pending, dict):
        return None
    try:
        started = datetime.fromisoformat(pending["at"])
        user_id, token = int(pending["user"]), str(pending["token"])
    except (KeyError, TypeError, ValueError):
        return None
    if utcnow() - started > current_app.config["TWO_FACTOR_PENDING"]:
        return None
    return two_factor.pending_user(user_id, token)


@bp.route("/login/code", methods=["GET", "POST"])
@public
def login_code():
    if current_user.is_authenticated:
        return redirect(safe_next(request.args.get("next")))
    user = _pending_sign_in()
    if user is None:
        session.pop(PENDING_KEY, None)
        minutes = int(current_app.config["TWO_FACTOR_PENDING"].total_seconds() // 60)
        flash(
            ngettext(
                "Please sign in again: the code must follow the password within %(num)d minute.",
                "Please sign in again: the code must follow the password within %(num)d minutes.",
                minutes,
            ),
            "info",
        )
        return redirect(url_for("auth.login", next=request.args.get("next")))
    form = SignInCodeForm()
    status = 200
    if form.validate_on_submit():
        try:
            result = two_factor.complete_sign_in(user, form.code.data, client_address())
        except services.AccountError as error:  # the secret cannot be read
            db.session.rollback()
            form.form_errors.append(str(error))
            return render_template("auth/login_code.html", form=form), 400
        db.session.commit()
        refused = _refusal(result, form, str(two_factor.WRONG_CODE))
        if refused:
            status = refused
        else:
            return _signed_in(result.user)
    elif request.method == "POST":
        status = 400
    return render_template("auth/login_code.html", form=form), status


@bp.route("/logout", methods=["POST"])
@requires(Resource.ACCOUNT, Action.VIEW)
def logout():
    form = ConfirmForm()
    if not form.validate_on_submit():
        abort(400)
    lang = session.get(SESSION_KEY) or current_user.preferred_language
    # The session ends on the server: a copy of the cookie stops working too.
    sessions.end_session(session.get(sessions.SESSION_KEY))
    db.session.commit()
    logout_user()
    session.clear()
    if lang:
        session[SESSION_KEY] = lang
    flash(_("You are signed out."), "info")
    return redirect(url_for("auth.login"))


@bp.route("/account/password", methods=["GET", "POST"])
@requires(Resource.ACCOUNT, Action.EDIT)
def change_password():
    form = ChangePasswordForm()
    outcome = apply_form(
        form,
        lambda: services.change_password(
            current_user, form.current_password.data, form.new_password.data
        ),
    )
    if outcome.done:
        # Every session ended: sign in again on this device only.
        _open_session(current_user._get_current_object())
        flash(_("Your password has been changed."), "success")
        return redirect(url_for("home.index"))
    return render_template("auth/change_password.html", form=form), outcome.status


# --- own two-factor sign-in --------------------------------------------------------------


def _two_factor_page(disable_form=None, codes_form=None, start_form=None, status: int = 200):
    user = current_user._get_current_object()
    return render_template(
        "auth/two_factor.html",
        required=two_factor.required_for(user),
        codes_left=two_factor.recovery_codes_left(user) if user.two_factor_enabled else 0,
        disable_form=disable_form or DisableTwoFactorForm(),
        codes_form=codes_form or RecoveryCodesForm(prefix="recovery"),
        start_form=start_form or StartTwoFactorForm(),
    ), status


@bp.route("/account/two-factor")
@requires(Resource.ACCOUNT, Action.VIEW)
def two_factor_page():
    return _two_factor_page()


@bp.route("/account/two-factor/start", methods=["POST"])
@requires(Resource.ACCOUNT, Action.EDIT)
def start_two_factor():
    form = StartTwoFactorForm()
    if not form.validate_on_submit():
        return _two_factor_page(start_form=form, status=400)
    try:
        two_factor.start_enrolment(current_user, form.password.data, client_address())
    except services.SignInThrottled as error:
        db.session.rollback()
        form.form_errors.append(_throttled(error.minutes))
        return _two_factor_page(start_form=form, status=429)
    except services.WrongPassword as error:
        db.session.commit()  # keep the failed try: it counts toward the throttle
        form.form_errors.append(str(error))
        return _two_factor_page(start_form=form, status=400)
    except services.AccountError as error:
        db.session.rollback()
        flash(str(error), "error")
        return redirect(url_for("auth.two_factor_page"))
    db.session.commit()
    session[ENROLMENT_KEY] = True
    return redirect(url_for("auth.setup_two_factor"))


@bp.route("/account/two-factor/setup", methods=["GET", "POST"])
@requires(Resource.ACCOUNT, Action.EDIT)
def setup_two_factor():
    user = current_user._get_current_object()
    try:
        secret = two_factor.pending_secret(user)
    except services.AccountError as error:
        flash(str(error), "error")
        secret = None
    # The secret is shown only in the session that started the set-up with the password.
    if secret is None or not session.get(ENROLMENT_KEY):
        return redirect(url_for("auth.two_factor_page"))
    form = EnrolTwoFactorForm()
    outcome = apply_form(form, lambda: two_factor.confirm_enrolment(user, form.code.data))
    if outcome.done:
        session.pop(ENROLMENT_KEY, None)
        flash(_("Two-factor sign-in is on."), "success")
        return render_template("auth/recovery_codes.html", codes=outcome.value)
    uri = two_factor.provisioning_uri(user, secret)
    return render_template(
        "auth/setup_two_factor.html",
        form=form,
        secret=two_factor.grouped(secret),
        qr_code=two_factor.qr_code_svg(uri, _("QR code to scan with your authenticator app")),
    ), outcome.status


@bp.route("/account/two-factor/disable", methods=["POST"])
@requires(Resource.ACCOUNT, Action.EDIT)
def disable_two_factor():
    form = DisableTwoFactorForm()
    if not form.validate_on_submit():
        return _two_factor_page(disable_form=form, status=400)
    try:
        two_factor.disable(current_user, form.password.data, form.code.data, client_address())
    except services.SignInThrottled as error:
        db.session.rollback()
        form.form_errors.append(_throttled(error.minutes))
        return _two_factor_page(disable_form=form, status=429)
    except services.WrongPassword as error:
        db.session.commit()  # keep the failed try: it counts toward the throttle
        form.form_errors.append(str(error))
        return _two_factor_page(disable_form=form, status=400)
    except services.AccountError as error:
        db.session.rollback()
        form.form_errors.append(str(error))
        return _two_factor_page(disable_form=form, status=400)
    db.session.commit()
    flash(_("Two-factor sign-in is off."), "success")
    return redirect(url_for("auth.two_factor_page"))


@bp.route("/account/two-factor/recovery-codes", methods=["POST"])
@requires(Resource.ACCOUNT, Action.EDIT)
def new_recovery_codes():
    form = RecoveryCodesForm(prefix="recovery")
    outcome = apply_form(form, lambda: two_factor.new_recovery_codes(current_user, form.code.data))
    if outcome.done:
        return render_template("auth/recovery_codes.html", codes=outcome.value)
    return _two_factor_page(codes_form=form, status=outcome.status)


# --- administration of users -------------------------------------------------------------


def get_user_or_404(user_id: int) -> User:
    user = db.session.get(User, user_id)
    if user is None:
        abort(404)
    return user


@bp.route("/admin/users")
@requires(Resource.USER, Action.VIEW)
def list_users():
    users = db.session.scalars(sa.select(User).order_by(User.is_active.desc(), User.username))
    return render_template("auth/list_users.html", users=list(users))


@bp.route("/admin/users/new", methods=["GET", "POST"])
@requires(Resource.USER, Action.ADMINISTER)
def create_user():
    form = NewUserForm()
    password = services.generate_password(avoid=form.username.data)
    outcome = apply_form(
        form,
        lambda: services.create_user(
            username=form.username.data,
            full_name=form.full_name.data,
            role=form.role.data,
            preferred_language=form.preferred_language.data,
            password=password,
            must_change_password=True,
            area_id=_area(form),
        ),
    )
    if outcome.done:
        return render_template(
            "auth/temporary_password.html", user=outcome.value, password=password, created=True
        )
    return render_template("auth/edit_user.html", form=form, user=None), outcome.status


@bp.route("/admin/users/<int:user_id>/edit", methods=["GET", "POST"])
@requires(Resource.USER, Action.ADMINISTER)
def edit_user(user_id: int):
    user = get_user_or_404(user_id)
    form = UserForm(obj=user)
    if request.method == "GET":
        form.preferred_language.data = user.preferred_language or ""
        form.area_id.data = str(user.area_id or "")
    outcome = apply_form(
        form,
        lambda: services.update_user(
            user,
            full_name=form.full_name.data,
            role=form.role.data,
            preferred_language=form.preferred_language.data,
            area_id=_area(form),
            gbv_trained=bool(form.gbv_trained.data),
        ),
    )
    if outcome.done:
        flash(_("User %(username)s saved.", username=user.username), "success")
        return redirect(url_for("auth.list_users"))
    return render_template("auth/edit_user.html", form=form, user=user), outcome.status


def _area(form) -> int | None:
    return int(form.area_id.data) if form.area_id.data else None


def _set_active(user_id: int, active: bool):
    user = get_user_or_404(user_id)
    if not ConfirmForm().validate_on_submit():
        abort(400)
    try:
        services.set_active(user, active, by=current_user)
    except services.AccountError as error:
        db.session.rollback()
        flash(str(error), "error")
    else:
        db.session.commit()
        if active:
            flash(_("User %(username)s reactivated.", username=user.username), "success")
        else:
            flash(_("User %(username)s deactivated.", username=user.username), "success")
    return redirect(url_for("auth.list_users"))


@bp.route("/admin/users/<int:user_id>/deactivate", methods=["POST"])
@requires(Resource.USER, Action.ADMINISTER)
def deactivate_user(user_id: int):
    return _set_active(user_id, False)


@bp.route("/admin/users/<int:user_id>/activate", methods=["POST"])
@requires(Resource.USER, Action.ADMINISTER)
def activate_user(user_id: int):
    return _set_active(user_id, True)


@bp.route("/admin/users/<int:user_id>/reset-password", methods=["POST"])
@requires(Resource.USER, Action.ADMINISTER)
def reset_password(user_id: int):
    user = get_user_or_404(user_id)
    if not ConfirmForm().validate_on_submit():
        abort(400)
    password = services.reset_password(user)
    db.session.commit()
    return render_template(
        "auth/temporary_password.html", user=user, password=password, created=False
    )


@bp.route("/admin/users/<int:user_id>/reset-two-factor", methods=["POST"])
@requires(Resource.USER, Action.ADMINISTER)
def reset_two_factor(user_id: int):
    user = get_user_or_404(user_id)
    if not ConfirmForm().validate_on_submit():
        abort(400)
    two_factor.reset(user)
    db.session.commit()
    if user.id == current_user.id:
        # Their own sessions were closed: stay signed in on this device.
        _open_session(user)
    flash(
        _(
            "Two-factor sign-in of %(username)s reset: they sign in with their password, "
            "and set it up again if their role requires it.",
            username=user.username,
        ),
        "success",
    )
    return redirect(url_for("auth.edit_user", user_id=user.id))


# --- personal access tokens of the API (issue 16) -------------------------------------------


def _tokens_page(owner: User, form: ApiTokenForm, secret: str | None = None, status: int = 200):
    return render_template(
        "auth/api_tokens.html",
        owner=owner,
        form=form,
        tokens=tokens.tokens_of(owner),
        secret=secret,
        revoke_form=ConfirmForm(),
        own=owner.id == current_user.id,
        scope_title=lambda code: tokens.TokenScope(code).title,
    ), status


def _make_token(owner: User):
    form = ApiTokenForm()
    outcome = apply_form(
        form,
        lambda: tokens.create_token(
            owner, form.name.data, form.scope.data, form.days.data, current_user
        ),
    )
    if outcome.done:  # the secret is shown on this page once, never again
        return _tokens_page(owner, ApiTokenForm(formdata=None), secret=outcome.value[1])
    return _tokens_page(owner, form, status=outcome.status)


def _revoke_token(owner: User, token_id: int):
    token = db.session.get(tokens.ApiToken, token_id)
    if token is None or token.user_id != owner.id:
        abort(404)
    if not ConfirmForm().validate_on_submit():
        abort(400)
    tokens.revoke_token(token, current_user)
    db.session.commit()
    flash(_("Token %(name)s revoked.", name=token.name), "success")


@bp.route("/account/tokens", methods=["GET", "POST"])
@requires(Resource.ACCOUNT, Action.EDIT)
def api_tokens():
    if request.method == "POST":
        return _make_token(current_user)
    return _tokens_page(current_user, ApiTokenForm())


@bp.route("/account/tokens/<int:token_id>/revoke", methods=["POST"])
@requires(Resource.ACCOUNT, Action.EDIT)
def revoke_api_token(token_id: int):
    _revoke_token(current_user, token_id)
    return redirect(url_for("auth.api_tokens"))


@bp.route("/admin/users/<int:user_id>/tokens", methods=["GET", "POST"])
@requires(Resource.USER, Action.ADMINISTER)
def user_api_tokens(user_id: int):
    owner = get_user_or_404(user_id)
    if request.method == "POST":
        return _make_token(owner)
    return _tokens_page(owner, ApiTokenForm())


@bp.route("/admin/users/<int:user_id>/tokens/<int:token_id>/revoke", methods=["POST"])
@requires(Resource.USER, Action.ADMINISTER)
def revoke_user_api_token(user_id: int, token_id: int):
    _revoke_token(get_user_or_404(user_id), token_id)
    return redirect(url_for("auth.user_api_tokens", user_id=user_id))
