"""The curated domain gazetteer: YAML entries, their surface forms and a fast matcher.

Each ``data/gazetteer/*.yaml`` file is a list of entries (format in ``docs/architecture.md``).
:func:`load_gazetteer` checks every entry and derives the surface forms a text may use:

- every entry: its label, aliases (misspellings too) and acronyms (case-sensitive);
- people: given + family in both orders ("Naoto Kan", "Kan Naoto"), hyphen variants of
  Korean given names ("Jae-ho", "Jae Ho"), initial + family ("N. Kan"), post + family
  ("Prime Minister Kan"), and the family name alone as a *secondary* form that only the
  resolver may link, from context;
- entries marked ``ambiguous`` give *ambiguous* forms: matched, never linked on their own.

Matching runs one Aho-Corasick automaton over a case-folded copy of the text (same length,
so offsets carry over), checks word boundaries and case, and keeps the longest match.
"""

from __future__ import annotations

import hashlib
import os
import pickle
import re
import sys
import tempfile
from collections.abc import Iterator, Mapping
from dataclasses import dataclass, field
from enum import StrEnum
from pathlib import Path
from typing import Any

import ahocorasick

from allygraph.errors import ConfigError
from allygraph.records import EntityKind

__all__ = [
    "DEFAULT_CACHE_DIR",
    "FormStrength",
    "Gazetteer",
    "GazetteerEntry",
    "GazetteerMatch",
    "PostHeld",
    "SurfaceForm",
    "fold_text",
    "load_gazetteer",
]

DEFAULT_CACHE_DIR = Path("var/cache/gazetteer")
_CACHE_KEEP = 4  # compiled gazetteers kept in the cache folder (the newest)

_SLUG = re.compile(r"^[a-z0-9]+(?:-[a-z0-9]+)*$")
_KEY = re.compile(r"^(person|treaty|base|organization|state|place|event|publication)/[a-z0-9-]+$")
_DATE = re.compile(r"^\d{4}(?:-\d{2}(?:-\d{2})?)?$")
_QID = re.compile(r"^Q[1-9]\d*$")
# Folding keeps the length of the text: every character maps to exactly one character.
_FOLD = str.maketrans(
    {
        "\u2019": "'", "\u2018": "'", "\u02bc": "'", "\u201c": '"', "\u201d": '"',
        "\u2010": "-", "\u2011": "-", "\u2012": "-", "\u2013": "-", "\u2014": "-",
        "\u00a0": " ", "\n": " ", "\t": " ", "\r": " ", "\u2009": " ", "\u202f": " ",
        "\u014d": "o", "\u016b": "u", "\u014c": "O", "\u016a": "U", "\u0101": "a",
    }
)  # fmt: skip
# str.translate looks every character up in a dict (slow on non-ASCII text); one str.replace
# per mapped character is many times faster and gives the same string (no value is a key).
_FOLD_PAIRS = tuple((chr(old), new) for old, new in _FOLD.items())


def _fold_chars(text: str) -> str:
    """Return ``text.translate(_FOLD)``, computed with a few ``str.replace`` calls."""
    for old, new in _FOLD_PAIRS:
        if old in text:
            text = text.replace(old, new)
    return text


def fold_text(text: str) -> str:
    """Return a same-length, lower-cased copy with quotes, dashes and spaces made plain.

    >>> fold_text("Japan’s  Shinzō")
    "japan's  shinzo"
    """
    plain = _fold_chars(text)
    lowered = plain.lower()
    if len(lowered) == len(plain):
        return lowered
    return "".join(c if len(c.lower()) != 1 else c.lower() for c in plain)


def _fold_case_kept(text: str) -> str:
    return _fold_chars(text)


class FormStrength(StrEnum):
    """How far a surface form alone identifies its entity."""

    PRIMARY = "primary"  # links on its own
    SECONDARY = "secondary"  # a family name alone: linked by the resolver from context
    AMBIGUOUS = "ambiguous"  # shared by several entries or marked ambiguous: never alone


@dataclass(frozen=True, slots=True)
class PostHeld:
    """A post a person held, with the organization or state it belongs to."""

    post: str
    of: str | None = None
    start: str | None = None
    end: str | None = None


