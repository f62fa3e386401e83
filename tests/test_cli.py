"""The command line: outputs, exit codes and one-line errors; the store stays untouched."""

from __future__ import annotations

import json
import shutil
from pathlib import Path

import pytest
from click.testing import CliRunner
from rdflib import Dataset, Graph
from rdflib.compare import isomorphic

from allygraph.cli import EXIT_BAD_INPUT, EXIT_OK, EXIT_STORE, cli
from allygraph.settings import Settings
from allygraph.store import current_release

CORPUS = Path(__file__).resolve().parents[1] / "data" / "corpus"


def run(*args: str) -> tuple[int, str, str]:
    result = CliRunner().invoke(cli, list(args), catch_exceptions=False)
    return result.exit_code, result.stdout, result.stderr


@pytest.fixture
def store_copy(built_settings: Settings, tmp_path: Path) -> str:
    """A private copy of the session's built store that a test may change."""
    target = tmp_path / "store"
    shutil.copytree(built_settings.store, target, symlinks=True)
    return str(target)


def test_help_everywhere() -> None:
    """Every command answers --help."""
    commands = ("build", "extract", "validate", "query", "export", "load", "stats", "serve", "link")
    for command in commands:
        code, out, _ = run(command, "--help")
        assert code == EXIT_OK
        assert "Usage:" in out


def test_query_table_and_json(built_settings: Settings) -> None:
    """query prints a table by default and SPARQL JSON on request."""
    q = "SELECT (COUNT(*) AS ?n) WHERE { ?s ?p ?o }"
    code, out, _ = run("--store", built_settings.store, "query", q)
    assert code == EXIT_OK
    assert "(1 row)" in out
    code, out, _ = run("--store", built_settings.store, "query", q, "--format", "json")
    assert int(json.loads(out)["results"]["bindings"][0]["n"]["value"]) > 1000


def test_query_syntax_error_has_position(built_settings: Settings) -> None:
    """A malformed query exits 2 with the line and column of the error."""
    code, _, err = run("--store", built_settings.store, "query", "SELECT * WHERE { ?s ?p }")
    assert code == EXIT_BAD_INPUT
    assert "query line 1, column" in err
    assert len(err.strip().splitlines()) == 1


def test_nothing_published(tmp_path: Path) -> None:
    """Reading an empty store exits 3 and says to build first."""
    code, _, err = run("--store", str(tmp_path), "stats")
    assert code == EXIT_STORE
    assert "allygraph build" in err


@pytest.mark.parametrize("fmt", ["turtle", "ntriples", "nquads", "trig", "jsonld", "rdfxml"])
def test_export_parses_back(built_settings: Settings, tmp_path: Path, fmt: str) -> None:
    """Every export format parses back to the same triples as N-Quads."""
    out = tmp_path / f"dump.{fmt}"
    code, _, _ = run("--store", built_settings.store, "export", "--format", fmt, "-o", str(out))
    assert code == EXIT_OK
    reference = tmp_path / "ref.nq"
    run("--store", built_settings.store, "export", "--format", "nquads", "-o", str(reference))
    expected = Graph()
    for s, p, o, _ in Dataset().parse(reference, format="nquads").quads():
        expected.add((s, p, o))
    rdflib_format = {"ntriples": "nt", "rdfxml": "xml", "jsonld": "json-ld"}.get(fmt, fmt)
    got = Graph()
    if fmt in {"nquads", "trig", "jsonld"}:
        for s, p, o, _ in Dataset().parse(out, format=rdflib_format).quads():
            got.add((s, p, o))
    else:
        got.parse(out, format=rdflib_format)
    assert isomorphic(got, expected)


