"""Notebook 01's figures: Russia's share and the implied total, the other trade statements, trade roles per region.

Each builder draws one figure from the tables and returns it; the notebook saves it with ``save_figure``.
"""

from __future__ import annotations

import textwrap

import matplotlib.pyplot as plt
import pandas as pd

from ..analysis import trade
from ..archive import countries, sources, vocabulary
from ..archive.facts import find as find_fact
from ..archive.texts import review_2013
from .figures import DERIVED_HATCH, GREY, PALETTE, source_line


def trade_concentration(shares: pd.DataFrame, low: float, high: float, archive=None):
    """Notebook 01: Russia's, the USA's and the other partners' shares of the implied total, and the turnovers.

    Args:
        shares: :func:`belarus_fp.analysis.trade.shares_table`.
        low: the lower end of :func:`belarus_fp.analysis.trade.rounding_range` of the implied total.
        high: the upper end of that range.
        archive: the archive whose manifest the source line cites (default: the clone's).
    """
    total, usa = shares.loc["total"], shares.loc["USA"]
    colors = {"RUS": PALETTE[0], "USA": PALETTE[3], "others": GREY, "total": "white"}
    fig, (top, bottom) = plt.subplots(2, 1, figsize=(9, 5.2), height_ratios=[1, 2.2])
    left = 0.0
    for pid in ["RUS", "USA", "others"]:
        row = shares.loc[pid]
        top.barh(
            0,
            row.share_pct,
            left=left,
            color=colors[pid],
            edgecolor="#333333",
            linewidth=0.6,
            hatch=DERIVED_HATCH if row.share_derived else None,
        )
        left += row.share_pct
    rus, oth = shares.loc["RUS"], shares.loc["others"]
    top.text(
        rus.share_pct / 2,
        0,
        f"Russia\n{trade.with_sign(rus.share_pct, rus.qualifier)} %",
        ha="center",
        va="center",
        color="white",
        fontweight="bold",
    )
    top.text(
        100 - oth.share_pct / 2,
        0,
        f"All other partners\n{trade.with_sign(oth.share_pct, oth.qualifier)} % (derived)",
        ha="center",
        va="center",
        bbox=dict(facecolor="white", edgecolor="none", alpha=0.85, pad=2),
    )
    top.annotate(
        f"United States {trade.with_sign(usa.share_pct, usa.qualifier, 2)} % (derived)",
        xy=(rus.share_pct + usa.share_pct / 2, 0.42),
        xytext=(rus.share_pct + 4, 0.95),
        arrowprops=dict(arrowstyle="-|>", color=PALETTE[3]),
        color=PALETTE[3],
        va="center",
    )
    top.set(xlim=(0, 100), ylim=(-0.5, 1.2), yticks=[], xlabel="share of total foreign trade (%)")
    top.spines["left"].set_visible(False)
    top.set_title(f"Belarus's foreign trade, {total.period}: Russia alone is about half")

    order = ["total", "RUS", "others", "USA"]
    labels = [shares.loc[p, "partner"] for p in order]
    for y, pid in enumerate(order):
        row = shares.loc[pid]
        bottom.barh(
            y, row.value_usd_bn, color=colors[pid], edgecolor="#333333", linewidth=0.6, hatch=DERIVED_HATCH if row.value_derived else None
        )
        tag = {"total": f" (derived; rounding range {low:.1f}–{high:.1f})", "others": " (derived)", "USA": " (stated lower bound)"}.get(
            pid, ""
        )
        bottom.text(row.value_usd_bn + 1.2, y, f"{trade.with_sign(row.value_usd_bn, row.qualifier)}{tag}", va="center")
    bottom.set(
        yticks=range(len(order)),
        yticklabels=labels,
        xlabel=f"trade turnover ({vocabulary.label('unit', 'usd_bn')})",
        xlim=(0, total.value_usd_bn * 1.35),
    )
    bottom.invert_yaxis()
    fig.tight_layout(rect=(0, 0.06, 1, 1))
    source_line(
        fig, [review_2013.DOC_ID], derived=True, extra='≥ lower bound ("exceeded"); ≤ upper bound that follows from it.', archive=archive
    )
    return fig


