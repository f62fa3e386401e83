"""Accepted links and how entities get their Wikidata QID at build time (offline).

Two sources give an entity its QID, in this order:

1. the curated gazetteer (``data/gazetteer/*.yaml``, ``qid`` verified by a person): the
   resolver already puts it in :attr:`Entity.qid` with ``qid_source = "gazetteer"``;
2. accepted look-ups (``data/links/accepted.yaml``): proposals of ``allygraph link --online``
   that a person reviewed and accepted with ``allygraph link --accept``. They apply only to
   entities the gazetteer leaves without a QID, and carry ``qid_source =
   "lookup:<score>:<date>"`` so the graph says where the link came from.

Precision comes first (a wrong QID is worse than none): an entity that the resolver left
ambiguous (it carries ``candidate`` attributes, e.g. a bare "Koizumi" or "the Guidelines")
never receives a QID here, and an accepted link whose kind disagrees with the entity's is
ignored.

The accepted-links file is a YAML list::

    - key: person/yoichi-funabashi     # the entity key ("{kind}/{slug}")
      qid: Q...
      label: Yoichi Funabashi          # the entity's label when accepted (for people)
      wikidata_label: Yoichi Funabashi # the label Wikidata gave
      score: 0.94
      date: "2025-01-31"               # day of the look-up
      checked_by: jdoe                 # who accepted it
"""

from __future__ import annotations

import dataclasses
import datetime as dt
import re
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import yaml

from allygraph.errors import ConfigError
from allygraph.records import Entity, Extraction

__all__ = [
    "AcceptedLink",
    "is_ambiguous",
    "link_entities",
    "link_extraction",
    "load_links",
    "lookup_source",
    "parse_link",
    "write_links",
]

QID_PATTERN = re.compile(r"^Q[1-9]\d*$")
_KEY = re.compile(r"^(person|treaty|base|organization|state|place|event|publication)/[a-z0-9-]+$")


@dataclass(frozen=True, slots=True)
class AcceptedLink:
    """A reviewed look-up: entity key -> QID, with score, day and reviewer."""

    key: str
    qid: str
    score: float
    date: str
    checked_by: str
    label: str = ""
    wikidata_label: str = ""

    @property
    def source(self) -> str:
        """The ``ag:linkSource`` value: ``lookup:<score>:<date>``."""
        return lookup_source(self.score, self.date)


def lookup_source(score: float, date: str) -> str:
    """Provenance string of a looked-up link.

    >>> lookup_source(0.9349, "2025-01-31")
    'lookup:0.93:2025-01-31'
    """
    return f"lookup:{score:.2f}:{date}"


def is_ambiguous(entity: Entity) -> bool:
    """Whether the resolver left the entity ambiguous (it lists candidate entities)."""
    return any(name == "candidate" for name, _ in entity.attributes)


def _fail(where: str, what: str, got: object) -> ConfigError:
    return ConfigError(f"{where}: {what} (got {got!r})")


def parse_link(raw: object, source: str, index: int = 0) -> AcceptedLink:
    """Check one accepted-link mapping; errors read ``source:key: what must hold (got what)``.

    Raises:
        ConfigError: A field is missing or malformed.
    """
    where = f"{source}:#{index + 1}"
    if not isinstance(raw, dict):
        raise _fail(where, "each accepted link must be a mapping", type(raw).__name__)
    key = raw.get("key")
    if not isinstance(key, str) or not _KEY.match(key):
        raise _fail(where, "'key' must be an entity key like 'person/naoto-kan'", key)
    where = f"{source}:{key}"
    qid = raw.get("qid")
    if not isinstance(qid, str) or not QID_PATTERN.match(qid):
        raise _fail(where, "'qid' must look like Q12345", qid)
    score = raw.get("score")
    if isinstance(score, bool) or not isinstance(score, int | float) or not 0 <= score <= 1:
        raise _fail(where, "'score' must be a number between 0 and 1", score)
    date = raw.get("date")
    if isinstance(date, dt.date):
        date = date.isoformat()
    if not isinstance(date, str) or not re.match(r"^\d{4}-\d{2}-\d{2}$", date):
        raise _fail(where, "'date' must be an ISO 8601 day (YYYY-MM-DD)", date)
    checked_by = raw.get("checked_by")
    if not isinstance(checked_by, str) or not checked_by.strip():
        raise _fail(where, "'checked_by' must name who accepted the link", checked_by)
    return AcceptedLink(
        key=key,
        qid=qid,
        score=float(score),
        date=date,
        checked_by=checked_by.strip(),
        label=str(raw.get("label") or ""),
        wikidata_label=str(raw.get("wikidata_label") or ""),
    )


