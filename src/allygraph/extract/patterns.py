"""General patterns for names the gazetteer does not know (unseen text of the same domain).

Each finder takes the document text and returns :class:`Candidate` spans with a key derived
from the name (``base/kadena-air-base``). Precision comes first: a pattern fires only on
capitalized names in a telling context (a title before a person, a head noun such as
"Institute" or "Air Base", an acronym defined in parentheses).
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Iterator

import ahocorasick

from allygraph.extract.candidates import Candidate, Role
from allygraph.records import EntityKind
from allygraph.vocab import slugify

__all__ = [
    "ACRONYM_HEADS",
    "DEMONYMS",
    "find_acronyms",
    "find_bases",
    "find_events",
    "find_organizations",
    "find_patterns",
    "find_people",
    "find_places",
    "find_publication_places",
    "find_treaties",
    "kind_of_name",
    "name_key",
]

_UP = "A-ZÀ-ÖØ-ÞĀŌŪ"
_LOW = "a-zß-öø-ÿāēīōū"
# A capitalized word: "Kan", "Chong-sik", "O'Hanlon", "McCain", "Self-Defense".
_WORD = rf"(?:Mc|Mac|O')?[{_UP}][{_LOW}]+(?:-[{_UP}{_LOW}][{_LOW}]+)*"
_INITIAL = rf"[{_UP}]\.(?:-?[{_UP}]\.)*"
_INITIAL_RE = re.compile(_INITIAL)
_SPACES = re.compile(r"\s+")
_ACRO = r"(?:[A-Z]\.){2,}|[A-Z]{2,}(?:-[A-Z]{2,})?"
_CAP = rf"(?:{_WORD}|{_ACRO})(?:-(?:{_WORD}|{_ACRO}))*"  # a token of a proper name
_PERSON = rf"(?:{_INITIAL}\s?|{_WORD}\s)(?:(?:{_INITIAL}\s?|{_WORD}\s)){{0,2}}{_WORD}|{_WORD}"

DEMONYMS = frozenset(
    {
        "American", "Japanese", "Korean", "Chinese", "Russian", "Soviet", "British", "Allied",
        "South", "North", "Western", "Eastern", "US", "U.S.", "ROK", "DPRK", "UN", "U.N.",
        "Australian", "Taiwanese", "French", "German", "Indian", "European", "Asian",
    }
)  # fmt: skip
# Words that start a sentence or a phrase, never a name.
_STOP = frozenset(
    {
        "The", "A", "An", "In", "On", "At", "For", "From", "By", "With", "After", "Before",
        "During", "When", "While", "As", "See", "According", "Since", "Under", "Both", "This",
        "That", "These", "Those", "Its", "His", "Her", "Their", "Our", "And", "But", "Or",
        "If", "Although", "Though", "Of", "To", "Also", "Then", "Yet", "So", "Today", "It",
        "Former", "Meanwhile", "However", "Moreover", "Ibid", "Cf", "Thus", "Why", "How",
        "What", "Where", "Who", "Each", "Every", "Some", "Many", "Most", "All", "Any", "No",
        "Not", "Was", "Is", "Are", "Were", "Will", "Would", "Can", "Could", "We", "They",
        "He", "She", "I", "You", "Mr", "Ms", "Dr", "Vol", "Chapter", "Part", "Table",
        "One", "Two", "Three", "Four", "Five", "Six", "Seven", "Eight", "Nine", "Ten", "Several",
    }
)  # fmt: skip
MONTH_NAMES = (
    "January",
    "February",
    "March",
    "April",
    "May",
    "June",
    "July",
    "August",
    "September",
    "October",
    "November",
    "December",
)
"""English month names in calendar order (dates in relations, capitalized words here)."""
_MONTHS = frozenset(
    [
        *MONTH_NAMES,
        "Jan",
        "Feb",
        "Mar",
        "Apr",
        "Jun",
        "Jul",
        "Aug",
        "Sep",
        "Sept",
        "Oct",
        "Nov",
        "Dec",
        "Monday",
        "Tuesday",
        "Wednesday",
        "Thursday",
        "Friday",
        "Saturday",
        "Sunday",
        "Spring",
        "Summer",
        "Autumn",
        "Fall",
        "Winter",
    ]
)
# Heads of organization names, with the ontology subclass they suggest.
ORG_HEADS: dict[str, str | None] = {
    "Ministry": "Ministry", "Department": "GovernmentAgency", "Agency": "GovernmentAgency",
    "Office": "GovernmentAgency", "Bureau": "GovernmentAgency", "Cabinet": "GovernmentAgency",
    "Secretariat": "GovernmentAgency", "Headquarters": "GovernmentAgency",
    "Commission": "GovernmentAgency", "Committee": None, "Council": None,
    "Institute": "ThinkTank", "Institution": "ThinkTank", "Foundation": "ThinkTank",
    "Center": "ThinkTank", "Centre": "ThinkTank", "Association": None, "Society": None,
    "Forum": "ThinkTank", "Kenkyujo": "ThinkTank", "Kenkyusho": "ThinkTank",
    "University": "University", "College": "University", "Academy": None, "School": "University",
    "Daigaku": "University", "Gijuku": "University",
    "Press": "Publisher", "Publishers": "Publisher", "Publishing": "Publisher",
    "Shuppan": "Publisher", "Shuppankai": "Publisher", "Shobo": "Publisher",
    "Shobou": "Publisher", "Shoten": "Publisher", "Kobundo": "Publisher", "Books": "Publisher",
    "Shimbun": "Newspaper", "Shimbunsha": "Newspaper", "Shinbun": "Newspaper",
    "Times": "Newspaper", "Post": "Newspaper", "Herald": "Newspaper", "Ilbo": "Newspaper",
    "Tribune": "Newspaper", "Yomiuri": "Newspaper",
    "Party": "PoliticalParty", "Diet": "Legislature", "Parliament": "Legislature",
    "Assembly": "Legislature", "Congress": "Legislature", "Senate": "Legislature",
    "Forces": "ArmedForce", "Force": "ArmedForce", "Navy": "ArmedForce", "Army": "ArmedForce",
    "Corps": "ArmedForce", "Command": "MilitaryUnit", "Fleet": "MilitaryUnit",
    "Division": "MilitaryUnit", "Brigade": "MilitaryUnit", "Regiment": "MilitaryUnit",
    "Organization": "InternationalOrganization", "Organisation": "InternationalOrganization",
    "Nations": "InternationalOrganization", "Union": None, "League": None, "Bank": None,
    "Fund": None, "Corporation": None, "Company": None, "Group": None, "Kikin": None,
    "Service": "GovernmentAgency", "Administration": "GovernmentAgency",
    "Embassy": "GovernmentAgency", "Consulate": "GovernmentAgency", "Court": None,
    "Tribunal": None, "Coast Guard": "ArmedForce", "Wing": "MilitaryUnit", "Club": None,
    "Squadron": "MilitaryUnit", "Battalion": "MilitaryUnit",
}  # fmt: skip
# Unit heads that name a unit only after its number ("51st Fighter Wing", "III Corps").
_NUMBERED_HEADS = frozenset(["Wing", "Squadron", "Battalion"])
_ORDINAL = r"\d{1,3}(?:st|nd|rd|th)"
_ORDINAL_WORD = re.compile(_ORDINAL)
_ORDINAL_RE = re.compile(
    _ORDINAL + r"|[IVX]{1,5}|First|Second|Third|Fourth|Fifth|Sixth|Seventh|Eighth|Ninth|Tenth"
)
_TITLE_NOUNS = frozenset(
    [
        "Minister",
        "Secretary",
        "President",
        "Prime",
        "Chief",
        "Director",
        "General",
        "Ambassador",
        "Senator",
        "Governor",
        "Chairman",
        "Professor",
        "Commander",
        "Admiral",
        "Colonel",
        "Captain",
        "Premier",
        "Vice",
        "Deputy",
        "Foreign",
        "Defense",
        "Defence",
        "Cabinet",
        "Spokesman",
        "Envoy",
        "Emperor",
        "King",
        "Queen",
        "Mayor",
        "Speaker",
    ]
)
_NAME_BREAKERS = (
    frozenset(ORG_HEADS)
    | _MONTHS
    | _STOP
    | _TITLE_NOUNS
    | {"Treaty", "Agreement", "War", "Base", "Camp", "Alliance", "Asia", "Pacific", "Korea"}
    | {"State", "Assistant", "Under", "Affairs", "One", "Two", "Three", "Four", "Five", "Six"}
    | {"Several", "Some", "Both"}
)

TREATY_HEADS = (
    "Treaty", "Agreement", "Agreements", "Accord", "Accords", "Pact", "Convention", "Protocol",
    "Joint Declaration", "Joint Statement", "Joint Communique", "Joint Communiqué",
    "Declaration", "Communique", "Communiqué", "Charter", "Framework", "Guidelines",
    "Statement", "Plan", "Roadmap", "Arrangement", "Arrangements", "Principles",
)  # fmt: skip
# Heads that make a treaty only after a name ("Kono Statement", "Land Partnership Plan"), not
# after generic words alone ("Press Statement", "Action Plan", "Basic Principles").
_WEAK_TREATY_HEADS = frozenset(
    ["Statement", "Plan", "Roadmap", "Arrangement", "Arrangements", "Principles"]
)
_GENERIC_TREATY_WORDS = frozenset(
    [
        "Press", "Policy", "Opening", "Closing", "Final", "Official", "Action", "Business",
        "Strategic", "Joint", "National", "Basic", "Master", "Annual", "Mission", "Public",
        "Summary", "Financial", "Budget", "Work", "Implementation", "Security", "Defense",
        "Defence", "Development", "Peace", "Common", "General", "Guiding", "Five-Year",
        "Chairman", "Chair", "Leaders", "Ministerial", "Trade", "Economic", "New",
    ]
)  # fmt: skip
EVENT_HEADS: dict[str, str | None] = {
    "War": "War", "Crisis": "Crisis", "Incident": "Incident", "Talks": "Talks",
    "Summit": "Summit", "Exercise": "MilitaryExercise", "Exercises": "MilitaryExercise",
    "Conference": "Talks", "Negotiations": "Talks", "Uprising": "Crisis",
    "Revolution": "Crisis", "Invasion": "War", "Attack": "Incident", "Attacks": "Incident",
    "Bombing": "Incident", "Olympics": None, "Games": None, "Test": "Incident",
    "Protests": "Crisis", "Protest": "Crisis", "Meeting": "Talks", "Dialogue": "Talks",
}  # fmt: skip
# Heads of an acronym's expansion and the kind they make it.
ACRONYM_HEADS: dict[str, EntityKind] = {
    **{h: EntityKind.ORGANIZATION for h in ORG_HEADS if h not in {"Post", "Times", "Diet"}},
    **{h.split()[-1]: EntityKind.TREATY for h in TREATY_HEADS},
    **dict.fromkeys(EVENT_HEADS, EntityKind.EVENT),
    "Organization": EntityKind.ORGANIZATION,
    "Base": EntityKind.BASE, "Station": EntityKind.BASE, "Airfield": EntityKind.BASE,
}  # fmt: skip


class _Literals:
    """Where a few literal strings occur in a text: one Aho-Corasick pass in C.

    The regex engine tries an alternation of words at every offset of the text; the
    automaton reads the text once, so rare words are found many times faster.
    """

    def __init__(self, words: Iterable[str]) -> None:
        self._automaton = ahocorasick.Automaton()
        for word in set(words):
            self._automaton.add_word(word, len(word))
        self._automaton.make_automaton()

    def starts(self, text: str) -> list[int]:
        """Start offsets of every occurrence (inside words too), sorted, without repeats."""
        return sorted({end - size + 1 for end, size in self._automaton.iter(text)})

    def words(self, text: str) -> list[tuple[int, int]]:
        """Spans of the whole-word occurrences, sorted (whole words never overlap).

        The spans a regex of the words between word boundaries finds.
        """
        size = len(text)
        found = []
        for last, length in self._automaton.iter(text):
            start, end = last - length + 1, last + 1
            if start > 0 and _is_word(text[start - 1]):
                continue
            if end < size and _is_word(text[end]):
                continue
            found.append((start, end))
        found.sort()
        return found


def _is_word(char: str) -> bool:
    """True for what the regex word class matches in a str pattern (letters, digits, "_")."""
    return char.isalnum() or char == "_"


class _Started:
    """A regex whose every match begins with one of a few literals, tried only where they occur.

    ``finditer`` gives exactly the matches of ``pattern.finditer(text)`` (the pattern never
    matches the empty string), provided each match starts with one of ``starts``.
    """

    def __init__(self, pattern: re.Pattern[str], starts: Iterable[str]) -> None:
        self.pattern = pattern
        self._starts = _Literals(starts)

    def finditer(self, text: str) -> Iterator[re.Match[str]]:
        """Non-overlapping matches, leftmost first, as ``re.Pattern.finditer`` finds them."""
        after = 0
        for start in self._starts.starts(text):
            if start < after:
                continue
            match = self.pattern.match(text, start)
            if match:
                after = max(match.end(), start + 1)
                yield match


def _windows(
    hits: Iterable[tuple[int, int]], size: int, before: int, after: int
) -> list[tuple[int, int]]:
    """Merged ``[lo, hi)`` windows reaching ``before``/``after`` characters around the hits."""
    windows: list[list[int]] = []
    for start, end in hits:
        lo, hi = max(0, start - before), min(size, end + after)
        if windows and lo <= windows[-1][1]:
            windows[-1][1] = max(windows[-1][1], hi)
        else:
            windows.append([lo, hi])
    return [(lo, hi) for lo, hi in windows]


def _windowed(
    pattern: re.Pattern[str],
    hits: Iterable[tuple[int, int]],
    text: str,
    before: int,
    after: int,
) -> Iterator[re.Match[str]]:
    """Matches of ``pattern`` near the (rare) ``hits`` of a trigger only.

    The expensive pattern starts with optional capitalized words that the regex engine would
    try at every offset; a literal trigger ("said", "Air Base") finds the few places to look.
    """
    for lo, hi in _windows(hits, len(text), before, after):
        yield from pattern.finditer(text, lo, hi)


def _spans(pattern: re.Pattern[str], text: str) -> list[tuple[int, int]]:
    return [match.span() for match in pattern.finditer(text)]


def name_key(kind: EntityKind, name: str) -> str:
    """Key of a name the gazetteer does not know.

    >>> name_key(EntityKind.PERSON, "Naoto Kan")
    'person/naoto-kan'
    """
    return f"{kind.value}/{slugify(name)}"


def _cand(
    text: str,
    start: int,
    end: int,
    kind: EntityKind,
    *,
    label: str | None = None,
    subtype: str | None = None,
    role: str = Role.NAME,
    title: str | None = None,
) -> Candidate:
    surface = text[start:end]
    return Candidate(
        start,
        end,
        surface,
        kind,
        name_key(kind, label or surface),
        source="pattern",
        role=role,
        label=label,
        subtype=subtype,
        title=title,
    )


_LEADING_WORD = re.compile(r"[\w.'’-]+\s+")
_NAME_WORD = re.compile(r"[\w'’-]+\.?")


def _strip_leading(text: str, start: int, end: int) -> int:
    """Move ``start`` past leading stop words ("The", "During") of a capitalized run."""
    while start < end:
        match = _LEADING_WORD.match(text, start, end)
        if not match:
            break
        word = match.group(0).strip().rstrip(".")
        lower = word.lower() == word and not _ORDINAL_WORD.fullmatch(word)  # "51st" stays
        if word in _STOP or word in _MONTHS or lower:
            start = match.end()
        else:
            break
    return start


# --- people ----------------------------------------------------------------------------

_TITLE_WORDS = (
    r"(?:Deputy |Vice |Acting |Former |Prime )?(?:Prime Minister|Chief Cabinet Secretary"
    r"|Foreign Minister|Defen[cs]e Minister|Finance Minister|Trade Minister|Minister"
    r"|Secretary of State|Secretary of Defen[cs]e|Defen[cs]e Secretary|Secretary(?: General)?"
    r"|President|Premier|Chancellor|Ambassador|Senator|Congressman|Congresswoman|Governor"
    r"|Mayor|Chairman|Chairwoman|Chief of Staff|National Security Advis[eo]r|Special Envoy"
    r"|Envoy|Speaker|Emperor|King|Queen|Crown Prince|Professor|Director(?:[- ]General)?"
    r"|Commander|Admiral|General|Lieutenant General|Major General|Colonel|Captain"
    r"|Vice Minister(?: for [A-Z][a-z]+(?: [A-Z][a-z]+)?)?|Minister (?:of|for) (?:the )?"
    r"[A-Z][a-z]+(?: (?:and )?[A-Z][a-z]+){0,3}|Leader|Chairperson|Spokesman|Spokeswoman)"
)
_TITLE_ABBR = r"(?:Lt\. Gen\.|Maj\. Gen\.|Vice Adm\.|Rear Adm\.|Gen\.|Adm\.|Col\.|Capt\.|Cmdr\.|Lt\.|Sgt\.|Dr\.|Prof\.|Mr\.|Mrs\.|Ms\.|Sen\.|Rep\.|Gov\.|Amb\.)"  # noqa: E501
_LOWER_TITLES = (
    r"(?:prime minister|chief cabinet secretary|foreign minister|defen[cs]e minister"
    r"|vice minister for [a-z]+(?: [a-z]+)?|vice minister|minister of [a-z]+(?: [a-z]+)?"
    r"|minister for [a-z]+(?: [a-z]+)?|secretary of state|secretary of defen[cs]e"
    r"|defen[cs]e secretary|president|ambassador|senator|governor|chairman|professor"
    r"|national security advis[eo]r|special envoy)"
)
_TITLED = re.compile(
    rf"(?:\b(?:{_TITLE_WORDS})|\b{_LOWER_TITLES}|(?<![\w.]){_TITLE_ABBR})"
    rf"\s+(?P<name>{_PERSON})(?![\w-])"
)
# The first letters of every title above: a match of _TITLED starts with one of them.
_TITLE_STARTS = (
    "Deputy", "Vice", "Acting", "Former", "Prime", "Chief", "Foreign", "Defen", "Finance",
    "Trade", "Minister", "Secretary", "President", "Premier", "Chancellor", "Ambassador",
    "Senator", "Congress", "Governor", "Mayor", "Chair", "National", "Special", "Envoy",
    "Speaker", "Emperor", "King", "Queen", "Crown", "Professor", "Director", "Commander",
    "Admiral", "General", "Lieutenant", "Major", "Colonel", "Captain", "Leader", "Spokes",
    "prime", "chief", "foreign", "defen", "vice", "minister", "secretary", "president",
    "ambassador", "senator", "governor", "chairman", "professor", "national", "special",
    "Rear", "Lt.", "Maj.", "Gen.", "Adm.", "Col.", "Capt.", "Cmdr.", "Sgt.", "Dr.", "Prof.",
    "Mr.", "Mrs.", "Ms.", "Sen.", "Rep.", "Gov.", "Amb.",
)  # fmt: skip
_TITLED_STARTED = _Started(_TITLED, _TITLE_STARTS)
_SAYS = re.compile(
    rf"\b(?P<name>{_WORD}(?:\s(?:{_INITIAL}\s?)?{_WORD}){{1,2}})"
    r",?\s+(?:said|says|told|stated|noted|argued|wrote|writes|added|explained|stressed|warned"
    r"|announced|insisted|claimed|recalled|observed|remarked|asked|replied|suggested)\b"
)
_SAYS_TRIGGER = _Literals(
    (
        "said", "says", "told", "stated", "noted", "argued", "wrote", "writes", "added",
        "explained", "stressed", "warned", "announced", "insisted", "claimed", "recalled",
        "observed", "remarked", "asked", "replied", "suggested",
    )
)  # fmt: skip
_ACCORDING = _Started(
    re.compile(
        rf"\b(?:[Aa]ccording to|quoted|interviewed|written by|edited by|translated by)\s+"
        rf"(?P<name>{_WORD}(?:\s(?:{_INITIAL}\s?)?{_WORD}){{1,2}})(?![\w-])"
    ),
    ("According", "according", "quoted", "interviewed", "written", "edited", "translated"),
)
_APPOSITION = re.compile(
    rf"\b(?P<name>{_WORD}(?:\s(?:{_INITIAL}\s?)?{_WORD}){{1,2}}),\s+(?:a|an|the)\s+"
    r"(?:former\s+|senior\s+|visiting\s+|leading\s+|retired\s+)?(?:[a-z]+\s+){0,2}"
    r"(?:researcher|professor|scholar|analyst|expert|fellow|director|official|spokesman"
    r"|spokeswoman|spokesperson|lawmaker|diplomat|journalist|correspondent|historian"
    r"|economist|commentator|politician|officer|author|editor|adviser|advisor|specialist)\b"
)
_APPOSITION_TRIGGER = _Literals(
    (
        "researcher", "professor", "scholar", "analyst", "expert", "fellow", "director",
        "official", "spokesman", "spokeswoman", "spokesperson", "lawmaker", "diplomat",
        "journalist", "correspondent", "historian", "economist", "commentator", "politician",
        "officer", "author", "editor", "adviser", "advisor", "specialist",
    )
)  # fmt: skip
_BYLINE = _Started(
    re.compile(
        rf"(?m)^(?:By|Articles by:?|Author:?|Authors:?|Written by)\s+"
        rf"(?P<name>{_WORD}(?:\s(?:{_INITIAL}\s?)?{_WORD}){{1,2}})\s*$"
    ),
    ("By", "Articles", "Author", "Written"),
)
# Endnote name lists: "Gilbert Rozman and Shin-wha Lee, “...", "in A, B, and C, eds., ...".
_NAME_ITEM = rf"(?:{_WORD}|{_INITIAL})(?:\s(?:{_INITIAL}|{_WORD})){{1,3}}"
_NAME_LIST_BODY = (
    rf"(?:(?<=\n)|^|(?<=\s\s)|(?<=\bsee )|(?<=\bSee )|(?<=\bin )|(?<=; )|(?<=\. )"
    rf"|(?<=trans\. )|(?<=ed\. )|(?<=, )(?=(?:{_NAME_ITEM}), eds?\.))"
    rf"(?P<list>{_NAME_ITEM}(?:,\s(?:and\s)?{_NAME_ITEM}|\s(?:and|&)\s{_NAME_ITEM}){{0,6}})"
    r"(?=(?P<after>,\s(?:eds?\.|“|\"|[A-Z])|\s\())"
)
_NAME_LIST = re.compile(_NAME_LIST_BODY)
_NAME_ITEM_RE = re.compile(_NAME_ITEM)
# A list starts the text or follows a whitespace character (every look-behind above ends in
# one). Consuming that character first lets the engine skip to whitespace instead of trying
# the look-behinds at every offset.
_NAME_LIST_AFTER_SPACE = re.compile(rf"\s(?=[{_UP}])" + _NAME_LIST_BODY)  # names start upper
_NAME_LIST_TRIGGER = re.compile(r",\seds?\.|,\s[“\"]|\s\([A-Z][\w .,]{0,40}:|,\s[A-Z]")
_FIRST_NAMES_HINT = re.compile(rf"^{_WORD}(?:\s|$)")


def _name_ok(name: str) -> bool:
    words = [w for w in _NAME_WORD.findall(name) if not _INITIAL_RE.fullmatch(w)]
    if not words:
        return False
    return not any(w.rstrip(".") in _NAME_BREAKERS or w in DEMONYMS for w in words)


def _person(text: str, start: int, end: int, *, title: str | None = None) -> Candidate | None:
    name = text[start:end]
    if not _name_ok(name):
        return None
    role = Role.TITLED if title else Role.NAME
    if " " not in name.strip():  # one word after a title: a family name, resolved later
        role = Role.TITLED if title else Role.FAMILY
    return Candidate(
        start,
        end,
        name,
        EntityKind.PERSON,
        name_key(EntityKind.PERSON, _plain_name(name)),
        source="pattern",
        role=role,
        title=title,
    )


def _plain_name(name: str) -> str:
    return _SPACES.sub(" ", name.replace("’", "'")).strip()


def find_people(text: str, notes: bool = False) -> Iterator[Candidate]:
    """Find people named after a title, before "said", in an apposition or in a byline.

    Args:
        text: The text to search.
        notes: Also read endnote name lists (authors and editors of references).

    >>> [c.text for c in find_people("Japanese Prime Minister Naoto Kan asked")]
    ['Naoto Kan']
    """
    for match in _TITLED_STARTED.finditer(text):
        title = match.group(0)[: match.start("name") - match.start()].strip()
        found = _person(text, match.start("name"), match.end("name"), title=title)
        if found:
            yield found
    for hits in (
        _windowed(_SAYS, _SAYS_TRIGGER.words(text), text, 90, 30),
        _ACCORDING.finditer(text),
        _windowed(_APPOSITION, _APPOSITION_TRIGGER.words(text), text, 90, 30),
        _BYLINE.finditer(text),
    ):
        for match in hits:
            start = _strip_leading(text, match.start("name"), match.end("name"))
            if match.end("name") - start < 3 or " " not in text[start : match.end("name")]:
                continue
            found = _person(text, start, match.end("name"))
            if found:
                yield found
    for match in _KOREAN_NAME.finditer(text):
        found = _person(text, match.start(), match.end())
        if found:
            yield found
    if notes:
        yield from _name_lists(text)


# Korean names in the usual romanization: a family name, then a given name of two syllables
# joined by a hyphen, the second in lower case ("Nam Gwan-pyo", "Kim Hak-sun", "Kang Sok-ju").
_KOREAN_FAMILIES = (
    "Kim|Lee|Yi|Rhee|Ri|Park|Pak|Choi|Choe|Jung|Chung|Jeong|Chong|Kang|Cho|Jo|Yoon|Yun|Jang|Chang"
    "|Lim|Im|Han|Oh|Seo|Suh|Shin|Sin|Kwon|Hwang|Ahn|An|Song|Yoo|Yu|Ryu|Hong|Jeon|Chun|Ko|Koh"
    "|Moon|Mun|Yang|Son|Sohn|Bae|Baek|Paik|Heo|Huh|Nam|Noh|Roh|Ha|Kwak|Sung|Cha|Woo|Min|Na|Jin"
    "|Chae|Won|Cheon|Bang|Hyun|Hyon|Ham|Byun|Yeo|Chu|Choo|Do|Seok|Suk|Gil|Ban|Wang|Ok|Maeng"
    "|Tak|Kye|Ju|Joo|Ku|Koo|Gu|Pyo|Yeom|Eom|Um|Lyu|Ro|Kong|Gong|Yook|Yuk"
)
_KOREAN_NAME = re.compile(
    rf"(?<![\w-])(?:{_KOREAN_FAMILIES})\s[A-Z][a-z]{{1,5}}-[a-z]{{1,5}}(?![\w-])"
)


def _name_list_matches(text: str, lo: int, hi: int) -> Iterator[re.Match[str]]:
    """The matches ``_NAME_LIST.finditer(text, lo, hi)`` gives, found faster.

    The groups ``list`` and ``after`` are the same; group 0 may include the whitespace before.
    """
    pos = lo - 1
    if lo == 0:
        first = _NAME_LIST.match(text, 0, hi)
        pos = first.end() if first else 0
        if first:
            yield first
    yield from _NAME_LIST_AFTER_SPACE.finditer(text, pos, hi)


def _name_lists(text: str) -> Iterator[Candidate]:
    windows = _windows(_spans(_NAME_LIST_TRIGGER, text), len(text), 320, 10)
    for match in (m for lo, hi in windows for m in _name_list_matches(text, lo, hi)):
        offset = match.start("list")
        items = list(_NAME_ITEM_RE.finditer(match.group("list")))
        if match.group("after").endswith("("):
            items = items[:-1]  # "Author, Title (Place: ..." : the last item is the title
        for item in items:
            start, end = offset + item.start(), offset + item.end()
            if text[start:end].startswith("and "):
                continue
            found = _person(text, start, end)
            if found and _FIRST_NAMES_HINT.match(found.text):
                yield found


# --- bases -----------------------------------------------------------------------------

_BASE_AFTER = re.compile(
    rf"\b(?P<name>{_WORD}(?:\s{_WORD}){{0,2}})\s(?P<head>Air Base|Airbase|Air Force Base"
    r"|air base|airbase|Air Station|Naval Base|naval base|Naval Air Station|naval air station"
    r"|Marine Corps Air Station|Marine Corps air station|Air Field|Airfield|airfield"
    r"|Naval Air Facility|Army Airfield|Naval Station|naval station)\b"
)
_BASE_TRIGGER = re.compile(
    r"(?i)\b(?:air\s?base|air force base|air station|naval base|air field|airfield"
    r"|naval air facility|naval station)\b"
)
_BASE_BEFORE = _Started(
    re.compile(
        rf"\b(?P<head>Camp|Fort|Naval Air Station|Marine Corps Air Station|Fleet Activities"
        rf"|Naval Air Facility|Naval Station|Naval Support Activity|Joint Base)\s"
        rf"(?P<name>{_WORD}(?:\s{_WORD})?)(?![\w-])"
    ),
    ("Camp", "Fort", "Naval", "Marine", "Fleet", "Joint"),
)
_BASE_CANON = {
    "air base": "Air Base", "airbase": "Air Base", "air force base": "Air Force Base",
    "air station": "Air Station", "naval base": "Naval Base",
    "naval air station": "Naval Air Station", "marine corps air station":
    "Marine Corps Air Station", "air field": "Airfield", "airfield": "Airfield",
    "naval air facility": "Naval Air Facility", "army airfield": "Army Airfield",
    "naval station": "Naval Station",
}  # fmt: skip
_BASE_PREFIXED = {"naval air station", "marine corps air station"}


_NOT_BASE_WORDS = frozenset([*TREATY_HEADS, *EVENT_HEADS, "Trilateral", "Accords", "Process"])


def find_bases(text: str) -> Iterator[Candidate]:
    """Find military bases: "Kadena Air Base", "Camp Zama", "Atsugi naval air station".

    >>> [c.label for c in find_bases("Yokota air base and Camp Zama")]
    ['Yokota Air Base', 'Camp Zama']
    """
    for match in _windowed(_BASE_AFTER, _spans(_BASE_TRIGGER, text), text, 60, 30):
        start = _strip_leading(text, match.start("name"), match.end("name"))
        name = text[start : match.end("name")]
        if not name or not _name_ok(name) or name.split()[0] in DEMONYMS:
            continue
        head = _BASE_CANON[match.group("head").lower()]
        label = f"{head} {name}" if head.lower() in _BASE_PREFIXED else f"{name} {head}"
        yield _cand(text, start, match.end(), EntityKind.BASE, label=label)
    for match in _BASE_BEFORE.finditer(text):
        name = match.group("name")
        if not _name_ok(name) or name in DEMONYMS:
            continue
        if " " in name and name.split()[-1] in _NOT_BASE_WORDS:
            continue  # "Camp David Principles", "Camp David Summit": named after the place
        head = match.group("head")
        yield _cand(text, match.start(), match.end(), EntityKind.BASE, label=f"{head} {name}")


class _Hit:
    """A match of an :class:`_Anchored` pattern (the parts of ``re.Match`` the finders use)."""

    __slots__ = ("_head", "_spans", "_tail")

    def __init__(self, start: int, head: re.Match[str], tail: re.Match[str] | None) -> None:
        self._head = head
        self._tail = tail
        self._spans = {None: (start, tail.end() if tail else head.end()), "head": head.span()}

    def start(self, group: str | None = None) -> int:
        return self._spans[group][0]

    def end(self, group: str | None = None) -> int:
        return self._spans[group][1]

    def group(self, name: str) -> str:
        if name == "head":
            return self._head.group("head")
        return self._tail.group(0) if self._tail else ""


# Every character the prefix patterns of _Anchored can match (words, initials, acronyms,
# years, "&", "O'", hyphens, white space), and more.
_PREFIX_CHARS = re.compile(r"[\w\s.'&-]*")


class _Anchored:
    """A "prefix words + head noun + optional tail" pattern, searched from its head noun.

    Scanning for rare head nouns and reading the words before them is many times faster than
    one regex whose optional prefix the engine must try at every offset of the text.
    """

    def __init__(self, pre: str, head: str, tail: str, heads: Iterable[str]) -> None:
        self.pre = re.compile(rf"(?<![\w.’'-])(?:{pre})\Z")
        # Every head starts with the first word of one of ``heads``.
        self.head = _Started(re.compile(rf"\b{head}"), (h.split()[0] for h in heads))
        self.tail = re.compile(tail)

    def finditer(self, text: str) -> Iterator[_Hit]:
        backwards = text[::-1]
        size = len(text)
        for head in self.head.finditer(text):
            lo = head.start()
            # The prefix words hold no other characters than _PREFIX_CHARS: a match of
            # ``pre`` starts after the last other character, so the search starts there.
            run = _PREFIX_CHARS.match(backwards, size - lo, size - lo + 160)
            allowed = run.end() - (size - lo) if run else lo
            found = self.pre.search(text, max(0, lo - 160, lo - allowed), lo)
            if found is None:
                continue
            yield _Hit(found.start(), head, self.tail.match(text, head.end()))


# --- treaties --------------------------------------------------------------------------

_LINK = r"(?:of|on|for|and|the|between|with|in|to|concerning|regarding|&)"
_TAIL = rf"(?:\s{_LINK})*\s(?:{_CAP}|\d{{4}})(?:(?:\s{_LINK})*\s(?:{_CAP}|\d{{4}})){{0,12}}"
_TREATY_HEAD = "|".join(h.replace(" ", r"\s") for h in TREATY_HEADS)
_TREATY = _Anchored(
    rf"(?:(?:{_CAP}|\d{{4}})\s){{0,6}}",
    rf"(?P<head>{_TREATY_HEAD})\b",
    rf"\s(?:of|on|for|between|concerning|regarding)\s(?:the\s)?(?:{_CAP}|\d{{4}})"
    rf"(?:(?:\s{_LINK})*\s(?:{_CAP}|\d{{4}})){{0,24}}",
    TREATY_HEADS,
)
# "the 11th Special Measures Agreement": the ordinal is in the name (a year before it mostly
# is not: "the 2014 Trilateral Information Sharing Arrangement").
_TREATY_NUMBER = re.compile(rf"(?:\b[Tt]he|\ba|\bits|\btheir)\s({_ORDINAL}\s)$")
# "... Partnership in Pyongyang in June 2024": where and when it was signed is no part of it.
_TREATY_IN = re.compile(r"\sin\s")


def find_treaties(text: str) -> Iterator[Candidate]:
    """Find treaties and agreements: "Treaty of ...", "X Treaty", "Joint Declaration".

    >>> [c.text for c in find_treaties("The Sino-North Korea Friendship Treaty of 1961 holds")]
    ['Sino-North Korea Friendship Treaty of 1961']
    """
    for match in _TREATY.finditer(text):
        start = _strip_leading(text, match.start(), match.start("head"))
        if start == match.start("head") and not match.group("tail"):
            continue  # "the Treaty" alone refers back; the resolver does not guess
        pre = text[start : match.start("head")].split()
        if match.group("head") in _WEAK_TREATY_HEADS and all(
            w in _GENERIC_TREATY_WORDS or w in DEMONYMS for w in pre
        ):
            continue
        end = match.end()
        if match.group("tail"):
            cut = _TREATY_IN.search(text, match.end("head"), end)
            end = cut.start() if cut else end
        number = _TREATY_NUMBER.search(text, max(0, start - 16), start)
        if number and text[start : start + 1].isupper():
            start = number.start(1)
        yield _cand(text, start, end, EntityKind.TREATY, label=_plain_name(text[start:end]))


# --- organizations ---------------------------------------------------------------------

_ACRO_RE = re.compile(_ACRO)
# Head nouns that end a name: an "and" after one joins two names, not two words of one.
_NAME_HEADS = frozenset([*TREATY_HEADS, *EVENT_HEADS, *ORG_HEADS, "Base", "Camp", "Station"])
_NEXT_WORD = re.compile(r"\s+([A-Z][a-z]+)")
_ORG_HEAD = "|".join(sorted(ORG_HEADS, key=len, reverse=True))
_ORG = _Anchored(
    rf"(?:{_ORDINAL}\s)?(?:(?:{_CAP}|&)\s(?:and\s)?){{0,6}}",
    rf"(?P<head>{_ORG_HEAD})(?![\w-])",
    rf"\s(?:of|for|on)\s(?:the\s)?{_CAP}(?:(?:\s(?:and|of|for|the|on|&))*\s{_CAP}){{0,8}}",
    ORG_HEADS,
)


_JOINT = re.compile(r"(\S+) and ")


def _after_joints(
    text: str, start: int, head: int, words: frozenset[str], *, inside: bool = False
) -> int:
    """Where a name before ``head`` starts once an "and" that joins two names is cut off.

    An "and" joins two names after a word of ``words`` (or, with ``inside``, after a word
    not in ``words``, which then lists the words an "and" may join inside one name).
    """
    for joint in _JOINT.finditer(text, start, head):
        if (joint.group(1) in words) != inside:
            start = joint.end()
    return start


def find_organizations(text: str) -> Iterator[Candidate]:
    """Find organizations by their head noun: "Ministry of X", "X Institute", "X Shimbun".

    >>> [c.text for c in find_organizations("see the Council on Foreign Relations report")]
    ['Council on Foreign Relations']
    """
    for match in _ORG.finditer(text):
        start = _strip_leading(text, match.start(), match.start("head"))
        # "the Korea Institute and Japan Foundation": two names
        start = _after_joints(text, start, match.start("head"), _NAME_HEADS | DEMONYMS)
        pre = text[start : match.start("head")].split()
        if not pre and not match.group("tail"):
            continue
        if pre and pre[0] == "and":
            continue
        if match.group("head") in _NUMBERED_HEADS and not (pre and _ORDINAL_RE.fullmatch(pre[0])):
            continue  # "the Fighter Wing" is generic; "51st Fighter Wing" names a unit
        acronyms = all(_ACRO_RE.fullmatch(w) for w in pre)
        if pre and all(w in DEMONYMS for w in pre) and not match.group("tail") and not acronyms:
            continue  # "Japanese Army": a description, not a name
        after = _NEXT_WORD.match(text[match.end() : match.end() + 20])
        if after and after.group(1) in _TITLE_NOUNS:
            continue  # "Chief Cabinet Secretary": a title, not an organization
        if after and after.group(1) in ORG_HEADS and not match.group("tail"):
            continue  # "Stanford University" inside "Stanford University Press"
        end = match.end()
        if ORG_HEADS.get(match.group("head")) == "MilitaryUnit" and text.startswith(
            " on ", match.end("head")
        ):
            end = match.end("head")  # "the 12th Marine Regiment on Okinawa"
        name = text[start:end]
        if any(w in _MONTHS for w in pre):
            continue
        first, last = name.split()[0], name.split()[-1]
        if first in DEMONYMS and last in {"Forces", "Force", "Navy"} and not _ACRO_RE.match(first):
            continue  # "U.S. Forces" is a name, "Japanese Navy" rarely is
        yield _cand(
            text, start, end, EntityKind.ORGANIZATION, label=_plain_name(name),
            subtype=ORG_HEADS.get(match.group("head")),
        )  # fmt: skip


# --- events ----------------------------------------------------------------------------

_EVENT_HEAD_CAP = "|".join(sorted(EVENT_HEADS, key=len, reverse=True))
# Capitalized words, years, "and" between them, plural possessives ("Leaders' Summit").
_EVENT_CAP = _Anchored(
    rf"(?:(?:{_CAP}|\d{{4}})\s)(?:(?:and\s)?(?:{_CAP}'?|\d{{4}})\s){{0,6}}",
    rf"(?P<head>{_EVENT_HEAD_CAP})(?![\w-])",
    rf"\s(?:of|on)\s(?:\d{{4}}|{_CAP}(?:\s{_CAP}){{0,3}})",
    EVENT_HEADS,
)
_EVENT_MODIFIERS = frozenset(
    [
        "nuclear",
        "missile",
        "submarine",
        "military",
        "naval",
        "joint",
        "trilateral",
        "bilateral",
        "combined",
        "spy",
        "border",
        "hostage",
        "abduction",
        "maritime",
        "air",
        "amphibious",
        "multilateral",
        "summit",
        "peace",
        "six-party",
        "four-party",
        "three-party",
        "disarmament",
    ]
)
_EVENT_ADJ = (
    r"(?:recent|annual|latest|first|second|major|large|massive|ongoing|planned|so-called"
    r"|[a-z]+-[a-z]+|" + "|".join(sorted(_EVENT_MODIFIERS)) + ")"
)
# "the", "a", "an" (after no word character) or "'s": each alternative starts with a literal
# and tests the word boundary after it, so the engine skips to the offsets of those letters.
_EVENT_LOWER = re.compile(
    r"(?:t(?<!\wt)he\s+|a(?<!\wa)n?\s+|T(?<!\wT)he\s+|A(?<!\wA)n?\s+|'s\s+|’s\s+)"
    rf"(?P<mods>(?:(?:{_CAP}|\d{{4}}|{_EVENT_ADJ})\s)"
    r"{1,4})(?P<head>exercises|exercise|incident|crisis|talks|summit|war|test|drills|drill|protests)\b"
)
_MOD_WORD = re.compile(r"[\w.’'-]+")
# "X War" needs a telling modifier: a demonym, an ordinal, a year, "Cold", "Gulf", ...
_WAR_MODIFIER = re.compile(
    r"(?:an|ese|ish|ic|\d{4}|First|Second|Third|World|Cold|Gulf|Pacific|Civil|Iraq|Vietnam"
    r"|Korea|Afghanistan|Yom Kippur|Six-Day|Opium)$"
)
# Words joined by "and" inside one meeting's name ("Foreign and Defense Ministerial Meeting",
# "Strategic and Economic Dialogue"); after other words an "and" joins two names.
_JOINED_WORDS = frozenset(
    [
        "Foreign", "Defense", "Defence", "Economic", "Security", "Political", "Strategic",
        "Trade", "Cultural", "Science", "Diplomatic", "Military", "Energy", "Investment",
        "Maritime", "Technology", "Development", "Finance", "Financial", "Environment",
    ]
)  # fmt: skip
# Meetings held in a numbered series: the number is not part of the name.
_NUMBERED_MEETINGS = frozenset(["Meeting", "Dialogue", "Summit", "Talks", "Conference"])
_HYPOTHETICAL = re.compile(r"(?:\b(?:a|an)\s+(?:second|new|third|future|another)\s|another\s)$")


def find_events(text: str) -> Iterator[Candidate]:
    """Find events: "Korean War", "Six-Party Talks", "the submarine incident".

    >>> [c.text for c in find_events("during the Korean War and the Taepodong incident")]
    ['Korean War', 'Taepodong incident']
    """
    for match in _EVENT_CAP.finditer(text):
        start = _strip_leading(text, match.start(), match.start("head"))
        if start == match.start("head") or _HYPOTHETICAL.search(text[max(0, start - 16) : start]):
            continue
        # "Occupation and Korean War": two names; "Foreign and Defense Ministerial Meeting": one
        start = _after_joints(text, start, match.start("head"), _JOINED_WORDS, inside=True)
        head = match.group("head")
        if head in _NUMBERED_MEETINGS:  # "the Second Japan-Philippines ... Meeting"
            first = _ORDINAL_RE.match(text, start)
            if (
                first
                and text[first.end() : first.end() + 1] == " "
                and first.end() < match.start("head")
            ):
                start = first.end() + 1
        for prefix in ("Post-", "Pre-", "Anti-", "post-", "pre-", "anti-"):
            if text.startswith(prefix, start):
                start += len(prefix)
        if head == "War" and not _WAR_MODIFIER.search(text[start : match.start("head")].strip()):
            continue
        yield _cand(
            text, start, match.end(), EntityKind.EVENT,
            label=_plain_name(text[start : match.end()]), subtype=EVENT_HEADS.get(head),
        )  # fmt: skip
    for low in _EVENT_LOWER.finditer(text):
        words = list(_MOD_WORD.finditer(low.group("mods")))
        keep = None
        for word in words:
            w = word.group(0)
            if w[0].isupper() or w[0].isdigit() or w.lower() in _EVENT_MODIFIERS:
                keep = word
                break
        if keep is None:
            continue
        start = low.start("mods") + keep.start()
        if _HYPOTHETICAL.search(text[max(0, start - 16) : start]):
            continue
        mods = text[start : low.start("head")].split()
        if any(m.lower() in {"same", "present", "this", "that"} for m in mods):
            continue
        head = low.group("head").capitalize()
        subtype = EVENT_HEADS.get(head) or EVENT_HEADS.get(head + "s") or "MilitaryExercise"
        end = low.end()
        if subtype == "MilitaryExercise" and all(m[:1].isupper() for m in mods):
            end = low.start("head") - 1  # "the Freedom Edge exercise": the code name
        label = _plain_name(text[start:end])
        yield _cand(text, start, end, EntityKind.EVENT, label=label, subtype=subtype)


# --- places ----------------------------------------------------------------------------

_PLACE = re.compile(
    rf"\b(?:(?P<pre>{_WORD}(?:\s{_WORD}){{0,2}})\s(?P<head>Peninsula|Sea|Strait|Straits|Island"
    r"|Islands|Prefecture|Province|Bay|Ocean|River|Mountains?|Shoal|Reef|Line)|(?P<head2>Sea|Gulf"
    r"|Strait|Bay"
    rf"|Mount|Isle|Islands) of (?:the )?(?P<post>{_WORD}(?:\s{_WORD})?))(?![\w-])"
)


_PLACE_TRIGGER = _Literals(
    (
        "Peninsula", "Sea", "Strait", "Straits", "Island", "Islands", "Prefecture", "Province",
        "Bay", "Ocean", "River", "Mountain", "Mountains", "Gulf", "Mount", "Isle", "Shoal",
        "Reef", "Line",
    )
)  # fmt: skip


def find_places(text: str) -> Iterator[Candidate]:
    """Find geographic names by head: "Noto Peninsula", "Yellow Sea", "Sea of Japan".

    >>> [c.text for c in find_places("off the coast of Noto Peninsula")]
    ['Noto Peninsula']
    """
    for match in _windowed(_PLACE, _PLACE_TRIGGER.words(text), text, 60, 60):
        start = match.start()
        if match.group("pre"):
            start = _strip_leading(text, match.start("pre"), match.start("head"))
            if start == match.start("head"):
                continue
        name = text[start : match.end()]
        yield _cand(text, start, match.end(), EntityKind.PLACE, label=_plain_name(name))


_PUB_PLACE = re.compile(
    rf"\((?P<place>{_WORD}(?:\s{_WORD}){{0,2}}(?:,\s(?:[A-Z]{{2}}|[A-Z]\.[A-Z]\.|{_WORD}))?)"
    r":\s?(?P<publisher>[^():;\n]{2,90}?),\s(?:[\w.]+\s)?(?:\d{1,2},\s)?\d{4}\)"
)


_NOT_PUBLISHER = re.compile(r"\d|\bed\.|\bno\.")


def find_publication_places(text: str) -> Iterator[Candidate]:
    """Find the place and publisher of a reference: "(Tokyo: Soshisha, 2008)".

    >>> [c.text for c in find_publication_places("(Stanford, CA: Stanford University Press, 1999)")]
    ['Stanford, CA', 'Stanford University Press']
    """
    for match in _PUB_PLACE.finditer(text):
        place = match.group("place")
        yield _cand(
            text, match.start("place"), match.end("place"), EntityKind.PLACE,
            label=_plain_name(place),
        )  # fmt: skip
        start, end = match.start("publisher"), match.end("publisher")
        start = _strip_leading(text, start, end) if text[start:end].startswith("The ") else start
        publisher = text[start:end]
        if publisher[:1].isupper() and not _NOT_PUBLISHER.search(publisher):
            yield _cand(
                text, start, end, EntityKind.ORGANIZATION, label=_plain_name(publisher),
                subtype="Publisher",
            )  # fmt: skip


# --- acronyms --------------------------------------------------------------------------

# The look-behinds follow the first character (the same test as before it): a pattern that
# starts with a character class lets the engine skip to the offsets where it can match.
_ACR_DEF = re.compile(r"\s(?<=\S\s)\((?:the\s)?(?P<acr>[A-Z][A-Za-z&]*[A-Z]s?)\)")
_ACR_FIRST = re.compile(
    rf"(?P<acr>[A-Z](?<!\w.)[A-Z&]+[A-Z])\s\((?:the |The )?"
    rf"(?P<long>{_CAP}(?:\s(?:{_LINK}|{_CAP}))+)\)"
)


def _long_form(acr: str, words: list[re.Match[str]]) -> int | None:
    """Schwartz-Hearst: index of the first word of the shortest expansion that fits ``acr``."""
    long = " ".join(w.group(0) for w in words)
    s_index, l_index = len(acr) - 1, len(long) - 1
    while s_index >= 0:
        char = acr[s_index].lower()
        if not char.isalnum():
            s_index -= 1
            continue
        while l_index >= 0 and (
            long[l_index].lower() != char
            or (s_index == 0 and l_index > 0 and long[l_index - 1].isalnum())
        ):
            l_index -= 1
        if l_index < 0:
            return None
        l_index -= 1
        s_index -= 1
    first = long.rfind(" ", 0, l_index + 1) + 1
    return long.count(" ", 0, first)


_HEAD_WORD = re.compile(r"[\w-]+")
_LONG_WORD = re.compile(r"[\w’'.-]+")
_CAPITALIZED = re.compile(r"[A-Z][\w-]*")


def kind_of_name(name: str) -> tuple[EntityKind, str | None] | None:
    """Kind (and subtype) an expansion's head noun suggests, or None.

    >>> kind_of_name("Korean Peninsula Energy Development Organization")
    (<EntityKind.ORGANIZATION: 'organization'>, 'InternationalOrganization')
    """
    words = _HEAD_WORD.findall(name)
    for word in reversed(words):
        head = word.capitalize() if word.islower() else word
        if head in ACRONYM_HEADS:
            kind = ACRONYM_HEADS[head]
            subtype = ORG_HEADS.get(head) if kind is EntityKind.ORGANIZATION else None
            if kind is EntityKind.EVENT:
                subtype = EVENT_HEADS.get(head)
            return kind, subtype
        if word[:1].islower() and word not in {"of", "for", "on", "and", "the"}:
            continue
        if word in {"of", "for", "on", "and", "the"}:
            continue
    return None


def find_acronyms(text: str) -> Iterator[tuple[Candidate, Candidate]]:
    """Find acronym definitions: "Full Name (ACR)" and "ACR (Full Name)".

    Yields (expansion, acronym) pairs sharing one key; the resolver links later uses of the
    acronym in the document to it.

    >>> [(a.text, b.text) for a, b in find_acronyms("the Japan Defense Agency (JDA) said")]
    [('Japan Defense Agency', 'JDA')]
    """
    for match in _ACR_DEF.finditer(text):
        acr = match.group("acr")
        letters = acr.rstrip("s")
        if len(letters) < 2 or len(letters) > 10:
            continue
        line_start = text.rfind("\n", 0, match.start()) + 1
        window_start = max(line_start, match.start() - 160)
        before = text[window_start : match.start() + 1]
        words = list(_LONG_WORD.finditer(before))[-(min(len(letters) + 5, 2 * len(letters))) :]
        words = [w for w in words if w.group(0)]
        if not words:
            continue
        first = _long_form(letters, words)
        if first is None:
            continue
        chosen = words[first:]
        while chosen and chosen[0].group(0).lower() in {"the", "a", "an", "of", "and"}:
            chosen = chosen[1:]
        if not chosen or len(chosen) < 2:
            continue
        start = window_start + chosen[0].start()
        end = window_start + chosen[-1].end()
        expansion = text[start:end]
        kind = kind_of_name(expansion)
        if kind is None or "\n" in expansion:
            continue
        acr_start = match.start("acr")
        yield _pair(text, start, end, acr_start, acr_start + len(acr), kind)
    for match in _ACR_FIRST.finditer(text):
        acr, long = match.group("acr"), match.group("long")
        initials = "".join(w[0] for w in _CAPITALIZED.findall(long))
        if not initials.startswith(acr[0]) or len(acr) > len(long.split()) + 2:
            continue
        kind = kind_of_name(long)
        if kind is None:
            continue
        yield _pair(
            text, match.start("long"), match.end("long"), match.start(), match.end("acr"), kind
        )


def _pair(
    text: str,
    start: int,
    end: int,
    acr_start: int,
    acr_end: int,
    kind: tuple[EntityKind, str | None],
) -> tuple[Candidate, Candidate]:
    label = _plain_name(text[start:end])
    long = _cand(text, start, end, kind[0], label=label, subtype=kind[1])
    short = Candidate(
        acr_start, acr_end, text[acr_start:acr_end], kind[0], long.key, source="pattern",
        role=Role.ACRONYM, label=label, subtype=kind[1],
    )  # fmt: skip
    return long, short


# --- policy documents -------------------------------------------------------------------

_DOCUMENT_HEADS = (
    "Security Strategy", "Defense Strategy", "Defence Strategy", "Military Strategy",
    "Indo-Pacific Strategy", "Posture Review", "Defense Review", "White Paper",
    "Buildup Program", "Defense Program",
)  # fmt: skip
_DOCUMENT_HEAD = "|".join(h.replace(" ", r"\s") for h in _DOCUMENT_HEADS)
_DOCUMENT = _Anchored(
    rf"(?:(?:{_CAP}|\d{{4}})\s){{0,4}}",
    rf"(?P<head>{_DOCUMENT_HEAD})(?![\w-])",
    r"(?!)",
    _DOCUMENT_HEADS,
)


def find_documents(text: str) -> Iterator[Candidate]:
    """Find named policy documents: "National Security Strategy", "Nuclear Posture Review".

    >>> [c.text for c in find_documents("the 2022 National Defense Strategy and the Cabinet")]
    ['National Defense Strategy']
    """
    for match in _DOCUMENT.finditer(text):
        start = _strip_leading(text, match.start(), match.start("head"))
        for word in text[start : match.start("head")].split():
            if word not in DEMONYMS:
                break
            start = text.index(word, start) + len(word) + 1  # "ROK | National Security ..."
        if start < match.start("head") or match.group("head") == "Indo-Pacific Strategy":
            name = text[start : match.end()]
            yield _cand(text, start, match.end(), EntityKind.PUBLICATION, label=_plain_name(name))


def find_patterns(text: str, *, notes: bool = True) -> list[Candidate]:
    """Run every pattern over ``text`` and return the candidates (overlaps not yet settled)."""
    found: list[Candidate] = []
    found += find_people(text, notes=notes)
    found += find_bases(text)
    found += find_treaties(text)
    found += find_organizations(text)
    found += find_events(text)
    found += find_places(text)
    found += find_documents(text)
    if notes:
        found += find_publication_places(text)
    for long, short in find_acronyms(text):
        found += (long, short)
    return found
