"""The mention finder against the curated tables (notebook 04's cross-check).

Which countries and organisations a document names that its curated rows do not cover, and the reverse.

A check of the curation, not of the documents: a code found only by the finder is a mention the
tables may have missed; a code only in the tables is a name the finder cannot read.
"""

from __future__ import annotations

from ..archive import sources
from ..archive.finder import ID_COLUMNS, ids
from .mentions import document_mentions


def curated_codes(doc_id: str, kind: str, tables: dict | None = None, archive=None) -> set[str]:
    """The codes the curated tables give a document.

    ISO3s of ``bilateral`` for ``"country"``; for ``"organization"`` the org_ids of ``multilateral`` plus
    the ``organizations`` rows quoted from that document.
    """
    sources.check_doc_id(doc_id, archive)  # a typo is an error listing the documents, not an empty result
    tables = _default_tables(archive=archive) if tables is None else tables
    if kind == "country":
        bil = tables["bilateral"]
        return set(bil.loc[bil["doc_id"] == doc_id, "iso3"])
    if kind == "organization":
        mul, org = tables["multilateral"], tables["organizations"]
        return set(mul.loc[mul["doc_id"] == doc_id, "org_id"]) | set(org.loc[org["doc_id"] == doc_id, "org_id"])
    raise ValueError(f"kind must be 'country' or 'organization', not {kind!r}")


def _default_tables(archive=None) -> dict:
    """The curated tables that name countries and organisations (the default of this module's functions)."""
    from ..archive.tables import load_table

    return {name: load_table(name, archive=archive) for name in ("bilateral", "multilateral", "organizations")}


def agreement(found: set[str], curated: set[str]) -> dict:
    """Precision and recall of a set of found codes against the curated set.

    Returns:
        ``found``, ``curated``, ``both`` (counts), ``precision`` (both / found) and ``recall``
        (both / curated), each 1.0 when its denominator is empty.
    """
    both = len(found & curated)
    return {
        "found": len(found),
        "curated": len(curated),
        "both": both,
        "precision": both / len(found) if found else 1.0,
        "recall": both / len(curated) if curated else 1.0,
    }


def cross_check(doc_ids=None, tables: dict | None = None, archive=None):
    """Finder against curated tables, per document and kind.

    Returns:
        ``(summary, disagreements)``: ``summary`` has one row per (doc_id, kind) with the
        :func:`agreement` figures; ``disagreements`` one row per code found by only one side, the
        code in its kind's column (``iso3`` for a country, ``org_id`` for an organisation, the other empty),
        with ``side`` (``"finder only"`` / ``"tables only"``) and, for finder-only codes, the
        paragraph number and text of its first mention.
    """
    import pandas as pd

    from ..archive import sources

    doc_ids = list(doc_ids or sources.doc_ids(collection=sources.MINISTRY, archive=archive))
    summary, diffs = [], []
    for doc_id in doc_ids:
        found_rows = document_mentions(doc_id, archive=archive)
        paras = sources.paragraphs(doc_id, archive=archive)
        for kind in ("country", "organization"):
            rows = found_rows[found_rows["kind"] == kind]
            column = ID_COLUMNS[kind]
            found, curated = set(rows[column]), curated_codes(doc_id, kind, tables, archive=archive)
            summary.append({"doc_id": doc_id, "kind": kind, **agreement(found, curated)})
            for code in sorted(found - curated):
                first = rows[rows[column] == code].iloc[0]
                diffs.append(
                    {
                        "doc_id": doc_id,
                        "kind": kind,
                        **_codes(kind, code),
                        "side": "finder only",
                        "text": first["text"],
                        "paragraph": int(first["paragraph"]),
                        "context": paras[first["paragraph"] - 1],
                    }
                )
            for code in sorted(curated - found):
                diffs.append(
                    {"doc_id": doc_id, "kind": kind, **_codes(kind, code), "side": "tables only", "text": "", "paragraph": 0, "context": ""}
                )
    cols = ["doc_id", "kind", *CHECKED_COLUMNS, "side", "text", "paragraph", "context"]
    return pd.DataFrame(summary), pd.DataFrame(diffs, columns=cols)


#: The id columns of :func:`cross_check`'s disagreements: the kinds the curated tables record (no historical state).
CHECKED_COLUMNS = (ID_COLUMNS["country"], ID_COLUMNS["organization"])


def _codes(kind: str, code: str) -> dict[str, str]:
    """``code`` in its kind's column of :data:`CHECKED_COLUMNS`, the other empty."""
    return {column: code if column == ID_COLUMNS[kind] else "" for column in CHECKED_COLUMNS}


def _quoted_paragraphs(doc_id: str, quote: str, archive=None) -> range:
    """The paragraphs (1-based) a quote of the document runs over."""
    from ..archive import sources

    loc = sources.locate(quote, doc_id, archive=archive)
    paras = sources.paragraphs(doc_id, archive=archive)
    last, end = loc.paragraph, loc.offset + len(sources.normalize(quote))
    while end > len(paras[last - 1]) and last < len(paras):
        end -= len(paras[last - 1]) + 1
        last += 1
    return range(loc.paragraph, last + 1)


def uncovered_mentions(doc_id: str, tables: dict | None = None, archive=None):
    """Mentions the finder sees in a paragraph where no curated row about that code quotes the text.

    A finer check than :func:`cross_check`: a country or organisation may be in a document's
    curated set, yet one of its mentions (a heading, a list, an adjective) carry no row. Rows of
    ``bilateral`` (iso3), ``multilateral`` and ``organizations`` (org_id) count, each for every
    paragraph its quote runs over.

    Returns:
        The rows of :func:`belarus_fp.analysis.mentions.document_mentions` not covered (Belarus left out).
    """
    sources.check_doc_id(doc_id, archive)  # a typo is an error listing the documents, not an empty result
    tables = _default_tables(archive=archive) if tables is None else tables
    covered = set()
    for name, col in (("bilateral", "iso3"), ("multilateral", "org_id"), ("organizations", "org_id")):
        table = tables[name]
        rows = table.loc[table["doc_id"] == doc_id]
        for code, quote in zip(rows[col], rows["quote"], strict=True):
            covered |= {(number, code) for number in _quoted_paragraphs(doc_id, quote, archive=archive)}
    found = document_mentions(doc_id, archive=archive)
    keep = [(p, c) not in covered for p, c in zip(found["paragraph"], ids(found), strict=True)]
    return found[keep].reset_index(drop=True)
