"""Notebook 03's figures: the engagement landscape, intensity counts, the treaty base and development finance.

Each builder draws one figure from the tables and returns it; the notebook saves it with ``save_figure``.
"""

from __future__ import annotations

import matplotlib.pyplot as plt
import pandas as pd
from matplotlib.lines import Line2D
from matplotlib.patches import Patch
from matplotlib.ticker import MaxNLocator

from ..analysis import multilateral as ml
from ..archive import sources, vocabulary
from ..archive.texts import priorities, review_2013
from .documents import document_colours, document_markers, document_offsets
from .figures import DERIVED_HATCH, GREY, PALETTE, source_line

#: Currency symbol of each currency of :data:`belarus_fp.analysis.multilateral.MONEY_UNITS`, and its colour and legend name.
CURRENCY_SYMBOLS = {"EUR": "€", "USD": "$"}


CURRENCY_STYLES = {"EUR": (PALETTE[2], "amount in euro"), "USD": (PALETTE[0], "amount in US dollars")}


#: Legend wording for the two documents the grid was drawn for; any other: "stated in LABEL".
STATED_IN = {review_2013.DOC_ID: f"stated in the {review_2013.NAME}", priorities.DOC_ID: "stated on the priorities page"}


def engagement_landscape(multilateral: pd.DataFrame, organizations: pd.DataFrame, archive=None):
    """Notebook 03: every organisation (bodies under their parent) against every engagement, per document."""
    doc_colours, bits_of, labels = (
        document_colours(),
        sources.doc_bits(docs=sources.doc_ids(collection=sources.MINISTRY, archive=archive), archive=archive),
        sources.labels(collection=sources.MINISTRY, archive=archive),
    )
    styles = {d: (m, s, dx) for (d, (m, s)), dx in zip(document_markers().items(), document_offsets(0.2), strict=True)}
    tree = ml.organisation_tree(organizations)
    grid = ml.engagement_matrix(multilateral, organizations)
    rows = []  # (y label, kind header?) top to bottom, a header row before each kind
    for kind in ml.KIND_ORDER:
        members = grid.xs(kind, level="kind", drop_level=False)
        if len(members):
            rows.append((ml.KIND_LABELS[kind], None))
            rows.extend((org, (kind, org)) for org in members.index.get_level_values("org_id"))

    def row_label(org):
        indent = "    " * (tree.loc[org, "depth"] - 1) + "└ " if tree.loc[org, "depth"] else ""
        label = f"{indent}{org} – {tree.loc[org, 'name']}"
        return label if len(label) <= 46 else label[:45] + "…"

    n_cols = grid.shape[1]
    legend_rows = -(-len(styles) // 3)  # three documents to a legend row
    top_in, bottom_in = 2.1, 2.2 + 0.25 * (legend_rows - 1)  # room for the column headers (top and bottom) and the legend
    height = 0.22 * len(rows) + top_in + bottom_in
    fig, ax = plt.subplots(figsize=(9.6, height))
    fig.subplots_adjust(left=0.42, right=0.99, top=1 - top_in / height, bottom=bottom_in / height)
    label_at = ax.get_yaxis_transform()  # x in axes fraction, y in data
    for y, (label, key) in enumerate(rows):
        if key is None:
            ax.axhline(y + 0.5, color="#888888", lw=0.6)
            ax.text(-0.74, y, label, ha="left", va="center", fontsize=10, fontweight="bold", transform=label_at)
            continue
        ax.text(-0.74, y, row_label(key[1]), ha="left", va="center", fontsize=9, transform=label_at)
        if y % 2 == 0:
            ax.axhspan(y - 0.5, y + 0.5, color="#F3F3F3", zorder=0, lw=0)
        for x, bits in enumerate(grid.loc[key]):
            for doc, (m, size, dx) in styles.items():
                if bits & bits_of[doc]:
                    ax.scatter(x + dx, y, marker=m, s=size, color=doc_colours[doc], zorder=3)
    n_status = sum(c in ml.STATUS_ENGAGEMENTS for c in grid.columns)
    ax.axvspan(-0.5, n_status - 0.5, color="#E1ECF7", zorder=0, lw=0)
    ax.set_yticks([])
    ax.set_ylim(len(rows) - 0.5, -0.5)
    ax.set_xlim(-0.5, n_cols - 0.5)
    ax.set_xticks(range(n_cols), [vocabulary.label("engagement", c) for c in grid.columns], rotation=90, fontsize=9)
    ax.tick_params(length=0, labeltop=True, labelbottom=True)
    ax.xaxis.set_label_position("top")
    for x in range(n_cols + 1):
        ax.axvline(x - 0.5, color="white", lw=1, zorder=1)
    ax.spines[:].set_visible(False)
    ax.set_xlabel("Belarus's engagement, as stated\n(shaded: status in the organisation)", fontsize=9.5)
    fig.suptitle(
        "Belarus in international organisations:\nengagement by organisation and document",
        x=0.01,
        ha="left",
        y=1 - 0.1 / height,
        fontsize=12,
        fontweight="bold",
    )
    fig.legend(
        handles=[
            Line2D([], [], marker=m, ls="", color=doc_colours[d], label=STATED_IN.get(d, f"stated in {labels[d]}"))
            for d, (m, _, _) in styles.items()
        ],
        loc="lower left",
        bbox_to_anchor=(0.01, 0.1 / height),
        ncol=min(len(styles), 3),
    )
    source_line(
        fig, list(styles), extra="Rows: organizations.csv (bodies indented under their parent); cells: multilateral.csv.", archive=archive
    )
    return fig


def intensity_counts(counts: pd.DataFrame, archive=None):
    """Notebook 03: what the review counts in integration bodies and organisations, one axis per thing counted.

    Args:
        counts: :func:`belarus_fp.analysis.multilateral.intensity_counts` with a ``label`` column.
    """
    panels = list(dict.fromkeys(counts["counted"]))
    heights = [counts["counted"].eq(p).sum() + 0.8 for p in panels]
    fig, axes = plt.subplots(len(panels), 1, figsize=(9, 0.42 * sum(heights) + 1.6), gridspec_kw={"height_ratios": heights})
    for ax, panel, colour in zip(axes, panels, PALETTE):
        part = counts[counts["counted"] == panel].iloc[::-1]
        ax.barh(part["label"], part["value"], color=colour, height=0.6)
        top = part["value"].max()
        for y, (value, lower) in enumerate(zip(part["value"], part["lower_bound"])):
            ax.text(
                value + top * 0.01, y, f"{vocabulary.QUALIFIER_WORDS['lower_bound'] if lower else ''}{value:g}", va="center", fontsize=9
            )
        ax.set_xlim(0, top * 1.25)
        ax.xaxis.set_major_locator(MaxNLocator(integer=True))
        ax.set_xlabel(f"number of {panel}", fontsize=9)
        ax.tick_params(axis="y", labelsize=9)
    fig.suptitle(
        f"Counts the review gives for {review_2013.YEAR} (Eurasian bodies, CIS, a conference in Minsk, WTO talks)",
        x=0.01,
        ha="left",
        fontsize=12,
        fontweight="bold",
    )
    fig.tight_layout(rect=(0, 0.04, 1, 1))
    source_line(fig, [review_2013.DOC_ID], extra='"more than" = lower bound stated in the text.', archive=archive)
    return fig


def treaty_base(treaty: dict, stock_total: float, archive=None):
    """Notebook 03: international agreements and other legal documents concluded in 2013 and the "legal and legislative basis", bilateral and multilateral.

    Args:
        treaty: :func:`belarus_fp.analysis.checks.treaty_values` (role of
            :data:`belarus_fp.archive.texts.review_2013.TREATY_FACTS` -> value); stock_total: the derived total of the treaty base.
    """
    fig, (ax1, ax2) = plt.subplots(1, 2, figsize=(9.6, 4.2), gridspec_kw={"width_ratios": [1, 1.15]})
    kinds = ["bilateral", "multilateral"]
    colours = [PALETTE[0], PALETTE[1]]
    concluded = [treaty[f"{k}_concluded"] for k in kinds]
    ax1.bar(kinds + ["total"], concluded + [treaty["concluded"]], color=colours + [GREY])
    for x, value in enumerate(concluded + [treaty["concluded"]]):
        ax1.text(x, value, f"{value:,.0f}", ha="center", va="bottom", fontsize=9)
    ax1.set_title(f"Concluded in {review_2013.YEAR}", fontsize=11)
    ax1.set_ylabel("agreements (count)")
    stock = [treaty[f"{k}_stock"] for k in kinds]
    ax2.bar(kinds, stock, color=colours)
    ax2.bar(["total (derived)"], [stock_total], color="white", edgecolor=GREY, hatch=DERIVED_HATCH)
    for x, value in enumerate(stock + [stock_total]):
        ax2.text(x, value, f"{value:,.0f}", ha="center", va="bottom", fontsize=9)
    ax2.text(
        0,
        stock[0] / 2,
        f"with {treaty['partner_countries']:.0f}\npartner\ncountries",
        ha="center",
        va="center",
        color="white",
        fontsize=9,
    )
    ax2.set_title(f'"Legal and legislative basis" ({review_2013.YEAR})', fontsize=11)
    ax2.set_ylabel("agreements (count)")
    fig.suptitle(
        "International agreements and other legal documents, bilateral and multilateral", x=0.01, ha="left", fontsize=12, fontweight="bold"
    )
    fig.tight_layout(rect=(0, 0.05, 1, 1))
    source_line(fig, [review_2013.DOC_ID], derived=True, archive=archive)
    return fig


def _span(text):
    start, _, end = text.replace("/", "-").partition("-")
    return int(start), int(end or start) + 1  # whole years, end exclusive


def development_finance(periods: pd.DataFrame, cash: pd.DataFrame, organizations: pd.DataFrame | None = None, archive=None):
    """Notebook 03: development banks' strategy periods and amounts, each amount in its own currency.

    Args:
        periods: the ``development_finance`` facts of unit ``period`` or ``date``.
        cash: :func:`belarus_fp.analysis.multilateral.money`.
        organizations: the ``organizations`` table: the banks are drawn in its tree order (without it,
            in the order they first appear in ``periods`` and ``cash``).
    """
    timeline = []
    for _, row in periods[periods["unit"] == "period"].iterrows():
        timeline.append((f"{row['subject']} {row['metric'].replace('_', ' ')}", *_span(row["date"]), "", GREY))
    for _, row in cash.iterrows():
        symbol = CURRENCY_SYMBOLS[row["currency"]]
        text = f"{symbol}{row['amount']:,.0f} {row['scale']} ({row['claim']})"
        timeline.append(
            (
                f"{row['subject']} {row['metric'].replace('_', ' ')}",
                *_span(row["period"]),
                text,
                CURRENCY_STYLES[row["currency"]][0],
            )
        )
    banks = ml.organisation_tree(organizations).index if organizations is not None else [*periods["subject"], *cash["subject"]]
    order = {org: i for i, org in enumerate(dict.fromkeys(banks))}
    timeline.sort(key=lambda t: (order[t[0].split()[0]], t[3] != ""))
    fig, ax = plt.subplots(figsize=(9.5, 3.6))
    for y, (label, start, end, text, colour) in enumerate(timeline):
        ax.barh(y, end - start, left=start, color=colour, height=0.55)
        if text:
            ax.text(end + 0.05, y, text, va="center", fontsize=9)
    adopted = periods[periods["metric"] == "adoption_date"]
    for _, row in adopted.iterrows():
        year, month = (int(p) for p in row["date"].split("-"))
        y = [t[0] for t in timeline].index(f"{row['subject']} strategy period")  # the marker sits on its strategy's bar
        ax.plot(year + (month - 1) / 12, y, marker="v", color="black", ms=7)
        ax.text(year + (month - 1) / 12, y - 0.3, f"{row['subject']} strategy adopted {row['date']}", ha="center", va="bottom", fontsize=8)
    ax.set_yticks(range(len(timeline)), [t[0] for t in timeline])
    ax.invert_yaxis()
    lo = min(t[1] for t in timeline)
    hi = max(t[2] for t in timeline)
    ax.set_xlim(lo - 0.6, hi + 2.0)
    ax.set_xticks([y + 0.5 for y in range(lo, hi)], [str(y) for y in range(lo, hi)])
    ax.set_xlabel("financial year, as stated (drawn as whole years)")
    fig.suptitle(
        "Development banks in Belarus: strategies and money, each in its own currency", x=0.01, ha="left", fontsize=12, fontweight="bold"
    )
    ax.legend(
        handles=[
            Patch(color=GREY, label="strategy period"),
            *(Patch(color=colour, label=name) for colour, name in CURRENCY_STYLES.values()),
        ],
        loc="upper right",
        fontsize=8.5,
    )
    fig.tight_layout(rect=(0, 0.06, 1, 1))
    source_line(fig, [review_2013.DOC_ID], extra="Amounts are never converted or added across currencies.", archive=archive)
    return fig
