"""The figures of notebook 08 (the UN statements as a corpus): each builder draws one figure and returns it.

Like the other figure modules (:mod:`belarus_fp.viz.trade` ...): the notebook calls the builder, then ``save_figure``; each builder is
drawn and checked by ``tests/test_plots.py``.
"""

from __future__ import annotations

import math
from typing import TYPE_CHECKING

import matplotlib.pyplot as plt

from ..analysis import timelines
from ..archive import geodata
from ..archive.texts import ungd
from .figures import PALETTE, source_line

if TYPE_CHECKING:
    from matplotlib.artist import Artist

#: Shading of the eras (:data:`belarus_fp.archive.texts.ungd.ERAS`): every other era is shaded.
ERA_SHADE = "#EEEEEE"


def _shade_eras(ax) -> None:
    for index, (_, first, last) in enumerate(ungd.ERAS):
        if index % 2:
            ax.axvspan(first - 0.5, last + 0.5, color=ERA_SHADE, zorder=0, lw=0)
    ax.set_xlim(ungd.FIRST_YEAR - 1, ungd.LAST_YEAR + 1)


def _decade_ticks() -> range:
    """Every second decade from the first one the corpus reaches: the year axis of the small multiples."""
    return range(math.ceil(ungd.FIRST_YEAR / 10) * 10, ungd.LAST_YEAR + 1, 20)