def trade_statements(other: pd.DataFrame, facts: pd.DataFrame, groupings: pd.DataFrame, archive=None):
    """Notebook 01: the review's other trade statements, one unit per panel (money, countries, export share).

    Args:
        other: :func:`belarus_fp.analysis.trade.statements` (only the review's rows are drawn).
        facts: the ``facts`` table.
        groupings: the ``groupings`` table.
        archive: the archive whose manifest the source line cites (default: the clone's).
    """
    other = other[other["doc_id"] == review_2013.DOC_ID]
    money = other[other["unit"] == "usd_bn"].sort_values("fact_id")
    counted = other[other["measured_in"] == "countries"].sort_values("value", ascending=False)
    partners = find_fact(facts, "foreign_trade_partners", "", "count", review_2013.DOC_ID, archive=archive)
    export_share = find_fact(
        facts, "share_of_exports", "countries_with_belarusian_missions", "percent", review_2013.DOC_ID, archive=archive
    )
    rest = trade.remainder_pct(float(export_share["value"]))

    def label(row):
        return textwrap.fill(row.statement + (f": {row.about}" if row.subject else ""), 42)

    fig, axes = plt.subplots(3, 1, figsize=(9, 6.6), height_ratios=[2, 2, 1.1])
    for ax, rows, xlabel, color in [
        (axes[0], money, vocabulary.label("unit", "usd_bn"), PALETTE[2]),
        (axes[1], counted, "number of countries", PALETTE[0]),
    ]:
        for y, row in enumerate(rows.itertuples()):
            ax.barh(y, row.value, color=color, edgecolor="#333333", linewidth=0.6)
            ax.text(row.value + rows["value"].max() * 0.02, y, row.as_stated, va="center")
        ax.set(yticks=range(len(rows)), xlabel=xlabel, xlim=(0, rows["value"].max() * 1.2))
        ax.set_yticklabels([label(r) for r in rows.itertuples()], fontsize=9)
        ax.invert_yaxis()
    axes[0].set_title("Money: a balance, not a turnover" if len(money) == 1 else "Money (not turnovers)", loc="left", fontsize=10)
    axes[1].set_title(f"Countries, {partners['period']}", loc="left", fontsize=10)
    ax = axes[2]
    ax.barh(0, export_share["value"], color=PALETTE[0], edgecolor="#333333", linewidth=0.6)
    ax.barh(0, rest, left=export_share["value"], color=GREY, edgecolor="#333333", linewidth=0.6, hatch=DERIVED_HATCH)
    ax.text(
        export_share["value"] / 2,
        0,
        f"to {trade.subject_label(export_share['subject'], groupings, archive=archive)}: {export_share['value']:.0f} %",
        ha="center",
        va="center",
        color="white",
        fontweight="bold",
    )
    ax.annotate(
        f"elsewhere: {rest:.0f} % (derived)",
        xy=(100 - rest / 2, 0.4),
        xytext=(100 - rest / 2, 0.95),
        ha="right",
        va="center",
        arrowprops=dict(arrowstyle="-", color="#444444"),
    )
    ax.set(xlim=(0, 100), ylim=(-0.5, 1.2), yticks=[], xlabel="share of Belarusian exports (%)")
    ax.spines["left"].set_visible(False)
    ax.set_title("Exports by destination", loc="left", fontsize=10)
    fig.suptitle(f"Other trade statements of the annual review ({review_2013.DOC_ID}), one unit per panel", fontweight="bold")
    fig.tight_layout(rect=(0, 0.04, 1, 1))
    approximate = "approximate" in set(money.get("qualifier", ())) or "approximate" in set(counted.get("qualifier", ()))
    source_line(fig, [review_2013.DOC_ID], derived=True, extra='≈ approximate ("around").' if approximate else "", archive=archive)
    return fig


