"""Relations the text supports, each with the sentence that supports it (issue, section 3).

Rules read resolved mentions within one sentence:

- ``holdsPost``: a title before a person ("Japanese Prime Minister Naoto Kan"), an apposition
  ("Hitoshi Tanaka, then MOFA Director of ..."), "X took office as Prime Minister in 1993";
- ``affiliatedWith``: "The author is a researcher with the Institute ..." (the document's
  authors), "X, a researcher at Y";
- ``usedBy`` / ``locatedIn`` for bases: "Camp Zama (U.S. Forces Japan base)", "the Air
  Self-Defense Force at Hanamatsu Airbase", "White Beach naval base on Okinawa";
- ``movedTo``: "the UNC (Rear) was relocated to Yokota Air Base ... in November 2007";
- ``party`` / ``signedDate`` of treaties; ``participant`` / ``place`` / ``date`` of events.

Gazetteer facts need no passage: they become entity attributes in the resolver, not claims.
"""

from __future__ import annotations

import re
from bisect import bisect_left
from collections.abc import Iterable, Iterator, Mapping, Sequence

from allygraph.extract.gazetteer import Gazetteer
from allygraph.extract.patterns import MONTH_NAMES
from allygraph.extract.sentences import split_sentences
from allygraph.records import Claim, Document, Entity, EntityKind, Mention, ZoneKind

__all__ = ["find_claims", "parse_date"]

_MONTH = "|".join(MONTH_NAMES)
_DATE = re.compile(
    rf"(?:(?P<month>{_MONTH})\s+(?:(?P<day>\d{{1,2}}),?\s+)?)?(?P<year>(?:1[89]|20)\d\d)\b"
)
_DEMONYM_STATES = {
    "Japanese": "Japan", "Japan's": "Japan", "Japan’s": "Japan", "American": "United States",
    "U.S.": "United States", "US": "United States", "South Korean": "South Korea",
    "ROK": "South Korea", "North Korean": "North Korea", "DPRK": "North Korea",
    "Chinese": "China", "Russian": "Russia", "Korean": "South Korea", "British": "United Kingdom",
}  # fmt: skip
_PREFIX_STATES = {
    "Sino": "China", "Soviet": "Soviet Union", "Russo": "Russia", "Japano": "Japan",
    "US": "United States", "U.S.": "United States", "ROK": "South Korea", "DPRK": "North Korea",
}  # fmt: skip
_TITLE = (
    r"(?:[Pp]rime [Mm]inister|[Cc]hief [Cc]abinet [Ss]ecretary|[Ff]oreign [Mm]inister"
    r"|[Dd]efen[cs]e [Mm]inister|[Vv]ice [Mm]inister(?: for [a-zA-Z]+)?|[Mm]inister(?: of [A-Z]\w+"
    r"(?: [A-Z]\w+)*)?|[Ss]ecretary of [Ss]tate|[Ss]ecretary of [Dd]efen[cs]e|[Ss]ecretary"
    r"|[Pp]resident|[Aa]mbassador|[Gg]overnor|[Cc]hairman|[Dd]irector(?:[- ][Gg]eneral)?"
    r"|[Pp]remier|[Ss]enator|[Cc]ommander|Gen\.|General|Adm\.|Admiral)"
)
_POST_BEFORE = re.compile(
    rf"(?:(?P<state>Japanese|American|U\.S\.|US|South Korean|North Korean|Chinese|Russian|ROK"
    rf"|DPRK|British|(?P<poss>[A-Z][\w.]*(?: [A-Z]\w+)?)[’']s)\s+)?(?:(?:former|then|then-"
    rf"|current|the)\s*)?(?P<title>{_TITLE})\s+$"
)
_OFFICE_AFTER = re.compile(
    rf"^\s+(?:took office|was appointed|became|was elected|was named|served)\s+(?:as\s+)?"
    rf"(?:the\s+)?(?:(?P<state>Japanese|American|U\.S\.|South Korean|North Korean|Chinese)\s+)?"
    rf"(?P<title>{_TITLE})(?:\s+in\s+(?P<date>(?:(?:{_MONTH})\s+)?\d{{4}}))?"
)
_APPOSITION = re.compile(
    r"^,\s+(?:then|former|currently|now|later)?\s*(?P<org>[A-Z][\w.&-]*)\s+"
    r"(?P<title>[A-Z][a-z]+(?:\s(?:of|for|the|and|on|[A-Z][\w-]*))*)"
)
_APPOSED_AFFILIATION = re.compile(
    r",\s+(?:a|an|the)\s+(?:[\w-]+\s+){0,3}?(?:researcher|professor|fellow|scholar|analyst"
    r"|director|lecturer|expert|official)\s+(?:with|at|of|in)\s+(?:the\s+)?"
)
_AFFILIATION = re.compile(
    r"\b(?:researcher|professor|fellow|scholar|director|analyst|lecturer|member|president"
    r"|chairman|head|staff|editor|expert)\s+(?:with|at|of|in)\s+(?:the\s+)?$"
)
_AUTHOR_IS = re.compile(r"\b(?:The|the) authors? (?:is|are)\b")
# Every title of _TITLE contains one of these: a cheap test before searching _POST_BEFORE.
_TITLE_CLUES = (
    "inister", "ecretary", "resident", "mbassador", "overnor", "hairman", "irector", "remier",
    "enator", "ommander", "Gen.", "General", "Adm.", "Admiral",
)  # fmt: skip
_PREFIX_HEAD = re.compile(r"^((?:[A-Z][\w.]*(?:\s[A-Z]\w*)?-)+[A-Z][\w.]*(?:\s(?:Korea|Union))?)")
_PREFIX_SPLIT = re.compile(r"-(?=[A-Z])")
_TRAILING_LINK = re.compile(r"\s+(?:of|for|the|and|on)$")
_POST_WORDS = re.compile(r"\b(minister|secretary|president|for|of|defense|state)\b")
_AT_OF = re.compile(r"\s+(?:at|of)\s+(?:the\s+)?")
_AT = re.compile(r"\s+at\s+")
_ON_IN_AT = re.compile(r"\s+(?:on|in|at|near)\s+")
_SIGNED = re.compile(
    rf"^[^.;]{{0,60}}?\b(?:was|were)?\s*signed\s+(?:in|on)\s+(?P<d>(?:(?:{_MONTH})\s+(?:\d{{1,2}},\s+)?)?\d{{4}})"
)
_MOVED = re.compile(r"^(?:\s*\([^)]*\))?[^.;]{0,40}?\b(?:relocated|moved|transferred)\s+to\s+")
_MOVED_WHEN = re.compile(rf"^(?:\s*\([^)]*\))?\s+in\s+((?:(?:{_MONTH})\s+)?\d{{4}})")
_ESTABLISHED = re.compile(
    r"^(?:\s*\([^)]*\))?\s+(?:was|were)\s+(?:established|founded|set up|created)\s+in\s+"
)
_ACRONYM_AFTER = re.compile(r"^\s*\([A-Z]+\)")
_BETWEEN = re.compile(r"^\s+between\s+(?:the\s+)?")
_WHERE = re.compile(r"^\s+(?:in|at|off|near|over)\s+(?:the\s+)?")
_WHEN = re.compile(rf"^\s+(?:in|of|on)\s+((?:(?:{_MONTH})\s+)?\d{{4}})\b")


