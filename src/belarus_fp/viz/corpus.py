"""The figures of notebook 08 (the UN statements as a corpus): each builder draws one figure and returns it.

Like the other figure modules (:mod:`belarus_fp.viz.trade` ...): the notebook calls the builder, then ``save_figure``; each builder is
drawn and checked by ``tests/test_plots.py``.
"""

from __future__ import annotations

import matplotlib.pyplot as plt

from ..analysis import corpus
from .figures import PALETTE, source_line

#: How the source line names the UN statements.
UNGD_SOURCE = "UN General Debate Corpus (Jankin, Baturo and Dasandi), Belarus's statements, 1946–2024"
#: Shading of the eras (:data:`belarus_fp.analysis.corpus.ERAS`): every other era is shaded.
ERA_SHADE = "#EEEEEE"


def _shade_eras(ax) -> None:
    for index, (_, first, last) in enumerate(corpus.ERAS):
        if index % 2:
            ax.axvspan(first - 0.5, last + 0.5, color=ERA_SHADE, zorder=0, lw=0)
    first, last = corpus.ERAS[0][1], corpus.ERAS[-1][2]
    ax.set_xlim(first - 1, last + 1)


def attention_over_time(attention, shares, note: str = "", archive=None):
    """States named per 1,000 words per statement (top), and per group of :data:`~belarus_fp.analysis.corpus.ATTENTION_GROUPS`
    the share of each era's statements that name it, with a tick for each statement that does (small multiples).

    Args:
        attention: :func:`belarus_fp.analysis.corpus.country_attention`.
        shares: :func:`belarus_fp.analysis.corpus.group_shares` of it.
        note: appended to the source line (the finder's measured accuracy).
    """
    groups = list(corpus.ATTENTION_GROUPS)
    fig = plt.figure(figsize=(9.8, 8.6))
    grid = fig.add_gridspec(3, 3, height_ratios=[1.25, 1, 1], hspace=0.55, wspace=0.12, left=0.11, right=0.98, top=0.87, bottom=0.1)
    top = fig.add_subplot(grid[0, :])
    _shade_eras(top)
    top.plot(attention["year"], attention["per_1000_words"], color=PALETTE[0], lw=1, marker="o", ms=3.5)
    top.set_ylabel("states named\nper 1,000 words")
    top.set_ylim(0, attention["per_1000_words"].max() * 1.15)
    for label, first, last in corpus.ERAS:
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
    for index, (ax, key) in enumerate(zip(panels, groups)):
        _shade_eras(ax)
        for label, first, last in corpus.ERAS:
            if label in shares.index:
                ax.hlines(100 * shares.at[label, key], first - 0.5, last + 0.5, color=PALETTE[index % len(PALETTE)], lw=2.5)
        years = attention.loc[attention[key], "year"]
        ax.plot(years, [-8] * len(years), ls="none", marker="|", ms=6, color="#555555")
        ax.set_ylim(-14, 108)
        ax.set_yticks([0, 50, 100])
        ax.set_xticks([1950, 1970, 1990, 2010])
        if index % 3:
            ax.set_yticklabels([])
        else:
            ax.set_yticklabels(["0 %", "50 %", "100 %"])
        ax.set_title(corpus.ATTENTION_GROUPS[key][0], loc="left", fontsize=10)
    fig.suptitle("Belarus at the UN General Debate: whom its statements name", fontweight="bold", x=0.01, ha="left", y=0.985)
    sizes = attention.groupby("era", sort=False).size()
    counts = ", ".join(str(sizes[label]) for label, _, _ in corpus.ERAS if label in sizes.index)
    fig.text(
        0.01,
        0.605,
        f"Bars: share of the era's statements (of {counts} per era) naming a state of the group; ticks: each statement that does",
        fontsize=9,
        color="#444444",
    )
    source_line(fig, [], names=UNGD_SOURCE, extra=note, archive=archive)
    return fig
