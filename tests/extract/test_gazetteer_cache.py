"""The compiled gazetteer is kept between runs and read back only while its inputs stay."""

from __future__ import annotations

from pathlib import Path

import pytest

from allygraph.errors import ConfigError
from allygraph.extract.gazetteer import load_gazetteer

_ENTRIES = """\
- id: naoto-kan
  type: person
  label: Naoto Kan
  given: Naoto
  family: Kan
- id: japan
  type: state
  label: Japan
  acronyms: [JPN]
"""
_TEXT = "Prime Minister Naoto Kan of Japan (JPN) met Kan Naoto."


def _folder(tmp_path: Path, text: str = _ENTRIES) -> Path:
    folder = tmp_path / "gazetteer"
    folder.mkdir(exist_ok=True)
    (folder / "entries.yaml").write_text(text, encoding="utf-8")
    return folder


def test_second_load_reads_the_cache(tmp_path: Path) -> None:
    """A second load gives the same entries, forms and matches from the cache file."""
    folder, cache = _folder(tmp_path), tmp_path / "cache"
    first = load_gazetteer(folder, cache_dir=cache)
    files = list(cache.glob("gazetteer-*.pickle"))
    assert len(files) == 1
    second = load_gazetteer(folder, cache_dir=cache)
    assert second.entries == first.entries
    assert second.forms == first.forms
    assert second.match(_TEXT) == first.match(_TEXT)
    assert second.match(_TEXT) == load_gazetteer(folder, cache_dir=None).match(_TEXT)


def test_changed_file_is_compiled_again(tmp_path: Path) -> None:
    """Editing a YAML file changes the cache key: the new entry is there."""
    cache = tmp_path / "cache"
    load_gazetteer(_folder(tmp_path), cache_dir=cache)
    extra = _ENTRIES + "- id: korea\n  type: state\n  label: South Korea\n"
    changed = load_gazetteer(_folder(tmp_path, extra), cache_dir=cache)
    assert "state/korea" in changed.entries
    assert len(list(cache.glob("gazetteer-*.pickle"))) == 2


def test_damaged_cache_file_is_replaced(tmp_path: Path) -> None:
    """A cache file that does not unpickle is ignored and written anew."""
    folder, cache = _folder(tmp_path), tmp_path / "cache"
    load_gazetteer(folder, cache_dir=cache)
    (path,) = cache.glob("gazetteer-*.pickle")
    path.write_bytes(b"not a pickle")
    again = load_gazetteer(folder, cache_dir=cache)
    assert "person/naoto-kan" in again.entries
    assert path.read_bytes() != b"not a pickle"


def test_no_cache_dir_writes_nothing(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """Without a cache folder nothing is written anywhere."""
    monkeypatch.chdir(tmp_path)
    load_gazetteer(_folder(tmp_path), cache_dir=None)
    assert not (tmp_path / "var").exists()


def test_broken_gazetteer_is_never_cached(tmp_path: Path) -> None:
    """A file that breaks the format raises every time and leaves no cache file."""
    folder, cache = (
        _folder(tmp_path, "- id: Not A Slug\n  type: person\n  label: X\n"),
        tmp_path / "c",
    )
    for _ in range(2):
        with pytest.raises(ConfigError, match="'id' must be a slug"):
            load_gazetteer(folder, cache_dir=cache)
    assert not list(cache.glob("*.pickle"))
