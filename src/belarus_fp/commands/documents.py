"""Adding a document to the archive: ``python -m belarus_fp.documents add PATH --id ... --title ...``.

The file is copied into ``data/raw/`` byte for byte, its sha256 and metadata are appended to
``data/raw/manifest.csv``, and the new ``doc_id`` (and its ``id_prefix``) are registered in
``data/curated/datapackage.json`` so that curated rows of the document can be validated, and
``data/raw/references.bib`` is regenerated. All of it is one transaction (:mod:`belarus_fp.archive.transaction`):
a second writer waits, an interruption leaves the archive as it was or with the document fully added,
nothing is written through a link. It refuses, writing nothing, a duplicate id, label or prefix, a file
already in the archive (same sha256 or same name), a file that is not a text (empty, over
:data:`MAX_BYTES`, not UTF-8, a NUL or other control character), a missing or malformed field (a period
or publication year that is no year, an address that is not one, a value a spreadsheet would evaluate).
Existing documents and manifest rows are never edited. Works on the clone that ``belarus_fp.paths``
finds (``BELARUS_FP_ROOT`` included).
"""

from __future__ import annotations

import argparse
import csv
import hashlib
import io
import json
import re
import sys
import time
import unicodedata
import urllib.parse
from pathlib import Path

from .. import paths
from ..archive import Archive, citations, numbers, proofs, reading, sources, tables, transaction, vocabulary
from ..errors import TableError
from . import ungd

#: Command-line option for each manifest column that ``add`` fills (every one is required).
OPTIONS = {
    "doc_id": "--id",
    "title": "--title",
    "label": "--label",
    "publisher": "--publisher",
    "genre": "--genre",
    "period_covered": "--period",
    "published": "--published",
    "url": "--url",
    "language": "--language",
    "id_prefix": "--prefix",
    "collection": "--collection",
    "year": "--year",
}
#: Optional manifest columns (empty when not given).
OPTIONAL = {
    "url_note": "--url-note",
    "licence": "--licence",
    "debris_note": "--debris-note",
    "source_name": "--source-name",
    "debris": "--debris",
    "session": "--session",
    "layout": "--layout",
}

#: Largest document ``add`` takes, in bytes (1 MiB): the longest real text is about 60 KB; at this size
#: ``propose`` runs in about a second and every load stays fast. A longer text is refused (split it).
MAX_BYTES = 1024 * 1024
#: Control characters a text may hold (tab, line feed, carriage return, form feed: the corpus has them).
TEXT_CONTROLS = {"\t", "\n", "\r", "\f"}
#: Files of data/raw/ that are not documents (a document may not take their name).
RESERVED = {sources.MANIFEST, "references.bib"}
_FILE_NAME = re.compile(r"[A-Za-z0-9][A-Za-z0-9._-]*\.txt")
_LANGUAGE = re.compile(r"[a-z]{2,3}")


class DocumentError(ValueError):
    """A document cannot be added; the message says why."""


def check_text(data: bytes, display: str) -> str:
    """The text of a document file, or DocumentError saying why it is not a text: empty, over
    :data:`MAX_BYTES`, not UTF-8, a NUL or other control character (naming line, column and code point)."""
    if len(data) > MAX_BYTES:
        raise DocumentError(
            f"{display}: {len(data):,} bytes, over the limit of {MAX_BYTES:,} bytes (1 MiB; the longest document is about 60 KB): "
            "is it one document? Split it into its parts"
        )
    try:
        text = data.decode("utf-8")
    except UnicodeDecodeError as exc:
        raise DocumentError(f"{display}: not UTF-8 ({exc.reason} at byte {exc.start}); convert it to UTF-8 first") from None
    if not text.strip(" \t\n\r\f\u00a0\ufeff"):
        raise DocumentError(f"{display}: empty (no text at all): nothing to add")
    for index, char in enumerate(text):
        if unicodedata.category(char) == "Cc" and char not in TEXT_CONTROLS:
            line = text.count("\n", 0, index) + 1
            column = index - (text.rfind("\n", 0, index) + 1) + 1
            name = _CONTROL_NAMES.get(char) or unicodedata.name(char, "a control character")
            raise DocumentError(
                f"{display}, line {line}, column {column}: control character U+{ord(char):04X} ({name}): "
                "not a plain text (a binary file, or a text saved with a program's formatting codes?)"
            )
    return text


