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
from . import transaction
from .folders import Archive
from .reading import content_hash, read_csv_rows, read_json, read_json_bytes

TABLES = ("facts", "bilateral", "groupings", "organizations", "multilateral", "framing", "sections", "speakers")
DATAPACKAGE = "datapackage.json"
#: Tables an archive may hold no rows of: the speakers of the UN statements, in an archive without them.
MAY_BE_EMPTY = frozenset({"speakers"})


def _display(path: Path, data_dir: Path) -> str:
    """``data/curated/facts.csv`` for a file of a data folder, whatever folder it is."""
    try:
        return str(Path("data") / path.relative_to(data_dir))
    except ValueError:
        return str(path)


def datapackage(data_dir: Path | None = None) -> dict:
    """The Frictionless data package descriptor of the curated tables, checked for what the loader needs
    (cached on the file's bytes and shared between callers: read it, do not change it)."""
    data_dir = data_dir.data if isinstance(data_dir, Archive) else paths.data_folder(data_dir)
    if not (data_dir / "curated").is_dir():
        raise TableError(
            [Problem(str(data_dir), 0, "(folder)", "", "not a data folder: it has no curated/ folder (data_dir is a clone's data/)")]
        )
    path = data_dir / "curated" / DATAPACKAGE
    display = _display(path, data_dir)
    data = path.read_bytes() if path.is_file() else None
    return _checked_package(data, display, path)


@lru_cache(maxsize=8)
def _checked_package(data: bytes | None, display: str, path: Path) -> dict:
    """The descriptor ``data``, checked."""
    package = read_json(path, display) if data is None else read_json_bytes(data, display)
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
            pattern = (
                field.get("constraints", {}).get("pattern")
                if isinstance(field, dict) and isinstance(field.get("constraints"), dict)
                else None
            )
            if pattern is not None:
                why = unsafe_pattern(pattern)
                if why:
                    problems.append(
                        Problem(
                            display,
                            0,
                            "(file)",
                            "",
                            f"{res['name']}.{field.get('name')}: pattern {pattern[:80]!r} refused before use: {why}",
                        )
                    )
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


#: Longest ``pattern`` a field of datapackage.json may have (the id patterns list every document's prefix:
#: about 8 characters a document, so this leaves room for 500 documents).
MAX_PATTERN = 4000


def unsafe_pattern(pattern) -> str | None:
    """Why a data package ``pattern`` could not be matched in bounded time, or None.

    Refused before any value is matched: a non-string, a pattern over :data:`MAX_PATTERN` characters, one
    that does not compile, a back-reference, and a variable repetition (``+``, ``*``, ``{m,n}``) of a group
    that itself holds a variable repetition or an alternation (``(a+)+``, ``(a|aa)*``): the shapes whose
    matching can take exponential time. Fixed counts (``[A-Z]{3}``) and optional groups (``(...)?``) are fine.
    """
    import re

    try:
        from re import _parser as parser  # Python 3.11+
    except ImportError:  # pragma: no cover
        import sre_parse as parser  # type: ignore[no-redef]
    if not isinstance(pattern, str):
        return "not a string"
    if len(pattern) > MAX_PATTERN:
        return f"longer than {MAX_PATTERN} characters"
    try:
        tree = parser.parse(pattern)
    except re.error as exc:
        return f"not a regular expression ({exc})"

    def risky(items, inside_repeat: bool) -> str | None:
        for op, av in items:
            name = str(op)
            if name in ("GROUPREF", "GROUPREF_EXISTS"):
                return "a back-reference"
            if name in ("MAX_REPEAT", "MIN_REPEAT", "POSSESSIVE_REPEAT"):
                low, high, sub = av
                variable = low != high
                if inside_repeat and variable:
                    return "a repetition inside a repetition (e.g. (a+)+): exponential backtracking"
                found = risky(sub, inside_repeat or (variable and high > 1))
                if found:
                    return found
            elif name == "BRANCH":
                if inside_repeat:
                    return "an alternation inside a repetition (e.g. (a|aa)*): exponential backtracking"
                for branch in av[1]:
                    found = risky(branch, inside_repeat)
                    if found:
                        return found
            elif name in ("SUBPATTERN", "ATOMIC_GROUP", "ASSERT", "ASSERT_NOT"):
                found = risky(av[-1], inside_repeat)
                if found:
                    return found
        return None

    return risky(tree, False)


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


