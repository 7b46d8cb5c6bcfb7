"""`make bench`: generate (or reuse) the benchmark databases, time the operations over HTTP
against gunicorn beside a generic admin list, and in process, print the tables, write
bench/results.json and docs/performance.md.

    python -m bench.run                 # 10k and 100k cases, SQLite (+ PostgreSQL when
                                        # DATABASE_URL is set)
    BENCH_SCALE=1m python -m bench.run  # adds 1 000 000 cases
    python -m bench.run --profile       # also writes pyinstrument profiles to bench/profiles/
    python -m bench.run --scales 100k --operations report_json,export_csv --no-throughput
                                        # only these rows (not written to the docs)
    python -m bench.run --scales 10k --operations http   # only the rows over HTTP
"""

from __future__ import annotations

import argparse
import json
import os
import platform
import subprocess
from datetime import UTC, datetime
from pathlib import Path

from bench import databases, generic_admin, report, reporting, served, throughput
from bench.measure import (
    FILTER_STATUS,
    FILTER_TYPE,
    Timing,
    _remove_cases_after,
    choose_targets,
    ensure_users,
    run_in_process,
)

# The rows of bench/measure.py, run together (case list, search, case page, registration).
PAGE_OPERATIONS = (
    "list_filtered_first", "list_filtered_deep", "list_area_deep", "search_party", "case_page",
    "case_page_admin", "register_case", "list_area_typed_page",
)  # fmt: skip

ROOT = Path(__file__).resolve().parent.parent
RESULTS = ROOT / "bench" / "results.json"


def machine() -> dict:
    cpu = platform.processor() or ""
    try:
        for line in Path("/proc/cpuinfo").read_text().splitlines():
            if line.startswith("model name"):
                cpu = line.split(":", 1)[1].strip()
                break
    except OSError:
        pass
    memory = ""
    try:
        kb = int(Path("/proc/meminfo").read_text().split()[1])
        memory = f"{kb / 1024 / 1024:.0f} GiB"
    except (OSError, ValueError, IndexError):
        pass
    try:
        import sqlite3

        sqlite_version = sqlite3.sqlite_version
    except ImportError:  # pragma: no cover
        sqlite_version = ""
    return {
        "cpu": cpu,
        "cores": os.cpu_count(),
        "memory": memory,
        "os": platform.platform(),
        "python": platform.python_version(),
        "sqlite": sqlite_version,
        "node": platform.node(),
    }


def git_commit() -> str:
    try:
        return subprocess.run(  # noqa: S603
            ["git", "rev-parse", "--short", "HEAD"],  # noqa: S607
            cwd=ROOT, capture_output=True, text=True, check=True,
        ).stdout.strip()  # fmt: skip
    except (OSError, subprocess.CalledProcessError):
        return ""


