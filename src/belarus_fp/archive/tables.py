"""The curated tables: one loader that reads, types and validates every table.

``data/curated/datapackage.json`` (Frictionless Table Schema) is the one description of each
table: its fields, types, required fields, allowed values, patterns and keys. The pandera
models in :mod:`belarus_fp.archive.schemas` are built from it, so the two cannot drift. On top of
the schema, the loader proves every row against the documents (the quote is in its document;
the stated number, country name or organisation name is in the quote) and checks the keys
that join the tables.

Every problem is reported with the file, the line number in the CSV (header = line 1), the
column and the offending value; nothing is dropped or repaired.
"""

from __future__ import annotations

import difflib
from functools import lru_cache
from pathlib import Path

from .. import paths
from ..errors import SHOWN, Problem, TableError  # noqa: F401  re-exported: their public home was here
from .reading import content_hash, read_csv_rows, read_json

TABLES = ("facts", "bilateral", "groupings", "organizations", "multilateral", "framing", "sections")
DATAPACKAGE = "datapackage.json"


def _display(path: Path, data_dir: Path) -> str:
    """``data/curated/facts.csv`` for a file of a data folder, whatever folder it is."""
    try:
        return str(Path("data") / path.relative_to(data_dir))
    except ValueError:
        return str(path)


def datapackage(data_dir: Path | None = None) -> dict:
    """The Frictionless data package descriptor of the curated tables, checked for what the loader needs."""
    data_dir = Path(data_dir or paths.DATA)
    if not (data_dir / "curated").is_dir():
        raise TableError(
            [Problem(str(data_dir), 0, "(folder)", "", "not a data folder: it has no curated/ folder (data_dir is a clone's data/)")]
        )
    path = data_dir / "curated" / DATAPACKAGE
    display = _display(path, data_dir)
    package = read_json(path, display)
    resources = package.get("resources") if isinstance(package, dict) else None
    if not isinstance(resources, list):
        raise TableError([Problem(display, 0, "(file)", "", "no 'resources' list: not a data package descriptor")])
    problems = []
    for i, res in enumerate(resources):
        fields = res.get("schema", {}).get("fields") if isinstance(res, dict) else None
        if not (
            isinstance(res, dict) and isinstance(res.get("name"), str) and isinstance(res.get("path"), str) and isinstance(fields, list)
        ):
            problems.append(Problem(display, 0, "(file)", "", f"resources[{i}] lacks a name, a path or schema.fields"))
            continue
        for field in fields:
            if not isinstance(field, dict) or field.get("type") not in ("string", "number", "integer"):
                problems.append(
                    Problem(
                        display,
                        0,
                        "(file)",
                        "",
                        f"resource {res['name']!r}: field {field!r} needs a name and a type string, number or integer",
                    )
                )
    names = [res.get("name") for res in resources if isinstance(res, dict)]
    problems += [Problem(display, 0, "(file)", "", f"no resource for table {name!r}") for name in TABLES if name not in names]
    if problems:
        raise TableError(problems)
    return package


def resource(name: str, data_dir: Path | None = None) -> dict:
    """The descriptor of one table (path and schema)."""
    for res in datapackage(data_dir)["resources"]:
        if res["name"] == name:
            return res
    raise ValueError(_unknown_table(name))


def _unknown_table(name) -> str:
    near = difflib.get_close_matches(str(name), TABLES, n=1)
    hint = f" (did you mean {near[0]!r}?)" if near else ""
    return f"no table {name!r}{hint}; the tables are: {', '.join(TABLES)}"


def load_table(name: str, data_dir: Path | None = None, check_quotes: bool = True):
    """Load one curated table as a typed, validated DataFrame (index = CSV line number).

    Only this table and the tables its keys refer to are read and validated.

    Args:
        name: one of ``TABLES``.
        data_dir: a ``data/`` folder (default: the repository's); tests pass corrupted copies.
        check_quotes: prove each quote against its document (and its number / name in the quote).

    Raises:
        ValueError: ``name`` is not a table (the message lists the tables).
        TableError: naming file, line, column and value of every problem found.
    """
    if name not in TABLES:
        raise ValueError(_unknown_table(name))
    from .schemas import needed_tables

    data_dir = Path(data_dir or paths.DATA)
    names = needed_tables(name)
    return _load(data_dir, names, _fingerprint(data_dir, names), check_quotes)[name].copy()


def shared_table(name: str, data_dir: Path | None = None):
    """:func:`load_table` without the copy: the validated, cached frame itself, for read-only look-ups
    inside the package (``cite`` indexes it once). Never hand it to a caller, who might change it."""
    if name not in TABLES:
        raise ValueError(_unknown_table(name))
    from .schemas import needed_tables

    data_dir = Path(data_dir or paths.DATA)
    names = needed_tables(name)
    return _load(data_dir, names, _fingerprint(data_dir, names), True)[name]


def load_all(data_dir: Path | None = None, check_quotes: bool = True) -> dict:
    """Every curated table, validated together."""
    data_dir = Path(data_dir or paths.DATA)
    names = frozenset(TABLES)
    return {k: v.copy() for k, v in _load(data_dir, names, _fingerprint(data_dir, names), check_quotes).items()}


def _fingerprint(data_dir: Path, names: frozenset) -> str:
    """Hash of the contents of every file a load reads, so an edited file is never served from cache."""
    files = [data_dir / "curated" / DATAPACKAGE, *(data_dir / "curated" / f"{n}.csv" for n in sorted(names))]
    return content_hash(files + sorted((data_dir / "raw").glob("*")))


@lru_cache(maxsize=64)
def _load(data_dir: Path, names: frozenset, fingerprint: str, check_quotes: bool) -> dict:
    from . import schemas

    package = datapackage(data_dir)
    raw_dir = data_dir / "raw"
    frames, problems = {}, []
    for res in package["resources"]:
        if res["name"] not in names:
            continue
        path = data_dir / "curated" / res["path"]
        display = _display(path, data_dir)
        try:
            header, rows = read_csv_rows(path, display)
            frames[res["name"]] = schemas.validate(res, header, rows, display)
        except TableError as exc:
            problems.extend(exc.problems)
    if problems:
        raise TableError(problems)
    problems.extend(schemas.check_keys(frames, package))
    if check_quotes:
        problems.extend(schemas.check_against_documents(frames, package, raw_dir))
    if problems:
        raise TableError(problems)
    return frames
