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
# Rows over HTTP (bench/served.py), with who asks for them.
HTTP_LABELS = {
    "generic_list": "Generic admin list (Flask-Admin, flat table), page 1",
    "bare_flask": "Bare Flask endpoint (no hooks)",
    "bare_endpoint": "Casework bare endpoint (its hooks, no database work)",
    "list_first": "Case list, page 1",
    "list_filtered_first": "Case list, area+type+status, page 1",
    "list_filtered_deep": "Case list, area+type+status, last page",
    "list_area_deep": "Case list, whole area, deep page (pager)",
    "list_area_typed_page": "Case list, whole area, deep page by its number (OFFSET)",
    "search_party": "Search by party name",
    "case_page": "Case page",
    "list_first_admin": "Case list, page 1 (admin)",
    "case_page_admin": "Case page (admin)",
    "list_first_mediator": "Case list, page 1 (mediator)",
    "dashboard": "Dashboard",
    "report_json": "Periodic report JSON",
    "report_pdf": "Periodic report PDF",
    "register_case": "Case registration with the duplicate check (POST)",
    "register_case_mediator": "Case registration with the duplicate check (mediator)",
}
ROLE_NAMES = {"bench.coordinator": "coordinator", "bench.admin": "admin",
              "bench.mediator": "mediator"}  # fmt: skip
# Targets (issue 19): at 100 000 cases, over HTTP, 1 worker, SQLite.
PAGES = ("list_first", "list_filtered_first", "list_area_deep", "search_party", "case_page")
PAGE_P95_MS = 20
PAGE_SHARE_OF_GENERIC = 0.5
P95_TARGETS_MS = {"register_case": 30, "dashboard": 50, "report_json": 150, "report_pdf": 2000}
GROWTH_LIMIT = 1.3
GROWTH_CHECKED = ("dashboard",)
THROUGHPUT_FACTOR = 3
POSTGRES_FACTOR = 1.3
MILLION_FACTOR = 1.3
MILLION_REPORT_JSON_MS = 500


def _runs(results: dict) -> dict:
    return {(run["backend"], run["scale"]): run for run in results["runs"]}


def _mark(ok: bool) -> str:
    return "met" if ok else "**missed**"


