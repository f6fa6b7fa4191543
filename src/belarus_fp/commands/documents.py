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
}
#: Optional manifest columns (empty when not given).
OPTIONAL = {
    "url_note": "--url-note",
    "licence": "--licence",
    "debris_note": "--debris-note",
    "source_name": "--source-name",
    "debris": "--debris",
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
    root = Path(root or paths.root())
    raw, package_path = root / "data" / "raw", root / "data" / "curated" / "datapackage.json"
    path = Path(path)
    missing = [OPTIONS[k] for k in OPTIONS if not str(fields.get(k) or "").strip()]
    if missing:
        raise DocumentError(f"missing field(s): {', '.join(missing)} (every one is required)")
    if not path.is_file():
        raise DocumentError(f"{path}: no such file")
    data = path.read_bytes()
    try:
        data.decode("utf-8")
    except UnicodeDecodeError as exc:
        raise DocumentError(f"{path}: not UTF-8 ({exc.reason} at byte {exc.start}); convert it to UTF-8 first") from None
    digest = hashlib.sha256(data).hexdigest()
    existing = sources.manifest(raw)
    for column, what in (("doc_id", "id"), ("label", "label"), ("id_prefix", "prefix")):
        clash = [row["doc_id"] for row in existing if row[column] == fields[column]]
        if clash:
            raise DocumentError(f"duplicate {what} {fields[column]!r}: document {clash[0]!r} already has it")
    same = [row["doc_id"] for row in existing if row["sha256"] == digest]
    if same:
        raise DocumentError(f"{path}: duplicate file: the same bytes (sha256 {digest}) are document {same[0]!r}")
    target = raw / path.name
    if target.exists():
        raise DocumentError(f"{target} already exists: rename the file (documents in data/raw/ are never replaced)")

    row = {**{k: "" for k in OPTIONAL}, **{k: str(v).strip() for k, v in fields.items() if v is not None}}
    row.update(file=target.name, sha256=digest)
    manifest_path = raw / sources.MANIFEST
    old_manifest, old_package = manifest_path.read_bytes(), package_path.read_bytes()
    header = next(csv.reader(io.StringIO(old_manifest.decode("utf-8-sig"))))
    unknown = sorted(set(row) - set(header))
    if unknown:
        raise DocumentError(f"{manifest_path}: has no column(s) {unknown}")
    line = io.StringIO()
    csv.DictWriter(line, header, lineterminator="\n").writerow(row)
    separator = b"" if old_manifest.endswith(b"\n") else b"\n"
    try:
        shutil.copyfile(path, target)
        if hashlib.sha256(target.read_bytes()).hexdigest() != digest:
            raise DocumentError(f"{target}: the copy differs from {path}")
        manifest_path.write_bytes(old_manifest + separator + line.getvalue().encode("utf-8"))
        sources.manifest(raw)  # the full manifest validation (ids, url, checksum form, required fields)
        sources.load_text(row["doc_id"], raw)
        # the doc_id enums and id prefixes, regenerated from the manifest that now lists the document
        package_path.write_text(vocabulary.datapackage_text(vocabulary.with_enums(json.loads(old_package), raw)), encoding="utf-8")
    except Exception as exc:
        target.unlink(missing_ok=True)
        manifest_path.write_bytes(old_manifest)
        package_path.write_bytes(old_package)
        if isinstance(exc, sources.SourceError):
            raise DocumentError(f"refused, nothing written: {exc}") from None
        raise
    return row


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m belarus_fp.documents", description=__doc__.split("\n")[0])
    commands = parser.add_subparsers(dest="command", required=True)
    add_cmd = commands.add_parser("add", help="copy a UTF-8 text into data/raw/ and register it in the manifest")
    add_cmd.add_argument("path", type=Path)
    for column, option in {**OPTIONS, **OPTIONAL}.items():
        add_cmd.add_argument(option, dest=column, default=None, help=f"manifest column {column}")
    args = parser.parse_args(argv)
    root = paths.require_root(exit_on_error=True)
    fields = {k: getattr(args, k) for k in {**OPTIONS, **OPTIONAL}}
    try:
        row = add(args.path, fields, root)
    except DocumentError as exc:
        print(f"error: {exc}", file=sys.stderr)
        return 1
    print(f"added {row['doc_id']!r}: data/raw/{row['file']} (sha256 {row['sha256']}); next: python -m belarus_fp.propose {row['doc_id']}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
