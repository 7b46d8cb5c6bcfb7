"""Import pages for coordinators and administrators: upload a file, read its preview (what
each row would make, or why it cannot), then confirm. The preview runs the import and rolls
it back, so that it shows exactly what the services would accept; the confirmation runs it
again on the file kept between the two steps (only its uploader can confirm it)."""

from __future__ import annotations

import secrets
import time
from pathlib import Path

from flask import (
    Blueprint,
    Response,
    abort,
    current_app,
    flash,
    redirect,
    render_template,
    request,
    url_for,
)
from flask_login import current_user

from casework.extensions import db
from casework.i18n import _
from casework.integrations import odk, spreadsheet
from casework.integrations.common import ImportFileError, ImportReport
from casework.integrations.forms import ConfirmImportForm, OdkUploadForm, RegisterUploadForm
from casework.permissions import Action, Resource, requires

bp = Blueprint("integrations", __name__, url_prefix="/imports")

XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
KEEP_UPLOADS_SECONDS = 24 * 3600


def _upload_dir() -> Path:
    folder = Path(current_app.instance_path) / "imports" / str(current_user.id)
    folder.mkdir(parents=True, exist_ok=True, mode=0o700)
    return folder


def _keep(main: bytes, parties: bytes | None = None) -> str:
    """Keep the uploaded files until the import is confirmed; forget day-old ones."""
    folder = _upload_dir()
    for old in folder.iterdir():
        if old.stat().st_mtime < time.time() - KEEP_UPLOADS_SECONDS:
            old.unlink(missing_ok=True)
    token = secrets.token_urlsafe(24)
    (folder / f"{token}.main").write_bytes(main)
    if parties:
        (folder / f"{token}.parties").write_bytes(parties)
    return token


def _kept(token: str) -> tuple[bytes, list[bytes]] | None:
    folder = _upload_dir()
    main = folder / f"{token}.main"
    if not main.is_file():
        return None
    parties = folder / f"{token}.parties"
    return main.read_bytes(), [parties.read_bytes()] if parties.is_file() else []


def _forget(token: str) -> None:
    for suffix in ("main", "parties"):
        (_upload_dir() / f"{token}.{suffix}").unlink(missing_ok=True)


def _preview(template: str, form, report: ImportReport | None, token: str | None, status=200):
    confirm = ConfirmImportForm(upload=token) if token else None
    return render_template(
        template, form=form, report=report, confirm=confirm, upload=token
    ), status


# --- case registers ---------------------------------------------------------------------------


def _register_report(data: bytes, *, dry_run: bool) -> ImportReport:
    rows = spreadsheet.read_register(data)
    return spreadsheet.import_register(rows, current_user, dry_run=dry_run)


@bp.route("/cases", methods=["GET", "POST"])
@requires(Resource.CASE, Action.ADMINISTER)
def import_cases():
    form = RegisterUploadForm()
    if not form.validate_on_submit():
        status = 400 if request.method == "POST" else 200
        return _preview("integrations/import_cases.html", form, None, None, status)
    data = form.file.data.read()
    try:
        report = _register_report(data, dry_run=True)
    except ImportFileError as error:
        db.session.rollback()
        form.form_errors.append(str(error))
        return _preview("integrations/import_cases.html", form, None, None, 400)
    db.session.rollback()
    token = _keep(data) if report.invalid == 0 and report.created else None
    return _preview("integrations/import_cases.html", form, report, token)


@bp.route("/cases/confirm", methods=["POST"])
@requires(Resource.CASE, Action.ADMINISTER)
def confirm_cases():
    confirm = ConfirmImportForm()
    kept = _kept(confirm.upload.data) if confirm.validate_on_submit() else None
    if kept is None:
        flash(_("This file is no longer available: upload it again."), "error")
        return redirect(url_for("integrations.import_cases"))
    try:
        report = _register_report(kept[0], dry_run=False)
    except ImportFileError as error:
        db.session.rollback()
        flash(str(error), "error")
        return redirect(url_for("integrations.import_cases"))
    if not report.keep:
        db.session.rollback()
        return _preview("integrations/import_cases.html", RegisterUploadForm(), report, None, 409)
    db.session.commit()
    _forget(confirm.upload.data)
    flash(
        _(
            "Cases imported: %(created)s created, %(already)s already imported.",
            created=report.created,
            already=report.already,
        ),
        "success",
    )
    return redirect(url_for("cases.list_cases"))


@bp.route("/cases/template.xlsx")
@requires(Resource.CASE, Action.ADMINISTER)
def register_template():
    lang = request.args.get("lang", "fr")
    if lang not in current_app.config["LANGUAGES"]:
        abort(404)
    return Response(
        spreadsheet.template(lang),
        mimetype=XLSX,
        headers={"Content-Disposition": f'attachment; filename="casework-register-{lang}.xlsx"'},
    )


# --- KoboToolbox and ODK ----------------------------------------------------------------------


def _odk_report(main: bytes, parties: list[bytes], *, dry_run: bool, skip_invalid: bool):
    submissions = odk.read_submissions(main, parties)
    return odk.import_submissions(
        submissions, current_user, dry_run=dry_run, skip_invalid=skip_invalid
    )


@bp.route("/odk", methods=["GET", "POST"])
@requires(Resource.CASE, Action.ADMINISTER)
def import_odk():
    form = OdkUploadForm()
    if not form.validate_on_submit():
        status = 400 if request.method == "POST" else 200
        return _preview("integrations/import_odk.html", form, None, None, status)
    main = form.file.data.read()
    parties = form.parties.data.read() if form.parties.data else None
    try:
        report = _odk_report(main, [parties] if parties else [], dry_run=True, skip_invalid=True)
    except ImportFileError as error:
        db.session.rollback()
        form.form_errors.append(str(error))
        return _preview("integrations/import_odk.html", form, None, None, 400)
    db.session.rollback()
    token = _keep(main, parties) if report.created else None
    return _preview("integrations/import_odk.html", form, report, token)


@bp.route("/odk/confirm", methods=["POST"])
@requires(Resource.CASE, Action.ADMINISTER)
def confirm_odk():
    confirm = ConfirmImportForm()
    kept = _kept(confirm.upload.data) if confirm.validate_on_submit() else None
    if kept is None:
        flash(_("This file is no longer available: upload it again."), "error")
        return redirect(url_for("integrations.import_odk"))
    try:
        report = _odk_report(*kept, dry_run=False, skip_invalid=bool(confirm.skip_invalid.data))
    except ImportFileError as error:
        db.session.rollback()
        flash(str(error), "error")
        return redirect(url_for("integrations.import_odk"))
    if not report.keep:
        db.session.rollback()
        return _preview(
            "integrations/import_odk.html", OdkUploadForm(), report, confirm.upload.data, 409
        )
    db.session.commit()
    _forget(confirm.upload.data)
    flash(
        _(
            "Submissions imported: %(created)s created, %(already)s already imported, "
            "%(invalid)s left out.",
            created=report.created,
            already=report.already,
            invalid=report.invalid,
        ),
        "success",
    )
    return redirect(url_for("integrations.import_odk"))
