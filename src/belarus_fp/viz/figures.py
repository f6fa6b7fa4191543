"""House style, the source line, and ``save_figure``, which refuses figures a reader cannot read.

Figures are byte-identical run to run: PNG without the "Software" text chunk, SVG with a
fixed hash salt and no date. The palette is Okabe-Ito (colour-blind safe).

Legibility is measured where figures are read: a notebook on GitHub or in JupyterLab shows an
image at most :data:`DISPLAY_WIDTH_PX` wide, scaling a wider PNG down (never up). ``save_figure``
refuses a figure with text smaller than :data:`MIN_TEXT_PX` at that width, or with two text
boxes that overlap, naming the figure and the text.

Where figures go: only the notebooks of the series (``notebooks/NN-title.ipynb``, run by
``belarus_fp.build`` or opened in Jupyter) write into ``figures/``; anyone else's figures go
where they say (``directory=``) or into the current folder, which for a notebook is the folder
it sits in.
"""

from __future__ import annotations

import io
import os
import re
import textwrap
from contextlib import contextmanager
from pathlib import Path
from typing import TYPE_CHECKING, Any

import matplotlib.pyplot as plt
import numpy as np
import shapely
from matplotlib.rcsetup import cycler  # what matplotlib.cycler is (the stubs do not export that name)
from matplotlib.text import Text

from .. import paths
from ..archive import sources

if TYPE_CHECKING:
    from matplotlib.typing import RcKeyType

#: Okabe & Ito (2008) colour-blind-safe palette, in the order figures use it.
PALETTE = ["#0072B2", "#E69F00", "#009E73", "#D55E00", "#CC79A7", "#56B4E9", "#F0E442", "#000000"]
#: Grey for "everything else" and for context shapes on maps.
GREY = "#BBBBBB"
DERIVED_HATCH = "///"

#: The house style's rcParams (the type checker knows matplotlib's keys: a misspelt one is an error).
STYLE: dict[RcKeyType, Any] = {
    "figure.dpi": 100,
    "savefig.dpi": 100,  # the PNG file is also the image shown in the notebook: keep it light
    "font.size": 10,
    "axes.titlesize": 11,
    "axes.titleweight": "bold",
    "axes.labelsize": 10,
    "xtick.labelsize": 9,
    "ytick.labelsize": 9,
    "legend.fontsize": 9,
    "legend.title_fontsize": 9.5,
    "axes.spines.top": False,
    "axes.spines.right": False,
    "axes.prop_cycle": cycler(color=PALETTE),
    "legend.frameon": False,
    "svg.hashsalt": "belarus_fp",
    "svg.fonttype": "path",
    "path.simplify": True,
}

#: A notebook shows an image at most this wide (GitHub, JupyterLab); a wider PNG is scaled down to it.
DISPLAY_WIDTH_PX = 980
#: The smallest text height (font size in pixels, at display width) a figure may have.
MIN_TEXT_PX = 9
#: Font size of the source line (pt).
SOURCE_SIZE = 8
#: Set by ``belarus_fp.build`` for the kernel of a series notebook: that notebook's file name.
SERIES_ENV = paths.ENV_SERIES


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


def source_line(fig, doc_ids, derived: bool = False, extra: str = "", names: str | None = None, archive=None) -> None:
    """Write the source line under everything drawn so far, naming each document (and marking derived numbers).

    ``names``, if given, names the sources instead of one name per document (a collection of many documents).

    Call it last, just before :func:`save_figure`: it is placed below the figure's drawn content
    (legends under a map included) and wrapped to that content's width, so it overlaps nothing.
    """
    if names is None:
        names = "; ".join(sources.source_name(d, archive=archive) for d in doc_ids)
    text = f"Source: {names}."
    if derived:
        text += " Hatched = derived in code from the curated tables, not stated in the text."
    if extra:
        text += " " + extra
    renderer = fig.canvas.get_renderer()
    box = fig.get_tightbbox(renderer).transformed(fig.dpi_scale_trans)  # display px
    width_px, height_px = fig.bbox.width, fig.bbox.height
    chars = max(40, int(box.width / (SOURCE_SIZE * fig.dpi / 72 * 0.56)))  # DejaVu Sans: ~0.56 em per character
    gap = 0.6 * SOURCE_SIZE * fig.dpi / 72
    fig.text(
        box.x0 / width_px,
        (box.y0 - gap) / height_px,
        textwrap.fill(text, chars),
        ha="left",
        va="top",
        fontsize=SOURCE_SIZE,
        color="#444444",
    )


