"""Zones of web pages and reports: navigation bars, consent notices, link lists, footnotes."""

from __future__ import annotations

from allygraph.corpus import split_zones
from allygraph.records import ZoneKind

PAGE = (
    "Skip to main content\n"
    "Home | Analysis | Timelines | North Korea | Japan | About\n\n"
    "Talks With Pyongyang\n\n"
    "By the editors | Last updated March 3, 2025 | 9 min read\n\n"
    "Share this: Facebook | X | LinkedIn | Email\n\n"
    "Japan and North Korea met in Stockholm in 2014.\n\n"
    "Related articles\n"
    "Why the Agreed Framework Collapsed\n"
    "Japan, North Korea and the Abductions Issue\n\n"
    "We use cookies to analyze traffic. By clicking Accept all, you consent. Accept all | "
    "Manage preferences\n\n"
    "Privacy Policy | Terms of Use | Contact | Newsletter\n\n"
    "Footnotes\n\n"
    '1 Ministry of Foreign Affairs of Japan, "The SACO Final Report," December 2, 1996.\n\n'
    "2 U.S. Department of State, Roadmap, May 1, 2006.\n"
)


def _kind_of(line: str) -> ZoneKind:
    zones, _ = split_zones(PAGE)
    at = PAGE.index(line)
    return next(z.kind for z in zones if z.start <= at < z.end)


def test_bars_consent_and_link_lists_are_furniture() -> None:
    """Navigation and share bars, cookie notices and "Related articles" lists are no content."""
    for line in (
        "Home | Analysis",
        "Share this:",
        "Why the Agreed Framework",
        "Japan, North Korea and the Abductions",
        "We use cookies",
        "Privacy Policy |",
    ):
        assert _kind_of(line) is ZoneKind.FURNITURE, line


def test_title_byline_and_body_stay() -> None:
    """The headline is the title, a byline with bars is metadata, the prose is body."""
    assert _kind_of("Talks With Pyongyang") is ZoneKind.TITLE
    assert _kind_of("By the editors") is ZoneKind.METADATA
    assert _kind_of("Japan and North Korea met") is ZoneKind.BODY


def test_footnotes_numbered_without_a_period() -> None:
    """CRS-style footnotes ("1 Ministry of ...") under a heading are notes."""
    _, notes = split_zones(PAGE)
    assert [n.number for n in notes] == [1, 2]
    assert PAGE[notes[0].start :].startswith("Ministry of Foreign Affairs of Japan")