@dataclass(frozen=True, slots=True)
class GazetteerEntry:
    """One curated entity of the gazetteer."""

    key: str
    kind: EntityKind
    label: str
    source: str
    subtype: str | None = None
    given: str | None = None
    family: str | None = None
    aliases: tuple[str, ...] = ()
    acronyms: tuple[str, ...] = ()
    labels: tuple[tuple[str, str], ...] = ()
    qid: str | None = None
    description: str | None = None
    posts: tuple[PostHeld, ...] = ()
    country: str | None = None
    located_in: str | None = None
    used_by: tuple[str, ...] = ()
    parties: tuple[str, ...] = ()
    date: str | None = None
    end_date: str | None = None
    ambiguous: bool = False
    participants: tuple[str, ...] = ()
    ambiguous_aliases: tuple[str, ...] = ()
    demonyms: tuple[str, ...] = ()  # adjectives ("Korean"): never matched as names
    candidates: tuple[str, ...] = ()  # an ambiguous entry: the entries its forms may mean
    places: tuple[str, ...] = ()

    def years(self) -> tuple[int, int] | None:
        """Return the first and last year the entry was active (posts, dates), if known."""
        found: list[int] = []
        for post in self.posts:
            found += [int(d[:4]) for d in (post.start, post.end) if d]
        found += [int(d[:4]) for d in (self.date, self.end_date) if d]
        if not found:
            return None
        return min(found), max(found)

    def attributes(self) -> tuple[tuple[str, str], ...]:
        """Facts that need no passage, as ``Entity.attributes`` pairs."""
        out: list[tuple[str, str]] = []
        for post in self.posts:
            text = post.post + (f" ({post.of})" if post.of else "")
            span = "/".join(d or "" for d in (post.start, post.end)) if post.start else ""
            out.append(("post", f"{text} {span}".strip()))  # the post's organization inside
        for name, value in (("country", self.country), ("locatedIn", self.located_in)):
            if value:
                out.append((name, value))
        out += [("usedBy", k) for k in self.used_by]
        out += [("party", k) for k in self.parties]
        out += [("participant", k) for k in self.participants]
        out += [("place", k) for k in self.places]
        if self.date:
            out.append(("signedDate" if self.kind is EntityKind.TREATY else "date", self.date))
        if self.end_date:
            out.append(("endDate", self.end_date))
        return tuple(out)


@dataclass(frozen=True, slots=True)
class SurfaceForm:
    """A string that names one or more gazetteer entries."""

    text: str
    keys: tuple[str, ...]
    strength: FormStrength
    case_sensitive: bool


@dataclass(frozen=True, slots=True)
class GazetteerMatch:
    """A surface form found in a text: ``[start, end)`` and the form it matched."""

    start: int
    end: int
    form: SurfaceForm


@dataclass(slots=True)
class Gazetteer:
    """Entries by key, their surface forms and the compiled matchers.

    Case-sensitive forms (single words, acronyms) are matched on the case-kept folded text,
    the others on the lower-cased one: the family name "O" then only meets capital O's.
    """

    entries: dict[str, GazetteerEntry]
    forms: dict[str, SurfaceForm] = field(default_factory=dict)  # folded text -> form
    _sensitive: Any = None  # Aho-Corasick automaton: form.text -> form (case kept)
    _insensitive: Any = None  # Aho-Corasick automaton: folded text -> form

    def entry(self, key: str) -> GazetteerEntry | None:
        """Return the entry with this key, if any."""
        return self.entries.get(key)

    def lookup(self, text: str) -> SurfaceForm | None:
        """Return the surface form written exactly as ``text`` (case rules applied)."""
        form = self.forms.get(fold_text(text))
        if form is None or (form.case_sensitive and _fold_case_kept(text) != form.text):
            return None
        return form

    def by_family(self, family: str) -> tuple[GazetteerEntry, ...]:
        """Return the people whose family (or, in Western order, last) name is ``family``."""
        folded = fold_text(family)
        return tuple(
            e
            for e in self.entries.values()
            if e.kind is EntityKind.PERSON and e.family and fold_text(e.family) == folded
        )

    def match(self, text: str) -> list[GazetteerMatch]:
        """Find the surface forms in ``text``: word-bounded, case-checked, longest wins."""
        if not text:
            return []
        plain = _fold_chars(text)
        passes: list[tuple[Any, str, bool]] = []  # automaton, text it reads, check capitals
        if self._sensitive is not None:
            passes.append((self._sensitive, plain, False))
        if self._insensitive is not None:
            folded = plain.lower()
            if len(folded) != len(plain):
                folded = fold_text(text)
            passes.append((self._insensitive, folded, True))
        found: list[GazetteerMatch] = []
        size = len(text)
        for automaton, haystack, capitals in passes:
            for end_index, form in automaton.iter(haystack):
                end = end_index + 1
                start = end - len(form.text)
                # A letter or digit next to the match extends a word ("." after "U.S." does
                # not).
                if start > 0 and text[start - 1].isalnum() and form.text[0].isalnum():
                    continue
                if (
                    end < size
                    and text[end].isalnum()
                    and (form.text[-1].isalnum() or form.text[-1] == ".")
                ):
                    continue
                if (
                    capitals
                    and form.text[0].isupper()
                    and not (text[start].isupper() or text[start].isdigit())
                ):
                    continue
                found.append(GazetteerMatch(start, end, form))
        return _longest(found)