class IllegibleFigure(ValueError):
    """A figure with text too small to read at display width, or with overlapping text."""


def save_figure(fig, name: str, directory: Path | str | None = None, show: bool = True, alt: str | None = None) -> tuple[Path, Path]:
    """Write ``NAME.png`` and ``NAME.svg``, byte-identical on every run, after checking they are legible.

    Refuses (:class:`IllegibleFigure`, naming the figure and each offending text, nothing written)
    a figure where, at the width a notebook shows it (:data:`DISPLAY_WIDTH_PX`, a wider PNG
    scaled down), a text is smaller than :data:`MIN_TEXT_PX`, or two texts' boxes overlap.
    Empty texts are ignored; a text clipped away entirely is not drawn and not checked. :func:`check_figure`
    makes the same checks and writes nothing.

    In a notebook (an IPython kernel) with ``show``, the PNG just written is displayed and the
    figure closed: the notebook shows exactly the file, and the figure is not rendered a third
    time by the inline backend (a later ``plt.show()`` shows nothing more). The displayed image
    carries ``alt`` as its alternative text (output metadata ``image/png`` -> ``alt``, which
    nbconvert writes into the ``<img alt=...>`` of its HTML) and as its plain-text form (what a
    viewer without images shows); without ``alt`` it is the figure's title.

    Args:
        fig: the matplotlib figure.
        name: file stem. The series names its figures ``NN-slug`` after the notebook.
        directory: where to write. Default: ``figures/`` for a notebook of the series
            (see :func:`series_notebook`), else the current folder (a notebook's own folder).
        show: display the PNG inline when running in a notebook.
        alt: a short sentence saying what the figure shows (its alternative text).

    Returns:
        The PNG and SVG paths.

    Example:
        >>> fig, ax = plt.subplots(figsize=(6, 3))
        >>> ax.bar(["a", "b"], [1, 2])
        >>> source_line(fig, [review_2013.DOC_ID])
        >>> save_figure(fig, "my-bars", directory="out")  # out/my-bars.png, out/my-bars.svg
    """
    directory = Path(directory) if directory is not None else default_directory(name)
    png_bytes = check_figure(fig, name)
    directory.mkdir(parents=True, exist_ok=True)
    png, svg = directory / f"{name}.png", directory / f"{name}.svg"
    png.write_bytes(png_bytes)
    with plt.rc_context({"svg.hashsalt": STYLE["svg.hashsalt"]}):
        fig.savefig(svg, format="svg", metadata={"Date": None, "Creator": None}, bbox_inches="tight")
    if show and _in_notebook():
        from IPython.display import display

        display(FigureImage(png_bytes, alt or figure_title(fig) or name))
        plt.close(fig)
    return png, svg


def check_figure(fig, name: str = "figure") -> bytes:
    """The checks :func:`save_figure` makes before it writes, and nothing written: the PNG it would write.

    For a figure one wants to check without keeping it (a draft in a notebook, a test of a figure builder).

    Raises:
        IllegibleFigure: naming ``name`` and each text smaller than :data:`MIN_TEXT_PX` at display width, or
            overlapping another.
    """
    png_bytes, drawn = _render_png(fig)
    problems = legibility_problems(drawn, _png_width(png_bytes))
    if problems:
        shown = "\n  ".join(problems[:25]) + ("\n  ..." if len(problems) > 25 else "")
        raise IllegibleFigure(f"figure {name!r} refused, {len(problems)} problem(s):\n  {shown}")
    return png_bytes


def figure_title(fig) -> str:
    """The figure's title: its suptitle, else the first axes title (empty if it has neither)."""
    suptitle = getattr(fig, "_suptitle", None)
    if suptitle is not None and suptitle.get_text().strip():
        return " ".join(suptitle.get_text().split())
    for ax in fig.axes:
        for loc in ("center", "left", "right"):
            if ax.get_title(loc).strip():
                return " ".join(ax.get_title(loc).split())
    return ""


class FigureImage:
    """A PNG for IPython's display with alternative text.

    ``image/png`` with metadata ``{"alt": ...}``, and the same text as ``text/plain`` (not
    ``<IPython.core.display.Image object>``).
    """

    def __init__(self, png: bytes, alt: str):
        if not alt or not alt.strip():
            raise ValueError("a displayed figure needs alternative text (alt=...)")
        self.png, self.alt = png, " ".join(alt.split())

    def _repr_png_(self):
        return self.png, {"alt": self.alt}

    def __repr__(self) -> str:
        return f"[Figure: {self.alt}]"