def parse_date(text: str) -> str | None:
    """Return an ISO date (YYYY, YYYY-MM or YYYY-MM-DD) for "November 2007", "1993", ...

    >>> parse_date("in November 2007"), parse_date("April 29, 2004"), parse_date("1993")
    ('2007-11', '2004-04-29', '1993')
    """
    match = _DATE.search(text)
    if not match:
        return None
    year = match.group("year")
    if not match.group("month"):
        return year
    month = MONTH_NAMES.index(match.group("month")) + 1
    if match.group("day"):
        return f"{year}-{month:02d}-{int(match.group('day')):02d}"
    return f"{year}-{month:02d}"


class _Sentence:
    def __init__(self, doc: Document, start: int, end: int, mentions: list[Mention]) -> None:
        self.doc = doc
        self.start = start
        self.end = end
        self.mentions = mentions  # sorted by start
        self._starts: list[int] | None = None

    def text(self, a: int, b: int) -> str:
        return self.doc.text[max(a, self.start) : min(b, self.end)]

    def claim(self, subject: str, predicate: str, obj: str, entity: bool = True, **q: str) -> Claim:
        quals = tuple((k, v) for k, v in q.items() if v)
        return Claim(self.doc.doc_id, subject, predicate, obj, entity, self.start, self.end, quals)

    def after(self, m: Mention, kinds: set[EntityKind], within: int) -> Mention | None:
        """The first mention of one of ``kinds`` starting at most ``within`` after ``m``."""
        if self._starts is None:
            self._starts = [o.start for o in self.mentions]
        mentions = self.mentions
        for i in range(bisect_left(self._starts, m.end), len(mentions)):
            other = mentions[i]
            if other.start - m.end > within:
                break
            if other.kind in kinds:
                return other
        return None


