"""House style and the one ``save_figure`` that writes ``figures/``.

Figures are byte-identical run to run: PNG without the "Software" text chunk, SVG with a
fixed hash salt and no date. The palette is Okabe-Ito (colour-blind safe).
"""

from __future__ import annotations

from pathlib import Path

import matplotlib
import matplotlib.pyplot as plt

from . import paths

#: Okabe & Ito (2008) colour-blind-safe palette, in the order figures use it.
PALETTE = ["#0072B2", "#E69F00", "#009E73", "#D55E00", "#CC79A7", "#56B4E9", "#F0E442", "#000000"]
#: Grey for "everything else" and for context shapes on maps.
GREY = "#BBBBBB"
DERIVED_HATCH = "///"

STYLE = {
    "figure.dpi": 100,
    "savefig.dpi": 100,  # the PNG file is also the image shown in the notebook: keep it light
    "font.size": 10,
    "axes.titlesize": 12,
    "axes.titleweight": "bold",
    "axes.labelsize": 10,
    "axes.spines.top": False,
    "axes.spines.right": False,
    "axes.prop_cycle": matplotlib.cycler(color=PALETTE),
    "legend.frameon": False,
    "svg.hashsalt": "belarus_fp",
    "svg.fonttype": "path",
    "path.simplify": True,
}

SOURCE_NAMES = {
    "review-2013": "MFA of Belarus, Annual Review of Foreign Policy 2013",
    "priorities": "Official Belarus facts site, Priorities of the foreign policy of the Republic of Belarus (c. 2016)",
}


#: Inline figures in notebooks: no "Software" chunk, so re-executed notebooks are byte-identical.
INLINE_FIGURE_KWARGS = {"metadata": {"Software": None}, "bbox_inches": "tight"}


def use_style() -> None:
    """Apply the house style to every figure made after this call (and to inline notebook figures)."""
    plt.rcParams.update(STYLE)
    try:
        from IPython import get_ipython
    except ImportError:
        return
    shell = get_ipython()
    if shell is not None:
        shell.run_line_magic("config", f"InlineBackend.print_figure_kwargs = {INLINE_FIGURE_KWARGS!r}")
        shell.run_line_magic("config", "InlineBackend.figure_formats = ['png']")


def source_line(fig, doc_ids, derived: bool = False, extra: str = "") -> None:
    """Write the source line under a figure, naming each document (and marking derived numbers)."""
    names = "; ".join(SOURCE_NAMES[d] for d in doc_ids)
    text = f"Source: {names}."
    if derived:
        text += " Hatched = derived in code from the curated tables, not stated in the text."
    if extra:
        text += " " + extra
    fig.text(0.01, 0.005, text, ha="left", va="bottom", fontsize=7.5, color="#444444", wrap=True)


def save_figure(fig, name: str, folder: Path | None = None, show: bool = True) -> tuple[Path, Path]:
    """Write ``figures/NAME.png`` and ``figures/NAME.svg``, byte-identical on every run.

    In a notebook (an IPython kernel) with ``show``, the PNG just written is displayed and the
    figure closed: the notebook shows exactly the committed file, and the figure is not
    rendered a third time by the inline backend (a later ``plt.show()`` shows nothing more).

    Args:
        fig: the matplotlib figure.
        name: file stem, ``NN-slug`` after the notebook that makes it.
        folder: where to write; defaults to the repository's ``figures/``.
        show: display the PNG inline when running in a notebook.

    Returns:
        The PNG and SVG paths.
    """
    folder = Path(folder or paths.FIGURES)
    folder.mkdir(parents=True, exist_ok=True)
    png, svg = folder / f"{name}.png", folder / f"{name}.svg"
    with plt.rc_context({"svg.hashsalt": STYLE["svg.hashsalt"]}):
        fig.savefig(png, format="png", metadata={"Software": None}, bbox_inches="tight")
        fig.savefig(svg, format="svg", metadata={"Date": None, "Creator": None}, bbox_inches="tight")
    if show and _in_notebook():
        from IPython.display import Image, display

        display(Image(data=png.read_bytes(), format="png"))
        plt.close(fig)
    return png, svg


def _in_notebook() -> bool:
    try:
        from IPython import get_ipython
    except ImportError:
        return False
    shell = get_ipython()
    return shell is not None and getattr(shell, "kernel", None) is not None
