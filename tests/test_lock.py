"""requirements.lock (`make lock`) pins, with hashes, what a production server installs; it
stays in step with the ranges of pyproject.toml, and every range has an upper bound."""

from __future__ import annotations

import re
import tomllib

from packaging.requirements import Requirement
from packaging.utils import canonicalize_name

from casework.config import PROJECT_ROOT

PYPROJECT = tomllib.loads((PROJECT_ROOT / "pyproject.toml").read_text(encoding="utf-8"))
PROJECT = PYPROJECT["project"]
PIN = re.compile(r"^([A-Za-z0-9][A-Za-z0-9._-]*)==([^\s;\\]+)")


def declared(*extras: str) -> list[Requirement]:
    specs = list(PROJECT["dependencies"])
    for extra in extras:
        specs += PROJECT["optional-dependencies"][extra]
    return [
        requirement
        for requirement in map(Requirement, specs)
        if canonicalize_name(requirement.name) != "casework"  # dev = casework[test] + tools
    ]


def locked() -> dict[str, tuple[str, int]]:
    """Each pinned package: its version and how many hashes it has."""
    pins: dict[str, tuple[str, int]] = {}
    current = None
    for line in (PROJECT_ROOT / "requirements.lock").read_text(encoding="utf-8").splitlines():
        match = PIN.match(line)
        if match:
            current = canonicalize_name(match.group(1))
            pins[current] = (match.group(2), 0)
        elif current and line.strip().startswith("--hash=sha256:"):
            version, hashes = pins[current]
            pins[current] = (version, hashes + 1)
    return pins


def test_every_dependency_has_an_upper_bound():
    unbounded = [
        str(requirement)
        for requirement in declared(*PROJECT["optional-dependencies"])
        if not any(spec.operator in ("<", "<=", "==", "~=") for spec in requirement.specifier)
    ]
    assert unbounded == []


def test_the_lock_pins_what_a_server_installs_within_the_ranges_with_hashes():
    pins = locked()
    assert pins, "requirements.lock has no pinned package"
    for requirement in declared("deploy"):
        name = canonicalize_name(requirement.name)
        assert name in pins, f"{name} is missing from requirements.lock: run `make lock`"
        version, _ = pins[name]
        assert requirement.specifier.contains(version, prereleases=True), (
            f"requirements.lock pins {name}=={version}, outside {requirement}: run `make lock`"
        )
    unhashed = [name for name, (_, hashes) in pins.items() if hashes == 0]
    assert unhashed == []


def test_the_lock_holds_nothing_for_development_only():
    pins = locked()
    for requirement in declared("test", "dev", "lock"):
        if requirement not in declared("deploy"):
            assert canonicalize_name(requirement.name) not in pins, requirement.name