def load_table(name: str, data_dir: Path | None = None, check_quotes: bool = True, collection: str | None = None, archive=None):
    """Load one curated table as a typed, validated DataFrame (index = CSV line number).

    Only this table and the tables its keys refer to are read and validated.

    Args:
        name: one of ``TABLES``.
        data_dir: a ``data/`` folder (default: the repository's); tests pass corrupted copies.
        check_quotes: prove each quote against its document (and its number / name in the quote).
        collection: keep only the rows of that collection's documents (``sources.MINISTRY``,
            ``sources.UNGD``); the whole table is validated either way.

    Raises:
        ValueError: ``name`` is not a table (the message lists the tables).
        TableError: naming file, line, column and value of every problem found.
    """
    if name not in TABLES:
        raise ValueError(_unknown_table(name))
    from .schemas import needed_tables

    data_dir = Archive.of(archive).data if archive is not None else paths.data_folder(data_dir)
    names = needed_tables(name)
    with transaction.reading_lock(data_dir):  # a writer's commit is seen whole or not at all
        _refuse_interrupted(data_dir)
        frames = _load(data_dir, names, _fingerprint(data_dir, names), check_quotes)
    _remember_raw_read(data_dir, names, frames)
    return _of_collection(frames[name], data_dir, collection)


def shared_table(name: str, data_dir: Path | None = None):
    """:func:`load_table` without the copy: the validated, cached frame itself, for read-only look-ups
    inside the package (``cite`` indexes it once). Never hand it to a caller, who might change it."""
    if name not in TABLES:
        raise ValueError(_unknown_table(name))
    from .schemas import needed_tables

    data_dir = paths.data_folder(data_dir)
    names = needed_tables(name)
    with transaction.reading_lock(data_dir):
        _refuse_interrupted(data_dir)
        frames = _load(data_dir, names, _fingerprint(data_dir, names), True)
    _remember_raw_read(data_dir, names, frames)
    return frames[name]


def load_all(data_dir: Path | None = None, check_quotes: bool = True, collection: str | None = None, archive=None) -> dict:
    """Every curated table, validated together (``collection``: as :func:`load_table`)."""
    data_dir = Archive.of(archive).data if archive is not None else paths.data_folder(data_dir)
    names = frozenset(TABLES)
    with transaction.reading_lock(data_dir):
        _refuse_interrupted(data_dir)
        frames = _load(data_dir, names, _fingerprint(data_dir, names), check_quotes)
    _remember_raw_read(data_dir, names, frames)
    return {k: _of_collection(v, data_dir, collection) for k, v in frames.items()}


def _refuse_interrupted(data_dir: Path) -> None:
    message = transaction.pending(data_dir)
    if message:
        raise TableError([Problem(_display(data_dir / transaction.FOLDER / transaction.JOURNAL, data_dir), 0, "(file)", "", message)])


def _of_collection(frame, data_dir: Path, collection: str | None):
    """A copy of ``frame``, only the rows of ``collection``'s documents if one is named."""
    if collection is None or "doc_id" not in frame.columns:
        return frame.copy()
    from . import sources

    return frame[frame["doc_id"].isin(sources.doc_ids(data_dir / "raw", collection))].copy()


#: (data_dir, tables, hash of the tables' files) -> the raw files their validation read: the documents
#: the rows cite (an archive of 81 documents is not re-read for tables that cite four).
_RAW_READ: dict = {}


def _fingerprint(data_dir: Path, names: frozenset) -> str:
    """Hash of the contents of every file a load reads, so an edited file is never served from cache:
    the tables' files, the manifest, and the raw documents the tables' rows cite (every raw file until
    a first load has said which)."""
    key = content_hash(_read_files(data_dir, names))
    raw = _RAW_READ.get((data_dir, names, key))
    return key + content_hash(raw if raw is not None else sorted((data_dir / "raw").glob("*")))


def _read_files(data_dir: Path, names: frozenset) -> list[Path]:
    """The files a load of ``names`` reads besides the raw documents: the descriptor, the tables, the manifest
    (and for the speakers table the corpus's metadata.csv its recorded columns are checked against)."""
    from . import speakers

    files = [
        data_dir / "curated" / DATAPACKAGE,
        *(data_dir / "curated" / f"{n}.csv" for n in sorted(names)),
        data_dir / "raw" / "manifest.csv",
    ]
    return files + ([speakers.metadata_path(data_dir)] if speakers.NAME in names else [])


def _remember_raw_read(data_dir: Path, names: frozenset, frames: dict) -> None:
    from . import sources

    cited = {d for frame in frames.values() if "doc_id" in frame.columns for d in frame["doc_id"]}
    files = {row["doc_id"]: row["file"] for row in sources.manifest(data_dir / "raw")}
    key = content_hash(_read_files(data_dir, names))
    _RAW_READ[(data_dir, names, key)] = sorted(data_dir / "raw" / files[d] for d in cited if d in files)


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
            header, rows = read_csv_rows(path, display, empty_ok=res["name"] in MAY_BE_EMPTY)
            frames[res["name"]] = schemas.validate(res, header, rows, display)
        except TableError as exc:
            problems.extend(exc.problems)
    if problems:
        raise TableError(problems)
    problems.extend(schemas.check_keys(frames, package, Archive.from_data_dir(data_dir)))
    if "speakers" in frames:
        from . import speakers

        problems.extend(speakers.check(frames["speakers"], data_dir, _display(data_dir / "curated" / "speakers.csv", data_dir)))
    if check_quotes:
        problems.extend(schemas.check_against_documents(frames, package, raw_dir))
    if problems:
        raise TableError(problems)
    return frames
