"""Shape and reference checks for the states, places, bases, treaties and events gazetteer files."""

from __future__ import annotations

import datetime as dt
import re
from collections import defaultdict
from pathlib import Path
from typing import Any

import pytest
import yaml

GAZETTEER = Path(__file__).parents[2] / "data" / "gazetteer"
FILES = {
    "states.yaml": "state",
    "places.yaml": "place",
    "bases.yaml": "base",
    "treaties.yaml": "treaty",
    "events.yaml": "event",
}

SLUG = re.compile(r"^[a-z0-9]+(?:-[a-z0-9]+)*$")
KEY = re.compile(r"^(?P<kind>[a-z]+)/(?P<slug>[a-z0-9]+(?:-[a-z0-9]+)*)$")
QID = re.compile(r"^Q[1-9][0-9]*$")
DATE = re.compile(r"^\d{4}(?:-\d{2}(?:-\d{2})?)?$")

# The fields of docs/architecture.md ("Gazetteer format") plus the ones these files add:
# effective_date (treaties), place and participants (events), demonyms (states) and
# ambiguous_aliases (surface forms of an entry that must not link alone).
FIELDS = {
    "id", "type", "subtype", "label", "aliases", "acronyms", "labels", "qid", "qid_checked",
    "description", "country", "located_in", "used_by", "parties", "date", "end_date",
    "ambiguous", "demonyms", "ambiguous_aliases", "effective_date", "place", "participants",
}  # fmt: skip
SUBTYPES: dict[str, set[str | None]] = {
    "state": {None},
    "place": {
        "City", "County", "District", "Village", "Prefecture", "Region", "Peninsula", "Island",
        "Islands", "Sea", "Strait", "Site",
    },
    "base": {None, "AirBase", "NavalBase", "ArmyBase", "MarineCorpsAirStation"},
    "treaty": {
        None, "Treaty", "Agreement", "Guidelines", "JointStatement", "Declaration", "Communique",
        "Armistice",
    },
    "event": {None, "War", "Crisis", "MilitaryExercise", "Incident", "Talks", "Summit"},
}  # fmt: skip
# Which kinds of key each reference field may hold.
REFERENCES = {
    "country": {"state"},
    "located_in": {"place"},
    "used_by": {"organization"},
    "parties": {"state"},
    "place": {"place", "state"},
    "participants": {"state", "organization", "person"},
}
DATE_FIELDS = ("date", "effective_date", "end_date")

Entries = dict[str, list[dict[str, Any]]]


@pytest.fixture(scope="module")
def entries() -> Entries:
    """The five files, parsed once (a missing file fails here, naming it)."""
    loaded: Entries = {}
    for name in FILES:
        data = yaml.safe_load((GAZETTEER / name).read_text(encoding="utf-8"))
        assert isinstance(data, list), f"{name}: top level must be a list"
        loaded[name] = data
    return loaded


def _all(entries: Entries) -> list[tuple[str, dict[str, Any]]]:
    return [(name, e) for name, items in entries.items() for e in items]


def _where(name: str, entry: dict[str, Any]) -> str:
    return f"{name}:{entry.get('id')}"


def _keys(entries: Entries) -> set[str]:
    return {f"{e['type']}/{e['id']}" for _, e in _all(entries)}


def _as_list(value: Any) -> list[Any]:
    if value is None:
        return []
    return value if isinstance(value, list) else [value]


def _surface_forms(entry: dict[str, Any]) -> list[str]:
    return [entry["label"], *entry.get("aliases", []), *entry.get("acronyms", [])]


def _parse_date(text: str) -> dt.date:
    parts = [int(p) for p in text.split("-")]
    return dt.date(parts[0], *(parts[1:] + [1] * (3 - len(parts))))


def test_files_are_lists_of_mappings(entries: Entries) -> None:
    """Each file is a non-empty YAML list of mappings with only the documented fields."""
    for name, items in entries.items():
        assert items, name
        for e in items:
            assert isinstance(e, dict), name
            unknown = set(e) - FIELDS
            assert not unknown, f"{_where(name, e)}: unknown fields {sorted(unknown)}"