def verdicts(results: dict) -> list[str]:
    """One line per target: met, or missed and by how much."""
    runs = _runs(results)
    lines = []
    big = runs.get(("sqlite", "100k"))
    small = runs.get(("sqlite", "10k"))
    if big and big.get("http"):
        http, generic = big["http"], big["generic"]["generic_list"]
        for op in PAGES:
            row = http[op]
            share = row["median_ms"] / generic["median_ms"]
            lines.append(
                f"- {HTTP_LABELS[op]}: p50 {row['median_ms']:.1f} ms = {share:.2f}× the generic "
                f"list's {generic['median_ms']:.1f} ms (≤ {PAGE_SHARE_OF_GENERIC}×) "
                f"{_mark(share <= PAGE_SHARE_OF_GENERIC)}; p95 {row['p95_ms']:.1f} ms "
                f"(≤ {PAGE_P95_MS} ms) {_mark(row['p95_ms'] <= PAGE_P95_MS)}"
            )
        for op, limit in P95_TARGETS_MS.items():
            row = http[op]
            line = (
                f"- {HTTP_LABELS[op]}: p95 {row['p95_ms']:.1f} ms (≤ {limit} ms) "
                f"{_mark(row['p95_ms'] <= limit)}"
            )
            if op in GROWTH_CHECKED and small and small.get("http"):
                growth = row["p95_ms"] / small["http"][op]["p95_ms"]
                line += (
                    f"; growth 10k→100k ×{growth:.2f} (≤ ×{GROWTH_LIMIT}) "
                    f"{_mark(growth <= GROWTH_LIMIT)}"
                )
            lines.append(line)
        t = (big.get("throughput") or {}).get("by_workers", {}).get("2")
        if t:
            ratio = t["case_list_rps"] / t["generic_list_rps"]
            lines.append(
                f"- Case-list throughput, 2 workers: {t['case_list_rps']:.0f} req/s = "
                f"{ratio:.2f}× the generic list's {t['generic_list_rps']:.0f} "
                f"(≥ {THROUGHPUT_FACTOR}×) {_mark(ratio >= THROUGHPUT_FACTOR)}"
            )
    for scale in ("10k", "100k"):
        lite, pg = runs.get(("sqlite", scale)), runs.get(("postgresql", scale))
        if not (lite and pg and lite.get("http") and pg.get("http")):
            continue
        worst = max(
            (pg["http"][op]["median_ms"] / lite["http"][op]["median_ms"], op)
            for op in pg["http"]
            if op in lite["http"]
        )
        lines.append(
            f"- PostgreSQL ÷ SQLite at {scale}, every row (p50): worst ×{worst[0]:.2f} "
            f"({HTTP_LABELS[worst[1]]}) (≤ ×{POSTGRES_FACTOR}) {_mark(worst[0] <= POSTGRES_FACTOR)}"
        )
    million, pg100 = runs.get(("postgresql", "1m")), runs.get(("postgresql", "100k"))
    if million and pg100 and million.get("http") and pg100.get("http"):
        worst = max(
            (million["http"][op]["median_ms"] / pg100["http"][op]["median_ms"], op) for op in PAGES
        )
        lines.append(
            f"- PostgreSQL 1 000 000 ÷ 100 000 cases, pages (p50): worst ×{worst[0]:.2f} "
            f"({HTTP_LABELS[worst[1]]}) (≤ ×{MILLION_FACTOR}) {_mark(worst[0] <= MILLION_FACTOR)}"
        )
        p95 = million["http"]["report_json"]["p95_ms"]
        lines.append(
            f"- PostgreSQL 1 000 000 cases, periodic report JSON: p95 {p95:.0f} ms "
            f"(≤ {MILLION_REPORT_JSON_MS} ms) {_mark(p95 <= MILLION_REPORT_JSON_MS)}"
        )
    if not lines:
        lines.append("- (no run over HTTP at 100 000 cases in this run: no verdict)")
    return lines


def http_table(results: dict) -> str:
    lines = [
        "| backend | cases | operation | as | p50 ms | p95 ms | p50 ÷ generic list p50 "
        "| bytes on the wire | in process p50 ms | in process p95 ms |",
        "|---|---:|---|---|---:|---:|---:|---:|---:|---:|",
    ]
    for run in results["runs"]:
        if not run.get("http"):
            continue
        in_process = {row["operation"]: row for row in run["operations"]}
        reference = run["generic"]["generic_list"]["median_ms"]
        for name, row in run["generic"].items():
            lines.append(
                f"| {run['backend']} | {run['cases']:,} | {HTTP_LABELS[name]} | — "
                f"| {row['median_ms']:.2f} | {row['p95_ms']:.2f} "
                f"| {row['median_ms'] / reference:.2f} | {row['bytes']:,} | | |"
            )
        for name, row in run["http"].items():
            inner = in_process.get(name)
            if name == "bare_endpoint" and run["operations"]:
                first = run["operations"][0]
                inner = {"median_ms": first["bare_endpoint_median_ms"],
                         "p95_ms": first["bare_endpoint_p95_ms"]}  # fmt: skip
            cells = f"{inner['median_ms']:.2f} | {inner['p95_ms']:.2f}" if inner else "— | —"
            encoding = f" ({row['encoding']})" if row["encoding"] else ""
            lines.append(
                f"| {run['backend']} | {run['cases']:,} | {HTTP_LABELS[name]} "
                f"| {ROLE_NAMES.get(row.get('as'), '')} | {row['median_ms']:.2f} "
                f"| {row['p95_ms']:.2f} | {row['ratio_to_generic']:.2f} "
                f"| {row['bytes']:,}{encoding} | {cells} |"
            )
    return "\n".join(lines)


