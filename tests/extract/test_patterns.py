"""Tests for the general patterns (names the gazetteer does not know)."""

from __future__ import annotations

import pytest

from allygraph.extract.patterns import (
    find_acronyms,
    find_bases,
    find_documents,
    find_events,
    find_organizations,
    find_people,
    find_places,
    find_publication_places,
    find_treaties,
    kind_of_name,
)
from allygraph.records import EntityKind


@pytest.mark.parametrize(
    ("text", "name", "title"),
    [
        ("Japanese Prime Minister Naoto Kan asked", "Naoto Kan", "Prime Minister"),
        ("Chief Cabinet Secretary Yoshito Sengoku remarked", "Yoshito Sengoku", None),
        ("former vice minister for defense Masahiro Akiyama, JDA", "Masahiro Akiyama", None),
        ("talks with Gen. Walter Sharp in Seoul", "Walter Sharp", "Gen."),
        ("President Clinton placed", "Clinton", "President"),
    ],
)
def test_titles_before_names(text, name, title) -> None:
    """A title before a capitalized name gives a person, without the title in the span."""
    found = list(find_people(text))
    assert [c.text for c in found] == [name]
    if title:
        assert found[0].title == title


def test_person_contexts() -> None:
    """ "X said", "according to X" and appositions give people; "Japan said" does not."""
    text = (
        "Kurt Campbell said so. According to Victor Cha, it was. "
        "Sheila Smith, a senior fellow at the Council, agreed. The Foreign Ministry said no."
    )
    assert {c.text for c in find_people(text)} == {"Kurt Campbell", "Victor Cha", "Sheila Smith"}


def test_endnote_name_lists() -> None:
    """Authors and editors of an endnote are found; the title before "(" is not a person."""
    text = "  1. Michael H. Armacost and Daniel I. Okimoto, eds., The Future (Boston: X, 2004).\n"
    text += "  2. Yoichi Funabashi, Alliance Adrift (Washington, DC: CFR, 1999)\n"
    names = {c.text for c in find_people(text, notes=True)}
    assert names == {"Michael H. Armacost", "Daniel I. Okimoto", "Yoichi Funabashi"}


def test_bases() -> None:
    """Base names before and after their head noun, with a canonical label."""
    text = (
        "Yokota air base, Camp Zama, Atsugi naval air station and Fort Bragg; an American air base"
    )
    found = [(c.text, c.label) for c in find_bases(text)]
    assert found == [
        ("Yokota air base", "Yokota Air Base"),
        ("Atsugi naval air station", "Naval Air Station Atsugi"),
        ("Camp Zama", "Camp Zama"),
        ("Fort Bragg", "Fort Bragg"),
    ]


def test_treaties() -> None:
    """ "X Treaty of 1961", "Treaty on ...", but not "the Treaty" alone."""
    text = (
        "The Sino-North Korea Friendship Treaty of 1961 continues. The Treaty on the "
        "Non-Proliferation of Nuclear Weapons binds them. But the Treaty was silent."
    )
    assert [c.text for c in find_treaties(text)] == [
        "Sino-North Korea Friendship Treaty of 1961",
        "Treaty on the Non-Proliferation of Nuclear Weapons",
    ]


def test_organizations_by_head_noun() -> None:
    """Head nouns before and after names; a title is not an organization."""
    text = (
        "the Ministry of Foreign Affairs, Stanford University Press, the Okazaki Institute, "
        "Chief Cabinet Secretary Sengoku and the Asahi Shimbun"
    )
    found = {(c.text, c.subtype) for c in find_organizations(text)}
    assert found == {
        ("Ministry of Foreign Affairs", "Ministry"),
        ("Stanford University Press", "Publisher"),
        ("Okazaki Institute", "ThinkTank"),
        ("Asahi Shimbun", "Newspaper"),
    }


def test_courts_embassies_coast_guards_and_numbered_units() -> None:
    """Courts, embassies, coast guards and numbered units are organizations; a bare unit is not."""
    text = (
        "the Supreme Court of Korea ruled; China Coast Guard vessels; the Embassy of Japan; "
        "the 51st Fighter Wing and the 8th Fighter Wing; the 2nd Infantry Division; "
        "the Fighter Wing of any air force"
    )
    found = {(c.text, c.subtype) for c in find_organizations(text)}
    assert found == {
        ("Supreme Court of Korea", None),
        ("China Coast Guard", "ArmedForce"),
        ("Embassy of Japan", "GovernmentAgency"),
        ("51st Fighter Wing", "MilitaryUnit"),
        ("8th Fighter Wing", "MilitaryUnit"),
        ("2nd Infantry Division", "MilitaryUnit"),
    }


