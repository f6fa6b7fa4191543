"""Finding the countries, historical states and organisations an English text names.

:func:`find_mentions` returns every country, historical state and organisation named in a text,
each with its kind, its code in the column every table names it by (:data:`ID_COLUMNS`: ``iso3`` for a
country, ISO3, and for a state that no longer exists, kind ``historical_state``, its code of
``data/reference/historical_states.csv``; ``org_id`` of ``data/curated/organizations.csv`` or
``data/reference/organizations.csv`` for an organisation) and its character span. It is one compiled regular expression, so it runs in
time linear in the length of the text (a few MB per second).

The names come from :mod:`belarus_fp.archive.name_tables` (the tables of ``data/reference/`` and the
organisations); this module matches them.

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
  Ocean", "Latin American", "New Mexico", "French language", "the Uruguay Round" of the GATT, the currency codes "$US" and
  "US$"); they are matched and dropped. A currency sign is not part of a word, so "US$235" is the code "US$" followed by a
  number, and "$US" starts at the sign.
- A demonym (``demonyms.csv``) directly before a noun for persons of ``data/reference/person_nouns.csv``
  describes those persons, not their state, and is dropped ("Japanese war criminals", "Chilean citizens"); it
  still counts before any other word ("the Japanese Government", "Danish exports", "the Polish delegation").
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
from functools import cache
from pathlib import Path

from ..errors import Problem
from . import countries
from .catalogue import DATAPACKAGE
from .folders import Archive
from .name_tables import REFERENCE_TABLES, country_names, country_parts, lookup_key, not_mentions, organization_names, person_nouns
from .reading import Recent, content_hash
from .tables import load_table, shared_table

SUBJECT = "BLR"
#: The kinds of mention, in report order.
KINDS = ("country", "historical_state", "organization")
#: The column holding a mention's id, per kind, named as every table names that id: a state's code in ``iso3``
#: (as ``bilateral``, whose ``iso3`` may hold a historical state's too; ``countries.name`` and ``countries.vector``
#: take either): ISO 3166-1 alpha-3 for a country, the code of ``data/reference/historical_states.csv`` (ISO
#: 3166-3's alpha-3 where it has one) for a historical state; an organisation's ``org_id`` (as ``multilateral``)
#: in ``org_id``. A row fills its kind's column; the other is empty.
ID_COLUMNS = {"country": "iso3", "historical_state": "iso3", "organization": "org_id"}
#: The id columns, in order (each once).
ID_FIELDS = tuple(dict.fromkeys(ID_COLUMNS.values()))
#: The columns of a mentions frame (:func:`find_mentions`), in order.
COLUMNS = ["kind", *ID_FIELDS, "text", "start", "end", "subject", "inside"]
#: One word, not an acronym: such a name inside an organisation's name is that organisation's own body, not reported.
_GENERIC = re.compile(r"^[A-Z][a-z]+$")


@cache
def _part_pattern(part: str) -> re.Pattern:
    return re.compile(_trie_regex([lookup_key(part)]))


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
    """The compiled pattern and lookup tables of one archive's name tables and organisations."""

    def __init__(self, organizations=None, archive: Archive | None = None):
        self.countries = country_names(archive)
        self.country_parts = country_parts(archive)
        if organizations is None:
            organizations = load_table("organizations", archive=archive)
        self.organizations = organization_names(organizations, archive)
        self.blocked = {lookup_key(p) for p in not_mentions(archive)}
        self.historical = set(countries.historical_states(archive))
        clash = sorted(set(self.countries) & set(self.organizations))
        if clash:
            raise ValueError(f"names read both as a country and as an organisation: {clash}")
        clash = sorted(set(self.country_parts) & (set(self.countries) | set(self.organizations)))
        if clash:
            raise ValueError(f"compound or capital forms that are also names: {clash}")
        keys = set(self.countries) | set(self.country_parts) | set(self.organizations) | self.blocked
        # not inside a word; a name may start or end with a sign that is no word character ("$US", "US$235")
        self.pattern = re.compile(r"(?<!\w)(?:" + _trie_regex(keys) + r")(?:(?!\w)|(?<=\$))")
        self.demonyms, nouns = person_nouns(archive)
        self.persons = re.compile(r"[\s\-]+(?:" + _trie_regex(nouns) + r")(?!\w)")  # after a demonym: persons
        self._inside: dict[str, tuple] = {}

    def resolve(self, surface: str, include_subject: bool) -> list[tuple]:
        """The mentions one matched surface string stands for: (kind, code, text, offset) tuples."""
        key = lookup_key(surface)
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
        if len(parts) == 1 and lookup_key(parts[0][1]) == key:
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
                key = lookup_key(surface[i:j])
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
            if lookup_key(surface) in self.demonyms and self.persons.match(text, m.end()):  # "Japanese war criminals"
                continue
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


def finder_inputs(archive: Archive) -> list[Path]:
    """The files a finder is built from: the name tables, the organisations table and the descriptor.

    The descriptor says where the organisations table is and how it is typed.
    """
    organizations = archive.curated / archive.catalogue()["organizations"].path
    return [*(archive.reference / f"{name}.csv" for name in REFERENCE_TABLES), archive.curated / DATAPACKAGE, organizations]


