"""Notebook 05's figures: framing words per partner, and claims by kind.

Each builder draws one figure from the tables and returns it; the notebook saves it with ``save_figure``.
"""

from __future__ import annotations

import matplotlib.pyplot as plt
import numpy as np
import pandas as pd

from ..analysis import framing as fr
from ..archive import countries, sources, vocabulary
from .documents import document_colours, document_markers, document_offsets
from .figures import GREY, PALETTE, source_line

#: Colour of each ``claim`` (notebook 05), in the vocabulary's order.
CLAIM_COLOURS = dict(zip(vocabulary.values("claim"), [PALETTE[2], PALETTE[0], PALETTE[5], PALETTE[4], PALETTE[1], GREY], strict=True))


def framing_terms(framing: pd.DataFrame, labels: dict, archive=None):
    """Notebook 05: the framing words each document uses of each partner, partners grouped by region.

    Args:
        framing: the ``framing`` table.
        labels: document -> its label in the legend.
        archive: the archive whose manifest lists the documents (default: the clone's).
    """
    docs = sources.doc_ids(collection=sources.MINISTRY, archive=archive)
    grid = fr.term_matrix(framing, archive=archive)
    regions = [fr.region(s, archive) for s in grid.index]
    names = [fr.partner_name(s, archive=archive) for s in grid.index]  # organisations by their acronym (EU, OSCE)
    n_rows, n_cols = grid.shape
    fig, ax = plt.subplots(figsize=(9.4, 0.19 * n_rows + 3.2))
    colours, bits_of = (
        document_colours(archive=archive),
        sources.doc_bits(docs=sources.doc_ids(collection=sources.MINISTRY, archive=archive), archive=archive),
    )
    for (doc, (m, _)), dx in zip(document_markers(archive=archive).items(), document_offsets(0.17, archive=archive), strict=True):
        colour, bit = colours[doc], bits_of[doc]
        ys, xs = np.nonzero((grid.to_numpy() & bit) > 0)
        ax.scatter(xs + dx, ys, marker=m, s=30, color=colour, label=labels[doc], zorder=3, linewidths=0)
    ax.set_xticks(
        range(n_cols), [fr.TERM_LABELS[t] for t in grid.columns], rotation=55, ha="left", va="bottom", rotation_mode="anchor", fontsize=8
    )
    ax.set_yticks(range(n_rows), names, fontsize=8)
    ax.set_xlim(-0.6, n_cols - 0.4)
    ax.set_ylim(n_rows - 0.5, -0.5)
    ax.xaxis.tick_top()
    ax.tick_params(axis="x", length=0, pad=2)
    ax.tick_params(axis="y", length=0)
    for spine in ax.spines.values():
        spine.set_visible(False)
    ax.set_xticks(np.arange(-0.5, n_cols, 1), minor=True)
    ax.grid(axis="x", which="minor", color="#EEEEEE", lw=0.6)
    ax.tick_params(axis="x", which="minor", length=0)
    # region bands
    start = 0
    for i in range(1, n_rows + 1):
        if i == n_rows or regions[i] != regions[start]:
            if i < n_rows:
                ax.axhline(i - 0.5, color="#999999", lw=0.6)
            ax.text(n_cols - 0.35, (start + i - 1) / 2, regions[start], ha="left", va="center", fontsize=8, color="#444444")
            start = i
    fig.suptitle("Framing words per partner and document", x=0.01, ha="left", y=0.995, fontsize=12, fontweight="bold")
    ax.legend(loc="upper left", bbox_to_anchor=(0.0, -0.005), ncol=min(len(docs), 3), fontsize=8, handletextpad=0.3)
    fig.subplots_adjust(left=0.15, right=0.80, top=0.80, bottom=0.05)
    source_line(fig, docs, extra="Each mark is a row of framing.csv with its verbatim quote; words as the texts use them.", archive=archive)
    return fig


