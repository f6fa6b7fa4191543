"""Adding a document to the archive: ``python -m belarus_fp.documents add PATH --id ... --title ...``.

The file is copied into ``data/raw/`` byte for byte, its sha256 and metadata are appended to
``data/raw/manifest.csv``, and the new ``doc_id`` (and its ``id_prefix``) are registered in
``data/curated/datapackage.json`` so that curated rows of the document can be validated. It
refuses, before writing anything, a duplicate id, label or prefix, a file already in the archive
(same sha256 or same name), a file that is not UTF-8 and a missing field. Existing documents and
manifest rows are never edited. Works on the clone that ``belarus_fp.paths`` finds
(``BELARUS_FP_ROOT`` included).
"""

from __future__ import annotations

import argparse
import csv
import hashlib
import io
import json
import shutil
import sys
from pathlib import Path

from .. import paths
from ..archive import sources, vocabulary
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
#: datapackage.json fields whose pattern starts with the documents' id prefixes.
PREFIXED_IDS = vocabulary.PREFIXED_IDS  # kept for callers


class DocumentError(ValueError):
    """A document cannot be added; the message says why."""


def add(path: Path, fields: dict, root: Path | None = None) -> dict:
    """Copy ``path`` into the archive and register it; returns the new manifest row.

    Everything is checked before anything is written; the new manifest is validated by
    ``sources.manifest`` and the copy's checksum verified, else the repository is restored.
    """
    return add_many([(Path(path), fields)], root)[0]


def _checked(path: Path, fields: dict, existing: list[dict], raw: Path) -> dict:
    """The manifest row for one new document, every check made; raises DocumentError."""
    missing = [OPTIONS[k] for k in OPTIONS if not str(fields.get(k) or "").strip()]
    if missing:
        raise DocumentError(f"missing field(s): {', '.join(missing)} (every one is required)")
    if not path.is_file():
        raise DocumentError(f"{path}: no such file")
    data = path.read_bytes()
    try:
        text = data.decode("utf-8")
    except UnicodeDecodeError as exc:
        raise DocumentError(f"{path}: not UTF-8 ({exc.reason} at byte {exc.start}); convert it to UTF-8 first") from None
    digest = hashlib.sha256(data).hexdigest()
    expected = fields.get("sha256")
    if expected and expected != digest:
        raise DocumentError(f"{path}: sha256 {digest}, but the batch says {expected}: not the file it describes")
    for column, what in (("doc_id", "id"), ("label", "label"), ("id_prefix", "prefix")):
        clash = [row["doc_id"] for row in existing if row[column] == fields[column]]
        if clash:
            raise DocumentError(f"duplicate {what} {fields[column]!r}: document {clash[0]!r} already has it")
    same = [row["doc_id"] for row in existing if row["sha256"] == digest]
    if same:
        raise DocumentError(f"{path}: duplicate file: the same bytes (sha256 {digest}) are document {same[0]!r}")
    target = raw / path.name
    if target.exists() or any(row["file"] == path.name for row in existing):
        raise DocumentError(f"{target} already exists: rename the file (documents in data/raw/ are never replaced)")
    row = {**{k: "" for k in OPTIONAL}, **{k: str(v).strip() for k, v in fields.items() if v is not None}}
    row.update(file=target.name, sha256=digest)
    row["layout"] = row.get("layout") or sources.detect_layout(text)
    return row


