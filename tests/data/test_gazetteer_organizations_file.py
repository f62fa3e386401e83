"""Checks of the curated organizations gazetteer, data/gazetteer/organizations.yaml."""

from __future__ import annotations

import re
from collections import Counter
from pathlib import Path
from typing import Any

import pytest
import yaml

GAZETTEER = Path(__file__).parents[2] / "data" / "gazetteer" / "organizations.yaml"

SLUG = re.compile(r"^[a-z0-9]+(?:-[a-z0-9]+)*$")
QID = re.compile(r"^Q[1-9][0-9]*$")
STATE_KEY = re.compile(r"^state/[a-z0-9]+(?:-[a-z0-9]+)*$")
# The subclasses of ag:Agency (docs/architecture.md, "Ontology terms").
STATE_BODIES = {"GovernmentAgency", "Ministry", "ArmedForce", "MilitaryUnit", "Legislature"}
OTHER_BODIES = {"InternationalOrganization", "ThinkTank", "University", "PoliticalParty"}
SUBTYPES = frozenset(STATE_BODIES | OTHER_BODIES | {"Publisher", "Newspaper"})
KEYS = frozenset(
    {
        "id",
        "type",
        "subtype",
        "label",
        "acronyms",
        "aliases",
        "labels",
        "qid",
        "qid_checked",
        "description",
        "country",
        "parent",
        "start",
        "end",
        "ambiguous",
    }
)
LANGUAGES = frozenset({"ja", "ko", "zh"})
MAX_ACRONYM = 10


@pytest.fixture(scope="module")
def entries() -> list[dict[str, Any]]:
    """The gazetteer's entries, parsed once."""
    data = yaml.safe_load(GAZETTEER.read_text(encoding="utf-8"))
    assert isinstance(data, list)
    assert all(isinstance(entry, dict) for entry in data)
    return data


def _surface_forms(entry: dict[str, Any]) -> list[str]:
    return [entry["label"], *entry.get("aliases", []), *entry.get("acronyms", [])]


def test_file_covers_the_field(entries: list[dict[str, Any]]) -> None:
    """The file holds a broad set of organizations."""
    assert len(entries) >= 250


def test_only_known_keys(entries: list[dict[str, Any]]) -> None:
    """Every entry uses only the keys of the gazetteer format for organizations."""
    bad = {entry.get("id"): sorted(set(entry) - KEYS) for entry in entries if set(entry) - KEYS}
    assert not bad


def test_ids_are_unique_slugs(entries: list[dict[str, Any]]) -> None:
    """Ids are slug-shaped and unique."""
    ids = [entry.get("id") for entry in entries]
    assert all(isinstance(i, str) and SLUG.match(i) for i in ids), [
        i for i in ids if not (isinstance(i, str) and SLUG.match(i))
    ]
    duplicates = [i for i, n in Counter(ids).items() if n > 1]
    assert not duplicates


def test_type_subtype_and_label(entries: list[dict[str, Any]]) -> None:
    """Each entry is an organization with a known subtype and a non-empty label."""
    for entry in entries:
        assert entry["type"] == "organization", entry["id"]
        assert entry["subtype"] in SUBTYPES, entry["id"]
        label = entry.get("label")
        assert isinstance(label, str), entry["id"]
        assert label.strip() == label, entry["id"]
        assert label, entry["id"]


def test_surface_forms_are_clean_strings(entries: list[dict[str, Any]]) -> None:
    """Aliases and acronyms are lists of non-empty strings without stray blanks or repeats."""
    for entry in entries:
        for field in ("aliases", "acronyms"):
            values = entry.get(field, [])
            assert isinstance(values, list), (entry["id"], field)
            for value in values:
                assert isinstance(value, str), (entry["id"], field, value)
                assert value, (entry["id"], field)
                assert value.strip() == value, (entry["id"], field, value)
        forms = _surface_forms(entry)
        assert len(forms) == len(set(forms)), entry["id"]


