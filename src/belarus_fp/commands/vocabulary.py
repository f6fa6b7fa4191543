"""``python -m belarus_fp.vocabulary [--write]``: check (or rewrite) datapackage.json's enums from the vocabulary."""

from __future__ import annotations

import json
import sys

from .. import paths
from ..archive import tables, transaction
from ..archive.vocabulary import datapackage_text, with_enums


def main(argv=None) -> int:
    """``python -m belarus_fp.vocabulary [--write]``: check (or rewrite) datapackage.json's enums."""
    path = paths.CURATED / "datapackage.json"
    wanted = datapackage_text(with_enums(json.loads(path.read_text(encoding="utf-8"))))
    if path.read_text(encoding="utf-8") == wanted:
        print(f"{path}: every enum is the vocabulary's")
        return 0
    if "--write" in (sys.argv[1:] if argv is None else argv):
        try:  # one transaction: locked, validated with the full loaders, renamed into place
            with transaction.Transaction(paths.DATA, "vocabulary --write", validate=tables.load_all) as txn:
                current = txn.read_bytes("curated/datapackage.json").decode("utf-8")
                txn.write_text("curated/datapackage.json", datapackage_text(with_enums(json.loads(current))))
        except (transaction.TransactionError, ValueError) as exc:  # TableError is a ValueError
            print(f"error: {exc}", file=sys.stderr)
            return 1
        for note in txn.notes:
            print(f"note: {note}", file=sys.stderr)
        print(f"{path}: enums rewritten from belarus_fp.archive.vocabulary")
        return 0
    print(f"{path}: enums differ from belarus_fp.archive.vocabulary; run `python -m belarus_fp.vocabulary --write`")
    return 1


if __name__ == "__main__":
    sys.exit(main())
