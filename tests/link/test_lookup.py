"""Online look-ups from recorded answers: type and date checks, precision before recall."""

from __future__ import annotations

from pathlib import Path

from allygraph.link.client import WikidataClient
from allygraph.link.lookup import (
    KIND_CLASSES,
    LookupTarget,
    collect_targets,
    name_similarity,
    propose_links,
)
from allygraph.records import Document, DocumentMeta, Entity, EntityKind, Extraction

from .wikidata_replay import replay_client

TODAY = "2025-01-31"


def _client(tmp_path: Path) -> WikidataClient:
    http, _ = replay_client()
    return WikidataClient(http, cache_dir=tmp_path, sleep=lambda s: None)


def test_clear_match_is_proposed(tmp_path: Path) -> None:
    """A human of the right name, alive in the years of the posts, is proposed."""
    target = LookupTarget("person/naoto-kan", EntityKind.PERSON, "Naoto Kan", years=(2010, 2011))
    (proposal,) = propose_links(_client(tmp_path), [target], today=TODAY)
    assert proposal.status == "proposed"
    assert proposal.qid == "Q47846"
    assert proposal.score >= 0.95
    assert proposal.date == TODAY
    assert proposal.candidates[0].dates_ok is True


def test_two_koizumis_are_left_unlinked_with_candidates(tmp_path: Path) -> None:
    """A bare family name shared by two politicians is not linked; both are recorded."""
    target = LookupTarget("person/koizumi", EntityKind.PERSON, "Koizumi", doc_years=(2011,))
    (proposal,) = propose_links(_client(tmp_path), [target], today=TODAY)
    assert proposal.status == "ambiguous"
    assert proposal.qid is None
    assert {c.qid for c in proposal.candidates} == {"Q130852", "Q661410"}


def test_dates_rule_out_a_namesake(tmp_path: Path) -> None:
    """Someone born in 1981 cannot be the Koizumi who held posts in 1992-2006."""
    target = LookupTarget(
        "person/koizumi-pm", EntityKind.PERSON, "Koizumi", years=(1992, 2001, 2006)
    )
    (proposal,) = propose_links(_client(tmp_path), [target], today=TODAY)
    by_qid = {c.qid: c for c in proposal.candidates}
    assert by_qid["Q661410"].dates_ok is False
    assert by_qid["Q661410"].score == 0.0
    assert by_qid["Q130852"].dates_ok is True
    # the name alone ("Koizumi" vs "Junichiro Koizumi") stays too weak to propose
    assert proposal.status == "ambiguous"


def test_full_name_and_dates_propose_the_right_koizumi(tmp_path: Path) -> None:
    """The full name and the years of office single out Junichiro Koizumi."""
    target = LookupTarget(
        "person/junichiro-koizumi", EntityKind.PERSON, "Junichiro Koizumi", years=(2001, 2006)
    )
    (proposal,) = propose_links(_client(tmp_path), [target], today=TODAY)
    assert (proposal.status, proposal.qid) == ("proposed", "Q130852")


def test_wrong_type_is_never_proposed(tmp_path: Path) -> None:
    """A city does not link to a person named like it."""
    target = LookupTarget("person/tokyo", EntityKind.PERSON, "Tokyo")
    (proposal,) = propose_links(_client(tmp_path), [target], today=TODAY)
    assert proposal.status == "not-found"
    assert proposal.qid is None
    assert proposal.candidates[0].type_ok is False


def test_nothing_found(tmp_path: Path) -> None:
    """No search hit gives not-found with no candidates."""
    target = LookupTarget("person/nobody-at-all", EntityKind.PERSON, "Nobody At All")
    (proposal,) = propose_links(_client(tmp_path), [target], today=TODAY)
    assert (proposal.status, proposal.candidates) == ("not-found", ())


def test_middle_initial_is_dropped_on_a_second_search(tmp_path: Path) -> None:
    """'Naoto X. Kan' finds nothing as such, then 'Naoto Kan' is searched."""
    http, replay = replay_client()
    client = WikidataClient(http, cache_dir=tmp_path, sleep=lambda s: None)
    target = LookupTarget(
        "person/naoto-x-kan", EntityKind.PERSON, "Naoto X. Kan", years=(2010, 2011)
    )
    (proposal,) = propose_links(client, [target], today=TODAY)
    searched = [r.url.params.get("search") for r in replay.requests if "search" in r.url.params]
    assert searched == ["Naoto X. Kan", "Naoto Kan"]
    assert proposal.qid == "Q47846"


def test_every_kind_has_classes() -> None:
    """Each entity kind has Wikidata classes for the type check."""
    assert set(KIND_CLASSES) == set(EntityKind)


def test_name_similarity_folds_accents_and_order() -> None:
    """Macrons, case and name order do not lower the similarity."""
    assert name_similarity(["Shinzō Abe"], ["shinzo abe"]) == 1.0
    assert name_similarity(["Abe Shinzo"], ["Shinzo Abe"]) == 1.0
    assert name_similarity(["Koizumi"], ["Junichiro Koizumi"]) < 0.8


def _extraction(doc_id: str, date: str, *entities: Entity) -> Extraction:
    doc = Document(doc_id, f"{doc_id}.txt", "", "0", DocumentMeta(date=date))
    return Extraction(doc, entities, (), (), ())


def test_collect_targets_skips_linked_ambiguous_and_local_entities() -> None:
    """Only unlinked, unambiguous, corpus-wide entities are looked up, merged by key."""
    kan = Entity("person/naoto-kan", EntityKind.PERSON, "Naoto Kan", qid="Q47846")
    shin = Entity(
        "person/shin-in-d1",
        EntityKind.PERSON,
        "Shin",
        attributes=(("candidate", "person/a"), ("candidate", "person/b")),
    )
    local = Entity("person/kdj-in-d1", EntityKind.PERSON, "KDJ")
    vague = Entity(
        "treaty/the-guidelines", EntityKind.TREATY, "the Guidelines",
        attributes=(("candidate", "treaty/defense-guidelines"),),
    )  # fmt: skip
    cha = Entity(
        "person/victor-cha",
        EntityKind.PERSON,
        "Victor Cha",
        attributes=(("post", "Director for Asian Affairs 2004/2007"),),
    )
    book = Entity("publication/alliance-adrift", EntityKind.PUBLICATION, "Alliance Adrift")
    targets = collect_targets(
        [
            _extraction("d1", "2011-05", kan, shin, local, vague, cha, book),
            _extraction("d2", "2010", cha),
        ]
    )
    assert [t.key for t in targets] == ["person/victor-cha"]
    assert targets[0].years == (2004, 2007)
    assert targets[0].doc_years == (2010, 2011)
