"""Finding the countries and organisations an English text names.

:func:`find_mentions` returns every country and organisation named in a text, each with its
code (ISO3 for a country, ``org_id`` of ``data/curated/organizations.csv`` for an
organisation) and its character span. It is one compiled regular expression, so it runs in
time linear in the length of the text (a few MB per second).

Where the names come from
-------------------------
- Countries: ``name_short`` and ``name_official`` of ``country_converter``'s data file (read
  with ``keep_default_na=False`` by :func:`belarus_fp.archive.countries.reference`; obsolete entries
  such as the Soviet Union are left out), the territories of
  :data:`belarus_fp.archive.countries.EXTRA_CODES` (Abkhazia, Kosovo), plus two documented tables in
  ``data/reference/`` (:data:`REFERENCE_TABLES`): ``country_aliases.csv`` (other names and the documents' spellings: "Columbia",
  "UAE", "Sri-Lanka", "Republic of South Africa", "Turkey", "U.S." ...) and ``demonyms.csv``
  (adjectives and nationality nouns that name a country: "Turkmen youth", "the Latvian
  colleagues", "Belarusian-Polish"). ``country_converter``'s own regular expressions are not
  used: they are written for matching a whole cell, not for searching a sentence.
- Organisations: each row of ``organizations.csv`` gives its ``name``, its ``name_in_text``
  (the document's own wording, e.g. "ECOSOS", "Bureau for Democratic Institutions and Human
  Rights") and its ``org_id`` when that is an acronym (``OSCE``, ``CoE``; not a slug such as
  ``Union-State``), each also with "United Nations" shortened to "UN" and with the
  "Organization"/"Organisation" and "Cooperation"/"Co-operation" spellings; plus
  ``data/reference/org_aliases.csv`` (other usual names) and ``org_compounds.csv`` (one written form naming
  several organisations, "CU/EEA", or a document typo such as "CSTOMember").

Matching rules
--------------
- Case-sensitive (names are proper nouns: "Turkey" is a country, "turkey" is not). A space in
  a name matches any run of whitespace or a hyphen ("Sri-Lanka", "Guinea Bissau"); ``'`` and
  ``’`` are the same.
- A mention is a whole word: it may not start or end inside a word ("Niger" is not found in
  "Nigeria", "UN" not in "UNICEF"); a hyphen is a boundary ("Belarusian-Polish" names both).
- At a given place the longest name wins ("Equatorial Guinea" is not Guinea, "South Sudan" is
  not Sudan, "Council of Europe" is an organisation), and mentions do not overlap, with one
  exception: the names inside an organisation's name are reported too, flagged ``inside=True``,
  with spans inside the organisation's span: countries ("Belarus – Poland – Ukraine" programme,
  "Belarusian-Lithuanian Economic Forum") and organisations ("UN Security Council" is UNSC, and
  inside it UN). One level deep, by the same longest-first rule: "UN Counter-Terrorism Committee
  Executive Directorate" is CTED with CTC inside it (and not UN as well).
- ``data/reference/not_mentions.csv`` (and ``language_adjectives.csv``: "French language") lists phrases that contain a country word but name no country ("Indian
  Ocean", "Latin American", "New Mexico", "French language"); they are matched and dropped.
- Belarus is the subject of both documents, not a partner: mentions of Belarus ("Belarus",
  "Republic of Belarus", "Belarusian", "Byelorussian") are left out unless
  ``include_subject=True``, when they are reported with ``subject=True``.
- Not resolved, by design: capitals used for their country ("Official Minsk", "Brussels"),
  anaphora ("the two countries", "the Organization", "the Commonwealth"), bare "America",
  "Korea", "Congo" (ambiguous), names in capitals only ("RUSSIA"), and "Georgia" the US state
  (always read as the country).
"""

from __future__ import annotations

import re
from functools import lru_cache

from . import countries

SUBJECT = "BLR"
COLUMNS = ["kind", "code", "text", "start", "end", "subject", "inside"]

