"""Tests of the release store: atomic publication, read-only readers, refresh, pruning."""

from __future__ import annotations

from pathlib import Path

import pyoxigraph as ox
import pytest

from allygraph.errors import StoreError
from allygraph.store import KEEP_RELEASES, ReleaseWriter, current_release, open_published

G1 = "http://example.org/graph/document/a"
TRIPLE = b'<http://example.org/s> <http://example.org/p> "one" .\n'


def _publish(root: Path, data: bytes = TRIPLE, *, incremental: bool = False) -> Path:
    with ReleaseWriter(root, incremental=incremental) as release:
        release.replace_graph(G1, data)
        return release.publish({"triples": 1})


def test_nothing_published_is_a_clear_error(tmp_path: Path) -> None:
    """Opening an empty store folder says to build first."""
    with pytest.raises(StoreError, match="run `allygraph build` first"):
        open_published(tmp_path)


def test_publish_and_read(tmp_path: Path) -> None:
    """A published release is readable and carries its release.json."""
    folder = _publish(tmp_path)
    assert current_release(tmp_path) == folder
    published = open_published(tmp_path)
    assert published.release["triples"] == 1
    assert bool(published.store.query(f"ASK {{ GRAPH <{G1}> {{ ?s ?p 'one' }} }}"))


def test_failed_write_leaves_published_release(tmp_path: Path) -> None:
    """An error inside the writer removes the new release; the old one stays published."""
    first = _publish(tmp_path)
    with pytest.raises(StoreError), ReleaseWriter(tmp_path, incremental=True) as release:
        release.replace_graph(G1, b"<broken")
    assert current_release(tmp_path) == first
    assert len(list((tmp_path / "releases").iterdir())) == 1
    published = open_published(tmp_path)
    assert bool(published.store.query("ASK { GRAPH ?g { ?s ?p 'one' } }"))


def test_unpublished_writer_is_discarded(tmp_path: Path) -> None:
    """Leaving the block without publish() publishes nothing."""
    first = _publish(tmp_path)
    with ReleaseWriter(tmp_path, incremental=True) as release:
        release.replace_graph(G1, TRIPLE.replace(b"one", b"two"))
    assert current_release(tmp_path) == first


def test_incremental_release_keeps_other_graphs(tmp_path: Path) -> None:
    """An incremental release starts from the published graphs."""
    _publish(tmp_path)
    with ReleaseWriter(tmp_path, incremental=True) as release:
        release.replace_graph(G1 + "2", TRIPLE.replace(b"one", b"two"))
        assert release.graphs() == {G1, G1 + "2"}
        total, per_graph = release.count()
        release.publish({})
    assert total == 2
    assert per_graph == {G1: 1, G1 + "2": 1}


def test_reader_refreshes_to_new_release(tmp_path: Path) -> None:
    """A reader sees a newer release after refresh(), not before."""
    _publish(tmp_path)
    reader = open_published(tmp_path)
    assert reader.refresh() is False
    _publish(tmp_path, TRIPLE.replace(b"one", b"two"))
    assert reader.refresh() is True
    assert bool(reader.store.query("ASK { GRAPH ?g { ?s ?p 'two' } }"))


def test_old_releases_are_pruned(tmp_path: Path) -> None:
    """Only the newest releases stay on disk."""
    for _ in range(KEEP_RELEASES + 2):
        _publish(tmp_path)
    assert len(list((tmp_path / "releases").iterdir())) == KEEP_RELEASES


def test_replace_graph_replaces(tmp_path: Path) -> None:
    """replace_graph drops the old triples of that graph."""
    with ReleaseWriter(tmp_path) as release:
        release.replace_graph(G1, TRIPLE)
        release.replace_graph(G1, TRIPLE.replace(b"one", b"two"))
        rows = list(release.store.quads_for_pattern(None, None, None, ox.NamedNode(G1)))
        release.publish({})
    assert [q.object.value for q in rows] == ["two"]


def _default(store: ox.Store) -> set[str]:
    return {
        q.object.value
        for q in store.quads_for_pattern(None, None, None, ox.DefaultGraph())
        if isinstance(q.object, ox.Literal)
    }


def test_default_graph_is_the_merge_of_named_graphs(tmp_path: Path) -> None:
    """A triple two graphs share is in the default graph once, until no graph holds it."""
    shared = TRIPLE
    with ReleaseWriter(tmp_path) as release:
        release.replace_graph(G1, shared + TRIPLE.replace(b"one", b"a-only"))
        release.replace_graph(G1 + "2", shared)
        release.publish({})
    published = open_published(tmp_path)
    assert published.default_graph_materialized
    assert _default(published.store) == {"one", "a-only"}
    count = published.store.query("SELECT (COUNT(*) AS ?n) WHERE { ?s ?p 'one' }")
    assert isinstance(count, ox.QuerySolutions)
    assert [row["n"].value for row in count] == ["1"]  # type: ignore[union-attr]

    with ReleaseWriter(tmp_path, incremental=True) as release:
        release.replace_graph(G1, TRIPLE.replace(b"one", b"a-new"))  # drops "one" and "a-only"
        release.publish({})
    assert _default(open_published(tmp_path).store) == {"one", "a-new"}  # G1-2 still has "one"

    with ReleaseWriter(tmp_path, incremental=True) as release:
        release.drop_graphs([G1 + "2"])
        release.publish({})
    assert _default(open_published(tmp_path).store) == {"a-new"}


