"""Person-name helpers: display order, family names, initials and compatibility.

>>> display_name("Sakata, Y.")
'Y. Sakata'
>>> compatible("G.J. Ikenberry", "G. John Ikenberry")
True
"""

from __future__ import annotations

import re

__all__ = ["compatible", "display_name", "family_of", "given_parts", "is_initials_form"]

_INITIAL = re.compile(r"^(?:[A-Z]\.)+$")
_GLUED_INITIAL = re.compile(r"([A-Z]\.)(?=[A-Z])")
_GIVEN_SPLIT = re.compile(r"[-.]")


def display_name(raw: str) -> str:
    """Return a name in Western reading order with single spaces ("Family, Given" turned)."""
    raw = " ".join(raw.replace("’", "'").split()).strip(" ,;")
    if raw.count(",") == 1:
        family, given = (p.strip() for p in raw.split(","))
        if family and given and " " not in family.strip():
            return f"{given} {family}"
    return raw


def _tokens(name: str) -> list[str]:
    spaced = _GLUED_INITIAL.sub(r"\1 ", name)
    return [t for t in spaced.split() if t]


def family_of(name: str) -> str:
    """The last word of a display name ("G. John Ikenberry" -> "Ikenberry")."""
    tokens = _tokens(display_name(name))
    return tokens[-1] if tokens else name


def given_parts(name: str) -> list[str]:
    """Given-name parts of a display name, hyphenated parts split ("Jae-ho" -> Jae, ho)."""
    tokens = _tokens(display_name(name))[:-1]
    parts: list[str] = []
    for token in tokens:
        parts += [p for p in _GIVEN_SPLIT.split(token) if p]
    return parts


def is_initials_form(name: str) -> bool:
    """True when every given part is an initial ("Y. Sakata", "Sakata, Y.")."""
    tokens = _tokens(display_name(name))[:-1]
    return bool(tokens) and all(_INITIAL.match(t) for t in tokens)


def compatible(short: str, full: str) -> bool:
    """True when ``short`` (initials or a variant) may name the same person as ``full``."""
    if family_of(short).casefold() != family_of(full).casefold():
        return False
    a = [p[0].upper() for p in given_parts(short)]
    b = [p[0].upper() for p in given_parts(full)]
    if not a or not b:
        return True
    joined_b = "".join(b)
    return (
        "".join(a) == joined_b or joined_b.startswith("".join(a)) or (a[0] == b[0] and len(a) == 1)
    )
