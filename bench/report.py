"""The results table, printed and written into docs/performance.md between the markers
``<!-- bench:start -->`` and ``<!-- bench:end -->`` (the rest of that file belongs to others)."""

from __future__ import annotations

import re
from pathlib import Path

# Hand-written part of the section (how to run, what was optimised, the gaps and their
# plan): kept in bench/notes.md so that each run rewrites the figures around it.
NOTES = Path(__file__).resolve().parent / "notes.md"
START = "<!-- bench:start -->"
END = "<!-- bench:end -->"
# Targets at 100 000 cases (p95, ms), and the growth allowed from 10k to 100k.
TARGETS_MS = {
    "list_filtered_first": 20,
    "list_filtered_deep": 20,
    "list_area_deep": 20,
    "search_party": 20,
    "case_page": 20,
    "case_page_admin": 20,
    "register_case": 50,
    "dashboard": 200,
    "report_json": 300,
    "report_pdf": 3000,
    "export_csv": 10_000,
}
# Peak resident memory of the process that serves the CSV export of every case.
MEMORY_TARGETS_MB = {"export_csv": 200}
GROWTH_LIMIT = 1.3
GROWTH_CHECKED = {
    "list_filtered_first", "list_filtered_deep", "list_area_deep", "search_party", "case_page",
    "case_page_admin",
}  # fmt: skip


def _rows_by(results: dict) -> dict:
    found = {}
    for run in results["runs"]:
        for row in run["operations"]:
            found[(run["backend"], run["scale"], row["operation"])] = row
    return found


def verdicts(results: dict) -> list[str]:
    """One line per target: met, or missed by how much."""
    rows = _rows_by(results)
    lines = []
    for backend in sorted({run["backend"] for run in results["runs"]}):
        for operation, limit in TARGETS_MS.items():
            big = rows.get((backend, "100k", operation))
            small = rows.get((backend, "10k", operation))
            if big is None:
                continue
            mark = "met" if big["p95_ms"] <= limit else "**missed**"
            line = f"{backend}, {big['label']}: p95 {big['p95_ms']:.1f} ms ≤ {limit} ms {mark}"
            if small and operation in GROWTH_CHECKED:
                growth = big["p95_ms"] / small["p95_ms"] if small["p95_ms"] else 0
                gmark = "met" if growth <= GROWTH_LIMIT else "**missed**"
                line += f"; growth 10k→100k ×{growth:.2f} ≤ ×{GROWTH_LIMIT} {gmark}"
            if operation in MEMORY_TARGETS_MB and "peak_mb" in big:
                most = MEMORY_TARGETS_MB[operation]
                mmark = "met" if big["peak_mb"] <= most else "**missed**"
                line += f"; peak memory {big['peak_mb']:.0f} MB ≤ {most} MB {mmark}"
            lines.append(f"- {line}")
    return lines


def table(results: dict) -> str:
    header = (
        "| backend | cases | operation | median ms | p95 ms | SQL floor ms | bare endpoint ms "
        "| ratio to floor |\n|---|---:|---|---:|---:|---:|---:|---:|"
    )
    lines = [header]
    for run in results["runs"]:
        for row in run["operations"]:
            ratio = row["ratio_to_floor"]
            label = row["label"]
            if "peak_mb" in row:
                label += f", peak memory {row['peak_mb']:.0f} MB"
            lines.append(
                f"| {run['backend']} | {run['cases']:,} | {label} | {row['median_ms']:.2f} "
                f"| {row['p95_ms']:.2f} | {row['baseline_sql_median_ms']:.2f} "
                f"| {row['bare_endpoint_median_ms']:.2f} | {ratio:.1f}× |"
            )
    lines.append("")
    lines.append(
        "| backend | cases | case list req/s | bare endpoint req/s | bare ÷ list |\n"
        "|---|---:|---:|---:|---:|"
    )
    for run in results["runs"]:
        t = run["throughput"]
        if t:
            lines.append(
                f"| {run['backend']} | {run['cases']:,} | {t['case_list_rps']:.0f} "
                f"| {t['bare_rps']:.0f} | {t['ratio']:.1f} |"
            )
        else:
            lines.append(
                f"| {run['backend']} | {run['cases']:,} | skipped | skipped "
                f"| {run['throughput_skipped'] or 'not run'} |"
            )
    return "\n".join(lines)


def section(results: dict) -> str:
    m = results["machine"]
    built = [
        f"{run['backend']} {run['scale']}: {run['generated_seconds']:.0f} s"
        for run in results["runs"]
        if run["generated_seconds"] is not None
    ]
    parts = [
        START,
        "## Benchmarks (`make bench`)",
        "",
        f"Last run: {results['generated_at']} (commit {results['commit'] or 'n/a'}), on "
        f"{m['cpu']}, {m['cores']} cores, {m['memory']}, {m['os']}, Python {m['python']}, "
        f"SQLite {m['sqlite']}. {results['iterations']} timed requests per operation after "
        f"{results['warmup']} warm-up requests (registration: half as many), in process "
        "through the WSGI app (Flask's test client), "
        f"{results['scope']}. Filters of the list: area {results['filters']['area']}, type "
        f"{results['filters']['type']}, status {results['filters']['status']}.",
        "",
        "*SQL floor*: the same data fetched by bare SQLAlchemy Core queries (the page's rows "
        "and its count; the case and its records; the registration's rows written by hand; "
        "the dashboard's aggregates; the periodic report's main aggregates, one query per "
        "table read; every case with its place, streamed, for the CSV export). "
        "*Bare endpoint*: a route of the bench app that returns `ok` through the same Flask "
        "stack and request hooks. *Ratio to floor* = median ÷ (SQL floor + bare endpoint).",
        "",
        table(results),
        "",
        "Throughput: gunicorn, 2 sync workers on 127.0.0.1, wrk with 2 threads and 8 "
        "connections for 10 s per URL, signed in as the coordinator (cookie header), on the "
        "same 2-core machine as the load generator.",
        "",
        "Targets at 100 000 cases:",
        "",
        *verdicts(results),
        "",
        "The dashboard is the Gao coordinator's home page; the periodic report covers the "
        "region of Gao and the last whole quarter, requested by the coordinator (PDF: a sixth "
        "of the requests, at least 5); the CSV export of every case is requested by the "
        f"administrator {reporting_note()}.",
    ]
    if built:
        parts += [
            "",
            "Databases generated in this run (`casework demo generate`): " + ", ".join(built) + ".",
        ]
    if NOTES.exists():
        parts += ["", NOTES.read_text().strip()]
    parts.append(END)
    return "\n".join(parts)


def reporting_note() -> str:
    from bench.reporting import CSV_RUNS

    return (
        f"in a process of its own ({CSV_RUNS} downloads after one warm-up, the streamed body "
        "read to its end); its peak memory is that process's peak resident set from the first "
        "download on (VmHWM, reset after the sign-in, whose argon2 check takes tens of MB for "
        "a moment), the app and its imports included"
    )


def update_docs(results: dict, path: Path) -> None:
    text = (
        path.read_text()
        if path.exists()
        else (
            "# Performance\n\n" + START + "\n" + END + "\n\n## Pages in a browser\n\n"
            "(Written by the browser helper.)\n"
        )
    )
    if START not in text:
        text = text.rstrip("\n") + "\n\n" + START + "\n" + END + "\n"
    pattern = re.compile(re.escape(START) + ".*?" + re.escape(END), re.S)
    text = pattern.sub(lambda _m: section(results), text, count=1)
    path.write_text(text)
