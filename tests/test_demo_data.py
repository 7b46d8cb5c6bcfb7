"""The demo's words and numbers as data files (casework/demo/data/*.json): what someone who
edits or translates them needs to hold true."""

from __future__ import annotations

import fnmatch
import json
import string
import tomllib
from pathlib import Path

import pytest

from casework.demo import stories

ROOT = Path(__file__).resolve().parent.parent
DATA = ROOT / "casework" / "demo" / "data"
LANGUAGES = {"fr", "en"}


def data_files() -> list[Path]:
    return sorted(DATA.glob("*.json"))


def placeholders(text: str) -> set[str]:
    return {name for _literal, name, _spec, _conv in string.Formatter().parse(text) if name}


def texts(value, where: str = ""):
    """Every text given by language ({"fr": …, "en": …} with string values) in a file."""
    if isinstance(value, dict):
        if value and set(value) <= LANGUAGES and all(isinstance(v, str) for v in value.values()):
            yield where, value
            return
        for key, item in value.items():
            yield from texts(item, f"{where}.{key}")
    elif isinstance(value, list):
        for index, item in enumerate(value):
            yield from texts(item, f"{where}[{index}]")


def test_the_data_files_ship_with_the_package():
    pyproject = tomllib.loads((ROOT / "pyproject.toml").read_text(encoding="utf-8"))
    patterns = pyproject["tool"]["setuptools"]["package-data"]["casework"]
    files = data_files()
    assert {path.name for path in files} >= {"stories.json", "people.json", "policing.json"}
    for path in files:
        relative = path.relative_to(ROOT / "casework").as_posix()
        assert any(fnmatch.fnmatch(relative, pattern) for pattern in patterns), relative


@pytest.mark.parametrize("path", data_files(), ids=lambda path: path.name)
def test_every_text_has_its_french_and_a_translation_keeps_the_placeholders(path):
    data = json.loads(path.read_text(encoding="utf-8"))
    assert data["_about"], "each file says what it holds"
    found = list(texts(data))
    for where, text in found:
        assert text.get("fr", "").strip(), f"{path.name}{where}: no French"
        if "en" in text:
            assert text["en"].strip(), f"{path.name}{where}: empty English"
            assert placeholders(text["en"]) == placeholders(text["fr"]), f"{path.name}{where}"


def test_every_story_is_told_in_french_and_english():
    data = json.loads((DATA / "stories.json").read_text(encoding="utf-8"))["stories"]
    known = {"place", "a", "b", "village", "deceased", "heads", "fcfa", "ha"}
    assert sum(len(told) for told in data.values()) >= 30
    for conflict_type, told in data.items():
        assert told, conflict_type
        for story in told:
            assert len(story["parties"]) == 2
            for part in ("title", "narrative"):
                assert set(story[part]) == LANGUAGES, (conflict_type, part)
                assert placeholders(story[part]["fr"]) <= known, story[part]["fr"]
    # The planner draws a story for every conflict type it can draw.
    assert set(stories.CONFLICT_WEIGHTS) == set(data) == set(stories.SCOPES)


def test_the_data_refer_to_places_users_and_communes_that_exist():
    places = {place.code for place in stories.PLACES}
    usernames = {user.username for user in stories.DEMO_USERS}
    assert {unit.commune for unit in stories.POLICE_UNITS} <= places
    assert {unit.focal_point for unit in stories.POLICE_UNITS} - {None} <= usernames
    assert set(stories.CCS_COMMUNES) <= places
    assert {commune for commune, _category, _days in stories.WARNING_RUNS} <= places
    assert {place.region for place in stories.PLACES} == set(stories.VILLAGES)
    assert set(stories.REGION_ETHNIC) == set(stories.VILLAGES)
    assert set(stories.ACTIVITY_PROFILES) == set(stories.ACTIVITY_TOPICS)
    assert set(stories.ALERT_CATEGORY_WEIGHTS) == set(stories.FORWARD_TARGETS)
    assert set(stories.LEVEL_ACTOR_TYPES) == set(range(5))
