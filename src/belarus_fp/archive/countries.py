"""Countries: ISO3 codes, names, and the foreign-policy "vector" (region) of each.

Reference data: ``country_converter``'s own table (GPL-3.0, shipped in its wheel), read with
``keep_default_na=False`` because its Namibia row has ISO2 "NA" (version 1.3.2 fails to build
its converter on pandas 3 for that reason). Territories without an ISO 3166 code that the
documents name get user-assigned codes from the X range (``EXTRA_CODES``).

Vectors follow the documents' own division of the world (Russia; the CIS and Eurasian
integration; Europe; the USA; Asia; Latin America; Africa; the Middle East):

- ``russia``: RUS; ``cis_eurasian``: the other former Soviet republics except the Baltic states;
- then by the UN geoscheme region of the reference table: Europe → ``europe``; Northern America →
  ``north_america``; South / Central America and the Caribbean → ``latin_america``; Africa →
  ``africa``; Western Asia → ``middle_east``; the rest of Asia and Oceania → ``asia_pacific``;
- with three overrides (``OVERRIDES``): Iran (UN "Southern Asia") is Middle East; Cyprus (UN
  "Western Asia", an EU member) is Europe; Turkey (UN "Western Asia") is Europe, because the
  review treats it among the European countries (paragraph 42, and the commissions with European
  countries in paragraph 46); the priorities page does not name it.
"""

from __future__ import annotations

from functools import lru_cache
from pathlib import Path

from ..errors import did_you_mean
from . import vocabulary
from .folders import Archive

#: Codes for territories named in the documents that ISO 3166 does not list.
EXTRA_CODES = {
    "XAB": {"name": "Abkhazia", "vector": "cis_eurasian"},
    "XKX": {"name": "Kosovo", "vector": "europe"},
}

#: Former Soviet republics other than Russia and the Baltic states (and Belarus itself).
POST_SOVIET = {"ARM", "AZE", "GEO", "KAZ", "KGZ", "MDA", "TJK", "TKM", "UKR", "UZB", "BLR"}

#: Where the UN-region rule would mislead for this subject.
OVERRIDES = {"IRN": "middle_east", "CYP": "europe", "TUR": "europe"}

VECTORS = [
    "russia",
    "cis_eurasian",
    "europe",
    "north_america",
    "asia_pacific",
    "latin_america",
    "africa",
    "middle_east",
]

#: The CIS and Eurasian countries other than Russia, and Europe (the maps' Europe-and-CIS panels).
EUROPE_AND_CIS = ("cis_eurasian", "europe")
#: Europe and the former Soviet Union: Russia, the other CIS and Eurasian countries, Europe.
EUROPE_AND_FSU = ("russia", *EUROPE_AND_CIS)
#: The regions outside Europe, the former Soviet Union and North America (the priorities page's "arc" lies there).
SOUTH = ("asia_pacific", "latin_america", "africa", "middle_east")
#: Labels of the regions (:mod:`belarus_fp.archive.vocabulary`, vocabulary ``vector``).
VECTOR_LABELS = {v: vocabulary.LABELS["vector"][v] for v in VECTORS}


@lru_cache(maxsize=1)
def reference():
    """The reference table (one row per ISO3): name_short, name_official, ISO2, continent, UNregion, UN member year."""
    import country_converter
    import pandas as pd

    path = Path(country_converter.__file__).with_name("country_data.tsv")
    table = pd.read_csv(path, sep="\t", keep_default_na=False, dtype=str)
    return table.set_index("ISO3")


#: The columns of ``data/reference/historical_states.csv``.
HISTORICAL_COLUMNS = ("iso3", "name", "from_year", "to_year", "vector", "successors", "note")


def historical_states(archive=None) -> dict[str, dict]:
    """States that no longer exist: their code (column ``iso3``) -> row of the archive's ``data/reference/historical_states.csv``.

    Read strictly; parsed once per content, so an edited file is seen in the same process.

    Raises:
        TableError: the file is missing or malformed, lacks a column, or a row has an unknown vector,
            a year that is not four digits, or a code that is also a code of today's states.
    """
    from .reading import table_bytes

    display = "data/reference/historical_states.csv"
    return _historical_states(table_bytes(Archive.of(archive).reference / "historical_states.csv", display), display)


@lru_cache(maxsize=4)
def _historical_states(data: bytes, display: str) -> dict[str, dict]:
    from ..errors import Problem, TableError
    from .reading import parse_table

    header, rows = parse_table(data, display)
    problems = [Problem(display, 1, c, "", "required column is missing") for c in HISTORICAL_COLUMNS if c not in header]
    if problems:
        raise TableError(problems)
    today = {iso3 for iso3, obsolete in reference()["obsolete"].items() if obsolete == ""} | set(EXTRA_CODES)
    out = {}
    for line, row in rows:
        if row["iso3"] in today or row["iso3"] in out:
            problems.append(Problem(display, line, "iso3", row["iso3"], "a code of today's states, or given twice"))
        if row["vector"] not in VECTORS:
            problems.append(Problem(display, line, "vector", row["vector"], f"not one of {VECTORS}"))
        for col in ("from_year", "to_year"):
            if not (len(row[col]) == 4 and row[col].isdigit()):
                problems.append(Problem(display, line, col, row[col], "not a four-digit year"))
        out[row["iso3"]] = dict(row)
    if problems:
        raise TableError(problems)
    return out