def test_acronyms_are_short(entries: list[dict[str, Any]]) -> None:
    """Acronyms are short forms of at most ten characters."""
    long_ones = [
        (entry["id"], acronym)
        for entry in entries
        for acronym in entry.get("acronyms", [])
        if len(acronym) > MAX_ACRONYM
    ]
    assert not long_ones


def test_surface_forms_name_one_organization(entries: list[dict[str, Any]]) -> None:
    """No label, alias or acronym is shared by two organizations (it could not link)."""
    owners: dict[str, set[str]] = {}
    for entry in entries:
        for form in _surface_forms(entry):
            owners.setdefault(form, set()).add(entry["id"])
    shared = {form: sorted(ids) for form, ids in owners.items() if len(ids) > 1}
    assert not shared


def test_qids_are_well_formed_and_checked(entries: list[dict[str, Any]]) -> None:
    """A QID has the Wikidata shape, says how it was checked, and names one entry only."""
    qids = []
    for entry in entries:
        if "qid" in entry:
            assert isinstance(entry["qid"], str), entry["id"]
            assert QID.match(entry["qid"]), entry["id"]
            assert entry.get("qid_checked") == "find_string", entry["id"]
            qids.append(entry["qid"])
        else:
            assert "qid_checked" not in entry, entry["id"]
    assert len(qids) == len(set(qids))


def test_parents_exist(entries: list[dict[str, Any]]) -> None:
    """Parent keys point at other entries of this file."""
    keys = {f"organization/{entry['id']}" for entry in entries}
    for entry in entries:
        parent = entry.get("parent")
        if parent is not None:
            assert parent in keys, (entry["id"], parent)
            assert parent != f"organization/{entry['id']}", entry["id"]


def test_parent_chains_end(entries: list[dict[str, Any]]) -> None:
    """Following parents never loops."""
    parent_of = {
        f"organization/{entry['id']}": entry["parent"] for entry in entries if "parent" in entry
    }
    for start in parent_of:
        seen = {start}
        key = parent_of.get(start)
        while key is not None:
            assert key not in seen, start
            seen.add(key)
            key = parent_of.get(key)


def test_country_labels_and_years(entries: list[dict[str, Any]]) -> None:
    """Countries are state keys, other-language labels are ja/ko/zh, years are ordered."""
    for entry in entries:
        if "country" in entry:
            assert STATE_KEY.match(entry["country"]), entry["id"]
        labels = entry.get("labels", {})
        assert isinstance(labels, dict), entry["id"]
        assert set(labels) <= LANGUAGES, entry["id"]
        assert all(isinstance(v, str) and v for v in labels.values()), entry["id"]
        start, end = entry.get("start"), entry.get("end")
        for year in (start, end):
            assert year is None or (isinstance(year, int) and 1000 <= year <= 2100), entry["id"]
        if start is not None and end is not None:
            assert start <= end, entry["id"]


def test_descriptions_are_present(entries: list[dict[str, Any]]) -> None:
    """Each entry has a one-line description."""
    for entry in entries:
        description = entry.get("description")
        assert isinstance(description, str), entry["id"]
        assert description, entry["id"]
        assert "\n" not in description, entry["id"]


def test_ids_the_brief_names(entries: list[dict[str, Any]]) -> None:
    """Keys other gazetteer files rely on are present."""
    ids = {entry["id"] for entry in entries}
    expected = {
        "japan-self-defense-forces",
        "japan-ground-self-defense-force",
        "japan-maritime-self-defense-force",
        "japan-air-self-defense-force",
        "us-army",
        "us-navy",
        "us-air-force",
        "us-marine-corps",
        "us-forces-japan",
        "us-forces-korea",
        "us-seventh-fleet",
        "iii-marine-expeditionary-force",
        "united-nations-command",
        "united-nations-command-rear",
        "republic-of-korea-armed-forces",
        "republic-of-korea-army",
        "republic-of-korea-navy",
        "republic-of-korea-air-force",
        "korean-people-s-army",
    }
    assert expected <= ids, sorted(expected - ids)
