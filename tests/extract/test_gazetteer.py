"""Tests for the gazetteer loader and matcher."""

from __future__ import annotations

from pathlib import Path

import pytest

from allygraph.errors import ConfigError
from allygraph.extract.gazetteer import FormStrength, fold_text, load_gazetteer

FIXTURES = Path(__file__).parent / "fixtures"
DATA = Path(__file__).resolve().parents[2] / "data" / "gazetteer"


@pytest.fixture(scope="module")
def gaz():
    return load_gazetteer(FIXTURES / "gazetteer")


def _found(gaz, text):
    return [(text[m.start : m.end], m.form.keys, m.form.strength) for m in gaz.match(text)]


def test_fold_keeps_length() -> None:
    """Folding never changes the length of the text, so offsets carry over."""
    text = "Japan’s “İstanbul” — Shinzō\u00a0Abe"
    assert len(fold_text(text)) == len(text)


def test_people_get_derived_forms(gaz) -> None:
    """Both name orders, initials and family name alone (secondary) are surface forms."""
    for text in ("Naoto Kan", "Kan Naoto", "N. Kan", "Kan, N."):
        assert gaz.lookup(text).keys == ("person/naoto-kan",)
        assert gaz.lookup(text).strength is FormStrength.PRIMARY
    assert gaz.lookup("Kan").strength is FormStrength.SECONDARY
    assert gaz.lookup("Prime Minister Kan").strength is FormStrength.SECONDARY
    assert gaz.lookup("Yokota Megumi").keys == ("person/megumi-yokota",)


def test_shared_family_name_has_both_candidates(gaz) -> None:
    """A family name two people share keeps both keys for the resolver."""
    form = gaz.lookup("Koizumi")
    assert set(form.keys) == {"person/junichiro-koizumi", "person/shinjiro-koizumi"}
    assert form.strength is FormStrength.SECONDARY


def test_acronyms_are_case_sensitive(gaz) -> None:
    """ "JDA" matches, "jda" does not; "US" matches as a word only."""
    assert _found(gaz, "the JDA said")[0][0] == "JDA"
    assert _found(gaz, "the jda said") == []
    assert _found(gaz, "USA and US-ROK drills; USSR")[:2] == [
        ("USA", ("state/united-states",), FormStrength.PRIMARY),
        ("US", ("state/united-states",), FormStrength.PRIMARY),
    ]


def test_single_words_keep_their_capital(gaz) -> None:
    """A one-word name ("Kan", "Japan") is not matched in lower case ("kan")."""
    assert _found(gaz, "the kan and japan") == []


def test_misspelling_and_case_variant(gaz) -> None:
    """Aliases such as misspellings match, multiword names case-insensitively."""
    hits = _found(gaz, "at Hanamatsu airbase and Japan Defense agency")
    assert [h[1][0] for h in hits] == [
        "base/hamamatsu-air-base",
        "organization/japan-defense-agency",
    ]


def test_longest_match_wins(gaz) -> None:
    """ "Japan Defense Agency" wins over "Japan" inside it."""
    assert [h[0] for h in _found(gaz, "the Japan Defense Agency")] == ["Japan Defense Agency"]


def test_ambiguous_entry_offers_its_candidates(gaz) -> None:
    """An ambiguous entry's forms point to the candidates its description names."""
    form = gaz.lookup("the Guidelines")
    assert form.strength is FormStrength.AMBIGUOUS
    assert set(form.keys) == {"treaty/guidelines-1978", "treaty/guidelines-1997"}


def test_bad_entry_gives_a_clear_error() -> None:
    """A malformed entry names file, entry and what must hold."""
    message = r"bad\.yaml:Not A Slug: 'id' must be a slug .*got 'Not A Slug'"
    with pytest.raises(ConfigError, match=message):
        load_gazetteer(FIXTURES / "bad-gazetteer")


def test_bad_yaml_gives_position(tmp_path) -> None:
    """A file that is not YAML reports file, line and column."""
    (tmp_path / "x.yaml").write_text("- id: a\n  type: [unclosed\n")
    with pytest.raises(ConfigError, match=r"x\.yaml:\d+:\d+: file must be valid YAML"):
        load_gazetteer(tmp_path)


def test_duplicate_id_is_refused(tmp_path) -> None:
    """Two entries of one type with the same id are an error."""
    entry = "- {id: japan, type: state, label: Japan}\n"
    (tmp_path / "a.yaml").write_text(entry)
    (tmp_path / "b.yaml").write_text(entry)
    with pytest.raises(ConfigError, match="must be unique"):
        load_gazetteer(tmp_path)


def test_missing_folder_gives_empty_gazetteer(tmp_path) -> None:
    """No gazetteer folder: an empty gazetteer that matches nothing."""
    assert load_gazetteer(tmp_path / "none").match("Japan") == []


@pytest.mark.skipif(not DATA.is_dir(), reason="data/gazetteer is absent")
def test_project_gazetteer_loads() -> None:
    """The curated gazetteer validates and compiles (its speed is measured in benchmarks/)."""
    gaz = load_gazetteer(DATA)
    assert len(gaz.entries) > 50
