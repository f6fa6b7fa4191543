"""Notebook 04's figure: where each document puts its weight (words per theme, mentions per region).

Each builder draws one figure from the tables and returns it; the notebook saves it with ``save_figure``.
"""

from __future__ import annotations

import matplotlib.pyplot as plt
import numpy as np
import pandas as pd

from ..analysis import emphasis
from ..archive.texts import priorities, review_2013
from .documents import document_colours
from .figures import DERIVED_HATCH, source_line


def emphasis_bars(word_share: pd.DataFrame, region_share: pd.DataFrame, labels: dict, archive=None):
    """Notebook 04: share of each document's words by section theme and of its country mentions by region.

    Args:
        word_share, region_share: shares (0..1) indexed by vector, one column per document.
        labels: document -> its label in the legend.
    """
    docs = list(word_share.columns)
    colour = document_colours()

    def grouped_bars(ax, shares, title, xlabel):
        y = np.arange(len(shares))
        height = 0.8 / len(docs)
        for i, doc_id in enumerate(docs):
            ax.barh(
                y + (i - (len(docs) - 1) / 2) * height,
                100 * shares[doc_id],
                height=height,
                color=colour[doc_id],
                hatch=DERIVED_HATCH,
                edgecolor="white",
                linewidth=0,
                label=labels[doc_id],
            )
        ax.set_yticks(y, [emphasis.theme_label(v) for v in shares.index])
        ax.invert_yaxis()
        ax.set_title(title, fontsize=11)
        ax.set_xlabel(xlabel)

    legend_rows = -(-len(docs) // 3)  # at most three columns; each further row of the legend adds height
    height = 5.8 + 0.3 * (legend_rows - 1)
    fig, (left, right) = plt.subplots(1, 2, figsize=(9.6, height), gridspec_kw={"width_ratios": [1, 1]})
    grouped_bars(left, word_share, "Words, by section theme", "share of the document's words (%)")
    grouped_bars(right, region_share, "Countries named, by region", "share of the document's country mentions (%)")
    handles, hl = right.get_legend_handles_labels()
    fig.legend(handles, hl, loc="lower center", bbox_to_anchor=(0.5, 0.29 / height), ncol=min(len(docs), 3))
    fig.suptitle(
        f"Shares of each text: a year's activity report ({review_2013.YEAR}) and a standing priorities page ({priorities.DATED})",
        fontweight="bold",
    )
    fig.tight_layout(rect=(0, (0.58 + 0.3 * (legend_rows - 1)) / height, 1, 1))
    source_line(
        fig, docs, derived=True, extra="Countries found by belarus_fp.analysis.mentions; regions by countries.vector.", archive=archive
    )
    return fig