def claims_by_kind(facts: pd.DataFrame, bilateral: pd.DataFrame, multilateral: pd.DataFrame, labels: dict, archive=None):
    """Notebook 05: the kind of claim each row makes, per document, partner region and table.

    Args:
        facts: the ``facts`` table.
        bilateral: the ``bilateral`` table.
        multilateral: the ``multilateral`` table.
        labels: document -> its panel title.
        archive: the archive whose manifest lists the documents (default: the clone's).
    """
    docs = sources.doc_ids(collection=sources.MINISTRY, archive=archive)
    counts = fr.claims_by_kind(facts, bilateral, multilateral, archive=archive)
    by_region = fr.claim_mix(counts[counts["table"] == "bilateral"], ("doc_id", "region"))
    by_table = fr.claim_mix(counts[counts["table"] != "bilateral"], ("doc_id", "table"))
    row_labels = {"facts": "numbers (facts.csv)", "multilateral": "organisations (multilateral.csv)"}
    order = list(countries.VECTOR_LABELS.values())
    # one panel per document, at most two to a row; the figure grows in height (inches)
    n_cols, n_rows = min(len(docs), 2), -(-len(docs) // 2)
    top_in, panel_in, gap_in, bottom_in = 0.644, 2.576, 1.0, 1.38
    height = top_in + n_rows * panel_in + (n_rows - 1) * gap_in + bottom_in
    fig, grid = plt.subplots(n_rows, n_cols, figsize=(9.0, height), sharey=True, squeeze=False)
    axes = grid.ravel()
    for ax in axes[len(docs) :]:
        ax.set_visible(False)
    rows = [("bilateral", r) for r in order] + [("table", t) for t in ("multilateral", "facts")]
    ylabels = [f"{r} (countries)" if k == "bilateral" else row_labels[r] for k, r in rows]
    for ax, doc in zip(axes, docs, strict=False):
        data = []
        for kind, key in rows:
            frame = by_region if kind == "bilateral" else by_table
            data.append(frame.loc[(doc, key)] if (doc, key) in frame.index else pd.Series(0, index=frame.columns))
        data = pd.DataFrame(data).reset_index(drop=True)
        y = np.arange(len(rows))
        left = np.zeros(len(rows))
        for claim in fr.CLAIM_ORDER:
            share = np.where(data["total"] > 0, data[claim] / data["total"].replace(0, 1), 0)
            ax.barh(y, share, left=left, color=CLAIM_COLOURS[claim], height=0.7, label=fr.CLAIM_LABELS[claim])
            left += share
        for yi, n in zip(y, data["total"], strict=True):
            ax.text(1.02, yi, f"n={n}" if n else "no rows", va="center", fontsize=8, color="#444444")
        ax.set_xlim(0, 1.0)
        ax.set_xticks([0, 0.5, 1], ["0", "50%", "100%"])
        ax.set_title(labels[doc], fontsize=11)
        ax.set_xlabel("share of the document's rows")
    axes[0].set_yticks(np.arange(len(rows)), ylabels, fontsize=8.5)
    axes[0].invert_yaxis()
    fig.suptitle(
        "What kind of claim each row makes, per document and region",
        x=0.01,
        y=1 - 0.092 / height,  # a fixed distance from the top, however many rows of panels
        ha="left",
        fontsize=12,
        fontweight="bold",
    )
    handles, hl = axes[0].get_legend_handles_labels()
    fig.legend(handles, hl, loc="lower center", ncol=3, fontsize=8, bbox_to_anchor=(0.55, 0.276 / height))
    fig.subplots_adjust(left=0.25, right=0.92, top=1 - top_in / height, bottom=bottom_in / height, wspace=0.2, hspace=gap_in / panel_in)
    source_line(
        fig,
        docs,
        extra="Rows of bilateral.csv (by the partner's region), multilateral.csv and facts.csv, by their claim column.",
        archive=archive,
    )
    return fig
