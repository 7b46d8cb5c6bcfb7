"""The dashboard, the periodic report (JSON and PDF) and the CSV export of every case,
timed through the WSGI app like the other rows, each beside its floor (bare SQL and the
bare endpoint).

- Dashboard: the home page of the Gao coordinator; floor: its aggregate queries in Core.
- Periodic report: one region (Gao) and the last whole quarter, as JSON and as PDF,
  requested by the coordinator; floor: the bare SQL of the report's main aggregates.
- CSV export of every case (``/reports/exports/cases.csv``), as the administrator: the
  streamed body is read to its end in a child process, whose peak resident memory
  (getrusage) is reported beside the times; floor: the export's rows read by a bare Core
  query (the case, its place and region), streamed.
"""

from __future__ import annotations

import json
import os
import resource
import subprocess
import sys
import time
from datetime import UTC, date, datetime, timedelta
from pathlib import Path

import sqlalchemy as sa

from bench.measure import (
    ADMIN,
    AREA,
    COORDINATOR,
    Timing,
    ensure_users,
    sign_in,
    timed,
    timing_row,
)

OPERATIONS = ("dashboard", "report_json", "report_pdf", "export_csv")
CSV_PATH = "/reports/exports/cases.csv?lang=fr"


def last_quarter(today: date) -> str:
    """The last whole quarter before ``today`` (``2026-Q3`` in November 2026)."""
    quarter = (today.month - 1) // 3  # the current one, 0-based
    year = today.year
    if quarter == 0:
        return f"{year - 1}-Q4"
    return f"{year}-Q{quarter}"


def report_path(period: str, fmt: str) -> str:
    return f"/reports/periodic?period={period}&area={AREA}&lang=fr&format={fmt}"


def _region_scope(area_path):
    from casework.geo.models import AdminUnit

    return sa.select(AdminUnit.id).where(AdminUnit.path.startswith(area_path))


def dashboard_statements(area_path: str, today: date) -> list:
    """The dashboard's figures as bare SQL: open cases by status, closures of the last 90
    days by status, follow-ups due, alerts of the week, activities of the month."""
    from casework.cases.models import Case, FollowUp
    from casework.cases.states import CLOSED
    from casework.policing.models import Activity, Alert

    within = _region_scope(area_path)
    closed = [status.value for status in CLOSED]
    # Grouped by an expression: by the bare column, SQLite walks the status index over every
    # case of every area (see casework/reports/dashboard.py).
    status = Case.status.concat("").label("status")
    week = datetime.combine(today - timedelta(days=7), datetime.min.time(), UTC)
    return [
        sa.select(status, sa.func.count())
        .where(Case.unit_id.in_(within), Case.status.not_in(closed))
        .group_by(status),
        sa.select(status, sa.func.count())
        .where(Case.unit_id.in_(within), Case.closed_on >= today - timedelta(days=90))
        .group_by(status),
        sa.select(sa.func.count())
        .select_from(FollowUp)
        .join(Case, Case.id == FollowUp.case_id)
        .where(
            FollowUp.done_on.is_(None),
            FollowUp.due_on <= today + timedelta(days=7),
            Case.status.in_(["ACCORD", "SUIVI"]),
            Case.unit_id.in_(within),
        ),
        sa.select(sa.func.count()).where(Alert.unit_id.in_(within), Alert.occurred_at >= week),
        sa.select(sa.func.count()).where(
            Activity.unit_id.in_(within), Activity.held_on >= today.replace(day=1)
        ),
    ]


