"""Maximal spans: names inside titles and descriptions, bare "Korea", translated titles."""

from __future__ import annotations

from pathlib import Path

import pytest

from allygraph.extract.gazetteer import load_gazetteer
from allygraph.records import Document, DocumentMeta, Note, Zone, ZoneKind
from allygraph.resolve import extract_document

GAZETTEER = Path(__file__).resolve().parents[2] / "data" / "gazetteer"


@pytest.fixture(scope="module")
def gaz():
    return load_gazetteer(GAZETTEER)


def _doc(text: str, notes: tuple[Note, ...] = ()) -> Document:
    return Document("t", "t.txt", text, "0", DocumentMeta(date="2011"), (), notes)


def _spans(extraction) -> set[tuple[str, str]]:
    return {(m.text, m.kind.value) for m in extraction.mentions}


def test_description_is_no_event_but_its_names_are_mentions(gaz) -> None:
    """ "collapse of the Soviet Union": the state is a mention, the description is not."""
    x = extract_document(_doc("With the collapse of the Soviet Union and the Cold War over."), gaz)
    assert ("Soviet Union", "state") in _spans(x)
    assert not any(m.text.startswith("collapse") for m in x.mentions)


def test_exercise_description_keeps_states_place_and_claims(gaz) -> None:
    """The states and the sea inside "US-ROK military exercises in the ..." are mentions."""
    text = "During the just-concluded US-ROK military exercises in the Yellow Sea, Kan spoke."
    x = extract_document(_doc(text), gaz)
    spans = _spans(x)
    assert {("US", "state"), ("ROK", "state"), ("Yellow Sea", "place")} <= spans
    assert not any(m.kind.value == "event" for m in x.mentions)
    assert {c.obj for c in x.claims if c.predicate == "participant"} >= {"state/united-states"}


def test_state_with_generic_noun_is_the_state(gaz) -> None:
    """ "the US military" and "the ROK defense ministry": only the state is marked."""
    x = extract_document(_doc("In 1993 the US military and the ROK defense ministry met."), gaz)
    assert {("US", "state"), ("ROK", "state")} <= _spans(x)
    assert not any(m.kind.value == "organization" for m in x.mentions)


def test_possessive_event_description(gaz) -> None:
    """ "North Korea's nuclear test" is a description: "North Korea" is the mention."""
    x = extract_document(_doc("After North Korea's nuclear test, the debate changed."), gaz)
    assert ("North Korea", "state") in _spans(x)
    assert not any(m.kind.value == "event" for m in x.mentions)


def test_bare_korea_is_a_place(gaz) -> None:
    """A bare "Korea" is the place; "South Korea" stays the state."""
    x = extract_document(_doc("Japan struggled in dealing with Korea. South Korea agreed."), gaz)
    assert ("Korea", "place") in _spans(x)
    assert ("South Korea", "state") in _spans(x)


def test_names_inside_a_cited_title_are_not_mentions(gaz) -> None:
    """A cited title is one mention; the state names inside it are not mentions."""
    body = "Body text.\n\n"
    note = (
        "1. Victor D. Cha, Alignment Despite Antagonism: The United States-Korea-Japan "
        "Security Triangle (Stanford, CA: Stanford University Press, 1999), p. 3.\n"
    )
    text = body + note
    x = extract_document(_doc(text, (Note(1, len(body), len(text) - 1),)), gaz)
    titles = [m for m in x.mentions if m.kind.value == "publication"]
    assert titles
    for t in titles:
        assert not [m for m in x.mentions if t.start <= m.start and m.end <= t.end and m != t]


def test_bracketed_translation_is_a_second_title_mention(gaz) -> None:
    """ "Gaikou no Chikara [The Power of Diplomacy]": two mentions of one publication."""
    body = "Body text.\n\n"
    note = "1. Hitoshi Tanaka, Gaikou no Chikara [The Power of Diplomacy] (Tokyo: Nihon Keizai Shimbun Shuppansha, 2009), p. 5.\n"  # noqa: E501
    text = body + note
    x = extract_document(_doc(text, (Note(1, len(body), len(text) - 1),)), gaz)
    titles = {m.text: m.key for m in x.mentions if m.kind.value == "publication"}
    if "Gaikou no Chikara" not in titles:
        pytest.skip("the citation parser did not find this title")
    assert titles.get("The Power of Diplomacy") == titles["Gaikou no Chikara"]


def test_dateline_places_in_capitals(gaz) -> None:
    """ "TOKYO/SEOUL, Nov 18 -" names two places the gazetteer knows."""
    x = extract_document(_doc("Headline\n\nTOKYO/SEOUL, Nov 18 - North Korea fired."), gaz)
    assert {("TOKYO", "place"), ("SEOUL", "place")} <= _spans(x)
    keys = {m.text: m.key for m in x.mentions}
    assert keys["TOKYO"] == "place/tokyo"