def run_http(database, pg_url: str, iterations: int, warmup: int) -> tuple[dict, dict, str]:
    """The rows over HTTP (gunicorn, 1 worker) and the generic list's, measured before and
    after Casework's rows (half the requests each time, merged), in the same run."""
    import sqlalchemy as sa

    from bench.app import create_bench_app
    from casework.cases.models import Case, CaseCounter
    from casework.extensions import db

    os.environ["DATABASE_URL"] = database.url
    os.environ.setdefault("SECRET_KEY", "bench-only-secret")
    app = create_bench_app()
    ensure_users(app)
    targets = choose_targets(app)
    with app.app_context():
        last_id = db.session.scalar(sa.select(sa.func.max(Case.id))) or 0
        counters = [
            tuple(row) for row in db.session.execute(
                sa.select(CaseCounter.region_code, CaseCounter.year, CaseCounter.last_number)
            )
        ]  # fmt: skip
    generic_url = generic_admin.generic_database(database, pg_url)
    half = max(10, iterations // 2)
    before = served.measure_generic(generic_url, half, warmup)
    try:
        rows = served.measure_casework(app, targets, database.url, iterations, warmup)
    finally:
        _remove_cases_after(app, last_id, counters)
        with app.app_context():
            db.engine.dispose()
    after = served.measure_generic(generic_url, half, warmup)
    generic = {}
    for name in before:
        samples = before[name].pop("samples") + after[name].pop("samples")
        generic[name] = {**before[name], **Timing.summary(samples), "iterations": len(samples)}
    reference = generic["generic_list"]["median_ms"]
    for name, row in generic.items():
        served.print_row(report.HTTP_LABELS[name], row)
    for operation, row in rows.items():
        row["ratio_to_generic"] = row["median_ms"] / reference if reference else None
        served.print_row(report.HTTP_LABELS[operation], row)
    return rows, generic, generic_url


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--iterations", type=int, default=int(os.environ.get("BENCH_N", 60)))
    parser.add_argument("--warmup", type=int, default=10)
    parser.add_argument("--profile", action="store_true", help="write pyinstrument profiles")
    parser.add_argument("--no-throughput", action="store_true")
    parser.add_argument("--no-http", action="store_true", help="in-process rows only")
    parser.add_argument("--scales", default=None, help="comma separated: 10k,100k,1m")
    parser.add_argument(
        "--backends",
        default=None,
        help="comma separated: sqlite,postgresql (default: sqlite, and postgresql when "
        "DATABASE_URL is set)",
    )
    parser.add_argument(
        "--operations",
        default=None,
        help="comma separated, among: pages (every row of the case list, search, case page "
        "and registration) or one of them ("
        + ", ".join(PAGE_OPERATIONS)
        + "), "
        + ", ".join(reporting.OPERATIONS)
        + ", http (every row over HTTP). A partial run prints "
        "its table and writes bench/results-partial.json, not the docs.",
    )
    args = parser.parse_args()
    only = set(args.operations.split(",")) if args.operations else None
    if only is not None and "pages" in only:
        only |= set(PAGE_OPERATIONS)
    scales = ["10k", "100k"]
    if os.environ.get("BENCH_SCALE", "").lower() == "1m":
        scales.append("1m")
    if args.scales:
        scales = args.scales.split(",")
    pg_url = os.environ.pop("DATABASE_URL", "")
    backends = ["sqlite"] + (["postgresql"] if pg_url else [])
    if args.backends:
        backends = [name for name in args.backends.split(",") if name in backends]

    results = {
        "generated_at": datetime.now(UTC).isoformat(timespec="seconds"),
        "commit": git_commit(),
        "machine": machine(),
        "iterations": args.iterations,
        "warmup": args.warmup,
        "filters": {"area": "GAO-GAO", "type": FILTER_TYPE, "status": FILTER_STATUS},
        "scope": "signed in as a coordinator of the Gao region (admin for 'Case page (admin)')",
        "http": {
            "server": f"gunicorn, gthread, {served.THREADS} threads, keep-alive, 127.0.0.1",
            "accept_encoding": served.ACCEPT_ENCODING,
            "load_average_at_start": os.getloadavg(),
        },
        "runs": [],
    }
    skipped = throughput.missing_tools()
    if skipped:
        print(skipped)
    http_skipped = served.gunicorn_missing()
    if http_skipped:
        print(http_skipped)
    do_http = not http_skipped and not args.no_http and (only is None or "http" in only)
    for backend in backends:
        for scale in scales:
            if scale == "1m" and backend == "sqlite" and not args.scales:
                continue  # BENCH_SCALE=1m: the million on PostgreSQL (issue 19)
            if backend == "sqlite":
                database = databases.sqlite_database(scale)
            else:
                database = databases.postgresql_database(pg_url, scale)
            print(f"\n{backend} {scale} ({database.key})", flush=True)
            profile_dir = None
            if args.profile:
                profile_dir = ROOT / "bench" / "profiles" / f"{backend}-{scale}"
                profile_dir.mkdir(parents=True, exist_ok=True)
            rows = []
            if only is None or only & set(PAGE_OPERATIONS):
                pages = None if only is None else only & set(PAGE_OPERATIONS)
                rows = run_in_process(
                    database.url, args.iterations, args.warmup, profile_dir, pages
                )
            bare = None
            if rows:
                bare = {
                    "median_ms": rows[0]["bare_endpoint_median_ms"],
                    "p95_ms": rows[0]["bare_endpoint_p95_ms"],
                }
            rows += reporting.run(
                database.url, args.iterations, args.warmup, profile_dir, only=only, bare=bare
            )
            http_rows, generic, generic_url = {}, None, None
            if do_http:
                http_rows, generic, generic_url = run_http(
                    database, pg_url, args.iterations, args.warmup
                )
            run = {
                "backend": backend,
                "scale": scale,
                "cases": databases.SCALES[scale],
                "database_key": database.key,
                "generated_seconds": database.built_seconds,
                "operations": rows,
                "http": http_rows,
                "generic": generic,
                "throughput": None,
                "throughput_skipped": skipped,
            }
            if not skipped and not args.no_throughput and generic_url:
                list_path = http_rows["list_filtered_first"]["path"]
                run["throughput"] = throughput.measure(database.url, generic_url, list_path)
                for workers, t in run["throughput"]["by_workers"].items():
                    print(
                        f"  throughput, {workers} worker(s): case list {t['case_list_rps']:.0f}"
                        f" req/s, generic list {t['generic_list_rps']:.0f}, Casework bare "
                        f"{t['bare_rps']:.0f}, Flask bare {t['bare_flask_rps']:.0f}",
                        flush=True,
                    )
            results["runs"].append(run)
    results["load_average_at_end"] = os.getloadavg()
    print("\n" + report.http_table(results) + "\n\n" + report.throughput_table(results))
    print("\n" + "\n".join(report.verdicts(results)))
    print("\n" + report.table(results))
    if only is not None:
        partial = RESULTS.with_name("results-partial.json")
        partial.write_text(json.dumps(results, indent=2, ensure_ascii=False) + "\n")
        print(f"\nPartial run: wrote {partial.relative_to(ROOT)} only")
        return
    RESULTS.write_text(json.dumps(results, indent=2, ensure_ascii=False) + "\n")
    report.update_docs(results, ROOT / "docs" / "performance.md")
    print(f"\nWrote {RESULTS.relative_to(ROOT)} and docs/performance.md")


if __name__ == "__main__":
    main()