def test_types_match_their_file(entries: Entries) -> None:
    """Every entry has the type its file is for."""
    for name, e in _all(entries):
        assert e.get("type") == FILES[name], _where(name, e)


def test_ids_are_unique_slugs(entries: Entries) -> None:
    """Ids are slugs and unique within their type."""
    seen: dict[str, list[str]] = defaultdict(list)
    for name, e in _all(entries):
        assert isinstance(e.get("id"), str), _where(name, e)
        assert SLUG.match(e["id"]), _where(name, e)
        seen[f"{e['type']}/{e['id']}"].append(name)
    dupes = sorted(k for k, files in seen.items() if len(files) > 1)
    assert not dupes


def test_labels_and_names(entries: Entries) -> None:
    """Labels, aliases, acronyms, demonyms and other-language labels are clean strings."""
    for name, e in _all(entries):
        where = _where(name, e)
        assert isinstance(e.get("label"), str), where
        assert e["label"].strip() == e["label"] != "", where
        for field in ("aliases", "acronyms", "demonyms", "ambiguous_aliases"):
            values = e.get(field, [])
            assert isinstance(values, list), f"{where}: {field}"
            assert all(isinstance(v, str) and v.strip() == v != "" for v in values), where
            assert len(values) == len(set(values)), f"{where}: repeated {field}"
        labels = e.get("labels", {})
        assert isinstance(labels, dict), where
        assert all(k in {"ja", "ko", "zh"} and isinstance(v, str) and v for k, v in labels.items())
        assert isinstance(e.get("description", ""), str), where


def test_demonyms_are_not_aliases(entries: Entries) -> None:
    """Demonyms belong to states and are never also listed as names."""
    for name, e in _all(entries):
        demonyms = set(e.get("demonyms", []))
        if demonyms:
            assert e["type"] == "state", _where(name, e)
        assert not demonyms & set(_surface_forms(e)), _where(name, e)


def test_ambiguous_aliases_are_own_forms(entries: Entries) -> None:
    """A flagged form is one of the entry's own aliases, acronyms or demonyms."""
    for name, e in _all(entries):
        own = set(_surface_forms(e)) | set(e.get("demonyms", []))
        flagged = set(e.get("ambiguous_aliases", []))
        assert flagged <= own, f"{_where(name, e)}: {sorted(flagged - own)}"


def test_shared_forms_are_flagged(entries: Entries) -> None:
    """A surface form of two entries is flagged ambiguous on one of them, or one is ambiguous."""
    owners: dict[str, list[dict[str, Any]]] = defaultdict(list)
    for _, e in _all(entries):
        for form in {f.casefold() for f in _surface_forms(e)}:
            owners[form].append(e)
    clashes = []
    for form, es in owners.items():
        if len(es) < 2:
            continue
        flagged = any(
            e.get("ambiguous") is True
            or form in {a.casefold() for a in e.get("ambiguous_aliases", [])}
            for e in es
        )
        if not flagged:
            clashes.append((form, sorted(f"{e['type']}/{e['id']}" for e in es)))
    assert not clashes


def test_subtypes_are_known(entries: Entries) -> None:
    """Subtypes come from the ontology refinements allowed for each type."""
    for name, e in _all(entries):
        assert "subtype" in e, _where(name, e)
        assert e["subtype"] in SUBTYPES[e["type"]], f"{_where(name, e)}: {e['subtype']}"


def test_ambiguous_entries(entries: Entries) -> None:
    """Ambiguity is a boolean; ambiguous entries carry no QID and no facts of their own."""
    for name, e in _all(entries):
        where = _where(name, e)
        assert isinstance(e.get("ambiguous", False), bool), where
        if e.get("ambiguous"):
            assert "qid" not in e, where
            for field in ("parties", "date", "place", "participants", "located_in"):
                assert field not in e, f"{where}: {field}"


