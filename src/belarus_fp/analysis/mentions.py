"""The mention finder over the archive's documents, and its score on the gold sentences.

The finder itself (matching rules, :func:`~belarus_fp.archive.finder.find_mentions`) is in
:mod:`belarus_fp.archive.finder`, its name tables in :mod:`belarus_fp.archive.name_tables`; this module runs it over each paragraph of a document and
measures it against ``tests/data/mentions_gold.json``.
"""

from __future__ import annotations

from ..archive import sources
from ..archive.finder import ID_COLUMNS, ID_FIELDS, KINDS, SUBJECT, _frame, _sorted_rows, archive_finder, find_mentions, ids
from ..archive.gold import gold_sentences, read_gold
from ..archive.texts.ungd import corpus_texts


def document_mentions(doc_id: str, include_subject: bool = False, archive=None):
    """:func:`find_mentions` over each paragraph of a document (``belarus_fp.archive.sources.paragraphs``).

    Returns:
        The mentions with ``doc_id`` and ``paragraph`` (1-based) added; spans are offsets within
        the paragraph.
    """
    finder, rows, numbers = archive_finder(archive), [], []
    for number, para in enumerate(sources.paragraphs(doc_id, archive), start=1):
        found = _sorted_rows(finder, para, include_subject)
        rows += found
        numbers += [number] * len(found)
    return _frame(rows, doc_id=[doc_id] * len(rows), paragraph=numbers)


def gold_scores(gold=None, archive=None):
    """The finder against a gold set of sentences with hand-marked mentions, per source.

    The cross-check against the curated tables cannot show the finder's errors on other texts:
    its aliases were written from these two documents. The gold file
    (``tests/data/mentions_gold.json``) also holds sentences written for the purpose ("own"),
    with traps such as Guinea / Equatorial Guinea or Niger / Nigeria. A mention counts as found
    only with the same kind, id (``iso3`` or ``org_id``, by kind) and character span.

    Args:
        gold: the parsed gold list (default: the repository's file).
        archive: the archive whose name tables the finder uses (default: the clone's).

    Returns:
        One row per source (each doc_id, then ``own``) with ``sentences``,
        ``expected``, ``found``, ``matched``, ``precision`` and ``recall``.
    """
    import pandas as pd

    if gold is None:
        gold = gold_sentences(archive)
    rows = {}
    for case in gold:
        expected = {(e["kind"], e[ID_COLUMNS[e["kind"]]], e["start"], e["end"]) for e in case["expected"]}
        rows_found = find_mentions(case["sentence"], archive=archive)
        found = set(zip(rows_found["kind"], ids(rows_found), rows_found["start"], rows_found["end"], strict=True))
        row = rows.setdefault(case["source"], {"sentences": 0, "expected": 0, "found": 0, "matched": 0})
        row["sentences"] += 1
        row["expected"] += len(expected)
        row["found"] += len(found)
        row["matched"] += len(expected & found)
    out = pd.DataFrame.from_dict(rows, orient="index").rename_axis("source")
    out["precision"] = out["matched"] / out["found"].where(out["found"] > 0)
    out["recall"] = out["matched"] / out["expected"].where(out["expected"] > 0)
    return out


# --------------------------------------------------------------------------------------------
# The finder against hand-annotated statements (entity level)
# --------------------------------------------------------------------------------------------


def entity_sets(texts: dict, include_subject: bool = True, archive=None) -> dict[str, set[tuple[str, str]]]:
    """Per statement, the set of (kind, id) the finder of ``archive``'s name tables (default: the clone's) finds in its whole text.

    Belarus is included by default (``include_subject``).
    """
    finder = archive_finder(archive)
    return {doc_id: {(r[0], r[1]) for r in finder.scan(text, include_subject)} for doc_id, text in texts.items()}


