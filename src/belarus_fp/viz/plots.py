"""The figures of the notebooks: each builder draws one figure from the tables and returns it.

A notebook calls the builder, then ``save_figure`` (which checks legibility) and shows it; the
figure's code is here, tested (``tests/test_plots.py``), not in a notebook cell. House style,
palette and ``save_figure`` are :mod:`belarus_fp.viz.figures`.
"""

from __future__ import annotations

import textwrap

import matplotlib.pyplot as plt
import numpy as np
import pandas as pd
from matplotlib.lines import Line2D
from matplotlib.patches import Patch
from matplotlib.ticker import MaxNLocator

from ..analysis import emphasis, footprint, trade
from ..analysis import framing as fr
from ..analysis import multilateral as ml
from ..archive import countries, sources, vocabulary
from ..archive.facts import find as find_fact
from .figures import DERIVED_HATCH, GREY, PALETTE, source_line

#: Currency symbol of each currency of :data:`belarus_fp.analysis.multilateral.MONEY_UNITS`, and its colour and legend name.
CURRENCY_SYMBOLS = {"EUR": "€", "USD": "$"}
CURRENCY_STYLES = {"EUR": (PALETTE[2], "amount in euro"), "USD": (PALETTE[0], "amount in US dollars")}
#: Colour of each direction of a high-level visit (:data:`belarus_fp.analysis.footprint.VISIT_DIRECTIONS`).
VISIT_COLOURS = {"high_level_visit_out": PALETTE[0], "high_level_visit_in": PALETTE[3]}


def document_colours() -> dict:
    """One palette colour per document, in the manifest's order (the review first).

    Raises:
        ValueError: the manifest has more documents than the palette has colours (a repeated
            colour would make two documents one in a legend).
    """
    return dict(zip(_drawable_documents(), PALETTE))


def document_markers() -> dict:
    """One marker and its size per document, in the manifest's order (with :func:`document_colours`)."""
    return dict(zip(_drawable_documents(), DOC_MARKERS))


def _drawable_documents() -> list:
    docs = sources.doc_ids(collection=sources.MINISTRY)
    if len(docs) > min(len(PALETTE), len(DOC_MARKERS)):
        raise ValueError(
            f"the manifest has {len(docs)} documents; the per-document figures tell at most {len(PALETTE)} apart "
            "(one colour of belarus_fp.viz.figures.PALETTE and one marker of plots.DOC_MARKERS each): "
            "add colours and markers, or draw a subset of the documents"
        )
    return docs


#: Colours of ``footprint.MAP_CLASSES`` in class order: clearly separated lightness steps of
#: YlGnBu (sequential, colour-blind safe), dark = closest.
MAP_CLASS_COLOURS = ("#253494", "#2C7FB8", "#41B6C4", "#A1DAB4", "#F7F4A8")
#: Colours of the arc-map categories (:data:`belarus_fp.analysis.footprint.ARC_CATEGORIES`, notebook 02):
#: lighter tones for "no activity reported".
ARC_COLOURS = dict(zip(footprint.ARC_CATEGORIES.values(), (PALETTE[0], "#9CC8E8", PALETTE[3], "#F2B38C", "#9E9E9E"), strict=True))
#: Colour of each kind of visa agreement (:data:`belarus_fp.analysis.footprint.VISA_KINDS`) on the visa map.
VISA_COLOURS = dict(zip(footprint.VISA_KINDS, (PALETTE[2], PALETTE[1], PALETTE[0]), strict=True))
#: Words for the number of documents in a title ("the two source documents").
COUNT_WORDS = {2: "two", 3: "three", 4: "four"}


def map_class_colours() -> dict:
    """Map class -> colour, in the classes' order (closest first)."""
    return dict(zip(dict.fromkeys(footprint.MAP_CLASSES.values()), MAP_CLASS_COLOURS, strict=True))


#: Marker of each document, in the manifest's order (with :func:`document_colours`), and its size:
#: one for each colour of the palette.
DOC_MARKERS = (("o", 30), ("s", 26), ("^", 28), ("D", 20), ("v", 28), ("P", 28), ("X", 28), ("h", 30))
#: Legend wording for the two documents the grid was drawn for; any other: "stated in LABEL".
STATED_IN = {sources.REVIEW: "stated in the 2013 review", sources.PRIORITIES: "stated on the priorities page"}


def document_offsets(width: float) -> list:
    """x offsets of the documents' markers within one cell, spread over ``-width .. width``."""
    n = len(sources.doc_ids(collection=sources.MINISTRY))
    return [0.0] if n == 1 else [-width + 2 * width * i / (n - 1) for i in range(n)]


