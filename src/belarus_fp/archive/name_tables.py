"""The mention finder's name tables.

Every written form the finder reads as a country, a historical state or an organisation, from
``country_converter`` and the archive's ``data/reference/`` and organisations.

The matching itself (one compiled regular expression, the rules of what counts as a mention) is
:mod:`belarus_fp.archive.finder`; this module says which names there are. Each table is read strictly
(file, line and column named) and parsed once per content, so an edited file is seen in the same process.

Where the names come from
-------------------------
- Countries: ``name_short`` and ``name_official`` of ``country_converter``'s data file (read
  with ``keep_default_na=False`` by :func:`belarus_fp.archive.countries.reference`; obsolete entries
  such as the Soviet Union are left out), the territories of
  :data:`belarus_fp.archive.countries.EXTRA_CODES` (Abkhazia, Kosovo), plus two documented tables in
  ``data/reference/`` (:data:`REFERENCE_TABLES`): ``country_aliases.csv`` (other names and the documents' spellings: "Columbia",
  "UAE", "Sri-Lanka", "Republic of South Africa", "Turkey", "U.S." ...) and ``demonyms.csv``
  (adjectives and nationality nouns that name a country: "Turkmen youth", "the Latvian
  colleagues", "Belarusian-Polish"); a name whose code is a historical state's ("USSR", "Soviet",
  "German Democratic Republic", "South Viet-Nam") is reported with kind ``historical_state``.
  ``country_compounds.csv`` gives written forms naming several countries ("SovietAmerican"), and
  ``capitals.csv`` x ``government_words.csv`` the forms in which a capital names its government
  ("Washington's", "the Pretoria regime", "the regime in Pretoria": the mention is the capital's
  span; :func:`country_parts`). ``country_converter``'s own regular expressions are not
  used: they are written for matching a whole cell, not for searching a sentence.
- Organisations: each row of ``organizations.csv`` gives its ``name``, its ``name_in_text``
  (the document's own wording, e.g. "ECOSOS", "Bureau for Democratic Institutions and Human
  Rights") and its ``org_id`` when that is an acronym (``OSCE``, ``CoE``; not a slug such as
  ``Union-State``), each also with "United Nations" shortened to "UN" and with the
  "Organization"/"Organisation" and "Cooperation"/"Co-operation" spellings; plus
  ``data/reference/org_aliases.csv`` (other usual names) and ``org_compounds.csv`` (one written form naming
  several organisations, "CU/EEA", or a document typo such as "CSTOMember"); and the organisations
  the curated table lacks (every row there quotes a ministry text), listed in
  ``data/reference/organizations.csv`` by ``name`` and acronym ``org_id`` (the League of Nations,
  CMEA, ASEAN, the Secretary-General ...). What counts and what does not:
  ``data/reference/README.md``.
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from dataclasses import dataclass
from functools import lru_cache
from types import MappingProxyType

from ..errors import Problem, TableError
from . import countries
from .folders import Archive
from .reading import Recent, content_hash, parse_table, table_bytes

#: The finder's name tables, in ``data/reference/`` (provenance in its README): file -> its columns.
REFERENCE_TABLES = {
    "country_aliases": ("name", "iso3", "source", "note"),  # other names, the documents' spellings
    "demonyms": ("form", "iso3"),  # adjectives and nationality nouns that name one country
    "country_compounds": ("form", "iso3", "part", "note"),  # one written form naming several countries
    "capitals": ("name", "iso3", "note"),  # capitals read as their government, in the forms below
    "government_words": ("words", "position", "note"),  # "<capital> regime", "regime in <capital>"
    "historical_states": countries.HISTORICAL_COLUMNS,  # states that no longer exist (read by countries)
    "language_adjectives": ("adjective",),  # "<adj> language / speaking / speakers" name no country
    "not_mentions": ("phrase",),  # phrases with a country word that name no country
    "person_nouns": ("noun", "note"),  # "<demonym> <noun>" describes persons, not their state
    "organizations": ("org_id", "name", "kind", "parent", "note"),  # organisations the curated tables lack
    "org_aliases": ("name", "org_id", "note"),  # other names of the organisations of both tables
    "org_compounds": ("form", "org_id", "part", "note"),  # one form naming several organisations, or a typo
}


def reference_table(name: str, archive: Archive | None = None) -> tuple[tuple[str, dict], ...]:
    """The rows of the archive's ``data/reference/<name>.csv`` as (``file, line N``, row), read strictly.

    Read on every call and parsed once per content, so an edited file is seen in the same process.

    Raises:
        TableError: the file is missing, malformed or lacks a column (file, line and column named).
    """
    return tuple((f"{display}, line {line}", row) for display, line, row in reference_rows(name, archive))


def reference_rows(name: str, archive: Archive | None = None) -> tuple[tuple[str, int, dict], ...]:
    """:func:`reference_table`'s rows as (file as displayed, line number, row), for a check that names the cell."""
    display = f"data/reference/{name}.csv"
    return _reference_rows(name, table_bytes(Archive.of(archive).reference / f"{name}.csv", display), display)


