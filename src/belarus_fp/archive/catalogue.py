"""The curated tables as ``data/curated/datapackage.json`` describes them: the one list of tables.

Which tables there are (``resources``, in order), their columns (``schema.fields``), primary keys
(``primaryKey``), the keys they refer to (``foreignKeys``) and the properties of this repository that
Frictionless allows beside its own (``data/curated/README.md``, "The data package"):

- a field's ``refersTo``: each value is a value of another table's column (``"organizations.org_id"``) or a
  country code (``"countries"``: ISO 3166-1 alpha-3, the documented X codes, the historical states), the
  references a ``foreignKeys`` entry cannot state (a subject that is an ISO3 code, an org_id or a
  group_id); with ``separator``, each item of the cell (``RUS;UKR``) is one;
- a field's ``vocabulary``: the closed vocabulary of :mod:`belarus_fp.archive.vocabulary` (or ``doc_id``,
  the manifest's documents) its ``constraints.enum`` is generated from; ``documentPrefix``: the id starts
  with its document's ``id_prefix`` (``r13-``), the prefixes of its ``pattern`` generated from the manifest;
- a resource's ``mayBeEmpty``: an archive may hold no rows of it.

:meth:`belarus_fp.archive.Archive.catalogue` reads it, checked, once per version of the file (cached on
its bytes); everything else (the loader, the key checks, ``cite``, the vocabulary's enums) derives from it.
Plain Python: no pandas.
"""

from __future__ import annotations

import difflib
from dataclasses import dataclass, field
from pathlib import Path

from ..errors import Problem, TableError
from .reading import Recent, parsed_once, read_json, read_json_bytes

DATAPACKAGE = "datapackage.json"
#: What a ``refersTo`` may name besides a table: the country codes (``countries.known_iso3``).
COUNTRIES = "countries"
#: The field types the loader reads.
TYPES = ("string", "number", "integer")
#: Longest ``pattern`` a field of datapackage.json may have (the id patterns list every document's prefix:
#: about 8 characters a document, so this leaves room for 500 documents).
MAX_PATTERN = 4000


@dataclass(frozen=True)
class Reference:
    """A column whose values (each item, with ``separator``) are values of one of ``targets``.

    ``targets``: (table, column) pairs, or ``(COUNTRIES, "")`` for the country codes.
    """

    column: str
    targets: tuple[tuple[str, str], ...]
    separator: str = ""


@dataclass(frozen=True)
class Table:
    """One table of the catalogue: its resource of datapackage.json and what derives from it."""

    name: str
    path: str
    columns: tuple[str, ...]
    key: tuple[str, ...]
    references: tuple[Reference, ...]
    #: column -> its vocabulary (``vocabulary`` of the field).
    vocabularies: dict = field(hash=False, compare=False)
    #: the id columns that start with their document's prefix (``documentPrefix``).
    prefixed: tuple[str, ...] = ()
    may_be_empty: bool = False
    resource: dict = field(default_factory=dict, hash=False, compare=False, repr=False)

    @property
    def display(self) -> str:
        """``data/curated/facts.csv``: how a problem names the table's file."""
        return f"data/curated/{self.path}"

    @property
    def refers_to(self) -> frozenset:
        """The other tables whose keys its rows refer to."""
        return frozenset(t for ref in self.references for t, _ in ref.targets if t not in (self.name, COUNTRIES))

    @property
    def country_column(self) -> str | None:
        """The column holding the one country a row is about (``iso3``; a ``subject`` that may be one), or None."""
        return next((r.column for r in self.references if (COUNTRIES, "") in r.targets and not r.separator), None)