#: The finder's name tables, in ``data/reference/`` (provenance in its README): file -> its columns.
REFERENCE_TABLES = {
    "country_aliases": ("name", "iso3", "source", "note"),  # other names, the documents' spellings
    "demonyms": ("form", "iso3"),  # adjectives and nationality nouns that name one country
    "language_adjectives": ("adjective",),  # "<adj> language / speaking / speakers" name no country
    "not_mentions": ("phrase",),  # phrases with a country word that name no country
    "org_aliases": ("name", "org_id", "note"),  # other names of organizations.csv's organisations
    "org_compounds": ("form", "org_id", "part", "note"),  # one form naming several organisations, or a typo
}


@lru_cache(maxsize=None)
def reference_table(name: str) -> tuple[tuple[str, dict], ...]:
    """The rows of ``data/reference/<name>.csv`` as (``file, line N``, row), read strictly.

    Raises:
        TableError: the file is missing, malformed or lacks a column (file, line and column named).
    """
    from .. import paths
    from ..errors import Problem, TableError
    from .reading import read_csv_rows

    display = f"data/reference/{name}.csv"
    header, rows = read_csv_rows(paths.DATA / "reference" / f"{name}.csv", display)
    missing = [c for c in REFERENCE_TABLES[name] if c not in header]
    if missing:
        raise TableError([Problem(display, 1, c, "", "required column is missing") for c in missing])
    return tuple((f"{display}, line {line}", row) for line, row in rows)


def not_mentions() -> set[str]:
    """Phrases that contain a country word but name no country (matched, then dropped)."""
    phrases = {row["phrase"] for _, row in reference_table("not_mentions")}
    adjectives = [row["adjective"] for _, row in reference_table("language_adjectives")]
    return phrases | {f"{adj} {what}" for adj in adjectives for what in ("language", "speaking", "speakers")}


#: ``org_id``s that are not used as written acronyms ("WB" is the table's id for the World Bank Group).
ORG_IDS_NOT_ACRONYMS = {"WB"}

_ACRONYM = re.compile(r"^[A-Z][A-Za-z]{1,7}$")
_SEPARATORS = re.compile(r"[\s\-]+")


def _key(surface: str) -> str:
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


def country_names() -> dict[str, str]:
    """Every surface form the finder reads as a country: lookup key -> ISO3 (Belarus included).

    Built from ``country_converter``'s names (obsolete entries dropped), ``EXTRA_CODES``,
    ``data/reference/country_aliases.csv`` and ``demonyms.csv``. A name claimed by two countries is an error.
    """
    return dict(_country_names())


@lru_cache(maxsize=1)
def _country_names() -> tuple[tuple[str, str], ...]:
    names: dict[str, str] = {}

    def add(surface: str, iso3: str, source: str) -> None:
        key = _key(surface.strip())
        if names.get(key, iso3) != iso3:
            raise ValueError(f"{source}: {surface!r} would name both {names[key]} and {iso3}")
        names[key] = iso3

    ref = countries.reference()
    for iso3, row in ref[ref["obsolete"] == ""].iterrows():
        for col in ("name_short", "name_official"):
            if iso3 == "GUF" and row[col] == "Guiana":  # "Guiana" alone is the whole region
                continue
            add(row[col], iso3, f"country_converter {col}")
    for iso3, info in countries.EXTRA_CODES.items():
        add(info["name"], iso3, "countries.EXTRA_CODES")
    for where, row in reference_table("country_aliases"):
        add(row["name"], row["iso3"], where)
    for where, row in reference_table("demonyms"):
        add(row["form"], row["iso3"], where)
    return tuple(sorted(names.items()))