@lru_cache(maxsize=32)
def _reference_rows(name: str, data: bytes, display: str) -> tuple[tuple[str, int, dict], ...]:
    header, rows = parse_table(data, display)
    missing = [c for c in REFERENCE_TABLES[name] if c not in header]
    if missing:
        raise TableError([Problem(display, 1, c, "", "required column is missing") for c in missing])
    return tuple((display, line, row) for line, row in rows)


def not_mentions(archive: Archive | None = None) -> set[str]:
    """Phrases that contain a country word but name no country (matched, then dropped)."""
    phrases = {row["phrase"] for _, row in reference_table("not_mentions", archive)}
    adjectives = [row["adjective"] for _, row in reference_table("language_adjectives", archive)]
    return phrases | {f"{adj} {what}" for adj in adjectives for what in ("language", "speaking", "speakers")}


def person_nouns(archive: Archive | None = None) -> tuple[set[str], set[str]]:
    """The demonyms, and the nouns for persons after which a demonym describes them, not their state.

    "Japanese war criminals", "Chilean citizens": the finder drops such a demonym (its module docstring).

    Returns:
        The lookup keys of ``demonyms.csv``'s forms, and those of ``person_nouns.csv``'s nouns.

    Raises:
        TableError: a noun is empty or capitalised (the nouns are common nouns: a name there would hide a mention);
            every such row named.
    """
    nouns = set()
    problems = []
    for display, line, row in reference_rows("person_nouns", archive):
        if not row["noun"] or not row["noun"][0].islower():
            problems.append(Problem(display, line, "noun", row["noun"], f"noun {row['noun']!r} is not a lower-case common noun"))
        nouns.add(lookup_key(row["noun"]))
    if problems:
        raise TableError(problems)
    return {lookup_key(row["form"]) for _, row in reference_table("demonyms", archive)}, nouns


#: ``org_id``s that are not used as written acronyms ("WB" is the table's id for the World Bank Group).
ORG_IDS_NOT_ACRONYMS = {"WB"}

_ACRONYM = re.compile(r"^[A-Z][A-Za-z]{1,7}$")
_SEPARATORS = re.compile(r"[\s\-]+")


def lookup_key(surface: str) -> str:
    """The lookup form of a surface string: whitespace/hyphen runs -> one space, ’ -> '."""
    return _SEPARATORS.sub(" ", surface).replace("’", "'")


def _variants(name: str) -> set[str]:
    """Spelling variants of an organisation's name (UN/United Nations, -ization/-isation, co-operation)."""
    out = {name}
    for old, new in (
        ("United Nations", "UN"),
        ("Organization", "Organisation"),
        ("Organisation", "Organization"),
        ("Co-operation", "Cooperation"),
        ("Cooperation", "Co-operation"),
    ):
        out |= {v.replace(old, new) for v in out}
    return out


def country_names(archive: Archive | None = None) -> Mapping[str, str]:
    """Every surface form the finder reads as a country: lookup key -> ISO3 (Belarus included).

    Built from ``country_converter``'s names (obsolete entries dropped), ``EXTRA_CODES``, and the
    archive's ``data/reference/country_aliases.csv`` and ``demonyms.csv``. The mapping is the cached one, read-only: the
    loader looks a name up for every row that has one.

    Raises:
        TableError: a name table is unreadable, or a row's name already names another country (every such row named,
            from :func:`name_clashes`).
        ValueError: the package's own names clash (no row of the archive's tables is to blame).
    """
    names, clashes = _country_names(Archive.of(archive))
    if clashes:
        raise TableError(
            [Problem(c.file, c.line, c.column, c.surface, f"{c.surface!r} would name both {c.first} and {c.iso3}") for c in clashes]
        )
    return names


@dataclass(frozen=True)
class NameClash:
    """A row of a name table whose name an earlier name gives another country (``first``, given at ``first_where``)."""

    file: str
    line: int
    column: str
    surface: str
    iso3: str
    first: str
    first_where: str


def name_clashes(archive: Archive | None = None) -> tuple[NameClash, ...]:
    """Every row of ``country_aliases.csv`` and ``demonyms.csv`` whose name already names another country."""
    return _country_names(Archive.of(archive))[1]


#: The name tables :func:`country_names` reads, each with its column of names.
COUNTRY_NAME_TABLES = (("country_aliases", "name"), ("demonyms", "form"))


