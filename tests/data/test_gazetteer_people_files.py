"""Shape checks for the Japan and United States people gazetteer files."""

from __future__ import annotations

import re
from pathlib import Path
from typing import Any

import pytest
import yaml

GAZETTEER = Path(__file__).parents[2] / "data" / "gazetteer"
FILES = ("people-japan.yaml", "people-us.yaml")

SLUG = re.compile(r"^[a-z0-9]+(?:-[a-z0-9]+)*$")
OF_KEY = re.compile(r"^(state|organization)/[a-z0-9]+(?:-[a-z0-9]+)*$")
QID = re.compile(r"^Q[1-9][0-9]*$")
ISO_DATE = re.compile(r"^\d{4}(?:-(?:0[1-9]|1[0-2])(?:-(?:0[1-9]|[12]\d|3[01]))?)?$")
KNOWN_FIELDS = {
    "id", "type", "subtype", "label", "given", "family", "aliases", "acronyms", "labels",
    "qid", "qid_checked", "description", "posts", "ambiguous",
}  # fmt: skip

Entry = dict[str, Any]


@pytest.fixture(scope="module")
def files() -> dict[str, list[Entry]]:
    """The two files, parsed once with yaml.safe_load."""
    parsed: dict[str, list[Entry]] = {}
    for name in FILES:
        data = yaml.safe_load((GAZETTEER / name).read_text(encoding="utf-8"))
        assert isinstance(data, list), f"{name}: top level must be a list (got {type(data)})"
        parsed[name] = data
    return parsed


def _text(value: object) -> bool:
    return isinstance(value, str) and bool(value.strip())


def _matches(pattern: re.Pattern[str], value: object) -> bool:
    return isinstance(value, str) and pattern.match(value) is not None


def _entries(files: dict[str, list[Entry]]) -> list[tuple[str, Entry]]:
    return [(f"{name}:{e.get('id')}", e) for name, items in files.items() for e in items]


def test_files_hold_mappings_with_known_fields(files: dict[str, list[Entry]]) -> None:
    """Both files are non-empty lists of mappings using only documented fields."""
    for name, items in files.items():
        assert len(items) >= 100, name
    for where, e in _entries(files):
        assert isinstance(e, dict), where
        assert set(e) <= KNOWN_FIELDS, f"{where}: unknown fields {set(e) - KNOWN_FIELDS}"


def test_ids_are_unique_slugs(files: dict[str, list[Entry]]) -> None:
    """Ids are slug-shaped and unique across both files."""
    raw = [e.get("id") for _, e in _entries(files)]
    assert all(_matches(SLUG, i) for i in raw)
    ids = [str(i) for i in raw]
    assert sorted({i for i in ids if ids.count(i) > 1}) == []


def test_ids_do_not_clash_with_other_people_files(files: dict[str, list[Entry]]) -> None:
    """No id of these files is reused by another people-*.yaml file of the gazetteer."""
    ours = {e["id"] for _, e in _entries(files)}
    for path in sorted(GAZETTEER.glob("people-*.yaml")):
        if path.name in FILES:
            continue
        theirs = {e.get("id") for e in yaml.safe_load(path.read_text(encoding="utf-8")) or []}
        assert not ours & theirs, f"{path.name}: {sorted(ours & theirs)}"


def test_entries_are_named_persons(files: dict[str, list[Entry]]) -> None:
    """Each entry is a person with a label, a given name and a family name (null for emperors)."""
    for where, e in _entries(files):
        assert e.get("type") == "person", where
        assert _text(e.get("label")), where
        assert _text(e.get("given")), where
        assert "family" in e, where
        family = e["family"]
        if family is None:
            assert e["id"] in {"hirohito", "akihito", "naruhito"}, f"{where}: family is null"
        else:
            assert _text(family), where
        assert _text(e.get("description")), where


def test_aliases_and_labels(files: dict[str, list[Entry]]) -> None:
    """Aliases are distinct non-empty strings other than the label; labels map languages."""
    for where, e in _entries(files):
        aliases = e.get("aliases", [])
        assert isinstance(aliases, list), where
        assert all(_text(a) for a in aliases), where
        assert len(set(aliases)) == len(aliases), where
        assert e["label"] not in aliases, where
        labels = e.get("labels", {})
        assert isinstance(labels, dict), where
        assert all(isinstance(v, str) and v for v in labels.values()), where
        assert set(labels) <= {"ja", "ko", "zh"}, where


def test_qids_are_wellformed_and_checked(files: dict[str, list[Entry]]) -> None:
    """A qid matches ^Q[1-9][0-9]*$, comes with qid_checked and is not shared."""
    seen: dict[str, str] = {}
    for where, e in _entries(files):
        if "qid" not in e:
            assert "qid_checked" not in e, where
            continue
        assert _matches(QID, e["qid"]), where
        assert _text(e.get("qid_checked")), where
        assert e["qid"] not in seen, f"{where}: qid also on {seen.get(e['qid'])}"
        seen[e["qid"]] = where


def test_posts_have_post_of_and_iso_dates(files: dict[str, list[Entry]]) -> None:
    """Posts name the post and its state or organization; dates are YYYY, YYYY-MM or ISO dates."""
    for where, e in _entries(files):
        posts = e.get("posts", [])
        assert isinstance(posts, list), where
        for post in posts:
            assert isinstance(post, dict), where
            assert set(post) <= {"post", "of", "start", "end"}, where
            assert _text(post.get("post")), where
            assert _matches(OF_KEY, post.get("of")), where
            for field in ("start", "end"):
                if field in post:
                    assert _matches(ISO_DATE, post[field]), f"{where}: {post[field]!r}"
            if "start" in post and "end" in post:
                assert post["start"][:4] <= post["end"][:4], f"{where}: {post}"


def test_organization_keys_exist(files: dict[str, list[Entry]]) -> None:
    """Every organization named by a post has an entry in organizations.yaml."""
    path = GAZETTEER / "organizations.yaml"
    if not path.exists():
        pytest.skip("organizations.yaml is not present")
    known = {f"organization/{e['id']}" for e in yaml.safe_load(path.read_text(encoding="utf-8"))}
    used = {
        p["of"]
        for _, e in _entries(files)
        for p in e.get("posts", [])
        if p["of"].startswith("organization/")
    }
    assert used <= known, sorted(used - known)


def test_core_office_holders_are_present(files: dict[str, list[Entry]]) -> None:
    """Spot checks: distinct Hatoyamas and Koizumis, recent heads of government and state."""
    ids = {e["id"] for _, e in _entries(files)}
    expected = {
        "ichiro-hatoyama", "yukio-hatoyama", "junichiro-koizumi", "shinjiro-koizumi",
        "naoto-kan", "shigeru-ishiba", "yoshito-sengoku", "morihiro-hosokawa",
        "munemitsu-mutsu", "megumi-yokota", "barack-obama", "madeleine-albright",
    }  # fmt: skip
    assert expected <= ids, sorted(expected - ids)
    prime_ministers = [
        e
        for _, e in _entries(files)
        if any(p["post"] == "Prime Minister" for p in e.get("posts", []))
    ]
    assert len(prime_ministers) >= 38
