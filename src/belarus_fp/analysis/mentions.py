"""The mention finder over the archive's documents, and its score on the gold sentences.

The finder itself (name tables, matching rules, :func:`~belarus_fp.archive.finder.find_mentions`) is
in :mod:`belarus_fp.archive.finder`; this module runs it over each paragraph of a document and
measures it against ``tests/data/mentions_gold.json``.
"""

from __future__ import annotations

from .. import paths
from ..archive import sources
from ..archive.finder import _default_finder, _frame, _sorted_rows, find_mentions


def document_mentions(doc_id: str, include_subject: bool = False):
    """:func:`find_mentions` over each paragraph of a document (``belarus_fp.archive.sources.paragraphs``).

    Returns:
        The mentions with ``doc_id`` and ``paragraph`` (1-based) added; spans are offsets within
        the paragraph.
    """
    finder, rows, numbers = _default_finder(), [], []
    for number, para in enumerate(sources.paragraphs(doc_id), start=1):
        found = _sorted_rows(finder, para, include_subject)
        rows += found
        numbers += [number] * len(found)
    return _frame(rows, doc_id=[doc_id] * len(rows), paragraph=numbers)


def gold_scores(gold=None):
    """The finder against a gold set of sentences with hand-marked mentions, per source.

    The cross-check against the curated tables cannot show the finder's errors on other texts:
    its aliases were written from these two documents. The gold file
    (``tests/data/mentions_gold.json``) also holds sentences written for the purpose ("own"),
    with traps such as Guinea / Equatorial Guinea or Niger / Nigeria. A mention counts as found
    only with the same kind, code and character span.

    Args:
        gold: the parsed gold list (default: the repository's file).

    Returns:
        One row per source (each doc_id, then ``own``) with ``sentences``,
        ``expected``, ``found``, ``matched``, ``precision`` and ``recall``.
    """
    import json

    import pandas as pd

    if gold is None:
        gold = json.loads((paths.ROOT / "tests" / "data" / "mentions_gold.json").read_text(encoding="utf-8"))
    rows = {}
    for case in gold:
        keys = ("kind", "code", "start", "end")
        expected = {tuple(e[k] for k in keys) for e in case["expected"]}
        found = {tuple(r[k] for k in keys) for r in find_mentions(case["sentence"]).to_dict("records")}
        row = rows.setdefault(case["source"], {"sentences": 0, "expected": 0, "found": 0, "matched": 0})
        row["sentences"] += 1
        row["expected"] += len(expected)
        row["found"] += len(found)
        row["matched"] += len(expected & found)
    out = pd.DataFrame.from_dict(rows, orient="index").rename_axis("source")
    out["precision"] = out["matched"] / out["found"].where(out["found"] > 0)
    out["recall"] = out["matched"] / out["expected"].where(out["expected"] > 0)
    return out