def check_fields(fields: dict, display_file: str) -> dict:
    """The manifest fields as ``add`` writes them, or DocumentError naming the first bad one."""
    missing = [OPTIONS[k] for k in OPTIONS if not str(fields.get(k) or "").strip()]
    if missing:
        raise DocumentError(f"missing field(s): {', '.join(missing)} (every one is required)")
    row = {**{k: "" for k in OPTIONAL}, **{k: str(v).strip() for k, v in fields.items() if v is not None}}
    options = {**OPTIONS, **OPTIONAL}
    for column, value in row.items():
        problem = reading.formula_problem(value) or reading._cell_problem(column, value)
        if problem:
            raise DocumentError(f"{options.get(column, column)} {value!r}: {problem}")
    period = numbers.years_in(row["period_covered"])
    if not period or not all(1900 <= y <= _this_year() + 1 for y in period):
        raise DocumentError(
            f"--period {row['period_covered']!r}: not a period: write the year(s) the document covers (2014, 2014-2016, about 2016)"
        )
    published = numbers.years_in(row["published"])
    if not published and not row["published"].lower().startswith("undated"):
        raise DocumentError(f"--published {row['published']!r}: not a date of publication: a year (2015), or 'undated (...)'")
    if published and not (min(period) <= min(published) <= _this_year() + 1):
        raise DocumentError(
            f"--published {row['published']!r}: published in {min(published)}, before the period it covers ({min(period)}) or in the future"
        )
    url = urllib.parse.urlsplit(row["url"])
    if url.scheme not in ("http", "https") or not url.hostname or not _URL_CHARS.fullmatch(row["url"]):
        raise DocumentError(
            f"--url {row['url']!r}: not an http(s) address (scheme, host, and only the characters an address may hold: "
            "percent-encode spaces, quotes, braces and backslashes)"
        )
    if not _LANGUAGE.fullmatch(row["language"]):
        raise DocumentError(f"--language {row['language']!r}: not a language code (ISO 639: en, ru, be)")
    return row


_CONTROL_NAMES = {"\0": "NUL", "\a": "BELL", "\b": "BACKSPACE", "\v": "VERTICAL TAB", "\x1b": "ESCAPE", "\x7f": "DELETE"}
_URL_CHARS = re.compile(r"[A-Za-z0-9\-._~:/?#\[\]@!$&'()*+,;=%]+")


def _this_year() -> int:
    return time.gmtime().tm_year


def add(path: Path, fields: dict, root: Path | None = None, notes: list | None = None) -> dict:
    """Copy ``path`` into the archive and register it, as one transaction; returns the new manifest row.

    The file and the fields are checked first; then, holding the archive's lock, the duplicates;
    the copy, the manifest, ``datapackage.json`` and ``references.bib`` are staged and validated
    together (the manifest, the copy's checksum and paragraphs, every curated table) before any of
    them is visible (:mod:`belarus_fp.archive.transaction`). ``notes`` receives what recovery of an earlier
    interrupted write did.
    """
    return add_many([(Path(path), fields)], root, notes)[0]


def _prepared(path: Path, fields: dict) -> tuple[dict, bytes]:
    """(manifest row, bytes) of one document, the file and its fields checked; raises DocumentError."""
    row = check_fields(fields, str(path))
    if not path.is_file():
        raise DocumentError(f"{path}: no such file")
    if not _FILE_NAME.fullmatch(path.name) or path.name in RESERVED:
        raise DocumentError(
            f"{path.name!r}: a document's file name is letters, digits, '.', '-' and '_', ending in .txt "
            "(rename the file; it becomes data/raw/NAME)"
        )
    data = path.read_bytes()
    text = check_text(data, str(path))
    digest = hashlib.sha256(data).hexdigest()
    if row.get("sha256") and row["sha256"] != digest:
        raise DocumentError(f"{path}: sha256 {digest}, but its metadata says {row['sha256']}: not the file it describes")
    if row.get("layout") and row["layout"] not in sources.LAYOUTS:
        raise DocumentError(f"--layout {row['layout']!r}: not a paragraph layout ({', '.join(sources.LAYOUTS)})")
    row.update(file=path.name, sha256=digest, layout=row.get("layout") or sources.detect_layout(text))
    return row, data