def entity_scores(gold, texts: dict, include_subject: bool = True, archive=None):
    """Precision and recall of the finder per kind, at entity level, against a gold set.

    Per statement, the set of (kind, id) the finder finds in the text is compared with the set
    the gold rows give for it: a (kind, id) is matched when both have it, whatever the number,
    place or wording of its mentions. Counts are summed over the statements, then per kind
    ``precision = matched / found`` and ``recall = matched / gold`` (NaN when the divisor is 0).

    Args:
        gold: rows with ``doc_id``, ``kind`` and the id in its kind's column (``iso3`` for a country or historical
            state, ``org_id`` for an organisation: ``finder.ID_COLUMNS``; :func:`belarus_fp.archive.gold.read_gold`, or a DataFrame).
        texts: ``doc_id -> text`` of every statement of the gold set (the finder reads the whole text).
        include_subject: count Belarus too (the gold files record the speaker: default True); False leaves
            it out of the gold rows as well as of the finder's.
        archive: the archive whose name tables and organisations the finder uses (default: the clone's).

    Returns:
        A DataFrame indexed by kind (:data:`KINDS`, then ``all``) with ``statements``, ``gold``,
        ``found``, ``matched``, ``precision`` and ``recall``.

    Raises:
        KeyError: a statement of the gold set has no text in ``texts``.
    """
    import pandas as pd

    expected, found = _entity_pairs(gold, texts, include_subject, archive)
    rows = {}
    for kind in (*KINDS, "all"):

        def pick(pairs, kind=kind):
            return {(d, k, c) for d, k, c in pairs if kind in ("all", k)}

        g, f = pick(expected), pick(found)
        rows[kind] = {"statements": len(texts_of(expected)), "gold": len(g), "found": len(f), "matched": len(g & f)}
    out = pd.DataFrame.from_dict(rows, orient="index").rename_axis("kind")
    out["precision"] = out["matched"] / out["found"].where(out["found"] > 0)
    out["recall"] = out["matched"] / out["gold"].where(out["gold"] > 0)
    return out


def entity_errors(gold, texts: dict, include_subject: bool = True, archive=None):
    """What the finder misses and adds at entity level: one row per (doc_id, kind, id) in only one set.

    The arguments are :func:`entity_scores`'s (``archive``: the archive whose finder is measured, default the clone's).

    Returns:
        A DataFrame with ``doc_id``, ``kind``, the id in its kind's column (``iso3`` or ``org_id``, the other
        empty; ``finder.ID_COLUMNS``) and ``error`` (``missed``: in the gold set only; ``extra``: found only), sorted.
    """
    import pandas as pd

    expected, found = _entity_pairs(gold, texts, include_subject, archive)
    rows = [(*t, "missed") for t in expected - found] + [(*t, "extra") for t in found - expected]
    out = [(d, k, *(c if column == ID_COLUMNS[k] else "" for column in ID_FIELDS), error) for d, k, c, error in sorted(rows)]
    return pd.DataFrame(out, columns=["doc_id", "kind", *ID_FIELDS, "error"])


def texts_of(pairs) -> set[str]:
    """The statements (doc_ids) of a set of (doc_id, kind, id)."""
    return {d for d, _, _ in pairs}


def _entity_pairs(gold, texts: dict, include_subject: bool, archive):
    records = gold.to_dict("records") if hasattr(gold, "to_dict") else list(gold)
    expected = {(r["doc_id"], r["kind"], r[ID_COLUMNS[r["kind"]]]) for r in records}
    docs = sorted(texts_of(expected))
    if not include_subject:  # the finder leaves the speaker out: so must the gold set, or every Belarus row is "missed"
        expected = {(d, k, c) for d, k, c in expected if not (k == "country" and c == SUBJECT)}
    missing = [d for d in docs if d not in texts]
    if missing:
        raise KeyError(f"no text for the gold statements {missing}")
    found = {(d, k, c) for d, pairs in entity_sets({d: texts[d] for d in docs}, include_subject, archive=archive).items() for k, c in pairs}
    return expected, found


def score_gold_file(path, texts_dir=None, archive=None):
    """:func:`entity_scores` for a gold file (``data/gold/ungd-mentions-dev.csv`` or any such file).

    The statements' texts are read from ``texts_dir`` if given, else from ``archive``; the finder is ``archive``'s
    (default: the clone's). ``path`` is the gold file itself, wherever it is.

    Example (before the statements are in the archive, from the corpus's own folder)::

        mentions.score_gold_file("data/gold/ungd-mentions-dev.csv", texts_dir="../shared/corpora/ungd-belarus/texts")
    """
    gold = read_gold(path)
    texts = corpus_texts(sorted({r["doc_id"] for r in gold}), texts_dir, archive=archive)
    return entity_scores(gold, texts, archive=archive)


def wilson_interval(successes: int, trials: int, z: float = 1.96) -> tuple[float, float]:
    """The Wilson score interval of a proportion (95 % by default): ``(low, high)``, NaN for 0 trials.

    Used for the finder's precision and recall on a small gold set, where the share alone hides how
    few mentions it rests on.
    """
    import math

    if trials == 0:
        return (math.nan, math.nan)
    p = successes / trials
    centre = (p + z * z / (2 * trials)) / (1 + z * z / trials)
    half = z * math.sqrt(p * (1 - p) / trials + z * z / (4 * trials * trials)) / (1 + z * z / trials)
    return (max(0.0, centre - half), min(1.0, centre + half))