# --------------------------------------------------------------------------- Markdown for notebooks

_CODE_SPAN = re.compile(r"(`+)(.+?)\1", re.S)
_UNESCAPED_DOLLAR = re.compile(r"(?<!\\)\$")


def escape_dollars(text: str) -> str:
    r"""``text`` with every ``$`` outside code spans escaped (``\$``).

    So that JupyterLab and GitHub do not typeset the text between two dollar signs as mathematics
    ("$380 million ... $140 million").
    """
    out, end = [], 0
    for m in _CODE_SPAN.finditer(text):
        out.append(_UNESCAPED_DOLLAR.sub(r"\\$", text[end : m.start()]))
        out.append(m.group(0))
        end = m.end()
    out.append(_UNESCAPED_DOLLAR.sub(r"\\$", text[end:]))
    return "".join(out)


def unescaped_dollars(text: str) -> int:
    """How many ``$`` of a Markdown text, outside code spans, are not escaped (two make a formula)."""
    return len(_UNESCAPED_DOLLAR.findall(_CODE_SPAN.sub("", text)))


def plain_text(markdown: str) -> str:
    """A readable plain-text form of the Markdown the notebooks render.

    Emphasis marks, code ticks and backslash escapes dropped, links as their text, tables and lists kept
    as they are.
    """
    text = re.sub(r"\*\*(.+?)\*\*", r"\1", markdown, flags=re.S)
    text = re.sub(r"(?<![\w*])\*(?!\s)(.+?)(?<!\s)\*(?![\w*])", r"\1", text)
    text = re.sub(r"`([^`]*)`", r"\1", text)
    text = re.sub(r"\[([^\]]+)\]\([^)]*\)", r"\1", text)
    return re.sub(r"\\([\\`*_{}\[\]()#+\-.!|$])", r"\1", text)


class Markdown:
    """Markdown for a notebook's output, as every notebook of the series renders it.

    ``text/markdown`` is the text with its currency signs escaped (:func:`escape_dollars`);
    ``text/plain`` is :func:`plain_text` of it, what a viewer without Markdown shows (IPython's own
    ``Markdown`` gives ``<IPython.core.display.Markdown object>`` there). Use it as IPython's:
    ``display(Markdown(f"..."))``.
    """

    def __init__(self, text: str):
        self.text = text

    def _repr_markdown_(self) -> str:
        return escape_dollars(self.text)

    def __repr__(self) -> str:
        return plain_text(self.text)


def series_notebook() -> str | None:
    """The file name of the series notebook this kernel runs, or None (a user's notebook, a script, a test).

    A series notebook is ``notebooks/NN-title.ipynb``. It is recognised when ``belarus_fp.build``
    runs it (the build sets ``BELARUS_FP_SERIES`` to its name for the kernel) or when Jupyter
    opened it from ``notebooks/`` (Jupyter server tells the kernel its path in ``JPY_SESSION_NAME``;
    the kernel runs in the notebook's folder).
    """
    if os.environ.get(SERIES_ENV):
        return os.environ[SERIES_ENV]
    session = os.environ.get("JPY_SESSION_NAME")
    if session:
        notebook = Path.cwd() / Path(session).name
        try:
            series = paths.notebooks()
        except paths.RepositoryNotFound:  # installed without a clone: no notebook is one of the series
            return None
        if notebook.resolve() in {p.resolve() for p in series}:
            return notebook.name
    return None


def default_directory(name: str) -> Path:
    """``figures/`` for a series notebook (which must name its figures ``NN-...`` after itself), else the current folder."""
    notebook = series_notebook()
    if notebook is None:
        return Path.cwd()
    if not name.startswith(notebook[:3]):
        raise ValueError(f"{notebook}: figure {name!r} must be named {notebook[:3]}... after its notebook")
    return paths.FIGURES


@contextmanager
def _recording_texts():
    """Record every text as it is drawn: (text, window extent in px, font size in px, outline of a slanted text or None). The last draw wins."""
    drawn, original = {}, Text.draw

    def draw(self, renderer):
        if self.get_visible() and self.get_text().strip() and renderer is not None:
            box = Text.get_window_extent(self, renderer)  # the text alone (an Annotation would add its arrow)
            drawn[id(self)] = (self, box, renderer.points_to_pixels(self.get_fontsize()), _outline(self, box, renderer))
        return original(self, renderer)

    Text.draw = draw
    try:
        yield drawn
    finally:
        Text.draw = original