def add_many(items: list[tuple[Path, dict]], root: Path | None = None, notes: list | None = None) -> list[dict]:
    """Add several documents as one transaction, all or none (:func:`add` for one); returns their manifest rows.

    Every file and field is checked before the transaction, and against the archive and each other inside
    it; a rerun after a completed add of the same documents (same bytes and fields) changes nothing.
    """
    root = Path(root or paths.root())
    prepared = [_prepared(Path(path), fields) for path, fields in items]
    rows = [row for row, _ in prepared]
    data_dir = root / "data"
    label = f"documents add {rows[0]['doc_id']}" + (f" (+{len(rows) - 1} more)" if len(rows) > 1 else "")
    with transaction.Transaction(data_dir, label, validate=lambda view: _validate(view, [r["doc_id"] for r in rows])) as txn:
        old_manifest = txn.read_bytes(f"raw/{sources.MANIFEST}")
        old_package = txn.read_bytes("curated/datapackage.json")
        existing = sources.manifest(Archive.from_data_dir(data_dir))
        present = {r["doc_id"]: r for r in existing}
        if all(r["doc_id"] in present and all(present[r["doc_id"]].get(k, "") == v for k, v in r.items()) for r in rows):
            txn.notes.append(f"{len(rows)} document(s) already in the archive, with these bytes and fields: nothing to do")
            if notes is not None:
                notes.extend(txn.notes)
            return [present[r["doc_id"]] for r in rows]  # a rerun after an interrupted add that recovery completed
        before: list[dict] = list(existing)
        for row in rows:
            _refuse_duplicates(row, before, data_dir, txn)
            before.append(row)
        header = next(csv.reader(io.StringIO(old_manifest.decode("utf-8-sig"))))
        unknown = sorted({column for row in rows for column in row} - set(header))
        if unknown:
            raise DocumentError(f"data/raw/{sources.MANIFEST}: has no column(s) {unknown}")
        separator = b"" if old_manifest.endswith(b"\n") else b"\n"
        try:
            lines = reading.csv_text(header, rows, f"data/raw/{sources.MANIFEST}", old_manifest.count(b"\n") + 2, header_line=False)
        except TableError as exc:
            raise DocumentError(f"refused, nothing written: {exc}") from None
        for row, data in prepared:
            txn.write(f"raw/{row['file']}", data, new=True)  # a link in its place is refused: nothing is written through it
        txn.write(f"raw/{sources.MANIFEST}", old_manifest + separator + lines.encode("utf-8"))
        view = Archive.from_data_dir(txn.view())
        try:
            package = vocabulary.with_enums(json.loads(old_package), view)
            txn.write_text("curated/datapackage.json", vocabulary.datapackage_text(package))
            txn.write_text("raw/references.bib", citations.bibtex(view))
            txn.check()
        except (sources.SourceError, TableError) as exc:
            raise DocumentError(f"refused, nothing written: {exc}") from None
    if notes is not None:
        notes.extend(txn.notes)
    return rows


def _refuse_duplicates(row: dict, existing: list[dict], data_dir: Path, txn) -> None:
    """DocumentError if ``row`` repeats an id, label, prefix, file or the bytes of a document in ``existing``."""
    for column, what in (("doc_id", "id"), ("label", "label"), ("id_prefix", "prefix")):
        clash = [r["doc_id"] for r in existing if r[column] == row[column]]
        if clash:
            raise DocumentError(f"duplicate {what} {row[column]!r}: document {clash[0]!r} already has it")
    same = [r["doc_id"] for r in existing if r["sha256"] == row["sha256"]]
    if same:
        raise DocumentError(f"{row['file']}: duplicate file: the same bytes (sha256 {row['sha256']}) are document {same[0]!r}")
    target = data_dir / "raw" / row["file"]
    if any(r["file"] == row["file"] for r in existing) or (txn.exists(f"raw/{row['file']}") and not target.is_symlink()):
        raise DocumentError(f"{target} already exists: rename the file (documents in data/raw/ are never replaced)")


def _validate(view: Path, doc_ids: list[str]) -> None:
    """The archive with the new documents: manifest, copies (checksums), paragraphs, every curated table."""
    archive = Archive.from_data_dir(view)
    sources.manifest(archive)
    for doc_id in doc_ids:
        sources.load_text(doc_id, archive)
        paras = sources.paragraphs(doc_id, archive)
        words = sum(len(p.split()) for p in paras)
        if words < proofs.MIN_QUOTE_WORDS:
            raise DocumentError(
                f"{doc_id}: {len(paras)} paragraph(s), {words} word(s) once debris is dropped: not a document any row could quote"
            )
    tables.load_all(archive=archive)