def _longest(found: list[GazetteerMatch]) -> list[GazetteerMatch]:
    """Keep the longest of overlapping matches (earliest first on ties), in text order.

    A title + family form ("Prime Minister Kishida") that runs into a full name ("KISHIDA
    Fumio", "Kang Sok-ju") gives way to it: the full name identifies the person.
    """
    kept = _longest_pass(found)
    titled = [m for m in kept if m.form.strength is FormStrength.SECONDARY and " " in m.form.text]
    full = [m for m in found if m.form.strength is FormStrength.PRIMARY]
    drop = {
        id(m) for m in titled if any(m.start < f.start < m.end < f.end for f in full)
    }  # fmt: skip
    return _longest_pass([m for m in found if id(m) not in drop]) if drop else kept


def _longest_pass(found: list[GazetteerMatch]) -> list[GazetteerMatch]:
    if not found:
        return []
    taken = bytearray(max(m.end for m in found))
    kept: list[GazetteerMatch] = []
    for m in sorted(found, key=lambda m: (m.start - m.end, m.start)):
        if taken.find(1, m.start, m.end) >= 0:
            continue
        taken[m.start : m.end] = b"\x01" * (m.end - m.start)
        kept.append(m)
    kept.sort(key=lambda m: m.start)
    return kept


class _Problem(ConfigError):
    """A gazetteer entry breaks the format."""


def _fail(where: str, what: str, got: object) -> _Problem:
    return _Problem(f"{where}: {what} (got {got!r})")


def _strings(where: str, name: str, value: object) -> tuple[str, ...]:
    if value is None:
        return ()
    if isinstance(value, str):
        value = [value]
    if not isinstance(value, list) or not all(isinstance(v, str) and v.strip() for v in value):
        raise _fail(where, f"'{name}' must be a list of non-empty strings", value)
    return tuple(v.strip() for v in value)


def _opt_str(where: str, name: str, value: object) -> str | None:
    if value is None:
        return None
    if isinstance(value, int) and name in {"date", "end_date", "start", "end"}:
        value = str(value)
    if not isinstance(value, str) or not value.strip():
        raise _fail(where, f"'{name}' must be a non-empty string", value)
    return value.strip()


def _opt_date(where: str, name: str, value: object) -> str | None:
    text = _opt_str(where, name, value.isoformat() if hasattr(value, "isoformat") else value)
    if text is not None and not _DATE.match(text):
        raise _fail(where, f"'{name}' must be an ISO 8601 date or a year", text)
    return text


def _opt_key(where: str, name: str, value: object) -> str | None:
    text = _opt_str(where, name, value)
    if text is not None and not _KEY.match(text):
        raise _fail(where, f"'{name}' must be a key like 'state/japan'", text)
    return text


def _keys(where: str, name: str, value: object) -> tuple[str, ...]:
    keys = _strings(where, name, value)
    for key in keys:
        if not _KEY.match(key):
            raise _fail(where, f"'{name}' must list keys like 'organization/us-marine-corps'", key)
    return keys


def _posts(where: str, value: object) -> tuple[PostHeld, ...]:
    if value is None:
        return ()
    if not isinstance(value, list):
        raise _fail(where, "'posts' must be a list of {post, of, start, end} mappings", value)
    posts = []
    for item in value:
        if not isinstance(item, dict) or not isinstance(item.get("post"), str):
            raise _fail(where, "each post must be a mapping with a 'post' string", item)
        posts.append(
            PostHeld(
                post=item["post"].strip(),
                of=_opt_key(where, "of", item.get("of")),
                start=_opt_date(where, "start", item.get("start")),
                end=_opt_date(where, "end", item.get("end")),
            )
        )
    return tuple(posts)