def _bad_corpus(tmp_path: Path, name: str, content: bytes, sidecar: str | None = None) -> Path:
    folder = tmp_path / "corpus"
    folder.mkdir()
    shutil.copy(CORPUS / "feng-2010-north-korea-convenient-threat.txt", folder / "ok.txt")
    (folder / name).write_bytes(content)
    if sidecar is not None:
        (folder / (Path(name).stem + ".meta.json")).write_text(sidecar)
    return folder


@pytest.mark.parametrize(
    ("name", "content", "sidecar", "message"),
    [
        ("latin.txt", b"Title\nCaf\xe9\n", None, r"latin\.txt:2:4: document must be UTF-8"),
        ("empty.txt", b"", None, r"empty\.txt: document is empty"),
        ("bin.txt", b"\x89PNG\r\n\x1a\n\x00\x00", None, r"bin\.txt:3:1: binary file"),
        ("meta.txt", b"Title\n\nText.\n", '{"title": "x",}', r"meta\.meta\.json:1:\d+: sidecar"),
    ],
)
def test_bad_input_leaves_store_untouched(
    store_copy: str, tmp_path: Path, name: str, content: bytes, sidecar: str | None, message: str
) -> None:
    """A bad document exits 2 with a one-line error naming it; the published release stays."""
    import re

    before = current_release(Path(store_copy))
    folder = _bad_corpus(tmp_path, name, content, sidecar)
    code, _, err = run("--store", store_copy, "build", "--corpus", str(folder))
    assert code == EXIT_BAD_INPUT
    assert re.search(message, err), err
    assert len(err.strip().splitlines()) == 1
    assert current_release(Path(store_copy)) == before


def test_load_malformed_rdf(store_copy: str, tmp_path: Path) -> None:
    """Malformed RDF for load exits 2 with file, line and column; nothing is published."""
    before = current_release(Path(store_copy))
    bad = tmp_path / "bad.ttl"
    bad.write_text('@prefix ex: <http://example.org/> .\nex:a ex:b ex:c .\nex:a ex:b "open .\n')
    code, _, err = run("--store", store_copy, "load", str(bad))
    assert code == EXIT_BAD_INPUT
    assert f"{bad}:3:" in err
    assert current_release(Path(store_copy)) == before


def test_load_publishes_user_rdf(store_copy: str, tmp_path: Path) -> None:
    """load puts a user's file into a graph of its own and keeps the corpus graphs."""
    good = tmp_path / "notes.ttl"
    good.write_text('<http://example.org/a> <http://example.org/b> "c" .\n')
    code, _, _ = run("--store", store_copy, "load", str(good))
    assert code == EXIT_OK
    code, out, _ = run(
        "--store",
        store_copy,
        "query",
        "ASK { GRAPH ?g { ?s ?p 'c' } FILTER(CONTAINS(STR(?g), 'graph/load/notes')) }",
    )
    assert out.strip() == "true"
    code, out, _ = run("--store", store_copy, "stats", "--json")
    assert json.loads(out)["documents"] == 2


def test_validate_published_conforms(built_settings: Settings) -> None:
    """The built corpus conforms to the shapes."""
    code, out, _ = run("--store", built_settings.store, "validate")
    assert code == EXIT_OK, out


def test_stats_counts_classes(built_settings: Settings) -> None:
    """stats lists persons and their Wikidata links."""
    _code, out, _ = run("--store", built_settings.store, "stats", "--json")
    rows = {r["class"]: r for r in json.loads(out)["classes"]}
    assert rows["ag:Person"]["entities"] >= 40
    assert rows["ag:Person"]["linked"] >= 1


def test_extract_does_not_touch_store(tmp_path: Path) -> None:
    """extract prints Turtle for a text and creates no store."""
    text = tmp_path / "a.txt"
    text.write_text("Kan visit\n\nJapanese Prime Minister Naoto Kan met officials in Tokyo.\n")
    code, out, _ = run("--store", str(tmp_path / "store"), "extract", str(text))
    assert code == EXIT_OK
    assert "naoto-kan" in out
    assert not (tmp_path / "store").exists()