def organization_names(organizations=None) -> dict[str, tuple[tuple[str, str], ...]]:
    """Every surface form the finder reads as an organisation: lookup key -> ((org_id, part), ...).

    Args:
        organizations: the ``organizations`` table; defaults to ``load_table("organizations")``.

    Returns:
        For a plain name one pair (org_id, the whole name); for a form of ``data/reference/org_compounds.csv`` one
        pair per organisation it names, with the part of the form that names it.
    """
    if organizations is None:
        from .tables import load_table

        organizations = load_table("organizations")
    known = set(organizations["org_id"])
    names: dict[str, tuple[tuple[str, str], ...]] = {}

    def add(surface: str, org_id: str, source: str) -> None:
        if org_id not in known:
            raise ValueError(f"{source}: {surface!r} -> {org_id!r}, which organizations.csv does not have")
        key = _key(surface.strip())
        if key in names and names[key][0][0] != org_id:
            raise ValueError(f"{source}: {surface!r} would name both {names[key][0][0]} and {org_id}")
        names[key] = ((org_id, surface),)

    for row in organizations.itertuples(index=False):
        if _ACRONYM.match(row.org_id) and sum(c.isupper() for c in row.org_id) >= 2 and row.org_id not in ORG_IDS_NOT_ACRONYMS:
            add(row.org_id, row.org_id, "organizations.csv org_id")
        for name in _variants(row.name) | _variants(row.name_in_text):
            add(name, row.org_id, "organizations.csv name / name_in_text")
    for where, row in reference_table("org_aliases"):
        add(row["name"], row["org_id"], where)
    compounds: dict[str, list[tuple[str, str]]] = {}
    for where, row in reference_table("org_compounds"):
        if row["org_id"] not in known or row["part"] not in row["form"]:
            raise ValueError(
                f"{where}: {row['form']!r} -> {row['org_id']!r} {row['part']!r}: unknown org_id, or the part is not in the form"
            )
        compounds.setdefault(row["form"], []).append((row["org_id"], row["part"]))
    for surface, parts in compounds.items():
        names[_key(surface)] = tuple(parts)
    return names


def _trie_regex(keys) -> str:
    """A regular expression matching exactly ``keys``, longest first, factored as a trie.

    A trie keeps the work per text position small (only the branch of the next character is
    tried), where a flat alternation of a thousand names would try each name in turn.
    """
    trie: dict = {}
    for key in keys:
        node = trie
        for ch in key:
            node = node.setdefault(ch, {})
        node[""] = True

    def emit(node: dict) -> str:
        end = "" in node
        branches = []
        for ch in sorted(k for k in node if k):
            if ch == " ":
                atom = r"[\s\-]+"
            elif ch == "'":
                atom = "['’]"
            else:
                atom = re.escape(ch)
            branches.append(atom + emit(node[ch]))
        if not branches:
            return ""
        body = branches[0] if len(branches) == 1 else "(?:" + "|".join(branches) + ")"
        if end:  # a key ends here: the longer continuations are tried first (greedy), then this
            return f"(?:{body})?" if len(branches) == 1 else body + "?"
        return body

    return emit(trie)