def attention_over_time(attention, shares, note: str = "", archive=None):
    """States named per 1,000 words per statement (top), and per group the share of each era's statements naming it.

    The groups are those of :data:`~belarus_fp.analysis.timelines.ATTENTION_GROUPS`, one small panel each,
    with a tick for each statement that names a state of the group.

    Args:
        attention: :func:`belarus_fp.analysis.timelines.country_attention`.
        shares: :func:`belarus_fp.analysis.timelines.group_shares` of it.
        note: appended to the source line (the finder's measured accuracy).
        archive: the archive whose manifest the source line cites (default: the clone's).
    """
    groups = list(timelines.ATTENTION_GROUPS)
    fig = plt.figure(figsize=(9.8, 8.6))
    grid = fig.add_gridspec(3, 3, height_ratios=[1.25, 1, 1], hspace=0.55, wspace=0.12, left=0.11, right=0.98, top=0.87, bottom=0.1)
    top = fig.add_subplot(grid[0, :])
    _shade_eras(top)
    top.plot(attention["year"], attention["per_1000_words"], color=PALETTE[0], lw=1, marker="o", ms=3.5)
    top.set_ylabel("states named\nper 1,000 words")
    top.set_ylim(0, attention["per_1000_words"].max() * 1.15)
    for label, first, last in ungd.ERAS:
        short = label.split(" (")[1].rstrip(")") if "(" in label else label
        top.text(
            (first + last) / 2,
            1.02,
            short if last - first > 10 else label.split(" ")[0],
            transform=top.get_xaxis_transform(),
            ha="center",
            va="bottom",
            fontsize=9,
            color="#444444",
        )
    top.set_title("Distinct states named in each statement (Belarus left out), per 1,000 words", loc="left", pad=18)
    panels = [fig.add_subplot(grid[1 + i // 3, i % 3]) for i in range(len(groups))]
    for index, (ax, key) in enumerate(zip(panels, groups, strict=True)):
        _shade_eras(ax)
        for label, first, last in ungd.ERAS:
            if label in shares.index:
                ax.hlines(100 * shares.at[label, key], first - 0.5, last + 0.5, color=PALETTE[index % len(PALETTE)], lw=2.5)
        years = attention.loc[attention[key], "year"]
        ax.plot(years, [-8] * len(years), ls="none", marker="|", ms=6, color="#555555")
        ax.set_ylim(-14, 108)
        ax.set_yticks([0, 50, 100])
        ax.set_xticks(list(_decade_ticks()))
        if index % 3:
            ax.set_yticklabels([])
        else:
            ax.set_yticklabels(["0 %", "50 %", "100 %"])
        ax.set_title(timelines.ATTENTION_GROUPS[key][0], loc="left", fontsize=10)
    fig.suptitle("Belarus at the UN General Debate: whom its statements name", fontweight="bold", x=0.01, ha="left", y=0.985)
    sizes = attention.groupby("era", sort=False).size()
    counts = ", ".join(str(sizes[label]) for label, _, _ in ungd.ERAS if label in sizes.index)
    fig.text(
        0.01,
        0.605,
        f"Bars: share of the era's statements (of {counts} per era) naming a state of the group; ticks: each statement that does",
        fontsize=9,
        color="#444444",
    )
    source_line(fig, [], names=ungd.SOURCE_NAME, extra=note, archive=archive)
    return fig


#: Colours of the map classes (:data:`belarus_fp.analysis.timelines.SHARE_CLASSES`), highest first: a sequential
#: blue (ColorBrewer Blues), darker for a larger share, every step apart from the grey context and Belarus.
SHARE_COLOURS = ("#08519C", "#3182BD", "#6BAED6", "#BDD7E7")
#: Countries smaller than this (km²) also get a marker on the small maps: Israel, Lebanon and Cyprus do, Belgium does not.
SMALL_KM2 = 25_000
#: How many of an era's most named states the text under its map lists (ties at the cut all listed, or none).
MOST_NAMED = 6


def _most_named(drawn, limit: int = MOST_NAMED) -> list:
    """The ``limit`` rows of ``drawn`` (sorted by share) with the highest shares; a tie at the cut is left out whole."""
    if len(drawn) <= limit:
        return list(drawn.itertuples())
    cut = drawn["share"].iloc[limit - 1]
    chosen = drawn[drawn["share"] > cut] if drawn["share"].iloc[limit] == cut else drawn.iloc[:limit]
    return list(chosen.itertuples())


def _share_list(rows) -> str:
    return ", ".join(f"{row.name} {100 * row.share:.0f}\u00a0%" for row in rows) or "none"  # no break before %


def footprint_by_era(shares, note: str = "", archive=None):
    """One world map per era of the countries that era's statements name, shaded by the share naming each.

    The eras are :data:`~belarus_fp.archive.texts.ungd.ERAS`, the shades the classes of
    :data:`~belarus_fp.analysis.timelines.SHARE_CLASSES`. Historical states (kind ``historical_state``) have no shape on today's map and are **not drawn**, neither
    as themselves nor on their successor states (a statement naming the Soviet Union does not name Ukraine):
    the text under each map lists them with their shares, after the era's most named countries. Countries
    with no shape or point (``geodata.missing``) are named in the source line.

    Args:
        shares: :func:`belarus_fp.analysis.timelines.state_shares`.
        note: appended to the source line (the finder's measured accuracy).
        archive: the archive whose map data and manifest are used (default: the clone's).
    """
    import textwrap

    from matplotlib.lines import Line2D
    from matplotlib.patches import Patch

    from ..archive import countries
    from . import geo

    classes = [label for _, label in timelines.SHARE_CLASSES]
    colours = dict(zip(classes, SHARE_COLOURS, strict=True))
    eras = [label for label, _, _ in ungd.ERAS if label in set(shares["era"])]
    x0, y0, x1, y1 = geodata.basemap(archive=archive).total_bounds
    x0, x1 = 1.02 * x0, 1.02 * x1  # room for the markers of the Pacific states near the antimeridian
    # The layout in inches: the title, then per row of two maps a panel title, the map (its height set by the
    # world's aspect) and the text under it; the legend and the source line below.
    width, margin, gap = 9.8, 0.1, 0.2
    map_w = (width - 2 * margin - gap) / 2
    map_h = map_w * (y1 - y0) / (x1 - x0)
    title_h, row_gap, top_h, line_h = 0.45, 0.12, 0.45, 0.165
    unshaped = sorted(set(geodata.missing(shares.loc[shares["kind"] == "country", "iso3"], archive=archive)))
    texts = {}
    for label in eras:
        era = shares[shares["era"] == label]
        drawn = era[(era["kind"] == "country") & ~era["iso3"].isin(unshaped)]
        historical = era[era["kind"] == "historical_state"]
        text = f"Most named: {_share_list(_most_named(drawn))}. Historical states (not drawn): {_share_list(historical.itertuples())}."
        texts[label] = (era, drawn, textwrap.fill(text, 68))
    # each row's text is as tall as its longest
    text_h = [0.1 + line_h * max(texts[e][2].count("\n") + 1 for e in eras[r : r + 2]) for r in range(0, len(eras), 2)]
    bottom_h = 0.75
    height = top_h + sum(title_h + map_h + t + row_gap for t in text_h) + bottom_h
    fig = plt.figure(figsize=(width, height))
    for index, label in enumerate(eras):
        era, drawn, text = texts[label]
        row = index // 2
        left = margin + (index % 2) * (map_w + gap)
        map_top = height - top_h - sum(title_h + map_h + t + row_gap for t in text_h[:row]) - title_h
        ax = fig.add_axes((left / width, (map_top - map_h) / height, map_w / width, map_h / height))
        historical = int((era["kind"] == "historical_state").sum())
        title = f"{label}\n{era['of'].iloc[0]} statements, {len(era)} states named, {historical} of them historical"
        geo.category_map(
            geodata.join_iso3(drawn, archive=archive),
            "class",
            colours,
            ax=ax,
            title=title,
            extent=(x0, x1, y0, y1),
            labels=None,
            legend_loc=None,
            other_label=None,
            mark_below_km2=SMALL_KM2,
            archive=archive,
        )
        ax.title.set_fontsize(10)
        fig.text(left / width, (map_top - map_h - 0.05) / height, text, va="top", ha="left", fontsize=9, color="#333333")
    handles: list[Artist] = [Patch(facecolor=colours[c], edgecolor="none", label=c) for c in classes]
    handles += [
        Patch(facecolor=geo.HOME_FACE, edgecolor="none", label=countries.name("BLR", archive) + " (the speaker)"),
        Patch(facecolor=geo.BASE_FACE, edgecolor="#999999", linewidth=0.4, label="not named in the era"),
        Line2D([], [], marker="o", linestyle="", markerfacecolor="white", markeredgecolor="#333333", label="small state (marker)"),
    ]
    fig.legend(
        handles=handles,
        loc="upper left",
        bbox_to_anchor=(margin / width, (bottom_h + 0.05) / height),
        ncols=4,
        title="Share of the era's statements naming the country",
        alignment="left",
        frameon=False,
    )
    fig.suptitle(
        "Belarus at the UN General Debate: the countries its statements name, era by era",
        fontweight="bold",
        x=margin / width,
        ha="left",
        y=1 - 0.1 / height,
        va="top",
    )
    missing = f" Not on the map (no shape or point): {', '.join(countries.name(c, archive) for c in unshaped)}." if unshaped else ""
    source_line(
        fig,
        [],
        names=ungd.SOURCE_NAME,
        extra=f"{ungd.SHAPES_NOTE}{missing} Map: Natural Earth 1:110m, Equal Earth. {note}".strip(),
        archive=archive,
    )
    return fig
