"""Finding the countries, historical states and organisations an English text names.

:func:`find_mentions` returns every country, historical state and organisation named in a text,
each with its kind, its code (ISO3 for a country; the code of ``data/reference/historical_states.csv``
for a state that no longer exists, kind ``historical_state``; ``org_id`` of
``data/curated/organizations.csv`` or ``data/reference/organizations.csv`` for an organisation) and
its character span. It is one compiled regular expression, so it runs in
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
  Executive Directorate" is CTED with CTC inside it (and not UN as well). A one-word generic name
  inside an organisation's name is its own body, not reported ("Secretariat" in "OSCE Secretariat").
- ``data/reference/not_mentions.csv`` (and ``language_adjectives.csv``: "French language") lists phrases that contain a country word but name no country ("Indian
  Ocean", "Latin American", "New Mexico", "French language"); they are matched and dropped.
- Belarus is the subject of both documents, not a partner: mentions of Belarus ("Belarus",
  "Republic of Belarus", "Belarusian", "Byelorussian") are left out unless
  ``include_subject=True``, when they are reported with ``subject=True``.
- Not resolved, by design: a bare capital ("Washington is acting", "Brussels"; only the forms
  above count), anaphora ("the two countries", "the Organization", "the Commonwealth"), bare
  "America" and "Korea" (ambiguous), names in capitals only ("RUSSIA"), "Georgia" the US state
  (always read as the country), and names whose state depends on the year (the finder does not
  know it: "the Congo" is the DRC, "the United Arab Republic" Egypt, "Russian" Russia).
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
    "country_compounds": ("form", "iso3", "part", "note"),  # one written form naming several countries
    "capitals": ("name", "iso3", "note"),  # capitals read as their government, in the forms below
    "government_words": ("words", "position", "note"),  # "<capital> regime", "regime in <capital>"
    "historical_states": countries.HISTORICAL_COLUMNS,  # states that no longer exist (read by countries)
    "language_adjectives": ("adjective",),  # "<adj> language / speaking / speakers" name no country
    "not_mentions": ("phrase",),  # phrases with a country word that name no country
    "organizations": ("org_id", "name", "kind", "parent", "note"),  # organisations the curated tables lack
    "org_aliases": ("name", "org_id", "note"),  # other names of the organisations of both tables
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
#: One word, not an acronym: such a name inside an organisation's name is that organisation's own body, not reported.
_GENERIC = re.compile(r"^[A-Z][a-z]+$")
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
    listed = reference_table("organizations")
    for where, row in listed:
        if row["org_id"] in known:
            raise ValueError(f"{where}: org_id {row['org_id']!r} is in organizations.csv already, or listed twice")
        known.add(row["org_id"])
    names: dict[str, tuple[tuple[str, str], ...]] = {}

    def add(surface: str, org_id: str, source: str) -> None:
        if org_id not in known:
            raise ValueError(f"{source}: {surface!r} -> {org_id!r}, which organizations.csv does not have")
        key = _key(surface.strip())
        if key in names and names[key][0][0] != org_id:
            raise ValueError(f"{source}: {surface!r} would name both {names[key][0][0]} and {org_id}")
        names[key] = ((org_id, surface),)

    for row in organizations.itertuples(index=False):
        if _is_acronym(row.org_id):
            add(row.org_id, row.org_id, "organizations.csv org_id")
        for name in _variants(row.name) | _variants(row.name_in_text):
            add(name, row.org_id, "organizations.csv name / name_in_text")
    for where, row in listed:
        if _is_acronym(row["org_id"]):
            add(row["org_id"], row["org_id"], f"{where}, org_id")
        for name in _variants(row["name"]):
            add(name, row["org_id"], f"{where}, name")
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


def _is_acronym(org_id: str) -> bool:
    """An ``org_id`` that is written as it is ("OSCE", "CoE"; not "WB", not a slug such as "G-20")."""
    return bool(_ACRONYM.match(org_id)) and sum(c.isupper() for c in org_id) >= 2 and org_id not in ORG_IDS_NOT_ACRONYMS


def country_parts() -> dict[str, tuple[tuple[str, str], ...]]:
    """Written forms that name countries by a part of them: lookup key -> ((ISO3, part), ...).

    From ``data/reference/country_compounds.csv`` (one form naming several countries, "SovietAmerican")
    and from ``capitals.csv`` x ``government_words.csv``: each capital in the possessive ("Washington's")
    and with each of the government words after it ("Pretoria regime") or before it ("regime in
    Pretoria"); the part reported is the capital. A bare capital is not a mention (see the README).
    """
    return dict(_country_parts())


@lru_cache(maxsize=1)
def _country_parts() -> tuple[tuple[str, tuple[tuple[str, str], ...]], ...]:
    known = countries.known_iso3()
    parts: dict[str, list[tuple[str, str]]] = {}

    def check(form: str, iso3: str, part: str, where: str) -> None:
        if iso3 not in known or _key(part) not in _key(form):
            raise ValueError(f"{where}: {form!r} -> {iso3!r} {part!r}: unknown code, or the part is not in the form")

    for where, row in reference_table("country_compounds"):
        check(row["form"], row["iso3"], row["part"], where)
        pair = (row["iso3"], row["part"])
        if pair not in parts.setdefault(_key(row["form"]), []):
            parts[_key(row["form"])].append(pair)
    words = []
    for where, row in reference_table("government_words"):
        if row["position"] not in ("before", "after"):
            raise ValueError(f"{where}: position must be 'before' or 'after', not {row['position']!r}")
        words.append((row["words"], row["position"]))
    for where, row in reference_table("capitals"):
        capital, iso3 = row["name"], row["iso3"]
        forms = [f"{capital}'s"] + [f"{w} {capital}" if pos == "before" else f"{capital} {w}" for w, pos in words]
        for form in forms:
            check(form, iso3, capital, where)
            key = _key(form)
            if parts.get(key, [(iso3, capital)]) != [(iso3, capital)]:
                raise ValueError(f"{where}: {form!r} would name both {parts[key][0][0]} and {iso3}")
            parts[key] = [(iso3, capital)]
    return tuple((key, tuple(pairs)) for key, pairs in sorted(parts.items()))


@lru_cache(maxsize=None)
def _part_pattern(part: str) -> re.Pattern:
    return re.compile(_trie_regex([_key(part)]))


def _locate(surface: str, part: str) -> tuple[str, int]:
    """The words of ``surface`` that ``part`` names (same spacing rule as the finder) and their offset."""
    m = _part_pattern(part).search(surface)
    return (m.group(), m.start()) if m else (part, surface.find(part))


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
        self.country_parts = dict(_country_parts())
        self.organizations = organization_names(organizations)
        self.blocked = {_key(p) for p in not_mentions()}
        self.historical = set(countries.historical_states())
        clash = sorted(set(self.countries) & set(self.organizations))
        if clash:
            raise ValueError(f"names read both as a country and as an organisation: {clash}")
        clash = sorted(set(self.country_parts) & (set(self.countries) | set(self.organizations)))
        if clash:
            raise ValueError(f"compound or capital forms that are also names: {clash}")
        keys = set(self.countries) | set(self.country_parts) | set(self.organizations) | self.blocked
        self.pattern = re.compile(r"\b(?:" + _trie_regex(keys) + r")(?!\w)")
        self._inside: dict[str, tuple] = {}

    def resolve(self, surface: str, include_subject: bool) -> list[tuple]:
        """The mentions one matched surface string stands for: (kind, code, text, offset) tuples."""
        key = _key(surface)
        if key in self.blocked:
            return []
        iso3 = self.countries.get(key)
        if iso3 is not None:
            return [(self.kind(iso3), iso3, surface, 0)] if include_subject or iso3 != SUBJECT else []
        if key in self.country_parts:
            return [
                (self.kind(code), code, *_locate(surface, part))
                for code, part in self.country_parts[key]
                if include_subject or code != SUBJECT
            ]
        parts = self.organizations[key]
        if len(parts) == 1 and _key(parts[0][1]) == key:
            return [("organization", parts[0][0], surface, 0)]
        return [("organization", org_id, *_locate(surface, part)) for org_id, part in parts]

    def kind(self, code: str) -> str:
        """``historical_state`` for a code of ``historical_states.csv``, else ``country``."""
        return "historical_state" if code in self.historical else "country"

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
                if key in self.countries or key in self.country_parts or key in self.organizations or key in self.blocked:
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
                        if kind == "organization" and _GENERIC.match(part):  # "Secretariat" in "OSCE Secretariat"
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


# --------------------------------------------------------------------------------------------
# Gold files of mentions (data/gold/) and the statements' texts
# --------------------------------------------------------------------------------------------

#: The kinds of mention, in report order.
KINDS = ("country", "historical_state", "organization")
#: The columns a gold file must have (it may have more: ``name_in_text``, ``quote``, ``note`` ...).
GOLD_COLUMNS = ("doc_id", "kind", "code")


def read_gold(path) -> list[dict]:
    """The rows of a gold file of mentions (``data/gold/*.csv``), read strictly.

    One row per (statement, kind, code) a person found by hand; further rows for the same triple
    (another quote) are allowed and count once.

    Raises:
        TableError: the file is missing or malformed, lacks a column of :data:`GOLD_COLUMNS`, or a
            row has an empty value there or a kind not in :data:`KINDS` (file, line, column named).
    """
    from pathlib import Path

    from ..errors import Problem, TableError
    from .reading import read_csv_rows

    path = Path(path)
    header, rows = read_csv_rows(path, path.name)
    problems = [Problem(path.name, 1, c, "", "required column is missing") for c in GOLD_COLUMNS if c not in header]
    for line, row in rows if not problems else ():
        for col in GOLD_COLUMNS:
            if not row[col]:
                problems.append(Problem(path.name, line, col, "", "empty"))
        if row["kind"] and row["kind"] not in KINDS:
            problems.append(Problem(path.name, line, "kind", row["kind"], f"not one of {', '.join(KINDS)}"))
    if problems:
        raise TableError(problems)
    return [dict(row) for _, row in rows]


def corpus_texts(doc_ids, texts_dir=None) -> dict[str, str]:
    """The texts of UN statements by doc_id (``ungd-<year>``): from the archive, or from a folder of the corpus's files.

    Args:
        doc_ids: the statements wanted.
        texts_dir: a folder of ``BLR_<session>_<year>.txt`` files (the corpus as distributed); by
            default each text is read from the archive (``belarus_fp.archive.sources.load_text``).
    """
    from pathlib import Path

    if texts_dir is None:
        from . import sources

        return {d: sources.load_text(d) for d in doc_ids}
    by_year = {p.stem.rsplit("_", 1)[-1]: p for p in Path(texts_dir).glob("BLR_*_*.txt")}
    out = {}
    for d in doc_ids:
        year = d.rsplit("-", 1)[-1]
        if year not in by_year:
            raise KeyError(f"{d}: no BLR_*_{year}.txt in {texts_dir}")
        out[d] = by_year[year].read_text(encoding="utf-8-sig")
    return out
