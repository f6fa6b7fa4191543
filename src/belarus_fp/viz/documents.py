"""Figures about the documents themselves (notebook 00), and each document's colour, marker and offset.

The colour, marker and offset are the ones of every per-document figure (the palette in the manifest's order).

Each builder draws one figure from the tables and returns it; the notebook saves it with ``save_figure``.
"""

from __future__ import annotations

import matplotlib.pyplot as plt
import pandas as pd

from ..archive import sources
from .figures import PALETTE, source_line


def document_colours(archive=None) -> dict:
    """One palette colour per document, in the manifest's order (the review first).

    Raises:
        ValueError: the manifest has more documents than the palette has colours (a repeated
            colour would make two documents one in a legend).
    """
    return dict(zip(_drawable_documents(archive=archive), PALETTE, strict=False))  # spare colours unused; too few refused above


def document_markers(archive=None) -> dict:
    """One marker and its size per document, in the manifest's order (with :func:`document_colours`)."""
    return dict(zip(_drawable_documents(archive=archive), DOC_MARKERS, strict=False))  # spare markers unused


def _drawable_documents(archive=None) -> list:
    docs = sources.doc_ids(collection=sources.MINISTRY, archive=archive)
    if len(docs) > min(len(PALETTE), len(DOC_MARKERS)):
        raise ValueError(
            f"the manifest has {len(docs)} documents; the per-document figures tell at most {len(PALETTE)} apart "
            "(one colour of belarus_fp.viz.figures.PALETTE and one marker of belarus_fp.viz.documents.DOC_MARKERS each): "
            "add colours and markers, or draw a subset of the documents"
        )
    return docs


#: Words for the number of documents in a title ("the two source documents").
COUNT_WORDS = {2: "two", 3: "three", 4: "four"}


#: Marker of each document, in the manifest's order (with :func:`document_colours`), and its size:
#: one for each colour of the palette.
DOC_MARKERS = (("o", 30), ("s", 26), ("^", 28), ("D", 20), ("v", 28), ("P", 28), ("X", 28), ("h", 30))


def document_offsets(width: float, archive=None) -> list:
    """X offsets of the documents' markers within one cell, spread over ``-width .. width``."""
    n = len(sources.doc_ids(collection=sources.MINISTRY, archive=archive))
    return [0.0] if n == 1 else [-width + 2 * width * i / (n - 1) for i in range(n)]


def paragraph_lengths(lengths: pd.DataFrame, archive=None):
    """Notebook 00: the words of each paragraph, one panel per document (:func:`belarus_fp.archive.sources.paragraph_lengths`)."""
    docs = list(dict.fromkeys(lengths["doc_id"]))
    colours = document_colours(archive=archive)
    fig, axes = plt.subplots(len(docs), 1, figsize=(9, 2.75 * len(docs)), sharey=True, squeeze=False)
    for ax, (doc_id, group) in zip(axes[:, 0], lengths.groupby("doc_id", sort=False), strict=True):
        ax.bar(group["paragraph"], group["words"], color=colours[doc_id], width=0.8)
        ax.set_title(f"{doc_id}: {sources.source_name(doc_id, archive=archive)}", fontsize=10, loc="left")
        ax.set_xlabel("paragraph number")
        ax.set_ylabel("words")
        ax.set_xlim(0, group["paragraph"].max() + 1)
    fig.suptitle(
        f"Paragraph lengths of the {COUNT_WORDS.get(len(docs), len(docs))} source documents",
        fontweight="bold",
        y=1 - 0.11 / fig.get_figheight(),  # a fixed distance from the top, however many panels
    )
    fig.tight_layout(rect=(0, 0.03, 1, 1))
    source_line(fig, docs, archive=archive)
    return fig