def _entry(source: str, raw: object, index: int) -> GazetteerEntry:
    if not isinstance(raw, dict):
        raise _fail(f"{source}:#{index + 1}", "each entry must be a mapping", type(raw).__name__)
    ident = raw.get("id")
    where = f"{source}:{ident if isinstance(ident, str) else '#' + str(index + 1)}"
    if not isinstance(ident, str) or not _SLUG.match(ident):
        raise _fail(where, "'id' must be a slug of [a-z0-9-]+", ident)
    kinds = {k.value for k in EntityKind}
    kind = raw.get("type")
    if kind not in kinds:
        raise _fail(where, f"'type' must be one of {', '.join(sorted(kinds))}", kind)
    label = _opt_str(where, "label", raw.get("label"))
    if label is None:
        raise _fail(where, "'label' must be a non-empty string", raw.get("label"))
    qid = _opt_str(where, "qid", raw.get("qid"))
    if qid is not None and not _QID.match(qid):
        raise _fail(where, "'qid' must look like Q12345", qid)
    labels = raw.get("labels") or {}
    if not isinstance(labels, dict) or not all(isinstance(v, str) for v in labels.values()):
        raise _fail(where, "'labels' must map language codes to strings", labels)
    ambiguous = raw.get("ambiguous", False)
    if not isinstance(ambiguous, bool):
        raise _fail(where, "'ambiguous' must be true or false", ambiguous)
    given = _opt_str(where, "given", raw.get("given"))
    family = _opt_str(where, "family", raw.get("family"))
    if kind != "person" and (given or family):
        raise _fail(where, "'given' and 'family' are for people only", kind)
    return GazetteerEntry(
        key=f"{kind}/{ident}",
        kind=EntityKind(kind),
        label=label,
        source=source,
        subtype=_opt_str(where, "subtype", raw.get("subtype")),
        given=given,
        family=family,
        aliases=_strings(where, "aliases", raw.get("aliases")),
        acronyms=_strings(where, "acronyms", raw.get("acronyms")),
        labels=tuple(sorted((str(k), v) for k, v in labels.items())),
        qid=qid,
        description=_opt_str(where, "description", raw.get("description")),
        posts=_posts(where, raw.get("posts")),
        country=_opt_key(where, "country", raw.get("country")),
        located_in=_opt_key(where, "located_in", raw.get("located_in")),
        used_by=_keys(where, "used_by", raw.get("used_by")),
        parties=_keys(where, "parties", raw.get("parties")),
        date=_opt_date(where, "date", raw.get("date")),
        end_date=_opt_date(where, "end_date", raw.get("end_date")),
        ambiguous=ambiguous,
        participants=_keys(where, "participants", raw.get("participants")),
        ambiguous_aliases=_strings(where, "ambiguous_aliases", raw.get("ambiguous_aliases")),
        demonyms=_strings(where, "demonyms", raw.get("demonyms")),
        candidates=_candidates(where, raw, ambiguous),
        places=_keys(where, "place", raw.get("place")),
    )


_KEY_IN_TEXT = re.compile(
    r"\b(?:person|treaty|base|organization|state|place|event|publication)/[a-z0-9]+(?:-[a-z0-9]+)*"
)


def _candidates(where: str, raw: dict[str, Any], ambiguous: bool) -> tuple[str, ...]:
    """Keys an ambiguous entry may stand for: ``candidates``, else keys its description names."""
    if "candidates" in raw:
        return _keys(where, "candidates", raw["candidates"])
    if not ambiguous:
        return ()
    return tuple(dict.fromkeys(_KEY_IN_TEXT.findall(str(raw.get("description") or ""))))


# Titles that may stand before a family name, beyond the posts an entry lists.
_PERSON_TITLES = ("Mr.", "Ms.", "Mrs.", "Dr.", "Professor", "Prof.")


def _person_forms(entry: GazetteerEntry) -> Iterator[tuple[str, FormStrength]]:
    given, family = entry.given, entry.family
    if not (given and family):
        return
    givens = {given}
    if "-" in given:  # Korean given names: "Jae-ho", "Jae Ho", "Jaeho"
        head, _, tail = given.partition("-")
        givens |= {f"{head} {tail.capitalize()}", f"{head}-{tail.capitalize()}", head + tail}
    for g in givens:
        yield f"{g} {family}", FormStrength.PRIMARY
        yield f"{family} {g}", FormStrength.PRIMARY
        yield f"{family}, {g}", FormStrength.PRIMARY
    initials = "".join(f"{part[0]}." for part in re.split(r"[\s-]+", given) if part)
    yield f"{initials} {family}", FormStrength.PRIMARY
    yield f"{family}, {initials}", FormStrength.PRIMARY
    for post in entry.posts:
        yield f"{post.post} {family}", FormStrength.SECONDARY
    for title in _PERSON_TITLES:
        yield f"{title} {family}", FormStrength.SECONDARY
    if family not in _WORD_FAMILIES:
        yield family, FormStrength.SECONDARY


