"""The layers (docs/contributing.md): the import-linter contracts of pyproject.toml hold, they
break on a deliberate violation, and no module hides a casework import inside a function."""

from __future__ import annotations

import ast
import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
PACKAGE = ROOT / "casework"
# The one way to keep an import inside a function: say why, on its line.
ALLOWED = "# optional dependency:"


def hidden_imports(source: str) -> list[int]:
    """Lines of the ``casework`` imports made inside a function or a class, unmarked."""
    tree = ast.parse(source)
    lines = source.splitlines()
    found = []
    for node in ast.walk(tree):
        if not isinstance(node, ast.FunctionDef | ast.AsyncFunctionDef | ast.ClassDef):
            continue
        for inner in ast.walk(node):
            if isinstance(inner, ast.ImportFrom):
                names = [inner.module or ""]
            elif isinstance(inner, ast.Import):
                names = [alias.name for alias in inner.names]
            else:
                continue
            ours = any(name == "casework" or name.startswith("casework.") for name in names)
            if ours and ALLOWED not in lines[inner.lineno - 1]:
                found.append(inner.lineno)
    return sorted(set(found))


def test_no_casework_import_is_hidden_in_a_function():
    hidden = {
        str(path.relative_to(ROOT)): lines
        for path in sorted(PACKAGE.rglob("*.py"))
        if (lines := hidden_imports(path.read_text(encoding="utf-8")))
    }
    assert hidden == {}, (
        "import these at the top of the module; a cycle or an upward import is fixed by "
        "moving code down a layer or by a signal (casework/signals.py), not hidden"
    )


def test_the_hidden_import_check_finds_one():
    source = (
        "from casework.db import utcnow\n"
        "def f():\n"
        "    from casework.cases.services import purge_case\n"
        "    import casework.geo\n"
        "    from weasyprint import HTML\n"
        "def g():\n"
        "    from casework.reports import render  # optional dependency: none, a test\n"
    )
    assert hidden_imports(source) == [3, 4]


def lint_imports(tree: Path) -> subprocess.CompletedProcess:
    """``lint-imports`` on the package found in ``tree``, with the project's contracts."""
    code = (
        "import sys\n"
        "from importlinter.cli import lint_imports_command\n"
        "sys.argv = ['lint-imports', '--no-cache', '--config', 'pyproject.toml']\n"
        "lint_imports_command()\n"
    )
    env = {**os.environ, "PYTHONPATH": str(tree)}
    return subprocess.run(
        [sys.executable, "-c", code],
        cwd=tree,
        env=env,
        capture_output=True,
        text=True,
        timeout=300,
        check=False,
    )


def test_the_contracts_hold():
    result = lint_imports(ROOT)
    assert result.returncode == 0, result.stdout + result.stderr
    assert "broken" not in result.stdout.lower().replace("0 broken", "")


@pytest.fixture(scope="module")
def copy_of_the_project(tmp_path_factory) -> Path:
    tree = tmp_path_factory.mktemp("layers")
    shutil.copytree(
        PACKAGE,
        tree / "casework",
        ignore=shutil.ignore_patterns("__pycache__", "translations", "data"),
    )
    shutil.copy(ROOT / "pyproject.toml", tree / "pyproject.toml")
    return tree


@pytest.mark.parametrize(
    ("module", "line", "broken"),
    [
        # An upward import, of a view: the layers and the views' protection break.
        (
            "geo/services/tree.py",
            "from casework.cases.views import case_history",
            [
                "casework.geo is not allowed to import casework.cases",
                "Illegal imports of protected package casework.cases.views",
            ],
        ),
        # A leaf that learns a domain.
        (
            "core/errors.py",
            "from casework.audit import services",
            ["Leaves know no domain BROKEN"],
        ),
        # A cycle inside a domain: services already imports access.
        (
            "cases/access.py",
            "from casework.cases import services",
            ["No import cycle between packages or modules BROKEN"],
        ),
    ],
)
def test_a_deliberate_violation_breaks_a_contract(copy_of_the_project, module, line, broken):
    path = copy_of_the_project / "casework" / module
    original = path.read_text(encoding="utf-8")
    path.write_text(original + f"\n{line}  # noqa\n", encoding="utf-8")
    try:
        result = lint_imports(copy_of_the_project)
    finally:
        path.write_text(original, encoding="utf-8")
    assert result.returncode == 1, result.stdout + result.stderr
    for words in broken:
        assert words in result.stdout.replace("\n", " ") or words in result.stdout, result.stdout
