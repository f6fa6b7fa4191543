"""The finder's gold: what a person marked by hand, to measure the finder against.

The hand-marked sentences (``tests/data/mentions_gold.json``) and the gold files of mentions found by hand in
whole statements (``data/gold/*.csv``, described in ``data/gold/README.md``).
"""

from __future__ import annotations

import json
from pathlib import Path

from ..errors import Problem, TableError
from .finder import ID_FIELDS, id_problems
from .folders import Archive
from .reading import read_csv_rows


def gold_sentences(archive: Archive | None = None) -> list[dict]:
    """The finder's gold sentences with hand-marked mentions (``tests/data/mentions_gold.json`` of the archive's clone)."""
    path = Archive.of(archive).root / "tests" / "data" / "mentions_gold.json"
    return json.loads(path.read_text(encoding="utf-8"))


#: The columns a gold file must have (it may have more: ``name_in_text``, ``quote``, ``note`` ...): a row's id is in
#: the column of its kind (:data:`belarus_fp.archive.finder.ID_COLUMNS`: ``iso3`` or ``org_id``), the other empty.
GOLD_COLUMNS = ("doc_id", "kind", *ID_FIELDS)


def read_gold(path) -> list[dict]:
    """The rows of a gold file of mentions (``data/gold/*.csv``), read strictly.

    One row per (statement, kind, id) a person found by hand; further rows for the same triple
    (another quote) are allowed and count once.

    Raises:
        TableError: the file is missing or malformed, lacks a column of :data:`GOLD_COLUMNS`, or a
            row has no ``doc_id``, a kind not in :data:`~belarus_fp.archive.finder.KINDS`, no id in its kind's column or one in
            another's (file, line, column named).
    """
    path = Path(path)
    header, rows = read_csv_rows(path, path.name)
    problems = [Problem(path.name, 1, c, "", "required column is missing") for c in GOLD_COLUMNS if c not in header]
    for line, row in rows if not problems else ():
        if not row["doc_id"]:
            problems.append(Problem(path.name, line, "doc_id", "", "empty"))
        problems += id_problems(row, line, path.name)
    if problems:
        raise TableError(problems)
    return [dict(row) for _, row in rows]