def test_capital_standing_for_government_is_a_place(gaz) -> None:
    """ "Washington said" is a place mention even when the city is not named in full."""
    x = extract_document(_doc("Washington said it would seek a meeting."), gaz)
    assert ("Washington", "place") in _spans(x)


def test_bare_base_name_after_the_base(gaz) -> None:
    """ "Futenma" after "Marine Corps Air Station Futenma" is the base; "near X" is the town."""
    text = "Marine Corps Air Station Futenma is crowded. Tokyo said Futenma would close."
    x = extract_document(_doc(text), gaz)
    bases = [m for m in x.mentions if m.kind.value == "base"]
    assert [m.text for m in bases][-1] == "Futenma"
    assert len({m.key for m in bases}) == 1


def test_title_line_of_a_published_work_is_one_publication_mention(gaz) -> None:
    """The sidecar's title on the title line is a publication mention with no states inside."""
    title = "North Korea: A convenient threat for US-Japan alliance"
    text = f"{title}\n\nDuring the exercises Japan spoke."
    meta = DocumentMeta(title=title, authors=("Feng Zhaokui",), date="2010")
    zones = (Zone(ZoneKind.TITLE, 0, len(title)), Zone(ZoneKind.BODY, len(title) + 2, len(text)))
    x = extract_document(Document("t", "t.txt", text, "0", meta, zones, ()), gaz)
    inside = [m for m in x.mentions if m.end <= len(title)]
    assert [(m.text, m.kind.value) for m in inside] == [(title, "publication")]


def test_capitalized_treaty_short_form_is_the_nearest_treaty(gaz) -> None:
    """ "the Treaty" after a named treaty is a mention of it; "the Treaty of X" is not."""
    text = (
        "The Sino-North Korea Friendship Treaty of 1961 was kept. China would not delete "
        "the clause in the Treaty. Nothing changed."
    )
    x = extract_document(_doc(text), gaz)
    treaties = [m for m in x.mentions if m.kind.value == "treaty"]
    assert [m.text for m in treaties][-1] == "Treaty"
    assert len({m.key for m in treaties}) == 1


def test_state_inside_an_organization_name_is_not_a_mention(gaz) -> None:
    """ "Senate of the Philippines", "China Coast Guard": one organization, no state inside."""
    text = "The Senate of the Philippines met while China Coast Guard ships sailed."
    spans = _spans(extract_document(_doc(text), gaz))
    orgs = {("Senate of the Philippines", "organization"), ("China Coast Guard", "organization")}
    assert orgs <= spans
    assert not any(kind == "state" for _, kind in spans)


def test_full_names_beat_title_forms_and_keep_suffixes(gaz) -> None:
    """ "Prime Minister KISHIDA Fumio" is the full name; "Teodoro, Jr." keeps its suffix."""
    text = (
        "Prime Minister KISHIDA Fumio met Secretary Gilberto C. Teodoro, Jr. and "
        "Nam Gwan-pyo, the ambassador."
    )
    spans = _spans(extract_document(_doc(text), gaz))
    assert {
        ("KISHIDA Fumio", "person"),
        ("Gilberto C. Teodoro, Jr.", "person"),
        ("Nam Gwan-pyo", "person"),
    } <= spans


def test_unit_after_its_parents_acronym_and_publisher_after_a_report_number(gaz) -> None:
    """ "JASDF Northern Air Defense Force" is two names; a report number is no publisher."""
    text = (
        "The JASDF Northern Air Defense Force is at Misawa.\n\nReferences\n\n"
        "Chanlett-Avery, E. (2019). The U.S.-Japan alliance (CRS Report No. RL33740). "
        "Congressional Research Service.\n"
    )
    spans = _spans(extract_document(_doc(text), gaz))
    assert {
        ("JASDF", "organization"),
        ("Northern Air Defense Force", "organization"),
        ("Congressional Research Service", "organization"),
    } <= spans


def test_apa_corporate_author_and_report_number_stay_out_of_titles(gaz) -> None:
    """ "Ministry of Defense. (2023). Defense of Japan 2023.": the title is the last part."""
    text = (
        "Body.\n\nReferences\n\n"
        "Ministry of Defense. (2023). Defense of Japan 2023.\n"
        "Chanlett-Avery, E. (2019). The U.S.-Japan alliance (CRS Report No. RL33740). "
        "Congressional Research Service.\n"
    )
    titles = {
        m.text for m in extract_document(_doc(text), gaz).mentions if m.kind.value == "publication"
    }
    assert {"Defense of Japan 2023", "The U.S.-Japan alliance"} <= titles