def _sentences(doc: Document, mentions: Sequence[Mention]) -> Iterator[_Sentence]:
    zones = [(z.start, z.end) for z in doc.zones if z.kind is not ZoneKind.FURNITURE]
    if not doc.zones:
        zones = [(0, len(doc.text))]
    ordered = sorted(mentions, key=lambda m: m.start)
    index = 0
    for lo, hi in zones:
        for s, e in split_sentences(doc.text, lo, hi):
            while index < len(ordered) and ordered[index].start < s:
                index += 1
            inside = []
            j = index
            while j < len(ordered) and ordered[j].start < e:
                if ordered[j].end <= e:
                    inside.append(ordered[j])
                j += 1
            if len(inside) >= 1:
                yield _Sentence(doc, s, e, inside)


def _state_key(gazetteer: Gazetteer, word: str | None) -> str | None:
    if not word:
        return None
    name = _DEMONYM_STATES.get(word, word)
    form = gazetteer.lookup(name)
    if form and len(form.keys) == 1 and form.keys[0].startswith("state/"):
        return form.keys[0]
    return None


def _prefix_states(gazetteer: Gazetteer, text: str) -> list[str]:
    """States named by a hyphenated prefix: "US-ROK exercises", "Russia-North Korea Treaty"."""
    head = _PREFIX_HEAD.match(text)
    if not head:
        return []
    keys = []
    for part in _PREFIX_SPLIT.split(head.group(1)):
        key = _state_key(gazetteer, _PREFIX_STATES.get(part, part))
        if key and key not in keys:
            keys.append(key)
    return keys


def _post_claims(
    s: _Sentence, m: Mention, gaz: Gazetteer, ents: Mapping[str, Entity]
) -> Iterator[Claim]:
    before = s.text(m.start - 90, m.start)
    found = _POST_BEFORE.search(before) if any(w in before for w in _TITLE_CLUES) else None
    if found:
        title = found.group("title")
        org = _state_key(gaz, found.group("poss") or found.group("state"))
        yield _post(s, m, gaz, title, org, None)
    after = s.text(m.end, m.end + 160)
    office = _OFFICE_AFTER.match(after)
    if office:
        org = _state_key(gaz, office.group("state"))
        date = parse_date(office.group("date") or "")
        yield _post(s, m, gaz, office.group("title"), org, date)
    appo = _APPOSITION.match(after)
    if appo:
        org_mention = next(
            (o for o in s.mentions if o.start == m.end + appo.start("org")),
            None,
        )
        if org_mention and org_mention.kind in {EntityKind.ORGANIZATION, EntityKind.STATE}:
            title = _TRAILING_LINK.sub("", appo.group("title").strip())
            yield _post(s, m, gaz, title, org_mention.key, None)


def _post(
    s: _Sentence, m: Mention, gaz: Gazetteer, title: str, org: str | None, start: str | None
) -> Claim:
    post = title[0].upper() + title[1:]
    post = _POST_WORDS.sub(
        lambda x: x.group(0).capitalize() if x.group(0) not in {"for", "of"} else x.group(0),
        post,
    )
    entry = gaz.entry(m.key)
    if entry is not None:
        head = post.split()[-1].lower()
        known = [p for p in entry.posts if head in p.post.lower()]
        if len(known) == 1:
            post = known[0].post if len(known[0].post) > len(post) else post
            org = org or known[0].of
    quals: dict[str, str] = {"post": post}
    if org:
        quals["organization"] = org
    if start:
        quals["start"] = start
    return s.claim(m.key, "holdsPost", org or post, bool(org), **quals)


def _document_authors(doc: Document, ents: Mapping[str, Entity]) -> list[str]:
    names = set(doc.meta.authors)
    return [e.key for e in ents.values() if e.kind is EntityKind.PERSON and e.label in names]


def find_claims(
    doc: Document,
    mentions: Sequence[Mention],
    entities: Mapping[str, Entity],
    gazetteer: Gazetteer,
) -> list[Claim]:
    """Return the claims the sentences of ``doc`` support, from its resolved mentions.

    Args:
        doc: The document.
        mentions: Resolved mentions (final keys).
        entities: Resolved entities by key.
        gazetteer: For states named by demonyms ("Japanese") and gazetteer posts.

    Returns:
        Claims, each with the span of the sentence that supports it.
    """
    claims: list[Claim] = []
    for s in _sentences(doc, mentions):
        claims += _sentence_claims(s, doc, entities, gazetteer)
    return list(dict.fromkeys(claims))