def load_links(path: Path) -> dict[str, AcceptedLink]:
    """Read an accepted-links file; a missing file means no accepted links.

    Raises:
        ConfigError: The file does not parse or an entry breaks the format
            (``file:key: what must hold (got what)``), or two entries share a key.
    """
    if not path.is_file():
        return {}
    try:
        data = yaml.safe_load(path.read_text(encoding="utf-8"))
    except yaml.YAMLError as err:
        mark = getattr(err, "problem_mark", None)
        where = f"{path}:{mark.line + 1}:{mark.column + 1}" if mark else str(path)
        msg = f"{where}: file must be valid YAML (got {getattr(err, 'problem', err)})"
        raise ConfigError(msg) from None
    if data is None:
        return {}
    if not isinstance(data, list):
        raise _fail(str(path), "an accepted-links file must be a YAML list", type(data).__name__)
    links: dict[str, AcceptedLink] = {}
    for index, raw in enumerate(data):
        link = parse_link(raw, str(path), index)
        if link.key in links:
            raise _fail(f"{path}:{link.key}", "each key must be accepted once", link.qid)
        links[link.key] = link
    return links


def write_links(path: Path, links: Mapping[str, AcceptedLink]) -> None:
    """Write accepted links sorted by key (atomically: a temporary file, then a rename)."""
    rows: list[dict[str, Any]] = []
    for key in sorted(links):
        row = dataclasses.asdict(links[key])
        rows.append({k: v for k, v in row.items() if v != ""})
    header = (
        "# Accepted Wikidata links (allygraph link --accept): reviewed look-ups, applied at build\n"
        "# time to entities the gazetteer leaves without a QID. Format: docs/linking.md.\n"
    )
    body = yaml.safe_dump(rows, allow_unicode=True, sort_keys=False, width=100) if rows else "[]\n"
    path.parent.mkdir(parents=True, exist_ok=True)
    tmp = path.with_name(path.name + ".tmp")
    tmp.write_text(header + body, encoding="utf-8")
    tmp.replace(path)


def link_entities(
    entities: Iterable[Entity], links: Mapping[str, AcceptedLink]
) -> tuple[Entity, ...]:
    """Give entities without a curated QID their accepted link, when it is safe.

    Curated QIDs are kept as they are. Ambiguous entities (with ``candidate`` attributes)
    and links whose key names another kind are left alone.

    >>> from allygraph.records import EntityKind
    >>> e = Entity("person/x-y", EntityKind.PERSON, "X Y")
    >>> link = AcceptedLink("person/x-y", "Q42", 0.91, "2025-01-31", "me")
    >>> linked, = link_entities([e], {"person/x-y": link})
    >>> (linked.qid, linked.qid_source)
    ('Q42', 'lookup:0.91:2025-01-31')
    """
    out = []
    for entity in entities:
        link = links.get(entity.key)
        if (
            link is not None
            and entity.qid is None
            and not is_ambiguous(entity)
            and link.key.split("/", 1)[0] == entity.kind.value
        ):
            entity = dataclasses.replace(entity, qid=link.qid, qid_source=link.source)
        out.append(entity)
    return tuple(out)


def link_extraction(extraction: Extraction, links: Mapping[str, AcceptedLink]) -> Extraction:
    """Return the extraction with accepted links applied to its entities (see above)."""
    if not links:
        return extraction
    return dataclasses.replace(extraction, entities=link_entities(extraction.entities, links))
