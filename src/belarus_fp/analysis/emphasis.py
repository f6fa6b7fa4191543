"""Where each document puts its emphasis: country mentions per region, words per section (notebook 04).

Regions are :func:`belarus_fp.archive.countries.vector`; section themes and their labels and order are
the ``vector`` vocabulary of :mod:`belarus_fp.archive.vocabulary`.
"""

from __future__ import annotations

from ..archive import countries, vocabulary
from . import needs_tables


def region_shares(mentions, archive=None):
    """Share of a document's country mentions per foreign-policy vector (``countries.vector``).

    Args:
        mentions: rows of :func:`belarus_fp.archive.finder.find_mentions` / :func:`belarus_fp.analysis.mentions.document_mentions`
            (countries and historical states are used: the Soviet Union counts for ``russia``, see
            ``data/reference/historical_states.csv``).
        archive: the archive whose historical states give a former state's vector (default: the clone's).

    Returns:
        A Series indexed by ``countries.VECTORS`` (every vector, zero where none), summing to 1.
    """
    codes = mentions.loc[mentions["kind"].isin(["country", "historical_state"]), "iso3"]
    counts = codes.map(lambda code: countries.vector(code, archive)).value_counts().reindex(countries.VECTORS, fill_value=0)
    total = counts.sum()
    return (counts / total if total else counts * 0.0).astype(float).rename("share")


@needs_tables
def section_words(doc_id: str, sections=None, archive=None):
    """Words per section of a document, with the section's ``vector`` (region or theme).

    Words are whitespace-separated tokens of ``belarus_fp.archive.sources.paragraphs``, counted over the
    section's ``first_paragraph``..``last_paragraph``.

    Returns:
        The document's rows of ``sections`` with a ``words`` column added.
    """
    from ..archive import sources

    sources.check_doc_id(doc_id, archive)  # a typo is an error listing the documents, not an empty result

    if sections is None:
        from ..archive.tables import load_table

        sections = load_table("sections", archive=archive)
    paras = sources.paragraphs(doc_id, archive=archive)
    out = sections[sections["doc_id"] == doc_id].copy()
    out["words"] = [
        sum(sources.word_count(p) for p in paras[first - 1 : last])
        for first, last in zip(out["first_paragraph"], out["last_paragraph"], strict=True)
    ]
    return out


def word_shares(doc_ids, sections=None, archive=None):
    """Each document's share of words per theme (the sections' ``vector``); a column sums to 1.

    One column per document (in the order given), themes in reading order (:func:`theme_order`).
    """
    import pandas as pd

    words = pd.concat([section_words(d, sections, archive=archive) for d in doc_ids])
    share = words.pivot_table(index="vector", columns="doc_id", values="words", aggfunc="sum", fill_value=0)
    share = (share / share.sum()).reindex(columns=list(doc_ids))
    return share.loc[theme_order(share.index, archive=archive)]


def theme_label(vector: str) -> str:
    """A readable label for a region (``countries.VECTORS``) or a ``sections.csv`` theme."""
    return vocabulary.label("vector", vector)


def theme_order(vectors, archive=None) -> list[str]:
    """Vectors in reading order: overview, the regions in ``countries.VECTORS`` order, then the themes."""
    return vocabulary.ordered("vector", vectors, archive=archive)
