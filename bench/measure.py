"""In-process timings through the WSGI app (Flask's test client), each beside its floor:
the bare SQL query that fetches the same data, and the bare endpoint."""

from __future__ import annotations

import os
import re
import statistics
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import timedelta
from html import unescape

import sqlalchemy as sa

from bench.app import BARE_PATH, create_bench_app
from casework.auth import services as accounts
from casework.auth.models import User
from casework.cases import services as case_services
from casework.cases.models import (
    Agreement,
    Case,
    CaseCounter,
    CaseEvent,
    CaseRevision,
    FollowUp,
    MediationSession,
    Party,
    Referral,
)
from casework.db import utcnow
from casework.extensions import db
from casework.geo.models import AdminUnit
from casework.text import fold, search_tokens

PASSWORD = "throwaway-password-for-timings"  # noqa: S105 - a throwaway account of the bench data
COORDINATOR = "bench.coordinator"
ADMIN = "bench.admin"
MEDIATOR = "bench.mediator"
AREA = "GAO"  # the coordinator's area: the largest region
MEDIATOR_AREA = "GAO-GAO"  # the mediator's: a cercle of it
FILTER_AREA = "GAO-GAO"  # the cercle chosen in the list's area filter
FILTER_TYPE = "FONCIER"
FILTER_STATUS = "CLOTURE_RESOLU"
CSRF_RE = re.compile(r'name="csrf_token" type="hidden" value="([^"]+)"')


@dataclass
class Timing:
    operation: str
    label: str
    samples: list[float]
    baseline_sql: list[float] = field(default_factory=list)
    status: int = 200

    @staticmethod
    def summary(samples: list[float]) -> dict:
        ordered = sorted(samples)
        p95 = ordered[min(len(ordered) - 1, int(round(0.95 * (len(ordered) - 1))))]
        return {"median_ms": statistics.median(ordered) * 1000, "p95_ms": p95 * 1000}


def percentile_ms(samples: list[float], q: float) -> float:
    ordered = sorted(samples)
    return ordered[min(len(ordered) - 1, int(round(q * (len(ordered) - 1))))] * 1000


def timed(function: Callable[[], object], iterations: int, warmup: int) -> list[float]:
    for _ in range(warmup):
        function()
    samples = []
    for _ in range(iterations):
        started = time.perf_counter()
        function()
        samples.append(time.perf_counter() - started)
    return samples


def ensure_users(app) -> None:
    """The bench's own sign-ins: a coordinator of Gao (realistic scope), a mediator of a
    cercle of it and an admin."""
    from casework.geo.services import get_unit_by_code

    with app.app_context():
        for username, role, area in (
            (COORDINATOR, "coordinator", AREA),
            (ADMIN, "admin", None),
            (MEDIATOR, "mediator", MEDIATOR_AREA),
        ):
            if accounts.get_user_by_username(username) is None:
                user = accounts.create_user(
                    username=username, full_name=username, role=role, password=PASSWORD
                )
                if area:
                    user.area_id = get_unit_by_code(area).id
        db.session.commit()


def sign_in(app, username: str):
    client = app.test_client()
    page = client.get("/login").get_data(as_text=True)
    token = CSRF_RE.search(page).group(1)
    response = client.post(
        "/login", data={"username": username, "password": PASSWORD, "csrf_token": token}
    )
    assert response.status_code == 302, f"sign-in of {username} failed: {response.status_code}"
    return client


@dataclass
class Targets:
    """What the operations look at, chosen from the data (deterministic for a database)."""

    area_id: int
    filter_area_id: int
    filtered_pages: int
    area_pages: int
    search: str
    case_ids: list[int]
    unit_id: int