def _relation_grid(grid: pd.DataFrame, col: str) -> pd.DataFrame:
    """One document's ``col`` as a vector × relation grid, in the regions' and relations' order."""
    return grid.pivot(index="vector", columns="relation", values=col).loc[countries.VECTORS, list(trade.TRADE_RELATIONS)]


def trade_roles_by_region(roles: pd.DataFrame, archive=None):
    """Notebook 01: countries named with each trade relation, per region and document (:func:`belarus_fp.analysis.trade.regional_roles`)."""
    docs = list(dict.fromkeys(roles["doc_id"]))
    rel_labels = [trade.RELATION_LABELS[r] for r in trade.TRADE_RELATIONS]  # vertical: eight columns fit side by side
    vmax = roles["countries"].max()
    # at most two panels per row; the figure grows in height (inches: title, panels, gaps, labels and legend)
    n_cols, n_rows = min(len(docs), 2), -(-len(docs) // 2)
    top_in, panel_in, gap_in, bottom_in = 0.726, 3.5, 2.4, 2.376
    height = top_in + n_rows * panel_in + (n_rows - 1) * gap_in + bottom_in
    fig, grid_axes = plt.subplots(n_rows, n_cols, figsize=(9.6, height), sharey=True, squeeze=False)
    fig.subplots_adjust(left=0.16, right=0.99, bottom=bottom_in / height, top=1 - top_in / height, wspace=0.04, hspace=gap_in / panel_in)
    axes = grid_axes.ravel()
    for ax in axes[len(docs) :]:
        ax.remove()
    for ax in grid_axes[:, 0]:
        ax.set_ylabel("partner region (foreign-policy vector)")
    for ax, doc in zip(axes[: len(docs)], docs, strict=True):  # the spare axes were removed above
        grid = roles[roles["doc_id"] == doc]
        counts, stmts = _relation_grid(grid, "countries"), _relation_grid(grid, "group_statements")
        ax.imshow(counts.to_numpy(), cmap="Blues", vmin=0, vmax=vmax, aspect="auto")
        for i, j in [(i, j) for i in range(counts.shape[0]) for j in range(counts.shape[1])]:
            n = counts.iat[i, j]
            if n:
                ax.text(j, i, f"{n}", ha="center", va="center", color="white" if n > vmax / 2 else "black")
            if stmts.iat[i, j]:
                ax.plot(
                    j + 0.28 * bool(n),
                    i - 0.22 * bool(n),
                    marker="D",
                    color=PALETTE[1],
                    markersize=7,
                    markeredgecolor="black",
                    markeredgewidth=0.5,
                )
        ax.set_xticks(range(len(rel_labels)), rel_labels, rotation=90, fontsize=9)
        ax.set_yticks(range(len(counts)), [countries.VECTOR_LABELS[v] for v in counts.index])
        ax.set_title(f"{doc} (covers {sources.document_info(doc, archive=archive)['period_covered']})", fontsize=11)
        ax.set_xticks([x - 0.5 for x in range(1, len(rel_labels))], minor=True)
        ax.set_yticks([y - 0.5 for y in range(1, len(counts))], minor=True)
        ax.grid(which="minor", color="white", linewidth=1.5)
        ax.tick_params(which="minor", length=0)
    diamond = plt.Line2D(
        [], [], marker="D", linestyle="none", color=PALETTE[1], markeredgecolor="black", label="statement about the region or a group in it"
    )
    fig.legend(
        handles=[diamond],
        loc="upper left",
        bbox_to_anchor=(0.16, 0.495 / height),
        title="Number: countries named with the relation (darker = more)",
        alignment="left",
    )
    fig.suptitle(
        "Trade-related relations and partner lists each text gives to partner regions",
        fontweight="bold",
        x=0.01,
        ha="left",
        y=1 - 0.132 / height,
    )
    source_line(
        fig,
        docs,
        extra="Counts from bilateral.csv and groupings.csv; all claims (achieved, stated, planned, considered, target).",
        archive=archive,
    )
    return fig
