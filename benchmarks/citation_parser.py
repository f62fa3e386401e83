"""Speed of the citation parser: references/s and MB/s of note text, rules and CRF paths.

    .venv/bin/python benchmarks/citation_parser.py

The Sakata chapter's 42 notes are repeated to make a large document (each copy's notes are
numbered on), so the segmenter, the prose filter, the rules and the short-form resolver all run
as in a build. Reference-list lines in APA style go through the CRF.
"""

from __future__ import annotations

import re
import time
from pathlib import Path

from allygraph.extract.citations import parse_citation, parse_references
from allygraph.records import Document, Note

ROOT = Path(__file__).resolve().parents[1]
SAKATA = ROOT / "data" / "corpus" / "sakata-2011-korea-and-the-japan-us-alliance.txt"
APA = [
    "Cha, V. D. (1999). Alignment despite antagonism: The United States-Korea-Japan security "
    "triangle. Stanford University Press.",
    "Rozman, G., & Lee, S. (2006). Unraveling the Japan-South Korea virtual alliance. Asian "
    "Survey, 46(5), 761–784. https://doi.org/10.1525/as.2006.46.5.761",
    "Kang, David C. China Rising: Peace, Power, and Order in East Asia. Columbia University "
    "Press, 2007.",
]


def big_document(copies: int) -> Document:
    bodies = re.findall(r"^  \d+\. (.+)$", SAKATA.read_text(encoding="utf-8"), re.MULTILINE)
    text = "Notes\n\n"
    notes = []
    for k in range(copies * len(bodies)):
        text += f"  {k + 1}. "
        body = bodies[k % len(bodies)]
        notes.append(Note(k + 1, len(text), len(text) + len(body)))
        text += body + "\n\n"
    return Document("bench", "", text, "", notes=tuple(notes))


def main() -> None:
    doc = big_document(40)
    mb = len(doc.text.encode("utf-8")) / 1e6
    parse_references(big_document(1))  # warm up (regex compilation)
    t0 = time.perf_counter()
    refs = parse_references(doc)
    dt = time.perf_counter() - t0
    print(
        f"notes (rules): {len(doc.notes)} notes, {len(refs)} references, {mb:.2f} MB in {dt:.3f} s"
        f" -> {len(refs) / dt:,.0f} references/s, {mb / dt:.2f} MB/s"
    )
    parse_citation(APA[0])  # load the model
    lines = APA * 300
    t0 = time.perf_counter()
    for line in lines:
        parse_citation(line)
    dt = time.perf_counter() - t0
    mb = sum(len(x.encode("utf-8")) for x in lines) / 1e6
    print(
        f"reference lines (CRF): {len(lines)} lines in {dt:.3f} s"
        f" -> {len(lines) / dt:,.0f} references/s, {mb / dt:.2f} MB/s"
    )
    one = big_document(1)
    t0 = time.perf_counter()
    parse_references(one)
    print(f"the Sakata chapter alone: {time.perf_counter() - t0:.4f} s")


if __name__ == "__main__":
    main()