def choose_targets(app) -> Targets:
    from casework.core.pagination import PAGE_SIZE
    from casework.geo.services import get_unit_by_code

    with app.app_context():
        area = get_unit_by_code(AREA)
        cercle = get_unit_by_code(FILTER_AREA)
        within = sa.select(AdminUnit.id).where(AdminUnit.path.startswith(cercle.path))
        in_area = sa.select(AdminUnit.id).where(AdminUnit.path.startswith(area.path))
        filtered = db.session.scalar(
            sa.select(sa.func.count(Case.id)).where(
                Case.unit_id.in_(within),
                Case.conflict_type == FILTER_TYPE,
                Case.status == FILTER_STATUS,
            )
        )
        total = db.session.scalar(
            sa.select(sa.func.count(Case.id)).where(Case.unit_id.in_(in_area))
        )
        # A party of the area whose full name is rare: "a search by party name".
        name = db.session.scalar(
            sa.select(Party.name)
            .join(Case, Party.case_id == Case.id)
            .where(Case.unit_id.in_(in_area), Party.kind == "individual")
            .order_by(Party.id)
            .offset(1234 % max(total, 1))
            .limit(1)
        )
        rich = db.session.scalars(
            sa.select(Case.id)
            .where(Case.unit_id.in_(in_area), Case.status == "CLOTURE_RESOLU")
            .order_by(Case.id)
            .limit(200)
        ).all()
        return Targets(
            area_id=area.id,
            filter_area_id=cercle.id,
            filtered_pages=max(1, -(-filtered // PAGE_SIZE)),
            area_pages=max(1, -(-total // PAGE_SIZE)),
            search=name,
            case_ids=list(rich[::10]),
            unit_id=get_unit_by_code("GAO-GAO-NTILLIT").id,
        )


def list_rows() -> sa.Select:
    """The columns a case list shows, with each case's place: what the bare list query and
    the generic list's flat table read."""
    return sa.select(
        Case.id,
        Case.reference,
        Case.title,
        AdminUnit.name,
        Case.conflict_type,
        Case.status,
        Case.ladder_level,
        Case.reported_on,
    ).join(AdminUnit, AdminUnit.id == Case.unit_id)


def _list_statement(targets: Targets, page: int, area_filter: bool, text: str | None = None):
    """The bare SQL of a list page: the visible columns of one page of rows, and the count."""
    from casework.core.pagination import PAGE_SIZE

    area = sa.select(AdminUnit.path).where(AdminUnit.id == targets.area_id).scalar_subquery()
    scope = sa.select(AdminUnit.id).where(AdminUnit.path.startswith(area))
    where = [Case.unit_id.in_(scope)]
    if area_filter:
        cercle = (
            sa.select(AdminUnit.path)
            .where(AdminUnit.id == targets.filter_area_id)
            .scalar_subquery()
        )
        where += [
            Case.unit_id.in_(sa.select(AdminUnit.id).where(AdminUnit.path.startswith(cercle))),
            Case.conflict_type == FILTER_TYPE,
            Case.status == FILTER_STATUS,
        ]
    if text:
        where.append(case_services.search_clause(search_tokens(text)))
    rows = (
        list_rows()
        .where(*where)
        .order_by(Case.reported_on.desc(), Case.id.desc())
        .limit(PAGE_SIZE)
        .offset((page - 1) * PAGE_SIZE)
    )
    count = sa.select(sa.func.count()).select_from(Case).where(*where)
    return rows, count


NEXT_RE = re.compile(r'<a rel="next" href="([^"]+)"')


def pager_link(client, path: str, page: int) -> str:
    """The pager's "Next" link on page ``page`` of a list (or the list itself for page 0)."""
    if page < 1:
        return path
    separator = "&" if "?" in path and not path.endswith("?") else ""
    html = client.get(f"{path}{separator}page={page}").get_data(as_text=True)
    found = NEXT_RE.search(html)
    assert found, f"no Next link on page {page} of {path}"
    return unescape(found.group(1))


def _case_statements(case_id: int):
    return [
        sa.select(Case.__table__).where(Case.id == case_id),
        sa.select(Party.__table__).where(Party.case_id == case_id),
        sa.select(MediationSession.__table__).where(MediationSession.case_id == case_id),
        sa.select(Agreement.__table__).where(Agreement.case_id == case_id),
        sa.select(Referral.__table__).where(Referral.case_id == case_id),
        sa.select(FollowUp.__table__).where(FollowUp.case_id == case_id),
        sa.select(CaseEvent.__table__).where(CaseEvent.case_id == case_id),
    ]


def registration_form(unit_id: int, token: str, title: str, names: tuple[str, str]) -> dict:
    """The intake form as a browser posts it: two parties and the third line left empty."""
    today = utcnow().date()
    data = {
        "csrf_token": token,
        "unit_id": str(unit_id),
        "event_date": (today - timedelta(days=3)).isoformat(),
        "reported_on": today.isoformat(),
        "channel": "PLAINTE_DIRECTE",
        "conflict_type": "DEGATS_CHAMPETRES",
        "scope": "INTRACOMMUNAUTAIRE",
        "title": title,
        "narrative": "Un troupeau de bovins a traversé le champ de mil avant la récolte.",
        "narrative_lang": "fr",
        "deaths": "0",
        "injuries_serious": "0",
        "injuries_minor": "0",
        "confidentiality": "standard",
        "assigned_mediator_id": "",
        "not_a_duplicate": "y",
    }
    for index, (name, role) in enumerate(
        ((names[0], "complainant"), (names[1], "respondent"), ("", "third"))
    ):
        data.update(
            {
                f"parties-{index}-name": name,
                f"parties-{index}-role": role,
                f"parties-{index}-kind": "individual",
                f"parties-{index}-sex": "M" if name else "U",
                f"parties-{index}-age_band": "35-59" if name else "unknown",
                f"parties-{index}-livelihood": "",
            }
        )
    return data


def intake_form(targets: Targets, token: str, number: int) -> dict:
    return registration_form(
        targets.unit_id,
        token,
        f"Champ de mil détruit par un troupeau ({number})",
        ("Boubacar Bench Maïga", "Hama Bench Ag Ahmed"),
    )


def _bare_registration(
    connection: sa.Connection, targets: Targets, by_id: int, number: int
) -> None:
    """The floor of a registration: the same rows written by hand, one commit."""
    today = utcnow().date()
    now = utcnow()
    with connection.begin():
        number_row = connection.execute(
            sa.update(CaseCounter)
            .where(CaseCounter.region_code == AREA, CaseCounter.year == today.year)
            .values(last_number=CaseCounter.last_number + 1)
            .returning(CaseCounter.last_number)
        ).first()
        if number_row is None:
            connection.execute(
                sa.insert(CaseCounter).values(region_code=AREA, year=today.year, last_number=1)
            )
            number_row = (1,)
        reference = f"{AREA}-{today.year}-{number_row[0]:04d}"
        title = f"Champ de mil détruit par un troupeau ({number})"
        case_id = connection.execute(
            sa.insert(Case)
            .values(
                reference=reference,
                unit_id=targets.unit_id,
                event_date=today - timedelta(days=3),
                reported_on=today,
                channel="PLAINTE_DIRECTE",
                conflict_type="DEGATS_CHAMPETRES",
                scope="INTRACOMMUNAUTAIRE",
                title=title,
                narrative="Un troupeau.",
                narrative_lang="fr",
                status="SIGNALE",
                ladder_level=0,
                confidentiality="standard",
                search_text=fold(reference + " " + title),
                created_by_id=by_id,
                created_at=now,
                updated_at=now,
                version=1,
            )  # fmt: skip
            .returning(Case.id)
        ).scalar_one()
        connection.execute(
            sa.insert(Party),
            [
                {"case_id": case_id, "role": role, "kind": "individual", "name": name,
                 "name_search": fold(name), "sex": "M", "age_band": "35-59",
                 "consent_to_share": False, "created_at": now}
                for name, role in (("Boubacar Bench Maïga", "complainant"),
                                   ("Hama Bench Ag Ahmed", "respondent"))
            ],
        )  # fmt: skip
        connection.execute(
            sa.insert(CaseEvent).values(
                case_id=case_id,
                kind="created",
                at=now,
                by_id=by_id,
                to_status="SIGNALE",
                to_level=0,
            )
        )
        connection.execute(
            sa.insert(CaseRevision).values(
                case_id=case_id, version=1, kind="saved", data={"title": title}, by_id=by_id, at=now
            )
        )


def _remove_cases_after(app, last_id: int, counters: list) -> None:
    """Take the registrations of the run out again, so that the database stays as generated."""
    with app.app_context():
        doomed = sa.select(Case.id).where(Case.id > last_id)
        for model in (CaseEvent, CaseRevision, Party):
            db.session.execute(sa.delete(model).where(model.case_id.in_(doomed)))
        db.session.execute(sa.delete(Case).where(Case.id > last_id))
        db.session.execute(sa.delete(CaseCounter))
        if counters:
            db.session.execute(
                sa.insert(CaseCounter),
                [{"region_code": r, "year": y, "last_number": n} for r, y, n in counters],
            )
        db.session.commit()


def timing_row(operation, label, samples, baseline, bare, status, path, extra=None) -> dict:
    """One row of the table: the operation's timings beside its SQL floor and the bare
    endpoint, printed as it is measured."""
    row = {"operation": operation, "label": label, "path": path, **Timing.summary(samples)}
    base = Timing.summary(baseline)
    row["baseline_sql_median_ms"] = base["median_ms"]
    row["baseline_sql_p95_ms"] = base["p95_ms"]
    row["bare_endpoint_median_ms"] = bare["median_ms"]
    row["bare_endpoint_p95_ms"] = bare["p95_ms"]
    floor = base["median_ms"] + bare["median_ms"]
    row["ratio_to_floor"] = row["median_ms"] / floor if floor else None
    row["status"] = status
    row.update(extra or {})
    more = f"  peak {row['peak_mb']:.0f} MB" if "peak_mb" in row else ""
    print(
        f"  {label:<58} median {row['median_ms']:7.2f} ms  p95 {row['p95_ms']:7.2f} ms  "
        f"(sql {base['median_ms']:.2f} + bare {bare['median_ms']:.2f}){more}",
        flush=True,
    )
    return row


def run_in_process(
    url: str, iterations: int, warmup: int, profile_dir=None, only: set[str] | None = None
) -> list[dict]:
    """Time every operation (or those named in ``only``)."""
    os.environ["DATABASE_URL"] = url
    os.environ.setdefault("SECRET_KEY", "bench-only-secret")
    app = create_bench_app()
    ensure_users(app)
    targets = choose_targets(app)
    coordinator = sign_in(app, COORDINATOR)
    admin = sign_in(app, ADMIN)
    with app.app_context():
        engine = db.engine
        by_id = db.session.scalar(sa.select(User.id).where(User.username == COORDINATOR))
        last_id = db.session.scalar(sa.select(sa.func.max(Case.id))) or 0
        counters = [
            tuple(row) for row in db.session.execute(
                sa.select(CaseCounter.region_code, CaseCounter.year, CaseCounter.last_number)
            )
        ]  # fmt: skip

    def sql(statements):
        def run():
            with engine.connect() as connection:
                for statement in statements:
                    connection.execute(statement).all()

        return run

    filtered = f"/cases?area={targets.filter_area_id}&type={FILTER_TYPE}&status={FILTER_STATUS}"
    deep_area_page = max(1, int(targets.area_pages * 0.8))
    # A deep page is reached as a user reaches it: through the pager's "Next" link of the
    # page before (which carries a keyset cursor). The same page by its number alone (a
    # typed link) is timed too, as its own row.
    last_filtered = pager_link(coordinator, filtered, targets.filtered_pages - 1)
    deep_area = pager_link(coordinator, "/cases?", deep_area_page - 1)
    with app.app_context():  # statements are built here; they run on a bare connection
        operations = [
            ("list_filtered_first", "Case list, area+type+status, page 1",
             coordinator, filtered, sql(_list_statement(targets, 1, True))),
            ("list_filtered_deep",
             f"Case list, area+type+status, last page ({targets.filtered_pages})",
             coordinator, last_filtered,
             sql(_list_statement(targets, targets.filtered_pages, True))),
            ("list_area_deep",
             f"Case list, whole area, deep page ({deep_area_page} of {targets.area_pages})",
             coordinator, deep_area, sql(_list_statement(targets, deep_area_page, False))),
            ("list_area_typed_page",
             f"Case list, whole area, page {deep_area_page} by its number (OFFSET)",
             coordinator, f"/cases?page={deep_area_page}",
             sql(_list_statement(targets, deep_area_page, False))),
            ("search_party", "Search by party name",
             coordinator, "/cases?q=" + targets.search.replace(" ", "+"),
             sql(_list_statement(targets, 1, False, targets.search))),
        ]  # fmt: skip
    results = []
    # Requests run outside any app context of ours: each gets its own, as in a server.
    bare_samples = timed(lambda: coordinator.get(BARE_PATH), iterations, warmup)
    bare = Timing.summary(bare_samples)

    def record(operation, label, samples, baseline, status, path=None):
        results.append(timing_row(operation, label, samples, baseline, bare, status, path))

    for operation, label, client, path, baseline in operations:
        if only and operation not in only:
            continue
        status = client.get(path).status_code
        samples = timed(lambda c=client, p=path: c.get(p), iterations, warmup)
        base_samples = timed(baseline, iterations, warmup)
        record(operation, label, samples, base_samples, status, path)
        _profile(profile_dir, operation, lambda c=client, p=path: c.get(p))

    ids = targets.case_ids
    turn = {"i": 0}

    def next_case():
        turn["i"] = (turn["i"] + 1) % len(ids)
        return ids[turn["i"]]

    if only and not only & {"case_page", "case_page_admin", "register_case"}:
        with app.app_context():
            db.engine.dispose()
        return results
    status = coordinator.get(f"/cases/{ids[0]}").status_code
    samples = timed(lambda: coordinator.get(f"/cases/{next_case()}"), iterations, warmup)
    base_samples = timed(lambda: sql(_case_statements(next_case()))(), iterations, warmup)
    record(
        "case_page", "Case page (coordinator)", samples, base_samples, status, f"/cases/{ids[0]}"
    )
    _profile(profile_dir, "case_page", lambda: coordinator.get(f"/cases/{ids[0]}"))
    samples = timed(lambda: admin.get(f"/cases/{next_case()}"), iterations, warmup)
    record("case_page_admin", "Case page (admin)", samples, base_samples, 200, f"/cases/{ids[0]}")

    # Registration: a real POST, redirected to the new case (302); the rows are removed after.
    page = coordinator.get("/cases/new").get_data(as_text=True)
    token = CSRF_RE.search(page).group(1)
    counter = {"n": 0}

    def register():
        counter["n"] += 1
        response = coordinator.post("/cases/new", data=intake_form(targets, token, counter["n"]))
        assert response.status_code == 302, response.status_code
        return response

    def bare_register():
        counter["n"] += 1
        with engine.connect() as connection:
            _bare_registration(connection, targets, by_id, counter["n"])

    try:
        post_iterations = max(10, iterations // 2)
        samples = timed(register, post_iterations, max(2, warmup // 2))
        base_samples = timed(bare_register, post_iterations, max(2, warmup // 2))
        record(
            "register_case", "Case registration (POST)", samples, base_samples, 302, "/cases/new"
        )
        _profile(profile_dir, "register_case", register)
    finally:
        _remove_cases_after(app, last_id, counters)
    with app.app_context():
        db.engine.dispose()
    return results


def _profile(profile_dir, operation: str, call) -> None:
    """With --profile: one pyinstrument text profile per operation (after the timings)."""
    if profile_dir is None:
        return
    from pyinstrument import Profiler

    profiler = Profiler(interval=0.0005)
    profiler.start()
    for _ in range(20):
        call()
    profiler.stop()
    (profile_dir / f"{operation}.txt").write_text(profiler.output_text(unicode=False))