def _sentence_claims(
    s: _Sentence, doc: Document, ents: Mapping[str, Entity], gaz: Gazetteer
) -> Iterable[Claim]:
    text = doc.text
    for m in s.mentions:
        if m.kind is EntityKind.PERSON:
            yield from _post_claims(s, m, gaz, ents)
            org = s.after(m, {EntityKind.ORGANIZATION}, 90)
            if org and _APPOSED_AFFILIATION.fullmatch(text[m.end : org.start]):
                yield s.claim(m.key, "affiliatedWith", org.key)
        elif m.kind is EntityKind.ORGANIZATION:
            before = s.text(s.start, m.start)
            if "author" in before and _AUTHOR_IS.search(before) and _AFFILIATION.search(before):
                for author in _document_authors(doc, ents):
                    yield s.claim(author, "affiliatedWith", m.key)
                    nxt = s.after(m, {EntityKind.ORGANIZATION}, 12)
                    if nxt and _AT_OF.fullmatch(text, m.end, nxt.start):
                        yield s.claim(author, "affiliatedWith", nxt.key)
            base = s.after(m, {EntityKind.BASE}, 5)
            if base and _AT.fullmatch(text, m.end, base.start):
                yield s.claim(base.key, "usedBy", m.key)
            yield from _moves(s, m, text)
        elif m.kind is EntityKind.BASE:
            close = text.find(")", m.end, s.end)
            if text[m.end : m.end + 2] == " (" and close > 0:
                for o in s.mentions:
                    if m.end < o.start < close and o.kind is EntityKind.ORGANIZATION:
                        yield s.claim(m.key, "usedBy", o.key)
            where = s.after(m, {EntityKind.PLACE, EntityKind.STATE}, 5)
            if where and _ON_IN_AT.fullmatch(text, m.end, where.start):
                yield s.claim(m.key, "locatedIn", where.key)
        elif m.kind is EntityKind.TREATY:
            for state in _prefix_states(gaz, m.text):
                yield s.claim(m.key, "party", state)
            signed = _SIGNED.match(s.text(m.end, s.end))
            if signed:
                yield s.claim(m.key, "signedDate", parse_date(signed.group("d")) or "", False)
        elif m.kind is EntityKind.EVENT:
            yield from _event_claims(s, m, text, gaz)


def _moves(s: _Sentence, org: Mention, text: str) -> Iterator[Claim]:
    after = s.text(org.end, s.end)
    verb = _MOVED.match(after)
    if verb:
        target = s.after(org, {EntityKind.BASE, EntityKind.PLACE, EntityKind.STATE}, verb.end() + 2)
        if target and target.start >= org.end + verb.end() - 1:
            rest = s.text(target.end, target.end + 90)
            when = _MOVED_WHEN.match(rest)
            date = parse_date(when.group(1)) if when else None
            yield s.claim(org.key, "movedTo", target.key, date=date or "")
    est = _ESTABLISHED.match(after)
    if est:
        target = s.after(org, {EntityKind.BASE, EntityKind.PLACE}, est.end() + 30)
        if target:
            between = text[org.end + est.end() : target.start]
            date = parse_date(between) or ""
            yield s.claim(org.key, "locatedIn", target.key, date=date)


def _event_claims(s: _Sentence, m: Mention, text: str, gaz: Gazetteer) -> Iterator[Claim]:
    for state in _prefix_states(gaz, m.text):
        yield s.claim(m.key, "participant", state)
    rest = s.text(m.end, s.end)
    skip = _ACRONYM_AFTER.match(rest)
    offset = skip.end() if skip else 0
    between = _BETWEEN.match(rest[offset:])
    if between:
        start = m.end + offset + between.end()
        kinds = {EntityKind.ORGANIZATION, EntityKind.STATE, EntityKind.PERSON}
        parts = [o for o in s.mentions if start <= o.start <= start + 60 and o.kind in kinds]
        for o in parts[:2]:
            yield s.claim(m.key, "participant", o.key)
    where = _WHERE.match(rest[offset:])
    if where:
        at = m.end + offset + where.end()
        place = next((o for o in s.mentions if o.start == at), None)
        if place and place.kind in {EntityKind.PLACE, EntityKind.STATE}:
            yield s.claim(m.key, "place", place.key)
    when = _WHEN.match(rest[offset:])
    if when:
        yield s.claim(m.key, "date", parse_date(when.group(1)) or "", False)