@lru_cache(maxsize=1)
def _today() -> frozenset:
    """The codes of today's states: country_converter's current entries and ``EXTRA_CODES`` (package data)."""
    return frozenset(iso3 for iso3, obsolete in reference()["obsolete"].items() if obsolete == "") | frozenset(EXTRA_CODES)


def is_historical(code: str, archive=None) -> bool:
    """True for a state that no longer exists (a code of :func:`historical_states`)."""
    return code in historical_states(archive)


def known_iso3(archive=None) -> set[str]:
    """Every code a curated table may use: ISO 3166-1 alpha-3, ``EXTRA_CODES`` and the archive's historical states."""
    return set(_reference_codes()) | set(historical_states(archive))


@lru_cache(maxsize=1)
def _reference_codes() -> frozenset:
    """Every code of the reference table and ``EXTRA_CODES`` (package data): read from pandas once, not per call."""
    return frozenset(reference().index) | frozenset(EXTRA_CODES)


def _historical(iso3: str, archive=None) -> dict | None:
    """The historical state's row of ``iso3`` in ``archive``'s ``historical_states.csv``, or None.

    A code of today's states is never historical (``historical_states`` refuses it), so it is answered without
    reading the archive.
    """
    return None if iso3 in _today() else historical_states(archive).get(iso3)


def is_state(code: str, archive=None) -> bool:
    """True for a code :func:`name` answers (today's states, ``EXTRA_CODES``, the archive's historical states), without its error."""
    return code in _reference_codes() or _historical(code, archive) is not None


def name(iso3: str, archive=None) -> str:
    """Short English name of a country or historical state (unknown codes are an error).

    Args:
        iso3: an ISO3 code, an ``EXTRA_CODES`` code or a historical state's code.
        archive: the archive whose ``data/reference/historical_states.csv`` names a historical state (default:
            the clone's); today's states are named by ``country_converter``'s table, whatever the archive.

    Raises:
        KeyError: an unknown code (with a hint: the code in upper case, or codes spelled alike).
    """
    if iso3 in EXTRA_CODES:
        return EXTRA_CODES[iso3]["name"]
    state = _historical(iso3, archive)
    if state:
        return state["name"]
    try:
        return reference().at[iso3, "name_short"]
    except KeyError:
        text, known = str(iso3), known_iso3(archive)
        if text.upper() in known and text != text.upper():
            hint = f": ISO3 codes are upper case, did you mean {text.upper()!r}?"
        else:
            hint = did_you_mean(iso3, [c for c in known if c[:1] == text[:1].upper()]) or " (an ISO 3166-1 alpha-3 code, such as 'RUS')"
        raise KeyError(f"unknown ISO3 code {iso3!r}{hint}") from None


def vector(iso3: str, archive=None) -> str:
    """The foreign-policy vector (region) of a country, by the rule in this module's docstring.

    A historical state has the vector its row in ``archive``'s ``historical_states.csv`` gives (default: the
    clone's; the Soviet Union: ``russia``; Yugoslavia, Czechoslovakia, the GDR: ``europe``).
    """
    if iso3 in EXTRA_CODES:
        return EXTRA_CODES[iso3]["vector"]
    state = _historical(iso3, archive)
    if state:
        return state["vector"]
    if iso3 == "RUS":
        return "russia"
    if iso3 in POST_SOVIET:
        return "cis_eurasian"
    if iso3 in OVERRIDES:
        return OVERRIDES[iso3]
    try:
        row = reference().loc[iso3]
    except KeyError:
        raise KeyError(f"unknown ISO3 code {iso3!r}") from None
    region, continent = row["UNregion"], row["continent"]
    if continent == "Europe":
        return "europe"
    if region == "Northern America":
        return "north_america"
    if region in ("South America", "Central America", "Caribbean"):
        return "latin_america"
    if continent == "Africa":
        return "africa"
    if region == "Western Asia":
        return "middle_east"
    if continent in ("Asia", "Oceania"):
        return "asia_pacific"
    raise KeyError(f"no vector rule for {iso3!r} (continent {continent!r}, region {region!r})")


def un_members() -> set[str]:
    """ISO3 codes of UN member states, per the reference table's ``UNmember`` (year of admission)."""
    table = reference()
    return set(table.index[table["UNmember"] != ""])
