"""The curated tables: one loader that reads, types and validates every table.

``data/curated/datapackage.json`` (Frictionless Table Schema) is the one description of the
tables: which there are, their fields, types, required fields, allowed values, patterns, keys and the
keys they refer to (read by :mod:`belarus_fp.archive.catalogue`). The pandera models in
:mod:`belarus_fp.archive.schemas` are built from it, so the two cannot drift. On top of
the schema, the loader proves every row against the documents (the quote is in its document;
the stated number, country name or organisation name is in the quote) and checks the keys
that join the tables.

Every problem is reported with the file, the line number in the CSV (header = line 1), the
column and the offending value; nothing is dropped or repaired.
"""

from __future__ import annotations

import hashlib
import json
from pathlib import Path

from .. import paths
from ..errors import Problem, TableError
from . import transaction
from .catalogue import DATAPACKAGE
from .folders import Archive
from .reading import Recent, content_hash, parse_table, table_bytes


def _archive(data_dir, archive=None) -> Archive:
    """The archive of a ``data_dir=`` (a data/ folder; None: the clone's; an Archive given positionally) or of ``archive=``."""
    if archive is not None or isinstance(data_dir, Archive):
        return Archive.of(archive, data_dir)
    return Archive.from_data_dir(paths.data_folder(data_dir))


def table_names(data_dir: Path | None = None, archive=None) -> tuple[str, ...]:
    """The curated tables, in the order of ``datapackage.json``'s resources."""
    return _archive(data_dir, archive).catalogue().names


def datapackage(data_dir: Path | None = None, archive=None) -> dict:
    """The Frictionless data package descriptor of the curated tables, checked for what the loader needs.

    Cached on the file's bytes and shared between callers: read it, do not change it.
    """
    return _archive(data_dir, archive).catalogue().package


def resource(name: str, data_dir: Path | None = None, archive=None) -> dict:
    """The descriptor of one table (path and schema)."""
    return _archive(data_dir, archive).catalogue()[name].resource


def load_table(name: str, data_dir: Path | None = None, check_quotes: bool = True, collection: str | None = None, archive=None):
    """Load one curated table as a typed, validated DataFrame (index = CSV line number).

    Only this table and the tables its keys refer to are read and validated.

    Args:
        name: one of :func:`table_names` (datapackage.json's resources).
        data_dir: a ``data/`` folder (default: the repository's); tests pass corrupted copies.
        check_quotes: prove each quote against its document (and its number / name in the quote).
        collection: keep only the rows of that collection's documents (``sources.MINISTRY``,
            ``sources.UNGD``); the whole table is validated either way.
        archive: an :class:`~belarus_fp.archive.Archive`, instead of ``data_dir``.

    Raises:
        ValueError: ``name`` is not a table (the message lists the tables).
        TableError: naming file, line, column and value of every problem found.
    """
    archive = _archive(data_dir, archive)
    frames = _validated(archive, archive.catalogue().needed(name), check_quotes)
    return _of_collection(frames[name], archive, collection)


def shared_table(name: str, data_dir: Path | None = None, archive=None):
    """:func:`load_table` without the copy: the validated, cached frame itself.

    For read-only look-ups inside the package (``cite`` indexes it once). Never hand it to a caller, who might change it.
    """
    archive = _archive(data_dir, archive)
    return _validated(archive, archive.catalogue().needed(name), True)[name]


def load_all(data_dir: Path | None = None, check_quotes: bool = True, collection: str | None = None, archive=None) -> dict:
    """Every curated table, validated together (``collection``: as :func:`load_table`)."""
    archive = _archive(data_dir, archive)
    frames = _validated(archive, frozenset(archive.catalogue().names), check_quotes)
    return {k: _of_collection(v, archive, collection) for k, v in frames.items()}


def _validated(archive: Archive, names: frozenset, check_quotes: bool) -> dict:
    """The frames of ``names``, validated together, kept under the contents of every file read.

    Those are the files of :func:`_read_files` and the raw documents the rows cite: every raw file until a first
    load has said which, and that load is then kept under both keys (else each new archive was validated twice).
    The key holds each file by its path inside ``data/``, so a copy of an archive with the same bytes is not
    validated again (only a load that passes is kept).
    """
    with transaction.reading_lock(archive.data):  # a writer's commit is seen whole or not at all
        _refuse_interrupted(archive)
        key = content_hash(_read_files(archive, names), archive.data)
        cited = _RAW_READ.get((names, key))
        data = str(archive.data)
        raw = [f"{data}/{rel}" for rel in cited] if cited is not None else sorted(archive.raw.glob("*"))
        fingerprint = (names, key + content_hash(raw, archive.data), check_quotes)
        frames = _LOADED.get(fingerprint)
        if frames is None:
            frames = _load(archive, names, check_quotes)
            _LOADED.put(fingerprint, frames)
            if cited is None:  # the next load hashes only the documents these rows cite: the same frames
                files = _cited_files(archive, frames)
                _RAW_READ.put((names, key), tuple(path.relative_to(archive.data).as_posix() for path in files))
                _LOADED.put((names, key + content_hash(files, archive.data), check_quotes), frames)
    return frames


