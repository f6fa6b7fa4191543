"""What a reader's tools do with the committed notebooks.

- JupyterLab and GitHub typeset the text between two ``$`` signs as mathematics: no generated Markdown
  (an output's ``text/markdown``) holds two unescaped ``$`` outside code spans.
- A viewer without Markdown shows an output's ``text/plain``: no Markdown output has
  ``<IPython.core.display.Markdown object>`` (or any ``<... object>``) as its plain-text form.
- Every displayed figure (an ``image/png`` output) has alternative text: output metadata
  ``image/png`` -> ``alt``, which nbconvert writes into the ``<img alt=...>`` of its HTML.

The helpers that make the notebooks pass are tested here too (``belarus_fp.viz.figures``).
"""

import re

import nbformat
import pytest

from belarus_fp.commands import build
from belarus_fp.viz import figures

NOTEBOOKS = build.notebooks()
OBJECT_REPR = re.compile(r"^<[\w.]+ object(?: at 0x[0-9a-f]+)?>$")


def _outputs(nb_path):
    nb = nbformat.read(nb_path, as_version=4)
    for index, cell in enumerate(nb.cells):
        for output in cell.get("outputs", []):
            if output.get("output_type") in ("display_data", "execute_result"):
                yield index, output


def _text(value) -> str:
    return "".join(value) if isinstance(value, list) else value


@pytest.mark.parametrize("nb_path", NOTEBOOKS, ids=lambda p: p.name)
def test_no_generated_markdown_holds_an_unescaped_dollar_pair(nb_path):
    bad = [
        (index, _text(out["data"]["text/markdown"])[:120])
        for index, out in _outputs(nb_path)
        if "text/markdown" in out["data"] and figures.unescaped_dollars(_text(out["data"]["text/markdown"])) >= 2
    ]
    assert not bad, f"{nb_path.name}: Markdown outputs with an unescaped $ pair (cell, start): {bad}"


@pytest.mark.parametrize("nb_path", NOTEBOOKS, ids=lambda p: p.name)
def test_every_markdown_output_has_a_readable_text_form(nb_path):
    bad = []
    for index, out in _outputs(nb_path):
        if "text/markdown" in out["data"]:
            plain = _text(out["data"].get("text/plain", "")).strip()
            if not plain or OBJECT_REPR.match(plain):
                bad.append((index, plain))
    assert not bad, f"{nb_path.name}: Markdown outputs without a readable text/plain (cell, text/plain): {bad}"


@pytest.mark.parametrize("nb_path", NOTEBOOKS, ids=lambda p: p.name)
def test_every_displayed_figure_has_alt_text(nb_path):
    images = [(index, out) for index, out in _outputs(nb_path) if "image/png" in out["data"]]
    bad = [index for index, out in images if not str(out.get("metadata", {}).get("image/png", {}).get("alt", "")).strip()]
    assert not bad, f"{nb_path.name}: figures without alt text (output metadata image/png -> alt), cells {bad}"
    for index, out in images:  # and a viewer without images shows the same text
        assert not OBJECT_REPR.match(_text(out["data"].get("text/plain", "")).strip()), (nb_path.name, index)


def test_every_series_notebook_that_shows_a_figure_is_checked():
    shown = [p.name for p in NOTEBOOKS if any("image/png" in out["data"] for _, out in _outputs(p))]
    assert len(shown) >= 7, shown  # 00-06 each show at least one figure


# --------------------------------------------------------------------------- the helpers


@pytest.mark.parametrize(
    "text, expected",
    [
        ("$380 million and $140 million", r"\$380 million and \$140 million"),
        (r"already \$5 and $6", r"already \$5 and \$6"),
        ("`a $ b` and $7", r"`a $ b` and \$7"),  # a code span is shown as typed
        ("no money here", "no money here"),
    ],
)
def test_escape_dollars(text, expected):
    assert figures.escape_dollars(text) == expected
    assert figures.unescaped_dollars(figures.escape_dollars(text)) == 0


def test_markdown_renders_escaped_and_reads_as_plain_text():
    from IPython.core.formatters import DisplayFormatter

    md = figures.Markdown("**Open items.** `code` $380 million | $140 million \\| [link](x)")
    data, _ = DisplayFormatter().format(md)
    assert data["text/markdown"] == "**Open items.** `code` \\$380 million | \\$140 million \\| [link](x)"
    assert data["text/plain"] == "Open items. code $380 million | $140 million | link"


def test_figure_image_carries_alt_text_as_metadata_and_plain_text():
    from IPython.core.formatters import DisplayFormatter

    data, metadata = DisplayFormatter().format(figures.FigureImage(b"\x89PNG", "A bar chart of two bars."))
    assert metadata == {"image/png": {"alt": "A bar chart of two bars."}}
    assert data["text/plain"] == "[Figure: A bar chart of two bars.]"
    with pytest.raises(ValueError, match="alternative text"):
        figures.FigureImage(b"\x89PNG", "  ")


def test_save_figure_takes_alt_text_and_falls_back_to_the_title(tmp_path, monkeypatch):
    import matplotlib.pyplot as plt

    shown = []
    monkeypatch.setattr(figures, "_in_notebook", lambda: True)
    monkeypatch.setattr("IPython.display.display", lambda obj: shown.append(obj))
    for alt in ("Two bars, a and b.", None):
        fig, ax = plt.subplots(figsize=(4, 3))
        ax.bar(["a", "b"], [1, 2])
        fig.suptitle("Bars of a and b")
        figures.save_figure(fig, "bars", directory=tmp_path, alt=alt)
    assert [s.alt for s in shown] == ["Two bars, a and b.", "Bars of a and b"]