def report_statements(area_path: str, start: date, end: date) -> list:
    """The report's main aggregates as bare SQL, one query per table read: cases opened,
    closed and resolved by conflict type; sessions by mechanism; agreements; harm;
    activities; alerts by category."""
    from casework.cases.models import Agreement, Case, MediationSession
    from casework.policing.models import Activity, Alert

    within = _region_scope(area_path)
    opened = Case.reported_on.between(start, end)
    closed = Case.closed_on.between(start, end)
    starts = datetime.combine(start, datetime.min.time(), UTC)
    ends = datetime.combine(end + timedelta(days=1), datetime.min.time(), UTC)
    return [
        sa.select(
            Case.conflict_type,
            sa.func.count(sa.case((opened, 1))),
            sa.func.count(sa.case((closed, 1))),
            sa.func.count(sa.case((sa.and_(closed, Case.status == "CLOTURE_RESOLU"), 1))),
            sa.func.sum(sa.case((opened, Case.deaths), else_=0)),
        )
        .where(Case.unit_id.in_(within), sa.or_(opened, closed))
        .group_by(Case.conflict_type),
        sa.select(MediationSession.mechanism, sa.func.count(), sa.func.sum(MediationSession.women))
        .join(Case, Case.id == MediationSession.case_id)
        .where(Case.unit_id.in_(within), MediationSession.held_on.between(start, end))
        .group_by(MediationSession.mechanism),
        sa.select(sa.func.count(), sa.func.sum(Agreement.compensation_fcfa))
        .join(Case, Case.id == Agreement.case_id)
        .where(Case.unit_id.in_(within), Agreement.concluded_on.between(start, end)),
        sa.select(Activity.activity_type, sa.func.count(), sa.func.sum(Activity.participants))
        .where(Activity.unit_id.in_(within), Activity.held_on.between(start, end))
        .group_by(Activity.activity_type),
        sa.select(Alert.category, sa.func.count())
        .where(Alert.unit_id.in_(within), Alert.occurred_at >= starts, Alert.occurred_at < ends)
        .group_by(Alert.category),
    ]


def export_statement():
    """The CSV's rows as a bare query: every case with its place and its region."""
    from casework.cases.models import Case
    from casework.geo.models import AdminUnit

    area = sa.orm.aliased(AdminUnit)
    region = sa.orm.aliased(AdminUnit)
    return (
        sa.select(Case.__table__, area.code, area.name, region.name)
        .join(area, area.id == Case.unit_id)
        .outerjoin(region, sa.and_(region.parent_id.is_(None), area.path.startswith(region.path)))
        .order_by(Case.id)
    )


def _read_body(client, path: str) -> int:
    """GET ``path`` and read its (streamed) body to the end; the size in bytes."""
    response = client.get(path, buffered=False)
    assert response.status_code == 200, (path, response.status_code)
    size = 0
    try:
        for chunk in response.response:
            size += len(chunk)
    finally:
        response.close()
    return size