def test_events() -> None:
    """Named wars, talks and incidents; a hypothetical "second Korean War" is not one."""
    text = (
        "during the Korean War, the Six-Party Talks, the submarine incident in 1996, "
        "a second Korean War, the Intelligence War and the present crisis"
    )
    assert [c.text for c in find_events(text)] == [
        "Korean War",
        "Six-Party Talks",
        "submarine incident",
    ]


def test_places_and_reference_places() -> None:
    """Geographic heads and the place and publisher of a reference."""
    assert [c.text for c in find_places("off Noto Peninsula in the Sea of Japan")] == [
        "Noto Peninsula",
        "Sea of Japan",
    ]
    found = [(c.kind, c.text) for c in find_publication_places("(Tokyo: Soshisha, 2008)")]
    assert found == [(EntityKind.PLACE, "Tokyo"), (EntityKind.ORGANIZATION, "Soshisha")]


def test_acronym_definitions_share_a_key() -> None:
    """ "Full Name (ACR)" and "ACR (Full Name)" link acronym and expansion."""
    text = (
        "a search and rescue exercise (SAREX) between them; AJISS (The Association of "
        "Japanese Institutes of Strategic Studies) Commentary"
    )
    pairs = [(a.text, b.text, a.kind, a.key == b.key) for a, b in find_acronyms(text)]
    assert pairs == [
        ("search and rescue exercise", "SAREX", EntityKind.EVENT, True),
        (
            "Association of Japanese Institutes of Strategic Studies",
            "AJISS",
            EntityKind.ORGANIZATION,
            True,
        ),
    ]


def test_unknown_expansion_heads_are_skipped() -> None:
    """An expansion with no telling head noun ("... Study") yields nothing."""
    assert kind_of_name("Western Pacific Missile Defense Architecture Study") is None
    assert list(find_acronyms("the exclusive economic zone (EEZ) in the area")) == []


def test_named_protests_are_events() -> None:
    """ "the Anpo protests of 1960" is an event; "the recent protests" is not."""
    from allygraph.extract.patterns import find_events

    assert [c.text for c in find_events("shaken by the Anpo protests of 1960")] == ["Anpo protests"]
    assert list(find_events("shaken by the recent protests")) == []


@pytest.mark.parametrize(
    ("finder", "text", "names"),
    [
        pytest.param(
            find_treaties,
            "the Kono Statement, the Land Partnership Plan, the Trilateral Information Sharing "
            "Arrangement, the Camp David Principles, a Press Statement and an Action Plan",
            {"Kono Statement", "Land Partnership Plan",
             "Trilateral Information Sharing Arrangement", "Camp David Principles"},
            id="named statements, plans, arrangements, principles; not generic ones",
        ),
        pytest.param(
            find_bases, "the Camp David Principles and the Camp David Summit", set(),
            id="a name after Camp David is no base",
        ),
        pytest.param(
            find_places, "the Rhee Line, near Second Thomas Shoal and Mischief Reef",
            {"Rhee Line", "Second Thomas Shoal", "Mischief Reef"},
            id="lines, shoals and reefs",
        ),
        pytest.param(
            find_events,
            "the Second Japan-Philippines Foreign and Defense Ministerial Meeting; the Occupation "
            "and Korean War; the Freedom Edge exercise; the Camp David Principles and Camp David "
            "Summit",
            {"Japan-Philippines Foreign and Defense Ministerial Meeting", "Korean War",
             "Freedom Edge", "Camp David Summit"},
            id="meetings without their number, 'and' inside one name, exercise code names",
        ),
        pytest.param(
            find_organizations,
            "the Pohang Iron and Steel Company; the Korea Institute and Japan Foundation; the "
            "12th Marine Regiment on Okinawa; the Council on Foreign Relations; the National "
            "Press Club",
            {"Pohang Iron and Steel Company", "Korea Institute", "Japan Foundation",
             "12th Marine Regiment", "Council on Foreign Relations", "National Press Club"},
            id="'and' inside organization names, clubs, no 'on <place>' after a unit",
        ),
        pytest.param(
            find_documents,
            "the government approved the National Security Strategy, the first ROK National "
            "Security Strategy report and the Defense Buildup Program; a security strategy",
            {"National Security Strategy", "Defense Buildup Program"},
            id="named policy documents, without a state before them",
        ),
    ],
)  # fmt: skip
def test_names_by_head_noun(finder, text: str, names: set[str]) -> None:
    """Each finder returns exactly the names of its kind, with their proper bounds."""
    assert {c.text for c in finder(text)} == names