@dataclass(frozen=True)
class Catalogue:
    """Every table of an archive, in the order of datapackage.json's resources."""

    package: dict = field(hash=False, compare=False, repr=False)
    tables: dict = field(hash=False, compare=False)

    @property
    def names(self) -> tuple[str, ...]:
        """The tables' names, in order."""
        return tuple(self.tables)

    def __contains__(self, name) -> bool:
        return name in self.tables

    def __getitem__(self, name: str) -> Table:
        try:
            return self.tables[name]
        except (KeyError, TypeError):
            raise ValueError(self.unknown(name)) from None

    def unknown(self, name) -> str:
        """The message for a name that is no table: the tables, and the nearest name."""
        near = difflib.get_close_matches(str(name), self.names, n=1)
        hint = f" (did you mean {near[0]!r}?)" if near else ""
        return f"no table {name!r}{hint}; the tables are: {', '.join(self.names)}"

    def needed(self, name: str) -> frozenset:
        """The table and every table its keys refer to, directly or through another: what loading it validates."""
        found, todo = set(), [name]
        while todo:
            current = todo.pop()
            if current not in found:
                found.add(current)
                todo.extend(self[current].refers_to)
        return frozenset(found)


def catalogue(curated: Path, display: str) -> Catalogue:
    """The catalogue of the ``curated/`` folder's datapackage.json (``display``: how problems name it)."""
    if not curated.is_dir():
        folder = str(curated.parent)
        raise TableError([Problem(folder, 0, "(folder)", "", "not a data folder: it has no curated/ folder (data_dir is a clone's data/)")])
    path = curated / DATAPACKAGE
    if not path.is_file():
        read_json(path, display)  # the loader's error for a missing file
    return parsed_once(_CATALOGUES, path, lambda data: _catalogue(data, display), display)


#: (sha256 of a descriptor's bytes, its display name) -> its catalogue: the same for every copy of an archive.
_CATALOGUES = Recent(8)


def _catalogue(data: bytes, display: str) -> Catalogue:
    """The catalogue of a descriptor's bytes: the same for every copy of an archive (its folder plays no part)."""
    package = read_json_bytes(data, display)
    resources = package.get("resources") if isinstance(package, dict) else None
    if not isinstance(resources, list):
        raise TableError([Problem(display, 0, "(file)", "", "no 'resources' list: not a data package descriptor")])
    problems: list[str] = []
    tables = {}
    for i, res in enumerate(resources):
        fields = res.get("schema", {}).get("fields") if isinstance(res, dict) else None
        if not (
            isinstance(res, dict) and isinstance(res.get("name"), str) and isinstance(res.get("path"), str) and isinstance(fields, list)
        ):
            problems.append(f"resources[{i}] lacks a name, a path or schema.fields")
            continue
        found = _field_problems(res)
        problems += found
        if not found:
            tables[res["name"]] = _table(res)
    names = set(tables)
    for table in tables.values():
        for ref in table.references:
            problems += [
                f"{table.name}.{ref.column}: refers to {t}.{c}, no column of a table of datapackage.json"
                for t, c in ref.targets
                if t != COUNTRIES and (t not in names or c not in tables[t].columns)
            ]
    if problems:
        raise TableError([Problem(display, 0, "(file)", "", message) for message in problems])
    return Catalogue(package, tables)


def _field_problems(res: dict) -> list[str]:
    problems = []
    names = {f.get("name") for f in res["schema"]["fields"] if isinstance(f, dict)}
    for item in res["schema"]["fields"]:
        if not isinstance(item, dict) or not isinstance(item.get("name"), str) or item.get("type") not in TYPES:
            problems.append(f"resource {res['name']!r}: field {item!r} needs a name and a type string, number or integer")
            continue
        constraints = item.get("constraints")
        pattern = constraints.get("pattern") if isinstance(constraints, dict) else None
        if pattern is not None:
            why = unsafe_pattern(pattern)
            if why:
                problems.append(f"{res['name']}.{item.get('name')}: pattern {pattern[:80]!r} refused before use: {why}")
        refers = item.get("refersTo", [])
        if not (isinstance(refers, list) and all(isinstance(t, str) and (t == COUNTRIES or t.count(".") == 1) for t in refers)):
            problems.append(f"{res['name']}.{item['name']}: refersTo is a list of table.column (or {COUNTRIES!r})")
    key = res["schema"].get("primaryKey", [])
    for column in [key] if isinstance(key, str) else key:
        if column not in names:
            problems.append(f"{res['name']}: primaryKey {column!r} is not one of its fields")
    for fk in res["schema"].get("foreignKeys", []):
        columns = fk.get("fields") if isinstance(fk, dict) else None
        reference = fk.get("reference") if isinstance(fk, dict) else None
        if not (isinstance(columns, str) and columns in names and isinstance(reference, dict) and isinstance(reference.get("fields"), str)):
            problems.append(f"{res['name']}: foreignKeys entry {fk!r} is not one field of the table and a reference")
    return problems