def run(
    url: str, iterations: int, warmup: int, profile_dir=None, only=None, bare=None
) -> list[dict]:
    """Time the operations in ``only`` (default: all); ``bare`` is the bare endpoint's
    summary of the run (measured here when not given)."""
    from bench.app import BARE_PATH, create_bench_app
    from bench.measure import _profile
    from casework.extensions import db
    from casework.geo.services import get_unit_by_code
    from casework.reports.periods import parse_period

    selected = [name for name in OPERATIONS if only is None or name in only]
    if not selected:
        return []
    os.environ["DATABASE_URL"] = url
    os.environ.setdefault("SECRET_KEY", "bench-only-secret")
    app = create_bench_app()
    ensure_users(app)
    coordinator = sign_in(app, COORDINATOR)
    today = date.today()
    period_code = last_quarter(today)
    with app.app_context():
        engine = db.engine
        area_path = get_unit_by_code(AREA).path
        period = parse_period(period_code)
        dashboard_sql = dashboard_statements(area_path, today)
        report_sql = report_statements(area_path, period.start, period.end)
        export_sql = export_statement()
    if bare is None:
        bare = Timing.summary(timed(lambda: coordinator.get(BARE_PATH), iterations, warmup))

    def sql(statements):
        def call():
            with engine.connect() as connection:
                for statement in statements:
                    connection.execute(statement).all()

        return call

    def streamed_sql():
        with engine.connect() as connection:
            result = connection.execution_options(yield_per=500).execute(export_sql)
            for _row in result:
                pass

    results = []

    def record(operation, label, samples, baseline, status, path, extra=None):
        extra = {"iterations": len(samples), **(extra or {})}
        results.append(timing_row(operation, label, samples, baseline, bare, status, path, extra))

    if "dashboard" in selected:
        status = coordinator.get("/").status_code
        samples = timed(lambda: coordinator.get("/"), iterations, warmup)
        record(
            "dashboard", "Dashboard", samples, timed(sql(dashboard_sql), iterations, warmup),
            status, "/",
        )  # fmt: skip
        _profile(profile_dir, "dashboard", lambda: coordinator.get("/"))
    report_floor = None
    for fmt, operation, n in (
        ("json", "report_json", iterations),
        ("pdf", "report_pdf", max(5, iterations // 6)),
    ):
        if operation not in selected:
            continue
        path = report_path(period_code, fmt)
        status = coordinator.get(path).status_code
        samples = timed(lambda p=path: coordinator.get(p), n, max(1, min(warmup, n // 3)))
        if report_floor is None:
            report_floor = timed(sql(report_sql), iterations, warmup)
        label = f"Periodic report {fmt.upper()} ({AREA}, {period_code})"
        record(operation, label, samples, report_floor, status, path)
        _profile(profile_dir, operation, lambda p=path: coordinator.get(p))
    if "export_csv" in selected:
        child = csv_in_child(url)
        floor = timed(streamed_sql, len(child["samples"]), 1)
        record(
            "export_csv", "CSV export, all cases (admin)", child["samples"], floor, 200,
            CSV_PATH.split("?")[0],
            {"peak_mb": child["peak_mb"], "start_mb": child["start_mb"], "bytes": child["bytes"]},
        )  # fmt: skip
    with app.app_context():
        db.engine.dispose()
    return results


CSV_RUNS = 3


def csv_in_child(url: str, runs: int = CSV_RUNS) -> dict:
    """The CSV export timed in a fresh process (one warm-up, then ``runs`` downloads), with
    that process's peak resident memory."""
    env = dict(os.environ, DATABASE_URL=url)
    env.setdefault("SECRET_KEY", "bench-only-secret")
    done = subprocess.run(  # noqa: S603
        [sys.executable, "-m", "bench.reporting", "csv", str(runs)],
        env=env, capture_output=True, text=True, check=True,
    )  # fmt: skip
    return json.loads(done.stdout.strip().splitlines()[-1])


def _status_mb(field: str) -> float | None:
    """A ``/proc/self/status`` figure (VmRSS, VmHWM) in MB; None where there is no /proc."""
    try:
        for line in Path("/proc/self/status").read_text().splitlines():
            if line.startswith(field + ":"):
                return int(line.split()[1]) / 1024
    except (OSError, ValueError):
        pass
    return None


def _reset_peak() -> bool:
    """Reset the kernel's peak resident set (VmHWM) of this process (Linux 4.0+)."""
    try:
        Path("/proc/self/clear_refs").write_text("5")
    except OSError:
        return False
    return True


def _csv_child(runs: int) -> None:
    from bench.app import create_bench_app

    app = create_bench_app()
    ensure_users(app)
    admin = sign_in(app, ADMIN)
    # Signing in verifies an argon2 hash (tens of MB for a moment); the peak of the
    # export is measured from here on, the app and its imports being resident.
    reset = _reset_peak()
    start_mb = _status_mb("VmRSS") or 0.0
    size = _read_body(admin, CSV_PATH)  # warm-up
    samples = []
    for _ in range(runs):
        started = time.perf_counter()
        size = _read_body(admin, CSV_PATH)
        samples.append(time.perf_counter() - started)
    peak_mb = _status_mb("VmHWM") if reset else None
    if peak_mb is None:
        peak_mb = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    figures = {"samples": samples, "peak_mb": peak_mb, "start_mb": start_mb, "bytes": size}
    print(json.dumps(figures))


if __name__ == "__main__":
    if sys.argv[1:2] == ["csv"]:
        _csv_child(int(sys.argv[2]))