def _refuse_interrupted(archive: Archive) -> None:
    message = transaction.pending(archive.data)
    if message:
        raise TableError([Problem(archive.display(archive.data / transaction.FOLDER / transaction.JOURNAL), 0, "(file)", "", message)])


def _of_collection(frame, archive: Archive, collection: str | None):
    """A copy of ``frame``, only the rows of ``collection``'s documents if one is named."""
    if collection is None or "doc_id" not in frame.columns:
        return frame.copy()
    from . import sources

    return frame[frame["doc_id"].isin(sources.doc_ids(archive, collection))].copy()


#: (tables, hash of the files read, check_quotes) -> the validated frames, shared: never handed out uncopied.
_LOADED = Recent(64)
#: (tables, hash of the tables' files) -> the raw files their validation read, inside ``data/``: the documents
#: the rows cite (an archive of 81 documents is not re-hashed for tables that cite four).
_RAW_READ = Recent(256)


#: The reference tables the loader reads: the historical states (a row's iso3 may name one) and the names
#: the name check accepts for a country (its aliases and demonyms, with the built-in names).
LOADER_REFERENCE_FILES = ("historical_states.csv", "country_aliases.csv", "demonyms.csv")


def _read_files(archive: Archive, names: frozenset) -> list[Path]:
    """The files a load of ``names`` reads besides the raw documents.

    The descriptor, the tables, the manifest, the :data:`LOADER_REFERENCE_FILES` (and for the speakers table the
    corpus's metadata.csv its recorded columns are checked against).
    """
    from . import speakers

    tables = archive.catalogue().tables
    files = [archive.curated / DATAPACKAGE, *(archive.curated / tables[n].path for n in sorted(names)), archive.manifest_path]
    files += [archive.reference / name for name in LOADER_REFERENCE_FILES]
    return files + ([speakers.metadata_path(archive.data)] if speakers.NAME in names else [])


def _cited_files(archive: Archive, frames: dict) -> list[Path]:
    """The raw files of the documents the frames' rows cite."""
    from . import sources

    cited = {d for frame in frames.values() if "doc_id" in frame.columns for d in frame["doc_id"].unique()}
    files = {row["doc_id"]: row["file"] for row in sources.manifest(archive)}
    return sorted(archive.raw / files[d] for d in cited if d in files)


def _load(archive: Archive, names: frozenset, check_quotes: bool) -> dict:
    """Read, type and validate the tables ``names``; every problem found is raised together."""
    from . import keys, proofs

    catalogue = archive.catalogue()
    frames, contents, problems = {}, {}, []
    for table in catalogue.tables.values():
        if table.name not in names:
            continue
        try:
            frames[table.name], contents[table.name] = _typed(table, archive.curated / table.path)
        except TableError as exc:
            problems.extend(exc.problems)
    if problems:
        raise TableError(problems)
    problems.extend(keys.check_keys(frames, catalogue, archive))
    from . import speakers

    if speakers.NAME in frames:
        problems.extend(speakers.check(frames[speakers.NAME], archive.data, catalogue[speakers.NAME].display))
    if check_quotes:
        problems.extend(proofs.check_against_documents(frames, catalogue, archive, contents))
    if problems:
        raise TableError(problems)
    return frames


#: (sha256 of a table's bytes, its descriptor, display name, may it be empty) -> the typed frame, shared.
_TYPED = Recent(64)


def _typed(table, path: Path):
    """One table read and typed by its schema, once per content and descriptor; and that key.

    This part of a load depends on nothing but the file and its descriptor, so a copy of an archive does not type
    its unchanged tables again (the key also keeps a table's passing proof against its documents, see
    :func:`belarus_fp.archive.proofs.check_against_documents`).
    """
    from . import schemas

    data = table_bytes(path, table.display)
    key = (hashlib.sha256(data).digest(), json.dumps(table.resource, sort_keys=True), table.display, table.may_be_empty)
    frame = _TYPED.get(key)
    if frame is None:
        header, rows = parse_table(data, table.display, empty_ok=table.may_be_empty)
        frame = schemas.validate(table.resource, header, rows, table.display)
        _TYPED.put(key, frame)
    return frame, key