def read_batch(batch: Path) -> list[tuple[Path, dict]]:
    """The documents a batch CSV lists: a ``path`` column (relative to the CSV's folder) and the
    manifest's columns (``OPTIONS``, ``OPTIONAL``, and ``sha256`` to check each file against)."""
    batch = Path(batch)
    try:
        rows = list(csv.DictReader(io.StringIO(batch.read_text(encoding="utf-8-sig"))))
    except (OSError, UnicodeDecodeError) as exc:
        raise DocumentError(f"{batch}: cannot read the batch ({exc})") from None
    if not rows or "path" not in rows[0]:
        raise DocumentError(f"{batch}: a batch needs a header with a 'path' column and at least one row")
    return [(batch.parent / row.pop("path"), row) for row in rows]


def import_ungd(corpus_dir: Path, root: Path | None = None, notes: list | None = None) -> list[dict]:
    """Add every statement of the UN General Debate Corpus folder ``corpus_dir`` as one transaction
    (see :mod:`belarus_fp.commands.ungd`); the corpus's metadata.csv and README.md are then kept, byte for
    byte, in ``data/external/ungd-belarus/`` (provenance, not archive data: written after the commit)."""
    root = Path(root or paths.root())
    kept = root.joinpath(*ungd.EXTERNAL)
    for name in ungd.KEPT_FILES:
        if (kept / name).exists() and (kept / name).read_bytes() != (Path(corpus_dir) / name).read_bytes():
            raise DocumentError(f"{kept / name} differs from {Path(corpus_dir) / name}: another copy of the corpus")
    rows = add_many(ungd.batch(corpus_dir), root, notes)
    kept.mkdir(parents=True, exist_ok=True)
    for name in ungd.KEPT_FILES:
        if not (kept / name).exists():
            (kept / name).write_bytes((Path(corpus_dir) / name).read_bytes())
    return rows


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m belarus_fp.documents", description=__doc__.split("\n")[0])
    commands = parser.add_subparsers(dest="command", required=True)
    add_cmd = commands.add_parser("add", help="copy a UTF-8 text into data/raw/ and register it in the manifest")
    add_cmd.add_argument("path", type=Path)
    for column, option in {**OPTIONS, **OPTIONAL}.items():
        add_cmd.add_argument(option, dest=column, default=None, help=f"manifest column {column}")
    batch_cmd = commands.add_parser(
        "add-batch", help="add every document a batch CSV lists (a path column and the manifest's), all or none"
    )
    batch_cmd.add_argument("batch", type=Path)
    ungd_cmd = commands.add_parser(
        "import-ungd", help="add Belarus's UN General Debate statements from a corpus folder (metadata.csv, texts/)"
    )
    ungd_cmd.add_argument("corpus_dir", type=Path)
    args = parser.parse_args(argv)
    root = paths.require_root(exit_on_error=True)
    notes: list = []
    try:
        before = set(sources.doc_ids(sources.Archive(root))) if (root / "data" / "raw" / sources.MANIFEST).is_file() else set()
        if args.command == "add":
            rows = [add(args.path, {k: getattr(args, k) for k in {**OPTIONS, **OPTIONAL}}, root, notes)]
        elif args.command == "add-batch":
            rows = add_many(read_batch(args.batch), root, notes)
        else:
            rows = import_ungd(args.corpus_dir, root, notes)
    except (DocumentError, transaction.TransactionError) as exc:
        print(f"error: {exc}", file=sys.stderr)
        return 1
    except (sources.SourceError, TableError) as exc:
        print(f"error: refused, nothing written: {exc}", file=sys.stderr)
        return 1
    except (OSError, ValueError) as exc:  # a corpus folder that is not one (ungd.read_metadata)
        print(f"error: {exc}", file=sys.stderr)
        return 1
    for note in notes:
        print(f"note: {note}", file=sys.stderr)
    added = [row for row in rows if row["doc_id"] not in before]  # a rerun that found them all there adds none
    for row in added:
        print(f"added {row['doc_id']!r}: data/raw/{row['file']} (sha256 {row['sha256']})")
    print(f"{len(added)} document(s) added; next: python -m belarus_fp.propose {rows[0]['doc_id'] if len(rows) == 1 else 'DOC_ID'}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