# Family names that are also English words starting sentences ("No formal talks", "Oh", "So
# far"): alone they are not matched; with a title or the given name they are.
_WORD_FAMILIES = frozenset(
    ["No", "An", "Oh", "So", "Do", "Ma", "Ha", "Go", "In", "On", "Ok", "Won"]
)


def _entry_forms(entry: GazetteerEntry) -> Iterator[tuple[str, FormStrength, bool]]:
    strength = FormStrength.AMBIGUOUS if entry.ambiguous else FormStrength.PRIMARY
    shared = set(entry.ambiguous_aliases) - set(entry.demonyms)
    for text in (entry.label, *entry.aliases):
        if text not in entry.demonyms:
            yield text, FormStrength.AMBIGUOUS if text in shared else strength, False
    for text in shared:
        yield text, FormStrength.AMBIGUOUS, False
    for text in entry.acronyms:
        yield text, strength, True
    for text, person_strength in _person_forms(entry):
        if entry.ambiguous:
            person_strength = FormStrength.AMBIGUOUS
        yield text, person_strength, " " not in text.strip()


_RANK = {FormStrength.PRIMARY: 0, FormStrength.SECONDARY: 1, FormStrength.AMBIGUOUS: 2}


def _index(entries: Mapping[str, GazetteerEntry]) -> dict[str, SurfaceForm]:
    collected: dict[str, tuple[str, dict[str, FormStrength], bool]] = {}
    for entry in entries.values():
        targets = [k for k in entry.candidates if k in entries] if entry.ambiguous else []
        for text, strength, case_sensitive in _entry_forms(entry):
            text = _fold_case_kept(text.strip())
            if not text:
                continue
            # A single word that is not an acronym must keep its capital ("Kan", not "kan").
            case_sensitive = case_sensitive or " " not in text
            folded = fold_text(text)
            shown, keys, sensitive = collected.setdefault(folded, (text, {}, case_sensitive))
            for key in targets or [entry.key]:
                best = keys.get(key)
                if best is None or _RANK[strength] < _RANK[best]:
                    keys[key] = strength
            collected[folded] = (shown, keys, sensitive and case_sensitive)
    forms: dict[str, SurfaceForm] = {}
    for folded, (text, keys, sensitive) in collected.items():
        primary = sorted(k for k, s in keys.items() if s is FormStrength.PRIMARY)
        if len(primary) == 1:
            forms[folded] = SurfaceForm(text, (primary[0],), FormStrength.PRIMARY, sensitive)
            continue
        ordered = tuple(sorted(keys))
        if len(primary) > 1:
            strength = FormStrength.AMBIGUOUS
        elif all(s is FormStrength.SECONDARY for s in keys.values()):
            strength = FormStrength.SECONDARY
        else:
            strength = FormStrength.AMBIGUOUS
        forms[folded] = SurfaceForm(text, ordered, strength, sensitive)
    return forms


def build_gazetteer(entries: Mapping[str, GazetteerEntry]) -> Gazetteer:
    """Index the entries and compile the matchers (about 10 ms for 1,000 entries)."""
    forms = _index(entries)
    sensitive = ahocorasick.Automaton()
    insensitive = ahocorasick.Automaton()
    for folded, form in forms.items():
        if form.case_sensitive:
            sensitive.add_word(form.text, form)  # matched exactly on the case-kept text
        else:
            insensitive.add_word(folded, form)
    for automaton in (sensitive, insensitive):
        if len(automaton):
            automaton.make_automaton()
    return Gazetteer(
        dict(entries),
        forms,
        sensitive if len(sensitive) else None,
        insensitive if len(insensitive) else None,
    )


