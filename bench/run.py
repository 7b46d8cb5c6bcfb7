"""`make bench`: generate (or reuse) the benchmark databases, time the operations in process
and under gunicorn, print the table, write bench/results.json and docs/performance.md.

    python -m bench.run                 # 10k and 100k cases, SQLite (+ PostgreSQL when
                                        # DATABASE_URL is set)
    BENCH_SCALE=1m python -m bench.run  # adds 1 000 000 cases
    python -m bench.run --profile       # also writes pyinstrument profiles to bench/profiles/
"""

from __future__ import annotations

import argparse
import json
import os
import platform
import subprocess
from datetime import UTC, datetime
from pathlib import Path

from bench import databases, report, throughput
from bench.measure import FILTER_STATUS, FILTER_TYPE, run_in_process

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


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--iterations", type=int, default=int(os.environ.get("BENCH_N", 60)))
    parser.add_argument("--warmup", type=int, default=10)
    parser.add_argument("--profile", action="store_true", help="write pyinstrument profiles")
    parser.add_argument("--no-throughput", action="store_true")
    parser.add_argument("--scales", default=None, help="comma separated: 10k,100k,1m")
    parser.add_argument(
        "--only",
        default=None,
        help="comma separated operations to time (list_filtered_first, list_filtered_deep, "
        "list_area_deep, list_area_typed_page, search_party, case_page, register_case); "
        "results.json and docs/performance.md are then left as they are",
    )
    args = parser.parse_args()
    scales = ["10k", "100k"]
    if os.environ.get("BENCH_SCALE", "").lower() == "1m":
        scales.append("1m")
    if args.scales:
        scales = args.scales.split(",")
    pg_url = os.environ.pop("DATABASE_URL", "")
    backends = ["sqlite"] + (["postgresql"] if pg_url else [])

    results = {
        "generated_at": datetime.now(UTC).isoformat(timespec="seconds"),
        "commit": git_commit(),
        "machine": machine(),
        "iterations": args.iterations,
        "warmup": args.warmup,
        "filters": {"area": "GAO-GAO", "type": FILTER_TYPE, "status": FILTER_STATUS},
        "scope": "signed in as a coordinator of the Gao region (admin for 'Case page (admin)')",
        "runs": [],
    }
    skipped = throughput.missing_tools()
    if skipped:
        print(skipped)
    for backend in backends:
        for scale in scales:
            if backend == "sqlite":
                database = databases.sqlite_database(scale)
            else:
                database = databases.postgresql_database(pg_url, scale)
            print(f"\n{backend} {scale} ({database.key})", flush=True)
            profile_dir = None
            if args.profile:
                profile_dir = ROOT / "bench" / "profiles" / f"{backend}-{scale}"
                profile_dir.mkdir(parents=True, exist_ok=True)
            only = set(args.only.split(",")) if args.only else None
            rows = run_in_process(database.url, args.iterations, args.warmup, profile_dir, only)
            run = {
                "backend": backend,
                "scale": scale,
                "cases": databases.SCALES[scale],
                "database_key": database.key,
                "generated_seconds": database.built_seconds,
                "operations": rows,
                "throughput": None,
                "throughput_skipped": skipped,
            }
            if not skipped and not args.no_throughput and not only:
                run["throughput"] = throughput.measure(database.url, rows[0]["path"])
                t = run["throughput"]
                print(
                    f"  throughput: case list {t['case_list_rps']:.0f} req/s, "
                    f"bare {t['bare_rps']:.0f} req/s (ratio {t['ratio']:.1f})",
                    flush=True,
                )
            results["runs"].append(run)
    if args.only:
        return  # a partial run: the figures of the last full run stay
    RESULTS.write_text(json.dumps(results, indent=2, ensure_ascii=False) + "\n")
    table = report.table(results)
    print("\n" + table)
    report.update_docs(results, ROOT / "docs" / "performance.md")
    print(f"\nWrote {RESULTS.relative_to(ROOT)} and docs/performance.md")


if __name__ == "__main__":
    main()