def test_load_file_replaces_its_graph_and_feeds_the_default(tmp_path: Path) -> None:
    """A loaded file fills its graph (replacing an earlier load) and the default graph."""
    graph = "http://example.org/graph/load/notes"
    with ReleaseWriter(tmp_path) as release:
        release.load_file(TRIPLE, ox.RdfFormat.N_TRIPLES, graph)
        release.load_file(TRIPLE.replace(b"one", b"two"), ox.RdfFormat.N_TRIPLES, graph)
        quads = [b'<http://example.org/s> <http://example.org/p> "q" <http://example.org/g> .\n'][0]
        release.load_file(quads, ox.RdfFormat.N_QUADS, graph + "-quads")
        release.publish({})
    store = open_published(tmp_path).store
    assert _default(store) == {"two", "q"}
    named = {g.value for g in store.named_graphs() if isinstance(g, ox.NamedNode)}
    assert named == {graph, "http://example.org/g"}


def test_load_file_from_a_path_keeps_blank_nodes_and_graphs(tmp_path: Path) -> None:
    """A path loads like its bytes: same named graphs, same default graph, blank nodes kept."""
    source = tmp_path / "data.nq"
    source.write_bytes(
        b'_:x <http://example.org/p> "b" <http://example.org/g1> .\n'
        b"_:x <http://example.org/q> <http://example.org/o> <http://example.org/g2> .\n"
        b'<http://example.org/s> <http://example.org/p> "shared" <http://example.org/g1> .\n'
        b'<http://example.org/s> <http://example.org/p> "shared" <http://example.org/g2> .\n'
    )
    seen = []
    for name, src in (("bytes", source.read_bytes()), ("path", source)):
        with ReleaseWriter(tmp_path / name) as release:
            release.load_file(src, ox.RdfFormat.N_QUADS, "http://example.org/graph/load/data")
            release.publish({})
        store = open_published(tmp_path / name).store
        rows = store.query(
            "SELECT (COUNT(*) AS ?n) WHERE { ?s <http://example.org/p> ?b . ?s ?q ?o }"
        )
        assert isinstance(rows, ox.QuerySolutions)
        seen.append((_default(store), [int(r["n"].value) for r in rows], len(store)))
    assert seen[0] == seen[1]
    assert seen[0][0] == {"b", "shared"}  # the shared triple once in the default graph
    assert seen[0][1] == [3]  # _:x is one node across both graphs and the default graph


def test_load_file_error_midway_publishes_nothing(tmp_path: Path) -> None:
    """A syntax error deep in a big file raises it with its line; the release is untouched."""
    first = _publish(tmp_path)
    source = tmp_path / "big.nt"
    good = b'<http://example.org/s> <http://example.org/p> "%d" .\n'
    source.write_bytes(b"".join(good % i for i in range(5000)) + b"<broken\n")
    with (
        pytest.raises(SyntaxError) as caught,
        ReleaseWriter(tmp_path, incremental=True) as release,
    ):
        release.load_file(source, ox.RdfFormat.N_TRIPLES, "http://example.org/graph/load/big")
    assert "5001" in str(caught.value) or caught.value.lineno == 5001
    assert current_release(tmp_path) == first
    assert _default(open_published(tmp_path).store) == {"one"}


def test_batched_graphs_are_written_before_count_and_publish(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Graphs held back in a batch count, replace earlier versions and prune the default."""
    import allygraph.store.release as release_module

    monkeypatch.setattr(release_module, "BATCH_BYTES", 200)  # a flush every few graphs
    line = b'<http://example.org/s> <http://example.org/p> "%s" .\n'
    _publish(tmp_path, line % b"old")
    with ReleaseWriter(tmp_path, incremental=True) as release:
        for i in range(10):
            release.replace_graph(f"{G1}{i}", line % str(i).encode() + line % b"shared")
        release.replace_graph(G1, line % b"new")  # replaces "old" of the published release
        release.replace_graph(f"{G1}3", line % b"three")  # replaces a graph of this batch
        total, per_graph = release.count()
        release.publish({})
    assert per_graph[G1] == 1
    assert per_graph[f"{G1}3"] == 1
    assert total == 1 + 1 + 9 * 2
    expected = {str(i) for i in range(10) if i != 3} | {"shared", "new", "three"}
    assert _default(open_published(tmp_path).store) == expected


def test_a_bad_graph_in_a_batch_is_named(tmp_path: Path) -> None:
    """Data that looks like N-Triples but does not parse fails its batch, naming its graph."""
    first = _publish(tmp_path)
    with ReleaseWriter(tmp_path, incremental=True) as release:
        release.replace_graph(G1 + "1", TRIPLE)
        release.replace_graph(G1 + "2", b'<http://example.org/s> <p> "x" .\n')  # relative IRI
        with pytest.raises(StoreError, match=rf"^{G1}2: cannot write the graph"):
            release.publish({})
    assert current_release(tmp_path) == first


def test_a_large_bulk_write_is_compacted_at_publish(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Past OPTIMIZE_BYTES of bulk-loaded data the release is compacted, with data intact."""
    import allygraph.store.release as release_module

    monkeypatch.setattr(release_module, "OPTIMIZE_BYTES", 10)
    with ReleaseWriter(tmp_path / "big") as release:
        release.load_file(TRIPLE, ox.RdfFormat.N_TRIPLES, G1)
        release.publish({})
    published = open_published(tmp_path / "big")
    assert published.release["optimized"] is True
    assert _default(published.store) == {"one"}
    monkeypatch.undo()
    _publish(tmp_path / "small")
    assert open_published(tmp_path / "small").release["optimized"] is False