def add_many(items: list[tuple[Path, dict]], root: Path | None = None) -> list[dict]:
    """Add several documents at once, all or none: every file and field is checked against the
    archive and against each other before anything is written; returns the new manifest rows."""
    root = Path(root or paths.root())
    raw, package_path = root / "data" / "raw", root / "data" / "curated" / "datapackage.json"
    existing, rows = sources.manifest(raw), []
    for path, fields in items:
        rows.append(_checked(Path(path), fields, existing + rows, raw))
    manifest_path = raw / sources.MANIFEST
    old_manifest, old_package = manifest_path.read_bytes(), package_path.read_bytes()
    header = next(csv.reader(io.StringIO(old_manifest.decode("utf-8-sig"))))
    unknown = sorted({column for row in rows for column in row} - set(header))
    if unknown:
        raise DocumentError(f"{manifest_path}: has no column(s) {unknown}")
    lines = io.StringIO()
    csv.DictWriter(lines, header, lineterminator="\n").writerows(rows)
    separator = b"" if old_manifest.endswith(b"\n") else b"\n"
    copied = []
    try:
        for (path, _), row in zip(items, rows, strict=True):
            target = raw / row["file"]
            shutil.copyfile(path, target)
            copied.append(target)
            if hashlib.sha256(target.read_bytes()).hexdigest() != row["sha256"]:
                raise DocumentError(f"{target}: the copy differs from {path}")
        manifest_path.write_bytes(old_manifest + separator + lines.getvalue().encode("utf-8"))
        sources.manifest(raw)  # the full manifest validation (ids, url, checksum form, required fields)
        for row in rows:
            sources.load_text(row["doc_id"], raw)
        # the doc_id enums and id prefixes, regenerated from the manifest that now lists the documents
        package_path.write_text(vocabulary.datapackage_text(vocabulary.with_enums(json.loads(old_package), raw)), encoding="utf-8")
    except Exception as exc:
        for target in copied:
            target.unlink(missing_ok=True)
        manifest_path.write_bytes(old_manifest)
        package_path.write_bytes(old_package)
        if isinstance(exc, sources.SourceError):
            raise DocumentError(f"refused, nothing written: {exc}") from None
        raise
    return rows


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


def import_ungd(corpus_dir: Path, root: Path | None = None) -> list[dict]:
    """Add every statement of the UN General Debate Corpus folder ``corpus_dir`` (see :mod:`belarus_fp.ungd`)
    and keep the corpus's metadata.csv and README.md in ``data/external/ungd-belarus/``."""
    root = Path(root or paths.root())
    kept = root.joinpath(*ungd.EXTERNAL)
    for name in ungd.KEPT_FILES:
        if (kept / name).exists() and (kept / name).read_bytes() != (Path(corpus_dir) / name).read_bytes():
            raise DocumentError(f"{kept / name} differs from {Path(corpus_dir) / name}: another copy of the corpus")
    rows = add_many(ungd.batch(corpus_dir), root)
    kept.mkdir(parents=True, exist_ok=True)
    for name in ungd.KEPT_FILES:
        shutil.copyfile(Path(corpus_dir) / name, kept / name)
    return rows


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m belarus_fp.documents", description=__doc__.split("\n")[0])
    commands = parser.add_subparsers(dest="command", required=True)
    add_cmd = commands.add_parser("add", help="copy a UTF-8 text into data/raw/ and register it in the manifest")
    add_cmd.add_argument("path", type=Path)
    for column, option in {**OPTIONS, **OPTIONAL}.items():
        add_cmd.add_argument(option, dest=column, default=None, help=f"manifest column {column}")
    batch_cmd = commands.add_parser("add-batch", help="add every document a batch CSV lists (a path column and the manifest's), all or none")
    batch_cmd.add_argument("batch", type=Path)
    ungd_cmd = commands.add_parser("import-ungd", help="add Belarus's UN General Debate statements from a corpus folder (metadata.csv, texts/)")
    ungd_cmd.add_argument("corpus_dir", type=Path)
    args = parser.parse_args(argv)
    root = paths.require_root(exit_on_error=True)
    try:
        if args.command == "add":
            rows = [add(args.path, {k: getattr(args, k) for k in {**OPTIONS, **OPTIONAL}}, root)]
        elif args.command == "add-batch":
            rows = add_many(read_batch(args.batch), root)
        else:
            rows = import_ungd(args.corpus_dir, root)
    except (DocumentError, OSError, ValueError) as exc:
        print(f"error: {exc}", file=sys.stderr)
        return 1
    for row in rows:
        print(f"added {row['doc_id']!r}: data/raw/{row['file']} (sha256 {row['sha256']})")
    nxt = rows[0]["doc_id"] if len(rows) == 1 else "DOC_ID"
    print(f"{len(rows)} document(s) added; next: python -m belarus_fp.propose {nxt}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
