"""Accepted links: file format, errors with their place, and when they apply."""

from __future__ import annotations

from pathlib import Path

import pytest

from allygraph.errors import ConfigError
from allygraph.link.links import (
    AcceptedLink,
    link_entities,
    link_extraction,
    load_links,
    write_links,
)
from allygraph.records import Document, Entity, EntityKind, Extraction

LINK = AcceptedLink("person/victor-cha", "Q42", 0.93, "2025-01-31", "reviewer", "Victor Cha")


def test_round_trip(tmp_path: Path) -> None:
    """Written links read back equal, sorted by key."""
    other = AcceptedLink("base/camp-zama", "Q7", 0.9, "2025-02-01", "me")
    path = tmp_path / "links" / "accepted.yaml"
    write_links(path, {LINK.key: LINK, other.key: other})
    assert load_links(path) == {LINK.key: LINK, other.key: other}
    text = path.read_text(encoding="utf-8")
    assert text.index("base/camp-zama") < text.index("person/victor-cha")


def test_missing_or_empty_file_means_no_links(tmp_path: Path) -> None:
    """No file, an empty file and an empty list all give no links."""
    assert load_links(tmp_path / "none.yaml") == {}
    (tmp_path / "empty.yaml").write_text("", encoding="utf-8")
    assert load_links(tmp_path / "empty.yaml") == {}
    write_links(tmp_path / "list.yaml", {})
    assert load_links(tmp_path / "list.yaml") == {}


@pytest.mark.parametrize(
    ("body", "message"),
    [
        ("- {key: person/x, qid: 42, score: 0.9, date: '2025-01-01', checked_by: me}", "'qid'"),
        ("- {key: Person X, qid: Q1, score: 0.9, date: '2025-01-01', checked_by: me}", "'key'"),
        ("- {key: person/x, qid: Q1, score: 2, date: '2025-01-01', checked_by: me}", "'score'"),
        ("- {key: person/x, qid: Q1, score: 0.9, date: 'soon', checked_by: me}", "'date'"),
        ("- {key: person/x, qid: Q1, score: 0.9, date: '2025-01-01'}", "'checked_by'"),
        ("- just text", "mapping"),
        ("key: value", "YAML list"),
        ("- [unclosed", "valid YAML"),
    ],
)
def test_bad_entries_name_file_and_key(tmp_path: Path, body: str, message: str) -> None:
    """Each malformed entry gives a ConfigError naming the file and what must hold."""
    path = tmp_path / "accepted.yaml"
    path.write_text(body + "\n", encoding="utf-8")
    with pytest.raises(ConfigError, match=message) as info:
        load_links(path)
    assert str(info.value).startswith(str(path))


def test_duplicate_keys_are_refused(tmp_path: Path) -> None:
    """A key accepted twice is an error (which QID would win?)."""
    row = "- {key: person/x, qid: Q1, score: 0.9, date: '2025-01-01', checked_by: me}\n"
    path = tmp_path / "accepted.yaml"
    path.write_text(row * 2, encoding="utf-8")
    with pytest.raises(ConfigError, match="accepted once"):
        load_links(path)


def test_accepted_link_applies_with_lookup_provenance() -> None:
    """An unlinked entity gets the QID and ``lookup:<score>:<date>`` as its source."""
    entity = Entity("person/victor-cha", EntityKind.PERSON, "Victor Cha")
    (linked,) = link_entities([entity], {LINK.key: LINK})
    assert (linked.qid, linked.qid_source) == ("Q42", "lookup:0.93:2025-01-31")


def test_curated_qid_wins() -> None:
    """The gazetteer's verified QID is never replaced by a look-up."""
    entity = Entity(
        "person/victor-cha", EntityKind.PERSON, "Victor Cha", qid="Q1", qid_source="gazetteer"
    )
    (linked,) = link_entities([entity], {LINK.key: LINK})
    assert (linked.qid, linked.qid_source) == ("Q1", "gazetteer")


def test_ambiguous_entity_is_never_linked() -> None:
    """An entity with candidate keys stays unlinked whatever the accepted file says."""
    entity = Entity(
        "person/victor-cha",
        EntityKind.PERSON,
        "Cha",
        attributes=(("candidate", "person/a"), ("candidate", "person/b")),
    )
    (linked,) = link_entities([entity], {LINK.key: LINK})
    assert linked.qid is None


def test_link_extraction_replaces_entities_only() -> None:
    """link_extraction keeps the document, mentions and claims as they were."""
    doc = Document("d", "d.txt", "text", "0")
    entity = Entity("person/victor-cha", EntityKind.PERSON, "Victor Cha")
    extraction = Extraction(doc, (entity,), (), (), ())
    assert link_extraction(extraction, {}) is extraction
    linked = link_extraction(extraction, {LINK.key: LINK})
    assert linked.document is doc
    assert linked.entities[0].qid == "Q42"