def test_qids_are_checked(entries: Entries) -> None:
    """A QID looks like Q123, says how it was verified and names one entry only."""
    seen: dict[str, str] = {}
    for name, e in _all(entries):
        where = _where(name, e)
        if "qid" in e:
            assert isinstance(e["qid"], str), where
            assert QID.match(e["qid"]), where
            assert isinstance(e.get("qid_checked"), str), f"{where}: qid_checked"
            assert e["qid_checked"].strip(), where
            assert e["qid"] not in seen, f"{where}: same QID as {seen.get(e['qid'])}"
            seen[e["qid"]] = where
        else:
            assert "qid_checked" not in e, where


def test_dates_are_iso(entries: Entries) -> None:
    """Dates are ISO 8601 strings (day, month or year precision); ends follow starts."""
    for name, e in _all(entries):
        where = _where(name, e)
        for field in DATE_FIELDS:
            if e.get(field) is None:
                continue
            value = e[field]
            assert isinstance(value, str), f"{where}: {field} must be a quoted string"
            assert DATE.match(value), f"{where}: {field} {value!r}"
            _parse_date(value)  # raises on 1999-02-30
        start, end = e.get("date"), e.get("end_date")
        if start and end:
            assert _parse_date(start) <= _parse_date(end), where
        if e.get("effective_date"):
            assert e["type"] == "treaty", where
            assert e.get("date"), where
            assert _parse_date(e["date"]) <= _parse_date(e["effective_date"]), where


def test_references_resolve(entries: Entries) -> None:
    """State, place, base, treaty and event keys exist; organization keys are well formed."""
    known = _keys(entries)
    for name, e in _all(entries):
        where = _where(name, e)
        for field, kinds in REFERENCES.items():
            for key in _as_list(e.get(field)):
                match = KEY.match(key) if isinstance(key, str) else None
                assert match, f"{where}: {field} {key!r}"
                assert match["kind"] in kinds, f"{where}: {field} {key!r}"
                if match["kind"] in FILES.values():
                    assert key in known, f"{where}: {field} {key!r} is not defined"
        if field_value := e.get("located_in"):
            assert isinstance(field_value, str), f"{where}: located_in is one key"
        if field_value := e.get("country"):
            assert isinstance(field_value, str), f"{where}: country is one key"


def test_bases_say_where_and_who(entries: Entries) -> None:
    """Every base has a place, a country and at least one user."""
    for e in entries["bases.yaml"]:
        where = _where("bases.yaml", e)
        assert e.get("located_in"), where
        assert e.get("country"), where
        assert e.get("used_by"), where


def test_treaties_have_parties_and_dates(entries: Entries) -> None:
    """Every unambiguous treaty names its parties and its signing date."""
    for e in entries["treaties.yaml"]:
        if not e.get("ambiguous"):
            assert e.get("parties"), _where("treaties.yaml", e)
            assert e.get("date"), _where("treaties.yaml", e)


def test_corpus_forms_are_covered(entries: Entries) -> None:
    """Forms seen in the corpus resolve to the intended entry (misspellings included)."""
    index: dict[str, set[str]] = defaultdict(set)
    for _, e in _all(entries):
        for form in _surface_forms(e):
            index[form.casefold()].add(f"{e['type']}/{e['id']}")
    expected = {
        "Hanamatsu Airbase": "base/hamamatsu-air-base",
        "Atsugi naval air station": "base/naval-air-facility-atsugi",
        "Futenma Marine Corps air station": "base/mcas-futenma",
        "White Beach naval base": "base/white-beach-naval-facility",
        "Sino-North Korea Friendship Treaty of 1961": "treaty/sino-north-korean-treaty-1961",
        "Soviet-North Korea Treaty of 1961": "treaty/soviet-north-korean-treaty-1961",
        "Treaty on Neighborly Friendship and Cooperation": "treaty/russia-north-korea-treaty-2000",
        "the 1997 Guidelines": "treaty/guidelines-1997",
        "the Guidelines": "treaty/defense-guidelines",
        "Taepodong incident": "event/taepodong-launch-1998",
        "Sino-Japanese War": "event/sino-japanese-war",
    }
    for form, key in expected.items():
        assert index[form.casefold()] == {key}, form