def _table(res: dict) -> Table:
    schema = res["schema"]
    key = schema.get("primaryKey", [])
    references = [
        Reference(fk["fields"], ((fk["reference"].get("resource") or res["name"], fk["reference"]["fields"]),))
        for fk in schema.get("foreignKeys", [])
    ]
    references += [
        Reference(f["name"], tuple(_target(t) for t in f["refersTo"]), f.get("separator", ""))
        for f in schema["fields"]
        if f.get("refersTo")
    ]
    return Table(
        name=res["name"],
        path=res["path"],
        columns=tuple(f["name"] for f in schema["fields"]),
        key=(key,) if isinstance(key, str) else tuple(key),
        references=tuple(references),
        vocabularies={f["name"]: f["vocabulary"] for f in schema["fields"] if "vocabulary" in f},
        prefixed=tuple(f["name"] for f in schema["fields"] if f.get("documentPrefix")),
        may_be_empty=bool(res.get("mayBeEmpty")),
        resource=res,
    )


def _target(text: str) -> tuple[str, str]:
    """``"organizations.org_id"`` -> ("organizations", "org_id"); ``"countries"`` -> (COUNTRIES, "")."""
    table, _, column = text.partition(".")
    return table, column


def unsafe_pattern(pattern) -> str | None:
    """Why a data package ``pattern`` could not be matched in bounded time, or None.

    Refused before any value is matched: a non-string, a pattern over :data:`MAX_PATTERN` characters, one
    that does not compile, a back-reference, and a variable repetition (``+``, ``*``, ``{m,n}``) of a group
    that itself holds a variable repetition or an alternation (``(a+)+``, ``(a|aa)*``): the shapes whose
    matching can take exponential time. Fixed counts (``[A-Z]{3}``) and optional groups (``(...)?``) are fine.
    """
    import re

    # typeshed has no stub for re._parser (the standard library's regex parser, private since Python 3.11)
    from re import _parser  # type: ignore[attr-defined]

    if not isinstance(pattern, str):
        return "not a string"
    if len(pattern) > MAX_PATTERN:
        return f"longer than {MAX_PATTERN} characters"
    try:
        tree = _parser.parse(pattern)
    except re.error as exc:
        return f"not a regular expression ({exc})"
    return _risky(tree, False)


def _risky(items, inside_repeat: bool) -> str | None:
    """Why the parsed pattern ``items`` could backtrack exponentially (:func:`unsafe_pattern`), or None."""
    for op, av in items:
        name = str(op)
        if name in ("GROUPREF", "GROUPREF_EXISTS"):
            return "a back-reference"
        if name in ("MAX_REPEAT", "MIN_REPEAT", "POSSESSIVE_REPEAT"):
            low, high, sub = av
            variable = low != high
            if inside_repeat and variable:
                return "a repetition inside a repetition (e.g. (a+)+): exponential backtracking"
            found = _risky(sub, inside_repeat or (variable and high > 1))
        elif name == "BRANCH":
            if inside_repeat:
                return "an alternation inside a repetition (e.g. (a|aa)*): exponential backtracking"
            found = next((why for why in (_risky(branch, inside_repeat) for branch in av[1]) if why), None)
        elif name in ("SUBPATTERN", "ATOMIC_GROUP", "ASSERT", "ASSERT_NOT"):
            found = _risky(av[-1], inside_repeat)
        else:
            found = None
        if found:
            return found
    return None
