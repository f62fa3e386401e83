"""``allygraph link``: report, --online proposals from recorded answers, --accept."""

from __future__ import annotations

from pathlib import Path

import httpx
import pytest
import yaml
from click.testing import CliRunner

from allygraph.cli import cli
from allygraph.link.links import load_links

from .wikidata_replay import Replay

GAZETTEER = """
- id: naoto-kan
  type: person
  label: Naoto Kan
  given: Naoto
  family: Kan
  qid: Q47846
  posts:
  - {post: Prime Minister, of: state/japan, start: "2010-06-08", end: "2011-09-02"}
- id: junichiro-koizumi
  type: person
  label: Junichiro Koizumi
  given: Junichiro
  family: Koizumi
  posts:
  - {post: Prime Minister, of: state/japan, start: "2001-04-26", end: "2006-09-26"}
- id: japan
  type: state
  label: Japan
  qid: Q17
"""

TEXT = (
    "Japan's Prime Minister Naoto Kan met his predecessor Junichiro Koizumi in Tokyo.\n"
    "Koizumi had led Japan from 2001 to 2006.\n"
)


@pytest.fixture
def workspace(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> tuple[Path, Replay]:
    """A corpus, a gazetteer and an httpx that replays the recorded Wikidata answers."""
    (tmp_path / "gazetteer").mkdir()
    (tmp_path / "gazetteer" / "people.yaml").write_text(GAZETTEER, encoding="utf-8")
    (tmp_path / "corpus").mkdir()
    (tmp_path / "corpus" / "note-2011.txt").write_text(TEXT, encoding="utf-8")
    monkeypatch.setenv("ALLYGRAPH_GAZETTEER", str(tmp_path / "gazetteer"))
    monkeypatch.chdir(tmp_path)
    replay = Replay()
    real_client = httpx.Client

    def offline_client(**kwargs: object) -> httpx.Client:
        return real_client(transport=httpx.MockTransport(replay))

    monkeypatch.setattr(httpx, "Client", offline_client)
    return tmp_path, replay


def _run(*args: str) -> tuple[int, str, str]:
    result = CliRunner().invoke(cli, list(args), catch_exceptions=False)
    return result.exit_code, result.stdout, result.stderr


def test_report_online_review_accept(workspace: tuple[Path, Replay]) -> None:
    """Report, propose from recorded answers, accept, and see the link counted."""
    root, replay = workspace
    code, out, _ = _run("link", "--corpus", "corpus")
    assert code == 0
    assert "person" in out
    assert replay.requests == []  # offline by default

    code, out, err = _run("link", "--corpus", "corpus", "--online", "--rate", "10")
    assert code == 0, err
    assert "1 proposed" in out
    proposals = root / "data" / "links" / "proposals.yaml"
    rows = yaml.safe_load(proposals.read_text(encoding="utf-8"))
    (row,) = [r for r in rows if r["key"] == "person/junichiro-koizumi"]
    assert (row["status"], row["qid"], row["accept"]) == ("proposed", "Q130852", False)
    assert all(r["key"] != "person/naoto-kan" for r in rows)  # curated: not looked up
    sent = len(replay.requests)

    code, out, _ = _run("link", "--corpus", "corpus", "--online")
    assert code == 0
    assert len(replay.requests) == sent  # the cache answers a rerun

    row["accept"] = True
    proposals.write_text(yaml.safe_dump(rows), encoding="utf-8")
    code, out, _ = _run("link", "--accept", str(proposals), "--checked-by", "tester")
    assert code == 0
    assert "accepted 1 new" in out
    link = load_links(root / "data" / "links" / "accepted.yaml")["person/junichiro-koizumi"]
    assert (link.qid, link.checked_by) == ("Q130852", "tester")

    code, out, _ = _run("link", "--corpus", "corpus")
    person = next(line for line in out.splitlines() if line.startswith("person"))
    assert person.split()[1:3] == ["1", "1"]  # one by the gazetteer, one by a look-up


def test_accept_without_reviewer_is_bad_input(workspace: tuple[Path, Replay]) -> None:
    """A marked entry without a reviewer exits 2 with a one-line message."""
    root, _ = workspace
    review = root / "review.yaml"
    review.write_text(
        yaml.safe_dump([{"key": "person/x", "qid": "Q1", "score": 0.9, "accept": True}]),
        encoding="utf-8",
    )
    code, _, err = _run("link", "--accept", str(review))
    assert code == 2
    assert "checked_by" in err