def load_gazetteer(folder: Path, *, cache_dir: Path | None = DEFAULT_CACHE_DIR) -> Gazetteer:
    """Load and check every ``*.yaml`` file of a gazetteer folder.

    Parsing, checking and compiling 1,400 entries takes about 0.3 s; the compiled gazetteer
    is therefore kept in ``cache_dir`` under a hash of the YAML files (names and bytes), of
    this module's source and of the Python and automaton versions, and read back (about
    0.05 s) while none of them changes. Only gazetteers that loaded without error are kept.

    Args:
        folder: The folder (``data/gazetteer/``); a missing or empty folder gives an empty
            gazetteer, so that patterns alone still work.
        cache_dir: Folder of compiled gazetteers (relative to the working directory, like
            the store); ``None`` parses and compiles every time and writes nothing.

    Returns:
        The gazetteer with its compiled matcher.

    Raises:
        ConfigError: A file does not parse or an entry breaks the format; the message reads
            ``file:entry id: what must hold (got what)``.
    """
    files = sorted(folder.glob("*.yaml")) + sorted(folder.glob("*.yml")) if folder.is_dir() else []
    contents = [(path.name, path.read_bytes()) for path in files]
    cached = _cache_path(cache_dir, contents) if cache_dir is not None else None
    if cached is not None:
        found = _read_cache(cached)
        if found is not None:
            return found
    gazetteer = _parse(contents)
    if cached is not None:
        _write_cache(cached, gazetteer)
    return gazetteer


def _parse(contents: list[tuple[str, bytes]]) -> Gazetteer:
    import yaml  # lazily: a cached gazetteer needs no YAML parser

    entries: dict[str, GazetteerEntry] = {}
    loader = getattr(yaml, "CSafeLoader", yaml.SafeLoader)
    for source, raw_bytes in contents:
        try:
            # Decoded as Path.read_text does it: universal newlines.
            text = raw_bytes.decode("utf-8").replace("\r\n", "\n").replace("\r", "\n")
            data = yaml.load(text, Loader=loader)  # noqa: S506
        except yaml.YAMLError as err:
            mark = getattr(err, "problem_mark", None)
            where = f"{source}:{mark.line + 1}:{mark.column + 1}" if mark else source
            msg = f"{where}: file must be valid YAML (got {getattr(err, 'problem', err)})"
            raise ConfigError(msg) from None
        if data is None:
            continue
        if not isinstance(data, list):
            raise _fail(
                source, "a gazetteer file must be a YAML list of entries", type(data).__name__
            )
        for index, raw in enumerate(data):
            entry = _entry(source, raw, index)
            if entry.key in entries:
                other = entries[entry.key].source
                raise _fail(
                    f"{source}:{entry.key.split('/', 1)[1]}",
                    f"'id' must be unique within its type (also in {other})",
                    entry.key,
                )
            entries[entry.key] = entry
    return build_gazetteer(entries)


def _cache_path(cache_dir: Path, contents: list[tuple[str, bytes]]) -> Path:
    """The cache file of these YAML files, as this code compiles them."""
    digest = hashlib.sha256()
    version = getattr(ahocorasick, "__version__", "")
    digest.update(f"{sys.version_info[:2]} {version} {pickle.HIGHEST_PROTOCOL}".encode())
    digest.update(Path(__file__).read_bytes())
    for name, data in contents:
        digest.update(f"\0{name}\0{len(data)}\0".encode())
        digest.update(data)
    return cache_dir / f"gazetteer-{digest.hexdigest()[:32]}.pickle"


def _read_cache(path: Path) -> Gazetteer | None:
    """The gazetteer kept at ``path``, or None when there is none that loads."""
    try:
        data = path.read_bytes()
    except OSError:
        return None
    try:
        found = pickle.loads(data)  # noqa: S301 - written by _write_cache for this very key
    except Exception:  # a stale or damaged file (any error unpickling): compile again
        return None
    return found if isinstance(found, Gazetteer) else None


def _write_cache(path: Path, gazetteer: Gazetteer) -> None:
    """Keep the compiled gazetteer (atomically; a folder that cannot be written is skipped)."""
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
        with tempfile.NamedTemporaryFile(dir=path.parent, suffix=".tmp", delete=False) as out:
            pickle.dump(gazetteer, out, protocol=pickle.HIGHEST_PROTOCOL)
        os.replace(out.name, path)
        kept = sorted(path.parent.glob("gazetteer-*.pickle"), key=_mtime, reverse=True)
        for old in kept[_CACHE_KEEP:]:
            old.unlink(missing_ok=True)
    except OSError:
        return


def _mtime(path: Path) -> float:
    try:
        return path.stat().st_mtime
    except OSError:
        return 0.0