class _Finder:
    """The compiled pattern and lookup tables (built once per organisations table)."""

    def __init__(self, organizations=None):
        self.countries = dict(_country_names())
        self.organizations = organization_names(organizations)
        self.blocked = {_key(p) for p in not_mentions()}
        clash = sorted(set(self.countries) & set(self.organizations))
        if clash:
            raise ValueError(f"names read both as a country and as an organisation: {clash}")
        keys = set(self.countries) | set(self.organizations) | self.blocked
        self.pattern = re.compile(r"\b(?:" + _trie_regex(keys) + r")(?!\w)")
        self._inside: dict[str, tuple] = {}

    def resolve(self, surface: str, include_subject: bool) -> list[tuple]:
        """The mentions one matched surface string stands for: (kind, code, text, offset) tuples."""
        key = _key(surface)
        if key in self.blocked:
            return []
        iso3 = self.countries.get(key)
        if iso3 is not None:
            return [("country", iso3, surface, 0)] if include_subject or iso3 != SUBJECT else []
        parts = self.organizations[key]
        if len(parts) == 1 and _key(parts[0][1]) == key:
            return [("organization", parts[0][0], surface, 0)]
        return [("organization", org_id, part, surface.find(part)) for org_id, part in parts]

    def inside(self, surface: str) -> tuple:
        """Names inside an organisation's name (one level, longest first, no overlaps), cached per name."""
        if surface in self._inside:
            return self._inside[surface]
        n = len(surface)
        word = [ch.isalnum() or ch == "_" for ch in surface]
        starts = [i for i in range(n) if word[i] and (i == 0 or not word[i - 1])]
        ends = [j for j in range(1, n + 1) if j == n or not word[j]]
        found, pos = [], 0
        for i in starts:
            if i < pos:
                continue
            for j in reversed(ends):
                if j <= i or (i == 0 and j == n):
                    continue
                key = _key(surface[i:j])
                if key in self.countries or key in self.organizations or key in self.blocked:
                    found.append((surface[i:j], i))
                    pos = j
                    break
        self._inside[surface] = tuple(found)
        return self._inside[surface]

    def scan(self, text: str, include_subject: bool) -> list[tuple]:
        """Every mention in ``text`` as (kind, code, text, start, end, subject, inside) tuples."""
        rows: list[tuple] = []
        for m in self.pattern.finditer(text):
            surface, start = m.group(), m.start()
            resolved = self.resolve(surface, include_subject)
            for kind, code, part, offset in resolved:
                rows.append((kind, code, part, start + offset, start + offset + len(part), code == SUBJECT, False))
            if len(resolved) == 1 and resolved[0][0] == "organization":
                _, outer_code, outer_text, outer_offset = resolved[0]
                for inner, at in self.inside(outer_text):
                    for kind, code, part, offset in self.resolve(inner, include_subject):
                        if code == outer_code:  # another name of the same organisation
                            continue
                        s0 = start + outer_offset + at + offset
                        rows.append((kind, code, part, s0, s0 + len(part), code == SUBJECT, True))
        return rows


@lru_cache(maxsize=1)
def _default_finder() -> _Finder:
    return _Finder()


def find_mentions(text: str, include_subject: bool = False, organizations=None):
    """The countries and organisations a text names, with their codes and character spans.

    Args:
        text: any English text.
        include_subject: also report mentions of Belarus (the documents' subject), flagged
            ``subject=True``; by default they are left out.
        organizations: an ``organizations`` table to take organisation names from; defaults to
            the curated ``data/curated/organizations.csv``.

    Returns:
        A DataFrame with columns ``kind`` (``"country"`` or ``"organization"``), ``code`` (ISO3
        or ``org_id``), ``text`` (the words as written), ``start`` and ``end`` (``text[start:end]``
        is the mention), ``subject`` (True only for Belarus) and ``inside`` (True for a name
        inside a longer organisation's name); sorted by ``start`` (an organisation before the
        names inside it), one row per mention.
    """
    finder = _default_finder() if organizations is None else _Finder(organizations)
    return _frame(_sorted_rows(finder, text, include_subject))


def _sorted_rows(finder: _Finder, text: str, include_subject: bool) -> list[tuple]:
    """The finder's rows in reading order: by start, a longer span first, an organisation before the names inside it."""
    rows = finder.scan(text, include_subject)
    rows.sort(key=lambda r: (r[3], -r[4], r[0] != "organization", r[1]))
    return rows


#: The dtype of each column of a mentions frame, in order (``COLUMNS``).
DTYPES = {"kind": "str", "code": "str", "text": "str", "start": "int64", "end": "int64", "subject": "bool", "inside": "bool"}


def _frame(rows: list[tuple], **leading):
    """The typed mentions frame of ``rows``; ``leading`` columns (``doc_id``, ``paragraph``: name -> list) go first.

    Built column by column with its dtype (an empty frame keeps them too): one ``astype`` per
    paragraph cost more than the scan itself.
    """
    import pandas as pd

    columns = list(zip(*rows)) if rows else [()] * len(COLUMNS)
    data = {name: pd.array(values, dtype="str" if name == "doc_id" else "int64") for name, values in leading.items()}
    data.update({name: pd.array(list(values), dtype=DTYPES[name]) for name, values in zip(COLUMNS, columns)})
    return pd.DataFrame(data)