def _country_names(archive: Archive) -> tuple[Mapping[str, str], tuple[NameClash, ...]]:
    files = [archive.reference / f"{table}.csv" for table, _ in COUNTRY_NAME_TABLES]
    return _BUILT.get_or_build(("names", content_hash(files, archive.data)), lambda: _built_country_names(archive))


#: What is built from the name tables, by the contents of the files read (shared by the copies of an archive).
_BUILT = Recent(16)


def _built_country_names(archive: Archive) -> tuple[Mapping[str, str], tuple[NameClash, ...]]:
    """The names and clashes of :func:`country_names` (cached by :func:`_country_names` on its two tables' contents)."""
    given: dict[str, tuple[str, str]] = {}  # lookup key -> (ISO3, where it was first given)

    def add(surface: str, iso3: str, where: str) -> tuple[str, str] | None:
        """Give ``surface`` to ``iso3``; the (ISO3, where) that has it already, if another country's."""
        first = given.setdefault(lookup_key(surface.strip()), (iso3, where))
        return first if first[0] != iso3 else None

    ref = countries.reference()
    package = [
        (row[col], iso3, f"country_converter's {col}")
        for iso3, row in ref[ref["obsolete"] == ""].iterrows()
        for col in ("name_short", "name_official")
        if not (iso3 == "GUF" and row[col] == "Guiana")  # "Guiana" alone is the whole region
    ]
    package += [(info["name"], iso3, "countries.EXTRA_CODES") for iso3, info in countries.EXTRA_CODES.items()]
    for surface, iso3, where in package:
        first = add(surface, iso3, where)
        if first:  # the package's own names: no row of the archive to blame
            raise ValueError(f"{where}: {surface!r} would name both {first[0]} and {iso3}")
    clashes = []
    for table, column in COUNTRY_NAME_TABLES:
        for display, line, row in reference_rows(table, archive):
            first = add(row[column], row["iso3"], f"{display}, line {line}")
            if first:
                clashes.append(NameClash(display, line, column, row[column], row["iso3"], *first))
    return MappingProxyType(dict(sorted((key, iso3) for key, (iso3, _) in given.items()))), tuple(clashes)


def organization_names(organizations, archive: Archive | None = None) -> dict[str, tuple[tuple[str, str], ...]]:
    """Every surface form the finder reads as an organisation: lookup key -> ((org_id, part), ...).

    Args:
        organizations: the ``organizations`` table (the finder passes the archive's, ``load_table("organizations")``:
            the name tables are read by the loader too, so they load no table themselves).
        archive: the archive whose ``data/reference/org_aliases.csv`` and ``org_compounds.csv`` are read; default:
            the clone's.

    Returns:
        For a plain name one pair (org_id, the whole name); for a form of ``data/reference/org_compounds.csv`` one
        pair per organisation it names, with the part of the form that names it.

    Raises:
        TableError: every row (of ``organizations`` by its index, the CSV line :func:`load_table` gives, or of a
            reference table) whose org_id is unknown or listed twice, or whose name names another organisation.
    """
    known = set(organizations["org_id"])
    curated = Archive.of(archive).catalogue()["organizations"].display  # where datapackage.json puts the table
    listed = reference_rows("organizations", archive)
    problems = []
    for display, line, row in listed:
        if row["org_id"] in known:
            message = f"org_id {row['org_id']!r} is in organizations.csv already, or listed twice"
            problems.append(Problem(display, line, "org_id", row["org_id"], message))
        known.add(row["org_id"])
    names: dict[str, tuple[tuple[str, str], ...]] = {}

    def add(surface: str, org_id: str, cell: tuple[str, int, str, str]) -> None:
        """Give ``surface`` to ``org_id``, or record why not; ``cell``: the (file, line, column, value) it comes from."""
        if org_id not in known:
            file, line = cell[:2]
            problems.append(Problem(file, line, "org_id", org_id, f"{surface!r} -> {org_id!r}, which organizations.csv does not have"))
            return
        key = lookup_key(surface.strip())
        if key in names and names[key][0][0] != org_id:
            problems.append(Problem(*cell, f"{surface!r} would name both {names[key][0][0]} and {org_id}"))
            return
        names[key] = ((org_id, surface),)

    for line, row in zip(organizations.index, organizations.itertuples(index=False), strict=True):
        if _is_acronym(row.org_id):
            add(row.org_id, row.org_id, (curated, int(line), "org_id", row.org_id))
        own = _variants(row.name)
        for name in own | _variants(row.name_in_text):
            column = "name" if name in own else "name_in_text"
            add(name, row.org_id, (curated, int(line), column, getattr(row, column)))
    for display, line, row in listed:
        if _is_acronym(row["org_id"]):
            add(row["org_id"], row["org_id"], (display, line, "org_id", row["org_id"]))
        for name in _variants(row["name"]):
            add(name, row["org_id"], (display, line, "name", row["name"]))
    for display, line, row in reference_rows("org_aliases", archive):
        add(row["name"], row["org_id"], (display, line, "name", row["name"]))
    compounds, wrong = _org_compounds(known, archive)
    if problems or wrong:
        raise TableError(problems + wrong)
    for surface, parts in compounds.items():
        names[lookup_key(surface)] = tuple(parts)
    return names


