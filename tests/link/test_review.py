"""The review file: proposals written for a person, accepted entries merged into the links."""

from __future__ import annotations

from pathlib import Path

import pytest
import yaml

from allygraph.errors import ConfigError
from allygraph.link.links import load_links
from allygraph.link.lookup import Candidate, Proposal
from allygraph.link.review import accept_proposals, write_proposals
from allygraph.records import EntityKind

KAN = Candidate("Q47846", "Naoto Kan", "PM", 1.0, True, True, True, 1.0)
OTHER = Candidate("Q99", "Naoto Kan (footballer)", "", 1.0, True, None, False, 0.725)


def _review(tmp_path: Path) -> Path:
    path = tmp_path / "proposals.yaml"
    write_proposals(
        path,
        [
            Proposal(
                "person/naoto-kan", "Naoto Kan", EntityKind.PERSON, "proposed", "Q47846", 1.0,
                "2025-01-31", (KAN, OTHER),
            ),
            Proposal("person/koizumi", "Koizumi", EntityKind.PERSON, "ambiguous", None, 0.7,
                     "2025-01-31", (OTHER,)),
        ],
    )  # fmt: skip
    return path


def _mark(path: Path, key: str, **changes: object) -> None:
    rows = yaml.safe_load(path.read_text(encoding="utf-8"))
    for row in rows:
        if row["key"] == key:
            row.update(changes)
    path.write_text(yaml.safe_dump(rows), encoding="utf-8")


def test_review_file_is_commented_and_unaccepted(tmp_path: Path) -> None:
    """The review file explains itself and accepts nothing by default."""
    path = _review(tmp_path)
    text = path.read_text(encoding="utf-8")
    assert text.startswith("# Wikidata link proposals")
    rows = yaml.safe_load(text)
    assert [r["accept"] for r in rows] == [False, False]
    assert rows[0]["candidates"][0]["qid"] == "Q47846"


def test_nothing_marked_accepts_nothing(tmp_path: Path) -> None:
    """Without ``accept: true`` no link is written."""
    accepted = tmp_path / "accepted.yaml"
    result = accept_proposals(_review(tmp_path), accepted, checked_by="me")
    assert (result.accepted, result.skipped) == ((), 2)
    assert load_links(accepted) == {}


def test_marked_entry_is_merged_with_its_reviewer(tmp_path: Path) -> None:
    """A marked entry becomes an accepted link with score, date and reviewer."""
    review = _review(tmp_path)
    _mark(review, "person/naoto-kan", accept=True, checked_by="akiko")
    accepted = tmp_path / "links" / "accepted.yaml"
    result = accept_proposals(review, accepted)
    assert result.accepted == ("person/naoto-kan",)
    link = load_links(accepted)["person/naoto-kan"]
    assert (link.qid, link.score, link.date, link.checked_by) == (
        "Q47846", 1.0, "2025-01-31", "akiko",
    )  # fmt: skip
    assert link.wikidata_label == "Naoto Kan"


def test_reviewer_may_choose_another_candidate(tmp_path: Path) -> None:
    """Setting qid to a candidate's records that candidate's score."""
    review = _review(tmp_path)
    _mark(review, "person/koizumi", accept=True, qid="Q99")
    accepted = tmp_path / "accepted.yaml"
    accept_proposals(review, accepted, checked_by="me")
    link = load_links(accepted)["person/koizumi"]
    assert (link.qid, link.score) == ("Q99", 0.725)


def test_reaccepting_another_qid_is_reported_as_replaced(tmp_path: Path) -> None:
    """Accepting a different QID for a key already accepted replaces it, and says so."""
    review = _review(tmp_path)
    accepted = tmp_path / "accepted.yaml"
    _mark(review, "person/naoto-kan", accept=True)
    accept_proposals(review, accepted, checked_by="me")
    _mark(review, "person/naoto-kan", qid="Q99")
    result = accept_proposals(review, accepted, checked_by="me")
    assert result.replaced == ("person/naoto-kan",)
    assert load_links(accepted)["person/naoto-kan"].qid == "Q99"


def test_marked_entry_needs_qid_and_reviewer(tmp_path: Path) -> None:
    """Accepting an entry without a QID, or without a reviewer, is an error."""
    review = _review(tmp_path)
    _mark(review, "person/koizumi", accept=True)
    with pytest.raises(ConfigError, match="person/koizumi: an accepted entry must carry a 'qid'"):
        accept_proposals(review, tmp_path / "a.yaml", checked_by="me")
    review = _review(tmp_path)
    _mark(review, "person/naoto-kan", accept=True)
    with pytest.raises(ConfigError, match="checked_by"):
        accept_proposals(review, tmp_path / "a.yaml")


def test_missing_or_broken_review_file(tmp_path: Path) -> None:
    """A missing or non-list review file is a ConfigError naming it."""
    with pytest.raises(ConfigError, match="must exist"):
        accept_proposals(tmp_path / "none.yaml", tmp_path / "a.yaml")
    bad = tmp_path / "bad.yaml"
    bad.write_text("a: b\n", encoding="utf-8")
    with pytest.raises(ConfigError, match="YAML list"):
        accept_proposals(bad, tmp_path / "a.yaml")