def throughput_table(results: dict) -> str:
    lines = [
        "| backend | cases | workers | case list req/s | generic list req/s | case list ÷ "
        "generic | Casework bare req/s | Flask bare req/s |",
        "|---|---:|---:|---:|---:|---:|---:|---:|",
    ]
    for run in results["runs"]:
        t = run.get("throughput")
        if not t:
            lines.append(
                f"| {run['backend']} | {run['cases']:,} | — | skipped | | "
                f"| {run.get('throughput_skipped') or 'not run'} | |"
            )
            continue
        for workers, f in t["by_workers"].items():
            lines.append(
                f"| {run['backend']} | {run['cases']:,} | {workers} | {f['case_list_rps']:.0f} "
                f"| {f['generic_list_rps']:.0f} | {f['ratio_to_generic']:.2f} "
                f"| {f['bare_rps']:.0f} | {f['bare_flask_rps']:.0f} |"
            )
    return "\n".join(lines)


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
    return "\n".join(lines)


def section(results: dict) -> str:
    m = results["machine"]
    built = [
        f"{run['backend']} {run['scale']}: {run['generated_seconds']:.0f} s"
        for run in results["runs"]
        if run["generated_seconds"] is not None
    ]
    http = results.get("http", {})
    load = http.get("load_average_at_start")
    load_end = results.get("load_average_at_end")
    load_text = ""
    if load:
        load_text = (
            f" Load average of the machine (1, 5, 15 min) at the start: "
            f"{', '.join(f'{x:.1f}' for x in load)}"
        )
        if load_end:
            load_text += f"; at the end: {', '.join(f'{x:.1f}' for x in load_end)}"
        load_text += " (other work shared the cores: read ratios rather than absolute times)."
    parts = [
        START,
        "## Benchmarks (`make bench`)",
        "",
        f"Last run: {results['generated_at']} (commit {results['commit'] or 'n/a'}), on "
        f"{m['cpu']}, {m['cores']} cores, {m['memory']}, {m['os']}, Python {m['python']}, "
        f"SQLite {m['sqlite']}.{load_text}",
        "",
        "### Over HTTP, beside a generic admin list",
        "",
        f"Casework served by {http.get('server', 'gunicorn')} (1 worker), each user on one "
        "keep-alive connection, signed in through the sign-in form, asking for "
        f"`Accept-Encoding: {http.get('accept_encoding', 'br, gzip')}` as a browser does; a "
        "time runs from the request's first byte to the response's last. In the same run, "
        "under the same gunicorn settings: the generic list (`bench/generic_admin.py`: "
        "Flask-Admin's list over one flat `cases` table holding the same cases, 25 per page, "
        "newest first, no sign-in) measured before and after Casework's rows, and a bare "
        f"Flask endpoint. {results['iterations']} timed requests per row after "
        f"{results['warmup']} warm-up requests (registrations: half as many; PDF: a sixth, "
        "at least 5). *As*: the coordinator of the Gao region, the administrator, a mediator "
        'of the Gao cercle. Registrations leave the box "not a duplicate" unticked, so '
        "the duplicate check runs (new names: nothing alike is found and the case is saved). "
        "*In process*: the same operation through Flask's test client (below).",
        "",
        http_table(results),
        "",
        "Throughput: wrk, 2 threads, 8 connections, 8 s per URL, compressed responses asked, "
        "on the same 2-core machine as the server.",
        "",
        throughput_table(results),
        "",
        "Targets (issue 19; at 100 000 cases, over HTTP, 1 worker, SQLite unless said):",
        "",
        *verdicts(results),
        "",
        "### In process",
        "",
        f"Through the WSGI app (Flask's test client), {results['scope']}. Filters of the "
        f"list: area {results['filters']['area']}, type {results['filters']['type']}, "
        f"status {results['filters']['status']}.",
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
