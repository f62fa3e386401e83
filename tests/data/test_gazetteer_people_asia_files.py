"""Shape checks for the Korea and China/Russia people gazetteer files."""

from __future__ import annotations

import re
from pathlib import Path
from typing import Any

import pytest
import yaml

GAZETTEER = Path(__file__).parents[2] / "data" / "gazetteer"
FILES = ("people-korea.yaml", "people-china-russia.yaml")

SLUG = re.compile(r"^[a-z0-9]+(?:-[a-z0-9]+)*$")
KEY = re.compile(r"^(person|organization|state|place|event)/[a-z0-9]+(?:-[a-z0-9]+)*$")
QID = re.compile(r"^Q[1-9][0-9]*$")
DATE = re.compile(r"^\d{4}(?:-(?:0[1-9]|1[0-2])(?:-(?:0[1-9]|[12]\d|3[01]))?)?$")


def _load(name: str) -> list[dict[str, Any]]:
    entries = yaml.safe_load((GAZETTEER / name).read_text(encoding="utf-8"))
    assert isinstance(entries, list), f"{name}: top level must be a list"
    return entries


@pytest.fixture(scope="module")
def entries() -> dict[str, list[dict[str, Any]]]:
    """Both files, parsed once."""
    return {name: _load(name) for name in FILES}


def _all(entries: dict[str, list[dict[str, Any]]]) -> list[tuple[str, dict[str, Any]]]:
    return [(name, e) for name, items in entries.items() for e in items]


def test_files_are_lists_of_mappings(entries: dict[str, list[dict[str, Any]]]) -> None:
    """Each file is a non-empty YAML list of mappings."""
    for name, items in entries.items():
        assert items, name
        assert all(isinstance(e, dict) for e in items), name


def test_ids_are_unique_slugs(entries: dict[str, list[dict[str, Any]]]) -> None:
    """Ids are slugs and unique across both files."""
    ids = [e.get("id") for _, e in _all(entries)]
    bad = [i for i in ids if not isinstance(i, str) or not SLUG.match(i)]
    assert not bad
    dupes = sorted({i for i in ids if ids.count(i) > 1})
    assert not dupes


def test_every_entry_is_a_named_person(entries: dict[str, list[dict[str, Any]]]) -> None:
    """Every entry is a person with a label, given and family name."""
    for name, e in _all(entries):
        where = f"{name}:{e.get('id')}"
        assert e.get("type") == "person", where
        for field in ("label", "given", "family", "description"):
            assert isinstance(e.get(field), str), f"{where}: {field}"
            assert e[field].strip(), f"{where}: {field}"


def test_aliases_and_labels_are_strings(entries: dict[str, list[dict[str, Any]]]) -> None:
    """Aliases and acronyms are lists of strings; labels map language codes to strings."""
    for name, e in _all(entries):
        where = f"{name}:{e['id']}"
        for field in ("aliases", "acronyms"):
            value = e.get(field, [])
            assert isinstance(value, list), f"{where}: {field}"
            assert all(isinstance(a, str) and a.strip() for a in value), f"{where}: {field}"
        labels = e.get("labels", {})
        assert isinstance(labels, dict), where
        assert all(re.match(r"^[a-z]{2}(-[a-z]+)?$", k) for k in labels), where
        assert all(isinstance(v, str) and v for v in labels.values()), where


def test_qids_are_wellformed_and_checked(entries: dict[str, list[dict[str, Any]]]) -> None:
    """A qid looks like Q123 and always comes with qid_checked."""
    for name, e in _all(entries):
        where = f"{name}:{e['id']}"
        if "qid" in e:
            assert isinstance(e["qid"], str), where
            assert QID.match(e["qid"]), where
            assert isinstance(e.get("qid_checked"), str), where
            assert e["qid_checked"].strip(), where
        else:
            assert "qid_checked" not in e, where


def test_qids_are_unique(entries: dict[str, list[dict[str, Any]]]) -> None:
    """No two people share a qid."""
    qids = [e["qid"] for _, e in _all(entries) if "qid" in e]
    assert len(qids) == len(set(qids))


def test_posts_have_post_of_and_iso_dates(entries: dict[str, list[dict[str, Any]]]) -> None:
    """Posts name the post and its state or organization; dates are ISO and ordered."""
    for name, e in _all(entries):
        posts = e.get("posts", [])
        assert isinstance(posts, list), f"{name}:{e['id']}"
        for post in posts:
            where = f"{name}:{e['id']}:{post}"
            assert isinstance(post, dict), where
            assert isinstance(post.get("post"), str), where
            assert post["post"].strip(), where
            assert isinstance(post.get("of"), str), where
            assert KEY.match(post["of"]), where
            for field in ("start", "end"):
                if field in post:
                    assert isinstance(post[field], str), where
                    assert DATE.match(post[field]), where
            if "start" in post and "end" in post:
                length = min(len(post["start"]), len(post["end"]))
                assert post["start"][:length] <= post["end"][:length], where


def test_requested_people_are_present(entries: dict[str, list[dict[str, Any]]]) -> None:
    """Spot-check a few people the corpus needs, with their variant spellings."""
    by_id = {e["id"]: e for _, e in _all(entries)}
    for ident in ("kim-dae-jung", "moon-chung-in", "feng-zhaokui", "kim-il-sung", "sergey-lavrov"):
        assert ident in by_id, ident
    assert "KDJ" in by_id["kim-dae-jung"].get("acronyms", [])
    assert "Chung-in Moon" in by_id["moon-chung-in"]["aliases"]
    assert "Rhee Syngman" in by_id["syngman-rhee"]["aliases"]
