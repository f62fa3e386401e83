"""Build ``gold.json`` (and ``input.txt``) for each evaluation case from its marked text.

Each case folder holds ``gold.marked.txt``: the exact case text with every mention written as
``{surface|code:slug}`` (``code`` one of per, tre, base, org, pub, st, pl, ev). Stripping the
marks gives the text; offsets are computed here, never typed by hand. For corpus cases the
stripped text must equal the corpus file (a no-break space may be typed as a space); for
unseen cases the stripped text is written to ``input.txt``. QIDs come from ``qids.json``
(entity id -> verified QID). Run: ``.venv/bin/python tests/eval/build_gold.py``.
"""

from __future__ import annotations

import json
import re
import sys
from pathlib import Path

HERE = Path(__file__).resolve().parent
ROOT = HERE.parents[1]

CODES = {
    "per": "person",
    "tre": "treaty",
    "base": "base",
    "org": "organization",
    "pub": "publication",
    "st": "state",
    "pl": "place",
    "ev": "event",
}
MARK = re.compile(r"\{([^{}|]+)\|([a-z]+):([a-z0-9-]+)\}")

# Corpus cases: folder -> (corpus path relative to the case folder, how the text was written).
CASES: dict[str, tuple[str, str]] = {
    "corpus-feng": (
        "../../../data/corpus/feng-2010-north-korea-convenient-threat.txt",
        "corpus text (Feng Zhaokui, Global Research web page), annotated independently",
    ),
    "corpus-sakata": (
        "../../../data/corpus/sakata-2011-korea-and-the-japan-us-alliance.txt",
        "corpus text (Sakata 2011 chapter landing page, 42 endnotes), annotated independently",
    ),
}
UNSEEN_SOURCE = "written for this evaluation in the style of {style}; not copied from any text"
UNSEEN: dict[str, str] = {
    "unseen-news-missile": "a wire news report",
    "unseen-encyclopedia-misawa": "an encyclopedia article",
    "unseen-press-release-2plus2": "a government press release",
    "unseen-scholarly-endnotes": "a scholarly paragraph with Chicago-style endnotes",
    "unseen-apa-references": "an APA-style reference list",
    "unseen-analysis-gsomia": "a news analysis",
    "unseen-encyclopedia-agreed-framework": "an encyclopedia paragraph",
    "unseen-thinktank-futenma": "a think-tank commentary",
    "unseen2-news-humphreys": "a news feature (written blind, before any extractor run)",
    "unseen2-press-statement-raa": "a foreign-ministry press release (written blind)",
    "unseen2-history-normalization": "a historical overview with further reading (written blind)",
    "unseen2-thinktank-minilateral": "a think-tank commentary (written blind)",
    "unseen3-crs-report-okinawa": "a CRS-style report section with footnotes (written blind)",
    "unseen3-yonhap-trilateral": "a wire-service news story (written blind)",
    "unseen3-whitepaper-southwest": "a translated defense white paper passage (written blind)",
    "unseen3-review-essay": "an academic review essay with APA references (written blind)",
    "unseen3-webpage-timeline": "a web page timeline with site boilerplate (written blind)",
}


def parse(marked: str) -> tuple[str, list[tuple[int, int, str, str, str]]]:
    """Strip the marks; return the text and (start, end, surface, type, entity) per mention."""
    out: list[str] = []
    spans: list[tuple[int, int, str, str, str]] = []
    pos = 0
    length = 0
    for m in MARK.finditer(marked):
        chunk = marked[pos : m.start()]
        out.append(chunk)
        length += len(chunk)
        surface, code, slug = m.group(1), m.group(2), m.group(3)
        if code not in CODES:
            raise ValueError(f"unknown type code {code!r} in {m.group(0)!r}")
        kind = CODES[code]
        spans.append((length, length + len(surface), surface, kind, f"{kind}:{slug}"))
        out.append(surface)
        length += len(surface)
        pos = m.end()
    out.append(marked[pos:])
    text = "".join(out)
    for bad in ("{", "}"):
        if bad in text:
            i = text.index(bad)
            raise ValueError(f"stray {bad!r} near {text[max(0, i - 40) : i + 40]!r}")
    return text, spans


def build_case(name: str, qids: dict[str, str | None]) -> list[str]:
    """Write one case's gold.json; return warnings (unknown QIDs are fine, typos are not)."""
    folder = HERE / name
    marked = (folder / "gold.marked.txt").read_text(encoding="utf-8")
    stripped, spans = parse(marked)
    gold: dict[str, object] = {}
    if name in CASES:
        rel, source = CASES[name]
        text = (folder / rel).resolve().read_text(encoding="utf-8").removeprefix("\ufeff")
        if len(text) != len(stripped) or any(
            a != b and not (a == "\xa0" and b == " ") for a, b in zip(text, stripped, strict=True)
        ):
            i = next(
                (k for k, (a, b) in enumerate(zip(text, stripped, strict=False)) if a != b),
                min(len(text), len(stripped)),
            )
            raise ValueError(
                f"{name}: marked text differs from corpus at {i}: "
                f"{text[i - 30 : i + 30]!r} vs {stripped[i - 30 : i + 30]!r}"
            )
        gold["path"] = rel
    else:
        text = stripped
        source = UNSEEN_SOURCE.format(style=UNSEEN[name])
        (folder / "input.txt").write_text(text, encoding="utf-8")
    gold["source"] = source
    mentions = []
    for start, end, _surface, kind, entity in spans:
        surface = text[start:end]
        assert text[start:end] == surface
        mentions.append(
            {
                "start": start,
                "end": end,
                "text": surface,
                "type": kind,
                "entity": entity,
                "qid": qids.get(entity),
            }
        )
    gold["mentions"] = mentions
    (folder / "gold.json").write_text(
        json.dumps(gold, ensure_ascii=False, indent=1) + "\n", encoding="utf-8"
    )
    return [f"{name}: {len(mentions)} mentions, {len({m['entity'] for m in mentions})} entities"]


def coverage(name: str) -> list[str]:
    """List unmarked occurrences of marked surfaces (to catch missed mentions when annotating)."""
    folder = HERE / name
    stripped, spans = parse((folder / "gold.marked.txt").read_text(encoding="utf-8"))
    covered = [(s, e) for s, e, *_ in spans]
    found = []
    for surface in sorted({s for _, _, s, _, _ in spans}, key=len, reverse=True):
        for m in re.finditer(rf"(?<![\w-]){re.escape(surface)}(?![\w-])", stripped):
            if not any(s <= m.start() < e or s < m.end() <= e for s, e in covered):
                ctx = stripped[max(0, m.start() - 30) : m.end() + 30].replace("\n", " ")
                found.append(f"  unmarked {surface!r} at {m.start()}: ...{ctx}...")
    return found


def main() -> int:
    """Build every case folder that has a gold.marked.txt."""
    qids_doc = json.loads((HERE / "qids.json").read_text(encoding="utf-8"))
    qids = {k: v["qid"] for k, v in qids_doc["entities"].items()}
    for folder in sorted(p for p in HERE.iterdir() if (p / "gold.marked.txt").exists()):
        for line in build_case(folder.name, qids):
            print(line)
        if "--coverage" in sys.argv:
            for line in coverage(folder.name):
                print(line)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
