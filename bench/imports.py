"""A 500-row case register (XLSX) imported into the benchmark database of a scale.

    python -m bench.imports [--scale 100k] [--rows 500]

The register is written with French headers and French labels (the lookups of labels and
place names are part of what is timed), two parties a row, places all over the starter
geography. The import runs as the real command (`casework import cases FILE --as ...`) in a
child process, on a copy of the benchmark database (so that the database stays as
generated); the wall time includes the command's start, and the processor time it used is
given beside it (the machine may be shared). Target: under 10 s at 100 000 cases
(issue 16). Figures are printed and written to bench/imports.json.
"""

from __future__ import annotations

import argparse
import csv
import json
import os
import random
import resource
import shutil
import subprocess
import sys
import tempfile
import time
from datetime import date, timedelta
from pathlib import Path

from openpyxl import Workbook

from bench import databases

ROOT = Path(__file__).resolve().parent.parent
OUTPUT = ROOT / "bench" / "imports.json"
CASEWORK = str(Path(sys.executable).parent / "casework")
UNITS = ROOT / "casework" / "geo" / "data" / "units.csv"
VOCABULARIES = ROOT / "casework" / "vocab" / "data" / "vocabularies.json"
HEADERS = [
    "Référence au registre",
    "Région",
    "Cercle",
    "Commune",
    "Date des faits",
    "Date du signalement",
    "Canal de signalement",
    "Type de conflit",
    "Portée du conflit",
    "Titre",
    "Personnes affectées",
    "Décès",
    "Partie 1 : Rôle",
    "Partie 1 : Nom",
    "Partie 1 : Sexe",
    "Partie 2 : Rôle",
    "Partie 2 : Nom",
    "Partie 2 : Sexe",
]


def register(rows: int, seed: int = 16) -> bytes:
    rnd = random.Random(seed)  # noqa: S311 - a reproducible register, not a secret
    units = list(csv.DictReader(UNITS.open(encoding="utf-8")))
    by_code = {unit["code"]: unit for unit in units}
    communes = [unit for unit in units if unit["kind"] == "commune"]
    terms = json.loads(VOCABULARIES.read_text(encoding="utf-8"))

    def label(vocabulary: str, skip: frozenset = frozenset()) -> str:
        # Mandatory-referral types are registered too; only active, seeded terms are used.
        return rnd.choice([t for t in terms[vocabulary]["terms"] if t["code"] not in skip])["fr"]

    book = Workbook()
    sheet = book.active
    sheet.append(HEADERS)
    start = date(2026, 1, 1)
    for number in range(rows):
        commune = rnd.choice(communes)
        cercle = by_code[commune["parent_code"]]
        region = by_code[cercle["parent_code"]]
        event = start + timedelta(days=rnd.randrange(300))
        sheet.append(
            [
                f"BENCH-{number:05d}",
                region["name"],
                cercle["name"],
                commune["name"],
                event.isoformat(),
                (event + timedelta(days=rnd.randrange(5))).strftime("%d/%m/%Y"),
                # A case sent by a court names it: a column this register does not have.
                label("reporting_channel", frozenset({"INSTITUTION"})),
                label("conflict_type"),
                label("scope"),
                f"Différend {number} à {commune['name']}",
                rnd.randrange(1, 40),
                0,
                "demandeur",
                f"Demandeur {number}",
                rnd.choice(["homme", "femme"]),
                "défendeur",
                f"Défendeur {number}",
                rnd.choice(["homme", "femme"]),
            ]
        )
    with tempfile.SpooledTemporaryFile() as out:
        book.save(out)
        out.seek(0)
        return out.read()


def cpu_seconds() -> float:
    """The processor time used by the finished children (user and system)."""
    usage = resource.getrusage(resource.RUSAGE_CHILDREN)
    return usage.ru_utime + usage.ru_stime


def run(args: list[str], env: dict, stdin: str | None = None) -> subprocess.CompletedProcess:
    done = subprocess.run(  # noqa: S603
        [CASEWORK, *args], env=env, input=stdin, capture_output=True, text=True, check=False
    )
    if done.returncode != 0:
        raise SystemExit(f"casework {' '.join(args)} failed:\n{done.stderr[-3000:]}")
    return done


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--scale", default="100k")
    parser.add_argument("--rows", type=int, default=500)
    options = parser.parse_args()
    database = databases.sqlite_database(options.scale)
    source = Path(database.url.removeprefix("sqlite:///"))
    with tempfile.TemporaryDirectory() as folder:
        copy = Path(folder) / "casework.sqlite3"
        shutil.copyfile(source, copy)
        # Written to disk before the clock starts: the import's commit would otherwise wait
        # for the copy's dirty pages (its fsync), and time the copy.
        with copy.open("rb+") as written:
            os.fsync(written.fileno())
        env = {
            **os.environ,
            "DATABASE_URL": f"sqlite:///{copy}",
            "CASEWORK_INSTANCE_PATH": folder,
            "CASEWORK_CONFIG": "production",
        }
        env.setdefault("SECRET_KEY", "bench-only-secret")
        run(
            ["users", "create", "bench-import", "--role", "admin", "--password-stdin"],
            env,
            "une phrase secrète pour mesurer\n",
        )
        path = Path(folder) / "registre.xlsx"
        path.write_bytes(register(options.rows))
        started, cpu = time.perf_counter(), cpu_seconds()
        done = run(["import", "cases", str(path), "--as", "bench-import"], env)
        elapsed, used = time.perf_counter() - started, cpu_seconds() - cpu
        started, cpu = time.perf_counter(), cpu_seconds()
        again = run(["import", "cases", str(path), "--as", "bench-import"], env)
        again_elapsed, again_used = time.perf_counter() - started, cpu_seconds() - cpu
    summary = done.stdout.strip().splitlines()[-1]
    if f"Created {options.rows}," not in summary:
        raise SystemExit(f"The import did not create every row: {summary}")
    results = {
        "scale": options.scale,
        "rows": options.rows,
        "sqlite": {
            "import register xlsx": {
                "seconds": round(elapsed, 2),
                "cpu_seconds": round(used, 2),
                "output": summary,
            },
            "import again (nothing to add)": {
                "seconds": round(again_elapsed, 2),
                "cpu_seconds": round(again_used, 2),
                "output": again.stdout.strip().splitlines()[-1],
            },
        },
    }
    for name, figure in results["sqlite"].items():
        print(
            f"{name:32} {figure['seconds']:6.2f} s ({figure['cpu_seconds']:5.2f} s of processor)"
            f"  {figure['output']}"
        )
    OUTPUT.write_text(json.dumps(results, indent=2, ensure_ascii=False) + "\n")


if __name__ == "__main__":
    main()