def trade_concentration(shares: pd.DataFrame, low: float, high: float):
    """Notebook 01: Russia's, the USA's and the other partners' shares of the implied total, and the turnovers.

    Args:
        shares: :func:`belarus_fp.analysis.trade.shares_table`.
        low, high: :func:`belarus_fp.analysis.trade.rounding_range` of the implied total.
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
    source_line(fig, [sources.REVIEW], derived=True, extra='≥ lower bound ("exceeded"); ≤ upper bound that follows from it.')
    return fig


def trade_statements(other: pd.DataFrame, facts: pd.DataFrame, groupings: pd.DataFrame):
    """Notebook 01: the review's other trade statements, one unit per panel (money, countries, export share).

    Args:
        other: :func:`belarus_fp.analysis.trade.statements` (only the review's rows are drawn).
    """
    other = other[other["doc_id"] == sources.REVIEW]
    money = other[other["unit"] == "usd_bn"].sort_values("fact_id")
    counted = other[other["measured_in"] == "countries"].sort_values("value", ascending=False)
    partners = find_fact(facts, "foreign_trade_partners", "", "count", sources.REVIEW)
    export_share = find_fact(facts, "share_of_exports", "countries_with_belarusian_missions", "percent", sources.REVIEW)
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
        f"to {trade.subject_label(export_share['subject'], groupings)}: {export_share['value']:.0f} %",
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
    fig.suptitle(f"Other trade statements of the annual review ({sources.REVIEW}), one unit per panel", fontweight="bold")
    fig.tight_layout(rect=(0, 0.04, 1, 1))
    approximate = "approximate" in set(money.get("qualifier", ())) or "approximate" in set(counted.get("qualifier", ()))
    source_line(fig, [sources.REVIEW], derived=True, extra='≈ approximate ("around").' if approximate else "")
    return fig


def trade_roles_by_region(roles: pd.DataFrame):
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
    for ax, doc in zip(axes, docs):
        grid = roles[roles["doc_id"] == doc]

        def table(col):
            return grid.pivot(index="vector", columns="relation", values=col).loc[countries.VECTORS, list(trade.TRADE_RELATIONS)]

        counts, stmts = table("countries"), table("group_statements")
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
        ax.set_title(f"{doc} (covers {sources.document_info(doc)['period_covered']})", fontsize=11)
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
    source_line(fig, docs, extra="Counts from bilateral.csv and groupings.csv; all claims (achieved, stated, planned, considered, target).")
    return fig


def engagement_landscape(multilateral: pd.DataFrame, organizations: pd.DataFrame):
    """Notebook 03: every organisation (bodies under their parent) against every engagement, per document."""
    doc_colours, bits_of, labels = (
        document_colours(),
        sources.doc_bits(docs=sources.doc_ids(collection=sources.MINISTRY)),
        sources.labels(collection=sources.MINISTRY),
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
    source_line(fig, list(styles), extra="Rows: organizations.csv (bodies indented under their parent); cells: multilateral.csv.")
    return fig


def intensity_counts(counts: pd.DataFrame):
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
        "Counts the review gives for 2013 (Eurasian bodies, CIS, a conference in Minsk, WTO talks)",
        x=0.01,
        ha="left",
        fontsize=12,
        fontweight="bold",
    )
    fig.tight_layout(rect=(0, 0.04, 1, 1))
    source_line(fig, [sources.REVIEW], extra='"more than" = lower bound stated in the text.')
    return fig


def treaty_base(treaty: dict, stock_total: float):
    """Notebook 03: international agreements and other legal documents concluded in 2013 and the "legal and legislative basis", bilateral and multilateral.

    Args:
        treaty: :func:`belarus_fp.analysis.checks.treaty_values` (role of
            :data:`belarus_fp.analysis.multilateral.TREATY_FACTS` -> value); stock_total: the derived total of the treaty base.
    """
    fig, (ax1, ax2) = plt.subplots(1, 2, figsize=(9.6, 4.2), gridspec_kw={"width_ratios": [1, 1.15]})
    kinds = ["bilateral", "multilateral"]
    colours = [PALETTE[0], PALETTE[1]]
    concluded = [treaty[f"{k}_concluded"] for k in kinds]
    ax1.bar(kinds + ["total"], concluded + [treaty["concluded"]], color=colours + [GREY])
    for x, value in enumerate(concluded + [treaty["concluded"]]):
        ax1.text(x, value, f"{value:,.0f}", ha="center", va="bottom", fontsize=9)
    ax1.set_title("Concluded in 2013", fontsize=11)
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
    ax2.set_title('"Legal and legislative basis" (2013)', fontsize=11)
    ax2.set_ylabel("agreements (count)")
    fig.suptitle(
        "International agreements and other legal documents, bilateral and multilateral", x=0.01, ha="left", fontsize=12, fontweight="bold"
    )
    fig.tight_layout(rect=(0, 0.05, 1, 1))
    source_line(fig, [sources.REVIEW], derived=True)
    return fig


def _span(text):
    start, _, end = text.replace("/", "-").partition("-")
    return int(start), int(end or start) + 1  # whole years, end exclusive


def development_finance(periods: pd.DataFrame, cash: pd.DataFrame, organizations: pd.DataFrame | None = None):
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
    source_line(fig, [sources.REVIEW], extra="Amounts are never converted or added across currencies.")
    return fig


def emphasis_bars(word_share: pd.DataFrame, region_share: pd.DataFrame, labels: dict):
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
    fig.suptitle("Shares of each text: a year's activity report (2013) and a standing priorities page (c. 2016)", fontweight="bold")
    fig.tight_layout(rect=(0, (0.58 + 0.3 * (legend_rows - 1)) / height, 1, 1))
    source_line(fig, docs, derived=True, extra="Countries found by belarus_fp.mentions; regions by countries.vector.")
    return fig


def visits_map(visits, directions: dict):
    """Notebook 02: the review's high-level visits from and to Minsk, the whole reach and the neighbourhood.

    Args:
        visits: one row per (iso3, relation) with geometry (:func:`belarus_fp.viz.geo.join_iso3`) and
            ``distance_km_derived``.
        directions: relation (``high_level_visit_out`` / ``_in``) -> its label in the legend.
    """
    from . import geo

    def visit_panel(ax, radius_km, title, min_label_km=0):
        crs, labelled, names, rings = geo.reach_crs(), set(), [], []
        geo.draw_layer(geo.basemap(crs, radius_m=radius_km * 1000), ax, color=geo.BASE_FACE, edgecolor=geo.BASE_EDGE, linewidth=0.4)
        for ring in plt.MaxNLocator(4).tick_values(0, radius_km)[1:]:
            if ring <= radius_km:
                ax.add_patch(plt.Circle((0, 0), ring * 1000, fill=False, color="#999999", linewidth=0.6, linestyle=":"))
                rings.append(ax.annotate(f"{ring:,.0f} km", (0, -ring * 1000), fontsize=9, color="#666666", ha="center", va="bottom"))
        ends = geo.anchors(visits).to_crs(crs)
        for (_, row), end in zip(visits.iterrows(), ends):
            if row["distance_km_derived"] > radius_km:
                continue
            out = row["relation"] == "high_level_visit_out"
            start, stop = ((0, 0), (end.x, end.y)) if out else ((end.x, end.y), (0, 0))
            ax.annotate(
                "",
                stop,
                xytext=start,
                arrowprops={
                    "arrowstyle": "-|>",
                    "color": VISIT_COLOURS[row["relation"]],
                    "linewidth": 1.3,
                    "shrinkA": 2,
                    "shrinkB": 2,
                    "connectionstyle": "arc3,rad=0.12",
                },
            )
            if row["distance_km_derived"] > min_label_km and row["iso3"] not in labelled:
                labelled.add(row["iso3"])
                names.append((countries.name(row["iso3"]), end.x, end.y))
        ax.plot(0, 0, marker="*", color="black", markersize=10, zorder=5)
        r = radius_km * 1000
        ax.set_ylim(-r, r)  # x follows from the equal aspect: the panel keeps its full width for labels
        ax.set_aspect("equal", adjustable="datalim")
        ax.set_axis_off()
        ax.set_title(title, loc="left")
        minsk = ax.annotate(
            "Minsk", (0, 0), xytext=(-6, 6), textcoords="offset points", ha="right", va="bottom", fontsize=10, fontweight="bold"
        )
        geo.place_labels(ax, names, avoid=[(0, 0), minsk, *rings])  # beside each end, or further out with a leader line

    far_km = 1.1 * visits["distance_km_derived"].max()
    near_km = 1.15 * visits.loc[visits["iso3"].map(countries.vector).isin(countries.EUROPE_AND_CIS), "distance_km_derived"].max()
    fig, (ax_far, ax_near) = plt.subplots(2, 1, figsize=(9.6, 15.5))
    fig.subplots_adjust(left=0.01, right=0.99, top=0.94, bottom=0.06, hspace=0.08)
    visit_panel(ax_far, far_km, "Whole reach (azimuthal equidistant from Minsk)", min_label_km=near_km)
    visit_panel(ax_near, near_km, "Neighbourhood: the CIS and Europe")
    handles = [plt.Line2D([], [], color=VISIT_COLOURS[relation], lw=1.5, label=directions[relation]) for relation in VISIT_COLOURS]
    fig.legend(handles=handles, loc="lower left", bbox_to_anchor=(0.01, 0.01), ncols=2, title="High-level visit in 2013", alignment="left")
    fig.suptitle("High-level visits in 2013, from and to Minsk", fontweight="bold", x=0.01, ha="left")
    source_line(
        fig,
        [sources.REVIEW],
        extra="Visits of heads of state or government, ministers and high-level delegations. Map: Natural Earth 1:110m.",
    )
    return fig


#: Colour of each ``claim`` (notebook 05), in the vocabulary's order.
CLAIM_COLOURS = dict(zip(vocabulary.values("claim"), [PALETTE[2], PALETTE[0], PALETTE[5], PALETTE[4], PALETTE[1], GREY]))


def framing_terms(framing: pd.DataFrame, labels: dict):
    """Notebook 05: the framing words each document uses of each partner, partners grouped by region.

    Args:
        framing: the ``framing`` table; labels: document -> its label in the legend.
    """
    docs = sources.doc_ids(collection=sources.MINISTRY)
    grid = fr.term_matrix(framing)
    regions = [fr.region(s) for s in grid.index]
    names = [fr.partner_name(s) for s in grid.index]  # organisations by their acronym (EU, OSCE)
    n_rows, n_cols = grid.shape
    fig, ax = plt.subplots(figsize=(9.4, 0.19 * n_rows + 3.2))
    colours, bits_of = document_colours(), sources.doc_bits(docs=sources.doc_ids(collection=sources.MINISTRY))
    for (doc, (m, _)), dx in zip(document_markers().items(), document_offsets(0.17), strict=True):
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
    source_line(fig, docs, extra="Each mark is a row of framing.csv with its verbatim quote; words as the texts use them.")
    return fig


def claims_by_kind(facts: pd.DataFrame, bilateral: pd.DataFrame, multilateral: pd.DataFrame, labels: dict):
    """Notebook 05: the kind of claim each row makes, per document, partner region and table.

    Args:
        labels: document -> its panel title.
    """
    docs = sources.doc_ids(collection=sources.MINISTRY)
    counts = fr.claims_by_kind(facts, bilateral, multilateral)
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
        for yi, n in zip(y, data["total"]):
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
    source_line(fig, docs, extra="Rows of bilateral.csv (by the partner's region), multilateral.csv and facts.csv, by their claim column.")
    return fig


# --------------------------------------------------------------------------- notebooks 00 and 02: sources and maps


def paragraph_lengths(lengths: pd.DataFrame):
    """Notebook 00: the words of each paragraph, one panel per document (:func:`belarus_fp.archive.sources.paragraph_lengths`)."""
    docs = list(dict.fromkeys(lengths["doc_id"]))
    colours = document_colours()
    fig, axes = plt.subplots(len(docs), 1, figsize=(9, 2.75 * len(docs)), sharey=True, squeeze=False)
    for ax, (doc_id, group) in zip(axes[:, 0], lengths.groupby("doc_id", sort=False)):
        ax.bar(group["paragraph"], group["words"], color=colours[doc_id], width=0.8)
        ax.set_title(f"{doc_id}: {sources.source_name(doc_id)}", fontsize=10, loc="left")
        ax.set_xlabel("paragraph number")
        ax.set_ylabel("words")
        ax.set_xlim(0, group["paragraph"].max() + 1)
    fig.suptitle(
        f"Paragraph lengths of the {COUNT_WORDS.get(len(docs), len(docs))} source documents",
        fontweight="bold",
        y=1 - 0.11 / fig.get_figheight(),  # a fixed distance from the top, however many panels
    )
    fig.tight_layout(rect=(0, 0.03, 1, 1))
    source_line(fig, docs)
    return fig


def relations_map(kinds: pd.DataFrame):
    """Notebook 02: each country's strongest kind of relation (:func:`belarus_fp.analysis.footprint.strongest_kind`), in
    :data:`belarus_fp.analysis.footprint.MAP_CLASSES`; the world, and Europe and the CIS in an equal-area panel."""
    from . import geo

    colours = map_class_colours()
    located = geo.join_iso3(kinds.assign(map_class=kinds["tier"].map(footprint.MAP_CLASSES)))
    in_region = located["iso3"].map(countries.vector).isin(countries.EUROPE_AND_CIS)
    region = located[in_region]
    fig, (ax_w, ax_e) = plt.subplots(2, 1, figsize=(9.6, 12.4), height_ratios=[1, 1.25])
    fig.subplots_adjust(left=0.01, right=0.99, top=0.95, bottom=0.02, hspace=0.3)
    geo.category_map(
        located,
        "map_class",
        colours,
        ax=ax_w,
        title="World (Equal Earth); Europe and the CIS below",
        labels=located.loc[geo.small(located) & ~in_region, "iso3"],
        legend_title="Strongest kind of relation",
        other_label="no relation done or stated in the review",
    )
    geo.category_map(
        located,
        "map_class",
        colours,
        ax=ax_e,
        crs=geo.EUROPE_CRS,
        title="Europe and the CIS (LAEA Europe)",
        extent=geo.extent(region, geo.EUROPE_CRS),
        labels=list(region["iso3"]),
        mark_below_km2=geo.SMALL_POLYGON_KM2 / 10,
        legend_loc=None,
    )
    fig.suptitle("Belarus's bilateral relations in 2013, by their strongest kind", fontweight="bold", x=0.01, ha="left")
    source_line(
        fig,
        [sources.REVIEW],
        extra="Classes group the tiers of belarus_fp.footprint.TIERS. Map: Natural Earth 1:110m (public domain).",
    )
    return fig


def embassies_map(embassies: pd.DataFrame, note: str, note_at: str):
    """Notebook 02: embassies opened, planned or considered (:func:`belarus_fp.analysis.footprint.embassies`), with
    ``note`` in a box pointing at the country ``note_at`` (ISO3)."""
    from . import geo

    located = geo.join_iso3(embassies)
    fig, ax = geo.category_map(
        located,
        "status",
        dict(zip(footprint.EMBASSY_STATUS.values(), PALETTE)),
        title="Belarus's embassies: opened in 2013, planned for 2014, under consideration",
        labels="all",
        legend_title="Status (2013 review)",
        other_label="no change reported",
    )
    at = geo.anchors(located[located["iso3"] == note_at]).to_crs(geo.WORLD_CRS).iloc[0]
    ax.annotate(
        note,
        (at.x, at.y),
        xytext=(0.995, 0.0),
        textcoords="axes fraction",
        fontsize=9,
        ha="right",
        va="bottom",
        bbox={"facecolor": "white", "edgecolor": PALETTE[0], "boxstyle": "round,pad=0.4"},
        arrowprops={"arrowstyle": "-", "color": PALETTE[0], "linewidth": 0.8, "shrinkB": 4},
        zorder=7,
    )
    source_line(fig, [sources.REVIEW], extra="Map: Natural Earth 1:110m (public domain), Equal Earth projection.")
    return fig


def visa_map(visas: pd.DataFrame):
    """Notebook 02: the visa agreements of :func:`belarus_fp.analysis.footprint.visa_agreements`, by kind and stage.

    Raises:
        ValueError: two stages of one kind (the map gives each kind one colour).
    """
    from . import geo

    kinds = visas.drop_duplicates("label").set_index("label")["relation"].sort_index()
    if kinds.duplicated().any():
        raise ValueError(f"two stages of one kind of visa agreement, one colour each would be needed: {list(kinds.index)}")
    fig, _ = geo.category_map(
        geo.join_iso3(visas),
        "label",
        {label: VISA_COLOURS[kind] for label, kind in kinds.items()},
        title="Visa agreements reported in the 2013 review",
        labels="all",
        legend_title="Agreement and stage",
        other_label="none reported",
    )
    source_line(
        fig, [sources.REVIEW], extra="Stage: the curated column bilateral.stage. Map: Natural Earth 1:110m, Equal Earth projection."
    )
    return fig


def arc_map(arc: pd.DataFrame):
    """Notebook 02: the priorities page's two partner lists against the review's activity (:func:`belarus_fp.analysis.footprint.arc`)."""
    from . import geo

    located = geo.join_iso3(arc)
    fig, _ = geo.category_map(
        located,
        "category",
        ARC_COLOURS,
        legend_title="Priorities page (c. 2016) vs 2013 review",
        labels=located.loc[geo.small(located) & (located["arc"] != ""), "iso3"],
        title="The priorities page's partner lists (its \"foreign policy arc\" passage) against the 2013 review's activity",
        other_label="neither",
    )
    source_line(
        fig,
        [sources.PRIORITIES, sources.REVIEW],
        extra="Active = a relation of tiers integration to cooperation (belarus_fp.footprint). Map: Natural Earth 1:110m, Equal Earth.",
    )
    return fig