def _render_png(fig) -> tuple[bytes, list]:
    buffer = io.BytesIO()
    with _recording_texts() as drawn:
        fig.savefig(buffer, format="png", metadata={"Software": None}, bbox_inches="tight")
    shown = []
    for text, box, size_px, outline in drawn.values():
        clip = text.get_clip_box() if text.get_clip_on() else None
        if clip is None or box.overlaps(clip):
            shown.append((text.get_text(), box, size_px, outline))
    return buffer.getvalue(), shown


def _outline(text, box, renderer):
    """The drawn rectangle of a slanted text (a polygon, px), or None when its upright box is exact.

    A text rotated by, say, 45 degrees fills only part of its upright box; neighbouring slanted
    tick labels overlap as boxes but not as drawn, so they are compared by their outlines.
    """
    angle = text.get_rotation() % 90
    if angle == 0:
        return None
    rotation = text.get_rotation()
    text.set_rotation(0)  # measure the upright text, then put the rotation back
    try:
        upright = text._get_layout(renderer)[0]
    finally:
        text.set_rotation(rotation)
    w, h = upright.width, upright.height
    rad = np.deg2rad(rotation)
    corners = np.array([[-w, -h], [w, -h], [w, h], [-w, h]]) / 2 @ np.array([[np.cos(rad), np.sin(rad)], [-np.sin(rad), np.cos(rad)]])
    cx, cy = (box.x0 + box.x1) / 2, (box.y0 + box.y1) / 2  # a rotated rectangle's centre is its upright box's
    return shapely.Polygon(corners + np.array([cx, cy]))  # numpy broadcasting: each corner moved by the centre


def _png_width(data: bytes) -> int:
    return int.from_bytes(data[16:20], "big")  # IHDR width


def legibility_problems(drawn, png_width_px: int) -> list[str]:
    """What makes a rendered figure illegible at display width: small texts, overlapping text boxes.

    Args:
        drawn: (text, box in px, font size in px, outline or None) for every text drawn (as ``save_figure`` records them).
        png_width_px: width of the PNG; shown at ``min(png_width_px, DISPLAY_WIDTH_PX)``.
    """
    scale = min(1.0, DISPLAY_WIDTH_PX / png_width_px)
    problems = []
    for text, _, size_px, _ in drawn:
        if size_px * scale < MIN_TEXT_PX - 1e-9:
            problems.append(
                f"text {_short(text)} is {size_px * scale:.1f} px tall at display width "
                f"(PNG {png_width_px} px wide, shown at {min(png_width_px, DISPLAY_WIDTH_PX)} px); minimum {MIN_TEXT_PX} px"
            )
    if drawn:
        boxes = np.array([[b.x0, b.y0, b.x1, b.y1] for _, b, _, _ in drawn])
        for i in range(len(drawn)):
            later = boxes[i + 1 :]
            w = np.minimum(boxes[i, 2], later[:, 2]) - np.maximum(boxes[i, 0], later[:, 0])
            h = np.minimum(boxes[i, 3], later[:, 3]) - np.maximum(boxes[i, 1], later[:, 1])
            for j in np.flatnonzero((w > 1) & (h > 1)) + i + 1:
                if _outlines_overlap(drawn[i], drawn[j]):
                    problems.append(f"text {_short(drawn[i][0])} overlaps text {_short(drawn[j][0])}")
    return problems


def _outlines_overlap(a, b) -> bool:
    """Whether two texts whose upright boxes overlap also overlap as drawn (by more than 1 px²)."""
    if a[3] is None and b[3] is None:
        return True
    shape = [t[3] if t[3] is not None else shapely.box(t[1].x0, t[1].y0, t[1].x1, t[1].y1) for t in (a, b)]
    return shape[0].intersection(shape[1]).area > 1


def _short(text: str) -> str:
    text = " ".join(text.split())
    return repr(text if len(text) <= 50 else text[:49] + "…")


def _in_notebook() -> bool:
    try:
        from IPython import get_ipython
    except ImportError:
        return False
    shell = get_ipython()
    return shell is not None and getattr(shell, "kernel", None) is not None