def archive_finder(archive: Archive | None = None) -> _Finder:
    """The finder of an archive's name tables and organisations, built once per content of those files.

    Shared by every copy of an archive with the same files (their paths inside ``data/`` and bytes). The
    organisations table is loaded (validated) the first time an archive asks with those contents: a copy whose
    table fails is refused.
    """
    archive = Archive.of(archive)
    contents = content_hash(finder_inputs(archive), archive.data)
    finder = _GIVEN.get((archive, contents))
    if finder is None:
        shared_table("organizations", archive=archive)
        finder = _FINDERS.get_or_build(contents, lambda: _Finder(archive=archive))
        _GIVEN.put((archive, contents), finder)
    return finder


#: The finders built, by the contents of their files (:func:`finder_inputs`).
_FINDERS = Recent(4)
#: The finder each archive was given, by archive and contents (its organisations validated then).
_GIVEN = Recent(64)


def find_mentions(text: str, include_subject: bool = False, organizations=None, archive: Archive | None = None):
    """The countries and organisations a text names, with their codes and character spans.

    Args:
        text: any English text.
        include_subject: also report mentions of Belarus (the documents' subject), flagged
            ``subject=True``; by default they are left out.
        organizations: an ``organizations`` table to take organisation names from; defaults to
            the archive's ``data/curated/organizations.csv``.
        archive: the archive whose name tables (``data/reference/``) and organisations are used;
            default: the clone's. An edited file is read again (the finder is cached on the files' contents).

    Returns:
        A DataFrame with columns ``kind`` (``"country"``, ``"historical_state"`` or ``"organization"``),
        the id in its kind's column (:data:`ID_COLUMNS`: ``iso3`` for a country or historical state,
        ``org_id`` for an organisation; the other empty), ``text`` (the words as written), ``start`` and ``end`` (``text[start:end]``
        is the mention), ``subject`` (True only for Belarus) and ``inside`` (True for a name
        inside a longer organisation's name); sorted by ``start`` (an organisation before the
        names inside it), one row per mention.
    """
    finder = archive_finder(archive) if organizations is None else _Finder(organizations, archive)
    return _frame(_sorted_rows(finder, text, include_subject))


def _sorted_rows(finder: _Finder, text: str, include_subject: bool) -> list[tuple]:
    """The finder's rows in reading order: by start, a longer span first, an organisation before the names inside it."""
    rows = finder.scan(text, include_subject)
    rows.sort(key=lambda r: (r[3], -r[4], r[0] != "organization", r[1]))
    return rows


#: The dtype of each column of a mentions frame, in order (``COLUMNS``).
MENTION_DTYPES = {
    "kind": "str",
    **dict.fromkeys(ID_FIELDS, "str"),
    "text": "str",
    "start": "int64",
    "end": "int64",
    "subject": "bool",
    "inside": "bool",
}


def ids(frame):
    """Each row's id, from the column of its kind (:data:`ID_COLUMNS`): a state's ``iso3`` or an ``org_id``.

    For going through mentions of every kind at once (a set of (kind, id) pairs, a row's key); a row
    of an unknown kind gets an empty id.

    Args:
        frame: a frame with ``kind`` and the id columns (a mentions frame, the derived table, a gold file's rows).

    Returns:
        A Series of strings on ``frame``'s index.
    """
    import pandas as pd

    out = pd.Series("", index=frame.index, dtype="str")
    for kind, column in ID_COLUMNS.items():
        out = out.mask(frame["kind"] == kind, frame[column])
    return out


def _frame(rows: list[tuple], **leading):
    """The typed mentions frame of ``rows``; ``leading`` columns (``doc_id``, ``paragraph``: name -> list) go first.

    Built column by column with its dtype (an empty frame keeps them too): one ``astype`` per
    paragraph cost more than the scan itself.
    """
    import pandas as pd

    kinds, codes, *rest = list(zip(*rows, strict=True)) if rows else [()] * 7
    data = {name: pd.array(values, dtype="str" if name == "doc_id" else "int64") for name, values in leading.items()}
    data["kind"] = pd.array(list(kinds), dtype="str")
    for column in ID_FIELDS:
        data[column] = pd.array([code if ID_COLUMNS[k] == column else "" for k, code in zip(kinds, codes, strict=True)], dtype="str")
    data.update(
        {name: pd.array(list(values), dtype=MENTION_DTYPES[name]) for name, values in zip(COLUMNS[1 + len(ID_FIELDS) :], rest, strict=True)}
    )
    return pd.DataFrame(data)


def id_problems(row, line: int, display: str) -> list[Problem]:
    """A row's kind is one of :data:`ID_COLUMNS` and its id is in that kind's column, the other id columns empty."""
    kind = row["kind"]
    if kind not in ID_COLUMNS:
        return [Problem(display, line, "kind", kind, f"not one of {', '.join(ID_COLUMNS)}")]
    problems = []
    for column in ID_FIELDS:
        if column == ID_COLUMNS[kind] and not row[column]:
            problems.append(Problem(display, line, column, "", f"empty: a mention of kind {kind} has its id here"))
        elif column != ID_COLUMNS[kind] and row[column]:
            problems.append(
                Problem(display, line, column, row[column], f"not empty: a mention of kind {kind} has its id in {ID_COLUMNS[kind]}")
            )
    return problems
