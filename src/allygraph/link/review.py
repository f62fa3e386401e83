"""The review file: proposals a person reads, marks and accepts into the accepted links.

``allygraph link --online`` writes ``data/links/proposals.yaml``: one entry per looked-up
entity, with its status, the proposed QID (if any), the score, the day and the candidates
that were considered. A reviewer sets ``accept: true`` on the entries they checked (and may
replace ``qid`` by another candidate's), then runs ``allygraph link --accept FILE``, which
merges them into ``data/links/accepted.yaml`` (:mod:`allygraph.link.links`).
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import yaml

from allygraph.errors import ConfigError
from allygraph.link.links import QID_PATTERN, load_links, parse_link, write_links
from allygraph.link.lookup import Proposal

__all__ = ["AcceptResult", "accept_proposals", "proposals_to_yaml", "write_proposals"]

_HEADER = """\
# Wikidata link proposals (allygraph link --online). Nothing here is in the graph yet.
# Review each entry: open https://www.wikidata.org/wiki/<qid>, and if it is the same
# real-world thing, set `accept: true` (and `checked_by`, or pass --checked-by). You may
# replace `qid` by one of the candidates'. Then run: allygraph link --accept <this file>
# status: proposed (best candidate clear), ambiguous (too close or too weak: choose or
# leave), not-found (no candidate of a fitting type). Scoring: docs/linking.md.
"""


def _proposal_row(p: Proposal) -> dict[str, Any]:
    row: dict[str, Any] = {
        "key": p.key,
        "label": p.label,
        "status": p.status,
        "qid": p.qid,
        "score": round(p.score, 4),
        "date": p.date,
        "accept": False,
        "checked_by": None,
    }
    row["candidates"] = [
        {
            "qid": c.qid,
            "label": c.label,
            "description": c.description,
            "score": c.score,
            "name": c.name,
            "type_ok": c.type_ok,
            "dates_ok": c.dates_ok,
        }
        for c in p.candidates
    ]
    return row


def proposals_to_yaml(proposals: Iterable[Proposal]) -> str:
    """Serialize proposals as the review file (header comment, then a YAML list)."""
    rows = [_proposal_row(p) for p in proposals]
    return _HEADER + yaml.safe_dump(rows, allow_unicode=True, sort_keys=False, width=100)


def write_proposals(path: Path, proposals: Iterable[Proposal]) -> None:
    """Write the review file atomically."""
    path.parent.mkdir(parents=True, exist_ok=True)
    tmp = path.with_name(path.name + ".tmp")
    tmp.write_text(proposals_to_yaml(proposals), encoding="utf-8")
    tmp.replace(path)


@dataclass(frozen=True, slots=True)
class AcceptResult:
    """What ``accept_proposals`` did: keys accepted, replaced and skipped (not marked)."""

    accepted: tuple[str, ...]
    replaced: tuple[str, ...]
    skipped: int


def _fail(where: str, what: str, got: object) -> ConfigError:
    return ConfigError(f"{where}: {what} (got {got!r})")


def accept_proposals(
    review: Path, accepted: Path, *, checked_by: str | None = None, today: str | None = None
) -> AcceptResult:
    """Merge the entries of a review file marked ``accept: true`` into the accepted links.

    Args:
        review: The review file (``proposals.yaml``) with some entries marked.
        accepted: The accepted-links file to update (created when missing).
        checked_by: Reviewer recorded on entries that do not name one.
        today: Day recorded on entries that carry none (default: today).

    Returns:
        Which keys were accepted (new), replaced (a different QID before) and how many
        entries were not marked.

    Raises:
        ConfigError: The review file does not parse, or a marked entry lacks a valid QID, a
            score or a reviewer (``file:key: what must hold (got what)``).
    """
    if not review.is_file():
        raise ConfigError(f"{review}: the review file must exist (got no such file)")
    try:
        rows = yaml.safe_load(review.read_text(encoding="utf-8"))
    except yaml.YAMLError as err:
        mark = getattr(err, "problem_mark", None)
        where = f"{review}:{mark.line + 1}:{mark.column + 1}" if mark else str(review)
        raise ConfigError(f"{where}: file must be valid YAML (got {err})") from None
    if not isinstance(rows, list):
        raise _fail(str(review), "a review file must be a YAML list", type(rows).__name__)
    links = load_links(accepted)
    day = today or dt.date.today().isoformat()
    new: list[str] = []
    replaced: list[str] = []
    skipped = 0
    for index, row in enumerate(rows):
        if not isinstance(row, dict) or row.get("accept") is not True:
            skipped += 1
            continue
        key = row.get("key")
        where = f"{review}:{key if isinstance(key, str) else '#' + str(index + 1)}"
        qid = row.get("qid")
        if not isinstance(qid, str) or not QID_PATTERN.match(qid):
            raise _fail(where, "an accepted entry must carry a 'qid' like Q12345", qid)
        reviewer = row.get("checked_by") or checked_by
        if not isinstance(reviewer, str) or not reviewer.strip():
            raise _fail(where, "an accepted entry needs 'checked_by' (or --checked-by)", reviewer)
        score = next(
            (c.get("score") for c in row.get("candidates") or [] if c.get("qid") == qid),
            row.get("score"),
        )
        date = row.get("date") or day
        raw = {
            "key": key,
            "qid": qid,
            "score": score if score is not None else 0.0,
            "date": date.isoformat() if isinstance(date, dt.date) else date,
            "checked_by": reviewer,
            "label": row.get("label") or "",
            "wikidata_label": next(
                (c.get("label") for c in row.get("candidates") or [] if c.get("qid") == qid), ""
            ),
        }
        link = parse_link(raw, str(review), index)
        old = links.get(link.key)
        if old is None:
            new.append(link.key)
        elif old.qid != link.qid:
            replaced.append(link.key)
        links[link.key] = link
    write_links(accepted, links)
    return AcceptResult(tuple(new), tuple(replaced), skipped)