def _org_compounds(known: set[str], archive: Archive | None) -> tuple[dict[str, list[tuple[str, str]]], list[Problem]]:
    """The forms of ``data/reference/org_compounds.csv``: form -> [(org_id, the part naming it), ...], and its bad rows."""
    compounds: dict[str, list[tuple[str, str]]] = {}
    problems = []
    for display, line, row in reference_rows("org_compounds", archive):
        if row["org_id"] not in known or row["part"] not in row["form"]:
            column = "org_id" if row["org_id"] not in known else "part"
            message = f"{row['form']!r} -> {row['org_id']!r} {row['part']!r}: unknown org_id, or the part is not in the form"
            problems.append(Problem(display, line, column, row[column], message))
            continue
        compounds.setdefault(row["form"], []).append((row["org_id"], row["part"]))
    return compounds, problems


def _is_acronym(org_id: str) -> bool:
    """An ``org_id`` that is written as it is ("OSCE", "CoE"; not "WB", not a slug such as "G-20")."""
    return bool(_ACRONYM.match(org_id)) and sum(c.isupper() for c in org_id) >= 2 and org_id not in ORG_IDS_NOT_ACRONYMS


def country_parts(archive: Archive | None = None) -> dict[str, tuple[tuple[str, str], ...]]:
    """Written forms that name countries by a part of them: lookup key -> ((ISO3, part), ...).

    From ``data/reference/country_compounds.csv`` (one form naming several countries, "SovietAmerican")
    and from ``capitals.csv`` x ``government_words.csv``: each capital in the possessive ("Washington's")
    and with each of the government words after it ("Pretoria regime") or before it ("regime in
    Pretoria"); the part reported is the capital. A bare capital is not a mention (see the README).
    """
    archive = Archive.of(archive)
    tables = ("country_compounds", "government_words", "capitals", "historical_states")  # the codes known
    files = [archive.reference / f"{name}.csv" for name in tables]
    return dict(_BUILT.get_or_build(("parts", content_hash(files, archive.data)), lambda: _country_parts(archive)))


def _country_parts(archive: Archive) -> tuple[tuple[str, tuple[tuple[str, str], ...]], ...]:
    """The forms of :func:`country_parts` (cached by it on its four tables' contents).

    Raises:
        TableError: every bad row of the three tables (one problem per row: its first bad form).
    """
    known = countries.known_iso3(archive)
    parts: dict[str, list[tuple[str, str]]] = {}
    problems = []

    def check(form: str, iso3: str, part: str, cell: tuple[str, int, str]) -> bool:
        """Whether ``iso3`` is known and ``part`` in ``form``; else a problem at ``cell`` (file, line, the part's column)."""
        if iso3 in known and lookup_key(part) in lookup_key(form):
            return True
        column, value = ("iso3", iso3) if iso3 not in known else (cell[2], part)
        message = f"{form!r} -> {iso3!r} {part!r}: unknown code, or the part is not in the form"
        problems.append(Problem(cell[0], cell[1], column, value, message))
        return False

    for display, line, row in reference_rows("country_compounds", archive):
        if not check(row["form"], row["iso3"], row["part"], (display, line, "part")):
            continue
        pair = (row["iso3"], row["part"])
        if pair not in parts.setdefault(lookup_key(row["form"]), []):
            parts[lookup_key(row["form"])].append(pair)
    words = []
    for display, line, row in reference_rows("government_words", archive):
        if row["position"] not in ("before", "after"):
            message = f"position must be 'before' or 'after', not {row['position']!r}"
            problems.append(Problem(display, line, "position", row["position"], message))
            continue
        words.append((row["words"], row["position"]))
    for display, line, row in reference_rows("capitals", archive):
        capital, iso3 = row["name"], row["iso3"]
        forms = [f"{capital}'s"] + [f"{w} {capital}" if pos == "before" else f"{capital} {w}" for w, pos in words]
        for form in forms:
            if not check(form, iso3, capital, (display, line, "name")):
                break
            key = lookup_key(form)
            if parts.get(key, [(iso3, capital)]) != [(iso3, capital)]:
                problems.append(Problem(display, line, "name", capital, f"{form!r} would name both {parts[key][0][0]} and {iso3}"))
                break
            parts[key] = [(iso3, capital)]
    if problems:
        raise TableError(problems)
    return tuple((key, tuple(pairs)) for key, pairs in sorted(parts.items()))
